/**
 * The link between the timeline and the charts: a moment (an event, or a span such as a
 * rebalance's stop-the-world window) someone asked to look at. The Timeline view sets it when an
 * entry is chosen ("show on charts"); the Charts view reads it, brings that window into view and
 * marks the entry. The charts set it too when a marker on their time axis is chosen, so the
 * Timeline view can scroll to the entry. Raw state only; each view decides how to show it.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface ChartFocus {
  /** The timeline entry in focus, or null for a plain time window. */
  readonly entryId: number | null;
  /** Engine time the window starts at (ms). */
  readonly fromMs: number;
  /** Engine time the window ends at (ms); at least fromMs. */
  readonly toMs: number;
}

export const useChartFocusStore = defineStore('chartFocus', () => {
  const focus = ref<ChartFocus | null>(null);
  /** Moves with every request, so asking twice for the same window still brings it back into view. */
  const requestSeq = ref(0);

  function focusOn(next: ChartFocus): void {
    if (!(Number.isFinite(next.fromMs) && Number.isFinite(next.toMs) && next.toMs >= next.fromMs)) {
      throw new RangeError(`chart focus window must have fromMs <= toMs, got ${next.fromMs}..${next.toMs}`);
    }
    focus.value = next;
    requestSeq.value++;
  }

  function clear(): void {
    focus.value = null;
  }

  return { focus, requestSeq, focusOn, clear };
});
