/**
 * The log of one partition replica (Kafka's UnifiedLog + LocalLog + LogLoader): an ordered list of
 * segments in `<dataDir>/broker-<id>/<topic>-<partition>/`, the offsets that describe it, its leader
 * epoch cache, and its recovery after a crash.
 *
 * Offsets, all as Kafka defines them:
 *   logStartOffset   the first offset a consumer may fetch (retention and DeleteRecords move it)
 *   recoveryPoint    every offset below it is fsynced; recovery re-scans from the segment holding it
 *   highWatermark    set by replication (min LEO of the ISR); retention only deletes below it
 *   logEndOffset     the offset the next appended record gets
 * Invariant: logStartOffset <= highWatermark <= logEndOffset, recoveryPoint <= logEndOffset, and
 * segments' base offsets strictly increase with the last segment (the active one) taking appends.
 *
 * Appends: `appendAsLeader` takes one record batch v2 exactly as a producer encoded it, validates
 * it (size, CRC, record structure, keys on compacted topics), assigns offsets in place (baseOffset
 * and partitionLeaderEpoch are outside the CRC), and writes it. `appendAsFollower` takes batches
 * with offsets already assigned, as fetched from a leader. The log owns the bytes it is given.
 *
 * Failure: a DiskError during a write puts the log offline (Kafka marks the log dir offline); every
 * later call throws KAFKA_STORAGE_ERROR until the broker reopens the log, which recovers it.
 */
import { assert, assertFailed } from '../core/assert.js';
import { KafkaError, isKafkaError } from '../core/kafka-errors.js';
import { putInt32, putInt64 } from './byte-reader.js';
import { DiskError, type Disk } from './disk/disk.js';
import { LeaderEpochCache, type EpochEndOffset } from './leader-epoch-cache.js';
import { checkLogConfig, type LogConfig } from './log-config.js';
import { LOG_FILE_SUFFIX, LogSegment, parseOffsetFileName, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX } from './log-segment.js';
import {
  CRC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  RecordFields,
  computeBatchCrc,
  ensureValidBatch,
  forEachRecord,
  readBatchHeader,
  recordTimestamp,
  stampLogAppendTime,
  writeBaseOffset,
  writePartitionLeaderEpoch,
  LOG_OVERHEAD,
  type BatchHeader,
} from './record-batch.js';
import { getInt32 } from './byte-reader.js';
import { storageLimits } from './storage-limits.js';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';

/** ListOffsets special timestamps (ListOffsetsRequest.LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, MAX_TIMESTAMP). */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;

export interface AppendInfo {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  readonly sizeInBytes: number;
  readonly maxTimestampMs: number;
  /** The broker's append time for LogAppendTime topics, -1 otherwise (ProduceResponse log_append_time_ms). */
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
}

