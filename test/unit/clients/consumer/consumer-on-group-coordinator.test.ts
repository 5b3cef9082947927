/**
 * The consumer against the real classic-protocol GroupCoordinator (engine/groups), wired through
 * a small in-memory port: the fake cluster serves fetches and offsets, the coordinator answers the
 * group APIs with an in-memory __consumer_offsets log. Two members share a topic, commit, and one
 * leaves; then a crashed member is noticed after session.timeout.ms.
 */
import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { GroupCoordinator, findCoordinator } from '../../../../engine/groups/group-coordinator.js';
import { resolveGroupCoordinatorConfig, type OffsetsLogRecord } from '../../../../engine/groups/coordinator-ports.js';
import type { CoordinatorRequest } from '../../../../engine/groups/group-coordinator.js';
import { runApp, setup, type Harness, type StringConsumer } from './consumer-harness.js';

function withRealCoordinator(t: Harness): GroupCoordinator {
  const config = resolveGroupCoordinatorConfig();
  const logs = new Map<number, OffsetsLogRecord[]>();
  const coordinator = new GroupCoordinator({
    brokerId: 0,
    clock: t.scheduler,
    timers: t.scheduler,
    prng: new SeededPrng(7),
    config,
    log: {
      append: (partition, records, onDone) => {
        logs.set(partition, [...(logs.get(partition) ?? []), ...records]);
        t.scheduler.after(1, () => onDone('NONE'));
      },
      read: (partition) => logs.get(partition) ?? [],
    },
  });
  coordinator.startup();
  for (let p = 0; p < config.offsetsTopicNumPartitions; p++) coordinator.onElection(p, 0);
  t.cluster.groupBackend = (request, respond) => {
    if (request.api === 'FindCoordinator') return respond(findCoordinator(request, config.offsetsTopicNumPartitions, () => 0));
    coordinator.handle(request as CoordinatorRequest, { clientId: 'consumer', clientHost: '/127.0.0.1' }, respond as (response: unknown) => void);
  };
  return coordinator;
}

const assigned = (c: StringConsumer): string[] => c.assignment().map((tp) => `${tp.topic}-${tp.partition}`);

describe('consumer on the real group coordinator', () => {
  it('two members split a topic, commit what they processed, and one leaving hands its partitions over', async () => {
    const t = setup({ topics: { orders: 2 } });
    const coordinator = withRealCoordinator(t);
    t.cluster.produceValues('orders', 0, 'a', 5);
    t.cluster.produceValues('orders', 1, 'b', 5);
    const config = { groupId: 'inventory', autoOffsetReset: 'earliest' as const, enableAutoCommit: false };
    const c1 = t.consumer({ ...config, clientId: 'inventory-1' });
    const c2 = t.consumer({ ...config, clientId: 'inventory-2' });
    c1.subscribe(['orders']);
    c2.subscribe(['orders']);
    const app1 = runApp(t, c1, { commit: 'sync' });
    const app2 = runApp(t, c2, { commit: 'sync' });
    await t.advance(10_000); // group.initial.rebalance.delay.ms (3000) first
    expect(coordinator.groupState('inventory')).toBe('Stable');
    expect([assigned(c1), assigned(c2)].sort()).toEqual([['orders-0'], ['orders-1']]);
    expect([...app1.values(), ...app2.values()].sort()).toEqual([...['a', 'b'].flatMap((p) => [0, 1, 2, 3, 4].map((i) => `${p}-${i}`))].sort());

    await t.settle(c1.close());
    await app1.stop();
    await t.advance(5000);
    expect(assigned(c2)).toEqual(['orders-0', 'orders-1']);
    t.cluster.produceValues('orders', 0, 'a', 2, 5);
    await t.advance(2000);
    // c2 resumes orders-0 from c1's committed offset: nothing twice, nothing lost.
    expect([...app1.values(), ...app2.values()].filter((v) => v!.startsWith('a-'))).toHaveLength(7);
    await app2.stop();
  });

  it('a crashed member is removed after session.timeout.ms and the survivor takes its partitions', async () => {
    const t = setup({ topics: { orders: 2 } });
    withRealCoordinator(t);
    const c1 = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' });
    const c2 = t.consumer({ groupId: 'inventory', clientId: 'inventory-2' });
    c1.subscribe(['orders']);
    c2.subscribe(['orders']);
    const app1 = runApp(t, c1);
    const app2 = runApp(t, c2);
    await t.advance(10_000);
    expect(assigned(c1).length + assigned(c2).length).toBe(2);
    c1.crash();
    await app1.stop();
    await t.advance(40_000);
    expect(assigned(c2).length).toBe(1);
    await t.advance(10_000);
    expect(assigned(c2)).toEqual(['orders-0', 'orders-1']);
    await app2.stop();
  });
});
