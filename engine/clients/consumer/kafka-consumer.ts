/**
 * The in-process consumer, as Kafka's Java KafkaConsumer (3.x, classic group protocol) behaves,
 * on the ConsumerNetwork port and virtual time.
 *
 * poll(timeoutMs) follows KafkaConsumer.poll: each pass runs the coordinator (coordinator lookup,
 * the join/sync state machine with the rebalance listener calls, auto commit), then
 * updateFetchPositions (committed offsets via OffsetFetch, auto.offset.reset via ListOffsets,
 * NoOffsetForPartitionException with "none"), then drains buffered fetch data (at most
 * max.poll.records). When it has records it sends the next fetches before returning them
 * (pipelining); otherwise it sends fetches and sleeps until a response arrives, the coordinator
 * needs a pass (heartbeat, auto commit, backoff) or the timeout ends, and looks again.
 *
 * The heartbeat runs on its own timer, independent of poll. The time the application spends
 * between polls is modelled by the caller: the consumer only sees when poll() is called on the
 * Clock. Calling poll() later than max.poll.interval.ms after the previous call makes the member
 * leave the group (LeaveGroup, "consumer poll timeout has expired.") and rejoin on that next poll.
 *
 * Java's blocking calls return promises here (poll, commitSync, position, committed, close); a
 * rebalance listener may return a promise and poll waits for it. poll, commitSync and close also
 * come as pollCallback / commitSyncCallback / closeCallback, whose callback runs from an engine
 * timer event (never a promise continuation), for loops driven by engine events: they keep the
 * engine's time when a driver runs many events in one turn. Everything else is synchronous, as in
 * Java. One poll at a time: a second concurrent poll() is refused with Java's
 * ConcurrentModificationException. crash() stops everything at once, without commit or LeaveGroup
 * (the group notices after session.timeout.ms); close() commits (auto commit), revokes, leaves.
 *
 * Invariants: after close() or crash() no timer of the consumer remains and every pending
 * operation has settled; every record is returned at most once per position; every queue is
 * bounded (consumer-limits.ts).
 */
import type { Clock } from '../../core/clock.js';
import type { Timers } from '../../core/timers.js';
import { assignorByName } from '../../groups/assignors/index.js';
import type { PartitionAssignor } from '../../groups/assignors/assignor.js';
import { resolveConsumerConfig, type ConsumerConfig, type ConsumerConfigInput } from './consumer-config.js';
import { ConsumerCoordinator, type MemberState } from './consumer-coordinator.js';
import { asConsumerError, ConsumerError } from './consumer-errors.js';
import { ConsumerLog, type ConsumerLogLine } from './consumer-log.js';
import { ConsumerMetadata } from './consumer-metadata.js';
import { ConsumerMetrics, type ConsumerMetricName } from './consumer-metrics.js';
import type { ConsumerNetwork } from './consumer-network.js';
import { ConsumerNetworkClient } from './consumer-network-client.js';
import {
  bracketPartitions,
  checkTopicPartition,
  ConsumerRecords,
  formatOffsets,
  joinPartitions,
  sortPartitions,
  tpString,
  type ConsumerGroupMetadata,
  type ConsumerRebalanceListener,
  type OffsetAndMetadata,
  type OffsetCommitCallback,
  type TopicPartition,
  type TopicPartitionOffset,
} from './consumer-record.js';
import { deserializerNamed, type Deserializer } from './deserializers.js';
import { Fetcher } from './fetcher.js';
import { OffsetFetcher } from './offset-fetcher.js';
import { done, OperationRunner, waitUntil, type Outcome, type Step } from './operation-runner.js';
import { RebalanceListenerInvoker } from './rebalance-listener-invoker.js';
import type { RequestFuture } from './request-future.js';
import { SubscriptionState } from './subscription-state.js';

export interface KafkaConsumerOptions<K, V> {
  readonly config?: ConsumerConfigInput;
  /** Overrides key.deserializer; one of the two is required. */
  readonly keyDeserializer?: Deserializer<K>;
  /** Overrides value.deserializer; one of the two is required. */
  readonly valueDeserializer?: Deserializer<V>;
  readonly network: ConsumerNetwork;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Assignors to use instead of looking partition.assignment.strategy up by name (tests, custom assignors). */
  readonly assignors?: readonly PartitionAssignor[];
  /** "host:port" of a broker, for log lines (Java prints Nodes); default "broker-<id>:9092". */
  readonly brokerAddress?: (brokerId: number) => string;
  /** Receives every log line as it is written (the UI's event timeline). */
  readonly onLog?: (line: ConsumerLogLine) => void;
  /** Receives what a commit callback threw (Java logs it); never rethrown into the engine. */
  readonly onCallbackError?: (error: unknown) => void;
}

