/**
 * The sparse offset index of one segment (Kafka's OffsetIndex, `<baseOffset>.index`): maps an
 * offset to the byte position in the segment's log file of the batch that holds it, so a read
 * starts at most index.interval.bytes before its target.
 *
 * Byte format: a sequence of 8-byte entries, big-endian:
 *   int32 relativeOffset   the last offset of an indexed batch minus the segment's baseOffset
 *   int32 position         byte position of that batch in the .log file
 * Kafka preallocates the file to segment.index.bytes and trims it on roll; here the file always
 * holds exactly its entries, which is what Kafka's file looks like after a roll or a clean close.
 *
 * Invariants: relative offsets and positions strictly increase; `entries <= maxEntries`; the first
 * `persistedEntries` entries are in the file (entries are written lazily, on flush, roll and close,
 * as Kafka's mmap is written back lazily; recovery rebuilds whatever is missing).
 */
import { assertFailed } from '../core/assert.js';
import { getInt32, putInt32 } from './byte-reader.js';
import type { DiskFile } from './disk/disk.js';

export const OFFSET_INDEX_ENTRY_BYTES = 8;

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

export class OffsetIndex {
  private relativeOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  private persistedEntries = 0;

  constructor(
    readonly baseOffset: number,
    readonly maxEntries: number,
  ) {
    if (!(maxEntries >= 1)) assertFailed(`offset index needs room for an entry (max ${maxEntries})`);
    this.relativeOffsets = new Int32Array(16);
    this.positions = new Int32Array(16);
  }

  /**
   * Parses an index file's bytes. Returns null (the caller rebuilds) when the file fails Kafka's
   * sanity check: a size not a multiple of 8, or entries that do not strictly increase.
   */
  static parse(baseOffset: number, maxEntries: number, bytes: Uint8Array): OffsetIndex | null {
    if (bytes.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return null;
    const entries = bytes.length / OFFSET_INDEX_ENTRY_BYTES;
    if (entries > maxEntries) return null;
    const index = new OffsetIndex(baseOffset, maxEntries);
    for (let i = 0; i < entries; i++) {
      const relative = getInt32(bytes, i * 8);
      const position = getInt32(bytes, i * 8 + 4);
      if (relative < 0 || position < 0) return null;
      if (i > 0 && (relative <= index.relativeOffsets[i - 1]! || position <= index.positions[i - 1]!)) return null;
      index.push(relative, position);
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

  /** The last indexed offset, or the base offset when empty (OffsetIndex.lastOffset). */
  lastOffset(): number {
    return this.count === 0 ? this.baseOffset : this.baseOffset + this.relativeOffsets[this.count - 1]!;
  }

  /** Position of the last entry, 0 when empty: where the index interval is counted from. */
  lastPosition(): number {
    return this.count === 0 ? 0 : this.positions[this.count - 1]!;
  }

  entryAt(i: number): OffsetPosition {
    if (!(i >= 0 && i < this.count)) assertFailed(`offset index entry ${i} outside 0..${this.count}`);
    return { offset: this.baseOffset + this.relativeOffsets[i]!, position: this.positions[i]! };
  }

  /** The entry with the largest offset <= target, or (baseOffset, 0) if there is none. */
  lookup(targetOffset: number): OffsetPosition {
    const slot = this.largestSlotAtMost(targetOffset - this.baseOffset);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(slot);
  }

  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    if (this.isFull()) assertFailed(`offset index of segment ${this.baseOffset} is full (${this.maxEntries} entries)`);
    if (!(relative >= 0 && relative <= 0x7fff_ffff)) assertFailed(`offset ${offset} not relative to base ${this.baseOffset}`);
    if (!(this.count === 0 || relative > this.relativeOffsets[this.count - 1]!)) assertFailed(`offset index entry ${offset} must exceed ${this.lastOffset()}`);
    if (!(this.count === 0 || position > this.positions[this.count - 1]!)) assertFailed(`offset index position ${position} must exceed ${this.lastPosition()}`);
    this.push(relative, position);
  }

  /** Removes every entry whose offset is >= `offset` (OffsetIndex.truncateTo). */
  truncateTo(offset: number): void {
    const keep = this.largestSlotAtMost(offset - this.baseOffset - 1) + 1;
    this.count = keep;
    this.persistedEntries = Math.min(this.persistedEntries, keep);
  }

  /** Removes every entry whose position is >= `position` (used when the log is cut at a byte position). */
  truncateToPosition(position: number): void {
    let keep = this.count;
    while (keep > 0 && this.positions[keep - 1]! >= position) keep--;
    this.count = keep;
    this.persistedEntries = Math.min(this.persistedEntries, keep);
  }

  /** Writes the entries not yet in `file` and trims entries the file has beyond `entries()`. */
  persist(file: DiskFile): void {
    const fileEntries = Math.floor(file.size() / OFFSET_INDEX_ENTRY_BYTES);
    const persisted = Math.min(this.persistedEntries, fileEntries);
    if (file.size() !== persisted * OFFSET_INDEX_ENTRY_BYTES) file.truncate(persisted * OFFSET_INDEX_ENTRY_BYTES);
    if (persisted < this.count) file.append(this.toBytes(persisted));
    this.persistedEntries = this.count;
  }

  /** The index file's bytes from entry `from` on. */
  toBytes(from = 0): Uint8Array {
    const bytes = new Uint8Array((this.count - from) * OFFSET_INDEX_ENTRY_BYTES);
    for (let i = from; i < this.count; i++) {
      putInt32(bytes, (i - from) * 8, this.relativeOffsets[i]!);
      putInt32(bytes, (i - from) * 8 + 4, this.positions[i]!);
    }
    return bytes;
  }

  /** Binary search: the last slot whose relative offset is <= `relative`, or -1. */
  private largestSlotAtMost(relative: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relativeOffsets[mid]! <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private push(relative: number, position: number): void {
    if (this.count === this.relativeOffsets.length) {
      const capacity = this.count * 2;
      const offsets = new Int32Array(capacity);
      offsets.set(this.relativeOffsets);
      const positions = new Int32Array(capacity);
      positions.set(this.positions);
      this.relativeOffsets = offsets;
      this.positions = positions;
    }
    this.relativeOffsets[this.count] = relative;
    this.positions[this.count] = position;
    this.count++;
  }
}
