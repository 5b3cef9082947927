/**
 * One consumer group under the classic protocol: its state machine, members, generation, protocol
 * vote, leader and committed offsets — Kafka's GroupMetadata / MemberMetadata
 * (core/src/main/scala/kafka/coordinator/group, 3.x) and ClassicGroup (group-coordinator, 3.7+).
 * It holds no timers of its own and does no I/O: the coordinator drives it (the timer handles it
 * keeps are the coordinator's, stored here so that unloading the group cancels them all).
 *
 * States and the transitions Kafka allows (ClassicGroupState.validPreviousStates):
 *
 *   Empty ──join──▶ PreparingRebalance ──join done──▶ CompletingRebalance ──leader's sync──▶ Stable
 *     ▲                 ▲   │ (no member left)                 │                               │
 *     └─────────────────┼───┘                                  └──member change────────────────┤
 *                       └──────────────────────────────────────────────────────────────────────┘
 *   Dead from any state (unloaded, deleted, or Empty with no offsets left).
 *
 * Invariants:
 * - `numMembersAwaitingJoin` equals the number of members with a join callback;
 * - `supportedProtocols[name]` counts the members that offer protocol `name`;
 * - `staticMembers` maps each group.instance.id to the member id that holds it, and only those;
 * - the leader, when set, is a member; pending members (MEMBER_ID_REQUIRED) are never members;
 * - members keep the order they joined in (Kafka's HashMap order is arbitrary; here "the first
 *   member to join" is also the next leader when the leader leaves, and ties in the protocol vote
 *   go to the protocol that got its first vote earliest), so runs are deterministic.
 */
import { assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import type { KafkaErrorName } from '../core/kafka-errors.js';
import type { TimerHandle } from '../core/timers.js';
import type {
  DescribedGroupMember,
  GroupState,
  JoinGroupMember,
  JoinGroupProtocol,
  JoinGroupResponse,
  SyncGroupResponse,
} from './group-messages.js';
import { groupLimits } from './group-limits.js';

export type JoinCallback = (response: JoinGroupResponse) => void;
export type SyncCallback = (response: SyncGroupResponse) => void;

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);
/** ConsumerProtocol.PROTOCOL_TYPE */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  Empty: ['PreparingRebalance'],
};

/** A committed offset as the group caches it (OffsetAndMetadata). */
export interface CommittedOffset {
  readonly offset: number;
  /** -1 when the client did not know it. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /** Only offsets loaded from an OffsetCommitValue v1 carry one (the pre-2.1 expiry); null otherwise. */
  readonly expireTimestampMs: number | null;
}

export interface TopicPartitionEntry<V> {
  readonly topic: string;
  readonly partition: number;
  readonly value: V;
}

/** A map keyed by (topic, partition), without string-joining keys (topic names are free text here). */
export class TopicPartitionMap<V> {
  private readonly byTopic = new Map<string, Map<number, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(topic: string, partition: number): V | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  has(topic: string, partition: number): boolean {
    return this.byTopic.get(topic)?.has(partition) ?? false;
  }

  set(topic: string, partition: number, value: V): void {
    let partitions = this.byTopic.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.byTopic.set(topic, partitions);
    }
    if (!partitions.has(partition)) this.count += 1;
    partitions.set(partition, value);
  }

  delete(topic: string, partition: number): V | undefined {
    const partitions = this.byTopic.get(topic);
    const value = partitions?.get(partition);
    if (partitions === undefined || !partitions.has(partition)) return undefined;
    partitions.delete(partition);
    this.count -= 1;
    if (partitions.size === 0) this.byTopic.delete(topic);
    return value;
  }

  clear(): void {
    this.byTopic.clear();
    this.count = 0;
  }

  /** Entries sorted by topic, then partition: the order responses and records list them in. */
  entries(): TopicPartitionEntry<V>[] {
    const out: TopicPartitionEntry<V>[] = [];
    for (const topic of [...this.byTopic.keys()].sort()) {
      const partitions = this.byTopic.get(topic)!;
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) out.push({ topic, partition, value: partitions.get(partition)! });
    }
    return out;
  }
}

