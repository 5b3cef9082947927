/**
 * What the consumer hands the application (ConsumerRecord, ConsumerRecords, OffsetAndMetadata,
 * ConsumerRebalanceListener, OffsetCommitCallback in Kafka's Java client), and the TopicPartition
 * helpers every consumer module shares.
 *
 * Conventions: a partition prints as Java's TopicPartition.toString, "topic-partition"; sets of
 * partitions are sorted by topic, then partition (ConsumerCoordinator.COMPARATOR), so logs and
 * listener arguments come out in a stable order.
 *
 * Invariants: a ConsumerRecords holds at most max.poll.records records, in fetch order per
 * partition (offsets strictly increasing within a partition).
 */
import type { TimestampType } from '../../storage/record-batch.js';
import type { TopicPartition } from '../../groups/assignors/assignor.js';
import type { ConsumerError } from './consumer-errors.js';

export type { TopicPartition };

export interface ConsumerRecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface ConsumerRecord<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly timestampType: TimestampType;
  readonly key: K | null;
  readonly value: V | null;
  readonly headers: readonly ConsumerRecordHeader[];
  /** The leader epoch of the batch the record came in, null when unknown (-1 on the wire). */
  readonly leaderEpoch: number | null;
  /** Bytes of the serialized key, -1 for a null key. */
  readonly serializedKeySize: number;
  /** Bytes of the serialized value, -1 for a null value. */
  readonly serializedValueSize: number;
}

/** Java's OffsetAndMetadata: the offset of the next record to consume, not of the last one consumed. */
export interface OffsetAndMetadata {
  readonly offset: number;
  readonly leaderEpoch: number | null;
  readonly metadata: string;
}

/** One entry of an offsets map (Map<TopicPartition, OffsetAndMetadata> in Java). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
  readonly leaderEpoch?: number | null;
  readonly metadata?: string;
}

/**
 * Java's ConsumerRebalanceListener. The consumer calls it inside poll() (and close/unsubscribe);
 * a callback may return a promise (to commitSync inside onPartitionsRevoked, say), and the
 * consumer waits for it before going on, as Java's poll thread is blocked inside the callback.
 * onPartitionsLost defaults to onPartitionsRevoked, as in Java.
 */
export interface ConsumerRebalanceListener {
  onPartitionsRevoked(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsLost?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/** Java's OffsetCommitCallback.onComplete(offsets, exception). */
export type OffsetCommitCallback = (offsets: readonly TopicPartitionOffset[], error: ConsumerError | null) => void;

/** Java's ConsumerGroupMetadata. */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** Java's ConsumerRecords: the records of one poll, grouped by partition. */
export class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
  private static readonly EMPTY = new ConsumerRecords<never, never>([]);

  constructor(private readonly all: readonly ConsumerRecord<K, V>[]) {}

  static empty<K, V>(): ConsumerRecords<K, V> {
    return ConsumerRecords.EMPTY as ConsumerRecords<K, V>;
  }

  count(): number {
    return this.all.length;
  }

  isEmpty(): boolean {
    return this.all.length === 0;
  }

  /** Every record, in the order poll() returned them. */
  records(): readonly ConsumerRecord<K, V>[];
  /** The records of one partition. */
  records(partition: TopicPartition): readonly ConsumerRecord<K, V>[];
  records(partition?: TopicPartition): readonly ConsumerRecord<K, V>[] {
    if (partition === undefined) return this.all;
    return this.all.filter((r) => r.topic === partition.topic && r.partition === partition.partition);
  }

  /** The partitions with records in this poll, sorted. */
  partitions(): TopicPartition[] {
    const seen = new Map<string, TopicPartition>();
    for (const r of this.all) seen.set(tpString(r), { topic: r.topic, partition: r.partition });
    return sortPartitions([...seen.values()]);
  }

  [Symbol.iterator](): Iterator<ConsumerRecord<K, V>> {
    return this.all[Symbol.iterator]();
  }
}

/** Java's TopicPartition.toString: "orders-0". */
export function tpString(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** ConsumerCoordinator.COMPARATOR: by topic, then partition. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

export function sortPartitions<T extends TopicPartition>(partitions: Iterable<T>): T[] {
  return [...partitions].sort(compareTopicPartitions);
}

/** Utils.join(partitions, ", "): "orders-0, orders-1" (what Kafka's consumer logs print). */
export function joinPartitions(partitions: Iterable<TopicPartition>): string {
  return [...partitions].map(tpString).join(', ');
}

/** A Java Set/List toString: "[orders-0, orders-1]" (Spring's lines and exception messages). */
export function bracketPartitions(partitions: Iterable<TopicPartition>): string {
  return `[${joinPartitions(partitions)}]`;
}

/** Java's Map<TopicPartition, OffsetAndMetadata>.toString, for logs. */
export function formatOffsets(offsets: readonly TopicPartitionOffset[]): string {
  const parts = offsets.map((o) => `${tpString(o)}=OffsetAndMetadata{offset=${o.offset}, leaderEpoch=${o.leaderEpoch ?? null}, metadata='${o.metadata ?? ''}'}`);
  return `{${parts.join(', ')}}`;
}

/** A validated copy of a caller's partition, or an IllegalArgumentException message. */
export function checkTopicPartition(tp: TopicPartition): string | null {
  if (typeof tp !== 'object' || tp === null || typeof tp.topic !== 'string' || tp.topic.length === 0) return 'Topic partitions to assign to cannot have null or empty topic';
  if (!Number.isInteger(tp.partition) || tp.partition < 0) return `Invalid partition ${String(tp.partition)} for topic ${tp.topic}`;
  return null;
}
