/**
 * The create-topic form's checks, the same rules Kafka applies (org.apache.kafka.common.internals
 * .Topic and the controller's CreateTopics checks), so a learner sees the problem in their own
 * language before the request is sent. The engine checks again and has the last word: whatever it
 * still refuses (a duplicate name, a '.'/'_' collision, a bad config value) comes back as Kafka's
 * error and is shown as it is.
 */
import type { CommandRequest } from '../../../engine/api/contract';
import { uiMessage, type UiMessage } from './messages';
import { configValueProblem } from './topic-configs';

/** Kafka's limit: 249, so that "<topic>-<partition>" fits a 255-byte file name. */
export const TOPIC_NAME_MAX_LENGTH = 249;
const LEGAL_CHAR = /[a-zA-Z0-9._-]/;

export interface ConfigRow {
  key: string;
  value: string;
}

/** What the dialog holds. Numbers arrive as typed, so they may be strings or numbers. */
export interface CreateTopicForm {
  name: string;
  partitions: string | number;
  replicationFactor: string | number;
  configs: ConfigRow[];
}

export interface CreateTopicProblems {
  name?: UiMessage;
  partitions?: UiMessage;
  replicationFactor?: UiMessage;
  /** What Kafka's controller would answer to a replication factor above the brokers it has. */
  replicationFactorKafka?: KafkaRefusal;
  /** One entry per config row, undefined where the row is fine. */
  configs: (UiMessage | undefined)[];
}

/** An error as Kafka states it (its name and English message), shown beside the explanation. */
export interface KafkaRefusal {
  readonly errorName: string;
  readonly message: string;
}

/** The controller's words when a replication factor exceeds the registered brokers (ReplicationControlManager). */
export function invalidReplicationFactor(replicationFactor: number, brokers: number): KafkaRefusal {
  return {
    errorName: 'INVALID_REPLICATION_FACTOR',
    message: `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokers} broker(s) are registered.`,
  };
}

export type CreateTopicValidation =
  | { readonly ok: true; readonly request: CommandRequest<'createTopic'> }
  | { readonly ok: false; readonly problems: CreateTopicProblems };

export function topicNameProblem(name: string): UiMessage | undefined {
  if (name.length === 0) return uiMessage('createTopic.errors.nameEmpty');
  if (name === '.' || name === '..') return uiMessage('createTopic.errors.nameDots');
  if (name.length > TOPIC_NAME_MAX_LENGTH) {
    return uiMessage('createTopic.errors.nameTooLong', { max: TOPIC_NAME_MAX_LENGTH, length: name.length });
  }
  const illegal = [...new Set([...name].filter((ch) => !LEGAL_CHAR.test(ch)))];
  // Whitespace would be invisible in a list of characters, so it gets its own words.
  const hasSpace = illegal.some((ch) => /\s/.test(ch));
  const visible = illegal.filter((ch) => !/\s/.test(ch)).join(' ');
  if (hasSpace && visible === '') return uiMessage('createTopic.errors.nameSpaces');
  if (hasSpace) return uiMessage('createTopic.errors.nameCharsAndSpaces', { chars: visible });
  if (illegal.length > 0) return uiMessage('createTopic.errors.nameChars', { chars: visible });
  return undefined;
}

/** A whole number typed into a field, or null when the text is not one. */
export function parseWholeNumber(value: string | number): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  const text = value.trim();
  if (!/^[+-]?\d{1,10}$/.test(text)) return null;
  return Number(text);
}