export interface FetchDataInfo {
  readonly fetchOffset: number;
  /** Whole record batches, possibly starting before fetchOffset (clients skip those records). */
  readonly records: Uint8Array;
  readonly firstBatchBaseOffset: number | null;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export interface ReadOptions {
  /** fetch.max.bytes / max.partition.fetch.bytes for this partition. */
  readonly maxBytes: number;
  /** Exclusive upper bound: the high watermark for consumers, the log end offset for followers. */
  readonly maxOffset?: number;
  /** KIP-74: return the first batch even when it is larger than maxBytes (default true). */
  readonly minOneBatch?: boolean;
}

export interface TimestampAndOffset {
  readonly offset: number;
  readonly timestampMs: number;
  readonly leaderEpoch: number;
}

export interface SegmentInfo {
  readonly baseOffset: number;
  readonly nextOffset: number;
  readonly sizeBytes: number;
  readonly maxTimestampMs: number;
  readonly offsetIndexEntries: number;
  readonly timeIndexEntries: number;
}

/** What opening a partition log found and did, for the UI and the logs. */
export interface PartitionRecoveryReport {
  readonly topic: string;
  readonly partition: number;
  readonly hadCleanShutdown: boolean;
  /** The checkpointed recovery point recovery started from. */
  readonly recoveryPoint: number;
  readonly segmentsLoaded: number;
  readonly segmentsScanned: number;
  readonly batchesScanned: number;
  readonly bytesScanned: number;
  readonly bytesTruncated: number;
  /** The log end offset after truncation, when recovery truncated; null otherwise. */
  readonly truncatedAtOffset: number | null;
  /** Offsets lost, counted from the headers that still parse after the cut: a lower bound. */
  readonly offsetsTruncated: number;
  /** Segments after a corrupt batch, deleted as Kafka deletes them. */
  readonly segmentsDeleted: number;
  readonly indexesRebuilt: number;
  /** Why recovery truncated (the first invalid batch's problem), or null. */
  readonly reason: string | null;
  readonly warnings: readonly string[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export interface PartitionLogOpenOptions {
  readonly disk: Disk;
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly config: LogConfig;
  readonly nowMs: number;
  readonly hadCleanShutdown: boolean;
  /** From recovery-point-offset-checkpoint; 0 when unknown, which re-scans everything. */
  readonly recoveryPoint?: number;
  /** From log-start-offset-checkpoint. */
  readonly logStartOffset?: number;
  /** From replication-offset-checkpoint. */
  readonly highWatermark?: number;
}

export interface RetentionResult {
  readonly segmentsDeleted: number;
  readonly bytesDeleted: number;
  readonly byRetentionMs: number;
  readonly byRetentionBytes: number;
  readonly byLogStartOffset: number;
  readonly logStartOffset: number;
}

type RecoveryTally = {
  segmentsScanned: number;
  batchesScanned: number;
  bytesScanned: number;
  bytesTruncated: number;
  truncatedAtOffset: number | null;
  truncatedUpToOffset: number;
  segmentsDeleted: number;
  indexesRebuilt: number;
  reason: string | null;
  warnings: string[];
};

export class PartitionLog {
  private segments: LogSegment[] = [];
  private config: LogConfig;
  private logStartOffsetValue = 0;
  private recoveryPointValue = 0;
  private highWatermarkValue = 0;
  private lastFlushMs: number;
  private offlineReason: string | null = null;
  private closed = false;
  private readonly fields = new RecordFields();
  private epochCache!: LeaderEpochCache;

  private constructor(
    private readonly disk: Disk,
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    config: LogConfig,
    nowMs: number,
  ) {
    this.config = checkLogConfig(config);
    this.lastFlushMs = nowMs;
  }

  // ---- open and recovery --------------------------------------------------------------------------

  /** Opens (creating if needed) the log in `dir`, recovering it when the broker did not shut down cleanly. */
  static open(options: PartitionLogOpenOptions): { log: PartitionLog; report: PartitionRecoveryReport } {
    const { disk, dir } = options;
    const log = new PartitionLog(disk, dir, options.topic, options.partition, options.config, options.nowMs);
    const tally: RecoveryTally = {
      segmentsScanned: 0,
      batchesScanned: 0,
      bytesScanned: 0,
      bytesTruncated: 0,
      truncatedAtOffset: null,
      truncatedUpToOffset: 0,
      segmentsDeleted: 0,
      indexesRebuilt: 0,
      reason: null,
      warnings: [],
    };
    const recoveryPoint = Math.max(0, options.recoveryPoint ?? 0);
    disk.mkdirp(dir);
    log.removeLeftovers(tally);
    const rebuild = log.loadSegments(options.nowMs, tally);
    log.recoverSegments(options.hadCleanShutdown ? null : recoveryPoint, rebuild, tally);
    if (log.segments.length === 0) log.segments.push(LogSegment.create(disk, dir, Math.max(0, options.logStartOffset ?? 0), log.segmentParams(), options.nowMs));
    const logEndOffset = log.logEndOffset;
    log.logStartOffsetValue = Math.min(Math.max(options.logStartOffset ?? 0, log.segments[0]!.baseOffset), logEndOffset);
    log.recoveryPointValue = Math.min(recoveryPoint, logEndOffset);
    log.highWatermarkValue = Math.min(Math.max(options.highWatermark ?? 0, log.logStartOffsetValue), logEndOffset);
    const loaded = LeaderEpochCache.load(disk, `${dir}/${LEADER_EPOCH_CHECKPOINT_FILE}`);
    if (loaded.warning !== null) tally.warnings.push(loaded.warning);
    log.epochCache = loaded.cache;
    log.epochCache.truncateFromEnd(logEndOffset);
    log.epochCache.truncateFromStart(log.logStartOffsetValue);
    const report: PartitionRecoveryReport = {
      topic: options.topic,
      partition: options.partition,
      hadCleanShutdown: options.hadCleanShutdown,
      recoveryPoint,
      segmentsLoaded: log.segments.length,
      segmentsScanned: tally.segmentsScanned,
      batchesScanned: tally.batchesScanned,
      bytesScanned: tally.bytesScanned,
      bytesTruncated: tally.bytesTruncated,
      truncatedAtOffset: tally.truncatedAtOffset,
      offsetsTruncated: tally.truncatedAtOffset === null ? 0 : Math.max(0, tally.truncatedUpToOffset - tally.truncatedAtOffset),
      segmentsDeleted: tally.segmentsDeleted,
      indexesRebuilt: tally.indexesRebuilt,
      reason: tally.reason,
      warnings: tally.warnings,
      logStartOffset: log.logStartOffsetValue,
      logEndOffset,
    };
    return { log, report };
  }

  /**
   * Files a crash can leave behind (LogLoader.removeTempFilesAndCollectSwapFiles): half-deleted
   * segments (.deleted), half-written compaction output (.cleaned), temporary checkpoint files
   * (.tmp). A .swap file is complete compaction output: it replaces its segment, whose indexes are
   * then rebuilt.
   */
  private removeLeftovers(tally: RecoveryTally): void {
    const names = this.disk.list(this.dir);
    for (const name of names) {
      const path = `${this.dir}/${name}`;
      if (name.endsWith('.deleted') || name.endsWith('.cleaned') || name.endsWith('.tmp')) {
        this.disk.remove(path);
        tally.warnings.push(`removed leftover file ${name}`);
      } else if (name.endsWith(`${LOG_FILE_SUFFIX}.swap`)) {
        const target = path.slice(0, -'.swap'.length);
        const stem = name.slice(0, -`${LOG_FILE_SUFFIX}.swap`.length);
        this.disk.rename(path, target);
        this.disk.remove(`${this.dir}/${stem}${INDEX_FILE_SUFFIX}`);
        this.disk.remove(`${this.dir}/${stem}${TIME_INDEX_FILE_SUFFIX}`);
        tally.warnings.push(`completed an interrupted compaction swap of ${stem}${LOG_FILE_SUFFIX}`);
      }
    }
  }

  /** Opens every segment; returns the base offsets whose indexes must be rebuilt. */
  private loadSegments(nowMs: number, tally: RecoveryTally): Set<number> {
    const bases: number[] = [];
    const names = this.disk.list(this.dir);
    const stems = new Set<string>();
    for (const name of names) {
      if (!name.endsWith(LOG_FILE_SUFFIX)) continue;
      const base = parseOffsetFileName(name.slice(0, -LOG_FILE_SUFFIX.length));
      if (base === null) {
        tally.warnings.push(`ignored a file that is not a segment: ${name}`);
        continue;
      }
      bases.push(base);
      stems.add(name.slice(0, -LOG_FILE_SUFFIX.length));
    }
    for (const name of names) {
      for (const suffix of [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
        if (name.endsWith(suffix) && parseOffsetFileName(name.slice(0, -suffix.length)) !== null && !stems.has(name.slice(0, -suffix.length))) {
          this.disk.remove(`${this.dir}/${name}`);
          tally.warnings.push(`removed index ${name} without a log file`);
        }
      }
    }
    if (!(bases.length <= storageLimits.segmentsPerPartitionMax)) assertFailed(`${bases.length} segments in ${this.dir}`);
    bases.sort((a, b) => a - b);
    const rebuild = new Set<number>();
    for (const base of bases) {
      const { segment, rebuildReason } = LogSegment.open(this.disk, this.dir, base, this.segmentParams(), nowMs);
      if (rebuildReason !== null) {
        rebuild.add(base);
        tally.warnings.push(`segment ${base}: ${rebuildReason}; rebuilding its indexes`);
      }
      this.segments.push(segment);
      if (base !== bases[bases.length - 1]) segment.closeHandle();
    }
    return rebuild;
  }

  /**
   * Re-scans the segments from the one holding `recoveryPoint` on (none after a clean shutdown:
   * `recoveryPoint` null), plus any whose indexes failed to load (LogLoader.recoverLog). At the first invalid batch the segment is truncated and every later
   * segment deleted, since nothing after a torn write can be trusted.
   */
  private recoverSegments(recoveryPoint: number | null, rebuild: ReadonlySet<number>, tally: RecoveryTally): void {
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const next = this.segments[i + 1];
      // After an unclean shutdown: the segment holding the recovery point and all later ones.
      const unflushed = recoveryPoint !== null && (next === undefined || next.baseOffset > recoveryPoint);
      if (!unflushed && !rebuild.has(segment.baseOffset)) continue;
      const sizeBefore = segment.size();
      const result = segment.recover(next === undefined, !this.config.cleanupCompact);
      tally.segmentsScanned++;
      tally.indexesRebuilt++;
      tally.batchesScanned += result.batchesScanned;
      tally.bytesScanned += sizeBefore;
      if (next !== undefined) segment.closeHandle();
      if (result.truncatedBytes === 0) continue;
      tally.bytesTruncated += result.truncatedBytes;
      tally.truncatedAtOffset = segment.nextOffset();
      tally.truncatedUpToOffset = result.truncatedUpToOffset ?? segment.nextOffset();
      tally.reason = result.reason;
      const later = this.segments.splice(i + 1);
      for (const dropped of later) {
        tally.bytesTruncated += dropped.size();
        tally.truncatedUpToOffset = Math.max(tally.truncatedUpToOffset, dropped.nextOffset());
        dropped.deleteFiles();
      }
      tally.segmentsDeleted += later.length;
      // The truncated segment is now the active one: its indexes follow the active rule.
      segment.truncateTo(segment.nextOffset());
      segment.persistIndexes(true);
      break;
    }
  }

  private segmentParams(): { indexIntervalBytes: number; segmentIndexBytes: number } {
    return { indexIntervalBytes: this.config.indexIntervalBytes, segmentIndexBytes: this.config.segmentIndexBytes };
  }

  // ---- offsets ------------------------------------------------------------------------------------

  get logStartOffset(): number {
    return this.logStartOffsetValue;
  }

  get logEndOffset(): number {
    return this.activeSegment().nextOffset();
  }

  get recoveryPoint(): number {
    return this.recoveryPointValue;
  }

  get highWatermark(): number {
    return this.highWatermarkValue;
  }

  get leaderEpochs(): LeaderEpochCache {
    return this.epochCache;
  }

  get logConfig(): LogConfig {
    return this.config;
  }

  /** Total bytes of all segments' log files. */
  get sizeInBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size();
    return total;
  }

  get isOffline(): boolean {
    return this.offlineReason !== null;
  }

  get offlineCause(): string | null {
    return this.offlineReason;
  }

  /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]; returns the value kept. */
  updateHighWatermark(offset: number): number {
    if (!Number.isSafeInteger(offset)) assertFailed(`high watermark ${offset}`);
    this.highWatermarkValue = Math.min(Math.max(offset, this.logStartOffsetValue), this.logEndOffset);
    return this.highWatermarkValue;
  }

