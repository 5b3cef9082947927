/**
 * What the Charts view draws, derived from the metrics rings and the timeline: pure functions, so
 * the chart data is tested without a canvas.
 *
 * - lag per partition of a group (lines, or stacked: each line the sum of itself and the ones below);
 * - produce rate (the topic's partitions summed) against consume rate (the group's, summed);
 * - time lag per partition, in seconds;
 * - rebalance stop-the-world windows (timeline spans; an open one extends to now) and the events
 *   marked on the time axis (faults, elections, data loss).
 *
 * Every series is cut to the visible window and decimated to at most `pointsMax` points by min/max
 * buckets (the first and last point kept), so 16 series of 3,600 samples redraw in a few ms. Null
 * samples stay gaps (a partition without a leader, a group without a committed offset).
 */
import type { SeriesKey, TimelineEntry } from '../../../engine/api/metrics-dto';
import type { SeriesRing } from './metrics';

export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

export interface ChartSeries {
  /** Stable id for colours and dash patterns: the partition number, or a named series. */
  readonly id: string;
  readonly partition: number | null;
  readonly points: readonly ChartPoint[];
}

export interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ShadedWindow {
  readonly entryId: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly open: boolean;
  readonly text: string;
}

export type MarkerKind = 'fault' | 'election' | 'data-loss';

export interface ChartMarker {
  readonly entryId: number;
  readonly atMs: number;
  readonly kind: MarkerKind;
  readonly severity: 'info' | 'warn' | 'error';
  readonly text: string;
}

type RingLookup = (key: SeriesKey) => SeriesRing | null;

/** The points of a ring inside the window (one sample either side kept, so lines reach the edges). */
export function windowPoints(ring: SeriesRing, window: TimeWindow, scale = 1): ChartPoint[] {
  const points: ChartPoint[] = [];
  const n = ring.t.length;
  for (let i = 0; i < n; i++) {
    const t = ring.t[i]!;
    const next = ring.t[i + 1];
    const previous = ring.t[i - 1];
    const inside = t >= window.fromMs && t <= window.toMs;
    const edge = (next !== undefined && t < window.fromMs && next >= window.fromMs) || (previous !== undefined && t > window.toMs && previous <= window.toMs);
    if (!inside && !edge) continue;
    const v = ring.v[i] ?? null;
    points.push({ x: t, y: v === null ? null : v * scale });
  }
  return points;
}

/**
 * Min/max decimation: the points fall into `buckets` equal time buckets; each keeps its lowest and
 * highest point (in time order), and the first and last points are always kept. Gaps (null) are
 * kept once per bucket so a line still breaks where data is missing.
 */
export function decimateMinMax(points: readonly ChartPoint[], buckets: number): ChartPoint[] {
  if (points.length <= buckets * 2 || points.length < 3) return [...points];
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const span = Math.max(1, last.x - first.x);
  const out: ChartPoint[] = [first];
  let bucket = -1;
  let lo: ChartPoint | null = null;
  let hi: ChartPoint | null = null;
  let gap: ChartPoint | null = null;
  const flush = (): void => {
    const kept = [lo, hi, gap].filter((p): p is ChartPoint => p !== null).sort((a, b) => a.x - b.x);
    for (const p of kept) if (out[out.length - 1] !== p) out.push(p);
    lo = hi = gap = null;
  };
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const b = Math.min(buckets - 1, Math.floor(((p.x - first.x) / span) * buckets));
    if (b !== bucket) {
      flush();
      bucket = b;
    }
    if (p.y === null) {
      gap ??= p;
      continue;
    }
    if (lo === null || p.y < lo.y!) lo = p;
    if (hi === null || p.y > hi.y!) hi = p;
  }
  flush();
  out.push(last);
  return out;
}

/** Lag per partition of `groupId` on `topic`, one series per partition asked for. */
export function lagSeries(lookup: RingLookup, groupId: string, topic: string, partitions: readonly number[], window: TimeWindow, pointsMax: number): ChartSeries[] {
  return partitions.map((partition) => {
    const ring = lookup({ scope: 'group', groupId, topic, partition, metric: 'lag' });
    return { id: `p${partition}`, partition, points: ring === null ? [] : decimateMinMax(windowPoints(ring, window), Math.floor(pointsMax / 2)) };
  });
}

