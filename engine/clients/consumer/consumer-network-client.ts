/**
 * Java's ConsumerNetworkClient on the consumer's port: sends one request, arms request.timeout.ms
 * for it, and delivers exactly one outcome (a response, a disconnection, or a timeout), then tells
 * the consumer that something happened (Java's client.poll returning), so a waiting poll(),
 * commitSync() or close() looks again.
 *
 * - A response that arrives after the timeout, or after stop() (the consumer crashed or closed), is
 *   ignored, as Java's NetworkClient drops answers to requests it has given up on.
 * - A request whose answer the port delivers synchronously, from inside the call, is handed over
 *   on the next timer turn: the consumer never re-enters the port from a port callback.
 *
 * Invariants: every request completes at most once; at most consumerLimits.inFlightRequestsMax
 * await an answer (past it a request fails at once as disconnected); after stop() no outcome is
 * delivered and no timer of this client remains.
 */
import { assert } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import { consumerLimits } from './consumer-limits.js';
import type { Answer } from './consumer-network.js';

export type Outcome<T> = { readonly kind: 'response'; readonly response: T } | { readonly kind: 'disconnected' } | { readonly kind: 'timeout' };

interface Pending {
  readonly brokerId: number | null;
  done: boolean;
  timer: TimerHandle | null;
}

export class ConsumerNetworkClient {
  private readonly pending = new Set<Pending>();
  private inNetworkCall = false;
  private stopped = false;
  /** Requests sent (for the UI and tests). */
  requestsSent = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    /** Called after every outcome: Java's client.poll() wakes the thread waiting in it. */
    private readonly onOutcome: () => void,
  ) {}

  /**
   * Sends through `issue` (which calls the port with the given callback). `handle` receives the
   * outcome and the round trip in ms.
   */
  send<T>(brokerId: number | null, timeoutMs: number, issue: (onAnswer: (answer: Answer<T>) => void) => void, handle: (outcome: Outcome<T>, latencyMs: number) => void): void {
    if (this.stopped) return;
    if (this.pending.size >= consumerLimits.inFlightRequestsMax) {
      this.timers.after(0, () => {
        if (this.stopped) return;
        handle({ kind: 'disconnected' }, 0);
        this.onOutcome();
      });
      return;
    }
    const sentMs = this.clock.nowMs();
    const entry: Pending = { brokerId, done: false, timer: null };
    this.pending.add(entry);
    this.requestsSent += 1;
    const finish = (outcome: Outcome<T>): void => {
      if (entry.done || this.stopped) return;
      entry.done = true;
      entry.timer?.cancel();
      this.pending.delete(entry);
      handle(outcome, this.clock.nowMs() - sentMs);
      this.onOutcome();
    };
    entry.timer = this.timers.after(timeoutMs, () => finish({ kind: 'timeout' }));
    assert(!this.inNetworkCall, 'the consumer network port was called re-entrantly');
    this.inNetworkCall = true;
    try {
      issue((answer) => {
        const outcome: Outcome<T> = answer.kind === 'response' ? { kind: 'response', response: answer.response } : { kind: 'disconnected' };
        if (this.inNetworkCall) this.timers.after(0, () => finish(outcome));
        else finish(outcome);
      });
    } finally {
      this.inNetworkCall = false;
    }
  }

  /** Requests waiting for an outcome, to one broker or in all. */
  inFlightCount(brokerId?: number): number {
    if (brokerId === undefined) return this.pending.size;
    let count = 0;
    for (const entry of this.pending) if (entry.brokerId === brokerId) count += 1;
    return count;
  }

  /** Stops for good: cancels every timer; outcomes still to come are ignored. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.pending) entry.timer?.cancel();
    this.pending.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
