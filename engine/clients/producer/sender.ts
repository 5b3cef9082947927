/**
 * Kafka's Sender (the producer's I/O thread) on virtual time. Each run (Sender.runOnce ->
 * sendProducerData):
 *
 * 1. idempotence: performs a requested epoch bump once no produce request is in flight, and gets a
 *    producer id (InitProducerId) before any batch is drained;
 * 2. refreshes metadata when an update was requested and retry.backoff.ms has passed;
 * 3. asks the accumulator which leaders have sendable data, keeps those with fewer than
 *    max.in.flight.requests.per.connection requests in flight, drains one batch per partition per
 *    leader (up to max.request.size), and mutes partitions when max.in.flight is 1 (Java's
 *    guaranteeMessageOrder);
 * 4. fails batches past delivery.timeout.ms, queued or in flight, with Java's TimeoutException
 *    ("Expiring N record(s) for topic-p: X ms has passed since batch creation"), keeping the last
 *    broker error as the cause;
 * 5. sends one Produce request per leader. With acks=0 the batches complete at once with offset -1
 *    and nothing is in flight. Otherwise a request stays in flight until its response, or until
 *    request.timeout.ms, when (as Java's NetworkClient does) the connection is dropped and every
 *    request in flight to that broker completes with REQUEST_TIMED_OUT; a response that arrives
 *    later is ignored.
 *
 * Responses: NONE completes the batch; a retriable error (Java's RetriableException family, or the
 * idempotent producer's sequence rules) re-enqueues it while retries and delivery.timeout.ms allow,
 * after retry.backoff.ms x 2^(attempts-1) (capped at retry.backoff.max.ms, +-20% jitter from the
 * seeded Prng: KIP-580, Kafka 3.7+); DUPLICATE_SEQUENCE_NUMBER completes it with offset -1 as Java
 * does; anything else fails it. InvalidMetadataException errors request a metadata update.
 *
 * The sender runs when woken (a new or full batch, a response, a timeout) or when its own timer is
 * due: the earliest linger or backoff end, batch expiry, or metadata retry. When it drained
 * something it runs again at once (Java's loop), so back-to-back requests fill the in-flight window.
 *
 * Simplified, with why: MESSAGE_TOO_LARGE on a batch of several records fails the batch (Java
 * splits it and retries the halves); batches over max.request.size cannot be built here unless
 * batch.size exceeds it, so the split path is rare in labs. KIP-951's leader hints in responses are
 * not used (a metadata refresh does the same job a little later). Java computes the backoff jitter at
 * every readiness check; here it is drawn once per retry so the Prng stream stays replayable.
 *
 * Invariants: in flight per broker <= max.in.flight.requests.per.connection; a request id is in
 * flight at most once and completes at most once; every batch drained is in exactly one in-flight
 * request (or completed at once for acks=0); at most one wake-up timer is pending.
 */
import { assert, assertFailed } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import type { Prng } from '../../core/prng.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import type { ProducerBatch } from './producer-batch.js';
import type { ProducerConfig } from './producer-config.js';
import { isRetriable, ProducerError, refreshesMetadata, type ProducerErrorName } from './producer-errors.js';
import type { ProducerMetadata } from './producer-metadata.js';
import type { ProducerMetrics } from './producer-metrics.js';
import type { InitProducerIdAnswer, ProducePartitionResponse, ProduceResponse, ProducerNetwork } from './producer-network.js';
import type { IdempotenceManager } from './idempotence.js';
import type { RecordAccumulator } from './record-accumulator.js';

/** CommonClientConfigs.RETRY_BACKOFF_EXP_BASE and RETRY_BACKOFF_JITTER. */
const RETRY_BACKOFF_EXP_BASE = 2;
const RETRY_BACKOFF_JITTER = 0.2;

interface InFlightRequest {
  readonly id: number;
  readonly brokerId: number;
  readonly batches: readonly ProducerBatch[];
  readonly sentMs: number;
  timer: TimerHandle | null;
}

export interface SenderDeps {
  readonly config: ProducerConfig;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prng: Prng;
  readonly network: ProducerNetwork;
  readonly accumulator: RecordAccumulator;
  readonly metadata: ProducerMetadata;
  readonly idempotence: IdempotenceManager | null;
  readonly metrics: ProducerMetrics;
  /** True while a send waits for buffer memory (the accumulator then treats every batch as sendable). */
  readonly memoryExhausted: () => boolean;
  /** Called after batches completed: memory was freed, flush/close may be done. */
  readonly onBatchesCompleted: () => void;
  /** Called when InitProducerId fails with a non-retriable error: the producer enters a fatal state. */
  readonly onFatalError: (error: ProducerError) => void;
}

