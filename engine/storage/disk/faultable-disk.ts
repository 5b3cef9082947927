/**
 * One broker's disk with the faults a machine's disk has, usable over the real NodeDisk of the live
 * workbench (where a broker's logs may hold gigabytes) as well as over a MemoryDisk in tests:
 *
 * - full: appends and file writes fail with ENOSPC and write nothing, as a full file system does
 *   (the broker then takes its log dir offline and halts: engine/cluster/broker-node.ts);
 * - lying fsync: `sync` returns without making anything durable, as a drive with a volatile write
 *   cache does; nothing shows until the next power loss;
 * - slow: every write and read takes `latencyMs` more. The Disk port is synchronous, so the disk
 *   cannot wait; the broker reads `diskLatencyMsOf(disk)` and holds its answers that long;
 * - power loss (`powerLoss()`): what was not made durable is gone. Each file is cut back to the
 *   length its last honest fsync covered, and files never made durable disappear.
 *
 * Unlike FaultyDisk (tests of the storage layer, which keeps a copy of every durable byte), this
 * disk remembers per file only its durable length: O(files) memory, whatever the bytes. The one
 * copy it keeps is the previous content of a small file replaced atomically (a checkpoint) while
 * fsync lies, so a power loss can bring that version back, as the device would; those copies are
 * bounded by `diskLimits.shadowBytesMax` (past it, such a file is treated as never made durable).
 *
 * Simplifications, each on the side Kafka's recovery already copes with: a truncation and a rename
 * reach the device at once (the log syncs its truncations anyway); a file created through this disk
 * and never synced disappears whole.
 *
 * Invariants: a path is tracked only once this disk wrote to it, and an untracked file is durable
 * as it stands; a tracked file's durable length never exceeds its length; after `powerLoss()`
 * nothing is tracked (every file left is durable as it stands).
 */
import { DiskError, type Disk, type DiskFile } from './disk.js';
import { diskLimits } from './disk-limits.js';

/** Durable length of a file this disk created and never synced: a power loss removes it. */
const NEVER_DURABLE = -1;

/** What a power loss dropped. */
export interface PowerLossReport {
  readonly filesTruncated: number;
  readonly filesRemoved: number;
  readonly filesRestored: number;
  readonly bytesDropped: number;
}

export class FaultableDisk implements Disk {
  private fullValue = false;
  private lyingValue = false;
  private latencyValue = 0;
  /** Per tracked file, the length a power loss leaves (NEVER_DURABLE: none). */
  private readonly durableLength = new Map<string, number>();
  /** Per file replaced atomically while fsync lied: its durable previous content (null: none). */
  private readonly shadows = new Map<string, Uint8Array | null>();
  private shadowBytes = 0;

  constructor(readonly inner: Disk) {}

  // ---- fault controls -------------------------------------------------------------------------

  get full(): boolean {
    return this.fullValue;
  }

  /** No space left (true) or space freed again (false). */
  setFull(full: boolean): void {
    this.fullValue = full;
  }

  get lyingFsync(): boolean {
    return this.lyingValue;
  }

  /** fsync lies (true) or tells the truth again (false); what it lied about stays volatile until synced again. */
  setLyingFsync(lying: boolean): void {
    this.lyingValue = lying;
  }

  get latencyMs(): number {
    return this.latencyValue;
  }

  setLatencyMs(latencyMs: number): void {
    if (!(Number.isInteger(latencyMs) && latencyMs >= 0)) throw new RangeError(`disk latency must be a non-negative integer of ms, got ${latencyMs}`);
    this.latencyValue = latencyMs;
  }

  /** Files written since the last power loss whose bytes are not all durable (for views and tests). */
  volatileFileCount(): number {
    let count = 0;
    for (const [path, durable] of this.durableLength) if (durable === NEVER_DURABLE || this.lengthOf(path) > durable) count++;
    return count + this.shadows.size;
  }

  /**
   * The machine loses power: every file goes back to what was durable. Call it while the broker's
   * process is down (it crashed with the machine); its open handles are stale afterwards.
   */
  powerLoss(): PowerLossReport {
    let filesTruncated = 0;
    let filesRemoved = 0;
    let filesRestored = 0;
    let bytesDropped = 0;
    for (const [path, shadow] of this.shadows) {
      bytesDropped += this.lengthOf(path);
      if (shadow === null) {
        if (this.inner.exists(path)) filesRemoved++;
        this.inner.remove(path);
      } else {
        this.inner.writeFileAtomic(path, shadow);
        bytesDropped -= shadow.length;
        filesRestored++;
      }
      this.durableLength.delete(path);
    }
    for (const [path, durable] of this.durableLength) {
      if (!this.inner.exists(path)) continue;
      const length = this.inner.fileSize(path);
      if (durable === NEVER_DURABLE) {
        this.inner.remove(path);
        filesRemoved++;
        bytesDropped += length;
      } else if (length > durable) {
        cutTo(this.inner, path, durable);
        filesTruncated++;
        bytesDropped += length - durable;
      }
    }
    this.durableLength.clear();
    this.shadows.clear();
    this.shadowBytes = 0;
    return { filesTruncated, filesRemoved, filesRestored, bytesDropped: Math.max(0, bytesDropped) };
  }

  // ---- Disk -----------------------------------------------------------------------------------

