/**
 * The sticky assignment shared by "sticky" and "cooperative-sticky", after Kafka's
 * AbstractStickyAssignor (clients/.../consumer/internals/AbstractStickyAssignor.java). Goals, in
 * order: a balanced assignment (loads differ by at most one when subscriptions allow), then as few
 * partitions moved away from their previous owner as possible.
 *
 * 1. Previous ownership. Each member's data (its owned partitions and the generation they come
 *    from; where it is read from is the subclass's choice) is checked against the others': when two
 *    members claim a partition, the one with the higher generation keeps it; with equal
 *    generations neither does and the partition is "claimed by multiple previous owners".
 * 2. When every member subscribes to the same topics, the constrained algorithm: with T partitions
 *    over N members, minQuota = floor(T/N), maxQuota = ceil(T/N), and exactly T % N members get
 *    maxQuota. Members keep their owned partitions up to their quota (lowest partition numbers
 *    first); the rest is dealt round-robin over the sorted members still under quota, the
 *    partitions in topic, partition order.
 * 3. Otherwise, the general algorithm: keep every valid owned partition, give each unassigned
 *    partition to the least loaded member that subscribes to it, then move partitions from members
 *    with two or more above another subscriber until balanced, preferring to return a partition to
 *    its owner of an older generation, and undoing the moves if they did not improve the balance.
 *
 * Where Kafka iterates a HashMap (its members, a set of moved partitions), the same order is
 * reproduced (java-hash-order.ts), so ties are broken as a Java leader breaks them.
 *
 * Deliberate differences, each to keep the interface's invariants (a member only gets partitions
 * of topics it subscribes to, every partition exists): owned partitions beyond the topic's current
 * partition count are ignored; a member with an empty subscription is not "equal" to others (Kafka
 * compares against the first non-empty one); a partition is returned to an older owner only if that
 * owner still subscribes to its topic and takes part in balancing. The maximum generation is
 * computed per call (Kafka keeps it across calls in the assignor instance). Rack-aware assignment
 * (KIP-881) is not reproduced: the interface carries no replica racks.
 *
 * Invariants: every partition of a subscribed topic is assigned exactly once, to a subscriber; the
 * result has an entry for every member; the same inputs give the same output.
 */
import { assert, assertFailed } from '../../core/assert.js';
import { assignorLimits } from './assignor-limits.js';
import type { MemberSubscription, TopicPartition } from './assignor.js';
import { compareJavaStrings, inJavaHashOrder, javaHashTableCapacity, javaTopicPartitionHashCode } from './java-hash-order.js';
import { partitionsOf, prepareGroup, tpKey, type PreparedGroup } from './assignor-support.js';

/** AbstractStickyAssignor.DEFAULT_GENERATION: no generation known. */
export const DEFAULT_GENERATION = -1;

/** A member's previous assignment as the assignor reads it (AbstractStickyAssignor.MemberData). */
export interface StickyMemberData {
  readonly partitions: readonly TopicPartition[];
  /** The generation of that assignment; null when the member did not say (Optional.empty in Kafka). */
  readonly generation: number | null;
}

export type MemberDataReader = (subscription: MemberSubscription) => StickyMemberData;

/** Partitions given to a new member while a previous owner still holds them, by tpKey. */
export type TransferringOwnership = Map<string, { readonly partition: TopicPartition; readonly memberId: string }>;

export interface StickyAssignmentResult {
  readonly assignment: Map<string, TopicPartition[]>;
  readonly allSubscriptionsEqual: boolean;
  /**
   * Constrained algorithm: the partitions moving from a still-valid owner, or claimed by several
   * owners of one generation, to their new member. General algorithm: null (Kafka leaves it to the
   * cooperative assignor to compute from the owned partitions).
   */
  readonly partitionsTransferringOwnership: TransferringOwnership | null;
  /** AbstractStickyAssignor.isSticky: no topic had partitions moved both ways between two members. */
  readonly isSticky: boolean;
}

