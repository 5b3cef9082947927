/**
 * A Disk for tests and for the "slow or failing disk" faults: wraps another Disk (by default a
 * MemoryDisk) and injects the failures a real disk has.
 *
 * - Torn write: an armed append writes only a prefix of its bytes, then the disk behaves as if the
 *   process died mid-write: that call and every later one throws DiskError EIO until `restart()`.
 * - Write errors: the next N appends or file writes fail with a chosen errno (ENOSPC, EIO).
 * - Capacity: appends past `capacityBytes` write what fits and throw ENOSPC, as a full disk does.
 * - Bit flips at rest: `flipBit(path, position, bit)`.
 * - fsync behaviour: 'honest' (sync makes the bytes durable), 'lying' (returns without making
 *   anything durable, like a drive with a volatile write cache), 'slow' (durable, but reports
 *   `slowSyncMs` through `onSlowSync`, which a simulation uses to advance its clock).
 * - Power loss: `powerLoss()` reverts every file to what the last honest sync or atomic write made
 *   durable; files never synced disappear. A process crash (SIGKILL) loses nothing the OS has, so
 *   `restart()` alone models it.
 *
 * Invariant: `durable` holds, for each path, the bytes a power loss would leave; it only changes on
 * an honest or slow sync, an atomic write, a rename or a removal.
 */
import { DiskError, type Disk, type DiskFile } from './disk.js';
import { MemoryDisk } from './memory-disk.js';

export type SyncBehaviour = 'honest' | 'lying' | 'slow';

export interface FaultyDiskOptions {
  readonly syncBehaviour?: SyncBehaviour;
  readonly slowSyncMs?: number;
  readonly onSlowSync?: (delayMs: number) => void;
  readonly capacityBytes?: number;
}

interface TornWrite {
  readonly pathIncludes: string;
  /** Bytes of the armed append that reach the file before the crash. */
  readonly keepBytes: number;
}

export class FaultyDisk implements Disk {
  syncBehaviour: SyncBehaviour;
  slowSyncMs: number;
  capacityBytes: number;
  /** Number of sync calls (file fsync, directory fsync, atomic writes) seen, for assertions. */
  syncCount = 0;
  private readonly onSlowSync: (delayMs: number) => void;
  private crashed = false;
  private torn: TornWrite | null = null;
  private failures: { code: string; remaining: number } | null = null;
  private readonly durable = new Map<string, Uint8Array>();
  private readonly known = new Set<string>();

  constructor(
    readonly inner: Disk = new MemoryDisk(),
    options: FaultyDiskOptions = {},
  ) {
    this.syncBehaviour = options.syncBehaviour ?? 'honest';
    this.slowSyncMs = options.slowSyncMs ?? 0;
    this.onSlowSync = options.onSlowSync ?? (() => undefined);
    this.capacityBytes = options.capacityBytes ?? Number.POSITIVE_INFINITY;
  }

  // ---- fault controls -------------------------------------------------------------------------

  /** Arms a torn write: the next append to a path containing `pathIncludes` keeps `keepBytes` bytes, then the disk crashes. */
  tearNextAppend(pathIncludes: string, keepBytes: number): void {
    if (!(Number.isInteger(keepBytes) && keepBytes >= 0)) throw new RangeError(`keepBytes must be a non-negative integer, got ${keepBytes}`);
    this.torn = { pathIncludes, keepBytes };
  }

  /** The next `count` writes (appends, file writes) fail with `code` and write nothing. */
  failNextWrites(code: string, count = 1): void {
    this.failures = { code, remaining: count };
  }

  flipBit(path: string, position: number, bit: number): void {
    const data = this.inner.readFile(path);
    if (!(position >= 0 && position < data.length)) throw new RangeError(`flip position ${position} outside ${path} (${data.length} bytes)`);
    data[position] = data[position]! ^ (1 << (bit & 7));
    this.rewrite(path, data);
  }

  /** The process restarts after a crash: the files are as the OS had them, the disk works again. */
  restart(): void {
    this.crashed = false;
    this.torn = null;
    this.failures = null;
  }

  /** The machine loses power: every file reverts to its durable bytes; unsynced files vanish. */
  powerLoss(): void {
    for (const path of [...this.known]) {
      const durable = this.durable.get(path);
      if (durable === undefined) {
        this.inner.remove(path);
        this.known.delete(path);
      } else if (this.inner.exists(path) || this.durable.has(path)) {
        this.rewrite(path, durable);
      }
    }
    this.restart();
  }

  isCrashed(): boolean {
    return this.crashed;
  }

  // ---- Disk -----------------------------------------------------------------------------------

  mkdirp(path: string): void {
    this.check('mkdir', path);
    this.inner.mkdirp(path);
  }

  exists(path: string): boolean {
    this.check('stat', path);
    return this.inner.exists(path);
  }

  readFile(path: string): Uint8Array {
    this.check('read', path);
    return this.inner.readFile(path);
  }

