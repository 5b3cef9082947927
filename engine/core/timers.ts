/**
 * The Timers port: engine code schedules work through this, never through the global setTimeout,
 * so a simulation can drive the same code on virtual time. `systemTimers` is the live binding and
 * the only place here that touches the global timer functions.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  after(delayMs: number, callback: () => void): TimerHandle;
}

export const systemTimers: Timers = {
  after(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};
