/**
 * Where every part of the engine reports what happened, for the one timeline of events
 * (engine/metrics/event-timeline.ts): faults, elections, ISR changes, rebalances, scaling, config
 * changes, detected data loss. Spans (a fault, a paused replica) are added open and ended later.
 */
import type { TimelineEntry } from '../api/metrics-dto.js';

export type TimelineInput = Omit<TimelineEntry, 'id' | 'endMs'> & { readonly endMs?: number | null };

export interface TimelineSink {
  /** Adds an entry; returns its id (to end a span later). */
  add(entry: TimelineInput): number;
  /** Ends a span entry (no-op if it is gone from the ring or already ended). */
  end(id: number, endMs: number): void;
}