  updateConfig(config: LogConfig): void {
    this.config = checkLogConfig(config);
  }

  segmentInfos(): SegmentInfo[] {
    return this.segments.map((s) => ({
      baseOffset: s.baseOffset,
      nextOffset: s.nextOffset(),
      sizeBytes: s.size(),
      maxTimestampMs: s.maxTimestampSoFar(),
      offsetIndexEntries: s.offsetIndex().entries(),
      timeIndexEntries: s.timeIndex().entries(),
    }));
  }

  /** The segments, oldest first (read-only use: tests, the compactor). */
  segmentList(): readonly LogSegment[] {
    return this.segments;
  }

  // ---- append ------------------------------------------------------------------------------------

  /**
   * Appends one batch from a producer (UnifiedLog.appendAsLeader): validates it, assigns offsets
   * from the log end offset and the leader epoch in place, stamps LogAppendTime when configured.
   */
  appendAsLeader(batch: Uint8Array, leaderEpoch: number, nowMs: number): AppendInfo {
    this.checkWritable();
    const header = this.validateProducedBatch(batch);
    const maxRecordTimestampMs = this.checkRecords(batch, header);
    const baseOffset = this.logEndOffset;
    writeBaseOffset(batch, 0, baseOffset);
    writePartitionLeaderEpoch(batch, 0, leaderEpoch);
    let logAppendTimeMs = -1;
    let maxTimestampMs = maxRecordTimestampMs;
    if (this.config.messageTimestampType === 'LogAppendTime') {
      stampLogAppendTime(batch, 0, batch.length, nowMs);
      logAppendTimeMs = nowMs;
      maxTimestampMs = nowMs;
    } else if (header.maxTimestampMs !== maxRecordTimestampMs || header.timestampType !== 'CreateTime') {
      // DefaultRecordBatch.setMaxTimestamp: the header must state the records' real maximum.
      this.rewriteMaxTimestamp(batch, maxRecordTimestampMs);
    }
    // The CRC was verified above and only fields outside it (or a recomputed CRC) changed since.
    const assigned = readBatchHeader(batch, 0);
    assert(assigned.baseOffset === baseOffset && assigned.lastOffset === baseOffset + header.recordCount - 1, 'offsets assigned in place');
    if (leaderEpoch >= 0) this.epochCache.assign(leaderEpoch, baseOffset);
    this.appendValidBatch(batch, 0, assigned, maxTimestampMs, nowMs);
    return {
      firstOffset: baseOffset,
      lastOffset: assigned.lastOffset,
      recordCount: header.recordCount,
      sizeInBytes: batch.length,
      maxTimestampMs,
      logAppendTimeMs,
      logStartOffset: this.logStartOffsetValue,
    };
  }

