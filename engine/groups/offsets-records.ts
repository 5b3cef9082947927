/**
 * The records of `__consumer_offsets`, byte for byte as Kafka writes them
 * (group-coordinator/src/main/resources/common/message/{OffsetCommitKey, OffsetCommitValue,
 * GroupMetadataKey, GroupMetadataValue}.json, serialised by MessageUtil.toVersionPrefixedBytes),
 * and the partition a group's records go to.
 *
 * Every key and every value starts with an int16 version. The key version says what the record is:
 *
 *   key v0/v1  OffsetCommitKey    group STRING | topic STRING | partition int32
 *   key v2     GroupMetadataKey   group STRING
 *   key v3+    (KIP-848 consumer-group records; not written here, skipped on load)
 *
 * Values (Kafka 2.1+ writes OffsetCommitValue v3 and GroupMetadataValue v3; v1 only when a commit
 * carried an explicit expire timestamp; v4 is the first "flexible" version):
 *
 *   OffsetCommitValue  v0: offset int64 | metadata STRING | commitTimestamp int64
 *                      v1: v0 + expireTimestamp int64
 *                      v2: as v0
 *                      v3: offset int64 | leaderEpoch int32 | metadata STRING | commitTimestamp int64
 *                      v4: as v3, compact strings + tagged fields
 *   GroupMetadataValue v0: protocolType STRING | generation int32 | protocol NULLABLE_STRING |
 *                          leader NULLABLE_STRING | members [memberId STRING | clientId STRING |
 *                          clientHost STRING | sessionTimeout int32 | subscription BYTES |
 *                          assignment BYTES]
 *                      v1: members gain rebalanceTimeout int32 (before sessionTimeout)
 *                      v2: currentStateTimestamp int64 (after leader)
 *                      v3: members gain groupInstanceId NULLABLE_STRING (after memberId)
 *                      v4: as v3, compact + tagged fields
 *
 * Primitive encodings (Kafka's protocol types, big-endian): STRING = int16 byte length + UTF-8
 * (NULLABLE_STRING: length -1 = null); BYTES = int32 length + bytes; ARRAY = int32 count + items.
 * Flexible versions use COMPACT forms: unsigned varint (length + 1, 0 = null) and end every
 * struct with tagged fields (unsigned varint count, then tag / size / bytes each).
 *
 * A null value is a tombstone: it deletes the key (the topic is compacted). The decoders read
 * untrusted bytes (a data directory on disk): they never read outside the buffer and throw
 * KafkaError('CORRUPT_MESSAGE') naming the field on anything malformed — a truncated field, a
 * null where the schema forbids it, invalid UTF-8, an unknown value version or trailing bytes.
 */
import { assertFailed } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import { corrupt, getInt16, getInt32, getInt64, putInt16, putInt32, putInt64 } from '../storage/byte-reader.js';
import { groupLimits } from './group-limits.js';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const GROUP_METADATA_VALUE_VERSION = 3;
/** The highest value version of either schema this codec reads (the first flexible one). */
const VALUE_VERSION_MAX = 4;
const FIRST_FLEXIBLE_VERSION = 4;

/** offsets.topic.num.partitions */
export const OFFSETS_TOPIC_PARTITIONS_DEFAULT = 50;
export const OFFSETS_TOPIC_NAME = '__consumer_offsets';

/** RecordBatch.NO_PARTITION_LEADER_EPOCH: the committed leader epoch when the client did not know it. */
export const NO_LEADER_EPOCH = -1;
/** OffsetCommitRequest.DEFAULT_TIMESTAMP: no explicit expire timestamp (every value but v1). */
export const NO_EXPIRE_TIMESTAMP = -1;
/** GroupMetadataValue's currentStateTimestamp default (v0/v1 values, or never set). */
export const NO_STATE_TIMESTAMP = -1;

export interface OffsetCommitKey {
  readonly type: 'offset-commit';
  readonly version: number;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}
export interface GroupMetadataKey {
  readonly type: 'group-metadata';
  readonly version: number;
  readonly group: string;
}
/** A key of a version this codec does not interpret (KIP-848 records); Kafka skips them on load. */
export interface UnknownOffsetsKey {
  readonly type: 'unknown';
  readonly version: number;
}
export type OffsetsRecordKey = OffsetCommitKey | GroupMetadataKey | UnknownOffsetsKey;

export interface OffsetCommitValue {
  readonly offset: number;
  /** NO_LEADER_EPOCH (-1) when unknown, and for values below v3. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /** Only v1 carries it; NO_EXPIRE_TIMESTAMP otherwise. */
  readonly expireTimestampMs: number;
}

