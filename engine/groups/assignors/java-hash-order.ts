/**
 * The iteration order of Java's HashMap and HashSet, for the few places where Kafka's assignors
 * let that order decide an outcome: which member keeps its extra partition when several could
 * (AbstractStickyAssignor iterates a HashMap of members), which of several moved partitions moves
 * back (the first element of a HashSet), the topic order inside a range assignment, and the topic
 * order inside the sticky assignor's user data. Reproducing the order, instead of sorting, is what
 * makes the leader here compute the same bytes as a Java leader for the same group.
 *
 * Facts (java.util.HashMap, JDK 8+): String.hashCode is s[0]*31^(n-1) + ... + s[n-1] over UTF-16
 * code units in int arithmetic; the bucket is (h ^ (h >>> 16)) & (capacity - 1); the table starts
 * at 16 and doubles when the size passes 3/4 of it, never shrinking; resizing keeps the relative
 * order of the keys of one bucket. Iteration is: buckets in index order, inside a bucket the list
 * order. put() appends a new key to its bucket's list and resizes right after the insertion that
 * passed the threshold; computeIfAbsent() puts a new key at the head of the list and resizes at
 * the start of the *next* call (even one for a key already present). Not reproduced: a bucket
 * turned into a tree (8 or more keys colliding in one bucket of a table of at least 64).
 *
 * Invariants: pure functions of their inputs; the order returned is a permutation of the input.
 */
import { assertFailed } from '../../core/assert.js';
import type { TopicPartition } from './assignor.js';

const DEFAULT_CAPACITY = 16;
const LOAD_FACTOR = 0.75;
/** Java's MAXIMUM_CAPACITY (1 << 30): a bound on the doubling loop below. */
const MAXIMUM_CAPACITY = 1 << 30;

/** Java's String.hashCode, as a signed 32-bit int. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

/** Kafka's TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(). */
export function javaTopicPartitionHashCode(tp: TopicPartition): number {
  return (Math.imul(31, (31 + tp.partition) | 0) + javaStringHashCode(tp.topic)) | 0;
}

/** Java's String.compareTo sign: UTF-16 code units, which is also what JavaScript's < compares. */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The table size of a `new HashMap<>()` (or HashSet) that has held at most `maxSize` entries. */
export function javaHashTableCapacity(maxSize: number): number {
  if (!(Number.isInteger(maxSize) && maxSize >= 0)) assertFailed(`hash table size ${maxSize} must be a non-negative integer`);
  let capacity = DEFAULT_CAPACITY;
  while (maxSize > capacity * LOAD_FACTOR && capacity < MAXIMUM_CAPACITY) capacity *= 2;
  return capacity;
}

function bucketIndex(hashCode: number, capacity: number): number {
  return (hashCode ^ (hashCode >>> 16)) & (capacity - 1);
}

/**
 * The order in which Java iterates a HashMap/HashSet whose keys (no duplicates) were inserted in
 * the order of `keys` into a table of `capacity` buckets: appended to their bucket by put() (the
 * default), or pushed to its head by computeIfAbsent().
 */
export function inJavaHashOrder<T>(
  keys: readonly T[],
  hashCodeOf: (key: T) => number,
  capacity: number = javaHashTableCapacity(keys.length),
  insertion: 'put' | 'computeIfAbsent' = 'put',
): T[] {
  if (!(capacity >= DEFAULT_CAPACITY && (capacity & (capacity - 1)) === 0)) assertFailed(`hash table capacity ${capacity} must be a power of two >= 16`);
  const direction = insertion === 'put' ? 1 : -1;
  const withBucket = keys.map((key, index) => ({ key, index, bucket: bucketIndex(hashCodeOf(key), capacity) }));
  withBucket.sort((a, b) => a.bucket - b.bucket || direction * (a.index - b.index));
  return withBucket.map((entry) => entry.key);
}

/** Member ids (or topic names) in the iteration order of a Java HashMap<String, ...> filled by put() in `keys` order. */
export function inJavaStringHashOrder(keys: readonly string[]): string[] {
  return inJavaHashOrder(keys, javaStringHashCode);
}

/**
 * Kafka's CollectionUtils.groupPartitionsByTopic: the topics of `partitions` in the order of the
 * HashMap it fills with computeIfAbsent, one call per partition.
 */
export function topicsInGroupByTopicOrder(partitions: readonly TopicPartition[]): string[] {
  const topics: string[] = [];
  const seen = new Set<string>();
  let capacity = DEFAULT_CAPACITY;
  for (const { topic } of partitions) {
    // computeIfAbsent resizes before it looks, once the previous calls passed the threshold.
    if (seen.size > capacity * LOAD_FACTOR && capacity < MAXIMUM_CAPACITY) capacity *= 2;
    if (seen.has(topic)) continue;
    seen.add(topic);
    topics.push(topic);
  }
  return inJavaHashOrder(topics, javaStringHashCode, capacity, 'computeIfAbsent');
}
