/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka record batches v2
 * (DefaultRecordBatch, java.util.zip.CRC32C). Known vector: crc32c("123456789") = 0xE3069283.
 *
 * Two table-driven implementations of the same algorithm:
 * - slicing-by-8 in JavaScript (eight 256-entry tables, eight bytes per iteration), used for short
 *   inputs and wherever WebAssembly is unavailable;
 * - slicing-by-16 in a small WebAssembly module assembled below, about twice as fast on batches
 *   (native unaligned 32-bit loads, no bounds checks per byte). Node has no CRC-32C of its own.
 *
 * WebAssembly memory layout (2 pages = 128 KiB): [0, 16 KiB) the 16 tables as little-endian int32,
 * [16 KiB, 112 KiB) the chunk being checksummed. Inputs are copied in 96 KiB chunks.
 */

const POLYNOMIAL_REFLECTED = 0x82f63b78;

/** tables[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
function buildTables(slices: number): Int32Array {
  const table = new Int32Array(slices * 256);
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REFLECTED : crc >>> 1;
    table[b] = crc;
  }
  for (let b = 0; b < 256; b++) {
    let crc = table[b]!;
    for (let k = 1; k < slices; k++) {
      crc = table[crc & 0xff]! ^ (crc >>> 8);
      table[k * 256 + b] = crc;
    }
  }
  return table;
}

const TABLE = buildTables(8);

function checkRange(bytes: Uint8Array, start: number, end: number): void {
  if (!(start >= 0 && start <= end && end <= bytes.length)) {
    throw new RangeError(`crc32c range [${start}, ${end}) outside 0..${bytes.length}`);
  }
}

/** The JavaScript slicing-by-8 implementation (exported for the tests that compare both). */
export function crc32cPortable(crc: number, bytes: Uint8Array, start: number, end: number): number {
  checkRange(bytes, start, end);
  const t = TABLE;
  let c = ~crc;
  let i = start;
  const end8 = start + ((end - start) & ~7);
  while (i < end8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
    i += 8;
  }
  while (i < end) {
    c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}

// ---- WebAssembly slicing-by-16 -------------------------------------------------------------------

const WASM_SLICES = 16;
const WASM_DATA_OFFSET = WASM_SLICES * 1024;
const WASM_CHUNK_BYTES = 96 * 1024;
/** Below this many bytes the JS loop wins (the copy and call cost more than they save). */
const WASM_MIN_BYTES = 128;

function uleb(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
    if (n === 0) break;
  }
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) break;
  }
  return out;
}

/**
 * The module: `crc(c, p, n) -> c'` over memory[p, p + n). Locals: 0 crc, 1 p, 2 n, 3 end16, 4 end,
 * 5..8 the four words of a 16-byte step.
 */
function assembleModule(): Uint8Array {
  const get = (i: number): number[] => [0x20, i];
  const set = (i: number): number[] => [0x21, i];
  const i32 = (n: number): number[] => [0x41, ...sleb(n)];
  const load = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
  const [XOR, AND, SHRU, SHL, ADD, GEU] = [0x73, 0x71, 0x76, 0x74, 0x6a, 0x4f];
  const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
  const LOOP_END = [0x0c, 0, 0x0b, 0x0b];
  // tables[table][(word >>> shift) & 0xff]
  const lookup = (word: number, shift: number, table: number): number[] => [
    ...get(word),
    ...(shift > 0 ? [...i32(shift), SHRU] : []),
    ...(shift < 24 ? [...i32(255), AND] : []),
    ...i32(2),
    SHL,
    ...load(table * 1024),
  ];
  const step: number[] = [];
  for (let w = 0; w < 4; w++) {
    for (let byte = 0; byte < 4; byte++) {
      step.push(...lookup(5 + w, byte * 8, 15 - (w * 4 + byte)));
      if (w > 0 || byte > 0) step.push(XOR);
    }
  }
  const body = [
    ...get(0), ...i32(-1), XOR, ...set(0),
    ...get(1), ...get(2), ADD, ...set(4),
    ...get(1), ...get(2), ...i32(-16), AND, ADD, ...set(3),
    ...BLOCK_LOOP,
    ...get(1), ...get(3), GEU, 0x0d, 1,
    ...get(0), ...get(1), ...load(0), XOR, ...set(5),
    ...get(1), ...load(4), ...set(6),
    ...get(1), ...load(8), ...set(7),
    ...get(1), ...load(12), ...set(8),
    ...step, ...set(0),
    ...get(1), ...i32(16), ADD, ...set(1),
    ...LOOP_END,
    ...BLOCK_LOOP,
    ...get(1), ...get(4), GEU, 0x0d, 1,
    ...get(0), ...get(1), 0x2d, 0, 0, XOR, ...i32(255), AND, ...i32(2), SHL, ...load(0),
    ...get(0), ...i32(8), SHRU, XOR, ...set(0),
    ...get(1), ...i32(1), ADD, ...set(1),
    ...LOOP_END,
    ...get(0), ...i32(-1), XOR,
    0x0b,
  ];
  const func = [1, 6, 0x7f, ...body];
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 2]),
    ...section(7, [2, ...name('crc'), 0, 0, ...name('mem'), 2, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

interface WasmCrc {
  readonly crc: (crc: number, pointer: number, length: number) => number;
  readonly memory: Uint8Array;
}

/** The part of the WebAssembly JS API used here (the Node typings do not declare it as a value). */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

function instantiate(): WasmCrc | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  try {
    const instance = new api.Instance(new api.Module(assembleModule()));
    const memory = new Uint8Array((instance.exports.mem as { buffer: ArrayBuffer }).buffer);
    const tables = buildTables(WASM_SLICES);
    // Tables as little-endian int32, the byte order of i32.load.
    for (let i = 0; i < tables.length; i++) {
      const v = tables[i]!;
      memory[i * 4] = v & 0xff;
      memory[i * 4 + 1] = (v >>> 8) & 0xff;
      memory[i * 4 + 2] = (v >>> 16) & 0xff;
      memory[i * 4 + 3] = v >>> 24;
    }
    const wasm = { crc: instance.exports.crc as WasmCrc['crc'], memory };
    // Self-check against the known vector before trusting it.
    memory.set([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], WASM_DATA_OFFSET);
    return wasm.crc(0, WASM_DATA_OFFSET, 9) >>> 0 === 0xe3069283 ? wasm : null;
  } catch {
    return null;
  }
}

const wasm = instantiate();

/** Whether the WebAssembly implementation is in use (tests report it). */
export const crc32cUsesWasm = wasm !== null;

/**
 * Continues a CRC-32C over bytes[start, end). Start with `crc = 0`; the result is unsigned. Passing
 * the result of one call as `crc` to the next computes the CRC of the concatenation.
 */
export function crc32cUpdate(crc: number, bytes: Uint8Array, start: number, end: number): number {
  if (wasm === null || end - start < WASM_MIN_BYTES) return crc32cPortable(crc, bytes, start, end);
  checkRange(bytes, start, end);
  let c = crc | 0;
  // Chunks of 96 KiB: the loop runs ceil(length / 96 KiB) times.
  for (let chunkStart = start; chunkStart < end; chunkStart += WASM_CHUNK_BYTES) {
    const length = Math.min(WASM_CHUNK_BYTES, end - chunkStart);
    wasm.memory.set(bytes.subarray(chunkStart, chunkStart + length), WASM_DATA_OFFSET);
    c = wasm.crc(c, WASM_DATA_OFFSET, length);
  }
  return c >>> 0;
}

/** CRC-32C of bytes[start, end) (the whole array by default), unsigned. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32cUpdate(0, bytes, start, end);
}
