/**
 * What the group coordinator needs from the broker that hosts it, and what it tells the world:
 *
 * - time (Clock + Timers) and randomness (Prng, for member ids) from engine/core;
 * - its configuration, by Kafka's broker config names with Kafka's defaults
 *   (GroupCoordinatorConfig.java), resolved and range-checked by `resolveGroupCoordinatorConfig`;
 * - an `OffsetsLogPort` over the __consumer_offsets partitions this broker leads: an acks=all append
 *   that calls back once the high watermark passes the batch (or with the error), and a read of a
 *   partition's whole log for loading;
 * - an `onEvent` listener for the rebalance timeline (GroupCoordinatorEvent).
 *
 * A broker implements the log port in a few lines: `append` = encode the records as one batch
 * (engine/storage/record-batch.ts, CreateTime = now), append as leader with acks=-1 and
 * internal-topic rights, and call `onDone` from its acks=all purgatory (NONE when the HW passes
 * the batch; NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT after
 * offsets.commit.timeout.ms ... otherwise). `read` = decode every batch from the log start to the
 * log end offset and yield each record's key and value (skip control batches).
 */
import type { Clock } from '../core/clock.js';
import { KafkaError, type KafkaErrorName } from '../core/kafka-errors.js';
import type { Prng } from '../core/prng.js';
import type { Timers } from '../core/timers.js';
import type { GroupState } from './group-messages.js';
import type { OffsetsLogRecord } from './offsets-records.js';

export type { OffsetsLogRecord } from './offsets-records.js';

/** The log of the __consumer_offsets partitions the hosting broker leads. */
export interface OffsetsLogPort {
  /**
   * Appends `records` to __consumer_offsets-`partition` as one batch with acks=all semantics and
   * calls `onDone` exactly once: 'NONE' when the high watermark has passed the batch, or the error
   * (NOT_LEADER_OR_FOLLOWER when this broker no longer leads it, NOT_ENOUGH_REPLICAS[_AFTER_APPEND],
   * REQUEST_TIMED_OUT after offsets.commit.timeout.ms, KAFKA_STORAGE_ERROR, MESSAGE_TOO_LARGE...).
   * `onDone` may be called synchronously (an immediate refusal) or later.
   */
  append(partition: number, records: readonly OffsetsLogRecord[], onDone: (error: KafkaErrorName) => void): void;
  /**
   * Every record of __consumer_offsets-`partition`, from the log start offset to the log end
   * offset, in offset order (Kafka loads up to the log end, not the high watermark).
   */
  read(partition: number): Iterable<OffsetsLogRecord>;
}

