/**
 * The create-topic dialog's checks: Kafka's topic name rules, partitions and replication factor
 * bounds, config rows — and the messages as the learner reads them, in English and in Korean.
 */
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../../renderer/src/i18n';
import type { Locale } from '../../../renderer/src/i18n/locales';
import type { UiMessage } from '../../../renderer/src/domain/messages';
import {
  defaultReplicationFactor,
  parseWholeNumber,
  topicNameProblem,
  validateCreateTopic,
  type CreateTopicForm,
} from '../../../renderer/src/domain/topic-validation';

function say(message: UiMessage | undefined, locale: Locale): string {
  if (message === undefined) return '';
  const i18n = createAppI18n(locale);
  return i18n.global.t(message.key, { ...message.params });
}

const form = (overrides: Partial<CreateTopicForm> = {}): CreateTopicForm => ({
  name: 'orders',
  partitions: 3,
  replicationFactor: 3,
  configs: [],
  ...overrides,
});

describe('topic name rules (Kafka Topic.validate)', () => {
  it('accepts ASCII letters, digits, dots, underscores and dashes up to 249 characters', () => {
    for (const name of ['orders', 'order-events.v2', '__my_topic', 'a', 'x'.repeat(249)]) {
      expect(topicNameProblem(name)).toBeUndefined();
    }
  });

  it('refuses an empty name, "." and "..", and names over 249 characters', () => {
    expect(topicNameProblem('')?.key).toBe('createTopic.errors.nameEmpty');
    expect(topicNameProblem('.')?.key).toBe('createTopic.errors.nameDots');
    expect(topicNameProblem('..')?.key).toBe('createTopic.errors.nameDots');
    expect(topicNameProblem('x'.repeat(250))).toEqual({ key: 'createTopic.errors.nameTooLong', params: { max: 249, length: 250 } });
  });

  it('names the illegal characters, once each, and says "spaces" instead of printing one', () => {
    expect(say(topicNameProblem('bad name!'), 'en')).toBe(
      "Only ASCII letters, digits, '.', '_' and '-' are allowed. Not allowed: spaces and !",
    );
    expect(say(topicNameProblem('bad name!'), 'ko')).toBe("영문자, 숫자, '.', '_', '-'만 쓸 수 있습니다. 허용되지 않는 문자: 공백, !");
    expect(say(topicNameProblem('a/b/c?'), 'en')).toBe("Only ASCII letters, digits, '.', '_' and '-' are allowed. Not allowed: / ?");
    expect(say(topicNameProblem('two words'), 'en')).toBe("A topic name cannot contain spaces; use '.', '_' or '-' to separate words.");
    expect(say(topicNameProblem('주문'), 'ko')).toBe("영문자, 숫자, '.', '_', '-'만 쓸 수 있습니다. 허용되지 않는 문자: 주 문");
  });

  it('speaks the user\'s language for every name problem', () => {
    expect(say(topicNameProblem(''), 'en')).toBe('Enter a topic name.');
    expect(say(topicNameProblem(''), 'ko')).toBe('토픽 이름을 입력하세요.');
    expect(say(topicNameProblem('..'), 'ko')).toBe('토픽 이름은 "." 또는 ".."일 수 없습니다.');
    expect(say(topicNameProblem('y'.repeat(300)), 'en')).toBe('A topic name can have at most 249 characters; this one has 300.');
    expect(say(topicNameProblem('y'.repeat(300)), 'ko')).toBe('토픽 이름은 최대 249자입니다. 지금은 300자입니다.');
  });
});

describe('validateCreateTopic', () => {
  it('builds the createTopic request from a good form, trimming config rows and skipping empty ones', () => {
    const result = validateCreateTopic(
      form({ partitions: '6', replicationFactor: 2, configs: [{ key: ' retention.ms ', value: ' 60000 ' }, { key: '', value: '' }] }),
      3,
    );
    expect(result).toEqual({ ok: true, request: { name: 'orders', partitions: 6, replicationFactor: 2, configs: { 'retention.ms': '60000' } } });
  });

  it('refuses partitions and replication factors below 1 or not whole numbers', () => {
    for (const partitions of [0, -1, '', '1.5', 'three', 2.5]) {
      const result = validateCreateTopic(form({ partitions }), 3);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.partitions?.key).toBe('createTopic.errors.partitionsInvalid');
    }
    const result = validateCreateTopic(form({ replicationFactor: 0 }), 3);
    expect(!result.ok && say(result.problems.replicationFactor, 'en')).toBe('Enter a whole replication factor, 1 or more.');
  });

  it('refuses a replication factor above the running brokers, in English and Korean', () => {
    const result = validateCreateTopic(form({ replicationFactor: 4 }), 3);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(say(result.problems.replicationFactor, 'en')).toBe(
      'Replication factor 4 needs 4 running brokers, but only 3 are running: each replica of a partition lives on a different broker.',
    );
    expect(say(result.problems.replicationFactor, 'ko')).toBe(
      '복제 계수 4에는 실행 중인 브로커가 4개 필요하지만 지금은 3개뿐입니다. 한 파티션의 레플리카는 각각 다른 브로커에 있어야 합니다.',
    );
    // With a broker stopped, the bound follows the running ones.
    expect(validateCreateTopic(form({ replicationFactor: 3 }), 2).ok).toBe(false);
    expect(validateCreateTopic(form({ replicationFactor: 2 }), 2).ok).toBe(true);
  });

  it('flags config rows without a name and duplicate names, row by row', () => {
    const result = validateCreateTopic(
      form({
        configs: [
          { key: 'retention.ms', value: '1' },
          { key: '', value: '5' },
          { key: 'retention.ms', value: '2' },
        ],
      }),
      3,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.configs.map((p) => p?.key)).toEqual([
      undefined,
      'createTopic.errors.configKeyEmpty',
      'createTopic.errors.configKeyDuplicate',
    ]);
    expect(say(result.problems.configs[2], 'ko')).toBe('retention.ms 설정이 두 번 이상 있습니다.');
  });

  it('does not decide what only the cluster knows: a duplicate topic name goes to the engine', () => {
    expect(validateCreateTopic(form({ name: 'orders' }), 3).ok).toBe(true);
  });
});

describe('helpers', () => {
  it('defaults the replication factor to 3, or fewer on a smaller cluster, never below 1', () => {
    expect(defaultReplicationFactor(5)).toBe(3);
    expect(defaultReplicationFactor(3)).toBe(3);
    expect(defaultReplicationFactor(2)).toBe(2);
    expect(defaultReplicationFactor(0)).toBe(1);
  });

  it('parses whole numbers as typed', () => {
    expect(parseWholeNumber(' 12 ')).toBe(12);
    expect(parseWholeNumber('+3')).toBe(3);
    expect(parseWholeNumber('-2')).toBe(-2);
    expect(parseWholeNumber('1e3')).toBeNull();
    expect(parseWholeNumber('')).toBeNull();
    expect(parseWholeNumber(Number.NaN)).toBeNull();
  });
});