export class Sender {
  private readonly inFlight = new Map<number, InFlightRequest[]>();
  private nextRequestId = 1;
  private wake: { handle: TimerHandle; dueMs: number } | null = null;
  private inNetworkCall = false;
  private initProducerId: { token: number; timer: TimerHandle } | null = null;
  private initToken = 0;
  private nextInitAttemptMs = Number.NEGATIVE_INFINITY;
  private stopped = false;
  /** Produce requests sent (for the UI and tests). */
  requestsSent = 0;

  constructor(private readonly deps: SenderDeps) {}

  /** Java's sender.wakeup(): run as soon as the current task ends. */
  wakeup(): void {
    this.scheduleAt(this.deps.clock.nowMs());
  }

  inFlightRequestCount(): number {
    let count = 0;
    for (const list of this.inFlight.values()) count += list.length;
    return count;
  }

  /** Stops for good: cancels timers and forgets in-flight requests (their responses are ignored). */
  stop(): void {
    this.stopped = true;
    this.wake?.handle.cancel();
    this.wake = null;
    this.initProducerId?.timer.cancel();
    this.initProducerId = null;
    for (const list of this.inFlight.values()) for (const request of list) request.timer?.cancel();
    this.inFlight.clear();
  }

  private scheduleAt(dueMs: number): void {
    if (this.stopped || !Number.isFinite(dueMs)) return;
    const nowMs = this.deps.clock.nowMs();
    const at = Math.max(nowMs, Math.ceil(dueMs));
    if (this.wake !== null && this.wake.dueMs <= at) return;
    this.wake?.handle.cancel();
    const wake = {
      dueMs: at,
      handle: this.deps.timers.after(at - nowMs, () => {
        if (this.wake === wake) this.wake = null;
        this.runOnce();
      }),
    };
    this.wake = wake;
  }

  private runOnce(): void {
    if (this.stopped) return;
    const { accumulator, metadata, idempotence, config } = this.deps;
    const nowMs = this.deps.clock.nowMs();

    if (idempotence !== null) {
      if (idempotence.epochBumpRequired && idempotence.hasProducerId() && this.inFlightRequestCount() === 0) {
        const bumped = idempotence.bumpedEpoch();
        if (bumped === null) idempotence.clearProducerId();
        else idempotence.resetProducerIdAndEpoch(bumped, accumulator.queues());
      }
      if (!idempotence.hasProducerId() || idempotence.epochBumpRequired) {
        if (!idempotence.hasProducerId()) this.maybeSendInitProducerId(nowMs);
        this.failExpiredBatches(nowMs);
        this.scheduleAt(Math.min(accumulator.nextExpiryTimeMs(), this.nextInitAttemptMs > nowMs ? this.nextInitAttemptMs : Number.POSITIVE_INFINITY));
        return;
      }
    }

    metadata.maybeRefresh(nowMs);
    const result = accumulator.ready(metadata, nowMs, this.deps.memoryExhausted());
    if (result.unknownLeaderTopics.size > 0) metadata.requestUpdate();
    const sendable = [...result.readyNodes].filter((node) => this.inFlightTo(node).length < config.maxInFlightRequestsPerConnection);
    const drained = accumulator.drain(metadata, sendable, config.maxRequestSizeBytes, nowMs);
    if (config.maxInFlightRequestsPerConnection === 1) {
      for (const batches of drained.values()) for (const batch of batches) accumulator.mutePartition(batch.topic, batch.partition);
    }
    this.failExpiredBatches(nowMs);
    for (const [brokerId, batches] of drained) this.sendProduceRequest(brokerId, batches, nowMs);

    if (drained.size > 0) {
      this.scheduleAt(nowMs);
      return;
    }
    let nextMs = Math.min(nowMs + result.nextReadyCheckDelayMs, accumulator.nextExpiryTimeMs(), this.nextInFlightExpiryMs());
    const refreshDue = metadata.nextRefreshDueMs();
    if (refreshDue !== null && accumulator.hasIncomplete()) nextMs = Math.min(nextMs, Math.max(refreshDue, nowMs + 1));
    this.scheduleAt(nextMs);
  }

  private inFlightTo(brokerId: number): InFlightRequest[] {
    let list = this.inFlight.get(brokerId);
    if (list === undefined) this.inFlight.set(brokerId, (list = []));
    return list;
  }

