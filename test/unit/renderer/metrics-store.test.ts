/**
 * The metrics store rebuilds the engine's series from metricsSnapshot and then from the `metrics`
 * deltas in seq order: a repeated push changes nothing, a missed push makes it read the snapshot
 * again (and the pushes that arrived meanwhile are applied after it, in order), rings never hold
 * more than the engine's capacity, and the lag status of a group changes when a push says so.
 * The timeline store does the same for the timeline: entries by id, a span that ended replaces
 * its open version, skipped ids are read with the query, and at most the bound is kept.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueryResponse } from '../../../engine/api/contract';
import type { MetricsSnapshot } from '../../../engine/api/metrics-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { classifyDelta, lagTone, seriesKeyText } from '../../../renderer/src/domain/metrics';
import { rendererLimits } from '../../../renderer/src/domain/renderer-limits';
import { mergeTimeline, timelineHasGap } from '../../../renderer/src/domain/timeline';
import { useMetricsStore } from '../../../renderer/src/stores/metrics-store';
import { useTimelineStore } from '../../../renderer/src/stores/timeline-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';
import { groupStatus, metricsDelta, metricsSnapshot, partitionStatus, T0, timelineEntry } from './services-fixtures';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const LEO = { scope: 'partition', topic: 'orders', partition: 0, metric: 'logEndOffset' } as const;
const LAG = { scope: 'group', groupId: 'inventory', topic: 'orders', partition: 0, metric: 'lag' } as const;
const snapshotReads = () => engine.calls.filter((c) => c.name === 'metricsSnapshot').length;

async function started(snapshot: MetricsSnapshot = metricsSnapshot()) {
  engine.on('metricsSnapshot', () => snapshot);
  const metrics = useMetricsStore();
  metrics.start();
  await flush();
  return metrics;
}

describe('useMetricsStore', () => {
  it('starts from the snapshot and applies the next pushes, each sample to its series', async () => {
    const metrics = await started();
    expect(metrics.seq).toBe(10);
    expect(metrics.series(LEO)?.v).toEqual([5, 6]);
    engine.emit('metrics', metricsDelta(11));
    engine.emit('metrics', metricsDelta(12));
    expect(metrics.seq).toBe(12);
    expect(metrics.series(LEO)?.v).toEqual([5, 6, 11, 12]);
    expect(metrics.series(LAG)?.v).toEqual([1, null, 110, 120]);
    expect(metrics.series(LEO)?.t.at(-1)).toBe(T0 + 2000);
    expect(snapshotReads()).toBe(1);
  });

  it('ignores a push it already applied (a late listener gets the latest push again)', async () => {
    const metrics = await started();
    engine.emit('metrics', metricsDelta(11));
    engine.emit('metrics', metricsDelta(11));
    expect(metrics.series(LEO)?.v).toEqual([5, 6, 11]);
    expect(snapshotReads()).toBe(1);
  });

  it('reads the snapshot again after a missed push, then applies the pushes newer than it in order', async () => {
    const metrics = await started();
    const second = deferred<MetricsSnapshot>();
    engine.on('metricsSnapshot', () => second.promise);
    engine.emit('metrics', metricsDelta(11));
    // 12 is lost on the way: 13 shows the gap.
    engine.emit('metrics', metricsDelta(13));
    expect(snapshotReads()).toBe(2);
    engine.emit('metrics', metricsDelta(15));
    engine.emit('metrics', metricsDelta(14));
    second.resolve(metricsSnapshot({ seq: 13, series: [{ id: 1, key: LEO, t: [T0 + 3000], v: [13] }, { id: 2, key: LAG, t: [T0 + 3000], v: [130] }] }));
    await flush();
    expect(metrics.seq).toBe(15);
    expect(metrics.series(LEO)?.v).toEqual([13, 14, 15]);
    expect(snapshotReads()).toBe(2);
  });

  it('keeps at most the ring capacity of points per series, dropping the oldest', async () => {
    const metrics = await started(metricsSnapshot({ ringCapacity: 4 }));
    for (let seq = 11; seq <= 20; seq++) engine.emit('metrics', metricsDelta(seq));
    expect(metrics.series(LEO)?.v).toEqual([17, 18, 19, 20]);
    expect(metrics.series(LEO)?.t).toHaveLength(4);
  });

  it('adds and removes series as the pushes say (a new partition, a deleted topic)', async () => {
    const metrics = await started();
    const p1 = { scope: 'partition', topic: 'orders', partition: 1, metric: 'logEndOffset' } as const;
    engine.emit('metrics', metricsDelta(11, { added: [{ id: 3, key: p1 }], removed: [2], columns: [1, 3], samples: [{ tMs: T0 + 1000, values: [7, 0] }] }));
    expect(metrics.series(p1)?.v).toEqual([0]);
    expect(metrics.series(LAG)).toBeNull();
    expect(metrics.seriesCount).toBe(2);
    expect(seriesKeyText(p1)).not.toBe(seriesKeyText(LEO));
  });

  it("replaces a group's lag status when a push carries it, and keeps it otherwise", async () => {
    const metrics = await started();
    expect(metrics.groupStatus('inventory')?.status).toBe('OK');
    const stalled = groupStatus('inventory', [partitionStatus(0, { status: 'STALL', rule: 'offset-unchanged', reason: 'committed offset 40 at every one of the last 10 samples' })], {
      status: 'ERR',
    });
    engine.emit('metrics', metricsDelta(11, { lagStatus: [stalled] }));
    expect(metrics.groupStatus('inventory')?.status).toBe('ERR');
    expect(metrics.partitionStatus('inventory', 'orders', 0)?.reason).toBe('committed offset 40 at every one of the last 10 samples');
    engine.emit('metrics', metricsDelta(12));
    expect(metrics.partitionStatus('inventory', 'orders', 0)?.status).toBe('STALL');
    expect(metrics.groupStatus('payments')).toBeNull();
  });

  it('holds at most a bounded number of pushes while the snapshot is on its way', async () => {
    const first = deferred<MetricsSnapshot>();
    engine.on('metricsSnapshot', () => first.promise);
    const metrics = useMetricsStore();
    metrics.start();
    const pushes = rendererLimits.metricsPendingDeltasMax + 20;
    for (let seq = 11; seq < 11 + pushes; seq++) engine.emit('metrics', metricsDelta(seq));
    // The oldest held pushes were dropped: 11 never arrives, so the first snapshot cannot be continued and is read again.
    const refetched = deferred<MetricsSnapshot>();
    engine.on('metricsSnapshot', () => refetched.promise);
    first.resolve(metricsSnapshot({ seq: 10 }));
    await flush();
    expect(snapshotReads()).toBe(2);
    refetched.resolve(metricsSnapshot({ seq: 10 + pushes }));
    await flush();
    expect(metrics.seq).toBe(10 + pushes);
  });

  it('keeps a refused snapshot as an error, tries again with the next push, and forgets everything on stop', async () => {
    let refuse = true;
    engine.on('metricsSnapshot', () => {
      if (refuse) throw refusal('INVALID_REQUEST', "Unknown query 'metricsSnapshot'.");
      return metricsSnapshot();
    });
    const metrics = useMetricsStore();
    metrics.start();
    await flush();
    expect(metrics.error?.message).toBe("Unknown query 'metricsSnapshot'.");
    expect(metrics.ready).toBe(false);
    refuse = false;
    // Within a second of the failure nothing is asked again (no request storm).
    engine.emit('metrics', metricsDelta(11));
    await flush();
    expect(snapshotReads()).toBe(1);
    metrics.stop();
    expect(engine.subscriberCount('metrics')).toBe(0);
    metrics.start();
    await flush();
    expect(metrics.ready).toBe(true);
    expect(metrics.error).toBeNull();
    metrics.stop();
    expect(metrics.ready).toBe(false);
    expect(metrics.lagStatus.size).toBe(0);
  });

  it('classifies pushes: the next one applies, an old one is stale, a jump or an engine that started over is a gap', () => {
    const state = { seq: 100 };
    expect(classifyDelta(state, { seq: 101 }, 50)).toBe('apply');
    expect(classifyDelta(state, { seq: 100 }, 50)).toBe('stale');
    expect(classifyDelta(state, { seq: 60 }, 50)).toBe('stale');
    expect(classifyDelta(state, { seq: 102 }, 50)).toBe('gap');
    expect(classifyDelta(state, { seq: 1 }, 50)).toBe('gap');
  });

  it('colours Burrow’s codes by severity: OK green, WARN amber, ERR and what rolls up to it red', () => {
    expect(['OK', 'WARN', 'ERR', 'STOP', 'STALL', 'REWIND', 'NOTFOUND'].map((code) => lagTone(code as never))).toEqual([
      'success',
      'warning',
      'danger',
      'danger',
      'danger',
      'danger',
      'neutral',
    ]);
  });
});

describe('useTimelineStore', () => {
  const timelineReads = () => engine.calls.filter((c) => c.name === 'timeline').map((c) => (c.request as { afterId: number }).afterId);

  it('starts from the query and applies pushes; a span that ended replaces its open version', async () => {
    engine.on('timeline', () => ({ entries: [timelineEntry(1), timelineEntry(2)], lastId: 2 }) satisfies QueryResponse<'timeline'>);
    const timeline = useTimelineStore();
    timeline.start();
    await flush();
    expect(timeline.entries.map((e) => e.id)).toEqual([1, 2]);
    engine.emit('timeline', { entries: [timelineEntry(1, { endMs: T0 + 31_000 }), timelineEntry(3)], lastId: 3 });
    expect(timeline.entries.map((e) => [e.id, e.endMs])).toEqual([
      [1, T0 + 31_000],
      [2, null],
      [3, null],
    ]);
    expect(timeline.newestFirst[0]?.id).toBe(3);
    expect(timelineReads()).toEqual([0]);
  });

  it('reads the entries a push skipped', async () => {
    const answers: QueryResponse<'timeline'>[] = [
      { entries: [timelineEntry(1)], lastId: 1 },
      { entries: [timelineEntry(2), timelineEntry(3)], lastId: 4 },
    ];
    engine.on('timeline', () => answers.shift());
    const timeline = useTimelineStore();
    timeline.start();
    await flush();
    engine.emit('timeline', { entries: [timelineEntry(4)], lastId: 4 });
    await flush();
    expect(timelineReads()).toEqual([0, 1]);
    expect(timeline.entries.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(timeline.lastId).toBe(4);
  });

  it('keeps the newest entries up to the bound, and does not bring back a change to one dropped for age', () => {
    const max = 3;
    let kept = mergeTimeline([], [1, 2, 3, 4, 5].map((id) => timelineEntry(id)), max);
    expect(kept.map((e) => e.id)).toEqual([3, 4, 5]);
    kept = mergeTimeline(kept, [timelineEntry(1, { endMs: T0 })], max);
    expect(kept.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(timelineHasGap(5, { entries: [timelineEntry(6)], lastId: 6 })).toBe(false);
    expect(timelineHasGap(5, { entries: [timelineEntry(7)], lastId: 7 })).toBe(true);
    expect(timelineHasGap(5, { entries: [timelineEntry(3, { endMs: T0 })], lastId: 5 })).toBe(false);
  });

  it('reads a long timeline page by page from the start', async () => {
    const page = rendererLimits.timelineEntriesMax;
    engine.on('timeline', (request) => {
      const { afterId } = request as { afterId: number };
      const last = Math.min(afterId + page, page + 10);
      return { entries: Array.from({ length: last - afterId }, (_, i) => timelineEntry(afterId + i + 1)), lastId: page + 10 };
    });
    const timeline = useTimelineStore();
    timeline.start();
    await flush();
    await flush();
    expect(timelineReads()).toEqual([0, page]);
    expect(timeline.entries).toHaveLength(page);
    expect(timeline.entries.at(-1)?.id).toBe(page + 10);
    expect(timeline.lastId).toBe(page + 10);
  });
});
