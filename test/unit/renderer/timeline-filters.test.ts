/** The Timeline view's filters: every kind in one group, counts, search, and the window shown on the charts. */
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../engine/api/metrics-dto';
import { chartWindowOf, countByFilter, visibleEntries } from '../../../renderer/src/domain/timeline-filters';

function entry(id: number, kind: TimelineEntry['kind'], text: string, endMs: number | null = null): TimelineEntry {
  return { id, atMs: id * 1000, endMs, kind, severity: 'info', code: kind, params: {}, text };
}

const entries = [entry(1, 'fault', 'Broker 2 crashed (kill -9).', 31_000), entry(2, 'election', 'Elected broker 3 as leader of orders-0'), entry(3, 'isr', 'Shrinking ISR of orders-0 from 2,3,1 to 3,1'), entry(4, 'rebalance', 'Preparing to rebalance group inventory', 6_000), entry(5, 'lag-status', 'Consumer group inventory is WARN')];

describe('timeline filters', () => {
  it('counts each group', () => {
    expect(countByFilter(entries)).toEqual({ faults: 1, elections: 1, isr: 1, rebalances: 1, scaling: 0, config: 0, loss: 0, other: 1 });
  });

  it('shows the groups switched on, newest first, matching the search in any case', () => {
    expect(visibleEntries(entries, new Set(['faults', 'elections', 'isr', 'rebalances', 'other']), '').map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(visibleEntries(entries, new Set(['faults', 'isr']), '').map((e) => e.id)).toEqual([3, 1]);
    expect(visibleEntries(entries, new Set(['elections', 'isr', 'rebalances', 'other']), 'ORDERS-0').map((e) => e.id)).toEqual([3, 2]);
  });

  it('"Show on charts": a span as it lasted (open: until now), a moment with 30 s either side', () => {
    expect(chartWindowOf(entries[0]!, 99_000)).toEqual({ fromMs: 1000, toMs: 31_000 });
    expect(chartWindowOf(entry(9, 'rebalance', 'open'), 20_000)).toEqual({ fromMs: 9000, toMs: 20_000 });
    expect(chartWindowOf(entries[1]!, 99_000)).toEqual({ fromMs: -28_000, toMs: 32_000 });
  });
});
