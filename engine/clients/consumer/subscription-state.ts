/**
 * What the consumer subscribes to and where it stands in each assigned partition, after Java's
 * SubscriptionState:
 *
 * - the subscription type: NONE, AUTO_TOPICS (subscribe(topics)), AUTO_PATTERN (subscribe(regex))
 *   or USER_ASSIGNED (assign(partitions)); the three are mutually exclusive until unsubscribe()
 *   ("Subscription to topics, partitions and pattern are mutually exclusive");
 * - per assigned partition a fetch state: INITIALIZING (no position yet: the committed offset is
 *   looked up), AWAIT_RESET (auto.offset.reset or seekToBeginning/End: ListOffsets pending) or
 *   FETCHING (a valid position); plus paused, pending revocation, the last high watermark and log
 *   start offset, and the reset request's retry time;
 * - a position is Java's FetchPosition: the offset of the next record to fetch, the leader epoch of
 *   the record before it, and the leader (and its epoch) it was validated against.
 *
 * A regex subscription matches whole topic names, as Java's Pattern.matcher(topic).matches().
 *
 * Invariants: a partition is FETCHING iff it has a position; at most
 * consumerLimits.assignedPartitionsMax partitions are assigned and subscribedTopicsMax topics
 * subscribed; an assignment from the group only ever holds partitions of subscribed topics (the
 * coordinator checks checkAssignmentMatchedSubscription first).
 */
import { assert } from '../../core/assert.js';
import type { OffsetResetStrategy } from './consumer-config.js';
import { ConsumerError } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';
import { bracketPartitions, compareTopicPartitions, sortPartitions, tpString, type ConsumerRebalanceListener, type TopicPartition, type TopicPartitionOffset } from './consumer-record.js';

export type SubscriptionType = 'NONE' | 'AUTO_TOPICS' | 'AUTO_PATTERN' | 'USER_ASSIGNED';
export type FetchState = 'INITIALIZING' | 'AWAIT_RESET' | 'FETCHING';
/** The strategy of one reset request: the configured one, or seekToBeginning / seekToEnd. */
export type ResetStrategy = 'earliest' | 'latest';

export interface FetchPosition {
  readonly offset: number;
  /** The leader epoch of the last consumed record, null when unknown. */
  readonly offsetEpoch: number | null;
  /** The partition's leader broker when the position was set, null when unknown. */
  readonly leader: number | null;
  readonly leaderEpoch: number | null;
}

export interface PartitionStateView {
  readonly fetchState: FetchState;
  readonly position: FetchPosition | null;
  readonly highWatermark: number | null;
  readonly logStartOffset: number | null;
  readonly paused: boolean;
  readonly pendingRevocation: boolean;
}

interface PartitionState {
  readonly tp: TopicPartition;
  fetchState: FetchState;
  position: FetchPosition | null;
  highWatermark: number | null;
  logStartOffset: number | null;
  paused: boolean;
  pendingRevocation: boolean;
  resetStrategy: ResetStrategy | null;
  /** A reset request is in flight or backing off until then. */
  nextResetRetryMs: number | null;
}

export const SUBSCRIPTION_EXCEPTION_MESSAGE = 'Subscription to topics, partitions and pattern are mutually exclusive';

export class SubscriptionState {
  private type: SubscriptionType = 'NONE';
  private topics = new Set<string>();
  private pattern: RegExp | null = null;
  /** Every topic of the group's subscriptions (the leader's view), plus this member's own. */
  private groupTopics = new Set<string>();
  private readonly assignment = new Map<string, PartitionState>();
  /** Sorted views, rebuilt only when the subscription or the assignment changes (poll reads them on every pass). */
  private sortedAssignment: TopicPartition[] | null = null;
  private sortedMetadataTopics: string[] | null = null;
  private rebalanceListener: ConsumerRebalanceListener | null = null;

  constructor(readonly defaultResetStrategy: OffsetResetStrategy) {}

  get subscriptionType(): SubscriptionType {
    return this.type;
  }

  listener(): ConsumerRebalanceListener | null {
    return this.rebalanceListener;
  }

  /** subscribe(topics): returns true when the subscription changed. */
  subscribe(topics: readonly string[], listener: ConsumerRebalanceListener | null): boolean {
    this.setType('AUTO_TOPICS');
    this.rebalanceListener = listener;
    return this.changeSubscription(new Set(topics));
  }

