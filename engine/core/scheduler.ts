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
import { assert, assertFailed } from './assert.js';
import type { Clock } from './clock.js';
import { limits } from './limits.js';
import type { TimerHandle, Timers } from './timers.js';

/**
 * A scheduled timer, and its own handle. It knows its place in the heap, so cancelling removes it
 * at once: request timeouts (30 s) are cancelled by the thousand per second under load, and one that
 * waited in the heap until due would live long enough to reach the old generation, where the
 * collector pays for it again.
 */
class Entry implements TimerHandle {
  /** Position in the scheduler's heap; -1 once fired or cancelled. */
  index = -1;

  constructor(
    private readonly owner: Scheduler,
    readonly dueMs: number,
    readonly seq: number,
    public callback: (() => void) | null,
  ) {}

  cancel(): void {
    if (this.index < 0) return;
    this.owner.remove(this);
  }
}

export class Scheduler implements Clock, Timers {
  private currentMs: number;
  private readonly heap: Entry[] = [];
  private nextSeq = 0;

  constructor(startMs: number) {
    if (!Number.isSafeInteger(startMs)) assertFailed(`scheduler start ${startMs} must be a safe integer`);
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  after(delayMs: number, callback: () => void): TimerHandle {
    if (!(Number.isFinite(delayMs) && delayMs >= 0)) assertFailed(`timer delay ${delayMs} must be a non-negative number`);
    if (!(this.heap.length < limits.scheduledTimersMax)) assertFailed(`more than ${limits.scheduledTimersMax} timers scheduled`);
    const entry = new Entry(this, this.currentMs + Math.ceil(delayMs), this.nextSeq++, callback);
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.siftUp(entry.index);
    return entry;
  }

  /** Timers waiting to fire. */
  pendingCount(): number {
    return this.heap.length;
  }

  /** When the next timer is due, or null when none is waiting. */
  nextDueMs(): number | null {
    return this.heap[0]?.dueMs ?? null;
  }

  /**
   * Fires, in order, every timer due at or before `targetMs` (including timers those timers
   * schedule), moving the clock to each one's due time, then to `targetMs`. Returns how many fired.
   */
  runUntil(targetMs: number, maxEvents: number = limits.eventsPerRunMax): number {
    if (!(targetMs >= this.currentMs)) assertFailed(`cannot run back in time from ${this.currentMs} to ${targetMs}`);
    let fired = 0;
    for (let due = this.nextDueMs(); due !== null && due <= targetMs; due = this.nextDueMs()) {
      if (!(fired < maxEvents)) assertFailed(`more than ${maxEvents} events before ${targetMs}: a timer keeps rescheduling itself at no delay`);
      this.fireTop();
      fired += 1;
    }
    this.currentMs = Math.floor(targetMs);
    return fired;
  }

  /** Fires the next timer, moving the clock to its due time. Returns false when none is waiting. */
  step(): boolean {
    if (this.heap.length === 0) return false;
    this.fireTop();
    return true;
  }

  /** Takes `entry` out of the heap (a cancel); called by the entry itself. */
  remove(entry: Entry): void {
    const heap = this.heap;
    const index = entry.index;
    assert(heap[index] === entry, 'a cancelled timer is not where its index says');
    entry.index = -1;
    entry.callback = null;
    const last = heap.pop()!;
    if (last === entry) return;
    heap[index] = last;
    last.index = index;
    this.siftUp(index);
    this.siftDown(last.index);
  }

  private fireTop(): void {
    const entry = this.heap[0]!;
    assert(entry.dueMs >= this.currentMs, 'a timer was due in the past');
    const callback = entry.callback;
    assert(callback !== null, 'a cancelled timer surfaced');
    this.remove(entry);
    this.currentMs = entry.dueMs;
    callback();
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const entryA = heap[a]!;
    const entryB = heap[b]!;
    heap[a] = entryB;
    heap[b] = entryA;
    entryA.index = b;
    entryB.index = a;
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
    if (!(events < limits.eventsPerRunMax)) assertFailed(`more than ${limits.eventsPerRunMax} events while waiting`);
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
