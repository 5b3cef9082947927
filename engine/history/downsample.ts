/**
 * Downsampling of a metric series for the history (and the report made from it): at most
 * `maxPoints` points, each standing for a bucket of consecutive samples. Pure: no clock, no state.
 *
 * Buckets: with n input points and k = ceil(n / maxPoints), bucket b holds the points
 * [b·k, min(n, (b+1)·k)), so there are ceil(n / k) <= maxPoints buckets, all of k points but the
 * last. A bucket's instant is its last sample's (the newest point of a series is kept exactly, and
 * instants stay strictly increasing); its value, by `mode`:
 * - `last`: the value at that instant (null if it was null): for counters and levels such as
 *   log end offsets and committed offsets, whose last value is exact;
 * - `average`: the mean of the bucket's non-null values: for rates;
 * - `max` / `min`: the largest / smallest non-null value: for lag (a spike of lag is the story)
 *   and for the ISR size (a dip is the story).
 * A bucket whose values are all null is null in every mode. With n <= maxPoints the points are
 * returned as they are (copied).
 */
import type { SeriesKey } from '../api/metrics-dto.js';
import { assertFailed } from '../core/assert.js';

export type DownsampleMode = 'last' | 'average' | 'max' | 'min';

export interface SeriesPoints {
  /** Sample instants (engine ms), strictly increasing. */
  readonly t: readonly number[];
  /** One value per instant, or null where the series had none. */
  readonly v: readonly (number | null)[];
}

export function downsample(points: SeriesPoints, maxPoints: number, mode: DownsampleMode): { t: number[]; v: (number | null)[] } {
  const n = points.t.length;
  if (!(points.v.length === n)) assertFailed(`a series has one value per instant (${n} instants, ${points.v.length} values)`);
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1)) assertFailed(`downsampling keeps a positive whole number of points, not ${maxPoints}`);
  if (n <= maxPoints) return { t: [...points.t], v: [...points.v] };
  const k = Math.ceil(n / maxPoints);
  const t: number[] = [];
  const v: (number | null)[] = [];
  // Bounded: ceil(n / k) <= maxPoints buckets of at most k points each, n points in all.
  for (let start = 0; start < n; start += k) {
    const end = Math.min(n, start + k);
    t.push(points.t[end - 1]!);
    v.push(bucketValue(points.v, start, end, mode));
  }
  if (!(t.length <= maxPoints)) assertFailed(`downsampled to ${t.length} points, more than ${maxPoints}`);
  return { t, v };
}

function bucketValue(values: readonly (number | null)[], start: number, end: number, mode: DownsampleMode): number | null {
  if (mode === 'last') return values[end - 1] ?? null;
  let count = 0;
  let sum = 0;
  let best = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    if (count === 0) best = value;
    else if (mode === 'max') best = Math.max(best, value);
    else if (mode === 'min') best = Math.min(best, value);
    sum += value;
    count++;
  }
  if (count === 0) return null;
  return mode === 'average' ? sum / count : best;
}

/** How a series is downsampled, by what it measures (see the modes above). */
export function downsampleModeOf(key: SeriesKey): DownsampleMode {
  switch (key.metric) {
    case 'logEndOffset':
    case 'highWatermark':
    case 'committedOffset':
      return 'last';
    case 'isrSize':
      return 'min';
    case 'lag':
    case 'timeLagMs':
    case 'etaMs':
    case 'latencyAvgMs':
      return 'max';
    case 'produceRate':
    case 'consumeRate':
    case 'sendRate':
    case 'processedRate':
      return 'average';
  }
}
