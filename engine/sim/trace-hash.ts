/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of text: the event trace's fingerprint. Pure arithmetic on
 * two 32-bit halves (no BigInt, no node:crypto) so it runs inside engine/ and costs a few ns a byte.
 * FNV-1a is not cryptographic; it only has to tell two traces apart, and a trace is not adversarial.
 *
 * Invariant: `hi` and `lo` are unsigned 32-bit integers; together they are the hash of every byte
 * fed so far, so feeding "ab" equals feeding "a" then "b".
 */
const PRIME_LOW = 0x1b3; // 0x100000001b3 = 2^40 + 0x1b3
const TWO_32 = 0x1_0000_0000;

export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Feeds the UTF-8 encoding of `text`. */
  update(text: string): this {
    // Bounded by the text's length; code points above U+FFFF take two iterations (a surrogate pair).
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      if (code > 0xffff) i += 1;
      if (code < 0x80) this.byte(code);
      else if (code < 0x800) this.byte(0xc0 | (code >> 6)).byte(0x80 | (code & 0x3f));
      else if (code < 0x10000) this.byte(0xe0 | (code >> 12)).byte(0x80 | ((code >> 6) & 0x3f)).byte(0x80 | (code & 0x3f));
      else this.byte(0xf0 | (code >> 18)).byte(0x80 | ((code >> 12) & 0x3f)).byte(0x80 | ((code >> 6) & 0x3f)).byte(0x80 | (code & 0x3f));
    }
    return this;
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }

  private byte(value: number): this {
    const lo = (this.lo ^ value) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64: lo·0x1b3 stays below 2^42, exact in a double.
    const lowProduct = lo * PRIME_LOW;
    const carry = Math.floor(lowProduct / TWO_32);
    this.lo = lowProduct >>> 0;
    this.hi = (this.hi * PRIME_LOW + carry + ((lo << 8) >>> 0)) % TWO_32;
    return this;
  }
}

export function fnv1a64Hex(text: string): string {
  return new Fnv1a64().update(text).hex();
}
