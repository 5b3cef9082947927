/**
 * The in-process producer, as Kafka's Java KafkaProducer (3.x) behaves: send(record) ->
 * serializers -> partitioner -> RecordAccumulator (batch.size, linger.ms, buffer.memory) ->
 * Sender -> ProducerNetwork, with results by promise (Java's Future) and callback.
 *
 * send() follows KafkaProducer.doSend:
 * 1. wait for the topic's metadata (and, for a record with a partition, for that partition), up to
 *    max.block.ms: "Topic t not present in metadata after 60000 ms." (TimeoutException);
 * 2. serialize key and value (SerializationException on failure);
 * 3. choose the partition: the record's, else the partitioner's (murmur2 for keys, sticky for
 *    keyless; round-robin; a lab's rule), see engine/clients/partitioners;
 * 4. check the record's upper-bound size against max.request.size and buffer.memory
 *    (RecordTooLargeException, error MESSAGE_TOO_LARGE);
 * 5. append to the accumulator, waiting for buffer memory up to what is left of max.block.ms
 *    (BufferExhaustedException: "Failed to allocate N bytes within the configured max blocking
 *    time 60000 ms. ..."); with a custom partitioner, a record that would open a new batch makes the
 *    producer call the partitioner a second time (KIP-480's abortOnNewBatch), which is what makes
 *    Kafka 3.x's RoundRobinPartitioner skip partitions (KAFKA-9965);
 * 6. wake the sender when a batch filled up or a new batch was created.
 *
 * Every failure, including those Java throws from send() itself, reaches the caller through the
 * handle and the callback, so an asynchronous caller has one place to look. Java's application
 * thread blocks inside send(); here a blocked send waits in a FIFO queue (bounded by
 * producerLimits.blockedSendsMax) and later sends queue behind it, as the calls of one Java thread
 * would.
 *
 * flush() makes every batch sendable and resolves when every record sent before it completed.
 * close(timeoutMs) refuses new sends, fails sends still blocked, lets the sender deliver what is
 * queued, and after timeoutMs aborts the rest ("Producer is closed forcefully."); close(0) aborts at
 * once.
 *
 * Invariants: a send's handle settles exactly once; callbacks never throw into the engine (a
 * throwing callback is reported to onCallbackError, as Java logs it); after close every timer of
 * the producer is cancelled.
 */
import { assertFailed } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { Prng } from '../../core/prng.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import type { RecordHeader } from '../../storage/record-batch.js';
import { partitionForRecordKey } from '../partitioners/built-in-partitioner.js';
import type { PartitionView } from '../partitioners/partition-view.js';
import { RoundRobinPartitioner } from '../partitioners/round-robin-partitioner.js';
import { evaluatePartitionerRule } from '../partitioners/rule-partitioner.js';
import { resolveProducerConfig, type ProducerConfig, type ProducerConfigInput } from './producer-config.js';
import { isProducerError, ProducerError } from './producer-errors.js';
import { producerLimits } from './producer-limits.js';
import { ProducerMetadata } from './producer-metadata.js';
import { ProducerMetrics, type ProducerMetricsSnapshot } from './producer-metrics.js';
import type { ProducerNetwork } from './producer-network.js';
import type { ProducerRecord, SendCallback, SendHandle } from './producer-record.js';
import { SendTask } from './send-task.js';
import { IdempotenceManager } from './idempotence.js';
import { RecordAccumulator } from './record-accumulator.js';
import { batchSizeUpperBound } from './record-size.js';
import { Sender } from './sender.js';
import type { Serializer } from './serializers.js';

export interface KafkaProducerOptions<K, V> {
  readonly config?: ProducerConfigInput;
  readonly keySerializer: Serializer<K>;
  readonly valueSerializer: Serializer<V>;
  readonly network: ProducerNetwork;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Every random choice (the sticky partition, retry jitter) comes from here. */
  readonly prng: Prng;
  /** Receives what a user callback threw (Java logs "Error executing user-provided callback"). */
  readonly onCallbackError?: (error: unknown) => void;
}

