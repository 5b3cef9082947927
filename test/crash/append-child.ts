/**
 * Child process of the crash test: opens the log dir on the real file system, appends
 * deterministic records until it is killed, and reports every completed flush on stdout.
 *
 * argv: <dataDir> <seed> <killAtOp>   killAtOp > 0: SIGKILL itself at that mutating disk operation
 * (an append there is torn: only a seeded prefix of its bytes reaches the file); 0: append until
 * the parent kills it (or a bound is reached).
 *
 * stdout lines: "ready <logEndOffset>", "flushed <recoveryPoint>", "done".
 */
import { SeededPrng } from '../../engine/core/prng.js';
import type { Disk, DiskFile } from '../../engine/storage/disk/disk.js';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';
import { LogManager } from '../../engine/storage/log-manager.js';
import { CRASH_LOG_CONFIG, CRASH_TOPIC, batchFor } from './crash-workload.js';

const [dataDir, seedText, killAtText] = process.argv.slice(2);
const seed = Number(seedText);
const killAtOp = Number(killAtText);
const prng = new SeededPrng(seed ^ 0x51ed);
let ops = 0;

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

/** Counts mutating operations; at `killAtOp` the process dies (mid-write for an append). */
function tick(): void {
  ops++;
  if (killAtOp > 0 && ops === killAtOp) die();
}

class KillingFile implements DiskFile {
  constructor(private readonly inner: DiskFile) {}
  get path(): string {
    return this.inner.path;
  }
  size(): number {
    return this.inner.size();
  }
  append(data: Uint8Array, start = 0, end = data.length): void {
    if (killAtOp > 0 && ops + 1 === killAtOp) {
      const keep = prng.nextInt(end - start + 1);
      if (keep > 0) this.inner.append(data, start, start + keep);
      die();
    }
    tick();
    this.inner.append(data, start, end);
  }
  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    return this.inner.read(target, targetOffset, length, position);
  }
  truncate(sizeBytes: number): void {
    tick();
    this.inner.truncate(sizeBytes);
  }
  sync(): void {
    tick();
    this.inner.sync();
  }
  close(): void {
    this.inner.close();
  }
}

class KillingDisk implements Disk {
  constructor(private readonly inner: Disk) {}
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
    tick();
    this.inner.createExclusive(path, data);
  }
  writeFileAtomic(path: string, data: Uint8Array): void {
    tick();
    this.inner.writeFileAtomic(path, data);
  }
  remove(path: string): void {
    tick();
    this.inner.remove(path);
  }
  list(dir: string): string[] {
    return this.inner.list(dir);
  }
  openFile(path: string): DiskFile {
    return new KillingFile(this.inner.openFile(path));
  }
  rename(from: string, to: string): void {
    tick();
    this.inner.rename(from, to);
  }
  fileSize(path: string): number {
    return this.inner.fileSize(path);
  }
  syncDirectory(path: string): void {
    tick();
    this.inner.syncDirectory(path);
  }
}

const disk = new KillingDisk(new NodeDisk());
let nowMs = 1_700_000_000_000;
const { manager } = LogManager.open({ disk, dataDir: dataDir!, brokerId: 0, nowMs, configFor: () => CRASH_LOG_CONFIG });
const log = manager.getOrCreateLog(CRASH_TOPIC, 0, nowMs);
process.stdout.write(`ready ${log.logEndOffset}\n`);
let flushed = log.recoveryPoint;
// Bounded: a run the parent forgets to kill still ends.
for (let i = 0; i < 200_000; i++) {
  nowMs += 1;
  log.appendAsLeader(batchFor(seed, log.logEndOffset, nowMs), 0, nowMs);
  if (log.recoveryPoint > flushed) {
    manager.checkpoint();
    flushed = log.recoveryPoint;
    process.stdout.write(`flushed ${flushed}\n`);
  }
}
process.stdout.write('done\n');
