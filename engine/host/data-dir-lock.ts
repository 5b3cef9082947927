/**
 * One engine per data directory, as Kafka's `.lock` file guarantees one broker per log dir. The
 * lock file holds the owner's pid; a lock left by a process that no longer runs (a crash) is taken
 * over, a live owner's lock is refused with an error that says who holds it.
 */
import { join } from 'node:path';
import { DiskError, type Disk } from '../storage/disk/disk.js';

export const LOCK_FILE_NAME = '.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`The data directory ${dataDir} is in use by another Kafka Lab Workbench (pid ${ownerPid}). Stop that one first, or choose another directory with --data.`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(disk: Disk, dataDir: string, ownPid: number, isProcessAlive: (pid: number) => boolean): DataDirLock {
  disk.mkdirp(dataDir);
  const path = join(dataDir, LOCK_FILE_NAME);
  const content = new TextEncoder().encode(`${ownPid}\n`);
  // Two attempts: the second follows the removal of a stale lock. Bounded so a racing peer cannot loop us.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      disk.createExclusive(path, content);
      return { release: () => disk.remove(path) };
    } catch (error) {
      if (!(error instanceof DiskError) || error.code !== 'EEXIST') throw error;
      const ownerPid = readOwnerPid(disk, path);
      if (ownerPid !== null && ownerPid !== ownPid && isProcessAlive(ownerPid)) throw new DataDirLockedError(dataDir, ownerPid);
      disk.remove(path);
    }
  }
  throw new DataDirLockedError(dataDir, readOwnerPid(disk, path) ?? -1);
}

function readOwnerPid(disk: Disk, path: string): number | null {
  try {
    const pid = Number.parseInt(new TextDecoder().decode(disk.readFile(path)).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid runs on this machine (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
