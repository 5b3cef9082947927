/**
 * The one timeline of events: faults, elections, ISR changes, rebalances with their stop-the-world
 * windows, scaling, config changes, detected data loss, lag status changes. Every part of the
 * engine reports through the TimelineSink port; the UI reads the `timeline` event (what changed
 * since the previous push) and the `timeline` query (entries after an id).
 *
 * Invariants:
 * - at most `metricsLimits.timelineEntriesMax` entries; the oldest go first;
 * - ids increase by one from 1 with every entry added, so the entries held are exactly the ids
 *   `oldestId() .. lastId()` and entry `id` sits at slot (id − 1) mod capacity;
 * - an entry's endMs is set at most once, and never before its atMs;
 * - a delta carries at most `metricsLimits.timelineEntriesPerPushMax` entries (the newest).
 */
import type { TimelineDelta, TimelineEntry } from '../api/metrics-dto.js';
import { assert, assertFailed } from '../core/assert.js';
import { metricsLimits } from './metrics-limits.js';
import type { TimelineInput, TimelineSink } from './timeline-sink.js';

export class EventTimeline implements TimelineSink {
  private readonly capacity: number;
  private readonly slots: (TimelineEntry | undefined)[];
  /** The id the next entry gets. */
  private nextId = 1;
  /** Entries up to this id went out in a delta already. */
  private deliveredId = 0;
  /** Entries delivered already that ended since (at most the ring's capacity). */
  private readonly endedSinceDelta = new Set<number>();

  constructor(capacity: number = metricsLimits.timelineEntriesMax) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) assertFailed(`timeline capacity ${capacity} must be a positive integer`);
    this.capacity = capacity;
    this.slots = new Array<TimelineEntry | undefined>(capacity);
  }

  add(input: TimelineInput): number {
    if (!Number.isFinite(input.atMs)) assertFailed(`timeline entry at ${input.atMs} must have a finite time`);
    assert(input.code.length > 0, 'a timeline entry needs a code');
    const id = this.nextId++;
    const endMs = input.endMs === undefined || input.endMs === null ? null : Math.max(input.atMs, input.endMs);
    const entry: TimelineEntry = { id, atMs: input.atMs, endMs, kind: input.kind, severity: input.severity, code: input.code, params: { ...input.params }, text: input.text };
    const dropped = this.slots[this.slotOf(id)];
    if (dropped !== undefined) this.endedSinceDelta.delete(dropped.id);
    this.slots[this.slotOf(id)] = entry;
    return id;
  }

  end(id: number, endMs: number): void {
    const entry = this.get(id);
    if (entry === null || entry.endMs !== null) return;
    this.slots[this.slotOf(id)] = { ...entry, endMs: Math.max(entry.atMs, endMs) };
    if (id <= this.deliveredId) this.endedSinceDelta.add(id);
  }

  /** The entry with this id, or null when it is unknown or gone from the ring. */
  get(id: number): TimelineEntry | null {
    if (!Number.isInteger(id) || id < this.oldestId() || id > this.lastId()) return null;
    return this.slots[this.slotOf(id)] ?? null;
  }

  /** Entries after `afterId`, oldest first, at most `limit`; `lastId` is the newest id there is. */
  entriesAfter(afterId: number, limit: number): { entries: TimelineEntry[]; lastId: number } {
    const first = Math.max(afterId + 1, this.oldestId());
    const last = Math.min(this.lastId(), first + Math.max(0, Math.floor(limit)) - 1);
    const entries: TimelineEntry[] = [];
    for (let id = first; id <= last; id++) entries.push(this.slots[this.slotOf(id)]!);
    return { entries, lastId: this.lastId() };
  }

  /**
   * Entries added or ended since the previous call, oldest first; null when none. Past
   * `timelineEntriesPerPushMax` only the newest go: the UI sees the gap in ids and queries the rest.
   */
  takeDelta(): TimelineDelta | null {
    const ids = [...this.endedSinceDelta].filter((id) => id >= this.oldestId());
    for (let id = Math.max(this.deliveredId + 1, this.oldestId()); id <= this.lastId(); id++) ids.push(id);
    this.endedSinceDelta.clear();
    this.deliveredId = this.lastId();
    if (ids.length === 0) return null;
    ids.sort((a, b) => a - b);
    const kept = ids.slice(-metricsLimits.timelineEntriesPerPushMax);
    return { entries: kept.map((id) => this.slots[this.slotOf(id)]!), lastId: this.lastId() };
  }

  size(): number {
    return this.lastId() - this.oldestId() + 1;
  }

  /** The newest id (0 before the first entry). */
  lastId(): number {
    return this.nextId - 1;
  }

  /** The oldest id still held (lastId() + 1 when empty). */
  oldestId(): number {
    return Math.max(1, this.nextId - this.capacity);
  }

  private slotOf(id: number): number {
    return (id - 1) % this.capacity;
  }
}
