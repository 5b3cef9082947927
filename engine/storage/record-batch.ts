/**
 * Kafka record batch v2 (magic 2), the unit of storage and of the Produce / Fetch protocol
 * (apache/kafka DefaultRecordBatch, DefaultRecord; docs/implementation.html section 5.3).
 *
 * Byte format of a batch (big-endian):
 *
 *   @0  baseOffset            int64   offset of the first record; assigned by the broker
 *   @8  batchLength           int32   bytes after this field (size - 12)
 *   @12 partitionLeaderEpoch  int32   set by the broker on append
 *   @16 magic                 int8    = 2
 *   @17 crc                   uint32  CRC-32C of bytes [21, end)
 *   @21 attributes            int16   bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd),
 *                                      bit 3 timestampType (1 = LogAppendTime), bit 4 transactional,
 *                                      bit 5 control, bit 6 deleteHorizon (KIP-534)
 *   @23 lastOffsetDelta       int32
 *   @27 baseTimestamp         int64   (the delete horizon when bit 6 is set)
 *   @35 maxTimestamp          int64
 *   @43 producerId            int64   -1 without idempotence
 *   @51 producerEpoch         int16
 *   @53 baseSequence          int32
 *   @57 recordCount           int32
 *   @61 records               with compression on, everything from @61 on is compressed
 *
 * A record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 * keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value | headerCount varint |
 * headers: [keyLength varint | key utf-8 | valueLength varint (-1 = null) | value].
 *
 * baseOffset and partitionLeaderEpoch lie outside the CRC, so the broker assigns offsets in place
 * without recomputing it. Decoding untrusted bytes never reads outside the given range and never
 * throws anything but KafkaError('CORRUPT_MESSAGE') with a message naming what is wrong. Decoded
 * keys, values and header values are views into the input bytes (no copy) unless the batch was
 * compressed.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { assert, assertFailed } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import {
  ByteReader,
  corrupt,
  getInt16,
  getInt32,
  getInt64,
  getUint32,
  putInt16,
  putInt32,
  putInt64,
  putVarint,
  putVarlong,
  sizeOfVarint,
  sizeOfVarlong,
} from './byte-reader.js';
import { crc32c } from './crc32c.js';
import { storageLimits } from './storage-limits.js';

export const MAGIC_V2 = 2;
/** baseOffset + batchLength: the bytes of a batch not counted in batchLength (Records.LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** The header of a batch with no records (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
export const RECORD_BATCH_OVERHEAD = 61;

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

const COMPRESSION_CODEC_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
const DELETE_HORIZON_FLAG_MASK = 0x40;

/** RecordBatch.NO_TIMESTAMP, NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE, NO_PARTITION_LEADER_EPOCH. */
export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
const COMPRESSION_BY_ID: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface RecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** The fixed-size header of a batch, parsed and range-checked but not CRC-checked. */
export interface BatchHeader {
  readonly baseOffset: number;
  /** baseOffset + lastOffsetDelta. */
  readonly lastOffset: number;
  /** LOG_OVERHEAD + batchLength: the bytes the batch occupies. */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly crc: number;
  readonly attributes: number;
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly hasDeleteHorizon: boolean;
  readonly lastOffsetDelta: number;
  readonly baseTimestampMs: number;
  readonly maxTimestampMs: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export interface DecodedRecord {
  readonly offset: number;
  readonly offsetDelta: number;
  /** The record's timestamp; for LogAppendTime batches, the batch's maxTimestamp as Kafka reports it. */
  readonly timestampMs: number;
  readonly attributes: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[];
}

export interface DecodedBatch extends BatchHeader {
  readonly records: readonly DecodedRecord[];
}

export interface RecordInput {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[];
  readonly timestampMs: number;
  /** Defaults to the record's index in the batch; compaction keeps the original deltas. */
  readonly offsetDelta?: number;
}

export interface RecordBatchInput {
  readonly records: readonly RecordInput[];
  readonly baseOffset?: number;
  readonly partitionLeaderEpoch?: number;
  readonly compression?: CompressionType;
  readonly timestampType?: TimestampType;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  /** Defaults to the first record's timestamp (MemoryRecordsBuilder); the delete horizon when `hasDeleteHorizon`. */
  readonly baseTimestampMs?: number;
  /** Defaults to the largest record timestamp. */
  readonly maxTimestampMs?: number;
  readonly hasDeleteHorizon?: boolean;
  /** Defaults to the last record's offsetDelta. */
  readonly lastOffsetDelta?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
}

// ---------------------------------------------------------------------------------------------
// Header

/**
 * Parses and range-checks the header of the batch at `position`, which must lie within `end`.
 * Checks: at least LOG_OVERHEAD bytes, a batchLength that covers the header and fits in `end`, magic
 * 2, a known compression codec, a non-negative record count, and 53-bit int64 fields. Does not
 * check the CRC (see `verifyBatchCrc`).
 */
export function readBatchHeader(bytes: Uint8Array, position: number, end = bytes.length): BatchHeader {
  if (!(position >= 0 && position <= end && end <= bytes.length)) assertFailed(`batch range [${position}, ${end}) outside 0..${bytes.length}`);
  return parseBatchHeaderFields(bytes, position, checkedBatchSize(bytes, position, end));
}

/**
 * Parses the fixed header fields of a batch of `sizeInBytes` bytes whose first RECORD_BATCH_OVERHEAD
 * bytes are at bytes[position...] (the rest of the batch need not be in memory: segment scans read
 * headers only). Checks magic, codec, counts and 53-bit int64 fields.
 */
export function parseBatchHeaderFields(bytes: Uint8Array, position: number, sizeInBytes: number): BatchHeader {
  if (!(position >= 0 && position + RECORD_BATCH_OVERHEAD <= bytes.length)) assertFailed(`batch header at ${position} outside 0..${bytes.length}`);
  if (!(sizeInBytes >= RECORD_BATCH_OVERHEAD)) assertFailed(`batch size ${sizeInBytes} below the header size`);
  const magic = bytes[position + MAGIC_OFFSET]!;
  if (magic !== MAGIC_V2) throw corrupt(`Found record batch with unsupported magic ${magic} (only magic 2 is supported)`);
  const attributes = getInt16(bytes, position + ATTRIBUTES_OFFSET);
  const codecId = attributes & COMPRESSION_CODEC_MASK;
  const compression = COMPRESSION_BY_ID[codecId];
  if (compression === undefined) throw corrupt(`Invalid compression codec id ${codecId} in record batch attributes`);
  const recordCount = getInt32(bytes, position + RECORDS_COUNT_OFFSET);
  if (recordCount < 0) throw corrupt(`Found invalid record count ${recordCount} in magic v2 batch`);
  const lastOffsetDelta = getInt32(bytes, position + LAST_OFFSET_DELTA_OFFSET);
  if (lastOffsetDelta < 0) throw corrupt(`Found invalid last offset delta ${lastOffsetDelta} in magic v2 batch`);
  const baseOffset = getInt64(bytes, position + BASE_OFFSET_OFFSET, 'baseOffset');
  if (baseOffset < 0) throw corrupt(`Found negative base offset ${baseOffset} in record batch`);
  return {
    baseOffset,
    lastOffset: baseOffset + lastOffsetDelta,
    sizeInBytes,
    partitionLeaderEpoch: getInt32(bytes, position + PARTITION_LEADER_EPOCH_OFFSET),
    crc: getUint32(bytes, position + CRC_OFFSET),
    attributes,
    compression,
    timestampType: attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
    lastOffsetDelta,
    baseTimestampMs: getInt64(bytes, position + BASE_TIMESTAMP_OFFSET, 'baseTimestamp'),
    maxTimestampMs: getInt64(bytes, position + MAX_TIMESTAMP_OFFSET, 'maxTimestamp'),
    producerId: getInt64(bytes, position + PRODUCER_ID_OFFSET, 'producerId'),
    producerEpoch: getInt16(bytes, position + PRODUCER_EPOCH_OFFSET),
    baseSequence: getInt32(bytes, position + BASE_SEQUENCE_OFFSET),
    recordCount,
  };
}

/**
 * The size in bytes of the batch at `position` after checking that its length field is sane and
 * that the whole batch lies within `end`. Throws CORRUPT_MESSAGE for a torn or malformed batch.
 */
export function checkedBatchSize(bytes: Uint8Array, position: number, end: number): number {
  const available = end - position;
  if (available < LOG_OVERHEAD) {
    throw corrupt(`Found ${available} bytes where a record batch header of at least ${LOG_OVERHEAD} bytes was expected (truncated batch)`);
  }
  const batchLength = getInt32(bytes, position + BATCH_LENGTH_OFFSET);
  const sizeInBytes = LOG_OVERHEAD + batchLength;
  if (batchLength < 0 || sizeInBytes < RECORD_BATCH_OVERHEAD) {
    throw corrupt(`Record batch is corrupt (the size ${sizeInBytes} is smaller than the minimum allowed overhead ${RECORD_BATCH_OVERHEAD})`);
  }
  if (sizeInBytes > storageLimits.batchBytesMax) {
    throw corrupt(`Record batch size ${sizeInBytes} is larger than the largest batch this broker can read (${storageLimits.batchBytesMax})`);
  }
  if (sizeInBytes > available) {
    throw corrupt(`Found ${available} bytes of a record batch of size ${sizeInBytes} (truncated batch)`);
  }
  const magic = bytes[position + MAGIC_OFFSET]!;
  if (magic !== MAGIC_V2) throw corrupt(`Found record batch with unsupported magic ${magic} (only magic 2 is supported)`);
  return sizeInBytes;
}

/** CRC-32C of the batch at `position` as computed over bytes [21, size). */
export function computeBatchCrc(bytes: Uint8Array, position: number, sizeInBytes: number): number {
  return crc32c(bytes, position + ATTRIBUTES_OFFSET, position + sizeInBytes);
}

/** Throws CORRUPT_MESSAGE when the stored CRC differs from the computed one (DefaultRecordBatch.ensureValid). */
export function verifyBatchCrc(bytes: Uint8Array, position: number, header: BatchHeader): void {
  const computed = computeBatchCrc(bytes, position, header.sizeInBytes);
  if (computed !== header.crc) {
    throw corrupt(`Record is corrupt (stored crc = ${header.crc}, computed crc = ${computed})`);
  }
}

/** Header check plus CRC check of the batch at `position`: Kafka's `ensureValid()`. */
export function ensureValidBatch(bytes: Uint8Array, position: number, end = bytes.length): BatchHeader {
  const header = readBatchHeader(bytes, position, end);
  verifyBatchCrc(bytes, position, header);
  return header;
}

// ---------------------------------------------------------------------------------------------
// In-place edits by the broker (outside the CRC, or followed by a CRC update)

export function writeBaseOffset(bytes: Uint8Array, position: number, baseOffset: number): void {
  if (!(Number.isSafeInteger(baseOffset) && baseOffset >= 0)) assertFailed(`base offset ${baseOffset} must be a non-negative safe integer`);
  putInt64(bytes, position + BASE_OFFSET_OFFSET, baseOffset);
}

export function writePartitionLeaderEpoch(bytes: Uint8Array, position: number, epoch: number): void {
  if (!(Number.isInteger(epoch) && epoch >= -1 && epoch <= 0x7fff_ffff)) assertFailed(`leader epoch ${epoch} must be an int32 >= -1`);
  putInt32(bytes, position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
}

/**
 * Turns the batch into a LogAppendTime batch stamped `timestampMs` (LogValidator with
 * message.timestamp.type=LogAppendTime): sets attribute bit 3 and maxTimestamp, then rewrites the CRC.
 */
export function stampLogAppendTime(bytes: Uint8Array, position: number, sizeInBytes: number, timestampMs: number): void {
  if (!Number.isSafeInteger(timestampMs)) assertFailed(`log append time ${timestampMs} must be a safe integer`);
  const attributes = getInt16(bytes, position + ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_MASK;
  putInt16(bytes, position + ATTRIBUTES_OFFSET, attributes);
  putInt64(bytes, position + MAX_TIMESTAMP_OFFSET, timestampMs);
  putInt32(bytes, position + CRC_OFFSET, computeBatchCrc(bytes, position, sizeInBytes));
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * The fields of one record as positions into the buffer, filled by `readRecordFields` without
 * allocating, so scans (validation, recovery, timestamp search) cost no garbage.
 */
export class RecordFields {
  attributes = 0;
  timestampDelta = 0;
  offsetDelta = 0;
  keyStart = 0;
  /** -1 for a null key. */
  keyLength = -1;
  valueStart = 0;
  /** -1 for a null value (a tombstone). */
  valueLength = -1;
  headersStart = 0;
  headerCount = 0;
}

/**
 * Parses the record at reader.pos into `out` (DefaultRecord.readFrom) and leaves reader.pos after
 * it. Headers are walked and checked but not materialised.
 */
export function readRecordFields(reader: ByteReader, out: RecordFields): void {
  const sizeOfBody = reader.readVarint('record length');
  if (sizeOfBody < 0) throw corrupt(`Invalid record size ${sizeOfBody}`);
  if (sizeOfBody > reader.remaining()) {
    throw corrupt(`Invalid record size: expected to read ${sizeOfBody} bytes in record payload, but only ${reader.remaining()} bytes remain`);
  }
  const bodyStart = reader.pos;
  const bodyEnd = bodyStart + sizeOfBody;
  const outerEnd = reader.end;
  // Narrow the reader to the record body so no field can spill into the next record. On a throw
  // the bound is not restored: callers own the reader and discard it with the error.
  reader.end = bodyEnd;
  readRecordBody(reader, out);
  reader.end = outerEnd;
  if (reader.pos !== bodyEnd) {
    throw corrupt(`Invalid record size: expected to read ${sizeOfBody} bytes in record payload, but instead read ${reader.pos - bodyStart}`);
  }
}

function readRecordBody(record: ByteReader, out: RecordFields): void {
  out.attributes = record.readInt8('record attributes');
  out.timestampDelta = record.readVarlong('record timestampDelta');
  out.offsetDelta = record.readVarint('record offsetDelta');
  out.keyLength = readBytesLength(record, 'record key', 'record key length');
  out.keyStart = record.pos;
  record.pos += Math.max(out.keyLength, 0);
  out.valueLength = readBytesLength(record, 'record value', 'record value length');
  out.valueStart = record.pos;
  record.pos += Math.max(out.valueLength, 0);
  out.headerCount = record.readVarint('record header count');
  if (out.headerCount < 0) throw corrupt(`Found invalid number of record headers ${out.headerCount}`);
  out.headersStart = record.pos;
  skipHeaders(record, out.headerCount);
}

/**
 * A length-prefixed byte field: -1 is null, anything below is corrupt, and the bytes must be
 * present. `lengthField` is spelled out by the caller: a name built here is a new string per record.
 */
function readBytesLength(reader: ByteReader, field: string, lengthField: string): number {
  const length = reader.readVarint(lengthField);
  if (length < -1) throw corrupt(`Invalid ${field} size ${length}`);
  if (length > 0) reader.require(length, field);
  return length;
}

function skipHeaders(reader: ByteReader, headerCount: number): void {
  // Each header takes at least two bytes, so the count is bounded by the bytes that remain.
  if (headerCount * 2 > reader.remaining()) throw corrupt(`Found ${headerCount} record headers in ${reader.remaining()} bytes`);
  for (let i = 0; i < headerCount; i++) {
    const keyLength = reader.readVarint('header key length');
    if (keyLength < 0) throw corrupt(`Invalid negative header key size ${keyLength}`);
    reader.require(keyLength, 'header key');
    reader.pos += keyLength;
    const valueLength = readBytesLength(reader, 'header value', 'header value length');
    reader.pos += Math.max(valueLength, 0);
  }
}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function decodeHeaders(buf: Uint8Array, start: number, count: number): RecordHeader[] {
  const headers: RecordHeader[] = [];
  // The headers were already checked by readRecordFields, so this walk stays in bounds.
  const reader = new ByteReader(buf, start, buf.length);
  for (let i = 0; i < count; i++) {
    const keyLength = reader.readVarint('header key length');
    const key = utf8.decode(buf.subarray(reader.pos, reader.pos + keyLength));
    reader.pos += keyLength;
    const valueLength = reader.readVarint('header value length');
    const value = valueLength < 0 ? null : buf.subarray(reader.pos, reader.pos + valueLength);
    reader.pos += Math.max(valueLength, 0);
    headers.push({ key, value });
  }
  return headers;
}

const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);
/** The encoded form of a record without headers, shared by all of them. */
const NO_ENCODED_HEADERS: readonly EncodedHeader[] = Object.freeze([]);

/**
 * The byte range holding the records of a batch: the batch itself when uncompressed, otherwise a
 * freshly inflated buffer. Throws CORRUPT_MESSAGE for a codec this build cannot inflate.
 */
export function recordsSection(bytes: Uint8Array, position: number, header: BatchHeader): { buf: Uint8Array; start: number; end: number } {
  const start = position + RECORDS_OFFSET;
  const end = position + header.sizeInBytes;
  if (header.compression === 'none') return { buf: bytes, start, end };
  const inflated = decompress(header.compression, bytes.subarray(start, end));
  // A plain Uint8Array view, so decoded keys and values are the same type whatever the codec.
  return { buf: new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length), start: 0, end: inflated.length };
}

/**
 * Walks the records of a batch, calling `visit` with the reusable `fields` for each, and checks the
 * batch's structure: exactly recordCount records that fill the records section, offset deltas
 * strictly increasing and at most lastOffsetDelta. Returns nothing; `visit` may throw to stop.
 */
export function forEachRecord(
  bytes: Uint8Array,
  position: number,
  header: BatchHeader,
  fields: RecordFields,
  visit: (fields: RecordFields, section: Uint8Array) => void,
): void {
  const section = recordsSection(bytes, position, header);
  const count = header.recordCount;
  if (count * storageLimits.recordBytesMin > section.end - section.start) {
    throw corrupt(`Record batch claims ${count} records but holds only ${section.end - section.start} bytes of records`);
  }
  const reader = new ByteReader(section.buf, section.start, section.end);
  let previousDelta = -1;
  for (let i = 0; i < count; i++) {
    readRecordFields(reader, fields);
    if (fields.offsetDelta <= previousDelta || fields.offsetDelta > header.lastOffsetDelta) {
      throw corrupt(`Record ${i} of the batch at offset ${header.baseOffset} has offset delta ${fields.offsetDelta} (previous ${previousDelta}, last ${header.lastOffsetDelta})`);
    }
    previousDelta = fields.offsetDelta;
    visit(fields, section.buf);
  }
  if (reader.pos !== reader.end) {
    throw corrupt(`Incorrect declared batch size, ${reader.end - reader.pos} bytes remain after ${count} records`);
  }
}

/**
 * Decodes the batch at `position` with its records. Verifies the CRC unless `verifyCrc` is false
 * (a consumer with check.crcs=false).
 */
export function decodeRecordBatch(bytes: Uint8Array, position = 0, options: { end?: number; verifyCrc?: boolean } = {}): DecodedBatch {
  const header = readBatchHeader(bytes, position, options.end ?? bytes.length);
  if (options.verifyCrc !== false) verifyBatchCrc(bytes, position, header);
  const records: DecodedRecord[] = [];
  const fields = new RecordFields();
  const logAppendTime = header.timestampType === 'LogAppendTime';
  forEachRecord(bytes, position, header, fields, (f, buf) => {
    records.push({
      offset: header.baseOffset + f.offsetDelta,
      offsetDelta: f.offsetDelta,
      timestampMs: logAppendTime ? header.maxTimestampMs : recordTimestamp(header, f.timestampDelta),
      attributes: f.attributes,
      key: f.keyLength < 0 ? null : buf.subarray(f.keyStart, f.keyStart + f.keyLength),
      value: f.valueLength < 0 ? null : buf.subarray(f.valueStart, f.valueStart + f.valueLength),
      headers: f.headerCount === 0 ? NO_HEADERS : decodeHeaders(buf, f.headersStart, f.headerCount),
    });
  });
  return { ...header, records };
}

/** baseTimestamp + delta, refused when it leaves the safe range. */
export function recordTimestamp(header: BatchHeader, timestampDelta: number): number {
  const timestampMs = header.baseTimestampMs + timestampDelta;
  if (!Number.isSafeInteger(timestampMs)) throw corrupt(`Record timestamp ${header.baseTimestampMs} + ${timestampDelta} does not fit in 53 bits`);
  return timestampMs;
}

/**
 * Decodes every batch in `bytes` (a Fetch response's records, or a segment slice). A partial batch
 * at the end is skipped, as Kafka's clients do, only when `allowPartialTail` is set.
 */
export function decodeRecordBatches(bytes: Uint8Array, options: { verifyCrc?: boolean; allowPartialTail?: boolean } = {}): DecodedBatch[] {
  const batches: DecodedBatch[] = [];
  let position = 0;
  // Every batch is at least RECORD_BATCH_OVERHEAD bytes, which bounds the loop.
  const batchesMax = Math.floor(bytes.length / RECORD_BATCH_OVERHEAD) + 1;
  for (let i = 0; i < batchesMax && position < bytes.length; i++) {
    if (options.allowPartialTail === true && isPartialTail(bytes, position)) break;
    const batch = decodeRecordBatch(bytes, position, { verifyCrc: options.verifyCrc ?? true });
    batches.push(batch);
    position += batch.sizeInBytes;
  }
  return batches;
}

function isPartialTail(bytes: Uint8Array, position: number): boolean {
  const available = bytes.length - position;
  if (available < LOG_OVERHEAD) return true;
  return LOG_OVERHEAD + getInt32(bytes, position + BATCH_LENGTH_OFFSET) > available;
}

// ---------------------------------------------------------------------------------------------
// Compression

function decompress(compression: CompressionType, data: Uint8Array): Uint8Array {
  if (compression !== 'gzip') {
    throw new KafkaError('CORRUPT_MESSAGE', `Compression codec ${compression} is not supported by this broker (supported: none, gzip)`);
  }
  try {
    return gunzipSync(data, { maxOutputLength: storageLimits.decompressedBatchBytesMax });
  } catch (error) {
    throw corrupt(`Failed to decompress gzip record batch: ${(error as Error).message}`);
  }
}

function compress(compression: CompressionType, data: Uint8Array): Uint8Array {
  if (compression !== 'gzip') {
    throw new KafkaError('CORRUPT_MESSAGE', `Compression codec ${compression} is not supported by this broker (supported: none, gzip)`);
  }
  return gzipSync(data);
}

// ---------------------------------------------------------------------------------------------
// Encoding

interface EncodedHeader {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

function bytesFieldSize(value: Uint8Array | null): number {
  return value === null ? 1 : sizeOfVarint(value.length) + value.length;
}

function putBytesField(buf: Uint8Array, pos: number, value: Uint8Array | null): number {
  if (value === null) return putVarint(buf, pos, -1);
  pos = putVarint(buf, pos, value.length);
  buf.set(value, pos);
  return pos + value.length;
}

/** Body size of a record (everything after its length varint). */
function recordBodySize(timestampDelta: number, offsetDelta: number, record: RecordInput, headers: readonly EncodedHeader[]): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta) + bytesFieldSize(record.key) + bytesFieldSize(record.value);
  size += sizeOfVarint(headers.length);
  for (let h = 0; h < headers.length; h++) size += sizeOfVarint(headers[h]!.key.length) + headers[h]!.key.length + bytesFieldSize(headers[h]!.value);
  return size;
}

/** Encodes the records of a batch (the part after recordCount, before compression). */
function encodeRecords(records: readonly RecordInput[], baseTimestampMs: number): Uint8Array {
  // Most records carry no headers: they share one empty list instead of two fresh arrays each.
  const encodedHeaders = records.map((r) => (r.headers === undefined || r.headers.length === 0 ? NO_ENCODED_HEADERS : r.headers.map((h) => ({ key: utf8Encoder.encode(h.key), value: h.value }))));
  const bodySizes = new Array<number>(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (!(Math.abs(record.timestampMs - baseTimestampMs) < 2 ** 52)) assertFailed(`record ${i} timestamp ${record.timestampMs} too far from base ${baseTimestampMs}`);
    const size = recordBodySize(record.timestampMs - baseTimestampMs, record.offsetDelta ?? i, record, encodedHeaders[i]!);
    bodySizes[i] = size;
    total += sizeOfVarint(size) + size;
  }
  const buf = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    pos = putVarint(buf, pos, bodySizes[i]!);
    buf[pos++] = 0; // record attributes: unused in magic 2
    pos = putVarlong(buf, pos, record.timestampMs - baseTimestampMs);
    pos = putVarint(buf, pos, record.offsetDelta ?? i);
    pos = putBytesField(buf, pos, record.key);
    pos = putBytesField(buf, pos, record.value);
    const headers = encodedHeaders[i]!;
    pos = putVarint(buf, pos, headers.length);
    for (let h = 0; h < headers.length; h++) {
      const header = headers[h]!;
      pos = putVarint(buf, pos, header.key.length);
      buf.set(header.key, pos);
      pos += header.key.length;
      pos = putBytesField(buf, pos, header.value);
    }
  }
  if (!(pos === total)) assertFailed(`encoded records ${pos} bytes, sized ${total}`);
  return buf;
}

