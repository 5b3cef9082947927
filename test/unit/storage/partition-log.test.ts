import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../../../engine/core/prng.js';
import { FaultyDisk } from '../../../engine/storage/disk/faulty-disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP } from '../../../engine/storage/partition-log.js';
import { concatBytes, decodeRecordBatch, decodeRecordBatches, readBatchHeader } from '../../../engine/storage/record-batch.js';
import { config, expectIndexesMatchLog, expectKafkaError, openLog, producerBatch, readAll, text } from './storage-test-helpers.js';

const DIR = '/data/broker-0/orders-0';

describe('PartitionLog append and read', () => {
  it('assigns offsets in place, keeps the CRC valid and reads whole batches back', () => {
    const disk = new MemoryDisk();
    const { log } = openLog(disk, DIR, config());
    const first = log.appendAsLeader(producerBatch(['a', 'b', 'c'], 100), 3, 1000);
    const second = log.appendAsLeader(producerBatch(['d'], 101), 3, 1001);
    expect(first).toMatchObject({ firstOffset: 0, lastOffset: 2, recordCount: 3, maxTimestampMs: 100, logAppendTimeMs: -1 });
    expect(second).toMatchObject({ firstOffset: 3, lastOffset: 3 });
    expect(log.logEndOffset).toBe(4);
    const data = log.read(1, { maxBytes: 1 << 20 });
    expect(data.firstBatchBaseOffset).toBe(0);
    const batches = decodeRecordBatches(data.records);
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.partitionLeaderEpoch])).toEqual([[0, 2, 3], [3, 3, 3]]);
    expect(readAll(log).map((r) => `${r.offset}:${r.value}`)).toEqual(['0:a', '1:b', '2:c', '3:d']);
    expect(disk.list(DIR)).toEqual(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex', 'leader-epoch-checkpoint']);
    expect(new TextDecoder().decode(disk.readFile(`${DIR}/leader-epoch-checkpoint`))).toBe('0\n1\n3 0\n');
  });

  it('honours maxBytes with whole batches, returns one oversized batch (KIP-74), and stops at maxOffset', () => {
    const { log } = openLog(new MemoryDisk(), DIR, config());
    const sizes = [0, 1, 2, 3].map((i) => log.appendAsLeader(producerBatch(['x'.repeat(100 + i)], 1), 0, 1).sizeInBytes);
    const two = log.read(0, { maxBytes: sizes[0]! + sizes[1]! + 5 });
    expect(decodeRecordBatches(two.records).map((b) => b.baseOffset)).toEqual([0, 1]);
    const tiny = log.read(2, { maxBytes: 10 });
    expect(decodeRecordBatches(tiny.records).map((b) => b.baseOffset)).toEqual([2]);
    expect(log.read(2, { maxBytes: 10, minOneBatch: false }).records.length).toBe(0);
    const belowHw = log.read(0, { maxBytes: 1 << 20, maxOffset: 2 });
    expect(decodeRecordBatches(belowHw.records).map((b) => b.baseOffset)).toEqual([0, 1]);
    expect(log.read(4, { maxBytes: 100 }).records.length).toBe(0);
    expectKafkaError(() => log.read(5, { maxBytes: 100 }), 'OFFSET_OUT_OF_RANGE', /only have log segments in the range 0 to 4/);
  });

  it('rolls on segment.bytes and on segment.ms (by record timestamps) and reads across segments', () => {
    const disk = new MemoryDisk();
    const { log } = openLog(disk, DIR, config({ segmentBytes: 400, segmentMs: 10_000 }));
    for (let i = 0; i < 10; i++) log.appendAsLeader(producerBatch([`v${i}`.padEnd(80, '.')], 1000 + i), 0, 1000);
    const bySize = log.segmentInfos();
    expect(bySize.length).toBeGreaterThan(2);
    expect(bySize.every((s) => s.sizeBytes <= 400)).toBe(true);
    expect(bySize.map((s) => s.baseOffset)).toEqual(bySize.map((_, i) => (i === 0 ? 0 : bySize[i - 1]!.nextOffset)));
    expect(readAll(log).map((r) => r.offset)).toEqual([...Array(10).keys()]);
    const segmentsBefore = log.segmentInfos().length;
    log.appendAsLeader(producerBatch(['late'], 1009 + 10_001), 0, 1000);
    expect(log.segmentInfos().length).toBe(segmentsBefore + 1);
    expect(log.recoveryPoint).toBe(10);
    expect(disk.list(DIR).filter((n) => n.endsWith('.log'))).toHaveLength(segmentsBefore + 1);
  });

  it('indexes every index.interval.bytes, identically to a rebuild from the log', () => {
    const disk = new MemoryDisk();
    const seed = 4711;
    const prng = new SeededPrng(seed);
    const { log } = openLog(disk, DIR, config({ segmentBytes: 64 * 1024, indexIntervalBytes: 1024 }));
    for (let i = 0; i < 400; i++) {
      const values = Array.from({ length: 1 + prng.nextInt(5) }, () => 'v'.repeat(prng.nextInt(300)));
      log.appendAsLeader(producerBatch(values, 1_000_000 + prng.nextInt(100_000)), 0, 1);
    }
    expect(log.segmentInfos().length).toBeGreaterThan(1);
    expect(log.segmentInfos()[0]!.offsetIndexEntries).toBeGreaterThan(10);
    expectIndexesMatchLog(disk, log, 1024, `seed ${seed}`);
    log.close(2);
    const reopened = openLog(disk, DIR, config({ segmentBytes: 64 * 1024, indexIntervalBytes: 1024 }), { clean: true, recoveryPoint: log.logEndOffset });
    expect(reopened.report.indexesRebuilt).toBe(0);
    expect(reopened.report.segmentsScanned).toBe(0);
    expectIndexesMatchLog(disk, reopened.log, 1024, `seed ${seed} reopened`);
  });

  it('finds offsets by timestamp like a brute-force scan (ListOffsets), with -1, -2 and -3', () => {
    const seed = 99;
    const prng = new SeededPrng(seed);
    const { log } = openLog(new MemoryDisk(), DIR, config({ segmentBytes: 8 * 1024, indexIntervalBytes: 256 }));
    for (let i = 0; i < 300; i++) {
      const n = 1 + prng.nextInt(4);
      const timestamps = Array.from({ length: n }, () => 10_000 + prng.nextInt(5000));
      log.appendAsLeader(producerBatch(Array.from({ length: n }, () => 'p'.repeat(prng.nextInt(60))), 0, { timestamps }), 0, 1);
    }
    const all = readAll(log);
    for (let t = 9_990; t <= 15_010; t += 7) {
      const expected = all.find((r) => r.timestampMs >= t);
      const actual = log.fetchOffsetByTimestamp(t);
      expect(actual?.offset, `seed ${seed} target ${t}`).toBe(expected?.offset);
      if (expected !== undefined) expect(actual?.timestampMs).toBe(expected.timestampMs);
    }
    expect(log.fetchOffsetByTimestamp(LATEST_TIMESTAMP)?.offset).toBe(log.logEndOffset);
    expect(log.fetchOffsetByTimestamp(EARLIEST_TIMESTAMP)?.offset).toBe(0);
    const maxTs = Math.max(...all.map((r) => r.timestampMs));
    expect(log.fetchOffsetByTimestamp(MAX_TIMESTAMP)).toMatchObject({ offset: all.find((r) => r.timestampMs === maxTs)!.offset, timestampMs: maxTs });
  });

  it('stamps LogAppendTime when message.timestamp.type=LogAppendTime', () => {
    const { log } = openLog(new MemoryDisk(), DIR, config({ messageTimestampType: 'LogAppendTime' }));
    const info = log.appendAsLeader(producerBatch(['a', 'b'], 5), 0, 777);
    expect(info.logAppendTimeMs).toBe(777);
    const batch = decodeRecordBatch(log.read(0, { maxBytes: 1000 }).records);
    expect(batch.timestampType).toBe('LogAppendTime');
    expect(batch.records.map((r) => r.timestampMs)).toEqual([777, 777]);
  });

  it('refuses bad batches with Kafka errors and changes nothing', () => {
    const { log } = openLog(new MemoryDisk(), DIR, config({ maxMessageBytes: 200, cleanupCompact: true, cleanupDelete: false }));
    expectKafkaError(() => log.appendAsLeader(producerBatch(['x'.repeat(300)], 1, { keys: ['k'] }), 0, 1), 'MESSAGE_TOO_LARGE');
    expectKafkaError(() => log.appendAsLeader(producerBatch(['v'], 1), 0, 1), 'CORRUPT_MESSAGE', /Compacted topic cannot accept message without key/);
    const two = concatBytes([producerBatch(['a'], 1, { keys: ['k'] }), producerBatch(['b'], 1, { keys: ['k'] })]);
    expectKafkaError(() => log.appendAsLeader(two, 0, 1), 'CORRUPT_MESSAGE', /Expected one record batch/);
    const flipped = producerBatch(['v'], 1, { keys: ['k'] });
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 1;
    expectKafkaError(() => log.appendAsLeader(flipped, 0, 1), 'CORRUPT_MESSAGE', /Record is corrupt/);
    expect(log.logEndOffset).toBe(0);
    expect(log.sizeInBytes).toBe(0);
  });

  it('appends as a follower with the leader offsets, rejecting offsets below the log end', () => {
    const leader = openLog(new MemoryDisk(), DIR, config()).log;
    leader.appendAsLeader(producerBatch(['a', 'b'], 1), 1, 1);
    leader.appendAsLeader(producerBatch(['c'], 2), 2, 1);
    const fetched = leader.read(0, { maxBytes: 1 << 20 }).records;
    const follower = openLog(new MemoryDisk(), DIR, config()).log;
    const info = follower.appendAsFollower(concatBytes([fetched, fetched.subarray(0, 20)]), 5);
    expect(info).toMatchObject({ firstOffset: 0, lastOffset: 2, recordCount: 3 });
    expect(follower.leaderEpochs.list()).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 2 }]);
    expectKafkaError(() => follower.appendAsFollower(fetched, 6), 'CORRUPT_MESSAGE', /First offset 0 is less than the next offset 3/);
    expect(follower.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 2 });
    expect(follower.endOffsetForEpoch(2)).toEqual({ epoch: 2, endOffset: 3 });
  });
});

