/** Shared builders for the storage tests: producer-style batches and log opening on a chosen Disk. */
import { expect } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import type { Disk } from '../../../engine/storage/disk/disk.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../engine/storage/log-config.js';
import { PartitionLog, type PartitionRecoveryReport } from '../../../engine/storage/partition-log.js';
import { decodeRecordBatches, encodeRecordBatch, readBatchHeader, type RecordInput } from '../../../engine/storage/record-batch.js';

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

/** A batch as a producer sends it: baseOffset 0, no leader epoch, one record per value. */
export function producerBatch(values: readonly string[], timestampMs: number, options: { keys?: readonly (string | null)[]; compression?: 'none' | 'gzip'; timestamps?: readonly number[] } = {}): Uint8Array {
  const records: RecordInput[] = values.map((v, i) => ({
    key: options.keys === undefined ? null : options.keys[i] === null ? null : text(options.keys[i]!),
    value: v === '\u0000tombstone' ? null : text(v),
    timestampMs: options.timestamps?.[i] ?? timestampMs,
  }));
  return encodeRecordBatch({ records, compression: options.compression ?? 'none' });
}

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, ...overrides };
}

export function openLog(disk: Disk, dir: string, logConfig: LogConfig, options: { nowMs?: number; clean?: boolean; recoveryPoint?: number; logStartOffset?: number; highWatermark?: number } = {}): { log: PartitionLog; report: PartitionRecoveryReport } {
  return PartitionLog.open({
    disk,
    dir,
    topic: 'orders',
    partition: 0,
    config: logConfig,
    nowMs: options.nowMs ?? 1_000,
    hadCleanShutdown: options.clean ?? false,
    recoveryPoint: options.recoveryPoint ?? 0,
    logStartOffset: options.logStartOffset ?? 0,
    highWatermark: options.highWatermark ?? 0,
  });
}

/** Every record in the log from its start, as (offset, value) pairs. */
export function readAll(log: PartitionLog, maxBytes = 1 << 20): { offset: number; value: string | null; key: string | null; timestampMs: number }[] {
  const out: { offset: number; value: string | null; key: string | null; timestampMs: number }[] = [];
  let offset = log.logStartOffset;
  for (let i = 0; i < 1_000_000 && offset < log.logEndOffset; i++) {
    const data = log.read(offset, { maxBytes });
    if (data.records.length === 0) break;
    for (const batch of decodeRecordBatches(data.records)) {
      for (const r of batch.records) if (r.offset >= offset) out.push({ offset: r.offset, value: str(r.value), key: str(r.key), timestampMs: r.timestampMs });
      offset = Math.max(offset, batch.lastOffset + 1);
    }
  }
  return out;
}

export function expectKafkaError(fn: () => unknown, errorName: string, pattern?: RegExp): KafkaError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).errorName).toBe(errorName);
    if (pattern !== undefined) expect((error as KafkaError).message).toMatch(pattern);
    return error as KafkaError;
  }
  throw new Error(`expected ${errorName}`);
}

/**
 * The indexes a segment's log bytes must have, computed independently of LogSegment from the
 * documented rule: an entry for the batch at `position` when position - lastIndexedPosition >
 * indexIntervalBytes; time entries only when the max timestamp grew; plus a final time entry for a
 * segment that is no longer active.
 */
export function expectedIndexes(logBytes: Uint8Array, baseOffset: number, indexIntervalBytes: number, isActive: boolean): { offsetIndex: Uint8Array; timeIndex: Uint8Array } {
  const offsets: number[] = [];
  const times: number[][] = [];
  let lastIndexedPosition = 0;
  let maxTs = -1;
  let offsetOfMax = baseOffset;
  let position = 0;
  const maybeTime = (ts: number, offset: number): void => {
    const last = times[times.length - 1];
    if (ts >= 0 && (last === undefined || ts > last[0]!)) times.push([ts, offset - baseOffset]);
  };
  while (position < logBytes.length) {
    const batch = readBatchHeader(logBytes, position);
    if (batch.maxTimestampMs > maxTs) {
      maxTs = batch.maxTimestampMs;
      offsetOfMax = batch.lastOffset;
    }
    if (position - lastIndexedPosition > indexIntervalBytes) {
      offsets.push(batch.lastOffset - baseOffset, position);
      lastIndexedPosition = position;
      maybeTime(maxTs, offsetOfMax);
    }
    position += batch.sizeInBytes;
  }
  if (!isActive) maybeTime(maxTs, offsetOfMax);
  const offsetIndex = new Uint8Array(offsets.length * 4);
  const view = new DataView(offsetIndex.buffer);
  offsets.forEach((v, i) => view.setInt32(i * 4, v));
  const timeIndex = new Uint8Array(times.length * 12);
  const tview = new DataView(timeIndex.buffer);
  times.forEach(([ts, rel], i) => {
    tview.setBigInt64(i * 12, BigInt(ts!));
    tview.setInt32(i * 12 + 8, rel!);
  });
  return { offsetIndex, timeIndex };
}

/** Checks every segment's in-memory and on-disk indexes against `expectedIndexes`. */
export function expectIndexesMatchLog(disk: Disk, log: PartitionLog, indexIntervalBytes: number, label: string): void {
  const segments = log.segmentList();
  segments.forEach((segment, i) => {
    const logBytes = disk.readFile(`${log.dir}/${String(segment.baseOffset).padStart(20, '0')}.log`);
    const expected = expectedIndexes(logBytes, segment.baseOffset, indexIntervalBytes, i === segments.length - 1);
    const actual = segment.indexSnapshot();
    expect(Buffer.from(actual.offsetIndex).toString('hex'), `${label}: offset index of segment ${segment.baseOffset}`).toBe(Buffer.from(expected.offsetIndex).toString('hex'));
    expect(Buffer.from(actual.timeIndex).toString('hex'), `${label}: time index of segment ${segment.baseOffset}`).toBe(Buffer.from(expected.timeIndex).toString('hex'));
  });
}
