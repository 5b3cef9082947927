import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { compactLog } from '../../../engine/storage/log-cleaner.js';
import { decodeRecordBatches } from '../../../engine/storage/record-batch.js';
import { config, expectIndexesMatchLog, openLog, producerBatch, readAll } from './storage-test-helpers.js';

const DIR = '/data/broker-0/__consumer_offsets-7';
const compacted = config({ cleanupCompact: true, cleanupDelete: false, segmentBytes: 600, deleteRetentionMs: 1000, indexIntervalBytes: 100 });

function fill(writes: readonly [string, string | null][]) {
  const disk = new MemoryDisk();
  const { log } = openLog(disk, DIR, compacted);
  for (const [key, value] of writes) log.appendAsLeader(producerBatch([value ?? '\u0000tombstone'], 100, { keys: [key] }), 0, 1);
  log.updateHighWatermark(log.logEndOffset);
  return { disk, log };
}

describe('log compaction', () => {
  it('keeps the latest value per key, never moves offsets, and leaves the active segment alone', () => {
    const writes: [string, string | null][] = [];
    for (let i = 0; i < 60; i++) writes.push([`k${i % 5}`, `v${i}`.padEnd(30, '.')]);
    const { disk, log } = fill(writes);
    const activeBase = log.segmentInfos().at(-1)!.baseOffset;
    const result = compactLog(log, { nowMs: 10, firstDirtyOffset: 0 });
    expect(result.cleaned).toBe(true);
    expect(result.firstDirtyOffset).toBe(activeBase);
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
    const records = readAll(log);
    const cleanPart = records.filter((r) => r.offset < activeBase);
    const keys = cleanPart.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of cleanPart) {
      const lastWrite = writes.map((w, offset) => ({ key: w[0], offset })).filter((w) => w.key === r.key).filter((w) => w.offset < activeBase).at(-1)!;
      expect(r.offset).toBe(lastWrite.offset);
    }
    expect(records.filter((r) => r.offset >= activeBase).map((r) => r.offset)).toEqual([...Array(60 - activeBase).keys()].map((i) => i + activeBase));
    expect(log.logEndOffset).toBe(60);
    expectIndexesMatchLog(disk, log, 100, 'compacted');
    expect(compactLog(log, { nowMs: 11, firstDirtyOffset: result.firstDirtyOffset }).skippedReason).toMatch(/nothing dirty/);
  });

  it('keeps a tombstone until its delete horizon, then removes it (KIP-534)', () => {
    const writes: [string, string | null][] = [['a', 'a1'.padEnd(40)], ['b', 'b1'.padEnd(40)], ['a', null]];
    for (let i = 0; i < 30; i++) writes.push([`filler${i}`, 'f'.padEnd(40)]);
    const { log } = fill(writes);
    const first = compactLog(log, { nowMs: 5000, firstDirtyOffset: 0, force: true });
    expect(first.tombstonesRemoved).toBe(0);
    const batches = decodeRecordBatches(log.read(0, { maxBytes: 1 << 20 }).records);
    const tombstoneBatch = batches.find((b) => b.records.some((r) => r.key !== null && new TextDecoder().decode(r.key) === 'a'))!;
    expect(tombstoneBatch.hasDeleteHorizon).toBe(true);
    expect(tombstoneBatch.baseTimestampMs).toBe(6000);
    expect(tombstoneBatch.records[0]!.value).toBeNull();
    expect(tombstoneBatch.records[0]!.timestampMs).toBe(100);
    expect(readAll(log).filter((r) => r.key === 'a').map((r) => [r.offset, r.value])).toEqual([[2, null]]);
    const early = compactLog(log, { nowMs: 5500, firstDirtyOffset: 0, force: true });
    expect(early.tombstonesRemoved).toBe(0);
    const late = compactLog(log, { nowMs: 6000, firstDirtyOffset: 0, force: true });
    expect(late.tombstonesRemoved).toBe(1);
    expect(readAll(log).filter((r) => r.key === 'a')).toEqual([]);
    expect(readAll(log).filter((r) => r.key === 'b').map((r) => r.offset)).toEqual([1]);
  });

  it('skips below min.cleanable.dirty.ratio and below the high watermark', () => {
    const writes: [string, string | null][] = [];
    for (let i = 0; i < 40; i++) writes.push([`k${i}`, `v${i}`.padEnd(30, '.')]);
    const { log } = fill(writes);
    log.updateHighWatermark(0);
    expect(compactLog(log, { nowMs: 1, firstDirtyOffset: 0 }).skippedReason).toMatch(/no cleanable segment/);
    log.updateHighWatermark(40);
    const segments = log.segmentInfos();
    const almostClean = segments.at(-2)!.baseOffset;
    expect(compactLog(log, { nowMs: 1, firstDirtyOffset: almostClean }).skippedReason).toMatch(/below min.cleanable.dirty.ratio 0.5/);
  });

  it('survives a reopen: the swapped segments are recovered like any other', () => {
    const writes: [string, string | null][] = [];
    for (let i = 0; i < 50; i++) writes.push([`k${i % 3}`, `v${i}`.padEnd(30, '.')]);
    const { disk, log } = fill(writes);
    compactLog(log, { nowMs: 1, firstDirtyOffset: 0 });
    const before = readAll(log);
    const { log: reopened, report } = openLog(disk, DIR, compacted, { recoveryPoint: 0 });
    expect(report.bytesTruncated).toBe(0);
    expect(readAll(reopened)).toEqual(before);
  });

  it('finishes an interrupted swap at the next open', () => {
    const writes: [string, string | null][] = [];
    for (let i = 0; i < 30; i++) writes.push([`k${i % 2}`, `v${i}`.padEnd(30, '.')]);
    const { disk, log } = fill(writes);
    const segment = log.segmentList()[0]!;
    const logPath = `${DIR}/${String(segment.baseOffset).padStart(20, '0')}.log`;
    const firstBatch = segment.readBytes(0, segment.batches()[0]!.sizeInBytes);
    disk.writeFileAtomic(`${logPath}.swap`, firstBatch);
    disk.writeFileAtomic(`${DIR}/00000000000000000099.log.cleaned`, new Uint8Array(10));
    const { log: reopened, report } = openLog(disk, DIR, compacted, { recoveryPoint: 0 });
    expect(report.warnings.join('\n')).toMatch(/interrupted compaction swap/);
    expect(report.warnings.join('\n')).toMatch(/leftover file 00000000000000000099.log.cleaned/);
    expect(readAll(reopened)[0]!.offset).toBe(0);
    expect(disk.list(DIR).some((n) => n.endsWith('.swap') || n.endsWith('.cleaned'))).toBe(false);
  });
});