/** One member of a classic group (MemberMetadata). */
export class ClassicGroupMember {
  awaitingJoinCallback: JoinCallback | null = null;
  awaitingSyncCallback: SyncCallback | null = null;
  /** A member whose first JoinGroup has not completed yet: only it can expire while awaiting join. */
  isNew = false;
  /** The coordinator's session (heartbeat) expiration timer for this member. */
  expiration: TimerHandle | null = null;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: readonly JoinGroupProtocol[],
    public assignment: Uint8Array = EMPTY_BYTES,
  ) {}

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoinCallback !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSyncCallback !== null;
  }

  /** The member's metadata for `protocol` (its subscription bytes). */
  metadata(protocol: string): Uint8Array {
    const found = this.supportedProtocols.find((p) => p.name === protocol);
    if (!(found !== undefined)) assertFailed(`member ${this.memberId} does not support protocol ${protocol}`);
    return found.metadata;
  }

  /** Whether `protocols` are exactly the member's current ones, names and bytes, in order. */
  matches(protocols: readonly JoinGroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => p.name === this.supportedProtocols[i]!.name && bytesEqual(p.metadata, this.supportedProtocols[i]!.metadata));
  }

  /** The member's vote: its most preferred protocol among the candidates (MemberMetadata.vote). */
  vote(candidates: ReadonlySet<string>): string {
    const found = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (!(found !== undefined)) assertFailed(`member ${this.memberId} supports none of the candidate protocols`);
    return found.name;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How the group waits for members to join: Kafka's InitialDelayedJoin or DelayedJoin. */
export type JoinWait =
  | { readonly kind: 'initial'; readonly timer: TimerHandle; readonly delayMs: number; readonly remainingMs: number }
  | { readonly kind: 'rebalance'; readonly timer: TimerHandle };

/** Kafka's GroupSummary, what DescribeGroups shows. */
export interface GroupSummary {
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly DescribedGroupMember[];
}

export class ClassicGroup {
  private currentState: GroupState;
  /** When the group entered its current state; null for a group loaded from a pre-2.1 record. */
  currentStateTimestampMs: number | null;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  /** Set when a member joins during the first (generation 0) initial delay, so the delay is extended. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol only); null when unknown. */
  subscribedTopics: ReadonlySet<string> | null = null;

  private readonly members = new Map<string, ClassicGroupMember>();
  private readonly staticMembers = new Map<string, string>();
  private readonly pendingMembers = new Set<string>();
  private readonly pendingSyncMembers = new Set<string>();
  private readonly supportedProtocols = new Map<string, number>();
  private numMembersAwaitingJoin = 0;

  readonly offsets = new TopicPartitionMap<CommittedOffset>();
  /** Commits appended but not yet acknowledged: they are neither served nor expired. */
  readonly pendingOffsetCommits = new TopicPartitionMap<CommittedOffset>();

  // The coordinator's timers for this group.
  joinWait: JoinWait | null = null;
  syncWait: { readonly timer: TimerHandle; readonly generationId: number } | null = null;
  readonly pendingMemberExpirations = new Map<string, TimerHandle>();

  constructor(
    readonly groupId: string,
    initialState: GroupState,
    private readonly clock: Clock,
    private readonly onTransition: (group: ClassicGroup, from: GroupState, to: GroupState) => void = () => {},
  ) {
    this.currentState = initialState;
    this.currentStateTimestampMs = clock.nowMs();
  }

  get state(): GroupState {
    return this.currentState;
  }

  is(state: GroupState): boolean {
    return this.currentState === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): ClassicGroupMember {
    const member = this.members.get(memberId);
    if (!(member !== undefined)) assertFailed(`group ${this.groupId} has no member ${memberId}`);
    return member;
  }

  find(memberId: string): ClassicGroupMember | undefined {
    return this.members.get(memberId);
  }

  get size(): number {
    return this.members.size;
  }

  get numAwaiting(): number {
    return this.numMembersAwaitingJoin;
  }

  get numPending(): number {
    return this.pendingMembers.size;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  allMembers(): ClassicGroupMember[] {
    return [...this.members.values()];
  }

  /** The largest rebalance timeout of the members: how long a rebalance may wait for them. */
  get rebalanceTimeoutMs(): number {
    let timeoutMs = 0;
    for (const m of this.members.values()) timeoutMs = Math.max(timeoutMs, m.rebalanceTimeoutMs);
    return timeoutMs;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.currentState);
  }

  transitionTo(target: GroupState): void {
    const from = this.currentState;
    if (!VALID_PREVIOUS_STATES[target].includes(from)) {
      assertFailed(`group ${this.groupId} should be in one of ${VALID_PREVIOUS_STATES[target].join(',')} before moving to ${target}; it is ${from}`);
    }
    this.currentState = target;
    this.currentStateTimestampMs = this.clock.nowMs();
    this.onTransition(this, from, target);
  }

  // --- membership -------------------------------------------------------------------------

  add(member: ClassicGroupMember, callback: JoinCallback | null): void {
    if (this.members.has(member.memberId)) assertFailed(`member ${member.memberId} is already in group ${this.groupId}`);
    if (!(this.members.size < groupLimits.membersPerGroupMax)) assertFailed(`group ${this.groupId} already has ${groupLimits.membersPerGroupMax} members`);
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) assertFailed(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (!(this.protocolType === member.protocolType)) assertFailed(`member protocol type ${member.protocolType} differs from the group's ${this.protocolType}`);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoinCallback = callback;
    if (callback !== null) this.numMembersAwaitingJoin += 1;
    this.pendingMembers.delete(member.memberId);
  }

  /** Removes a member (or a pending member id). A new leader is the earliest remaining member. */
  remove(memberId: string): ClassicGroupMember | undefined {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin -= 1;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  updateMember(member: ClassicGroupMember, protocols: readonly JoinGroupProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, callback: JoinCallback | null): void {
    this.countProtocols(member, -1);
    member.supportedProtocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback !== null && !member.isAwaitingJoin) this.numMembersAwaitingJoin += 1;
    else if (callback === null && member.isAwaitingJoin) this.numMembersAwaitingJoin -= 1;
    member.awaitingJoinCallback = callback;
  }

  /** Answers the member's waiting JoinGroup, if it has one. */
  maybeInvokeJoinCallback(member: ClassicGroupMember, response: JoinGroupResponse): boolean {
    const callback = member.awaitingJoinCallback;
    if (callback === null) return false;
    member.awaitingJoinCallback = null;
    this.numMembersAwaitingJoin -= 1;
    callback(response);
    return true;
  }

  /** Answers the member's waiting SyncGroup, if it has one. */
  maybeInvokeSyncCallback(member: ClassicGroupMember, response: SyncGroupResponse): boolean {
    const callback = member.awaitingSyncCallback;
    if (callback === null) return false;
    member.awaitingSyncCallback = null;
    callback(response);
    return true;
  }

  /**
   * A static member restarted: the member keeps its place, assignment and group.instance.id under
   * a new member id; a JoinGroup or SyncGroup the old member id still has waiting is fenced.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicGroupMember {
    const member = this.get(oldMemberId);
    this.maybeInvokeJoinCallback(member, joinError(oldMemberId, 'FENCED_INSTANCE_ID'));
    this.maybeInvokeSyncCallback(member, syncError('FENCED_INSTANCE_ID'));
    const ordered = [...this.members.entries()];
    this.members.clear();
    for (const [id, m] of ordered) this.members.set(id === oldMemberId ? newMemberId : id, m);
    member.memberId = newMemberId;
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  currentStaticMemberId(groupInstanceId: string): string | null {
    return this.staticMembers.get(groupInstanceId) ?? null;
  }

  staticMemberCount(): number {
    return this.staticMembers.size;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  addPendingMember(memberId: string): void {
    if (this.has(memberId)) assertFailed(`pending member ${memberId} is already a member of ${this.groupId}`);
    this.pendingMembers.add(memberId);
  }

  addPendingSyncMember(memberId: string): void {
    if (!this.has(memberId)) assertFailed(`pending sync for ${memberId}, which is not a member of ${this.groupId}`);
    this.pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.delete(memberId);
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this.pendingSyncMembers.size === 0;
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers];
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear();
  }

  /** Every known member has sent JoinGroup and no MEMBER_ID_REQUIRED member id is outstanding. */
  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): ClassicGroupMember[] {
    return this.allMembers().filter((m) => !m.isAwaitingJoin);
  }

  /**
   * Keeps the leader if it rejoined, else makes the earliest rejoined member the leader. False when
   * the group has no leader or nobody rejoined (GroupMetadata.maybeElectNewJoinedLeader).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.get(this.leaderId).isAwaitingJoin) return true;
    const joined = this.allMembers().find((m) => m.isAwaitingJoin);
    if (joined === undefined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  // --- protocols --------------------------------------------------------------------------

  private countProtocols(member: ClassicGroupMember, delta: 1 | -1): void {
    for (const p of member.supportedProtocols) {
      const count = (this.supportedProtocols.get(p.name) ?? 0) + delta;
      if (count === 0) this.supportedProtocols.delete(p.name);
      else this.supportedProtocols.set(p.name, count);
    }
  }

  /** Whether a member with this protocol type and these protocols may join (ClassicGroup.supportsProtocols). */
  supportsProtocols(memberProtocolType: string, memberProtocols: readonly string[]): boolean {
    if (this.is('Empty')) return memberProtocolType.length > 0 && memberProtocols.length > 0;
    return this.protocolType === memberProtocolType && memberProtocols.some((p) => this.supportedProtocols.get(p) === this.members.size);
  }

  /**
   * The protocol vote: each member votes for its most preferred protocol among those every member
   * supports; the most votes win; a tie goes to the protocol that received its first vote earliest.
   */
  selectProtocol(): string {
    if (!(this.members.size > 0)) assertFailed(`cannot select a protocol for the empty group ${this.groupId}`);
    const candidates = new Set([...this.supportedProtocols].filter(([, count]) => count === this.members.size).map(([name]) => name));
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let winner = '';
    let most = 0;
    for (const [protocol, count] of votes) {
      if (count > most) {
        winner = protocol;
        most = count;
      }
    }
    return winner;
  }

  /** Starts the next generation after a join: CompletingRebalance with members, Empty without. */
  initNextGeneration(): void {
    this.generationId += 1;
    this.protocolName = this.members.size > 0 ? this.selectProtocol() : null;
    this.subscribedTopics = this.computeSubscribedTopics();
    this.transitionTo(this.members.size > 0 ? 'CompletingRebalance' : 'Empty');
    this.clearPendingSyncMembers();
  }

  /** Members and their subscriptions for the leader's JoinGroup response. */
  currentMemberMetadata(): JoinGroupMember[] {
    if (!(!this.is('Dead') && !this.is('PreparingRebalance'))) assertFailed(`no member metadata for group ${this.groupId} in state ${this.state}`);
    const protocol = this.protocolName;
    if (!(protocol !== null)) assertFailed(`group ${this.groupId} has no protocol`);
    return this.allMembers().map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  /** DescribeGroups' view: metadata and assignments only when Stable, as Kafka shows them. */
  summary(): GroupSummary {
    const protocol = this.protocolName;
    const stable = this.is('Stable') && protocol !== null;
    return {
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocol: stable ? protocol : '',
      members: this.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(protocol) : EMPTY_BYTES,
        memberAssignment: stable ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  /**
   * The topics the members subscribe to, read from the version-0 prefix of every member's
   * ConsumerProtocolSubscription (as Kafka does, so future versions parse too). Null when the group
   * is not a consumer group, has no protocol yet, or a subscription does not parse.
   */
  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    const protocol = this.protocolName;
    if (protocol === null) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const parsed = subscriptionTopicsV0(m.metadata(protocol));
      if (parsed === null) return null;
      for (const t of parsed) topics.add(t);
    }
    return topics;
  }

  // --- offsets ----------------------------------------------------------------------------

  prepareOffsetCommit(entries: readonly TopicPartitionEntry<CommittedOffset>[]): void {
    for (const e of entries) this.pendingOffsetCommits.set(e.topic, e.partition, e.value);
  }

  /** The append of a commit was acknowledged: it becomes the committed offset (unless removed meanwhile). */
  onOffsetCommitAppend(entry: TopicPartitionEntry<CommittedOffset>): void {
    const pending = this.pendingOffsetCommits.get(entry.topic, entry.partition);
    if (pending === undefined) return;
    this.offsets.set(entry.topic, entry.partition, entry.value);
    if (pending === entry.value) this.pendingOffsetCommits.delete(entry.topic, entry.partition);
  }

  failPendingOffsetWrite(entry: TopicPartitionEntry<CommittedOffset>): void {
    if (this.pendingOffsetCommits.get(entry.topic, entry.partition) === entry.value) this.pendingOffsetCommits.delete(entry.topic, entry.partition);
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits.size > 0;
  }

  removeAllOffsets(): TopicPartitionEntry<CommittedOffset>[] {
    const removed = this.offsets.entries();
    this.offsets.clear();
    this.pendingOffsetCommits.clear();
    return removed;
  }

  /**
   * Removes and returns the offsets whose retention has passed (GroupMetadata.removeExpiredOffsets,
   * KIP-211): in an Empty group, retention counts from when the group became Empty; in a Stable
   * consumer group, offsets of topics no member subscribes to expire from their commit time; a
   * group without a protocol type (offsets committed from outside any group) expires each offset
   * from its commit time. Pending commits never expire.
   */
  removeExpiredOffsets(nowMs: number, retentionMs: number): TopicPartitionEntry<CommittedOffset>[] {
    let base: ((o: CommittedOffset) => number) | null = null;
    let keepTopics: ReadonlySet<string> = new Set();
    if (this.protocolType !== null && this.is('Empty')) {
      const emptySinceMs = this.currentStateTimestampMs;
      base = (o) => emptySinceMs ?? o.commitTimestampMs;
    } else if (this.protocolType === CONSUMER_PROTOCOL_TYPE && this.subscribedTopics !== null && this.is('Stable')) {
      base = (o) => o.commitTimestampMs;
      keepTopics = this.subscribedTopics;
    } else if (this.protocolType === null) {
      base = (o) => o.commitTimestampMs;
    }
    if (base === null) return [];
    const expired = this.offsets.entries().filter((e) => {
      if (keepTopics.has(e.topic) || this.pendingOffsetCommits.has(e.topic, e.partition)) return false;
      // An explicit expire timestamp (OffsetCommitValue v1) keeps the pre-2.1 semantics.
      return e.value.expireTimestampMs === null ? nowMs - base(e.value) >= retentionMs : nowMs >= e.value.expireTimestampMs;
    });
    for (const e of expired) this.offsets.delete(e.topic, e.partition);
    return expired;
  }
}

export function joinError(memberId: string, error: KafkaErrorName): JoinGroupResponse {
  return { error, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}

export function syncError(error: KafkaErrorName): SyncGroupResponse {
  return { error, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

/**
 * The topics of a ConsumerProtocolSubscription read as version 0 (int16 version, then
 * topics [STRING], user_data NULLABLE_BYTES); later versions only append fields. Null when the
 * bytes do not parse (Kafka: SchemaException → "not aware of the subscribed topics").
 */
export function subscriptionTopicsV0(bytes: Uint8Array): string[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number): boolean => pos + n <= bytes.length;
  if (!need(2) || view.getInt16(0) < 0) return null;
  pos = 2;
  if (!need(4)) return null;
  const count = view.getInt32(pos);
  pos += 4;
  // Each topic needs at least its 2-byte length, so a forged count cannot make this loop long.
  if (count < 0 || count * 2 > bytes.length - pos) return null;
  const topics: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < count; i++) {
    if (!need(2)) return null;
    const length = view.getInt16(pos);
    pos += 2;
    if (length < 0 || !need(length)) return null;
    try {
      topics.push(decoder.decode(bytes.subarray(pos, pos + length)));
    } catch {
      return null;
    }
    pos += length;
  }
  if (!need(4)) return null;
  const userDataLength = view.getInt32(pos);
  pos += 4;
  if (userDataLength < -1 || (userDataLength > 0 && !need(userDataLength))) return null;
  return topics;
}
