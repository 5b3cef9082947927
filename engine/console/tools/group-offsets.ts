/**
 * Offsets the group and offset tools need, read and written the way Kafka's own tools do it:
 * ListOffsets earliest / latest come from describeTopic (log start offset and high watermark, what
 * ListOffsets -2 / -1 answer), ListOffsets by timestamp and max-timestamp from the records
 * themselves (readRecords; the contract has no ListOffsets-by-time), and a group's offsets are
 * committed by a real consumer of that group (commitSync with explicit offsets, the OffsetCommit
 * the admin client's alterConsumerGroupOffsets sends; the coordinator refuses it for a group with
 * live members, as Kafka does).
 *
 * Invariants: every scan is bounded by offsetToolLimits.timestampScanRecordsMax; the committing
 * consumer is always closed, and never subscribes (it joins no group, so it rebalances nothing).
 */
import { limits } from '../../core/limits.js';
import { offsetToolLimits } from '../console-limits.js';
import type { ConsoleEngine } from '../tool-context.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionOffsets extends TopicPartition {
  /** ListOffsets -2 (earliest). */
  readonly logStartOffset: number;
  /** ListOffsets -1 (latest): the high watermark, what consumers may read up to. */
  readonly highWatermark: number;
}

/** "t-0", as TopicPartition.toString prints it. */
export function tpString(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function compareTp(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** Earliest and latest offsets of every partition of a topic (describeTopic rejects an unknown topic). */
export async function topicOffsets(engine: ConsoleEngine, topic: string): Promise<PartitionOffsets[]> {
  const status = await engine.query('describeTopic', { name: topic });
  return status.partitions.map((p) => ({ topic, partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark })).sort(compareTp);
}

/** Earliest and latest offsets of the given partitions; a partition the topic lacks is left out (Kafka's "Unknown"). */
export async function partitionOffsets(engine: ConsoleEngine, partitions: readonly TopicPartition[]): Promise<Map<string, PartitionOffsets>> {
  const byTopic = new Map<string, PartitionOffsets[]>();
  const found = new Map<string, PartitionOffsets>();
  for (const tp of partitions) {
    if (!byTopic.has(tp.topic)) byTopic.set(tp.topic, await topicOffsets(engine, tp.topic));
    const offsets = byTopic.get(tp.topic)!.find((p) => p.partition === tp.partition);
    if (offsets !== undefined) found.set(tpString(tp), offsets);
  }
  return found;
}

/**
 * ListOffsets by timestamp: the offset of the first readable record whose timestamp is at or after
 * `timestampMs`, or null when there is none (Kafka answers -1, UNKNOWN_OFFSET).
 */
export async function offsetForTimestamp(engine: ConsoleEngine, tp: TopicPartition, timestampMs: number): Promise<number | null> {
  let found: number | null = null;
  await scanRecords(engine, tp, (offset, recordTimestampMs) => {
    if (recordTimestampMs < timestampMs) return true;
    found = offset;
    return false;
  });
  return found;
}

/** ListOffsets -3 (max timestamp, KIP-734): the offset and timestamp of the first record with the largest timestamp, or null when empty. */
export async function maxTimestampOffset(engine: ConsoleEngine, tp: TopicPartition): Promise<{ offset: number; timestampMs: number } | null> {
  let best: { offset: number; timestampMs: number } | null = null;
  await scanRecords(engine, tp, (offset, timestampMs) => {
    if (best === null || timestampMs > best.timestampMs) best = { offset, timestampMs };
    return true;
  });
  return best;
}

/** Reads a partition's readable records from its log start, in pages, until `visit` returns false or the scan bound. */
async function scanRecords(engine: ConsoleEngine, tp: TopicPartition, visit: (offset: number, timestampMs: number) => boolean): Promise<void> {
  const bounds = (await topicOffsets(engine, tp.topic)).find((p) => p.partition === tp.partition);
  if (bounds === undefined) return;
  let offset = bounds.logStartOffset;
  let scanned = 0;
  while (offset < bounds.highWatermark && scanned < offsetToolLimits.timestampScanRecordsMax) {
    const page = await engine.query('readRecords', { topic: tp.topic, partition: tp.partition, offset, maxRecords: limits.readRecordsMax });
    if (page.records.length === 0 || page.nextOffset <= offset) return;
    for (const record of page.records) {
      if (!visit(record.offset, record.timestampMs)) return;
    }
    scanned += page.records.length;
    offset = page.nextOffset;
  }
}

/** A group's committed offsets (OffsetFetch for every partition), from describeGroup; empty for an unknown group. */
export async function committedOffsets(engine: ConsoleEngine, groupId: string): Promise<Map<string, { tp: TopicPartition; offset: number }>> {
  const group = await engine.query('describeGroup', { groupId });
  const committed = new Map<string, { tp: TopicPartition; offset: number }>();
  for (const row of group.partitions) {
    if (row.currentOffset !== null) committed.set(tpString(row), { tp: { topic: row.topic, partition: row.partition }, offset: row.currentOffset });
  }
  return committed;
}

/**
 * Commits `offsets` for the group, as alterConsumerGroupOffsets does: one OffsetCommit through the
 * group's coordinator by a consumer that never joins (generation -1), accepted only while the
 * group has no members. Rejects with the consumer's error (a ConsumerError with Kafka's name).
 */
export async function commitGroupOffsets(engine: ConsoleEngine, groupId: string, offsets: readonly (TopicPartition & { offset: number })[]): Promise<void> {
  const consumer = engine.consumer({ groupId, clientId: `consumer-${groupId}-admin`, enableAutoCommit: false });
  try {
    await consumer.commitSync(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
  } finally {
    await consumer.close();
  }
}
