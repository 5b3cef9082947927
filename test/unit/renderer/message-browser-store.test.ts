/**
 * The message browser store against a scripted engine: rows in view are read in pages, never more
 * than the in-flight bound at once; pages scrolled past before their turn are never read; the page
 * cache stays bounded; answers that come too late (another partition, a refreshed page) are
 * dropped; batch boundaries show across pages; a rising high watermark re-reads the last page;
 * live tail and the jump to a time.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueryRequest, QueryResponse } from '../../../engine/api/contract';
import type { RecordBatchDto } from '../../../engine/api/records-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { rendererLimits } from '../../../renderer/src/domain/renderer-limits';
import { MESSAGE_PAGE_SIZE, useMessageBrowserStore } from '../../../renderer/src/stores/message-browser-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';

const T0 = 1_700_000_000_000;

/**
 * A partition as the engine stores it: `highWatermark` records from offset 0 in batches of
 * `batchSize`, answering readRecords as the engine does (up to maxRecords, below the high watermark).
 */
function partitionLog(options: { batchSize: number; highWatermark: number; missing?: ReadonlySet<number> }) {
  const log = { ...options, missing: options.missing ?? new Set<number>() };
  const batchOf = (offset: number): RecordBatchDto => {
    const baseOffset = Math.floor(offset / log.batchSize) * log.batchSize;
    const lastOffset = baseOffset + log.batchSize - 1;
    return { baseOffset, lastOffset, recordCount: log.batchSize, sizeInBytes: 70 + 20 * log.batchSize, partitionLeaderEpoch: 0, producerId: -1, producerEpoch: -1, baseSequence: -1, compression: 'none', timestampType: 'CreateTime', maxTimestampMs: T0 + lastOffset, isTransactional: false };
  };
  const answer = (request: QueryRequest<'readRecords'>): QueryResponse<'readRecords'> => {
    const records = [];
    for (let offset = request.offset; offset < log.highWatermark && records.length < (request.maxRecords ?? 100); offset++) {
      if (log.missing.has(offset)) continue;
      const batch = batchOf(offset);
      records.push({ offset, timestampMs: T0 + offset, key: `k${offset}`, value: `v${offset}`, headers: [], batchBaseOffset: batch.baseOffset, batchLastOffset: batch.lastOffset });
    }
    const batches = [...new Map(records.map((r) => [r.batchBaseOffset, batchOf(r.offset)])).values()];
    const last = records.at(-1);
    return { topic: request.topic, partition: request.partition, records, batches, logStartOffset: 0, highWatermark: log.highWatermark, nextOffset: last === undefined ? request.offset : last.offset + 1 };
  };
  return { log, answer };
}

let engine: FakeEngine;
/** Reads waiting for the test to answer them, in the order they were asked. */
let pending: { request: QueryRequest<'readRecords'>; resolve: (value: unknown) => void; reject: (error: unknown) => void }[];

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  pending = [];
});

function holdReads(): void {
  engine.on('readRecords', (request) => new Promise((resolve, reject) => pending.push({ request: request as QueryRequest<'readRecords'>, resolve, reject })));
}

