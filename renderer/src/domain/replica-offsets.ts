/**
 * Each replica's log end offset (LEO) and high watermark (HW) as bars on one scale per partition,
 * so "followers copy the leader" and "consumers read only up to the high watermark" can be seen:
 * the filled part is what the replica has written, the mark is how far it may be read. A replica
 * whose broker is down has no offsets to show: it is unavailable, not empty.
 */
import type { PartitionStatus } from '../../../engine/api/dto';

export type ReplicaOffsetBar =
  | {
      readonly brokerId: number;
      readonly available: true;
      readonly logEndOffset: number;
      /** Null when the broker has the log but no high watermark yet (a follower that just started). */
      readonly highWatermark: number | null;
      /** Widths on the partition's scale, 0 to 100. */
      readonly logEndPercent: number;
      readonly highWatermarkPercent: number | null;
      /** Offsets this replica still lacks compared with the leader; null without a leader to compare with. */
      readonly behindLeader: number | null;
    }
  | { readonly brokerId: number; readonly available: false };

export interface PartitionOffsetBars {
  /** The largest log end offset of the available replicas (at least 1, so an empty log draws empty bars). */
  readonly scale: number;
  readonly bars: ReadonlyMap<number, ReplicaOffsetBar>;
}

const percentOf = (value: number, scale: number): number => Math.min(100, Math.max(0, (value / scale) * 100));

export function partitionOffsetBars(partition: PartitionStatus): PartitionOffsetBars {
  const available = partition.replicaOffsets.filter((r) => r.logEndOffset !== null);
  const scale = Math.max(1, ...available.map((r) => r.logEndOffset ?? 0));
  const leader = partition.leader === null ? undefined : partition.replicaOffsets.find((r) => r.brokerId === partition.leader);
  const leaderLeo = leader?.logEndOffset ?? null;
  const bars = new Map<number, ReplicaOffsetBar>();
  for (const replica of partition.replicaOffsets) {
    if (replica.logEndOffset === null) {
      bars.set(replica.brokerId, { brokerId: replica.brokerId, available: false });
      continue;
    }
    bars.set(replica.brokerId, {
      brokerId: replica.brokerId,
      available: true,
      logEndOffset: replica.logEndOffset,
      highWatermark: replica.highWatermark,
      logEndPercent: percentOf(replica.logEndOffset, scale),
      highWatermarkPercent: replica.highWatermark === null ? null : percentOf(replica.highWatermark, scale),
      behindLeader: leaderLeo === null ? null : Math.max(0, leaderLeo - replica.logEndOffset),
    });
  }
  return { scale, bars };
}

/** Kafka's offline partition: no leader, so nobody can produce to it or consume from it. */
export function isPartitionOffline(partition: PartitionStatus): boolean {
  return partition.leader === null;
}

/**
 * The metadata names a leader whose broker is down (killed, not yet fenced; or no controller is
 * left to move leadership): clients get errors until a new leader is elected.
 */
export function isLeaderDown(partition: PartitionStatus, runningBrokerIds: readonly number[]): boolean {
  return partition.leader !== null && !runningBrokerIds.includes(partition.leader);
}

/** Whether a live leader answers for the partition's log end offset and high watermark. */
export function hasServingLeader(partition: PartitionStatus, runningBrokerIds: readonly number[]): boolean {
  return !isPartitionOffline(partition) && !isLeaderDown(partition, runningBrokerIds);
}

/**
 * At most `max` consecutive partitions for the offsets chart, starting at the grid's first row in
 * view (moved back so the window is full at the end of the topic); all of them when they fit.
 */
export function chartWindow<T>(partitions: readonly T[], firstInView: number, max: number): readonly T[] {
  if (partitions.length <= max) return partitions;
  const start = Math.max(0, Math.min(firstInView, partitions.length - max));
  return partitions.slice(start, start + max);
}
