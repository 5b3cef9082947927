/** The producer's size estimates agree with the record batch codec, byte for byte. */
import { describe, expect, it } from 'vitest';
import { batchSizeUpperBound, recordSizeInBytes } from '../../../../engine/clients/producer/record-size.js';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { encodeRecordBatch, RECORD_BATCH_OVERHEAD } from '../../../../engine/storage/record-batch.js';
import { SEED } from './producer-harness.js';

describe('record sizes', () => {
  it('match encodeRecordBatch for random records, and stay under the upper bound', () => {
    const prng = new SeededPrng(SEED);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => prng.nextInt(256));
    for (let round = 0; round < 50; round++) {
      const count = 1 + prng.nextInt(20);
      const baseTimestampMs = 1_700_000_000_000;
      const records = Array.from({ length: count }, () => ({
        key: prng.nextInt(3) === 0 ? null : bytes(prng.nextInt(300)),
        value: prng.nextInt(5) === 0 ? null : bytes(prng.nextInt(3000)),
        headers: Array.from({ length: prng.nextInt(3) }, (_, i) => ({ key: `h${i}-ü`, value: prng.nextInt(2) === 0 ? null : bytes(prng.nextInt(20)) })),
        timestampMs: baseTimestampMs + prng.nextInt(100_000),
      }));
      const encoded = encodeRecordBatch({ records });
      // The batch's base timestamp is its first record's (MemoryRecordsBuilder); later deltas may be negative.
      const batchBaseMs = records[0]!.timestampMs;
      const estimated = records.reduce((sum, r, i) => sum + recordSizeInBytes(i, r.timestampMs - batchBaseMs, r.key, r.value, r.headers), RECORD_BATCH_OVERHEAD);
      expect(estimated, `seed=${SEED} round ${round}`).toBe(encoded.length);
      for (const r of records) {
        expect(RECORD_BATCH_OVERHEAD + recordSizeInBytes(70_000, 2 ** 40, r.key, r.value, r.headers), `seed=${SEED}`).toBeLessThanOrEqual(batchSizeUpperBound(r.key, r.value, r.headers));
      }
    }
  });
});
