/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) and the default partitioner's use
 * of it for keyed records (BuiltInPartitioner.partitionForKey). 32-bit arithmetic via Math.imul so
 * the result is bit-identical to the Java client's signed int.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & 3;
  const base = length & ~3;
  if (tail === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (tail >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (tail >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's Java producer picks for a keyed record: (murmur2(key) & 0x7fffffff) % n. */
export function partitionForKey(keyBytes: Uint8Array, partitionCount: number): number {
  return (murmur2(keyBytes) & 0x7fffffff) % partitionCount;
}