  mkdirp(path: string): void {
    this.inner.mkdirp(path);
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  readFile(path: string): Uint8Array {
    return this.inner.readFile(path);
  }

  createExclusive(path: string, data: Uint8Array): void {
    // An empty file (a marker) needs no data block; anything else does.
    if (data.length > 0) this.checkSpace('create', path);
    const existed = this.inner.exists(path);
    this.inner.createExclusive(path, data);
    if (!existed) this.durableLength.set(path, NEVER_DURABLE);
  }

  writeFileAtomic(path: string, data: Uint8Array): void {
    this.checkSpace('write', path);
    if (this.lyingValue) this.keepShadow(path);
    this.inner.writeFileAtomic(path, data);
    if (this.lyingValue) {
      this.durableLength.set(path, NEVER_DURABLE);
      return;
    }
    this.dropShadow(path);
    this.durableLength.set(path, data.length);
  }

  remove(path: string): void {
    this.inner.remove(path);
    this.forgetUnder(path);
  }

  list(dir: string): string[] {
    return this.inner.list(dir);
  }

  openFile(path: string): DiskFile {
    const existed = this.inner.exists(path);
    const file = this.inner.openFile(path);
    // A file that was there before this disk wrote to it is durable as it stands.
    if (!this.durableLength.has(path) && !this.shadows.has(path)) this.durableLength.set(path, existed ? file.size() : NEVER_DURABLE);
    return new FaultableFile(this, file);
  }

  rename(from: string, to: string): void {
    this.inner.rename(from, to);
    this.forgetUnder(to);
    // A renamed directory carries its files along.
    for (const map of [this.durableLength, this.shadows] as Map<string, unknown>[]) {
      for (const [path, value] of [...map]) {
        if (path !== from && !path.startsWith(`${from}/`)) continue;
        map.delete(path);
        map.set(`${to}${path.slice(from.length)}`, value);
      }
    }
  }

  fileSize(path: string): number {
    return this.inner.fileSize(path);
  }

  syncDirectory(path: string): void {
    this.inner.syncDirectory(path);
  }

  // ---- used by FaultableFile ------------------------------------------------------------------

  /** Throws ENOSPC while the disk is full. */
  checkSpace(op: string, path: string): void {
    if (this.fullValue) throw new DiskError('ENOSPC', `${op} ${path}: ENOSPC: no space left on device`);
  }

  synced(file: DiskFile): void {
    if (this.lyingValue) return;
    this.dropShadow(file.path);
    this.durableLength.set(file.path, file.size());
  }

  truncated(path: string, sizeBytes: number): void {
    const durable = this.durableLength.get(path);
    if (durable !== undefined && durable > sizeBytes) this.durableLength.set(path, sizeBytes);
  }

  // ---------------------------------------------------------------------------------------------

  /** Keeps the durable content of `path` before a lying atomic write replaces it (once per lie). */
  private keepShadow(path: string): void {
    if (this.shadows.has(path)) return;
    const durable = this.durableLength.get(path);
    const exists = this.inner.exists(path);
    const length = !exists ? 0 : durable === undefined ? this.inner.fileSize(path) : Math.max(0, durable);
    if (!exists || durable === NEVER_DURABLE || this.shadowBytes + length > diskLimits.shadowBytesMax) {
      this.shadows.set(path, null);
      return;
    }
    const content = this.inner.readFile(path).slice(0, length);
    this.shadows.set(path, content);
    this.shadowBytes += content.length;
  }

  private dropShadow(path: string): void {
    const shadow = this.shadows.get(path);
    if (shadow !== undefined && shadow !== null) this.shadowBytes -= shadow.length;
    this.shadows.delete(path);
  }

  private forgetUnder(path: string): void {
    for (const tracked of [...this.durableLength.keys()]) if (tracked === path || tracked.startsWith(`${path}/`)) this.durableLength.delete(tracked);
    for (const tracked of [...this.shadows.keys()]) if (tracked === path || tracked.startsWith(`${path}/`)) this.dropShadow(tracked);
  }

  private lengthOf(path: string): number {
    return this.inner.exists(path) ? this.inner.fileSize(path) : 0;
  }
}

class FaultableFile implements DiskFile {
  constructor(
    private readonly disk: FaultableDisk,
    private readonly file: DiskFile,
  ) {}

  get path(): string {
    return this.file.path;
  }

  size(): number {
    return this.file.size();
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    this.disk.checkSpace('append', this.file.path);
    this.file.append(data, start, end);
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    return this.file.read(target, targetOffset, length, position);
  }

  truncate(sizeBytes: number): void {
    this.file.truncate(sizeBytes);
    this.disk.truncated(this.file.path, sizeBytes);
  }

  sync(): void {
    this.file.sync();
    this.disk.synced(this.file);
  }

  close(): void {
    this.file.close();
  }
}

/** The extra latency of a broker's disk now: a FaultableDisk's, else 0 (the broker's slow-disk hook). */
export function diskLatencyMsOf(disk: Disk): number {
  return disk instanceof FaultableDisk ? disk.latencyMs : 0;
}

/** Cuts a file to `length` bytes through a handle of its own (the writer's handles are gone with its process). */
function cutTo(disk: Disk, path: string, length: number): void {
  const handle = disk.openFile(path);
  try {
    handle.truncate(length);
  } finally {
    handle.close();
  }
}
