/**
 * One send(), from the call to its outcome: the handle the caller holds (Java's Future), the
 * record's progress through KafkaProducer.doSend (serialized, partition chosen, stamped), and the
 * record as its batch holds it. One object does all three because a producer at full speed has
 * hundreds of thousands of sends in flight, and each extra object or promise per send is work for
 * the garbage collector (it was a third of the cluster benchmark's time).
 *
 * The promise is created only when the caller asks for it: a caller that uses the callback (the
 * services, the benchmark) never pays for one.
 *
 * Invariants: the outcome is set once; the callback runs once, before the promise settles; a
 * promise created after the outcome is already settled with it; a rejected promise never reports
 * an unhandled rejection (the callback may be the caller's only interest).
 */
import type { RecordHeader } from '../../storage/record-batch.js';
import type { BatchRecord } from './producer-batch.js';
import type { ProducerError } from './producer-errors.js';
import type { ProducerRecord, RecordMetadata, SendCallback, SendHandle } from './producer-record.js';

const NO_HEADERS: readonly RecordHeader[] = [];

export class SendTask<K, V> implements SendHandle, BatchRecord {
  /** Serialized key and value; set once serialization succeeded. */
  key: Uint8Array | null = null;
  value: Uint8Array | null = null;
  serialized = false;
  /** undefined: not chosen yet; null: the sticky partition (chosen inside the accumulator). */
  partition: number | null | undefined = undefined;
  /** -1 until the record is stamped (its own timestamp, or the clock's when it is appended). */
  timestampMs = -1;
  waitingFor: 'metadata' | 'memory' | null = null;
  readonly headers: readonly RecordHeader[];

  private done = false;
  private metadata: RecordMetadata | null = null;
  private error: ProducerError | null = null;
  private promiseValue: Promise<RecordMetadata> | null = null;
  private resolvePromise: ((metadata: RecordMetadata) => void) | null = null;
  private rejectPromise: ((error: ProducerError) => void) | null = null;
  private settledWaiters: (() => void)[] | null = null;

  constructor(
    readonly record: ProducerRecord<K, V>,
    readonly deadlineMs: number,
    private readonly callback: SendCallback | undefined,
    private readonly onCallbackError: ((error: unknown) => void) | undefined,
  ) {
    this.headers = record.headers ?? NO_HEADERS;
  }

  get promise(): Promise<RecordMetadata> {
    if (this.promiseValue !== null) return this.promiseValue;
    if (this.done) {
      this.promiseValue = this.error === null ? Promise.resolve(this.metadata!) : Promise.reject(this.error);
    } else {
      this.promiseValue = new Promise<RecordMetadata>((resolve, reject) => {
        this.resolvePromise = resolve;
        this.rejectPromise = reject;
      });
    }
    this.promiseValue.catch(() => undefined);
    return this.promiseValue;
  }

  isDone(): boolean {
    return this.done;
  }

  /** Resolves once the send completed (for flush). */
  settled(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => (this.settledWaiters ??= []).push(resolve));
  }

  /** Delivers the outcome: exactly one of `error` (failure) or null (success) with the metadata. */
  complete(metadata: RecordMetadata, error: ProducerError | null): void {
    if (this.done) return;
    this.done = true;
    this.metadata = metadata;
    this.error = error;
    if (this.callback !== undefined) {
      try {
        this.callback(metadata, error);
      } catch (thrown) {
        this.onCallbackError?.(thrown);
      }
    }
    if (error === null) this.resolvePromise?.(metadata);
    else this.rejectPromise?.(error);
    this.resolvePromise = null;
    this.rejectPromise = null;
    if (this.settledWaiters !== null) for (const waiter of this.settledWaiters.splice(0)) waiter();
  }

  /** Fails the send before it reached a batch (validation, metadata wait, serialization, memory). */
  fail(error: ProducerError): void {
    const partition = typeof this.partition === 'number' ? this.partition : (this.record.partition ?? -1);
    this.complete(
      {
        topic: this.record.topic,
        partition,
        offset: -1,
        timestampMs: -1,
        serializedKeySize: this.serialized ? (this.key?.length ?? -1) : -1,
        serializedValueSize: this.serialized ? (this.value?.length ?? -1) : -1,
      },
      error,
    );
  }
}
