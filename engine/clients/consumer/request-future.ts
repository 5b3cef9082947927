/**
 * Java's RequestFuture, the consumer's unit of asynchronous work: a request to a broker (or a chain
 * of them, JoinGroup then SyncGroup) that completes once with a value or an error. Listeners run
 * synchronously when it completes, in the order they were added; one added after completion runs
 * at once.
 *
 * Invariants: a future completes at most once (a second completion is a bug and asserts); its
 * listener list is dropped on completion.
 */
import { assert } from '../../core/assert.js';
import { ConsumerError } from './consumer-errors.js';

type Listener<T> = { onSuccess: (value: T) => void; onFailure: (error: ConsumerError) => void };

export class RequestFuture<T> {
  private state: 'pending' | 'succeeded' | 'failed' = 'pending';
  private result: T | undefined;
  private error: ConsumerError | null = null;
  private listeners: Listener<T>[] | null = [];

  static success<T>(value: T): RequestFuture<T> {
    const future = new RequestFuture<T>();
    future.complete(value);
    return future;
  }

  static failure<T>(error: ConsumerError): RequestFuture<T> {
    const future = new RequestFuture<T>();
    future.raise(error);
    return future;
  }

  /** RequestFuture.coordinatorNotAvailable(). */
  static coordinatorNotAvailable<T>(): RequestFuture<T> {
    return RequestFuture.failure(ConsumerError.fromBroker('COORDINATOR_NOT_AVAILABLE'));
  }

  isDone(): boolean {
    return this.state !== 'pending';
  }

  succeeded(): boolean {
    return this.state === 'succeeded';
  }

  failed(): boolean {
    return this.state === 'failed';
  }

  isRetriable(): boolean {
    return this.error?.retriable ?? false;
  }

  value(): T {
    assert(this.state === 'succeeded', 'value() of a future that did not succeed');
    return this.result as T;
  }

  exception(): ConsumerError {
    assert(this.error !== null, 'exception() of a future that did not fail');
    return this.error;
  }

  complete(value: T): void {
    assert(this.state === 'pending', 'a request future completed twice');
    this.state = 'succeeded';
    this.result = value;
    this.fire();
  }

  raise(error: ConsumerError): void {
    assert(this.state === 'pending', 'a request future completed twice');
    this.state = 'failed';
    this.error = error;
    this.fire();
  }

  addListener(onSuccess: (value: T) => void, onFailure: (error: ConsumerError) => void): void {
    const listener = { onSuccess, onFailure };
    if (this.listeners !== null) this.listeners.push(listener);
    else this.notify(listener);
  }

  /** Completes `other` the way this future completes (Java's chain). */
  chain(other: RequestFuture<T>): void {
    this.addListener(
      (value) => other.complete(value),
      (error) => other.raise(error),
    );
  }

  private fire(): void {
    const listeners = this.listeners ?? [];
    this.listeners = null;
    for (const listener of listeners) this.notify(listener);
  }

  private notify(listener: Listener<T>): void {
    if (this.state === 'succeeded') listener.onSuccess(this.result as T);
    else listener.onFailure(this.error!);
  }
}
