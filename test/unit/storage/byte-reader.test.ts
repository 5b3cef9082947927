import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { ByteReader, getInt64, putInt64, putVarint, putVarlong, sizeOfVarint, sizeOfVarlong } from '../../../engine/storage/byte-reader.js';

describe('zigzag varints', () => {
  it('encode as Kafka does: 0 -> 0, -1 -> 1, 1 -> 2, and multi-byte values', () => {
    const enc = (n: number): number[] => {
      const buf = new Uint8Array(10);
      return [...buf.subarray(0, putVarint(buf, 0, n))];
    };
    expect(enc(0)).toEqual([0]);
    expect(enc(-1)).toEqual([1]);
    expect(enc(1)).toEqual([2]);
    expect(enc(63)).toEqual([126]);
    expect(enc(64)).toEqual([0x80, 0x01]);
    expect(enc(-2147483648)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(enc(2147483647)).toEqual([0xfe, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('round-trip int32 and 53-bit values with the sizes they report', () => {
    const seed = 5;
    const prng = new SeededPrng(seed);
    const buf = new Uint8Array(16);
    const ints = [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), ...Array.from({ length: 500 }, () => (prng.nextUint32() | 0) >> prng.nextInt(32))];
    for (const n of ints) {
      const end = putVarint(buf, 0, n);
      expect(end, `seed ${seed} ${n}`).toBe(sizeOfVarint(n));
      expect(new ByteReader(buf, 0, end).readVarint('v')).toBe(n);
    }
    const longs = [2 ** 40, -(2 ** 40), 2 ** 52 - 1, -(2 ** 52), 1_700_000_000_000, -1_700_000_000_000, ...Array.from({ length: 500 }, () => Math.floor((prng.nextFloat() - 0.5) * 2 ** 52))];
    for (const n of longs) {
      const end = putVarlong(buf, 0, n);
      expect(end, `seed ${seed} ${n}`).toBe(sizeOfVarlong(n));
      expect(new ByteReader(buf, 0, end).readVarlong('v')).toBe(n);
    }
  });

  it('refuse overlong and truncated varints with CORRUPT_MESSAGE', () => {
    const cases: [number[], 'varint' | 'varlong', RegExp][] = [
      [[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 'varint', /too long/],
      [[0xff, 0xff, 0xff, 0xff, 0x1f], 'varint', /more than 32 bits/],
      [[0x80], 'varint', /past the end/],
      [Array(11).fill(0x80), 'varlong', /too long/],
      [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 'varlong', /53 bits/],
    ];
    for (const [bytes, kind, pattern] of cases) {
      const reader = new ByteReader(Uint8Array.from(bytes), 0, bytes.length);
      const read = (): number => (kind === 'varint' ? reader.readVarint('field') : reader.readVarlong('field'));
      expect(read).toThrow(KafkaError);
      try {
        new ByteReader(Uint8Array.from(bytes), 0, bytes.length)[kind === 'varint' ? 'readVarint' : 'readVarlong']('field');
      } catch (error) {
        expect((error as KafkaError).errorName).toBe('CORRUPT_MESSAGE');
        expect((error as KafkaError).message).toMatch(pattern);
      }
    }
  });
});

describe('int64 as numbers', () => {
  it('round-trips safe integers including -1 and refuses what does not fit in 53 bits', () => {
    const buf = new Uint8Array(8);
    for (const n of [0, -1, 1, 2 ** 32, -(2 ** 32) - 5, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      putInt64(buf, 0, n);
      expect(getInt64(buf, 0, 'x')).toBe(n);
    }
    buf.set([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => getInt64(buf, 0, 'baseOffset')).toThrow(/baseOffset does not fit in 53 bits/);
  });

  it('never reads outside its range', () => {
    const reader = new ByteReader(new Uint8Array([1, 2, 3]), 1, 2);
    expect(reader.readInt8('a')).toBe(2);
    expect(() => reader.readInt8('b')).toThrow(/b needs 1 bytes but only 0 remain/);
    expect(() => new ByteReader(new Uint8Array(2), 1, 3)).toThrow(RangeError);
  });
});
