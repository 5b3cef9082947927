/**
 * The Timeline view's filters: every timeline kind belongs to one group the learner can show or
 * hide (faults, elections, ISR changes, rebalances, scaling, config changes, data loss, and the
 * rest), plus a text search over the entry's English text. Pure, tested alone.
 */
import type { TimelineEntry } from '../../../engine/api/metrics-dto';

export const TIMELINE_FILTERS = ['faults', 'elections', 'isr', 'rebalances', 'scaling', 'config', 'loss', 'other'] as const;
export type TimelineFilter = (typeof TIMELINE_FILTERS)[number];

const GROUP_OF_KIND: Readonly<Record<TimelineEntry['kind'], TimelineFilter>> = {
  fault: 'faults',
  preset: 'faults',
  election: 'elections',
  controller: 'elections',
  isr: 'isr',
  rebalance: 'rebalances',
  scaling: 'scaling',
  config: 'config',
  'data-loss': 'loss',
  broker: 'other',
  'lag-status': 'other',
};

export function filterOf(entry: TimelineEntry): TimelineFilter {
  return GROUP_OF_KIND[entry.kind];
}

export function countByFilter(entries: readonly TimelineEntry[]): Record<TimelineFilter, number> {
  const counts = Object.fromEntries(TIMELINE_FILTERS.map((f) => [f, 0])) as Record<TimelineFilter, number>;
  for (const entry of entries) counts[filterOf(entry)]++;
  return counts;
}

/** Entries of the shown groups whose text contains the search (any case), newest first. */
export function visibleEntries(entries: readonly TimelineEntry[], shown: ReadonlySet<TimelineFilter>, search: string): TimelineEntry[] {
  const needle = search.trim().toLowerCase();
  const out: TimelineEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (!shown.has(filterOf(entry))) continue;
    if (needle !== '' && !entry.text.toLowerCase().includes(needle) && !entry.code.toLowerCase().includes(needle)) continue;
    out.push(entry);
  }
  return out;
}

/** The window "Show on charts" brings into view: a span as it lasted, a moment with 30 s either side. */
export function chartWindowOf(entry: TimelineEntry, nowMs: number): { fromMs: number; toMs: number } {
  if (entry.endMs !== null || entry.kind === 'rebalance') return { fromMs: entry.atMs, toMs: entry.endMs ?? nowMs };
  return { fromMs: entry.atMs - 30_000, toMs: entry.atMs + 30_000 };
}