  /**
   * Appends batches fetched from the leader (UnifiedLog.appendAsFollower): offsets are kept, must
   * start at or after the log end offset and increase. A partial batch at the end is ignored, as a
   * fetch response may end in one.
   */
  appendAsFollower(records: Uint8Array, nowMs: number): AppendInfo | null {
    this.checkWritable();
    const headers = this.validateFetchedBatches(records);
    const first = headers[0];
    const last = headers[headers.length - 1];
    if (first === undefined || last === undefined) return null;
    let sizeBytes = 0;
    let count = 0;
    let maxTimestampMs = -1;
    for (const header of headers) {
      // UnifiedLog.append: each batch's epoch is assigned before the records are written.
      if (header.partitionLeaderEpoch >= 0) this.epochCache.assign(header.partitionLeaderEpoch, header.baseOffset);
      sizeBytes += header.sizeInBytes;
      count += header.recordCount;
      maxTimestampMs = Math.max(maxTimestampMs, header.maxTimestampMs);
    }
    let segment = this.activeSegment();
    // maybeRoll with the whole fetched chunk, which then goes to one segment in one write.
    if (segment.shouldRoll(this.config.segmentBytes, this.config.segmentMs, sizeBytes, last.lastOffset, maxTimestampMs, nowMs)) {
      this.roll(nowMs, first.baseOffset);
      segment = this.activeSegment();
    }
    const sizeBefore = segment.size();
    try {
      segment.appendBatches(records, 0, sizeBytes, headers);
    } catch (error) {
      this.failWrite(error, `appending to ${segment.baseOffset}${LOG_FILE_SUFFIX}`, () => segment.rollbackAppend(sizeBefore));
    }
    if (this.logEndOffset - this.recoveryPointValue >= this.config.flushMessages) this.flush(nowMs);
    return { firstOffset: first.baseOffset, lastOffset: last.lastOffset, recordCount: count, sizeInBytes: sizeBytes, maxTimestampMs, logAppendTimeMs: -1, logStartOffset: this.logStartOffsetValue };
  }

