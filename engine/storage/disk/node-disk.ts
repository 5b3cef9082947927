/**
 * The Disk port on Node's fs. Errors keep their errno code in a DiskError so callers can tell a
 * missing file from a full disk.
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import { DiskError, type Disk, type DiskFile } from './disk.js';

function wrap<T>(op: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new DiskError(code, `${op} ${path}: ${(error as Error).message}`);
  }
}

/**
 * A file descriptor opened read-write (not O_APPEND, so positional writes at the tracked size are
 * plain pwrite calls). The size is tracked in memory so an append costs one syscall.
 */
class NodeFile implements DiskFile {
  private fd: number;
  private sizeBytes: number;

  constructor(readonly path: string) {
    this.fd = wrap('open', path, () => fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644));
    this.sizeBytes = wrap('stat', path, () => fs.fstatSync(this.fd).size);
  }

  size(): number {
    return this.sizeBytes;
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    const length = end - start;
    let written = 0;
    try {
      // Each writeSync writes at least one byte or throws, so the loop runs at most `length` times.
      while (written < length) {
        written += fs.writeSync(this.fd, data, start + written, length - written, this.sizeBytes + written);
      }
      this.sizeBytes += length;
    } catch (error) {
      this.sizeBytes = this.refreshSize();
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      throw new DiskError(code, `append ${this.path}: ${(error as Error).message}`);
    }
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    return wrap('read', this.path, () => {
      let total = 0;
      while (total < length) {
        const n = fs.readSync(this.fd, target, targetOffset + total, length - total, position + total);
        if (n === 0) break;
        total += n;
      }
      return total;
    });
  }

  truncate(sizeBytes: number): void {
    if (sizeBytes >= this.sizeBytes) return;
    wrap('truncate', this.path, () => fs.ftruncateSync(this.fd, sizeBytes));
    this.sizeBytes = sizeBytes;
  }

  sync(): void {
    wrap('fsync', this.path, () => fs.fsyncSync(this.fd));
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    wrap('close', this.path, () => fs.closeSync(fd));
  }

  private refreshSize(): number {
    try {
      return fs.fstatSync(this.fd).size;
    } catch {
      return this.sizeBytes;
    }
  }
}

export class NodeDisk implements Disk {
  mkdirp(path: string): void {
    wrap('mkdir', path, () => fs.mkdirSync(path, { recursive: true }));
  }

  exists(path: string): boolean {
    return fs.existsSync(path);
  }

  readFile(path: string): Uint8Array {
    return wrap('read', path, () => fs.readFileSync(path));
  }

  createExclusive(path: string, data: Uint8Array): void {
    wrap('create', path, () => fs.writeFileSync(path, data, { flag: 'wx' }));
  }

  writeFileAtomic(path: string, data: Uint8Array): void {
    const tmp = `${path}.tmp`;
    wrap('write', tmp, () => {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, data);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
    wrap('rename', path, () => fs.renameSync(tmp, path));
    this.syncDir(dirname(path));
  }

  remove(path: string): void {
    wrap('remove', path, () => fs.rmSync(path, { recursive: true, force: true }));
  }

  list(dir: string): string[] {
    return wrap('list', dir, () => fs.readdirSync(dir)).sort();
  }

  openFile(path: string): DiskFile {
    return new NodeFile(path);
  }

  rename(from: string, to: string): void {
    wrap('rename', from, () => fs.renameSync(from, to));
  }

  fileSize(path: string): number {
    return wrap('stat', path, () => fs.statSync(path).size);
  }

  syncDirectory(path: string): void {
    this.syncDir(path);
  }

  /** Makes a rename durable: on Linux the directory entry is only on disk once the directory is synced. */
  private syncDir(dir: string): void {
    try {
      const fd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // Some platforms (Windows) cannot open a directory for syncing; the rename is still atomic there.
    }
  }
}
