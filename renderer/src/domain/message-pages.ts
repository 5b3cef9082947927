/**
 * The message browser reads a partition in pages of offsets, so a partition of 100,000 records
 * costs only the pages in view. Pages are aligned to absolute offsets (page p holds offsets
 * p*size .. p*size+size-1), so a page stays valid when the log start moves (retention) or the
 * high watermark advances (only the last page grows).
 *
 * A page is "covered" up to the offset its read reached: below that, an offset with no record is
 * a real gap in the log (compaction, or a transaction marker), not something still to load.
 */
import type { BrowsedRecordDto, RecordBatchDto } from '../../../engine/api/records-dto';

export interface LoadedPage {
  readonly page: number;
  /** The page's records, in offset order (only offsets inside the page). */
  readonly records: readonly BrowsedRecordDto[];
  /** The batches those records are stored in, by base offset. */
  readonly batches: ReadonlyMap<number, RecordBatchDto>;
  /** Offsets below this one were read: an offset without a record below it has none in the log. */
  readonly coveredUntil: number;
}

export function pageOf(offset: number, pageSize: number): number {
  return Math.floor(offset / pageSize);
}

export function pageStart(page: number, pageSize: number): number {
  return page * pageSize;
}

/** The pages holding offsets [first, endExclusive), extended by `overscanPages` on each side within [logStart, hw). */
export function pagesFor(first: number, endExclusive: number, bounds: { logStartOffset: number; highWatermark: number }, pageSize: number, overscanPages: number): number[] {
  const lo = Math.max(first, bounds.logStartOffset);
  const hi = Math.min(endExclusive, bounds.highWatermark);
  if (hi <= lo) return [];
  const minPage = pageOf(bounds.logStartOffset, pageSize);
  const maxPage = pageOf(bounds.highWatermark - 1, pageSize);
  const firstPage = pageOf(lo, pageSize);
  const lastPage = pageOf(hi - 1, pageSize);
  // Pages in view first (nearest the top first), then the overscan ones around them.
  const pages: number[] = [];
  for (let p = firstPage; p <= lastPage; p++) pages.push(p);
  for (let d = 1; d <= overscanPages; d++) {
    if (lastPage + d <= maxPage) pages.push(lastPage + d);
    if (firstPage - d >= minPage) pages.push(firstPage - d);
  }
  return pages;
}

/**
 * Whether a cached page still answers for every offset it should: its read reached the end of
 * the page, or the high watermark as it is now.
 */
export function pageIsFresh(page: LoadedPage, highWatermark: number, pageSize: number): boolean {
  const end = Math.min(pageStart(page.page, pageSize) + pageSize, highWatermark);
  return page.coveredUntil >= end;
}

/** Folds a readRecords answer into the page it was asked for. */
export function loadedPageOf(
  page: number,
  pageSize: number,
  answer: { readonly records: readonly BrowsedRecordDto[]; readonly batches: readonly RecordBatchDto[]; readonly nextOffset: number; readonly highWatermark: number },
  maxRecords: number,
): LoadedPage {
  const start = pageStart(page, pageSize);
  const end = start + pageSize;
  const records = answer.records.filter((r) => r.offset >= start && r.offset < end);
  const used = new Set(records.map((r) => r.batchBaseOffset));
  const batches = new Map<number, RecordBatchDto>();
  for (const batch of answer.batches) if (used.has(batch.baseOffset)) batches.set(batch.baseOffset, batch);
  // A short answer read up to the high watermark; a full one up to its next offset.
  const coveredUntil = answer.records.length < maxRecords ? Math.max(answer.highWatermark, answer.nextOffset) : answer.nextOffset;
  return { page, records, batches, coveredUntil: Math.min(coveredUntil, end) };
}

/**
 * A bounded cache of pages, least recently used evicted first. Pages in view are pinned by the
 * caller so a burst of requests elsewhere never evicts what is on screen.
 */
export class PageCache<T> {
  private readonly entries = new Map<number, T>();

  constructor(private readonly maxPages: number) {
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new Error(`PageCache needs room for at least one page, not ${maxPages}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The page, now the most recently used; undefined when not cached. */
  get(page: number): T | undefined {
    const value = this.entries.get(page);
    if (value === undefined) return undefined;
    this.entries.delete(page);
    this.entries.set(page, value);
    return value;
  }

  /** The page without marking it used (for rendering checks that should not reorder). */
  peek(page: number): T | undefined {
    return this.entries.get(page);
  }

  has(page: number): boolean {
    return this.entries.has(page);
  }

  /** Stores a page and evicts the least recently used unpinned ones beyond the bound; returns the evicted pages. */
  set(page: number, value: T, pinned: ReadonlySet<number> = new Set()): number[] {
    this.entries.delete(page);
    this.entries.set(page, value);
    const evicted: number[] = [];
    // Bounded: each pass removes one entry or stops.
    for (const candidate of [...this.entries.keys()]) {
      if (this.entries.size <= this.maxPages) break;
      if (candidate === page || pinned.has(candidate)) continue;
      this.entries.delete(candidate);
      evicted.push(candidate);
    }
    return evicted;
  }

  delete(page: number): void {
    this.entries.delete(page);
  }

  clear(): void {
    this.entries.clear();
  }

  pages(): number[] {
    return [...this.entries.keys()];
  }
}
