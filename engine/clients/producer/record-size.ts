/**
 * Sizes of records in a record batch v2, as Kafka's producer estimates them (DefaultRecord.sizeInBytes,
 * DefaultRecord.recordSizeUpperBound, DefaultRecordBatch.estimateBatchSizeUpperBound). The
 * accumulator uses them to decide whether a record fits an open batch and how many bytes an append
 * added (which the sticky partitioner counts); the producer uses the upper bound for
 * max.request.size and buffer.memory checks.
 *
 * Invariants: recordSizeInBytes is exactly the bytes encodeRecordBatch writes for the record
 * (uncompressed); batchSizeUpperBound >= RECORD_BATCH_OVERHEAD + that size for any offset and
 * timestamp delta.
 */
import { RECORD_BATCH_OVERHEAD, type RecordHeader } from '../../storage/record-batch.js';
import { sizeOfVarint, sizeOfVarlong } from '../../storage/byte-reader.js';

/** DefaultRecord.MAX_RECORD_OVERHEAD: length varint (5) + attributes (1) + timestampDelta (10) + offsetDelta (5). */
export const MAX_RECORD_OVERHEAD = 21;

const utf8 = new TextEncoder();

function bytesFieldSize(value: Uint8Array | null): number {
  return value === null ? 1 : sizeOfVarint(value.length) + value.length;
}

/** Key, value and headers as encoded (DefaultRecord.sizeOf(keySize, valueSize, headers)). */
function keyValueHeadersSize(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[]): number {
  let size = bytesFieldSize(key) + bytesFieldSize(value) + sizeOfVarint(headers.length);
  for (const header of headers) {
    const keyLength = utf8.encode(header.key).length;
    size += sizeOfVarint(keyLength) + keyLength + bytesFieldSize(header.value);
  }
  return size;
}

/** Bytes one record occupies in a batch, its length varint included (DefaultRecord.sizeInBytes). */
export function recordSizeInBytes(offsetDelta: number, timestampDelta: number, key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[]): number {
  const body = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta) + keyValueHeadersSize(key, value, headers);
  return sizeOfVarint(body) + body;
}

/** An upper bound of a batch holding just this record (AbstractRecords.estimateSizeInBytesUpperBound, magic 2). */
export function batchSizeUpperBound(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[]): number {
  return RECORD_BATCH_OVERHEAD + MAX_RECORD_OVERHEAD + keyValueHeadersSize(key, value, headers);
}
