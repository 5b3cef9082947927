/**
 * A fixed-capacity ring of samples (tMs, value | null) on typed arrays: one Float64Array of
 * instants, one of values and a byte mask saying which values are null (no committed offset yet, a
 * partition without a leader). Appending overwrites the oldest sample once the ring is full, so a
 * series costs the same memory after an hour as after ten minutes.
 *
 * Invariants:
 * - at most `capacity` samples, fixed at construction; the arrays never grow;
 * - samples are kept in the order appended, and instants never go backwards (engine time);
 * - append is O(1); reading sample i (0 = oldest) is O(1); iteration goes oldest → newest.
 */
import { assert } from '../core/assert.js';
import { metricsLimits } from './metrics-limits.js';

export interface RingSample {
  readonly tMs: number;
  readonly value: number | null;
}

export class TimeSeriesRing {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** 1 where the value is null. */
  private readonly nulls: Uint8Array;
  /** Index of the oldest sample. */
  private head = 0;
  private count = 0;

  constructor(capacity: number = metricsLimits.ringCapacity) {
    assert(Number.isInteger(capacity) && capacity >= 1, `ring capacity ${capacity} must be a positive integer`);
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.nulls = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a sample, overwriting the oldest when full. */
  append(tMs: number, value: number | null): void {
    assert(Number.isFinite(tMs), `sample instant ${tMs} must be finite`);
    assert(value === null || Number.isFinite(value), `sample value ${value} must be finite or null`);
    const newest = this.newestTimeMs();
    assert(newest === null || tMs >= newest, `sample at ${tMs} is before the newest one at ${newest}: engine time never goes backwards`);
    const slot = (this.head + this.count) % this.capacity;
    this.times[slot] = tMs;
    this.values[slot] = value ?? 0;
    this.nulls[slot] = value === null ? 1 : 0;
    if (this.count < this.capacity) this.count += 1;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Instant of sample `i`, 0 being the oldest. */
  timeAt(i: number): number {
    return this.times[this.slot(i)]!;
  }

  /** Value of sample `i`, 0 being the oldest. */
  valueAt(i: number): number | null {
    const slot = this.slot(i);
    return this.nulls[slot] === 1 ? null : this.values[slot]!;
  }

  newestTimeMs(): number | null {
    return this.count === 0 ? null : this.timeAt(this.count - 1);
  }

  newestValue(): number | null {
    return this.count === 0 ? null : this.valueAt(this.count - 1);
  }

  /** The newest `n` samples (fewer if the ring holds fewer), oldest first. */
  last(n: number): RingSample[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const out: RingSample[] = [];
    for (let i = this.count - take; i < this.count; i++) out.push({ tMs: this.timeAt(i), value: this.valueAt(i) });
    return out;
  }

  *[Symbol.iterator](): IterableIterator<RingSample> {
    for (let i = 0; i < this.count; i++) yield { tMs: this.timeAt(i), value: this.valueAt(i) };
  }

  /** Every sample as two parallel arrays, oldest first (the contract's Series shape). */
  toColumns(): { t: number[]; v: (number | null)[] } {
    const t: number[] = new Array<number>(this.count);
    const v: (number | null)[] = new Array<number | null>(this.count);
    for (let i = 0; i < this.count; i++) {
      t[i] = this.timeAt(i);
      v[i] = this.valueAt(i);
    }
    return { t, v };
  }

  private slot(i: number): number {
    assert(Number.isInteger(i) && i >= 0 && i < this.count, `sample ${i} is outside the ring's ${this.count} samples`);
    return (this.head + i) % this.capacity;
  }
}
