/**
 * One segment of a partition log (Kafka's LogSegment): the record batches with offsets from
 * `baseOffset` up to the next segment's base offset, in three files named after the base offset
 * padded to 20 digits:
 *
 *   <baseOffset>.log        record batches v2, back to back, exactly as produced and fetched
 *   <baseOffset>.index      sparse offset index (see offset-index.ts)
 *   <baseOffset>.timeindex  sparse time index (see time-index.ts)
 *
 * Index rule (the same at append and at rebuild, so a rebuilt index equals the original): a batch
 * starting at `position` gets an offset index entry (lastOffset, position) and a time index entry
 * (maxTimestampSoFar, offsetOfMaxTimestampSoFar) when `position - lastIndexedPosition >
 * indexIntervalBytes`, where lastIndexedPosition is the last entry's position or 0. A segment that
 * stops being active gets one more time index entry for its max timestamp.
 *
 * Invariants: batches are whole and their offsets strictly increase; every offset in the segment
 * is in [baseOffset, baseOffset + 2^31 - 1] (relative offsets are int32); `nextOffset` is one past
 * the last batch's last offset (baseOffset when empty); `maxTimestampSoFar` is the largest batch
 * maxTimestamp in the segment (-1 when none) and `offsetOfMaxTimestampSoFar` the last offset of
 * the first batch that carried it.
 */
import { assert, assertFailed } from '../core/assert.js';
import { KafkaError, isKafkaError } from '../core/kafka-errors.js';
import type { Disk, DiskFile } from './disk/disk.js';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex } from './offset-index.js';
import {
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordFields,
  forEachRecord,
  parseBatchHeaderFields,
  readBatchHeader,
  recordTimestamp,
  verifyBatchCrc,
  type BatchHeader,
} from './record-batch.js';
import { getInt32 } from './byte-reader.js';
import { SegmentReader } from './segment-reader.js';
import { storageLimits } from './storage-limits.js';
import { TIME_INDEX_ENTRY_BYTES, TimeIndex } from './time-index.js';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';

/** `%020d`: Kafka's file name for a base offset. */
export function offsetFileName(baseOffset: number): string {
  if (!(Number.isSafeInteger(baseOffset) && baseOffset >= 0)) assertFailed(`base offset ${baseOffset}`);
  return String(baseOffset).padStart(20, '0');
}

/** Parses a `%020d` file name stem; null when it is not one. */
export function parseOffsetFileName(stem: string): number | null {
  if (!/^\d{20}$/.test(stem)) return null;
  const value = Number(stem);
  return Number.isSafeInteger(value) ? value : null;
}

export interface SegmentParams {
  readonly indexIntervalBytes: number;
  /** segment.index.bytes: caps both indexes' entries. */
  readonly segmentIndexBytes: number;
}

/** Where a batch lies in the segment. */
export interface BatchPosition {
  readonly position: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly sizeInBytes: number;
  readonly maxTimestampMs: number;
}

export interface SegmentRead {
  readonly bytes: Uint8Array;
  readonly firstBatchBaseOffset: number;
  readonly lastOffset: number;
}

export interface SegmentRecovery {
  readonly validBytes: number;
  readonly truncatedBytes: number;
  readonly batchesScanned: number;
  /** Why the scan stopped before the end of the file, or null when every byte was valid. */
  readonly reason: string | null;
  /**
   * One past the largest offset named by the batch headers that still parse after the cut (not
   * CRC-checked, so a lower bound of what was lost); null when nothing was cut.
   */
  readonly truncatedUpToOffset: number | null;
}

export interface IndexSnapshot {
  readonly offsetIndex: Uint8Array;
  readonly timeIndex: Uint8Array;
}

/** Kafka sizes index entries from segment.index.bytes (entries = bytes / entry size). */
function maxEntries(segmentIndexBytes: number, entryBytes: number): number {
  return Math.max(1, Math.floor(segmentIndexBytes / entryBytes));
}