  /** subscribe(pattern): the topics matching it are set later by subscribeFromPattern. */
  subscribePattern(pattern: RegExp, listener: ConsumerRebalanceListener | null): void {
    this.setType('AUTO_PATTERN');
    this.rebalanceListener = listener;
    this.pattern = wholeMatch(pattern);
  }

  /** The topics a pattern matches now; true when the subscription changed. */
  subscribeFromPattern(topics: Iterable<string>): boolean {
    assert(this.type === 'AUTO_PATTERN', 'subscribeFromPattern without a pattern subscription');
    return this.changeSubscription(new Set(topics));
  }

  matchesPattern(topic: string): boolean {
    return this.pattern !== null && this.pattern.test(topic);
  }

  hasPatternSubscription(): boolean {
    return this.type === 'AUTO_PATTERN';
  }

  hasAutoAssignedPartitions(): boolean {
    return this.type === 'AUTO_TOPICS' || this.type === 'AUTO_PATTERN';
  }

  hasNoSubscriptionOrUserAssignment(): boolean {
    return this.type === 'NONE';
  }

  /** The topics this consumer subscribes to, sorted. */
  subscription(): string[] {
    return [...this.topics].sort();
  }

  /** The pattern of a regex subscription (as given, anchored), or null. */
  subscribedPattern(): RegExp | null {
    return this.pattern;
  }

  /** The leader tracks every member's topics, so it sees their metadata change (groupSubscribe). */
  groupSubscribe(topics: Iterable<string>): void {
    this.groupTopics = new Set([...this.topics, ...topics]);
    this.changed();
  }

  resetGroupSubscription(): void {
    this.groupTopics = new Set();
    this.changed();
  }

  /** The topics whose metadata the consumer watches: its own plus, for a leader, the group's. */
  metadataTopics(): string[] {
    if (this.sortedMetadataTopics === null) {
      const all = new Set([...this.topics, ...this.groupTopics]);
      for (const state of this.assignment.values()) all.add(state.tp.topic);
      this.sortedMetadataTopics = [...all].sort();
    }
    return [...this.sortedMetadataTopics];
  }

  groupSubscription(): string[] {
    return [...this.groupTopics].sort();
  }

  /** assign(partitions): returns true when the assignment changed. Kept partitions keep their state. */
  assignFromUser(partitions: readonly TopicPartition[]): boolean {
    this.setType('USER_ASSIGNED');
    return this.setAssignment(partitions);
  }

  /** The group's assignment; kept partitions keep their position (a cooperative rebalance). */
  assignFromSubscribed(partitions: readonly TopicPartition[]): void {
    assert(this.hasAutoAssignedPartitions(), 'assignFromSubscribed without a subscription');
    this.setAssignment(partitions);
  }

  /** ConsumerCoordinator.onJoinComplete's check: every partition is of a subscribed topic. */
  checkAssignmentMatchedSubscription(partitions: readonly TopicPartition[]): boolean {
    return partitions.every((tp) => (this.pattern !== null ? this.pattern.test(tp.topic) : this.topics.has(tp.topic)));
  }

  unsubscribe(): void {
    this.topics = new Set();
    this.groupTopics = new Set();
    this.pattern = null;
    this.assignment.clear();
    this.changed();
    this.type = 'NONE';
    this.rebalanceListener = null;
  }

  isAssigned(tp: TopicPartition): boolean {
    return this.assignment.has(tpString(tp));
  }

  /** The assigned partitions, sorted (topic, partition). */
  assignedPartitions(): TopicPartition[] {
    this.sortedAssignment ??= sortPartitions([...this.assignment.values()].map((s) => s.tp));
    return [...this.sortedAssignment];
  }

  /** The subscription or the assignment changed: the sorted views are stale. */
  private changed(): void {
    this.sortedAssignment = null;
    this.sortedMetadataTopics = null;
  }

  numAssignedPartitions(): number {
    return this.assignment.size;
  }

  view(tp: TopicPartition): PartitionStateView | null {
    return this.assignment.get(tpString(tp)) ?? null;
  }

  position(tp: TopicPartition): FetchPosition | null {
    return this.assignment.get(tpString(tp))?.position ?? null;
  }

  hasValidPosition(tp: TopicPartition): boolean {
    return this.assignment.get(tpString(tp))?.fetchState === 'FETCHING';
  }

