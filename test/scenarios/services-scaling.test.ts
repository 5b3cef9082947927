/**
 * Seed 000 ("Kafka Scaling") with the workbench's own order and inventory services on virtual
 * time: replicas vs partitions, partition scale-out and the producer's partitioner, and what
 * crashing or pausing an inventory replica does to orders and stock.
 */
import { describe, expect, it } from 'vitest';
import { ServiceLogSchema, ServicesSnapshotSchema } from '../../engine/api/services-dto.js';
import { partitionForKey } from '../../engine/clients/murmur2.js';
import type { ServiceSettingsInput } from '../../engine/services/services.js';
import { GROUP, servicesLab, TOPIC } from './services-lab.js';

describe('seed 000 with the services: partitions vs inventory replicas', () => {
  it('(a) 1 partition, inventory scaled to 2: one replica logs "partitions assigned: []" and 4 orders decrement stock on the other only', () => {
    const seed = 11;
    const lab = servicesLab(seed, { partitions: 1 });
    lab.services.scale('order', 1);
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    const owner = ['inventory-1', 'inventory-2'].find((id) => lab.assignment(id).length > 0)!;
    const idle = owner === 'inventory-1' ? 'inventory-2' : 'inventory-1';
    expect(lab.assignment(owner), `seed ${seed}`).toEqual(['labshoppubsub-0']);
    expect(lab.assignment(idle), `seed ${seed}: ${idle} has no partition while the topic has 1`).toEqual([]);
    expect(lab.logLines(idle, /partitions assigned/), `seed ${seed}`).toEqual([expect.stringMatching(/o\.s\.k\.l\.KafkaMessageListenerContainer\s+: inventory: partitions assigned: \[\]$/)]);
    expect(lab.logLines(owner, /partitions assigned/), `seed ${seed}`).toEqual([expect.stringMatching(/: inventory: partitions assigned: \[labshoppubsub-0\]$/)]);

    // http :8082/inventories id=1 stock=10; http :8083/inventories id=1 stock=10
    lab.services.setStock('inventory-1', 1, 10);
    lab.services.setStock('inventory-2', 1, 10);
    // http :8081/orders productId=1 qty=1, four times
    const orderIds = lab.services.placeOrders({ productId: 1, qty: 1, count: 4, intervalMs: 1000 });
    expect(orderIds, `seed ${seed}`).toEqual([1, 2, 3, 4]);
    lab.run(10_000);
    expect(lab.stock(owner), `seed ${seed}: the owner of labshoppubsub-0 applied all 4 orders`).toBe(6);
    expect(lab.stock(idle), `seed ${seed}: the idle replica saw no order`).toBe(10);
    expect(lab.replica(owner).processed).toBe(4);
    expect(lab.replica(idle).processed).toBe(0);
    const figures = lab.services.snapshot().figures;
    expect(figures, `seed ${seed}`).toMatchObject({ ordersPlaced: 4, ordersAcknowledged: 4, ordersProcessed: 4, duplicates: 0, lost: 0, pending: 0, stockStatus: 'consistent' });
    expect(lab.logLines(owner, /##### listener DecreaseStock/)).toHaveLength(4);
    // What crosses the contract has the contract's shape.
    expect(() => ServicesSnapshotSchema.parse(lab.services.snapshot())).not.toThrow();
    expect(() => ServiceLogSchema.parse(lab.services.log(owner, 0))).not.toThrow();
  });

  it('(b) after kafka-topics --alter --partitions 2 both replicas own a partition once the metadata is refreshed; where orders go then is the partitioner\'s choice', () => {
    const seed = 12;
    const lab = servicesLab(seed, { partitions: 1 });
    lab.services.scale('order', 1);
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    const idle = ['inventory-1', 'inventory-2'].find((id) => lab.assignment(id).length === 0)!;
    lab.cluster.createPartitions(TOPIC, 2);
    // The seed's "wait 2-3 minutes": two minutes later the consumers' metadata (metadata.max.age.ms 300000) is still the old one.
    lab.run(120_000);
    expect(lab.assignment(idle), `seed ${seed}: nothing moves before the metadata refresh`).toEqual([]);
    lab.run(200_000);
    expect([lab.assignment('inventory-1'), lab.assignment('inventory-2')].sort(), `seed ${seed}`).toEqual([['labshoppubsub-0'], ['labshoppubsub-1']]);
    lab.services.setStock(undefined, 1, 100);

    // Kafka 3.3+'s default partitioner (KIP-794): keyless orders stick to one partition until batch.size bytes went there.
    const sticky = lab.services.placeOrders({ productId: 1, qty: 1, count: 6, intervalMs: 1000 });
    lab.run(10_000);
    const stickyPartitions = sticky.map((id) => (lab.ordersIn(0).includes(id) ? 0 : 1));
    expect(new Set(stickyPartitions).size, `seed ${seed}: ${stickyPartitions.join(',')}`).toBe(1);
    expect([lab.stock('inventory-1'), lab.stock('inventory-2')].sort(), `seed ${seed}: one replica applied all six`).toEqual([100, 94]);

    // RoundRobinPartitioner in Kafka 3.0-3.8 moves its counter twice per new batch (KAFKA-9965): one order at a time, all land on partition 1 of 2.
    lab.services.configure({ order: { partitioner: 'round-robin' } });
    const roundRobin = lab.services.placeOrders({ productId: 1, qty: 1, count: 6, intervalMs: 1000 });
    lab.run(10_000);
    expect(roundRobin.every((id) => lab.ordersIn(1).includes(id)), `seed ${seed}: partition 1 holds ${lab.ordersIn(1).join(',')}`).toBe(true);

    // Keyed by orderId: murmur2(key) % 2, so orders spread over both partitions and both replicas' stores.
    lab.services.configure({ order: { partitioner: 'default', key: 'orderId' } });
    const keyed = lab.services.placeOrders({ productId: 1, qty: 1, count: 8, intervalMs: 200 });
    lab.run(10_000);
    for (const id of keyed) expect(lab.ordersIn(partitionForKey(new TextEncoder().encode(String(id)), 2)), `seed ${seed}: order ${id}`).toContain(id);
    const owner1 = ['inventory-1', 'inventory-2'].find((id) => lab.assignment(id).includes('labshoppubsub-1'))!;
    const owner0 = owner1 === 'inventory-1' ? 'inventory-2' : 'inventory-1';
    const onPartition1 = [...sticky, ...roundRobin, ...keyed].filter((id) => lab.ordersIn(1).includes(id)).length;
    expect(lab.replica(owner1).processed, `seed ${seed}`).toBe(onPartition1);
    expect(lab.replica(owner0).processed, `seed ${seed}`).toBe(20 - onPartition1);
    expect(lab.services.snapshot().figures, `seed ${seed}`).toMatchObject({ ordersAcknowledged: 20, ordersProcessed: 20, stockStatus: 'consistent' });
  });

  it('(c) 2 partitions, inventory scaled from 2 to 3: one replica is idle ("partitions assigned: []")', () => {
    const seed = 13;
    const lab = servicesLab(seed, { partitions: 2 });
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    lab.services.scale('inventory', 3);
    lab.run(15_000);
    const assignments = ['inventory-1', 'inventory-2', 'inventory-3'].map((id) => lab.assignment(id));
    expect(assignments.filter((a) => a.length === 0), `seed ${seed}: ${JSON.stringify(assignments)}`).toHaveLength(1);
    expect(assignments.flat().sort(), `seed ${seed}`).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);
    const idle = ['inventory-1', 'inventory-2', 'inventory-3'][assignments.findIndex((a) => a.length === 0)]!;
    expect(lab.logLines(idle, /partitions assigned/).at(-1), `seed ${seed}`).toMatch(/inventory: partitions assigned: \[\]$/);
    expect(lab.timeline.entries.filter((e) => e.code === 'service.scaled').map((e) => [e.kind, e.params])).toEqual([
      ['scaling', { service: 'inventory', from: 0, to: 2 }],
      ['scaling', { service: 'inventory', from: 2, to: 3 }],
    ]);
    expect(lab.services.snapshot().replicas.map((r) => r.state)).toEqual(['running', 'running', 'running']);
  });
});

/** Two inventory replicas on 2 partitions, orders keyed by orderId every 500 ms, one store for all. */
function crashLab(seed: number, inventory: ServiceSettingsInput['inventory']) {
  const lab = servicesLab(seed, { partitions: 2, settings: { order: { key: 'orderId' }, inventory: { store: 'shared', ...inventory } } });
  lab.services.scale('order', 1);
  lab.services.scale('inventory', 2);
  lab.run(10_000);
  lab.services.setStock(undefined, 1, 1000);
  const orderIds = lab.services.placeOrders({ productId: 1, qty: 1, count: 120, intervalMs: 500 });
  const victim = ['inventory-1', 'inventory-2'].find((id) => lab.assignment(id).includes('labshoppubsub-0'))!;
  const survivor = victim === 'inventory-1' ? 'inventory-2' : 'inventory-1';
  return { ...lab, orderIds, victim, survivor };
}

describe('crashing and pausing inventory replicas', () => {
  it('(d) a replica crashed without LeaveGroup: its partition is not consumed for about session.timeout.ms, then reassigned; with commitSync after processing no order is lost or applied twice', () => {
    const seed = 14;
    const lab = crashLab(seed, { commitMode: 'sync-after-processing' });
    lab.run(12_300);
    const crashedAtMs = lab.scheduler.nowMs();
    lab.services.replicaAction(lab.victim, 'crash');
    expect(lab.replica(lab.victim)).toMatchObject({ state: 'crashed', assignment: [], memberId: null });
    lab.run(40_000);
    // The coordinator still counts the dead member: nobody fetches labshoppubsub-0, its orders wait.
    expect(lab.assignment(lab.survivor), `seed ${seed}`).toEqual(['labshoppubsub-1']);
    expect(lab.services.snapshot().figures.pending, `seed ${seed}: orders on labshoppubsub-0 wait`).toBeGreaterThan(10);
    lab.run(15_000);
    expect(lab.assignment(lab.survivor).sort(), `seed ${seed}: reassigned after session.timeout.ms`).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);
    const window = lab.rebalances.history(GROUP)[0]!.stopTheWorld.find((w) => w.partition === 0)!;
    expect(window.pausedMs, `seed ${seed}: labshoppubsub-0 stood still from the crash at ${crashedAtMs}`).toBeGreaterThanOrEqual(42_000);
    expect(window.pausedMs).toBeLessThan(50_000);
    lab.run(30_000);
    const figures = lab.services.snapshot().figures;
    expect(figures, `seed ${seed}: ${figures.stockReason}`).toMatchObject({ ordersPlaced: 120, ordersAcknowledged: 120, ordersProcessed: 120, duplicates: 0, lost: 0, pending: 0, stockStatus: 'consistent' });
    expect(lab.stock(lab.survivor)).toBe(1000 - 120);
    expect(lab.timeline.entries.find((e) => e.code === 'service.replica-crashed')).toMatchObject({ kind: 'fault', severity: 'warn', params: { replicaId: lab.victim } });
  });

  it('(d) with auto commit the orders processed since the last auto commit are delivered again to the new owner: duplicates, stock inconsistent', () => {
    const seed = 15;
    const lab = crashLab(seed, { commitMode: 'auto' });
    // 3 s after an auto commit (auto.commit.interval.ms 5000): the orders applied since are not committed.
    lab.run(14_000);
    lab.services.replicaAction(lab.victim, 'crash');
    lab.run(120_000);
    const figures = lab.services.snapshot().figures;
    expect(figures.duplicates, `seed ${seed}: ${figures.stockReason}`).toBeGreaterThan(0);
    expect(figures, `seed ${seed}`).toMatchObject({ ordersProcessed: 120, lost: 0, pending: 0, stockStatus: 'inconsistent' });
    expect(figures.stockReason).toMatch(/duplicate application/);
    expect(lab.stock(lab.survivor), `seed ${seed}: each duplicate took one more unit`).toBe(1000 - 120 - figures.duplicates);
  });

  it('(e) a replica paused (GC-like) longer than session.timeout.ms is evicted; on resume it rejoins and gets a partition back', () => {
    const seed = 16;
    const lab = servicesLab(seed, { partitions: 2 });
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    lab.services.replicaAction('inventory-1', 'pause');
    expect(lab.replica('inventory-1').state).toBe('paused');
    lab.run(50_000);
    expect(lab.assignment('inventory-2').sort(), `seed ${seed}: inventory-1 was removed after session.timeout.ms without heartbeats`).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);
    const logBefore = lab.services.log('inventory-1', 0).totalLines;
    lab.services.replicaAction('inventory-1', 'resume');
    lab.run(15_000);
    expect([lab.assignment('inventory-1'), lab.assignment('inventory-2')].sort(), `seed ${seed}`).toEqual([['labshoppubsub-0'], ['labshoppubsub-1']]);
    const afterResume = lab.services.log('inventory-1', logBefore).lines.join('\n');
    expect(afterResume, `seed ${seed}`).toMatch(/\[workbench\] inventory-1 resumed/);
    expect(afterResume, `seed ${seed}: it finds out it is no longer a member`).toMatch(/UNKNOWN_MEMBER_ID|is not valid|Lost previously assigned partitions/);
    const pause = lab.timeline.entries.find((e) => e.code === 'service.replica-paused')!;
    expect(pause.endMs! - pause.atMs, `seed ${seed}: the pause span on the timeline`).toBe(50_000);
  });

  it('(f) with dedupe by orderId on a shared store, the redelivered orders are skipped: no duplicate, stock consistent', () => {
    const seed = 15;
    const lab = crashLab(seed, { commitMode: 'auto', dedupeByOrderId: true });
    lab.run(14_000);
    lab.services.replicaAction(lab.victim, 'crash');
    lab.run(120_000);
    const figures = lab.services.snapshot().figures;
    expect(figures.duplicatesSkipped, `seed ${seed}: ${figures.stockReason}`).toBeGreaterThan(0);
    expect(figures, `seed ${seed}`).toMatchObject({ ordersProcessed: 120, duplicates: 0, lost: 0, pending: 0, stockStatus: 'consistent' });
    expect(lab.stock(lab.survivor)).toBe(1000 - 120);
    expect(lab.logLines(lab.survivor, /skipped \(dedupe by orderId\)/)).toHaveLength(figures.duplicatesSkipped);
  });

  it('(g) scaling down stops the highest-numbered replica cleanly: it finishes its batch, commits and leaves at once; nothing is lost or applied twice', () => {
    const seed = 17;
    const lab = servicesLab(seed, { partitions: 2, settings: { order: { key: 'orderId' }, inventory: { store: 'shared', processingMsPerRecord: 200 } } });
    lab.services.scale('order', 1);
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    lab.services.setStock(undefined, 1, 100);
    lab.services.placeOrders({ productId: 1, qty: 1, count: 20 });
    lab.run(500);
    const batch = lab.replica('inventory-2').processed;
    lab.services.scale('inventory', 1);
    expect(lab.services.clientIds()).toEqual(['order-1', 'inventory-1']);
    // No session timeout to wait for: the LeaveGroup starts the rebalance at once.
    lab.run(5000);
    expect(lab.assignment('inventory-1').sort(), `seed ${seed}`).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);
    lab.run(10_000);
    const figures = lab.services.snapshot().figures;
    expect(batch, `seed ${seed}: inventory-2 was in the middle of its batch when scaled down`).toBeGreaterThan(0);
    expect(figures, `seed ${seed}: ${figures.stockReason}`).toMatchObject({ ordersAcknowledged: 20, ordersProcessed: 20, duplicates: 0, lost: 0, pending: 0, stockStatus: 'consistent' });
    expect(lab.logLines('inventory-2', /Shutting down: scaled down/)).toHaveLength(1);
    expect(lab.logLines('inventory-2', /Member .* sending LeaveGroup request/)).toHaveLength(1);
  });

  it('(h) a slowed replica takes the new processing time per record; a skewed order replica clock shows in the records\' CreateTime', () => {
    const seed = 18;
    const lab = servicesLab(seed, { partitions: 1, settings: { inventory: { store: 'shared' } } });
    lab.services.scale('order', 1);
    lab.services.scale('inventory', 1);
    lab.run(10_000);
    lab.services.setStock(undefined, 1, 100);
    lab.services.setProcessing('inventory-1', 1000);
    expect(lab.services.client('inventory-1')!.processingMsPerRecord()).toBe(1000);
    const order = lab.services.client('order-1')!;
    order.setClockSkewMs(-3_600_000);
    const placedAtMs = lab.scheduler.nowMs();
    lab.services.placeOrders({ productId: 1, qty: 1, count: 5 });
    lab.run(3500);
    expect(lab.replica('inventory-1').processed, `seed ${seed}: one order per second`).toBe(3);
    lab.run(5000);
    expect(lab.replica('inventory-1').processed).toBe(5);
    const [record] = lab.cluster.read(TOPIC, 0, 0, 1).records;
    expect(record!.timestampMs, `seed ${seed}: CreateTime from the order replica's clock, an hour behind`).toBe(placedAtMs - 3_600_000);
    expect(JSON.parse(record!.value!).timestamp).toBe(placedAtMs - 3_600_000);
  });
});
