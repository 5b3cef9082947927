/**
 * The consumer's configuration: Kafka's consumer configs (3.x names and defaults), in camelCase
 * with units in the names, validated with a closed zod schema, then resolved the way Java's
 * ConsumerConfig and KafkaConsumer resolve them:
 *
 * - group.id null (no group: only assign() works, commits and subscribe() are refused),
 *   group.instance.id null (dynamic membership), client.id "consumer-<group>-1";
 * - partition.assignment.strategy [range, cooperative-sticky] (Kafka 3.x default; Java class
 *   names such as org.apache.kafka.clients.consumer.RangeAssignor are accepted too);
 * - session.timeout.ms 45000, heartbeat.interval.ms 3000 (must be below the session timeout:
 *   Java's Heartbeat refuses "Heartbeat must be set lower than the session timeout"),
 *   max.poll.interval.ms 300000 (also sent as the JoinGroup rebalance timeout);
 * - max.poll.records 500, fetch.min.bytes 1, fetch.max.bytes 52428800, fetch.max.wait.ms 500,
 *   max.partition.fetch.bytes 1048576, check.crcs true;
 * - auto.offset.reset latest | earliest | none;
 * - enable.auto.commit true, auto.commit.interval.ms 5000 — without a group.id Java turns auto
 *   commit off, and refuses enable.auto.commit=true set explicitly
 *   (InvalidConfigurationException "enable.auto.commit cannot be set to true when default group
 *   id (null) is used.");
 * - request.timeout.ms 30000, retry.backoff.ms 100, default.api.timeout.ms 60000,
 *   metadata.max.age.ms 300000, metrics.sample.window.ms 30000, metrics.num.samples 2;
 * - isolation.level read_uncommitted (default) | read_committed. The engine has no transactions,
 *   so the last stable offset always equals the high watermark and both levels read the same
 *   records; read_committed is accepted so lab sheets written for Java run unchanged;
 * - key.deserializer / value.deserializer: "string", "bytes", "json" or Kafka's class names. The
 *   consumer's options may pass deserializer objects instead; one of the two is required, as
 *   Java requires the configs ("Missing required configuration ... which has no default value.").
 *
 * A bad value is a ConsumerError('ConfigException') with Kafka's message shape: "Invalid value X
 * for configuration Y: <why>".
 *
 * Invariants: a resolved config satisfies the cross-checks above; resolution is pure (no
 * process-wide counter), so a replay resolves the same values.
 */
import { z } from 'zod';
import { ConsumerError } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';
import { DESERIALIZER_CLASS_NAMES, type DeserializerName } from './deserializers.js';

const INT_MAX = consumerLimits.javaIntMax;
const int = (min: number, max: number) => z.number().int().min(min, `Value must be at least ${min}`).max(max, `Value must be no more than ${max}`);
const oneOf = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, { message: `String must be one of: ${values.join(', ')}` });

/** The assignor names Kafka knows, and the Java class names that mean them. */
export const ASSIGNOR_NAMES = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
export type AssignorName = (typeof ASSIGNOR_NAMES)[number];
const ASSIGNOR_CLASS_NAMES: Readonly<Record<string, AssignorName>> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.StickyAssignor': 'sticky',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
};

const assignorSchema = z.string().refine((name) => (ASSIGNOR_NAMES as readonly string[]).includes(name) || name in ASSIGNOR_CLASS_NAMES, {
  message: `Class must be one of: ${ASSIGNOR_NAMES.join(', ')} (or Kafka's assignor class names)`,
});
const deserializerSchema = z.string().refine((name) => name in DESERIALIZER_CLASS_NAMES, { message: 'Class must be one of: string, bytes, json (or Kafka\'s deserializer class names)' });
const idSchema = z.string().min(1, 'Value must not be empty').max(consumerLimits.idCharsMax, `Value must be at most ${consumerLimits.idCharsMax} characters`);

