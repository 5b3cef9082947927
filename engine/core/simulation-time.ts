/**
 * Time control for simulation mode (tests, `kafka-lab sim`, lab autopilots): there is no wall clock
 * to follow, so whoever drives the run moves the scheduler; the clock bar's commands act on the
 * scheduler directly. Pause and speed are recorded so a UI attached to a simulation shows them.
 */
import { limits } from './limits.js';
import type { ClockState, TimeControl } from './live-driver.js';
import type { Scheduler } from './scheduler.js';

export class SimulationTime implements TimeControl {
  private running = true;
  private speed = 1;

  constructor(private readonly scheduler: Scheduler) {}

  state(): ClockState {
    return { running: this.running, speed: this.speed, nowMs: this.scheduler.nowMs() };
  }

  pause(): void {
    this.running = false;
  }

  resume(): void {
    this.running = true;
  }

  setSpeed(speed: number): void {
    if (!(speed >= limits.liveSpeedMin && speed <= limits.liveSpeedMax)) {
      throw new RangeError(`speed must be between ${limits.liveSpeedMin} and ${limits.liveSpeedMax}, got ${speed}`);
    }
    this.speed = speed;
  }

  step(): boolean {
    if (this.running) throw new RangeError('Pause the clock before stepping through events one at a time.');
    return this.scheduler.step();
  }

  /** Whoever drives the simulation runs due work; nothing to do here. */
  kick(): void {}

  skipAhead(durationMs: number): number {
    if (!(Number.isInteger(durationMs) && durationMs > 0 && durationMs <= limits.skipAheadMaxMs)) {
      throw new RangeError(`skip must be a whole number of ms between 1 and ${limits.skipAheadMaxMs}, got ${durationMs}`);
    }
    return this.scheduler.runUntil(this.scheduler.nowMs() + durationMs);
  }
}