  /**
   * The whole batches at the start of a fetch response, each CRC-checked (ensureValid), with
   * offsets at or after the log end and increasing. A partial batch at the end is ignored.
   */
  private validateFetchedBatches(records: Uint8Array): BatchHeader[] {
    const headers: BatchHeader[] = [];
    let position = 0;
    let nextOffset = this.logEndOffset;
    const batchesMax = Math.floor(records.length / LOG_OVERHEAD) + 1;
    for (let i = 0; i < batchesMax && records.length - position >= LOG_OVERHEAD; i++) {
      const size = LOG_OVERHEAD + getInt32(records, position + 8);
      if (size > records.length - position) break;
      const header = ensureValidBatch(records, position, position + size);
      if (header.baseOffset < nextOffset) {
        throw new KafkaError(
          'CORRUPT_MESSAGE',
          `Unexpected offset in append to ${this.topic}-${this.partition}. First offset ${header.baseOffset} is less than the next offset ${nextOffset}.`,
        );
      }
      headers.push(header);
      nextOffset = header.lastOffset + 1;
      position += size;
    }
    return headers;
  }

  private validateProducedBatch(batch: Uint8Array): BatchHeader {
    const header = ensureValidBatch(batch, 0);
    if (header.sizeInBytes !== batch.length) {
      throw new KafkaError('CORRUPT_MESSAGE', `Expected one record batch of ${header.sizeInBytes} bytes but got ${batch.length} bytes`);
    }
    if (batch.length > this.config.maxMessageBytes) {
      throw new KafkaError('MESSAGE_TOO_LARGE', `The record batch of ${batch.length} bytes is larger than max.message.bytes (${this.config.maxMessageBytes}) of ${this.topic}-${this.partition}.`);
    }
    if (batch.length > this.config.segmentBytes) {
      throw new KafkaError(
        'RECORD_LIST_TOO_LARGE',
        `Message batch size is ${batch.length} bytes in append to partition ${this.topic}-${this.partition} which exceeds the maximum configured segment size of ${this.config.segmentBytes}.`,
      );
    }
    if (header.recordCount === 0 || header.lastOffsetDelta !== header.recordCount - 1) {
      throw new KafkaError('CORRUPT_MESSAGE', `Batch has ${header.recordCount} records but lastOffsetDelta ${header.lastOffsetDelta}`);
    }
    return header;
  }

  /** Walks every record (LogValidator): consecutive offset deltas, keys on compacted topics. Returns the max record timestamp. */
  private checkRecords(batch: Uint8Array, header: BatchHeader): number {
    let expectedDelta = 0;
    let maxTimestampMs = -1;
    const compacted = this.config.cleanupCompact;
    forEachRecord(batch, 0, header, this.fields, (f) => {
      if (f.offsetDelta !== expectedDelta) {
        throw new KafkaError('CORRUPT_MESSAGE', `Inner record has invalid offset delta ${f.offsetDelta}, expected ${expectedDelta}`);
      }
      expectedDelta++;
      if (compacted && f.keyLength < 0) {
        throw new KafkaError('CORRUPT_MESSAGE', `Compacted topic cannot accept message without key in topic partition ${this.topic}-${this.partition}.`);
      }
      const timestampMs = recordTimestamp(header, f.timestampDelta);
      if (timestampMs > maxTimestampMs) maxTimestampMs = timestampMs;
    });
    return maxTimestampMs;
  }

  private rewriteMaxTimestamp(batch: Uint8Array, maxTimestampMs: number): void {
    putInt64(batch, MAX_TIMESTAMP_OFFSET, maxTimestampMs);
    batch[22] = batch[22]! & ~0x08;
    putInt32(batch, CRC_OFFSET, computeBatchCrc(batch, 0, batch.length));
  }

  /** Rolls if needed, writes the batch, and applies flush.messages. */
  private appendValidBatch(bytes: Uint8Array, start: number, header: BatchHeader, maxTimestampMs: number, nowMs: number): void {
    if (!(header.baseOffset >= this.logEndOffset)) assertFailed(`offset ${header.baseOffset} below log end ${this.logEndOffset}`);
    let segment = this.activeSegment();
    if (segment.shouldRoll(this.config.segmentBytes, this.config.segmentMs, header.sizeInBytes, header.lastOffset, maxTimestampMs, nowMs)) {
      this.roll(nowMs, header.baseOffset);
      segment = this.activeSegment();
    }
    const sizeBefore = segment.size();
    try {
      segment.append(bytes, start, start + header.sizeInBytes, header, maxTimestampMs);
    } catch (error) {
      this.failWrite(error, `appending to ${segment.baseOffset}${LOG_FILE_SUFFIX}`, () => segment.rollbackAppend(sizeBefore));
    }
    if (this.logEndOffset - this.recoveryPointValue >= this.config.flushMessages) this.flush(nowMs);
  }

  // ---- read --------------------------------------------------------------------------------------

