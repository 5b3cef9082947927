/**
 * The Groups view's pure helpers: kafka-consumer-groups --describe rows in the tool's order with
 * "-" for missing values, state colours, lag sums and bars, member ids, members with their in-app
 * consumers, and the rebalance history with its summaries and stop-the-world bars.
 */
import { describe, expect, it } from 'vitest';
import {
  clientIdOfMemberId,
  columnValue,
  DESCRIBE_COLUMNS,
  describeRows,
  describeText,
  formatDuration,
  formatLag,
  formatMs,
  formatPartitionList,
  groupSummary,
  isRebalancing,
  lagBars,
  memberRows,
  rebalanceSummary,
  rebalanceViews,
  shortMemberId,
  stateTone,
  totalLag,
} from '../../../renderer/src/domain/groups';
import { consumer, emptyGroup, groupPartition, inventoryGroup, member, MEMBER_1, MEMBER_2, rebalance, T0 } from './groups-fixtures';

describe('describeRows (kafka-consumer-groups --describe)', () => {
  it('lists the member with most partitions first, each member by topic then partition, unowned rows last', () => {
    const group = inventoryGroup({
      partitions: [
        ...inventoryGroup().partitions,
        groupPartition(1, { currentOffset: 3, logEndOffset: 3, lag: 0 }, 'audit'),
        groupPartition(0, { currentOffset: 1, logEndOffset: 3, lag: 2 }, 'audit'),
      ],
    });
    const rows = describeRows(group);
    expect(rows.map((r) => `${r.clientId ?? '-'} ${r.topic}-${r.partition}`)).toEqual([
      'inventory-1 orders-0',
      'inventory-1 orders-1',
      'inventory-2 orders-2',
      '- audit-0',
      '- audit-1',
    ]);
    expect(rows.every((r) => r.group === 'inventory')).toBe(true);
  });

  it('sorts by topic then partition numerically (orders-2 before orders-10)', () => {
    const owner = { memberId: MEMBER_1, clientId: 'inventory-1', host: '/127.0.0.1' };
    const group = inventoryGroup({
      members: [member(MEMBER_1, 'inventory-1', [10, 2])],
      partitions: [groupPartition(10, owner), groupPartition(2, owner), groupPartition(0, owner, 'audit')],
    });
    expect(describeRows(group).map((r) => `${r.topic}-${r.partition}`)).toEqual(['audit-0', 'orders-2', 'orders-10']);
  });

  it('keeps the group’s member order between members with as many partitions', () => {
    const group = inventoryGroup({
      members: [member(MEMBER_2, 'inventory-2', [2]), member(MEMBER_1, 'inventory-1', [0])],
      partitions: [
        groupPartition(0, { memberId: MEMBER_1, clientId: 'inventory-1', host: '/127.0.0.1' }),
        groupPartition(2, { memberId: MEMBER_2, clientId: 'inventory-2', host: '/127.0.0.1' }),
      ],
    });
    expect(describeRows(group).map((r) => r.clientId)).toEqual(['inventory-2', 'inventory-1']);
  });

  it('prints "-" where the tool prints its missing value, and pads the text as the tool does', () => {
    expect(columnValue(null)).toBe('-');
    expect(columnValue(undefined)).toBe('-');
    expect(columnValue(0)).toBe('0');
    const rows = describeRows(inventoryGroup());
    const noCommit = rows.find((r) => r.partition === 0);
    expect(noCommit?.currentOffset).toBeNull();
    expect(noCommit?.lag).toBeNull();
    expect(formatLag(noCommit?.lag ?? null, 'en')).toBe('-');
    const text = describeText(rows).split('\n');
    // The consumer-id column is as wide as the longest member id (48 characters here).
    expect(MEMBER_1).toHaveLength(48);
    expect(text[0]).toBe(
      `GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             ${'CONSUMER-ID'.padEnd(48)} HOST            CLIENT-ID`,
    );
    expect(text[1]).toBe(
      `inventory       orders          0          -               3               -               ${MEMBER_1} /127.0.0.1      inventory-1`,
    );
    expect(DESCRIBE_COLUMNS).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  });
});