/** The sticky assignment of `subscriptions` to the partitions of `partitionsPerTopic`. */
export function assignSticky(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  memberDataOf: MemberDataReader,
): StickyAssignmentResult {
  const group = prepareGroup(partitionsPerTopic, subscriptions);
  if (group.memberIds.length === 0) return { assignment: new Map(), allSubscriptionsEqual: true, partitionsTransferringOwnership: new Map(), isSticky: true };
  const ownership = resolveOwnership(group, subscriptions, memberDataOf);
  if (ownership.allSubscriptionsEqual) {
    const builder = new ConstrainedAssignmentBuilder(group, ownership);
    return { assignment: builder.build(), allSubscriptionsEqual: true, partitionsTransferringOwnership: builder.transferring, isSticky: true };
  }
  const builder = new GeneralAssignmentBuilder(group, ownership);
  const assignment = builder.build();
  return { assignment, allSubscriptionsEqual: false, partitionsTransferringOwnership: null, isSticky: builder.isSticky() };
}

// ---------------------------------------------------------------------------------------------
// Step 1: previous ownership (AbstractStickyAssignor.allSubscriptionsEqual)

interface Ownership {
  readonly allSubscriptionsEqual: boolean;
  /** Each member's still-valid owned partitions, members in the leader's HashMap order. */
  readonly ownedByMember: Map<string, TopicPartition[]>;
  readonly claimedByMultipleOwners: ReadonlySet<string>;
  readonly memberData: ReadonlyMap<string, StickyMemberData>;
  readonly maxGeneration: number;
}

function resolveOwnership(group: PreparedGroup, subscriptions: ReadonlyMap<string, MemberSubscription>, memberDataOf: MemberDataReader): Ownership {
  const ownedByMember = new Map<string, TopicPartition[]>();
  const claimedByMultipleOwners = new Set<string>();
  const memberData = new Map<string, StickyMemberData>();
  const ownerOf = new Map<string, string>();
  let maxGeneration = DEFAULT_GENERATION;
  for (const memberId of group.memberIds) {
    const data = memberDataOf(subscriptions.get(memberId)!);
    memberData.set(memberId, data);
    const generation = data.generation ?? DEFAULT_GENERATION;
    maxGeneration = Math.max(maxGeneration, generation);
    const owned: TopicPartition[] = [];
    ownedByMember.set(memberId, owned);
    for (const partition of data.partitions) {
      if (!partitionExists(group, partition)) continue;
      const key = tpKey(partition);
      const otherId = ownerOf.get(key);
      if (otherId === undefined) {
        owned.push(partition);
        ownerOf.set(key, memberId);
        continue;
      }
      // Kafka compares this member's data generation with the other's *subscription* generation.
      const otherGeneration = subscriptionGeneration(subscriptions.get(otherId)!);
      if (generation === otherGeneration) {
        claimedByMultipleOwners.add(key);
        removeFirst(ownedByMember.get(otherId)!, partition);
        ownerOf.set(key, memberId);
      } else if (generation > otherGeneration) {
        owned.push(partition);
        removeFirst(ownedByMember.get(otherId)!, partition);
        ownerOf.set(key, memberId);
      }
    }
  }
  return { allSubscriptionsEqual: subscriptionsEqual(group), ownedByMember, claimedByMultipleOwners, memberData, maxGeneration };
}

function subscriptionGeneration(subscription: MemberSubscription): number {
  return subscription.generationId < 0 ? DEFAULT_GENERATION : subscription.generationId;
}

function partitionExists(group: PreparedGroup, partition: TopicPartition): boolean {
  const count = group.partitionsPerTopic.get(partition.topic);
  return count !== undefined && Number.isInteger(partition.partition) && partition.partition >= 0 && partition.partition < count;
}

function subscriptionsEqual(group: PreparedGroup): boolean {
  const first = group.topicsOf.get(group.memberIds[0]!)!;
  return group.memberIds.every((memberId) => {
    const topics = group.topicsOf.get(memberId)!;
    return topics.size === first.size && [...topics].every((topic) => first.has(topic));
  });
}

