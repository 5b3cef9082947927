/**
 * A process that can be frozen, as SIGSTOP or a long stop-the-world GC pause freezes a JVM: while
 * paused nothing of it runs — no timer fires, no network answer is handled — and what came due is
 * parked; on resume the parked work runs in the order it came due, at the resume time, as a JVM
 * that wakes up finds every overdue timer and every buffered socket read at once.
 *
 * Client code gets `timers` (a Timers port whose callbacks wait while paused) and wraps every
 * callback the network hands it with `guard`. Code outside the process (the broker the client
 * talks to, the coordinator) keeps running: heartbeats stop arriving, so the group evicts a member
 * paused longer than session.timeout.ms, exactly what the workshop shows.
 *
 * Invariants: while paused no guarded callback runs; on resume parked callbacks run once each, in
 * the order they came due; a cancelled timer's callback never runs, parked or not; at most
 * `PARKED_MAX` callbacks are parked (past it the oldest are dropped and counted, as a socket buffer
 * overflows — a paused client has far fewer: a few timers and one answer per request in flight).
 */
import type { Clock } from './clock.js';
import type { TimerHandle, Timers } from './timers.js';

/** Callbacks parked while paused: a client has a handful of timers and requests in flight; 10,000 means a leak. */
const PARKED_MAX = 10_000;

interface Parked {
  readonly run: () => void;
  cancelled: boolean;
}

export class ProcessGate {
  readonly timers: Timers;
  private paused = false;
  private readonly parked: Parked[] = [];
  /** Parked callbacks dropped because PARKED_MAX was reached. */
  droppedWhilePaused = 0;

  constructor(private readonly inner: Timers) {
    this.timers = {
      after: (delayMs, callback) => {
        const entry: Parked = { run: callback, cancelled: false };
        const handle = this.inner.after(delayMs, () => this.dispatch(entry));
        return {
          cancel: () => {
            entry.cancelled = true;
            handle.cancel();
          },
        } satisfies TimerHandle;
      },
    };
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Wraps a callback from outside the process (a network answer): it waits while paused. */
  guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    return (...args: A) => this.dispatch({ run: () => callback(...args), cancelled: false });
  }

  pause(): void {
    this.paused = true;
  }

  /** Runs what came due while paused, in order, then lets the process run again. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // Bounded by PARKED_MAX; a callback that pauses the gate again parks the rest once more.
    while (this.parked.length > 0 && !this.paused) {
      const entry = this.parked.shift()!;
      if (!entry.cancelled) entry.run();
    }
  }

  /** Forgets parked work (the process died while paused). */
  discard(): void {
    this.parked.length = 0;
    this.paused = false;
  }

  private dispatch(entry: Parked): void {
    if (entry.cancelled) return;
    if (!this.paused) return entry.run();
    if (this.parked.length >= PARKED_MAX) {
      this.parked.shift();
      this.droppedWhilePaused += 1;
    }
    this.parked.push(entry);
  }
}

/**
 * A client machine's clock that runs ahead of (positive skew) or behind the cluster's: what a
 * producer stamps as CreateTime. Engine timers are unaffected (they measure durations).
 */
export class SkewedClock implements Clock {
  skewMs = 0;

  constructor(private readonly inner: Clock) {}

  nowMs(): number {
    return this.inner.nowMs() + this.skewMs;
  }
}