export class LogSegment {
  private logFile: DiskFile | null;
  private offsetIndexValue: OffsetIndex;
  private timeIndexValue: TimeIndex;
  private nextOffsetValue: number;
  private maxTimestampSoFarValue = -1;
  private offsetOfMaxTimestampSoFarValue: number;
  private rollingBasedTimestampMs: number | null = null;
  private sizeBytes: number;

  private constructor(
    private readonly disk: Disk,
    readonly dir: string,
    readonly baseOffset: number,
    private readonly params: SegmentParams,
    logFile: DiskFile,
    /** When the segment was created, for segment.ms on a segment whose batches carry no timestamp. */
    readonly createdMs: number,
  ) {
    this.logFile = logFile;
    this.sizeBytes = logFile.size();
    this.offsetIndexValue = new OffsetIndex(baseOffset, maxEntries(params.segmentIndexBytes, OFFSET_INDEX_ENTRY_BYTES));
    this.timeIndexValue = new TimeIndex(baseOffset, maxEntries(params.segmentIndexBytes, TIME_INDEX_ENTRY_BYTES));
    this.nextOffsetValue = baseOffset;
    this.offsetOfMaxTimestampSoFarValue = baseOffset;
  }

  // ---- files ------------------------------------------------------------------------------------

  static logPath(dir: string, baseOffset: number, suffix = ''): string {
    return `${dir}/${offsetFileName(baseOffset)}${LOG_FILE_SUFFIX}${suffix}`;
  }

  static indexPath(dir: string, baseOffset: number, suffix = ''): string {
    return `${dir}/${offsetFileName(baseOffset)}${INDEX_FILE_SUFFIX}${suffix}`;
  }

  static timeIndexPath(dir: string, baseOffset: number, suffix = ''): string {
    return `${dir}/${offsetFileName(baseOffset)}${TIME_INDEX_FILE_SUFFIX}${suffix}`;
  }

  /** A new, empty segment; its files are created (an existing log file of that name is emptied). */
  static create(disk: Disk, dir: string, baseOffset: number, params: SegmentParams, nowMs: number): LogSegment {
    const file = disk.openFile(LogSegment.logPath(dir, baseOffset));
    file.truncate(0);
    const segment = new LogSegment(disk, dir, baseOffset, params, file, nowMs);
    for (const path of [LogSegment.indexPath(dir, baseOffset), LogSegment.timeIndexPath(dir, baseOffset)]) {
      const index = disk.openFile(path);
      index.truncate(0);
      index.close();
    }
    return segment;
  }

  /**
   * Opens an existing segment and loads its indexes when they pass the sanity check and agree with
   * the log file. Otherwise returns why not in `rebuildReason`; the caller then runs `recover`.
   */
  static open(disk: Disk, dir: string, baseOffset: number, params: SegmentParams, nowMs: number): { segment: LogSegment; rebuildReason: string | null } {
    const segment = new LogSegment(disk, dir, baseOffset, params, disk.openFile(LogSegment.logPath(dir, baseOffset)), nowMs);
    const problem = segment.loadIndexes();
    if (problem === null) {
      try {
        segment.loadTailState();
        return { segment, rebuildReason: null };
      } catch (error) {
        if (!isKafkaError(error)) throw error;
        return { segment, rebuildReason: `tail of the segment is unreadable (${error.message})` };
      }
    }
    return { segment, rebuildReason: problem };
  }

  // ---- state ------------------------------------------------------------------------------------

  size(): number {
    return this.sizeBytes;
  }

  nextOffset(): number {
    return this.nextOffsetValue;
  }

  maxTimestampSoFar(): number {
    return this.maxTimestampSoFarValue;
  }

  offsetOfMaxTimestampSoFar(): number {
    return this.offsetOfMaxTimestampSoFarValue;
  }

