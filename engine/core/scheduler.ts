/**
 * The engine's virtual time: a clock and a timer queue in one. Every timer in the engine (heartbeats,
 * linger, retention checks, fetch waits) is scheduled here, so the same code runs live (a driver
 * moves time with the wall clock × speed) and in simulation (a driver moves it as fast as the CPU
 * allows), and a run replays exactly.
 *
 * Invariants:
 * - time never goes backwards;
 * - timers fire in order of due time, and timers due at the same time fire in the order they were
 *   scheduled (a sequence number breaks ties), so runs are deterministic;
 * - a cancelled timer never fires;
 * - the queue holds at most `limits.scheduledTimersMax` timers, and one `runUntil` fires at most the
 *   number of events it is given, so a runaway feedback loop stops with an assertion instead of
 *   hanging the worker.
 */
import { assert } from './assert.js';
import type { Clock } from './clock.js';
import { limits } from './limits.js';
import type { TimerHandle, Timers } from './timers.js';

interface Entry {
  readonly dueMs: number;
  readonly seq: number;
  /** Dropped on cancel, so a cancelled timeout stops holding what its closure captured. */
  callback: (() => void) | null;
  cancelled: boolean;
}

/**
 * Cancelled timers wait in the heap until they surface. Request timeouts (30 s) are cancelled by
 * the thousand per second under load, so the heap is rebuilt without them once they are the
 * majority: memory stays proportional to live timers.
 */
const COMPACT_MIN_CANCELLED = 1024;

export class Scheduler implements Clock, Timers {
  private currentMs: number;
  private readonly heap: Entry[] = [];
  private nextSeq = 0;
  private cancelledCount = 0;

  constructor(startMs: number) {
    assert(Number.isSafeInteger(startMs), `scheduler start ${startMs} must be a safe integer`);
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  after(delayMs: number, callback: () => void): TimerHandle {
    assert(Number.isFinite(delayMs) && delayMs >= 0, `timer delay ${delayMs} must be a non-negative number`);
    assert(this.heap.length < limits.scheduledTimersMax, `more than ${limits.scheduledTimersMax} timers scheduled`);
    const entry: Entry = { dueMs: this.currentMs + Math.ceil(delayMs), seq: this.nextSeq++, callback, cancelled: false };
    this.push(entry);
    return {
      cancel: () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        entry.callback = null;
        this.cancelledCount += 1;
        if (this.cancelledCount >= COMPACT_MIN_CANCELLED && this.cancelledCount * 2 > this.heap.length) this.compact();
      },
    };
  }

  /** Timers waiting to fire (cancelled ones excluded). */
  pendingCount(): number {
    return this.heap.length - this.cancelledCount;
  }

  /** When the next live timer is due, or null when none is waiting. */
  nextDueMs(): number | null {
    this.dropCancelledTop();
    return this.heap[0]?.dueMs ?? null;
  }

  /**
   * Fires, in order, every timer due at or before `targetMs` (including timers those timers
   * schedule), moving the clock to each one's due time, then to `targetMs`. Returns how many fired.
   */
  runUntil(targetMs: number, maxEvents: number = limits.eventsPerRunMax): number {
    assert(targetMs >= this.currentMs, `cannot run back in time from ${this.currentMs} to ${targetMs}`);
    let fired = 0;
    for (let due = this.nextDueMs(); due !== null && due <= targetMs; due = this.nextDueMs()) {
      assert(fired < maxEvents, `more than ${maxEvents} events before ${targetMs}: a timer keeps rescheduling itself at no delay`);
      this.fireTop();
      fired += 1;
    }
    this.currentMs = Math.floor(targetMs);
    return fired;
  }

  /** Fires the next timer, moving the clock to its due time. Returns false when none is waiting. */
  step(): boolean {
    if (this.nextDueMs() === null) return false;
    this.fireTop();
    return true;
  }

  private fireTop(): void {
    const entry = this.pop();
    assert(entry.dueMs >= this.currentMs, 'a timer was due in the past');
    assert(entry.callback !== null, 'a cancelled timer surfaced');
    this.currentMs = entry.dueMs;
    const callback = entry.callback;
    entry.callback = null;
    entry.cancelled = true;
    callback();
  }

  /** Rebuilds the heap without cancelled entries (order is kept: the comparison is total). */
  private compact(): void {
    const live = this.heap.filter((e) => !e.cancelled);
    this.heap.length = 0;
    this.cancelledCount = 0;
    for (const entry of live) this.push(entry);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) {
      this.pop();
      this.cancelledCount -= 1;
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}

/**
 * Simulation mode: runs the scheduler, as fast as the CPU allows, until `promise` settles, and
 * returns its outcome. Between timer events it lets promise callbacks run, so engine code that
 * resolves a promise from a timer (a produce answered after replication) is seen to finish.
 * Bounded by `maxVirtualMs` of virtual time and by the scheduler's event bound.
 */
export async function runUntilSettled<T>(scheduler: Scheduler, promise: Promise<T>, maxVirtualMs: number): Promise<T> {
  let settled = false;
  const observed = promise.then(
    (value) => {
      settled = true;
      return value;
    },
    (error: unknown) => {
      settled = true;
      throw error;
    },
  );
  const deadlineMs = scheduler.nowMs() + maxVirtualMs;
  await flushMicrotasks();
  for (let events = 0; !settled; events++) {
    assert(events < limits.eventsPerRunMax, `more than ${limits.eventsPerRunMax} events while waiting`);
    const due = scheduler.nextDueMs();
    if (due === null || due > deadlineMs) {
      if (due === null) throw new Error(`nothing is scheduled, and the awaited work is still not done at ${scheduler.nowMs()}`);
      throw new Error(`the awaited work is still not done after ${maxVirtualMs} ms of virtual time`);
    }
    scheduler.step();
    await flushMicrotasks();
  }
  return observed;
}

async function flushMicrotasks(): Promise<void> {
  // A few turns: promise chains resolved from a timer callback need more than one microtask.
  for (let i = 0; i < 4; i++) await Promise.resolve();
}
