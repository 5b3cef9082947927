/**
 * Fuzzes the record batch decoder with random and mutated bytes. The only acceptable failure is
 * KafkaError('CORRUPT_MESSAGE'); anything else (a RangeError, an assertion, a TypeError from an out
 * of bounds read) fails the test and prints the seed and case number to replay it.
 */
import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { putInt32 } from '../../../engine/storage/byte-reader.js';
import { computeBatchCrc, decodeRecordBatch, decodeRecordBatches, encodeRecordBatch, concatBytes } from '../../../engine/storage/record-batch.js';

const CASES = 120_000;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_f022);

function corpus(prng: SeededPrng): Uint8Array[] {
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => prng.nextInt(256));
  const batches: Uint8Array[] = [];
  for (let i = 0; i < 24; i++) {
    const count = 1 + prng.nextInt(6);
    const records = Array.from({ length: count }, (_, r) => ({
      key: prng.nextInt(3) === 0 ? null : bytes(prng.nextInt(12)),
      value: prng.nextInt(5) === 0 ? null : bytes(prng.nextInt(60)),
      headers: Array.from({ length: prng.nextInt(3) }, () => ({ key: 'hk', value: prng.nextInt(2) === 0 ? null : bytes(3) })),
      timestampMs: 1_700_000_000_000 + r * (prng.nextInt(2) === 0 ? 1 : 1_000_000_000),
    }));
    batches.push(encodeRecordBatch({ records, baseOffset: prng.nextInt(1000), compression: i % 4 === 3 ? 'gzip' : 'none' }));
  }
  return batches;
}

/** Rewrites the CRC so the mutation reaches the record parser instead of stopping at the checksum. */
function fixCrc(bytes: Uint8Array): void {
  if (bytes.length < 61) return;
  const size = Math.min(bytes.length, 12 + Math.max(0, (bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!));
  if (size >= 21) putInt32(bytes, 17, computeBatchCrc(bytes, 0, size));
}

function xorAt(bytes: Uint8Array, i: number, mask: number): void {
  bytes[i] = bytes[i]! ^ mask;
}

function mutate(prng: SeededPrng, seeds: readonly Uint8Array[]): Uint8Array {
  const base = seeds[prng.nextInt(seeds.length)]!;
  const kind = prng.nextInt(8);
  switch (kind) {
    case 0:
      return Uint8Array.from({ length: prng.nextInt(200) }, () => prng.nextInt(256));
    case 1: {
      const out = base.slice();
      const flips = 1 + prng.nextInt(4);
      for (let i = 0; i < flips; i++) xorAt(out, prng.nextInt(out.length), 1 << prng.nextInt(8));
      return out;
    }
    case 2:
      return base.slice(0, prng.nextInt(base.length + 1));
    case 3: {
      const out = base.slice();
      const flips = 1 + prng.nextInt(3);
      for (let i = 0; i < flips; i++) out[61 + prng.nextInt(out.length - 61)] = prng.nextInt(256);
      fixCrc(out);
      return out;
    }
    case 4: {
      // Interesting integers in the length, count and delta fields.
      const out = base.slice();
      const field = [8, 23, 57][prng.nextInt(3)]!;
      const values = [0, 1, -1, 0x7fffffff, -0x80000000, out.length, out.length - 11, 1 << 20];
      putInt32(out, field, values[prng.nextInt(values.length)]!);
      fixCrc(out);
      return out;
    }
    case 5: {
      // Records region replaced with random varints (bytes with continuation bits).
      const out = base.slice();
      for (let i = 61; i < out.length; i++) if (prng.nextInt(4) === 0) out[i] = 0x80 | prng.nextInt(128);
      fixCrc(out);
      return out;
    }
    case 6: {
      const other = seeds[prng.nextInt(seeds.length)]!;
      const cut = prng.nextInt(base.length);
      const out = concatBytes([base.subarray(0, cut), other.subarray(prng.nextInt(other.length))]);
      fixCrc(out);
      return out;
    }
    default: {
      const out = concatBytes([base, seeds[prng.nextInt(seeds.length)]!]);
      xorAt(out, prng.nextInt(out.length), 0xff);
      return out;
    }
  }
}

describe('record batch decoder fuzz', () => {
  it(`survives ${CASES} random and mutated inputs with only CORRUPT_MESSAGE (seed ${SEED})`, () => {
    const prng = new SeededPrng(SEED);
    const seeds = corpus(prng);
    const outcomes = { decoded: 0, corrupt: 0 };
    for (let i = 0; i < CASES; i++) {
      const input = mutate(prng, seeds);
      for (const decode of [() => decodeRecordBatch(input), () => decodeRecordBatches(input, { allowPartialTail: true })]) {
        try {
          decode();
          outcomes.decoded++;
        } catch (error) {
          if (!(error instanceof KafkaError) || error.errorName !== 'CORRUPT_MESSAGE') {
            throw new Error(`fuzz seed ${SEED} case ${i}: unexpected ${String(error)}; input ${Buffer.from(input).toString('hex')}`, { cause: error });
          }
          expect(error.message.length).toBeGreaterThan(10);
          outcomes.corrupt++;
        }
      }
    }
    // Both paths are exercised: some mutations still decode, most are refused.
    expect(outcomes.decoded).toBeGreaterThan(1000);
    expect(outcomes.corrupt).toBeGreaterThan(50_000);
  });
});
