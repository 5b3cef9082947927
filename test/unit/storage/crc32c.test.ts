import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../../../engine/core/prng.js';
import { crc32c, crc32cPortable, crc32cUpdate, crc32cUsesWasm } from '../../../engine/storage/crc32c.js';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the known vectors (RFC 3720 B.4 and the check value)', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('equals kafkajs byte-at-a-time CRC-32C on random inputs of every alignment', () => {
    const seed = 20240601;
    const prng = new SeededPrng(seed);
    for (let i = 0; i < 300; i++) {
      const length = prng.nextInt(200);
      const bytes = Uint8Array.from({ length }, () => prng.nextInt(256));
      const start = length === 0 ? 0 : prng.nextInt(length);
      expect(crc32c(bytes, start), `seed ${seed} case ${i}`).toBe(kafkajsCrc32c(Buffer.from(bytes.subarray(start))));
    }
  });

  it('uses WebAssembly slicing-by-16 on Node and agrees with the JS slicing-by-8 on every length up to 300 KiB', () => {
    expect(crc32cUsesWasm).toBe(true);
    const seed = 31337;
    const prng = new SeededPrng(seed);
    const big = Uint8Array.from({ length: 300 * 1024 }, () => prng.nextInt(256));
    for (let i = 0; i < 200; i++) {
      const start = prng.nextInt(64);
      const end = start + (i < 100 ? prng.nextInt(1024) : prng.nextInt(big.length - start));
      expect(crc32c(big, start, end), `seed ${seed} case ${i} [${start}, ${end})`).toBe(crc32cPortable(0, big, start, end));
    }
    expect(crc32cUpdate(crc32cUpdate(0, big, 0, 100_000), big, 100_000, big.length)).toBe(crc32cPortable(0, big, 0, big.length));
  });

  it('continues across chunks', () => {
    const bytes = ascii('123456789');
    expect(crc32cUpdate(crc32cUpdate(0, bytes, 0, 4), bytes, 4, 9)).toBe(0xe3069283);
  });

  it('refuses a range outside the buffer', () => {
    expect(() => crc32c(new Uint8Array(4), 2, 5)).toThrow(RangeError);
  });
});
