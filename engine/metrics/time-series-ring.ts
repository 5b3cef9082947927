/**
 * A bounded ring of samples (tMs, value | null) on typed arrays: one Float64Array of instants, one
 * of values and a byte mask saying which values are null (no committed offset yet, a partition
 * without a leader). The arrays start small and double as samples arrive, up to `capacity`; from
 * then on appending overwrites the oldest sample, so a series costs what its age needs and never
 * more than `capacity` samples (17 bytes each).
 *
 * Invariants:
 * - at most `capacity` samples, fixed at construction; the arrays grow only while not full, never
 *   past `capacity`, and never shrink;
 * - samples are kept in the order appended, and instants never go backwards (engine time);
 * - append is O(1); reading sample i (0 = oldest) is O(1); iteration goes oldest → newest.
 */
import { assertFailed } from '../core/assert.js';
import { metricsLimits } from './metrics-limits.js';

export interface RingSample {
  readonly tMs: number;
  readonly value: number | null;
}

/** Samples allocated for a new ring: a minute at the default interval. */
const INITIAL_SLOTS = 64;

export class TimeSeriesRing {
  readonly capacity: number;
  private times: Float64Array;
  private values: Float64Array;
  /** 1 where the value is null. */
  private nulls: Uint8Array;
  /** Index of the oldest sample. */
  private head = 0;
  private count = 0;

  constructor(capacity: number = metricsLimits.ringCapacity) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) assertFailed(`ring capacity ${capacity} must be a positive integer`);
    this.capacity = capacity;
    const slots = Math.min(capacity, INITIAL_SLOTS);
    this.times = new Float64Array(slots);
    this.values = new Float64Array(slots);
    this.nulls = new Uint8Array(slots);
  }

  /** Samples the arrays hold room for now (grows to `capacity`). */
  get allocated(): number {
    return this.times.length;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a sample, overwriting the oldest when full. */
  append(tMs: number, value: number | null): void {
    if (!Number.isFinite(tMs)) assertFailed(`sample instant ${tMs} must be finite`);
    if (!(value === null || Number.isFinite(value))) assertFailed(`sample value ${value} must be finite or null`);
    const newest = this.newestTimeMs();
    if (!(newest === null || tMs >= newest)) assertFailed(`sample at ${tMs} is before the newest one at ${newest}: engine time never goes backwards`);
    if (this.count === this.times.length && this.count < this.capacity) this.grow();
    const slots = this.times.length;
    const slot = (this.head + this.count) % slots;
    this.times[slot] = tMs;
    this.values[slot] = value ?? 0;
    this.nulls[slot] = value === null ? 1 : 0;
    if (this.count < slots) this.count += 1;
    else this.head = (this.head + 1) % slots;
  }

  /** Doubles the arrays (up to capacity), oldest sample first. */
  private grow(): void {
    const slots = Math.min(this.capacity, this.times.length * 2);
    const times = new Float64Array(slots);
    const values = new Float64Array(slots);
    const nulls = new Uint8Array(slots);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.times.length;
      times[i] = this.times[from]!;
      values[i] = this.values[from]!;
      nulls[i] = this.nulls[from]!;
    }
    this.times = times;
    this.values = values;
    this.nulls = nulls;
    this.head = 0;
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
    if (!(Number.isInteger(i) && i >= 0 && i < this.count)) assertFailed(`sample ${i} is outside the ring's ${this.count} samples`);
    return (this.head + i) % this.times.length;
  }
}
