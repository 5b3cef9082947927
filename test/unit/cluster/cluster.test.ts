/**
 * The walking skeleton's cluster: topics are created, refused and described the way a Kafka
 * controller does it, and records land where Kafka's producer would put them.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { ManualClock } from '../../../engine/core/clock.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import type { Disk } from '../../../engine/storage/disk/disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const SEED = 20261122;

function cluster(brokerCount = 3, seed = SEED, disk: Disk = new MemoryDisk()): Cluster {
  return new Cluster({ brokerCount, clock: new ManualClock(1_700_000_000_000), prng: new SeededPrng(seed), disk, dataDir: '/data' });
}

function refusal(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return { name: error.errorName, message: error.message };
    throw error;
  }
  throw new Error('expected a KafkaError');
}

describe('topics', () => {
  it('places 3 partitions with RF 3 on 3 brokers with distinct replicas, one leader each, ISR = replicas', () => {
    const c = cluster();
    const topic = c.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3, configs: {} });
    for (const p of topic.partitions) {
      expect(new Set(p.replicas).size).toBe(3);
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.isr).toEqual(p.replicas);
    }
    // Kafka's placement spreads preferred leaders: each broker leads one of the three partitions.
    expect(new Set(topic.partitions.map((p) => p.leader)).size).toBe(3);
  });

  it('spreads leaders evenly on 5 brokers for 10 partitions (every seed)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const topic = cluster(5, seed).createTopic({ name: 't', partitions: 10, replicationFactor: 3, configs: {} });
      const leaders = new Map<number, number>();
      for (const p of topic.partitions) leaders.set(p.leader!, (leaders.get(p.leader!) ?? 0) + 1);
      expect([...leaders.values()], `seed ${seed}`).toEqual([2, 2, 2, 2, 2]);
    }
  });

  it('refuses a replication factor above the live brokers with Kafka’s INVALID_REPLICATION_FACTOR message', () => {
    expect(refusal(() => cluster().createTopic({ name: 'orders', partitions: 3, replicationFactor: 4, configs: {} }))).toEqual({
      name: 'INVALID_REPLICATION_FACTOR',
      message: 'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    });
  });

  it('refuses zero partitions and zero replication factor as Kafka does', () => {
    expect(refusal(() => cluster().createTopic({ name: 'a', partitions: 0, replicationFactor: 1, configs: {} })).name).toBe('INVALID_PARTITIONS');
    expect(refusal(() => cluster().createTopic({ name: 'a', partitions: 1, replicationFactor: 0, configs: {} })).name).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('refuses a duplicate and a colliding name', () => {
    const c = cluster();
    c.createTopic({ name: 'order.events', partitions: 1, replicationFactor: 1, configs: {} });
    expect(refusal(() => c.createTopic({ name: 'order.events', partitions: 1, replicationFactor: 1, configs: {} }))).toEqual({
      name: 'TOPIC_ALREADY_EXISTS',
      message: "Topic 'order.events' already exists.",
    });
    expect(refusal(() => c.createTopic({ name: 'order_events', partitions: 1, replicationFactor: 1, configs: {} }))).toEqual({
      name: 'INVALID_TOPIC_EXCEPTION',
      message: "Topic 'order_events' collides with existing topic: order.events",
    });
  });

  it('validates configs by Kafka’s names and types', () => {
    const c = cluster();
    expect(refusal(() => c.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'retention.msec': '1' } }))).toEqual({
      name: 'INVALID_CONFIG',
      message: 'Unknown topic config name: retention.msec',
    });
    expect(refusal(() => c.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'min.insync.replicas': 'two' } })).name).toBe('INVALID_CONFIG');
    expect(refusal(() => c.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'shred' } })).name).toBe('INVALID_CONFIG');
    const topic = c.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact', 'min.insync.replicas': '1' } });
    expect(topic.configs).toEqual({ 'cleanup.policy': 'compact', 'min.insync.replicas': '1' });
  });

  it('deletes a topic, after which it is unknown', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 1, replicationFactor: 1, configs: {} });
    c.deleteTopic('orders');
    expect(c.topicNames(true)).toEqual([]);
    expect(refusal(() => c.deleteTopic('orders')).name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('records', () => {
  it('appends with contiguous offsets per partition and reads them back up to the high watermark', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3, configs: {} });
    const appended = [0, 1, 2].map(() => c.produce({ topic: 'orders', partition: 1, key: null, value: 'v', headers: [], acks: 'all' }).offset);
    expect(appended).toEqual([0, 1, 2]);
    const { records, offsets } = c.read('orders', 1, 1, 10);
    expect(records.map((r) => r.offset)).toEqual([1, 2]);
    expect(offsets).toEqual({ logStartOffset: 0, logEndOffset: 3, highWatermark: 3 });
  });

  it('puts keyed records on the partition Kafka’s default partitioner picks', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 6, replicationFactor: 1, configs: {} });
    // From the murmur2 vectors: "foobar" → 0 and "abc" → 3 with 6 partitions.
    expect(c.produce({ topic: 'orders', key: 'foobar', value: '1', headers: [], acks: '1' }).partition).toBe(0);
    expect(c.produce({ topic: 'orders', key: 'abc', value: '1', headers: [], acks: '1' }).partition).toBe(3);
  });

  it('reports offset -1 for acks=0, as the Java producer does', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 1, replicationFactor: 1, configs: {} });
    expect(c.produce({ topic: 'orders', key: null, value: 'x', headers: [], acks: '0' }).offset).toBe(-1);
  });

  it('refuses acks=all when the ISR is smaller than min.insync.replicas', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '3' } });
    expect(refusal(() => c.produce({ topic: 'orders', key: null, value: 'x', headers: [], acks: 'all' })).name).toBe('NOT_ENOUGH_REPLICAS');
    expect(c.produce({ topic: 'orders', key: null, value: 'x', headers: [], acks: '1' }).offset).toBe(0);
  });

  it('refuses a partition that does not exist and an offset out of range', () => {
    const c = cluster();
    c.createTopic({ name: 'orders', partitions: 2, replicationFactor: 1, configs: {} });
    expect(refusal(() => c.produce({ topic: 'orders', partition: 2, key: null, value: 'x', headers: [], acks: '1' })).name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(refusal(() => c.read('orders', 0, 5, 10)).name).toBe('OFFSET_OUT_OF_RANGE');
  });
});

describe('persistence', () => {
  it('keeps topics, ids, assignments and records across a restart on the same disk', () => {
    const disk = new MemoryDisk();
    const first = cluster(3, SEED, disk);
    const created = first.createTopic({ name: 'orders', partitions: 3, replicationFactor: 2, configs: { 'retention.ms': '60000' } });
    first.produce({ topic: 'orders', partition: 2, key: 'order-1', value: '{"qty":1}', headers: [{ key: 'source', value: 'lab' }], acks: 'all' });
    first.produce({ topic: 'orders', partition: 2, key: null, value: null, headers: [], acks: 'all' });
    first.shutdown();

    const second = cluster(3, SEED + 1, disk);
    expect(second.clusterId).toBe(first.clusterId);
    const restored = second.topic('orders');
    expect(restored.topicId).toBe(created.topicId);
    expect(restored.configs).toEqual({ 'retention.ms': '60000' });
    expect(restored.partitions.map((p) => p.replicas)).toEqual(created.partitions.map((p) => p.replicas));
    const { records, offsets } = second.read('orders', 2, 0, 10);
    expect(offsets.highWatermark).toBe(2);
    expect(records).toEqual([
      { offset: 0, timestampMs: 1_700_000_000_000, key: 'order-1', value: '{"qty":1}', headers: [{ key: 'source', value: 'lab' }] },
      { offset: 1, timestampMs: 1_700_000_000_000, key: null, value: null, headers: [] },
    ]);
    expect(second.recoveryReports.every((r) => r.hadCleanShutdown)).toBe(true);
  });

  it('recovers after a crash (no clean shutdown) with every record that reached the logs', () => {
    const disk = new MemoryDisk();
    const first = cluster(3, SEED, disk);
    first.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    for (let i = 0; i < 20; i++) first.produce({ topic: 'orders', key: `k${i}`, value: `v${i}`, headers: [], acks: 'all' });
    const second = cluster(3, SEED, disk);
    expect(second.recoveryReports.some((r) => !r.hadCleanShutdown)).toBe(true);
    expect(second.read('orders', 0, 0, 100).records.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  });

  it('deletes a topic’s replica logs from every broker directory', () => {
    const disk = new MemoryDisk();
    const c = cluster(3, SEED, disk);
    c.createTopic({ name: 'orders', partitions: 2, replicationFactor: 3, configs: {} });
    expect(disk.list('/data/broker-1')).toEqual(expect.arrayContaining(['orders-0', 'orders-1']));
    c.deleteTopic('orders');
    for (const broker of [1, 2, 3]) expect(disk.list(`/data/broker-${broker}`).filter((n) => n.startsWith('orders'))).toEqual([]);
  });

  it('refuses to start a data directory with a different broker count, naming both', () => {
    const disk = new MemoryDisk();
    cluster(3, SEED, disk).shutdown();
    expect(() => cluster(5, SEED, disk)).toThrow('The data directory /data holds a 3-broker cluster; start it with 3 broker(s), or use another data directory for 5.');
  });

  it('refuses a damaged metadata file with its path, and changes nothing', () => {
    const disk = new MemoryDisk();
    cluster(3, SEED, disk).shutdown();
    disk.writeFileAtomic('/data/metadata/cluster-metadata.json', new TextEncoder().encode('{"version": 1, "clusterId": ""}'));
    const before = disk.list('/data');
    expect(() => cluster(3, SEED, disk)).toThrow(/The cluster metadata in \/data\/metadata\/cluster-metadata.json cannot be used/);
    expect(disk.list('/data')).toEqual(before);
  });
});