function removeFirst(list: TopicPartition[], partition: TopicPartition): void {
  const index = list.findIndex((p) => p.topic === partition.topic && p.partition === partition.partition);
  if (index >= 0) list.splice(index, 1);
}

/** Kafka's own sort of owned partitions before keeping a quota of them: partition, then topic. */
function compareByPartitionThenTopic(a: TopicPartition, b: TopicPartition): number {
  return a.partition - b.partition || compareJavaStrings(a.topic, b.topic);
}

// ---------------------------------------------------------------------------------------------
// Step 2: every member subscribes to the same topics (ConstrainedAssignmentBuilder)

class ConstrainedAssignmentBuilder {
  readonly transferring: TransferringOwnership = new Map();
  private readonly assignment = new Map<string, TopicPartition[]>();
  private readonly assignedKeys = new Set<string>();
  /** Owned partitions a member had to give up (beyond its quota), by tpKey: owner. */
  private readonly maybeRevoked = new Map<string, string>();
  private readonly unfilledUnderMinQuota: string[] = [];
  private unfilledExactlyMinQuota: string[] = [];
  private readonly minQuota: number;
  private readonly maxQuota: number;
  private readonly expectedMembersOverMinQuota: number;
  private currentMembersOverMinQuota = 0;

  constructor(
    private readonly group: PreparedGroup,
    private readonly ownership: Ownership,
  ) {
    const members = group.memberIds.length;
    this.minQuota = Math.floor(group.totalPartitions / members);
    this.maxQuota = Math.ceil(group.totalPartitions / members);
    this.expectedMembersOverMinQuota = group.totalPartitions % members;
    for (const memberId of ownership.ownedByMember.keys()) this.assignment.set(memberId, []);
  }

  build(): Map<string, TopicPartition[]> {
    this.assignOwnedPartitions();
    const unassigned = this.unassignedPartitions();
    this.unfilledUnderMinQuota.sort(compareJavaStrings);
    this.unfilledExactlyMinQuota.sort(compareJavaStrings);
    this.assignRoundRobin(unassigned);
    this.verifyUnfilledMembers();
    return this.assignment;
  }

  /** Members keep owned partitions up to their quota; who may keep maxQuota goes by iteration order. */
  private assignOwnedPartitions(): void {
    for (const [memberId, ownedNow] of this.ownership.ownedByMember) {
      const owned = [...ownedNow].sort(compareByPartitionThenTopic);
      for (const key of this.ownership.claimedByMultipleOwners) {
        const index = owned.findIndex((p) => tpKey(p) === key);
        if (index >= 0) owned.splice(index, 1);
      }
      if (owned.length < this.minQuota) {
        this.keep(memberId, owned);
        this.unfilledUnderMinQuota.push(memberId);
      } else if (owned.length >= this.maxQuota && this.currentMembersOverMinQuota < this.expectedMembersOverMinQuota) {
        this.currentMembersOverMinQuota++;
        if (this.currentMembersOverMinQuota === this.expectedMembersOverMinQuota) this.unfilledExactlyMinQuota = [];
        this.keep(memberId, owned.slice(0, this.maxQuota));
        this.giveUp(memberId, owned.slice(this.maxQuota));
      } else {
        this.keep(memberId, owned.slice(0, this.minQuota));
        this.giveUp(memberId, owned.slice(this.minQuota));
        if (this.currentMembersOverMinQuota < this.expectedMembersOverMinQuota) this.unfilledExactlyMinQuota.push(memberId);
      }
    }
  }

  private keep(memberId: string, partitions: readonly TopicPartition[]): void {
    this.assignment.get(memberId)!.push(...partitions);
    for (const partition of partitions) this.assignedKeys.add(tpKey(partition));
  }

  private giveUp(memberId: string, partitions: readonly TopicPartition[]): void {
    for (const partition of partitions) this.maybeRevoked.set(tpKey(partition), memberId);
  }

  /** All partitions not kept, by topic name then partition. */
  private unassignedPartitions(): TopicPartition[] {
    const topics = [...this.group.partitionsPerTopic.keys()].sort(compareJavaStrings);
    return topics.flatMap((topic) => partitionsOf(topic, this.group.partitionsPerTopic.get(topic)!)).filter((p) => !this.assignedKeys.has(tpKey(p)));
  }

