/**
 * The consumer-group invariants can fail: each is fed a state that breaks it and must say so,
 * naming the group, partition and offsets (a checker that cannot fail checks nothing).
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import type { GroupCoordinatorEvent } from '../../../engine/groups/coordinator-ports.js';
import { GroupInvariants } from '../../../engine/sim/group-invariants.js';
import type { GroupWorkload } from '../../../engine/sim/group-workload.js';
import { InvariantChecker } from '../../../engine/sim/invariants.js';
import type { FaultInjector } from '../../../engine/sim/fault-injector.js';
import { EventTrace } from '../../../engine/sim/event-trace.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

function setup() {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(3), disk: new MemoryDisk(), dataDir: '/d' });
  scheduler.runUntil(scheduler.nowMs() + 100);
  cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const faults = { budgetExceededAtMs: null, injected: { 'power-loss': 0 }, maxFailedAtOnce: 0 } as unknown as FaultInjector;
  const topics = [{ name: 'orders', partitions: 1 }];
  const checker = new InvariantChecker(cluster, topics, faults, new EventTrace(scheduler.nowMs()));
  return { scheduler, cluster, invariants: new GroupInvariants(cluster, checker, topics) };
}

function commit(offset: number): GroupCoordinatorEvent {
  return { type: 'offsets-committed', atMs: 0, groupId: 'inventory', generationId: 1, memberId: 'm1', offsets: [{ topic: 'orders', partition: 0, offset, leaderEpoch: 0 }] };
}

describe('consumer group invariants', () => {
  it('invariant 5 fails when two members of one generation own the same partition', () => {
    const { invariants } = setup();
    const workload = {
      members: () => [
        { clientId: 'inventory-1', generation: 4, stable: true, partitions: ['orders-0'] },
        { clientId: 'inventory-2', generation: 4, stable: true, partitions: ['orders-0'] },
      ],
    } as unknown as GroupWorkload;
    expect(() => invariants.checkOwnership(workload)).toThrow(/orders-0 is owned by both inventory-1 and inventory-2 in generation 4/);
  });

  it('invariant 5 allows a stale member of an older generation to still hold a moved partition', () => {
    const { invariants } = setup();
    const workload = {
      members: () => [
        { clientId: 'inventory-1', generation: 3, stable: true, partitions: ['orders-0'] },
        { clientId: 'inventory-2', generation: 4, stable: true, partitions: ['orders-0'] },
      ],
    } as unknown as GroupWorkload;
    expect(() => invariants.checkOwnership(workload)).not.toThrow();
  });

  it('invariant 6 fails when a committed offset passes the highest high watermark', async () => {
    const { cluster, scheduler, invariants } = setup();
    const produced = cluster.produce({ topic: 'orders', partition: 0, key: null, value: 'o1', headers: [], acks: 'all' });
    scheduler.runUntil(scheduler.nowMs() + 100);
    await produced;
    expect(cluster.highestHighWatermark('orders', 0)).toBe(1);
    expect(() => invariants.onCoordinatorEvent(commit(1))).not.toThrow();
    expect(() => invariants.onCoordinatorEvent(commit(2))).toThrow(/committed offset 2 for orders-0, past the highest high watermark 1/);
  });

  it('invariant 6 fails when a committed offset goes backwards with no data lost', async () => {
    const { cluster, scheduler, invariants } = setup();
    for (const value of ['a', 'b', 'c']) {
      const produced = cluster.produce({ topic: 'orders', partition: 0, key: null, value, headers: [], acks: 'all' });
      scheduler.runUntil(scheduler.nowMs() + 100);
      await produced;
    }
    invariants.onCoordinatorEvent(commit(3));
    expect(() => invariants.onCoordinatorEvent(commit(1))).toThrow(/went back from 3 to 1/);
  });

  it('invariant 6 fails when a consumer processed a record the partition does not hold', () => {
    const { invariants } = setup();
    expect(() => invariants.checkConsumed([{ clientId: 'inventory-1', topic: 'orders', partition: 0, offset: 0, value: 'ghost' }])).toThrow(/processed ghost at orders-0 offset 0, but after healing the partition holds nothing there/);
  });
});
