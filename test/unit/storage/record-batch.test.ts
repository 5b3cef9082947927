import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import {
  decodeRecordBatch,
  decodeRecordBatches,
  encodeRecordBatch,
  ensureValidBatch,
  readBatchHeader,
  stampLogAppendTime,
  writeBaseOffset,
  writePartitionLeaderEpoch,
  concatBytes,
  type RecordInput,
} from '../../../engine/storage/record-batch.js';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const { RecordBatch: KafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as any;
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as any;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as any;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as any;
const KafkajsLong = require('kafkajs/src/utils/long.js') as any;
const { Types: KafkajsCompression } = require('kafkajs/src/protocol/message/compression/index.js') as any;

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/storage/kafkajs-produce-v3-request.json', import.meta.url), 'utf8')) as {
  recordBatchStart: number;
  recordBatchSize: number;
  hex: string;
};

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

function expectCorrupt(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).errorName).toBe('CORRUPT_MESSAGE');
    expect((error as KafkaError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected CORRUPT_MESSAGE');
}

/** The same records through kafkajs's encoder: one header value per key, as its API takes them. */
async function kafkajsEncode(records: readonly RecordInput[], options: { baseTimestampMs: number; maxTimestampMs: number; compression: number; baseOffset: number }): Promise<Uint8Array> {
  const encoded = records.map((r, i) =>
    KafkajsRecord({
      offsetDelta: i,
      timestampDelta: r.timestampMs - options.baseTimestampMs,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value === null ? null : Buffer.from(h.value)])),
    }),
  );
  const batch = await KafkajsRecordBatch({
    compression: options.compression,
    firstOffset: KafkajsLong.fromNumber(options.baseOffset),
    firstTimestamp: options.baseTimestampMs,
    maxTimestamp: options.maxTimestampMs,
    partitionLeaderEpoch: 0,
    lastOffsetDelta: records.length - 1,
    producerId: KafkajsLong.fromValue(-1),
    producerEpoch: 0,
    firstSequence: 0,
    records: encoded,
  });
  const buffer = batch.buffer as Buffer;
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

function randomRecords(prng: SeededPrng, count: number, baseTimestampMs: number): RecordInput[] {
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => prng.nextInt(256));
  return Array.from({ length: count }, (_, i) => ({
    key: prng.nextInt(4) === 0 ? null : bytes(prng.nextInt(40)),
    value: prng.nextInt(6) === 0 ? null : bytes(prng.nextInt(prng.nextInt(2) === 0 ? 50 : 3000)),
    headers: Array.from({ length: prng.nextInt(3) }, (_, h) => ({ key: `h${h}-${prng.nextInt(1000)}`, value: bytes(prng.nextInt(10)) })),
    timestampMs: baseTimestampMs + prng.nextInt(100_000) - 1000 + i,
  }));
}

