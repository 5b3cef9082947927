/**
 * The Disk port: the only way engine code touches files. Synchronous on purpose: the engine runs in
 * its own worker thread, so blocking I/O never holds up a window, and a synchronous interface keeps
 * the storage code's ordering obvious (a write returns once the OS has it; `sync` returns once the
 * device has it). Implemented by Node's fs (`NodeDisk`), by memory (`MemoryDisk`), and by a faulty
 * disk for tests.
 *
 * Paths are absolute or relative to the process; the port does not interpret them.
 */
export class DiskError extends Error {
  constructor(
    /** The errno-style code: ENOENT, EEXIST, ENOSPC, EIO, ... */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DiskError';
  }
}

/**
 * An open file for the log: appends at the end, positional reads, truncation and fsync. A segment
 * keeps one open while it is active, as Kafka keeps a FileChannel per segment.
 *
 * Invariants: `size()` is the file's length as this handle last wrote or observed it; `append`
 * writes every byte or throws a DiskError (after which `size()` reflects what reached the file);
 * `read` never returns more than `length` bytes and returns fewer only at the end of the file.
 */
export interface DiskFile {
  readonly path: string;
  size(): number;
  /** Writes data[start, end) at the end of the file. */
  append(data: Uint8Array, start?: number, end?: number): void;
  /** Reads up to `length` bytes at `position` into target[targetOffset...]; returns the bytes read. */
  read(target: Uint8Array, targetOffset: number, length: number, position: number): number;
  /** Shrinks the file to `sizeBytes` (never grows it). */
  truncate(sizeBytes: number): void;
  /** Returns once the device has every byte written so far (fsync). */
  sync(): void;
  close(): void;
}

export interface Disk {
  mkdirp(path: string): void;
  exists(path: string): boolean;
  readFile(path: string): Uint8Array;
  /** Creates `path` with `data`; throws DiskError EEXIST if it already exists. */
  createExclusive(path: string, data: Uint8Array): void;
  /** Replaces `path` atomically: write a temporary sibling, sync it, rename it over `path`. */
  writeFileAtomic(path: string, data: Uint8Array): void;
  remove(path: string): void;
  list(dir: string): string[];
  /** Opens `path` for reading and appending, creating an empty file if it does not exist. */
  openFile(path: string): DiskFile;
  /** Renames `from` to `to`, replacing `to` if it exists (POSIX rename). */
  rename(from: string, to: string): void;
  /** Size in bytes of the file at `path`; DiskError ENOENT if it does not exist. */
  fileSize(path: string): number;
  /** Makes the directory's entries (created, renamed, removed files) durable. */
  syncDirectory(path: string): void;
}
