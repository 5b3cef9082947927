/**
 * The one timeline of events (faults with their start and end, elections, ISR changes, rebalances
 * with their stop-the-world windows, scaling, config changes, data loss), live: the timeline query
 * (page after page, at most rendererLimits.timelinePagesMax), then the `timeline` deltas. A delta
 * that skips ids makes the store read the missing entries with the query. At most
 * rendererLimits.timelineEntriesMax entries are kept, the newest.
 *
 * Views that show the timeline (Faults now, charts later) call start() and stop(); the
 * subscription lives while one of them is shown.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { TimelineDelta, TimelineEntry } from '../../../engine/api/metrics-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { rendererLimits } from '../domain/renderer-limits';
import { mergeTimeline, timelineHasGap } from '../domain/timeline';

/** The renderer's monotonic real time, to space out reads after a failed one. */
const realNow = (): number => performance.now();

export const useTimelineStore = defineStore('timeline', () => {
  const entries = shallowRef<readonly TimelineEntry[]>([]);
  const lastId = shallowRef(0);
  const loaded = shallowRef(false);
  const error = shallowRef<ShownError | null>(null);
  let reading = false;
  let lastFailureAtMs = -Infinity;
  let readAgain = false;
  let held: TimelineDelta[] = [];
  let users = 0;
  let unsubscribe: (() => void) | null = null;

  const newestFirst = computed(() => [...entries.value].reverse());

  function merge(incoming: readonly TimelineEntry[], upTo: number): void {
    entries.value = mergeTimeline(entries.value, incoming, rendererLimits.timelineEntriesMax);
    if (upTo > lastId.value) lastId.value = upTo;
  }

  /** Reads the entries after the last id kept, page by page; reads that overlap fold into one more. */
  async function readMissing(): Promise<void> {
    if (reading) {
      readAgain = true;
      return;
    }
    if (realNow() - lastFailureAtMs < rendererLimits.metricsRefetchMinIntervalMs) return;
    reading = true;
    try {
      do {
        readAgain = false;
        await readPages();
      } while (readAgain && unsubscribe !== null && error.value === null);
    } finally {
      reading = false;
    }
    // After a failed read the held pushes wait for the next one, which tries again.
    if (!loaded.value) return;
    const waiting = held;
    held = [];
    for (const delta of waiting) onDelta(delta);
  }

  async function readPages(): Promise<void> {
    try {
      for (let page = 0; page < rendererLimits.timelinePagesMax; page++) {
        const answer = await engineApi().query('timeline', { afterId: lastId.value, limit: rendererLimits.timelineEntriesMax });
        if (unsubscribe === null) return;
        const last = answer.entries.length < rendererLimits.timelineEntriesMax;
        // A full page continues after its own last entry; the last page also carries the timeline's last id.
        merge(answer.entries, Math.max(last ? answer.lastId : 0, ...answer.entries.map((e) => e.id)));
        if (last) break;
      }
      loaded.value = true;
      error.value = null;
    } catch (caught) {
      error.value = shownError(caught);
      lastFailureAtMs = realNow();
    }
  }

  function onDelta(delta: TimelineDelta): void {
    if (reading || !loaded.value) {
      // Held until the read lands; bounded like the deltas a metrics snapshot waits for.
      held.push(delta);
      if (held.length > rendererLimits.metricsPendingDeltasMax) held = held.slice(held.length - rendererLimits.metricsPendingDeltasMax);
      if (!reading) void readMissing();
      return;
    }
    if (timelineHasGap(lastId.value, delta)) {
      // Keep the changes to entries already here; the query brings the ones skipped.
      merge(delta.entries.filter((e) => e.id <= lastId.value), lastId.value);
      void readMissing();
      return;
    }
    merge(delta.entries, delta.lastId);
  }

  /** Starts following the timeline (counted: the last stop() ends it and forgets it). */
  function start(): void {
    users++;
    if (unsubscribe !== null) return;
    unsubscribe = engineApi().subscribe('timeline', onDelta);
    lastFailureAtMs = -Infinity;
    void readMissing();
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users > 0) return;
    unsubscribe?.();
    unsubscribe = null;
    entries.value = [];
    lastId.value = 0;
    loaded.value = false;
    held = [];
  }

  return { entries, lastId, loaded, error, newestFirst, onDelta, start, stop };
});