  createExclusive(path: string, data: Uint8Array): void {
    this.checkWrite('create', path, data.length);
    this.inner.createExclusive(path, data);
    this.known.add(path);
  }

  writeFileAtomic(path: string, data: Uint8Array): void {
    this.checkWrite('write', path, data.length);
    this.inner.writeFileAtomic(path, data);
    this.known.add(path);
    this.noteSync();
    if (this.syncBehaviour !== 'lying') this.durable.set(path, data.slice());
  }

  remove(path: string): void {
    this.check('remove', path);
    this.inner.remove(path);
    for (const p of [...this.known]) {
      if (p === path || p.startsWith(`${path}/`)) {
        this.known.delete(p);
        this.durable.delete(p);
      }
    }
  }

  list(dir: string): string[] {
    this.check('list', dir);
    return this.inner.list(dir);
  }

  openFile(path: string): DiskFile {
    this.check('open', path);
    const file = new FaultyFile(this, this.inner.openFile(path));
    this.known.add(path);
    return file;
  }

  rename(from: string, to: string): void {
    this.check('rename', from);
    this.inner.rename(from, to);
    // A renamed directory carries its files along: move every tracked path under `from`.
    for (const path of [...this.known]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      const moved = `${to}${path.slice(from.length)}`;
      this.known.delete(path);
      this.known.add(moved);
      const durable = this.durable.get(path);
      this.durable.delete(path);
      if (durable !== undefined) this.durable.set(moved, durable);
    }
  }

  fileSize(path: string): number {
    this.check('stat', path);
    return this.inner.fileSize(path);
  }

  syncDirectory(path: string): void {
    this.check('fsync', path);
    this.noteSync();
    this.inner.syncDirectory(path);
  }

  // ---- used by FaultyFile ---------------------------------------------------------------------

  /** Throws EIO once the disk has crashed: a dead process does no more I/O. */
  check(op: string, path: string): void {
    if (this.crashed) throw new DiskError('EIO', `${op} ${path}: disk crashed (simulated)`);
  }

  /** Applies write faults; returns the bytes of `length` that may be written (throwing after a partial write is the caller's job). */
  checkWrite(op: string, path: string, length: number): number {
    this.check(op, path);
    if (this.failures !== null && this.failures.remaining > 0) {
      this.failures.remaining--;
      throw new DiskError(this.failures.code, `${op} ${path}: injected ${this.failures.code}`);
    }
    const free = this.capacityBytes - this.usedBytes();
    return Math.max(0, Math.min(length, free));
  }

  appendThrough(file: DiskFile, data: Uint8Array, start: number, end: number): void {
    const allowed = this.checkWrite('append', file.path, end - start);
    const torn = this.torn;
    if (torn !== null && file.path.includes(torn.pathIncludes)) {
      const keep = Math.min(allowed, torn.keepBytes, end - start);
      if (keep > 0) file.append(data, start, start + keep);
      this.torn = null;
      this.crashed = true;
      throw new DiskError('EIO', `append ${file.path}: torn after ${keep} of ${end - start} bytes (simulated crash)`);
    }
    if (allowed > 0) file.append(data, start, start + allowed);
    if (allowed < end - start) {
      throw new DiskError('ENOSPC', `append ${file.path}: no space left on device (${allowed} of ${end - start} bytes written)`);
    }
  }

  syncFile(file: DiskFile): void {
    this.check('fsync', file.path);
    this.noteSync();
    file.sync();
    if (this.syncBehaviour !== 'lying') this.durable.set(file.path, this.inner.readFile(file.path));
  }

  private noteSync(): void {
    this.syncCount++;
    if (this.syncBehaviour === 'slow') this.onSlowSync(this.slowSyncMs);
  }

  private usedBytes(): number {
    if (this.capacityBytes === Number.POSITIVE_INFINITY) return 0;
    let used = 0;
    for (const path of this.known) if (this.inner.exists(path)) used += this.inner.fileSize(path);
    return used;
  }

  /** Replaces a file's bytes under any open handle: truncate to zero, append the new bytes. */
  private rewrite(path: string, data: Uint8Array): void {
    const handle = this.inner.openFile(path);
    try {
      handle.truncate(0);
      handle.append(data);
    } finally {
      handle.close();
    }
  }
}

class FaultyFile implements DiskFile {
  constructor(
    private readonly disk: FaultyDisk,
    private readonly file: DiskFile,
  ) {}

  get path(): string {
    return this.file.path;
  }

  size(): number {
    return this.file.size();
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    this.disk.appendThrough(this.file, data, start, end);
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    this.disk.check('read', this.file.path);
    return this.file.read(target, targetOffset, length, position);
  }

  truncate(sizeBytes: number): void {
    this.disk.check('truncate', this.file.path);
    this.file.truncate(sizeBytes);
  }

  sync(): void {
    this.disk.syncFile(this.file);
  }

  close(): void {
    this.file.close();
  }
}
