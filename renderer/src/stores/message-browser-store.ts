/**
 * The message browser of one partition: a virtual table over every offset from the log start to
 * the high watermark, whose rows are read in pages (readRecords) as they come into view.
 *
 * - Pages live in a bounded LRU cache; the pages in view are pinned.
 * - At most rendererLimits.messageBrowserRequestsInFlightMax reads are on the way, counting reads
 *   whose answer is no longer wanted; the queue holds only pages in view (and one page around),
 *   replaced on every scroll, so a fast scroll never reads what it passed.
 * - An answer is dropped when another partition was opened after it was asked, or its page was
 *   asked again since (stale answers never show).
 * - The bounds come from the cluster status stream (the view passes them in): when the high
 *   watermark advances, the last page is read again; live tail keeps the view at the bottom.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { QueryResponse } from '../../../engine/api/contract';
import type { BrowsedRecordDto, RecordBatchDto } from '../../../engine/api/records-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { endsBatch, startsBatch, type OffsetBounds } from '../domain/message-browser';
import { loadedPageOf, PageCache, pageIsFresh, pageOf, pagesFor, pageStart, type LoadedPage } from '../domain/message-pages';
import { rendererLimits } from '../domain/renderer-limits';

/** Offsets per page, and records per readRecords request. */
export const MESSAGE_PAGE_SIZE = 100;
/** Pages read ahead on each side of the view, so a slow scroll finds the next rows ready. */
const OVERSCAN_PAGES = 1;

export interface BrowseTarget {
  readonly topic: string;
  readonly partition: number;
}

