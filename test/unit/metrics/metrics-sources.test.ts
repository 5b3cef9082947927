/**
 * When each group last committed each partition, from the coordinators' events: what tells a
 * consumer committing the same offset again and again (STALL) from one that stopped (STOP).
 */
import { describe, expect, it } from 'vitest';
import type { CoordinatorEvent } from '../../../engine/groups/coordinator-ports.js';
import { LastCommitTracker } from '../../../engine/metrics/metrics-sources.js';
import { metricsLimits } from '../../../engine/metrics/metrics-limits.js';

const T0 = 1_700_000_000_000;

function commit(groupId: string, atMs: number, offsets: [string, number, number][]): CoordinatorEvent {
  return { type: 'offsets-committed', atMs, groupId, generationId: 1, memberId: 'm-1', offsets: offsets.map(([topic, partition, offset]) => ({ topic, partition, offset, leaderEpoch: 0 })) };
}

describe('LastCommitTracker', () => {
  it('remembers the latest commit per group and partition, the same offset committed again included', () => {
    const tracker = new LastCommitTracker();
    tracker.onCoordinatorEvent(commit('inventory', T0, [['orders', 0, 10], ['orders', 1, 7]]));
    tracker.onCoordinatorEvent(commit('inventory', T0 + 5000, [['orders', 0, 10]]));
    expect(tracker.lastCommitMs('inventory', 'orders', 0)).toBe(T0 + 5000);
    expect(tracker.lastCommitMs('inventory', 'orders', 1)).toBe(T0);
    expect(tracker.lastCommitMs('inventory', 'orders', 2)).toBeNull();
    expect(tracker.lastCommitMs('audit', 'orders', 0)).toBeNull();
  });

  it('forgets a deleted group', () => {
    const tracker = new LastCommitTracker();
    tracker.onCoordinatorEvent(commit('inventory', T0, [['orders', 0, 10]]));
    tracker.onCoordinatorEvent({ type: 'group-deleted', atMs: T0 + 1, groupId: 'inventory', offsetsRemoved: 1 });
    expect(tracker.lastCommitMs('inventory', 'orders', 0)).toBeNull();
    expect(tracker.size()).toBe(0);
  });

  it('tracks at most its limit of partitions and counts the ones it refused', () => {
    const tracker = new LastCommitTracker();
    const offsets: [string, number, number][] = Array.from({ length: metricsLimits.commitsTrackedMax + 3 }, (_, i) => ['orders', i, 1]);
    tracker.onCoordinatorEvent(commit('inventory', T0, offsets));
    expect(tracker.size()).toBe(metricsLimits.commitsTrackedMax);
    expect(tracker.refused).toBe(3);
    // A partition already tracked still moves on.
    tracker.onCoordinatorEvent(commit('inventory', T0 + 9, [['orders', 0, 2]]));
    expect(tracker.lastCommitMs('inventory', 'orders', 0)).toBe(T0 + 9);
  });
});