/** Stacks series: each point becomes the sum of itself and the same instant of the series before it. */
export function stack(series: readonly ChartSeries[]): ChartSeries[] {
  const running = new Map<number, number>();
  return series.map((s) => ({
    ...s,
    points: s.points.map((p) => {
      if (p.y === null) return p;
      const total = (running.get(p.x) ?? 0) + p.y;
      running.set(p.x, total);
      return { x: p.x, y: total };
    }),
  }));
}

/** Sums rings instant by instant (instants where every ring is null stay gaps). */
export function sumRings(rings: readonly SeriesRing[], window: TimeWindow): ChartPoint[] {
  const sums = new Map<number, number | null>();
  for (const ring of rings) {
    for (const p of windowPoints(ring, window)) {
      const before = sums.get(p.x);
      sums.set(p.x, p.y === null ? (before ?? null) : (before ?? 0) + p.y);
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
}

/** Produce rate of a topic (all its partitions) against the group's consume rate, records/s. */
export function rateSeries(lookup: RingLookup, groupId: string, topic: string, partitions: readonly number[], window: TimeWindow, pointsMax: number): ChartSeries[] {
  const produced = partitions.map((partition) => lookup({ scope: 'partition', topic, partition, metric: 'produceRate' })).filter((r): r is SeriesRing => r !== null);
  const consumed = partitions.map((partition) => lookup({ scope: 'group', groupId, topic, partition, metric: 'consumeRate' })).filter((r): r is SeriesRing => r !== null);
  const buckets = Math.floor(pointsMax / 2);
  return [
    { id: 'produce', partition: null, points: decimateMinMax(sumRings(produced, window), buckets) },
    { id: 'consume', partition: null, points: decimateMinMax(sumRings(consumed, window), buckets) },
  ];
}

/** Age of the oldest unconsumed record per partition, in seconds. */
export function timeLagSeries(lookup: RingLookup, groupId: string, topic: string, partitions: readonly number[], window: TimeWindow, pointsMax: number): ChartSeries[] {
  return partitions.map((partition) => {
    const ring = lookup({ scope: 'group', groupId, topic, partition, metric: 'timeLagMs' });
    return { id: `p${partition}`, partition, points: ring === null ? [] : decimateMinMax(windowPoints(ring, window, 1 / 1000), Math.floor(pointsMax / 2)) };
  });
}

/** The group's rebalances (timeline spans) that overlap the window; an open one reaches now. */
export function rebalanceWindows(entries: readonly TimelineEntry[], groupId: string, window: TimeWindow, nowMs: number): ShadedWindow[] {
  return entries
    .filter((e) => e.kind === 'rebalance' && e.code === 'rebalance' && e.params.groupId === groupId)
    .map((e) => ({ entryId: e.id, fromMs: e.atMs, toMs: e.endMs ?? nowMs, open: e.endMs === null, text: e.text }))
    .filter((w) => w.toMs >= window.fromMs && w.fromMs <= window.toMs);
}

const MARKER_KINDS: ReadonlySet<string> = new Set<MarkerKind>(['fault', 'election', 'data-loss']);

/** Faults (their start), elections and data loss inside the window, oldest first. */
export function chartMarkers(entries: readonly TimelineEntry[], window: TimeWindow): ChartMarker[] {
  return entries
    .filter((e) => MARKER_KINDS.has(e.kind) && e.atMs >= window.fromMs && e.atMs <= window.toMs)
    .map((e) => ({ entryId: e.id, atMs: e.atMs, kind: e.kind as MarkerKind, severity: e.severity, text: e.text }))
    .sort((a, b) => a.atMs - b.atMs);
}

/** The window ending now (live) or at a frozen instant (paused), `spanMs` long. */
export function windowEndingAt(endMs: number, spanMs: number): TimeWindow {
  return { fromMs: endMs - spanMs, toMs: endMs };
}

/** The latest value of each series (null when it has none), for the chart's text summary. */
export function latestTotal(series: readonly ChartSeries[]): number | null {
  let total: number | null = null;
  for (const s of series) {
    for (let i = s.points.length - 1; i >= 0; i--) {
      const y = s.points[i]!.y;
      if (y !== null) {
        total = (total ?? 0) + y;
        break;
      }
    }
  }
  return total;
}
