/**
 * The leader epoch cache of one partition (Kafka's LeaderEpochFileCache), persisted as
 * `leader-epoch-checkpoint` in the partition directory. Each entry says: leader epoch `epoch`
 * started writing at `startOffset`. Followers use it to find where their log diverges from a new
 * leader's (OffsetsForLeaderEpoch) and truncate there, which is how acks=1 writes get lost on
 * failover in a way the UI can show.
 *
 * Invariants: epochs strictly increase and start offsets strictly increase along the list; the
 * file is rewritten (temporary file + rename) after every change, as Kafka does.
 */
import { assertFailed } from '../core/assert.js';
import { formatEpochCheckpoint, parseEpochCheckpoint, type EpochEntry } from './checkpoint-file.js';
import type { Disk } from './disk/disk.js';
import { storageLimits } from './storage-limits.js';

export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export class LeaderEpochCache {
  private entries: EpochEntry[];

  private constructor(
    private readonly disk: Disk,
    readonly path: string,
    entries: EpochEntry[],
  ) {
    this.entries = entries;
  }

  /** Loads the checkpoint; a malformed file is reported through `warning` and treated as empty. */
  static load(disk: Disk, path: string): { cache: LeaderEpochCache; warning: string | null } {
    if (!disk.exists(path)) return { cache: new LeaderEpochCache(disk, path, []), warning: null };
    try {
      const entries = parseEpochCheckpoint(path, disk.readFile(path));
      const monotonic = entries.every((e, i) => i === 0 || (e.epoch > entries[i - 1]!.epoch && e.startOffset > entries[i - 1]!.startOffset));
      if (!monotonic || entries.length > storageLimits.leaderEpochEntriesMax) {
        return { cache: new LeaderEpochCache(disk, path, []), warning: `${path}: epochs are not increasing; the cache was reset` };
      }
      return { cache: new LeaderEpochCache(disk, path, entries), warning: null };
    } catch (error) {
      return { cache: new LeaderEpochCache(disk, path, []), warning: (error as Error).message };
    }
  }

  list(): readonly EpochEntry[] {
    return this.entries;
  }

  latestEpoch(): number {
    return this.entries[this.entries.length - 1]?.epoch ?? UNDEFINED_EPOCH;
  }

  /**
   * Records that `epoch` starts at `startOffset` (LeaderEpochFileCache.assign). Entries that
   * conflict (an epoch >= this one, or a start offset >= this one) are removed first.
   */
  assign(epoch: number, startOffset: number): void {
    if (!(Number.isInteger(epoch) && epoch >= 0)) assertFailed(`leader epoch ${epoch} must be >= 0`);
    if (!(Number.isSafeInteger(startOffset) && startOffset >= 0)) assertFailed(`epoch start offset ${startOffset} must be >= 0`);
    const latest = this.entries[this.entries.length - 1];
    if (latest !== undefined && latest.epoch === epoch && latest.startOffset <= startOffset) return;
    this.entries = this.entries.filter((e) => e.epoch < epoch && e.startOffset < startOffset);
    this.entries.push({ epoch, startOffset });
    if (this.entries.length > storageLimits.leaderEpochEntriesMax) this.entries.shift();
    this.flush();
  }

  /** Removes entries starting at or after `endOffset` (the log was truncated to it). */
  truncateFromEnd(endOffset: number): void {
    const kept = this.entries.filter((e) => e.startOffset < endOffset);
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.flush();
  }

  /** The log start moved to `startOffset`: older entries go, the last of them now starts there. */
  truncateFromStart(startOffset: number): void {
    const before = this.entries.filter((e) => e.startOffset <= startOffset);
    if (before.length === 0) return;
    const last = before[before.length - 1]!;
    const after = this.entries.filter((e) => e.startOffset > startOffset);
    const next = [{ epoch: last.epoch, startOffset: Math.max(last.startOffset, startOffset) }, ...after];
    if (next.length === this.entries.length && next[0]!.startOffset === this.entries[0]!.startOffset) return;
    this.entries = next;
    this.flush();
  }

  clear(): void {
    if (this.entries.length === 0) return;
    this.entries = [];
    this.flush();
  }

  /** The epoch of the entry covering `offset`, or UNDEFINED_EPOCH. */
  epochForOffset(offset: number): number {
    let epoch = UNDEFINED_EPOCH;
    for (const e of this.entries) {
      if (e.startOffset > offset) break;
      epoch = e.epoch;
    }
    return epoch;
  }

  /**
   * OffsetsForLeaderEpoch: the largest epoch <= `requestedEpoch` and the offset where the next
   * epoch starts (the log end offset for the latest epoch). (-1, -1) when unknown.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === this.latestEpoch()) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.entries.find((e) => e.epoch > requestedEpoch);
    if (higher === undefined) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    const floor = [...this.entries].reverse().find((e) => e.epoch <= requestedEpoch);
    return { epoch: floor?.epoch ?? requestedEpoch, endOffset: higher.startOffset };
  }

  flush(): void {
    this.disk.writeFileAtomic(this.path, formatEpochCheckpoint(this.entries));
  }
}
