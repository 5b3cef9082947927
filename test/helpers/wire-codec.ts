/**
 * Checks every wire codec test makes: a reader consumes exactly the bytes of a body (no field
 * skipped or read twice), and every truncation of a body is refused with WireError, never read as
 * something else.
 */
import { expect } from 'vitest';
import { WireError, WireReader } from '../../engine/protocol/wire.js';

/** Bytes from hex, whitespace ignored (fixtures are copied in lines). */
export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** Decodes the whole body: a codec that left bytes behind would have misread a field. */
export function decodeAll<T>(bytes: Uint8Array, read: (reader: WireReader) => T): T {
  const reader = new WireReader(bytes);
  const value = read(reader);
  expect(reader.remaining).toBe(0);
  return value;
}

export function expectEveryPrefixRefused(bytes: Uint8Array, read: (reader: WireReader) => unknown): void {
  for (let length = 0; length < bytes.length; length++) {
    expect(() => read(new WireReader(bytes.subarray(0, length))), `prefix of ${length} bytes`).toThrow(WireError);
  }
}
