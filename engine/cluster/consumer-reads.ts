/**
 * What a partition leader answers to consumers: the Fetch of a consumer (replica id -1) and
 * ListOffsets, as Kafka's ReplicaManager.fetchMessages / Partition.fetchOffsetForTimestamp do for
 * the read_uncommitted isolation level. Pure functions over one partition's log and high
 * watermark; the broker checks leadership and holds long polls.
 *
 * Rules:
 * - a consumer reads only below the high watermark; an offset between the high watermark and the
 *   log end offset is valid and reads nothing; outside [log start, log end] is OFFSET_OUT_OF_RANGE;
 * - whole batches, which may start before the fetch offset (the consumer skips those records);
 *   per partition at most max.partition.fetch.bytes and in total fetch.max.bytes, except that the
 *   first partition with data returns at least one batch even when it is larger (KIP-74);
 * - ListOffsets: latest (-1) is the high watermark, earliest (-2) the log start offset, a
 *   timestamp the first offset whose record timestamp is at or after it, below the high watermark.
 */
import type { FetchPartitionRequest, FetchPartitionResponse, ListOffsetsPartitionRequest, ListOffsetsPartitionResponse } from '../clients/consumer/consumer-network.js';
import { isKafkaError, type KafkaErrorName } from '../core/kafka-errors.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type PartitionLog } from '../storage/partition-log.js';

const NO_RECORDS = new Uint8Array(0);

export interface ConsumerRead {
  readonly response: FetchPartitionResponse;
  /** Bytes returned, counted against fetch.max.bytes and fetch.min.bytes. */
  readonly bytes: number;
}

/** Reads one partition for a consumer fetch; `budgetBytes` is what fetch.max.bytes leaves. */
export function readForConsumer(log: PartitionLog, highWatermark: number, request: FetchPartitionRequest, budgetBytes: number, minOneBatch: boolean): ConsumerRead {
  const base = { topic: request.topic, partition: request.partition, highWatermark, logStartOffset: log.logStartOffset };
  if (request.fetchOffset < log.logStartOffset || request.fetchOffset > log.logEndOffset) {
    return { response: { ...base, error: 'OFFSET_OUT_OF_RANGE', records: NO_RECORDS }, bytes: 0 };
  }
  if (request.fetchOffset >= highWatermark) return { response: { ...base, error: 'NONE', records: NO_RECORDS }, bytes: 0 };
  try {
    const maxBytes = Math.max(0, Math.min(request.partitionMaxBytes, budgetBytes));
    const read = log.read(request.fetchOffset, { maxBytes, maxOffset: highWatermark, minOneBatch });
    return { response: { ...base, error: 'NONE', records: read.records }, bytes: read.records.length };
  } catch (error) {
    if (!isKafkaError(error)) throw error;
    return { response: { ...base, error: error.errorName, records: NO_RECORDS }, bytes: 0 };
  }
}

export function failedRead(request: FetchPartitionRequest, error: KafkaErrorName): FetchPartitionResponse {
  return { topic: request.topic, partition: request.partition, error, highWatermark: -1, logStartOffset: -1, records: NO_RECORDS };
}

/** ListOffsets for one partition on its leader. */
export function listOffset(log: PartitionLog, highWatermark: number, leaderEpoch: number, request: ListOffsetsPartitionRequest): ListOffsetsPartitionResponse {
  const base = { topic: request.topic, partition: request.partition };
  if (request.timestamp === LATEST_TIMESTAMP) return { ...base, error: 'NONE', offset: highWatermark, timestamp: -1, leaderEpoch };
  if (request.timestamp === EARLIEST_TIMESTAMP) return { ...base, error: 'NONE', offset: log.logStartOffset, timestamp: -1, leaderEpoch: log.leaderEpochs.epochForOffset(log.logStartOffset) };
  if (!Number.isSafeInteger(request.timestamp) || request.timestamp < 0) return failedListOffset(request, 'INVALID_REQUEST');
  try {
    const found = log.fetchOffsetByTimestamp(request.timestamp);
    // Only what consumers may read counts: a match at or past the high watermark is no match yet.
    if (found === null || found.offset >= highWatermark) return { ...base, error: 'NONE', offset: -1, timestamp: -1, leaderEpoch: -1 };
    return { ...base, error: 'NONE', offset: found.offset, timestamp: found.timestampMs, leaderEpoch: found.leaderEpoch };
  } catch (error) {
    if (!isKafkaError(error)) throw error;
    return failedListOffset(request, error.errorName);
  }
}

export function failedListOffset(request: ListOffsetsPartitionRequest, error: KafkaErrorName): ListOffsetsPartitionResponse {
  return { topic: request.topic, partition: request.partition, error, offset: -1, timestamp: -1, leaderEpoch: -1 };
}