export interface PartitionMetrics extends TopicPartition {
  readonly position: number | null;
  readonly highWatermark: number | null;
  /** records-lag: high watermark - position, null while unknown. */
  readonly recordsLag: number | null;
  readonly paused: boolean;
}

export interface ConsumerMetricsSnapshot {
  readonly metrics: Readonly<Record<ConsumerMetricName, number>>;
  /** Java's MemberState; UNJOINED for a consumer without a group or using assign(). */
  readonly state: MemberState;
  readonly generationId: number;
  readonly memberId: string;
  readonly protocol: string | null;
  readonly coordinator: number | null;
  readonly assignedPartitions: readonly TopicPartition[];
  readonly partitions: readonly PartitionMetrics[];
  readonly lastPollMs: number | null;
}

const CLOSED_MESSAGE = 'This consumer has already been closed.';
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
const INVALID_GROUP_ID_MESSAGE = 'To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.';

export class KafkaConsumer<K, V> {
  readonly config: ConsumerConfig;
  private readonly log: ConsumerLog;
  private readonly metricsRegistry: ConsumerMetrics;
  private readonly client: ConsumerNetworkClient;
  private readonly subscriptions: SubscriptionState;
  private readonly metadata: ConsumerMetadata;
  private readonly coordinator: ConsumerCoordinator | null;
  private readonly fetcher: Fetcher<K, V>;
  private readonly offsetFetcher: OffsetFetcher;
  private readonly operations: OperationRunner;
  private readonly brokerAddress: (brokerId: number) => string;
  private pollInProgress = false;
  private wakeupRequested = false;
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** Callers waiting for close() while it runs; null when no close is running. */
  private closeWaiters: ((outcome: Outcome<void>) => void)[] | null = null;
  private shutDown = false;
  private fetchedListener: ((partition: TopicPartition) => void) | null = null;

  /** Throws ConsumerError('ConfigException' ...) for an invalid configuration, as Java's constructor does. */
  constructor(private readonly options: KafkaConsumerOptions<K, V>) {
    const config = (this.config = resolveConsumerConfig(options.config ?? {}));
    const { clock, timers, network } = options;
    const keyDeserializer = options.keyDeserializer ?? namedDeserializer<K>(config.keyDeserializer, 'key.deserializer');
    const valueDeserializer = options.valueDeserializer ?? namedDeserializer<V>(config.valueDeserializer, 'value.deserializer');
    this.brokerAddress = options.brokerAddress ?? ((id) => `broker-${id}:9092`);
    const describeNode = (id: number): string => `${this.brokerAddress(id)} (id: ${id} rack: null)`;
    this.log = new ConsumerLog(clock, ConsumerLog.prefixFor(config.clientId, config.groupId, config.groupInstanceId), options.onLog ?? null);
    this.metricsRegistry = new ConsumerMetrics(config.metricsNumSamples, config.metricsSampleWindowMs);
    this.operations = new OperationRunner(clock, timers);
    this.client = new ConsumerNetworkClient(clock, timers, () => this.operations.notify());
    this.subscriptions = new SubscriptionState(config.autoOffsetReset);
    this.metadata = new ConsumerMetadata(network, config.metadataMaxAgeMs, config.retryBackoffMs);
    this.coordinator = config.groupId === null ? null : this.createCoordinator(config, config.groupId);
    const shared = { config, clock, network, client: this.client, subscriptions: this.subscriptions, metadata: this.metadata, log: this.log, describeNode };
    this.fetcher = new Fetcher<K, V>({ ...shared, metrics: this.metricsRegistry, keyDeserializer, valueDeserializer, onFetchSent: (tp) => this.notifyFetched(tp) });
    this.offsetFetcher = new OffsetFetcher(shared);
  }

