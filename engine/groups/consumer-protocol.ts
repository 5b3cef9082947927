/**
 * The consumer's embedded protocol (Kafka's ConsumerProtocol with the generated
 * ConsumerProtocolSubscription / ConsumerProtocolAssignment, versions 0-3): the bytes a consumer
 * puts into JoinGroup's protocol metadata and the leader puts into SyncGroup's assignments. The
 * coordinator never reads them; members and tools (kafka-consumer-groups --describe) do.
 *
 * Layout: an int16 version, then the message in the non-flexible encoding: STRING = int16 length +
 * UTF-8 (-1 = null where nullable), BYTES = int32 length + bytes (-1 = null), ARRAY = int32 count +
 * elements, INT32 big-endian.
 *   Subscription v0: topics [STRING], user_data BYTES (nullable)
 *                v1: + owned_partitions [topic STRING, partitions [INT32]]
 *                v2: + generation_id INT32 (-1 = none)
 *                v3: + rack_id STRING (nullable)
 *   Assignment v0-v3: assigned_partitions [topic STRING, partitions [INT32]], user_data BYTES (nullable)
 *
 * As Kafka's serializer does: subscription topics are sorted; owned partitions are sorted by topic
 * then partition and grouped by topic; assignment partitions are grouped by topic in the order the
 * topics first appear; a generation below 0 is written as -1; fields a lower version lacks are
 * dropped (they are "ignorable"). Decoding reads the version prefix and parses a newer version
 * than 3 with the v3 layout, ignoring what follows (Kafka's forward compatibility rule); an empty
 * rack id means none. Checked against Kafka's generated classes: the same bytes out, and the same
 * result or failure for valid, truncated, corrupted and future-version input.
 *
 * Invariants: decoding never allocates more than the input holds: every count and length is
 * checked against the bytes remaining before anything is read, so a corrupt count fails instead of
 * allocating; every failure is a SchemaException carrying Kafka's message (for a BYTES length past
 * the end, where Java fails inside ByteBuffer.limit, the message of the STRING case).
 */
import { assertFailed } from '../core/assert.js';
import type { MemberAssignment, MemberSubscription, TopicPartition } from './assignors/assignor.js';
import { compareJavaStrings } from './assignors/java-hash-order.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const CONSUMER_PROTOCOL_LOWEST_VERSION = 0;
export const CONSUMER_PROTOCOL_HIGHEST_VERSION = 3;
/** The int16 length of a STRING: Kafka refuses to write a longer one. */
const STRING_BYTES_MAX = 0x7fff;

/** Kafka's org.apache.kafka.common.protocol.types.SchemaException: bytes that do not parse. */
export class SchemaException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaException';
  }
}

/** A subscription as decoded, with the version it carried on the wire (which may exceed 3). */
export interface DecodedSubscription extends MemberSubscription {
  readonly version: number;
}

/** An assignment as decoded, with the version it carried on the wire (which may exceed 3). */
export interface DecodedAssignment extends MemberAssignment {
  readonly version: number;
}

/** Writes the non-flexible encoding, big-endian, into a buffer that grows as needed. */
export class ProtocolWriter {
  private bytes = new Uint8Array(64);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  int16(value: number): this {
    if (!(Number.isInteger(value) && value >= -0x8000 && value <= 0x7fff)) assertFailed(`${value} is not an int16`);
    this.reserve(2).setInt16(this.length - 2, value);
    return this;
  }

  int32(value: number): this {
    if (!(Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff)) assertFailed(`${value} is not an int32`);
    this.reserve(4).setInt32(this.length - 4, value);
    return this;
  }

  string(value: string, field: string): this {
    const encoded = new TextEncoder().encode(value);
    if (encoded.length > STRING_BYTES_MAX) throw new SchemaException(`'${field}' field is too long to be serialized`);
    this.int16(encoded.length);
    return this.raw(encoded);
  }

  nullableString(value: string | null, field: string): this {
    return value === null ? this.int16(-1) : this.string(value, field);
  }

  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  array<T>(items: readonly T[], writeItem: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(item);
    return this;
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.bytes.set(value, this.length - value.length);
    return this;
  }

  /** Makes room for `count` more bytes and counts them as written. */
  private reserve(count: number): DataView {
    if (this.length + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += count;
    return this.view;
  }
}

/** Reads the non-flexible encoding; every read is checked against the bytes that remain. */
export class ProtocolReader {
  private offset = 0;
  private readonly view: DataView;

  /** @param what "subscription" or "assignment", for Kafka's underflow message. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  int16(): number {
    return this.view.getInt16(this.take(2));
  }

  int32(): number {
    return this.view.getInt32(this.take(4));
  }

  /** A non-nullable STRING. */
  string(field: string): string {
    const value = this.nullableString(field);
    if (value === null) throw new SchemaException(`non-nullable field ${field} was serialized as null`);
    return value;
  }

  nullableString(_field: string): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const start = this.takeBytes(length);
    // Java's new String(bytes, UTF_8) replaces malformed sequences; so does a non-fatal TextDecoder.
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }

  /** Nullable BYTES, copied so the caller never aliases the input. */
  nullableBytes(): Uint8Array | null {
    const length = this.int32();
    if (length < 0) return null;
    const start = this.takeBytes(length);
    return this.bytes.slice(start, start + length);
  }

