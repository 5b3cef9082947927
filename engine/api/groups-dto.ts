/**
 * Consumer groups as they cross the contract: what `kafka-consumer-groups --describe` shows
 * (members, their partitions, per-partition current offset, log end offset and lag), plus the
 * group's rebalance history with the stop-the-world window of each partition, and the in-app
 * consumers a learner starts and stops. Field names follow Kafka's.
 */
import { z } from 'zod';
import { limits } from '../core/limits.js';
import { Offset, TimestampMs, TopicName } from './dto.js';

/** Kafka's group id: any string up to the length Kafka's tools accept comfortably. */
export const GroupId = z.string().min(1).max(255);
export const ClientId = z.string().min(1).max(255);

export const GroupStateSchema = z.enum(['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead']);

export const AssignorName = z.enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky']);

const TopicPartitionSchema = z.object({ topic: z.string(), partition: z.number().int().min(0) }).strict();

export const GroupMemberSchema = z
  .object({
    memberId: z.string(),
    groupInstanceId: z.string().nullable(),
    clientId: z.string(),
    /** As Kafka prints it: "/127.0.0.1". */
    host: z.string(),
    assignment: z.array(TopicPartitionSchema),
  })
  .strict();

/** One row of `kafka-consumer-groups --describe`. */
export const GroupPartitionSchema = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    /** The committed offset, or null when the group has none ("-" in Kafka's tool). */
    currentOffset: Offset.nullable(),
    logEndOffset: Offset,
    /** logEndOffset − currentOffset, or null without a committed offset. */
    lag: z.number().int().min(0).nullable(),
    /** Lag by the owning member's position (what it fetched), which moves before commits do. */
    positionLag: z.number().int().min(0).nullable(),
    memberId: z.string().nullable(),
    clientId: z.string().nullable(),
    host: z.string().nullable(),
  })
  .strict();

export const RebalanceCauseSchema = z.enum(['join', 'leave', 'session-timeout', 'poll-timeout', 'rebalance-timeout', 'partitions-added', 'metadata', 'assignor']);

export const RebalanceSchema = z
  .object({
    /** The generation this rebalance produced (null while it is still running). */
    generation: z.number().int().min(0).nullable(),
    cause: RebalanceCauseSchema,
    /** The reason text the coordinator logged ("Adding new member inventory-2-… with group instance id None"). */
    reason: z.string(),
    startedAtMs: TimestampMs,
    completedAtMs: TimestampMs.nullable(),
    protocol: z.string().nullable(),
    membersBefore: z.array(z.string()),
    membersAfter: z.array(z.string()),
    /** Per member (client id), the partitions it gained and lost. */
    assignmentDiff: z.array(z.object({ memberId: z.string(), clientId: z.string(), added: z.array(TopicPartitionSchema), removed: z.array(TopicPartitionSchema) }).strict()),
    /**
     * Per partition, how long no member of the group fetched it because of this rebalance: from
     * its revocation (or its owner's death) until its new owner fetched again; null while open.
     */
    stopTheWorld: z.array(z.object({ topic: z.string(), partition: z.number().int().min(0), pausedMs: z.number().int().min(0).nullable() }).strict()),
  })
  .strict();

export const GroupDetailSchema = z
  .object({
    groupId: z.string(),
    state: GroupStateSchema,
    protocolType: z.string(),
    /** The assignor the group's protocol vote chose, or null when no generation exists yet. */
    assignor: z.string().nullable(),
    generation: z.number().int().min(-1),
    /** The coordinator's broker id (the leader of the group's __consumer_offsets partition), or null. */
    coordinator: z.number().int().nullable(),
    members: z.array(GroupMemberSchema),
    partitions: z.array(GroupPartitionSchema),
    rebalances: z.array(RebalanceSchema),
  })
  .strict();

export const GroupsSnapshotSchema = z.object({ nowMs: TimestampMs, groups: z.array(GroupDetailSchema) }).strict();

export const StartConsumerRequest = z
  .object({
    groupId: GroupId,
    /** Default: `<groupId>-<n>`, the next free number. */
    clientId: ClientId.optional(),
    topics: z.array(TopicName).min(1).max(limits.topicsMax),
    assignor: AssignorName.optional(),
    /** group.instance.id for static membership (KIP-345). */
    groupInstanceId: z.string().min(1).max(255).optional(),
    autoOffsetReset: z.enum(['latest', 'earliest', 'none']).default('latest'),
    enableAutoCommit: z.boolean().default(true),
    /**
     * How the application commits (wins over enableAutoCommit when given): auto (enable.auto.commit),
     * commitSync after processing each batch, or commitSync as soon as a batch is polled, before
     * processing it — the three the workshop compares.
     */
    commitMode: z.enum(['auto', 'sync-after-processing', 'before-processing']).optional(),
    autoCommitIntervalMs: z.number().int().min(0).max(86_400_000).optional(),
    maxPollRecords: z.number().int().min(1).max(100_000).optional(),
    sessionTimeoutMs: z.number().int().min(1).max(1_800_000).optional(),
    heartbeatIntervalMs: z.number().int().min(1).max(1_800_000).optional(),
    maxPollIntervalMs: z.number().int().min(1).max(2_147_483_647).optional(),
    /** Simulated processing time per record, in engine ms: what makes a consumer slow. */
    processingMsPerRecord: z.number().int().min(0).max(3_600_000).default(0),
  })
  .strict();

export const ConsumerRef = z.object({ clientId: ClientId }).strict();
export const StopConsumerRequest = z.object({ clientId: ClientId, mode: z.enum(['close', 'crash']).default('close') }).strict();
export const GroupRef = z.object({ groupId: GroupId }).strict();

export const ConsumerStatusSchema = z
  .object({
    clientId: z.string(),
    groupId: z.string(),
    /** Java's MemberState names. */
    state: z.enum(['UNJOINED', 'PREPARING_REBALANCE', 'COMPLETING_REBALANCE', 'STABLE', 'CLOSED', 'CRASHED']),
    memberId: z.string(),
    generation: z.number().int().min(-1),
    assignment: z.array(TopicPartitionSchema),
    recordsConsumed: z.number().int().min(0),
    lastPollAtMs: TimestampMs.nullable(),
  })
  .strict();

export const ConsumerList = z.object({ consumers: z.array(ConsumerStatusSchema) }).strict();
export const ConsumerLogSchema = z.object({ clientId: z.string(), lines: z.array(z.string()) }).strict();
export const GroupList = z.object({ groups: z.array(z.object({ groupId: z.string(), state: GroupStateSchema, protocolType: z.string() }).strict()) }).strict();

export type GroupDetail = z.infer<typeof GroupDetailSchema>;
export type GroupMember = z.infer<typeof GroupMemberSchema>;
export type GroupPartition = z.infer<typeof GroupPartitionSchema>;
export type Rebalance = z.infer<typeof RebalanceSchema>;
export type GroupsSnapshot = z.infer<typeof GroupsSnapshotSchema>;
export type ConsumerStatus = z.infer<typeof ConsumerStatusSchema>;
