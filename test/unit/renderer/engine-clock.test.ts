/** The clock bar's arithmetic: extrapolating engine time between reports, and formatting it. */
import { describe, expect, it } from 'vitest';
import { extrapolateNowMs, formatClockTime, formatSpeed, smoothingFloor, SMOOTHING_WINDOW_REAL_MS, type ClockAnchor } from '../../../renderer/src/domain/engine-clock';

const T0 = 1_700_000_000_000;
const anchor = (running: boolean, speed: number, nowMs = T0, atRealMs = 1000): ClockAnchor => ({ clock: { running, speed, nowMs }, atRealMs });

describe('extrapolateNowMs', () => {
  it('adds the real time since the report, times the speed, while the clock runs', () => {
    expect(extrapolateNowMs(anchor(true, 1), 1000)).toBe(T0);
    expect(extrapolateNowMs(anchor(true, 1), 1250)).toBe(T0 + 250);
    expect(extrapolateNowMs(anchor(true, 10), 1250)).toBe(T0 + 2500);
    expect(extrapolateNowMs(anchor(true, 0.25), 2000)).toBe(T0 + 250);
  });

  it('stands still while paused, however much real time passes', () => {
    expect(extrapolateNowMs(anchor(false, 5), 1000)).toBe(T0);
    expect(extrapolateNowMs(anchor(false, 5), 61_000)).toBe(T0);
  });

  it('never goes back before the report (a frame drawn before the report arrived)', () => {
    expect(extrapolateNowMs(anchor(true, 2), 900)).toBe(T0);
  });

  it('rounds down to whole milliseconds', () => {
    expect(extrapolateNowMs(anchor(true, 0.25), 1003)).toBe(T0);
    expect(extrapolateNowMs(anchor(true, 0.5), 1003)).toBe(T0 + 1);
  });
});

describe('smoothingFloor', () => {
  it('holds what was shown when a newer report of the same running clock lags it by the driver tick', () => {
    const previous = anchor(true, 2);
    const next = anchor(true, 2, T0 + 960, 1500);
    expect(smoothingFloor(previous, T0 + 1000, next)).toBe(T0 + 1000);
  });

  it('lets the time jump when the report is ahead, or behind by more than the window', () => {
    expect(smoothingFloor(anchor(true, 1), T0 + 500, anchor(true, 1, T0 + 600, 1500))).toBeNull();
    const tooFar = T0 + 500 - SMOOTHING_WINDOW_REAL_MS - 1;
    expect(smoothingFloor(anchor(true, 1), T0 + 500, anchor(true, 1, tooFar, 1500))).toBeNull();
  });

  it('shows the engine time exactly after a pause or a speed change, and without an earlier report', () => {
    expect(smoothingFloor(anchor(true, 1), T0 + 500, anchor(false, 1, T0 + 490, 1500))).toBeNull();
    expect(smoothingFloor(anchor(true, 1), T0 + 500, anchor(true, 2, T0 + 490, 1500))).toBeNull();
    expect(smoothingFloor(anchor(false, 1), T0, anchor(true, 1, T0 - 10, 1500))).toBeNull();
    expect(smoothingFloor(null, null, anchor(true, 1))).toBeNull();
  });
});

describe('formatClockTime', () => {
  it('prints HH:MM:SS.mmm in local time, 24-hour, zero-padded', () => {
    const local = new Date(2025, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatClockTime(local)).toBe('03:04:05.006');
    expect(formatClockTime(new Date(2025, 0, 2, 23, 59, 59, 999).getTime())).toBe('23:59:59.999');
    expect(formatClockTime(new Date(2025, 0, 2, 0, 0, 0, 0).getTime())).toBe('00:00:00.000');
  });
});

describe('formatSpeed', () => {
  it('prints the multiplier as the speed selector shows it', () => {
    expect(formatSpeed(0.25)).toBe('0.25×');
    expect(formatSpeed(1)).toBe('1×');
    expect(formatSpeed(10)).toBe('10×');
  });
});
