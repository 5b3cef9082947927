/**
 * The in-process producer against the replicated cluster: keyed records land where Kafka puts
 * them, an idempotent producer rides out a leader failover with no loss and no duplicate, and a
 * producer retries NOT_ENOUGH_REPLICAS until the ISR is big enough again, as Kafka's does.
 */
import { describe, expect, it } from 'vitest';
import { KafkaProducer, stringSerializer, type ProducerConfigInput } from '../../../engine/clients/producer/index.js';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const SEED = 4242;

function setup(config: ProducerConfigInput = {}) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const prng = new SeededPrng(SEED);
  const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng, disk: new MemoryDisk(), dataDir: '/data' });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const producer = new KafkaProducer<string, string>({
    config,
    keySerializer: stringSerializer,
    valueSerializer: stringSerializer,
    network: cluster.producerNetwork('producer-1'),
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(SEED + 1),
  });
  const settle = <T>(work: Promise<T>, maxMs = 300_000) => runUntilSettled(scheduler, work, maxMs);
  return { scheduler, cluster, producer, settle };
}

function values(cluster: Cluster, topic: string): string[] {
  const partitions = cluster.topic(topic).partitions.length;
  const all: string[] = [];
  for (let p = 0; p < partitions; p++) all.push(...cluster.read(topic, p, 0, 10_000).records.map((r) => r.value ?? ''));
  return all;
}

describe('producer on the cluster', () => {
  it('puts keyed records on the murmur2 partitions and reports their offsets', async () => {
    const { cluster, producer, settle, scheduler } = setup({ lingerMs: 5 });
    cluster.createTopic({ name: 'orders', partitions: 6, replicationFactor: 3, configs: {} });
    scheduler.runUntil(scheduler.nowMs() + 50);
    const foobar = producer.send({ topic: 'orders', key: 'foobar', value: 'a' });
    const abc = producer.send({ topic: 'orders', key: 'abc', value: 'b' });
    const [m1, m2] = await settle(Promise.all([foobar.promise, abc.promise]));
    expect([m1.partition, m2.partition]).toEqual([0, 3]);
    expect([m1.offset, m2.offset]).toEqual([0, 0]);
  });

  it('an idempotent acks=all producer loses nothing and duplicates nothing across a leader crash', async () => {
    const { cluster, producer, settle, scheduler } = setup({ acks: 'all', enableIdempotence: true, lingerMs: 1 });
    const topic = cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    scheduler.runUntil(scheduler.nowMs() + 50);
    const sends = [];
    for (let i = 0; i < 200; i++) {
      sends.push(producer.send({ topic: 'payments', key: `k${i}`, value: `v${i}` }).promise);
      if (i === 100) cluster.killBroker(topic.partitions[0]!.leader);
      scheduler.runUntil(scheduler.nowMs() + 5);
    }
    const results = await settle(Promise.allSettled(sends));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    scheduler.runUntil(scheduler.nowMs() + 1000);
    const stored = values(cluster, 'payments');
    expect(stored).toHaveLength(200);
    expect(new Set(stored).size).toBe(200);
  });

  it('retries NOT_ENOUGH_REPLICAS until the ISR is big enough again', async () => {
    const { cluster, producer, settle, scheduler } = setup({ acks: 'all' });
    const topic = cluster.createTopic({ name: 'strict', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '3' } });
    scheduler.runUntil(scheduler.nowMs() + 50);
    const follower = topic.partitions[0]!.replicas[2]!;
    cluster.killBroker(follower);
    scheduler.runUntil(scheduler.nowMs() + 12_000);
    const pending = producer.send({ topic: 'strict', key: 'k', value: 'waited' });
    scheduler.runUntil(scheduler.nowMs() + 20_000);
    expect(pending.isDone()).toBe(false);
    cluster.restartBroker(follower);
    const metadata = await settle(pending.promise);
    expect(metadata.offset).toBe(0);
    expect(values(cluster, 'strict')).toEqual(['waited']);
  });
});
