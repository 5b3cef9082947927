/**
 * One page of records of one partition, read with the readRecords query. Answers that arrive after
 * a newer request was made are dropped, so fast clicking never shows an older page.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { QueryResponse } from '../../../engine/api/contract';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';

export const RECORDS_PAGE_SIZE = 100;

export interface RecordsRequest {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export const useRecordsStore = defineStore('records', () => {
  const request = ref<RecordsRequest | null>(null);
  const page = shallowRef<QueryResponse<'readRecords'> | null>(null);
  const loading = ref(false);
  const error = shallowRef<ShownError | null>(null);
  let sequence = 0;

  const hasMore = computed(() => page.value !== null && page.value.nextOffset < page.value.highWatermark);

  async function read(next: RecordsRequest): Promise<void> {
    const mine = ++sequence;
    request.value = next;
    loading.value = true;
    error.value = null;
    try {
      const result = await engineApi().query('readRecords', {
        topic: next.topic,
        partition: next.partition,
        offset: next.offset,
        maxRecords: RECORDS_PAGE_SIZE,
      });
      if (mine !== sequence) return;
      page.value = result;
    } catch (caught) {
      if (mine !== sequence) return;
      page.value = null;
      error.value = shownError(caught);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  async function refresh(): Promise<void> {
    if (request.value !== null) await read(request.value);
  }

  async function nextPage(): Promise<void> {
    if (request.value === null || page.value === null) return;
    await read({ ...request.value, offset: page.value.nextOffset });
  }

  /** Forgets the page, e.g. when its topic was deleted or another topic is selected. */
  function clear(): void {
    sequence++;
    request.value = null;
    page.value = null;
    loading.value = false;
    error.value = null;
  }

  return { request, page, loading, error, hasMore, read, refresh, nextPage, clear };
});