export type RowState =
  | {
      readonly kind: 'record';
      readonly record: BrowsedRecordDto;
      readonly batch: RecordBatchDto | null;
      readonly startsBatch: boolean;
      readonly endsBatch: boolean;
    }
  /** Read, and the log has no record at this offset (compaction removed it, or a control record). */
  | { readonly kind: 'gap' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed' };

export type TimeJump =
  | { readonly kind: 'found'; readonly offset: number; readonly timestampMs: number; readonly askedMs: number }
  | { readonly kind: 'none'; readonly askedMs: number; readonly highWatermark: number };

const LOADING: RowState = { kind: 'loading' };
const FAILED: RowState = { kind: 'failed' };
const GAP: RowState = { kind: 'gap' };

export const useMessageBrowserStore = defineStore('messageBrowser', () => {
  const target = shallowRef<BrowseTarget | null>(null);
  const bounds = shallowRef<OffsetBounds>({ logStartOffset: 0, highWatermark: 0 });
  /** Where the window of a partition larger than the table can hold is centred (null: the newest). */
  const anchor = ref<number | null>(null);
  const selectedOffset = ref<number | null>(null);
  const detailsOpen = ref(false);
  const tailing = ref(false);
  /** The high watermark when live tail let go: the records since are "new" for the resume button. */
  const tailLeftAtHw = ref<number | null>(null);
  const error = shallowRef<ShownError | null>(null);
  /** Bumped whenever cached pages change, so rows re-render; the cache itself is not reactive. */
  const version = ref(0);
  /** Reads on the way, stale ones included (the bound counts them). */
  const requestsInFlight = ref(0);
  const cachedPages = ref(0);

  const cache = new PageCache<LoadedPage>(rendererLimits.messageBrowserPagesMax);
  /** Pages whose read failed, with the bounds it failed under: read again only once they change. */
  const failed = new Map<number, OffsetBounds>();
  /** The latest request token per page; an answer with another token is stale. */
  const inFlight = new Map<number, number>();
  let queue: number[] = [];
  let pinned = new Set<number>();
  let lastRange: { first: number; endExclusive: number } | null = null;
  let generation = 0;
  let nextToken = 0;
  let timeJumpSequence = 0;

  function changed(): void {
    version.value++;
    cachedPages.value = cache.size;
  }

  /** Shows a partition; the same one again only takes the new bounds. */
  function open(next: BrowseTarget, nextBounds: OffsetBounds): void {
    if (target.value !== null && target.value.topic === next.topic && target.value.partition === next.partition) {
      setBounds(nextBounds);
      return;
    }
    generation++;
    target.value = next;
    bounds.value = nextBounds;
    cache.clear();
    failed.clear();
    inFlight.clear();
    queue = [];
    pinned = new Set();
    lastRange = null;
    anchor.value = null;
    selectedOffset.value = null;
    detailsOpen.value = false;
    tailing.value = false;
    tailLeftAtHw.value = null;
    error.value = null;
    changed();
  }

  /** Forgets the partition (its topic was deleted, or the view closed on another cluster). */
  function close(): void {
    generation++;
    target.value = null;
    cache.clear();
    failed.clear();
    inFlight.clear();
    queue = [];
    lastRange = null;
    selectedOffset.value = null;
    detailsOpen.value = false;
    tailing.value = false;
    error.value = null;
    changed();
  }

  /** New log start offset and high watermark from the status stream. */
  function setBounds(next: OffsetBounds): void {
    const previous = bounds.value;
    if (previous.logStartOffset === next.logStartOffset && previous.highWatermark === next.highWatermark) return;
    bounds.value = next;
    // The high watermark moved back (an unclean election truncated the log): pages past it no longer hold.
    if (next.highWatermark < previous.highWatermark) {
      for (const page of cache.pages()) if (pageStart(page, MESSAGE_PAGE_SIZE) + MESSAGE_PAGE_SIZE > next.highWatermark) cache.delete(page);
    }
    failed.clear();
    if (selectedOffset.value !== null && (selectedOffset.value < next.logStartOffset || selectedOffset.value >= next.highWatermark)) {
      selectedOffset.value = null;
      detailsOpen.value = false;
    }
    changed();
    if (lastRange !== null) requestRange(lastRange.first, lastRange.endExclusive);
  }

  function needsRead(page: number): boolean {
    if (inFlight.has(page)) return false;
    const cached = cache.peek(page);
    if (cached !== undefined && pageIsFresh(cached, bounds.value.highWatermark, MESSAGE_PAGE_SIZE)) return false;
    const failedUnder = failed.get(page);
    return failedUnder === undefined || failedUnder.highWatermark !== bounds.value.highWatermark || failedUnder.logStartOffset !== bounds.value.logStartOffset;
  }

  /** The rows of offsets [first, endExclusive) are in view: read the pages they need. */
  function requestRange(first: number, endExclusive: number): void {
    if (target.value === null) return;
    lastRange = { first, endExclusive };
    pinned = new Set(pagesFor(first, endExclusive, bounds.value, MESSAGE_PAGE_SIZE, 0));
    queue = pagesFor(first, endExclusive, bounds.value, MESSAGE_PAGE_SIZE, OVERSCAN_PAGES).filter(needsRead);
    pump();
  }

  function pump(): void {
    // Bounded: each pass takes one page off the queue.
    while (requestsInFlight.value < rendererLimits.messageBrowserRequestsInFlightMax && queue.length > 0) {
      const page = queue.shift()!;
      if (needsRead(page)) void read(page);
    }
  }

  async function read(page: number): Promise<void> {
    const current = target.value;
    if (current === null) return;
    const token = ++nextToken;
    const asked = generation;
    inFlight.set(page, token);
    requestsInFlight.value++;
    const isCurrent = (): boolean => asked === generation && inFlight.get(page) === token;
    try {
      const offset = Math.max(pageStart(page, MESSAGE_PAGE_SIZE), bounds.value.logStartOffset);
      const answer = await engineApi().query('readRecords', { topic: current.topic, partition: current.partition, offset, maxRecords: MESSAGE_PAGE_SIZE });
      if (isCurrent()) accept(page, answer);
    } catch (caught) {
      if (isCurrent()) reject(page, caught);
    } finally {
      requestsInFlight.value--;
      if (inFlight.get(page) === token) inFlight.delete(page);
      pump();
    }
  }

  function accept(page: number, answer: QueryResponse<'readRecords'>): void {
    cache.set(page, loadedPageOf(page, MESSAGE_PAGE_SIZE, answer, MESSAGE_PAGE_SIZE), pinned);
    failed.delete(page);
    error.value = null;
    // A page the view scrolled away from is kept for later but re-renders nothing now; one next to
    // the view can still change a row's batch bracket.
    if (pinned.has(page) || pinned.has(page - 1) || pinned.has(page + 1)) changed();
    else cachedPages.value = cache.size;
  }

  function reject(page: number, caught: unknown): void {
    failed.set(page, bounds.value);
    error.value = shownError(caught);
    changed();
  }

  /** Reads every page in view again (after an error, or to be sure). */
  function refresh(): void {
    generation++;
    cache.clear();
    failed.clear();
    inFlight.clear();
    error.value = null;
    changed();
    if (lastRange !== null) requestRange(lastRange.first, lastRange.endExclusive);
  }

  function findRecord(page: LoadedPage, offset: number): number {
    let lo = 0;
    let hi = page.records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = page.records[mid]!.offset;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The record before the first of `page`: null at the log start, undefined when not known. */
  function recordBefore(page: LoadedPage): BrowsedRecordDto | null | undefined {
    const start = Math.max(pageStart(page.page, MESSAGE_PAGE_SIZE), bounds.value.logStartOffset);
    const first = page.records[0];
    if (first !== undefined && first.offset === bounds.value.logStartOffset) return null;
    if (start <= bounds.value.logStartOffset) return null;
    const previous = cache.peek(page.page - 1);
    if (previous === undefined || previous.coveredUntil < start) return undefined;
    return previous.records.at(-1);
  }

  /** The record after the last of `page`: null when none is below the high watermark, undefined when not known. */
  function recordAfter(page: LoadedPage): BrowsedRecordDto | null | undefined {
    const end = pageStart(page.page, MESSAGE_PAGE_SIZE) + MESSAGE_PAGE_SIZE;
    if (page.coveredUntil >= bounds.value.highWatermark) return null;
    if (page.coveredUntil < end) return undefined;
    return cache.peek(page.page + 1)?.records[0];
  }

  function batchOf(page: LoadedPage, record: BrowsedRecordDto): RecordBatchDto | null {
    return page.batches.get(record.batchBaseOffset) ?? cache.peek(pageOf(record.batchBaseOffset, MESSAGE_PAGE_SIZE))?.batches.get(record.batchBaseOffset) ?? null;
  }

  /** What the row of `offset` shows. Reads `version`, so a component re-renders when pages change. */
  function rowAt(offset: number): RowState {
    void version.value;
    const page = cache.peek(pageOf(offset, MESSAGE_PAGE_SIZE));
    if (page === undefined) return failed.has(pageOf(offset, MESSAGE_PAGE_SIZE)) ? FAILED : LOADING;
    const index = findRecord(page, offset);
    if (index < 0) return offset < page.coveredUntil ? GAP : failed.has(page.page) ? FAILED : LOADING;
    const record = page.records[index]!;
    const previous = index > 0 ? page.records[index - 1] : recordBefore(page);
    const next = index < page.records.length - 1 ? page.records[index + 1] : recordAfter(page);
    return { kind: 'record', record, batch: batchOf(page, record), startsBatch: startsBatch(record, previous), endsBatch: endsBatch(record, next) };
  }

  function select(offset: number | null): void {
    selectedOffset.value = offset;
    if (offset === null) detailsOpen.value = false;
  }

  function setDetailsOpen(open: boolean): void {
    detailsOpen.value = open && selectedOffset.value !== null;
  }

  function setTailing(on: boolean): void {
    if (tailing.value === on) return;
    tailing.value = on;
    tailLeftAtHw.value = on ? null : bounds.value.highWatermark;
    if (on) anchor.value = null;
  }

  /** Centres the window of a partition too large for the table on `offset`. */
  function anchorAt(offset: number): void {
    anchor.value = offset;
  }

  /** ListOffsets by time on the partition's leader; null when another partition was opened meanwhile. */
  async function jumpToTime(timestampMs: number): Promise<TimeJump | null> {
    const current = target.value;
    if (current === null) return null;
    const mine = ++timeJumpSequence;
    const asked = generation;
    const answer = await engineApi().query('offsetForTimestamp', { topic: current.topic, partition: current.partition, timestampMs });
    if (mine !== timeJumpSequence || asked !== generation) return null;
    if (answer.offset === null) return { kind: 'none', askedMs: timestampMs, highWatermark: answer.highWatermark };
    return { kind: 'found', offset: answer.offset, timestampMs: answer.timestampMs ?? timestampMs, askedMs: timestampMs };
  }

  return {
    target,
    bounds,
    anchor,
    selectedOffset,
    detailsOpen,
    tailing,
    tailLeftAtHw,
    error,
    version,
    requestsInFlight,
    cachedPages,
    open,
    close,
    setBounds,
    requestRange,
    refresh,
    rowAt,
    select,
    setDetailsOpen,
    setTailing,
    anchorAt,
    jumpToTime,
  };
});
