/**
 * The member side of Kafka's classic group protocol (Java's AbstractCoordinator +
 * ConsumerCoordinator, 3.x), driven the way the Java consumer drives it:
 *
 * - Application-thread work happens only when the consumer calls `poll(nowMs)` (from its poll(),
 *   and from commitSync/close): finding the coordinator (FindCoordinator), onJoinPrepare (auto
 *   commit, then revoke: EAGER revokes everything, COOPERATIVE only partitions of topics no
 *   longer subscribed; a member whose generation was reset loses everything), JoinGroup (with the
 *   KIP-394 MEMBER_ID_REQUIRED retry), the leader's assignment and SyncGroup (done in the JoinGroup
 *   response handler, as in Java), and onJoinComplete (COOPERATIVE: revoke what the assignment
 *   took away and rejoin at once, KIP-429; then "Adding newly assigned partitions"). A member busy
 *   between polls therefore does not rejoin: the group waits for it, up to the rebalance timeout
 *   (max.poll.interval.ms), which is the stop-the-world the labs measure.
 * - The heartbeat "thread" is its own timer, independent of poll: from COMPLETING_REBALANCE on it
 *   sends a Heartbeat every heartbeat.interval.ms, rediscovers the coordinator after
 *   session.timeout.ms without an answer, and when poll() was not called for max.poll.interval.ms
 *   it sends LeaveGroup ("consumer poll timeout has expired.") and resets the generation, so the
 *   next poll() rejoins as a new member and gives its partitions away as lost.
 * - Offsets: OffsetCommit with the current generation when Stable (CommitFailedException /
 *   RebalanceInProgressException with Java's messages otherwise), auto commit of the positions
 *   every auto.commit.interval.ms (checked in poll, Java's maybeAutoCommitOffsetsAsync), async
 *   commit callbacks queued and run at the next poll/commit (never retried, so an older commit may
 *   complete after a newer one), OffsetFetch for partitions without a position.
 *
 * Invariants: at most one FindCoordinator, one JoinGroup/SyncGroup chain and one committed-offset
 * lookup are in flight; the heartbeat timer is armed only while the member is in
 * COMPLETING_REBALANCE or STABLE; after stop() no timer of the coordinator remains and no callback
 * changes its state; every queue is bounded (consumerLimits).
 */
import type { Clock } from '../../core/clock.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import type { MemberAssignment, MemberSubscription, PartitionAssignor, PreviousAssignment, RebalanceProtocol } from '../../groups/assignors/assignor.js';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../groups/consumer-protocol.js';
import type { GroupRequest, GroupResponseFor, JoinGroupProtocol, JoinGroupResponse, OffsetCommitResponse, OffsetFetchResponse } from '../../groups/group-messages.js';
import { NO_GENERATION, UNKNOWN_MEMBER_ID } from '../../groups/group-messages.js';
import type { ConsumerConfig } from './consumer-config.js';
import { asConsumerError, ConsumerError, type ConsumerErrorName } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';
import type { ConsumerLog } from './consumer-log.js';
import type { ConsumerMetadata } from './consumer-metadata.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import type { ConsumerNetwork } from './consumer-network.js';
import type { ConsumerNetworkClient } from './consumer-network-client.js';
import {
  bracketPartitions,
  formatOffsets,
  joinPartitions,
  sortPartitions,
  tpString,
  type ConsumerGroupMetadata,
  type OffsetAndMetadata,
  type OffsetCommitCallback,
  type TopicPartition,
  type TopicPartitionOffset,
} from './consumer-record.js';
import { Heartbeat } from './heartbeat.js';
import type { RebalanceListenerInvoker } from './rebalance-listener-invoker.js';
import { RequestFuture } from './request-future.js';
import { formatFetchPosition, type SubscriptionState } from './subscription-state.js';

/** Java's MemberState. */
export type MemberState = 'UNJOINED' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE' | 'STABLE';

export interface Generation {
  readonly generationId: number;
  readonly memberId: string;
  readonly protocolName: string | null;
}

const NO_GEN: Generation = { generationId: NO_GENERATION, memberId: UNKNOWN_MEMBER_ID, protocolName: null };
/** AbstractCoordinator.JOIN_GROUP_TIMEOUT_LAPSE: JoinGroup may wait the rebalance timeout plus this. */
const JOIN_GROUP_TIMEOUT_LAPSE_MS = 5000;
const JAVA_INT_MAX = 2_147_483_647;

export interface CoordinatorDeps {
  readonly config: ConsumerConfig;
  readonly groupId: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly network: ConsumerNetwork;
  readonly client: ConsumerNetworkClient;
  readonly subscriptions: SubscriptionState;
  readonly metadata: ConsumerMetadata;
  readonly log: ConsumerLog;
  readonly metrics: ConsumerMetrics;
  readonly assignors: readonly PartitionAssignor[];
  readonly invoker: RebalanceListenerInvoker;
  /** "host:port" of a broker, as Java's Node prints it. */
  readonly brokerAddress: (brokerId: number) => string;
  /** A user callback (commit callback) threw: reported, never rethrown into the engine. */
  readonly onCallbackError: (error: unknown) => void;
}

interface CompletedCommit {
  readonly callback: OffsetCommitCallback | null;
  readonly offsets: readonly TopicPartitionOffset[];
  readonly error: ConsumerError | null;
}

interface PendingCommittedOffsets {
  readonly key: string;
  readonly future: RequestFuture<Map<string, OffsetAndMetadata | null>>;
}

/** onJoinPrepare's progress, so a listener that returns a promise can finish later. */
interface JoinPrepare {
  readonly deadlineMs: number;
  commitFuture: RequestFuture<void> | null;
  commitBackoffUntilMs: number;
  committed: boolean;
  revocation: 'pending' | 'running' | 'done';
}

export class ConsumerCoordinator {
  private state: MemberState = 'UNJOINED';
  private gen: Generation = NO_GEN;
  private rejoinNeeded = true;
  private rejoinReason = '';
  private needsJoinPrepare = true;
  private coordinatorId: number | null = null;
  private findFuture: RequestFuture<void> | null = null;
  private findBackoffUntilMs = Number.NEGATIVE_INFINITY;
  private joinFuture: RequestFuture<Uint8Array> | null = null;
  private joinBackoffUntilMs = Number.NEGATIVE_INFINITY;
  private immediateRejoins = 0;
  private completingJoin = false;
  private joinPrepare: JoinPrepare | null = null;
  private readonly heartbeat: Heartbeat;
  private heartbeatTimer: { handle: TimerHandle; atMs: number } | null = null;
  private heartbeatEnabled = false;
  private heartbeatFailure: ConsumerError | null = null;
  private isLeader = false;
  private assignmentSnapshot: Map<string, number> | null = null;
  private metadataSnapshot = new Map<string, number>();
  private metadataSnapshotVersion = -1;
  private joinedSubscription: string[] | null = null;
  private lastAssignment: PreviousAssignment | null = null;
  private nextAutoCommitMs: number;
  private readonly completedCommits: CompletedCommit[] = [];
  private inFlightAsyncCommits = 0;
  private pendingCommittedOffsets: PendingCommittedOffsets | null = null;
  private offsetFetchBackoffUntilMs = Number.NEGATIVE_INFINITY;
  private lastRebalanceStartMs: number | null = null;
  /** The first error a rebalance listener raised in the current step (thrown from poll afterwards). */
  private listenerError: unknown = null;
  private stopped = false;
  readonly protocol: RebalanceProtocol;

  constructor(private readonly deps: CoordinatorDeps) {
    const { config, clock } = deps;
    this.protocol = chooseProtocol(deps.assignors);
    this.heartbeat = new Heartbeat(config, clock.nowMs());
    this.nextAutoCommitMs = clock.nowMs() + config.autoCommitIntervalMs;
  }

  // ------------------------------------------------------------------------------------------
  // What the consumer reads

  memberState(): MemberState {
    return this.state;
  }