  /** Kafka's LogSegment.largestTimestamp: the max timestamp, or the creation time when there is none. */
  largestTimestampMs(): number {
    return this.maxTimestampSoFarValue >= 0 ? this.maxTimestampSoFarValue : this.createdMs;
  }

  offsetIndex(): OffsetIndex {
    return this.offsetIndexValue;
  }

  timeIndex(): TimeIndex {
    return this.timeIndexValue;
  }

  /**
   * Whether this (active) segment must roll before taking a batch of `batchBytes` ending at
   * `lastOffset` with max timestamp `maxTimestampMs` (LogSegment.shouldRoll; segment.jitter.ms 0).
   */
  shouldRoll(segmentBytes: number, segmentMs: number, batchBytes: number, lastOffset: number, maxTimestampMs: number, nowMs: number): boolean {
    if (this.sizeBytes === 0) return false;
    const waitedMs = this.rollingBasedTimestampMs === null || this.rollingBasedTimestampMs < 0 ? nowMs - this.createdMs : maxTimestampMs - this.rollingBasedTimestampMs;
    return (
      this.sizeBytes > segmentBytes - batchBytes ||
      waitedMs > segmentMs ||
      this.offsetIndexValue.isFull() ||
      this.timeIndexValue.isFull() ||
      lastOffset - this.baseOffset > 0x7fff_ffff
    );
  }

  // ---- append -----------------------------------------------------------------------------------

  /** Appends one validated batch (bytes[start, end)) and indexes it by the index rule. */
  append(bytes: Uint8Array, start: number, end: number, header: BatchHeader, maxTimestampMs: number): void {
    const position = this.sizeBytes;
    if (!(header.baseOffset >= this.nextOffsetValue)) assertFailed(`batch offset ${header.baseOffset} below segment next offset ${this.nextOffsetValue}`);
    if (!(header.lastOffset - this.baseOffset <= 0x7fff_ffff)) assertFailed(`offset ${header.lastOffset} does not fit segment ${this.baseOffset}`);
    if (!(end - start === header.sizeInBytes)) assertFailed(`batch bytes ${end - start} != size ${header.sizeInBytes}`);
    try {
      this.file().append(bytes, start, end);
    } finally {
      this.sizeBytes = this.file().size();
    }
    this.indexBatch(position, header.lastOffset, maxTimestampMs);
    this.nextOffsetValue = header.lastOffset + 1;
  }

  /**
   * Appends consecutive validated batches (bytes[start, end), described by `headers` in order) with
   * one write, as Kafka's LogSegment.append writes a whole MemoryRecords, then indexes each batch
   * (by its own max timestamp: a follower keeps the leader's timestamps).
   */
  appendBatches(bytes: Uint8Array, start: number, end: number, headers: readonly BatchHeader[]): void {
    const position = this.sizeBytes;
    const first = headers[0];
    const last = headers[headers.length - 1];
    assert(first !== undefined && last !== undefined, 'appendBatches needs at least one batch');
    if (!(first.baseOffset >= this.nextOffsetValue)) assertFailed(`batch offset ${first.baseOffset} below segment next offset ${this.nextOffsetValue}`);
    if (!(last.lastOffset - this.baseOffset <= 0x7fff_ffff)) assertFailed(`offset ${last.lastOffset} does not fit segment ${this.baseOffset}`);
    try {
      this.file().append(bytes, start, end);
    } finally {
      this.sizeBytes = this.file().size();
    }
    let batchPosition = position;
    for (const header of headers) {
      this.indexBatch(batchPosition, header.lastOffset, header.maxTimestampMs);
      batchPosition += header.sizeInBytes;
    }
    if (!(batchPosition - position === end - start)) assertFailed(`batches of ${batchPosition - position} bytes != ${end - start} bytes written`);
    this.nextOffsetValue = last.lastOffset + 1;
  }

