/**
 * Log compaction for cleanup.policy=compact (Kafka's LogCleaner, one pass run inline): keeps, for
 * every key, only the record with the largest offset, and drops tombstones (null values) once their
 * delete horizon has passed (KIP-534).
 *
 * The pass, as Kafka's Cleaner.clean does it:
 *   1. Cleanable range: the non-active segments that lie wholly below the high watermark and whose
 *      newest record is older than min.compaction.lag.ms. The first offset after it is the first
 *      uncleanable offset.
 *   2. Dirty ratio: bytes from the cleaner checkpoint (firstDirtyOffset) to the uncleanable offset,
 *      over all cleanable bytes. Below min.cleanable.dirty.ratio the pass is skipped.
 *   3. Offset map: key -> largest offset, built from the dirty part only (the clean part holds no
 *      duplicates of itself). Bounded by storageLimits.compactionKeysMax; when full, the pass
 *      cleans only up to the end of the segment that filled it.
 *   4. Every cleanable segment is rewritten: a record survives if its key is not in the map or its
 *      offset is the mapped one. A batch keeps its header (base offset, lastOffsetDelta, producer
 *      fields), so offsets never move and gaps appear. A batch that keeps a tombstone and has no
 *      delete horizon gets one: attribute bit 6 and baseTimestamp = now + delete.retention.ms. A
 *      later pass after that time drops the tombstone. Emptied batches are dropped. Rewritten
 *      segments are swapped in crash-safely (PartitionLog.replaceSegmentContents).
 *
 * Simplification against Kafka: segments are cleaned one to one (Kafka also merges small
 * neighbours into one file), and control batches are kept as they are.
 */
import { storageLimits } from './storage-limits.js';
import type { LogSegment } from './log-segment.js';
import type { PartitionLog } from './partition-log.js';
import {
  RecordFields,
  encodeRecordBatch,
  ensureValidBatch,
  forEachRecord,
  recordTimestamp,
  type RecordHeader,
  type RecordInput,
} from './record-batch.js';
import { ByteReader } from './byte-reader.js';