  generation(): Generation {
    return this.gen;
  }

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: this.deps.groupId, generationId: this.gen.generationId, memberId: this.gen.memberId, groupInstanceId: this.deps.config.groupInstanceId };
  }

  coordinator(): number | null {
    return this.coordinatorId;
  }

  /** A rebalance listener's promise has not settled: poll and close must wait for it. */
  waitingForListener(): boolean {
    return this.deps.invoker.busy;
  }

  rebalanceInProgress(): boolean {
    return this.state === 'PREPARING_REBALANCE' || this.state === 'COMPLETING_REBALANCE';
  }

  // ------------------------------------------------------------------------------------------
  // poll: ConsumerCoordinator.poll(timer, waitForJoinGroup=false)

  /**
   * One pass of Java's coordinator.poll: metadata changes, commit callbacks, the poll timer,
   * coordinator discovery, the join state machine, auto commit. Never waits; throws what Java's
   * poll throws (fatal group errors, listener errors wrapped in KafkaException).
   */
  poll(nowMs: number): void {
    this.maybeUpdateSubscriptionMetadata();
    this.invokeCompletedOffsetCommitCallbacks();
    if (this.deps.subscriptions.hasAutoAssignedPartitions()) {
      this.pollHeartbeat(nowMs);
      if (!this.ensureCoordinatorReady(nowMs)) return;
      if (this.rejoinNeededOrPending() && !this.joinGroupIfNeeded(nowMs)) {
        this.throwListenerError();
        return;
      }
      this.throwListenerError();
    }
    this.maybeAutoCommitOffsetsAsync(nowMs);
  }

  /** How long a waiting poll may sleep before this coordinator needs another pass. */
  timeToNextPollMs(nowMs: number): number {
    // Heartbeats run on their own timer (the heartbeat thread), and every response they get wakes the
    // waiting poll; a poll need not wake for a heartbeat that is due but cannot go out yet.
    let next = Number.POSITIVE_INFINITY;
    if (this.deps.config.enableAutoCommit) {
      // An overdue auto-commit waits for the coordinator or the join (poll returns before committing
      // then); it is looked at again after retry.backoff.ms, not on every millisecond.
      const untilCommitMs = this.nextAutoCommitMs - nowMs;
      next = Math.min(next, untilCommitMs > 0 ? untilCommitMs : this.deps.config.retryBackoffMs);
    }
    for (const untilMs of [this.findBackoffUntilMs, this.joinBackoffUntilMs, this.offsetFetchBackoffUntilMs, this.joinPrepare?.commitBackoffUntilMs ?? -1, this.joinPrepare?.deadlineMs ?? -1]) {
      if (untilMs > nowMs) next = Math.min(next, untilMs - nowMs);
    }
    return next;
  }

  private pollHeartbeat(nowMs: number): void {
    if (this.heartbeatFailure !== null) {
      const failure = this.heartbeatFailure;
      this.heartbeatFailure = null;
      throw failure;
    }
    this.heartbeat.poll(nowMs);
  }

  private throwListenerError(): void {
    if (this.listenerError === null) return;
    const cause = this.listenerError;
    this.listenerError = null;
    throw ConsumerError.client('KafkaException', 'User rebalance callback throws an error', cause);
  }

  private recordListenerError(error: unknown): void {
    if (error !== null && this.listenerError === null) this.listenerError = error;
  }

  // ------------------------------------------------------------------------------------------
  // Coordinator discovery

  coordinatorUnknown(): boolean {
    return this.coordinatorId === null;
  }

  /** Non-blocking ensureCoordinatorReady: looks the coordinator up when unknown; true when known. */
  ensureCoordinatorReady(nowMs: number): boolean {
    if (this.coordinatorId !== null) return true;
    let future = this.findFuture;
    if (future === null) {
      if (nowMs < this.findBackoffUntilMs) return false;
      future = this.findFuture = this.sendFindCoordinatorRequest();
    }
    if (!future.isDone()) return false;
    this.findFuture = null;
    if (future.failed()) {
      if (!future.isRetriable()) throw future.exception();
      this.findBackoffUntilMs = nowMs + this.deps.config.retryBackoffMs;
      return false;
    }
    return this.coordinatorId !== null;
  }

  /** Sends FindCoordinator unless one is in flight (the heartbeat thread and async commits use it). */
  lookupCoordinator(): RequestFuture<void> {
    if (this.findFuture === null || this.findFuture.isDone()) this.findFuture = this.sendFindCoordinatorRequest();
    return this.findFuture;
  }

  private sendFindCoordinatorRequest(): RequestFuture<void> {
    const future = new RequestFuture<void>();
    const request = { api: 'FindCoordinator', key: this.deps.groupId } as const;
    this.deps.client.send<GroupResponseFor['FindCoordinator']>(
      null,
      this.deps.config.requestTimeoutMs,
      (onAnswer) => this.deps.network.group(null, request, onAnswer),
      (outcome) => {
        if (this.stopped) return;
        if (outcome.kind !== 'response') {
          future.raise(outcome.kind === 'timeout' ? ConsumerError.timeout('FindCoordinator request timed out') : ConsumerError.fromBroker('COORDINATOR_NOT_AVAILABLE'));
          return;
        }
        const { error, nodeId } = outcome.response;
        if (error !== 'NONE') {
          future.raise(ConsumerError.fromBroker(error));
          return;
        }
        if (!Number.isInteger(nodeId) || nodeId < 0) {
          future.raise(ConsumerError.fromBroker('COORDINATOR_NOT_AVAILABLE', `FindCoordinator answered node ${String(nodeId)}`));
          return;
        }
        this.coordinatorId = nodeId;
        this.deps.log.info('AbstractCoordinator', `Discovered group coordinator ${this.describeCoordinator()}`);
        this.heartbeat.resetSessionTimeout(this.deps.clock.nowMs());
        future.complete(undefined);
      },
    );
    return future;
  }

  /** Java prints the coordinator as a Node with id MAX_VALUE - nodeId (its separate connection). */
  describeCoordinator(): string {
    if (this.coordinatorId === null) return 'null';
    return `${this.deps.brokerAddress(this.coordinatorId)} (id: ${JAVA_INT_MAX - this.coordinatorId} rack: null)`;
  }

  markCoordinatorUnknown(isDisconnected: boolean, cause: string): void {
    if (this.coordinatorId === null) return;
    this.deps.log.info('AbstractCoordinator', `Group coordinator ${this.describeCoordinator()} is unavailable or invalid due to cause: ${cause}. isDisconnected: ${isDisconnected}. Rediscovery will be attempted.`);
    this.coordinatorId = null;
  }

  /**
   * Sends a group request to the coordinator; a disconnection or timeout marks the coordinator
   * unknown (CoordinatorResponseHandler.onFailure) and fails the future with a retriable error.
   */
  private sendToCoordinator<R extends GroupRequest, T>(
    request: R,
    handle: (response: GroupResponseFor[R['api']], future: RequestFuture<T>, latencyMs: number) => void,
    timeoutMs: number = this.deps.config.requestTimeoutMs,
  ): RequestFuture<T> {
    const coordinator = this.coordinatorId;
    if (coordinator === null) return RequestFuture.coordinatorNotAvailable();
    const future = new RequestFuture<T>();
    this.deps.client.send<GroupResponseFor[R['api']]>(
      coordinator,
      timeoutMs,
      (onAnswer) => this.deps.network.group(coordinator, request, onAnswer),
      (outcome, latencyMs) => {
        if (this.stopped) return;
        if (outcome.kind === 'response') {
          try {
            handle(outcome.response, future, latencyMs);
          } catch (error) {
            if (!future.isDone()) future.raise(asConsumerError(error, `Error handling the ${request.api} response`));
          }
          return;
        }
        const error = outcome.kind === 'timeout' ? ConsumerError.timeout(`${request.api} request to node ${coordinator} timed out`) : ConsumerError.disconnected(coordinator);
        if (this.coordinatorId === coordinator) this.markCoordinatorUnknown(true, error.message);
        future.raise(error);
      },
    );
    return future;
  }

  // ------------------------------------------------------------------------------------------
  // Rejoin bookkeeping (AbstractCoordinator)

  private hasNotJoinedGroup(): boolean {
    return this.state === 'UNJOINED' || this.state === 'PREPARING_REBALANCE';
  }

  generationIfStable(): Generation | null {
    return this.state === 'STABLE' ? this.gen : null;
  }

  requestRejoin(shortReason: string, fullReason: string = shortReason): void {
    this.deps.log.info('AbstractCoordinator', `Request joining group due to: ${fullReason}`);
    this.rejoinReason = shortReason;
    this.rejoinNeeded = true;
  }

  private requestRejoinIfNecessary(shortReason: string, fullReason: string): void {
    if (!this.rejoinNeeded) this.requestRejoin(shortReason, fullReason);
  }

  private resetStateAndGeneration(reason: string, shouldResetMemberId: boolean): void {
    this.deps.log.info('AbstractCoordinator', `Resetting generation ${shouldResetMemberId ? 'and member id ' : ''}due to: ${reason}`);
    this.state = 'UNJOINED';
    this.gen = shouldResetMemberId ? NO_GEN : { generationId: NO_GENERATION, memberId: this.gen.memberId, protocolName: null };
    this.heartbeatEnabled = false;
    this.cancelHeartbeatTimer();
  }

  private resetStateAndRejoin(reason: string, shouldResetMemberId: boolean): void {
    this.resetStateAndGeneration(reason, shouldResetMemberId);
    this.requestRejoin(reason);
    this.needsJoinPrepare = true;
  }

  private resetStateOnResponseError(api: string, error: ConsumerErrorName, shouldResetMemberId: boolean): void {
    this.resetStateAndRejoin(`encountered ${error} from ${api} response`, shouldResetMemberId);
  }

  /** ConsumerCoordinator.rejoinNeededOrPending: metadata and subscription changes also ask for a rejoin. */
  rejoinNeededOrPending(): boolean {
    if (!this.deps.subscriptions.hasAutoAssignedPartitions()) return false;
    if (this.assignmentSnapshot !== null && !sameCounts(this.assignmentSnapshot, this.metadataSnapshot)) {
      this.requestRejoinIfNecessary('cached metadata has changed', `cached metadata has changed from ${formatCounts(this.assignmentSnapshot)} at the beginning of the rebalance to ${formatCounts(this.metadataSnapshot)}`);
      return true;
    }
    const subscription = this.deps.subscriptions.subscription();
    if (this.joinedSubscription !== null && !sameList(this.joinedSubscription, subscription)) {
      this.requestRejoinIfNecessary('subscription has changed', `subscription has changed from [${this.joinedSubscription.join(', ')}] at the beginning of the rebalance to [${subscription.join(', ')}]`);
      return true;
    }
    return this.rejoinNeeded || this.joinFuture !== null;
  }

  /** Pattern matching and the partition counts the leader watches, after each metadata refresh. */
  private maybeUpdateSubscriptionMetadata(): void {
    const { metadata, subscriptions } = this.deps;
    if (metadata.version === this.metadataSnapshotVersion) return;
    this.metadataSnapshotVersion = metadata.version;
    if (subscriptions.hasPatternSubscription()) this.updatePatternSubscription();
    this.metadataSnapshot = metadata.partitionsPerTopic(new Set([...subscriptions.subscription(), ...subscriptions.groupSubscription()]));
  }

  /** ConsumerCoordinator.updatePatternSubscription: the topics the regex matches now. */
  updatePatternSubscription(): void {
    const { metadata, subscriptions } = this.deps;
    const matched = metadata.topicNames().filter((topic) => subscriptions.matchesPattern(topic));
    if (subscriptions.subscribeFromPattern(matched)) metadata.requestUpdateForNewTopics();
  }

  // ------------------------------------------------------------------------------------------
  // The join state machine (AbstractCoordinator.joinGroupIfNeeded, non-blocking)

  /** Runs the join as far as it can go now; true once the member is Stable with its assignment applied. */
  private joinGroupIfNeeded(nowMs: number): boolean {
    for (let pass = 0; pass < consumerLimits.immediateRejoinsMax + 2 && this.rejoinNeededOrPending(); pass++) {
      if (!this.ensureCoordinatorReady(nowMs) || this.deps.invoker.busy || this.completingJoin) return false;
      if (this.needsJoinPrepare) {
        if (!this.onJoinPrepare(nowMs)) return false;
        this.needsJoinPrepare = false;
      }
      if (this.joinFuture === null && nowMs < this.joinBackoffUntilMs) return false;
      const future = this.initiateJoinGroup(nowMs);
      if (!future.isDone()) return false;
      if (future.succeeded()) {
        this.immediateRejoins = 0;
        if (this.gen.generationId !== NO_GENERATION && this.state === 'STABLE') {
          if (!this.completeJoin(future.value())) return false;
        } else {
          this.resetStateAndRejoin(`rebalance failed since the generation/state was modified by heartbeat thread to ${formatGeneration(this.gen)}/${this.state} before the rebalance callback triggered`, true);
          this.joinFuture = null;
        }
        continue;
      }
      if (!this.onJoinFailed(future.exception(), nowMs)) return false;
    }
    return !this.rejoinNeededOrPending();
  }

  /** Runs onJoinComplete; false while a listener it called has not returned yet. */
  private completeJoin(assignment: Uint8Array): boolean {
    const finished = (): void => {
      this.completingJoin = false;
      this.joinFuture = null;
      this.needsJoinPrepare = true;
    };
    this.completingJoin = true;
    try {
      this.onJoinComplete(this.gen, assignment, finished);
    } catch (error) {
      finished();
      throw asConsumerError(error, 'The assignment from the group leader could not be applied');
    }
    return !this.completingJoin;
  }

  /** The failure branch of joinGroupIfNeeded; true to try again at once. */
  private onJoinFailed(error: ConsumerError, nowMs: number): boolean {
    this.joinFuture = null;
    this.deps.metrics.recordFailedRebalance();
    if (error.exceptionName !== 'MemberIdRequiredException') {
      this.requestRejoin(`rebalance failed due to ${error.exceptionName}`, `rebalance failed due to '${error.message}' (${error.exceptionName})`);
    }
    const immediate = ['UnknownMemberIdException', 'IllegalGenerationException', 'RebalanceInProgressException', 'MemberIdRequiredException'].includes(error.exceptionName);
    if (immediate && this.immediateRejoins < consumerLimits.immediateRejoinsMax) {
      this.immediateRejoins += 1;
      return true;
    }
    if (!immediate && !error.retriable) throw error;
    this.joinBackoffUntilMs = nowMs + this.deps.config.retryBackoffMs;
    return false;
  }

  private initiateJoinGroup(nowMs: number): RequestFuture<Uint8Array> {
    if (this.joinFuture === null) {
      this.state = 'PREPARING_REBALANCE';
      this.heartbeatEnabled = false;
      this.cancelHeartbeatTimer();
      if (this.lastRebalanceStartMs === null) this.lastRebalanceStartMs = nowMs;
      this.joinFuture = this.sendJoinGroupRequest();
    }
    return this.joinFuture;
  }

  private sendJoinGroupRequest(): RequestFuture<Uint8Array> {
    if (this.coordinatorUnknown()) return RequestFuture.coordinatorNotAvailable();
    const { config, log } = this.deps;
    log.info('AbstractCoordinator', '(Re-)joining group');
    const request = {
      api: 'JoinGroup',
      groupId: this.deps.groupId,
      sessionTimeoutMs: config.sessionTimeoutMs,
      rebalanceTimeoutMs: config.maxPollIntervalMs,
      memberId: this.gen.memberId,
      groupInstanceId: config.groupInstanceId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocols: this.joinProtocols(),
      reason: truncateReason(this.rejoinReason),
    } as const;
    const timeoutMs = Math.max(config.requestTimeoutMs, config.maxPollIntervalMs + JOIN_GROUP_TIMEOUT_LAPSE_MS);
    const sent = this.gen;
    return this.sendToCoordinator<typeof request, Uint8Array>(request, (response, future) => this.handleJoinResponse(response, future, sent), timeoutMs);
  }

  /** ConsumerCoordinator.metadata(): one subscription per assignor, in preference order. */
  private joinProtocols(): JoinGroupProtocol[] {
    const { subscriptions } = this.deps;
    this.joinedSubscription = subscriptions.subscription();
    const owned = subscriptions.assignedPartitions();
    return this.deps.assignors.map((assignor) => {
      const subscription: MemberSubscription = {
        topics: this.joinedSubscription ?? [],
        userData: assignor.subscriptionUserData?.(this.lastAssignment) ?? null,
        ownedPartitions: owned,
        generationId: this.gen.generationId,
        rackId: null,
      };
      return { name: assignor.name, metadata: encodeSubscription(subscription) };
    });
  }

  private handleJoinResponse(response: JoinGroupResponse, future: RequestFuture<Uint8Array>, sent: Generation): void {
    const { log } = this.deps;
    const error = response.error;
    if (error === 'NONE') {
      if (response.protocolType !== null && response.protocolType !== CONSUMER_PROTOCOL_TYPE) {
        log.error('AbstractCoordinator', `JoinGroup failed: Inconsistent Protocol Type, received ${response.protocolType} but expected ${CONSUMER_PROTOCOL_TYPE}`);
        future.raise(ConsumerError.fromBroker('INCONSISTENT_GROUP_PROTOCOL'));
        return;
      }
      if (this.state !== 'PREPARING_REBALANCE') {
        future.raise(new ConsumerError(null, 'UnjoinedGroupException', 'The member left the group before its JoinGroup completed', { retriable: true }));
        return;
      }
      checkId(response.memberId, 'member id');
      if (!Number.isInteger(response.generationId) || response.generationId < 0) throw ConsumerError.illegalState(`The coordinator answered generation ${String(response.generationId)}`);
      this.state = 'COMPLETING_REBALANCE';
      this.gen = { generationId: response.generationId, memberId: response.memberId, protocolName: response.protocolName };
      this.enableHeartbeat();
      log.info('AbstractCoordinator', `Successfully joined group with generation ${formatGeneration(this.gen)}`);
      const sync = response.leader === response.memberId ? this.onLeaderElected(response) : this.sendSyncGroupRequest([]);
      sync.chain(future);
      return;
    }
    this.handleJoinError(error, response, future, sent);
  }

  private handleJoinError(error: ConsumerErrorName, response: JoinGroupResponse, future: RequestFuture<Uint8Array>, sent: Generation): void {
    const { log } = this.deps;
    const message = ConsumerError.fromBroker(error).message;
    switch (error) {
      case 'COORDINATOR_LOAD_IN_PROGRESS':
        log.info('AbstractCoordinator', `JoinGroup failed: Coordinator ${this.describeCoordinator()} is loading the group.`);
        break;
      case 'UNKNOWN_MEMBER_ID':
        log.info('AbstractCoordinator', `JoinGroup failed: ${message} Need to re-join the group. Sent generation was ${formatGeneration(sent)}`);
        if (sameGeneration(this.gen, sent)) this.resetStateOnResponseError('JOIN_GROUP', error, true);
        break;
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'NOT_COORDINATOR':
        this.markCoordinatorUnknown(false, `error response ${error}`);
        log.info('AbstractCoordinator', `JoinGroup failed: ${message} Marking coordinator unknown. Sent generation was ${formatGeneration(sent)}`);
        break;
      case 'FENCED_INSTANCE_ID':
        log.error('AbstractCoordinator', `JoinGroup failed: The group instance id ${String(this.deps.config.groupInstanceId)} has been fenced by another instance. Sent generation was ${formatGeneration(sent)}`);
        break;
      case 'INCONSISTENT_GROUP_PROTOCOL':
      case 'INVALID_SESSION_TIMEOUT':
      case 'INVALID_GROUP_ID':
        log.error('AbstractCoordinator', `JoinGroup failed due to fatal error: ${message}`);
        break;
      case 'GROUP_MAX_SIZE_REACHED':
        log.error('AbstractCoordinator', `JoinGroup failed due to fatal error: ${message}`);
        future.raise(new ConsumerError(error, 'GroupMaxSizeReachedException', `Consumer group ${this.deps.groupId} already has the configured maximum number of members.`));
        return;
      case 'MEMBER_ID_REQUIRED': {
        checkId(response.memberId, 'member id');
        log.info('AbstractCoordinator', `JoinGroup failed due to non-fatal error: ${error}. Will set the member id as ${response.memberId} and then rejoin. Sent generation was ${formatGeneration(sent)}`);
        this.gen = { generationId: NO_GENERATION, memberId: response.memberId, protocolName: null };
        this.requestRejoin(`need to re-join with the given member-id: ${response.memberId}`);
        break;
      }
      case 'REBALANCE_IN_PROGRESS':
        log.info('AbstractCoordinator', 'JoinGroup failed due to non-fatal error: REBALANCE_IN_PROGRESS, which could indicate a replication timeout on the broker. Will retry.');
        break;
      default:
        log.error('AbstractCoordinator', `JoinGroup failed due to unexpected error: ${message}`);
        future.raise(ConsumerError.client('KafkaException', `Unexpected error in join group response: ${message}`));
        return;
    }
    future.raise(ConsumerError.fromBroker(error));
  }

  /** The leader runs the assignor the coordinator chose and sends every member's assignment. */
  private onLeaderElected(response: JoinGroupResponse): RequestFuture<Uint8Array> {
    try {
      const assignments = this.performAssignment(response);
      return this.sendSyncGroupRequest([...assignments].map(([memberId, assignment]) => ({ memberId, assignment: encodeAssignment(assignment) })));
    } catch (error) {
      return RequestFuture.failure(asConsumerError(error, 'The group assignment failed'));
    }
  }

  private performAssignment(response: JoinGroupResponse): Map<string, MemberAssignment> {
    const { metadata, subscriptions, log } = this.deps;
    const assignor = this.deps.assignors.find((a) => a.name === response.protocolName);
    if (assignor === undefined) throw ConsumerError.illegalState(`Coordinator selected invalid assignment protocol: ${String(response.protocolName)}`);
    if (response.members.length > consumerLimits.groupMembersMax) throw ConsumerError.illegalState(`JoinGroup listed ${response.members.length} members, more than ${consumerLimits.groupMembersMax}`);
    const memberSubscriptions = new Map<string, MemberSubscription>();
    const allTopics = new Set<string>();
    for (const member of response.members) {
      const decoded = decodeSubscription(member.metadata);
      memberSubscriptions.set(member.memberId, { ...decoded, groupInstanceId: member.groupInstanceId });
      for (const topic of decoded.topics) allTopics.add(topic);
    }
    // The leader watches every member's topics (updateGroupSubscription + ensureFreshMetadata).
    subscriptions.groupSubscribe(allTopics);
    metadata.refresh(this.deps.clock.nowMs(), subscriptions.metadataTopics(), subscriptions.hasPatternSubscription());
    this.maybeUpdateSubscriptionMetadata();
    this.isLeader = true;
    const partitionsPerTopic = metadata.partitionsPerTopic(allTopics);
    const assignments = assignor.assign(partitionsPerTopic, memberSubscriptions);
    for (const memberId of memberSubscriptions.keys()) if (!assignments.has(memberId)) assignments.set(memberId, { partitions: [], userData: null });
    if (this.protocol === 'COOPERATIVE' && assignor.name !== 'cooperative-sticky') validateCooperativeAssignment(memberSubscriptions, assignments, log);
    const unassigned = [...allTopics].filter((topic) => ![...assignments.values()].some((a) => a.partitions.some((tp) => tp.topic === topic))).sort();
    if (unassigned.length > 0) log.warn('ConsumerCoordinator', `The following subscribed topics are not assigned to any members: [${unassigned.join(', ')}] `);
    this.assignmentSnapshot = new Map(this.metadataSnapshot);
    const printed = [...assignments].map(([memberId, a]) => `${memberId}=Assignment(partitions=${bracketPartitions(sortPartitions(a.partitions))})`);
    log.info('ConsumerCoordinator', `Finished assignment for group at generation ${this.gen.generationId}: {${printed.join(', ')}}`);
    return assignments;
  }

  private sendSyncGroupRequest(assignments: readonly { memberId: string; assignment: Uint8Array }[]): RequestFuture<Uint8Array> {
    if (this.coordinatorUnknown()) return RequestFuture.coordinatorNotAvailable();
    const request = {
      api: 'SyncGroup',
      groupId: this.deps.groupId,
      generationId: this.gen.generationId,
      memberId: this.gen.memberId,
      groupInstanceId: this.deps.config.groupInstanceId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: this.gen.protocolName,
      assignments,
    } as const;
    const sent = this.gen;
    return this.sendToCoordinator<typeof request, Uint8Array>(request, (response, future) => {
      const { log } = this.deps;
      if (response.error === 'NONE') {
        if (response.protocolType !== null && response.protocolType !== CONSUMER_PROTOCOL_TYPE) {
          log.error('AbstractCoordinator', `SyncGroup failed due to inconsistent Protocol Type, received ${response.protocolType} but expected ${CONSUMER_PROTOCOL_TYPE}`);
          future.raise(ConsumerError.fromBroker('INCONSISTENT_GROUP_PROTOCOL'));
          return;
        }
        this.onSyncSucceeded(response.protocolName, response.assignment, future);
        return;
      }
      this.handleSyncError(response.error, future, sent);
    });
  }

  private onSyncSucceeded(protocolName: string | null, assignment: Uint8Array, future: RequestFuture<Uint8Array>): void {
    const { log, clock, metrics } = this.deps;
    if (this.gen.generationId === NO_GENERATION || this.state !== 'COMPLETING_REBALANCE') {
      log.info('AbstractCoordinator', `Generation data was cleared by heartbeat thread to ${formatGeneration(this.gen)} and state is now ${this.state} before receiving SyncGroup response, marking this rebalance as failed and retry`);
      future.raise(ConsumerError.fromBroker('ILLEGAL_GENERATION'));
      return;
    }
    if (protocolName !== null && protocolName !== this.gen.protocolName) {
      log.error('AbstractCoordinator', `SyncGroup failed due to inconsistent Protocol Name, received ${protocolName} but expected ${String(this.gen.protocolName)}`);
      future.raise(ConsumerError.fromBroker('INCONSISTENT_GROUP_PROTOCOL'));
      return;
    }
    log.info('AbstractCoordinator', `Successfully synced group in generation ${formatGeneration(this.gen)}`);
    this.state = 'STABLE';
    this.rejoinReason = '';
    this.rejoinNeeded = false;
    const nowMs = clock.nowMs();
    metrics.recordRebalance(nowMs - (this.lastRebalanceStartMs ?? nowMs), nowMs);
    this.lastRebalanceStartMs = null;
    future.complete(assignment);
  }

  private handleSyncError(error: ConsumerErrorName, future: RequestFuture<Uint8Array>, sent: Generation): void {
    const { log } = this.deps;
    const message = ConsumerError.fromBroker(error).message;
    switch (error) {
      case 'REBALANCE_IN_PROGRESS':
        log.info('AbstractCoordinator', `SyncGroup failed: The group began another rebalance. Need to re-join the group. Sent generation was ${formatGeneration(sent)}`);
        break;
      case 'FENCED_INSTANCE_ID':
        log.error('AbstractCoordinator', `SyncGroup failed: The group instance id ${String(this.deps.config.groupInstanceId)} has been fenced by another instance. Sent generation was ${formatGeneration(sent)}`);
        break;
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        log.info('AbstractCoordinator', `SyncGroup failed: ${message} Need to re-join the group. Sent generation was ${formatGeneration(sent)}`);
        if (sameGeneration(this.gen, sent)) this.resetStateOnResponseError('SYNC_GROUP', error, error !== 'ILLEGAL_GENERATION');
        break;
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'NOT_COORDINATOR':
        log.info('AbstractCoordinator', `SyncGroup failed: ${message} Marking coordinator unknown. Sent generation was ${formatGeneration(sent)}`);
        this.markCoordinatorUnknown(false, `error response ${error}`);
        break;
      default:
        future.raise(ConsumerError.client('KafkaException', `Unexpected error from SyncGroup: ${message}`));
        return;
    }
    future.raise(ConsumerError.fromBroker(error));
  }

  // ------------------------------------------------------------------------------------------
  // onJoinPrepare / onJoinComplete (ConsumerCoordinator)

  /** Returns true when the member may send its JoinGroup (the commit and the revocation are done). */
  private onJoinPrepare(nowMs: number): boolean {
    const prepare = (this.joinPrepare ??= { deadlineMs: nowMs + this.deps.config.maxPollIntervalMs, commitFuture: null, commitBackoffUntilMs: Number.NEGATIVE_INFINITY, committed: false, revocation: 'pending' });
    if (prepare.revocation === 'pending' && !this.prepareCommitDone(prepare, nowMs)) return false;
    if (prepare.revocation === 'pending') {
      prepare.revocation = 'running';
      this.revokeBeforeJoin(() => {
        prepare.revocation = 'done';
      });
    }
    if (prepare.revocation !== 'done') return false;
    this.isLeader = false;
    this.deps.subscriptions.resetGroupSubscription();
    this.joinPrepare = null;
    return true;
  }

  /** The auto commit before a rebalance: waited for (up to the rebalance timeout), retried if retriable. */
  private prepareCommitDone(prepare: JoinPrepare, nowMs: number): boolean {
    const { config, log, subscriptions } = this.deps;
    if (!config.enableAutoCommit || prepare.committed) return true;
    if (prepare.commitFuture === null) {
      if (nowMs < prepare.commitBackoffUntilMs && nowMs < prepare.deadlineMs) return false;
      // EAGER: no fetch may move the positions past what this commit carries (markPendingRevocation).
      if (this.protocol === 'EAGER') subscriptions.markPendingRevocation(subscriptions.assignedPartitions());
      prepare.commitFuture = this.autoCommitOffsetsAsync();
    }
    const future = prepare.commitFuture;
    if (future !== null) {
      if (nowMs >= prepare.deadlineMs) {
        log.error('ConsumerCoordinator', 'Asynchronous auto-commit of offsets failed: joinPrepare timeout. Will continue to join group');
      } else if (!future.isDone()) {
        return false;
      } else if (future.failed() && future.isRetriable()) {
        prepare.commitFuture = null;
        prepare.commitBackoffUntilMs = nowMs + config.retryBackoffMs;
        return false;
      } else if (future.failed()) {
        log.error('ConsumerCoordinator', `Asynchronous auto-commit of offsets failed: ${future.exception().message}. Will continue to join group.`);
      }
    }
    prepare.commitFuture = null;
    prepare.committed = true;
    return true;
  }

  /** Lost (generation reset), EAGER (everything) or COOPERATIVE (unsubscribed topics only). */
  private revokeBeforeJoin(then: () => void): void {
    const { subscriptions, invoker, log } = this.deps;
    const owned = subscriptions.assignedPartitions();
    const finish = (error: unknown, keep: readonly TopicPartition[]): void => {
      subscriptions.assignFromSubscribed(keep);
      this.recordListenerError(error);
      then();
    };
    if (this.gen.generationId === NO_GENERATION || this.gen.memberId === UNKNOWN_MEMBER_ID) {
      if (owned.length === 0) return then();
      log.info('ConsumerCoordinator', 'Giving away all assigned partitions as lost since generation/memberID has been reset,indicating that consumer is in old state or no longer part of the group');
      return invoker.invokePartitionsLost(owned, (error) => finish(error, []));
    }
    if (this.protocol === 'EAGER') return invoker.invokePartitionsRevoked(owned, (error) => finish(error, []));
    const subscribed = new Set(subscriptions.subscription());
    const revoked = owned.filter((tp) => !subscribed.has(tp.topic));
    if (revoked.length === 0) return then();
    invoker.invokePartitionsRevoked(revoked, (error) => finish(error, owned.filter((tp) => subscribed.has(tp.topic))));
  }

  /** Applies the assignment of a completed rebalance; `done` runs when every listener has returned. */
  private onJoinComplete(generation: Generation, assignmentBytes: Uint8Array, done: () => void): void {
    const { subscriptions, invoker, log, config, clock } = this.deps;
    if (!this.isLeader) this.assignmentSnapshot = null;
    const owned = subscriptions.assignedPartitions();
    if (assignmentBytes.length < 2) throw ConsumerError.illegalState(`There are insufficient bytes available to read assignment from the sync-group response (actual byte size ${assignmentBytes.length}) , this is not expected; it is possible that the leader's assign function is buggy and did not return any assignment for this member, or because static member is configured and the protocol is buggy hence did not get the assignment for this member`);
    const assignment = decodeAssignment(assignmentBytes);
    const assigned = sortPartitions(assignment.partitions);
    if (assigned.length > consumerLimits.assignedPartitionsMax) throw ConsumerError.illegalState(`The assignment holds ${assigned.length} partitions, more than ${consumerLimits.assignedPartitionsMax}`);
    if (!subscriptions.checkAssignmentMatchedSubscription(assigned)) {
      this.requestRejoin('received assignment does not match the current subscription', `received assignment ${bracketPartitions(assigned)} does not match the current subscription ${subscriptions.hasPatternSubscription() ? `Pattern(${String(subscriptions.subscribedPattern())})` : `Subscribe([${subscriptions.subscription().join(', ')}])`}; it is likely that the subscription has changed since we joined the group, will re-join with current subscription`);
      return done();
    }
    const ownedKeys = new Set(owned.map(tpString));
    const assignedKeys = new Set(assigned.map(tpString));
    const added = assigned.filter((tp) => !ownedKeys.has(tpString(tp)));
    const apply = (): void => {
      this.lastAssignment = { partitions: assigned, generationId: generation.generationId };
      log.info('ConsumerCoordinator', `Notifying assignor about the new Assignment(partitions=${bracketPartitions(assigned)})`);
      if (config.enableAutoCommit) this.nextAutoCommitMs = clock.nowMs() + config.autoCommitIntervalMs;
      subscriptions.assignFromSubscribed(assigned);
      invoker.invokePartitionsAssigned(added, (error) => {
        this.recordListenerError(error);
        done();
      });
    };
    if (this.protocol !== 'COOPERATIVE') return apply();
    const revoked = owned.filter((tp) => !assignedKeys.has(tpString(tp)));
    log.info(
      'ConsumerCoordinator',
      `Updating assignment with\n\tAssigned partitions:                       ${bracketPartitions(assigned)}\n\tCurrent owned partitions:                  ${bracketPartitions(owned)}\n\tAdded partitions (assigned - owned):       ${bracketPartitions(added)}\n\tRevoked partitions (owned - assigned):     ${bracketPartitions(revoked)}\n`,
    );
    if (revoked.length === 0) return apply();
    invoker.invokePartitionsRevoked(revoked, (error) => {
      this.recordListenerError(error);
      this.requestRejoin('need to revoke partitions and re-join', `need to revoke partitions ${bracketPartitions(revoked)} as indicated by the current assignment and re-join`);
      apply();
    });
  }

  /** Before close() or unsubscribe(): the partitions are revoked (or lost) and the assignment cleared. */
  onLeavePrepare(done: (error: unknown) => void): void {
    const { subscriptions, invoker } = this.deps;
    const dropped = subscriptions.assignedPartitions();
    if (!subscriptions.hasAutoAssignedPartitions() || dropped.length === 0) return done(null);
    const finish = (error: unknown): void => {
      // unsubscribe() may have cleared the subscription while an asynchronous listener ran.
      if (subscriptions.hasAutoAssignedPartitions()) subscriptions.assignFromSubscribed([]);
      done(error);
    };
    const lost = this.gen.generationId === NO_GENERATION || this.gen.memberId === UNKNOWN_MEMBER_ID || this.rebalanceInProgress();
    if (lost) invoker.invokePartitionsLost(dropped, finish);
    else invoker.invokePartitionsRevoked(dropped, finish);
  }

  /**
   * LeaveGroup for a dynamic member that is in the group (a minimal-effort attempt: never resent),
   * then the generation is reset so the next poll() joins as a new member.
   */
  maybeLeaveGroup(leaveReason: string): RequestFuture<void> | null {
    let future: RequestFuture<void> | null = null;
    const { config, log } = this.deps;
    if (config.groupInstanceId === null && !this.coordinatorUnknown() && this.state !== 'UNJOINED' && this.gen.memberId !== UNKNOWN_MEMBER_ID) {
      log.info('AbstractCoordinator', `Member ${this.gen.memberId} sending LeaveGroup request to coordinator ${this.describeCoordinator()} due to ${leaveReason}`);
      const request = { api: 'LeaveGroup', groupId: this.deps.groupId, members: [{ memberId: this.gen.memberId, groupInstanceId: null, reason: truncateReason(leaveReason) }] } as const;
      const sent = this.gen;
      future = this.sendToCoordinator<typeof request, void>(request, (response, f) => {
        if (response.error === 'NONE') return f.complete(undefined);
        log.error('AbstractCoordinator', `LeaveGroup request with ${formatGeneration(sent)} failed with error: ${ConsumerError.fromBroker(response.error).message}`);
        f.raise(ConsumerError.fromBroker(response.error));
      });
    }
    this.resetStateAndRejoin('consumer pro-actively leaving the group', true);
    return future;
  }

  // ------------------------------------------------------------------------------------------
  // The heartbeat thread

  private enableHeartbeat(): void {
    this.heartbeatEnabled = true;
    const nowMs = this.deps.clock.nowMs();
    this.heartbeat.resetTimeouts(nowMs);
    this.scheduleHeartbeat(this.heartbeat.nextEventMs());
  }

  private scheduleHeartbeat(atMs: number): void {
    if (this.stopped || !this.heartbeatEnabled) return;
    const nowMs = this.deps.clock.nowMs();
    const at = Math.max(nowMs, atMs);
    if (this.heartbeatTimer !== null && this.heartbeatTimer.atMs <= at) return;
    this.cancelHeartbeatTimer();
    const handle = this.deps.timers.after(at - nowMs, () => {
      this.heartbeatTimer = null;
      this.heartbeatTick();
    });
    this.heartbeatTimer = { handle, atMs: at };
  }

  private cancelHeartbeatTimer(): void {
    this.heartbeatTimer?.handle.cancel();
    this.heartbeatTimer = null;
  }

  /** One turn of AbstractCoordinator.HeartbeatThread.run. */
  private heartbeatTick(): void {
    if (this.stopped || !this.heartbeatEnabled) return;
    if (this.hasNotJoinedGroup() || this.heartbeatFailure !== null) {
      this.heartbeatEnabled = false;
      return;
    }
    const nowMs = this.deps.clock.nowMs();
    const { config } = this.deps;
    if (this.coordinatorUnknown()) {
      this.lookupCoordinator();
      this.scheduleHeartbeat(nowMs + Math.max(1, config.retryBackoffMs));
    } else if (this.heartbeat.sessionTimeoutExpired(nowMs)) {
      this.markCoordinatorUnknown(false, 'session timed out without receiving a heartbeat response');
      this.scheduleHeartbeat(nowMs);
    } else if (this.heartbeat.pollTimeoutExpired(nowMs)) {
      this.handlePollTimeoutExpiry();
    } else if (!this.heartbeat.shouldHeartbeat(nowMs)) {
      this.scheduleHeartbeat(this.heartbeat.nextEventMs());
    } else {
      this.heartbeat.sentHeartbeat(nowMs);
      this.sendHeartbeatRequest().addListener(
        () => this.heartbeat.receiveHeartbeat(this.deps.clock.nowMs()),
        (error) => this.onHeartbeatFailed(error),
      );
      this.scheduleHeartbeat(this.heartbeat.nextEventMs());
    }
  }

  private onHeartbeatFailed(error: ConsumerError): void {
    const nowMs = this.deps.clock.nowMs();
    if (error.errorName === 'REBALANCE_IN_PROGRESS') {
      // Heartbeating on during a rebalance keeps the member in the group until it rejoins.
      this.heartbeat.receiveHeartbeat(nowMs);
    } else if (error.errorName === 'FENCED_INSTANCE_ID') {
      this.deps.log.error('AbstractCoordinator', `Caught fenced group.instance.id ${String(this.deps.config.groupInstanceId)} error in heartbeat thread`);
      this.heartbeatFailure = error;
    } else {
      this.heartbeat.failHeartbeat(nowMs);
      this.scheduleHeartbeat(this.heartbeat.nextEventMs());
    }
  }

  private handlePollTimeoutExpiry(): void {
    this.deps.log.warn(
      'AbstractCoordinator',
      'consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.',
    );
    this.maybeLeaveGroup('consumer poll timeout has expired.');
  }

  private sendHeartbeatRequest(): RequestFuture<void> {
    const request = { api: 'Heartbeat', groupId: this.deps.groupId, generationId: this.gen.generationId, memberId: this.gen.memberId, groupInstanceId: this.deps.config.groupInstanceId } as const;
    const sent = this.gen;
    return this.sendToCoordinator<typeof request, void>(request, (response, future) => {
      const { log } = this.deps;
      const error = response.error;
      if (error === 'NONE') return future.complete(undefined);
      if (error === 'COORDINATOR_NOT_AVAILABLE' || error === 'NOT_COORDINATOR') {
        log.info('AbstractCoordinator', `Attempt to heartbeat failed since coordinator ${this.describeCoordinator()} is either not started or not valid`);
        this.markCoordinatorUnknown(false, `error response ${error}`);
        return future.raise(ConsumerError.fromBroker(error));
      }
      if (error === 'REBALANCE_IN_PROGRESS') {
        if (this.state !== 'STABLE') return future.complete(undefined);
        this.requestRejoin('group is already rebalancing');
        return future.raise(ConsumerError.fromBroker(error));
      }
      if (error === 'ILLEGAL_GENERATION' || error === 'UNKNOWN_MEMBER_ID' || error === 'FENCED_INSTANCE_ID') {
        if (!sameGeneration(this.gen, sent)) {
          log.info('AbstractCoordinator', `Attempt to heartbeat with stale ${formatGeneration(sent)} and group instance id ${optional(this.deps.config.groupInstanceId)} failed due to ${error}, ignoring the error`);
          return future.complete(undefined);
        }
        log.info('AbstractCoordinator', `Attempt to heartbeat with ${formatGeneration(sent)} and group instance id ${optional(this.deps.config.groupInstanceId)} failed due to ${error}, resetting generation`);
        this.resetStateOnResponseError('HEARTBEAT', error, error !== 'ILLEGAL_GENERATION');
        return future.raise(ConsumerError.fromBroker(error));
      }
      future.raise(ConsumerError.client('KafkaException', `Unexpected error in heartbeat response: ${ConsumerError.fromBroker(error).message}`));
    });
  }

  // ------------------------------------------------------------------------------------------
  // Offset commits

  maybeAutoCommitOffsetsAsync(nowMs: number): void {
    if (!this.deps.config.enableAutoCommit || nowMs < this.nextAutoCommitMs) return;
    this.nextAutoCommitMs = nowMs + this.deps.config.autoCommitIntervalMs;
    this.autoCommitOffsetsAsync();
  }

  private autoCommitOffsetsAsync(): RequestFuture<void> | null {
    const { subscriptions, log, config, clock } = this.deps;
    const offsets = subscriptions.allConsumed();
    log.debug('ConsumerCoordinator', `Sending asynchronous auto-commit of offsets ${formatOffsets(offsets)}`);
    return this.commitOffsetsAsync(offsets, (committed, error) => {
      if (error === null) {
        log.debug('ConsumerCoordinator', `Completed asynchronous auto-commit of offsets ${formatOffsets(committed)}`);
      } else if (error.exceptionName === 'RetriableCommitFailedException') {
        log.debug('ConsumerCoordinator', `Asynchronous auto-commit of offsets ${formatOffsets(committed)} failed due to retriable error.`);
        this.nextAutoCommitMs = clock.nowMs() + config.retryBackoffMs;
      } else {
        log.warn('ConsumerCoordinator', `Asynchronous auto-commit of offsets ${formatOffsets(committed)} failed: ${error.message}`);
      }
    });
  }

  /** commitAsync: sent now (or after the coordinator lookup), never retried; the callback runs at the next poll/commit. */
  commitOffsetsAsync(offsets: readonly TopicPartitionOffset[], callback: OffsetCommitCallback | null): RequestFuture<void> | null {
    this.invokeCompletedOffsetCommitCallbacks();
    if (this.inFlightAsyncCommits + this.completedCommits.length >= consumerLimits.pendingAsyncCommitsMax) {
      throw ConsumerError.client('KafkaException', `${consumerLimits.pendingAsyncCommitsMax} asynchronous commits are already pending; call poll() to complete them`);
    }
    if (offsets.length === 0 || !this.coordinatorUnknownAfterAsyncLookup()) return this.doCommitOffsetsAsync(offsets, callback);
    this.inFlightAsyncCommits += 1;
    this.lookupCoordinator().addListener(
      () => {
        this.inFlightAsyncCommits -= 1;
        this.doCommitOffsetsAsync(offsets, callback);
      },
      (error) => {
        this.inFlightAsyncCommits -= 1;
        this.completedCommits.push({ callback, offsets, error: retriableCommitFailed(error) });
      },
    );
    return null;
  }

  private coordinatorUnknownAfterAsyncLookup(): boolean {
    return this.coordinatorUnknown() && !this.ensureCoordinatorReady(this.deps.clock.nowMs());
  }

  private doCommitOffsetsAsync(offsets: readonly TopicPartitionOffset[], callback: OffsetCommitCallback | null): RequestFuture<void> {
    const future = this.sendOffsetCommitRequest(offsets);
    this.inFlightAsyncCommits += 1;
    future.addListener(
      () => {
        this.inFlightAsyncCommits -= 1;
        this.completedCommits.push({ callback, offsets, error: null });
      },
      (error) => {
        this.inFlightAsyncCommits -= 1;
        this.completedCommits.push({ callback, offsets, error: error.retriable ? retriableCommitFailed(error) : error });
      },
    );
    return future;
  }

  /** Runs the callbacks of completed async commits, in completion order (Java runs them on the poll thread). */
  invokeCompletedOffsetCommitCallbacks(): void {
    for (let completion = this.completedCommits.shift(); completion !== undefined; completion = this.completedCommits.shift()) {
      try {
        if (completion.callback !== null) completion.callback(completion.offsets, completion.error);
        else if (completion.error !== null) this.deps.log.error('ConsumerCoordinator', `Offset commit with offsets ${formatOffsets(completion.offsets)} failed: ${completion.error.message}`);
      } catch (error) {
        this.deps.onCallbackError(error);
      }
    }
  }

  /** Async commits sent and not yet answered (close() waits for them). */
  pendingAsyncCommits(): number {
    return this.inFlightAsyncCommits;
  }

  /** OffsetCommit with the current generation (ConsumerCoordinator.sendOffsetCommitRequest). */
  sendOffsetCommitRequest(offsets: readonly TopicPartitionOffset[]): RequestFuture<void> {
    if (offsets.length === 0) return RequestFuture.success<void>(undefined);
    for (const entry of offsets) {
      if (!Number.isSafeInteger(entry.offset) || entry.offset < 0) return RequestFuture.failure(ConsumerError.client('IllegalArgumentException', `Invalid offset: ${entry.offset}`));
    }
    if (this.coordinatorUnknown()) return RequestFuture.coordinatorNotAvailable();
    let generation: Generation = NO_GEN;
    let groupInstanceId: string | null = null;
    if (this.deps.subscriptions.hasAutoAssignedPartitions()) {
      const stable = this.generationIfStable();
      groupInstanceId = this.deps.config.groupInstanceId;
      if (stable === null) return RequestFuture.failure(this.notInActiveGroupError());
      generation = stable;
    }
    const request = {
      api: 'OffsetCommit',
      groupId: this.deps.groupId,
      generationId: generation.generationId,
      memberId: generation.memberId,
      groupInstanceId,
      topics: groupByTopic(offsets),
    } as const;
    return this.sendToCoordinator<typeof request, void>(request, (response, future, latencyMs) => {
      this.deps.metrics.recordCommit(latencyMs, this.deps.clock.nowMs());
      this.handleCommitResponse(response, offsets, generation, future);
    });
  }

  private notInActiveGroupError(): ConsumerError {
    this.deps.log.info('ConsumerCoordinator', 'Failing OffsetCommit request since the consumer is not part of an active group');
    if (this.rebalanceInProgress()) {
      return ConsumerError.rebalanceInProgress(
        'Offset commit cannot be completed since the consumer is undergoing a rebalance for auto partition assignment. You can try completing the rebalance by calling poll() and then retry the operation.',
      );
    }
    return ConsumerError.commitFailed('Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; it is likely that the consumer was kicked out of the group.');
  }

  private handleCommitResponse(response: OffsetCommitResponse, offsets: readonly TopicPartitionOffset[], sent: Generation, future: RequestFuture<void>): void {
    const { log } = this.deps;
    for (const topic of response.topics) {
      for (const partition of topic.partitions) {
        const tp = `${topic.name}-${partition.partition}`;
        const offset = offsets.find((o) => o.topic === topic.name && o.partition === partition.partition)?.offset ?? -1;
        const error = partition.error;
        if (error === 'NONE') {
          log.debug('ConsumerCoordinator', `Committed offset ${offset} for partition ${tp}`);
          continue;
        }
        const failure = ConsumerError.fromBroker(error);
        if (failure.retriable) log.warn('ConsumerCoordinator', `Offset commit failed on partition ${tp} at offset ${offset}: ${failure.message}`);
        else log.error('ConsumerCoordinator', `Offset commit failed on partition ${tp} at offset ${offset}: ${failure.message}`);
        future.raise(this.commitErrorFor(error, sent));
        return;
      }
    }
    future.complete(undefined);
  }

  /** OffsetCommitResponseHandler's mapping of a partition error to what commit raises. */
  private commitErrorFor(error: ConsumerErrorName, sent: Generation): ConsumerError {
    switch (error) {
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'NOT_COORDINATOR':
      case 'REQUEST_TIMED_OUT':
        this.markCoordinatorUnknown(false, `error response ${error}`);
        return ConsumerError.fromBroker(error);
      case 'FENCED_INSTANCE_ID':
        this.deps.log.info('ConsumerCoordinator', `OffsetCommit failed with ${formatGeneration(sent)} due to group instance id ${optional(this.deps.config.groupInstanceId)} fenced`);
        if (sameGeneration(this.gen, sent)) return ConsumerError.fromBroker(error);
        if (this.state === 'PREPARING_REBALANCE') {
          return ConsumerError.rebalanceInProgress(
            "Offset commit cannot be completed since the consumer member's old generation is fenced by its group instance id, it is possible that this consumer has already participated another rebalance and got a new generation",
          );
        }
        return ConsumerError.commitFailed();
      case 'REBALANCE_IN_PROGRESS':
        this.requestRejoin('offset commit failed since group is already rebalancing');
        return ConsumerError.rebalanceInProgress(
          'Offset commit cannot be completed since the consumer group is executing a rebalance at the moment. You can try completing the rebalance by calling poll() and then retry commit again',
        );
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        this.deps.log.info('ConsumerCoordinator', `OffsetCommit failed with ${formatGeneration(sent)}: ${ConsumerError.fromBroker(error).message}`);
        if (!sameGeneration(this.gen, sent) && this.state === 'PREPARING_REBALANCE') {
          return ConsumerError.rebalanceInProgress(
            "Offset commit cannot be completed since the consumer member's generation is already stale, meaning it has already participated another rebalance and got a new generation. You can try completing the rebalance by calling poll() and then retry commit again",
          );
        }
        this.resetStateOnResponseError('OFFSET_COMMIT', error, error !== 'ILLEGAL_GENERATION');
        return ConsumerError.commitFailed();
      case 'OFFSET_METADATA_TOO_LARGE':
      case 'INVALID_COMMIT_OFFSET_SIZE':
      case 'COORDINATOR_LOAD_IN_PROGRESS':
      case 'UNKNOWN_TOPIC_OR_PARTITION':
        return ConsumerError.fromBroker(error);
      default:
        return ConsumerError.client('KafkaException', `Unexpected error in commit: ${ConsumerError.fromBroker(error).message}`);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Committed offsets

  /** OffsetFetch for the given partitions: their committed offsets, null where none. */
  sendOffsetFetchRequest(partitions: readonly TopicPartition[]): RequestFuture<Map<string, OffsetAndMetadata | null>> {
    if (this.coordinatorUnknown()) return RequestFuture.coordinatorNotAvailable();
    const byTopic = new Map<string, number[]>();
    for (const tp of sortPartitions(partitions)) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const request = { api: 'OffsetFetch', groupId: this.deps.groupId, topics: [...byTopic].map(([name, parts]) => ({ name, partitions: parts })) } as const;
    return this.sendToCoordinator<typeof request, Map<string, OffsetAndMetadata | null>>(request, (response, future) => this.handleOffsetFetchResponse(response, future));
  }

  private handleOffsetFetchResponse(response: OffsetFetchResponse, future: RequestFuture<Map<string, OffsetAndMetadata | null>>): void {
    const { log } = this.deps;
    if (response.error !== 'NONE') {
      const error = ConsumerError.fromBroker(response.error);
      if (response.error === 'NOT_COORDINATOR') this.markCoordinatorUnknown(false, `error response ${response.error}`);
      if (response.error === 'COORDINATOR_LOAD_IN_PROGRESS' || response.error === 'NOT_COORDINATOR' || response.error === 'COORDINATOR_NOT_AVAILABLE') return future.raise(error);
      return future.raise(ConsumerError.client('KafkaException', `Unexpected error in fetch offset response: ${error.message}`));
    }
    const offsets = new Map<string, OffsetAndMetadata | null>();
    const unstable: string[] = [];
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        const tp = `${topic.name}-${p.partition}`;
        if (p.error === 'UNKNOWN_TOPIC_OR_PARTITION') return future.raise(ConsumerError.client('KafkaException', `Topic or Partition ${tp} does not exist`));
        if (p.error === 'UNSTABLE_OFFSET_COMMIT') {
          unstable.push(tp);
        } else if (p.error !== 'NONE') {
          return future.raise(ConsumerError.client('KafkaException', `Unexpected error in fetch offset response for partition ${tp}: ${ConsumerError.fromBroker(p.error).message}`));
        } else if (p.committedOffset >= 0) {
          offsets.set(tp, { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch >= 0 ? p.committedLeaderEpoch : null, metadata: p.metadata ?? '' });
        } else {
          log.info('ConsumerCoordinator', `Found no committed offset for partition ${tp}`);
          offsets.set(tp, null);
        }
      }
    }
    if (unstable.length > 0) return future.raise(new ConsumerError('UNSTABLE_OFFSET_COMMIT', 'UnstableOffsetCommitException', `There are unstable offsets for the requested topic partitions [${unstable.join(', ')}]`));
    future.complete(offsets);
  }

  /**
   * initWithCommittedOffsetsIfNeeded, non-blocking: partitions without a position get their
   * committed offset. Returns true when there is nothing left to look up (the caller may then
   * apply auto.offset.reset to what is still without a position).
   */
  initWithCommittedOffsetsIfNeeded(nowMs: number): boolean {
    const { subscriptions } = this.deps;
    const initializing = subscriptions.initializingPartitions();
    if (initializing.length === 0) return true;
    const stable = this.generationIfStable();
    const key = `${joinPartitions(initializing)}@${stable === null ? 'none' : formatGeneration(stable)}`;
    if (this.pendingCommittedOffsets !== null && this.pendingCommittedOffsets.key !== key) this.pendingCommittedOffsets = null;
    if (!this.ensureCoordinatorReady(nowMs)) return false;
    if (this.pendingCommittedOffsets === null) {
      if (nowMs < this.offsetFetchBackoffUntilMs) return false;
      this.pendingCommittedOffsets = { key, future: this.sendOffsetFetchRequest(initializing) };
    }
    const future = this.pendingCommittedOffsets.future;
    if (!future.isDone()) return false;
    this.pendingCommittedOffsets = null;
    if (future.succeeded()) {
      this.refreshCommittedOffsets(initializing, future.value());
      return true;
    }
    if (!future.isRetriable()) throw future.exception();
    this.offsetFetchBackoffUntilMs = nowMs + this.deps.config.retryBackoffMs;
    return false;
  }

  private refreshCommittedOffsets(partitions: readonly TopicPartition[], offsets: ReadonlyMap<string, OffsetAndMetadata | null>): void {
    const { subscriptions, metadata, log } = this.deps;
    for (const tp of partitions) {
      const committed = offsets.get(tpString(tp)) ?? null;
      if (committed === null) continue;
      if (!subscriptions.isAssigned(tp)) {
        log.info('ConsumerCoordinator', `Ignoring the returned OffsetAndMetadata{offset=${committed.offset}} since its partition ${tpString(tp)} is no longer assigned`);
        continue;
      }
      if (subscriptions.view(tp)?.fetchState !== 'INITIALIZING') continue;
      const position = { offset: committed.offset, offsetEpoch: committed.leaderEpoch, leader: metadata.leader(tp), leaderEpoch: metadata.leaderEpoch(tp) };
      subscriptions.seekUnvalidated(tp, position);
      log.info('ConsumerCoordinator', `Setting offset for partition ${tpString(tp)} to the committed offset ${formatFetchPosition(position, (id) => this.describeNode(id))}`);
    }
  }

  describeNode(brokerId: number): string {
    return `${this.deps.brokerAddress(brokerId)} (id: ${brokerId} rack: null)`;
  }

  // ------------------------------------------------------------------------------------------
  // Shutdown

  /** Stops the heartbeat thread (close()). */
  stopHeartbeat(): void {
    this.heartbeatEnabled = false;
    this.cancelHeartbeatTimer();
  }

  /** Stops for good: no timer remains, late answers are ignored (crash() and the end of close()). */
  stop(): void {
    this.stopped = true;
    this.stopHeartbeat();
  }
}