  private indexBatch(position: number, lastOffset: number, maxTimestampMs: number): void {
    if (position === 0) this.rollingBasedTimestampMs = maxTimestampMs;
    if (maxTimestampMs > this.maxTimestampSoFarValue) {
      this.maxTimestampSoFarValue = maxTimestampMs;
      this.offsetOfMaxTimestampSoFarValue = lastOffset;
    }
    if (position - this.offsetIndexValue.lastPosition() > this.params.indexIntervalBytes) {
      this.offsetIndexValue.append(lastOffset, position);
      this.timeIndexValue.maybeAppend(this.maxTimestampSoFarValue, this.offsetOfMaxTimestampSoFarValue);
    }
  }

  /** The segment stops being active: its max timestamp joins the time index (onBecomeInactiveSegment). */
  onBecomeInactive(): void {
    this.timeIndexValue.maybeAppend(this.maxTimestampSoFarValue, this.offsetOfMaxTimestampSoFarValue, true);
    this.persistIndexes();
  }

  // ---- read -------------------------------------------------------------------------------------

  /**
   * The first batch whose last offset is >= `targetOffset`, scanning from `startingPosition`
   * (LogSegment.translateOffset); null when the segment has none.
   */
  translateOffset(targetOffset: number, startingPosition = this.offsetIndexValue.lookup(targetOffset).position, reader = new SegmentReader(this.file(), 64 * 1024)): BatchPosition | null {
    let position = startingPosition;
    for (let i = 0; i < storageLimits.segmentBatchesMax && position < this.sizeBytes; i++) {
      const batch = this.batchAt(reader, position);
      if (batch.lastOffset >= targetOffset) return batch;
      position += batch.sizeInBytes;
    }
    return null;
  }

  /**
   * Whole batches from the one holding `startOffset`, up to `maxBytes` (at least one batch when
   * `minOneBatch`, KIP-74), and only batches whose last offset is below `maxOffsetExclusive`.
   * One chunked read serves the index-guided search and the copy out.
   */
  read(startOffset: number, maxBytes: number, maxOffsetExclusive: number, minOneBatch: boolean): SegmentRead | null {
    const startPosition = this.offsetIndexValue.lookup(startOffset).position;
    const chunkBytes = Math.min(Math.max(64 * 1024, maxBytes + 2 * this.params.indexIntervalBytes + RECORD_BATCH_OVERHEAD), storageLimits.batchBytesMax);
    const reader = new SegmentReader(this.file(), chunkBytes);
    const first = this.translateOffset(startOffset, startPosition, reader);
    if (first === null || first.lastOffset >= maxOffsetExclusive) return null;
    let end = first.position;
    let lastOffset = first.baseOffset - 1;
    for (let i = 0; i < storageLimits.segmentBatchesMax && end < this.sizeBytes; i++) {
      const batch = this.batchAt(reader, end);
      if (batch.lastOffset >= maxOffsetExclusive) break;
      const total = end + batch.sizeInBytes - first.position;
      if (total > maxBytes && !(minOneBatch && end === first.position)) break;
      end += batch.sizeInBytes;
      lastOffset = batch.lastOffset;
    }
    if (end === first.position) return null;
    const length = end - first.position;
    const got = reader.ensure(first.position, length, this.sizeBytes);
    if (got !== length) throw new KafkaError('KAFKA_STORAGE_ERROR', `Short read of ${this.logPathName()}: ${got} of ${length} bytes at ${first.position}`);
    return { bytes: reader.buffer.slice(reader.offset, reader.offset + length), firstBatchBaseOffset: first.baseOffset, lastOffset };
  }

  /** Copies log bytes [position, position + length) out of the file. */
  readBytes(position: number, length: number): Uint8Array {
    if (!(position >= 0 && position + length <= this.sizeBytes)) assertFailed(`read ${position}+${length} beyond segment size ${this.sizeBytes}`);
    const bytes = new Uint8Array(length);
    const n = this.file().read(bytes, 0, length, position);
    if (n !== length) throw new KafkaError('KAFKA_STORAGE_ERROR', `Short read of ${this.file().path}: ${n} of ${length} bytes at ${position}`);
    return bytes;
  }

