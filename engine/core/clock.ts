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
