/**
 * The embedded cluster, driven in simulation time: topics are created, refused and described the
 * way a Kafka controller does it, records land where Kafka's producer would put them and survive
 * restarts, and replication, elections and acks behave as Kafka's do under failure.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterEvent, type ProduceSpec } from '../../../engine/cluster/cluster.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import type { Disk } from '../../../engine/storage/disk/disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const SEED = 20261122;
const START_MS = 1_700_000_000_000;

interface Harness {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly events: ClusterEvent[];
  produce(spec: Partial<ProduceSpec> & { topic: string }): Promise<{ partition: number; offset: number }>;
  /** The Kafka error a produce ends with (the test fails if it succeeds). */
  produceError(spec: Partial<ProduceSpec> & { topic: string }): Promise<string>;
  runMs(ms: number): void;
}

function harness(brokerCount = 3, seed = SEED, disk: Disk = new MemoryDisk(), scheduler = new Scheduler(START_MS)): Harness {
  const cluster = new Cluster({ brokerCount, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk, dataDir: '/data' });
  const events: ClusterEvent[] = [];
  cluster.onEvent((e) => events.push(e));
  // Let brokers receive their first metadata and heartbeats.
  scheduler.runUntil(scheduler.nowMs() + 100);
  const send = (spec: Partial<ProduceSpec> & { topic: string }) =>
    runUntilSettled(scheduler, Promise.resolve().then(() => cluster.produce({ key: null, value: 'v', headers: [], acks: 'all', ...spec })), 120_000);
  return {
    cluster,
    scheduler,
    events,
    produce: send,
    produceError: async (spec) => {
      try {
        await send(spec);
      } catch (error) {
        if (error instanceof KafkaError) return error.errorName;
        throw error;
      }
      throw new Error(`seed ${seed}: expected the produce to fail`);
    },
    runMs: (ms) => void scheduler.runUntil(scheduler.nowMs() + ms),
  };
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
    const { cluster } = harness();
    const topic = cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3, configs: {} });
    for (const p of topic.partitions) {
      expect(new Set(p.replicas).size).toBe(3);
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.isr).toEqual(p.replicas);
    }
    expect(new Set(topic.partitions.map((p) => p.leader)).size).toBe(3);
  });

  it('spreads leaders evenly on 5 brokers for 10 partitions (every seed)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const topic = harness(5, seed).cluster.createTopic({ name: 't', partitions: 10, replicationFactor: 3, configs: {} });
      const leaders = new Map<number, number>();
      for (const p of topic.partitions) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      expect([...leaders.values()], `seed ${seed}`).toEqual([2, 2, 2, 2, 2]);
    }
  });

  it('refuses a replication factor above the live brokers with Kafka’s INVALID_REPLICATION_FACTOR message', () => {
    expect(refusal(() => harness().cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 4, configs: {} }))).toEqual({
      name: 'INVALID_REPLICATION_FACTOR',
      message: 'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    });
  });

  it('refuses zero partitions and zero replication factor as Kafka does', () => {
    expect(refusal(() => harness().cluster.createTopic({ name: 'a', partitions: 0, replicationFactor: 1, configs: {} })).name).toBe('INVALID_PARTITIONS');
    expect(refusal(() => harness().cluster.createTopic({ name: 'a', partitions: 1, replicationFactor: 0, configs: {} })).name).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('refuses a duplicate and a colliding name', () => {
    const { cluster } = harness();
    cluster.createTopic({ name: 'order.events', partitions: 1, replicationFactor: 1, configs: {} });
    expect(refusal(() => cluster.createTopic({ name: 'order.events', partitions: 1, replicationFactor: 1, configs: {} }))).toEqual({
      name: 'TOPIC_ALREADY_EXISTS',
      message: "Topic 'order.events' already exists.",
    });
    expect(refusal(() => cluster.createTopic({ name: 'order_events', partitions: 1, replicationFactor: 1, configs: {} }))).toEqual({
      name: 'INVALID_TOPIC_EXCEPTION',
      message: "Topic 'order_events' collides with existing topic: order.events",
    });
  });

  it('validates configs by Kafka’s names and types', () => {
    const { cluster } = harness();
    expect(refusal(() => cluster.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'retention.msec': '1' } }))).toEqual({
      name: 'INVALID_CONFIG',
      message: 'Unknown topic config name: retention.msec',
    });
    expect(refusal(() => cluster.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'min.insync.replicas': 'two' } })).name).toBe('INVALID_CONFIG');
    const topic = cluster.createTopic({ name: 'a', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact', 'min.insync.replicas': '1' } });
    expect(topic.configs).toEqual({ 'cleanup.policy': 'compact', 'min.insync.replicas': '1' });
  });

  it('deletes a topic from the metadata and its replica logs from every broker directory', () => {
    const disk = new MemoryDisk();
    const { cluster, runMs } = harness(3, SEED, disk);
    cluster.createTopic({ name: 'orders', partitions: 2, replicationFactor: 3, configs: {} });
    runMs(50);
    expect(disk.list('/data/broker-1')).toEqual(expect.arrayContaining(['orders-0', 'orders-1']));
    cluster.deleteTopic('orders');
    runMs(50);
    expect(cluster.topicNames(true)).toEqual([]);
    for (const broker of [1, 2, 3]) expect(disk.list(`/data/broker-${broker}`).filter((n) => n.startsWith('orders'))).toEqual([]);
    expect(refusal(() => cluster.deleteTopic('orders')).name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('records', () => {
  it('appends with contiguous offsets, replicates to every ISR member and reads up to the high watermark', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3, configs: {} });
    h.runMs(50);
    const offsets = [];
    for (let i = 0; i < 3; i++) offsets.push((await h.produce({ topic: 'orders', partition: 1 })).offset);
    expect(offsets).toEqual([0, 1, 2]);
    h.runMs(1000);
    const { records, offsets: partitionOffsets } = h.cluster.read('orders', 1, 1, 10);
    expect(records.map((r) => r.offset)).toEqual([1, 2]);
    expect(partitionOffsets).toEqual({ logStartOffset: 0, logEndOffset: 3, highWatermark: 3 });
    expect(h.cluster.replicaOffsets('orders', 1).map((r) => r.logEndOffset)).toEqual([3, 3, 3]);
  });

  it('puts keyed records on the partition Kafka’s default partitioner picks', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'orders', partitions: 6, replicationFactor: 1, configs: {} });
    h.runMs(50);
    // From the murmur2 vectors: "foobar" → 0 and "abc" → 3 with 6 partitions.
    expect((await h.produce({ topic: 'orders', key: 'foobar', acks: '1' })).partition).toBe(0);
    expect((await h.produce({ topic: 'orders', key: 'abc', acks: '1' })).partition).toBe(3);
  });

  it('reports offset -1 for acks=0, as the Java producer does', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 1, configs: {} });
    h.runMs(50);
    expect((await h.produce({ topic: 'orders', acks: '0' })).offset).toBe(-1);
  });

  it('refuses a partition that does not exist and an offset out of range', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'orders', partitions: 2, replicationFactor: 1, configs: {} });
    h.runMs(50);
    expect(await h.produceError({ topic: 'orders', partition: 2 })).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(refusal(() => h.cluster.read('orders', 0, 5, 10)).name).toBe('OFFSET_OUT_OF_RANGE');
  });
});

