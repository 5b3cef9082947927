/**
 * The Clock port. Engine code never reads the wall clock: time is passed in, so the same code runs
 * live and in deterministic simulation. `SystemClock` is the single place that reads `Date.now()`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as Kafka's timestamps are. */
  nowMs(): number;
}

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
}

/** A clock that moves only when told to: for tests and the simulation driver. */
export class ManualClock implements Clock {
  constructor(private currentMs: number) {}

  nowMs(): number {
    return this.currentMs;
  }

  advanceMs(deltaMs: number): void {
    if (!(deltaMs >= 0)) throw new RangeError(`clock cannot move backwards (delta ${deltaMs} ms)`);
    this.currentMs += deltaMs;
  }
}

/**
 * A clock that never jumps (performance.now based): what the live driver measures real elapsed
 * time with, so a wall-clock adjustment cannot make virtual time leap or stall.
 */
export class MonotonicClock implements Clock {
  private readonly originMs = Date.now() - performance.now();

  nowMs(): number {
    return Math.floor(this.originMs + performance.now());
  }
}
