/**
 * Wire codecs of the admin APIs a real client sends to the listener, and of InitProducerId:
 * CreateTopics (API key 19, versions 0-4), DeleteTopics (20, 0-3), InitProducerId (22, 0-1),
 * DescribeConfigs (32, 0-2) and CreatePartitions (37, 0-1). None of these versions is flexible
 * (int16 strings, int32 arrays, no tagged fields); field order and per-version presence follow
 * apache/kafka clients/src/main/resources/common/message/*.json.
 *
 * Only codecs: each reader turns a request body (after the request header) into a plain object,
 * each writer turns plain results (Kafka error names, not codes) into a response body. What the
 * broker does with them (checks, creating topics, choosing the error) is the caller's.
 *
 * A truncated body throws `WireError` naming the field (from `WireReader`); so does a null (-1)
 * array where Kafka's schema has no null, as Kafka's own parser refuses it.
 */
import { type KafkaErrorName } from '../core/kafka-errors.js';
import type { ApiRange } from './api-versions.js';
import { errorCode } from './consumer-apis.js';
import { WireError, WireWriter, type WireReader } from './wire.js';

export const ADMIN_API_KEYS = { createTopics: 19, deleteTopics: 20, initProducerId: 22, describeConfigs: 32, createPartitions: 37 } as const;

/** What the listener adds to its ApiVersions list once these are wired (kafka-protocol-facts.md §3). */
export const ADMIN_API_VERSIONS: readonly ApiRange[] = [
  { apiKey: ADMIN_API_KEYS.createTopics, name: 'CreateTopics', minVersion: 0, maxVersion: 4, flexibleFrom: null },
  { apiKey: ADMIN_API_KEYS.deleteTopics, name: 'DeleteTopics', minVersion: 0, maxVersion: 3, flexibleFrom: null },
  { apiKey: ADMIN_API_KEYS.initProducerId, name: 'InitProducerId', minVersion: 0, maxVersion: 1, flexibleFrom: null },
  { apiKey: ADMIN_API_KEYS.describeConfigs, name: 'DescribeConfigs', minVersion: 0, maxVersion: 2, flexibleFrom: null },
  { apiKey: ADMIN_API_KEYS.createPartitions, name: 'CreatePartitions', minVersion: 0, maxVersion: 1, flexibleFrom: null },
];

/** An ARRAY Kafka's schema does not let be null: -1 is as malformed as a cut frame. */
function requiredArrayLength(reader: WireReader, field: string, minElementBytes: number): number {
  const count = reader.arrayLength(field, minElementBytes);
  if (count === null) throw new WireError(`${field}: null array where Kafka requires one`);
  return count;
}

function readInt32Array(reader: WireReader, field: string): number[] {
  const count = requiredArrayLength(reader, field, 4);
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(reader.int32(field));
  return values;
}

/** One topic result (CreateTopics, CreatePartitions): the message is sent only where the version has it. */
export interface WireTopicResult {
  readonly name: string;
  readonly error: KafkaErrorName;
  /** null (the default): no message; the client shows its own text for the error code. */
  readonly errorMessage?: string | null;
}

// ---- CreateTopics (19), v0-4 ----

export interface WireCreatableTopic {
  readonly name: string;
  /** -1: the broker's num.partitions, or the count of `assignments` when they are given. Kafka allows -1 without assignments only from v4 (KIP-464); any value is passed on. */
  readonly numPartitions: number;
  /** -1: the broker's default.replication.factor (same rule as numPartitions). */
  readonly replicationFactor: number;
  /** The manual assignment; empty for an automatic one. */
  readonly assignments: readonly { readonly partition: number; readonly brokerIds: readonly number[] }[];
  /** Configs sent with a value (a name sent twice: the last value, as Kafka keeps it). */
  readonly configs: Readonly<Record<string, string>>;
  /**
   * Config names sent with a null value, kept out of `configs`. Kafka does not ignore them: it
   * fails the topic with INVALID_CONFIG "Null value not supported for topic configs: <names>"
   * (ZkAdminManager.createTopics, ReplicationControlManager.createTopics).
   */
  readonly nullConfigs: readonly string[];
}

