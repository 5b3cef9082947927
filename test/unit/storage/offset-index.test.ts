import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { OffsetIndex } from '../../../engine/storage/offset-index.js';

describe('OffsetIndex', () => {
  it('looks up the largest entry at or below a target, (base, 0) below all', () => {
    const index = new OffsetIndex(100, 10);
    index.append(105, 4200);
    index.append(130, 9000);
    index.append(131, 13000);
    expect(index.lookup(99)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(104)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(105)).toEqual({ offset: 105, position: 4200 });
    expect(index.lookup(129)).toEqual({ offset: 105, position: 4200 });
    expect(index.lookup(10_000)).toEqual({ offset: 131, position: 13000 });
    expect([index.lastOffset(), index.lastPosition()]).toEqual([131, 13000]);
  });

  it('writes Kafka\'s 8-byte big-endian entries and parses them back, refusing non-monotonic files', () => {
    const index = new OffsetIndex(1000, 10);
    index.append(1001, 4097);
    index.append(1300, 70000);
    const bytes = index.toBytes();
    expect(Buffer.from(bytes).toString('hex')).toBe('00000001' + '00001001' + '0000012c' + '00011170');
    expect(OffsetIndex.parse(1000, 10, bytes)?.toBytes()).toEqual(bytes);
    expect(OffsetIndex.parse(1000, 10, bytes.subarray(0, 12))).toBeNull();
    const swapped = new Uint8Array([...bytes.subarray(8), ...bytes.subarray(0, 8)]);
    expect(OffsetIndex.parse(1000, 10, swapped)).toBeNull();
    expect(OffsetIndex.parse(1000, 1, bytes)).toBeNull();
  });

  it('asserts increasing entries and a bound on entries', () => {
    const index = new OffsetIndex(0, 2);
    index.append(5, 100);
    expect(() => index.append(5, 200)).toThrow(/must exceed/);
    expect(() => index.append(6, 100)).toThrow(/must exceed/);
    index.append(6, 200);
    expect(index.isFull()).toBe(true);
    expect(() => index.append(7, 300)).toThrow(/full/);
  });

  it('truncates by offset and position, and persists only what changed', () => {
    const disk = new MemoryDisk();
    disk.mkdirp('/d');
    const file = disk.openFile('/d/x.index');
    const index = new OffsetIndex(0, 100);
    for (let i = 1; i <= 5; i++) index.append(i * 10, i * 1000);
    index.persist(file);
    expect(file.size()).toBe(40);
    index.truncateTo(30);
    expect(index.entries()).toBe(2);
    index.append(35, 3500);
    index.persist(file);
    expect(disk.readFile('/d/x.index')).toEqual(index.toBytes());
    index.truncateToPosition(2000);
    expect(index.entries()).toBe(1);
    index.persist(file);
    expect(file.size()).toBe(8);
  });
});
