/** Virtual time: deterministic order, cancellation, bounded runs; the live driver's speed and pause. */
import { describe, expect, it } from 'vitest';
import { LiveDriver } from '../../../engine/core/live-driver.js';
import { Scheduler } from '../../../engine/core/scheduler.js';

describe('Scheduler', () => {
  it('fires timers in due order, ties in scheduling order, and moves the clock to each', () => {
    const s = new Scheduler(1000);
    const fired: string[] = [];
    s.after(30, () => fired.push(`c@${s.nowMs()}`));
    s.after(10, () => fired.push(`a@${s.nowMs()}`));
    s.after(10, () => fired.push(`b@${s.nowMs()}`));
    expect(s.runUntil(1025)).toBe(2);
    expect(s.nowMs()).toBe(1025);
    s.runUntil(2000);
    expect(fired).toEqual(['a@1010', 'b@1010', 'c@1030']);
  });

  it('runs timers scheduled by timers within the same run, and never fires a cancelled one', () => {
    const s = new Scheduler(0);
    const fired: number[] = [];
    const cancelled = s.after(5, () => fired.push(-1));
    s.after(1, () => s.after(1, () => fired.push(s.nowMs())));
    cancelled.cancel();
    s.runUntil(10);
    expect(fired).toEqual([2]);
    expect(s.pendingCount()).toBe(0);
  });

  it('steps one event at a time', () => {
    const s = new Scheduler(0);
    s.after(7, () => {});
    s.after(9, () => {});
    expect(s.step()).toBe(true);
    expect(s.nowMs()).toBe(7);
    expect(s.step()).toBe(true);
    expect(s.step()).toBe(false);
    expect(s.nowMs()).toBe(9);
  });

  it('stops a timer that reschedules itself at no delay instead of hanging', () => {
    const s = new Scheduler(0);
    const loop = (): void => void s.after(0, loop);
    s.after(0, loop);
    expect(() => s.runUntil(1, 1000)).toThrow(/more than 1000 events/);
  });

  it('refuses to run back in time', () => {
    const s = new Scheduler(100);
    expect(() => s.runUntil(99)).toThrow(/back in time/);
  });
});

describe('LiveDriver', () => {
  /** The "real world" is itself a scheduler, so the test controls real time exactly. */
  function setup(): { real: Scheduler; virtual: Scheduler; driver: LiveDriver } {
    const real = new Scheduler(0);
    const virtual = new Scheduler(1_700_000_000_000);
    return { real, virtual, driver: new LiveDriver(virtual, real, real) };
  }

  it('follows real time at 1x and at 4x, and fires virtual timers on time', () => {
    const { real, virtual, driver } = setup();
    const start = virtual.nowMs();
    const firedAt: number[] = [];
    virtual.after(3000, () => firedAt.push(virtual.nowMs() - start));
    driver.resume();
    real.runUntil(1000);
    expect(virtual.nowMs() - start).toBeGreaterThanOrEqual(950);
    expect(virtual.nowMs() - start).toBeLessThanOrEqual(1000);
    driver.setSpeed(4);
    real.runUntil(1500); // 500 ms real at 4x = 2000 ms virtual
    expect(virtual.nowMs() - start).toBeGreaterThanOrEqual(2950);
    expect(virtual.nowMs() - start).toBeLessThanOrEqual(3000);
    expect(firedAt).toEqual([3000]);
  });

  it('stands still while paused, steps one event, and resumes without a jump', () => {
    const { real, virtual, driver } = setup();
    driver.resume();
    real.runUntil(500);
    driver.pause();
    const pausedAt = virtual.nowMs();
    real.runUntil(5000);
    expect(virtual.nowMs()).toBe(pausedAt);
    virtual.after(10_000, () => {});
    expect(driver.step()).toBe(true);
    expect(virtual.nowMs()).toBe(pausedAt + 10_000);
    driver.resume();
    real.runUntil(5100);
    expect(virtual.nowMs() - (pausedAt + 10_000)).toBeLessThanOrEqual(100);
  });

  it('skips ahead by firing every event in the skipped span', () => {
    const { virtual, driver } = setup();
    let heartbeats = 0;
    const beat = (): void => {
      heartbeats += 1;
      virtual.after(3000, beat);
    };
    virtual.after(3000, beat);
    const fired = driver.skipAhead(5 * 60 * 1000);
    expect(heartbeats).toBe(100);
    expect(fired).toBe(100);
  });

  it('refuses speeds outside 0.25x to 10x and skips outside one day', () => {
    const { driver } = setup();
    expect(() => driver.setSpeed(20)).toThrow(/between 0.25 and 10/);
    expect(() => driver.skipAhead(0)).toThrow(RangeError);
    expect(() => driver.skipAhead(2 * 24 * 60 * 60 * 1000)).toThrow(RangeError);
  });
});