  /**
   * Reads whole batches from `fetchOffset` (UnifiedLog.read): from the segment holding it, up to
   * maxBytes (at least one batch, KIP-74), only batches entirely below maxOffset. Throws
   * OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset].
   */
  read(fetchOffset: number, options: ReadOptions): FetchDataInfo {
    this.checkOnline();
    const logEndOffset = this.logEndOffset;
    if (fetchOffset < this.logStartOffsetValue || fetchOffset > logEndOffset) {
      throw new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Received request for offset ${fetchOffset} for partition ${this.topic}-${this.partition}, but we only have log segments in the range ${this.logStartOffsetValue} to ${logEndOffset}.`,
      );
    }
    const maxOffset = Math.min(options.maxOffset ?? logEndOffset, logEndOffset);
    const minOneBatch = options.minOneBatch ?? true;
    const empty = { fetchOffset, records: new Uint8Array(0), firstBatchBaseOffset: null, highWatermark: this.highWatermarkValue, logStartOffset: this.logStartOffsetValue, logEndOffset };
    if (fetchOffset >= maxOffset) return empty;
    for (let i = this.segmentIndexFor(fetchOffset); i < this.segments.length; i++) {
      const read = this.segments[i]!.read(fetchOffset, options.maxBytes, maxOffset, minOneBatch);
      if (read !== null) return { ...empty, records: read.bytes, firstBatchBaseOffset: read.firstBatchBaseOffset };
    }
    return empty;
  }

  /**
   * ListOffsets (UnifiedLog.fetchOffsetByTimestamp): EARLIEST (-2), LATEST (-1), MAX_TIMESTAMP (-3),
   * or the first offset whose record timestamp is >= `timestampMs`; null when there is none.
   */
  fetchOffsetByTimestamp(timestampMs: number): TimestampAndOffset | null {
    this.checkOnline();
    if (timestampMs === EARLIEST_TIMESTAMP) {
      return { offset: this.logStartOffsetValue, timestampMs: -1, leaderEpoch: this.epochCache.epochForOffset(this.logStartOffsetValue) };
    }
    if (timestampMs === LATEST_TIMESTAMP) {
      return { offset: this.logEndOffset, timestampMs: -1, leaderEpoch: this.epochCache.latestEpoch() };
    }
    if (timestampMs === MAX_TIMESTAMP) return this.maxTimestampOffset();
    if (timestampMs < 0) throw new KafkaError('INVALID_REQUEST', `Invalid timestamp ${timestampMs} in ListOffsets`);
    for (const segment of this.segments) {
      if (segment.maxTimestampSoFar() < timestampMs) continue;
      const found = segment.findOffsetByTimestamp(timestampMs, this.logStartOffsetValue);
      if (found !== null) return found;
    }
    return null;
  }

  private maxTimestampOffset(): TimestampAndOffset | null {
    let best: LogSegment | null = null;
    for (const segment of this.segments) if (best === null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) best = segment;
    if (best === null || best.maxTimestampSoFar() < 0) return null;
    return best.findOffsetByTimestamp(best.maxTimestampSoFar(), this.logStartOffsetValue);
  }

  /** OffsetsForLeaderEpoch on this replica. */
  endOffsetForEpoch(leaderEpoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(leaderEpoch, this.logEndOffset);
  }

  // ---- roll, flush, truncate ----------------------------------------------------------------------

  /**
   * Starts a new active segment at `baseOffset` (default: the log end offset). The old one gets
   * its final time index entry and is flushed, advancing the recovery point, as Kafka schedules
   * right after a roll.
   */
  roll(nowMs: number, baseOffset = this.logEndOffset): void {
    this.checkWritable();
    const active = this.activeSegment();
    if (!(baseOffset >= this.logEndOffset)) assertFailed(`roll at ${baseOffset} below log end ${this.logEndOffset}`);
    if (active.size() === 0 && active.baseOffset === baseOffset) return;
    try {
      active.onBecomeInactive();
      this.flushSegmentsFromRecoveryPoint();
      active.closeHandle();
      if (active.size() === 0) {
        // An empty active segment is replaced rather than kept (LocalLog.roll).
        this.segments.pop();
        active.deleteFiles();
      }
      this.segments.push(LogSegment.create(this.disk, this.dir, baseOffset, this.segmentParams(), nowMs));
      this.disk.syncDirectory(this.dir);
    } catch (error) {
      this.failWrite(error, `rolling segment at ${baseOffset}`, () => undefined);
    }
    this.recoveryPointValue = Math.max(this.recoveryPointValue, Math.min(baseOffset, this.logEndOffset));
    this.lastFlushMs = nowMs;
  }

  /** fsyncs everything up to the log end offset and moves the recovery point there (UnifiedLog.flush). */
  flush(nowMs: number): void {
    this.checkWritable();
    const logEndOffset = this.logEndOffset;
    if (logEndOffset > this.recoveryPointValue) {
      try {
        this.flushSegmentsFromRecoveryPoint();
      } catch (error) {
        this.failWrite(error, 'flushing', () => undefined);
      }
      this.recoveryPointValue = logEndOffset;
    }
    this.lastFlushMs = nowMs;
  }

  private flushSegmentsFromRecoveryPoint(): void {
    const last = this.segments.length - 1;
    for (let i = this.segmentIndexFor(this.recoveryPointValue); i <= last; i++) {
      this.segments[i]!.flush();
      // Non-active segments keep no open file handle (a broker may host thousands of segments).
      if (i < last) this.segments[i]!.closeHandle();
    }
  }

  /** Applies flush.ms (the log manager's periodic flusher calls this). Returns whether it flushed. */
  flushIfDue(nowMs: number): boolean {
    if (this.isOffline || this.closed) return false;
    if (this.logEndOffset <= this.recoveryPointValue || nowMs - this.lastFlushMs < this.config.flushMs) return false;
    this.flush(nowMs);
    return true;
  }

  /**
   * Removes every offset >= `targetOffset` (UnifiedLog.truncateTo, for a follower whose log diverged
   * from the leader's). Returns whether anything was removed.
   */
  truncateTo(targetOffset: number, nowMs: number): boolean {
    this.checkWritable();
    if (!(Number.isSafeInteger(targetOffset) && targetOffset >= 0)) assertFailed(`truncation offset ${targetOffset}`);
    if (targetOffset >= this.logEndOffset) return false;
    if (targetOffset < this.logStartOffsetValue) {
      this.truncateFullyAndStartAt(targetOffset, nowMs);
      return true;
    }
    try {
      const doomed = this.segments.filter((s) => s.baseOffset > targetOffset);
      this.segments = this.segments.filter((s) => s.baseOffset <= targetOffset);
      for (const segment of doomed) segment.deleteFiles();
      this.activeSegment().truncateTo(targetOffset);
      this.activeSegment().persistIndexes();
      // Sync the cut: after a power loss the records a follower removed (they diverged from the
      // leader) must not come back below a high watermark checkpointed since.
      this.activeSegment().flush();
    } catch (error) {
      this.failWrite(error, `truncating to ${targetOffset}`, () => undefined);
    }
    this.afterTruncation();
    return true;
  }

  /** Deletes all data and restarts the log at `newOffset` (a follower far behind the leader's log start). */
  truncateFullyAndStartAt(newOffset: number, nowMs: number): void {
    this.checkWritable();
    if (!(Number.isSafeInteger(newOffset) && newOffset >= 0)) assertFailed(`new log start ${newOffset}`);
    try {
      for (const segment of this.segments) segment.deleteFiles();
      this.segments = [LogSegment.create(this.disk, this.dir, newOffset, this.segmentParams(), nowMs)];
    } catch (error) {
      this.failWrite(error, `restarting the log at ${newOffset}`, () => undefined);
    }
    this.logStartOffsetValue = newOffset;
    this.epochCache.clear();
    this.afterTruncation();
  }

  private afterTruncation(): void {
    const logEndOffset = this.logEndOffset;
    this.recoveryPointValue = Math.min(this.recoveryPointValue, logEndOffset);
    this.highWatermarkValue = Math.min(Math.max(this.highWatermarkValue, this.logStartOffsetValue), logEndOffset);
    this.logStartOffsetValue = Math.min(this.logStartOffsetValue, logEndOffset);
    this.epochCache.truncateFromEnd(logEndOffset);
  }

  // ---- retention -----------------------------------------------------------------------------------

  /**
   * DeleteRecords (UnifiedLog.maybeIncrementLogStartOffset): consumers can no longer fetch below
   * `offset`; whole segments below it go on the next retention pass.
   */
  advanceLogStartOffset(offset: number): boolean {
    this.checkWritable();
    if (offset > this.highWatermarkValue) {
      throw new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot increment the log start offset to ${offset} of partition ${this.topic}-${this.partition} since it is larger than the high watermark ${this.highWatermarkValue}`,
      );
    }
    if (offset <= this.logStartOffsetValue) return false;
    this.logStartOffsetValue = offset;
    this.epochCache.truncateFromStart(offset);
    return true;
  }