describe('replication under failure (what Kafka does)', () => {
  it('acks=all with RF 3 and min.insync.replicas=3 fails with NOT_ENOUGH_REPLICAS after a broker dies, and succeeds after it returns', async () => {
    const h = harness();
    const topic = h.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '3' } });
    h.runMs(50);
    expect((await h.produce({ topic: 'payments' })).offset).toBe(0);
    const follower = topic.partitions[0]!.replicas[1]!;
    h.cluster.killBroker(follower);
    // The controller fences the silent broker after broker.session.timeout.ms and drops it from the ISR.
    h.runMs(12_000);
    expect(h.cluster.partition('payments', 0).isr).not.toContain(follower);
    expect(await h.produceError({ topic: 'payments' })).toBe('NOT_ENOUGH_REPLICAS');
    h.cluster.restartBroker(follower);
    h.runMs(5000);
    expect(h.cluster.partition('payments', 0).isr).toContain(follower);
    expect((await h.produce({ topic: 'payments' })).offset).toBe(1);
  });

  it('acks=1 and a leader crash before replication lose exactly the unreplicated offsets, and the loss event names them', async () => {
    const h = harness();
    const topic = h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    h.runMs(50);
    for (let i = 0; i < 5; i++) await h.produce({ topic: 'orders', acks: 'all' });
    const [leader, ...followers] = topic.partitions[0]!.replicas as [number, ...number[]];
    // The leader is cut off from its followers (both ways): what it appends now stays on it alone.
    for (const f of followers) h.cluster.network.setLink(f, leader, { up: false });
    const acked = [];
    for (let i = 0; i < 3; i++) acked.push((await h.produce({ topic: 'orders', acks: '1' })).offset);
    expect(acked).toEqual([5, 6, 7]);
    h.cluster.killBroker(leader);
    for (const f of followers) h.cluster.network.setLink(f, leader, { up: true });
    h.runMs(12_000);
    const newLeader = h.cluster.partition('orders', 0).leader;
    expect(followers).toContain(newLeader);
    expect(h.cluster.offsets('orders', 0).logEndOffset).toBe(5);
    h.cluster.restartBroker(leader);
    h.runMs(5000);
    const loss = h.events.filter((e) => e.type === 'data-loss');
    expect(loss).toHaveLength(1);
    expect(loss[0]).toMatchObject({ topic: 'orders', partition: 0, firstOffset: 5, lastOffset: 7, acks: '1', brokerId: leader });
    expect((loss[0] as { message: string }).message).toBe(`offsets 5–7 of orders-0 acknowledged with acks=1 were truncated when broker ${leader} rejoined`);
    expect(h.cluster.replicaOffsets('orders', 0).map((r) => r.logEndOffset)).toEqual([5, 5, 5]);
  });

  it('with acks=all the same failover loses nothing', async () => {
    const h = harness();
    const topic = h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    h.runMs(50);
    for (let i = 0; i < 10; i++) await h.produce({ topic: 'orders', acks: 'all' });
    h.cluster.killBroker(topic.partitions[0]!.leader);
    h.runMs(12_000);
    for (let i = 0; i < 10; i++) await h.produce({ topic: 'orders', acks: 'all' });
    h.cluster.restartBroker(topic.partitions[0]!.leader);
    h.runMs(5000);
    expect(h.events.filter((e) => e.type === 'data-loss')).toEqual([]);
    expect(h.cluster.read('orders', 0, 0, 100).records).toHaveLength(20);
  });

  it('an unclean election loses data only when unclean.leader.election.enable=true', async () => {
    for (const unclean of [false, true]) {
      const h = harness();
      const topic = h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 2, configs: { 'unclean.leader.election.enable': String(unclean) } });
      h.runMs(50);
      const [leader, follower] = topic.partitions[0]!.replicas as [number, number];
      await h.produce({ topic: 'orders', acks: 'all' });
      // The follower falls out of the ISR (it cannot fetch), then the leader takes more writes and dies.
      h.cluster.network.setLink(follower, leader, { up: false }, false);
      h.runMs(40_000);
      expect(h.cluster.partition('orders', 0).isr).toEqual([leader]);
      await h.produce({ topic: 'orders', acks: 'all' });
      h.cluster.network.setLink(follower, leader, { up: true }, false);
      h.cluster.killBroker(leader);
      h.runMs(12_000);
      const after = h.cluster.partition('orders', 0);
      if (unclean) {
        expect(after.leader).toBe(follower);
        expect(h.events.some((e) => e.type === 'leader-elected' && e.unclean)).toBe(true);
        h.cluster.restartBroker(leader);
        h.runMs(5000);
        expect(h.events.filter((e) => e.type === 'data-loss')).toMatchObject([{ firstOffset: 1, lastOffset: 1, acks: 'all' }]);
      } else {
        expect(after.leader).toBe(-1);
        expect(h.events.some((e) => e.type === 'partition-offline')).toBe(true);
        h.cluster.restartBroker(leader);
        h.runMs(5000);
        expect(h.cluster.partition('orders', 0).leader).toBe(leader);
        expect(h.events.filter((e) => e.type === 'data-loss')).toEqual([]);
      }
    }
  });

  it('with 2 of 3 quorum voters down no leader can be elected', async () => {
    const h = harness(5);
    const topic = h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 2, configs: {} });
    h.runMs(50);
    expect(h.cluster.controllerId()).toBe(1);
    h.cluster.killBroker(1);
    h.cluster.killBroker(2);
    h.runMs(1000);
    expect(h.cluster.controllerId()).toBeNull();
    const leaderBefore = h.cluster.partition('orders', 0).leader;
    const otherLeader = topic.partitions[0]!.replicas.find((id) => id > 2);
    if (otherLeader !== undefined && otherLeader === leaderBefore) h.cluster.killBroker(otherLeader);
    h.runMs(20_000);
    expect(h.events.some((e) => e.type === 'controller-changed' && e.controllerId === null)).toBe(true);
    expect(refusal(() => h.cluster.createTopic({ name: 'more', partitions: 1, replicationFactor: 1, configs: {} })).name).toBe('NOT_CONTROLLER');
    expect(h.events.filter((e) => e.type === 'leader-elected')).toEqual([]);
  });

  it('creating a topic with RF 3 while only 2 brokers are alive fails with INVALID_REPLICATION_FACTOR', () => {
    const h = harness();
    h.cluster.killBroker(3);
    h.runMs(12_000);
    expect(refusal(() => h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} }))).toEqual({
      name: 'INVALID_REPLICATION_FACTOR',
      message: 'Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 2 broker(s) are registered.',
    });
  });
});