  hasAllFetchPositions(): boolean {
    for (const state of this.assignment.values()) if (state.fetchState !== 'FETCHING') return false;
    return true;
  }

  /** seek(): a position set by the application, the committed offset, or a reset's answer. */
  seekUnvalidated(tp: TopicPartition, position: FetchPosition): void {
    const state = this.required(tp);
    state.position = position;
    state.fetchState = 'FETCHING';
    state.resetStrategy = null;
    state.nextResetRetryMs = null;
  }

  /** The answer of a reset request, applied only when the partition still awaits that reset. */
  maybeSeekUnvalidated(tp: TopicPartition, position: FetchPosition, requested: ResetStrategy): boolean {
    const state = this.assignment.get(tpString(tp));
    if (state === undefined || state.fetchState !== 'AWAIT_RESET' || state.resetStrategy !== requested) return false;
    this.seekUnvalidated(tp, position);
    return true;
  }

  /** auto.offset.reset, seekToBeginning, seekToEnd, or an out-of-range fetch. */
  requestOffsetReset(tp: TopicPartition, strategy: ResetStrategy): void {
    const state = this.required(tp);
    state.fetchState = 'AWAIT_RESET';
    state.position = null;
    state.resetStrategy = strategy;
    state.nextResetRetryMs = null;
  }

  /** Reset requests just sent (or failed): not sent again before `untilMs`. */
  setNextAllowedRetry(partitions: readonly TopicPartition[], untilMs: number): void {
    for (const tp of partitions) {
      const state = this.assignment.get(tpString(tp));
      if (state !== undefined && state.fetchState === 'AWAIT_RESET') state.nextResetRetryMs = untilMs;
    }
  }

  /** Partitions awaiting a reset whose request may be sent now, with their strategy. */
  partitionsNeedingReset(nowMs: number): { tp: TopicPartition; strategy: ResetStrategy }[] {
    const out: { tp: TopicPartition; strategy: ResetStrategy }[] = [];
    for (const state of this.assignment.values()) {
      if (state.fetchState !== 'AWAIT_RESET' || state.resetStrategy === null) continue;
      if (state.nextResetRetryMs !== null && state.nextResetRetryMs > nowMs) continue;
      out.push({ tp: state.tp, strategy: state.resetStrategy });
    }
    return out.sort((a, b) => compareTopicPartitions(a.tp, b.tp));
  }

  /** When the next reset request may go out, or null when none waits. */
  nextResetRetryMs(): number | null {
    let next: number | null = null;
    for (const state of this.assignment.values()) {
      if (state.fetchState === 'AWAIT_RESET' && state.nextResetRetryMs !== null) next = next === null ? state.nextResetRetryMs : Math.min(next, state.nextResetRetryMs);
    }
    return next;
  }

  initializingPartitions(): TopicPartition[] {
    return sortPartitions([...this.assignment.values()].filter((s) => s.fetchState === 'INITIALIZING').map((s) => s.tp));
  }

  /**
   * Partitions still without a position after the committed-offset lookup get the default reset
   * strategy; with auto.offset.reset=none that is Java's NoOffsetForPartitionException.
   */
  resetInitializingPositions(): void {
    const noOffset: TopicPartition[] = [];
    for (const state of this.assignment.values()) {
      if (state.fetchState !== 'INITIALIZING') continue;
      if (this.defaultResetStrategy === 'none') noOffset.push(state.tp);
      else this.requestOffsetReset(state.tp, this.defaultResetStrategy);
    }
    if (noOffset.length > 0) {
      throw ConsumerError.client('NoOffsetForPartitionException', `Undefined offset with no reset policy for partitions: ${bracketPartitions(sortPartitions(noOffset))}`);
    }
  }

  pause(tp: TopicPartition): void {
    this.required(tp).paused = true;
  }

  resume(tp: TopicPartition): void {
    this.required(tp).paused = false;
  }

  isPaused(tp: TopicPartition): boolean {
    return this.assignment.get(tpString(tp))?.paused ?? false;
  }

  pausedPartitions(): TopicPartition[] {
    return sortPartitions([...this.assignment.values()].filter((s) => s.paused).map((s) => s.tp));
  }