export interface GroupMetadataMemberValue {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** -1 in v0 values (Kafka then uses the session timeout). */
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  /** The member's metadata for the chosen protocol (ConsumerProtocolSubscription bytes). */
  readonly subscription: Uint8Array;
  /** The member's assignment in this generation (ConsumerProtocolAssignment bytes). */
  readonly assignment: Uint8Array;
}

export interface GroupMetadataValue {
  readonly protocolType: string;
  readonly generation: number;
  readonly protocol: string | null;
  readonly leader: string | null;
  /** When the group entered its current state; NO_STATE_TIMESTAMP when unknown. */
  readonly currentStateTimestampMs: number;
  readonly members: readonly GroupMetadataMemberValue[];
}

/** One record of the offsets topic, as the broker's log port hands it over. */
export interface OffsetsLogRecord {
  readonly key: Uint8Array;
  /** null: a tombstone. */
  readonly value: Uint8Array | null;
}

// ---------------------------------------------------------------------------------------------
// Partition of a group
// ---------------------------------------------------------------------------------------------

/**
 * Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit
 * two's-complement arithmetic (JavaScript strings are UTF-16 too, so charCodeAt is Java's charAt).
 */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}

/** org.apache.kafka.common.utils.Utils.abs: Math.abs, except Integer.MIN_VALUE maps to 0 (not to itself). */
export function kafkaAbs(n: number): number {
  return n === -0x8000_0000 ? 0 : Math.abs(n);
}

/**
 * The __consumer_offsets partition that holds a group's records, and whose leader is the group's
 * coordinator: Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions
 * (GroupMetadataManager.partitionFor / GroupCoordinatorService.partitionFor).
 */
export function offsetsPartitionFor(groupId: string, partitionCount: number = OFFSETS_TOPIC_PARTITIONS_DEFAULT): number {
  if (!(Number.isInteger(partitionCount) && partitionCount >= 1)) assertFailed(`offsets partition count ${partitionCount} must be a positive integer`);
  return kafkaAbs(javaStringHashCode(groupId)) % partitionCount;
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes of a value serialised with the non-flexible types, built field by field. */
class SchemaWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  int16(value: number): this {
    const b = new Uint8Array(2);
    putInt16(b, 0, value);
    return this.push(b);
  }

  int32(value: number): this {
    const b = new Uint8Array(4);
    putInt32(b, 0, value);
    return this.push(b);
  }

  int64(value: number): this {
    if (!Number.isSafeInteger(value)) assertFailed(`int64 field ${value} must be a safe integer`);
    const b = new Uint8Array(8);
    putInt64(b, 0, value);
    return this.push(b);
  }

  string(value: string, field: string): this {
    const bytes = utf8Encoder.encode(value);
    // Kafka's generated writers throw here too ("... is too long to be serialized").
    if (!(bytes.length <= groupLimits.stringBytesMax)) assertFailed(`${field} is ${bytes.length} UTF-8 bytes, more than a STRING holds (${groupLimits.stringBytesMax})`);
    return this.int16(bytes.length).push(bytes);
  }

  nullableString(value: string | null, field: string): this {
    return value === null ? this.int16(-1) : this.string(value, field);
  }

  bytes(value: Uint8Array): this {
    return this.int32(value.length).push(value);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let pos = 0;
    for (const part of this.parts) {
      out.set(part, pos);
      pos += part.length;
    }
    return out;
  }

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }
}

function checkInt32(value: number, field: string): void {
  if (!(Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff)) assertFailed(`${field} ${value} must be an int32`);
}

/** OffsetCommitKey v1: the key of a committed offset. */
export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Uint8Array {
  checkInt32(partition, 'partition');
  return new SchemaWriter().int16(OFFSET_COMMIT_KEY_VERSION).string(group, 'group').string(topic, 'topic').int32(partition).finish();
}

/** GroupMetadataKey v2: the key of a group's membership record. */
export function encodeGroupMetadataKey(group: string): Uint8Array {
  return new SchemaWriter().int16(GROUP_METADATA_KEY_VERSION).string(group, 'group').finish();
}

/**
 * OffsetCommitValue v3, as Kafka 2.1+ writes it. (v1, with an expire timestamp, is only written for
 * OffsetCommit requests v2-v4 that set retention_time_ms; no client of this engine does.)
 */
export function encodeOffsetCommitValue(value: Omit<OffsetCommitValue, 'expireTimestampMs'>): Uint8Array {
  checkInt32(value.leaderEpoch, 'leaderEpoch');
  return new SchemaWriter()
    .int16(OFFSET_COMMIT_VALUE_VERSION)
    .int64(value.offset)
    .int32(value.leaderEpoch)
    .string(value.metadata, 'metadata')
    .int64(value.commitTimestampMs)
    .finish();
}

