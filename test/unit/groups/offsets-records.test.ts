/**
 * __consumer_offsets records byte for byte (fixtures worked out by hand from Kafka's JSON schemas)
 * and the partition of a group (Utils.abs(String.hashCode) % 50, vectors checked against a JVM).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsRecord,
  decodeOffsetsRecordKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  javaStringHashCode,
  kafkaAbs,
  offsetsPartitionFor,
  type GroupMetadataValue,
} from '../../../engine/groups/offsets-records.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('offsetsPartitionFor: abs(String.hashCode) % offsets.topic.num.partitions', () => {
  it('computes Java String.hashCode, e.g. "abc" = (97*31 + 98)*31 + 99 = 96354', () => {
    expect(javaStringHashCode('abc')).toBe(96354);
    expect(javaStringHashCode('')).toBe(0);
  });

  // Every hash below was printed by OpenJDK 17 (`"inventory".hashCode()` ...), the partition by
  // Kafka's Utils.abs(h) % 50.
  it.each([
    ['inventory', -2020599460, 10],
    ['order-group', 530669376, 26],
    ['', 0, 0],
    ['abc', 96354, 4],
    ['inventory-service', -1479039164, 14],
    ['order-service', 562889526, 26],
    ['console-consumer-12345', 158455506, 6],
    ['my-group', -1906497762, 12],
    // UTF-16 code units, as Java: Hangul is one unit per syllable, the emoji a surrogate pair.
    ['주문-그룹', 1701656498, 48],
    ['group-😀', 508083057, 7],
  ])('group %j hashes to %i and lives in __consumer_offsets-%i', (groupId, hash, partition) => {
    expect(javaStringHashCode(groupId)).toBe(hash);
    expect(offsetsPartitionFor(groupId)).toBe(partition);
  });

  it('maps Integer.MIN_VALUE to partition 0 (Utils.abs), and MIN_VALUE+1 to 2147483647 % 50 = 47', () => {
    // "polygenelubricants".hashCode() == Integer.MIN_VALUE; the next string's last char is one higher.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(offsetsPartitionFor('polygenelubricants')).toBe(0);
    expect(javaStringHashCode('polygenelubricantt')).toBe(-2147483647);
    // With `h & 0x7fffffff` this would be partition 1: Kafka uses Math.abs, not the mask.
    expect(offsetsPartitionFor('polygenelubricantt')).toBe(47);
  });

  it('honours another partition count', () => {
    expect(offsetsPartitionFor('inventory', 3)).toBe(2020599460 % 3);
  });
});

describe('OffsetCommitKey v1 / OffsetCommitValue v3', () => {
  it('writes the key exactly as Kafka does', () => {
    // int16 version=1 | STRING group "g1" (00 02 'g' '1') | STRING topic "orders" (00 06 o r d e r s) | int32 partition 2
    const expected = hex('0001 0002 6731 0006 6f7264657273 00000002');
    expect(toHex(encodeOffsetCommitKey('g1', 'orders', 2))).toBe(toHex(expected));
    expect(decodeOffsetsRecordKey(expected)).toEqual({ type: 'offset-commit', version: 1, group: 'g1', topic: 'orders', partition: 2 });
  });

  it('writes the value exactly as Kafka does', () => {
    // int16 version=3 | int64 offset 42 | int32 leaderEpoch 5 | STRING metadata "" (00 00) |
    // int64 commitTimestamp 1700000000000 = 0x0000018BCFE56800
    const expected = hex('0003 000000000000002a 00000005 0000 0000018bcfe56800');
    const bytes = encodeOffsetCommitValue({ offset: 42, leaderEpoch: 5, metadata: '', commitTimestampMs: 1_700_000_000_000 });
    expect(toHex(bytes)).toBe(toHex(expected));
    expect(decodeOffsetCommitValue(expected)).toEqual({ offset: 42, leaderEpoch: 5, metadata: '', commitTimestampMs: 1_700_000_000_000, expireTimestampMs: -1 });
  });

  it('reads the older value versions: v0/v2 without a leader epoch, v1 with an expire timestamp', () => {
    // v0: offset 7 | metadata "m" | commitTimestamp 1000
    expect(decodeOffsetCommitValue(hex('0000 0000000000000007 0001 6d 00000000000003e8'))).toEqual({
      offset: 7,
      leaderEpoch: -1,
      metadata: 'm',
      commitTimestampMs: 1000,
      expireTimestampMs: -1,
    });
    // v1: + expireTimestamp 2000
    expect(decodeOffsetCommitValue(hex('0001 0000000000000007 0000 00000000000003e8 00000000000007d0')).expireTimestampMs).toBe(2000);
    // v4 (flexible): offset 7 | leaderEpoch -1 | COMPACT_STRING "m" (02 6d) | commitTimestamp 1000 | no tagged fields (00)
    expect(decodeOffsetCommitValue(hex('0004 0000000000000007 ffffffff 026d 00000000000003e8 00'))).toEqual({
      offset: 7,
      leaderEpoch: -1,
      metadata: 'm',
      commitTimestampMs: 1000,
      expireTimestampMs: -1,
    });
  });

  it('round-trips non-ASCII metadata as UTF-8', () => {
    const bytes = encodeOffsetCommitValue({ offset: 1, leaderEpoch: -1, metadata: '재고 처리', commitTimestampMs: 5 });
    expect(decodeOffsetCommitValue(bytes).metadata).toBe('재고 처리');
  });
});

describe('GroupMetadataKey v2 / GroupMetadataValue v3', () => {
  it('writes the key exactly as Kafka does', () => {
    // int16 version=2 | STRING group "g1"
    expect(toHex(encodeGroupMetadataKey('g1'))).toBe('000200026731');
    expect(decodeOffsetsRecordKey(hex('000200026731'))).toEqual({ type: 'group-metadata', version: 2, group: 'g1' });
  });

  const value: GroupMetadataValue = {
    protocolType: 'consumer',
    generation: 1,
    protocol: 'range',
    leader: 'm-1',
    currentStateTimestampMs: 1000,
    members: [
      {
        memberId: 'm-1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 300_000,
        sessionTimeoutMs: 45_000,
        subscription: Uint8Array.of(0, 1),
        assignment: new Uint8Array(0),
      },
    ],
  };

  // int16 version=3
  // STRING protocolType "consumer"        0008 636f6e73756d6572
  // int32 generation 1                     00000001
  // NULLABLE_STRING protocol "range"       0005 72616e6765
  // NULLABLE_STRING leader "m-1"           0003 6d2d31
  // int64 currentStateTimestamp 1000       00000000000003e8
  // ARRAY members: int32 count 1           00000001
  //   STRING memberId "m-1"                0003 6d2d31
  //   NULLABLE_STRING groupInstanceId null ffff
  //   STRING clientId "c"                  0001 63
  //   STRING clientHost "/127.0.0.1"       000a 2f3132372e302e302e31
  //   int32 rebalanceTimeout 300000        000493e0
  //   int32 sessionTimeout 45000           0000afc8
  //   BYTES subscription [00 01]           00000002 0001
  //   BYTES assignment []                  00000000
  const fixture = hex(`
    0003
    0008 636f6e73756d6572
    00000001
    0005 72616e6765
    0003 6d2d31
    00000000000003e8
    00000001
      0003 6d2d31
      ffff
      0001 63
      000a 2f3132372e302e302e31
      000493e0
      0000afc8
      00000002 0001
      00000000`);

  it('writes the value exactly as Kafka does', () => {
    expect(toHex(encodeGroupMetadataValue(value))).toBe(toHex(fixture));
    expect(decodeGroupMetadataValue(fixture)).toEqual(value);
  });

  it('writes an Empty group (no protocol, no leader, no members) with null strings', () => {
    const empty: GroupMetadataValue = { protocolType: 'consumer', generation: 3, protocol: null, leader: null, currentStateTimestampMs: 9, members: [] };
    const bytes = encodeGroupMetadataValue(empty);
    expect(toHex(bytes)).toBe('0003' + '0008636f6e73756d6572' + '00000003' + 'ffff' + 'ffff' + '0000000000000009' + '00000000');
    expect(decodeGroupMetadataValue(bytes)).toEqual(empty);
  });

  it('reads a v0 value: no state timestamp, no instance id, no rebalance timeout', () => {
    const v0 = hex(`
      0000 0008 636f6e73756d6572 00000002 0005 72616e6765 0003 6d2d31
      00000001 0003 6d2d31 0001 63 000a 2f3132372e302e302e31 00002710 00000000 00000001 07`);
    expect(decodeGroupMetadataValue(v0)).toEqual({
      protocolType: 'consumer',
      generation: 2,
      protocol: 'range',
      leader: 'm-1',
      currentStateTimestampMs: -1,
      members: [{ memberId: 'm-1', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', rebalanceTimeoutMs: -1, sessionTimeoutMs: 10_000, subscription: new Uint8Array(0), assignment: Uint8Array.of(7) }],
    });
  });
});

describe('decoding untrusted __consumer_offsets bytes', () => {
  it('treats a null value as a tombstone and skips unknown (KIP-848) key versions', () => {
    expect(decodeOffsetsRecord({ key: encodeOffsetCommitKey('g', 't', 0), value: null })).toMatchObject({ type: 'offset-commit', value: null });
    expect(decodeOffsetsRecord({ key: encodeGroupMetadataKey('g'), value: null })).toMatchObject({ type: 'group-metadata', value: null });
    expect(decodeOffsetsRecord({ key: hex('0003 0001 67'), value: hex('00') })).toEqual({ type: 'unknown', key: { type: 'unknown', version: 3 } });
  });

  it.each([
    ['a truncated key', () => decodeOffsetsRecordKey(hex('0001 0002 67')), /group needs 2 bytes but only 1 remain/],
    ['a null group in a key', () => decodeOffsetsRecordKey(hex('0002 ffff')), /group is null/],
    ['trailing bytes after a key', () => decodeOffsetsRecordKey(hex('0002 0001 67 00')), /1 unexpected bytes/],
    ['an unknown value version', () => decodeOffsetCommitValue(hex('0005 00')), /unsupported version 5/],
    ['invalid UTF-8', () => decodeOffsetsRecordKey(hex('0002 0001 ff')), /not valid UTF-8/],
    ['an int64 beyond 53 bits', () => decodeOffsetCommitValue(hex('0003 7fffffffffffffff 00000000 0000 0000000000000000')), /does not fit in 53 bits/],
    ['a forged member count', () => decodeGroupMetadataValue(hex('0003 0000 00000001 ffff ffff 0000000000000000 7fffffff')), /more than/],
    ['a negative BYTES length', () => decodeGroupMetadataValue(hex('0003 0000 00000001 ffff ffff 0000000000000000 00000001 0001 61 ffff 0001 63 0001 68 00000001 00000001 ffffffff')), /subscription is null/],
    ['a null key', () => decodeOffsetsRecord({ key: null, value: null }), /null key/],
  ])('refuses %s with CORRUPT_MESSAGE', (_what, decode, message) => {
    expect(decode).toThrow(message);
    try {
      decode();
    } catch (error) {
      expect((error as { errorName?: string }).errorName).toBe('CORRUPT_MESSAGE');
    }
  });
});
