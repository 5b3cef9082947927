/**
 * The data path over the wire: Produce (API key 0, versions 3-7), Fetch (1, versions 4-11) and
 * ListOffsets (2, versions 1-5), none flexible. Both are answered by the broker the connection reached, through
 * the same simulated network the in-app consumers use, so leadership, the high watermark, long
 * polls (fetch.max.wait.ms / fetch.min.bytes) and injected faults apply to real clients the same
 * way. Record batches pass through as the log stores them (whole batches, possibly starting
 * before the fetch offset; clients skip those records).
 *
 * Fetch sessions (KIP-227) are not kept: session_id 0 in every answer keeps clients on full
 * fetches, as the reference notes for Java's FetchSessionHandler. With no transactions, the last
 * stable offset is the high watermark and no batch is aborted.
 */
import type { ProducePartitionResponse } from '../clients/producer/producer-network.js';
import type { ConsumerFetchRequest, FetchPartitionRequest, FetchPartitionResponse, ListOffsetsPartitionRequest, ListOffsetsPartitionResponse } from '../clients/consumer/consumer-network.js';
import { KAFKA_ERROR_CODES, type KafkaErrorName } from '../core/kafka-errors.js';
import { WireWriter, type WireReader } from './wire.js';

export function errorCode(name: KafkaErrorName): number {
  return KAFKA_ERROR_CODES[name];
}

export function readFetchRequest(reader: WireReader, version: number): ConsumerFetchRequest {
  reader.int32('replica_id');
  const maxWaitMs = reader.int32('max_wait_ms');
  const minBytes = reader.int32('min_bytes');
  const maxBytes = reader.int32('max_bytes');
  reader.int8('isolation_level');
  if (version >= 7) {
    reader.int32('session_id');
    reader.int32('session_epoch');
  }
  const partitions: FetchPartitionRequest[] = [];
  const topics = reader.arrayLength('topics', 6) ?? 0;
  for (let t = 0; t < topics; t++) {
    const topic = reader.string('topics.topic');
    const count = reader.arrayLength('topics.partitions', 16) ?? 0;
    for (let p = 0; p < count; p++) {
      const partition = reader.int32('partition');
      const currentLeaderEpoch = version >= 9 ? reader.int32('current_leader_epoch') : -1;
      const fetchOffset = reader.int64('fetch_offset');
      if (version >= 5) reader.int64('log_start_offset');
      const partitionMaxBytes = reader.int32('partition_max_bytes');
      partitions.push({ topic, partition, fetchOffset, currentLeaderEpoch, partitionMaxBytes: Math.max(0, partitionMaxBytes) });
    }
  }
  if (version >= 7) {
    const forgotten = reader.arrayLength('forgotten_topics_data', 6) ?? 0;
    for (let t = 0; t < forgotten; t++) {
      reader.string('forgotten.topic');
      const count = reader.arrayLength('forgotten.partitions', 4) ?? 0;
      for (let p = 0; p < count; p++) reader.int32('forgotten.partition');
    }
  }
  if (version >= 11) reader.string('rack_id');
  return { maxWaitMs: Math.max(0, maxWaitMs), minBytes: Math.max(0, minBytes), maxBytes: Math.max(0, maxBytes), partitions };
}

export function writeFetchResponse(version: number, partitions: readonly FetchPartitionResponse[]): Uint8Array {
  const out = new WireWriter(1024);
  out.int32(0); // throttle_time_ms
  if (version >= 7) out.int16(0).int32(0); // error_code, session_id 0: no fetch session
  const byTopic = groupByTopic(partitions);
  out.int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    out.nullableString(topic).int32(list.length);
    for (const p of list) {
      out.int32(p.partition).int16(errorCode(p.error)).int64(p.highWatermark);
      out.int64(p.highWatermark); // last_stable_offset: no transactions
      if (version >= 5) out.int64(p.logStartOffset);
      out.int32(0); // aborted_transactions: none
      if (version >= 11) out.int32(-1); // preferred_read_replica: the leader
      out.nullableBytes(p.records);
    }
  }
  return out.finish();
}

export function readListOffsetsRequest(reader: WireReader, version: number): ListOffsetsPartitionRequest[] {
  reader.int32('replica_id');
  if (version >= 2) reader.int8('isolation_level');
  const requests: ListOffsetsPartitionRequest[] = [];
  const topics = reader.arrayLength('topics', 6) ?? 0;
  for (let t = 0; t < topics; t++) {
    const topic = reader.string('topics.name');
    const count = reader.arrayLength('topics.partitions', 12) ?? 0;
    for (let p = 0; p < count; p++) {
      const partition = reader.int32('partition_index');
      if (version >= 4) reader.int32('current_leader_epoch');
      requests.push({ topic, partition, timestamp: reader.int64('timestamp') });
    }
  }
  return requests;
}

export function writeListOffsetsResponse(version: number, partitions: readonly ListOffsetsPartitionResponse[]): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 2) out.int32(0); // throttle_time_ms
  const byTopic = groupByTopic(partitions);
  out.int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    out.nullableString(topic).int32(list.length);
    for (const p of list) {
      out.int32(p.partition).int16(errorCode(p.error)).int64(p.timestamp).int64(p.offset);
      if (version >= 4) out.int32(p.leaderEpoch);
    }
  }
  return out.finish();
}

function groupByTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const byTopic = new Map<string, T[]>();
  for (const item of items) {
    const list = byTopic.get(item.topic) ?? [];
    list.push(item);
    byTopic.set(item.topic, list);
  }
  return byTopic;
}

/**
 * Produce (API key 0), versions 3-7: record batch v2 only. Each partition's records go to the
 * broker as the client encoded them (the broker assigns the offsets in place and checks the CRC
 * and, for idempotent producers, the sequence); acks=0 gets no response at all.
 */
export interface WireProduceRequest {
  readonly acks: -1 | 0 | 1;
  readonly timeoutMs: number;
  readonly partitions: readonly { readonly topic: string; readonly partition: number; readonly records: Uint8Array }[];
}

export function readProduceRequest(reader: WireReader): WireProduceRequest {
  reader.nullableString('transactional_id');
  const acks = reader.int16('acks');
  if (acks !== -1 && acks !== 0 && acks !== 1) throw new Error(`acks ${acks} is not -1, 0 or 1`);
  const timeoutMs = reader.int32('timeout_ms');
  const partitions: { topic: string; partition: number; records: Uint8Array }[] = [];
  const topics = reader.arrayLength('topic_data', 6) ?? 0;
  for (let t = 0; t < topics; t++) {
    const topic = reader.string('topic_data.name');
    const count = reader.arrayLength('partition_data', 8) ?? 0;
    for (let p = 0; p < count; p++) {
      const partition = reader.int32('partition_data.index');
      const records = reader.nullableBytes('partition_data.records');
      partitions.push({ topic, partition, records: records ?? new Uint8Array(0) });
    }
  }
  return { acks, timeoutMs: Math.max(0, timeoutMs), partitions };
}

export function writeProduceResponse(version: number, partitions: readonly ProducePartitionResponse[]): Uint8Array {
  const out = new WireWriter(256);
  const byTopic = groupByTopic(partitions);
  out.int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    out.nullableString(topic).int32(list.length);
    for (const p of list) {
      out.int32(p.partition).int16(errorCode(p.error)).int64(p.baseOffset).int64(p.logAppendTimeMs);
      if (version >= 5) out.int64(p.logStartOffset);
    }
  }
  out.int32(0); // throttle_time_ms
  return out.finish();
}
