/**
 * Kafka's wire primitives (https://kafka.apache.org/protocol#protocol_types), read from and
 * written to byte buffers. Big-endian fixed-width integers; STRING is an int16 length then UTF-8
 * (-1: null, NULLABLE_STRING); BYTES an int32 length (-1: null); ARRAY an int32 count (-1: null).
 * The flexible ("compact") forms of KIP-482 use an unsigned varint of length + 1 (0: null) and end
 * every struct with a tagged-field section (an unsigned varint count, then tag, size, bytes).
 *
 * `WireReader` never reads past its end: a short or malformed buffer throws `WireError` naming the
 * field, so a malformed frame closes only its own connection. Every length read is checked
 * against the bytes left before anything is allocated, so a forged length cannot make the reader
 * allocate more than the frame holds.
 */

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

export class WireReader {
  private offset: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.offset = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(count: number, field: string): void {
    if (count < 0 || this.offset + count > this.end) {
      throw new WireError(`${field}: needs ${count} bytes at offset ${this.offset}, ${this.end - this.offset} left`);
    }
  }

  int8(field: string): number {
    this.need(1, field);
    return this.view.getInt8(this.offset++);
  }

  int16(field: string): number {
    this.need(2, field);
    const value = this.view.getInt16(this.offset);
    this.offset += 2;
    return value;
  }

  int32(field: string): number {
    this.need(4, field);
    const value = this.view.getInt32(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  /** An int64 as a JS number; offsets and timestamps stay below 2^53 (a larger one is refused). */
  int64(field: string): number {
    this.need(8, field);
    const value = this.view.getBigInt64(this.offset);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new WireError(`${field}: ${value} is beyond 2^53`);
    return Number(value);
  }

  boolean(field: string): boolean {
    return this.int8(field) !== 0;
  }

  uvarint(field: string): number {
    let value = 0;
    // Bounded: an unsigned varint of an int32 has at most 5 bytes.
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.int8(field) & 0xff;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new WireError(`${field}: unsigned varint longer than 5 bytes`);
  }

  /** NULLABLE_STRING: null when the length is -1. */
  nullableString(field: string): string | null {
    const length = this.int16(field);
    if (length === -1) return null;
    if (length < -1) throw new WireError(`${field}: string length ${length}`);
    return this.utf8(length, field);
  }

  string(field: string): string {
    const value = this.nullableString(field);
    if (value === null) throw new WireError(`${field}: null where a string is required`);
    return value;
  }

  compactNullableString(field: string): string | null {
    const length = this.uvarint(field) - 1;
    return length === -1 ? null : this.utf8(length, field);
  }

  compactString(field: string): string {
    const value = this.compactNullableString(field);
    if (value === null) throw new WireError(`${field}: null where a string is required`);
    return value;
  }

  nullableBytes(field: string): Uint8Array | null {
    const length = this.int32(field);
    if (length === -1) return null;
    if (length < -1) throw new WireError(`${field}: bytes length ${length}`);
    return this.raw(length, field);
  }

  compactNullableBytes(field: string): Uint8Array | null {
    const length = this.uvarint(field) - 1;
    return length === -1 ? null : this.raw(length, field);
  }

  /** A view of the next `length` bytes (not copied). */
  raw(length: number, field: string): Uint8Array {
    this.need(length, field);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** ARRAY: the count, checked against the bytes left (each element takes at least `minElementBytes`). */
  arrayLength(field: string, minElementBytes = 1): number | null {
    const count = this.int32(field);
    if (count === -1) return null;
    if (count < -1 || count * minElementBytes > this.remaining) throw new WireError(`${field}: array of ${count} with ${this.remaining} bytes left`);
    return count;
  }

  compactArrayLength(field: string, minElementBytes = 1): number | null {
    const count = this.uvarint(field) - 1;
    if (count === -1) return null;
    if (count * minElementBytes > this.remaining) throw new WireError(`${field}: array of ${count} with ${this.remaining} bytes left`);
    return count;
  }

  /** Skips a tagged-field section (no tag is understood yet; unknown tags are ignored, as Kafka does). */
  taggedFields(field: string): void {
    const count = this.uvarint(`${field} tag count`);
    if (count > this.remaining) throw new WireError(`${field}: ${count} tagged fields with ${this.remaining} bytes left`);
    for (let i = 0; i < count; i++) {
      this.uvarint(`${field} tag`);
      this.raw(this.uvarint(`${field} tag size`), `${field} tag value`);
    }
  }

  private utf8(length: number, field: string): string {
    const bytes = this.raw(length, field);
    try {
      return textDecoder.decode(bytes);
    } catch {
      throw new WireError(`${field}: not UTF-8`);
    }
  }
}

/** A growable buffer the response encoders write into; `finish()` returns the bytes written. */
export class WireWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private offset = 0;

  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(initialBytes);
    this.view = new DataView(this.buffer.buffer);
  }

  get length(): number {
    return this.offset;
  }

  private room(count: number): void {
    if (this.offset + count <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.offset + count) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.offset));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  int8(value: number): this {
    this.room(1);
    this.view.setInt8(this.offset++, value);
    return this;
  }

  int16(value: number): this {
    this.room(2);
    this.view.setInt16(this.offset, value);
    this.offset += 2;
    return this;
  }

  int32(value: number): this {
    this.room(4);
    this.view.setInt32(this.offset, value);
    this.offset += 4;
    return this;
  }

  uint32(value: number): this {
    this.room(4);
    this.view.setUint32(this.offset, value);
    this.offset += 4;
    return this;
  }

  int64(value: number): this {
    this.room(8);
    this.view.setBigInt64(this.offset, BigInt(value));
    this.offset += 8;
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uvarint(value: number): this {
    let rest = value >>> 0;
    // Bounded: at most 5 bytes for a 32-bit value.
    while (rest >= 0x80) {
      this.int8((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    return this.int8(rest);
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = textEncoder.encode(value);
    return this.int16(bytes.length).bytes(bytes);
  }

  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const bytes = textEncoder.encode(value);
    return this.uvarint(bytes.length + 1).bytes(bytes);
  }

  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).bytes(value);
  }

  compactNullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).bytes(value);
  }

  /** An empty tagged-field section. */
  noTaggedFields(): this {
    return this.uvarint(0);
  }

  bytes(value: Uint8Array): this {
    this.room(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.offset);
  }
}