describe('persistence', () => {
  it('keeps topics, ids, assignments and records across a restart on the same disk', async () => {
    const disk = new MemoryDisk();
    const first = harness(3, SEED, disk);
    const created = first.cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 2, configs: { 'retention.ms': '60000' } });
    first.runMs(50);
    await first.produce({ topic: 'orders', partition: 2, key: 'order-1', value: '{"qty":1}', headers: [{ key: 'source', value: 'lab' }] });
    await first.produce({ topic: 'orders', partition: 2, key: null, value: null });
    first.runMs(1000);
    first.cluster.shutdown();

    const second = harness(3, SEED + 1, disk, new Scheduler(first.scheduler.nowMs()));
    second.runMs(1000);
    expect(second.cluster.clusterId).toBe(first.cluster.clusterId);
    const restored = second.cluster.topic('orders');
    expect(restored.topicId).toBe(created.topicId);
    expect(restored.configs).toEqual({ 'retention.ms': '60000' });
    expect(restored.partitions.map((p) => p.replicas)).toEqual(created.partitions.map((p) => p.replicas));
    const { records, offsets } = second.cluster.read('orders', 2, 0, 10);
    expect(offsets.highWatermark).toBe(2);
    expect(records.map((r) => [r.offset, r.key, r.value, r.headers])).toEqual([
      [0, 'order-1', '{"qty":1}', [{ key: 'source', value: 'lab' }]],
      [1, null, null, []],
    ]);
    expect([...second.cluster.recoveryReports.values()].every((r) => r.hadCleanShutdown)).toBe(true);
  });

  it('recovers after a crash (no clean shutdown) with every acknowledged record', async () => {
    const disk = new MemoryDisk();
    const first = harness(3, SEED, disk);
    first.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    first.runMs(50);
    for (let i = 0; i < 20; i++) await first.produce({ topic: 'orders', key: `k${i}`, value: `v${i}` });
    const second = harness(3, SEED, disk, new Scheduler(first.scheduler.nowMs()));
    second.runMs(1000);
    expect([...second.cluster.recoveryReports.values()].some((r) => !r.hadCleanShutdown)).toBe(true);
    expect(second.cluster.read('orders', 0, 0, 100).records.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  });

  it('refuses to start a data directory with a different broker count, naming both', () => {
    const disk = new MemoryDisk();
    harness(3, SEED, disk).cluster.shutdown();
    expect(() => harness(5, SEED, disk)).toThrow('The data directory /data holds a 3-broker cluster; start it with 3 broker(s), or use another data directory for 5.');
  });

  it('refuses a damaged metadata file with its path, and changes nothing', () => {
    const disk = new MemoryDisk();
    harness(3, SEED, disk).cluster.shutdown();
    disk.writeFileAtomic('/data/metadata/cluster-metadata.json', new TextEncoder().encode('{"version": 1, "clusterId": ""}'));
    const before = disk.list('/data');
    expect(() => harness(3, SEED, disk)).toThrow(/The cluster metadata in \/data\/metadata\/cluster-metadata.json cannot be used/);
    expect(disk.list('/data')).toEqual(before);
  });
});