export function validateCreateTopic(form: CreateTopicForm, runningBrokers: number): CreateTopicValidation {
  const problems: CreateTopicProblems = { configs: [] };
  const name = form.name;
  problems.name = topicNameProblem(name);

  const partitions = parseWholeNumber(form.partitions);
  if (partitions === null || partitions < 1) problems.partitions = uiMessage('createTopic.errors.partitionsInvalid');

  const replicationFactor = parseWholeNumber(form.replicationFactor);
  if (replicationFactor === null || replicationFactor < 1) {
    problems.replicationFactor = uiMessage('createTopic.errors.replicationFactorInvalid');
  } else if (replicationFactor > runningBrokers) {
    problems.replicationFactor = uiMessage('createTopic.errors.replicationFactorTooHigh', { rf: replicationFactor, running: runningBrokers });
    problems.replicationFactorKafka = invalidReplicationFactor(replicationFactor, runningBrokers);
  }

  const configs: Record<string, string> = {};
  const seen = new Set<string>();
  for (const row of form.configs) {
    const key = row.key.trim();
    let problem: UiMessage | undefined;
    // A row left completely empty is an unused row, not a mistake.
    if (key === '' && row.value.trim() === '') problem = undefined;
    else if (key === '') problem = uiMessage('createTopic.errors.configKeyEmpty');
    else if (seen.has(key)) problem = uiMessage('createTopic.errors.configKeyDuplicate', { name: key });
    else problem = configValueProblem(key, row.value);
    if (problem === undefined && key !== '') configs[key] = row.value.trim();
    if (key !== '') seen.add(key);
    problems.configs.push(problem);
  }

  const hasProblem =
    problems.name !== undefined ||
    problems.partitions !== undefined ||
    problems.replicationFactor !== undefined ||
    problems.configs.some((p) => p !== undefined);
  if (hasProblem || partitions === null || replicationFactor === null) return { ok: false, problems };
  return { ok: true, request: { name, partitions, replicationFactor, configs } };
}

/** Kafka's usual default is 3 replicas; a smaller cluster cannot hold more copies than it has brokers. */
export function defaultReplicationFactor(runningBrokers: number): number {
  return Math.max(1, Math.min(3, runningBrokers));
}

/** '.' and '_' map to the same metric name in Kafka, so two topics differing only there collide. */
function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

/**
 * kafka-topics' warning for a name with '.' or '_' (they collide in metric names), naming the
 * existing topic it collides with, which the controller refuses (INVALID_TOPIC_EXCEPTION).
 */
export function topicNameWarning(name: string, existingTopics: readonly string[]): UiMessage | undefined {
  if (!name.includes('.') && !name.includes('_')) return undefined;
  const unified = unifyCollisionChars(name);
  const collides = existingTopics.find((existing) => existing !== name && unifyCollisionChars(existing) === unified);
  if (collides !== undefined) return uiMessage('browser.alter.collides', { existing: collides });
  return uiMessage('browser.alter.periodUnderscore');
}

export type AlterPartitionsValidation =
  | { readonly ok: true; readonly request: CommandRequest<'createPartitions'> }
  | { readonly ok: false; readonly problem: UiMessage; readonly kafka?: KafkaRefusal };

/** The partition limit the engine keeps per topic (limits.partitionsPerTopicMax). */
export const PARTITIONS_PER_TOPIC_MAX = 1000;

/**
 * "kafka-topics --alter --partitions N": only more partitions, never fewer (a partition's records
 * cannot be moved into another one), with the controller's messages when it refuses.
 */
export function validateAlterPartitions(topic: string, current: number, typed: string | number): AlterPartitionsValidation {
  const total = parseWholeNumber(typed);
  if (total === null || total < 1) return { ok: false, problem: uiMessage('browser.alter.errors.notWhole') };
  if (total < current) {
    return {
      ok: false,
      problem: uiMessage('browser.alter.errors.fewer', { current, requested: total }),
      kafka: { errorName: 'INVALID_PARTITIONS', message: `Topic currently has ${current} partitions, which is higher than the requested ${total}.` },
    };
  }
  if (total === current) {
    return { ok: false, problem: uiMessage('browser.alter.errors.same', { current }), kafka: { errorName: 'INVALID_PARTITIONS', message: `Topic already has ${current} partitions.` } };
  }
  if (total > PARTITIONS_PER_TOPIC_MAX) return { ok: false, problem: uiMessage('browser.alter.errors.tooMany', { max: PARTITIONS_PER_TOPIC_MAX }) };
  return { ok: true, request: { name: topic, totalCount: total } };
}
