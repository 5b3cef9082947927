/**
 * ConsumerProtocolSubscription / ConsumerProtocolAssignment bytes (versions 0-3): round trips,
 * fixtures derived by hand from the JSON schemas, Kafka's ordering rules, forward compatibility,
 * and refusal of truncated or corrupt bytes. Cases ported from Kafka's ConsumerProtocolTest name
 * the Java test.
 */
import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../../../engine/core/prng.js';
import type { MemberSubscription } from '../../../engine/groups/assignors/assignor.js';
import {
  CONSUMER_PROTOCOL_HIGHEST_VERSION,
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  SchemaException,
} from '../../../engine/groups/consumer-protocol.js';

const utf8 = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const tp = (topic: string, partition: number) => ({ topic, partition });

function sub(fields: Partial<MemberSubscription> = {}): MemberSubscription {
  return { topics: ['foo', 'bar'], userData: null, ownedPartitions: [], generationId: -1, rackId: null, ...fields };
}

const full = sub({ userData: utf8.encode('hello'), ownedPartitions: [tp('foo', 0), tp('bar', 0)], generationId: 1, rackId: 'rack-a' });

describe('ConsumerProtocolSubscription', () => {
  it('serializeDeserializeSubscriptionAllVersions: each version keeps its own fields and drops later ones', () => {
    for (let version = 0; version <= CONSUMER_PROTOCOL_HIGHEST_VERSION; version++) {
      const decoded = decodeSubscription(encodeSubscription(full, version));
      expect(decoded.version).toBe(version);
      expect([...decoded.topics].sort()).toEqual(['bar', 'foo']);
      expect(decoded.userData).toEqual(utf8.encode('hello'));
      expect(decoded.ownedPartitions, `v${version}`).toEqual(version >= 1 ? [tp('bar', 0), tp('foo', 0)] : []);
      expect(decoded.generationId, `v${version}`).toBe(version >= 2 ? 1 : -1);
      expect(decoded.rackId, `v${version}`).toBe(version >= 3 ? 'rack-a' : null);
    }
    expect(CONSUMER_PROTOCOL_TYPE).toBe('consumer');
  });

  it('v3 byte for byte, derived from ConsumerProtocolSubscription.json', () => {
    const subscription = sub({
      topics: ['orders', 'inventory'],
      userData: Uint8Array.of(0x01, 0x02),
      ownedPartitions: [tp('orders', 1), tp('inventory', 0), tp('orders', 0)],
      generationId: 7,
      rackId: 'rack-a',
    });
    const expected = [
      '0003', //                           version 3 (int16)
      '00000002', //                       Topics: [string], count 2, sorted
      '0009', '696e76656e746f7279', //       "inventory" (int16 length + UTF-8)
      '0006', '6f7264657273', //             "orders"
      '00000002', '0102', //               UserData: bytes, int32 length 2
      '00000002', //                       OwnedPartitions: count 2, sorted by topic and grouped
      '0009', '696e76656e746f7279', //       Topic "inventory"
      '00000001', '00000000', //             Partitions: [int32] count 1: 0
      '0006', '6f7264657273', //             Topic "orders"
      '00000002', '00000000', '00000001', // Partitions: count 2: 0, 1
      '00000007', //                       GenerationId (int32)
      '0006', '7261636b2d61', //           RackId "rack-a" (nullable string)
    ].join('');
    expect(hex(encodeSubscription(subscription, 3))).toBe(expected);
  });

  it('v0 byte for byte, with null user data', () => {
    const expected = [
      '0000', //               version 0
      '00000001', //           Topics: count 1
      '0001', '74', //         "t"
      'ffffffff', //           UserData: null
    ].join('');
    expect(hex(encodeSubscription(sub({ topics: ['t'], ownedPartitions: [tp('t', 0)], generationId: 3, rackId: 'r' }), 0))).toBe(expected);
  });

  it('serializeSubscriptionShouldOrderTopics / serializeSubscriptionShouldOrderOwnedPartitions', () => {
    const a = encodeSubscription(sub({ topics: ['foo', 'bar'], ownedPartitions: [tp('foo', 1), tp('bar', 2)] }));
    const b = encodeSubscription(sub({ topics: ['bar', 'foo'], ownedPartitions: [tp('bar', 2), tp('foo', 1)] }));
    expect(hex(a)).toBe(hex(b));
  });

  it('serializeDeserializeNullSubscriptionUserData / serializeDeserializeMetadata: null stays null, empty stays empty', () => {
    expect(decodeSubscription(encodeSubscription(sub({ userData: null }))).userData).toBeNull();
    expect(decodeSubscription(encodeSubscription(sub({ userData: new Uint8Array(0) }))).userData).toEqual(new Uint8Array(0));
  });

  it('writes a generation below 0 as -1 and reads an empty rack id as none', () => {
    const decoded = decodeSubscription(encodeSubscription(sub({ generationId: -7, rackId: '' })));
    expect(decoded.generationId).toBe(-1);
    expect(decoded.rackId).toBeNull();
  });

  it('deserializeNewSubscriptionWithOldVersion: v3 bytes labelled v0 read only topics and user data', () => {
    const bytes = encodeSubscription(sub({ ownedPartitions: [tp('bar', 2)], generationId: 1, rackId: 'rack-a' }));
    bytes[1] = 0;
    const decoded = decodeSubscription(bytes);
    expect(decoded).toMatchObject({ version: 0, topics: ['bar', 'foo'], userData: null, ownedPartitions: [], generationId: -1, rackId: null });
  });

  it('deserializeFutureSubscriptionVersion: version 100 with an extra field parses with the v3 layout', () => {
    const v3 = encodeSubscription(sub({ topics: ['topic'], userData: new Uint8Array(0), ownedPartitions: [tp('bar', 2)], generationId: 1, rackId: 'rack-a' }));
    const future = new Uint8Array([0x00, 0x64, ...v3.subarray(2), 0x00, 0x03, ...utf8.encode('bar')]);
    expect(decodeSubscription(future)).toEqual({
      version: 100,
      topics: ['topic'],
      userData: new Uint8Array(0),
      ownedPartitions: [tp('bar', 2)],
      generationId: 1,
      rackId: 'rack-a',
    });
  });
});