  /**
   * Deals the unassigned partitions over the members under minQuota, cycling through them, and
   * once none is left, to members at minQuota that may still reach maxQuota (first come first).
   * `cursor` plays Java's LinkedList iterator over the under-minQuota list.
   */
  private assignRoundRobin(unassigned: readonly TopicPartition[]): void {
    const under = this.unfilledUnderMinQuota;
    let cursor = 0;
    for (const partition of unassigned) {
      let memberId: string;
      let fromUnder = true;
      if (cursor < under.length) {
        memberId = under[cursor++]!;
      } else {
        assert(under.length > 0 || this.unfilledExactlyMinQuota.length > 0, 'No more unfilled consumers to be assigned.');
        if (under.length === 0) {
          memberId = this.unfilledExactlyMinQuota.shift()!;
          fromUnder = false;
        } else {
          cursor = 0;
          memberId = under[cursor++]!;
        }
      }
      const assignedCount = this.assignNewPartition(partition, memberId);
      if (assignedCount === this.minQuota) {
        if (!fromUnder) assertFailed(`member ${memberId} reached minQuota from the minQuota list`);
        under.splice(--cursor, 1);
        this.unfilledExactlyMinQuota.push(memberId);
      } else if (assignedCount === this.maxQuota) {
        this.currentMembersOverMinQuota++;
      }
    }
  }

  private assignNewPartition(partition: TopicPartition, memberId: string): number {
    const list = this.assignment.get(memberId)!;
    list.push(partition);
    const key = tpKey(partition);
    const previousOwner = this.maybeRevoked.get(key);
    if ((previousOwner !== undefined && previousOwner !== memberId) || this.ownership.claimedByMultipleOwners.has(key)) {
      this.transferring.set(key, { partition, memberId });
    }
    return list.length;
  }