export interface CompactionResult {
  /** Whether any segment was rewritten. */
  readonly cleaned: boolean;
  /** Why the pass did nothing, or null. */
  readonly skippedReason: string | null;
  /** The new cleaner checkpoint: everything below it is clean. */
  readonly firstDirtyOffset: number;
  readonly dirtyRatio: number;
  readonly segmentsCleaned: number;
  readonly recordsRemoved: number;
  readonly tombstonesRemoved: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface CompactionOptions {
  readonly nowMs: number;
  /** The cleaner checkpoint of this log (cleaner-offset-checkpoint); the log start offset at first. */
  readonly firstDirtyOffset: number;
  /** Clean even below min.cleanable.dirty.ratio (a lab's "compact now" button). */
  readonly force?: boolean;
}

/** Bytes to a map key: windows-1252 as the WHATWG decoder defines it maps every byte to a distinct code point. */
const keyDecoder = new TextDecoder('latin1');

interface Stats {
  recordsRemoved: number;
  tombstonesRemoved: number;
}

export function compactLog(log: PartitionLog, options: CompactionOptions): CompactionResult {
  const segments = log.segmentList();
  const config = log.logConfig;
  let cleanableCount = 0;
  for (let i = 0; i + 1 < segments.length; i++) {
    const next = segments[i + 1]!;
    if (next.baseOffset > log.highWatermark) break;
    if (config.minCompactionLagMs > 0 && segments[i]!.largestTimestampMs() > options.nowMs - config.minCompactionLagMs) break;
    cleanableCount = i + 1;
  }
  const firstUncleanable = cleanableCount < segments.length ? segments[cleanableCount]!.baseOffset : log.logEndOffset;
  const firstDirty = Math.min(Math.max(options.firstDirtyOffset, log.logStartOffset), firstUncleanable);
  const skipped = (reason: string, dirtyRatio = 0): CompactionResult => ({
    cleaned: false,
    skippedReason: reason,
    firstDirtyOffset: firstDirty,
    dirtyRatio,
    segmentsCleaned: 0,
    recordsRemoved: 0,
    tombstonesRemoved: 0,
    bytesBefore: 0,
    bytesAfter: 0,
  });
  if (cleanableCount === 0) return skipped('no cleanable segment (only the active segment, or nothing below the high watermark)');
  const cleanable = segments.slice(0, cleanableCount);
  const dirtyStart = cleanable.findIndex((s, i) => (cleanable[i + 1]?.baseOffset ?? firstUncleanable) > firstDirty);
  let dirtyBytes = 0;
  let totalBytes = 0;
  cleanable.forEach((s, i) => {
    totalBytes += s.size();
    if (dirtyStart >= 0 && i >= dirtyStart) dirtyBytes += s.size();
  });
  const dirtyRatio = totalBytes === 0 ? 0 : dirtyBytes / totalBytes;
  if (dirtyBytes === 0) return skipped('nothing dirty since the last pass', dirtyRatio);
  if (options.force !== true && dirtyRatio < config.minCleanableDirtyRatio) {
    return skipped(`dirty ratio ${dirtyRatio.toFixed(3)} is below min.cleanable.dirty.ratio ${config.minCleanableDirtyRatio}`, dirtyRatio);
  }
  const { map, cleanUpTo } = buildOffsetMap(cleanable.slice(dirtyStart), firstDirty);
  const toClean = cleanable.filter((s, i) => (cleanable[i + 1]?.baseOffset ?? firstUncleanable) <= cleanUpTo);
  const stats: Stats = { recordsRemoved: 0, tombstonesRemoved: 0 };
  let bytesBefore = 0;
  let bytesAfter = 0;
  let segmentsCleaned = 0;
  for (const segment of toClean) {
    bytesBefore += segment.size();
    const { batches, changed } = cleanSegment(segment, map, options.nowMs, config.deleteRetentionMs, stats);
    const replaced = changed ? log.replaceSegmentContents(segment, batches, options.nowMs) : segment;
    if (changed) segmentsCleaned++;
    replaced.closeHandle();
    bytesAfter += replaced.size();
  }
  return {
    cleaned: segmentsCleaned > 0,
    skippedReason: null,
    firstDirtyOffset: cleanUpTo,
    dirtyRatio,
    segmentsCleaned,
    recordsRemoved: stats.recordsRemoved,
    tombstonesRemoved: stats.tombstonesRemoved,
    bytesBefore,
    bytesAfter,
  };
}

/** key -> largest offset over the dirty segments, and the offset up to which the map is complete. */
function buildOffsetMap(dirty: readonly LogSegment[], firstDirty: number): { map: Map<string, number>; cleanUpTo: number } {
  const map = new Map<string, number>();
  const fields = new RecordFields();
  let cleanUpTo = firstDirty;
  for (let s = 0; s < dirty.length; s++) {
    const segment = dirty[s]!;
    for (const batch of segment.batches()) {
      const bytes = segment.readBytes(batch.position, batch.sizeInBytes);
      const header = ensureValidBatch(bytes, 0);
      if (header.isControl) continue;
      forEachRecord(bytes, 0, header, fields, (f, buf) => {
        const offset = header.baseOffset + f.offsetDelta;
        if (offset < firstDirty || f.keyLength < 0) return;
        map.set(keyDecoder.decode(buf.subarray(f.keyStart, f.keyStart + f.keyLength)), offset);
      });
    }
    segment.closeHandle();
    cleanUpTo = dirty[s + 1]?.baseOffset ?? segment.nextOffset();
    if (map.size >= storageLimits.compactionKeysMax) break;
  }
  return { map, cleanUpTo };
}

function cleanSegment(segment: LogSegment, map: ReadonlyMap<string, number>, nowMs: number, deleteRetentionMs: number, stats: Stats): { batches: Uint8Array[]; changed: boolean } {
  const batches: Uint8Array[] = [];
  let changed = false;
  for (const position of segment.batches()) {
    const bytes = segment.readBytes(position.position, position.sizeInBytes);
    const filtered = filterBatch(bytes, map, nowMs, deleteRetentionMs, stats);
    if (filtered !== bytes) changed = true;
    if (filtered !== null) batches.push(filtered);
  }
  return { batches, changed };
}

function readHeaders(buf: Uint8Array, start: number, count: number): RecordHeader[] {
  const headers: RecordHeader[] = [];
  const reader = new ByteReader(buf, start, buf.length);
  const utf8 = new TextDecoder();
  for (let i = 0; i < count; i++) {
    const keyLength = reader.readVarint('header key length');
    const key = utf8.decode(buf.subarray(reader.pos, reader.pos + keyLength));
    reader.pos += keyLength;
    const valueLength = reader.readVarint('header value length');
    headers.push({ key, value: valueLength < 0 ? null : buf.slice(reader.pos, reader.pos + valueLength) });
    reader.pos += Math.max(0, valueLength);
  }
  return headers;
}

/**
 * The batch with superseded records and expired tombstones removed: the same bytes when nothing
 * changes, a re-encoded batch when something does, null when nothing is left.
 */
function filterBatch(bytes: Uint8Array, map: ReadonlyMap<string, number>, nowMs: number, deleteRetentionMs: number, stats: Stats): Uint8Array | null {
  const header = ensureValidBatch(bytes, 0);
  if (header.isControl) return bytes;
  const retained: RecordInput[] = [];
  let removedAny = false;
  let keepsTombstone = false;
  const horizonPassed = header.hasDeleteHorizon && nowMs >= header.baseTimestampMs;
  forEachRecord(bytes, 0, header, new RecordFields(), (f, buf) => {
    const offset = header.baseOffset + f.offsetDelta;
    const key = f.keyLength < 0 ? null : buf.subarray(f.keyStart, f.keyStart + f.keyLength);
    const latest = key === null ? undefined : map.get(keyDecoder.decode(key));
    if (latest !== undefined && offset < latest) {
      stats.recordsRemoved++;
      removedAny = true;
      return;
    }
    const isTombstone = f.valueLength < 0;
    if (isTombstone && horizonPassed) {
      stats.tombstonesRemoved++;
      removedAny = true;
      return;
    }
    if (isTombstone) keepsTombstone = true;
    retained.push({
      key: key === null ? null : key.slice(),
      value: isTombstone ? null : buf.slice(f.valueStart, f.valueStart + f.valueLength),
      headers: f.headerCount === 0 ? [] : readHeaders(buf, f.headersStart, f.headerCount),
      timestampMs: recordTimestamp(header, f.timestampDelta),
      offsetDelta: f.offsetDelta,
    });
  });
  const setsHorizon = keepsTombstone && !header.hasDeleteHorizon;
  if (!removedAny && !setsHorizon) return bytes;
  if (retained.length === 0) return null;
  const hasDeleteHorizon = header.hasDeleteHorizon || setsHorizon;
  return encodeRecordBatch({
    records: retained,
    baseOffset: header.baseOffset,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    compression: header.compression,
    timestampType: header.timestampType,
    isTransactional: header.isTransactional,
    hasDeleteHorizon,
    baseTimestampMs: header.hasDeleteHorizon ? header.baseTimestampMs : setsHorizon ? nowMs + deleteRetentionMs : retained[0]!.timestampMs,
    maxTimestampMs: header.timestampType === 'LogAppendTime' ? header.maxTimestampMs : retained.reduce((max, r) => Math.max(max, r.timestampMs), -1),
    lastOffsetDelta: header.lastOffsetDelta,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
  });
}