export interface WireCreateTopicsRequest {
  /** In request order; a name may repeat (Kafka answers every copy with INVALID_REQUEST). */
  readonly topics: readonly WireCreatableTopic[];
  readonly timeoutMs: number;
  /** v1+; false for v0. */
  readonly validateOnly: boolean;
}

export function readCreateTopicsRequest(reader: WireReader, version: number): WireCreateTopicsRequest {
  const topics: WireCreatableTopic[] = [];
  // name 2 + num_partitions 4 + replication_factor 2 + two array counts 8.
  const count = requiredArrayLength(reader, 'topics', 16);
  for (let t = 0; t < count; t++) topics.push(readCreatableTopic(reader));
  const timeoutMs = reader.int32('timeout_ms');
  const validateOnly = version >= 1 ? reader.boolean('validate_only') : false;
  return { topics, timeoutMs, validateOnly };
}

function readCreatableTopic(reader: WireReader): WireCreatableTopic {
  const name = reader.string('topics.name');
  const numPartitions = reader.int32('topics.num_partitions');
  const replicationFactor = reader.int16('topics.replication_factor');
  const assignments: { partition: number; brokerIds: number[] }[] = [];
  const assignmentCount = requiredArrayLength(reader, 'topics.assignments', 8);
  for (let a = 0; a < assignmentCount; a++) {
    const partition = reader.int32('assignments.partition_index');
    assignments.push({ partition, brokerIds: readInt32Array(reader, 'assignments.broker_ids') });
  }
  // A Map, then Object.fromEntries: a config named "__proto__" stays an own property.
  const configs = new Map<string, string>();
  const nullConfigs: string[] = [];
  const configCount = requiredArrayLength(reader, 'topics.configs', 4);
  for (let c = 0; c < configCount; c++) {
    const configName = reader.string('configs.name');
    const value = reader.nullableString('configs.value');
    if (value === null) nullConfigs.push(configName);
    else configs.set(configName, value);
  }
  return { name, numPartitions, replicationFactor, assignments, configs: Object.fromEntries(configs), nullConfigs };
}

export function writeCreateTopicsResponse(version: number, topics: readonly WireTopicResult[]): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 2) out.int32(0); // throttle_time_ms: no quotas
  out.int32(topics.length);
  for (const topic of topics) {
    out.nullableString(topic.name).int16(errorCode(topic.error));
    if (version >= 1) out.nullableString(topic.errorMessage ?? null);
  }
  return out.finish();
}

// ---- DeleteTopics (20), v0-3: one layout ----

export interface WireDeleteTopicsRequest {
  readonly topicNames: readonly string[];
  readonly timeoutMs: number;
}

export function readDeleteTopicsRequest(reader: WireReader): WireDeleteTopicsRequest {
  const topicNames: string[] = [];
  const count = requiredArrayLength(reader, 'topic_names', 2);
  for (let t = 0; t < count; t++) topicNames.push(reader.string('topic_names'));
  return { topicNames, timeoutMs: reader.int32('timeout_ms') };
}

/** v0-3 have no error message (it comes in v5). */
export function writeDeleteTopicsResponse(version: number, topics: readonly { readonly name: string; readonly error: KafkaErrorName }[]): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 1) out.int32(0); // throttle_time_ms
  out.int32(topics.length);
  for (const topic of topics) out.nullableString(topic.name).int16(errorCode(topic.error));
  return out.finish();
}

// ---- CreatePartitions (37), v0-1: one layout ----

export interface WireCreatePartitionsTopic {
  readonly name: string;
  /** The new total partition count. */
  readonly count: number;
  /** Broker ids of each new partition, in order; null: the broker places them. */
  readonly assignments: readonly (readonly number[])[] | null;
}