type AttemptResult = 'done' | 'wait-metadata' | 'wait-memory';

const NO_HEADERS: readonly RecordHeader[] = [];

export class KafkaProducer<K, V> {
  readonly config: ProducerConfig;
  private readonly accumulator: RecordAccumulator;
  private readonly metadata: ProducerMetadata;
  private readonly sender: Sender;
  private readonly metricsRegistry: ProducerMetrics;
  private readonly idempotence: IdempotenceManager | null;
  private readonly roundRobin = new RoundRobinPartitioner();
  private readonly blocked: SendTask<K, V>[] = [];
  private blockedTimer: TimerHandle | null = null;
  private completionsScheduled = false;
  private fatalError: ProducerError | null = null;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closePromise: Promise<void> | null = null;
  private closeDone: (() => void) | null = null;
  private closeTimer: TimerHandle | null = null;

  /** Throws ProducerError('ConfigException') for an invalid configuration, as Java's constructor does. */
  constructor(private readonly options: KafkaProducerOptions<K, V>) {
    this.config = resolveProducerConfig(options.config ?? {});
    const config = this.config;
    this.idempotence = config.enableIdempotence ? new IdempotenceManager() : null;
    this.metricsRegistry = new ProducerMetrics(config.metricsNumSamples, config.metricsSampleWindowMs);
    this.accumulator = new RecordAccumulator(config, options.prng, this.idempotence);
    this.metadata = new ProducerMetadata(options.network, config.retryBackoffMs, config.metadataMaxAgeMs);
    this.sender = new Sender({
      config,
      clock: options.clock,
      timers: options.timers,
      prng: options.prng,
      network: options.network,
      accumulator: this.accumulator,
      metadata: this.metadata,
      idempotence: this.idempotence,
      metrics: this.metricsRegistry,
      memoryExhausted: () => this.blocked[0]?.waitingFor === 'memory',
      onBatchesCompleted: () => this.scheduleCompletions(),
      onFatalError: (error) => this.enterFatalState(error),
    });
    // Java's sender thread starts at construction; an idempotent producer asks for its id at once.
    if (this.idempotence !== null) this.sender.wakeup();
  }

  /** Sends a record; the handle's promise and the callback both deliver the outcome. */
  send(record: ProducerRecord<K, V>, callback?: SendCallback): SendHandle {
    const nowMs = this.options.clock.nowMs();
    const task = new SendTask<K, V>(record, nowMs + this.config.maxBlockMs, callback, this.options.onCallbackError);
    const invalid = this.state !== 'open' ? ProducerError.client('IllegalStateException', 'Cannot perform operation after producer has been closed') : (this.fatalError ?? validateRecord(record));
    if (invalid !== null) {
      task.fail(invalid);
      return task;
    }
    if (this.blocked.length === 0) {
      const result = this.attempt(task, nowMs);
      if (result === 'done') return task;
      task.waitingFor = result === 'wait-metadata' ? 'metadata' : 'memory';
    }
    if (this.blocked.length >= producerLimits.blockedSendsMax) {
      task.fail(ProducerError.client('KafkaException', `${producerLimits.blockedSendsMax} sends are already blocked on metadata or buffer memory; refusing more until they complete`));
      return task;
    }
    this.blocked.push(task);
    this.scheduleBlockedRetry();
    return task;
  }

  /** Makes every batch sendable and resolves when every record sent before the call has completed. */
  async flush(): Promise<void> {
    const waits = [...this.accumulator.incomplete().map((batch) => batch.settled()), ...this.blocked.map((pending) => pending.settled())];
    this.accumulator.flushesInProgress += 1;
    this.sender.wakeup();
    try {
      await Promise.all(waits);
    } finally {
      this.accumulator.flushesInProgress -= 1;
    }
  }