function checkInput(input: RecordBatchInput): void {
  assert(input.records.length > 0 || input.lastOffsetDelta !== undefined, 'a batch without records needs an explicit lastOffsetDelta');
  let previousDelta = -1;
  for (let i = 0; i < input.records.length; i++) {
    const record = input.records[i]!;
    const delta = record.offsetDelta ?? i;
    if (!(Number.isInteger(delta) && delta > previousDelta)) assertFailed(`record ${i} offsetDelta ${delta} must exceed ${previousDelta}`);
    if (!Number.isSafeInteger(record.timestampMs)) assertFailed(`record ${i} timestamp ${record.timestampMs} must be a safe integer`);
    previousDelta = delta;
  }
}

/**
 * Encodes a batch exactly as Kafka's MemoryRecordsBuilder (and kafkajs's RecordBatch) does. The
 * result is a fresh buffer holding one batch with a correct CRC.
 */
export function encodeRecordBatch(input: RecordBatchInput): Uint8Array {
  checkInput(input);
  const records = input.records;
  const compression = input.compression ?? 'none';
  const baseTimestampMs = input.baseTimestampMs ?? records[0]?.timestampMs ?? NO_TIMESTAMP;
  let maxTimestampMs = input.maxTimestampMs ?? NO_TIMESTAMP;
  if (input.maxTimestampMs === undefined) for (const r of records) maxTimestampMs = Math.max(maxTimestampMs, r.timestampMs);
  const lastOffsetDelta = input.lastOffsetDelta ?? records[records.length - 1]?.offsetDelta ?? records.length - 1;
  let recordsBytes = encodeRecords(records, baseTimestampMs);
  if (compression !== 'none') recordsBytes = compress(compression, recordsBytes);

  const size = RECORDS_OFFSET + recordsBytes.length;
  const buf = new Uint8Array(size);
  putInt64(buf, BASE_OFFSET_OFFSET, input.baseOffset ?? 0);
  putInt32(buf, BATCH_LENGTH_OFFSET, size - LOG_OVERHEAD);
  putInt32(buf, PARTITION_LEADER_EPOCH_OFFSET, input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH);
  buf[MAGIC_OFFSET] = MAGIC_V2;
  putInt16(buf, ATTRIBUTES_OFFSET, batchAttributes(input, compression));
  putInt32(buf, LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta);
  putInt64(buf, BASE_TIMESTAMP_OFFSET, baseTimestampMs);
  putInt64(buf, MAX_TIMESTAMP_OFFSET, maxTimestampMs);
  putInt64(buf, PRODUCER_ID_OFFSET, input.producerId ?? NO_PRODUCER_ID);
  putInt16(buf, PRODUCER_EPOCH_OFFSET, input.producerEpoch ?? NO_PRODUCER_EPOCH);
  putInt32(buf, BASE_SEQUENCE_OFFSET, input.baseSequence ?? NO_SEQUENCE);
  putInt32(buf, RECORDS_COUNT_OFFSET, records.length);
  buf.set(recordsBytes, RECORDS_OFFSET);
  putInt32(buf, CRC_OFFSET, computeBatchCrc(buf, 0, size));
  return buf;
}

function batchAttributes(input: RecordBatchInput, compression: CompressionType): number {
  let attributes = COMPRESSION_BY_ID.indexOf(compression);
  if (input.timestampType === 'LogAppendTime') attributes |= TIMESTAMP_TYPE_MASK;
  if (input.isTransactional === true) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (input.isControl === true) attributes |= CONTROL_FLAG_MASK;
  if (input.hasDeleteHorizon === true) attributes |= DELETE_HORIZON_FLAG_MASK;
  return attributes;
}

/** Concatenates batches into one buffer (a MemoryRecords / a Fetch response's records). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
