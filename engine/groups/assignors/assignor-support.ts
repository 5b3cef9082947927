/**
 * What every assignor does before and after its own algorithm, after Kafka's
 * AbstractPartitionAssignor: keep only the topics some member subscribes to that exist and have
 * partitions, in the order Kafka's HashMap iterates them; order the members as the Java leader
 * iterates its HashMap of subscriptions; compare members the way range and roundrobin sort them
 * (group.instance.id first, then member id); and turn per-member partition lists into
 * MemberAssignments without user data, as AbstractPartitionAssignor does.
 *
 * Invariants: the prepared group holds only topics with at least one partition and at least one
 * subscriber; every member of the input appears exactly once in `memberIds`; the member count and
 * the partition total stay within assignorLimits (asserted: the coordinator bounds the group and
 * the cluster bounds its partitions before they get here). A subscription may name any number of
 * topics: it comes from another member, and the bytes it was decoded from bound it.
 */
import { assertFailed } from '../../core/assert.js';
import { assignorLimits } from './assignor-limits.js';
import type { MemberAssignment, MemberSubscription, TopicPartition } from './assignor.js';
import { compareJavaStrings, inJavaStringHashOrder } from './java-hash-order.js';

/** A key that identifies a topic-partition: the partition number cannot contain ':'. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`;
}

/** The topic-partition a tpKey names. */
export function tpFromKey(key: string): TopicPartition {
  const at = key.indexOf(':');
  return { topic: key.slice(at + 1), partition: Number(key.slice(0, at)) };
}

export function tp(topic: string, partition: number): TopicPartition {
  return { topic, partition };
}

/** Kafka's TopicPartitionComparator: by topic, then partition. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareJavaStrings(a.topic, b.topic) || a.partition - b.partition;
}

/** The partitions of a topic in numeric order (AbstractPartitionAssignor.partitions). */
export function partitionsOf(topic: string, partitionCount: number): TopicPartition[] {
  return Array.from({ length: partitionCount }, (_, partition) => tp(topic, partition));
}

export interface PreparedGroup {
  /** Topics to assign and their partition counts, in the iteration order of Kafka's partitionsPerTopic. */
  readonly partitionsPerTopic: ReadonlyMap<string, number>;
  /** Member ids in the iteration order of the Java leader's HashMap of subscriptions. */
  readonly memberIds: readonly string[];
  /** Each member's subscribed topics (a subscription is a set; duplicates on the wire are dropped). */
  readonly topicsOf: ReadonlyMap<string, ReadonlySet<string>>;
  readonly totalPartitions: number;
}

/**
 * AbstractPartitionAssignor.assign(Cluster, GroupSubscription): the subscribed topics are
 * collected into a HashSet (members in the leader's order, each member's topics in its order),
 * then every one with metadata and at least one partition goes into a HashMap.
 */
export function prepareGroup(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): PreparedGroup {
  if (!(subscriptions.size <= assignorLimits.membersPerAssignmentMax)) assertFailed(`${subscriptions.size} members exceed ${assignorLimits.membersPerAssignmentMax}`);
  const memberIds = inJavaStringHashOrder([...subscriptions.keys()]);
  const topicsOf = new Map<string, ReadonlySet<string>>();
  const subscribedInOrder = new Set<string>();
  for (const memberId of memberIds) {
    const topics = subscriptions.get(memberId)!.topics;
    topicsOf.set(memberId, new Set(topics));
    for (const topic of topics) subscribedInOrder.add(topic);
  }
  const withPartitions = inJavaStringHashOrder([...subscribedInOrder]).filter((topic) => (partitionsPerTopic.get(topic) ?? 0) > 0);
  const ordered = new Map<string, number>();
  let totalPartitions = 0;
  for (const topic of inJavaStringHashOrder(withPartitions)) {
    const count = partitionsPerTopic.get(topic)!;
    if (!Number.isInteger(count)) assertFailed(`topic ${topic} has a non-integer partition count ${count}`);
    ordered.set(topic, count);
    totalPartitions += count;
  }
  if (!(totalPartitions <= assignorLimits.partitionsPerAssignmentMax)) assertFailed(`${totalPartitions} partitions exceed ${assignorLimits.partitionsPerAssignmentMax}`);
  return { partitionsPerTopic: ordered, memberIds, topicsOf, totalPartitions };
}

/** An empty partition list for every member, the start of every assignor's result. */
export function emptyAssignment(memberIds: readonly string[]): Map<string, TopicPartition[]> {
  return new Map(memberIds.map((memberId) => [memberId, []]));
}

/** Wraps raw lists into MemberAssignments with no user data (AbstractPartitionAssignor's wrap). */
export function toMemberAssignments(raw: ReadonlyMap<string, readonly TopicPartition[]>): Map<string, MemberAssignment> {
  const result = new Map<string, MemberAssignment>();
  for (const [memberId, partitions] of raw) result.set(memberId, { partitions: [...partitions], userData: null });
  return result;
}

export interface MemberInfo {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export function memberInfo(memberId: string, subscription: MemberSubscription): MemberInfo {
  return { memberId, groupInstanceId: subscription.groupInstanceId ?? null };
}

/**
 * AbstractPartitionAssignor.MemberInfo.compareTo: static members (with a group.instance.id) sort
 * first, by instance id, so their assignment survives a restart that changes their member id;
 * dynamic members follow, by member id.
 */
export function compareMemberInfos(a: MemberInfo, b: MemberInfo): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareJavaStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareJavaStrings(a.memberId, b.memberId);
}
