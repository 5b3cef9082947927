/**
 * The topic-level configs that govern one partition log, with Kafka's defaults (LogConfig,
 * TopicConfig). Units are in the names. The cluster validates user input (engine/cluster/
 * topic-configs.ts); `logConfigFromTopicConfigs` turns validated overrides into this shape.
 */
import { assertFailed } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';

export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** segment.bytes: roll when the active segment would exceed this (default 1 GiB). */
  readonly segmentBytes: number;
  /** segment.ms: roll when the active segment's first batch is this old (default 7 days). */
  readonly segmentMs: number;
  /** segment.index.bytes: roll when the offset or time index would exceed this (default 10 MiB). */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes: bytes of log between offset index entries (default 4096). */
  readonly indexIntervalBytes: number;
  /** retention.ms: delete segments whose newest record is older than this; -1 = forever (default 7 days). */
  readonly retentionMs: number;
  /** retention.bytes: delete the oldest segments while the log exceeds this; -1 = no limit. */
  readonly retentionBytes: number;
  /** cleanup.policy contains delete. */
  readonly cleanupDelete: boolean;
  /** cleanup.policy contains compact. */
  readonly cleanupCompact: boolean;
  /** delete.retention.ms: how long a tombstone survives compaction (default 1 day). */
  readonly deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio: compact only when this share of the log is dirty (default 0.5). */
  readonly minCleanableDirtyRatio: number;
  /** min.compaction.lag.ms: records younger than this are never compacted (default 0). */
  readonly minCompactionLagMs: number;
  /** flush.messages: fsync after this many unflushed messages (default Long.MAX: leave it to the OS). */
  readonly flushMessages: number;
  /** flush.ms: fsync when the last flush is this old (default Long.MAX: leave it to the OS). */
  readonly flushMs: number;
  /** max.message.bytes: the largest batch accepted on append (default 1048588). */
  readonly maxMessageBytes: number;
  /** message.timestamp.type: keep the producer's timestamps, or stamp the broker's append time. */
  readonly messageTimestampType: MessageTimestampType;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 1_073_741_824,
  segmentMs: 7 * DAY_MS,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  cleanupDelete: true,
  cleanupCompact: false,
  deleteRetentionMs: DAY_MS,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  maxMessageBytes: limits.maxMessageBytes,
  messageTimestampType: 'CreateTime',
});

/** Kafka's smallest segment.bytes (LogConfig: atLeast(LegacyRecord.RECORD_OVERHEAD_V0)). */
const SEGMENT_BYTES_MIN = 14;

/** Builds a LogConfig from topic config overrides (names as Kafka spells them); unknown names are ignored. */
export function logConfigFromTopicConfigs(overrides: Readonly<Record<string, string>>, base: LogConfig = DEFAULT_LOG_CONFIG): LogConfig {
  const num = (name: string, fallback: number): number => {
    const raw = overrides[name];
    if (raw === undefined) return fallback;
    const value = Number(raw.trim());
    if (!Number.isFinite(value)) throw new KafkaError('INVALID_CONFIG', `Invalid value ${raw} for configuration ${name}: Not a number`);
    return Math.min(value, Number.MAX_SAFE_INTEGER);
  };
  const policy = overrides['cleanup.policy'];
  const policies = policy === undefined ? null : policy.split(',').map((p) => p.trim());
  const timestampType = overrides['message.timestamp.type']?.trim() ?? base.messageTimestampType;
  if (timestampType !== 'CreateTime' && timestampType !== 'LogAppendTime') {
    throw new KafkaError('INVALID_CONFIG', `Invalid value ${timestampType} for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime`);
  }
  return checkLogConfig({
    segmentBytes: num('segment.bytes', base.segmentBytes),
    segmentMs: num('segment.ms', base.segmentMs),
    segmentIndexBytes: num('segment.index.bytes', base.segmentIndexBytes),
    indexIntervalBytes: num('index.interval.bytes', base.indexIntervalBytes),
    retentionMs: num('retention.ms', base.retentionMs),
    retentionBytes: num('retention.bytes', base.retentionBytes),
    cleanupDelete: policies === null ? base.cleanupDelete : policies.includes('delete'),
    cleanupCompact: policies === null ? base.cleanupCompact : policies.includes('compact'),
    deleteRetentionMs: num('delete.retention.ms', base.deleteRetentionMs),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio', base.minCleanableDirtyRatio),
    minCompactionLagMs: num('min.compaction.lag.ms', base.minCompactionLagMs),
    flushMessages: num('flush.messages', base.flushMessages),
    flushMs: num('flush.ms', base.flushMs),
    maxMessageBytes: num('max.message.bytes', base.maxMessageBytes),
    messageTimestampType: timestampType,
  });
}

/** Asserts the ranges Kafka's ConfigDef enforces; a LogConfig reaching the log is always sane. */
export function checkLogConfig(config: LogConfig): LogConfig {
  if (!(Number.isInteger(config.segmentBytes) && config.segmentBytes >= SEGMENT_BYTES_MIN && config.segmentBytes <= 0x7fff_ffff)) assertFailed(`segment.bytes ${config.segmentBytes}`);
  if (!(config.segmentMs >= 1)) assertFailed(`segment.ms ${config.segmentMs}`);
  if (!(Number.isInteger(config.segmentIndexBytes) && config.segmentIndexBytes >= 12)) assertFailed(`segment.index.bytes ${config.segmentIndexBytes}`);
  if (!(Number.isInteger(config.indexIntervalBytes) && config.indexIntervalBytes >= 0)) assertFailed(`index.interval.bytes ${config.indexIntervalBytes}`);
  if (!(config.retentionMs >= -1)) assertFailed(`retention.ms ${config.retentionMs}`);
  if (!(config.deleteRetentionMs >= 0)) assertFailed(`delete.retention.ms ${config.deleteRetentionMs}`);
  if (!(config.minCleanableDirtyRatio >= 0 && config.minCleanableDirtyRatio <= 1)) assertFailed(`min.cleanable.dirty.ratio ${config.minCleanableDirtyRatio}`);
  if (!(config.flushMessages >= 1)) assertFailed(`flush.messages ${config.flushMessages}`);
  if (!(config.flushMs >= 0)) assertFailed(`flush.ms ${config.flushMs}`);
  if (!(config.maxMessageBytes >= 0)) assertFailed(`max.message.bytes ${config.maxMessageBytes}`);
  return config;
}
