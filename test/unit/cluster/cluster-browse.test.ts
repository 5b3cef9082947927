/**
 * What the message browser asks of the cluster: records with the record batch each is stored in
 * (a producer's batch of several records stays one batch on the broker), and the offset for a
 * time with Kafka's ListOffsets semantics: the earliest offset whose record timestamp is at or
 * after the time, looked up through the time index, and nothing at or past the high watermark.
 */
import { describe, expect, it } from 'vitest';
import { KafkaProducer, stringSerializer } from '../../../engine/clients/producer/index.js';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const SEED = 8080;
const START_MS = 1_700_000_000_000;

function setup(linkLatencyMs = 0) {
  const scheduler = new Scheduler(START_MS);
  const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(SEED), disk: new MemoryDisk(), dataDir: '/data', linkLatencyMs });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const settle = <T>(work: Promise<T>) => runUntilSettled(scheduler, work, 120_000);
  const produce = (topic: string, value: string, timestampMs?: number, acks: '1' | 'all' = 'all') =>
    settle(Promise.resolve().then(() => cluster.produce({ topic, partition: 0, key: null, value, headers: [], acks, ...(timestampMs === undefined ? {} : { timestampMs }) })));
  return { scheduler, cluster, settle, produce };
}

/** Sends `sizes[i]` records as one batch each (linger.ms holds them, flush() sends them together). */
async function produceBatches(sizes: readonly number[]) {
  const harness = setup();
  const { cluster, scheduler, settle } = harness;
  cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
  scheduler.runUntil(scheduler.nowMs() + 50);
  const producer = new KafkaProducer<string, string>({
    config: { lingerMs: 60_000, acks: 'all' },
    keySerializer: stringSerializer,
    valueSerializer: stringSerializer,
    network: cluster.producerNetwork('browse-test'),
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(SEED + 1),
  });
  let n = 0;
  for (const size of sizes) {
    for (let i = 0; i < size; i++) producer.send({ topic: 'orders', partition: 0, key: `k${n}`, value: `v${n++}` });
    await settle(producer.flush());
  }
  scheduler.runUntil(scheduler.nowMs() + 100);
  return harness;
}

describe('reading records with their batches', () => {
  it('gives every record the base and last offset of the batch it was produced in', async () => {
    const { cluster } = await produceBatches([5, 3, 4]);
    const read = cluster.read('orders', 0, 0, 100);
    expect(read.records.map((r) => [r.offset, r.batchBaseOffset, r.batchLastOffset])).toEqual([
      [0, 0, 4], [1, 0, 4], [2, 0, 4], [3, 0, 4], [4, 0, 4],
      [5, 5, 7], [6, 5, 7], [7, 5, 7],
      [8, 8, 11], [9, 8, 11], [10, 8, 11], [11, 8, 11],
    ]);
    expect(read.batches.map((b) => ({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, recordCount: b.recordCount }))).toEqual([
      { baseOffset: 0, lastOffset: 4, recordCount: 5 },
      { baseOffset: 5, lastOffset: 7, recordCount: 3 },
      { baseOffset: 8, lastOffset: 11, recordCount: 4 },
    ]);
    for (const batch of read.batches) {
      expect(batch.compression).toBe('none');
      expect(batch.timestampType).toBe('CreateTime');
      expect(batch.sizeInBytes).toBeGreaterThan(61);
    }
  });

  it('names the batch a read starts inside of, and only the batches it returns records from', async () => {
    const { cluster } = await produceBatches([5, 3, 4]);
    const fromMiddle = cluster.read('orders', 0, 6, 3);
    expect(fromMiddle.records.map((r) => r.offset)).toEqual([6, 7, 8]);
    expect(fromMiddle.records[0]).toMatchObject({ batchBaseOffset: 5, batchLastOffset: 7, value: 'v6' });
    expect(fromMiddle.batches.map((b) => b.baseOffset)).toEqual([5, 8]);

    const firstTwo = cluster.read('orders', 0, 0, 2);
    expect(firstTwo.records.map((r) => r.offset)).toEqual([0, 1]);
    expect(firstTwo.batches.map((b) => [b.baseOffset, b.recordCount])).toEqual([[0, 5]]);
  });

  it('a record produced alone is a batch of one', async () => {
    const { cluster, produce } = setup();
    cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    await produce('orders', 'a');
    await produce('orders', 'b');
    const read = cluster.read('orders', 0, 0, 10);
    expect(read.records.map((r) => [r.offset, r.batchBaseOffset, r.batchLastOffset])).toEqual([[0, 0, 0], [1, 1, 1]]);
    expect(read.batches.map((b) => b.recordCount)).toEqual([1, 1]);
  });
});

