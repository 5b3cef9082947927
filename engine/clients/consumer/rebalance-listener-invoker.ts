/**
 * Java's ConsumerRebalanceListenerInvoker: logs what a rebalance does to this member's partitions
 * ("Adding newly assigned partitions: t-0", "Revoke previously assigned partitions t-1", "Lost
 * previously assigned partitions t-2") and calls the application's ConsumerRebalanceListener.
 * It also writes Spring Kafka's container line ("inventory: partitions assigned: [t-0]"), which the
 * workshop material reads.
 *
 * A listener runs inside poll() in Java and blocks it; here a listener may return a promise, and
 * the invoker reports itself `busy` until it settles, then calls `done` and wakes the consumer. A
 * listener that throws (or rejects) is logged as Java logs it, and its error is handed to `done`,
 * so the caller can finish the rebalance step and then raise Java's KafkaException("User rebalance
 * callback throws an error").
 *
 * Invariants: at most one listener call is outstanding; `done` runs exactly once per invocation.
 */
import { ConsumerError } from './consumer-errors.js';
import type { ConsumerLog } from './consumer-log.js';
import { bracketPartitions, joinPartitions, type TopicPartition } from './consumer-record.js';
import type { SubscriptionState } from './subscription-state.js';

type Callback = 'onPartitionsAssigned' | 'onPartitionsRevoked' | 'onPartitionsLost';

export class RebalanceListenerInvoker {
  private outstanding = false;

  constructor(
    private readonly subscriptions: SubscriptionState,
    private readonly log: ConsumerLog,
    private readonly groupId: string,
    /** Called when an asynchronous listener settled: the consumer looks again. */
    private readonly onSettled: () => void,
  ) {}

  /** True while a listener's promise has not settled. */
  get busy(): boolean {
    return this.outstanding;
  }

  invokePartitionsAssigned(partitions: readonly TopicPartition[], done: (error: unknown) => void): void {
    this.log.info('ConsumerCoordinator', `Adding newly assigned partitions: ${joinPartitions(partitions)}`);
    this.log.info('KafkaMessageListenerContainer', `${this.groupId}: partitions assigned: ${bracketPartitions(partitions)}`);
    this.call('onPartitionsAssigned', partitions, done);
  }

  invokePartitionsRevoked(partitions: readonly TopicPartition[], done: (error: unknown) => void): void {
    this.log.info('ConsumerCoordinator', `Revoke previously assigned partitions ${joinPartitions(partitions)}`);
    this.logPausedRemoval(partitions, 'revocation');
    this.log.info('KafkaMessageListenerContainer', `${this.groupId}: partitions revoked: ${bracketPartitions(partitions)}`);
    this.call('onPartitionsRevoked', partitions, done);
  }

  invokePartitionsLost(partitions: readonly TopicPartition[], done: (error: unknown) => void): void {
    this.log.info('ConsumerCoordinator', `Lost previously assigned partitions ${joinPartitions(partitions)}`);
    this.logPausedRemoval(partitions, 'partition lost');
    this.log.info('KafkaMessageListenerContainer', `${this.groupId}: partitions lost: ${bracketPartitions(partitions)}`);
    this.call('onPartitionsLost', partitions, done);
  }

  private logPausedRemoval(partitions: readonly TopicPartition[], why: string): void {
    const paused = partitions.filter((tp) => this.subscriptions.isPaused(tp));
    if (paused.length > 0) this.log.info('ConsumerCoordinator', `The pause flag in partitions [${joinPartitions(paused)}] will be removed due to ${why}.`);
  }

  private call(callback: Callback, partitions: readonly TopicPartition[], done: (error: unknown) => void): void {
    if (this.outstanding) throw ConsumerError.illegalState(`${callback} cannot run while another rebalance callback has not returned yet`);
    const listener = this.subscriptions.listener();
    if (listener === null) {
      done(null);
      return;
    }
    const argument = [...partitions];
    let result: unknown;
    try {
      if (callback === 'onPartitionsLost') result = listener.onPartitionsLost !== undefined ? listener.onPartitionsLost(argument) : listener.onPartitionsRevoked(argument);
      else result = listener[callback](argument);
    } catch (error) {
      done(this.failed(callback, partitions, error));
      return;
    }
    if (!isPromiseLike(result)) {
      done(null);
      return;
    }
    this.outstanding = true;
    result.then(
      () => this.settle(done, null),
      (error: unknown) => this.settle(done, this.failed(callback, partitions, error)),
    );
  }

  private settle(done: (error: unknown) => void, error: unknown): void {
    this.outstanding = false;
    done(error);
    this.onSettled();
  }

  private failed(callback: Callback, partitions: readonly TopicPartition[], error: unknown): unknown {
    const why = error instanceof Error ? error.message : String(error);
    this.log.error('ConsumerCoordinator', `User provided listener ConsumerRebalanceListener failed on invocation of ${callback} for partitions ${bracketPartitions(partitions)}: ${why}`);
    return error ?? new Error(`${callback} failed`);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