export interface WireCreatePartitionsRequest {
  readonly topics: readonly WireCreatePartitionsTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

export function readCreatePartitionsRequest(reader: WireReader): WireCreatePartitionsRequest {
  const topics: WireCreatePartitionsTopic[] = [];
  // name 2 + count 4 + assignments count 4.
  const count = requiredArrayLength(reader, 'topics', 10);
  for (let t = 0; t < count; t++) {
    const name = reader.string('topics.name');
    const partitionCount = reader.int32('topics.count');
    // Nullable in Kafka's schema; kafkajs sends -1 when it has no assignment.
    const assignmentCount = reader.arrayLength('topics.assignments', 4);
    let assignments: number[][] | null = null;
    if (assignmentCount !== null) {
      assignments = [];
      for (let a = 0; a < assignmentCount; a++) assignments.push(readInt32Array(reader, 'assignments.broker_ids'));
    }
    topics.push({ name, count: partitionCount, assignments });
  }
  const timeoutMs = reader.int32('timeout_ms');
  return { topics, timeoutMs, validateOnly: reader.boolean('validate_only') };
}

export function writeCreatePartitionsResponse(results: readonly WireTopicResult[]): Uint8Array {
  const out = new WireWriter(256);
  out.int32(0); // throttle_time_ms
  out.int32(results.length);
  for (const result of results) out.nullableString(result.name).int16(errorCode(result.error)).nullableString(result.errorMessage ?? null);
  return out.finish();
}

// ---- DescribeConfigs (32), v0-2 ----

/** ConfigResource.Type ids (apache/kafka ConfigResource.java). */
export const CONFIG_RESOURCE_TYPES = { topic: 2, broker: 4, brokerLogger: 8 } as const;
export type ConfigResourceKind = keyof typeof CONFIG_RESOURCE_TYPES;

export interface WireDescribeConfigsResource {
  /** As sent, even when it is none of 2/4/8, so the caller can answer INVALID_REQUEST with it echoed. */
  readonly resourceType: number;
  /** The type's name, or null for an id this broker does not know. */
  readonly kind: ConfigResourceKind | null;
  /** A topic name, a broker id in decimal, or "" for the cluster-wide broker defaults. */
  readonly resourceName: string;
  /** null: every config. Kafka treats an empty list as every config too. */
  readonly configurationKeys: readonly string[] | null;
}

export interface WireDescribeConfigsRequest {
  readonly resources: readonly WireDescribeConfigsResource[];
  /** v1+; false for v0. */
  readonly includeSynonyms: boolean;
}

export function readDescribeConfigsRequest(reader: WireReader, version: number): WireDescribeConfigsRequest {
  const resources: WireDescribeConfigsResource[] = [];
  // resource_type 1 + resource_name 2 + configuration_keys count 4.
  const count = requiredArrayLength(reader, 'resources', 7);
  for (let r = 0; r < count; r++) resources.push(readDescribeConfigsResource(reader));
  const includeSynonyms = version >= 1 ? reader.boolean('include_synonyms') : false;
  return { resources, includeSynonyms };
}

function readDescribeConfigsResource(reader: WireReader): WireDescribeConfigsResource {
  const resourceType = reader.int8('resources.resource_type');
  const resourceName = reader.string('resources.resource_name');
  const keyCount = reader.arrayLength('resources.configuration_keys', 2);
  let configurationKeys: string[] | null = null;
  if (keyCount !== null) {
    configurationKeys = [];
    for (let k = 0; k < keyCount; k++) configurationKeys.push(reader.string('configuration_keys'));
  }
  return { resourceType, kind: configResourceKind(resourceType), resourceName, configurationKeys };
}

export function configResourceKind(resourceType: number): ConfigResourceKind | null {
  const entry = Object.entries(CONFIG_RESOURCE_TYPES).find(([, id]) => id === resourceType);
  return entry === undefined ? null : (entry[0] as ConfigResourceKind);
}

/** DescribeConfigsResponse.ConfigSource ids, by the names the admin client's ConfigEntry.ConfigSource uses. */
export const CONFIG_SOURCE_CODES = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;
export type WireConfigSource = keyof typeof CONFIG_SOURCE_CODES;

/**
 * One config of a DescribeConfigs result. The engine's `ConfigEntry` (cluster/broker-configs.ts:
 * name, value, source) is one as it is; the other fields default to what Kafka sends for a
 * topic config: writable, not sensitive, no synonyms.
 */
export interface WireConfigEntry {
  readonly name: string;
  /** null: not shown (Kafka sends null for a sensitive value). */
  readonly value: string | null;
  readonly source: WireConfigSource;
  readonly readOnly?: boolean;
  readonly isSensitive?: boolean;
  /** v1+, sent as given: the caller leaves them out unless the request asked (include_synonyms). */
  readonly synonyms?: readonly { readonly name: string; readonly value: string | null; readonly source: WireConfigSource }[];
}

export interface WireDescribeConfigsResult {
  readonly error: KafkaErrorName;
  readonly errorMessage?: string | null;
  /** Echoes the request's raw id. */
  readonly resourceType: number;
  readonly resourceName: string;
  /** Empty when `error` is not NONE. */
  readonly configs: readonly WireConfigEntry[];
}

export function writeDescribeConfigsResponse(version: number, results: readonly WireDescribeConfigsResult[]): Uint8Array {
  const out = new WireWriter(1024);
  out.int32(0); // throttle_time_ms
  out.int32(results.length);
  for (const result of results) {
    out.int16(errorCode(result.error)).nullableString(result.errorMessage ?? null);
    out.int8(result.resourceType).nullableString(result.resourceName);
    out.int32(result.configs.length);
    for (const entry of result.configs) writeConfigEntry(out, version, entry);
  }
  return out.finish();
}

function writeConfigEntry(out: WireWriter, version: number, entry: WireConfigEntry): void {
  out.nullableString(entry.name).nullableString(entry.value).boolean(entry.readOnly ?? false);
  // v0 has no source, only is_default; the v0 client derives the source from it (DescribeConfigsResponse.java).
  if (version === 0) out.boolean(entry.source === 'DEFAULT_CONFIG');
  else out.int8(CONFIG_SOURCE_CODES[entry.source]);
  out.boolean(entry.isSensitive ?? false);
  if (version === 0) return;
  const synonyms = entry.synonyms ?? [];
  out.int32(synonyms.length);
  for (const synonym of synonyms) out.nullableString(synonym.name).nullableString(synonym.value).int8(CONFIG_SOURCE_CODES[synonym.source]);
}

// ---- InitProducerId (22), v0-1: one layout ----

export interface WireInitProducerIdRequest {
  /** null: an idempotent producer without transactions. */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

export function readInitProducerIdRequest(reader: WireReader): WireInitProducerIdRequest {
  const transactionalId = reader.nullableString('transactional_id');
  return { transactionalId, transactionTimeoutMs: reader.int32('transaction_timeout_ms') };
}

export interface WireInitProducerIdResult {
  readonly error: KafkaErrorName;
  /** Omitted (on an error): -1 and epoch -1, as Kafka's coordinator answers a failure (NO_PRODUCER_ID, NO_PRODUCER_EPOCH). */
  readonly producerId?: number;
  readonly producerEpoch?: number;
}

export function writeInitProducerIdResponse(result: WireInitProducerIdResult): Uint8Array {
  return new WireWriter(16)
    .int32(0) // throttle_time_ms
    .int16(errorCode(result.error))
    .int64(result.producerId ?? -1)
    .int16(result.producerEpoch ?? -1)
    .finish();
}
