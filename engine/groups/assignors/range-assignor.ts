/**
 * Kafka's RangeAssignor ("range", EAGER; org.apache.kafka.clients.consumer.RangeAssignor), the
 * first entry of the Java consumer's default partition.assignment.strategy.
 *
 * Per topic, on its own: the topic's partitions in numeric order are cut into consecutive ranges
 * over the topic's subscribers sorted by group.instance.id (static members first) and then member
 * id; with P partitions and M subscribers each gets floor(P / M) and the first P % M get one more.
 * Two subscribers of two 3-partition topics: c1 gets t0-0, t0-1, t1-0, t1-1 and c2 gets t0-2,
 * t1-2. Because every topic starts again from the first member, partition i of co-partitioned
 * topics lands on the same member, and the first members carry the extra load of every topic.
 *
 * Each member's list holds its topics in the order Kafka's HashMap of topics iterates them, so the
 * encoded assignment is byte-for-byte a Java leader's.
 *
 * Simplified: Kafka 3.5+ (KIP-881) matches consumer racks with partition replica racks when both
 * are known; the assignor interface here carries no replica racks, so the assignment is always the
 * rack-free one, as in Java when brokers have no broker.rack.
 *
 * Invariants: every partition of a subscribed topic goes to exactly one of its subscribers; per
 * topic, member loads differ by at most one; the result has an entry for every member.
 */
import { assertFailed } from '../../core/assert.js';
import type { MemberAssignment, MemberSubscription, PartitionAssignor, RebalanceProtocol, TopicPartition } from './assignor.js';
import { compareMemberInfos, emptyAssignment, memberInfo, partitionsOf, prepareGroup, toMemberAssignments, type MemberInfo } from './assignor-support.js';

export const RANGE_ASSIGNOR_NAME = 'range';

export class RangeAssignor implements PartitionAssignor {
  readonly name = RANGE_ASSIGNOR_NAME;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, MemberAssignment> {
    const group = prepareGroup(partitionsPerTopic, subscriptions);
    const consumersPerTopic = subscribersPerTopic(group.memberIds, subscriptions, group.topicsOf);
    const assignment = emptyAssignment(group.memberIds);
    for (const [topic, partitionCount] of group.partitionsPerTopic) {
      assignRanges(partitionsOf(topic, partitionCount), consumersPerTopic.get(topic) ?? [], assignment);
    }
    return toMemberAssignments(assignment);
  }
}

/** Each topic's subscribers, sorted as MemberInfo sorts (RangeAssignor.consumersPerTopic + TopicAssignmentState). */
function subscribersPerTopic(
  memberIds: readonly string[],
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  topicsOf: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, MemberInfo[]> {
  const result = new Map<string, MemberInfo[]>();
  for (const memberId of memberIds) {
    const info = memberInfo(memberId, subscriptions.get(memberId)!);
    for (const topic of topicsOf.get(memberId)!) {
      const list = result.get(topic) ?? [];
      list.push(info);
      result.set(topic, list);
    }
  }
  for (const list of result.values()) list.sort(compareMemberInfos);
  return result;
}

/** One topic: consecutive ranges, the first (P % M) members one partition longer. */
function assignRanges(partitions: readonly TopicPartition[], consumers: readonly MemberInfo[], assignment: Map<string, TopicPartition[]>): void {
  if (consumers.length === 0) return;
  const perConsumer = Math.floor(partitions.length / consumers.length);
  const withExtra = partitions.length % consumers.length;
  let next = 0;
  consumers.forEach((consumer, index) => {
    const count = perConsumer + (index < withExtra ? 1 : 0);
    assignment.get(consumer.memberId)!.push(...partitions.slice(next, next + count));
    next += count;
  });
  if (!(next === partitions.length)) assertFailed(`range assigned ${next} of ${partitions.length} partitions`);
}
