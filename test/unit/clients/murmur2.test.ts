/** Kafka's murmur2 and keyed partitioning, against the Java client's vectors (reference §5). */
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../../engine/clients/murmur2.js';

const utf8 = new TextEncoder();

// key → [murmur2, partition for n = 3, 6, 10, 12]
const vectors: [string, number, number, number, number, number][] = [
  ['21', -973932308, 0, 0, 0, 0],
  ['foobar', -790332482, 0, 0, 6, 6],
  ['a-little-bit-long-string', -985981536, 2, 2, 2, 8],
  ['a-little-bit-longer-string', -1486304829, 2, 5, 9, 11],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 2, 5, 7, 5],
  ['abc', 479470107, 0, 3, 7, 3],
  ['', 275646681, 0, 3, 1, 9],
  ['0', 971027396, 2, 2, 6, 8],
  ['1', -1993445489, 0, 3, 9, 3],
  ['128', -326012175, 2, 5, 3, 5],
];

describe('murmur2 (Kafka Utils.murmur2)', () => {
  it.each(vectors)('key %j hashes to %i like the Java client', (key, hash) => {
    expect(murmur2(utf8.encode(key))).toBe(hash);
  });

  it.each(vectors)('key %j goes to the Java client partition for 3, 6, 10 and 12 partitions', (key, _hash, p3, p6, p10, p12) => {
    const bytes = utf8.encode(key);
    expect([3, 6, 10, 12].map((n) => partitionForKey(bytes, n))).toEqual([p3, p6, p10, p12]);
  });
});