function answerReads(answer: (request: QueryRequest<'readRecords'>) => unknown): void {
  engine.on('readRecords', (request) => answer(request as QueryRequest<'readRecords'>));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function readOffsets(): number[] {
  return engine.calls.filter((c) => c.name === 'readRecords').map((c) => (c.request as QueryRequest<'readRecords'>).offset);
}

describe('reading the rows in view', () => {
  it('reads the pages of the rows in view and one page around them, 100 offsets a page', async () => {
    const { answer } = partitionLog({ batchSize: 10, highWatermark: 100_000 });
    answerReads(answer);
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'big', partition: 0 }, { logStartOffset: 0, highWatermark: 100_000 });
    browser.requestRange(50_020, 50_045);
    await settle();
    expect(readOffsets()).toEqual([50_000, 50_100, 49_900]);
    expect(engine.calls[0]?.request).toEqual({ topic: 'big', partition: 0, offset: 50_000, maxRecords: MESSAGE_PAGE_SIZE });
    expect(browser.rowAt(50_020)).toMatchObject({ kind: 'record', record: { offset: 50_020, key: 'k50020' } });
    // Rows already read are not read again when the view moves a little.
    browser.requestRange(50_030, 50_055);
    await settle();
    expect(readOffsets()).toHaveLength(3);
  });

  it(`keeps at most ${rendererLimits.messageBrowserRequestsInFlightMax} reads on the way, and sends the next as one comes back`, async () => {
    holdReads();
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'big', partition: 0 }, { logStartOffset: 0, highWatermark: 100_000 });
    browser.requestRange(0, 1000);
    await settle();
    expect(pending).toHaveLength(rendererLimits.messageBrowserRequestsInFlightMax);
    expect(browser.requestsInFlight).toBe(rendererLimits.messageBrowserRequestsInFlightMax);
    const { answer } = partitionLog({ batchSize: 10, highWatermark: 100_000 });
    pending[0]!.resolve(answer(pending[0]!.request));
    await settle();
    expect(pending).toHaveLength(rendererLimits.messageBrowserRequestsInFlightMax + 1);
    expect(browser.requestsInFlight).toBe(rendererLimits.messageBrowserRequestsInFlightMax);
  });

  it('never reads pages that scrolled out of view before their turn', async () => {
    holdReads();
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'big', partition: 0 }, { logStartOffset: 0, highWatermark: 100_000 });
    browser.requestRange(0, 1000);
    await settle();
    // A fast scroll to the end: the pages between are no longer wanted.
    browser.requestRange(99_980, 100_000);
    const { answer } = partitionLog({ batchSize: 10, highWatermark: 100_000 });
    for (let i = 0; i < 10 && pending.some((p) => p.resolve !== undefined); i++) {
      for (const p of pending.splice(0)) p.resolve(answer(p.request));
      await settle();
    }
    expect(readOffsets()).toEqual([0, 100, 200, 300, 99_900, 99_800]);
  });

  it('keeps a bounded number of pages while scrolling end to end, and never evicts the page in view', async () => {
    const { answer } = partitionLog({ batchSize: 50, highWatermark: 100_000 });
    answerReads(answer);
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'big', partition: 0 }, { logStartOffset: 0, highWatermark: 100_000 });
    for (let first = 0; first < 100_000; first += 970) {
      browser.requestRange(first, Math.min(first + 25, 100_000));
      await settle();
      expect(browser.cachedPages).toBeLessThanOrEqual(rendererLimits.messageBrowserPagesMax);
      expect(browser.rowAt(first).kind).toBe('record');
    }
    browser.requestRange(99_975, 100_000);
    await settle();
    expect(browser.rowAt(99_999)).toMatchObject({ kind: 'record', record: { offset: 99_999 } });
    // Scrolling back to the start reads it again: it was evicted long ago.
    const before = readOffsets().length;
    browser.requestRange(0, 25);
    await settle();
    expect(readOffsets().slice(before)).toContain(0);
  });
});

describe('answers that come too late', () => {
  it('drops an answer for a partition that is no longer open', async () => {
    holdReads();
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 50 });
    browser.requestRange(0, 30);
    await settle();
    browser.open({ topic: 'orders', partition: 1 }, { logStartOffset: 0, highWatermark: 50 });
    browser.requestRange(0, 30);
    await settle();
    const [old, current] = pending;
    const { answer } = partitionLog({ batchSize: 5, highWatermark: 50 });
    current!.resolve({ ...answer(current!.request), records: answer(current!.request).records.map((r) => ({ ...r, value: 'from partition 1' })) });
    await settle();
    old!.resolve({ ...answer(old!.request), records: answer(old!.request).records.map((r) => ({ ...r, value: 'from partition 0' })) });
    await settle();
    expect(browser.rowAt(3)).toMatchObject({ kind: 'record', record: { value: 'from partition 1' } });
    expect(browser.requestsInFlight).toBe(0);
  });

  it('drops the answer to a page asked again since (a refresh)', async () => {
    holdReads();
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 50 });
    browser.requestRange(0, 30);
    await settle();
    browser.refresh();
    await settle();
    expect(pending).toHaveLength(2);
    const { answer } = partitionLog({ batchSize: 5, highWatermark: 50 });
    pending[1]!.resolve(answer(pending[1]!.request));
    await settle();
    pending[0]!.resolve({ ...answer(pending[0]!.request), records: [] });
    await settle();
    expect(browser.rowAt(10).kind).toBe('record');
  });

  it('drops an error for a partition that is no longer open', async () => {
    holdReads();
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 50 });
    browser.requestRange(0, 30);
    await settle();
    browser.open({ topic: 'orders', partition: 2 }, { logStartOffset: 0, highWatermark: 0 });
    pending[0]!.reject(refusal('NOT_LEADER_OR_FOLLOWER', 'The leader of orders-0, broker 1, is not running.', 6));
    await settle();
    expect(browser.error).toBeNull();
  });
});