/** Who sent a request: what Kafka's RequestContext gives the coordinator besides the request body. */
export interface RequestContext {
  readonly clientId: string;
  /** As Kafka prints it: "/127.0.0.1". */
  readonly clientHost: string;
  /**
   * The JoinGroup version the client used. From v4 on (every current client) a member joining with
   * an empty member id gets MEMBER_ID_REQUIRED first (KIP-394). Defaults to the latest.
   */
  readonly joinGroupVersion?: number;
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

export interface GroupCoordinatorConfig {
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members before its first rebalance. */
  readonly groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  readonly groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  readonly groupMaxSessionTimeoutMs: number;
  /** group.max.size (Kafka: Int.MaxValue, i.e. unbounded; the engine also applies groupLimits.membersPerGroupMax). */
  readonly groupMaxSize: number;
  /** offsets.retention.minutes, in ms. */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes (compared with the metadata string's length, as Kafka does) */
  readonly offsetMetadataMaxBytes: number;
  /** offsets.topic.num.partitions */
  readonly offsetsTopicNumPartitions: number;
  /** offsets.commit.timeout.ms: how long the broker's acks=all append may wait before REQUEST_TIMED_OUT. */
  readonly offsetsCommitTimeoutMs: number;
}

const JAVA_INT_MAX = 2_147_483_647;

interface ConfigDef {
  readonly key: keyof GroupCoordinatorConfig;
  readonly defaultValue: number;
  readonly min: number;
  /** Kafka's type bound: INT configs are Java ints; LONG ones are kept to safe integers. */
  readonly max: number;
  /** offsets.retention.minutes is configured in minutes and used in ms. */
  readonly scale?: number;
}

/** Kafka's names, defaults and validators (GroupCoordinatorConfig.java, 3.x/4.x). */
export const GROUP_COORDINATOR_CONFIGS = {
  'group.initial.rebalance.delay.ms': { key: 'groupInitialRebalanceDelayMs', defaultValue: 3000, min: 0, max: JAVA_INT_MAX },
  'group.min.session.timeout.ms': { key: 'groupMinSessionTimeoutMs', defaultValue: 6000, min: 0, max: JAVA_INT_MAX },
  'group.max.session.timeout.ms': { key: 'groupMaxSessionTimeoutMs', defaultValue: 1_800_000, min: 0, max: JAVA_INT_MAX },
  'group.max.size': { key: 'groupMaxSize', defaultValue: JAVA_INT_MAX, min: 1, max: JAVA_INT_MAX },
  'offsets.retention.minutes': { key: 'offsetsRetentionMs', defaultValue: 7 * 24 * 60, min: 1, max: JAVA_INT_MAX, scale: 60_000 },
  'offsets.retention.check.interval.ms': { key: 'offsetsRetentionCheckIntervalMs', defaultValue: 600_000, min: 1, max: Number.MAX_SAFE_INTEGER },
  'offset.metadata.max.bytes': { key: 'offsetMetadataMaxBytes', defaultValue: 4096, min: 0, max: JAVA_INT_MAX },
  'offsets.topic.num.partitions': { key: 'offsetsTopicNumPartitions', defaultValue: 50, min: 1, max: JAVA_INT_MAX },
  'offsets.commit.timeout.ms': { key: 'offsetsCommitTimeoutMs', defaultValue: 5000, min: 1, max: JAVA_INT_MAX },
} as const satisfies Record<string, ConfigDef>;

export type GroupCoordinatorConfigName = keyof typeof GROUP_COORDINATOR_CONFIGS;

/**
 * The coordinator's configuration from broker config overrides (Kafka names, numbers or decimal
 * strings); anything not given takes Kafka's default. Throws INVALID_CONFIG with Kafka's wording
 * for an unknown name or a value out of range.
 */
export function resolveGroupCoordinatorConfig(
  overrides: Readonly<Partial<Record<GroupCoordinatorConfigName, number | string>>> = {},
): GroupCoordinatorConfig {
  const resolved: Record<string, number> = {};
  for (const name of Object.keys(overrides)) {
    if (!(name in GROUP_COORDINATOR_CONFIGS)) throw new KafkaError('INVALID_CONFIG', `Unknown group coordinator config name: ${name}`);
  }
  for (const [name, def] of Object.entries(GROUP_COORDINATOR_CONFIGS) as [GroupCoordinatorConfigName, ConfigDef][]) {
    const raw = overrides[name];
    const value = raw === undefined ? def.defaultValue : parseConfigNumber(name, raw, def);
    resolved[def.key] = value * (def.scale ?? 1);
  }
  const config = resolved as unknown as GroupCoordinatorConfig;
  if (config.groupMinSessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
    throw new KafkaError(
      'INVALID_CONFIG',
      `group.min.session.timeout.ms (${config.groupMinSessionTimeoutMs}) must not exceed group.max.session.timeout.ms (${config.groupMaxSessionTimeoutMs})`,
    );
  }
  return config;
}

function parseConfigNumber(name: string, raw: number | string, def: ConfigDef): number {
  const value = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(value)) throw new KafkaError('INVALID_CONFIG', `Invalid value ${String(raw)} for configuration ${name}: Not a number of type ${def.max === JAVA_INT_MAX ? 'INT' : 'LONG'}`);
  if (value < def.min || value > def.max) throw new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: Value must be at least ${def.min}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Events: the rebalance timeline
// ---------------------------------------------------------------------------------------------

/** Why a rebalance started (the coordinator's side of "Preparing to rebalance group ... (reason: ...)"). */
export type RebalanceCause =
  /** A new member joined (addMemberAndRebalance). */
  | 'member-joined'
  /** A member left with LeaveGroup (the consumer closed, or max.poll.interval.ms expired client-side). */
  | 'member-left'
  /** A member stopped heartbeating for session.timeout.ms. */
  | 'session-timeout'
  /** Members did not send SyncGroup within the rebalance timeout after a join completed. */
  | 'rebalance-timeout'
  /** A member rejoined with other protocol metadata, or the leader rejoined (topic metadata changed). */
  | 'metadata-change'
  /** Writing the group's metadata to __consumer_offsets failed during SyncGroup. */
  | 'storage-error'
  /** A group loaded from the log has more members than group.max.size. */
  | 'over-capacity';

/** Why a member left the group. */
export type MemberRemovalReason =
  | 'leave-group'
  | 'session-timeout'
  /** It did not rejoin before the rebalance timeout (DelayedJoin expiry). */
  | 'rebalance-timeout'
  /** It did not send SyncGroup before the rebalance timeout (DelayedSync expiry). */
  | 'sync-timeout'
  /** A new member whose JoinGroup waited 5 minutes without the join completing (NewMemberJoinTimeoutMs). */
  | 'new-member-join-timeout'
  /** The group was full (group.max.size) while it rebalanced. */
  | 'group-max-size'
  /** A member id handed out with MEMBER_ID_REQUIRED was not used within the session timeout. */
  | 'pending-member-expired';

export interface GroupMemberSummary {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
}

interface EventBase {
  readonly atMs: number;
  readonly groupId: string;
}

export type GroupCoordinatorEvent =
  | (EventBase & {
      readonly type: 'rebalance-started';
      /** The generation that is ending. */
      readonly generationId: number;
      readonly fromState: GroupState;
      readonly cause: RebalanceCause;
      /** The member whose action caused it, when one did. */
      readonly memberId: string | null;
      /** The coordinator's reason, in Kafka's log words. */
      readonly reason: string;
      /** The reason the client sent (JoinGroup v8+ / LeaveGroup v5+), when it sent one. */
      readonly clientReason: string | null;
    })
  | (EventBase & {
      readonly type: 'join-completed';
      readonly generationId: number;
      readonly leaderId: string | null;
      readonly protocolType: string | null;
      readonly protocolName: string | null;
      readonly members: readonly GroupMemberSummary[];
    })
  | (EventBase & {
      readonly type: 'sync-completed';
      readonly generationId: number;
      readonly protocolName: string | null;
      readonly assignments: readonly { readonly memberId: string; readonly assignment: Uint8Array }[];
    })
  | (EventBase & {
      readonly type: 'member-removed';
      readonly generationId: number;
      readonly memberId: string;
      readonly groupInstanceId: string | null;
      readonly reason: MemberRemovalReason;
      readonly detail: string;
    })
  | (EventBase & {
      /** A static member restarted: its group.instance.id now maps to a new member id; the old one is fenced. */
      readonly type: 'static-member-replaced';
      readonly generationId: number;
      readonly groupInstanceId: string;
      readonly oldMemberId: string;
      readonly newMemberId: string;
    })
  | (EventBase & {
      readonly type: 'state-changed';
      readonly generationId: number;
      readonly from: GroupState;
      readonly to: GroupState;
    })
  | (EventBase & {
      readonly type: 'offsets-committed';
      readonly generationId: number;
      readonly memberId: string;
      readonly offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number; readonly leaderEpoch: number }[];
    })
  | (EventBase & {
      readonly type: 'offsets-expired';
      readonly offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number; readonly commitTimestampMs: number }[];
    })
  | (EventBase & { readonly type: 'group-deleted'; readonly offsetsRemoved: number })
  | (EventBase & {
      readonly type: 'group-loaded';
      readonly partition: number;
      readonly state: GroupState;
      readonly generationId: number;
      readonly memberCount: number;
      readonly offsetCount: number;
    })
  | (EventBase & { readonly type: 'group-unloaded'; readonly partition: number; readonly generationId: number });

