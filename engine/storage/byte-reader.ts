/**
 * Bounds-checked reading and writing of the primitive types of Kafka's record format: big-endian
 * fixed-width integers and zigzag varints (protobuf style, org.apache.kafka.common.utils.ByteUtils).
 *
 * Invariant of ByteReader: `start <= pos <= end <= buf.length` at all times. Every read checks the
 * bytes it needs against `end` first and throws KafkaError('CORRUPT_MESSAGE') naming the field, so
 * untrusted bytes can never make it read outside [start, end).
 *
 * Numbers: JavaScript numbers hold integers exactly up to 2^53. Kafka's int64 fields (offsets,
 * timestamps, producer ids) are read as numbers and refused with CORRUPT_MESSAGE when they do not
 * fit, which no real log reaches (2^53 offsets is 285 years at a million records per second).
 */
import { KafkaError } from '../core/kafka-errors.js';
import { storageLimits } from './storage-limits.js';

const TWO_POW_32 = 0x1_0000_0000;
/** Largest high word of an int64 whose value is still a safe integer (2^53 - 1 >> 32). */
const SAFE_HIGH_MAX = 0x1f_ffff;
const SAFE_HIGH_MIN = -0x20_0000;

export function corrupt(message: string): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', message);
}

/** Reads a big-endian int32 at `pos`; the caller has checked that 4 bytes are present. */
export function getInt32(buf: Uint8Array, pos: number): number {
  return (buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!;
}

export function getUint32(buf: Uint8Array, pos: number): number {
  return getInt32(buf, pos) >>> 0;
}

export function getInt16(buf: Uint8Array, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16)) >> 16;
}

/**
 * Reads a big-endian int64 at `pos` as a number, or throws CORRUPT_MESSAGE naming `field` when the
 * value is not a safe integer. The caller has checked that 8 bytes are present.
 */
export function getInt64(buf: Uint8Array, pos: number, field: string): number {
  const high = getInt32(buf, pos);
  if (high > SAFE_HIGH_MAX || high < SAFE_HIGH_MIN) {
    throw corrupt(`${field} does not fit in 53 bits (high word 0x${(high >>> 0).toString(16)})`);
  }
  return high * TWO_POW_32 + getUint32(buf, pos + 4);
}

export function putInt32(buf: Uint8Array, pos: number, value: number): void {
  buf[pos] = value >>> 24;
  buf[pos + 1] = value >>> 16;
  buf[pos + 2] = value >>> 8;
  buf[pos + 3] = value;
}

export function putInt16(buf: Uint8Array, pos: number, value: number): void {
  buf[pos] = value >>> 8;
  buf[pos + 1] = value;
}

/** Writes a safe integer as a big-endian int64 (two's complement for negatives). */
export function putInt64(buf: Uint8Array, pos: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  putInt32(buf, pos, high | 0);
  putInt32(buf, pos + 4, (value - high * TWO_POW_32) >>> 0);
}

/** Bytes of the zigzag varint encoding of an int32. */
export function sizeOfVarint(value: number): number {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (raw >= 0x80) {
    raw >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes of the zigzag varlong encoding of a safe integer. */
export function sizeOfVarlong(value: number): number {
  if (value >= -0x4000_0000 && value < 0x4000_0000) return sizeOfVarint(value);
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (raw >= 0x80) {
    raw = Math.floor(raw / 128);
    bytes++;
  }
  return bytes;
}

/** Writes the zigzag varint of an int32 at `pos`; returns the position after it. */
export function putVarint(buf: Uint8Array, pos: number, value: number): number {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0;
  while (raw >= 0x80) {
    buf[pos++] = (raw & 0x7f) | 0x80;
    raw >>>= 7;
  }
  buf[pos++] = raw;
  return pos;
}

/** Writes the zigzag varlong of a safe integer at `pos`; returns the position after it. */
export function putVarlong(buf: Uint8Array, pos: number, value: number): number {
  if (value >= -0x4000_0000 && value < 0x4000_0000) return putVarint(buf, pos, value);
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  while (raw >= 0x80) {
    buf[pos++] = (raw % 128) | 0x80;
    raw = Math.floor(raw / 128);
  }
  buf[pos++] = raw;
  return pos;
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    readonly start: number,
    /** Mutable so a nested structure (a record inside a batch) can be read with a narrower bound. */
    public end: number,
  ) {
    if (!(start >= 0 && start <= end && end <= buf.length)) {
      throw new RangeError(`reader range [${start}, ${end}) outside 0..${buf.length}`);
    }
    this.pos = start;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  require(bytes: number, field: string): void {
    if (bytes > this.end - this.pos) {
      throw corrupt(`${field} needs ${bytes} bytes but only ${this.end - this.pos} remain`);
    }
  }

  readInt8(field: string): number {
    this.require(1, field);
    return (this.buf[this.pos++]! << 24) >> 24;
  }

  /** A zigzag varint of at most 5 bytes whose value fits an int32 (ByteUtils.readVarint). */
  readVarint(field: string): number {
    const buf = this.buf;
    let raw = 0;
    let shift = 0;
    for (let i = 0; i < storageLimits.varintBytesMax; i++) {
      if (this.pos >= this.end) throw corrupt(`${field}: varint runs past the end of its buffer`);
      const b = buf[this.pos++]!;
      if (i === 4 && b > 0x0f) throw corrupt(`${field}: varint is too long (more than 32 bits)`);
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) return (raw >>> 1) ^ -(raw & 1);
      shift += 7;
    }
    throw corrupt(`${field}: varint is too long (more than 5 bytes)`);
  }

  /**
   * A zigzag varlong of at most 10 bytes (ByteUtils.readVarlong). The zigzag form must fit in 53
   * bits, so values in [-2^52, 2^52 - 1] decode (a timestamp delta of 142,000 years); anything
   * larger is refused with CORRUPT_MESSAGE because a number cannot hold it exactly.
   */
  readVarlong(field: string): number {
    const buf = this.buf;
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < storageLimits.varlongBytesMax; i++) {
      if (this.pos >= this.end) throw corrupt(`${field}: varlong runs past the end of its buffer`);
      const b = buf[this.pos++]!;
      raw += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (raw > Number.MAX_SAFE_INTEGER) throw corrupt(`${field}: varlong does not fit in 53 bits`);
        return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      }
      scale *= 128;
    }
    throw corrupt(`${field}: varlong is too long (more than 10 bytes)`);
  }
}
