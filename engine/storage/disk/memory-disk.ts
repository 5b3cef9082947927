/**
 * The Disk port in memory, for tests and simulations: a flat map from path to file contents, with
 * directories tracked so `list` and `exists` behave as on a real file system.
 *
 * A file's contents live in a buffer that grows by doubling, so appending a segment costs amortised
 * O(bytes). Invariant: `0 <= size <= data.length` for every file; bytes past `size` are garbage.
 */
import { DiskError, type Disk, type DiskFile } from './disk.js';

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The contents of one file; shared by every handle open on it, as an inode is. */
class MemoryInode {
  data: Uint8Array;
  size: number;

  constructor(initial: Uint8Array) {
    this.data = initial.slice();
    this.size = initial.length;
  }

  contents(): Uint8Array {
    return this.data.slice(0, this.size);
  }

  append(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.size + (end - start);
    if (needed > this.data.length) {
      const grown = new Uint8Array(Math.max(needed, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(bytes.subarray(start, end), this.size);
    this.size = needed;
  }
}

class MemoryFile implements DiskFile {
  private closed = false;

  constructor(
    readonly path: string,
    private readonly inode: MemoryInode,
  ) {}

  size(): number {
    return this.inode.size;
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    this.checkOpen('append');
    this.inode.append(data, start, end);
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    this.checkOpen('read');
    const available = Math.max(0, Math.min(length, this.inode.size - position));
    target.set(this.inode.data.subarray(position, position + available), targetOffset);
    return available;
  }

  truncate(sizeBytes: number): void {
    this.checkOpen('truncate');
    if (sizeBytes < this.inode.size) this.inode.size = sizeBytes;
  }

  sync(): void {
    this.checkOpen('fsync');
  }

  close(): void {
    this.closed = true;
  }

  private checkOpen(op: string): void {
    if (this.closed) throw new DiskError('EBADF', `${op} ${this.path}: file is closed`);
  }
}

export class MemoryDisk implements Disk {
  private readonly files = new Map<string, MemoryInode>();
  private readonly dirs = new Set<string>(['/']);

  mkdirp(path: string): void {
    let current = path;
    while (current !== '/' && current !== '' && !this.dirs.has(current)) {
      this.dirs.add(current);
      current = parentOf(current);
    }
  }

  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  readFile(path: string): Uint8Array {
    const inode = this.files.get(path);
    if (inode === undefined) throw new DiskError('ENOENT', `read ${path}: no such file`);
    return inode.contents();
  }

  createExclusive(path: string, data: Uint8Array): void {
    if (this.exists(path)) throw new DiskError('EEXIST', `create ${path}: file exists`);
    this.requireParent(path);
    this.files.set(path, new MemoryInode(data));
  }

  writeFileAtomic(path: string, data: Uint8Array): void {
    this.requireParent(path);
    this.files.set(path, new MemoryInode(data));
  }

  remove(path: string): void {
    this.files.delete(path);
    for (const p of [...this.files.keys()]) if (p.startsWith(`${path}/`)) this.files.delete(p);
    for (const d of [...this.dirs]) if (d === path || d.startsWith(`${path}/`)) this.dirs.delete(d);
  }

  list(dir: string): string[] {
    if (!this.dirs.has(dir)) throw new DiskError('ENOENT', `list ${dir}: no such directory`);
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(`${dir}/`)) names.add(p.slice(dir.length + 1).split('/')[0]!);
    }
    return [...names].sort();
  }

  openFile(path: string): DiskFile {
    let inode = this.files.get(path);
    if (inode === undefined) {
      this.requireParent(path);
      if (this.dirs.has(path)) throw new DiskError('EISDIR', `open ${path}: is a directory`);
      inode = new MemoryInode(new Uint8Array(0));
      this.files.set(path, inode);
    }
    return new MemoryFile(path, inode);
  }

  rename(from: string, to: string): void {
    this.requireParent(to);
    const inode = this.files.get(from);
    if (inode !== undefined) {
      this.files.delete(from);
      this.files.set(to, inode);
      return;
    }
    if (!this.dirs.has(from)) throw new DiskError('ENOENT', `rename ${from}: no such file or directory`);
    // A directory moves with everything under it.
    for (const [path, node] of [...this.files]) {
      if (!path.startsWith(`${from}/`)) continue;
      this.files.delete(path);
      this.files.set(`${to}${path.slice(from.length)}`, node);
    }
    for (const dir of [...this.dirs]) {
      if (dir !== from && !dir.startsWith(`${from}/`)) continue;
      this.dirs.delete(dir);
      this.dirs.add(`${to}${dir.slice(from.length)}`);
    }
  }

  fileSize(path: string): number {
    const inode = this.files.get(path);
    if (inode === undefined) throw new DiskError('ENOENT', `stat ${path}: no such file`);
    return inode.size;
  }

  syncDirectory(path: string): void {
    if (!this.dirs.has(path)) throw new DiskError('ENOENT', `fsync ${path}: no such directory`);
  }

  private requireParent(path: string): void {
    const parent = parentOf(path);
    if (!this.dirs.has(parent)) throw new DiskError('ENOENT', `write ${path}: no such directory ${parent}`);
  }
}
