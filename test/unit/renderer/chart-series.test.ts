/**
 * The Charts view's data, derived without a canvas: lag lines per partition and stacked, produce
 * against consume rates summed per instant, time lag in seconds, gaps kept, min/max decimation
 * that keeps every peak, rebalance windows (an open one reaching now) and the events marked.
 */
import { describe, expect, it } from 'vitest';
import type { SeriesKey, TimelineEntry } from '../../../engine/api/metrics-dto';
import { chartMarkers, decimateMinMax, lagSeries, latestTotal, rateSeries, rebalanceWindows, stack, timeLagSeries, windowPoints, type ChartPoint } from '../../../renderer/src/domain/chart-series';
import { seriesKeyText, type SeriesRing } from '../../../renderer/src/domain/metrics';

const T0 = 1_000_000;

function ring(key: SeriesKey, values: (number | null)[], startMs = T0): SeriesRing {
  return { id: 0, key, t: values.map((_, i) => startMs + i * 1000), v: values };
}

function lookupOf(rings: SeriesRing[]) {
  const byKey = new Map(rings.map((r) => [seriesKeyText(r.key), r]));
  return (key: SeriesKey) => byKey.get(seriesKeyText(key)) ?? null;
}

const lagKey = (partition: number): SeriesKey => ({ scope: 'group', groupId: 'inventory', topic: 'orders', partition, metric: 'lag' });

function entry(id: number, kind: TimelineEntry['kind'], atMs: number, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return { id, atMs, endMs: null, kind, severity: 'info', code: kind, params: {}, text: `${kind} ${id}`, ...extra };
}

describe('chart series', () => {
  it('lag: one line per partition, cut to the window, gaps kept as gaps', () => {
    const lookup = lookupOf([ring(lagKey(0), [5, 6, null, 8, 9]), ring(lagKey(1), [1, 1, 1, 1, 1])]);
    const series = lagSeries(lookup, 'inventory', 'orders', [0, 1], { fromMs: T0 + 1000, toMs: T0 + 3000 }, 1200);
    expect(series.map((s) => s.id)).toEqual(['p0', 'p1']);
    // One sample either side of the window is kept, so the line reaches the edges.
    expect(series[0]!.points).toEqual([
      { x: T0, y: 5 },
      { x: T0 + 1000, y: 6 },
      { x: T0 + 2000, y: null },
      { x: T0 + 3000, y: 8 },
      { x: T0 + 4000, y: 9 },
    ]);
  });

  it('stacked: each line is itself plus the lines below it, gaps stay gaps', () => {
    const lookup = lookupOf([ring(lagKey(0), [5, null, 7]), ring(lagKey(1), [1, 2, 3])]);
    const stacked = stack(lagSeries(lookup, 'inventory', 'orders', [0, 1], { fromMs: T0, toMs: T0 + 2000 }, 1200));
    expect(stacked[0]!.points.map((p) => p.y)).toEqual([5, null, 7]);
    expect(stacked[1]!.points.map((p) => p.y)).toEqual([6, 2, 10]);
    expect(latestTotal(stacked.slice(-1))).toBe(10);
  });

  it('rates: produce is the sum of the topic\'s partitions, consume the sum of the group\'s, per instant', () => {
    const lookup = lookupOf([
      ring({ scope: 'partition', topic: 'orders', partition: 0, metric: 'produceRate' }, [2, 4]),
      ring({ scope: 'partition', topic: 'orders', partition: 1, metric: 'produceRate' }, [3, 3]),
      ring({ scope: 'group', groupId: 'inventory', topic: 'orders', partition: 0, metric: 'consumeRate' }, [1, null]),
      ring({ scope: 'group', groupId: 'inventory', topic: 'orders', partition: 1, metric: 'consumeRate' }, [null, null]),
    ]);
    const [produce, consume] = rateSeries(lookup, 'inventory', 'orders', [0, 1], { fromMs: T0, toMs: T0 + 1000 }, 1200);
    expect(produce!.points).toEqual([{ x: T0, y: 5 }, { x: T0 + 1000, y: 7 }]);
    expect(consume!.points).toEqual([{ x: T0, y: 1 }, { x: T0 + 1000, y: null }]);
  });

  it('time lag is shown in seconds', () => {
    const lookup = lookupOf([ring({ scope: 'group', groupId: 'g', topic: 't', partition: 0, metric: 'timeLagMs' }, [1500, null])]);
    expect(timeLagSeries(lookup, 'g', 't', [0], { fromMs: T0, toMs: T0 + 1000 }, 1200)[0]!.points.map((p) => p.y)).toEqual([1.5, null]);
  });

  it('decimation keeps the first and last points and every bucket\'s lowest and highest', () => {
    const points: ChartPoint[] = Array.from({ length: 3600 }, (_, i) => ({ x: i * 1000, y: i === 1234 ? 999 : i === 2345 ? -5 : i % 10 }));
    const out = decimateMinMax(points, 100);
    expect(out.length).toBeLessThanOrEqual(2 + 100 * 3);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    expect(out.some((p) => p.y === 999)).toBe(true);
    expect(out.some((p) => p.y === -5)).toBe(true);
    expect(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x)).toBe(true);
    expect(decimateMinMax(points.slice(0, 50), 100)).toEqual(points.slice(0, 50));
  });

  it('a gap inside a bucket survives decimation, so the line still breaks', () => {
    const points: ChartPoint[] = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 500 ? null : 1 }));
    expect(decimateMinMax(points, 10).some((p) => p.y === null)).toBe(true);
  });

  it('windowPoints keeps nothing of a ring entirely outside the window', () => {
    expect(windowPoints(ring(lagKey(0), [1, 2, 3]), { fromMs: T0 + 10_000, toMs: T0 + 20_000 })).toEqual([]);
  });
});

describe('events on the time axis', () => {
  it('shades the group\'s rebalances; an open one reaches now; other groups\' are left out', () => {
    const entries = [
      entry(1, 'rebalance', T0 + 1000, { code: 'rebalance', endMs: T0 + 4000, params: { groupId: 'inventory' } }),
      entry(2, 'rebalance', T0 + 8000, { code: 'rebalance', endMs: null, params: { groupId: 'inventory' } }),
      entry(3, 'rebalance', T0 + 2000, { code: 'rebalance', endMs: T0 + 3000, params: { groupId: 'audit' } }),
      entry(4, 'rebalance', T0 + 2500, { code: 'group.member-removed', params: { groupId: 'inventory' } }),
    ];
    expect(rebalanceWindows(entries, 'inventory', { fromMs: T0, toMs: T0 + 10_000 }, T0 + 9500)).toEqual([
      { entryId: 1, fromMs: T0 + 1000, toMs: T0 + 4000, open: false, text: 'rebalance 1' },
      { entryId: 2, fromMs: T0 + 8000, toMs: T0 + 9500, open: true, text: 'rebalance 2' },
    ]);
  });

  it('marks faults, elections and data loss in the window, oldest first, and nothing else', () => {
    const entries = [entry(5, 'data-loss', T0 + 5000, { severity: 'error' }), entry(1, 'fault', T0 + 1000), entry(2, 'election', T0 + 2000), entry(3, 'isr', T0 + 3000), entry(4, 'fault', T0 + 99_000)];
    expect(chartMarkers(entries, { fromMs: T0, toMs: T0 + 10_000 }).map((m) => [m.entryId, m.kind])).toEqual([
      [1, 'fault'],
      [2, 'election'],
      [5, 'data-loss'],
    ]);
  });
});