describe('record batch v2 codec', () => {
  it('decodes the kafkajs Produce v3 fixture and its CRC matches (0xd20a45ed)', () => {
    const request = Buffer.from(fixture.hex, 'hex');
    const bytes = new Uint8Array(request.subarray(fixture.recordBatchStart, fixture.recordBatchStart + fixture.recordBatchSize));
    const header = ensureValidBatch(bytes, 0);
    expect(header.crc).toBe(0xd20a45ed);
    expect(header.sizeInBytes).toBe(270);
    expect(header.producerId).toBe(-1);
    expect(header.producerEpoch).toBe(0);
    const batch = decodeRecordBatch(bytes);
    expect(batch.records).toHaveLength(3);
    expect(str(batch.records[0]!.key)).toBe('key-9d0f348cb2e730e1edc4');
    expect(str(batch.records[0]!.value)).toBe('some-value-a17b4c81f9ecd1e896e3');
    expect(batch.records[0]!.headers.map((h) => [h.key, str(h.value)])).toEqual([['a', 'b'], ['c', 'd'], ['c', 'e']]);
    expect(batch.records.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(batch.records[2]!.timestampMs).toBe(batch.baseTimestampMs);
  });

  it('re-encodes the kafkajs fixture byte for byte', () => {
    const request = Buffer.from(fixture.hex, 'hex');
    const original = new Uint8Array(request.subarray(fixture.recordBatchStart, fixture.recordBatchStart + fixture.recordBatchSize));
    const batch = decodeRecordBatch(original);
    const again = encodeRecordBatch({
      records: batch.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestampMs: r.timestampMs })),
      baseTimestampMs: batch.baseTimestampMs,
      maxTimestampMs: batch.maxTimestampMs,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
    });
    expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(original).toString('hex'));
  });

  for (const [name, compression, kafkajsCompression] of [
    ['none', 'none', KafkajsCompression.None],
    ['gzip', 'gzip', KafkajsCompression.GZIP],
  ] as const) {
    it(`encodes byte for byte as kafkajs does (${name}), and each decodes the other`, async () => {
      const seed = 7301;
      const prng = new SeededPrng(seed);
      for (let round = 0; round < 25; round++) {
        const baseTimestampMs = 1_700_000_000_000 + prng.nextInt(1_000_000);
        const records = randomRecords(prng, 1 + prng.nextInt(20), baseTimestampMs);
        const maxTimestampMs = Math.max(...records.map((r) => r.timestampMs));
        const baseOffset = prng.nextInt(1_000_000);
        const ours = encodeRecordBatch({
          records,
          baseOffset,
          baseTimestampMs,
          maxTimestampMs,
          compression,
          partitionLeaderEpoch: 0,
          producerEpoch: 0,
          baseSequence: 0,
        });
        const theirs = await kafkajsEncode(records, { baseTimestampMs, maxTimestampMs, compression: kafkajsCompression, baseOffset });
        expect(Buffer.from(ours).toString('hex'), `seed ${seed} round ${round}`).toBe(Buffer.from(theirs).toString('hex'));

        const decodedByKafkajs = await kafkajsDecodeBatch(new KafkajsDecoder(Buffer.from(ours)));
        expect(decodedByKafkajs.records).toHaveLength(records.length);
        decodedByKafkajs.records.forEach((r: any, i: number) => {
          const input = records[i]!;
          expect(r.offset).toBe(String(baseOffset + i));
          expect(r.timestamp).toBe(String(input.timestampMs));
          expect(r.key === null ? null : new Uint8Array(r.key)).toEqual(input.key);
          expect(r.value === null ? null : new Uint8Array(r.value)).toEqual(input.value);
        });

        const decodedByUs = decodeRecordBatch(theirs);
        expect(decodedByUs.compression).toBe(compression);
        decodedByUs.records.forEach((r, i) => {
          const input = records[i]!;
          expect(r.offset).toBe(baseOffset + i);
          expect(r.timestampMs).toBe(input.timestampMs);
          expect(r.key).toEqual(input.key);
          expect(r.value).toEqual(input.value);
          expect(r.headers).toEqual(input.headers);
        });
      }
    });
  }

  it('round-trips null keys and values, tombstones, empty values, large timestamp deltas and header nulls', () => {
    const records: RecordInput[] = [
      { key: null, value: null, timestampMs: 5 },
      { key: text(''), value: text(''), timestampMs: 2 ** 40, headers: [{ key: 'n', value: null }, { key: '', value: text('x') }] },
      { key: text('k'), value: null, timestampMs: -1 },
    ];
    const bytes = encodeRecordBatch({ records, baseOffset: 2 ** 50, producerId: 123_456_789_012, producerEpoch: 7, baseSequence: 99, isTransactional: true });
    const batch = decodeRecordBatch(bytes);
    expect(batch.baseOffset).toBe(2 ** 50);
    expect(batch.lastOffset).toBe(2 ** 50 + 2);
    expect(batch.producerId).toBe(123_456_789_012);
    expect(batch.producerEpoch).toBe(7);
    expect(batch.baseSequence).toBe(99);
    expect(batch.isTransactional).toBe(true);
    expect(batch.isControl).toBe(false);
    expect(batch.maxTimestampMs).toBe(2 ** 40);
    expect(batch.records.map((r) => r.timestampMs)).toEqual([5, 2 ** 40, -1]);
    expect(batch.records[0]!.key).toBeNull();
    expect(batch.records[0]!.value).toBeNull();
    expect(batch.records[1]!.key).toEqual(new Uint8Array(0));
    expect(batch.records[1]!.headers).toEqual([{ key: 'n', value: null }, { key: '', value: text('x') }]);
    expect(batch.records[2]!.value).toBeNull();
  });

  it('keeps compaction gaps: explicit offset deltas and lastOffsetDelta', () => {
    const bytes = encodeRecordBatch({
      records: [
        { key: text('a'), value: text('1'), timestampMs: 10, offsetDelta: 1 },
        { key: text('b'), value: text('2'), timestampMs: 11, offsetDelta: 4 },
      ],
      lastOffsetDelta: 6,
      baseOffset: 100,
    });
    const batch = decodeRecordBatch(bytes);
    expect(batch.records.map((r) => r.offset)).toEqual([101, 104]);
    expect(batch.lastOffset).toBe(106);
  });

  it('leaves the CRC valid after the broker writes baseOffset and leader epoch in place', () => {
    const bytes = encodeRecordBatch({ records: [{ key: null, value: text('v'), timestampMs: 1 }] });
    writeBaseOffset(bytes, 0, 4242);
    writePartitionLeaderEpoch(bytes, 0, 17);
    const header = ensureValidBatch(bytes, 0);
    expect(header.baseOffset).toBe(4242);
    expect(header.partitionLeaderEpoch).toBe(17);
  });

  it('stamps LogAppendTime and rewrites the CRC', () => {
    const bytes = encodeRecordBatch({ records: [{ key: null, value: text('v'), timestampMs: 1 }, { key: null, value: text('w'), timestampMs: 3 }] });
    stampLogAppendTime(bytes, 0, bytes.length, 9999);
    const batch = decodeRecordBatch(bytes);
    expect(batch.timestampType).toBe('LogAppendTime');
    expect(batch.maxTimestampMs).toBe(9999);
    expect(batch.records.map((r) => r.timestampMs)).toEqual([9999, 9999]);
  });

  it('decodes a concatenation of batches and optionally skips a partial tail', () => {
    const a = encodeRecordBatch({ records: [{ key: null, value: text('a'), timestampMs: 1 }], baseOffset: 0 });
    const b = encodeRecordBatch({ records: [{ key: null, value: text('b'), timestampMs: 2 }], baseOffset: 1 });
    const both = concatBytes([a, b]);
    expect(decodeRecordBatches(both).map((x) => x.baseOffset)).toEqual([0, 1]);
    const torn = both.subarray(0, both.length - 3);
    expect(decodeRecordBatches(torn, { allowPartialTail: true }).map((x) => x.baseOffset)).toEqual([0]);
    expectCorrupt(() => decodeRecordBatches(torn), /truncated batch/);
  });

  it('reports specific corruption', () => {
    const good = encodeRecordBatch({ records: [{ key: text('k'), value: text('value'), timestampMs: 1 }] });
    const flipped = good.slice();
    flipped[good.length - 2] = flipped[good.length - 2]! ^ 0x10;
    expectCorrupt(() => decodeRecordBatch(flipped), /Record is corrupt \(stored crc = \d+, computed crc = \d+\)/);
    const badMagic = good.slice();
    badMagic[16] = 1;
    expectCorrupt(() => readBatchHeader(badMagic, 0), /unsupported magic 1/);
    expectCorrupt(() => readBatchHeader(good.subarray(0, 30), 0), /truncated batch/);
    expectCorrupt(() => readBatchHeader(good.subarray(0, 5), 0), /truncated batch/);
    const snappy = encodeRecordBatch({ records: [{ key: null, value: text('v'), timestampMs: 1 }] });
    snappy[22] = 2;
    expectCorrupt(() => decodeRecordBatch(snappy, 0, { verifyCrc: false }), /snappy is not supported/);
    const tooMany = good.slice();
    tooMany[60] = 9;
    expectCorrupt(() => decodeRecordBatch(tooMany, 0, { verifyCrc: false }), /claims 9 records/);
  });
});
