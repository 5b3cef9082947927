/**
 * The idempotent producer's bookkeeping (the non-transactional part of Kafka's TransactionManager):
 * the producer id and epoch from InitProducerId, and per partition the next sequence number, the
 * last acknowledged sequence and the batches sent with a sequence but not yet acknowledged, in
 * sequence order.
 *
 * Kafka's rules reproduced:
 * - a batch gets its base sequence the first time it is drained, and keeps it (and its bytes) on
 *   every retry, so a broker recognises a resend of a batch it already wrote;
 * - a retried batch is sent only when it is the partition's first unacknowledged batch
 *   (RecordAccumulator.shouldStopDrainBatchesForPartition), so retries go out in order and, in
 *   effect, one at a time;
 * - OUT_OF_ORDER_SEQUENCE_NUMBER is retried; when the batch was the next expected one (a real gap)
 *   an epoch bump is requested first (TransactionManager.canRetry); UNKNOWN_PRODUCER_ID likewise;
 * - a batch that fails for good after it got a sequence leaves a hole, so the epoch is bumped:
 *   locally (epoch + 1, as Java's idempotent producer does), or through a new InitProducerId when
 *   the epoch is exhausted (Short.MAX_VALUE), and sequences restart at 0.
 *
 * Simplified, with why: Java bumps only the partitions that need it and keeps sending elsewhere
 * meanwhile; here the bump waits until no produce request is in flight and then restarts every
 * partition's sequences (renumbering the queued, unacknowledged batches from 0 in queue order). The
 * outcome for the broker's deduplication is the same, with far fewer states. Java's handling of
 * UNKNOWN_PRODUCER_ID by log start offset is reduced to a bump and retry.
 *
 * Invariants: `unacked` per partition is in ascending sequence order and holds only batches that
 * are not done; sequences are assigned only while a producer id is held.
 */
import { assert, assertFailed } from '../../core/assert.js';
import { incrementSequence, type ProducerBatch } from './producer-batch.js';
import { isRetriable, type ProducerErrorName } from './producer-errors.js';
import type { ProducerIdAndEpoch } from './producer-network.js';

/** Short.MAX_VALUE: the last epoch a producer id can have. */
const EPOCH_MAX = 32_767;

