/**
 * Kafka's wire primitives: round trips of every type, the compact (flexible) forms, and a reader
 * that refuses — naming the field — a length that runs past the frame, before allocating it.
 */
import { describe, expect, it } from 'vitest';
import { WireError, WireReader, WireWriter } from '../../../engine/protocol/wire.js';

describe('wire primitives', () => {
  it('round-trips integers, strings, bytes and varints', () => {
    const bytes = new WireWriter(4)
      .int8(-3)
      .int16(-2)
      .int32(2_000_000_000)
      .int64(2 ** 52 + 1)
      .boolean(true)
      .nullableString(null)
      .nullableString('주문-orders')
      .nullableBytes(new Uint8Array([1, 2, 3]))
      .uvarint(300)
      .compactNullableString('kcat')
      .compactNullableString(null)
      .noTaggedFields()
      .finish();
    const reader = new WireReader(bytes);
    expect(reader.int8('a')).toBe(-3);
    expect(reader.int16('b')).toBe(-2);
    expect(reader.int32('c')).toBe(2_000_000_000);
    expect(reader.int64('d')).toBe(2 ** 52 + 1);
    expect(reader.boolean('e')).toBe(true);
    expect(reader.nullableString('f')).toBeNull();
    expect(reader.nullableString('g')).toBe('주문-orders');
    expect([...reader.nullableBytes('h')!]).toEqual([1, 2, 3]);
    expect(reader.uvarint('i')).toBe(300);
    expect(reader.compactString('j')).toBe('kcat');
    expect(reader.compactNullableString('k')).toBeNull();
    reader.taggedFields('l');
    expect(reader.remaining).toBe(0);
  });

  it('encodes an unsigned varint as Kafka does: 300 is AC 02', () => {
    expect([...new WireWriter().uvarint(300).finish()]).toEqual([0xac, 0x02]);
    expect([...new WireWriter().uvarint(0).finish()]).toEqual([0]);
  });

  it('refuses a length past the end of the frame, naming the field', () => {
    const forged = new WireWriter().int16(30_000).finish();
    expect(() => new WireReader(forged).nullableString('client_id')).toThrow(new WireError('client_id: needs 30000 bytes at offset 2, 0 left'));
    const array = new WireWriter().int32(1_000_000).finish();
    expect(() => new WireReader(array).arrayLength('topics', 2)).toThrow(/topics: array of 1000000 with 0 bytes left/);
    expect(() => new WireReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint('size')).toThrow(/longer than 5 bytes/);
    expect(() => new WireReader(new WireWriter().int16(2).bytes(new Uint8Array([0xff, 0xfe])).finish()).string('name')).toThrow(/name: not UTF-8/);
  });
});