describe('offset for a timestamp (ListOffsets)', () => {
  /** The offset Kafka's ListOffsets gives, found the slow way: the first record in offset order with timestamp >= t. */
  function expected(timestamps: readonly number[], t: number): { offset: number; timestampMs: number } | null {
    const offset = timestamps.findIndex((ts) => ts >= t);
    return offset < 0 ? null : { offset, timestampMs: timestamps[offset]! };
  }

  it('is the earliest offset whose timestamp is at or after the time, across segments, out-of-order timestamps included', async () => {
    const { cluster, produce } = setup();
    // Small segments and a dense time index, so the lookup crosses segments and uses index entries.
    cluster.createTopic({ name: 'clicks', partitions: 1, replicationFactor: 3, configs: { 'segment.bytes': '400', 'index.interval.bytes': '100' } });
    const prng = new SeededPrng(SEED);
    const timestamps: number[] = [];
    for (let i = 0; i < 60; i++) {
      // Mostly rising, sometimes earlier than the one before (producers set CreateTime themselves).
      const ts = START_MS + i * 1000 - (prng.nextInt(4) === 0 ? 2500 : 0);
      timestamps.push(ts);
      await produce('clicks', `click-${i}`, ts);
    }
    expect(cluster.broker(cluster.partition('clicks', 0).leader).log('clicks', 0)!.segmentList().length).toBeGreaterThan(3);
    for (let t = START_MS - 3000; t <= START_MS + 61_000; t += 250) {
      expect(cluster.offsetForTimestamp('clicks', 0, t).found, `t = ${t - START_MS}`).toEqual(expected(timestamps, t));
    }
  });

  it('gives the first offset of several with the same timestamp, the log start before all, and null after all', async () => {
    const { cluster, produce } = setup();
    cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    for (const ts of [START_MS + 10, START_MS + 20, START_MS + 20, START_MS + 30]) await produce('orders', 'v', ts);
    expect(cluster.offsetForTimestamp('orders', 0, START_MS + 20).found).toEqual({ offset: 1, timestampMs: START_MS + 20 });
    expect(cluster.offsetForTimestamp('orders', 0, START_MS + 21).found).toEqual({ offset: 3, timestampMs: START_MS + 30 });
    expect(cluster.offsetForTimestamp('orders', 0, 0).found).toEqual({ offset: 0, timestampMs: START_MS + 10 });
    expect(cluster.offsetForTimestamp('orders', 0, START_MS + 31)).toMatchObject({ found: null, offsets: { highWatermark: 4 } });
  });

  it('does not give an offset at or past the high watermark: consumers cannot read it yet', async () => {
    const { cluster, produce, scheduler } = setup(20);
    cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    scheduler.runUntil(scheduler.nowMs() + 200);
    await produce('orders', 'committed', START_MS + 1000);
    scheduler.runUntil(scheduler.nowMs() + 200);
    // acks=1 answers once the leader has it; the followers fetch it a link latency later.
    await produce('orders', 'not yet replicated', START_MS + 2000, '1');
    const offsets = cluster.offsets('orders', 0);
    expect(offsets.logEndOffset).toBe(2);
    expect(offsets.highWatermark).toBe(1);
    expect(cluster.offsetForTimestamp('orders', 0, START_MS + 1500).found).toBeNull();
    scheduler.runUntil(scheduler.nowMs() + 500);
    expect(cluster.offsetForTimestamp('orders', 0, START_MS + 1500).found).toEqual({ offset: 1, timestampMs: START_MS + 2000 });
  });

  it("refuses like Kafka when the partition does not exist or its leader is down", async () => {
    const { cluster } = setup();
    cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 1, configs: {} });
    expect(() => cluster.offsetForTimestamp('orders', 3, START_MS)).toThrow(KafkaError);
    cluster.killBroker(cluster.partition('orders', 0).leader);
    try {
      cluster.offsetForTimestamp('orders', 0, START_MS);
      expect.unreachable();
    } catch (error) {
      expect((error as KafkaError).errorName).toBe('NOT_LEADER_OR_FOLLOWER');
    }
  });
});