  /** Kafka throws IllegalStateException here: the quotas add up, so this is a bug, not input. */
  private verifyUnfilledMembers(): void {
    if (this.unfilledUnderMinQuota.length === 0) return;
    assert(
      this.currentMembersOverMinQuota === this.expectedMembersOverMinQuota,
      "We haven't reached the expected number of members with more than the minQuota partitions, but no more partitions to be assigned",
    );
    for (const memberId of this.unfilledUnderMinQuota) {
      if (!(this.assignment.get(memberId)!.length === this.minQuota)) assertFailed(`Consumer: [${memberId}] doesn't reach minQuota partitions, and no more partitions to be assigned`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Step 3: subscriptions differ (GeneralAssignmentBuilder)

interface PreviousOwner {
  readonly memberId: string;
  readonly generation: number;
}

/** Kafka's TreeSet of members ordered by assignment size, then member id. */
class MembersBySize {
  private readonly members: string[] = [];

  constructor(private readonly sizeOf: (memberId: string) => number) {}

  get size(): number {
    return this.members.length;
  }

  first(): string {
    return this.members[0]!;
  }

  last(): string {
    return this.members[this.members.length - 1]!;
  }

  /** Ascending; read-only use (callers stop iterating before they change a member's size). */
  values(): readonly string[] {
    return this.members;
  }

  add(memberId: string): void {
    let low = 0;
    let high = this.members.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = this.compare(this.members[mid]!, memberId);
      if (order === 0) return;
      if (order < 0) low = mid + 1;
      else high = mid;
    }
    this.members.splice(low, 0, memberId);
  }

  remove(memberId: string): void {
    const index = this.members.indexOf(memberId);
    if (index >= 0) this.members.splice(index, 1);
  }

  private compare(a: string, b: string): number {
    return this.sizeOf(a) - this.sizeOf(b) || compareJavaStrings(a, b);
  }
}

/** A Java HashSet<TopicPartition> as far as its first element goes (which partition moves back). */
class TopicPartitionHashSet {
  private readonly items = new Map<string, TopicPartition>();
  private maxSize = 0;

  get size(): number {
    return this.items.size;
  }

  add(partition: TopicPartition): void {
    this.items.set(tpKey(partition), partition);
    this.maxSize = Math.max(this.maxSize, this.items.size);
  }

  delete(partition: TopicPartition): void {
    this.items.delete(tpKey(partition));
  }

  first(): TopicPartition {
    return inJavaHashOrder([...this.items.values()], javaTopicPartitionHashCode, javaHashTableCapacity(this.maxSize))[0]!;
  }
}

interface ConsumerPair {
  readonly src: string;
  readonly dst: string;
}

function pairKey(pair: ConsumerPair): string {
  return JSON.stringify([pair.src, pair.dst]);
}

/**
 * AbstractStickyAssignor.PartitionMovements: which partitions moved from which member to which
 * during one run, so that a move can undo an earlier move instead of adding a second one.
 */
class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, { pair: ConsumerPair; partitions: TopicPartitionHashSet }>>();
  private readonly byPartition = new Map<string, ConsumerPair>();

  movePartition(partition: TopicPartition, oldMember: string, newMember: string): void {
    const existing = this.byPartition.get(tpKey(partition));
    if (existing === undefined) {
      this.addRecord(partition, { src: oldMember, dst: newMember });
      return;
    }
    this.removeRecord(partition);
    // Moving back to where it came from cancels the movement.
    if (existing.src !== newMember) this.addRecord(partition, { src: existing.src, dst: newMember });
  }

  /** The partition to move instead of `partition`: one that earlier moved the opposite way. */
  actualPartitionToBeMoved(partition: TopicPartition, oldMember: string, newMember: string): TopicPartition {
    const forTopic = this.byTopic.get(partition.topic);
    if (forTopic === undefined) return partition;
    const src = this.byPartition.get(tpKey(partition))?.src ?? oldMember;
    const reverse = forTopic.get(pairKey({ src: newMember, dst: src }));
    return reverse === undefined ? partition : reverse.partitions.first();
  }

  /** No topic has moves in both directions between two members (Kafka checks only 2-cycles). */
  isSticky(): boolean {
    for (const forTopic of this.byTopic.values()) {
      for (const { pair } of forTopic.values()) if (forTopic.has(pairKey({ src: pair.dst, dst: pair.src }))) return false;
    }
    return true;
  }

  private addRecord(partition: TopicPartition, pair: ConsumerPair): void {
    this.byPartition.set(tpKey(partition), pair);
    const forTopic = this.byTopic.get(partition.topic) ?? new Map<string, { pair: ConsumerPair; partitions: TopicPartitionHashSet }>();
    this.byTopic.set(partition.topic, forTopic);
    const key = pairKey(pair);
    const entry = forTopic.get(key) ?? { pair, partitions: new TopicPartitionHashSet() };
    forTopic.set(key, entry);
    entry.partitions.add(partition);
  }

  private removeRecord(partition: TopicPartition): void {
    const pair = this.byPartition.get(tpKey(partition))!;
    this.byPartition.delete(tpKey(partition));
    const forTopic = this.byTopic.get(partition.topic)!;
    const key = pairKey(pair);
    const entry = forTopic.get(key)!;
    entry.partitions.delete(partition);
    if (entry.partitions.size === 0) forTopic.delete(key);
    if (forTopic.size === 0) this.byTopic.delete(partition.topic);
  }
}

class GeneralAssignmentBuilder {
  private readonly currentAssignment: Map<string, TopicPartition[]>;
  private readonly consumersOfTopic = new Map<string, string[]>();
  private readonly topicsOfMember = new Map<string, readonly string[]>();
  private readonly currentOwner = new Map<string, string>();
  private sortedAllPartitions: TopicPartition[];
  private readonly bySize = new MembersBySize((memberId) => this.assignedTo(memberId).length);
  private readonly movements = new PartitionMovements();
  private revocationRequired = false;
  private moves = 0;

  constructor(
    private readonly group: PreparedGroup,
    private readonly ownership: Ownership,
  ) {
    this.currentAssignment = ownership.ownedByMember;
    for (const topic of group.partitionsPerTopic.keys()) this.consumersOfTopic.set(topic, []);
    for (const memberId of group.memberIds) {
      const topics = [...group.topicsOf.get(memberId)!].filter((topic) => group.partitionsPerTopic.has(topic));
      this.topicsOfMember.set(memberId, topics);
      for (const topic of topics) this.consumersOfTopic.get(topic)!.push(memberId);
    }
    for (const [memberId, partitions] of this.currentAssignment) for (const partition of partitions) this.currentOwner.set(tpKey(partition), memberId);
    const sortedTopics = [...this.consumersOfTopic.keys()].sort(
      (a, b) => this.consumersOfTopic.get(a)!.length - this.consumersOfTopic.get(b)!.length || compareJavaStrings(a, b),
    );
    this.sortedAllPartitions = sortedTopics.flatMap((topic) => partitionsOf(topic, group.partitionsPerTopic.get(topic)!));
  }

  build(): Map<string, TopicPartition[]> {
    const previousOwners = this.previousOwners();
    const assigned = new Set(this.keepOwnedPartitions().map(tpKey));
    const unassigned = this.sortedAllPartitions.filter((partition) => !assigned.has(tpKey(partition)));
    for (const memberId of this.currentAssignment.keys()) this.bySize.add(memberId);
    this.balance(previousOwners, unassigned);
    return this.currentAssignment;
  }

  isSticky(): boolean {
    return this.movements.isSticky();
  }

  /**
   * prepopulateCurrentAssignments: for members whose data comes from an older generation than the
   * newest, the newest older owner of each partition, where a move back is preferred.
   */
  private previousOwners(): Map<string, PreviousOwner> {
    const previous = new Map<string, PreviousOwner>();
    const maxGeneration = this.ownership.maxGeneration;
    for (const memberId of this.group.memberIds) {
      const data = this.ownership.memberData.get(memberId)!;
      const generation = data.generation;
      if (generation !== null && generation < maxGeneration) recordPreviousOwner(previous, data.partitions, memberId, generation);
      else if (generation === null && maxGeneration > DEFAULT_GENERATION) recordPreviousOwner(previous, data.partitions, memberId, DEFAULT_GENERATION);
    }
    return previous;
  }

  /** Keeps each member's owned partitions of topics it still subscribes to; returns them all. */
  private keepOwnedPartitions(): TopicPartition[] {
    const kept: TopicPartition[] = [];
    for (const [memberId, partitions] of this.currentAssignment) {
      const subscribed = this.group.topicsOf.get(memberId)!;
      const stillOwned = partitions.filter((partition) => subscribed.has(partition.topic));
      if (stillOwned.length !== partitions.length) this.revocationRequired = true;
      partitions.splice(0, partitions.length, ...stillOwned);
      kept.push(...stillOwned);
    }
    return kept;
  }

  private balance(previousOwners: ReadonlyMap<string, PreviousOwner>, unassignedAtStart: TopicPartition[]): void {
    const initializing = this.assignedTo(this.bySize.last()).length === 0;
    for (const partition of unassignedAtStart) this.assignToLeastLoaded(partition);

    const fixed = this.fixedPartitionKeys();
    this.sortedAllPartitions = this.sortedAllPartitions.filter((partition) => !fixed.has(tpKey(partition)));
    const unassigned = unassignedAtStart.filter((partition) => !fixed.has(tpKey(partition)));
    const fixedAssignments = this.setAsideFixedMembers();

    const before = copyAssignment(this.currentAssignment);
    const ownersBefore = new Map(this.currentOwner);
    if (!this.revocationRequired) this.performReassignments(unassigned, previousOwners);
    const reassigned = this.performReassignments(this.sortedAllPartitions, previousOwners);
    if (!initializing && reassigned && balanceScore(this.currentAssignment) >= balanceScore(before)) {
      this.currentAssignment.clear();
      for (const [memberId, partitions] of before) this.currentAssignment.set(memberId, partitions);
      this.currentOwner.clear();
      for (const [key, memberId] of ownersBefore) this.currentOwner.set(key, memberId);
    }
    for (const [memberId, partitions] of fixedAssignments) {
      this.currentAssignment.set(memberId, partitions);
      this.bySize.add(memberId);
    }
  }

  /** maybeAssignPartition: the least loaded member subscribed to the topic takes it. */
  private assignToLeastLoaded(partition: TopicPartition): void {
    if (this.consumersOfTopic.get(partition.topic)!.length === 0) return;
    const memberId = this.bySize.values().find((m) => this.subscribes(m, partition.topic));
    if (memberId === undefined) return;
    this.bySize.remove(memberId);
    this.assignedTo(memberId).push(partition);
    this.currentOwner.set(tpKey(partition), memberId);
    this.bySize.add(memberId);
  }

  /** Partitions of topics with a single possible member: nothing to balance there. */
  private fixedPartitionKeys(): Set<string> {
    const fixed = new Set<string>();
    for (const [topic, consumers] of this.consumersOfTopic) {
      if (consumers.length >= 2) continue;
      for (const partition of partitionsOf(topic, this.group.partitionsPerTopic.get(topic)!)) fixed.add(tpKey(partition));
    }
    return fixed;
  }

  /** Members that cannot take part in balancing leave the working set until the end. */
  private setAsideFixedMembers(): Map<string, TopicPartition[]> {
    const fixedAssignments = new Map<string, TopicPartition[]>();
    for (const memberId of this.topicsOfMember.keys()) {
      if (this.canMemberParticipate(memberId)) continue;
      this.bySize.remove(memberId);
      fixedAssignments.set(memberId, this.assignedTo(memberId));
      this.currentAssignment.delete(memberId);
    }
    return fixedAssignments;
  }

  private canMemberParticipate(memberId: string): boolean {
    const partitions = this.assignedTo(memberId);
    if (partitions.length < this.maxAssignmentSize(memberId)) return true;
    return partitions.some((partition) => this.consumersOfTopic.get(partition.topic)!.length >= 2);
  }

  private maxAssignmentSize(memberId: string): number {
    const topics = this.topicsOfMember.get(memberId)!;
    if (topics.length === this.group.partitionsPerTopic.size) return this.group.totalPartitions;
    return topics.reduce((sum, topic) => sum + this.group.partitionsPerTopic.get(topic)!, 0);
  }

  /** Moves partitions until balanced or no move helps; returns whether anything moved. */
  private performReassignments(reassignable: readonly TopicPartition[], previousOwners: ReadonlyMap<string, PreviousOwner>): boolean {
    let reassigned = false;
    let modified: boolean;
    do {
      modified = false;
      for (const partition of reassignable) {
        if (this.isBalanced()) break;
        if (this.reassignIfUnbalanced(partition, previousOwners)) {
          reassigned = true;
          modified = true;
        }
      }
    } while (modified);
    return reassigned;
  }

  /** One step of performReassignments for one partition; true when a partition moved. */
  private reassignIfUnbalanced(partition: TopicPartition, previousOwners: ReadonlyMap<string, PreviousOwner>): boolean {
    const owner = this.currentOwner.get(tpKey(partition))!;
    const ownerLoad = this.assignedTo(owner).length;
    const previous = previousOwners.get(tpKey(partition));
    if (previous !== undefined && this.canTakeBack(previous.memberId, partition) && ownerLoad > this.assignedTo(previous.memberId).length + 1) {
      this.reassignPartitionTo(partition, previous.memberId);
      return true;
    }
    const lighter = this.consumersOfTopic.get(partition.topic)!.some((other) => ownerLoad > this.assignedTo(other).length + 1);
    if (!lighter) return false;
    const target = this.bySize.values().find((m) => this.subscribes(m, partition.topic));
    if (!(target !== undefined)) assertFailed(`no member subscribes to ${partition.topic}`);
    this.reassignPartitionTo(partition, target);
    return true;
  }

  /** A previous owner takes a partition back only if it still subscribes and is being balanced. */
  private canTakeBack(memberId: string, partition: TopicPartition): boolean {
    return this.currentAssignment.has(memberId) && this.subscribes(memberId, partition.topic);
  }

  private reassignPartitionTo(partition: TopicPartition, newMember: string): void {
    const owner = this.currentOwner.get(tpKey(partition))!;
    const toMove = this.movements.actualPartitionToBeMoved(partition, owner, newMember);
    this.processPartitionMovement(toMove, newMember);
  }

  private processPartitionMovement(partition: TopicPartition, newMember: string): void {
    this.moves++;
    if (!(this.moves <= assignorLimits.stickyBalanceMovesMax)) assertFailed(`sticky balancing made more than ${assignorLimits.stickyBalanceMovesMax} moves`);
    const oldMember = this.currentOwner.get(tpKey(partition))!;
    this.bySize.remove(oldMember);
    this.bySize.remove(newMember);
    this.movements.movePartition(partition, oldMember, newMember);
    removeFirst(this.assignedTo(oldMember), partition);
    this.assignedTo(newMember).push(partition);
    this.currentOwner.set(tpKey(partition), newMember);
    this.bySize.add(newMember);
    this.bySize.add(oldMember);
  }

  /**
   * Balanced when loads differ by at most one, or when no member short of everything it could
   * have could take a partition from a member with two or more than itself.
   */
  private isBalanced(): boolean {
    if (this.bySize.size === 0) return true;
    const min = this.assignedTo(this.bySize.first()).length;
    const max = this.assignedTo(this.bySize.last()).length;
    if (min >= max - 1) return true;
    const ownerOf = new Map<string, string>();
    for (const [memberId, partitions] of this.currentAssignment) for (const partition of partitions) ownerOf.set(tpKey(partition), memberId);
    return this.bySize.values().every((memberId) => !this.canTakeFromHeavier(memberId, ownerOf));
  }

  private canTakeFromHeavier(memberId: string, ownerOf: ReadonlyMap<string, string>): boolean {
    const load = this.assignedTo(memberId).length;
    if (load === this.maxAssignmentSize(memberId)) return false;
    const mine = new Set(this.assignedTo(memberId).map(tpKey));
    for (const topic of this.topicsOfMember.get(memberId)!) {
      for (let partition = 0; partition < this.group.partitionsPerTopic.get(topic)!; partition++) {
        const key = tpKey({ topic, partition });
        if (mine.has(key)) continue;
        const other = ownerOf.get(key);
        if (other !== undefined && load + 1 < this.assignedTo(other).length) return true;
      }
    }
    return false;
  }

  private subscribes(memberId: string, topic: string): boolean {
    return this.group.topicsOf.get(memberId)!.has(topic) && this.group.partitionsPerTopic.has(topic);
  }

  private assignedTo(memberId: string): TopicPartition[] {
    const partitions = this.currentAssignment.get(memberId);
    if (!(partitions !== undefined)) assertFailed(`member ${memberId} is not in the working assignment`);
    return partitions;
  }
}

function recordPreviousOwner(previous: Map<string, PreviousOwner>, partitions: readonly TopicPartition[], memberId: string, generation: number): void {
  for (const partition of partitions) {
    const key = tpKey(partition);
    const existing = previous.get(key);
    if (existing === undefined || generation > existing.generation) previous.set(key, { memberId, generation });
  }
}

function copyAssignment(assignment: ReadonlyMap<string, readonly TopicPartition[]>): Map<string, TopicPartition[]> {
  return new Map([...assignment].map(([memberId, partitions]) => [memberId, [...partitions]]));
}

/** The sum of load differences over all member pairs; 0 is perfectly balanced (getBalanceScore). */
function balanceScore(assignment: ReadonlyMap<string, readonly TopicPartition[]>): number {
  const loads = [...assignment.values()].map((partitions) => partitions.length);
  let score = 0;
  for (let i = 0; i < loads.length; i++) for (let j = i + 1; j < loads.length; j++) score += Math.abs(loads[i]! - loads[j]!);
  return score;
}
