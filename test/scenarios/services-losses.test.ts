/**
 * Orders lost and how the business figures find them: acknowledged with acks=1 by a leader that
 * died before its followers had them (the failover preset's lesson), the same failover with
 * acks=all and min.insync.replicas=2 (nothing lost), and a commit before processing followed by a
 * crash (the rest of the batch is never applied).
 */
import { describe, expect, it } from 'vitest';
import { servicesLab, TOPIC } from './services-lab.js';

/** Three brokers, one partition with 3 replicas, one order and one inventory replica, 100 in stock. */
function failoverLab(seed: number, acks: '1' | 'all', topicConfigs: Record<string, string> = {}) {
  const lab = servicesLab(seed, { brokers: 3, partitions: 1, topicConfigs, settings: { order: { acks }, inventory: { store: 'shared' } } });
  lab.services.scale('order', 1);
  lab.services.scale('inventory', 1);
  lab.run(10_000);
  lab.services.setStock(undefined, 1, 100);
  lab.services.placeOrders({ productId: 1, qty: 1, count: 5, intervalMs: 200 });
  lab.run(3000);
  const registration = lab.cluster.partition(TOPIC, 0);
  const leader = registration.leader;
  const followers = registration.replicas.filter((id) => id !== leader);
  /** The leader is cut off from its followers: what it appends now stays on it alone. Then it dies and a follower takes over. */
  const failover = (ordersWhileCutOff: number) => {
    for (const f of followers) lab.cluster.network.setLink(f, leader, { up: false });
    const placed = lab.services.placeOrders({ productId: 1, qty: 1, count: ordersWhileCutOff, intervalMs: 200 });
    lab.run(2000);
    lab.cluster.killBroker(leader);
    for (const f of followers) lab.cluster.network.setLink(f, leader, { up: true });
    lab.run(20_000);
    return placed;
  };
  return { ...lab, leader, followers, failover };
}

describe('orders lost, and counted', () => {
  it('acks=1: the orders the dead leader alone had acknowledged are lost; the figures name them, first as overwritten offsets, then as truncated', () => {
    const seed = 21;
    const lab = failoverLab(seed, '1');
    const cutOff = lab.failover(3);
    expect(lab.services.snapshot().figures.ordersAcknowledged, `seed ${seed}: acks=1 acknowledged them on the leader alone`).toBe(8);
    expect(lab.followers, `seed ${seed}`).toContain(lab.cluster.partition(TOPIC, 0).leader);
    // New orders take the same offsets on the new leader; inventory applies them and commits past the lost ones.
    lab.services.placeOrders({ productId: 1, qty: 1, count: 5, intervalMs: 200 });
    // The producer learns of the new leader when its request to the dead one times out (request.timeout.ms 30000).
    lab.run(45_000);
    let figures = lab.services.snapshot().figures;
    expect(figures, `seed ${seed}: ${figures.stockReason}`).toMatchObject({ ordersAcknowledged: 13, ordersProcessed: 10, lost: 3, pending: 0, stockStatus: 'inconsistent' });
    expect(figures.lostOrders.map((o) => o.orderId).sort(), `seed ${seed}`).toEqual([...cutOff].sort());
    expect(figures.lostOrders[0]!.why, `seed ${seed}`).toMatch(/^offset \d+ of labshoppubsub-0 now holds order \d+: the log was truncated after a leader change/);
    expect(figures.stockReason).toMatch(/3 acknowledged order\(s\) lost/);
    // The old leader comes back and truncates its log to the new leader's: the cluster reports the loss.
    lab.cluster.restartBroker(lab.leader);
    lab.run(10_000);
    expect(lab.events.filter((e) => e.type === 'data-loss'), `seed ${seed}`).toHaveLength(1);
    figures = lab.services.snapshot().figures;
    expect(figures.lost).toBe(3);
    expect(figures.lostOrders.every((o) => /acknowledged with acks=1 were truncated when broker \d rejoined/.test(o.why)), `seed ${seed}: ${JSON.stringify(figures.lostOrders)}`).toBe(true);
  });

  it('acks=all with min.insync.replicas=2: the same failover loses nothing', () => {
    const seed = 22;
    const lab = failoverLab(seed, 'all', { 'min.insync.replicas': '2' });
    lab.failover(3);
    lab.services.placeOrders({ productId: 1, qty: 1, count: 5, intervalMs: 200 });
    lab.run(30_000);
    lab.cluster.restartBroker(lab.leader);
    lab.run(10_000);
    const figures = lab.services.snapshot().figures;
    expect(figures, `seed ${seed}: ${figures.stockReason}`).toMatchObject({ ordersPlaced: 13, ordersAcknowledged: 13, ordersProcessed: 13, duplicates: 0, lost: 0, pending: 0, stockStatus: 'consistent' });
    expect(lab.stock('inventory-1')).toBe(100 - 13);
  });

  it('commit before processing, then a crash mid-batch: the rest of the batch is lost, committed past without being applied', () => {
    const seed = 23;
    const lab = servicesLab(seed, { partitions: 1, settings: { inventory: { commitMode: 'before-processing', processingMsPerRecord: 1000, store: 'shared' } } });
    lab.services.scale('order', 1);
    lab.services.scale('inventory', 2);
    lab.run(10_000);
    lab.services.setStock(undefined, 1, 100);
    const owner = lab.replica('inventory-1').assignment.length > 0 ? 'inventory-1' : 'inventory-2';
    const other = owner === 'inventory-1' ? 'inventory-2' : 'inventory-1';
    // Ten orders at once: one poll returns all ten, the offsets are committed, then each takes a second.
    lab.services.placeOrders({ productId: 1, qty: 1, count: 10 });
    lab.run(3500);
    expect(lab.replica(owner).processed, `seed ${seed}`).toBe(3);
    lab.services.replicaAction(owner, 'crash');
    lab.run(60_000);
    expect(lab.assignment(other), `seed ${seed}`).toEqual(['labshoppubsub-0']);
    const figures = lab.services.snapshot().figures;
    expect(figures, `seed ${seed}: ${figures.stockReason}`).toMatchObject({ ordersAcknowledged: 10, ordersProcessed: 3, lost: 7, pending: 0, stockStatus: 'inconsistent' });
    expect(figures.lostOrders[0]!.why, `seed ${seed}`).toMatch(/^group inventory committed offset 10 of labshoppubsub-0, past offset \d, but no inventory replica applied it$/);
    expect(lab.stock(other)).toBe(97);
  });
});
