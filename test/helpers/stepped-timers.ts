/**
 * A Timers port on a pretend real-time clock that moves only when told (`advance`): timers fire when
 * their delay has passed, in due order, including timers scheduled by timers that fire. For tests
 * that measure what happens per second of real time (push rates, bandwidth) without waiting.
 */
import type { Timers } from '../../engine/core/timers.js';

export interface SteppedTimers extends Timers {
  advance(ms: number): void;
}

export function steppedTimers(): SteppedTimers {
  let nowMs = 0;
  let sequence = 0;
  const queue: { dueMs: number; sequence: number; callback: () => void; cancelled: boolean }[] = [];
  return {
    after(delayMs, callback) {
      const entry = { dueMs: nowMs + Math.max(0, delayMs), sequence: sequence++, callback, cancelled: false };
      queue.push(entry);
      return { cancel: () => void (entry.cancelled = true) };
    },
    advance(ms) {
      const endMs = nowMs + ms;
      // Bounded by the timers due before endMs; a timer that reschedules itself with 0 delay would loop, which no workbench timer does.
      for (;;) {
        queue.sort((a, b) => a.dueMs - b.dueMs || a.sequence - b.sequence);
        const next = queue[0];
        if (next === undefined || next.dueMs > endMs) break;
        queue.shift();
        nowMs = next.dueMs;
        if (!next.cancelled) next.callback();
      }
      nowMs = endMs;
    },
  };
}
