/** Kafka's topic name rules, with Kafka's own messages. */
import { describe, expect, it } from 'vitest';
import { topicNameProblem } from '../../../engine/cluster/topic-rules.js';

describe('topic names', () => {
  it.each(['orders', 'order.events', 'order_events', 'Order-Events-2', 'a'.repeat(249)])('accepts %j', (name) => {
    expect(topicNameProblem(name)).toBeNull();
  });

  it('refuses the names Kafka refuses, in Kafka’s words', () => {
    expect(topicNameProblem('')).toBe("Topic name is illegal, it can't be empty");
    expect(topicNameProblem('.')).toBe('Topic name cannot be "." or ".."');
    expect(topicNameProblem('..')).toBe('Topic name cannot be "." or ".."');
    expect(topicNameProblem('bad name!')).toBe('Topic name "bad name!" is illegal, it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\'');
    expect(topicNameProblem('주문')).toContain('is illegal, it contains a character other than ASCII alphanumerics');
    expect(topicNameProblem('a'.repeat(250))).toMatch(/^Topic name is illegal, it can't be longer than 249 characters/);
  });
});
