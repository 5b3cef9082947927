/**
 * One batch of records for one partition (Kafka's ProducerBatch + MemoryRecordsBuilder): records
 * are appended while it is open; it is closed (encoded as one record batch v2) when the sender
 * drains it, and re-sent as the same bytes on a retry unless idempotence rewrites its producer
 * state after an epoch bump.
 *
 * Size accounting follows Kafka: `writeLimitBytes` is the buffer the batch got from buffer.memory
 * (max(batch.size, the first record's upper bound)); a record fits while
 * estimatedBytesWritten + recordSize <= writeLimit, except that the first record always fits; with
 * compression the estimate scales the uncompressed bytes by the topic's estimated compression ratio
 * x 1.05 (MemoryRecordsBuilder.estimatedBytesWritten).
 *
 * Invariants: records are only appended while open; once encoded, `encoded` matches the records and
 * producer state; a batch reaches a final state once (completing twice is ignored, as Java ignores a
 * late response for an expired batch); attempts >= 0.
 */
import { assertFailed } from '../../core/assert.js';
import { encodeRecordBatch, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, RECORD_BATCH_OVERHEAD, type RecordHeader } from '../../storage/record-batch.js';
import type { ProducerError } from './producer-errors.js';
import type { RecordMetadata } from './producer-record.js';
import { recordSizeInBytes } from './record-size.js';

/** MemoryRecordsBuilder.COMPRESSION_RATE_ESTIMATION_FACTOR. */
const COMPRESSION_RATE_ESTIMATION_FACTOR = 1.05;

export interface BatchRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[];
  readonly timestampMs: number;
  /** Delivers the record's outcome: `error` null on success. */
  complete(metadata: RecordMetadata, error: ProducerError | null): void;
}

export type BatchFinalState = 'succeeded' | 'failed' | 'aborted';