  /**
   * Deletes whole segments by retention.ms, retention.bytes and the log start offset
   * (UnifiedLog.deleteOldSegments). Only segments entirely below the high watermark qualify; if every
   * segment qualifies, a new active segment is rolled first so the log keeps one.
   */
  deleteOldSegments(nowMs: number): RetentionResult {
    this.checkWritable();
    let bytesDeleted = 0;
    const run = (predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean): number => {
      const deletable = this.deletableSegments(predicate);
      bytesDeleted += deletable.reduce((sum, s) => sum + s.size(), 0);
      this.deleteSegments(deletable, nowMs);
      return deletable.length;
    };
    let byRetentionMs = 0;
    let byRetentionBytes = 0;
    if (this.config.cleanupDelete) {
      const retentionMs = this.config.retentionMs;
      if (retentionMs >= 0) byRetentionMs = run((segment) => nowMs - segment.largestTimestampMs() > retentionMs);
      if (this.config.retentionBytes >= 0) {
        let excess = this.sizeInBytes - this.config.retentionBytes;
        byRetentionBytes = run((segment) => {
          if (excess - segment.size() < 0) return false;
          excess -= segment.size();
          return true;
        });
      }
    }
    const byLogStartOffset = run((_segment, next) => next !== undefined && next.baseOffset <= this.logStartOffsetValue);
    return {
      segmentsDeleted: byRetentionMs + byRetentionBytes + byLogStartOffset,
      bytesDeleted,
      byRetentionMs,
      byRetentionBytes,
      byLogStartOffset,
      logStartOffset: this.logStartOffsetValue,
    };
  }

