/**
 * The message browser's pure rules: which pages the rows in view need, when a cached page still
 * answers, the bounded page cache, the window of a huge partition, where batches start and end,
 * when live tail lets go, and how values are previewed and pretty-printed.
 */
import { describe, expect, it } from 'vitest';
import type { BrowsedRecordDto } from '../../../engine/api/records-dto';
import {
  endsBatch,
  parseLocalDateTime,
  parseOffsetJump,
  headersPreview,
  isNearby,
  prettyValue,
  previewText,
  rowWindow,
  startsBatch,
  tailLetsGo,
  toLocalDateTimeInput,
} from '../../../renderer/src/domain/message-browser';
import { loadedPageOf, PageCache, pageIsFresh, pageOf, pagesFor } from '../../../renderer/src/domain/message-pages';

function record(offset: number, batchBaseOffset: number, batchLastOffset: number): BrowsedRecordDto {
  return { offset, timestampMs: 1_700_000_000_000 + offset, key: null, value: `v${offset}`, headers: [], batchBaseOffset, batchLastOffset };
}

describe('rows to pages', () => {
  const bounds = { logStartOffset: 0, highWatermark: 100_000 };

  it('maps offsets to pages of 100 aligned to absolute offsets', () => {
    expect(pageOf(0, 100)).toBe(0);
    expect(pageOf(99, 100)).toBe(0);
    expect(pageOf(100, 100)).toBe(1);
    expect(pageOf(99_999, 100)).toBe(999);
  });

  it('asks for the pages in view first, then one page around them, within the log', () => {
    expect(pagesFor(50_020, 50_050, bounds, 100, 1)).toEqual([500, 501, 499]);
    expect(pagesFor(50_090, 50_120, bounds, 100, 1)).toEqual([500, 501, 502, 499]);
    // At the ends of the log there is nothing beyond to read ahead.
    expect(pagesFor(0, 30, bounds, 100, 1)).toEqual([0, 1]);
    expect(pagesFor(99_980, 100_000, bounds, 100, 1)).toEqual([999, 998]);
  });

  it('asks for nothing below the log start or at and past the high watermark', () => {
    expect(pagesFor(0, 30, { logStartOffset: 250, highWatermark: 400 }, 100, 1)).toEqual([]);
    expect(pagesFor(240, 270, { logStartOffset: 250, highWatermark: 400 }, 100, 1)).toEqual([2, 3]);
    expect(pagesFor(0, 30, { logStartOffset: 0, highWatermark: 0 }, 100, 1)).toEqual([]);
  });
});

describe('loaded pages', () => {
  it('a short answer covers the page up to the high watermark, and the page is stale once the high watermark passes that', () => {
    const records = [record(100, 100, 104), record(101, 100, 104)];
    const page = loadedPageOf(1, 100, { records, batches: [], nextOffset: 102, highWatermark: 102 }, 100);
    expect(page.coveredUntil).toBe(102);
    expect(pageIsFresh(page, 102, 100)).toBe(true);
    expect(pageIsFresh(page, 150, 100)).toBe(false);
  });

  it('a full answer covers up to its next offset, and keeps only the records and batches of its page', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(150 + i, 150 + i - (i % 10), 150 + i - (i % 10) + 9));
    const batches = [140, 150, 240].map((base) => ({ baseOffset: base, lastOffset: base + 9, recordCount: 10, sizeInBytes: 300, partitionLeaderEpoch: 0, producerId: -1, producerEpoch: -1, baseSequence: -1, compression: 'none' as const, timestampType: 'CreateTime' as const, maxTimestampMs: 0, isTransactional: false }));
    const page = loadedPageOf(1, 100, { records, batches, nextOffset: 250, highWatermark: 1000 }, 100);
    expect(page.records.map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 150 + i));
    expect([...page.batches.keys()]).toEqual([150]);
    expect(page.coveredUntil).toBe(200);
  });

  it('with compacted gaps, offsets below the covered end without a record are gaps, not missing pages', () => {
    // Compaction left 0, 1, 7, 40 in the page; the read reached the high watermark 60.
    const page = loadedPageOf(0, 100, { records: [record(0, 0, 1), record(1, 0, 1), record(7, 2, 9), record(40, 40, 40)], batches: [], nextOffset: 41, highWatermark: 60 }, 100);
    expect(page.coveredUntil).toBe(60);
    expect(pageIsFresh(page, 60, 100)).toBe(true);
  });
});