  private nextInFlightExpiryMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const list of this.inFlight.values()) {
      for (const request of list) for (const batch of request.batches) if (!batch.isDone) next = Math.min(next, batch.createdMs + this.deps.config.deliveryTimeoutMs);
    }
    return next;
  }

  private failExpiredBatches(nowMs: number): void {
    const { accumulator, config } = this.deps;
    const expired: ProducerBatch[] = [];
    for (const list of this.inFlight.values()) {
      for (const request of list) {
        for (const batch of request.batches) if (!batch.isDone && batch.hasReachedDeliveryTimeout(config.deliveryTimeoutMs, nowMs)) expired.push(batch);
      }
    }
    expired.push(...accumulator.expiredBatches(nowMs));
    for (const batch of expired) {
      const message = `Expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}:${nowMs - batch.createdMs} ms has passed since batch creation`;
      this.failBatch(batch, ProducerError.timeout(message, batch.lastError ?? undefined), nowMs);
    }
    if (expired.length > 0) this.deps.onBatchesCompleted();
  }

  private sendProduceRequest(brokerId: number, batches: readonly ProducerBatch[], nowMs: number): void {
    const { config, metrics, network } = this.deps;
    if (!(batches.length > 0)) assertFailed(`empty produce request to broker ${brokerId}`);
    const request = {
      acks: config.acks,
      timeoutMs: config.requestTimeoutMs,
      partitions: batches.map((batch) => ({ topic: batch.topic, partition: batch.partition, records: batch.encoded })),
    };
    metrics.recordRequestSent(
      batches.map((batch) => batch.encoded.length),
      batches.reduce((sum, batch) => sum + batch.recordCount, 0),
      nowMs,
    );
    this.requestsSent += 1;
    if (config.acks === 0) {
      this.callNetwork(() => network.send(brokerId, request, () => undefined));
      for (const batch of batches) this.completeBatch(batch, { topic: batch.topic, partition: batch.partition, error: 'NONE', baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 }, nowMs);
      this.deps.onBatchesCompleted();
      return;
    }
    const inFlight = this.inFlightTo(brokerId);
    if (!(inFlight.length < config.maxInFlightRequestsPerConnection)) assertFailed(`more than ${config.maxInFlightRequestsPerConnection} requests in flight to broker ${brokerId}`);
    const entry: InFlightRequest = { id: this.nextRequestId++, brokerId, batches, sentMs: nowMs, timer: null };
    inFlight.push(entry);
    entry.timer = this.deps.timers.after(config.requestTimeoutMs, () => this.onRequestTimeout(brokerId, entry.id));
    this.callNetwork(() =>
      network.send(brokerId, request, (response) => {
        if (this.inNetworkCall) this.deps.timers.after(0, () => this.onResponse(entry, response));
        else this.onResponse(entry, response);
      }),
    );
  }

  private callNetwork(call: () => void): void {
    assert(!this.inNetworkCall, 'network port called re-entrantly');
    this.inNetworkCall = true;
    try {
      call();
    } finally {
      this.inNetworkCall = false;
    }
  }

  private takeInFlight(entry: InFlightRequest): boolean {
    const list = this.inFlight.get(entry.brokerId);
    const index = list?.indexOf(entry) ?? -1;
    if (index < 0) return false;
    list!.splice(index, 1);
    entry.timer?.cancel();
    entry.timer = null;
    return true;
  }

  private onResponse(entry: InFlightRequest, response: ProduceResponse): void {
    if (this.stopped || !this.takeInFlight(entry)) return;
    const nowMs = this.deps.clock.nowMs();
    if (response.kind === 'disconnected') {
      this.deps.metadata.requestUpdate();
      for (const batch of entry.batches) this.completeWithError(batch, 'NETWORK_EXCEPTION', `Disconnected from node ${entry.brokerId}`, nowMs);
    } else {
      this.deps.metrics.recordLatency(nowMs - entry.sentMs, nowMs);
      if (!(response.partitions.length === entry.batches.length)) assertFailed(`broker ${entry.brokerId} answered ${response.partitions.length} partitions for ${entry.batches.length}`);
      for (const batch of entry.batches) {
        const answer = response.partitions.find((p) => p.topic === batch.topic && p.partition === batch.partition);
        if (!(answer !== undefined)) assertFailed(`broker ${entry.brokerId} did not answer for ${batch.topic}-${batch.partition}`);
        if (!(Number.isSafeInteger(answer.baseOffset) && answer.baseOffset >= -1)) assertFailed(`broker answered base offset ${answer.baseOffset}`);
        this.completeBatch(batch, answer, nowMs);
      }
    }
    this.deps.onBatchesCompleted();
    this.wakeup();
  }

  private onRequestTimeout(brokerId: number, requestId: number): void {
    if (this.stopped) return;
    const list = this.inFlight.get(brokerId) ?? [];
    if (!list.some((request) => request.id === requestId)) return;
    // NetworkClient.handleTimedOutRequests: disconnect the node; everything in flight to it times out.
    const nowMs = this.deps.clock.nowMs();
    const requests = [...list];
    for (const request of requests) this.takeInFlight(request);
    this.deps.metadata.requestUpdate();
    for (const request of requests) {
      for (const batch of request.batches) this.completeWithError(batch, 'REQUEST_TIMED_OUT', `Disconnected from node ${brokerId} due to timeout`, nowMs);
    }
    this.deps.onBatchesCompleted();
    this.wakeup();
  }

  private completeWithError(batch: ProducerBatch, error: ProducerErrorName, message: string, nowMs: number): void {
    this.completeBatch(batch, { topic: batch.topic, partition: batch.partition, error, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, errorMessage: message }, nowMs);
  }

  /** Sender.completeBatch. */
  private completeBatch(batch: ProducerBatch, answer: ProducePartitionResponse, nowMs: number): void {
    const { accumulator, config } = this.deps;
    if (answer.error === 'NONE') {
      this.succeedBatch(batch, answer.baseOffset, answer.logAppendTimeMs);
    } else {
      const error = answer.error;
      if (this.canRetry(batch, error, nowMs)) {
        batch.lastError = ProducerError.fromBroker(error, answer.errorMessage);
        this.deps.metrics.recordRetries(batch.recordCount, nowMs);
        accumulator.reenqueue(batch, nowMs, this.retryBackoffMs(batch.attempts));
      } else if (error === 'DUPLICATE_SEQUENCE_NUMBER') {
        this.succeedBatch(batch, -1, -1);
      } else {
        this.failBatch(batch, ProducerError.fromBroker(error, answer.errorMessage), nowMs);
      }
      if (refreshesMetadata(error)) this.deps.metadata.requestUpdate();
    }
    if (config.maxInFlightRequestsPerConnection === 1) accumulator.unmutePartition(batch.topic, batch.partition);
  }

  private canRetry(batch: ProducerBatch, error: ProducerErrorName, nowMs: number): boolean {
    const { config, idempotence } = this.deps;
    if (batch.isDone || batch.hasReachedDeliveryTimeout(config.deliveryTimeoutMs, nowMs) || batch.attempts >= config.retries) return false;
    return idempotence === null ? isRetriable(error) : idempotence.canRetry(error, batch);
  }

  /** ExponentialBackoff.backoff(attempts) with the jitter drawn from the seeded Prng. */
  private retryBackoffMs(attempts: number): number {
    const { retryBackoffMs, retryBackoffMaxMs } = this.deps.config;
    if (retryBackoffMaxMs <= retryBackoffMs) return retryBackoffMs;
    const expMax = Math.log(retryBackoffMaxMs / Math.max(retryBackoffMs, 1)) / Math.log(RETRY_BACKOFF_EXP_BASE);
    const term = retryBackoffMs * RETRY_BACKOFF_EXP_BASE ** Math.min(attempts, expMax);
    const randomFactor = 1 - RETRY_BACKOFF_JITTER + this.deps.prng.nextFloat() * 2 * RETRY_BACKOFF_JITTER;
    return Math.min(retryBackoffMaxMs, Math.floor(randomFactor * term));
  }

  private succeedBatch(batch: ProducerBatch, baseOffset: number, logAppendTimeMs: number): void {
    if (batch.done({ baseOffset, logAppendTimeMs })) this.deps.idempotence?.handleCompletedBatch(batch);
    this.deps.accumulator.deallocate(batch);
  }

  failBatch(batch: ProducerBatch, error: ProducerError, nowMs: number): void {
    if (batch.done({ error, state: 'failed' })) {
      this.deps.metrics.recordErrors(batch.recordCount, nowMs);
      this.deps.idempotence?.handleFailedBatch(batch);
    }
    this.deps.accumulator.deallocate(batch);
  }

  private maybeSendInitProducerId(nowMs: number): void {
    if (this.initProducerId !== null || nowMs < this.nextInitAttemptMs) return;
    const token = ++this.initToken;
    const { config, timers } = this.deps;
    const timer = timers.after(config.requestTimeoutMs, () => {
      if (this.initProducerId?.token !== token) return;
      this.initProducerId = null;
      this.nextInitAttemptMs = this.deps.clock.nowMs() + config.retryBackoffMs;
      this.wakeup();
    });
    this.initProducerId = { token, timer };
    this.callNetwork(() =>
      this.deps.network.initProducerId((answer) => {
        if (this.inNetworkCall) timers.after(0, () => this.onInitProducerId(token, answer));
        else this.onInitProducerId(token, answer);
      }),
    );
  }

  private onInitProducerId(token: number, answer: InitProducerIdAnswer): void {
    if (this.stopped || this.initProducerId?.token !== token) return;
    this.initProducerId.timer.cancel();
    this.initProducerId = null;
    const nowMs = this.deps.clock.nowMs();
    if (answer.ok) {
      this.deps.idempotence!.resetProducerIdAndEpoch(answer.producerIdAndEpoch, this.deps.accumulator.queues());
    } else if (isRetriable(answer.error)) {
      this.nextInitAttemptMs = nowMs + this.deps.config.retryBackoffMs;
    } else {
      this.deps.onFatalError(ProducerError.fromBroker(answer.error, answer.message));
      return;
    }
    this.wakeup();
  }
}
