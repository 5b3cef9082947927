/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic), with Kafka's messages, so
 * that the dialog, the console and the wire protocol refuse exactly what a real cluster refuses.
 */
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/** The reason Kafka gives for refusing `name`, or null when the name is legal. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > limits.topicNameMaxLength) {
    return `Topic name is illegal, it can't be longer than ${limits.topicNameMaxLength} characters, Topic name: ${name}`;
  }
  if (!LEGAL_NAME.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem !== null) throw new KafkaError('INVALID_TOPIC_EXCEPTION', problem);
}

/** '.' and '_' map to the same metric name in Kafka, so two topics differing only there collide. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

/** Internal topics in Kafka: users may read them but the tools hide them unless asked. */
export function isInternalTopic(name: string): boolean {
  return name === '__consumer_offsets' || name === '__transaction_state';
}
