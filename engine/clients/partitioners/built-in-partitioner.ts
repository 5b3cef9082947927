/**
 * Kafka's default partitioning (producer 3.3+, KIP-794; BuiltInPartitioner and the parts of
 * RecordAccumulator.append that drive it):
 *
 * - a record with a partition set goes there;
 * - a record with a key (and partitioner.ignore.keys=false) goes to
 *   (murmur2(keyBytes) & 0x7fffffff) % partitionCount, over all partitions, with or without a
 *   leader (engine/clients/murmur2.ts, checked against the Java client's vectors);
 * - a keyless record goes to the topic's *sticky* partition. The accumulator reports the bytes each
 *   append added; once at least batch.size bytes were produced to the sticky partition the
 *   partitioner switches, but only when the partition's last batch is full or was sent (so batches
 *   are not cut short), and unconditionally at 2 x batch.size. The next partition is drawn uniformly
 *   from the partitions that have a leader (all partitions when none has), using the seeded Prng
 *   (Java uses ThreadLocalRandom). The draw may pick the same partition again, as in Java.
 *
 * Simplified: adaptive partitioning (partitioner.adaptive.partitioning.enable, which weights the
 * draw by queue sizes, and partitioner.availability.timeout.ms) is not reproduced: the draw is
 * always uniform, as in Java with partitioner.adaptive.partitioning.enable=false. The lab UI says so.
 * Java's compare-and-set race handling is unnecessary: the engine is single-threaded.
 *
 * Invariants: one instance per topic; producedBytes >= 0; the current partition, once chosen, is a
 * partition of the topic.
 */
import { assertFailed } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { partitionForKey } from '../murmur2.js';
import { assertPartitionView, type PartitionView } from './partition-view.js';

/** The partition a keyed record goes to under the default partitioner. */
export function partitionForRecordKey(keyBytes: Uint8Array, partitionCount: number): number {
  if (!(Number.isInteger(partitionCount) && partitionCount > 0)) assertFailed(`partition count ${partitionCount} must be positive`);
  return partitionForKey(keyBytes, partitionCount);
}

/** The current sticky choice; a new object each time the partitioner switches. */
export class StickyPartitionInfo {
  producedBytes = 0;
  constructor(readonly partition: number) {}
}

export class BuiltInPartitioner {
  private current: StickyPartitionInfo | null = null;

  constructor(
    readonly topic: string,
    readonly stickyBatchSizeBytes: number,
    private readonly prng: Prng,
  ) {
    if (!(Number.isInteger(stickyBatchSizeBytes) && stickyBatchSizeBytes >= 1)) assertFailed(`stickyBatchSize must be >= 1 but got ${stickyBatchSizeBytes}`);
  }

  /** The sticky partition, chosen now if there is none yet. */
  peekCurrentPartitionInfo(view: PartitionView): StickyPartitionInfo {
    if (this.current === null || this.current.partition >= view.partitionCount) this.current = new StickyPartitionInfo(this.nextPartition(view));
    return this.current;
  }

  /** True when `info` is no longer the sticky choice (the partitioner switched since it was peeked). */
  isPartitionChanged(info: StickyPartitionInfo): boolean {
    return this.current !== info;
  }

  /**
   * Counts `appendedBytes` towards the sticky partition and switches when enough was produced:
   * at batch.size when `enableSwitch` (the partition's batches are all full or sent), at
   * 2 x batch.size regardless.
   */
  updatePartitionInfo(info: StickyPartitionInfo, appendedBytes: number, view: PartitionView, enableSwitch: boolean): void {
    if (!(info === this.current)) assertFailed(`topic ${this.topic}: sticky partition info updated after a switch`);
    if (!(Number.isInteger(appendedBytes) && appendedBytes >= 0)) assertFailed(`appended bytes ${appendedBytes} must be a non-negative integer`);
    info.producedBytes += appendedBytes;
    const produced = info.producedBytes;
    if ((produced >= this.stickyBatchSizeBytes && enableSwitch) || produced >= this.stickyBatchSizeBytes * 2) {
      this.current = new StickyPartitionInfo(this.nextPartition(view));
    }
  }

  private nextPartition(view: PartitionView): number {
    assertPartitionView(view);
    const available = view.availablePartitions;
    if (available.length > 0) return available[this.prng.nextInt(available.length)]!;
    return this.prng.nextInt(view.partitionCount);
  }
}
