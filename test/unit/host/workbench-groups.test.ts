/**
 * The Groups part of the contract, end to end through the gateway: in-app consumers join a group,
 * describeGroup answers with the columns of kafka-consumer-groups --describe, the rebalance history
 * grows as members come and go, the groups event carries it, and deleting a group works only once
 * it is empty (NON_EMPTY_GROUP before), as in Kafka.
 */
import { describe, expect, it } from 'vitest';
import type { GroupDetail, GroupsSnapshot } from '../../../engine/api/groups-dto.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { Gateway } from '../../../engine/host/gateway.js';
import { InProcessHost } from '../../../engine/host/in-process-host.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { manualTimers } from '../../helpers/manual-timers.js';

function setup() {
  const scheduler = new Scheduler(1_700_000_000_000);
  const uiTimers = manualTimers();
  const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(11), timers: scheduler, uiTimers, time: new SimulationTime(scheduler) });
  const gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000)), { checkResponses: true });
  const call = async <T>(kind: 'command' | 'query', name: string, payload: unknown): Promise<T> => {
    const answer = await gateway.invoke(kind, name, payload);
    if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message}`);
    return answer.value as T;
  };
  const run = (ms: number) => scheduler.runUntil(scheduler.nowMs() + ms);
  return { workbench, gateway, call, run, uiTimers };
}

describe('consumer groups through the contract', () => {
  it('shows members, the describe rows with lag, and each rebalance as consumers join', async () => {
    const { call, run, gateway, uiTimers } = setup();
    await call('command', 'createTopic', { name: 'orders', partitions: 3, replicationFactor: 3 });
    for (let i = 0; i < 6; i++) await call('command', 'produceRecord', { topic: 'orders', partition: i % 3, key: null, value: `order-${i}` });
    const first = await call<{ clientId: string }>('command', 'startConsumer', { groupId: 'inventory', topics: ['orders'], autoOffsetReset: 'earliest' });
    expect(first.clientId).toBe('inventory-1');
    run(10_000);
    let group = await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' });
    expect(group.state).toBe('Stable');
    expect(group.generation).toBe(1);
    expect(group.assignor).toBe('range');
    expect(group.members.map((m) => [m.clientId, m.assignment.map((tp) => tp.partition)])).toEqual([['inventory-1', [0, 1, 2]]]);

    await call('command', 'startConsumer', { groupId: 'inventory', topics: ['orders'], autoOffsetReset: 'earliest' });
    run(10_000);
    group = await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' });
    expect(group.generation).toBe(2);
    const owned = Object.fromEntries(group.members.map((m) => [m.clientId, m.assignment.map((tp) => tp.partition)]));
    expect(owned).toEqual({ 'inventory-1': [0, 1], 'inventory-2': [2] });
    expect(group.rebalances.map((r) => [r.generation, r.cause])).toEqual([
      [2, 'join'],
      [1, 'join'],
    ]);
    // Auto commit (5 s) has committed all six records: LAG 0 on every row, LOG-END-OFFSET 2.
    expect(group.partitions.map((p) => [p.partition, p.currentOffset, p.logEndOffset, p.lag, p.clientId])).toEqual([
      [0, 2, 2, 0, 'inventory-1'],
      [1, 2, 2, 0, 'inventory-1'],
      [2, 2, 2, 0, 'inventory-2'],
    ]);

    // The groups event, throttled on UI timers, carries the same group.
    const snapshots: GroupsSnapshot[] = [];
    gateway.subscribe('groups', (payload) => snapshots.push(payload as GroupsSnapshot));
    uiTimers.fireAll();
    expect(snapshots.at(-1)?.groups.map((g) => [g.groupId, g.generation, g.members.length])).toEqual([['inventory', 2, 2]]);
  });

  it('deletes a group only when it is empty (NON_EMPTY_GROUP before), as kafka-consumer-groups --delete', async () => {
    const { call, run, gateway } = setup();
    await call('command', 'createTopic', { name: 'orders', partitions: 1, replicationFactor: 3 });
    await call('command', 'startConsumer', { groupId: 'inventory', clientId: 'inv-a', topics: ['orders'] });
    run(10_000);
    const refused = await gateway.invoke('command', 'deleteGroup', { groupId: 'inventory' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'NON_EMPTY_GROUP', message: "Deleting group 'inventory' failed: The group is not empty." } });
    await call('command', 'stopConsumer', { clientId: 'inv-a', mode: 'close' });
    run(5_000);
    expect((await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' })).state).toBe('Empty');
    await call('command', 'deleteGroup', { groupId: 'inventory' });
    run(1_000);
    expect((await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' })).state).toBe('Dead');
    const log = await call<{ lines: string[] }>('query', 'consumerLog', { clientId: 'inv-a' });
    expect(log.lines.some((line) => line.includes('inventory: partitions assigned: [orders-0]'))).toBe(true);
  });

  it('a crashed consumer stays a member until session.timeout.ms, then its partitions move', async () => {
    const { call, run } = setup();
    await call('command', 'createTopic', { name: 'orders', partitions: 2, replicationFactor: 3 });
    await call('command', 'startConsumer', { groupId: 'inventory', clientId: 'a', topics: ['orders'] });
    await call('command', 'startConsumer', { groupId: 'inventory', clientId: 'b', topics: ['orders'] });
    run(10_000);
    await call('command', 'stopConsumer', { clientId: 'b', mode: 'crash' });
    run(40_000);
    expect((await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' })).members.map((m) => m.clientId).sort()).toEqual(['a', 'b']);
    run(10_000);
    const group = await call<GroupDetail>('query', 'describeGroup', { groupId: 'inventory' });
    expect(group.members.map((m) => [m.clientId, m.assignment.length])).toEqual([['a', 2]]);
    expect(group.rebalances[0]!.cause).toBe('session-timeout');
    // The crashed member's partition had no fetcher from the crash until the survivor fetched it:
    // session.timeout.ms (45 s) counted from its last heartbeat, which was up to 3 s before the crash.
    const paused = group.rebalances[0]!.stopTheWorld.map((w) => w.pausedMs ?? 0);
    expect(Math.max(...paused)).toBeGreaterThan(42_000);
    expect(Math.max(...paused)).toBeLessThanOrEqual(46_000);
  });
});