/** GroupMetadataValue v3, as Kafka 2.3+ writes it. */
export function encodeGroupMetadataValue(value: GroupMetadataValue): Uint8Array {
  checkInt32(value.generation, 'generation');
  const w = new SchemaWriter()
    .int16(GROUP_METADATA_VALUE_VERSION)
    .string(value.protocolType, 'protocolType')
    .int32(value.generation)
    .nullableString(value.protocol, 'protocol')
    .nullableString(value.leader, 'leader')
    .int64(value.currentStateTimestampMs)
    .int32(value.members.length);
  for (const m of value.members) {
    checkInt32(m.rebalanceTimeoutMs, 'rebalanceTimeout');
    checkInt32(m.sessionTimeoutMs, 'sessionTimeout');
    w.string(m.memberId, 'memberId')
      .nullableString(m.groupInstanceId, 'groupInstanceId')
      .string(m.clientId, 'clientId')
      .string(m.clientHost, 'clientHost')
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/**
 * Reads the fields of one record key or value. `flexible` switches strings, bytes and arrays to
 * their COMPACT forms. Invariant: pos <= bytes.length; every read checks its bytes first.
 */
class SchemaReader {
  private pos = 0;
  flexible = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  int16(field: string): number {
    this.need(2, field);
    const v = getInt16(this.bytes, this.pos);
    this.pos += 2;
    return v;
  }

  int32(field: string): number {
    this.need(4, field);
    const v = getInt32(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  int64(field: string): number {
    this.need(8, field);
    const v = getInt64(this.bytes, this.pos, `${this.what} ${field}`);
    this.pos += 8;
    return v;
  }

  string(field: string): string {
    const v = this.nullableString(field);
    if (v === null) throw corrupt(`${this.what}: ${field} is null, but the schema does not allow a null ${field}`);
    return v;
  }

  nullableString(field: string): string | null {
    const length = this.flexible ? this.unsignedVarint(field) - 1 : this.int16(field);
    if (length < 0) {
      if (length === -1) return null;
      throw corrupt(`${this.what}: ${field} has a negative length ${length}`);
    }
    this.need(length, field);
    let text: string;
    try {
      text = utf8Decoder.decode(this.bytes.subarray(this.pos, this.pos + length));
    } catch {
      throw corrupt(`${this.what}: ${field} is not valid UTF-8`);
    }
    this.pos += length;
    return text;
  }

  /** BYTES (never null in these schemas). The result is a copy: it outlives the log buffer. */
  bytesField(field: string): Uint8Array {
    const length = this.flexible ? this.unsignedVarint(field) - 1 : this.int32(field);
    if (length < 0) throw corrupt(`${this.what}: ${field} is null or has a negative length (${length})`);
    this.need(length, field);
    const out = this.bytes.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  arrayLength(field: string, max: number): number {
    const count = this.flexible ? this.unsignedVarint(field) - 1 : this.int32(field);
    if (count < 0) throw corrupt(`${this.what}: ${field} is null or has a negative length (${count})`);
    if (count > max) throw corrupt(`${this.what}: ${field} has ${count} entries, more than ${max}`);
    return count;
  }

  /** Skips the tagged fields that end every struct of a flexible version (none are known here). */
  taggedFields(): void {
    if (!this.flexible) return;
    const count = this.unsignedVarint('tagged field count');
    for (let i = 0; i < count; i++) {
      this.unsignedVarint('tag');
      const size = this.unsignedVarint('tagged field size');
      this.need(size, 'tagged field');
      this.pos += size;
    }
  }

  end(): void {
    if (this.pos !== this.bytes.length) {
      throw corrupt(`${this.what}: ${this.bytes.length - this.pos} unexpected bytes after the last field`);
    }
  }

  /** ByteUtils.readUnsignedVarint: at most 5 bytes, fitting 32 bits. */
  private unsignedVarint(field: string): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      this.need(1, field);
      const b = this.bytes[this.pos++]!;
      if (i === 4 && b > 0x0f) throw corrupt(`${this.what}: ${field} varint is longer than 32 bits`);
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return value > 0x7fff_ffff ? -1 - (0xffff_ffff - value) : value;
    }
    throw corrupt(`${this.what}: ${field} varint is longer than 5 bytes`);
  }

  private need(count: number, field: string): void {
    if (count > this.bytes.length - this.pos) {
      throw corrupt(`${this.what}: ${field} needs ${count} bytes but only ${this.bytes.length - this.pos} remain`);
    }
  }
}

/**
 * Decodes a record key of __consumer_offsets (GroupMetadataManager.readMessageKey). Key versions
 * 3 and up (KIP-848 consumer-group records) come back as 'unknown'; the loader skips them as Kafka does.
 */
export function decodeOffsetsRecordKey(bytes: Uint8Array): OffsetsRecordKey {
  const r = new SchemaReader(bytes, '__consumer_offsets key');
  const version = r.int16('version');
  if (version === 0 || version === 1) {
    const key: OffsetCommitKey = { type: 'offset-commit', version, group: r.string('group'), topic: r.string('topic'), partition: r.int32('partition') };
    r.end();
    return key;
  }
  if (version === GROUP_METADATA_KEY_VERSION) {
    const key: GroupMetadataKey = { type: 'group-metadata', version, group: r.string('group') };
    r.end();
    return key;
  }
  if (version < 0) throw corrupt(`__consumer_offsets key: negative version ${version}`);
  return { type: 'unknown', version };
}

function valueReader(bytes: Uint8Array, what: string): { r: SchemaReader; version: number } {
  const r = new SchemaReader(bytes, what);
  const version = r.int16('version');
  if (version < 0 || version > VALUE_VERSION_MAX) throw corrupt(`${what}: unsupported version ${version} (this codec reads 0-${VALUE_VERSION_MAX})`);
  r.flexible = version >= FIRST_FLEXIBLE_VERSION;
  return { r, version };
}

/** Decodes an OffsetCommitValue, versions 0-4 (GroupMetadataManager.readOffsetMessageValue). */
export function decodeOffsetCommitValue(bytes: Uint8Array): OffsetCommitValue {
  const { r, version } = valueReader(bytes, 'OffsetCommitValue');
  const offset = r.int64('offset');
  const leaderEpoch = version >= 3 ? r.int32('leaderEpoch') : NO_LEADER_EPOCH;
  const metadata = r.string('metadata');
  const commitTimestampMs = r.int64('commitTimestamp');
  const expireTimestampMs = version === 1 ? r.int64('expireTimestamp') : NO_EXPIRE_TIMESTAMP;
  r.taggedFields();
  r.end();
  return { offset, leaderEpoch, metadata, commitTimestampMs, expireTimestampMs };
}

/** Decodes a GroupMetadataValue, versions 0-4 (GroupMetadataManager.readGroupMessageValue). */
export function decodeGroupMetadataValue(bytes: Uint8Array): GroupMetadataValue {
  const { r, version } = valueReader(bytes, 'GroupMetadataValue');
  const protocolType = r.string('protocolType');
  const generation = r.int32('generation');
  const protocol = r.nullableString('protocol');
  const leader = r.nullableString('leader');
  const currentStateTimestampMs = version >= 2 ? r.int64('currentStateTimestamp') : NO_STATE_TIMESTAMP;
  const count = r.arrayLength('members', groupLimits.membersPerRecordMax);
  const members: GroupMetadataMemberValue[] = [];
  for (let i = 0; i < count; i++) members.push(decodeMember(r, version));
  r.taggedFields();
  r.end();
  return { protocolType, generation, protocol, leader, currentStateTimestampMs, members };
}

function decodeMember(r: SchemaReader, version: number): GroupMetadataMemberValue {
  const memberId = r.string('memberId');
  const groupInstanceId = version >= 3 ? r.nullableString('groupInstanceId') : null;
  const clientId = r.string('clientId');
  const clientHost = r.string('clientHost');
  const rebalanceTimeoutMs = version >= 1 ? r.int32('rebalanceTimeout') : -1;
  const sessionTimeoutMs = r.int32('sessionTimeout');
  const subscription = r.bytesField('subscription');
  const assignment = r.bytesField('assignment');
  r.taggedFields();
  return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment };
}

/** A decoded record of the offsets topic: what the loader replays. A null value is a tombstone. */
export type OffsetsRecord =
  | { readonly type: 'offset-commit'; readonly key: OffsetCommitKey; readonly value: OffsetCommitValue | null }
  | { readonly type: 'group-metadata'; readonly key: GroupMetadataKey; readonly value: GroupMetadataValue | null }
  | { readonly type: 'unknown'; readonly key: UnknownOffsetsKey };

/**
 * Decodes one record of __consumer_offsets (key and value). Kafka requires a key on every record
 * of this topic ("Group metadata/offset entry key should not be null"), so a null key is corrupt.
 */
export function decodeOffsetsRecord(record: { readonly key: Uint8Array | null; readonly value: Uint8Array | null }): OffsetsRecord {
  if (record.key === null) throw new KafkaError('CORRUPT_MESSAGE', '__consumer_offsets record has a null key');
  const key = decodeOffsetsRecordKey(record.key);
  switch (key.type) {
    case 'offset-commit':
      return { type: 'offset-commit', key, value: record.value === null ? null : decodeOffsetCommitValue(record.value) };
    case 'group-metadata':
      return { type: 'group-metadata', key, value: record.value === null ? null : decodeGroupMetadataValue(record.value) };
    case 'unknown':
      return { type: 'unknown', key };
  }
}