  /**
   * The first record with timestamp >= `timestampMs` and offset >= `startingOffset`
   * (LogSegment.findOffsetByTimestamp), using the time index to skip what cannot match.
   */
  findOffsetByTimestamp(timestampMs: number, startingOffset: number): { offset: number; timestampMs: number; leaderEpoch: number } | null {
    const entry = this.timeIndexValue.lastEntryBefore(timestampMs);
    const fromOffset = Math.max(startingOffset, entry === null ? this.baseOffset : entry.offset + 1);
    const reader = new SegmentReader(this.file(), 64 * 1024);
    let position = this.offsetIndexValue.lookup(fromOffset).position;
    const fields = new RecordFields();
    for (let i = 0; i < storageLimits.segmentBatchesMax && position < this.sizeBytes; i++) {
      const batch = this.batchAt(reader, position);
      position += batch.sizeInBytes;
      if (batch.lastOffset < fromOffset) continue;
      reader.ensure(batch.position, batch.sizeInBytes, this.sizeBytes);
      const header = readBatchHeader(reader.buffer, reader.offset, reader.offset + batch.sizeInBytes);
      if (header.maxTimestampMs < timestampMs) continue;
      const found = firstRecordAtOrAfter(reader.buffer, reader.offset, header, fields, timestampMs, fromOffset);
      if (found !== null) return { ...found, leaderEpoch: header.partitionLeaderEpoch };
    }
    return null;
  }

  /** Every batch's position, in order (for the compactor and for tests). */
  batches(): BatchPosition[] {
    const reader = new SegmentReader(this.file());
    const out: BatchPosition[] = [];
    let position = 0;
    for (let i = 0; i < storageLimits.segmentBatchesMax && position < this.sizeBytes; i++) {
      const batch = this.batchAt(reader, position);
      out.push(batch);
      position += batch.sizeInBytes;
    }
    return out;
  }

  /** The header of the batch at `position`, read through `reader`; CORRUPT_MESSAGE if there is no whole batch. */
  private batchAt(reader: SegmentReader, position: number): BatchPosition {
    const got = reader.ensure(position, RECORD_BATCH_OVERHEAD, this.sizeBytes);
    const size = got < LOG_OVERHEAD ? -1 : LOG_OVERHEAD + getInt32(reader.buffer, reader.offset + BATCH_LENGTH_OFFSET);
    if (got < RECORD_BATCH_OVERHEAD || size < RECORD_BATCH_OVERHEAD || position + size > this.sizeBytes) {
      throw new KafkaError('CORRUPT_MESSAGE', `Invalid batch of size ${size} at position ${position} of ${this.logPathName()} (${this.sizeBytes} bytes)`);
    }
    const header = parseBatchHeaderFields(reader.buffer, reader.offset, size);
    return { position, baseOffset: header.baseOffset, lastOffset: header.lastOffset, sizeInBytes: size, maxTimestampMs: header.maxTimestampMs };
  }

  private logPathName(): string {
    return LogSegment.logPath(this.dir, this.baseOffset);
  }

  // ---- recovery and indexes ---------------------------------------------------------------------