// ---------------------------------------------------------------------------------------------

/** The highest rebalance protocol every configured assignor supports (ConsumerCoordinator's constructor). */
export function chooseProtocol(assignors: readonly PartitionAssignor[]): RebalanceProtocol {
  if (assignors.length === 0) return 'EAGER';
  const common = assignors.map((a) => new Set(a.supportedProtocols)).reduce((acc, set) => new Set([...acc].filter((p) => set.has(p))));
  if (common.size === 0) {
    throw ConsumerError.client('IllegalArgumentException', `Specified assignors [${assignors.map((a) => a.name).join(', ')}] do not have commonly supported rebalance protocol`);
  }
  return common.has('COOPERATIVE') ? 'COOPERATIVE' : 'EAGER';
}

/** With COOPERATIVE, an owned partition may not move straight to another member (validateCooperativeAssignment). */
function validateCooperativeAssignment(subscriptions: ReadonlyMap<string, MemberSubscription>, assignments: ReadonlyMap<string, MemberAssignment>, log: ConsumerLog): void {
  const added = new Set<string>();
  const revoked = new Set<string>();
  for (const [memberId, assignment] of assignments) {
    const owned = new Set((subscriptions.get(memberId)?.ownedPartitions ?? []).map(tpString));
    const assigned = new Set(assignment.partitions.map(tpString));
    for (const key of assigned) if (!owned.has(key)) added.add(key);
    for (const key of owned) if (!assigned.has(key)) revoked.add(key);
  }
  const both = [...added].filter((key) => revoked.has(key)).sort();
  if (both.length === 0) return;
  log.error('ConsumerCoordinator', `With the COOPERATIVE protocol, owned partitions cannot be reassigned to other members; however the assignor has reassigned partitions [${both.join(', ')}] which are still owned by some members`);
  throw ConsumerError.illegalState('Assignor supporting the COOPERATIVE protocol violates its requirements');
}

