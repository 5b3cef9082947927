/**
 * The consumer on the replicated cluster's own port (Cluster.consumerNetwork): what the producer
 * wrote is read back, once by a standalone assign() consumer and once by a group member that
 * finds its coordinator, joins (KIP-394, group.initial.rebalance.delay.ms) and commits on close.
 */
import { describe, expect, it } from 'vitest';
import { KafkaProducer, stringSerializer } from '../../../../engine/clients/producer/index.js';
import { KafkaConsumer } from '../../../../engine/clients/consumer/kafka-consumer.js';
import { stringDeserializer } from '../../../../engine/clients/consumer/deserializers.js';
import { Cluster } from '../../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../../engine/core/scheduler.js';
import { MemoryDisk } from '../../../../engine/storage/disk/memory-disk.js';

describe('consumer on the cluster', () => {
  it('reads back what the producer wrote, standalone and as a group member', async () => {
    const scheduler = new Scheduler(1_700_000_000_000);
    const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(1), disk: new MemoryDisk(), dataDir: '/data' });
    scheduler.runUntil(scheduler.nowMs() + 100);
    cluster.createTopic({ name: 'orders', partitions: 2, replicationFactor: 3, configs: {} });
    scheduler.runUntil(scheduler.nowMs() + 50);
    const producer = new KafkaProducer<string, string>({ config: { lingerMs: 1 }, keySerializer: stringSerializer, valueSerializer: stringSerializer, network: cluster.producerNetwork('producer-1'), clock: scheduler, timers: scheduler, prng: new SeededPrng(2) });
    await runUntilSettled(scheduler, Promise.all(Array.from({ length: 20 }, (_, i) => producer.send({ topic: 'orders', key: `k${i}`, value: `v${i}` }).promise)), 60_000);

    for (const groupId of [null, 'inventory']) {
      const clientId = groupId === null ? 'standalone' : 'inventory-1';
      const consumer = new KafkaConsumer<string, string>({
        config: { groupId, clientId, autoOffsetReset: 'earliest' },
        keyDeserializer: stringDeserializer,
        valueDeserializer: stringDeserializer,
        network: cluster.consumerNetwork(clientId),
        clock: scheduler,
        timers: scheduler,
      });
      if (groupId === null) consumer.assign([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]);
      else consumer.subscribe(['orders']);
      const values: string[] = [];
      for (let i = 0; i < 30 && values.length < 20; i++) for (const record of await runUntilSettled(scheduler, consumer.poll(1000), 60_000)) values.push(record.value!);
      expect(values.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
      if (groupId !== null) expect(consumer.metrics()).toMatchObject({ state: 'STABLE', generationId: 1, protocol: 'range' });
      await runUntilSettled(scheduler, consumer.close(), 60_000);
      if (groupId !== null) {
        const committed = await runUntilSettled(scheduler, closedGroupCommitted(cluster, scheduler), 60_000);
        expect(committed).toBe(20);
      }
    }
  });
});

/** The group's committed offsets, summed, as a fresh consumer of the group sees them. */
async function closedGroupCommitted(cluster: Cluster, scheduler: Scheduler): Promise<number> {
  const reader = new KafkaConsumer<string, string>({ config: { groupId: 'inventory', clientId: 'reader' }, keyDeserializer: stringDeserializer, valueDeserializer: stringDeserializer, network: cluster.consumerNetwork('reader'), clock: scheduler, timers: scheduler });
  const committed = await reader.committed([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]);
  reader.crash();
  return committed.reduce((sum, c) => sum + (c.committed?.offset ?? 0), 0);
}
