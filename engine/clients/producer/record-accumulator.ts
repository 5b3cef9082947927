/**
 * Kafka's RecordAccumulator and BufferPool: per-partition queues (deques) of batches, filled by
 * send() and emptied by the sender.
 *
 * - append: to the partition's last batch if the record fits, else a new batch of
 *   max(batch.size, the record's upper bound) bytes of buffer.memory (so a record larger than
 *   batch.size gets a batch of its own); keyless records go to the sticky partition of the built-in
 *   partitioner, which this class drives exactly where Java's append does (partitionChanged before,
 *   updatePartitionInfo after, switching only when all the partition's batches are full);
 *   abortOnNewBatch returns before creating a batch, for the custom partitioner's second call.
 * - buffer.memory: a batch holds its bytes until it completes; when a new batch does not fit the
 *   caller is told to wait (the producer blocks the send up to max.block.ms).
 * - ready: a partition's first batch is sendable when the queue has more than one batch, the batch
 *   is full, linger.ms passed since it was created (or the retry backoff since it was re-enqueued),
 *   someone waits for memory, the producer is closing, or a flush is in progress; its leader is
 *   then a ready node. Partitions without a leader name their topics for a metadata update.
 * - drain: per ready node, one batch per partition, starting where the last drain for that node
 *   stopped, up to max.request.size (at least one batch); batches are closed (encoded) here, and
 *   the idempotent producer's sequence rules apply.
 * - expiry: batches at the head of a queue past delivery.timeout.ms.
 *
 * Invariants: every batch in a queue is incomplete and counted in `incomplete`; memory in use =
 * sum of writeLimitBytes of incomplete batches <= buffer.memory; a batch is in at most one queue;
 * queues hold batches of their own partition only; all loops run over these bounded collections.
 */
import { assert, assertFailed } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { BuiltInPartitioner } from '../partitioners/built-in-partitioner.js';
import type { PartitionView } from '../partitioners/partition-view.js';
import { ProducerBatch, type BatchRecord } from './producer-batch.js';
import type { ProducerConfig } from './producer-config.js';
import { producerLimits } from './producer-limits.js';
import type { IdempotenceManager } from './idempotence.js';
import { batchSizeUpperBound } from './record-size.js';

/** CompressionRatioEstimator's steps. */
const COMPRESSION_RATIO_IMPROVING_STEP = 0.005;
const COMPRESSION_RATIO_DETERIORATE_STEP = 0.05;

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

/** What the accumulator needs to know about the cluster (ProducerMetadata implements it). */
export interface AccumulatorMetadata {
  leaderFor(topic: string, partition: number): number | null;
  /** The partitions a broker leads, in a stable order. */
  partitionsForBroker(brokerId: number): readonly TopicPartitionRef[];
}

export type AppendResult =
  | { readonly kind: 'appended'; readonly partition: number; readonly batchIsFull: boolean; readonly newBatchCreated: boolean }
  | { readonly kind: 'abortForNewBatch'; readonly partition: number }
  | { readonly kind: 'needMemory'; readonly bytes: number };

export interface ReadyCheckResult {
  readonly readyNodes: ReadonlySet<number>;
  readonly nextReadyCheckDelayMs: number;
  readonly unknownLeaderTopics: ReadonlySet<string>;
}

interface TopicState {
  readonly deques: Map<number, ProducerBatch[]>;
  readonly builtIn: BuiltInPartitioner;
  compressionRatio: number;
}

export class RecordAccumulator {
  private readonly topics = new Map<string, TopicState>();
  private readonly incompleteBatches = new Set<ProducerBatch>();
  private readonly muted = new Set<string>();
  private readonly drainIndexByBroker = new Map<number, number>();
  private usedBytes = 0;
  flushesInProgress = 0;
  closed = false;

  constructor(
    private readonly config: ProducerConfig,
    private readonly prng: Prng,
    private readonly idempotence: IdempotenceManager | null,
  ) {}

  get availableMemoryBytes(): number {
    return this.config.bufferMemoryBytes - this.usedBytes;
  }

