/**
 * The Charts view's store: it follows the first real consumer group (or the one chosen), derives
 * its lag lines from the metrics rings, shades the group's rebalances from the timeline, pauses on
 * an instant and comes back to live, moves a paused window without passing the latest sample, and
 * brings a moment asked for by the Timeline view into view, paused.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { useChartFocusStore } from '../../../renderer/src/stores/chart-focus-store';
import { useChartsStore } from '../../../renderer/src/stores/charts-store';
import { useGroupsStore } from '../../../renderer/src/stores/groups-store';
import { useMetricsStore } from '../../../renderer/src/stores/metrics-store';
import { useTimelineStore } from '../../../renderer/src/stores/timeline-store';
import { fakeEngine, type FakeEngine } from './fake-engine-api';
import { emptyGroup, inventoryGroup, snapshot } from './groups-fixtures';
import { metricsSnapshot, T0, timelineEntry } from './services-fixtures';

let engine: FakeEngine;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  engine.on('metricsSnapshot', () => metricsSnapshot());
  engine.on('listConsumers', () => ({ consumers: [] }));
  engine.on('timeline', () => ({
    entries: [
      timelineEntry(1, { kind: 'rebalance', code: 'rebalance', severity: 'info', atMs: T0 - 900, endMs: T0 - 400, params: { groupId: 'inventory' } }),
      timelineEntry(2, { kind: 'rebalance', code: 'rebalance', severity: 'info', atMs: T0 - 800, endMs: T0 - 700, params: { groupId: 'audit' } }),
      timelineEntry(3, { kind: 'election', code: 'election.clean', severity: 'info', atMs: T0 - 500 }),
    ],
    lastId: 3,
  }));
  useGroupsStore().start();
  useMetricsStore().start();
  useTimelineStore().start();
  engine.emit('groups', snapshot([emptyGroup('console-consumer-1234'), inventoryGroup()]));
  await flush();
});

describe('useChartsStore', () => {
  it('follows the first real group: its partitions, its lag lines, its rebalances shaded, the election marked', () => {
    const charts = useChartsStore();
    expect(charts.group?.groupId).toBe('inventory');
    expect(charts.topic).toBe('orders');
    expect(charts.lag.map((s) => s.id)).toEqual(charts.partitions.map((p) => `p${p}`));
    expect(charts.lag[0]!.points).toEqual([
      { x: T0 - 1000, y: 1 },
      { x: T0, y: null },
    ]);
    expect(charts.shaded.map((w) => w.entryId)).toEqual([1]);
    expect(charts.markers.map((m) => [m.entryId, m.kind])).toEqual([[3, 'election']]);
  });

  it('hides a partition when unticked', () => {
    const charts = useChartsStore();
    const first = charts.partitions[0]!;
    charts.togglePartition(first);
    expect(charts.lag.map((s) => s.partition)).not.toContain(first);
    charts.togglePartition(first);
    expect(charts.lag.map((s) => s.partition)).toContain(first);
  });

  it('pauses on an instant, moves earlier but never past the latest sample, and comes back to live', () => {
    const charts = useChartsStore();
    expect(charts.paused).toBe(false);
    expect(charts.window).toEqual({ fromMs: T0 - 300_000, toMs: T0 });
    charts.pause();
    charts.pan(-60_000);
    expect(charts.window).toEqual({ fromMs: T0 - 360_000, toMs: T0 - 60_000 });
    charts.pan(600_000);
    expect(charts.window?.toMs).toBe(T0);
    charts.resume();
    expect(charts.paused).toBe(false);
  });

  it('brings a moment the Timeline view asks for into view, paused, with the entry marked', async () => {
    const charts = useChartsStore();
    useChartFocusStore().focusOn({ entryId: 1, fromMs: T0 - 900, toMs: T0 - 400 });
    await flush();
    expect(charts.paused).toBe(true);
    expect(charts.focusedEntryId).toBe(1);
    expect(charts.spanMs).toBe(60_000);
    expect(charts.window!.fromMs).toBeLessThanOrEqual(T0 - 900);
    expect(charts.window!.toMs).toBeGreaterThanOrEqual(T0 - 400);
  });
});
