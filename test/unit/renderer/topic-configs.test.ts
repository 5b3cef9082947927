/**
 * The config editor's checks, with Kafka's types and bounds (LogConfig), in the learner's language:
 * retention.ms, cleanup.policy, min.insync.replicas, segment.bytes, max.message.bytes,
 * unclean.leader.election.enable and the rest; and the warnings for values Kafka accepts whose
 * consequence is the lesson.
 */
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../../renderer/src/i18n';
import type { UiMessage } from '../../../renderer/src/domain/messages';
import {
  configChoices,
  configValueHint,
  configValueProblem,
  configValueWarning,
  humanBytes,
  humanDuration,
  TOPIC_CONFIG_RULES,
} from '../../../renderer/src/domain/topic-configs';
import { validateCreateTopic } from '../../../renderer/src/domain/topic-validation';

function say(message: UiMessage | undefined, locale: 'en' | 'ko' = 'en'): string {
  if (message === undefined) return '';
  return createAppI18n(locale).global.t(message.key, { ...message.params });
}

describe('config values Kafka accepts', () => {
  it.each([
    ['retention.ms', '3600000'],
    ['retention.ms', '-1'],
    ['cleanup.policy', 'compact'],
    ['cleanup.policy', 'delete, compact'],
    ['min.insync.replicas', '2'],
    ['segment.bytes', '1048576'],
    ['max.message.bytes', '2097152'],
    ['unclean.leader.election.enable', 'true'],
    ['min.cleanable.dirty.ratio', '0.1'],
    ['message.timestamp.type', 'LogAppendTime'],
    ['retention.bytes', '-1'],
  ])('%s=%s', (name, value) => {
    expect(configValueProblem(name, value)).toBeUndefined();
  });
});

describe('config values Kafka refuses, said in English and Korean', () => {
  it('a number below its minimum', () => {
    expect(say(configValueProblem('retention.ms', '-2'))).toBe('The value must be at least -1.');
    expect(say(configValueProblem('min.insync.replicas', '0'))).toBe('The value must be at least 1.');
    expect(say(configValueProblem('segment.bytes', '10'), 'ko')).toBe('값은 14 이상이어야 합니다.');
  });

  it('not a whole number, or too large for an int', () => {
    expect(say(configValueProblem('retention.ms', '1h'))).toBe('Enter a whole number.');
    expect(say(configValueProblem('segment.bytes', '1.5'))).toBe('Enter a whole number.');
    expect(say(configValueProblem('max.message.bytes', '3000000000'))).toBe('The value must be at most 2147483647.');
    expect(say(configValueProblem('min.cleanable.dirty.ratio', 'half'))).toBe('Enter a number.');
  });

  it('a value outside the allowed set', () => {
    expect(say(configValueProblem('cleanup.policy', 'archive'))).toBe('The value must be one of: delete, compact.');
    expect(say(configValueProblem('unclean.leader.election.enable', 'yes'))).toBe('The value must be true or false.');
    expect(say(configValueProblem('unclean.leader.election.enable', 'yes'), 'ko')).toBe('값은 true 또는 false여야 합니다.');
  });

  it('an empty value, and a config Kafka does not have', () => {
    expect(say(configValueProblem('retention.ms', '  '))).toBe('Enter a value.');
    expect(say(configValueProblem('retention.hours', '1'))).toBe('Kafka has no topic config named retention.hours.');
  });

  it('the create dialog checks its config rows the same way', () => {
    const result = validateCreateTopic({ name: 'orders', partitions: 3, replicationFactor: 3, configs: [{ key: 'retention.ms', value: 'soon' }, { key: 'cleanup.policy', value: 'compact' }] }, 3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.configs.map((p) => p?.key)).toEqual(['browser.configs.errors.notWhole', undefined]);
  });
});

describe('warnings for values Kafka accepts', () => {
  it('min.insync.replicas above the replication factor: every acks=all produce fails', () => {
    expect(say(configValueWarning('min.insync.replicas', '4', 3))).toBe(
      'min.insync.replicas 4 is more than the 3 replicas: every acks=all produce will fail with NOT_ENOUGH_REPLICAS.',
    );
    expect(configValueWarning('min.insync.replicas', '2', 3)).toBeUndefined();
  });

  it('unclean leader election can lose records; retention -1 keeps them forever', () => {
    expect(configValueWarning('unclean.leader.election.enable', 'true', 3)?.key).toBe('browser.configs.warnings.unclean');
    expect(configValueWarning('unclean.leader.election.enable', 'false', 3)).toBeUndefined();
    expect(configValueWarning('retention.ms', '-1', 3)?.key).toBe('browser.configs.warnings.retentionForever');
  });
});

describe('editor helpers', () => {
  it('offers a choice list for enumerated configs only', () => {
    expect(configChoices('unclean.leader.election.enable')).toEqual(['true', 'false']);
    expect(configChoices('cleanup.policy')).toEqual(['delete', 'compact', 'delete,compact']);
    expect(configChoices('retention.ms')).toBeNull();
  });

  it('spells durations and sizes out', () => {
    expect(humanDuration(604_800_000)).toBe('7 d');
    expect(humanDuration(3_600_000)).toBe('1 h');
    expect(humanDuration(90_000)).toBe('1.5 min');
    expect(humanBytes(1_073_741_824)).toBe('1 GiB');
    expect(humanBytes(1_048_588)).toBe('1 MiB');
    expect(configValueHint('retention.ms', '604800000')).toEqual({ unit: 'ms', amount: 604_800_000 });
    expect(configValueHint('retention.ms', '-1')).toBeNull();
    expect(configValueHint('min.insync.replicas', '2')).toBeNull();
  });

  it('knows the same configs the engine lists for a topic', () => {
    expect(Object.keys(TOPIC_CONFIG_RULES)).toHaveLength(19);
  });
});
