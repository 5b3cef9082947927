/**
 * The group coordinator lives on the leader of the group's __consumer_offsets partition. When that
 * broker dies, leadership moves, the new leader loads the group and its committed offsets from the
 * log, and the members find it (NOT_COORDINATOR / a broken connection, then FindCoordinator): the
 * group keeps its generation, its assignment and its offsets, and nothing is consumed twice.
 */
import { describe, expect, it } from 'vitest';
import { offsetsPartitionFor } from '../../engine/groups/offsets-records.js';
import { groupLab } from './group-lab.js';

describe('coordinator failover', () => {
  it('killing the coordinator broker moves the group to the new leader of its offsets partition without a rebalance or a lost commit', async () => {
    const lab = groupLab(17);
    lab.cluster.createTopic({ name: 'orders', partitions: 2, replicationFactor: 3, configs: {} });
    lab.run(100);
    const seen: string[] = [];
    const onRecord = (r: { value: string | null }) => seen.push(r.value ?? '');
    lab.startApp({ clientId: 'inventory-1', groupId: 'inventory', topics: ['orders'], commitMode: 'sync-after-processing', onRecord });
    lab.startApp({ clientId: 'inventory-2', groupId: 'inventory', topics: ['orders'], commitMode: 'sync-after-processing', onRecord });
    lab.run(10_000);
    const producer = lab.producer({ acks: 'all' });
    for (let i = 0; i < 10; i++) await lab.settle(producer.send({ topic: 'orders', partition: i % 2, value: `order-${i}` }).promise);
    lab.run(2_000);

    const offsetsTopic = lab.cluster.topic('__consumer_offsets');
    const groupPartition = offsetsPartitionFor('inventory', offsetsTopic.partitions.length);
    const oldCoordinator = offsetsTopic.partitions[groupPartition]!.leader;
    const generationBefore = lab.apps.get('inventory-1')!.consumer.metrics().generationId;
    lab.cluster.killBroker(oldCoordinator);
    // The controller fences it after broker.session.timeout.ms (9 s) and elects a new leader.
    lab.run(20_000);
    const newCoordinator = lab.cluster.topic('__consumer_offsets').partitions[groupPartition]!.leader;
    expect(newCoordinator).not.toBe(oldCoordinator);
    expect(newCoordinator).toBeGreaterThan(0);

    for (let i = 10; i < 20; i++) await lab.settle(producer.send({ topic: 'orders', partition: i % 2, value: `order-${i}` }).promise);
    lab.run(5_000);

    expect(lab.apps.get('inventory-1')!.consumer.metrics().coordinator).toBe(newCoordinator);
    expect(lab.apps.get('inventory-1')!.consumer.metrics().generationId).toBe(generationBefore);
    expect(lab.timeline.history('inventory').filter((r) => r.cause !== 'join')).toEqual([]);
    // Every order processed exactly once, and the committed offsets survived the move.
    expect([...seen].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `order-${i}`).sort());
    const coordinator = lab.cluster.groups.coordinator(newCoordinator)!;
    const committed = coordinator.handleOffsetFetch({ api: 'OffsetFetch', groupId: 'inventory', topics: [{ name: 'orders', partitions: [0, 1] }] });
    expect(committed.topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([10, 10]);
  });
});