export const ConsumerConfigSchema = z
  .object({
    groupId: idSchema.nullable().optional(),
    groupInstanceId: idSchema.nullable().optional(),
    clientId: idSchema.optional(),
    partitionAssignmentStrategy: z.array(assignorSchema).max(ASSIGNOR_NAMES.length * 2).optional(),
    sessionTimeoutMs: int(1, INT_MAX).optional(),
    heartbeatIntervalMs: int(1, INT_MAX).optional(),
    maxPollIntervalMs: int(1, INT_MAX).optional(),
    maxPollRecords: int(1, consumerLimits.maxPollRecordsMax).optional(),
    fetchMinBytes: int(0, INT_MAX).optional(),
    fetchMaxBytes: int(0, INT_MAX).optional(),
    fetchMaxWaitMs: int(0, INT_MAX).optional(),
    maxPartitionFetchBytes: int(0, INT_MAX).optional(),
    checkCrcs: z.boolean().optional(),
    autoOffsetReset: oneOf(['latest', 'earliest', 'none']).optional(),
    enableAutoCommit: z.boolean().optional(),
    autoCommitIntervalMs: int(0, INT_MAX).optional(),
    requestTimeoutMs: int(0, INT_MAX).optional(),
    retryBackoffMs: int(0, INT_MAX).optional(),
    defaultApiTimeoutMs: int(0, INT_MAX).optional(),
    metadataMaxAgeMs: int(0, INT_MAX).optional(),
    isolationLevel: oneOf(['read_uncommitted', 'read_committed']).optional(),
    keyDeserializer: deserializerSchema.optional(),
    valueDeserializer: deserializerSchema.optional(),
    metricsSampleWindowMs: int(1, INT_MAX).optional(),
    metricsNumSamples: int(1, consumerLimits.metricsNumSamplesMax).optional(),
  })
  .strict();

export type ConsumerConfigInput = z.input<typeof ConsumerConfigSchema>;

/** Kafka's name of each setting, for messages and for the UI. */
export const CONSUMER_CONFIG_NAMES: Record<keyof ConsumerConfigInput, string> = {
  groupId: 'group.id',
  groupInstanceId: 'group.instance.id',
  clientId: 'client.id',
  partitionAssignmentStrategy: 'partition.assignment.strategy',
  sessionTimeoutMs: 'session.timeout.ms',
  heartbeatIntervalMs: 'heartbeat.interval.ms',
  maxPollIntervalMs: 'max.poll.interval.ms',
  maxPollRecords: 'max.poll.records',
  fetchMinBytes: 'fetch.min.bytes',
  fetchMaxBytes: 'fetch.max.bytes',
  fetchMaxWaitMs: 'fetch.max.wait.ms',
  maxPartitionFetchBytes: 'max.partition.fetch.bytes',
  checkCrcs: 'check.crcs',
  autoOffsetReset: 'auto.offset.reset',
  enableAutoCommit: 'enable.auto.commit',
  autoCommitIntervalMs: 'auto.commit.interval.ms',
  requestTimeoutMs: 'request.timeout.ms',
  retryBackoffMs: 'retry.backoff.ms',
  defaultApiTimeoutMs: 'default.api.timeout.ms',
  metadataMaxAgeMs: 'metadata.max.age.ms',
  isolationLevel: 'isolation.level',
  keyDeserializer: 'key.deserializer',
  valueDeserializer: 'value.deserializer',
  metricsSampleWindowMs: 'metrics.sample.window.ms',
  metricsNumSamples: 'metrics.num.samples',
};

export type OffsetResetStrategy = 'latest' | 'earliest' | 'none';

export interface ConsumerConfig {
  readonly groupId: string | null;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  /** Assignor names in preference order (the first is this member's vote). */
  readonly partitionAssignmentStrategy: readonly AssignorName[];
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly maxPollRecords: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly maxPartitionFetchBytes: number;
  readonly checkCrcs: boolean;
  readonly autoOffsetReset: OffsetResetStrategy;
  /** After Kafka's resolution: false without a group.id. */
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly defaultApiTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  /** Accepted as configured; both read up to the high watermark here (no transactions). */
  readonly isolationLevel: 'read_uncommitted' | 'read_committed';
  readonly keyDeserializer: DeserializerName | null;
  readonly valueDeserializer: DeserializerName | null;
  readonly metricsSampleWindowMs: number;
  readonly metricsNumSamples: number;
}

