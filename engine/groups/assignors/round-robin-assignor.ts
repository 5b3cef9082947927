/**
 * Kafka's RoundRobinAssignor ("roundrobin", EAGER; org.apache.kafka.clients.consumer.RoundRobinAssignor).
 *
 * All members sorted by group.instance.id (static members first) and then member id form a
 * circle; all partitions of all subscribed topics, sorted by topic name and then partition, are
 * dealt around it one by one. A member not subscribed to a partition's topic is skipped (the deal
 * moves on to the next member), so with unequal subscriptions the load can be uneven. Two
 * members of two 3-partition topics: c1 gets t0-0, t0-2, t1-1 and c2 gets t0-1, t1-0, t1-2.
 *
 * Invariants: every partition of a subscribed topic goes to exactly one subscriber of the topic;
 * with equal subscriptions member loads differ by at most one; the result has an entry for every
 * member.
 */
import { AssertionError } from '../../core/assert.js';
import type { MemberAssignment, MemberSubscription, PartitionAssignor, RebalanceProtocol, TopicPartition } from './assignor.js';
import { compareMemberInfos, emptyAssignment, memberInfo, partitionsOf, prepareGroup, toMemberAssignments } from './assignor-support.js';
import { compareJavaStrings } from './java-hash-order.js';

export const ROUND_ROBIN_ASSIGNOR_NAME = 'roundrobin';

export class RoundRobinAssignor implements PartitionAssignor {
  readonly name = ROUND_ROBIN_ASSIGNOR_NAME;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, MemberAssignment> {
    const group = prepareGroup(partitionsPerTopic, subscriptions);
    const assignment = emptyAssignment(group.memberIds);
    const circle = group.memberIds
      .map((memberId) => memberInfo(memberId, subscriptions.get(memberId)!))
      .sort(compareMemberInfos)
      .map((info) => info.memberId);
    let position = 0;
    for (const partition of allPartitionsSorted(group.partitionsPerTopic)) {
      position = nextSubscriber(circle, position, partition.topic, group.topicsOf);
      assignment.get(circle[position]!)!.push(partition);
      position = (position + 1) % circle.length;
    }
    return toMemberAssignments(assignment);
  }
}

/** Every partition of every topic to assign, by topic name then partition (RoundRobinAssignor.allPartitionsSorted). */
function allPartitionsSorted(partitionsPerTopic: ReadonlyMap<string, number>): TopicPartition[] {
  const topics = [...partitionsPerTopic.keys()].sort(compareJavaStrings);
  return topics.flatMap((topic) => partitionsOf(topic, partitionsPerTopic.get(topic)!));
}

/**
 * The first position at or after `from` (going round the circle) whose member subscribes to
 * `topic`. Bounded by one lap: every topic here has at least one subscriber.
 */
function nextSubscriber(circle: readonly string[], from: number, topic: string, topicsOf: ReadonlyMap<string, ReadonlySet<string>>): number {
  for (let step = 0; step < circle.length; step++) {
    const position = (from + step) % circle.length;
    if (topicsOf.get(circle[position]!)!.has(topic)) return position;
  }
  throw new AssertionError(`no member subscribes to topic ${topic}`);
}