describe('PageCache', () => {
  it('keeps at most its bound, evicting the least recently used first', () => {
    const cache = new PageCache<string>(3);
    cache.set(1, 'a');
    cache.set(2, 'b');
    cache.set(3, 'c');
    cache.get(1);
    expect(cache.set(4, 'd')).toEqual([2]);
    expect(cache.pages().sort()).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });

  it('never evicts pinned pages (the ones on screen)', () => {
    const cache = new PageCache<string>(2);
    cache.set(10, 'x');
    cache.set(11, 'y');
    expect(cache.set(12, 'z', new Set([10, 11]))).toEqual([]);
    expect(cache.size).toBe(3);
    // Once unpinned, the next store brings it back within the bound.
    expect(cache.set(13, 'w', new Set([12]))).toEqual([10, 11]);
    expect(cache.pages()).toEqual([12, 13]);
  });

  it('peek does not count as a use', () => {
    const cache = new PageCache<string>(2);
    cache.set(1, 'a');
    cache.set(2, 'b');
    cache.peek(1);
    expect(cache.set(3, 'c')).toEqual([1]);
  });

  it('refuses a bound below one page', () => {
    expect(() => new PageCache(0)).toThrow(/at least one page/);
  });
});

describe('the window of rows', () => {
  it('is the whole partition when it fits', () => {
    expect(rowWindow({ logStartOffset: 20, highWatermark: 100_020 }, 1_000_000, null)).toEqual({ start: 20, count: 100_000 });
  });

  it('is the newest offsets of a larger partition, or centred on where the user jumped, within the log', () => {
    const bounds = { logStartOffset: 0, highWatermark: 5_000_000 };
    expect(rowWindow(bounds, 1_000_000, null)).toEqual({ start: 4_000_000, count: 1_000_000 });
    expect(rowWindow(bounds, 1_000_000, 2_000_000)).toEqual({ start: 1_500_000, count: 1_000_000 });
    expect(rowWindow(bounds, 1_000_000, 10)).toEqual({ start: 0, count: 1_000_000 });
    expect(rowWindow(bounds, 1_000_000, 4_999_999)).toEqual({ start: 4_000_000, count: 1_000_000 });
  });
});

