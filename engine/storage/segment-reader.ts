/**
 * Chunked positional reads of a segment's log file. Scanning batch headers with one pread per
 * header would cost a syscall per batch; a reader keeps one chunk (at least `minChunkBytes`) and
 * serves every range inside it from memory.
 *
 * All readers share one scratch buffer (the engine is single threaded and storage calls do not
 * nest), so a thousand idle partitions do not each hold a megabyte. A reader notices when another
 * reader has used the scratch since its last read (the generation changed) and reads again.
 *
 * Invariant: while `generation === shared.generation`, shared.buffer holds the file's bytes
 * [chunkStart, chunkStart + chunkLength). Returned ranges are valid until the next call on any reader.
 */
import { assertFailed } from '../core/assert.js';
import type { DiskFile } from './disk/disk.js';
import { storageLimits } from './storage-limits.js';

const shared = { buffer: new Uint8Array(0), generation: 0 };

function scratch(minBytes: number): Uint8Array {
  if (shared.buffer.length < minBytes) shared.buffer = new Uint8Array(Math.max(minBytes, storageLimits.scanChunkBytes));
  return shared.buffer;
}

export class SegmentReader {
  private chunkStart = 0;
  private chunkLength = 0;
  private generation = -1;
  /** Offset into `buffer` of the range made available by the last `ensure`. */
  offset = 0;

  constructor(
    private readonly file: DiskFile,
    private readonly minChunkBytes = storageLimits.scanChunkBytes,
  ) {}

  get buffer(): Uint8Array {
    return shared.buffer;
  }

  /**
   * Makes file bytes [position, position + length) available at buffer[offset...]. Returns how many
   * of those bytes the file actually has (fewer than `length` only at the end of the file).
   */
  ensure(position: number, length: number, fileSize: number): number {
    if (!(position >= 0 && length >= 0)) assertFailed(`read range ${position}+${length}`);
    const available = Math.max(0, Math.min(length, fileSize - position));
    const cached = this.generation === shared.generation && position >= this.chunkStart && position + available <= this.chunkStart + this.chunkLength;
    if (cached) {
      this.offset = position - this.chunkStart;
      return available;
    }
    const want = Math.min(Math.max(length, this.minChunkBytes), Math.max(0, fileSize - position));
    const buffer = scratch(want);
    shared.generation++;
    this.generation = shared.generation;
    this.chunkLength = this.file.read(buffer, 0, want, position);
    this.chunkStart = position;
    this.offset = 0;
    return Math.min(available, this.chunkLength);
  }
}