  /**
   * Appends a record to `partition`, or to the topic's sticky partition when `partition` is null.
   * `view` describes the topic (needed for the sticky choice).
   */
  append(topic: string, partition: number | null, record: BatchRecord, abortOnNewBatch: boolean, view: PartitionView, nowMs: number): AppendResult {
    if (!(partition === null || (Number.isInteger(partition) && partition >= 0 && partition < view.partitionCount))) assertFailed(`append to partition ${partition} of ${view.partitionCount}`);
    assert(!this.closed, 'append after the accumulator was closed');
    const state = this.topicState(topic);
    for (let pass = 0; pass < producerLimits.appendPassesMax; pass++) {
      const sticky = partition === null ? state.builtIn.peekCurrentPartitionInfo(view) : null;
      const effectivePartition = sticky?.partition ?? partition!;
      const deque = this.dequeOf(state, effectivePartition);
      // RecordAccumulator.partitionChanged: switch now if all batches became full (or were sent).
      if (sticky !== null && this.allBatchesFull(deque, state)) {
        state.builtIn.updatePartitionInfo(sticky, 0, view, true);
        if (state.builtIn.isPartitionChanged(sticky)) continue;
      }
      const last = deque[deque.length - 1];
      if (last !== undefined) {
        const appendedBytes = last.tryAppend(record, state.compressionRatio);
        if (appendedBytes !== null) {
          if (sticky !== null) state.builtIn.updatePartitionInfo(sticky, appendedBytes, view, this.allBatchesFull(deque, state));
          return { kind: 'appended', partition: effectivePartition, batchIsFull: deque.length > 1 || last.isFull(state.compressionRatio), newBatchCreated: false };
        }
        last.closeForRecordAppends();
      }
      if (abortOnNewBatch) return { kind: 'abortForNewBatch', partition: effectivePartition };
      const sizeBytes = Math.max(this.config.effectiveBatchSizeBytes, batchSizeUpperBound(record.key, record.value, record.headers));
      if (sizeBytes > this.availableMemoryBytes) return { kind: 'needMemory', bytes: sizeBytes };
      const batch = new ProducerBatch(topic, effectivePartition, nowMs, sizeBytes, this.config.compressionType);
      const appendedBytes = batch.tryAppend(record, state.compressionRatio);
      assert(appendedBytes !== null, 'a new batch must take its first record');
      this.usedBytes += sizeBytes;
      this.incompleteBatches.add(batch);
      deque.push(batch);
      if (sticky !== null) state.builtIn.updatePartitionInfo(sticky, batch.estimatedSizeInBytes(state.compressionRatio), view, this.allBatchesFull(deque, state));
      return { kind: 'appended', partition: effectivePartition, batchIsFull: deque.length > 1 || batch.isFull(state.compressionRatio), newBatchCreated: true };
    }
    assertFailed(`append to ${topic} did not settle in ${producerLimits.appendPassesMax} passes`);
  }

