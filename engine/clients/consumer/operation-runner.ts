/**
 * How the consumer's blocking Java calls (poll, commitSync, position, committed, close) run on
 * virtual time: each is a `step` function that does what it can now and says either "done" (with
 * the value) or "look again at wakeAtMs". The runner calls the step once at once (in the caller's
 * turn, like Java doing its work on the calling thread), then again at wakeAtMs and whenever
 * something happened (a response arrived, a listener's promise settled: Java's client.poll()
 * returning), until it is done or throws.
 *
 * The outcome goes to a callback, delivered from an engine timer event, never from a promise
 * continuation: a caller driven by engine callbacks (a service's consumer loop) keeps the engine's
 * time even when a driver runs many events in one turn. When the very first step already finishes,
 * the callback is deferred to a timer event at the same time (`deferSynchronous`), so a caller is
 * never re-entered from inside its own call; promise callers need no deferral.
 *
 * Invariants: a step never runs inside another step of the same operation; every operation
 * settles exactly once; at most consumerLimits.pendingOperationsMax operations wait at once; after
 * abortAll() no timer of the runner remains except deferred deliveries due now; a step asking to
 * be woken at or before now is woken 1 ms later, so a runaway loop cannot spin at one instant.
 */
import type { Clock } from '../../core/clock.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import { ConsumerError } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';

export type Step<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly wakeAtMs: number };

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export function done<T>(value: T): Step<T> {
  return { done: true, value };
}

export function waitUntil<T>(wakeAtMs: number): Step<T> {
  return { done: false, wakeAtMs };
}

interface Operation {
  readonly step: (nowMs: number) => Step<unknown>;
  readonly onSettled: (outcome: Outcome<unknown>) => void;
  timer: TimerHandle | null;
  settled: boolean;
  running: boolean;
  starting: boolean;
  readonly deferSynchronous: boolean;
}

export class OperationRunner {
  private readonly operations = new Set<Operation>();
  private kick: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
  ) {}

  run<T>(step: (nowMs: number) => Step<T>, onSettled: (outcome: Outcome<T>) => void, options: { deferSynchronous: boolean }): void {
    if (this.operations.size >= consumerLimits.pendingOperationsMax) {
      const error = ConsumerError.client('KafkaException', `${consumerLimits.pendingOperationsMax} consumer calls are already waiting; let them finish before starting more`);
      this.deliver(true, options.deferSynchronous, () => onSettled({ ok: false, error }));
      return;
    }
    const operation: Operation = { step, onSettled: onSettled as (outcome: Outcome<unknown>) => void, timer: null, settled: false, running: false, starting: true, deferSynchronous: options.deferSynchronous };
    this.operations.add(operation);
    this.advance(operation);
    operation.starting = false;
  }

  /** Something happened: every waiting operation looks again on the next timer turn. */
  notify(): void {
    if (this.kick !== null || this.operations.size === 0) return;
    this.kick = this.timers.after(0, () => {
      this.kick = null;
      for (const operation of [...this.operations]) this.advance(operation);
    });
  }

  /** Settles every waiting operation with `error` and cancels every timer. */
  abortAll(error: unknown): void {
    this.kick?.cancel();
    this.kick = null;
    for (const operation of [...this.operations]) this.settle(operation, { ok: false, error });
  }

  get pendingCount(): number {
    return this.operations.size;
  }

  private advance(operation: Operation): void {
    if (operation.settled || operation.running) return;
    operation.timer?.cancel();
    operation.timer = null;
    const nowMs = this.clock.nowMs();
    let result: Step<unknown>;
    operation.running = true;
    try {
      result = operation.step(nowMs);
    } catch (error) {
      this.settle(operation, { ok: false, error });
      return;
    } finally {
      operation.running = false;
    }
    if (result.done) {
      this.settle(operation, { ok: true, value: result.value });
      return;
    }
    if (!Number.isFinite(result.wakeAtMs)) return;
    const delayMs = Math.max(1, Math.ceil(result.wakeAtMs - nowMs));
    operation.timer = this.timers.after(delayMs, () => {
      operation.timer = null;
      this.advance(operation);
    });
  }

  private settle(operation: Operation, outcome: Outcome<unknown>): void {
    if (operation.settled) return;
    operation.settled = true;
    operation.timer?.cancel();
    operation.timer = null;
    this.operations.delete(operation);
    this.deliver(operation.starting, operation.deferSynchronous, () => operation.onSettled(outcome));
  }

  private deliver(synchronous: boolean, deferSynchronous: boolean, call: () => void): void {
    if (synchronous && deferSynchronous) this.timers.after(0, call);
    else call();
  }
}