  /** A non-nullable ARRAY: its count is refused before anything is allocated if it exceeds the bytes left. */
  array<T>(field: string, readItem: () => T): T[] {
    const count = this.int32();
    if (count < 0) throw new SchemaException(`non-nullable field ${field} was serialized as null`);
    if (count > this.remaining) {
      throw new SchemaException(`Tried to allocate a collection of size ${count}, but there are only ${this.remaining} bytes remaining.`);
    }
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem());
    return items;
  }

  /** Claims the bytes of a STRING or BYTES value (ByteBufferAccessor.readArray's check and message). */
  private takeBytes(count: number): number {
    if (count > this.remaining) throw new SchemaException(`Error reading byte array of ${count} byte(s): only ${this.remaining} byte(s) available`);
    return this.take(count);
  }

  /** Claims `count` bytes of a fixed-size field, returning where they start. */
  private take(count: number): number {
    if (count > this.remaining) {
      throw new SchemaException(
        `Buffer underflow while parsing consumer protocol's ${this.what}: needed ${count} bytes at offset ${this.offset}, ${this.remaining} remain`,
      );
    }
    const start = this.offset;
    this.offset += count;
    return start;
  }
}

/** Kafka's checkSubscriptionVersion / checkAssignmentVersion: below 0 is refused, above 3 is read as 3. */
function effectiveVersion(version: number, what: string): number {
  if (!Number.isInteger(version) || version < CONSUMER_PROTOCOL_LOWEST_VERSION) throw new SchemaException(`Unsupported ${what} version: ${version}`);
  return Math.min(version, CONSUMER_PROTOCOL_HIGHEST_VERSION);
}

/** Partitions grouped by topic in the order the topics first appear (ConsumerProtocol's TopicPartition collections). */
function groupByTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = groups.get(topic) ?? [];
    list.push(partition);
    groups.set(topic, list);
  }
  return [...groups].map(([topic, list]) => ({ topic, partitions: list }));
}

function writeTopicPartitions(writer: ProtocolWriter, partitions: readonly TopicPartition[]): void {
  writer.array(groupByTopic(partitions), (group) => {
    writer.string(group.topic, 'topic');
    writer.array(group.partitions, (partition) => writer.int32(partition));
  });
}

function readTopicPartitions(reader: ProtocolReader, field: string): TopicPartition[] {
  const groups = reader.array(field, () => {
    const topic = reader.string('topic');
    const partitions = reader.array('partitions', () => reader.int32());
    return partitions.map((partition) => ({ topic, partition }));
  });
  return groups.flat();
}

/** ConsumerProtocol.serializeSubscription: the version-prefixed bytes of a member's subscription. */
export function encodeSubscription(subscription: MemberSubscription, version: number = CONSUMER_PROTOCOL_HIGHEST_VERSION): Uint8Array {
  const v = effectiveVersion(version, 'subscription');
  const writer = new ProtocolWriter().int16(v);
  writer.array([...subscription.topics].sort(compareJavaStrings), (topic) => writer.string(topic, 'topics'));
  writer.nullableBytes(subscription.userData);
  if (v >= 1) {
    const owned = [...subscription.ownedPartitions].sort((a, b) => compareJavaStrings(a.topic, b.topic) || a.partition - b.partition);
    writeTopicPartitions(writer, owned);
  }
  if (v >= 2) writer.int32(subscription.generationId < 0 ? -1 : subscription.generationId);
  if (v >= 3) writer.nullableString(subscription.rackId, 'rackId');
  return writer.toBytes();
}

/** ConsumerProtocol.deserializeSubscription. Throws SchemaException on bytes that do not parse. */
export function decodeSubscription(bytes: Uint8Array): DecodedSubscription {
  const version = readVersion(bytes);
  const v = effectiveVersion(version, 'subscription');
  const reader = new ProtocolReader(bytes.subarray(2), 'subscription');
  const topics = reader.array('topics', () => reader.string('topics element'));
  const userData = reader.nullableBytes();
  const ownedPartitions = v >= 1 ? readTopicPartitions(reader, 'ownedPartitions') : [];
  const generationId = v >= 2 ? reader.int32() : -1;
  const rackId = v >= 3 ? reader.nullableString('rackId') : null;
  return { version, topics, userData, ownedPartitions, generationId: generationId < 0 ? -1 : generationId, rackId: rackId === '' ? null : rackId };
}

/** ConsumerProtocol.serializeAssignment: the version-prefixed bytes of one member's assignment. */
export function encodeAssignment(assignment: MemberAssignment, version: number = CONSUMER_PROTOCOL_HIGHEST_VERSION): Uint8Array {
  const v = effectiveVersion(version, 'assignment');
  const writer = new ProtocolWriter().int16(v);
  writeTopicPartitions(writer, assignment.partitions);
  writer.nullableBytes(assignment.userData);
  return writer.toBytes();
}

/** ConsumerProtocol.deserializeAssignment. Throws SchemaException on bytes that do not parse. */
export function decodeAssignment(bytes: Uint8Array): DecodedAssignment {
  const version = readVersion(bytes);
  effectiveVersion(version, 'assignment');
  const reader = new ProtocolReader(bytes.subarray(2), 'assignment');
  const partitions = readTopicPartitions(reader, 'assignedPartitions');
  const userData = reader.nullableBytes();
  return { version, partitions, userData };
}

/** ConsumerProtocol.deserializeVersion: the int16 prefix. */
function readVersion(bytes: Uint8Array): number {
  if (bytes.length < 2) throw new SchemaException(`Buffer underflow while parsing consumer protocol's header: ${bytes.length} bytes, needed 2`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt16(0);
}