  /** Oldest segments while `predicate` holds and the segment lies wholly below the high watermark (UnifiedLog.deletableSegments). */
  private deletableSegments(predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean): LogSegment[] {
    const deletable: LogSegment[] = [];
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const next = this.segments[i + 1];
      const upperBoundOffset = next === undefined ? this.logEndOffset : next.baseOffset;
      const lastAndEmpty = next === undefined && segment.size() === 0;
      if (this.highWatermarkValue >= upperBoundOffset && !lastAndEmpty && predicate(segment, next)) deletable.push(segment);
      else break;
    }
    return deletable;
  }

  private deleteSegments(deletable: readonly LogSegment[], nowMs: number): void {
    if (deletable.length === 0) return;
    if (deletable.length === this.segments.length) this.roll(nowMs);
    try {
      this.segments = this.segments.slice(deletable.length);
      this.logStartOffsetValue = Math.max(this.logStartOffsetValue, this.segments[0]!.baseOffset);
      this.highWatermarkValue = Math.max(this.highWatermarkValue, this.logStartOffsetValue);
      this.epochCache.truncateFromStart(this.logStartOffsetValue);
      for (const segment of deletable) this.deleteSegmentFiles(segment);
    } catch (error) {
      this.failWrite(error, 'deleting segments', () => undefined);
    }
  }

  /** Renames the log file to .deleted first, so a crash mid-delete leaves a file recovery removes. */
  private deleteSegmentFiles(segment: LogSegment): void {
    segment.closeHandle();
    const logPath = LogSegment.logPath(this.dir, segment.baseOffset);
    if (this.disk.exists(logPath)) this.disk.rename(logPath, `${logPath}.deleted`);
    segment.deleteFiles();
    this.disk.remove(`${logPath}.deleted`);
  }

  // ---- compaction support ---------------------------------------------------------------------------

  /**
   * Replaces a non-active segment's contents with `batches` (compaction output): written to
   * `<base>.log.cleaned`, fsynced, renamed to `.swap`, then swapped in and its indexes rebuilt.
   * A crash at any point leaves either the old segment or the complete new one.
   */
  replaceSegmentContents(segment: LogSegment, batches: readonly Uint8Array[], nowMs: number): LogSegment {
    this.checkWritable();
    const i = this.segments.indexOf(segment);
    if (!(i >= 0 && i < this.segments.length - 1)) assertFailed(`segment ${segment.baseOffset} is not a non-active segment of this log`);
    const logPath = LogSegment.logPath(this.dir, segment.baseOffset);
    try {
      const cleaned = this.disk.openFile(`${logPath}.cleaned`);
      cleaned.truncate(0);
      for (const batch of batches) cleaned.append(batch);
      cleaned.sync();
      cleaned.close();
      this.disk.rename(`${logPath}.cleaned`, `${logPath}.swap`);
      segment.closeHandle();
      this.disk.remove(LogSegment.indexPath(this.dir, segment.baseOffset));
      this.disk.remove(LogSegment.timeIndexPath(this.dir, segment.baseOffset));
      this.disk.rename(`${logPath}.swap`, logPath);
      this.disk.syncDirectory(this.dir);
      const { segment: reopened } = LogSegment.open(this.disk, this.dir, segment.baseOffset, this.segmentParams(), nowMs);
      reopened.recover(false);
      reopened.closeHandle();
      this.segments[i] = reopened;
      return reopened;
    } catch (error) {
      return this.failWrite(error, `swapping compacted segment ${segment.baseOffset}`, () => undefined);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /** Clean close: flushes data and indexes (the caller then writes checkpoints and the marker). */
  close(nowMs: number): void {
    if (this.closed) return;
    if (!this.isOffline) {
      this.flush(nowMs);
      for (const segment of this.segments) segment.close();
    } else {
      // An offline log writes nothing more; it only lets go of its file handles.
      for (const segment of this.segments) {
        try {
          segment.closeHandle();
        } catch (error) {
          if (!(error instanceof DiskError)) throw error;
        }
      }
    }
    this.closed = true;
  }

  /** Deletes every file of this log (the directory itself is the log manager's). */
  deleteAllFiles(): void {
    for (const segment of this.segments) segment.deleteFiles();
    this.segments = [];
    this.closed = true;
  }

  private activeSegment(): LogSegment {
    const segment = this.segments[this.segments.length - 1];
    if (!(segment !== undefined)) assertFailed(`log ${this.topic}-${this.partition} has no segment`);
    return segment;
  }

  /** Index of the segment whose base offset is the largest <= `offset` (0 if `offset` is below all). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private checkOnline(): void {
    if (this.offlineReason !== null) {
      throw new KafkaError('KAFKA_STORAGE_ERROR', `Log for partition ${this.topic}-${this.partition} is offline: ${this.offlineReason}`);
    }
    if (this.closed) throw new KafkaError('KAFKA_STORAGE_ERROR', `Log for partition ${this.topic}-${this.partition} is closed`);
  }

  private checkWritable(): void {
    this.checkOnline();
  }

  /**
   * A write failed: try `rollback` (cut a torn append back), then take the log offline and throw
   * KAFKA_STORAGE_ERROR, as Kafka does when a log dir fails. Non-disk errors pass through.
   */
  private failWrite(error: unknown, what: string, rollback: () => unknown): never {
    if (!(error instanceof DiskError)) throw error;
    try {
      rollback();
    } catch (rollbackError) {
      if (!(rollbackError instanceof DiskError) && !isKafkaError(rollbackError)) throw rollbackError;
    }
    this.offlineReason = `${what}: ${error.code} ${error.message}`;
    throw new KafkaError('KAFKA_STORAGE_ERROR', `Error while ${what} in ${this.dir}: ${error.message}`, { code: error.code });
  }
}
