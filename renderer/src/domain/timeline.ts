/**
 * The timeline as the renderer keeps it: entries by id, oldest first, the newest few hundred.
 * Entries arrive from the timeline query and then from the `timeline` event, which carries the
 * entries added since the previous push and the ones that changed (a fault or a rebalance window
 * that ended); an entry already kept is replaced by its newer version. Ids are given in order by
 * the engine, so a push whose new entries do not continue from the last id kept means some were
 * missed, and the query fills them in.
 */
import type { TimelineDelta, TimelineEntry } from '../../../engine/api/metrics-dto';

/** Entries merged by id, oldest first, at most `max` (the newest); the same array when nothing changed. */
export function mergeTimeline(entries: readonly TimelineEntry[], incoming: readonly TimelineEntry[], max: number): readonly TimelineEntry[] {
  if (incoming.length === 0) return entries;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const oldestKept = entries[0]?.id ?? 0;
  const full = entries.length >= max;
  for (const entry of incoming) {
    // A change to an entry already dropped for age is not brought back.
    if (full && entry.id < oldestKept && !byId.has(entry.id)) continue;
    byId.set(entry.id, entry);
  }
  const merged = [...byId.values()].sort((a, b) => a.id - b.id);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** Whether the push skips entries after `lastId`: every id up to its lastId must be in it. */
export function timelineHasGap(lastId: number, delta: TimelineDelta): boolean {
  if (delta.lastId <= lastId) return false;
  // Fewer entries than new ids cannot cover them (and the loop below stays as short as the push).
  if (delta.lastId - lastId > delta.entries.length) return true;
  const ids = new Set(delta.entries.map((e) => e.id));
  for (let id = lastId + 1; id <= delta.lastId; id++) if (!ids.has(id)) return true;
  return false;
}

/** The newest entries first, at most `count`, those `keep` accepts. */
export function newestEntries(entries: readonly TimelineEntry[], count: number, keep: (entry: TimelineEntry) => boolean = () => true): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < count; i--) {
    const entry = entries[i]!;
    if (keep(entry)) out.push(entry);
  }
  return out;
}

/**
 * An entry about an internal topic (__consumer_offsets, …): a broker's return expands the ISR of
 * all 50 offsets partitions at once, which would bury the learner's own topic; the view hides
 * them unless asked, as Kafka's tools leave internal topics out unless asked.
 */
export function isInternalTopicEntry(entry: TimelineEntry): boolean {
  const topic = entry.params.topic;
  return typeof topic === 'string' && topic.startsWith('__');
}
