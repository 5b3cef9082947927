/** Replica offset bars (LEO filled, HW marked, down brokers unavailable) and replica roles. */
import { describe, expect, it } from 'vitest';
import { chartWindow, hasServingLeader, isLeaderDown, isPartitionOffline, partitionOffsetBars } from '../../../renderer/src/domain/replica-offsets';
import { replicaCell } from '../../../renderer/src/domain/replica-roles';
import { partition } from './fake-engine-api';

describe('partitionOffsetBars', () => {
  it("puts every replica on the partition's scale: the largest log end offset", () => {
    const p = {
      ...partition(0, [1, 2, 3]),
      leader: 1,
      replicaOffsets: [
        { brokerId: 1, logEndOffset: 8, highWatermark: 6 },
        { brokerId: 2, logEndOffset: 6, highWatermark: 6 },
        { brokerId: 3, logEndOffset: 4, highWatermark: 4 },
      ],
    };
    const { scale, bars } = partitionOffsetBars(p);
    expect(scale).toBe(8);
    expect(bars.get(1)).toEqual({ brokerId: 1, available: true, logEndOffset: 8, highWatermark: 6, logEndPercent: 100, highWatermarkPercent: 75, behindLeader: 0 });
    expect(bars.get(2)).toMatchObject({ logEndPercent: 75, highWatermarkPercent: 75, behindLeader: 2 });
    expect(bars.get(3)).toMatchObject({ logEndPercent: 50, highWatermarkPercent: 50, behindLeader: 4 });
  });

  it('shows a replica on a broker that is down as unavailable, not as an empty log', () => {
    const p = {
      ...partition(0, [1, 2], [2]),
      leader: 2,
      replicaOffsets: [
        { brokerId: 1, logEndOffset: null, highWatermark: null },
        { brokerId: 2, logEndOffset: 5, highWatermark: 5 },
      ],
    };
    const { scale, bars } = partitionOffsetBars(p);
    expect(bars.get(1)).toEqual({ brokerId: 1, available: false });
    expect(scale).toBe(5);
    expect(bars.get(2)).toMatchObject({ available: true, logEndPercent: 100 });
  });

  it('draws empty logs as empty bars (scale 1), and a missing high watermark as no mark', () => {
    const p = { ...partition(0, [1, 2]), replicaOffsets: [{ brokerId: 1, logEndOffset: 0, highWatermark: 0 }, { brokerId: 2, logEndOffset: 0, highWatermark: null }] };
    const { scale, bars } = partitionOffsetBars(p);
    expect(scale).toBe(1);
    expect(bars.get(1)).toMatchObject({ logEndPercent: 0, highWatermarkPercent: 0 });
    expect(bars.get(2)).toMatchObject({ highWatermark: null, highWatermarkPercent: null });
  });

  it('compares with nobody when the leader is down or there is none', () => {
    const leaderDown = {
      ...partition(0, [1, 2]),
      leader: 1,
      replicaOffsets: [{ brokerId: 1, logEndOffset: null, highWatermark: null }, { brokerId: 2, logEndOffset: 3, highWatermark: 3 }],
    };
    expect(partitionOffsetBars(leaderDown).bars.get(2)).toMatchObject({ behindLeader: null });
    const offline = { ...partition(0, [2]), leader: null, replicaOffsets: [{ brokerId: 2, logEndOffset: 3, highWatermark: 3 }] };
    expect(partitionOffsetBars(offline).bars.get(2)).toMatchObject({ behindLeader: null });
  });
});

describe('offline partitions and replica roles', () => {
  it('calls a partition without a leader offline, and its replicas plain replicas', () => {
    const offline = { ...partition(0, [3], [3]), leader: null };
    expect(isPartitionOffline(offline)).toBe(true);
    expect(replicaCell(offline, 3)).toEqual({ brokerId: 3, role: 'replica', inSync: true });
    expect(replicaCell(offline, 1)).toEqual({ brokerId: 1, role: 'none', inSync: false });
  });

  it('tells a leader whose broker is down from a serving one', () => {
    const p = partition(0, [1, 2, 3]);
    expect(isLeaderDown(p, [1, 2, 3])).toBe(false);
    expect(hasServingLeader(p, [1, 2, 3])).toBe(true);
    expect(isLeaderDown(p, [2, 3])).toBe(true);
    expect(hasServingLeader(p, [2, 3])).toBe(false);
    const offline = { ...p, leader: null };
    expect(isLeaderDown(offline, [])).toBe(false);
    expect(hasServingLeader(offline, [1, 2, 3])).toBe(false);
  });

  it('keeps leader and follower for a partition with a leader', () => {
    const p = partition(0, [1, 2, 3], [1, 2]);
    expect(isPartitionOffline(p)).toBe(false);
    expect(replicaCell(p, 1)).toEqual({ brokerId: 1, role: 'leader', inSync: true });
    expect(replicaCell(p, 3)).toEqual({ brokerId: 3, role: 'follower', inSync: false });
  });
});

describe('chartWindow', () => {
  const partitions = Array.from({ length: 1000 }, (_, i) => i);

  it('draws every partition of a topic that fits the chart', () => {
    expect(chartWindow([0, 1, 2], 2, 32)).toEqual([0, 1, 2]);
  });

  it('follows the rows in view of a 1,000-partition topic, 32 at a time', () => {
    expect(chartWindow(partitions, 0, 32)).toEqual(partitions.slice(0, 32));
    expect(chartWindow(partitions, 500, 32)[0]).toBe(500);
    expect(chartWindow(partitions, 500, 32)).toHaveLength(32);
  });

  it('stays full at the end of the topic: partitions 968 to 999 when the last rows are in view', () => {
    const shown = chartWindow(partitions, 990, 32);
    expect(shown[0]).toBe(968);
    expect(shown.at(-1)).toBe(999);
  });
});
