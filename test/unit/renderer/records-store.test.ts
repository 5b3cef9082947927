/** Reading a partition's records page by page, and never showing an answer that came too late. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueryRequest, QueryResponse } from '../../../engine/api/contract';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { RECORDS_PAGE_SIZE, useRecordsStore } from '../../../renderer/src/stores/records-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

function page(request: QueryRequest<'readRecords'>, count: number, highWatermark: number): QueryResponse<'readRecords'> {
  const records = Array.from({ length: count }, (_, i) => ({
    offset: request.offset + i,
    timestampMs: 1_700_000_000_000 + i,
    key: `k${request.offset + i}`,
    value: 'v',
    headers: [],
  }));
  return { topic: request.topic, partition: request.partition, records, logStartOffset: 0, highWatermark, nextOffset: request.offset + count };
}

describe('useRecordsStore', () => {
  it('reads a page of 100 from an offset and then the next page', async () => {
    engine.on('readRecords', (request) => {
      const r = request as QueryRequest<'readRecords'>;
      return page(r, Math.min(RECORDS_PAGE_SIZE, 150 - r.offset), 150);
    });
    const records = useRecordsStore();
    await records.read({ topic: 'orders', partition: 1, offset: 0 });
    expect(engine.calls[0]?.request).toEqual({ topic: 'orders', partition: 1, offset: 0, maxRecords: 100 });
    expect(records.page?.records).toHaveLength(100);
    expect(records.hasMore).toBe(true);
    await records.nextPage();
    expect(engine.calls[1]?.request).toMatchObject({ offset: 100 });
    expect(records.page?.records.map((r) => r.offset).at(-1)).toBe(149);
    expect(records.hasMore).toBe(false);
  });

  it('keeps only the answer to the latest request', async () => {
    const pending: ((value: unknown) => void)[] = [];
    engine.on('readRecords', () => new Promise((resolve) => pending.push(resolve)));
    const records = useRecordsStore();
    const first = records.read({ topic: 'orders', partition: 0, offset: 0 });
    const second = records.read({ topic: 'orders', partition: 2, offset: 0 });
    pending[1]?.(page({ topic: 'orders', partition: 2, offset: 0 }, 1, 1));
    await second;
    pending[0]?.(page({ topic: 'orders', partition: 0, offset: 0 }, 5, 5));
    await first;
    expect(records.page?.partition).toBe(2);
    expect(records.loading).toBe(false);
  });

  it("shows the engine's refusal with Kafka's name and message", async () => {
    engine.on('readRecords', () => {
      throw refusal('OFFSET_OUT_OF_RANGE', 'Fetch position 9 is out of range for partition orders-0: valid offsets are 0 to 3.', 1);
    });
    const records = useRecordsStore();
    await records.read({ topic: 'orders', partition: 0, offset: 9 });
    expect(records.page).toBeNull();
    expect(records.error).toEqual({
      errorName: 'OFFSET_OUT_OF_RANGE',
      message: 'Fetch position 9 is out of range for partition orders-0: valid offsets are 0 to 3.',
    });
  });
});