/**
 * client.id when none is given. Java numbers consumers from a process-wide counter
 * ("consumer-<group>-1", "-2" ...); a process-wide counter would make a replay depend on what ran
 * before it in the worker, so the host numbers its consumers and passes clientId, and the fallback
 * is fixed.
 */
export function defaultClientId(groupId: string | null): string {
  return groupId === null ? 'consumer-1' : `consumer-${groupId}-1`;
}

/** Validates and resolves a configuration; throws ConsumerError('ConfigException') with Kafka's message. */
export function resolveConsumerConfig(input: unknown): ConsumerConfig {
  const parsed = ConsumerConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw configErrorFrom(parsed.error.issues[0]!, input);
  const c = parsed.data;
  const groupId = c.groupId ?? null;
  if (groupId === null && c.enableAutoCommit === true) {
    throw ConsumerError.client('InvalidConfigurationException', 'enable.auto.commit cannot be set to true when default group id (null) is used.');
  }
  const sessionTimeoutMs = c.sessionTimeoutMs ?? 45_000;
  const heartbeatIntervalMs = c.heartbeatIntervalMs ?? 3_000;
  if (groupId !== null && heartbeatIntervalMs >= sessionTimeoutMs) {
    // Heartbeat's constructor (AbstractCoordinator) refuses it.
    throw ConsumerError.client('IllegalArgumentException', 'Heartbeat must be set lower than the session timeout');
  }
  const strategy = (c.partitionAssignmentStrategy ?? ['range', 'cooperative-sticky']).map((name) => ASSIGNOR_CLASS_NAMES[name] ?? (name as AssignorName));
  return {
    groupId,
    groupInstanceId: c.groupInstanceId ?? null,
    clientId: c.clientId ?? defaultClientId(groupId),
    partitionAssignmentStrategy: [...new Set(strategy)],
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxPollIntervalMs: c.maxPollIntervalMs ?? 300_000,
    maxPollRecords: c.maxPollRecords ?? 500,
    fetchMinBytes: c.fetchMinBytes ?? 1,
    fetchMaxBytes: c.fetchMaxBytes ?? 52_428_800,
    fetchMaxWaitMs: c.fetchMaxWaitMs ?? 500,
    maxPartitionFetchBytes: c.maxPartitionFetchBytes ?? 1_048_576,
    checkCrcs: c.checkCrcs ?? true,
    autoOffsetReset: c.autoOffsetReset ?? 'latest',
    enableAutoCommit: groupId === null ? false : (c.enableAutoCommit ?? true),
    autoCommitIntervalMs: c.autoCommitIntervalMs ?? 5_000,
    requestTimeoutMs: c.requestTimeoutMs ?? 30_000,
    retryBackoffMs: c.retryBackoffMs ?? 100,
    defaultApiTimeoutMs: c.defaultApiTimeoutMs ?? 60_000,
    metadataMaxAgeMs: c.metadataMaxAgeMs ?? 300_000,
    isolationLevel: c.isolationLevel ?? 'read_uncommitted',
    keyDeserializer: c.keyDeserializer === undefined ? null : DESERIALIZER_CLASS_NAMES[c.keyDeserializer]!,
    valueDeserializer: c.valueDeserializer === undefined ? null : DESERIALIZER_CLASS_NAMES[c.valueDeserializer]!,
    metricsSampleWindowMs: c.metricsSampleWindowMs ?? 30_000,
    metricsNumSamples: c.metricsNumSamples ?? 2,
  };
}

function configErrorFrom(issue: z.core.$ZodIssue, input: unknown): ConsumerError {
  const field = String(issue.path[0] ?? '');
  const kafkaName = CONSUMER_CONFIG_NAMES[field as keyof ConsumerConfigInput] ?? field;
  const value = field === '' || typeof input !== 'object' || input === null ? input : (input as Record<string, unknown>)[field];
  const message =
    issue.code === 'unrecognized_keys'
      ? `Unknown consumer configuration ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : `Invalid value ${formatValue(value)} for configuration ${kafkaName}: ${issue.message}`;
  return ConsumerError.client('ConfigException', message);
}

/** Java prints the raw value (no quotes around strings), lists as [a, b]. */
function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}
