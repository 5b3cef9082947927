/** A Timers port that fires only when told to, for tests that must not depend on real time. */
import type { Timers } from '../../engine/core/timers.js';

export interface ManualTimers extends Timers {
  /** Runs every timer scheduled so far, in order. */
  fireAll(): void;
}

export function manualTimers(): ManualTimers {
  const queue: { callback: () => void; cancelled: boolean }[] = [];
  return {
    after(_delayMs, callback) {
      const entry = { callback, cancelled: false };
      queue.push(entry);
      return { cancel: () => void (entry.cancelled = true) };
    },
    fireAll() {
      for (const entry of queue.splice(0)) if (!entry.cancelled) entry.callback();
    },
  };
}