  /** Java's markPendingRevocation: no fetches, no records returned, until the revocation completes. */
  markPendingRevocation(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const state = this.assignment.get(tpString(tp));
      if (state !== undefined) state.pendingRevocation = true;
    }
  }

  /** Partitions a fetch may ask for: a valid position, not paused, not pending revocation. */
  isFetchable(tp: TopicPartition): boolean {
    const state = this.assignment.get(tpString(tp));
    return state !== undefined && state.fetchState === 'FETCHING' && !state.paused && !state.pendingRevocation;
  }

  fetchablePartitions(): TopicPartition[] {
    return this.assignedPartitions().filter((tp) => this.isFetchable(tp));
  }

  /** Java's allConsumed(): the position of every partition with a valid one, for commits. */
  allConsumed(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const tp of this.assignedPartitions()) {
      const position = this.position(tp);
      if (position !== null && this.hasValidPosition(tp)) out.push({ ...tp, offset: position.offset, leaderEpoch: position.offsetEpoch, metadata: '' });
    }
    return out;
  }

  updateHighWatermark(tp: TopicPartition, highWatermark: number, logStartOffset: number): void {
    const state = this.assignment.get(tpString(tp));
    if (state === undefined) return;
    state.highWatermark = highWatermark;
    state.logStartOffset = logStartOffset;
  }

  /** records-lag: high watermark - position, null while either is unknown. */
  partitionLag(tp: TopicPartition): number | null {
    const state = this.assignment.get(tpString(tp));
    if (state === undefined || state.position === null || state.highWatermark === null) return null;
    return Math.max(0, state.highWatermark - state.position.offset);
  }

  private required(tp: TopicPartition): PartitionState {
    const state = this.assignment.get(tpString(tp));
    if (state === undefined) throw ConsumerError.illegalState(`No current assignment for partition ${tpString(tp)}`);
    return state;
  }

  private setType(type: SubscriptionType): void {
    if (this.type === 'NONE') this.type = type;
    else if (this.type !== type) throw ConsumerError.illegalState(SUBSCRIPTION_EXCEPTION_MESSAGE);
  }

  private changeSubscription(topics: Set<string>): boolean {
    if (topics.size > consumerLimits.subscribedTopicsMax) {
      throw ConsumerError.client('IllegalArgumentException', `A consumer may subscribe to at most ${consumerLimits.subscribedTopicsMax} topics, got ${topics.size}`);
    }
    if (topics.size === this.topics.size && [...topics].every((t) => this.topics.has(t))) return false;
    this.topics = topics;
    this.changed();
    return true;
  }

  private setAssignment(partitions: readonly TopicPartition[]): boolean {
    if (partitions.length > consumerLimits.assignedPartitionsMax) {
      throw ConsumerError.client('IllegalArgumentException', `A consumer may be assigned at most ${consumerLimits.assignedPartitionsMax} partitions, got ${partitions.length}`);
    }
    const wanted = new Map(sortPartitions(partitions).map((tp) => [tpString(tp), { topic: tp.topic, partition: tp.partition }] as const));
    const changed = wanted.size !== this.assignment.size || [...wanted.keys()].some((key) => !this.assignment.has(key));
    for (const key of [...this.assignment.keys()]) if (!wanted.has(key)) this.assignment.delete(key);
    this.changed();
    for (const [key, tp] of wanted) {
      if (!this.assignment.has(key)) this.assignment.set(key, newPartitionState(tp));
    }
    return changed;
  }
}

function newPartitionState(tp: TopicPartition): PartitionState {
  return { tp, fetchState: 'INITIALIZING', position: null, highWatermark: null, logStartOffset: null, paused: false, pendingRevocation: false, resetStrategy: null, nextResetRetryMs: null };
}

/** A RegExp that matches whole names only (Java's matches()), without stateful flags. */
function wholeMatch(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
}

/** Java's FetchPosition.toString, with the leader printed as Node.toString would. */
export function formatFetchPosition(position: FetchPosition, describeBroker: (brokerId: number) => string): string {
  const epoch = position.offsetEpoch === null ? 'Optional.empty' : `Optional[${position.offsetEpoch}]`;
  const leader = position.leader === null ? 'Optional.empty' : `Optional[${describeBroker(position.leader)}]`;
  const leaderEpoch = position.leaderEpoch === null ? 'absent' : String(position.leaderEpoch);
  return `FetchPosition{offset=${position.offset}, offsetEpoch=${epoch}, currentLeader=LeaderAndEpoch{leader=${leader}, epoch=${leaderEpoch}}}`;
}
