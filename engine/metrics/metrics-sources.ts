/**
 * What the metrics recorder (engine/metrics/metrics-recorder.ts) reads at every sample: the port
 * the host implements over the cluster, the group coordinators and the clients. Every method is a
 * cheap read of current state; the recorder calls each once per sample (once a second by default).
 *
 * Also `LastCommitTracker`: when each group last committed each partition, from the coordinators'
 * `offsets-committed` events, for `GroupPartitionSource.lastCommitMs`. It tells a consumer that
 * stopped committing (Burrow's STOP) from one that commits the same offset again and again (STALL).
 *
 * Invariants of LastCommitTracker: at most `metricsLimits.commitsTrackedMax` group partitions
 * (past that new ones are refused and counted); a deleted group is forgotten.
 */
import type { CoordinatorEvent } from '../groups/coordinator-ports.js';
import { tpKey } from '../groups/assignors/assignor-support.js';
import { metricsLimits } from './metrics-limits.js';

/** One partition as its leader reports it. */
export interface PartitionSource {
  readonly topic: string;
  readonly partition: number;
  /** Null while no leader answers (the partition is offline); then lag cannot be measured. */
  readonly logStartOffset: number | null;
  readonly logEndOffset: number | null;
  readonly highWatermark: number | null;
  readonly isrSize: number;
  /** The topic's effective retention.ms; -1 = unlimited, as in Kafka. */
  readonly retentionMs: number;
  /** The topic's effective retention.bytes (per partition); -1 = unlimited, as in Kafka. */
  readonly retentionBytes: number;
  /** Bytes of the partition's log on its leader; null when unknown. */
  readonly sizeBytes: number | null;
}

/** One partition of a consumer group, as kafka-consumer-groups --describe lists it. */
export interface GroupPartitionSource {
  readonly topic: string;
  readonly partition: number;
  /** CURRENT-OFFSET; null ("-") while the group has committed nothing for it. */
  readonly committedOffset: number | null;
  /**
   * When the group last committed this partition (any offset, the same one included), from
   * `LastCommitTracker`; null or absent when unknown, and then the time the committed offset last
   * changed stands in (STALL, "committing the same offset", cannot be told from STOP without it).
   */
  readonly lastCommitMs?: number | null;
}

export interface GroupSource {
  readonly groupId: string;
  /** The partitions the group has committed offsets for or is assigned; only partitions of existing topics. */
  readonly partitions: readonly GroupPartitionSource[];
}

export interface ProducerSource {
  readonly clientId: string;
  /** Records sent so far (the producer's record-send-total); may restart from 0 when the producer restarts. */
  readonly sendTotal: number;
  /** request-latency-avg, or null before the first request. */
  readonly latencyAvgMs: number | null;
}

export interface ServiceSource {
  readonly replicaId: string;
  /** Records this replica processed so far; may restart from 0 when the replica restarts. */
  readonly processedTotal: number;
}

export interface MetricsSources {
  partitions(): readonly PartitionSource[];
  groups(): readonly GroupSource[];
  /**
   * The timestamp of the record at `offset` (its CreateTime or LogAppendTime), or null when there is
   * no record there (compacted away, beyond the log end, partition offline). The time lag is now
   * minus the timestamp of the record at the committed offset; retention looks at the log start.
   */
  recordTimestampMs(topic: string, partition: number, offset: number): number | null;
  producers(): readonly ProducerSource[];
  services(): readonly ServiceSource[];
}

/** When each group last committed each partition, from the group coordinators' events. */
export class LastCommitTracker {
  /** groupId -> tpKey -> commit instant. */
  private readonly groups = new Map<string, Map<string, number>>();
  private tracked = 0;
  /** Commits not remembered because `commitsTrackedMax` group partitions were already tracked. */
  refused = 0;

  onCoordinatorEvent(event: CoordinatorEvent): void {
    if (!('groupId' in event)) return;
    if (event.type === 'offsets-committed') {
      for (const o of event.offsets) this.committed(event.groupId, tpKey(o), event.atMs);
    } else if (event.type === 'group-deleted') {
      this.tracked -= this.groups.get(event.groupId)?.size ?? 0;
      this.groups.delete(event.groupId);
    }
  }

  lastCommitMs(groupId: string, topic: string, partition: number): number | null {
    return this.groups.get(groupId)?.get(tpKey({ topic, partition })) ?? null;
  }

  size(): number {
    return this.tracked;
  }

  private committed(groupId: string, key: string, atMs: number): void {
    let group = this.groups.get(groupId);
    const known = group?.has(key) ?? false;
    if (!known && this.tracked >= metricsLimits.commitsTrackedMax) {
      this.refused += 1;
      return;
    }
    if (group === undefined) {
      group = new Map();
      this.groups.set(groupId, group);
    }
    if (!known) this.tracked += 1;
    group.set(key, atMs);
  }
}