  ready(metadata: AccumulatorMetadata, nowMs: number, memoryExhausted: boolean): ReadyCheckResult {
    const readyNodes = new Set<number>();
    const unknownLeaderTopics = new Set<string>();
    let nextReadyCheckDelayMs = Number.POSITIVE_INFINITY;
    for (const [topic, state] of this.topics) {
      for (const [partition, deque] of state.deques) {
        const batch = deque[0];
        if (batch === undefined) continue;
        const leader = metadata.leaderFor(topic, partition);
        if (leader === null) {
          unknownLeaderTopics.add(topic);
          continue;
        }
        if (readyNodes.has(leader) || this.muted.has(key(topic, partition))) continue;
        const waitedTimeMs = Math.max(0, nowMs - batch.lastAttemptMs);
        const backingOff = batch.attempts > 0 && waitedTimeMs < batch.retryBackoffMs;
        const timeToWaitMs = backingOff ? batch.retryBackoffMs : this.config.lingerMs;
        const full = deque.length > 1 || batch.isFull(state.compressionRatio);
        const expired = waitedTimeMs >= timeToWaitMs;
        const sendable = full || expired || memoryExhausted || this.closed || this.flushesInProgress > 0;
        if (sendable && !backingOff) readyNodes.add(leader);
        else nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs, Math.max(timeToWaitMs - waitedTimeMs, 0));
      }
    }
    return { readyNodes, nextReadyCheckDelayMs, unknownLeaderTopics };
  }

  /** Takes the batches to send to each node (RecordAccumulator.drain). */
  drain(metadata: AccumulatorMetadata, nodes: Iterable<number>, maxRequestSizeBytes: number, nowMs: number): Map<number, ProducerBatch[]> {
    const drained = new Map<number, ProducerBatch[]>();
    for (const node of nodes) {
      const parts = metadata.partitionsForBroker(node);
      if (parts.length === 0) continue;
      const ready: ProducerBatch[] = [];
      let sizeBytes = 0;
      let drainIndex = (this.drainIndexByBroker.get(node) ?? 0) % parts.length;
      const start = drainIndex;
      do {
        const part = parts[drainIndex]!;
        this.drainIndexByBroker.set(node, drainIndex);
        drainIndex = (drainIndex + 1) % parts.length;
        if (this.muted.has(key(part.topic, part.partition))) continue;
        const state = this.topics.get(part.topic);
        const deque = state?.deques.get(part.partition);
        const first = deque?.[0];
        if (state === undefined || deque === undefined || first === undefined) continue;
        if (first.attempts > 0 && nowMs - first.lastAttemptMs < first.retryBackoffMs) continue;
        if (sizeBytes + first.estimatedSizeInBytes(state.compressionRatio) > maxRequestSizeBytes && ready.length > 0) break;
        if (this.idempotence !== null && this.idempotence.shouldStopDrain(first)) break;
        deque.shift();
        if (this.idempotence !== null && !first.hasSequence) this.idempotence.assignSequence(first);
        const observedRatio = first.close();
        if (observedRatio !== null && this.config.compressionType !== 'none') state.compressionRatio = updateEstimation(state.compressionRatio, observedRatio);
        sizeBytes += first.encoded.length;
        ready.push(first);
      } while (drainIndex !== start);
      if (ready.length > 0) drained.set(node, ready);
    }
    return drained;
  }

  /** Removes and returns the batches at the heads of the queues that passed delivery.timeout.ms. */
  expiredBatches(nowMs: number): ProducerBatch[] {
    const expired: ProducerBatch[] = [];
    for (const state of this.topics.values()) {
      for (const deque of state.deques.values()) {
        while (deque.length > 0 && deque[0]!.hasReachedDeliveryTimeout(this.config.deliveryTimeoutMs, nowMs)) {
          const batch = deque.shift()!;
          batch.closeForRecordAppends();
          expired.push(batch);
        }
      }
    }
    return expired;
  }

  /** When the earliest queued batch reaches delivery.timeout.ms (Infinity when none is queued). */
  nextExpiryTimeMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.topics.values()) {
      for (const deque of state.deques.values()) {
        const first = deque[0];
        if (first !== undefined) next = Math.min(next, first.createdMs + this.config.deliveryTimeoutMs);
      }
    }
    return next;
  }

  /** Puts a failed batch back for a retry (RecordAccumulator.reenqueue / insertInSequenceOrder). */
  reenqueue(batch: ProducerBatch, nowMs: number, backoffMs: number): void {
    if (!(this.incompleteBatches.has(batch) && !batch.isDone)) assertFailed(`re-enqueue of a completed batch ${batch.topic}-${batch.partition}`);
    batch.reenqueued(nowMs, backoffMs);
    const state = this.topicState(batch.topic);
    const deque = this.dequeOf(state, batch.partition);
    if (deque.includes(batch)) assertFailed(`batch ${batch.topic}-${batch.partition} re-enqueued twice`);
    let index = 0;
    if (this.idempotence !== null) {
      assert(batch.hasSequence, 'an idempotent batch is re-enqueued only after it got a sequence');
      while (index < deque.length && deque[index]!.hasSequence && deque[index]!.baseSequence < batch.baseSequence) index++;
    }
    deque.splice(index, 0, batch);
  }

  /** Returns a completed batch's memory to the pool; idempotent. */
  deallocate(batch: ProducerBatch): void {
    if (!this.incompleteBatches.delete(batch)) return;
    this.usedBytes -= batch.writeLimitBytes;
    if (!(this.usedBytes >= 0)) assertFailed(`buffer pool went negative (${this.usedBytes} bytes)`);
  }

  incomplete(): readonly ProducerBatch[] {
    return [...this.incompleteBatches];
  }

  hasIncomplete(): boolean {
    return this.incompleteBatches.size > 0;
  }

  /** The queues, in order, for the idempotent producer's renumbering. */
  queues(): ProducerBatch[][] {
    const all: ProducerBatch[][] = [];
    for (const state of this.topics.values()) for (const deque of state.deques.values()) all.push(deque);
    return all;
  }

  /** Removes every incomplete batch from its queue and returns them (for a forced close or a fatal error). */
  takeIncompleteBatches(): ProducerBatch[] {
    const batches = [...this.incompleteBatches];
    for (const batch of batches) {
      batch.closeForRecordAppends();
      const deque = this.topics.get(batch.topic)?.deques.get(batch.partition);
      const index = deque?.indexOf(batch) ?? -1;
      if (index >= 0) deque!.splice(index, 1);
    }
    return batches;
  }

  mutePartition(topic: string, partition: number): void {
    this.muted.add(key(topic, partition));
  }

  unmutePartition(topic: string, partition: number): void {
    this.muted.delete(key(topic, partition));
  }

  /** Records queued per partition (for tests and the UI). */
  queuedBatchCount(topic: string, partition: number): number {
    return this.topics.get(topic)?.deques.get(partition)?.length ?? 0;
  }

  private allBatchesFull(deque: readonly ProducerBatch[], state: TopicState): boolean {
    const last = deque[deque.length - 1];
    return last === undefined || last.isFull(state.compressionRatio);
  }

  private topicState(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (state === undefined) {
      if (!(this.topics.size < producerLimits.topicsMax)) assertFailed(`producer state for more than ${producerLimits.topicsMax} topics`);
      state = { deques: new Map(), builtIn: new BuiltInPartitioner(topic, this.config.effectiveBatchSizeBytes, this.prng), compressionRatio: 1.0 };
      this.topics.set(topic, state);
    }
    return state;
  }

  private dequeOf(state: TopicState, partition: number): ProducerBatch[] {
    let deque = state.deques.get(partition);
    if (deque === undefined) {
      deque = [];
      state.deques.set(partition, deque);
    }
    return deque;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** CompressionRatioEstimator.updateEstimation. */
function updateEstimation(current: number, observed: number): number {
  if (observed > current) return Math.max(current + COMPRESSION_RATIO_DETERIORATE_STEP, observed);
  if (observed < current) return Math.max(current - COMPRESSION_RATIO_IMPROVING_STEP, observed);
  return current;
}
