import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { LogSegment, offsetFileName, parseOffsetFileName } from '../../../engine/storage/log-segment.js';
import { decodeRecordBatches, encodeRecordBatch, ensureValidBatch } from '../../../engine/storage/record-batch.js';
import { expectedIndexes, text } from './storage-test-helpers.js';

const DIR = '/d/t-0';
const PARAMS = { indexIntervalBytes: 200, segmentIndexBytes: 10 * 1024 * 1024 };

function segmentWith(batches: number, base = 100): { disk: MemoryDisk; segment: LogSegment } {
  const disk = new MemoryDisk();
  disk.mkdirp(DIR);
  const segment = LogSegment.create(disk, DIR, base, PARAMS, 5);
  let offset = base;
  for (let i = 0; i < batches; i++) {
    const bytes = encodeRecordBatch({ records: [0, 1].map((r) => ({ key: null, value: text(`b${i}r${r}`.padEnd(50, '.')), timestampMs: 1000 + i * 10 + r })), baseOffset: offset });
    const header = ensureValidBatch(bytes, 0);
    segment.append(bytes, 0, bytes.length, header, header.maxTimestampMs);
    offset = header.lastOffset + 1;
  }
  return { disk, segment };
}

describe('LogSegment', () => {
  it('names files %020d', () => {
    expect(offsetFileName(0)).toBe('00000000000000000000');
    expect(offsetFileName(1234)).toBe('00000000000000001234');
    expect(parseOffsetFileName('00000000000000001234')).toBe(1234);
    expect(parseOffsetFileName('1234')).toBeNull();
    expect(LogSegment.logPath('/x', 7)).toBe('/x/00000000000000000007.log');
  });

  it('appends, indexes by the interval rule, translates offsets and reads bounded ranges', () => {
    const { disk, segment } = segmentWith(20);
    expect(segment.nextOffset()).toBe(140);
    expect(segment.maxTimestampSoFar()).toBe(1191);
    const expected = expectedIndexes(disk.readFile(LogSegment.logPath(DIR, 100)), 100, 200, true);
    expect(segment.indexSnapshot()).toEqual(expected);
    expect(segment.translateOffset(117)).toMatchObject({ baseOffset: 116, lastOffset: 117 });
    expect(segment.translateOffset(140)).toBeNull();
    const batchBytes = segment.translateOffset(110)!.sizeInBytes;
    const read = segment.read(110, 3 * batchBytes + 5, 130, true)!;
    expect(decodeRecordBatches(read.bytes).map((b) => b.baseOffset)).toEqual([110, 112, 114]);
    expect(segment.read(128, 10_000, 130, true)!.lastOffset).toBe(129);
    expect(segment.read(130, 10_000, 130, true)).toBeNull();
  });

  it('decides to roll on size, time (by record timestamps), and relative offset overflow', () => {
    const { segment } = segmentWith(3);
    expect(segment.shouldRoll(1_000_000, 10_000, 100, 110, 1000 + 9_999, 0)).toBe(false);
    expect(segment.shouldRoll(1_000_000, 10_000, 100, 110, 1000 + 10_002, 0)).toBe(true);
    expect(segment.shouldRoll(segment.size() + 99, 10_000, 100, 110, 1001, 0)).toBe(true);
    expect(segment.shouldRoll(1_000_000, 10_000, 100, 100 + 2 ** 31, 1001, 0)).toBe(true);
    const empty = LogSegment.create(new MemoryDisk(), '/', 0, PARAMS, 0);
    expect(empty.shouldRoll(14, 1, 1_000_000, 0, 0, 1e12)).toBe(false);
  });

  it('truncates to an offset and recovers from garbage after the last batch', () => {
    const { disk, segment } = segmentWith(10);
    expect(segment.truncateTo(107)).toBeGreaterThan(0);
    expect(segment.nextOffset()).toBe(106);
    expect(segment.indexSnapshot()).toEqual(expectedIndexes(disk.readFile(LogSegment.logPath(DIR, 100)), 100, 200, true));
    const file = disk.openFile(LogSegment.logPath(DIR, 100));
    file.append(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 106, 0, 0, 1, 0, 9, 9]));
    file.close();
    const { segment: reopened, rebuildReason } = LogSegment.open(disk, DIR, 100, PARAMS, 9);
    expect(rebuildReason).toMatch(/unreadable/);
    const result = reopened.recover(true, true);
    expect(result).toMatchObject({ truncatedBytes: 14, batchesScanned: 3, truncatedUpToOffset: 106 });
    expect(result.reason).toMatch(/torn batch at position/);
    expect(reopened.nextOffset()).toBe(106);
  });
});