describe('PartitionLog truncation', () => {
  it('truncates to an offset across segments, trims the epoch cache, and appends again', () => {
    const disk = new MemoryDisk();
    const { log } = openLog(disk, DIR, config({ segmentBytes: 300, indexIntervalBytes: 100 }));
    for (let i = 0; i < 12; i++) log.appendAsLeader(producerBatch([`v${i}`.padEnd(60, '.')], 1000 + i), i < 6 ? 1 : 2, 1);
    log.updateHighWatermark(12);
    expect(log.truncateTo(5, 2)).toBe(true);
    expect(log.logEndOffset).toBe(5);
    expect(log.highWatermark).toBe(5);
    expect(log.leaderEpochs.list()).toEqual([{ epoch: 1, startOffset: 0 }]);
    expect(readAll(log).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expectIndexesMatchLog(disk, log, 100, 'after truncation');
    log.appendAsLeader(producerBatch(['new'], 5000), 3, 3);
    expect(readAll(log).map((r) => `${r.offset}:${r.value?.slice(0, 3)}`)).toEqual(['0:v0.', '1:v1.', '2:v2.', '3:v3.', '4:v4.', '5:new']);
    expect(log.truncateTo(99, 3)).toBe(false);
  });

  it('truncates fully and restarts at a new offset', () => {
    const { log } = openLog(new MemoryDisk(), DIR, config());
    log.appendAsLeader(producerBatch(['a'], 1), 0, 1);
    log.truncateFullyAndStartAt(1000, 2);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([1000, 1000, 1000]);
    expect(log.appendAsLeader(producerBatch(['b'], 1), 0, 3).firstOffset).toBe(1000);
  });
});

describe('PartitionLog recovery', () => {
  it('recovers a log that was not closed: re-scans from the recovery point and keeps every valid batch', () => {
    const disk = new MemoryDisk();
    const cfg = config({ segmentBytes: 1000, indexIntervalBytes: 200 });
    const { log } = openLog(disk, DIR, cfg);
    for (let i = 0; i < 40; i++) log.appendAsLeader(producerBatch([`r${i}`.padEnd(50, '-')], 100 + i), 0, 1);
    const recoveryPoint = log.recoveryPoint;
    expect(recoveryPoint).toBeGreaterThan(0);
    const { log: again, report } = openLog(disk, DIR, cfg, { recoveryPoint });
    expect(report).toMatchObject({ hadCleanShutdown: false, bytesTruncated: 0, truncatedAtOffset: null, reason: null, logEndOffset: 40 });
    expect(report.segmentsScanned).toBe(1);
    expect(readAll(again).map((r) => r.offset)).toEqual([...Array(40).keys()]);
    expectIndexesMatchLog(disk, again, 200, 'recovered');
  });

  it('truncates a torn write at the first invalid batch, reports it, and accepts appends again', () => {
    const faulty = new FaultyDisk(new MemoryDisk());
    const cfg = config({ indexIntervalBytes: 100 });
    const { log } = openLog(faulty, DIR, cfg);
    for (let i = 0; i < 5; i++) log.appendAsLeader(producerBatch([`ok${i}`.padEnd(40, '.')], 10), 0, 1);
    faulty.tearNextAppend('.log', 30);
    expectKafkaError(() => log.appendAsLeader(producerBatch(['torn'.padEnd(40, '.')], 10), 0, 1), 'KAFKA_STORAGE_ERROR');
    expect(log.isOffline).toBe(true);
    expectKafkaError(() => log.read(0, { maxBytes: 100 }), 'KAFKA_STORAGE_ERROR', /offline/);
    faulty.restart();
    const { log: recovered, report } = openLog(faulty, DIR, cfg);
    expect(report.bytesTruncated).toBe(30);
    expect(report.truncatedAtOffset).toBe(5);
    expect(report.reason).toMatch(/torn batch/);
    expect(recovered.logEndOffset).toBe(5);
    expect(recovered.appendAsLeader(producerBatch(['after'], 11), 0, 2).firstOffset).toBe(5);
    expect(readAll(recovered).map((r) => r.value?.slice(0, 5))).toEqual(['ok0..', 'ok1..', 'ok2..', 'ok3..', 'ok4..', 'after']);
    expectIndexesMatchLog(faulty, recovered, 100, 'after torn write');
  });

  it('on a bit flip, truncates at the corrupt batch, deletes later segments, and says why', () => {
    const disk = new FaultyDisk(new MemoryDisk());
    const cfg = config({ segmentBytes: 600 });
    const { log } = openLog(disk, DIR, cfg);
    for (let i = 0; i < 20; i++) log.appendAsLeader(producerBatch([`m${i}`.padEnd(60, '_')], 10 + i), 0, 1);
    const segments = log.segmentInfos();
    expect(segments.length).toBeGreaterThan(3);
    const victim = segments[1]!;
    const victimPath = `${DIR}/${String(victim.baseOffset).padStart(20, '0')}.log`;
    const batchSize = readBatchHeader(disk.readFile(victimPath), 0).sizeInBytes;
    disk.flipBit(victimPath, batchSize + 70, 2);
    const { log: recovered, report } = openLog(disk, DIR, cfg, { recoveryPoint: 0 });
    expect(report.reason).toMatch(/Record is corrupt \(stored crc = \d+, computed crc = \d+\)/);
    expect(report.truncatedAtOffset).toBe(victim.baseOffset + 1);
    expect(report.offsetsTruncated).toBe(20 - victim.baseOffset - 1);
    expect(report.segmentsDeleted).toBe(segments.length - 2);
    expect(recovered.logEndOffset).toBe(victim.baseOffset + 1);
    expect(recovered.appendAsLeader(producerBatch(['again'], 99), 0, 2).firstOffset).toBe(victim.baseOffset + 1);
    expectIndexesMatchLog(disk, recovered, cfg.indexIntervalBytes, 'after bit flip');
  });

  it('after a clean shutdown loads without scanning, and rebuilds a corrupt index', () => {
    const disk = new MemoryDisk();
    const cfg = config({ indexIntervalBytes: 50 });
    const { log } = openLog(disk, DIR, cfg);
    for (let i = 0; i < 30; i++) log.appendAsLeader(producerBatch([`c${i}`.padEnd(40, '=')], 10 + i), 0, 1);
    log.close(5);
    const indexPath = `${DIR}/00000000000000000000.index`;
    const index = disk.readFile(indexPath);
    expect(index.length).toBeGreaterThan(16);
    disk.writeFileAtomic(indexPath, index.subarray(0, index.length - 3));
    const { log: reopened, report } = openLog(disk, DIR, cfg, { clean: true, recoveryPoint: 30 });
    expect(report.indexesRebuilt).toBe(1);
    expect(report.warnings.join()).toMatch(/corrupt index file/);
    expect(reopened.logEndOffset).toBe(30);
    expectIndexesMatchLog(disk, reopened, 50, 'rebuilt index');
  });

  it('loses unsynced data on power loss only above the recovery point (flush.messages), and lying fsync loses it all', () => {
    for (const behaviour of ['honest', 'lying'] as const) {
      const faulty = new FaultyDisk(new MemoryDisk(), { syncBehaviour: behaviour });
      faulty.mkdirp(DIR);
      const cfg = config({ flushMessages: 4 });
      const { log } = openLog(faulty, DIR, cfg);
      for (let i = 0; i < 10; i++) log.appendAsLeader(producerBatch([`p${i}`], 10), 0, 1);
      expect(log.recoveryPoint).toBe(8);
      faulty.powerLoss();
      const { log: after } = openLog(faulty, DIR, cfg, { recoveryPoint: 8 });
      expect(after.logEndOffset, behaviour).toBe(behaviour === 'honest' ? 8 : 0);
    }
  });

  it('goes offline on ENOSPC, cutting the partial write, and recovers on reopen', () => {
    const faulty = new FaultyDisk(new MemoryDisk());
    const { log } = openLog(faulty, DIR, config());
    log.appendAsLeader(producerBatch(['fits'], 1), 0, 1);
    faulty.capacityBytes = log.sizeInBytes + 30;
    const error = expectKafkaError(() => log.appendAsLeader(producerBatch(['x'.repeat(100)], 1), 0, 1), 'KAFKA_STORAGE_ERROR', /no space left/);
    expect(error.details).toEqual({ code: 'ENOSPC' });
    expect(faulty.fileSize(`${DIR}/00000000000000000000.log`)).toBe(log.sizeInBytes);
    faulty.capacityBytes = Number.POSITIVE_INFINITY;
    const { log: again, report } = openLog(faulty, DIR, config());
    expect(report.bytesTruncated).toBe(0);
    expect(again.appendAsLeader(producerBatch(['next'], 1), 0, 1).firstOffset).toBe(1);
  });
});

describe('PartitionLog retention', () => {
  function filled(cfg: ReturnType<typeof config>, count: number, tsOf: (i: number) => number) {
    const disk = new MemoryDisk();
    const { log } = openLog(disk, DIR, cfg);
    for (let i = 0; i < count; i++) log.appendAsLeader(producerBatch([`r${i}`.padEnd(80, '.')], tsOf(i)), 0, 1);
    return { disk, log };
  }

  it('deletes whole segments older than retention.ms, only below the high watermark', () => {
    const { log } = filled(config({ segmentBytes: 500, retentionMs: 1000 }), 20, (i) => 10_000 + i * 100);
    const segments = log.segmentInfos();
    expect(segments.length).toBeGreaterThan(3);
    expect(log.deleteOldSegments(100_000).segmentsDeleted).toBe(0);
    log.updateHighWatermark(segments[2]!.baseOffset);
    const result = log.deleteOldSegments(100_000);
    expect(result).toMatchObject({ segmentsDeleted: 2, byRetentionMs: 2, logStartOffset: segments[2]!.baseOffset });
    expect(log.logStartOffset).toBe(segments[2]!.baseOffset);
    expectKafkaError(() => log.read(0, { maxBytes: 100 }), 'OFFSET_OUT_OF_RANGE');
  });

  it('rolls first when every segment qualifies, so the log keeps an active segment', () => {
    const { log } = filled(config({ segmentBytes: 500, retentionMs: 1000 }), 20, () => 10_000);
    log.updateHighWatermark(20);
    const result = log.deleteOldSegments(100_000);
    expect(result.segmentsDeleted).toBeGreaterThan(3);
    expect(log.segmentInfos()).toEqual([expect.objectContaining({ baseOffset: 20, sizeBytes: 0 })]);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([20, 20]);
    expect(log.appendAsLeader(producerBatch(['z'], 1), 0, 1).firstOffset).toBe(20);
  });

  it('deletes the oldest segments while the log exceeds retention.bytes', () => {
    const { log } = filled(config({ segmentBytes: 500, retentionMs: -1, retentionBytes: 1200 }), 20, () => 1);
    log.updateHighWatermark(20);
    log.deleteOldSegments(5);
    expect(log.sizeInBytes).toBeLessThanOrEqual(1200);
    expect(log.sizeInBytes + log.segmentInfos()[0]!.sizeBytes).toBeGreaterThan(1200);
  });

  it('deletes segments below an advanced log start offset (DeleteRecords)', () => {
    const { log } = filled(config({ segmentBytes: 500, retentionMs: -1, cleanupDelete: false, cleanupCompact: true }), 0, () => 1);
    for (let i = 0; i < 20; i++) log.appendAsLeader(producerBatch([`r${i}`.padEnd(80, '.')], 1, { keys: [`k${i}`] }), 0, 1);
    expectKafkaError(() => log.advanceLogStartOffset(10), 'OFFSET_OUT_OF_RANGE', /larger than the high watermark/);
    log.updateHighWatermark(20);
    log.advanceLogStartOffset(10);
    const result = log.deleteOldSegments(5);
    expect(result.byLogStartOffset).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(10);
    expect(log.segmentInfos()[0]!.baseOffset).toBeLessThanOrEqual(10);
    expect(readAll(log)[0]!.offset).toBe(10);
  });
});

describe('PartitionLog headers', () => {
  it('round-trips record headers and gzip batches through the log', () => {
    const { log } = openLog(new MemoryDisk(), DIR, config());
    log.appendAsLeader(producerBatch(['zipped', 'twice'], 3, { compression: 'gzip' }), 0, 1);
    const batch = decodeRecordBatch(log.read(0, { maxBytes: 1000 }).records);
    expect(batch.compression).toBe('gzip');
    expect(batch.records.map((r) => new TextDecoder().decode(r.value!))).toEqual(['zipped', 'twice']);
    expect(text('x')).toEqual(new Uint8Array([120]));
  });
});
