import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { FaultyDisk } from '../../../engine/storage/disk/faulty-disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../engine/storage/log-config.js';
import { LogManager, parsePartitionDirName } from '../../../engine/storage/log-manager.js';
import { producerBatch, readAll } from './storage-test-helpers.js';

const DATA = '/var/kafka-lab';

function open(disk: MemoryDisk | FaultyDisk, configs: Record<string, Partial<LogConfig>> = {}, brokerId = 1) {
  return LogManager.open({ disk, dataDir: DATA, brokerId, nowMs: 1000, configFor: (topic) => ({ ...DEFAULT_LOG_CONFIG, ...configs[topic] }) });
}

const read = (disk: MemoryDisk, name: string): string => new TextDecoder().decode(disk.readFile(`${DATA}/broker-1/${name}`));

describe('LogManager', () => {
  it('creates partition directories and writes checkpoints in Kafka\'s format', () => {
    const disk = new MemoryDisk();
    const { manager, report } = open(disk);
    expect(report).toMatchObject({ brokerId: 1, logDir: `${DATA}/broker-1`, hadCleanShutdown: false, partitions: [] });
    const orders = manager.getOrCreateLog('orders', 2, 1000);
    expect(manager.getOrCreateLog('orders', 2, 1000)).toBe(orders);
    manager.getOrCreateLog('inventory', 0, 1000);
    orders.appendAsLeader(producerBatch(['a', 'b'], 5), 0, 1000);
    orders.updateHighWatermark(2);
    manager.checkpoint();
    expect(disk.list(`${DATA}/broker-1`)).toEqual([
      'cleaner-offset-checkpoint',
      'inventory-0',
      'log-start-offset-checkpoint',
      'meta.properties',
      'orders-2',
      'recovery-point-offset-checkpoint',
      'replication-offset-checkpoint',
    ]);
    expect(read(disk, 'replication-offset-checkpoint')).toBe('0\n2\ninventory 0 0\norders 2 2\n');
    expect(read(disk, 'recovery-point-offset-checkpoint')).toBe('0\n2\ninventory 0 0\norders 2 0\n');
    expect(read(disk, 'meta.properties')).toBe('version=0\nbroker.id=1\n');
    expect(manager.allLogs().map((l) => `${l.topic}-${l.partition}`)).toEqual(['inventory-0', 'orders-2']);
  });

  it('keeps topics and records across a clean restart without scanning, and removes the marker on open', () => {
    const disk = new MemoryDisk();
    const { manager } = open(disk);
    const log = manager.getOrCreateLog('orders', 0, 1000);
    for (let i = 0; i < 5; i++) log.appendAsLeader(producerBatch([`o${i}`], 10), 0, 1000);
    log.updateHighWatermark(5);
    manager.shutdown(2000);
    expect(disk.exists(`${DATA}/broker-1/.kafka_cleanshutdown`)).toBe(true);
    expect(read(disk, 'recovery-point-offset-checkpoint')).toBe('0\n1\norders 0 5\n');
    expect(() => manager.getOrCreateLog('x', 0, 1)).toThrow(KafkaError);
    const { manager: again, report } = open(disk);
    expect(report.hadCleanShutdown).toBe(true);
    expect(report.partitions[0]).toMatchObject({ topic: 'orders', partition: 0, segmentsScanned: 0, logEndOffset: 5 });
    expect(disk.exists(`${DATA}/broker-1/.kafka_cleanshutdown`)).toBe(false);
    const reopened = again.getLog('orders', 0)!;
    expect(reopened.highWatermark).toBe(5);
    expect(readAll(reopened).map((r) => r.value)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
  });

  it('recovers after a crash (no shutdown) from the checkpointed recovery point', () => {
    const disk = new MemoryDisk();
    const { manager } = open(disk, { t: { flushMessages: 3 } });
    const log = manager.getOrCreateLog('t', 0, 1000);
    for (let i = 0; i < 7; i++) log.appendAsLeader(producerBatch([`m${i}`], 10), 0, 1000);
    manager.checkpoint();
    const { report } = open(disk, { t: { flushMessages: 3 } });
    expect(report.hadCleanShutdown).toBe(false);
    expect(report.partitions[0]).toMatchObject({ recoveryPoint: 6, segmentsScanned: 1, bytesTruncated: 0, logEndOffset: 7 });
  });

  it('ignores an unreadable checkpoint with a warning and re-scans everything', () => {
    const disk = new MemoryDisk();
    const { manager } = open(disk);
    manager.getOrCreateLog('t', 0, 1000).appendAsLeader(producerBatch(['x'], 1), 0, 1);
    manager.shutdown(5);
    disk.writeFileAtomic(`${DATA}/broker-1/recovery-point-offset-checkpoint`, new TextEncoder().encode('0\n7\nbroken'));
    const { report } = open(disk);
    expect(report.warnings.join()).toMatch(/recovery-point-offset-checkpoint is unreadable/);
    expect(report.partitions[0]).toMatchObject({ hadCleanShutdown: false, segmentsScanned: 1, logEndOffset: 1 });
  });

  it('deletes a partition crash-safely and finishes an interrupted delete on open', () => {
    const disk = new MemoryDisk();
    const { manager } = open(disk);
    manager.getOrCreateLog('gone', 0, 1000).appendAsLeader(producerBatch(['x'], 1), 0, 1);
    manager.getOrCreateLog('kept', 0, 1000);
    expect(manager.deleteLog('gone', 0)).toBe(true);
    expect(manager.deleteLog('gone', 0)).toBe(false);
    expect(disk.list(`${DATA}/broker-1`).filter((n) => n.startsWith('gone'))).toEqual([]);
    expect(read(disk, 'recovery-point-offset-checkpoint')).toBe('0\n1\nkept 0 0\n');
    disk.mkdirp(`${DATA}/broker-1/half-0-delete`);
    const { report } = open(disk);
    expect(report.warnings).toContain('finished deleting half-0-delete');
    expect(disk.exists(`${DATA}/broker-1/half-0-delete`)).toBe(false);
  });

  it('refuses another broker\'s log dir', () => {
    const disk = new MemoryDisk();
    open(disk);
    disk.mkdirp(`${DATA}/broker-2`);
    disk.writeFileAtomic(`${DATA}/broker-2/meta.properties`, new TextEncoder().encode('version=0\nbroker.id=1\n'));
    expect(() => open(disk, {}, 2)).toThrow(/Stored node id 1 doesn't match previous node id 2/);
  });

  it('runs retention and compaction by topic config, and reports offline logs without writing the marker', () => {
    const faulty = new FaultyDisk(new MemoryDisk());
    const { manager } = open(faulty as unknown as MemoryDisk, {
      old: { segmentBytes: 300, retentionMs: 100 },
      offsets: { segmentBytes: 300, cleanupCompact: true, cleanupDelete: false },
    });
    const old = manager.getOrCreateLog('old', 0, 1000);
    const offsets = manager.getOrCreateLog('offsets', 0, 1000);
    for (let i = 0; i < 10; i++) {
      old.appendAsLeader(producerBatch([`v${i}`.padEnd(60)], 10), 0, 1000);
      offsets.appendAsLeader(producerBatch([`v${i}`.padEnd(60)], 10, { keys: [`k${i % 2}`] }), 0, 1000);
    }
    old.updateHighWatermark(10);
    offsets.updateHighWatermark(10);
    const results = manager.cleanupLogs(10_000);
    expect(results.find((r) => r.topic === 'old')!.retention!.segmentsDeleted).toBeGreaterThan(0);
    expect(results.find((r) => r.topic === 'offsets')!.compaction!.cleaned).toBe(true);
    expect(read(faulty as unknown as MemoryDisk, 'cleaner-offset-checkpoint')).toBe('0\n0\n');
    manager.checkpoint();
    expect(read(faulty as unknown as MemoryDisk, 'cleaner-offset-checkpoint')).toMatch(/^0\n1\noffsets 0 \d+\n$/);
    faulty.failNextWrites('EIO', 1);
    expect(() => old.appendAsLeader(producerBatch(['x'], 1), 0, 1)).toThrow(/KAFKA_STORAGE_ERROR|Error while/);
    expect(manager.offlineLogs()).toEqual([{ topic: 'old', partition: 0, reason: expect.stringContaining('EIO') }]);
    manager.shutdown(20_000);
    expect(faulty.exists(`${DATA}/broker-1/.kafka_cleanshutdown`)).toBe(false);
  });

  it('parses partition directory names', () => {
    expect(parsePartitionDirName('orders-12')).toEqual({ topic: 'orders', partition: 12 });
    expect(parsePartitionDirName('my-topic-0')).toEqual({ topic: 'my-topic', partition: 0 });
    expect(parsePartitionDirName('__consumer_offsets-49')).toEqual({ topic: '__consumer_offsets', partition: 49 });
    expect(parsePartitionDirName('meta.properties')).toBeNull();
    expect(parsePartitionDirName('orders-x')).toBeNull();
    expect(parsePartitionDirName('-1')).toBeNull();
  });
});
