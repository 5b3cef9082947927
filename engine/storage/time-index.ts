/**
 * The sparse time index of one segment (Kafka's TimeIndex, `<baseOffset>.timeindex`): maps a
 * timestamp to an offset, so ListOffsets by timestamp reads only around its answer.
 *
 * Byte format: a sequence of 12-byte entries, big-endian:
 *   int64 timestamp        the largest timestamp seen in the segment up to that entry
 *   int32 relativeOffset   the last offset of the batch that carried that timestamp, minus baseOffset
 *
 * An entry (t, o) means: every record at an offset <= o has a timestamp <= t. Entries are added
 * together with offset index entries, only when the segment's max timestamp grew, and once more
 * when the segment stops being active (LogSegment.onBecomeInactiveSegment).
 *
 * Invariants: timestamps and relative offsets strictly increase; the first `persistedEntries`
 * entries are in the file (written lazily, like the offset index).
 */
import { assertFailed } from '../core/assert.js';
import { getInt32, getInt64, putInt32, putInt64 } from './byte-reader.js';
import type { DiskFile } from './disk/disk.js';
import { isKafkaError } from '../core/kafka-errors.js';

export const TIME_INDEX_ENTRY_BYTES = 12;

export interface TimestampOffset {
  readonly timestampMs: number;
  readonly offset: number;
}

export class TimeIndex {
  private timestamps: Float64Array;
  private relativeOffsets: Int32Array;
  private count = 0;
  private persistedEntries = 0;

  constructor(
    readonly baseOffset: number,
    readonly maxEntries: number,
  ) {
    if (!(maxEntries >= 1)) assertFailed(`time index needs room for an entry (max ${maxEntries})`);
    this.timestamps = new Float64Array(16);
    this.relativeOffsets = new Int32Array(16);
  }

  /** Parses a time index file; null (rebuild) when it fails the sanity check. */
  static parse(baseOffset: number, maxEntries: number, bytes: Uint8Array): TimeIndex | null {
    if (bytes.length % TIME_INDEX_ENTRY_BYTES !== 0) return null;
    const entries = bytes.length / TIME_INDEX_ENTRY_BYTES;
    if (entries > maxEntries) return null;
    const index = new TimeIndex(baseOffset, maxEntries);
    for (let i = 0; i < entries; i++) {
      let timestampMs: number;
      try {
        timestampMs = getInt64(bytes, i * 12, 'time index timestamp');
      } catch (error) {
        if (isKafkaError(error)) return null;
        throw error;
      }
      const relative = getInt32(bytes, i * 12 + 8);
      if (relative < 0) return null;
      if (i > 0 && (timestampMs <= index.timestamps[i - 1]! || relative < index.relativeOffsets[i - 1]!)) return null;
      index.push(timestampMs, relative);
    }
    index.persistedEntries = entries;
    return index;
  }

  entries(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  lastEntry(): TimestampOffset | null {
    return this.count === 0 ? null : this.entryAt(this.count - 1);
  }

  entryAt(i: number): TimestampOffset {
    if (!(i >= 0 && i < this.count)) assertFailed(`time index entry ${i} outside 0..${this.count}`);
    return { timestampMs: this.timestamps[i]!, offset: this.baseOffset + this.relativeOffsets[i]! };
  }

  /**
   * Appends (timestamp, offset) when the timestamp is larger than the last entry's (TimeIndex.maybeAppend).
   * `skipFullCheck` lets the final entry of a rolled segment in even when the index is full, as Kafka does.
   */
  maybeAppend(timestampMs: number, offset: number, skipFullCheck = false): void {
    if (timestampMs < 0) return;
    const last = this.lastEntry();
    if (last !== null && timestampMs <= last.timestampMs) return;
    if (!(skipFullCheck || !this.isFull())) assertFailed(`time index of segment ${this.baseOffset} is full`);
    const relative = offset - this.baseOffset;
    if (!(relative >= 0 && relative <= 0x7fff_ffff)) assertFailed(`offset ${offset} not relative to base ${this.baseOffset}`);
    if (!(last === null || offset >= last.offset)) assertFailed(`time index offset ${offset} below ${last?.offset}`);
    this.push(timestampMs, relative);
  }

  /**
   * The last entry whose timestamp is strictly below `timestampMs`, or null. Every record up to its
   * offset is older than the target, so a search from there is exact; Kafka's TimeIndex.lookup takes
   * the last entry <= the target, which can start past an earlier record carrying exactly it.
   */
  lastEntryBefore(timestampMs: number): TimestampOffset | null {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid]! < timestampMs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? null : this.entryAt(found);
  }

  /** Removes every entry whose offset is >= `offset` (TimeIndex.truncateTo). */
  truncateTo(offset: number): void {
    let keep = this.count;
    while (keep > 0 && this.baseOffset + this.relativeOffsets[keep - 1]! >= offset) keep--;
    this.count = keep;
    this.persistedEntries = Math.min(this.persistedEntries, keep);
  }

  persist(file: DiskFile): void {
    const fileEntries = Math.floor(file.size() / TIME_INDEX_ENTRY_BYTES);
    const persisted = Math.min(this.persistedEntries, fileEntries);
    if (file.size() !== persisted * TIME_INDEX_ENTRY_BYTES) file.truncate(persisted * TIME_INDEX_ENTRY_BYTES);
    if (persisted < this.count) file.append(this.toBytes(persisted));
    this.persistedEntries = this.count;
  }

  toBytes(from = 0): Uint8Array {
    const bytes = new Uint8Array((this.count - from) * TIME_INDEX_ENTRY_BYTES);
    for (let i = from; i < this.count; i++) {
      putInt64(bytes, (i - from) * 12, this.timestamps[i]!);
      putInt32(bytes, (i - from) * 12 + 8, this.relativeOffsets[i]!);
    }
    return bytes;
  }

  private push(timestampMs: number, relative: number): void {
    if (this.count === this.timestamps.length) {
      const capacity = this.count * 2;
      const timestamps = new Float64Array(capacity);
      timestamps.set(this.timestamps);
      const offsets = new Int32Array(capacity);
      offsets.set(this.relativeOffsets);
      this.timestamps = timestamps;
      this.relativeOffsets = offsets;
    }
    this.timestamps[this.count] = timestampMs;
    this.relativeOffsets[this.count] = relative;
    this.count++;
  }
}
