/**
 * The consumer-group invariants of a simulation run:
 *
 * 5. one owner per generation — among the running members that completed the same generation,
 *    no partition is assigned to two (the leader's assignment is a partition of the topics; a
 *    member kicked out of the group may still think it owns its partitions, but in an older
 *    generation).
 * 6. committed offsets — every offset the coordinator accepts is at most the highest high
 *    watermark the partition ever had (nothing past what consumers could read or be positioned
 *    at), and a group's committed offset for a partition never goes backwards, except where the
 *    configuration permits losing data on that partition (acks=1 failover or unclean election, or
 *    more failures than the budget) — Kafka's consumer then resets its position. At the end, every
 *    record a consumer processed is in the converged log at its offset with its value, unless its
 *    partition had a permitted loss: consumers only ever read below the high watermark.
 *
 * Backward commits the configuration permits are counted, not flagged.
 */
import type { Cluster } from '../cluster/cluster.js';
import type { GroupCoordinatorEvent } from '../groups/coordinator-ports.js';
import { InvariantViolation, type InvariantChecker } from './invariants.js';
import type { ConsumedRecord, GroupWorkload } from './group-workload.js';
import type { SimTopic } from './sim-config.js';

export class GroupInvariants {
  /** Backward commits the configuration explains, by reason. */
  readonly permittedRewinds = new Map<string, number>();
  /** Records processed more than once (at-least-once delivery after a crash or rebalance). */
  redeliveries = 0;
  private readonly committed = new Map<string, number>();

  constructor(
    private readonly cluster: Cluster,
    private readonly checker: InvariantChecker,
    private readonly topics: readonly SimTopic[],
  ) {}

  /** Invariant 5, over the running members now. */
  checkOwnership(workload: GroupWorkload): void {
    const owners = new Map<string, string>();
    for (const member of workload.members()) {
      if (!member.stable) continue;
      for (const partition of member.partitions) {
        this.checker.checks[5] += 1;
        const key = `${member.generation}/${partition}`;
        const other = owners.get(key);
        if (other !== undefined) {
          throw new InvariantViolation(5, this.cluster.nowMs(), `${partition} is owned by both ${other} and ${member.clientId} in generation ${member.generation}`);
        }
        owners.set(key, member.clientId);
      }
    }
  }

  /** Invariant 6 for each commit the coordinator accepted. */
  onCoordinatorEvent(event: GroupCoordinatorEvent): void {
    if (event.type !== 'offsets-committed') return;
    for (const { topic, partition, offset } of event.offsets) {
      if (!this.topics.some((t) => t.name === topic)) continue;
      this.checker.checks[6] += 1;
      const ceiling = this.cluster.highestHighWatermark(topic, partition);
      if (offset > ceiling) {
        throw new InvariantViolation(6, this.cluster.nowMs(), `group ${event.groupId} committed offset ${offset} for ${topic}-${partition}, past the highest high watermark ${ceiling} the partition ever had`);
      }
      const key = `${event.groupId}/${topic}-${partition}`;
      const previous = this.committed.get(key);
      this.committed.set(key, offset);
      if (previous === undefined || offset >= previous) continue;
      const reason = this.checker.permittedReason(topic, partition, 'all');
      if (reason === null) {
        throw new InvariantViolation(6, this.cluster.nowMs(), `group ${event.groupId}'s committed offset for ${topic}-${partition} went back from ${previous} to ${offset} (member ${event.memberId}, generation ${event.generationId}) with no data lost on the partition`);
      }
      this.permittedRewinds.set(reason, (this.permittedRewinds.get(reason) ?? 0) + 1);
    }
  }

  /** At the end, after convergence: what consumers processed is what the partitions hold. */
  checkConsumed(consumed: readonly ConsumedRecord[]): void {
    const contents = new Map<string, Map<number, string | null>>();
    const seen = new Set<string>();
    for (const record of consumed) {
      const partitionKey = `${record.topic}-${record.partition}`;
      const key = `${partitionKey}@${record.offset}`;
      if (seen.has(key)) this.redeliveries += 1;
      seen.add(key);
      if (this.checker.permittedReason(record.topic, record.partition, 'all') !== null) continue;
      let partition = contents.get(partitionKey);
      if (partition === undefined) {
        partition = this.checker.readAll(record.topic, record.partition);
        contents.set(partitionKey, partition);
      }
      this.checker.checks[6] += 1;
      const found = partition.get(record.offset);
      if (found !== record.value) {
        throw new InvariantViolation(
          6,
          this.cluster.nowMs(),
          `${record.clientId} processed ${String(record.value)} at ${partitionKey} offset ${record.offset}, but after healing the partition holds ${found === undefined ? 'nothing' : String(found)} there: a consumer read past the high watermark`,
        );
      }
    }
  }
}