/** Events about an offsets partition as a whole rather than a group. */
export type OffsetsPartitionEvent =
  | { readonly type: 'partition-loading'; readonly atMs: number; readonly partition: number; readonly coordinatorEpoch: number }
  | { readonly type: 'partition-loaded'; readonly atMs: number; readonly partition: number; readonly groups: number; readonly offsets: number }
  | { readonly type: 'partition-load-failed'; readonly atMs: number; readonly partition: number; readonly message: string }
  | { readonly type: 'partition-unloaded'; readonly atMs: number; readonly partition: number; readonly groups: number };

export type CoordinatorEvent = GroupCoordinatorEvent | OffsetsPartitionEvent;

/** Everything the coordinator is constructed with. */
export interface GroupCoordinatorPorts {
  /** The hosting broker's id, for messages. */
  readonly brokerId: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Member ids are `${clientId}-${uuid}`; the uuid comes from here, so runs replay. */
  readonly prng: Prng;
  readonly config: GroupCoordinatorConfig;
  readonly log: OffsetsLogPort;
  /**
   * Receives the events, in order, after the coordinator call that caused them has finished its
   * state change (with the responses it queued). A listener may call the coordinator; such calls
   * are handled at once and their own responses and events follow the ones already queued.
   */
  readonly onEvent?: (event: CoordinatorEvent) => void;
  /**
   * Virtual time a partition takes to load after election, during which its groups answer
   * COORDINATOR_LOAD_IN_PROGRESS. Kafka's load time is however long reading the log takes; 0 (the
   * default) loads on the next timer tick.
   */
  readonly loadDelayMs?: number;
}
