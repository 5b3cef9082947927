/**
 * What a partitioner may know about a topic: how many partitions it has and which of them have a
 * leader right now (Kafka's Cluster.partitionsForTopic / availablePartitionsForTopic).
 *
 * Invariants (checked by `assertPartitionView`, where the view enters a partitioner):
 * - 1 <= partitionCount <= limits.partitionsPerTopicMax;
 * - availablePartitions is strictly ascending, each in [0, partitionCount).
 */
import { assertFailed } from '../../core/assert.js';
import { limits } from '../../core/limits.js';

export interface PartitionView {
  readonly topic: string;
  readonly partitionCount: number;
  /** Partitions whose leader is known, ascending. */
  readonly availablePartitions: readonly number[];
}

export function assertPartitionView(view: PartitionView): void {
  if (!(Number.isInteger(view.partitionCount) && view.partitionCount >= 1 && view.partitionCount <= limits.partitionsPerTopicMax)) {
    assertFailed(`topic ${view.topic}: partition count ${view.partitionCount} outside 1..${limits.partitionsPerTopicMax}`);
  }
  let previous = -1;
  for (const p of view.availablePartitions) {
    if (!(Number.isInteger(p) && p > previous && p < view.partitionCount)) assertFailed(`topic ${view.topic}: available partition ${p} out of order or range`);
    previous = p;
  }
}

/** Java's Utils.toPositive: clears the sign bit of a 32-bit int. */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}