function retriableCommitFailed(cause: ConsumerError): ConsumerError {
  return ConsumerError.client('RetriableCommitFailedException', 'Offset commit failed with a retriable exception. You should retry committing the latest consumed offsets.', cause);
}

function groupByTopic(offsets: readonly TopicPartitionOffset[]): { name: string; partitions: { partition: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }[] }[] {
  const topics = new Map<string, { partition: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }[]>();
  for (const entry of offsets) {
    const list = topics.get(entry.topic) ?? [];
    list.push({ partition: entry.partition, committedOffset: entry.offset, committedLeaderEpoch: entry.leaderEpoch ?? -1, committedMetadata: entry.metadata ?? '' });
    topics.set(entry.topic, list);
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/** Java's Generation.toString. */
export function formatGeneration(generation: Generation): string {
  return `Generation{generationId=${generation.generationId}, memberId='${generation.memberId}', protocol='${String(generation.protocolName)}'}`;
}

function sameGeneration(a: Generation, b: Generation): boolean {
  return a.generationId === b.generationId && a.memberId === b.memberId && a.protocolName === b.protocolName;
}

function truncateReason(reason: string): string {
  return reason.length > consumerLimits.reasonCharsMax ? reason.slice(0, consumerLimits.reasonCharsMax) : reason;
}

function optional(value: string | null): string {
  return value === null ? 'Optional.empty' : `Optional[${value}]`;
}

function checkId(id: string, what: string): void {
  if (typeof id !== 'string' || id.length > consumerLimits.idCharsMax) throw ConsumerError.illegalState(`The coordinator answered an invalid ${what}`);
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [topic, count] of a) if (b.get(topic) !== count) return false;
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function formatCounts(counts: ReadonlyMap<string, number>): string {
  return `{${[...counts].map(([topic, count]) => `${topic}=${count}`).join(', ')}}`;
}