describe('what the rows show', () => {
  it('marks where each batch starts and ends, across a page boundary too', async () => {
    // Batches of 30: 90..119 spans pages 0 and 1.
    const { answer } = partitionLog({ batchSize: 30, highWatermark: 200 });
    answerReads(answer);
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 200 });
    browser.requestRange(80, 130);
    await settle();
    const row = (offset: number) => browser.rowAt(offset);
    expect(row(0)).toMatchObject({ startsBatch: true, endsBatch: false });
    expect(row(89)).toMatchObject({ startsBatch: false, endsBatch: true });
    expect(row(90)).toMatchObject({ startsBatch: true, endsBatch: false, batch: { baseOffset: 90, lastOffset: 119, recordCount: 30 } });
    expect(row(99)).toMatchObject({ startsBatch: false, endsBatch: false });
    expect(row(100)).toMatchObject({ startsBatch: false, endsBatch: false, batch: { baseOffset: 90 } });
    expect(row(119)).toMatchObject({ startsBatch: false, endsBatch: true });
    expect(row(199)).toMatchObject({ startsBatch: false, endsBatch: true });
  });

  it('shows an offset compaction removed as a gap, not as a row still loading', async () => {
    const { answer } = partitionLog({ batchSize: 1, highWatermark: 20, missing: new Set([3, 4, 5]) });
    answerReads(answer);
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'compacted', partition: 0 }, { logStartOffset: 0, highWatermark: 20 });
    browser.requestRange(0, 20);
    await settle();
    expect(browser.rowAt(2).kind).toBe('record');
    expect(browser.rowAt(4).kind).toBe('gap');
    expect(browser.rowAt(6)).toMatchObject({ kind: 'record', startsBatch: true });
  });

  it("shows Kafka's refusal, marks the rows as not read, and does not read again until the bounds change", async () => {
    engine.on('readRecords', () => {
      throw refusal('NOT_LEADER_OR_FOLLOWER', 'The leader of orders-0, broker 1, is not running; a new leader is elected once the controller fences it.', 6);
    });
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 30 });
    browser.requestRange(0, 30);
    await settle();
    expect(browser.error?.errorName).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(browser.rowAt(5).kind).toBe('failed');
    browser.requestRange(0, 30);
    await settle();
    expect(readOffsets()).toEqual([0]);
    const { answer } = partitionLog({ batchSize: 1, highWatermark: 31 });
    answerReads(answer);
    browser.setBounds({ logStartOffset: 0, highWatermark: 31 });
    await settle();
    expect(readOffsets()).toEqual([0, 0]);
    expect(browser.error).toBeNull();
    expect(browser.rowAt(30).kind).toBe('record');
  });
});

describe('following the high watermark', () => {
  it('reads the last page again when the high watermark moves past what it covered', async () => {
    const partition = partitionLog({ batchSize: 1, highWatermark: 150 });
    answerReads(partition.answer);
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 150 });
    browser.requestRange(120, 150);
    await settle();
    expect(readOffsets()).toEqual([100, 0]);
    partition.log.highWatermark = 180;
    browser.setBounds({ logStartOffset: 0, highWatermark: 180 });
    expect(browser.rowAt(170).kind).toBe('loading');
    await settle();
    expect(readOffsets()).toEqual([100, 0, 100]);
    expect(browser.rowAt(179)).toMatchObject({ kind: 'record', record: { offset: 179 } });
  });

  it('live tail remembers where it let go, so the view can say how many records came since', () => {
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 10 });
    browser.anchorAt(5);
    browser.setTailing(true);
    expect(browser.anchor).toBeNull();
    expect(browser.tailLeftAtHw).toBeNull();
    browser.setTailing(false);
    expect(browser.tailLeftAtHw).toBe(10);
    browser.setBounds({ logStartOffset: 0, highWatermark: 14 });
    expect(browser.bounds.highWatermark - browser.tailLeftAtHw!).toBe(4);
  });

  it('forgets a selection that retention or truncation took away', () => {
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 100 });
    browser.select(5);
    browser.setDetailsOpen(true);
    browser.setBounds({ logStartOffset: 50, highWatermark: 100 });
    expect(browser.selectedOffset).toBeNull();
    expect(browser.detailsOpen).toBe(false);
  });
});

describe('jump to a time', () => {
  it('asks the leader for the offset by time (ListOffsets) and says when there is none yet', async () => {
    engine.on('offsetForTimestamp', (request) => {
      const { timestampMs } = request as QueryRequest<'offsetForTimestamp'>;
      return timestampMs <= T0 + 99
        ? { topic: 'orders', partition: 0, offset: timestampMs - T0, timestampMs, logStartOffset: 0, highWatermark: 100 }
        : { topic: 'orders', partition: 0, offset: null, timestampMs: null, logStartOffset: 0, highWatermark: 100 };
    });
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 100 });
    expect(await browser.jumpToTime(T0 + 42)).toEqual({ kind: 'found', offset: 42, timestampMs: T0 + 42, askedMs: T0 + 42 });
    expect(engine.calls.at(-1)?.request).toEqual({ topic: 'orders', partition: 0, timestampMs: T0 + 42 });
    expect(await browser.jumpToTime(T0 + 500)).toEqual({ kind: 'none', askedMs: T0 + 500, highWatermark: 100 });
  });

  it('drops the answer when another partition was opened meanwhile', async () => {
    let release: (value: unknown) => void = () => {};
    engine.on('offsetForTimestamp', () => new Promise((resolve) => (release = resolve)));
    const browser = useMessageBrowserStore();
    browser.open({ topic: 'orders', partition: 0 }, { logStartOffset: 0, highWatermark: 100 });
    const jump = browser.jumpToTime(T0);
    browser.open({ topic: 'orders', partition: 1 }, { logStartOffset: 0, highWatermark: 100 });
    release({ topic: 'orders', partition: 0, offset: 0, timestampMs: T0, logStartOffset: 0, highWatermark: 100 });
    expect(await jump).toBeNull();
  });
});
