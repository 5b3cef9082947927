/**
 * Replica placement for new partitions, as Kafka does it without racks
 * (AdminUtils.assignReplicasToBrokersRackUnaware): the first replica of partition p goes to broker
 * (p + startIndex) mod n, followers follow at a shift that grows by one every n partitions, so
 * leaders and followers spread evenly. `startIndex` and the initial shift are random in Kafka; here
 * they come from the seeded Prng so a run replays.
 *
 * Invariants of the result: every partition has exactly `replicationFactor` distinct brokers; the
 * first broker of each list is the preferred leader.
 */
import { assertFailed } from '../core/assert.js';
import type { Prng } from '../core/prng.js';

export function assignReplicasRackUnaware(
  partitionCount: number,
  replicationFactor: number,
  brokerIds: readonly number[],
  prng: Prng,
  startPartitionId = 0,
): number[][] {
  const n = brokerIds.length;
  if (!(n > 0 && replicationFactor >= 1 && replicationFactor <= n)) assertFailed(`placement of RF ${replicationFactor} on ${n} brokers`);
  const startIndex = prng.nextInt(n);
  let nextReplicaShift = prng.nextInt(n);
  const result: number[][] = [];
  for (let p = startPartitionId; p < startPartitionId + partitionCount; p++) {
    if (p > 0 && p % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (p + startIndex) % n;
    const replicas = [brokerIds[firstReplicaIndex]!];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokerIds[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]!);
    }
    if (!(new Set(replicas).size === replicas.length)) assertFailed(`duplicate replica in ${replicas.join(',')}`);
    result.push(replicas);
  }
  return result;
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, replicaIndexInList: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + replicaIndexInList) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}