describe('topic admin', () => {
  it('reassigns test1-0 to replicas 3,4,5 on 5 brokers: they join the ISR, the old ones leave, no record is lost', async () => {
    const disk = new MemoryDisk();
    const h = harness(5, SEED, disk);
    h.cluster.createTopic({ name: 'test1', partitions: -1, replicationFactor: -1, configs: {}, replicaAssignment: [[1, 2, 3]] });
    h.runMs(50);
    for (let i = 0; i < 50; i++) await h.produce({ topic: 'test1', key: `k${i}`, value: `v${i}`, acks: 'all' });
    h.cluster.reassignPartitions([{ topic: 'test1', partition: 0, replicas: [3, 4, 5] }]);
    expect(h.cluster.reassignments()).toEqual([{ topic: 'test1', partition: 0, replicas: [3, 4, 5, 1, 2], addingReplicas: [4, 5], removingReplicas: [1, 2] }]);
    h.runMs(5000);
    const after = h.cluster.partition('test1', 0);
    expect(after.replicas).toEqual([3, 4, 5]);
    expect([...after.isr].sort()).toEqual([3, 4, 5]);
    expect([3, 4, 5]).toContain(after.leader);
    expect(h.cluster.reassignments()).toEqual([]);
    expect(h.cluster.read('test1', 0, 0, 100).records.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
    expect(h.cluster.replicaOffsets('test1', 0).map((r) => r.logEndOffset)).toEqual([50, 50, 50]);
    for (const gone of [1, 2]) expect(disk.list(`/data/broker-${gone}`).filter((n) => n.startsWith('test1'))).toEqual([]);
    expect(h.events.filter((e) => e.type === 'data-loss')).toEqual([]);
  });

  it('throttles the copy to the new replicas at leader.replication.throttled.rate', async () => {
    const h = harness(5);
    h.cluster.createTopic({ name: 'test1', partitions: 1, replicationFactor: 3, configs: {}, replicaAssignment: [[1, 2, 3]] });
    h.runMs(50);
    const kib = 'x'.repeat(1024);
    for (let i = 0; i < 100; i++) await h.produce({ topic: 'test1', value: kib, acks: '1' });
    h.cluster.alterBrokerConfigs({ 'leader.replication.throttled.rate': '20000' }, []);
    h.cluster.reassignPartitions([{ topic: 'test1', partition: 0, replicas: [3, 4, 5] }]);
    h.runMs(2000);
    // Two new replicas share the leader's 20 KB/s: about 220 KB to send, so still copying after 2 s, done by 13 s.
    expect(h.cluster.reassignments()).toHaveLength(1);
    const copied = h.cluster.replicaOffsets('test1', 0).find((r) => r.brokerId === 4)!.logEndOffset!;
    expect(copied).toBeGreaterThan(10);
    expect(copied).toBeLessThan(100);
    h.runMs(11_000);
    expect(h.cluster.reassignments()).toEqual([]);
    expect(h.cluster.partition('test1', 0).replicas).toEqual([3, 4, 5]);
  });

  it('cancels a reassignment back to the original replicas', () => {
    const h = harness(5);
    h.cluster.createTopic({ name: 'test1', partitions: 1, replicationFactor: 3, configs: {}, replicaAssignment: [[1, 2, 3]] });
    h.runMs(50);
    h.cluster.network.isolate(5, true);
    h.cluster.reassignPartitions([{ topic: 'test1', partition: 0, replicas: [1, 2, 5] }]);
    h.runMs(1000);
    expect(h.cluster.reassignments()).toHaveLength(1);
    h.cluster.cancelReassignments([{ topic: 'test1', partition: 0 }]);
    expect(h.cluster.partition('test1', 0).replicas).toEqual([1, 2, 3]);
    expect(h.cluster.reassignments()).toEqual([]);
  });

  it('refuses manual assignments Kafka refuses', () => {
    const { cluster } = harness(3);
    const assign = (replicaAssignment: number[][]) => refusal(() => cluster.createTopic({ name: 't', partitions: -1, replicationFactor: -1, configs: {}, replicaAssignment }));
    expect(assign([[1, 1]]).name).toBe('INVALID_REPLICA_ASSIGNMENT');
    expect(assign([[1, 2], [3]]).message).toBe('All partitions in the manual partition assignment must have the same number of replicas.');
    expect(assign([[1, 7]]).message).toBe('The manual partition assignment includes broker 7, but no such broker is registered.');
  });

  it('adds partitions but never removes them, with Kafka’s message', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'inventory', partitions: 1, replicationFactor: 3, configs: {} });
    h.runMs(50);
    expect(refusal(() => h.cluster.createPartitions('inventory', 1)).name).toBe('INVALID_PARTITIONS');
    expect(h.cluster.createPartitions('inventory', 2).partitions).toHaveLength(2);
    expect(refusal(() => h.cluster.createPartitions('inventory', 1))).toEqual({ name: 'INVALID_PARTITIONS', message: 'Topic currently has 2 partitions, which is higher than the requested 1.' });
    h.runMs(50);
    expect((await h.produce({ topic: 'inventory', partition: 1 })).offset).toBe(0);
  });

  it('alters topic configs and cluster-wide broker defaults, and they take effect', async () => {
    const h = harness();
    h.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 2, configs: {} });
    h.runMs(50);
    await h.produce({ topic: 'payments' });
    h.cluster.alterBrokerConfigs({ 'min.insync.replicas': '3' }, []);
    expect(h.cluster.describeTopicConfigs('payments').find((e) => e.name === 'min.insync.replicas')).toEqual({ name: 'min.insync.replicas', value: '3', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    expect(await h.produceError({ topic: 'payments' })).toBe('NOT_ENOUGH_REPLICAS');
    h.cluster.alterTopicConfigs('payments', { 'min.insync.replicas': '1' }, []);
    expect(h.cluster.describeTopicConfigs('payments').find((e) => e.name === 'min.insync.replicas')?.source).toBe('DYNAMIC_TOPIC_CONFIG');
    expect((await h.produce({ topic: 'payments' })).offset).toBe(1);
    h.cluster.alterTopicConfigs('payments', {}, ['min.insync.replicas']);
    expect(h.cluster.topic('payments').configs).toEqual({});
    expect(refusal(() => h.cluster.alterBrokerConfigs({ 'log.retention.hours': '1' }, []))).toEqual({ name: 'INVALID_CONFIG', message: 'Unknown broker config name: log.retention.hours' });
  });

  it('creates an unknown topic on first produce when auto.create.topics.enable=true, and not when false', async () => {
    const h = harness();
    expect((await h.produce({ topic: 'auto-orders' })).offset).toBe(0);
    expect(h.cluster.topic('auto-orders').partitions).toHaveLength(1);
    h.cluster.alterBrokerConfigs({ 'auto.create.topics.enable': 'false' }, []);
    expect(await h.produceError({ topic: 'never-created' })).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('moves leadership back to the preferred replica on demand after a failover', async () => {
    const h = harness();
    const topic = h.cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    h.runMs(50);
    const preferred = topic.partitions[0]!.replicas[0]!;
    h.cluster.killBroker(preferred);
    h.runMs(12_000);
    expect(h.cluster.partition('orders', 0).leader).not.toBe(preferred);
    h.cluster.restartBroker(preferred);
    h.runMs(5000);
    h.cluster.electLeader('orders', 0, 'preferred');
    expect(h.cluster.partition('orders', 0).leader).toBe(preferred);
    h.runMs(1000);
    expect((await h.produce({ topic: 'orders' })).offset).toBe(0);
  });
});
