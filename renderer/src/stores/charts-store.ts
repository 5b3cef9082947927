/**
 * The Charts view's choices (group, topic, partitions shown, lines or stacked, the time span, live
 * or paused) and the chart data derived from the metrics rings and the timeline. Raw state here;
 * the series come from pure functions (domain/chart-series.ts); the view only renders.
 *
 * Paused, the window stays where it was (the data keeps arriving underneath, and resume jumps back
 * to live). A focus request from the timeline (chart-focus-store) pauses on that moment.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { GroupDetail } from '../../../engine/api/groups-dto';
import {
  chartMarkers,
  lagSeries,
  rateSeries,
  rebalanceWindows,
  stack,
  timeLagSeries,
  windowEndingAt,
  type ChartMarker,
  type ChartSeries,
  type ShadedWindow,
  type TimeWindow,
} from '../domain/chart-series';
import { rendererLimits } from '../domain/renderer-limits';
import { useChartFocusStore } from './chart-focus-store';
import { useGroupsStore } from './groups-store';
import { useMetricsStore } from './metrics-store';
import { useTimelineStore } from './timeline-store';

/** The time spans the view offers, engine ms: a minute to the hour the rings hold. */
export const CHART_SPANS_MS = [60_000, 300_000, 900_000, 3_600_000] as const;

export const useChartsStore = defineStore('charts', () => {
  const metrics = useMetricsStore();
  const timeline = useTimelineStore();
  const groups = useGroupsStore();
  const focus = useChartFocusStore();

  const chosenGroupId = ref<string | null>(null);
  const chosenTopic = ref<string | null>(null);
  const hiddenPartitions = shallowRef<ReadonlySet<number>>(new Set());
  const stacked = ref(false);
  const spanMs = ref<number>(300_000);
  /** The window's end while paused; null: live (the window ends at the engine's latest sample). */
  const frozenEndMs = ref<number | null>(null);
  /** The timeline entry brought into view from the Timeline view, to mark. */
  const focusedEntryId = ref<number | null>(null);

  const group = computed<GroupDetail | null>(() => groups.groups.find((g) => g.groupId === chosenGroupId.value) ?? groups.groups.find((g) => !g.groupId.startsWith('console-consumer')) ?? groups.groups[0] ?? null);
  const topics = computed<string[]>(() => [...new Set((group.value?.partitions ?? []).map((p) => p.topic))].sort());
  const topic = computed<string | null>(() => (chosenTopic.value !== null && topics.value.includes(chosenTopic.value) ? chosenTopic.value : (topics.value[0] ?? null)));
  const partitions = computed<number[]>(() =>
    (group.value?.partitions ?? [])
      .filter((p) => p.topic === topic.value)
      .map((p) => p.partition)
      .sort((a, b) => a - b),
  );
  const shownPartitions = computed(() => partitions.value.filter((p) => !hiddenPartitions.value.has(p)));
  const paused = computed(() => frozenEndMs.value !== null);
  const window = computed<TimeWindow | null>(() => {
    const end = frozenEndMs.value ?? metrics.nowMs;
    return end === null ? null : windowEndingAt(end, spanMs.value);
  });

  const lookup = (key: Parameters<typeof metrics.series>[0]) => metrics.series(key);
  const pointsMax = rendererLimits.chartPointsPerSeriesMax;

  const lag = computed<ChartSeries[]>(() => {
    if (group.value === null || topic.value === null || window.value === null) return [];
    const series = lagSeries(lookup, group.value.groupId, topic.value, shownPartitions.value, window.value, pointsMax);
    return stacked.value ? stack(series) : series;
  });
  const rates = computed<ChartSeries[]>(() =>
    group.value === null || topic.value === null || window.value === null ? [] : rateSeries(lookup, group.value.groupId, topic.value, partitions.value, window.value, pointsMax),
  );
  const timeLag = computed<ChartSeries[]>(() =>
    group.value === null || topic.value === null || window.value === null ? [] : timeLagSeries(lookup, group.value.groupId, topic.value, shownPartitions.value, window.value, pointsMax),
  );
  const shaded = computed<ShadedWindow[]>(() =>
    group.value === null || window.value === null ? [] : rebalanceWindows(timeline.entries, group.value.groupId, window.value, metrics.nowMs ?? window.value.toMs),
  );
  const markers = computed<ChartMarker[]>(() => (window.value === null ? [] : chartMarkers(timeline.entries, window.value)));

  function chooseGroup(groupId: string): void {
    chosenGroupId.value = groupId;
    chosenTopic.value = null;
    hiddenPartitions.value = new Set();
  }

  function chooseTopic(name: string): void {
    chosenTopic.value = name;
    hiddenPartitions.value = new Set();
  }

  function togglePartition(partition: number): void {
    const next = new Set(hiddenPartitions.value);
    if (next.has(partition)) next.delete(partition);
    else next.add(partition);
    hiddenPartitions.value = next;
  }

  function setSpan(ms: number): void {
    spanMs.value = ms;
  }

  function pause(): void {
    frozenEndMs.value = metrics.nowMs;
  }

  function resume(): void {
    frozenEndMs.value = null;
    focusedEntryId.value = null;
  }

  /** Moves a paused window by `deltaMs` (earlier when negative), never past the latest sample. */
  function pan(deltaMs: number): void {
    const latest = metrics.nowMs;
    if (latest === null) return;
    const end = (frozenEndMs.value ?? latest) + deltaMs;
    frozenEndMs.value = Math.min(end, latest);
  }

  /** Brings a moment into view (paused), e.g. a timeline entry: centred, with room either side. */
  function focusOn(fromMs: number, toMs: number, entryId: number | null): void {
    const needed = Math.max(toMs - fromMs, 1) * 3;
    spanMs.value = CHART_SPANS_MS.find((s) => s >= needed) ?? CHART_SPANS_MS[CHART_SPANS_MS.length - 1]!;
    const latest = metrics.nowMs ?? toMs;
    frozenEndMs.value = Math.min(latest, Math.round((fromMs + toMs) / 2 + spanMs.value / 2));
    focusedEntryId.value = entryId;
  }

  watch(
    () => focus.requestSeq,
    () => {
      const wanted = focus.focus;
      if (wanted !== null) focusOn(wanted.fromMs, wanted.toMs, wanted.entryId);
    },
  );

  return {
    chosenGroupId,
    hiddenPartitions,
    stacked,
    spanMs,
    frozenEndMs,
    focusedEntryId,
    group,
    topics,
    topic,
    partitions,
    shownPartitions,
    paused,
    window,
    lag,
    rates,
    timeLag,
    shaded,
    markers,
    chooseGroup,
    chooseTopic,
    togglePartition,
    setSpan,
    pause,
    resume,
    pan,
    focusOn,
  };
});