  private createCoordinator(config: ConsumerConfig, groupId: string): ConsumerCoordinator {
    const assignors = this.options.assignors ?? config.partitionAssignmentStrategy.map((name) => assignorByName(name) ?? missingAssignor(name));
    const invoker = new RebalanceListenerInvoker(this.subscriptions, this.log, groupId, () => this.operations.notify());
    return new ConsumerCoordinator({
      config,
      groupId,
      clock: this.options.clock,
      timers: this.options.timers,
      network: this.options.network,
      client: this.client,
      subscriptions: this.subscriptions,
      metadata: this.metadata,
      log: this.log,
      metrics: this.metricsRegistry,
      assignors,
      invoker,
      brokerAddress: this.brokerAddress,
      onCallbackError: (error) => this.options.onCallbackError?.(error),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Subscriptions

  /** subscribe(topics) or subscribe(regex), with an optional ConsumerRebalanceListener. */
  subscribe(topics: readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void {
    this.ensureOpen();
    const coordinator = this.requireGroup();
    if (topics instanceof RegExp) {
      this.log.info('KafkaConsumer', `Subscribed to pattern: '${topics.source}'`);
      this.subscriptions.subscribePattern(topics, listener ?? null);
      coordinator.updatePatternSubscription();
      this.metadata.requestUpdateForNewTopics();
      return;
    }
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic.trim().length === 0) throw ConsumerError.client('IllegalArgumentException', 'Topic collection to subscribe to cannot contain null or empty topic');
    }
    if (topics.length === 0) return this.unsubscribe();
    this.fetcher.clearBufferedDataForTopicsNotIn(new Set(topics));
    this.log.info('KafkaConsumer', `Subscribed to topic(s): ${[...new Set(topics)].join(', ')}`);
    if (this.subscriptions.subscribe(topics, listener ?? null)) this.metadata.requestUpdateForNewTopics();
  }

  /** assign(partitions): manual assignment, no group membership (commits still go to group.id). */
  assign(partitions: readonly TopicPartition[]): void {
    this.ensureOpen();
    for (const tp of partitions) {
      const problem = checkTopicPartition(tp);
      if (problem !== null) throw ConsumerError.client('IllegalArgumentException', problem);
    }
    if (partitions.length === 0) return this.unsubscribe();
    this.coordinator?.maybeAutoCommitOffsetsAsync(this.options.clock.nowMs());
    this.log.info('KafkaConsumer', `Assigned to partition(s): ${joinPartitions(sortPartitions(partitions))}`);
    if (this.subscriptions.assignFromUser(partitions)) this.metadata.requestUpdateForNewTopics();
    this.fetcher.clearBufferedDataForUnassignedPartitions();
  }

  /** Leaves the group (revoking the partitions first) and forgets subscription and assignment. */
  unsubscribe(): void {
    this.ensureOpen();
    if (this.coordinator?.waitingForListener() === true) throw ConsumerError.illegalState('Cannot unsubscribe while a rebalance callback has not returned yet');
    if (this.coordinator !== null && this.subscriptions.hasAutoAssignedPartitions()) {
      this.coordinator.onLeavePrepare((error) => {
        if (error !== null) this.log.error('ConsumerCoordinator', `User rebalance callback threw while unsubscribing: ${String(error)}`);
      });
      this.coordinator.maybeLeaveGroup('the consumer unsubscribed from all topics');
    }
    this.subscriptions.unsubscribe();
    this.fetcher.clearBufferedDataForUnassignedPartitions();
    this.log.info('KafkaConsumer', 'Unsubscribed all topics or patterns and assigned partitions');
  }

  /** The topics subscribed to (for a pattern: the topics it matches now), sorted. */
  subscription(): string[] {
    return this.subscriptions.subscription();
  }

  /** The partitions assigned now, sorted. */
  assignment(): TopicPartition[] {
    return this.subscriptions.assignedPartitions();
  }

  // ------------------------------------------------------------------------------------------
  // poll

  /** Java's poll(Duration): records as soon as there are some, else empty after timeoutMs. */
  poll(timeoutMs: number): Promise<ConsumerRecords<K, V>> {
    return promised((settle) => this.startPoll(timeoutMs, settle, false));
  }

  /**
   * poll() for callers driven by engine callbacks: `callback` runs from an engine timer event (never
   * inside this call, never from a promise continuation), with an error or the records.
   */
  pollCallback(timeoutMs: number, callback: ConsumerCallback<ConsumerRecords<K, V>>): void {
    this.startPoll(timeoutMs, callbackOf(callback), true);
  }

  private startPoll(timeoutMs: number, onSettled: (outcome: Outcome<ConsumerRecords<K, V>>) => void, deferSynchronous: boolean): void {
    let started = false;
    const prepare = (): ((nowMs: number) => Step<ConsumerRecords<K, V>>) => {
      this.ensureOpen();
      if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) throw ConsumerError.client('IllegalArgumentException', 'Timeout must not be negative');
      if (this.pollInProgress) throw ConsumerError.client('ConcurrentModificationException', 'KafkaConsumer is not safe for multi-threaded access');
      if (this.subscriptions.hasNoSubscriptionOrUserAssignment()) throw ConsumerError.illegalState('Consumer is not subscribed to any topics or assigned any partitions');
      const nowMs = this.options.clock.nowMs();
      this.metricsRegistry.recordPollStart(nowMs);
      this.pollInProgress = started = true;
      const deadlineMs = nowMs + timeoutMs;
      return (now) => this.pollOnce(now, deadlineMs);
    };
    const finish = (outcome: Outcome<ConsumerRecords<K, V>>): void => {
      if (started) this.pollInProgress = false;
      onSettled(outcome);
    };
    this.launch(prepare, finish, deferSynchronous);
  }

  /** Starts an operation; a validation error from `prepare` is its outcome (deferred like any other). */
  private launch<T>(prepare: () => (nowMs: number) => Step<T>, onSettled: (outcome: Outcome<T>) => void, deferSynchronous: boolean): void {
    let step: (nowMs: number) => Step<T>;
    try {
      step = prepare();
    } catch (error) {
      if (deferSynchronous) this.options.timers.after(0, () => onSettled({ ok: false, error }));
      else onSettled({ ok: false, error });
      return;
    }
    this.operations.run(step, onSettled, { deferSynchronous });
  }

  /** One pass of KafkaConsumer.poll's loop. */
  private pollOnce(nowMs: number, deadlineMs: number): Step<ConsumerRecords<K, V>> {
    if (this.state !== 'open') return done(ConsumerRecords.empty());
    if (this.wakeupRequested) {
      this.wakeupRequested = false;
      throw ConsumerError.client('WakeupException', 'The consumer was woken up by wakeup()');
    }
    const coordinator = this.coordinator;
    if (coordinator?.waitingForListener() === true) return waitUntil(Number.POSITIVE_INFINITY);
    this.maybeRefreshMetadata(nowMs);
    coordinator?.poll(nowMs);
    if (coordinator?.waitingForListener() === true) return waitUntil(Number.POSITIVE_INFINITY);
    this.updateFetchPositions(nowMs);
    const records = this.fetcher.collectFetch(this.config.maxPollRecords);
    this.fetcher.sendFetches();
    if (records.length > 0) {
      this.metricsRegistry.recordConsumed(records.length, nowMs);
      return done(new ConsumerRecords(records));
    }
    if (nowMs >= deadlineMs) return done(ConsumerRecords.empty());
    return waitUntil(this.nextPassMs(nowMs, deadlineMs));
  }

  /** When the waiting poll must look again even if no response arrives. */
  private nextPassMs(nowMs: number, deadlineMs: number): number {
    let next = deadlineMs;
    if (this.coordinator !== null) next = Math.min(next, nowMs + this.coordinator.timeToNextPollMs(nowMs));
    if (!this.subscriptions.hasAllFetchPositions()) next = Math.min(next, nowMs + this.config.retryBackoffMs);
    next = Math.min(next, this.metadata.nextUpdateDueMs());
    const resetRetryMs = this.subscriptions.nextResetRetryMs();
    if (resetRetryMs !== null) next = Math.min(next, resetRetryMs);
    const fetchRetryMs = this.fetcher.nextNodeRetryMs(nowMs);
    if (fetchRetryMs !== null) next = Math.min(next, fetchRetryMs);
    return next;
  }

  private maybeRefreshMetadata(nowMs: number): void {
    this.metadata.maybeRefresh(nowMs, this.subscriptions.metadataTopics(), this.subscriptions.hasPatternSubscription());
  }

  /** KafkaConsumer.updateFetchPositions: committed offsets first, then auto.offset.reset. */
  private updateFetchPositions(nowMs: number): boolean {
    if (this.subscriptions.hasAllFetchPositions()) return true;
    if (this.coordinator !== null && !this.coordinator.initWithCommittedOffsetsIfNeeded(nowMs)) return false;
    this.subscriptions.resetInitializingPositions();
    this.offsetFetcher.resetPositionsIfNeeded(nowMs);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Offsets

  /**
   * commitSync(offsets?): commits the given offsets, or the positions of every assigned partition
   * (what earlier polls returned), retrying retriable errors until default.api.timeout.ms.
   */
  commitSync(offsets?: readonly TopicPartitionOffset[], timeoutMs: number = this.config.defaultApiTimeoutMs): Promise<void> {
    return promised((settle) => this.startCommitSync(offsets, timeoutMs, settle, false));
  }

  /** commitSync() for callers driven by engine callbacks (see pollCallback). */
  commitSyncCallback(offsets: readonly TopicPartitionOffset[] | undefined, callback: ConsumerCallback<void>, timeoutMs: number = this.config.defaultApiTimeoutMs): void {
    this.startCommitSync(offsets, timeoutMs, callbackOf(callback), true);
  }

  private startCommitSync(offsets: readonly TopicPartitionOffset[] | undefined, timeoutMs: number, onSettled: (outcome: Outcome<void>) => void, deferSynchronous: boolean): void {
    const prepare = (): ((nowMs: number) => Step<void>) => {
      this.ensureOpen();
      const coordinator = this.requireGroup();
      const toCommit = offsets === undefined ? this.subscriptions.allConsumed() : checkOffsets(offsets);
      const deadlineMs = this.options.clock.nowMs() + timeoutMs;
      if (toCommit.length === 0) return (now) => this.awaitAsyncCommits(coordinator, now, deadlineMs);
      return this.commitSyncSteps(coordinator, toCommit, deadlineMs, timeoutMs);
    };
    this.launch(prepare, onSettled, deferSynchronous);
  }

  /** ConsumerCoordinator.commitOffsetsSync as a step function. */
  private commitSyncSteps(coordinator: ConsumerCoordinator, offsets: readonly TopicPartitionOffset[], deadlineMs: number, timeoutMs: number): (nowMs: number) => Step<void> {
    let future: RequestFuture<void> | null = null;
    let backoffUntilMs = Number.NEGATIVE_INFINITY;
    const timeout = (): ConsumerError => ConsumerError.timeout(`Timeout of ${timeoutMs}ms expired before successfully committing offsets ${formatOffsets(offsets)}`);
    return (nowMs) => {
      if (this.state === 'closed') throw ConsumerError.illegalState(CLOSED_MESSAGE);
      if (future === null) {
        if (nowMs < backoffUntilMs && nowMs < deadlineMs) return waitUntil(backoffUntilMs);
        if (!coordinator.ensureCoordinatorReady(nowMs)) {
          if (nowMs >= deadlineMs) throw timeout();
          return waitUntil(Math.min(deadlineMs, nowMs + coordinator.timeToNextPollMs(nowMs), nowMs + this.config.retryBackoffMs));
        }
        future = coordinator.sendOffsetCommitRequest(offsets);
      }
      if (!future.isDone()) {
        if (nowMs >= deadlineMs) throw timeout();
        return waitUntil(deadlineMs);
      }
      coordinator.invokeCompletedOffsetCommitCallbacks();
      if (future.succeeded()) return done(undefined);
      if (!future.isRetriable()) throw future.exception();
      if (nowMs >= deadlineMs) throw timeout();
      future = null;
      backoffUntilMs = nowMs + this.config.retryBackoffMs;
      return waitUntil(backoffUntilMs);
    };
  }

  /** commitSync of nothing still waits for the async commits in flight and runs their callbacks. */
  private awaitAsyncCommits(coordinator: ConsumerCoordinator, nowMs: number, deadlineMs: number): Step<void> {
    coordinator.invokeCompletedOffsetCommitCallbacks();
    if (coordinator.pendingAsyncCommits() === 0 || nowMs >= deadlineMs) return done(undefined);
    return waitUntil(deadlineMs);
  }

  /**
   * commitAsync(offsets?, callback?): sends the commit now; it is not retried, and the callback runs
   * at a later poll() / commit call (as Java runs it on the polling thread).
   */
  commitAsync(offsets?: readonly TopicPartitionOffset[] | null, callback?: OffsetCommitCallback): void {
    this.ensureOpen();
    const coordinator = this.requireGroup();
    const toCommit = offsets === undefined || offsets === null ? this.subscriptions.allConsumed() : checkOffsets(offsets);
    this.log.debug('KafkaConsumer', `Committing offsets: ${formatOffsets(toCommit)}`);
    coordinator.commitOffsetsAsync(toCommit, callback ?? null);
  }

  /** The group's committed offsets for the partitions (OffsetFetch), null where none. */
  committed(partitions: readonly TopicPartition[], timeoutMs: number = this.config.defaultApiTimeoutMs): Promise<(TopicPartition & { committed: OffsetAndMetadata | null })[]> {
    return promised((settle) => this.launch(() => this.committedSteps(partitions, timeoutMs), settle, false));
  }

  private committedSteps(partitions: readonly TopicPartition[], timeoutMs: number): (nowMs: number) => Step<(TopicPartition & { committed: OffsetAndMetadata | null })[]> {
    this.ensureOpen();
    const coordinator = this.requireGroup();
    for (const tp of partitions) {
      const problem = checkTopicPartition(tp);
      if (problem !== null) throw ConsumerError.client('IllegalArgumentException', problem);
    }
    const sorted = sortPartitions(partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })));
    const deadlineMs = this.options.clock.nowMs() + timeoutMs;
    let future: RequestFuture<Map<string, OffsetAndMetadata | null>> | null = null;
    let backoffUntilMs = Number.NEGATIVE_INFINITY;
    return (nowMs) => {
      if (future === null) {
        if (nowMs >= deadlineMs && nowMs >= backoffUntilMs) {
          throw ConsumerError.timeout(`Timeout of ${timeoutMs}ms expired before the last committed offset for partitions ${bracketPartitions(sorted)} could be determined. Try tuning default.api.timeout.ms larger to relax the threshold.`);
        }
        if (nowMs < backoffUntilMs || !coordinator.ensureCoordinatorReady(nowMs)) return waitUntil(Math.min(deadlineMs, Math.max(backoffUntilMs, nowMs + this.config.retryBackoffMs)));
        future = coordinator.sendOffsetFetchRequest(sorted);
      }
      if (!future.isDone()) return waitUntil(deadlineMs);
      const finished = future;
      future = null;
      if (finished.succeeded()) return done(sorted.map((tp) => ({ ...tp, committed: finished.value().get(tpString(tp)) ?? null })));
      if (!finished.isRetriable()) throw finished.exception();
      backoffUntilMs = nowMs + this.config.retryBackoffMs;
      return waitUntil(backoffUntilMs);
    };
  }

  // ------------------------------------------------------------------------------------------
  // Positions

  /** seek(partition, offset): the next poll fetches from `offset`. */
  seek(partition: TopicPartition, offset: number | OffsetAndMetadata): void {
    this.ensureOpen();
    const target = typeof offset === 'number' ? { offset, leaderEpoch: null } : offset;
    if (!Number.isSafeInteger(target.offset) || target.offset < 0) throw ConsumerError.client('IllegalArgumentException', 'seek offset must not be a negative number');
    const epochText = target.leaderEpoch === null ? '' : ` with epoch ${target.leaderEpoch}`;
    this.log.info('KafkaConsumer', `Seeking to offset ${target.offset} for partition ${tpString(partition)}${epochText}`);
    this.subscriptions.seekUnvalidated(partition, { offset: target.offset, offsetEpoch: target.leaderEpoch, leader: this.metadata.leader(partition), leaderEpoch: this.metadata.leaderEpoch(partition) });
  }

  /** seekToBeginning(partitions): every assigned partition when none are given; evaluated lazily. */
  seekToBeginning(partitions: readonly TopicPartition[] = []): void {
    this.seekTo('earliest', partitions);
  }

  /** seekToEnd(partitions): to the high watermark; every assigned partition when none are given. */
  seekToEnd(partitions: readonly TopicPartition[] = []): void {
    this.seekTo('latest', partitions);
  }

  private seekTo(strategy: 'earliest' | 'latest', partitions: readonly TopicPartition[]): void {
    this.ensureOpen();
    const targets = partitions.length === 0 ? this.subscriptions.assignedPartitions() : partitions;
    for (const tp of targets) {
      this.log.info('SubscriptionState', `Seeking to ${strategy.toUpperCase()} offset of partition ${tpString(tp)}`);
      this.subscriptions.requestOffsetReset(tp, strategy);
    }
  }

  /** position(partition): the offset of the next record to fetch, looked up (committed / reset) if unknown. */
  position(partition: TopicPartition, timeoutMs: number = this.config.defaultApiTimeoutMs): Promise<number> {
    return promised((settle) => this.launch(() => this.positionSteps(partition, timeoutMs), settle, false));
  }

  private positionSteps(partition: TopicPartition, timeoutMs: number): (nowMs: number) => Step<number> {
    this.ensureOpen();
    if (!this.subscriptions.isAssigned(partition)) throw ConsumerError.illegalState('You can only check the position for partitions assigned to this consumer.');
    const deadlineMs = this.options.clock.nowMs() + timeoutMs;
    return (nowMs) => {
      const known = (): Step<number> | null => {
        const position = this.subscriptions.position(partition);
        return position !== null && this.subscriptions.hasValidPosition(partition) ? done(position.offset) : null;
      };
      if (!this.subscriptions.isAssigned(partition)) throw ConsumerError.illegalState('You can only check the position for partitions assigned to this consumer.');
      const before = known();
      if (before !== null) return before;
      if (nowMs >= deadlineMs) throw ConsumerError.timeout(`Timeout of ${timeoutMs}ms expired before the position for partition ${tpString(partition)} could be determined`);
      this.maybeRefreshMetadata(nowMs);
      this.updateFetchPositions(nowMs);
      return known() ?? waitUntil(Math.min(deadlineMs, nowMs + this.config.retryBackoffMs));
    };
  }

  /** pause(partitions): no fetches and no records for them until resume(); buffered data is kept. */
  pause(partitions: readonly TopicPartition[]): void {
    this.ensureOpen();
    this.log.debug('KafkaConsumer', `Pausing partitions ${bracketPartitions(partitions)}`);
    for (const tp of partitions) this.subscriptions.pause(tp);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.ensureOpen();
    this.log.debug('KafkaConsumer', `Resuming partitions ${bracketPartitions(partitions)}`);
    for (const tp of partitions) this.subscriptions.resume(tp);
  }

  paused(): TopicPartition[] {
    return this.subscriptions.pausedPartitions();
  }

  // ------------------------------------------------------------------------------------------
  // Group and lifecycle

  /** Java's groupMetadata(). Throws InvalidGroupIdException without a group.id. */
  groupMetadata(): ConsumerGroupMetadata {
    this.ensureOpen();
    return this.requireGroup().groupMetadata();
  }

  /** Makes the current (or next) poll() fail with WakeupException. */
  wakeup(): void {
    this.wakeupRequested = true;
    this.operations.notify();
  }

  /**
   * close(timeoutMs = 30000): commits the positions (auto commit), waits for async commits,
   * revokes the partitions (listener), sends LeaveGroup, and waits for its answer, all within
   * timeoutMs. A poll in progress returns empty first.
   */
  close(timeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    return promised((settle) => this.startClose(timeoutMs, settle, false));
  }

  /** close() for callers driven by engine callbacks (see pollCallback). */
  closeCallback(timeoutMs: number | undefined, callback: ConsumerCallback<void>): void {
    this.startClose(timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS, callbackOf(callback), true);
  }

  private startClose(timeoutMs: number, onSettled: (outcome: Outcome<void>) => void, deferSynchronous: boolean): void {
    if (this.closeWaiters !== null) {
      this.closeWaiters.push(onSettled);
      return;
    }
    if (this.state === 'closed') {
      this.launch(() => () => done(undefined), onSettled, deferSynchronous);
      return;
    }
    this.closeWaiters = [onSettled];
    this.state = 'closing';
    this.operations.notify();
    const deadlineMs = this.options.clock.nowMs() + Math.max(0, timeoutMs);
    const finished = (outcome: Outcome<void>): void => {
      this.shutdown();
      const waiters = this.closeWaiters ?? [];
      this.closeWaiters = null;
      for (const waiter of waiters) waiter(outcome);
    };
    this.operations.run(this.closeSteps(deadlineMs), finished, { deferSynchronous });
  }

  /** ConsumerCoordinator.close + AbstractCoordinator.close as one step function. */
  private closeSteps(deadlineMs: number): (nowMs: number) => Step<void> {
    const coordinator = this.coordinator;
    let stage: 'commit' | 'async-commits' | 'leave' | 'leaving' | 'await-leave' = 'commit';
    let commit: ((nowMs: number) => Step<void>) | null = null;
    let leave: RequestFuture<void> | null = null;
    let firstError: unknown = null;
    const offsets = this.config.enableAutoCommit ? this.subscriptions.allConsumed() : [];
    return (nowMs) => {
      if (coordinator === null) return done(undefined);
      // A rebalance listener still running (it returned a promise) finishes first.
      if (coordinator.waitingForListener()) return waitUntil(Number.POSITIVE_INFINITY);
      if (stage === 'commit') {
        if (offsets.length > 0) {
          commit ??= this.commitSyncSteps(coordinator, offsets, deadlineMs, deadlineMs - nowMs);
          try {
            const step = commit(nowMs);
            if (!step.done) return step;
          } catch (error) {
            this.log.warn('ConsumerCoordinator', `Synchronous auto-commit of offsets ${formatOffsets(offsets)} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        stage = 'async-commits';
      }
      if (stage === 'async-commits') {
        coordinator.invokeCompletedOffsetCommitCallbacks();
        if (coordinator.pendingAsyncCommits() > 0 && nowMs < deadlineMs) return waitUntil(deadlineMs);
        stage = 'leave';
      }
      if (stage === 'leave') {
        coordinator.stopHeartbeat();
        stage = 'leaving';
        coordinator.onLeavePrepare((error) => {
          if (error !== null && firstError === null) firstError = error;
          leave = coordinator.maybeLeaveGroup('the consumer is being closed');
          stage = 'await-leave';
          this.operations.notify();
        });
      }
      if (stage === 'leaving') return waitUntil(Number.POSITIVE_INFINITY);
      const leaveFuture = leave as RequestFuture<void> | null;
      if (leaveFuture !== null && !leaveFuture.isDone() && nowMs < deadlineMs) return waitUntil(deadlineMs);
      if (leaveFuture !== null && !leaveFuture.isDone()) this.log.warn('AbstractCoordinator', 'Close timed out with 1 pending requests to coordinator, terminating client connections');
      if (firstError !== null) throw ConsumerError.client('KafkaException', 'User rebalance callback throws an error', firstError);
      return done(undefined);
    };
  }

  private shutdown(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    this.state = 'closed';
    this.coordinator?.stop();
    this.client.stop();
    this.operations.abortAll(ConsumerError.illegalState(CLOSED_MESSAGE));
    this.log.info('KafkaConsumer', `App info kafka.consumer for ${this.config.clientId} unregistered`);
  }

  /**
   * The process dies: no commit, no LeaveGroup, nothing more is sent or answered. The group keeps
   * the member until session.timeout.ms passes without a heartbeat. Pending calls fail.
   */
  crash(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.shutDown = true;
    this.coordinator?.stop();
    this.client.stop();
    const error = ConsumerError.illegalState(CLOSED_MESSAGE);
    this.operations.abortAll(error);
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  // ------------------------------------------------------------------------------------------
  // What the UI reads

  /** Kafka's consumer metrics plus the member's state, assignment and per-partition lag. */
  metrics(): ConsumerMetricsSnapshot {
    const nowMs = this.options.clock.nowMs();
    const assigned = this.subscriptions.assignedPartitions();
    const partitions = assigned.map((tp): PartitionMetrics => {
      const view = this.subscriptions.view(tp);
      return { ...tp, position: view?.position?.offset ?? null, highWatermark: view?.highWatermark ?? null, recordsLag: this.subscriptions.partitionLag(tp), paused: view?.paused ?? false };
    });
    const lagMax = partitions.reduce((max, p) => Math.max(max, p.recordsLag ?? Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    const generation = this.coordinator?.generation();
    return {
      metrics: this.metricsRegistry.snapshot(nowMs, Number.isFinite(lagMax) ? lagMax : Number.NaN),
      state: this.coordinator?.memberState() ?? 'UNJOINED',
      generationId: generation?.generationId ?? -1,
      memberId: generation?.memberId ?? '',
      protocol: generation?.protocolName ?? null,
      coordinator: this.coordinator?.coordinator() ?? null,
      assignedPartitions: assigned,
      partitions,
      lastPollMs: this.metricsRegistry.lastPollMs,
    };
  }

  /**
   * Not in Java: `listener` hears, inside poll(), each time a Fetch request that includes a
   * partition is sent (at the partition's position), so an application loop can tell when a newly
   * assigned partition is being fetched again (the stop-the-world measurement): from then on its
   * records reach the consumer as soon as they are written. One listener; a second call replaces
   * the first. A listener that throws is reported like a commit callback.
   */
  onPartitionFetched(listener: ((partition: TopicPartition) => void) | null): void {
    this.fetchedListener = listener;
  }

  private notifyFetched(tp: TopicPartition): void {
    try {
      this.fetchedListener?.({ topic: tp.topic, partition: tp.partition });
    } catch (error) {
      this.options.onCallbackError?.(error);
    }
  }

  /** Java's MemberState of this consumer (UNJOINED without a group). */
  memberState(): MemberState {
    return this.coordinator?.memberState() ?? 'UNJOINED';
  }

  /** The log lines kept, oldest first. */
  logLines(): readonly ConsumerLogLine[] {
    return this.log.lines();
  }

  /** The log as log4j prints it. */
  logText(): string[] {
    return this.log.text();
  }

  /** Requests sent, fetches sent, metadata refreshes (for the UI's timeline and tests). */
  counters(): { requests: number; fetchRequests: number; metadataRefreshes: number; inFlightRequests: number } {
    return { requests: this.client.requestsSent, fetchRequests: this.fetcher.fetchRequests, metadataRefreshes: this.metadata.refreshCount, inFlightRequests: this.client.inFlightCount() };
  }

  // ------------------------------------------------------------------------------------------

  private ensureOpen(): void {
    if (this.state !== 'open') throw ConsumerError.illegalState(CLOSED_MESSAGE);
  }

  private requireGroup(): ConsumerCoordinator {
    if (this.coordinator === null) throw new ConsumerError('INVALID_GROUP_ID', 'InvalidGroupIdException', INVALID_GROUP_ID_MESSAGE);
    return this.coordinator;
  }
}

function namedDeserializer<T>(name: ConsumerConfig['keyDeserializer'], config: string): Deserializer<T> {
  if (name === null) throw ConsumerError.client('ConfigException', `Missing required configuration "${config}" which has no default value.`);
  return deserializerNamed(name) as Deserializer<T>;
}

function missingAssignor(name: string): never {
  throw ConsumerError.client('ConfigException', `Invalid value ${name} for configuration partition.assignment.strategy: Class ${name} cannot be found`);
}

function checkOffsets(offsets: readonly TopicPartitionOffset[]): TopicPartitionOffset[] {
  return offsets.map((entry) => {
    const problem = checkTopicPartition(entry);
    if (problem !== null) throw ConsumerError.client('IllegalArgumentException', problem);
    if (!Number.isSafeInteger(entry.offset) || entry.offset < 0) throw ConsumerError.client('IllegalArgumentException', `Invalid offset: ${entry.offset}`);
    return { topic: entry.topic, partition: entry.partition, offset: entry.offset, leaderEpoch: entry.leaderEpoch ?? null, metadata: entry.metadata ?? '' };
  });
}

/** A callback-style result: an error, or the value (Java's blocking call returning or throwing). */
export type ConsumerCallback<T> = (error: ConsumerError | null, value: T | null) => void;

function promised<T>(start: (settle: (outcome: Outcome<T>) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error))));
}

function callbackOf<T>(callback: ConsumerCallback<T>): (outcome: Outcome<T>) => void {
  return (outcome) => (outcome.ok ? callback(null, outcome.value) : callback(asConsumerError(outcome.error, 'The consumer call failed'), null));
}