describe('jump to offset', () => {
  const bounds = { logStartOffset: 200, highWatermark: 100_000 };

  it('takes an offset a consumer can read, with digit separators', () => {
    expect(parseOffsetJump('50000', bounds)).toEqual({ ok: true, offset: 50_000 });
    expect(parseOffsetJump(' 50,000 ', bounds)).toEqual({ ok: true, offset: 50_000 });
    expect(parseOffsetJump('99999', bounds)).toEqual({ ok: true, offset: 99_999 });
  });

  it('says why an offset cannot be shown: not a number, deleted by retention, or not yet committed', () => {
    expect(parseOffsetJump('abc', bounds)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseOffsetJump('-1', bounds)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseOffsetJump('199', bounds)).toEqual({ ok: false, reason: 'below' });
    expect(parseOffsetJump('100000', bounds)).toEqual({ ok: false, reason: 'above' });
    expect(parseOffsetJump('0', { logStartOffset: 0, highWatermark: 0 })).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('batch boundaries', () => {
  it('a record starts a batch when the record before belongs to another batch, or there is none before it', () => {
    expect(startsBatch(record(5, 5, 7), record(4, 0, 4))).toBe(true);
    expect(startsBatch(record(6, 5, 7), record(5, 5, 7))).toBe(false);
    expect(startsBatch(record(0, 0, 4), null)).toBe(true);
  });

  it('with the record before not read, its own batch base offset decides', () => {
    expect(startsBatch(record(100, 100, 104), undefined)).toBe(true);
    expect(startsBatch(record(100, 95, 104), undefined)).toBe(false);
  });

  it('compaction can remove a batch\'s first records: the first one left starts it as the table shows it', () => {
    expect(startsBatch(record(8, 5, 9), record(3, 0, 4))).toBe(true);
  });

  it('a record ends a batch when the next one belongs to another, there is none, or it is the batch\'s last offset', () => {
    expect(endsBatch(record(4, 0, 4), record(5, 5, 7))).toBe(true);
    expect(endsBatch(record(3, 0, 4), record(4, 0, 4))).toBe(false);
    expect(endsBatch(record(9, 5, 9), null)).toBe(true);
    expect(endsBatch(record(99, 95, 104), undefined)).toBe(false);
    expect(endsBatch(record(104, 95, 104), undefined)).toBe(true);
  });
});

describe('live tail', () => {
  it('lets go when the user scrolls more than a row up from the bottom, and only while tailing', () => {
    expect(tailLetsGo(true, 0, 28)).toBe(false);
    expect(tailLetsGo(true, 20, 28)).toBe(false);
    expect(tailLetsGo(true, 200, 28)).toBe(true);
    expect(tailLetsGo(false, 200, 28)).toBe(false);
  });
});

describe('showing keys and values', () => {
  it('previews on one line and cuts long text', () => {
    expect(previewText('a\nb\r\nc', 100)).toBe('a↵b↵c');
    expect(previewText('x'.repeat(10), 4)).toBe('xxxx…');
    expect(headersPreview([{ key: 'trace', value: 'abc' }, { key: 'empty', value: null }], 100)).toBe('trace=abc, empty=null');
  });

  it('pretty-prints JSON objects and arrays, and leaves anything else as it is', () => {
    expect(prettyValue('{"id":1,"items":["book"]}')).toEqual({ text: '{\n  "id": 1,\n  "items": [\n    "book"\n  ]\n}', json: true });
    expect(prettyValue('[1,2]').json).toBe(true);
    expect(prettyValue('{not json}')).toEqual({ text: '{not json}', json: false });
    expect(prettyValue('42')).toEqual({ text: '42', json: false });
    expect(prettyValue('hello')).toEqual({ text: 'hello', json: false });
  });

  it('reads a local date-time as the datetime field gives it, and writes one back', () => {
    const ms = new Date(2026, 0, 15, 9, 30, 5, 120).getTime();
    expect(parseLocalDateTime('2026-01-15T09:30:05.120')).toBe(ms);
    expect(parseLocalDateTime('2026-01-15T09:30:05.12')).toBe(ms);
    expect(parseLocalDateTime('2026-01-15T09:30')).toBe(new Date(2026, 0, 15, 9, 30).getTime());
    expect(parseLocalDateTime(toLocalDateTimeInput(ms))).toBe(ms);
    expect(parseLocalDateTime('2026-02-30T10:00')).toBeNull();
    expect(parseLocalDateTime('yesterday')).toBeNull();
  });
});

describe('isNearby (when the message table reads at once)', () => {
  it('reads at once for the first view and for a move of less than a screen', () => {
    expect(isNearby(null, 500, 540)).toBe(true);
    expect(isNearby({ first: 500, endExclusive: 540 }, 520, 560)).toBe(true);
    expect(isNearby({ first: 500, endExclusive: 540 }, 540, 580)).toBe(true);
    expect(isNearby({ first: 500, endExclusive: 540 }, 460, 500)).toBe(true);
  });

  it('waits for a jump of more than a screen (a scrollbar drag) to rest', () => {
    expect(isNearby({ first: 500, endExclusive: 540 }, 917, 957)).toBe(false);
    expect(isNearby({ first: 500, endExclusive: 540 }, 0, 40)).toBe(false);
  });
});
