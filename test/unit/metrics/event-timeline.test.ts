/**
 * The one timeline: ids from 1, spans that end once, a ring that drops the oldest, a query by id,
 * and deltas that carry what was added or ended since the previous push, bounded per push.
 */
import { describe, expect, it } from 'vitest';
import { EventTimeline } from '../../../engine/metrics/event-timeline.js';
import { metricsLimits } from '../../../engine/metrics/metrics-limits.js';
import type { TimelineInput } from '../../../engine/metrics/timeline-sink.js';

const T0 = 1_700_000_000_000;

function fault(atMs: number, brokerId: number): TimelineInput {
  return { atMs, kind: 'fault', severity: 'error', code: 'fault.broker-crash.started', params: { brokerId }, text: `Broker ${brokerId} crashed` };
}

describe('EventTimeline', () => {
  it('numbers entries from 1 and lists them after an id', () => {
    const timeline = new EventTimeline();
    expect(timeline.add(fault(T0, 1))).toBe(1);
    expect(timeline.add(fault(T0 + 5, 2))).toBe(2);
    expect(timeline.add(fault(T0 + 9, 3))).toBe(3);
    const { entries, lastId } = timeline.entriesAfter(1, 10);
    expect(lastId).toBe(3);
    expect(entries.map((e) => [e.id, e.params['brokerId'], e.endMs])).toEqual([
      [2, 2, null],
      [3, 3, null],
    ]);
    expect(timeline.entriesAfter(0, 1).entries.map((e) => e.id)).toEqual([1]);
  });

  it('ends a span once, never before it started', () => {
    const timeline = new EventTimeline();
    const id = timeline.add(fault(T0, 1));
    timeline.end(id, T0 + 30_000);
    timeline.end(id, T0 + 60_000);
    expect(timeline.get(id)?.endMs).toBe(T0 + 30_000);
    const early = timeline.add(fault(T0 + 100, 2));
    timeline.end(early, T0);
    expect(timeline.get(early)?.endMs).toBe(T0 + 100);
    timeline.end(999, T0); // unknown: nothing happens
    expect(timeline.size()).toBe(2);
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const timeline = new EventTimeline(5);
    for (let i = 1; i <= 12; i++) timeline.add(fault(T0 + i, i));
    expect(timeline.size()).toBe(5);
    expect(timeline.oldestId()).toBe(8);
    expect(timeline.get(7)).toBeNull();
    expect(timeline.entriesAfter(0, 100).entries.map((e) => e.id)).toEqual([8, 9, 10, 11, 12]);
    timeline.end(3, T0 + 100); // gone from the ring: no-op
    expect(timeline.entriesAfter(0, 100).entries.every((e) => e.endMs === null)).toBe(true);
  });

  it('delivers additions once, and a delivered span again when it ends', () => {
    const timeline = new EventTimeline();
    const crash = timeline.add(fault(T0, 1));
    timeline.add(fault(T0 + 1, 2));
    expect(timeline.takeDelta()?.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(timeline.takeDelta()).toBeNull();
    timeline.end(crash, T0 + 45_000);
    const third = timeline.add(fault(T0 + 50_000, 3));
    const delta = timeline.takeDelta();
    expect(delta?.entries.map((e) => [e.id, e.endMs])).toEqual([
      [crash, T0 + 45_000],
      [third, null],
    ]);
    expect(delta?.lastId).toBe(3);
  });

  it('bounds a push to the newest entries and says how far the timeline goes', () => {
    const timeline = new EventTimeline();
    const count = metricsLimits.timelineEntriesPerPushMax + 50;
    for (let i = 0; i < count; i++) timeline.add(fault(T0 + i, i));
    const delta = timeline.takeDelta()!;
    expect(delta.entries).toHaveLength(metricsLimits.timelineEntriesPerPushMax);
    expect(delta.entries[0]!.id).toBe(51);
    expect(delta.lastId).toBe(count);
    // The UI queries what the push left out.
    expect(timeline.entriesAfter(0, 50).entries.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
