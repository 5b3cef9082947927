/** FNV-1a 64 as the trace fingerprint: the published test vectors, UTF-8 input, and streaming equals one shot. */
import { describe, expect, it } from 'vitest';
import { Fnv1a64, fnv1a64Hex } from '../../../engine/sim/trace-hash.js';

/** The textbook definition with BigInt, over TextEncoder's UTF-8 bytes: the reference to match. */
function reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

describe('fnv1a64Hex', () => {
  it('matches the published vectors', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it.each(['é', '카프카 랩', '😀 acks=all', '0 fault #1 crash 2 for 5000ms\n'])('hashes the UTF-8 bytes of %j as the textbook definition does', (text) => {
    expect(fnv1a64Hex(text)).toBe(reference(text));
  });

  it('gives the same hash fed in pieces as in one piece', () => {
    expect(new Fnv1a64().update('100 fault ').update('#1 crash 2').hex()).toBe(fnv1a64Hex('100 fault #1 crash 2'));
  });
});
