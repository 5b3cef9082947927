/**
 * Changing a topic's shape: more partitions only, with the controller's own words when fewer are
 * asked; kafka-topics' warning for names with '.' or '_' and the collision Kafka refuses; and the
 * controller's INVALID_REPLICATION_FACTOR text beside the create dialog's explanation.
 */
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../../renderer/src/i18n';
import type { UiMessage } from '../../../renderer/src/domain/messages';
import { topicNameWarning, validateAlterPartitions, validateCreateTopic } from '../../../renderer/src/domain/topic-validation';

function say(message: UiMessage | undefined, locale: 'en' | 'ko' = 'en'): string {
  if (message === undefined) return '';
  return createAppI18n(locale).global.t(message.key, { ...message.params });
}

describe('adding partitions', () => {
  it('builds the createPartitions request for more partitions', () => {
    expect(validateAlterPartitions('orders', 3, '6')).toEqual({ ok: true, request: { name: 'orders', totalCount: 6 } });
  });

  it("refuses fewer with Kafka's INVALID_PARTITIONS message beside the explanation", () => {
    const result = validateAlterPartitions('orders', 3, 2);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kafka).toEqual({ errorName: 'INVALID_PARTITIONS', message: 'Topic currently has 3 partitions, which is higher than the requested 2.' });
    expect(say(result.problem)).toBe('The topic has 3 partitions; 2 would remove some, and Kafka never removes partitions.');
    expect(say(result.problem, 'ko')).toBe('이 토픽의 파티션은 3개입니다. 2개로 하면 일부가 없어지는데, Kafka는 파티션을 줄이지 않습니다.');
  });

  it('refuses the same count, a non-number and more than the workbench holds', () => {
    const same = validateAlterPartitions('orders', 3, 3);
    expect(!same.ok && same.kafka?.message).toBe('Topic already has 3 partitions.');
    expect(!validateAlterPartitions('orders', 3, 'six').ok).toBe(true);
    expect(!validateAlterPartitions('orders', 3, 0).ok).toBe(true);
    const many = validateAlterPartitions('orders', 3, 1001);
    expect(!many.ok && say(many.problem)).toBe('At most 1000 partitions per topic in the workbench.');
  });
});

describe('topic names with a period or an underscore', () => {
  it("warns as kafka-topics does, and names the topic it collides with", () => {
    expect(topicNameWarning('orders', ['a'])).toBeUndefined();
    expect(say(topicNameWarning('order.events', []))).toBe("Topic names with a period ('.') or underscore ('_') could collide in metric names; it is best to use either, but not both.");
    expect(say(topicNameWarning('order.events', ['order_events']))).toBe(
      'This name collides with topic order_events (a period and an underscore map to the same metric name): Kafka refuses it.',
    );
    // The same name is a duplicate (TOPIC_ALREADY_EXISTS), not a collision.
    expect(topicNameWarning('order_events', ['order_events'])?.key).toBe('browser.alter.periodUnderscore');
  });
});

describe('replication factor above the brokers', () => {
  it("carries the controller's INVALID_REPLICATION_FACTOR message", () => {
    const result = validateCreateTopic({ name: 'orders', partitions: 3, replicationFactor: 4, configs: [] }, 3);
    expect(!result.ok && result.problems.replicationFactorKafka).toEqual({
      errorName: 'INVALID_REPLICATION_FACTOR',
      message: 'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    });
  });
});
