/**
 * Records as the message browser reads them: each record with the record batch it is stored in
 * (batches are what producers send, what brokers append and replicate, and what consumers fetch),
 * and the offset lookup by time that Kafka's ListOffsets answers. Field names follow Kafka's
 * record batch v2 header and kafka-dump-log's words.
 */
import { z } from 'zod';
import { limits } from '../core/limits.js';
import { Int32, Offset, RecordSchema, TimestampMs, TopicName } from './dto.js';

/** One record batch's header, as `kafka-dump-log --print-data-log` prints it. */
export const RecordBatchSchema = z
  .object({
    baseOffset: Offset,
    /** baseOffset + lastOffsetDelta: the offsets a batch covers stay the same when compaction removes records. */
    lastOffset: Offset,
    /** The records the batch holds now ("count"). */
    recordCount: z.number().int().min(0),
    /** The bytes the batch takes in the log, header included ("size"). */
    sizeInBytes: z.number().int().min(0),
    partitionLeaderEpoch: z.number().int().min(-1),
    /** -1 without idempotence, as Kafka writes it. */
    producerId: z.number().int().min(-1),
    producerEpoch: z.number().int().min(-1),
    baseSequence: z.number().int().min(-1),
    compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']),
    timestampType: z.enum(['CreateTime', 'LogAppendTime']),
    maxTimestampMs: TimestampMs,
    isTransactional: z.boolean(),
  })
  .strict();

/** A record with the bounds of the batch it is stored in (the batch itself is in `batches`). */
export const BrowsedRecordSchema = RecordSchema.extend({
  batchBaseOffset: Offset,
  batchLastOffset: Offset,
}).strict();

export const ReadRecordsRequest = z
  .object({
    topic: TopicName,
    partition: Int32,
    /** First offset to return; records below the log start offset are gone (OFFSET_OUT_OF_RANGE). */
    offset: Offset,
    maxRecords: z.number().int().min(1).max(limits.readRecordsMax).default(100),
  })
  .strict();

export const ReadRecordsResult = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    records: z.array(BrowsedRecordSchema),
    /** Every batch the records came from, in offset order; the first may start before the asked offset. */
    batches: z.array(RecordBatchSchema),
    logStartOffset: Offset,
    highWatermark: Offset,
    /** The offset to ask for next. */
    nextOffset: Offset,
  })
  .strict();

export const OffsetForTimestampRequest = z
  .object({
    topic: TopicName,
    partition: Int32,
    /** Engine time in ms since the epoch; the special values of ListOffsets (-1 latest, -2 earliest) are not taken here. */
    timestampMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

export const OffsetForTimestampResult = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    /** The earliest offset whose record timestamp is at or after the asked time, or null when none is below the high watermark yet. */
    offset: Offset.nullable(),
    /** That record's timestamp, or null with no offset. */
    timestampMs: TimestampMs.nullable(),
    logStartOffset: Offset,
    highWatermark: Offset,
  })
  .strict();

export type RecordBatchDto = z.infer<typeof RecordBatchSchema>;
export type BrowsedRecordDto = z.infer<typeof BrowsedRecordSchema>;
export type ReadRecordsResultDto = z.infer<typeof ReadRecordsResult>;
export type OffsetForTimestampResultDto = z.infer<typeof OffsetForTimestampResult>;
