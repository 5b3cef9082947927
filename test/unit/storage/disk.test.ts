/** The Disk port's contract, run against NodeDisk (a temp dir) and MemoryDisk, plus FaultyDisk's faults. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskError, type Disk } from '../../../engine/storage/disk/disk.js';
import { FaultyDisk } from '../../../engine/storage/disk/faulty-disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';

const tempRoot = mkdtempSync(join(tmpdir(), 'kafka-lab-disk-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function diskError(fn: () => unknown): DiskError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DiskError);
    return error as DiskError;
  }
  throw new Error('expected a DiskError');
}

const implementations: [string, () => { disk: Disk; root: string }][] = [
  ['NodeDisk', () => ({ disk: new NodeDisk(), root: mkdtempSync(join(tempRoot, 'n-')) })],
  ['MemoryDisk', () => ({ disk: new MemoryDisk(), root: '/mem' })],
  ['FaultyDisk(MemoryDisk)', () => ({ disk: new FaultyDisk(new MemoryDisk()), root: '/faulty' })],
];

describe.each(implementations)('%s', (_name, make) => {
  it('appends, reads at positions, truncates and reports sizes', () => {
    const { disk, root } = make();
    disk.mkdirp(`${root}/a`);
    const file = disk.openFile(`${root}/a/seg.log`);
    expect(file.size()).toBe(0);
    file.append(bytes(1, 2, 3, 4, 5));
    file.append(bytes(9, 6, 7, 9), 1, 3);
    expect(file.size()).toBe(7);
    const target = new Uint8Array(10);
    expect(file.read(target, 2, 4, 3)).toBe(4);
    expect([...target.subarray(2, 6)]).toEqual([4, 5, 6, 7]);
    expect(file.read(target, 0, 10, 5)).toBe(2);
    expect(file.read(target, 0, 10, 50)).toBe(0);
    file.truncate(3);
    file.truncate(100);
    expect(file.size()).toBe(3);
    file.sync();
    file.close();
    expect(disk.fileSize(`${root}/a/seg.log`)).toBe(3);
    const again = disk.openFile(`${root}/a/seg.log`);
    expect(again.size()).toBe(3);
    again.append(bytes(8));
    again.close();
    expect([...disk.readFile(`${root}/a/seg.log`)]).toEqual([1, 2, 3, 8]);
  });

  it('renames over an existing file, lists sorted names, and removes trees', () => {
    const { disk, root } = make();
    disk.mkdirp(`${root}/d/sub`);
    disk.writeFileAtomic(`${root}/d/b`, bytes(1));
    disk.writeFileAtomic(`${root}/d/a`, bytes(2));
    disk.createExclusive(`${root}/d/c`, bytes(3));
    expect(diskError(() => disk.createExclusive(`${root}/d/c`, bytes(4))).code).toBe('EEXIST');
    disk.rename(`${root}/d/a`, `${root}/d/b`);
    expect([...disk.readFile(`${root}/d/b`)]).toEqual([2]);
    expect(disk.list(`${root}/d`)).toEqual(['b', 'c', 'sub']);
    disk.syncDirectory(`${root}/d`);
    disk.remove(`${root}/d`);
    expect(disk.exists(`${root}/d`)).toBe(false);
    expect(diskError(() => disk.readFile(`${root}/d/b`)).code).toBe('ENOENT');
    expect(diskError(() => disk.fileSize(`${root}/nope`)).code).toBe('ENOENT');
  });
});

describe('FaultyDisk', () => {
  it('tears an armed append at the chosen byte, then fails every call until restart', () => {
    const disk = new FaultyDisk();
    disk.mkdirp('/x');
    const file = disk.openFile('/x/00.log');
    file.append(bytes(1, 2));
    disk.tearNextAppend('.log', 2);
    expect(diskError(() => file.append(bytes(3, 4, 5, 6))).message).toMatch(/torn after 2 of 4 bytes/);
    expect(disk.isCrashed()).toBe(true);
    expect(diskError(() => disk.list('/x')).code).toBe('EIO');
    disk.restart();
    expect([...disk.readFile('/x/00.log')]).toEqual([1, 2, 3, 4]);
  });

  it('injects write errors and a full disk that writes what fits', () => {
    const disk = new FaultyDisk();
    disk.mkdirp('/x');
    const file = disk.openFile('/x/f');
    disk.failNextWrites('EIO', 1);
    expect(diskError(() => file.append(bytes(1))).code).toBe('EIO');
    file.append(bytes(1));
    disk.capacityBytes = 3;
    expect(diskError(() => file.append(bytes(2, 3, 4))).code).toBe('ENOSPC');
    expect(file.size()).toBe(3);
  });

  it('loses unsynced bytes on power loss; lying fsync makes nothing durable; slow fsync reports its delay', () => {
    const delays: number[] = [];
    const disk = new FaultyDisk(new MemoryDisk(), { syncBehaviour: 'slow', slowSyncMs: 40, onSlowSync: (ms) => delays.push(ms) });
    disk.mkdirp('/x');
    const file = disk.openFile('/x/f');
    file.append(bytes(1, 2));
    file.sync();
    file.append(bytes(3));
    disk.openFile('/x/never-synced').append(bytes(9));
    disk.powerLoss();
    expect([...disk.readFile('/x/f')]).toEqual([1, 2]);
    expect(disk.exists('/x/never-synced')).toBe(false);
    expect(delays).toEqual([40]);
    disk.syncBehaviour = 'lying';
    const f2 = disk.openFile('/x/f');
    f2.append(bytes(7));
    f2.sync();
    disk.powerLoss();
    expect([...disk.readFile('/x/f')]).toEqual([1, 2]);
    expect(disk.syncCount).toBe(2);
  });

  it('flips bits at rest', () => {
    const disk = new FaultyDisk();
    disk.mkdirp('/x');
    disk.writeFileAtomic('/x/f', bytes(0, 0));
    disk.flipBit('/x/f', 1, 3);
    expect([...disk.readFile('/x/f')]).toEqual([0, 8]);
    expect(() => disk.flipBit('/x/f', 2, 0)).toThrow(RangeError);
  });
});