describe('ConsumerProtocolAssignment', () => {
  it('serializeDeserializeAssignmentAllVersions', () => {
    for (let version = 0; version <= CONSUMER_PROTOCOL_HIGHEST_VERSION; version++) {
      const decoded = decodeAssignment(encodeAssignment({ partitions: [tp('foo', 1), tp('bar', 2)], userData: utf8.encode('hello') }, version));
      expect(decoded).toEqual({ version, partitions: [tp('foo', 1), tp('bar', 2)], userData: utf8.encode('hello') });
    }
  });

  it('v0 byte for byte: partitions grouped by topic in the order topics first appear, null user data', () => {
    const expected = [
      '0000', //                           version 0
      '00000002', //                       AssignedPartitions: count 2
      '0006', '6f7264657273', //             Topic "orders"
      '00000002', '00000000', '00000002', // Partitions: count 2: 0, 2
      '0008', '7061796d656e7473', //         Topic "payments"
      '00000001', '00000001', //             Partitions: count 1: 1
      'ffffffff', //                       UserData: null (int32 length -1)
    ].join('');
    const bytes = encodeAssignment({ partitions: [tp('orders', 0), tp('payments', 1), tp('orders', 2)], userData: null }, 0);
    expect(hex(bytes)).toBe(expected);
    expect(decodeAssignment(bytes).partitions).toEqual([tp('orders', 0), tp('orders', 2), tp('payments', 1)]);
  });

  it('deserializeNullAssignmentUserData / serializeDeserializeAssignment (empty user data)', () => {
    expect(decodeAssignment(encodeAssignment({ partitions: [tp('foo', 1)], userData: null })).userData).toBeNull();
    expect(decodeAssignment(encodeAssignment({ partitions: [tp('foo', 1)], userData: new Uint8Array(0) })).userData).toEqual(new Uint8Array(0));
  });

  it('deserializeFutureAssignmentVersion: version 100 with an extra string field', () => {
    const v0 = encodeAssignment({ partitions: [tp('foo', 1)], userData: new Uint8Array(0) }, 0);
    const future = new Uint8Array([0x00, 0x64, ...v0.subarray(2), 0x00, 0x03, ...utf8.encode('bar')]);
    expect(decodeAssignment(future)).toEqual({ version: 100, partitions: [tp('foo', 1)], userData: new Uint8Array(0) });
  });
});

describe('decoding refuses bad bytes with a SchemaException', () => {
  function schemaError(decode: () => unknown): string {
    try {
      decode();
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaException);
      return (error as Error).message;
    }
    throw new Error('expected a SchemaException');
  }

  it('every truncation of a valid subscription or assignment fails (underflow, short string or bytes, or a count past the end)', () => {
    const subscription = encodeSubscription(full);
    for (let length = 0; length < subscription.length; length++) {
      expect(schemaError(() => decodeSubscription(subscription.subarray(0, length))), `length ${length}`).not.toBe('');
    }
    const assignment = encodeAssignment({ partitions: [tp('foo', 1)], userData: Uint8Array.of(9) });
    for (let length = 0; length < assignment.length; length++) {
      expect(schemaError(() => decodeAssignment(assignment.subarray(0, length))), `length ${length}`).not.toBe('');
    }
  });

  it('refuses a count larger than the bytes left before allocating anything, with Kafka\'s message', () => {
    const huge = fromHex('0000 7fffffff 0001');
    expect(schemaError(() => decodeSubscription(huge))).toBe('Tried to allocate a collection of size 2147483647, but there are only 2 bytes remaining.');
    expect(schemaError(() => decodeAssignment(huge))).toBe('Tried to allocate a collection of size 2147483647, but there are only 2 bytes remaining.');
  });

  it("names Kafka's errors for null where the schema forbids it and for a negative version", () => {
    expect(schemaError(() => decodeSubscription(fromHex('0000 ffffffff')))).toBe('non-nullable field topics was serialized as null');
    expect(schemaError(() => decodeSubscription(fromHex('0000 00000001 ffff')))).toBe('non-nullable field topics element was serialized as null');
    expect(schemaError(() => decodeSubscription(fromHex('ffff 00000000 ffffffff')))).toBe('Unsupported subscription version: -1');
    expect(schemaError(() => decodeAssignment(fromHex('fffe')))).toBe('Unsupported assignment version: -2');
    expect(schemaError(() => decodeAssignment(fromHex('00')))).toMatch(/^Buffer underflow while parsing consumer protocol's header/);
  });

  it('random garbage only ever decodes or throws SchemaException (seeded)', () => {
    const seed = 4242;
    const prng = new SeededPrng(seed);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: prng.nextInt(40) }, () => prng.nextInt(256));
      if (prng.nextInt(2) === 0 && bytes.length > 2) bytes[0] = 0;
      for (const decode of [decodeSubscription, decodeAssignment]) {
        try {
          decode(bytes);
        } catch (error) {
          expect(error, `seed=${seed} case ${i}: ${hex(bytes)}`).toBeInstanceOf(SchemaException);
        }
      }
    }
  });
});
