import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { LeaderEpochCache } from '../../../engine/storage/leader-epoch-cache.js';

function cache() {
  const disk = new MemoryDisk();
  disk.mkdirp('/p');
  return { disk, cache: LeaderEpochCache.load(disk, '/p/leader-epoch-checkpoint').cache };
}

describe('LeaderEpochCache', () => {
  it('assigns epochs, ignores repeats, removes conflicting entries, and persists in Kafka\'s format', () => {
    const { disk, cache: c } = cache();
    c.assign(0, 0);
    c.assign(0, 5);
    c.assign(2, 10);
    c.assign(3, 20);
    expect(c.list()).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 10 }, { epoch: 3, startOffset: 20 }]);
    c.assign(4, 15);
    expect(c.list()).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 10 }, { epoch: 4, startOffset: 15 }]);
    expect(new TextDecoder().decode(disk.readFile('/p/leader-epoch-checkpoint'))).toBe('0\n3\n0 0\n2 10\n4 15\n');
    expect(LeaderEpochCache.load(disk, '/p/leader-epoch-checkpoint').cache.list()).toEqual(c.list());
  });

  it('answers OffsetsForLeaderEpoch as Kafka does', () => {
    const { cache: c } = cache();
    c.assign(1, 0);
    c.assign(3, 10);
    c.assign(5, 20);
    expect(c.endOffsetFor(5, 33)).toEqual({ epoch: 5, endOffset: 33 });
    expect(c.endOffsetFor(3, 33)).toEqual({ epoch: 3, endOffset: 20 });
    expect(c.endOffsetFor(4, 33)).toEqual({ epoch: 3, endOffset: 20 });
    expect(c.endOffsetFor(0, 33)).toEqual({ epoch: 0, endOffset: 0 });
    expect(c.endOffsetFor(6, 33)).toEqual({ epoch: -1, endOffset: -1 });
    expect(c.endOffsetFor(-1, 33)).toEqual({ epoch: -1, endOffset: -1 });
    expect(c.epochForOffset(15)).toBe(3);
  });

  it('truncates from the end and from the start', () => {
    const { cache: c } = cache();
    c.assign(1, 0);
    c.assign(2, 10);
    c.assign(3, 20);
    c.truncateFromEnd(20);
    expect(c.list()).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 10 }]);
    c.truncateFromStart(12);
    expect(c.list()).toEqual([{ epoch: 2, startOffset: 12 }]);
  });

  it('treats a malformed or non-monotonic file as empty, with a warning', () => {
    const { disk } = cache();
    disk.writeFileAtomic('/p/leader-epoch-checkpoint', new TextEncoder().encode('0\n2\n5 10\n3 20\n'));
    const loaded = LeaderEpochCache.load(disk, '/p/leader-epoch-checkpoint');
    expect(loaded.cache.list()).toEqual([]);
    expect(loaded.warning).toMatch(/not increasing/);
    disk.writeFileAtomic('/p/leader-epoch-checkpoint', new TextEncoder().encode('garbage'));
    expect(LeaderEpochCache.load(disk, '/p/leader-epoch-checkpoint').warning).toMatch(/Malformed/);
  });
});