  /**
   * Re-scans the whole log file (LogSegment.recover): each batch must be whole, pass its CRC, carry
   * offsets above the previous batch's and within this segment. Rebuilds both indexes from the
   * valid batches and truncates the file at the first invalid one.
   *
   * `contiguousOffsets` (a log that is not compacted, so it has no offset gaps) also requires each
   * batch to start exactly where the previous one ended. Kafka does not check this; without it a
   * flipped bit in a baseOffset field, which the CRC does not cover, would go unnoticed.
   */
  recover(isActive: boolean, contiguousOffsets = false): SegmentRecovery {
    const reader = new SegmentReader(this.file());
    this.resetIndexState();
    let position = 0;
    let batches = 0;
    let reason: string | null = null;
    let expectedOffset = this.baseOffset;
    for (let i = 0; i < storageLimits.segmentBatchesMax && position < this.sizeBytes; i++) {
      const problem = this.validBatchAt(reader, position, expectedOffset, contiguousOffsets);
      if (typeof problem === 'string') {
        reason = problem;
        break;
      }
      this.indexBatch(position, problem.lastOffset, problem.maxTimestampMs);
      expectedOffset = problem.lastOffset + 1;
      this.nextOffsetValue = expectedOffset;
      position += problem.sizeInBytes;
      batches++;
    }
    const truncatedBytes = this.sizeBytes - position;
    const truncatedUpToOffset = truncatedBytes > 0 ? this.lastOffsetAfter(reader, position, this.nextOffsetValue) : null;
    if (truncatedBytes > 0) this.truncateFileTo(position);
    if (!isActive) this.timeIndexValue.maybeAppend(this.maxTimestampSoFarValue, this.offsetOfMaxTimestampSoFarValue, true);
    this.persistIndexes(true);
    return { validBytes: position, truncatedBytes, batchesScanned: batches, reason, truncatedUpToOffset };
  }

  /** Walks the sizes of the batches after a cut, leniently, to estimate the offsets they held. */
  private lastOffsetAfter(reader: SegmentReader, cut: number, nextOffset: number): number {
    let upTo = nextOffset;
    let position = cut;
    for (let i = 0; i < storageLimits.segmentBatchesMax && position + RECORD_BATCH_OVERHEAD <= this.sizeBytes; i++) {
      reader.ensure(position, RECORD_BATCH_OVERHEAD, this.sizeBytes);
      const size = LOG_OVERHEAD + getInt32(reader.buffer, reader.offset + BATCH_LENGTH_OFFSET);
      if (size < RECORD_BATCH_OVERHEAD || position + size > this.sizeBytes) break;
      try {
        const header = parseBatchHeaderFields(reader.buffer, reader.offset, size);
        if (header.baseOffset < upTo || header.lastOffset - this.baseOffset > 0x7fff_ffff) break;
        upTo = header.lastOffset + 1;
      } catch (error) {
        if (isKafkaError(error)) break;
        throw error;
      }
      position += size;
    }
    return upTo;
  }

  /** The header of a valid batch at `position`, or why the batch there is not valid. */
  private validBatchAt(reader: SegmentReader, position: number, expectedOffset: number, contiguousOffsets: boolean): BatchHeader | string {
    const remaining = this.sizeBytes - position;
    let got = reader.ensure(position, Math.min(remaining, LOG_OVERHEAD), this.sizeBytes);
    if (got < LOG_OVERHEAD) return `torn batch header: ${got} bytes at position ${position}`;
    const size = LOG_OVERHEAD + getInt32(reader.buffer, reader.offset + BATCH_LENGTH_OFFSET);
    if (size < RECORD_BATCH_OVERHEAD || size > storageLimits.batchBytesMax) return `invalid batch size ${size} at position ${position}`;
    if (size > remaining) return `torn batch at position ${position}: ${remaining} of ${size} bytes present`;
    got = reader.ensure(position, size, this.sizeBytes);
    if (got < size) return `short read at position ${position}`;
    try {
      const header = readBatchHeader(reader.buffer, reader.offset, reader.offset + size);
      verifyBatchCrc(reader.buffer, reader.offset, header);
      if (header.baseOffset < expectedOffset) return `batch at position ${position} has offset ${header.baseOffset}, below the expected ${expectedOffset}`;
      if (contiguousOffsets && header.baseOffset !== expectedOffset) {
        return `batch at position ${position} has offset ${header.baseOffset} where ${expectedOffset} was expected (offsets of a log that is not compacted are contiguous)`;
      }
      if (header.lastOffset - this.baseOffset > 0x7fff_ffff) return `batch at position ${position} has offset ${header.lastOffset}, outside segment ${this.baseOffset}`;
      return header;
    } catch (error) {
      if (isKafkaError(error)) return `${error.message} at position ${position}`;
      throw error;
    }
  }

