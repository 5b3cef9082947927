/**
 * An application's consumer loop, as a Spring Kafka listener container or a hand-written Java
 * `while (true) { records = consumer.poll(...); for (r : records) process(r); }` runs it, on the
 * engine clock: poll, process each record (taking `processingMsPerRecord` of engine time each),
 * commit the way the application is written to, poll again.
 *
 * Commit modes, the three the workshop compares:
 * - `auto`: enable.auto.commit=true; the consumer commits what earlier polls returned every
 *   auto.commit.interval.ms (a crash re-delivers what was processed since the last commit);
 * - `sync-after-processing`: commitSync() after each batch is processed (no duplicates after a crash
 *   between batches; at most the batch being processed is re-delivered);
 * - `before-processing`: commitSync() as soon as a batch is polled, then process it (a crash while
 *   processing loses the rest of the batch).
 *
 * The loop runs on engine callbacks, never on promise continuations, so it keeps the engine's time
 * even when the driver runs many events in one turn (a skip ahead of five minutes polls as often as
 * five real minutes would).
 *
 * The stop-the-world windows of the group's rebalances are measured here, where fetching really
 * stops and starts: a partition stops when it is revoked or lost (or this consumer dies or leaves)
 * and resumes when this consumer sends its first Fetch for it after being assigned it.
 *
 * A graceful close may wait for the batch being processed (`finishBatch`), as a Spring listener
 * container's stop() lets the listener finish its records before the consumer closes; without it
 * the consumer closes at once and an auto commit in close() covers records polled but not yet
 * processed. The processing time can change while the app runs (a slow-processing fault); the
 * next record takes the new time.
 *
 * Invariants: one poll or commit in flight at a time; after crash() or a finished close() no timer
 * of the app remains; every record handed to `onRecord` was returned by poll, in order;
 * `unprocessedRecords()` is the rest of the current batch (at most max.poll.records records).
 */
import type { ConsumerRecord, TopicPartition } from '../clients/consumer/consumer-record.js';
import type { KafkaConsumer } from '../clients/consumer/kafka-consumer.js';
import type { Clock } from '../core/clock.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { tpKey } from '../groups/assignors/assignor-support.js';

export type CommitMode = 'auto' | 'sync-after-processing' | 'before-processing';

export type ConsumerAppState = 'running' | 'closing' | 'closed' | 'crashed';

/** Where the stop-the-world windows go (engine/metrics/rebalance-timeline.ts). */
export interface StopTheWorldSink {
  partitionsStopped(groupId: string, partitions: readonly TopicPartition[], atMs: number): void;
  partitionsResumed(groupId: string, partitions: readonly TopicPartition[], atMs: number): void;
}

export interface ConsumerAppOptions<K, V> {
  readonly groupId: string;
  readonly topics: readonly string[] | RegExp;
  readonly consumer: KafkaConsumer<K, V>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly commitMode: CommitMode;
  /** Engine time spent on each record (what makes a consumer slow). */
  readonly processingMsPerRecord: number;
  /** How long one poll may wait for records (Spring Kafka's pollTimeout is 5000 ms; Java examples use 100 ms). */
  readonly pollTimeoutMs?: number;
  /** The application's work on one record (decrement stock, ...). */
  readonly onRecord?: (record: ConsumerRecord<K, V>) => void;
  /** The partitions the group gave this consumer (empty too: "partitions assigned: []"). */
  readonly onAssigned?: (partitions: readonly TopicPartition[]) => void;
  readonly stopTheWorld?: StopTheWorldSink;
  /** An unexpected error the loop survived (logged by the consumer as well). */
  readonly onError?: (error: unknown) => void;
}

/** After a failed poll or commit the loop waits this long before trying again (Spring's default back-off is 0, then it polls). */
const ERROR_BACKOFF_MS = 100;

export class ConsumerApp<K, V> {
  state: ConsumerAppState = 'running';
  recordsProcessed = 0;
  private timer: TimerHandle | null = null;
  private processingMs: number;
  /** The batch being processed (committed first in before-processing mode) and the index of its next record. */
  private current: { readonly batch: readonly ConsumerRecord<K, V>[]; index: number } | null = null;
  /** A close asked for with finishBatch while a batch was in progress: runs once the batch is done. */
  private closeAfterBatch: { readonly onClosed: (() => void) | undefined } | null = null;
  /** Assigned partitions not fetched since their assignment (at most the consumer's assignment). */
  private readonly awaitingFirstFetch = new Map<string, TopicPartition>();

  constructor(private readonly options: ConsumerAppOptions<K, V>) {
    this.processingMs = options.processingMsPerRecord;
    options.consumer.subscribe(options.topics as string[] | RegExp, {
      onPartitionsRevoked: (partitions) => this.stopped(partitions),
      onPartitionsLost: (partitions) => this.stopped(partitions),
      onPartitionsAssigned: (partitions) => {
        for (const tp of partitions) this.awaitingFirstFetch.set(tpKey(tp), tp);
        options.onAssigned?.(partitions);
      },
    });
    // A partition resumes when its new owner sends a Fetch for it: from then on its records arrive as
    // soon as they are written (the poll that fetched it may return much later, at its timeout, when
    // there is nothing new to read).
    options.consumer.onPartitionFetched((tp) => this.fetched(tp));
    this.schedule(0, () => this.poll());
  }

