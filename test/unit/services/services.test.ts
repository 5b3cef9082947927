/**
 * The replica sets' rules as a learner meets them: orders need a running order replica, settings
 * Kafka would refuse are refused with Kafka's words, a missing topic with auto-creation off is
 * named, scaling is bounded, and the same seed and actions replay the same run.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { Services } from '../../../engine/services/services.js';
import { servicesLimits } from '../../../engine/services/services-limits.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

function bench(seed: number, brokerConfigs: Record<string, string> = {}) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: 1, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk: new MemoryDisk(), dataDir: '/data', linkLatencyMs: 1 });
  if (Object.keys(brokerConfigs).length > 0) cluster.alterBrokerConfigs(brokerConfigs, []);
  const timeline: { code: string; text: string }[] = [];
  const services = new Services({
    cluster,
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(seed + 1),
    timeline: { add: (entry) => timeline.push(entry), end: () => {} },
    stopTheWorld: { partitionsStopped: () => {}, partitionsResumed: () => {} },
    onChange: () => {},
  });
  const run = (ms: number) => scheduler.runUntil(scheduler.nowMs() + ms);
  return { scheduler, cluster, services, timeline, run };
}

describe('Services', () => {
  it('refuses orders while no order replica runs, saying what to do', () => {
    const { services } = bench(51);
    expect(() => services.placeOrders({ productId: 1, qty: 1 })).toThrow('No order replica is running, so nobody answers POST /orders: scale the order service up first.');
    services.scale('order', 1);
    services.replicaAction('order-1', 'crash');
    expect(() => services.placeOrders({ productId: 1, qty: 1 })).toThrow(/restart or resume an order replica/);
  });

  it('lets the cluster auto-create the topic with num.partitions (1), as Kafka does for the first client', () => {
    const { services, cluster, run } = bench(52);
    services.scale('order', 1);
    services.scale('inventory', 1);
    run(10_000);
    expect(cluster.topic('labshoppubsub').partitions).toHaveLength(1);
    expect(services.snapshot().replicas.find((r) => r.replicaId === 'inventory-1')!.assignment).toEqual([{ topic: 'labshoppubsub', partition: 0 }]);
  });

  it('names the missing topic when auto.create.topics.enable is false, instead of retrying for a minute', () => {
    const { services } = bench(53, { 'auto.create.topics.enable': 'false' });
    expect(() => services.scale('inventory', 1)).toThrow('Topic labshoppubsub does not exist and auto.create.topics.enable is false: create it first (kafka-topics --create --topic labshoppubsub).');
    expect(services.clientIds()).toEqual([]);
  });

  it('refuses settings Kafka\'s clients would refuse, with their message, and changes nothing', () => {
    const { services } = bench(54);
    expect(() => services.configure({ inventory: { heartbeatIntervalMs: 45_000 } })).toThrow('Heartbeat must be set lower than the session timeout');
    expect(() => services.configure({ order: { deliveryTimeoutMs: 1000 } })).toThrow('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
    expect(() => services.configure({ order: { acks: '2' as never } })).toThrow(/Invalid service setting order\.acks/);
    expect(services.currentSettings().inventory.heartbeatIntervalMs).toBe(3000);
    expect(services.currentSettings().order.deliveryTimeoutMs).toBe(120_000);
  });

  it('puts a configuration change on the timeline, saying consumer settings need a restart of the running replicas', () => {
    const { services, timeline } = bench(55);
    services.scale('inventory', 1);
    services.configure({ inventory: { commitMode: 'sync-after-processing', dedupeByOrderId: true } });
    expect(timeline.at(-1)).toMatchObject({
      code: 'service.configured',
      text: 'Service settings changed: inventory.commitMode=sync-after-processing, inventory.dedupeByOrderId=true (consumer settings apply to inventory replicas started from now on: restart them to apply).',
    });
  });

  it(`scales each service to at most ${servicesLimits.replicasPerServiceMax} replicas, numbered from 1 without gaps`, () => {
    const { services } = bench(56);
    expect(() => services.scale('inventory', servicesLimits.replicasPerServiceMax + 1)).toThrow(`The workbench runs 0 to ${servicesLimits.replicasPerServiceMax} inventory replicas`);
    services.scale('inventory', 3);
    services.scale('inventory', 2);
    services.scale('inventory', 4);
    expect(services.clientIds()).toEqual(['inventory-1', 'inventory-2', 'inventory-3', 'inventory-4']);
    expect(services.client('inventory-3')!.kind).toBe('service-replica');
    expect(services.client('inventory-9')).toBeNull();
    // inventory-3's console kept its first life and shows the scale-down and the new start.
    expect(services.log('inventory-3', 0).lines.filter((line) => /Starting InventoryApplication|Shutting down: scaled down/.test(line))).toHaveLength(3);
  });

  it('replays the same run from the same seed and actions', () => {
    const runOnce = () => {
      const { services, run } = bench(57);
      services.scale('order', 1);
      services.scale('inventory', 2);
      run(10_000);
      services.setStock(undefined, 1, 50);
      services.placeOrders({ productId: 1, qty: 1, count: 30, intervalMs: 300 });
      run(4000);
      services.replicaAction('inventory-1', 'crash');
      run(60_000);
      const snapshot = services.snapshot();
      return JSON.stringify({ snapshot, logs: services.clientIds().map((id) => services.log(id, 0)) });
    };
    expect(runOnce()).toBe(runOnce());
  });
});