export class ProducerBatch {
  readonly records: BatchRecord[] = [];
  private uncompressedRecordsBytes = 0;
  private closedForAppends = false;
  private baseTimestampMs: number | null = null;
  private encodedBytes: Uint8Array | null = null;
  /** Times this batch was re-enqueued after a failed attempt (ProducerBatch.attempts). */
  attempts = 0;
  /** When the batch was created or last re-enqueued (ProducerBatch.lastAttemptMs). */
  lastAttemptMs: number;
  /** Backoff before the next attempt, drawn when the batch was re-enqueued. */
  retryBackoffMs = 0;
  producerId = NO_PRODUCER_ID;
  producerEpoch = NO_PRODUCER_EPOCH;
  baseSequence = NO_SEQUENCE;
  /** Set when an epoch bump renumbered this batch (ProducerBatch.sequenceHasBeenReset). */
  sequenceHasBeenReset = false;
  finalState: BatchFinalState | null = null;
  /** The last retriable error, kept so a delivery timeout can say what kept failing. */
  lastError: ProducerError | null = null;
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
    readonly writeLimitBytes: number,
    private readonly compression: 'none' | 'gzip',
  ) {
    if (!(Number.isInteger(writeLimitBytes) && writeLimitBytes > 0)) assertFailed(`batch write limit ${writeLimitBytes} must be positive`);
    this.lastAttemptMs = createdMs;
  }

  get recordCount(): number {
    return this.records.length;
  }

  get isDone(): boolean {
    return this.finalState !== null;
  }

  get hasSequence(): boolean {
    return this.baseSequence !== NO_SEQUENCE;
  }

  get isClosed(): boolean {
    return this.encodedBytes !== null;
  }

  /** MemoryRecordsBuilder.estimatedBytesWritten. */
  estimatedBytesWritten(compressionRatio: number): number {
    if (this.compression === 'none') return RECORD_BATCH_OVERHEAD + this.uncompressedRecordsBytes;
    return RECORD_BATCH_OVERHEAD + Math.floor(this.uncompressedRecordsBytes * compressionRatio * COMPRESSION_RATE_ESTIMATION_FACTOR);
  }

  /** ProducerBatch.estimatedSizeInBytes: the real size once encoded. */
  estimatedSizeInBytes(compressionRatio: number): number {
    return this.encodedBytes?.length ?? this.estimatedBytesWritten(compressionRatio);
  }

  /** MemoryRecordsBuilder.isFull. */
  isFull(compressionRatio: number): boolean {
    return this.closedForAppends || (this.records.length > 0 && this.writeLimitBytes <= this.estimatedBytesWritten(compressionRatio));
  }

  /**
   * Appends a record if it fits (MemoryRecordsBuilder.hasRoomFor); returns the bytes the batch's
   * estimate grew by, or null when it does not fit.
   */
  tryAppend(record: BatchRecord, compressionRatio: number): number | null {
    if (this.closedForAppends || this.isFull(compressionRatio)) return null;
    const size = recordSizeInBytes(this.records.length, record.timestampMs - (this.baseTimestampMs ?? record.timestampMs), record.key, record.value, record.headers);
    if (this.records.length > 0 && this.writeLimitBytes < this.estimatedBytesWritten(compressionRatio) + size) return null;
    const before = this.estimatedBytesWritten(compressionRatio);
    this.baseTimestampMs ??= record.timestampMs;
    this.records.push(record);
    this.uncompressedRecordsBytes += size;
    return this.estimatedBytesWritten(compressionRatio) - before;
  }

  closeForRecordAppends(): void {
    this.closedForAppends = true;
  }

  /** Sets the idempotent producer state (before the first send, or when an epoch bump renumbers). */
  setProducerState(producerId: number, producerEpoch: number, baseSequence: number): void {
    if (this.isDone) assertFailed(`batch ${this.topic}-${this.partition} given producer state after completion`);
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
    this.encodedBytes = null;
  }

  /**
   * Closes the batch for appends and encodes it (ProducerBatch.close), once; returns the observed
   * compression ratio of this encoding, or null when it was encoded already.
   */
  close(): number | null {
    this.closedForAppends = true;
    if (this.encodedBytes !== null) return null;
    if (!(this.records.length > 0)) assertFailed(`batch ${this.topic}-${this.partition} closed without records`);
    this.encodedBytes = encodeRecordBatch({
      records: this.records,
      compression: this.compression,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
    });
    return (this.encodedBytes.length - RECORD_BATCH_OVERHEAD) / Math.max(1, this.uncompressedRecordsBytes);
  }

  get encoded(): Uint8Array {
    if (!(this.encodedBytes !== null)) assertFailed(`batch ${this.topic}-${this.partition} sent before it was closed`);
    return this.encodedBytes;
  }

  /** Marks a failed attempt: the batch goes back to the queue (ProducerBatch.reenqueued). */
  reenqueued(nowMs: number, backoffMs: number): void {
    this.attempts += 1;
    this.lastAttemptMs = nowMs;
    this.retryBackoffMs = backoffMs;
  }

  /** Whether delivery.timeout.ms has passed since the batch was created (hasReachedDeliveryTimeout). */
  hasReachedDeliveryTimeout(deliveryTimeoutMs: number, nowMs: number): boolean {
    return deliveryTimeoutMs <= nowMs - this.createdMs;
  }

  /**
   * Completes every record: with offsets baseOffset + i on success (offset -1 when baseOffset is -1),
   * or with the error. Returns false when the batch was already complete (the outcome is dropped).
   */
  done(result: { baseOffset: number; logAppendTimeMs: number } | { error: ProducerError; state: 'failed' | 'aborted' }): boolean {
    if (this.finalState !== null) return false;
    const failed = 'error' in result;
    this.finalState = failed ? result.state : 'succeeded';
    const error = failed ? result.error : null;
    this.records.forEach((record, index) => {
      const metadata: RecordMetadata = {
        topic: this.topic,
        partition: this.partition,
        offset: failed || result.baseOffset < 0 ? -1 : result.baseOffset + index,
        timestampMs: !failed && result.logAppendTimeMs >= 0 ? result.logAppendTimeMs : record.timestampMs,
        serializedKeySize: record.key === null ? -1 : record.key.length,
        serializedValueSize: record.value === null ? -1 : record.value.length,
      };
      record.complete(metadata, error);
    });
    for (const waiter of this.settledWaiters.splice(0)) waiter();
    return true;
  }

  /** Resolves when the batch reaches a final state (for flush and close). */
  settled(): Promise<void> {
    if (this.isDone) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** The sequence of the last record (DefaultRecordBatch.incrementSequence wraps at Integer.MAX_VALUE). */
  get lastSequence(): number {
    return incrementSequence(this.baseSequence, this.records.length - 1);
  }
}

export function incrementSequence(sequence: number, increment: number): number {
  const INT_MAX = 2_147_483_647;
  if (sequence > INT_MAX - increment) return increment - (INT_MAX - sequence) - 1;
  return sequence + increment;
}