describe('group state and lag', () => {
  it('colours Stable green, rebalances amber, Empty grey and Dead red', () => {
    expect(stateTone('Stable')).toBe('success');
    expect(stateTone('PreparingRebalance')).toBe('warning');
    expect(stateTone('CompletingRebalance')).toBe('warning');
    expect(stateTone('Empty')).toBe('neutral');
    expect(stateTone('Dead')).toBe('danger');
    expect(isRebalancing('CompletingRebalance')).toBe(true);
    expect(isRebalancing('Stable')).toBe(false);
  });

  it('sums lag over partitions with a committed offset, and has none when no partition has one', () => {
    expect(totalLag(inventoryGroup())).toBe(6);
    expect(totalLag(inventoryGroup({ partitions: [groupPartition(0, { logEndOffset: 9 })] }))).toBeNull();
    expect(totalLag(inventoryGroup({ partitions: [] }))).toBeNull();
  });

  it('summarises a group for the list', () => {
    expect(groupSummary(inventoryGroup())).toEqual({
      groupId: 'inventory',
      state: 'Stable',
      tone: 'success',
      generation: 2,
      assignor: 'range',
      memberCount: 2,
      totalLag: 6,
      rebalancing: false,
    });
    const running = inventoryGroup({ state: 'PreparingRebalance', rebalances: [rebalance({ completedAtMs: null, generation: null })] });
    expect(groupSummary(running).rebalancing).toBe(true);
  });

  it('draws lag bars on one scale for the group: solid where not fetched, none where LAG is "-"', () => {
    const rows = describeRows(inventoryGroup());
    const bars = lagBars(rows);
    const byPartition = (p: number) => bars.get(rows.find((r) => r.partition === p)?.key ?? '');
    expect(byPartition(2)).toEqual({ lagPercent: 100, unfetchedPercent: (2 / 6) * 100 });
    expect(byPartition(1)).toEqual({ lagPercent: 0, unfetchedPercent: 0 });
    expect(byPartition(0)).toBeNull();
  });

  it('formats lag, pauses and durations with the locale', () => {
    expect(formatLag(12345, 'en')).toBe('12,345');
    expect(formatMs(3012, 'en')).toBe('3,012 ms');
    expect(formatMs(310, 'ko')).toBe('310 ms');
    expect(formatDuration(9_999, 'en')).toBe('9,999 ms');
    expect(formatDuration(45_250, 'en')).toBe('45.3 s');
  });
});

describe('member ids', () => {
  it('shortens Kafka member ids to the client id and the UUID’s first 8 digits', () => {
    expect(shortMemberId(MEMBER_1)).toBe('inventory-1-3f2a9c1e…');
    expect(clientIdOfMemberId(MEMBER_2)).toBe('inventory-2');
    expect(shortMemberId('short')).toBe('short');
    expect(shortMemberId('x'.repeat(40))).toBe(`${'x'.repeat(23)}…`);
    expect(clientIdOfMemberId('rdkafka-no-uuid')).toBe('rdkafka-no-uuid');
  });

  it('prints partition lists as Java does', () => {
    expect(formatPartitionList([{ topic: 'orders', partition: 2 }, { topic: 'orders', partition: 0 }])).toBe('[orders-0, orders-2]');
  });
});

describe('memberRows', () => {
  it('lists members by client id with their in-app consumers, then consumers that are not members', () => {
    const rows = memberRows(inventoryGroup(), [
      consumer('inventory-2', { recordsConsumed: 4 }),
      consumer('inventory-1'),
      consumer('inventory-3', { state: 'CRASHED', memberId: `inventory-3-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}` }),
      consumer('orders-1', { groupId: 'orders' }),
    ]);
    expect(rows.map((r) => [r.clientId, r.memberId !== null, r.consumer?.state ?? null, r.stoppable])).toEqual([
      ['inventory-1', true, 'STABLE', true],
      ['inventory-2', true, 'STABLE', true],
      ['inventory-3', false, 'CRASHED', false],
    ]);
    expect(rows[0]?.assignment.map((tp) => tp.partition)).toEqual([0, 1]);
    expect(rows[1]?.consumer?.recordsConsumed).toBe(4);
  });

  it('keeps a crashed consumer on its member row until the coordinator removes it', () => {
    const rows = memberRows(inventoryGroup(), [consumer('inventory-1', { state: 'CRASHED' })]);
    expect(rows[0]).toMatchObject({ clientId: 'inventory-1', stoppable: false });
    expect(rows[0]?.consumer?.state).toBe('CRASHED');
    expect(rows[1]).toMatchObject({ clientId: 'inventory-2', consumer: null, stoppable: false });
  });

  it('matches a joining consumer by client id while it has not read its member id yet', () => {
    const rows = memberRows(inventoryGroup(), [consumer('inventory-2', { state: 'COMPLETING_REBALANCE', memberId: '' })]);
    expect(rows.find((r) => r.clientId === 'inventory-2')?.consumer?.state).toBe('COMPLETING_REBALANCE');
    expect(rows).toHaveLength(2);
  });
});

