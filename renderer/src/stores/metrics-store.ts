/**
 * The engine's metrics, live: the metricsSnapshot query, then the `metrics` deltas applied in seq
 * order. A delta that does not follow the last one applied (pushes missed, or an engine that
 * started over) makes the store read the snapshot again; deltas that arrive while a snapshot is on
 * its way wait (at most rendererLimits.metricsPendingDeltasMax) and those newer than it are applied
 * after it. Series keep at most the engine's ring capacity of points, and at most
 * rendererLimits.metricsSeriesMax series are kept.
 *
 * The series are mutated in place (ten deltas a second copy nothing); `version` moves with every
 * change, and the getters read it, so whatever shows a series redraws when it changes. Lag status
 * (a few groups) is replaced as a new map whenever it changes.
 *
 * Views that need metrics (the Groups view's lag status, charts) call start() and stop(); the
 * subscription lives while one of them is shown. A workspace switch (a lab's cluster shown, or
 * the learner's own again) starts over from that cluster's snapshot.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { GroupLagStatus, MetricsDelta, PartitionLagStatus, SeriesKey } from '../../../engine/api/metrics-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { applyDelta, classifyDelta, partitionKey, seriesKeyText, stateFromSnapshot, type MetricsBounds, type MetricsState, type SeriesRing } from '../domain/metrics';
import { rendererLimits } from '../domain/renderer-limits';
import { useWorkspaceStore } from './workspace-store';

const BOUNDS: MetricsBounds = { seriesMax: rendererLimits.metricsSeriesMax, pointsPerSeriesMax: rendererLimits.metricsPointsPerSeriesMax };

/** The renderer's monotonic real time, to space out snapshot reads after a failed one. */
const realNow = (): number => performance.now();

export const useMetricsStore = defineStore('metrics', () => {
  let state: MetricsState | null = null;
  const version = ref(0);
  const lagStatus = shallowRef<ReadonlyMap<string, GroupLagStatus>>(new Map());
  const error = shallowRef<ShownError | null>(null);
  /** How many snapshots were read (the first and every refetch after a gap), for the tests and diagnostics. */
  const snapshotReads = ref(0);
  let pending: MetricsDelta[] = [];
  let fetching = false;
  let lastFailureAtMs = -Infinity;
  let users = 0;
  let unsubscribe: (() => void) | null = null;

  const ready = computed(() => version.value > 0 && state !== null);
  const seq = computed(() => (version.value >= 0 && state !== null ? state.seq : null));
  const nowMs = computed(() => (version.value >= 0 && state !== null ? state.nowMs : null));
  const sampleIntervalMs = computed(() => (version.value >= 0 && state !== null ? state.sampleIntervalMs : null));
  const seriesCount = computed(() => (version.value >= 0 && state !== null ? state.series.size : 0));

  function groupStatus(groupId: string): GroupLagStatus | null {
    return lagStatus.value.get(groupId) ?? null;
  }

  function partitionStatus(groupId: string, topic: string, partition: number): PartitionLagStatus | null {
    const key = partitionKey(topic, partition);
    return groupStatus(groupId)?.partitions.find((p) => partitionKey(p.topic, p.partition) === key) ?? null;
  }

  /** A series by its key, or null; read inside a computed, it follows every change. */
  function series(key: SeriesKey): SeriesRing | null {
    void version.value;
    if (state === null) return null;
    const id = state.byKey.get(seriesKeyText(key));
    return id === undefined ? null : (state.series.get(id) ?? null);
  }

  function allSeries(): SeriesRing[] {
    void version.value;
    return state === null ? [] : [...state.series.values()];
  }

  function publishLagStatus(): void {
    if (state !== null) lagStatus.value = new Map(state.lagStatus);
  }

  function onDelta(delta: MetricsDelta): void {
    if (state === null || fetching) {
      hold(delta);
      if (!fetching) void fetchSnapshot();
      return;
    }
    const verdict = classifyDelta(state, delta, rendererLimits.metricsPendingDeltasMax);
    if (verdict === 'stale') return;
    if (verdict === 'gap') {
      hold(delta);
      void fetchSnapshot();
      return;
    }
    applyDelta(state, delta, BOUNDS);
    version.value++;
    if (delta.lagStatus.length > 0) publishLagStatus();
  }

  function hold(delta: MetricsDelta): void {
    pending.push(delta);
    if (pending.length > rendererLimits.metricsPendingDeltasMax) pending = pending.slice(pending.length - rendererLimits.metricsPendingDeltasMax);
  }

  /** Reads the snapshot, then applies the held deltas newer than it (a gap among them reads again). */
  async function fetchSnapshot(): Promise<void> {
    if (fetching || realNow() - lastFailureAtMs < rendererLimits.metricsRefetchMinIntervalMs) return;
    fetching = true;
    let fresh: MetricsState;
    try {
      const snapshot = await engineApi().query('metricsSnapshot', {});
      snapshotReads.value++;
      if (unsubscribe === null) return;
      fresh = stateFromSnapshot(snapshot, BOUNDS);
      state = fresh;
      error.value = null;
    } catch (caught) {
      error.value = shownError(caught);
      lastFailureAtMs = realNow();
      return;
    } finally {
      fetching = false;
    }
    const snapshotSeq = fresh.seq;
    // Pushes the snapshot already contains are dropped here, so a held push can never send the
    // store back for the same snapshot again.
    const held = pending.filter((d) => d.seq > snapshotSeq).sort((a, b) => a.seq - b.seq);
    pending = [];
    version.value++;
    publishLagStatus();
    for (const delta of held) onDelta(delta);
  }

  /** Starts following the metrics (counted: the last stop() ends it and forgets them). */
  function start(): void {
    users++;
    if (unsubscribe !== null) return;
    unsubscribe = engineApi().subscribe('metrics', onDelta);
    lastFailureAtMs = -Infinity;
    void fetchSnapshot();
  }

  /**
   * The views now show another cluster (a lab's, or the learner's own again): its series and seq
   * are other ones, so what is held is dropped and its snapshot read.
   */
  function restartForWorkspace(): void {
    if (unsubscribe === null) return;
    state = null;
    pending = [];
    lagStatus.value = new Map();
    lastFailureAtMs = -Infinity;
    version.value++;
    void fetchSnapshot();
  }
  watch(() => useWorkspaceStore().epoch, restartForWorkspace);

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users > 0) return;
    unsubscribe?.();
    unsubscribe = null;
    state = null;
    pending = [];
    lagStatus.value = new Map();
    version.value++;
  }

  return {
    version,
    lagStatus,
    error,
    snapshotReads,
    ready,
    seq,
    nowMs,
    sampleIntervalMs,
    seriesCount,
    groupStatus,
    partitionStatus,
    series,
    allSeries,
    onDelta,
    start,
    stop,
  };
});
