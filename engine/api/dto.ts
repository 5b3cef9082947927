/**
 * Data shapes that cross the contract, with their runtime schemas. Field names follow Kafka's
 * (leader, replicas, isr, highWatermark, logEndOffset) so the UI and the CLI use Kafka's words.
 * Offsets and timestamps are JavaScript numbers: exact up to 2^53, far beyond any lab.
 */
import { z } from 'zod';

/** Kafka's int32, the type of partition ids, counts and replication factors on the wire. */
export const Int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
/** A non-negative offset or timestamp (int64 in Kafka, exact here up to 2^53). */
export const Offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const TimestampMs = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);
export const BrokerId = z.number().int().min(0).max(2_147_483_647);
/** Topic names are checked against Kafka's rules by the engine, which answers with Kafka's message. */
export const TopicName = z.string().max(1024);

/** paused: SIGSTOP or a long GC pause (a fault): the process exists but runs nothing and answers nothing. */
export const BrokerState = z.enum(['running', 'paused', 'stopped']);

export const BrokerStatusSchema = z
  .object({
    id: BrokerId,
    host: z.string(),
    port: z.number().int().min(0).max(65_535),
    rack: z.string().nullable(),
    state: BrokerState,
    /** Fenced by the controller: its heartbeats stopped (or it is shutting down), so it leads nothing. */
    fenced: z.boolean(),
    isController: z.boolean(),
    leaderCount: z.number().int().min(0),
    replicaCount: z.number().int().min(0),
    /** Bytes of its partition logs' segments; while it is down, what they were when it went down; null before its first start. */
    diskUsedBytes: z.number().int().min(0).nullable(),
  })
  .strict();

export const PartitionStatusSchema = z
  .object({
    partition: z.number().int().min(0),
    /** The leader's broker id, or null when the partition has no leader (Kafka prints "none"). */
    leader: BrokerId.nullable(),
    leaderEpoch: z.number().int().min(0),
    replicas: z.array(BrokerId),
    isr: z.array(BrokerId),
    logStartOffset: Offset,
    logEndOffset: Offset,
    highWatermark: Offset,
    /** Each replica's own log end offset and high watermark; null while its broker is down. */
    replicaOffsets: z.array(z.object({ brokerId: BrokerId, logEndOffset: Offset.nullable(), highWatermark: Offset.nullable() }).strict()),
  })
  .strict();

export const TopicConfigs = z.record(z.string().max(256), z.string().max(4096));

export const TopicStatusSchema = z
  .object({
    name: z.string(),
    /** Kafka's topic id: 16 random bytes, printed in URL-safe base64 without padding. */
    topicId: z.string(),
    internal: z.boolean(),
    replicationFactor: z.number().int().min(0),
    configs: TopicConfigs,
    partitions: z.array(PartitionStatusSchema),
  })
  .strict();

export const ClockStateSchema = z
  .object({
    /** False while paused: engine time stands still until resumed or stepped. */
    running: z.boolean(),
    /** Engine seconds per real second (0.25 to 10). */
    speed: z.number().min(0).max(100),
    /** Engine time now, in ms since the epoch (record timestamps use it). */
    nowMs: TimestampMs,
  })
  .strict();

export const ClusterStatusSchema = z
  .object({
    clusterId: z.string(),
    /** The active controller's node id, or null while no controller is elected. */
    controllerId: z.number().int().nullable(),
    /** The metadata quorum: its voters and how many make a majority. */
    quorum: z
      .object({
        voters: z.array(BrokerId),
        majority: z.number().int().min(1),
        /** The quorum leader's epoch: one more each time a voter became the active controller. */
        leaderEpoch: z.number().int().min(0),
        /** The metadata log's end offset at the active controller (one record per metadata change). */
        metadataOffset: Offset,
        /** How far each broker's metadata has come (null while it is down). */
        replicas: z.array(z.object({ brokerId: BrokerId, metadataOffset: Offset.nullable() }).strict()),
      })
      .strict(),
    brokers: z.array(BrokerStatusSchema),
    topics: z.array(TopicStatusSchema),
    /** Engine time of this snapshot. */
    nowMs: TimestampMs,
    clock: ClockStateSchema,
  })
  .strict();

export const HeaderSchema = z
  .object({
    key: z.string().max(32_767),
    value: z.string().max(1_048_588).nullable(),
  })
  .strict();

export const RecordSchema = z
  .object({
    offset: Offset,
    timestampMs: TimestampMs,
    key: z.string().nullable(),
    value: z.string().nullable(),
    headers: z.array(HeaderSchema),
  })
  .strict();

export const PartitionRecoverySchema = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    segmentsScanned: z.number().int().min(0),
    bytesScanned: z.number().int().min(0),
    bytesTruncated: z.number().int().min(0),
    /** The log end offset after recovery cut the log, or null when nothing was cut. */
    truncatedAtOffset: Offset.nullable(),
    /** Offsets lost to the cut (a lower bound: counted from the batch headers that still parse). */
    offsetsTruncated: z.number().int().min(0),
    segmentsDeleted: z.number().int().min(0),
    indexesRebuilt: z.number().int().min(0),
    /** Why recovery cut the log (the first invalid batch's problem), or null. */
    reason: z.string().nullable(),
    logEndOffset: Offset,
  })
  .strict();

export const StorageRecoverySchema = z
  .object({
    brokers: z.array(
      z
        .object({
          brokerId: BrokerId,
          logDir: z.string(),
          /** False after a crash: the broker re-scanned its logs from the recovery points. */
          hadCleanShutdown: z.boolean(),
          warnings: z.array(z.string()),
          partitions: z.array(PartitionRecoverySchema),
        })
        .strict(),
    ),
  })
  .strict();

export type BrokerStatus = z.infer<typeof BrokerStatusSchema>;
export type PartitionStatus = z.infer<typeof PartitionStatusSchema>;
export type TopicStatus = z.infer<typeof TopicStatusSchema>;
export type ClusterStatus = z.infer<typeof ClusterStatusSchema>;
export type RecordHeader = z.infer<typeof HeaderSchema>;
export type ConsumerRecordDto = z.infer<typeof RecordSchema>;
export type StorageRecovery = z.infer<typeof StorageRecoverySchema>;
export type ClockState = z.infer<typeof ClockStateSchema>;