interface PartitionSequences {
  nextSequence: number;
  lastAckedSequence: number;
  readonly unacked: ProducerBatch[];
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export class IdempotenceManager {
  private current: ProducerIdAndEpoch | null = null;
  private readonly partitions = new Map<string, PartitionSequences>();
  epochBumpRequired = false;

  get producerIdAndEpoch(): ProducerIdAndEpoch | null {
    return this.current;
  }

  hasProducerId(): boolean {
    return this.current !== null;
  }

  /**
   * Adopts a producer id and epoch (from InitProducerId, or a local bump) and restarts sequences:
   * the unacknowledged batches, which must all sit in `queues` (nothing in flight), are renumbered
   * from 0 in queue order.
   */
  resetProducerIdAndEpoch(next: ProducerIdAndEpoch, queues: Iterable<readonly ProducerBatch[]>): void {
    if (!(Number.isSafeInteger(next.producerId) && next.producerId >= 0)) assertFailed(`producer id ${next.producerId} must be a non-negative integer`);
    if (!(Number.isInteger(next.producerEpoch) && next.producerEpoch >= 0 && next.producerEpoch <= EPOCH_MAX)) assertFailed(`producer epoch ${next.producerEpoch} outside 0..${EPOCH_MAX}`);
    const unackedBefore = this.unackedCount();
    this.current = { producerId: next.producerId, producerEpoch: next.producerEpoch };
    this.partitions.clear();
    let renumbered = 0;
    for (const queue of queues) {
      for (const batch of queue) {
        if (!batch.hasSequence) continue;
        const state = this.stateOf(batch);
        batch.setProducerState(next.producerId, next.producerEpoch, state.nextSequence);
        batch.sequenceHasBeenReset = true;
        state.nextSequence = incrementSequence(state.nextSequence, batch.recordCount);
        state.unacked.push(batch);
        renumbered += 1;
      }
    }
    if (!(renumbered === unackedBefore)) assertFailed(`renumbered ${renumbered} batches but ${unackedBefore} were unacknowledged: a batch is in flight during a reset`);
    this.epochBumpRequired = false;
  }

  /** The epoch after a bump, or null when the epoch is exhausted and a new producer id is needed. */
  bumpedEpoch(): ProducerIdAndEpoch | null {
    assert(this.current !== null, 'epoch bump without a producer id');
    if (this.current.producerEpoch >= EPOCH_MAX) return null;
    return { producerId: this.current.producerId, producerEpoch: this.current.producerEpoch + 1 };
  }

  /** Forget the producer id: a new InitProducerId follows. Unacked batches stay queued for renumbering. */
  clearProducerId(): void {
    this.current = null;
  }

  requestEpochBump(): void {
    this.epochBumpRequired = true;
  }

  /** RecordAccumulator.shouldStopDrainBatchesForPartition for the idempotent producer. */
  shouldStopDrain(first: ProducerBatch): boolean {
    if (this.current === null || this.epochBumpRequired) return true;
    const state = this.partitions.get(topicPartitionKey(first.topic, first.partition));
    const firstInFlight = state?.unacked[0]?.baseSequence;
    return first.hasSequence && firstInFlight !== undefined && first.baseSequence !== firstInFlight;
  }

  /** Gives a batch drained for the first time its producer id, epoch and base sequence. */
  assignSequence(batch: ProducerBatch): void {
    assert(this.current !== null, 'sequence assigned without a producer id');
    if (batch.hasSequence) assertFailed(`batch ${batch.topic}-${batch.partition} already has sequence ${batch.baseSequence}`);
    const state = this.stateOf(batch);
    batch.setProducerState(this.current.producerId, this.current.producerEpoch, state.nextSequence);
    state.nextSequence = incrementSequence(state.nextSequence, batch.recordCount);
    state.unacked.push(batch);
  }

  handleCompletedBatch(batch: ProducerBatch): void {
    if (!batch.hasSequence) return;
    const state = this.stateOf(batch);
    this.removeUnacked(state, batch);
    if (batch.producerId === this.current?.producerId && batch.producerEpoch === this.current.producerEpoch) {
      state.lastAckedSequence = Math.max(state.lastAckedSequence, batch.lastSequence);
    }
  }

  handleFailedBatch(batch: ProducerBatch): void {
    if (!batch.hasSequence) return;
    this.removeUnacked(this.stateOf(batch), batch);
    this.requestEpochBump();
  }

  /** TransactionManager.canRetry for the idempotent (non-transactional) producer. */
  canRetry(error: ProducerErrorName, batch: ProducerBatch): boolean {
    if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER') {
      if (!batch.sequenceHasBeenReset && this.isNextSequence(batch)) this.requestEpochBump();
      return true;
    }
    if (error === 'UNKNOWN_PRODUCER_ID') {
      this.requestEpochBump();
      return true;
    }
    return isRetriable(error);
  }

  private isNextSequence(batch: ProducerBatch): boolean {
    const state = this.stateOf(batch);
    return incrementSequence(state.lastAckedSequence, 1) === batch.baseSequence;
  }

  private unackedCount(): number {
    let count = 0;
    for (const state of this.partitions.values()) count += state.unacked.length;
    return count;
  }

  private removeUnacked(state: PartitionSequences, batch: ProducerBatch): void {
    const index = state.unacked.indexOf(batch);
    if (index >= 0) state.unacked.splice(index, 1);
  }

  private stateOf(batch: ProducerBatch): PartitionSequences {
    const key = topicPartitionKey(batch.topic, batch.partition);
    let state = this.partitions.get(key);
    if (state === undefined) {
      state = { nextSequence: 0, lastAckedSequence: -1, unacked: [] };
      this.partitions.set(key, state);
    }
    return state;
  }
}
