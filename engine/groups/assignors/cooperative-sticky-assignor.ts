/**
 * Kafka's CooperativeStickyAssignor ("cooperative-sticky", COOPERATIVE and EAGER;
 * org.apache.kafka.clients.consumer.CooperativeStickyAssignor, KIP-429): the sticky target of
 * abstract-sticky.ts, then every partition that would move from one member to another while its
 * previous owner still holds it is left out of this round. Members keep consuming what they keep;
 * the previous owner sees the partition gone from its assignment and revokes it; that revocation
 * makes the members rejoin, and in the follow-up rebalance nobody owns the partition any more, so
 * it is assigned. No partition is ever owned by two members at once, and no member stops
 * consuming a partition it keeps (no stop-the-world).
 *
 * Which partitions are held back: with equal subscriptions, the constrained algorithm's own record
 * (partitions a still-valid owner had to give up beyond its quota, and partitions claimed by two
 * members of one generation); otherwise every partition some member newly receives that another
 * member's subscription lists as owned (computePartitionsTransferringOwnership).
 *
 * Member data: from ConsumerProtocolSubscription v2+ the owned partitions and generation fields;
 * from v1, the owned partitions and the generation in the user data (a single INT32, Kafka's
 * CooperativeStickyAssignor user data v0; unreadable user data counts as generation -1).
 *
 * Invariants: those of abstract-sticky.ts, except that held-back partitions are assigned to
 * nobody in this round; no partition is given to a member while its valid previous owner (the
 * claimant with the newest generation) still holds it; a partition that stays with its owner is
 * never held back.
 */
import type { MemberAssignment, MemberSubscription, PartitionAssignor, PreviousAssignment, RebalanceProtocol, TopicPartition } from './assignor.js';
import { assignSticky, DEFAULT_GENERATION, type StickyAssignmentResult, type StickyMemberData, type TransferringOwnership } from './abstract-sticky.js';
import { toMemberAssignments, tpKey } from './assignor-support.js';
import { ProtocolReader, ProtocolWriter, SchemaException } from '../consumer-protocol.js';

export const COOPERATIVE_STICKY_ASSIGNOR_NAME = 'cooperative-sticky';

export interface CooperativeStickyResult {
  /** What members get this round (the sticky target minus the partitions held back). */
  readonly assignment: Map<string, TopicPartition[]>;
  /** The partitions held back until their previous owner has revoked them, with their target member. */
  readonly partitionsTransferringOwnership: TransferringOwnership;
  readonly sticky: StickyAssignmentResult;
}

export class CooperativeStickyAssignor implements PartitionAssignor {
  readonly name = COOPERATIVE_STICKY_ASSIGNOR_NAME;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['COOPERATIVE', 'EAGER'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, MemberAssignment> {
    return toMemberAssignments(assignCooperativeSticky(partitionsPerTopic, subscriptions).assignment);
  }

  /** CooperativeStickyAssignor.subscriptionUserData: the generation of the last assignment, -1 before one. */
  subscriptionUserData(previous: PreviousAssignment | null): Uint8Array | null {
    return encodeCooperativeStickyUserData(previous?.generationId ?? DEFAULT_GENERATION);
  }
}

/** The cooperative assignment with the partitions it holds back (CooperativeStickyAssignor.assignPartitions). */
export function assignCooperativeSticky(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
): CooperativeStickyResult {
  const sticky = assignSticky(partitionsPerTopic, subscriptions, cooperativeMemberData);
  const assignment = new Map([...sticky.assignment].map(([memberId, partitions]) => [memberId, [...partitions]]));
  const transferring = sticky.partitionsTransferringOwnership ?? partitionsTransferringOwnership(subscriptions, assignment);
  for (const { partition, memberId } of transferring.values()) removeFirst(assignment.get(memberId)!, partition);
  return { assignment, partitionsTransferringOwnership: transferring, sticky };
}

/** CooperativeStickyAssignor.memberData. */
export function cooperativeMemberData(subscription: MemberSubscription): StickyMemberData {
  const partitions = subscription.ownedPartitions;
  if (subscription.generationId >= 0) return { partitions, generation: subscription.generationId };
  if (subscription.userData === null) return { partitions, generation: null };
  return { partitions, generation: decodeCooperativeStickyUserData(subscription.userData) ?? DEFAULT_GENERATION };
}

/** The user data: one INT32, the generation (CooperativeStickyAssignor's user data schema v0). */
export function encodeCooperativeStickyUserData(generation: number): Uint8Array {
  return new ProtocolWriter().int32(generation).toBytes();
}

/** The generation in the user data, or null when it does not parse. */
export function decodeCooperativeStickyUserData(bytes: Uint8Array): number | null {
  try {
    return new ProtocolReader(bytes, 'CooperativeStickyAssignorUserData').int32();
  } catch (error) {
    if (error instanceof SchemaException) return null;
    throw error;
  }
}

/**
 * computePartitionsTransferringOwnership (general algorithm): partitions a member newly gets that
 * some member's subscription lists as owned and no longer gets.
 */
function partitionsTransferringOwnership(subscriptions: ReadonlyMap<string, MemberSubscription>, assignment: ReadonlyMap<string, readonly TopicPartition[]>): TransferringOwnership {
  const added: TransferringOwnership = new Map();
  const revoked = new Set<string>();
  for (const [memberId, assigned] of assignment) {
    const owned = subscriptions.get(memberId)!.ownedPartitions;
    const ownedKeys = new Set(owned.map(tpKey));
    const assignedKeys = new Set(assigned.map(tpKey));
    for (const partition of assigned) if (!ownedKeys.has(tpKey(partition))) added.set(tpKey(partition), { partition, memberId });
    for (const partition of owned) if (!assignedKeys.has(tpKey(partition))) revoked.add(tpKey(partition));
  }
  for (const key of added.keys()) if (!revoked.has(key)) added.delete(key);
  return added;
}

function removeFirst(list: TopicPartition[], partition: TopicPartition): void {
  const index = list.findIndex((p) => p.topic === partition.topic && p.partition === partition.partition);
  if (index >= 0) list.splice(index, 1);
}