  /**
   * Closes the producer: no new sends; queued records are delivered for up to `timeoutMs`, then the
   * rest is aborted. Resolves when the producer is closed. close(0) aborts at once.
   */
  close(timeoutMs: number = Number.POSITIVE_INFINITY): Promise<void> {
    if (!(timeoutMs >= 0)) assertFailed(`close timeout ${timeoutMs} must not be negative`);
    if (this.closePromise !== null) return this.closePromise;
    this.state = 'closing';
    this.closePromise = new Promise<void>((resolve) => {
      this.closeDone = resolve;
    });
    for (const pending of this.blocked.splice(0)) pending.fail(ProducerError.client('KafkaException', 'Producer closed while send in progress'));
    this.blockedTimer?.cancel();
    this.blockedTimer = null;
    if (timeoutMs === 0) {
      this.forceClose();
    } else {
      this.accumulator.closed = true;
      if (Number.isFinite(timeoutMs)) this.closeTimer = this.options.timers.after(timeoutMs, () => this.forceClose());
      this.sender.wakeup();
      this.maybeFinishClose();
    }
    return this.closePromise;
  }

  /** Kafka's producer metrics at the Clock's time. */
  metrics(): ProducerMetricsSnapshot {
    return this.metricsRegistry.snapshot(this.options.clock.nowMs(), this.accumulator.availableMemoryBytes);
  }

  /** The producer id and epoch of an idempotent producer, null before InitProducerId or without idempotence. */
  producerIdAndEpoch(): { producerId: number; producerEpoch: number } | null {
    return this.idempotence?.producerIdAndEpoch ?? null;
  }

  /** Produce requests sent so far and metadata fetches made (for the UI's timeline and tests). */
  counters(): { produceRequests: number; metadataFetches: number; inFlightRequests: number } {
    return { produceRequests: this.sender.requestsSent, metadataFetches: this.metadata.fetchCount, inFlightRequests: this.sender.inFlightRequestCount() };
  }

  // -------------------------------------------------------------------------------------------

