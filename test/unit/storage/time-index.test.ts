import { describe, expect, it } from 'vitest';
import { TimeIndex } from '../../../engine/storage/time-index.js';

describe('TimeIndex', () => {
  it('appends only growing timestamps and finds the last entry strictly before a time', () => {
    const index = new TimeIndex(50, 10);
    index.maybeAppend(1000, 55);
    index.maybeAppend(900, 60);
    index.maybeAppend(1000, 61);
    index.maybeAppend(2000, 70);
    index.maybeAppend(-1, 80);
    expect(index.entries()).toBe(2);
    expect(index.lastEntryBefore(1000)).toBeNull();
    expect(index.lastEntryBefore(1001)).toEqual({ timestampMs: 1000, offset: 55 });
    expect(index.lastEntryBefore(99_999)).toEqual({ timestampMs: 2000, offset: 70 });
  });

  it('writes 12-byte entries (int64 timestamp, int32 relative offset) and parses them back', () => {
    const index = new TimeIndex(1000, 10);
    index.maybeAppend(1_700_000_000_000, 1004);
    const bytes = index.toBytes();
    expect(Buffer.from(bytes).toString('hex')).toBe('0000018bcfe56800' + '00000004');
    expect(TimeIndex.parse(1000, 10, bytes)?.lastEntry()).toEqual({ timestampMs: 1_700_000_000_000, offset: 1004 });
    expect(TimeIndex.parse(1000, 10, bytes.subarray(0, 11))).toBeNull();
    const bad = bytes.slice();
    bad[0] = 0x7f;
    expect(TimeIndex.parse(1000, 10, bad)).toBeNull();
  });

  it('lets the final entry of a rolled segment in even when full, and truncates by offset', () => {
    const index = new TimeIndex(0, 1);
    index.maybeAppend(10, 1);
    expect(() => index.maybeAppend(20, 2)).toThrow(/full/);
    index.maybeAppend(20, 2, true);
    expect(index.entries()).toBe(2);
    index.truncateTo(2);
    expect(index.lastEntry()).toEqual({ timestampMs: 10, offset: 1 });
  });
});
