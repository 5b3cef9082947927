/**
 * Idempotent producers, broker side (Kafka's ProducerStateManager): per partition and producer id,
 * the epoch and the last five batches' sequence ranges with their offsets, so that
 * - a batch whose sequences repeat one of the last five is a retry: it is answered with the offset
 *   it got the first time and not written again;
 * - a batch that does not continue the last sequence is refused (OUT_OF_ORDER_SEQUENCE_NUMBER);
 * - an older epoch is refused (INVALID_PRODUCER_EPOCH); a newer one starts over at sequence 0.
 *
 * Leaders check and record; followers record what they copy, so a new leader knows the state.
 * Simplification (the UI says so): the state is not snapshotted to disk; a broker that restarts
 * starts with none, as Kafka would if its `.snapshot` files were lost.
 */
import { KafkaError } from '../core/kafka-errors.js';

/** Kafka keeps the metadata of the last 5 batches per producer (ProducerStateEntry.NUM_BATCHES_TO_RETAIN). */
const BATCHES_RETAINED = 5;
/** Producers remembered per partition; the oldest is forgotten past this (Kafka expires them by time). */
const PRODUCERS_PER_PARTITION_MAX = 1024;

interface BatchEntry {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchEntry[];
}

export interface ProducedBatchIds {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export type SequenceVerdict = { readonly kind: 'append' } | { readonly kind: 'duplicate'; readonly firstOffset: number };

export class PartitionProducerState {
  private readonly producers = new Map<number, ProducerEntry>();

  /** Decides what to do with a producer's batch before a leader appends it; throws Kafka's error. */
  check(ids: ProducedBatchIds, topicPartition: string): SequenceVerdict {
    if (ids.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(ids.producerId);
    const lastSequence = ids.baseSequence + ids.recordCount - 1;
    if (entry !== undefined && ids.producerEpoch < entry.epoch) {
      throw new KafkaError('INVALID_PRODUCER_EPOCH', `Epoch of producer ${ids.producerId} at offset in ${topicPartition} is ${ids.producerEpoch}, which is smaller than the last seen epoch ${entry.epoch}`);
    }
    if (entry === undefined || ids.producerEpoch > entry.epoch) {
      if (ids.baseSequence !== 0) {
        throw new KafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER', `Out of order sequence number for producer ${ids.producerId} at offset in partition ${topicPartition}: ${ids.baseSequence} (incoming seq. number), -1 (current end sequence number)`);
      }
      return { kind: 'append' };
    }
    const duplicate = entry.batches.find((b) => b.firstSequence === ids.baseSequence && b.lastSequence === lastSequence);
    if (duplicate !== undefined) return { kind: 'duplicate', firstOffset: duplicate.firstOffset };
    const currentLast = entry.batches.at(-1)?.lastSequence ?? -1;
    if (ids.baseSequence !== nextSequence(currentLast)) {
      throw new KafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER', `Out of order sequence number for producer ${ids.producerId} at offset in partition ${topicPartition}: ${ids.baseSequence} (incoming seq. number), ${currentLast} (current end sequence number)`);
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (leader or follower). */
  record(ids: ProducedBatchIds, firstOffset: number): void {
    if (ids.producerId < 0) return;
    let entry = this.producers.get(ids.producerId);
    if (entry === undefined || ids.producerEpoch > entry.epoch) {
      if (entry === undefined && this.producers.size >= PRODUCERS_PER_PARTITION_MAX) this.producers.delete(this.producers.keys().next().value!);
      entry = { epoch: ids.producerEpoch, batches: [] };
      this.producers.set(ids.producerId, entry);
    }
    entry.batches.push({ firstSequence: ids.baseSequence, lastSequence: ids.baseSequence + ids.recordCount - 1, firstOffset });
    if (entry.batches.length > BATCHES_RETAINED) entry.batches.shift();
  }

  /** A truncated log forgets batches at or past the cut (their offsets are gone). */
  truncateTo(offset: number): void {
    for (const [id, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.firstOffset < offset);
      if (entry.batches.length === 0) this.producers.delete(id);
    }
  }
}

/** Sequences wrap at Integer.MAX_VALUE, as in Kafka. */
function nextSequence(sequence: number): number {
  return sequence === 2_147_483_647 ? 0 : sequence + 1;
}