  /**
   * Cuts the log at `offset` (LogSegment.truncateTo): drops every batch from the one holding it.
   * The segment becomes the active one, so a final time index entry from its roll is dropped too
   * (an active segment's indexes follow the index rule alone). Returns the bytes removed.
   */
  truncateTo(offset: number): number {
    const batch = offset <= this.baseOffset ? { position: 0 } : this.translateOffset(offset);
    const cut = batch === null ? this.sizeBytes : batch.position;
    const removed = this.sizeBytes - cut;
    if (removed > 0) this.truncateFileTo(cut);
    this.recomputeTailState();
    return removed;
  }

  /** Undoes a failed append: cuts the file back to `sizeBytes` (no index entry was added for it). */
  rollbackAppend(sizeBytes: number): void {
    if (this.file().size() > sizeBytes) this.truncateFileTo(sizeBytes);
  }

  private truncateFileTo(position: number): void {
    this.file().truncate(position);
    this.sizeBytes = this.file().size();
    this.offsetIndexValue.truncateToPosition(position);
    const lastIndexed = this.offsetIndexValue.entries() === 0 ? this.baseOffset - 1 : this.offsetIndexValue.lastOffset();
    this.timeIndexValue.truncateTo(lastIndexed + 1);
  }

  /** After a truncation: rebuild max timestamp and next offset from the index tail and the batches after it. */
  private recomputeTailState(): void {
    const lastIndexed = this.offsetIndexValue.entries() === 0 ? this.baseOffset - 1 : this.offsetIndexValue.lastOffset();
    this.timeIndexValue.truncateTo(lastIndexed + 1);
    this.loadTailState();
  }

  /**
   * Restores nextOffset, maxTimestampSoFar and the rolling timestamp by reading the first batch and
   * the batches after the last offset index entry (LogSegment.readNextOffset and the lazily loaded
   * maxTimestampAndOffsetSoFar). Every batch before that entry has a timestamp <= the last time
   * index entry's, by the index rule, so the result is exact.
   */
  private loadTailState(): void {
    const reader = new SegmentReader(this.file(), 64 * 1024);
    const lastTime = this.timeIndexValue.lastEntry();
    this.maxTimestampSoFarValue = lastTime?.timestampMs ?? -1;
    this.offsetOfMaxTimestampSoFarValue = lastTime?.offset ?? this.baseOffset;
    this.rollingBasedTimestampMs = null;
    this.nextOffsetValue = this.baseOffset;
    if (this.sizeBytes === 0) return;
    this.rollingBasedTimestampMs = this.batchAt(reader, 0).maxTimestampMs;
    let position = this.offsetIndexValue.lastPosition();
    for (let i = 0; i < storageLimits.segmentBatchesMax && position < this.sizeBytes; i++) {
      const header = this.batchAt(reader, position);
      if (header.maxTimestampMs > this.maxTimestampSoFarValue) {
        this.maxTimestampSoFarValue = header.maxTimestampMs;
        this.offsetOfMaxTimestampSoFarValue = header.lastOffset;
      }
      this.nextOffsetValue = header.lastOffset + 1;
      position += header.sizeInBytes;
    }
  }

  private resetIndexState(): void {
    this.offsetIndexValue = new OffsetIndex(this.baseOffset, this.offsetIndexValue.maxEntries);
    this.timeIndexValue = new TimeIndex(this.baseOffset, this.timeIndexValue.maxEntries);
    this.maxTimestampSoFarValue = -1;
    this.offsetOfMaxTimestampSoFarValue = this.baseOffset;
    this.rollingBasedTimestampMs = null;
    this.nextOffsetValue = this.baseOffset;
  }