  private attempt(pending: SendTask<K, V>, nowMs: number): AttemptResult {
    const { record } = pending;
    const expired = nowMs >= pending.deadlineMs;
    const topic = this.metadata.forSend(record.topic, nowMs);
    if (topic === null) {
      if (!expired) return 'wait-metadata';
      return this.fail(pending, ProducerError.timeout(`Topic ${record.topic} not present in metadata after ${this.config.maxBlockMs} ms.`, this.metadata.lastError(record.topic) ?? undefined));
    }
    if (record.partition !== undefined && record.partition >= topic.partitionCount) {
      if (!expired) return 'wait-metadata';
      return this.fail(pending, ProducerError.timeout(`Partition ${record.partition} of topic ${record.topic} with partition count ${topic.partitionCount} is not present in metadata after ${this.config.maxBlockMs} ms.`));
    }
    if (!pending.serialized) {
      try {
        pending.key = this.options.keySerializer.serialize(record.topic, record.key ?? null);
        pending.value = this.options.valueSerializer.serialize(record.topic, record.value);
        pending.serialized = true;
      } catch (error) {
        return this.fail(pending, isProducerError(error) ? error : ProducerError.client('SerializationException', `Error serializing the record: ${String(error)}`));
      }
      const sizeBytes = batchSizeUpperBound(pending.key, pending.value, pending.headers);
      if (sizeBytes > this.config.maxRequestSizeBytes) {
        return this.fail(
          pending,
          new ProducerError('MESSAGE_TOO_LARGE', 'RecordTooLargeException', `The message is ${sizeBytes} bytes when serialized which is larger than ${this.config.maxRequestSizeBytes}, which is the value of the max.request.size configuration.`),
        );
      }
      if (sizeBytes > this.config.bufferMemoryBytes) {
        return this.fail(
          pending,
          new ProducerError('MESSAGE_TOO_LARGE', 'RecordTooLargeException', `The message is ${sizeBytes} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.`),
        );
      }
    }
    if (pending.partition === undefined) {
      const chosen = this.partition(record, pending.key, topic.view);
      if (chosen instanceof ProducerError) return this.fail(pending, chosen);
      pending.partition = chosen;
    }
    if (pending.timestampMs < 0) pending.timestampMs = record.timestampMs ?? nowMs;
    const customPartitioner = this.config.partitioner.kind !== 'default';
    let result = this.accumulator.append(record.topic, pending.partition, pending, customPartitioner, topic.view, nowMs);
    if (result.kind === 'abortForNewBatch') {
      // KafkaProducer.doSend: onNewBatch, then the partitioner a second time (KIP-480).
      if (this.config.partitioner.kind === 'roundRobin') this.roundRobin.onNewBatch(topic.view, result.partition);
      if (record.partition === undefined) {
        const chosen = this.partition(record, pending.key, topic.view);
        if (chosen instanceof ProducerError) return this.fail(pending, chosen);
        pending.partition = chosen;
      }
      result = this.accumulator.append(record.topic, pending.partition, pending, false, topic.view, nowMs);
    }
    if (result.kind === 'needMemory') {
      if (result.bytes > this.config.bufferMemoryBytes) {
        // BufferPool.allocate: a batch.size above buffer.memory can never be satisfied.
        return this.fail(pending, ProducerError.client('IllegalArgumentException', `Attempt to allocate ${result.bytes} bytes, but there is a hard limit of ${this.config.bufferMemoryBytes} on memory allocations.`));
      }
      if (!expired) return 'wait-memory';
      return this.fail(
        pending,
        new ProducerError(
          'REQUEST_TIMED_OUT',
          'BufferExhaustedException',
          `Failed to allocate ${result.bytes} bytes within the configured max blocking time ${this.config.maxBlockMs} ms. Total memory: ${this.config.bufferMemoryBytes} bytes. Available memory: ${this.accumulator.availableMemoryBytes} bytes. Poolable size: ${this.config.effectiveBatchSizeBytes} bytes`,
        ),
      );
    }
    if (!(result.kind === 'appended')) assertFailed(`append ended in ${result.kind}`);
    if (result.batchIsFull || result.newBatchCreated) this.sender.wakeup();
    return 'done';
  }

  /** KafkaProducer.partition, with the rule and round-robin partitioners; null = the sticky partition. */
  private partition(record: ProducerRecord<K, V>, keyBytes: Uint8Array | null, view: PartitionView): number | null | ProducerError {
    if (record.partition !== undefined) return record.partition;
    const partitioner = this.config.partitioner;
    let forceKeyHash = false;
    if (partitioner.kind === 'roundRobin') return this.roundRobin.partition(view);
    if (partitioner.kind === 'keyPrefix' || partitioner.kind === 'field') {
      const decision = evaluatePartitionerRule(partitioner, record.key ?? null, keyBytes, record.value);
      if (decision.kind === 'partition') {
        if (decision.partition >= view.partitionCount) {
          return ProducerError.client('IllegalArgumentException', `The partitioner's ${decision.rule} chose partition ${decision.partition}, but topic ${record.topic} has ${view.partitionCount} partitions.`);
        }
        return decision.partition;
      }
      forceKeyHash = decision.forceKeyHash;
    }
    if (keyBytes !== null && (forceKeyHash || !this.config.partitionerIgnoreKeys)) return partitionForRecordKey(keyBytes, view.partitionCount);
    return null;
  }

  private fail(pending: SendTask<K, V>, error: ProducerError): 'done' {
    pending.fail(error);
    return 'done';
  }

  /** Runs the blocked sends in order, as far as they can go now. */
  private drainBlocked(): void {
    this.blockedTimer?.cancel();
    this.blockedTimer = null;
    const total = this.blocked.length;
    for (let i = 0; i < total && this.blocked.length > 0; i++) {
      const head = this.blocked[0]!;
      const result = this.attempt(head, this.options.clock.nowMs());
      if (result !== 'done') {
        head.waitingFor = result === 'wait-metadata' ? 'metadata' : 'memory';
        break;
      }
      this.blocked.shift();
    }
    this.scheduleBlockedRetry();
  }

