/**
 * Moves the engine's virtual time along with real time × speed, for the live app. The learner can
 * pause, change speed (0.25× to 10×), step one event at a time while paused, and skip ahead (which
 * runs the skipped events as fast as the CPU allows, like the simulation driver).
 *
 * The mapping from real to virtual time is anchored: virtual = anchorVirtual + (real - anchorReal)
 * × speed, re-anchored on every pause, resume, speed change and skip, so virtual time never jumps
 * and never goes backwards. Real time and real timers arrive as ports (a monotonic clock and the
 * host's timers), so tests drive this with a second Scheduler standing in for the real world.
 */
import type { Clock } from './clock.js';
import { limits } from './limits.js';
import type { Scheduler } from './scheduler.js';
import type { TimerHandle, Timers } from './timers.js';

export interface ClockState {
  readonly running: boolean;
  readonly speed: number;
  readonly nowMs: number;
}

/** What the UI's clock bar drives: the live driver in the app, a fixed stand-in in simulations. */
export interface TimeControl {
  state(): ClockState;
  pause(): void;
  resume(): void;
  setSpeed(speed: number): void;
  /** While paused: fires the next event. False when nothing is scheduled. */
  step(): boolean;
  /** Runs the next `durationMs` of engine time at once; returns the events fired. */
  skipAhead(durationMs: number): number;
  /**
   * Something outside the engine (a request) just scheduled work: run what is due now at once,
   * instead of at the next wake-up, so a request costs CPU time, not timer granularity.
   */
  kick(): void;
}

export class LiveDriver implements TimeControl {
  private running = false;
  private speed = 1;
  private anchorRealMs = 0;
  private anchorVirtualMs = 0;
  private wake: TimerHandle | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly realClock: Clock,
    private readonly realTimers: Timers,
  ) {}

  state(): ClockState {
    return { running: this.running, speed: this.speed, nowMs: this.scheduler.nowMs() };
  }

  resume(): void {
    if (this.running) return;
    this.running = true;
    this.reanchor();
    this.scheduleWake();
  }

  pause(): void {
    if (!this.running) return;
    this.catchUp();
    this.running = false;
    this.cancelWake();
  }

  setSpeed(speed: number): void {
    if (!(speed >= limits.liveSpeedMin && speed <= limits.liveSpeedMax)) {
      throw new RangeError(`speed must be between ${limits.liveSpeedMin} and ${limits.liveSpeedMax}, got ${speed}`);
    }
    this.catchUp();
    this.speed = speed;
    this.reanchor();
    this.rescheduleWake();
  }

  /** While paused: fires the next event and moves the clock to it. False when nothing is scheduled. */
  step(): boolean {
    if (this.running) throw new RangeError('Pause the clock before stepping through events one at a time.');
    return this.scheduler.step();
  }

  /** Runs the next `durationMs` of virtual time at once. Returns the number of events fired. */
  skipAhead(durationMs: number): number {
    if (!(Number.isInteger(durationMs) && durationMs > 0 && durationMs <= limits.skipAheadMaxMs)) {
      throw new RangeError(`skip must be a whole number of ms between 1 and ${limits.skipAheadMaxMs}, got ${durationMs}`);
    }
    this.catchUp();
    const fired = this.scheduler.runUntil(this.scheduler.nowMs() + durationMs);
    this.reanchor();
    this.rescheduleWake();
    return fired;
  }

  kick(): void {
    if (!this.running) return;
    this.catchUp();
    this.rescheduleWake();
  }

  stop(): void {
    this.running = false;
    this.cancelWake();
  }

  /** Brings virtual time up to what real time says it should be now, firing everything due by then. */
  private catchUp(): void {
    if (!this.running) return;
    const target = Math.floor(this.anchorVirtualMs + (this.realClock.nowMs() - this.anchorRealMs) * this.speed);
    this.scheduler.runUntil(Math.max(target, this.scheduler.nowMs()));
  }

  private reanchor(): void {
    this.anchorRealMs = this.realClock.nowMs();
    this.anchorVirtualMs = this.scheduler.nowMs();
  }

  private tick(): void {
    this.wake = null;
    if (!this.running) return;
    this.catchUp();
    this.scheduleWake();
  }

  private scheduleWake(): void {
    if (!this.running || this.wake !== null) return;
    const nextDue = this.scheduler.nextDueMs();
    const untilDueRealMs = nextDue === null ? limits.liveTickMaxMs : Math.max(0, (nextDue - this.scheduler.nowMs()) / this.speed);
    this.wake = this.realTimers.after(Math.min(limits.liveTickMaxMs, Math.ceil(untilDueRealMs)), () => this.tick());
  }

  private rescheduleWake(): void {
    this.cancelWake();
    this.scheduleWake();
  }

  private cancelWake(): void {
    this.wake?.cancel();
    this.wake = null;
  }
}