  get consumer(): KafkaConsumer<K, V> {
    return this.options.consumer;
  }

  get processingMsPerRecord(): number {
    return this.processingMs;
  }

  /** Changes the time each record takes from the next record on. */
  setProcessingMsPerRecord(ms: number): void {
    if (!(Number.isInteger(ms) && ms >= 0)) throw new RangeError(`processing time ${ms} ms must be a non-negative integer`);
    this.processingMs = ms;
  }

  /** The records of the current batch not processed yet, in order (empty between batches). */
  unprocessedRecords(): readonly ConsumerRecord<K, V>[] {
    return this.current === null ? [] : this.current.batch.slice(this.current.index);
  }

  /**
   * Graceful: stop polling, let the consumer commit (auto) and send LeaveGroup. With `finishBatch`
   * the batch in progress is processed (and committed, in sync-after-processing mode) first.
   */
  close(onClosed?: () => void, options: { readonly finishBatch?: boolean } = {}): void {
    if (this.state !== 'running') return onClosed?.();
    if (options.finishBatch === true && this.current !== null && this.closeAfterBatch === null) {
      this.closeAfterBatch = { onClosed };
      return;
    }
    // A close without finishBatch does not wait for a deferred one: both callers hear when it is done.
    const deferred = this.closeAfterBatch;
    this.closeAfterBatch = null;
    this.closeNow(() => {
      deferred?.onClosed?.();
      onClosed?.();
    });
  }

  private closeNow(onClosed: (() => void) | undefined): void {
    this.state = 'closing';
    this.current = null;
    this.cancelTimer();
    this.options.consumer.closeCallback(undefined, () => {
      this.state = 'closed';
      onClosed?.();
    });
  }

  /** The process dies: no commit, no LeaveGroup; its partitions stop being fetched now. */
  crash(): void {
    if (this.state === 'closed' || this.state === 'crashed') return;
    this.stopped(this.options.consumer.assignment());
    this.state = 'crashed';
    this.current = null;
    this.closeAfterBatch = null;
    this.cancelTimer();
    this.options.consumer.crash();
  }

  // ---------------------------------------------------------------------------------------------

  private poll(): void {
    if (this.state !== 'running') return;
    this.options.consumer.pollCallback(this.options.pollTimeoutMs ?? 1000, (error, records) => {
      if (this.state !== 'running') return;
      if (error !== null) return this.failed(error);
      const batch = records!.records();
      // The next poll is a new engine event at the same time: no recursion through the consumer.
      if (batch.length === 0) return this.schedule(0, () => this.poll());
      this.current = { batch, index: 0 };
      if (this.options.commitMode === 'before-processing') {
        this.commitThen(() => this.process(batch, 0));
      } else {
        this.process(batch, 0);
      }
    });
  }

  /** Processes batch[index..] one record at a time, each taking processingMsPerRecord of engine time. */
  private process(batch: readonly ConsumerRecord<K, V>[], index: number): void {
    if (this.state !== 'running') return;
    if (this.processingMs <= 0) {
      for (const record of batch.slice(index)) this.handle(record);
      return this.afterBatch();
    }
    const record = batch[index];
    if (record === undefined) return this.afterBatch();
    this.schedule(this.processingMs, () => {
      if (this.state !== 'running') return;
      this.handle(record);
      this.process(batch, index + 1);
    });
  }

  private handle(record: ConsumerRecord<K, V>): void {
    if (this.current !== null) this.current.index += 1;
    this.options.onRecord?.(record);
    this.recordsProcessed += 1;
  }

  private afterBatch(): void {
    if (this.options.commitMode === 'sync-after-processing') this.commitThen(() => this.batchDone());
    else this.batchDone();
  }

  private batchDone(): void {
    this.current = null;
    const pendingClose = this.closeAfterBatch;
    this.closeAfterBatch = null;
    if (pendingClose !== null) return this.closeNow(pendingClose.onClosed);
    this.schedule(0, () => this.poll());
  }

  private commitThen(next: () => void): void {
    this.options.consumer.commitSyncCallback(undefined, (error) => {
      if (this.state !== 'running') return;
      // A failed commit (CommitFailedException after a rebalance) is logged; the app goes on, as a listener container does.
      if (error !== null) this.options.onError?.(error);
      next();
    });
  }

  private failed(error: unknown): void {
    this.options.onError?.(error);
    this.schedule(ERROR_BACKOFF_MS, () => this.poll());
  }

  private stopped(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.awaitingFirstFetch.delete(tpKey(tp));
    if (partitions.length > 0) this.options.stopTheWorld?.partitionsStopped(this.options.groupId, partitions, this.options.clock.nowMs());
  }

  private fetched(tp: TopicPartition): void {
    if (this.state !== 'running' || !this.awaitingFirstFetch.delete(tpKey(tp))) return;
    this.options.stopTheWorld?.partitionsResumed(this.options.groupId, [tp], this.options.clock.nowMs());
  }

  private schedule(delayMs: number, work: () => void): void {
    this.cancelTimer();
    this.timer = this.options.timers.after(delayMs, () => {
      this.timer = null;
      work();
    });
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