  private scheduleBlockedRetry(): void {
    const head = this.blocked[0];
    if (head === undefined || this.blockedTimer !== null) return;
    const nowMs = this.options.clock.nowMs();
    // Metadata is polled every retry.backoff.ms (at least 1 ms); memory is retried when a batch
    // completes (scheduleCompletions) and at the deadline.
    const dueMs = head.waitingFor === 'metadata' ? Math.min(nowMs + Math.max(1, this.config.retryBackoffMs), head.deadlineMs) : head.deadlineMs;
    this.blockedTimer = this.options.timers.after(Math.max(0, dueMs - nowMs), () => {
      this.blockedTimer = null;
      this.drainBlocked();
    });
    if (head.waitingFor === 'memory') this.sender.wakeup();
  }

  /** After batches completed: retry blocked sends (memory was freed) and finish a close. */
  private scheduleCompletions(): void {
    if (this.completionsScheduled) return;
    this.completionsScheduled = true;
    this.options.timers.after(0, () => {
      this.completionsScheduled = false;
      if (this.blocked.length > 0) this.drainBlocked();
      this.maybeFinishClose();
    });
  }

  private maybeFinishClose(): void {
    if (this.state !== 'closing' || this.closeDone === null) return;
    if (this.accumulator.hasIncomplete() || this.sender.inFlightRequestCount() > 0) return;
    this.finishClose();
  }

  private forceClose(): void {
    if (this.state === 'closed') return;
    const reason = ProducerError.client('KafkaException', 'Producer is closed forcefully.');
    const nowMs = this.options.clock.nowMs();
    for (const batch of this.accumulator.takeIncompleteBatches()) {
      batch.done({ error: reason, state: 'aborted' });
      this.metricsRegistry.recordErrors(batch.recordCount, nowMs);
      this.accumulator.deallocate(batch);
    }
    this.finishClose();
  }

  private finishClose(): void {
    this.state = 'closed';
    this.sender.stop();
    this.closeTimer?.cancel();
    this.closeTimer = null;
    this.blockedTimer?.cancel();
    this.blockedTimer = null;
    const done = this.closeDone;
    this.closeDone = null;
    done?.();
  }

  /** InitProducerId failed for good: every queued and future send fails with that error (Java's fatal state). */
  private enterFatalState(error: ProducerError): void {
    this.fatalError = error;
    this.sender.stop();
    const nowMs = this.options.clock.nowMs();
    for (const batch of this.accumulator.takeIncompleteBatches()) this.sender.failBatch(batch, error, nowMs);
    for (const pending of this.blocked.splice(0)) pending.fail(error);
    this.scheduleCompletions();
  }
}

function validateRecord(record: ProducerRecord<unknown, unknown>): ProducerError | null {
  const bad = (message: string) => ProducerError.client('IllegalArgumentException', message);
  if (typeof record.topic !== 'string' || record.topic.length === 0 || record.topic.length > limits.topicNameMaxLength) return bad(`Invalid topic ${JSON.stringify(record.topic)}.`);
  if (record.partition !== undefined && !(Number.isInteger(record.partition) && record.partition >= 0)) {
    return bad(`Invalid partition given with record: ${record.partition} is not in the range [0...2147483647].`);
  }
  if (record.timestampMs !== undefined && !(Number.isSafeInteger(record.timestampMs) && record.timestampMs >= 0)) {
    return bad(`Invalid timestamp: ${record.timestampMs}. Timestamp should always be non-negative or null.`);
  }
  const headers = record.headers ?? NO_HEADERS;
  if (headers.length > limits.headersPerRecordMax) return bad(`A record may carry at most ${limits.headersPerRecordMax} headers, got ${headers.length}.`);
  for (const header of headers) {
    if (typeof header.key !== 'string' || !(header.value === null || header.value instanceof Uint8Array)) return bad('A header needs a string key and a byte-array or null value.');
  }
  return null;
}
