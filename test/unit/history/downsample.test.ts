/**
 * Downsampling of metric series for the history: at most N points, buckets of consecutive samples,
 * the newest instant kept, values by mode (last, average, max, min), nulls only where a bucket had
 * no value; and the store keeps an hour-long series as at most samplesPerSeriesMax points.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { downsample, downsampleModeOf } from '../../../engine/history/downsample.js';
import { historyLimits } from '../../../engine/history/history-limits.js';
import { HistoryStore } from '../../../engine/history/history-store.js';
import { handProgress, removeScratch, scratchDir } from './history-test-helpers.js';

afterAll(removeScratch);

const t = [10, 20, 30, 40, 50, 60, 70];
const v = [1, 5, null, 3, null, null, 8];

describe('downsample', () => {
  it('returns a short series as it is (a copy)', () => {
    const points = { t: [1, 2], v: [3, null] };
    const out = downsample(points, 5, 'average');
    expect(out).toEqual(points);
    expect(out.t).not.toBe(points.t);
  });

  it('makes buckets of consecutive samples, each at its last instant', () => {
    // 7 points into at most 3: buckets of 3 → [10,20,30] [40,50,60] [70].
    expect(downsample({ t, v }, 3, 'last')).toEqual({ t: [30, 60, 70], v: [null, null, 8] });
    expect(downsample({ t, v }, 3, 'average')).toEqual({ t: [30, 60, 70], v: [3, 3, 8] });
    expect(downsample({ t, v }, 3, 'max')).toEqual({ t: [30, 60, 70], v: [5, 3, 8] });
    expect(downsample({ t, v }, 3, 'min')).toEqual({ t: [30, 60, 70], v: [1, 3, 8] });
    expect(downsample({ t: [1, 2, 3, 4], v: [null, null, 2, 4] }, 2, 'average')).toEqual({ t: [2, 4], v: [null, 3] });
  });

  it('never gives more than N points, for any length', () => {
    for (const n of [1, 2, 599, 600, 601, 1199, 1200, 1201, 3599, 3600]) {
      for (const max of [1, 7, 600]) {
        const series = { t: Array.from({ length: n }, (_, i) => i * 1000), v: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i)) };
        const out = downsample(series, max, 'average');
        expect(out.t.length, `${n} into ${max}`).toBeLessThanOrEqual(max);
        expect(out.t.length).toBe(out.v.length);
        expect(out.t.at(-1), 'the newest instant is kept').toBe(series.t.at(-1));
        for (let i = 1; i < out.t.length; i++) expect(out.t[i]!).toBeGreaterThan(out.t[i - 1]!);
      }
    }
  });

  it('chooses the mode by what a series measures', () => {
    expect(downsampleModeOf({ scope: 'partition', topic: 't', partition: 0, metric: 'logEndOffset' })).toBe('last');
    expect(downsampleModeOf({ scope: 'partition', topic: 't', partition: 0, metric: 'isrSize' })).toBe('min');
    expect(downsampleModeOf({ scope: 'group', groupId: 'g', topic: 't', partition: 0, metric: 'lag' })).toBe('max');
    expect(downsampleModeOf({ scope: 'producer', clientId: 'p', metric: 'sendRate' })).toBe('average');
  });

  it('refuses a series with a value count unlike its instants, or a bound below one', () => {
    expect(() => downsample({ t: [1, 2], v: [1] }, 5, 'last')).toThrow(/one value per instant/);
    expect(() => downsample({ t: [1], v: [1] }, 0, 'last')).toThrow(/positive whole number/);
  });

  it('the store keeps an hour of one-second samples as at most samplesPerSeriesMax points, replacing what it had', async () => {
    const store = await HistoryStore.open(join(scratchDir(), 'history.sqlite'));
    try {
      await store.saveProgress(handProgress('hour'), { participant: '', appVersion: '0.1.0' });
      const n = historyLimits.pointsPerSeriesInMax;
      const hour = { key: { scope: 'group' as const, groupId: 'g', topic: 't', partition: 0, metric: 'lag' as const }, t: Array.from({ length: n }, (_, i) => 1_000 + i * 1_000), v: Array.from({ length: n }, (_, i) => (i === 1234 ? 999 : i % 7)) };
      expect(await store.saveMetricSamples('hour', [{ ...hour, t: hour.t.slice(0, 10), v: hour.v.slice(0, 10) }])).toEqual({ series: 1, points: 10 });
      expect(await store.saveMetricSamples('hour', [hour])).toEqual({ series: 1, points: historyLimits.samplesPerSeriesMax });
      const [kept] = (await store.getRun('hour'))!.series;
      expect(kept!.t.length).toBe(historyLimits.samplesPerSeriesMax);
      expect(kept!.t.at(-1)).toBe(hour.t.at(-1));
      expect(Math.max(...kept!.v.map((x) => x ?? 0)), 'a lag spike survives (max per bucket)').toBe(999);
    } finally {
      await store.close();
    }
  });
});
