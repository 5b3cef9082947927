/**
 * The ring behind every metric series: fixed capacity, oldest overwritten first, nulls kept as
 * nulls (a partition without a leader is not a lag of 0), instants never going backwards.
 */
import { describe, expect, it } from 'vitest';
import { TimeSeriesRing } from '../../../engine/metrics/time-series-ring.js';
import { metricsLimits } from '../../../engine/metrics/metrics-limits.js';

const T0 = 1_700_000_000_000;

describe('TimeSeriesRing', () => {
  it('keeps samples oldest first until it is full', () => {
    const ring = new TimeSeriesRing(4);
    ring.append(T0, 10);
    ring.append(T0 + 1000, null);
    ring.append(T0 + 2000, 30);
    expect(ring.size).toBe(3);
    expect([...ring]).toEqual([
      { tMs: T0, value: 10 },
      { tMs: T0 + 1000, value: null },
      { tMs: T0 + 2000, value: 30 },
    ]);
    expect(ring.newestTimeMs()).toBe(T0 + 2000);
    expect(ring.newestValue()).toBe(30);
  });

  it('overwrites the oldest sample once full, so its size never passes the capacity', () => {
    const ring = new TimeSeriesRing(3);
    for (let i = 0; i < 10; i++) ring.append(T0 + i * 1000, i);
    expect(ring.size).toBe(3);
    expect(ring.toColumns()).toEqual({ t: [T0 + 7000, T0 + 8000, T0 + 9000], v: [7, 8, 9] });
  });

  it('tells a null (no value) from a zero after wrapping around', () => {
    const ring = new TimeSeriesRing(2);
    ring.append(T0, null);
    ring.append(T0 + 1, 0);
    ring.append(T0 + 2, null);
    expect(ring.toColumns().v).toEqual([0, null]);
  });

  it('last(n) returns the newest n samples oldest first, or all it has', () => {
    const ring = new TimeSeriesRing(5);
    for (let i = 0; i < 7; i++) ring.append(T0 + i, i * 10);
    expect(ring.last(2)).toEqual([
      { tMs: T0 + 5, value: 50 },
      { tMs: T0 + 6, value: 60 },
    ]);
    expect(ring.last(99).map((s) => s.value)).toEqual([20, 30, 40, 50, 60]);
    expect(ring.last(0)).toEqual([]);
  });

  it('refuses a sample earlier than the newest one (engine time never goes backwards)', () => {
    const ring = new TimeSeriesRing(3);
    ring.append(T0 + 1000, 1);
    expect(() => ring.append(T0, 2)).toThrow(/before the newest one/);
    expect(() => ring.append(T0 + 2000, Number.NaN)).toThrow(/finite or null/);
  });

  it('defaults to the limit: an hour of one-second samples', () => {
    expect(new TimeSeriesRing().capacity).toBe(metricsLimits.ringCapacity);
    expect(metricsLimits.ringCapacity).toBe(3600);
  });

  it('grows its arrays by doubling as samples arrive, never past its capacity, keeping order', () => {
    const ring = new TimeSeriesRing(200);
    expect(ring.allocated).toBe(64);
    const seen: number[] = [];
    for (let i = 0; i < 450; i++) {
      ring.append(i * 1000, i % 7 === 0 ? null : i);
      seen.push(ring.allocated);
    }
    expect([...new Set(seen)]).toEqual([64, 128, 200]);
    expect(ring.size).toBe(200);
    expect(ring.timeAt(0)).toBe(250_000);
    expect(ring.newestTimeMs()).toBe(449_000);
    expect([...ring].map((s) => s.value).slice(0, 3)).toEqual([250, 251, null]); // 252 is a multiple of 7: null
    expect(ring.valueAt(ring.size - 3)).toBe(447);
    expect([...ring].filter((s) => s.value === null)).toHaveLength([...Array(200).keys()].map((k) => k + 250).filter((k) => k % 7 === 0).length);
  });
});