describe('rebalanceViews', () => {
  it('lists rebalances newest first with labels, joined members and sorted assignment changes', () => {
    const views = rebalanceViews(inventoryGroup(), T0 + 120_000);
    expect(views.map((v) => v.generation)).toEqual([2, 1]);
    const [second] = views;
    expect(second?.membersBefore).toEqual(['inventory-1']);
    expect(second?.membersAfter).toEqual(['inventory-1', 'inventory-2']);
    expect(second?.joined).toEqual(['inventory-2']);
    expect(second?.left).toEqual([]);
    expect(second?.durationMs).toBe(3_012);
    expect(second?.changes.map((c) => [c.clientId, c.added.map((p) => p.partition), c.removed.map((p) => p.partition)])).toEqual([
      ['inventory-1', [], [2]],
      ['inventory-2', [2], []],
    ]);
  });

  it('draws stop-the-world pauses by partition on one scale for the whole history', () => {
    const views = rebalanceViews(inventoryGroup(), T0);
    const bars = views[0]?.stopTheWorld ?? [];
    expect(bars.map((b) => [b.partition, b.pausedMs, Math.round(b.percent ?? -1)])).toEqual([
      [0, 310, 10],
      [1, 310, 10],
      [2, 3012, 100],
    ]);
    expect(views[0]?.longestPauseMs).toBe(3_012);
    expect(views[1]?.stopTheWorld).toEqual([]);
    expect(views[1]?.longestPauseMs).toBeNull();
  });

  it('shows a running rebalance as running, its duration counted to the snapshot’s time', () => {
    const group = inventoryGroup({
      state: 'PreparingRebalance',
      rebalances: [
        ...inventoryGroup().rebalances,
        rebalance({
          generation: null,
          cause: 'leave',
          reason: `Removing member ${MEMBER_2} on LeaveGroup; client reason: the consumer is being closed`,
          startedAtMs: T0 + 100_000,
          completedAtMs: null,
          membersBefore: [MEMBER_1, MEMBER_2],
          membersAfter: [],
          assignmentDiff: [],
          stopTheWorld: [{ topic: 'orders', partition: 2, pausedMs: null }],
        }),
      ],
    });
    const [running] = rebalanceViews(group, T0 + 101_500);
    expect(running).toMatchObject({ running: true, generation: null, durationMs: 1_500, cause: 'leave', longestPauseMs: null });
    expect(running?.stopTheWorld[0]).toMatchObject({ partition: 2, pausedMs: null, percent: null });
    expect(running?.summary).toEqual({ key: 'groups.rebalances.summaryRunning', params: { before: 2 } });
  });

  it('summarises a rebalance: generation, members before → after, partitions moved', () => {
    expect(rebalanceSummary(inventoryGroup().rebalances[1]!)).toEqual({
      key: 'groups.rebalances.summary',
      params: { generation: 2, before: 1, after: 2, moved: 1 },
    });
    expect(rebalanceSummary(rebalance({ generation: 4, membersBefore: [MEMBER_1], membersAfter: [], assignmentDiff: [] }))).toEqual({
      key: 'groups.rebalances.summaryEmpty',
      params: { generation: 4, before: 1 },
    });
  });

  it('labels a departed member by its client id even when the diff carries its member id', () => {
    const group = inventoryGroup({
      members: [member(MEMBER_1, 'inventory-1', [0, 1, 2])],
      rebalances: [
        rebalance({
          membersBefore: [MEMBER_1, MEMBER_2],
          membersAfter: [MEMBER_1],
          assignmentDiff: [
            { memberId: MEMBER_2, clientId: MEMBER_2, added: [], removed: [{ topic: 'orders', partition: 2 }] },
            { memberId: MEMBER_1, clientId: 'inventory-1', added: [{ topic: 'orders', partition: 2 }], removed: [] },
          ],
        }),
      ],
    });
    const [view] = rebalanceViews(group, T0);
    expect(view?.changes.map((c) => c.clientId)).toEqual(['inventory-1', 'inventory-2']);
    expect(view?.left).toEqual(['inventory-2']);
  });

  it('labels a member that left the group by the client id inside its member id', () => {
    const group = emptyGroup('payments', {
      rebalances: [rebalance({ membersBefore: ['payments-1-00000000-0000-0000-0000-000000000000'], membersAfter: [], assignmentDiff: [] })],
    });
    expect(rebalanceViews(group, T0)[0]?.left).toEqual(['payments-1']);
  });
});