  /** Loads both index files; returns why they cannot be used, or null. */
  private loadIndexes(): string | null {
    const indexPath = LogSegment.indexPath(this.dir, this.baseOffset);
    const timeIndexPath = LogSegment.timeIndexPath(this.dir, this.baseOffset);
    if (!this.disk.exists(indexPath) || !this.disk.exists(timeIndexPath)) return 'index file missing';
    const offsetIndex = OffsetIndex.parse(this.baseOffset, this.offsetIndexValue.maxEntries, this.disk.readFile(indexPath));
    if (offsetIndex === null) return `corrupt index file ${indexPath}`;
    const timeIndex = TimeIndex.parse(this.baseOffset, this.timeIndexValue.maxEntries, this.disk.readFile(timeIndexPath));
    if (timeIndex === null) return `corrupt time index file ${timeIndexPath}`;
    if (offsetIndex.entries() > 0 && offsetIndex.lastPosition() >= this.sizeBytes) return `index ${indexPath} points past the end of the log`;
    this.offsetIndexValue = offsetIndex;
    this.timeIndexValue = timeIndex;
    return null;
  }

  /** Writes index entries not yet on disk; `sync` makes them durable too. */
  persistIndexes(sync = false): void {
    for (const [path, index] of [
      [LogSegment.indexPath(this.dir, this.baseOffset), this.offsetIndexValue],
      [LogSegment.timeIndexPath(this.dir, this.baseOffset), this.timeIndexValue],
    ] as const) {
      const file = this.disk.openFile(path);
      try {
        index.persist(file);
        if (sync) file.sync();
      } finally {
        file.close();
      }
    }
  }

  /** The indexes as their files' bytes (for tests comparing against a rebuild). */
  indexSnapshot(): IndexSnapshot {
    return { offsetIndex: this.offsetIndexValue.toBytes(), timeIndex: this.timeIndexValue.toBytes() };
  }

  /** fsync the log file and write + fsync the indexes (LogSegment.flush). */
  flush(): void {
    this.file().sync();
    this.persistIndexes(true);
  }

  /** Closes the log file; a later read reopens it (non-active segments need no open handle). */
  closeHandle(): void {
    this.logFile?.close();
    this.logFile = null;
  }

  close(): void {
    this.persistIndexes();
    this.closeHandle();
  }

  /** Removes the segment's files (after closing them). */
  deleteFiles(): void {
    this.closeHandle();
    for (const path of [
      LogSegment.logPath(this.dir, this.baseOffset),
      LogSegment.indexPath(this.dir, this.baseOffset),
      LogSegment.timeIndexPath(this.dir, this.baseOffset),
    ]) {
      this.disk.remove(path);
    }
  }

  private file(): DiskFile {
    if (this.logFile === null) this.logFile = this.disk.openFile(LogSegment.logPath(this.dir, this.baseOffset));
    return this.logFile;
  }
}

/** The first record in the batch with timestamp >= target and offset >= fromOffset. */
function firstRecordAtOrAfter(
  bytes: Uint8Array,
  position: number,
  header: BatchHeader,
  fields: RecordFields,
  timestampMs: number,
  fromOffset: number,
): { offset: number; timestampMs: number } | null {
  let found: { offset: number; timestampMs: number } | null = null;
  forEachRecord(bytes, position, header, fields, (f) => {
    if (found !== null) return;
    const offset = header.baseOffset + f.offsetDelta;
    const recordTs = header.timestampType === 'LogAppendTime' ? header.maxTimestampMs : recordTimestamp(header, f.timestampDelta);
    if (offset >= fromOffset && recordTs >= timestampMs) found = { offset, timestampMs: recordTs };
  });
  return found;
}
