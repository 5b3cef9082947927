/**
 * A broker's disk under the disk faults: a power loss keeps exactly what an honest fsync made
 * durable (tracked as lengths, so it works over the real NodeDisk too), a lying fsync makes
 * nothing durable, a full disk refuses writes with ENOSPC and writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskError } from '../../../engine/storage/disk/disk.js';
import { FaultableDisk, diskLatencyMsOf } from '../../../engine/storage/disk/faultable-disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function memoryDisk(): { inner: MemoryDisk; disk: FaultableDisk } {
  const inner = new MemoryDisk();
  inner.mkdirp('/data/broker-1/orders-0');
  return { inner, disk: new FaultableDisk(inner) };
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DiskError) return error.code;
    throw error;
  }
  throw new Error('expected a DiskError');
}

describe('FaultableDisk: power loss', () => {
  it('drops the bytes written after the last fsync and keeps the synced ones', () => {
    const { disk } = memoryDisk();
    const file = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    file.append(bytes('synced|'));
    file.sync();
    file.append(bytes('page-cache-only'));
    expect(disk.volatileFileCount()).toBe(1);

    const report = disk.powerLoss();

    expect(text(disk.readFile('/data/broker-1/orders-0/00000000000000000000.log'))).toBe('synced|');
    expect(report).toEqual({ filesTruncated: 1, filesRemoved: 0, filesRestored: 0, bytesDropped: 'page-cache-only'.length });
    expect(disk.volatileFileCount()).toBe(0);
  });

  it('removes files created and never synced, and leaves files that were there before untouched', () => {
    const { inner, disk } = memoryDisk();
    inner.createExclusive('/data/broker-1/meta.properties', bytes('broker.id=1\n'));
    const old = disk.openFile('/data/broker-1/meta.properties');
    old.close();
    disk.openFile('/data/broker-1/orders-0/00000000000000000000.index').append(bytes('index entries'));

    const report = disk.powerLoss();

    expect(disk.exists('/data/broker-1/orders-0/00000000000000000000.index')).toBe(false);
    expect(text(disk.readFile('/data/broker-1/meta.properties'))).toBe('broker.id=1\n');
    expect(report.filesRemoved).toBe(1);
  });

  it('with a lying fsync loses what was "synced", until an honest fsync makes it durable again', () => {
    const { disk } = memoryDisk();
    const file = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    file.append(bytes('durable|'));
    file.sync();
    disk.setLyingFsync(true);
    file.append(bytes('acknowledged-and-synced|'));
    file.sync();

    disk.powerLoss();
    expect(text(disk.readFile('/data/broker-1/orders-0/00000000000000000000.log'))).toBe('durable|');

    const again = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    again.append(bytes('lied|'));
    again.sync();
    disk.setLyingFsync(false);
    again.sync();
    disk.powerLoss();
    expect(text(disk.readFile('/data/broker-1/orders-0/00000000000000000000.log'))).toBe('durable|lied|');
  });

  it('brings back the previous version of a checkpoint replaced while fsync lied, and drops a new one', () => {
    const { disk } = memoryDisk();
    disk.writeFileAtomic('/data/broker-1/replication-offset-checkpoint', bytes('0\n1\norders 0 10\n'));
    disk.setLyingFsync(true);
    disk.writeFileAtomic('/data/broker-1/replication-offset-checkpoint', bytes('0\n1\norders 0 25\n'));
    disk.writeFileAtomic('/data/broker-1/recovery-point-offset-checkpoint', bytes('0\n1\norders 0 25\n'));

    const report = disk.powerLoss();

    expect(text(disk.readFile('/data/broker-1/replication-offset-checkpoint'))).toBe('0\n1\norders 0 10\n');
    expect(disk.exists('/data/broker-1/recovery-point-offset-checkpoint')).toBe(false);
    expect(report.filesRestored).toBe(1);
    expect(report.filesRemoved).toBe(1);
  });

  it('follows renames and forgets removed files', () => {
    const { disk } = memoryDisk();
    const file = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    file.append(bytes('abc'));
    file.sync();
    file.append(bytes('def'));
    disk.rename('/data/broker-1/orders-0', '/data/broker-1/orders-0.abc-delete');
    disk.openFile('/data/broker-1/gone.tmp').append(bytes('x'));
    disk.remove('/data/broker-1/gone.tmp');

    disk.powerLoss();

    expect(text(disk.readFile('/data/broker-1/orders-0.abc-delete/00000000000000000000.log'))).toBe('abc');
  });

  it('truncation lowers what is durable (a cut the log synced stays cut)', () => {
    const { disk } = memoryDisk();
    const file = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    file.append(bytes('0123456789'));
    file.sync();
    file.truncate(4);
    file.append(bytes('ab'));
    disk.powerLoss();
    expect(text(disk.readFile('/data/broker-1/orders-0/00000000000000000000.log'))).toBe('0123');
  });
});

describe('FaultableDisk: full and slow', () => {
  it('refuses appends and file writes with ENOSPC and writes nothing, then works again once space is freed', () => {
    const { disk } = memoryDisk();
    const file = disk.openFile('/data/broker-1/orders-0/00000000000000000000.log');
    file.append(bytes('before'));
    disk.setFull(true);

    expect(errorCode(() => file.append(bytes('more')))).toBe('ENOSPC');
    expect(errorCode(() => disk.writeFileAtomic('/data/broker-1/replication-offset-checkpoint', bytes('0\n0\n')))).toBe('ENOSPC');
    expect(errorCode(() => disk.createExclusive('/data/broker-1/new-file', bytes('x')))).toBe('ENOSPC');
    expect(file.size()).toBe('before'.length);
    expect(disk.exists('/data/broker-1/replication-offset-checkpoint')).toBe(false);
    // An empty marker needs no data block.
    disk.createExclusive('/data/broker-1/.kafka_cleanshutdown', new Uint8Array(0));

    disk.setFull(false);
    file.append(bytes('+after'));
    expect(text(disk.readFile('/data/broker-1/orders-0/00000000000000000000.log'))).toBe('before+after');
  });

  it('reports its latency to the broker; any other disk has none', () => {
    const { inner, disk } = memoryDisk();
    disk.setLatencyMs(750);
    expect(diskLatencyMsOf(disk)).toBe(750);
    expect(diskLatencyMsOf(inner)).toBe(0);
    expect(() => disk.setLatencyMs(-1)).toThrow(RangeError);
  });
});

describe('FaultableDisk over the real NodeDisk', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('cuts real files back to their fsynced length on power loss', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultable-disk-'));
    const disk = new FaultableDisk(new NodeDisk());
    const log = path.join(dir, '00000000000000000000.log');
    const file = disk.openFile(log);
    file.append(bytes('x'.repeat(4096)));
    file.sync();
    file.append(bytes('y'.repeat(1000)));
    file.close();
    const fresh = path.join(dir, 'fresh.index');
    disk.openFile(fresh).append(bytes('z'));

    disk.powerLoss();

    expect(fs.statSync(log).size).toBe(4096);
    expect(fs.existsSync(fresh)).toBe(false);
  });
});
