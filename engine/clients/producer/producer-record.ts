/**
 * What an application hands the producer and what it gets back (ProducerRecord, RecordMetadata,
 * Callback, Future in Kafka's Java client).
 *
 * Invariants: a RecordMetadata with offset >= 0 names the record's real offset in the partition
 * log; a SendHandle settles once, and its callback runs once, before the promise settles.
 */
import type { RecordHeader } from '../../storage/record-batch.js';
import type { ProducerError } from './producer-errors.js';

export interface ProducerRecord<K, V> {
  readonly topic: string;
  /** The partition to send to; when absent the partitioner chooses. */
  readonly partition?: number;
  readonly key?: K | null;
  readonly value: V | null;
  readonly headers?: readonly RecordHeader[];
  /** CreateTime; when absent the producer stamps the Clock's time when it appends the record. */
  readonly timestampMs?: number;
}

export interface RecordMetadata {
  readonly topic: string;
  /** -1 when the send failed before a partition was chosen (Java's RecordMetadata.UNKNOWN_PARTITION). */
  readonly partition: number;
  /** -1 with acks=0, or when the send failed, or for DUPLICATE_SEQUENCE_NUMBER (Java gives -1 there too). */
  readonly offset: number;
  /** The broker's LogAppendTime when the topic uses it, else the record's CreateTime; -1 when unknown. */
  readonly timestampMs: number;
  /** Bytes of the serialized key, -1 for a null key. */
  readonly serializedKeySize: number;
  /** Bytes of the serialized value, -1 for a null value. */
  readonly serializedValueSize: number;
}

/** Java's Callback.onCompletion(metadata, exception): exactly one of the two describes the outcome. */
export type SendCallback = (metadata: RecordMetadata, error: ProducerError | null) => void;

/** What send() returns: Java's Future<RecordMetadata>, as a promise. */
export interface SendHandle {
  /** Resolves with the record's metadata, or rejects with a ProducerError. */
  readonly promise: Promise<RecordMetadata>;
  /** True once the send completed, successfully or not (Future.isDone). */
  isDone(): boolean;
}
