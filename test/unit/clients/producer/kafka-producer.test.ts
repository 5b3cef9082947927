/**
 * The producer against the fake broker, on virtual time: partitioning, batching, acks, retries,
 * timeouts, idempotence, buffer memory, flush and close, as Kafka's Java producer (3.x) behaves.
 */
import { describe, expect, it } from 'vitest';
import { KafkaProducer } from '../../../../engine/clients/producer/kafka-producer.js';
import { jsonSerializer, stringSerializer } from '../../../../engine/clients/producer/serializers.js';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { Scheduler } from '../../../../engine/core/scheduler.js';
import { FakeBrokerNetwork } from './fake-broker-network.js';
import { setup, START_MS } from './producer-harness.js';

const value100 = 'x'.repeat(100);

describe('partitioning', () => {
  it('sends keyed records to the murmur2 partition (Java reference vectors, 6 partitions)', () => {
    const t = setup({ topics: { orders: { partitions: 6 } } });
    const vectors: [string, number][] = [
      ['21', 0],
      ['foobar', 0],
      ['a-little-bit-long-string', 2],
      ['a-little-bit-longer-string', 5],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', 5],
      ['abc', 3],
      ['', 3],
      ['0', 2],
      ['1', 3],
      ['128', 5],
    ];
    const handles = vectors.map(([key]) => t.send('orders', `v-${key}`, { key }));
    t.run(50);
    vectors.forEach(([key, partition], i) => {
      expect(handles[i]!.outcome()?.metadata.partition, t.why(`key ${key}`)).toBe(partition);
      expect(t.network.log('orders', partition).some((r) => r.key === key), t.why(`broker log of partition ${partition} has key ${key}`)).toBe(true);
    });
  });

  it('with partitioner.ignore.keys, keyed records go to the sticky partition', () => {
    const t = setup({ topics: { orders: { partitions: 6 } }, config: { partitionerIgnoreKeys: true } });
    const handles = ['21', 'abc', 'foobar', '128'].map((key) => t.send('orders', 'v', { key }));
    t.run(50);
    const partitions = new Set(handles.map((h) => h.outcome()?.metadata.partition));
    expect(partitions.size, t.why()).toBe(1);
  });

  it('keeps keyless records on one partition until batch.size bytes were produced to it, then moves (KIP-794, one record per batch)', () => {
    // batch.size 1000; each record is alone in its batch (the sender drains it before the next
    // send): 61 header + 109 record bytes = 170 bytes per append, so the 6th append reaches 1020 >=
    // 1000 and the 7th record, finding the batch sent, switches partition.
    const t = setup({ config: { batchSizeBytes: 1000 } });
    const partitions: number[] = [];
    for (let i = 0; i < 30; i++) {
      const handle = t.send('orders', value100);
      t.run(10);
      partitions.push(handle.outcome()!.metadata.partition);
    }
    const draws = new SeededPrng(t.seed);
    const expected = Array.from({ length: 5 }, () => draws.nextInt(3)).flatMap((p) => Array<number>(6).fill(p));
    expect(partitions, t.why()).toEqual(expected);
  });

  it('switches at twice batch.size when the partition still holds an open batch (records sent in one burst)', () => {
    // Batches of 8 records (61 + 8 x 109 = 933 <= 1000). The 9th record opens batch 2 (produced
    // 1103, but the new batch is not full, so no switch); the 17th opens batch 3: 2036 >= 2 x 1000.
    const t = setup({ config: { batchSizeBytes: 1000 } });
    const handles = Array.from({ length: 40 }, () => t.send('orders', value100));
    t.run(100);
    const partitions = handles.map((h) => h.outcome()!.metadata.partition);
    const draws = new SeededPrng(t.seed);
    const first = draws.nextInt(3);
    expect(partitions.slice(0, 17), t.why()).toEqual(Array<number>(17).fill(first));
    expect(partitions[17], t.why('the second draw')).toBe(draws.nextInt(3));
    const counts = t.network.seenBatches.filter((b) => b.partition === first).map((b) => b.recordCount);
    expect(counts.slice(0, 2), t.why()).toEqual([8, 8]);
  });

  it('sticks only to partitions that have a leader', () => {
    const t = setup({ topics: { orders: { partitions: 3, leaders: [null, 1, null] } }, config: { batchSizeBytes: 100 } });
    const handles = Array.from({ length: 20 }, () => t.send('orders', value100));
    t.run(100);
    expect(new Set(handles.map((h) => h.outcome()?.metadata.partition)), t.why()).toEqual(new Set([1]));
  });

  it('round-robin alternates, skipping every other partition as Kafka 3.x does (KAFKA-9965 / KAFKA-16283)', () => {
    const one = setup({ topics: { orders: { partitions: 4 } }, config: { partitioner: { kind: 'roundRobin' } } });
    const sequential = Array.from({ length: 6 }, (_, i) => {
      const handle = one.send('orders', `r${i}`, { key: 'same-key' });
      one.run(10);
      return handle.outcome()!.metadata.partition;
    });
    // Each record opens a new batch, so the partitioner is called twice per record.
    expect(sequential, one.why()).toEqual([1, 3, 1, 3, 1, 3]);

    const odd = setup({ topics: { orders: { partitions: 3 } }, config: { partitioner: { kind: 'roundRobin' } } });
    const cycled = Array.from({ length: 6 }, (_, i) => {
      const handle = odd.send('orders', `r${i}`);
      odd.run(10);
      return handle.outcome()!.metadata.partition;
    });
    expect(cycled, odd.why()).toEqual([1, 0, 2, 1, 0, 2]);

    const burst = setup({ topics: { orders: { partitions: 4 } }, config: { partitioner: { kind: 'roundRobin' } } });
    const handles = Array.from({ length: 8 }, (_, i) => burst.send('orders', `b${i}`));
    burst.run(50);
    // A record that finds an open batch on its partition is appended without the second call.
    expect(handles.map((h) => h.outcome()!.metadata.partition), burst.why()).toEqual([1, 3, 1, 3, 1, 3, 1, 3]);
  });

  it('applies a lab rule: key prefixes first, then the built-in partitioner', () => {
    const t = setup({
      topics: { orders: { partitions: 6 } },
      config: { partitioner: { kind: 'keyPrefix', rules: [{ prefix: 'vip-', partition: 0 }], default: 'murmur2' } },
    });
    const vip = t.send('orders', 'a', { key: 'vip-42' });
    const plain = t.send('orders', 'b', { key: 'a-little-bit-longer-string' });
    t.run(50);
    expect(vip.outcome()?.metadata.partition, t.why()).toBe(0);
    expect(plain.outcome()?.metadata.partition, t.why()).toBe(5);
  });

  it('applies a field rule to JSON values and refuses a rule partition the topic does not have', () => {
    const scheduler = new Scheduler(START_MS);
    const network = new FakeBrokerNetwork(scheduler, { orders: { partitions: 3 } });
    const producer = new KafkaProducer<string, unknown>({
      config: { partitioner: { kind: 'field', field: 'region', rules: [{ equals: 'kr', partition: 2 }, { equals: 'us', partition: 7 }], default: { partition: 0 } } },
      keySerializer: stringSerializer,
      valueSerializer: jsonSerializer,
      network,
      clock: scheduler,
      timers: scheduler,
      prng: new SeededPrng(1),
    });
    const kr = producer.send({ topic: 'orders', value: { region: 'kr', id: 1 } });
    const other = producer.send({ topic: 'orders', value: { region: 'jp', id: 2 } });
    const us = producer.send({ topic: 'orders', value: { region: 'us', id: 3 } });
    scheduler.runUntil(START_MS + 50);
    return Promise.all([
      expect(kr.promise).resolves.toMatchObject({ partition: 2, offset: 0 }),
      expect(other.promise).resolves.toMatchObject({ partition: 0 }),
      expect(us.promise).rejects.toMatchObject({ exceptionName: 'IllegalArgumentException', message: expect.stringContaining('chose partition 7') }),
    ]).then(() => expect(network.values('orders', 2)).toEqual(['{"region":"kr","id":1}']));
  });
});

describe('batching', () => {
  it('holds a batch for linger.ms, and sends a batch at once when the next one starts', () => {
    const t = setup({ config: { lingerMs: 100, batchSizeBytes: 1000 } });
    t.send('orders', value100, { partition: 0 });
    t.run(99);
    expect(t.network.requests.length, t.why('nothing before linger.ms')).toBe(0);
    t.run(1);
    expect(t.network.requests.length, t.why('sent at linger.ms')).toBe(1);
    t.run(10);
    for (let i = 0; i < 9; i++) t.send('orders', value100, { partition: 1 });
    t.run(10);
    expect(t.network.seenBatches.filter((b) => b.partition === 1).map((b) => b.recordCount), t.why('the full batch left; the 9th record lingers')).toEqual([8]);
    t.run(100);
    expect(t.network.seenBatches.filter((b) => b.partition === 1).map((b) => b.recordCount), t.why()).toEqual([8, 1]);
  });

  it('gives a record larger than batch.size a batch of its own (sized by its upper bound, as Kafka)', () => {
    const t = setup({ config: { batchSizeBytes: 1000 } });
    t.send('orders', 'small', { partition: 0 });
    t.send('orders', 'B'.repeat(3000), { partition: 0 });
    // The big batch's buffer is the record's upper bound (3086 bytes) and it holds 3070: the 16
    // bytes of slack take a 12-byte record, exactly as MemoryRecordsBuilder.hasRoomFor allows.
    t.send('orders', 'small', { partition: 0 });
    t.send('orders', value100, { partition: 0 });
    t.run(50);
    expect(t.network.seenBatches.map((b) => b.recordCount), t.why()).toEqual([1, 2, 1]);
    expect(t.network.values('orders', 0).map((v) => v?.length), t.why()).toEqual([5, 3000, 5, 100]);
  });

  it('compresses batches with gzip, and the broker decodes them', () => {
    const t = setup({ config: { compressionType: 'gzip', lingerMs: 5 } });
    for (let i = 0; i < 20; i++) t.send('orders', `order-${i} ${value100}`, { partition: 2 });
    t.run(50);
    const batch = t.network.seenBatches[0]!;
    expect(batch.compression, t.why()).toBe('gzip');
    expect(batch.recordCount, t.why()).toBe(20);
    expect(batch.sizeBytes, t.why('smaller than the 20 x 110 bytes of values')).toBeLessThan(600);
    expect(t.network.values('orders', 2)[19], t.why()).toBe(`order-19 ${value100}`);
  });

  it('refuses a record above max.request.size with RecordTooLargeException', async () => {
    const t = setup({ config: { maxRequestSizeBytes: 1000 } });
    const handle = t.send('orders', 'v'.repeat(2000));
    // 61 batch header + 21 record overhead bound + 1 null key + 2 + 2000 value + 1 header count.
    await expect(handle.promise).rejects.toMatchObject({
      errorName: 'MESSAGE_TOO_LARGE',
      exceptionName: 'RecordTooLargeException',
      message: 'The message is 2086 bytes when serialized which is larger than 1000, which is the value of the max.request.size configuration.',
    });
  });
});

describe('acks, retries and timeouts', () => {
  it('acks=0 completes with offset -1 as soon as the request is sent, and no response is awaited', () => {
    const t = setup({ config: { acks: 0 } });
    expect(t.producer.config.enableIdempotence, 'idempotence silently off: acks was not all').toBe(false);
    const handle = t.send('orders', 'fire-and-forget', { partition: 1 });
    t.run(0);
    expect(handle.outcome(), t.why()).toMatchObject({ error: null, atMs: START_MS, metadata: { partition: 1, offset: -1, timestampMs: START_MS } });
    t.run(10);
    expect(t.network.values('orders', 1), t.why()).toEqual(['fire-and-forget']);
    expect(t.network.requests[0]!.request.acks).toBe(0);
  });

  it('retries after NOT_LEADER_OR_FOLLOWER, refreshes metadata and reaches the new leader', () => {
    const t = setup();
    t.send('orders', 'first', { partition: 0 });
    t.run(20);
    t.network.setLeader('orders', 0, 2);
    const metadataBefore = t.network.metadataCalls;
    const handle = t.send('orders', 'second', { partition: 0 });
    t.run(1000);
    expect(handle.outcome(), t.why()).toMatchObject({ error: null, metadata: { partition: 0, offset: 1 } });
    expect(t.network.metadataCalls, t.why('metadata refreshed')).toBeGreaterThan(metadataBefore);
    expect(t.network.requests.map((r) => r.brokerId), t.why()).toEqual([0, 0, 2]);
    expect(t.producer.metrics()['record-retry-rate'], t.why()).toBeGreaterThan(0);
  });

  it('retries a disconnection (NETWORK_EXCEPTION) and succeeds', () => {
    const t = setup();
    t.network.disconnectNextRequests = 1;
    const handle = t.send('orders', 'v', { partition: 1 });
    t.run(1000);
    expect(handle.outcome(), t.why()).toMatchObject({ error: null, metadata: { offset: 0 } });
    expect(t.network.requests.length, t.why()).toBe(2);
  });

  it('retries NOT_ENOUGH_REPLICAS until delivery.timeout.ms, then fails with a TimeoutException caused by it', () => {
    const t = setup({ config: { deliveryTimeoutMs: 3000, requestTimeoutMs: 1000, retryBackoffMs: 100 } });
    t.network.injectError('orders', 'NOT_ENOUGH_REPLICAS', Number.POSITIVE_INFINITY);
    const handle = t.send('orders', 'v', { partition: 0 });
    t.run(5000);
    const outcome = handle.outcome();
    expect(outcome?.atMs, t.why()).toBe(START_MS + 3000);
    expect(outcome?.error, t.why()).toMatchObject({
      errorName: 'REQUEST_TIMED_OUT',
      exceptionName: 'TimeoutException',
      message: 'Expiring 1 record(s) for orders-0:3000 ms has passed since batch creation',
      cause: { errorName: 'NOT_ENOUGH_REPLICAS', exceptionName: 'NotEnoughReplicasException' },
    });
    // 100, 200, 400, 800, 1000 ... ms of backoff (+-20%) fit about 5 attempts into 3 s.
    expect(t.network.requests.length, t.why()).toBeGreaterThanOrEqual(4);
    expect(t.network.requests.length, t.why()).toBeLessThanOrEqual(7);
    expect(t.network.log('orders', 0), t.why()).toEqual([]);
    expect(t.producer.metrics()['record-error-rate'], t.why()).toBeGreaterThan(0);
  });

  it('fails with the broker error itself once retries are used up', () => {
    const t = setup({ config: { retries: 2, enableIdempotence: true } });
    t.network.injectError('orders', 'NOT_ENOUGH_REPLICAS', Number.POSITIVE_INFINITY);
    const handle = t.send('orders', 'v', { partition: 0 });
    t.run(5000);
    expect(handle.outcome()?.error, t.why()).toMatchObject({ errorName: 'NOT_ENOUGH_REPLICAS', code: 19, message: 'Messages are rejected since there are fewer in-sync replicas than required.' });
    expect(t.network.requests.length, t.why('first attempt + 2 retries')).toBe(3);
  });

  it('does not retry a fatal error (INVALID_TOPIC_EXCEPTION)', () => {
    const t = setup();
    t.network.injectError('orders', 'INVALID_TOPIC_EXCEPTION', 1);
    const handle = t.send('orders', 'v', { partition: 0 });
    t.run(1000);
    expect(handle.outcome()?.error, t.why()).toMatchObject({ errorName: 'INVALID_TOPIC_EXCEPTION', exceptionName: 'InvalidTopicException', retriable: false });
    expect(t.network.requests.length, t.why()).toBe(1);
  });

  it('without idempotence, retries can reorder records when several requests are in flight; max.in.flight=1 keeps order', () => {
    for (const [maxInFlight, expected] of [
      [5, ['b', 'a']],
      [1, ['a', 'b']],
    ] as const) {
      const t = setup({ config: { enableIdempotence: false, maxInFlightRequestsPerConnection: maxInFlight } });
      t.network.injectError('orders', 'NOT_ENOUGH_REPLICAS', 1, { partition: 0 });
      t.send('orders', 'a', { partition: 0 });
      t.run(1);
      t.send('orders', 'b', { partition: 0 });
      t.run(2000);
      expect(t.network.values('orders', 0), t.why(`max.in.flight ${maxInFlight}`)).toEqual(expected);
    }
  });

  it('with idempotence, the same failure keeps order (the broker refuses the gap, the client resends in sequence)', () => {
    const t = setup();
    t.network.injectError('orders', 'NOT_ENOUGH_REPLICAS', 1, { partition: 0 });
    const a = t.send('orders', 'a', { partition: 0 });
    t.run(3);
    const b = t.send('orders', 'b', { partition: 0 });
    t.run(2000);
    expect(t.network.values('orders', 0), t.why()).toEqual(['a', 'b']);
    expect([a.outcome()?.metadata.offset, b.outcome()?.metadata.offset], t.why()).toEqual([0, 1]);
  });
});

describe('idempotence', () => {
  it('off: a lost response and a retry write the record twice', () => {
    const t = setup({ config: { enableIdempotence: false, requestTimeoutMs: 1000, deliveryTimeoutMs: 5000 } });
    t.network.dropNextResponses = 1;
    const handle = t.send('orders', 'once', { partition: 0 });
    t.run(3000);
    expect(t.network.values('orders', 0), t.why()).toEqual(['once', 'once']);
    // Lost at +2 ms; request.timeout.ms (1000) fires, then retry.backoff.ms (100 +-20%), then 2 ms.
    const outcome = handle.outcome();
    expect(outcome, t.why()).toMatchObject({ error: null, metadata: { offset: 1 } });
    expect(outcome!.atMs - START_MS, t.why()).toBeGreaterThanOrEqual(1000 + 80 + 2);
    expect(outcome!.atMs - START_MS, t.why()).toBeLessThanOrEqual(1000 + 120 + 2);
    expect(t.network.seenBatches.map((b) => b.producerId), t.why()).toEqual([-1, -1]);
  });

  it('on (the default): the broker sees the same producer id and sequence again and keeps one copy', () => {
    const t = setup({ config: { requestTimeoutMs: 1000, deliveryTimeoutMs: 5000 } });
    expect(t.producer.config.enableIdempotence).toBe(true);
    t.network.dropNextResponses = 1;
    const handle = t.send('orders', 'once', { partition: 0 });
    t.run(3000);
    expect(t.network.values('orders', 0), t.why()).toEqual(['once']);
    expect(handle.outcome(), t.why()).toMatchObject({ error: null, metadata: { offset: 0 } });
    const seen = t.network.seenBatches.map((b) => [b.producerId, b.producerEpoch, b.baseSequence]);
    expect(seen, t.why()).toEqual([
      [1000, 0, 0],
      [1000, 0, 0],
    ]);
    expect(t.producer.producerIdAndEpoch()).toEqual({ producerId: 1000, producerEpoch: 0 });
  });

  it('on: later batches in flight keep their sequences and no record is duplicated or reordered', () => {
    const t = setup({ config: { requestTimeoutMs: 1000, deliveryTimeoutMs: 5000 } });
    t.network.dropNextResponses = 1;
    const handles = ['a', 'b', 'c'].map((v) => {
      const handle = t.send('orders', v, { partition: 0 });
      t.run(1);
      return handle;
    });
    t.run(3000);
    expect(t.network.values('orders', 0), t.why()).toEqual(['a', 'b', 'c']);
    expect(handles.map((h) => h.outcome()?.metadata.offset), t.why()).toEqual([0, 1, 2]);
    expect(t.network.log('orders', 0).map((r) => r.sequence), t.why()).toEqual([0, 1, 2]);
  });

  it('bumps the epoch after a sequenced batch fails for good, and the next batch starts at sequence 0', () => {
    const t = setup();
    t.network.injectError('orders', 'INVALID_TOPIC_EXCEPTION', 1, { partition: 0 });
    const lost = t.send('orders', 'lost', { partition: 0 });
    t.run(20);
    expect(lost.outcome()?.error?.errorName, t.why()).toBe('INVALID_TOPIC_EXCEPTION');
    const next = t.send('orders', 'next', { partition: 0 });
    t.run(20);
    expect(next.outcome(), t.why()).toMatchObject({ error: null, metadata: { offset: 0 } });
    expect(t.producer.producerIdAndEpoch(), t.why()).toEqual({ producerId: 1000, producerEpoch: 1 });
    expect(t.network.log('orders', 0).map((r) => [r.producerEpoch, r.sequence]), t.why()).toEqual([[1, 0]]);
  });
});

describe('blocking: metadata and buffer.memory', () => {
  it('fails a send blocked on a full buffer after max.block.ms with BufferExhaustedException', () => {
    const t = setup({
      topics: { stuck: { partitions: 3, leaders: [null, null, null] } },
      config: { bufferMemoryBytes: 32_768, batchSizeBytes: 16_384, maxBlockMs: 1000 },
    });
    t.send('stuck', 'a', { partition: 0 });
    t.send('stuck', 'b', { partition: 1 });
    const blocked = t.send('stuck', 'c', { partition: 2 });
    t.run(999);
    expect(blocked.isDone(), t.why('still blocked')).toBe(false);
    t.run(1);
    expect(blocked.outcome(), t.why()).toMatchObject({
      atMs: START_MS + 1000,
      error: {
        errorName: 'REQUEST_TIMED_OUT',
        exceptionName: 'BufferExhaustedException',
        message: 'Failed to allocate 16384 bytes within the configured max blocking time 1000 ms. Total memory: 32768 bytes. Available memory: 0 bytes. Poolable size: 16384 bytes',
      },
    });
    expect(t.producer.metrics()['buffer-available-bytes'], t.why()).toBe(0);
  });

  it('a send blocked on memory makes lingering batches sendable, and proceeds when they complete', () => {
    const t = setup({ config: { bufferMemoryBytes: 32_768, batchSizeBytes: 16_384, lingerMs: 60_000, deliveryTimeoutMs: 200_000 } });
    const handles = [0, 1, 2].map((partition) => t.send('orders', `p${partition}`, { partition }));
    t.run(50);
    // InitProducerId answers at +2 ms; the two full-buffer batches leave at once (not after
    // linger.ms) and complete at +4 ms; the blocked record then gets its batch, which lingers.
    expect(handles.map((h) => h.outcome()?.atMs), t.why()).toEqual([START_MS + 4, START_MS + 4, undefined]);
    expect(t.producer.metrics()['buffer-available-bytes'], t.why('the third batch holds its buffer')).toBe(16_384);
    t.run(60_000);
    expect(handles[2]!.outcome(), t.why()).toMatchObject({ error: null, metadata: { partition: 2, offset: 0 } });
  });

  it('waits for an unknown topic up to max.block.ms, and sends once the topic exists', () => {
    const t = setup({ config: { maxBlockMs: 500 } });
    const missing = t.send('nope', 'v');
    const later = t.send('later', 'v');
    t.run(600);
    expect(missing.outcome()?.error, t.why()).toMatchObject({ exceptionName: 'TimeoutException', message: 'Topic nope not present in metadata after 500 ms.' });
    const created = t.send('created', 'v');
    t.run(200);
    t.network.createTopic('created', 1);
    t.run(300);
    expect(created.outcome(), t.why()).toMatchObject({ error: null, metadata: { topic: 'created', partition: 0, offset: 0 } });
    expect(later.outcome()?.error?.message, t.why()).toBe('Topic later not present in metadata after 500 ms.');
  });

  it('waits for a partition the topic does not have, then fails', () => {
    const t = setup({ config: { maxBlockMs: 300 } });
    const handle = t.send('orders', 'v', { partition: 5 });
    t.run(400);
    expect(handle.outcome()?.error?.message, t.why()).toBe('Partition 5 of topic orders with partition count 3 is not present in metadata after 300 ms.');
  });
});

describe('configuration at run time', () => {
  it('refuses a batch that can never fit buffer.memory, as BufferPool.allocate does', async () => {
    const t = setup({ config: { bufferMemoryBytes: 1000, batchSizeBytes: 16_384 } });
    await expect(t.send('orders', 'v').promise).rejects.toMatchObject({
      exceptionName: 'IllegalArgumentException',
      message: 'Attempt to allocate 16384 bytes, but there is a hard limit of 1000 on memory allocations.',
    });
  });

  it('refuses an invalid configuration at construction with Kafka\'s ConfigException message', () => {
    expect(() => setup({ config: { enableIdempotence: true, acks: 0 } })).toThrow(
      expect.objectContaining({ exceptionName: 'ConfigException', message: 'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.' }),
    );
  });

  it('fails sends still blocked when the producer closes', async () => {
    const t = setup({ config: { maxBlockMs: 10_000 } });
    const blocked = t.send('missing', 'v');
    t.run(100);
    await t.producer.close();
    await expect(blocked.promise).rejects.toMatchObject({ exceptionName: 'KafkaException', message: 'Producer closed while send in progress' });
  });
});

describe('results, flush and close', () => {
  it('delivers RecordMetadata to the callback and the promise, with the serialized sizes and headers', async () => {
    const scheduler = new Scheduler(START_MS);
    const network = new FakeBrokerNetwork(scheduler, { orders: { partitions: 3 } });
    const producer = new KafkaProducer<string, unknown>({
      keySerializer: stringSerializer,
      valueSerializer: jsonSerializer,
      network,
      clock: scheduler,
      timers: scheduler,
      prng: new SeededPrng(3),
    });
    const seen: unknown[] = [];
    const handle = producer.send(
      { topic: 'orders', key: 'order-1', value: { id: 1, item: 'book' }, headers: [{ key: 'trace', value: new TextEncoder().encode('abc') }], timestampMs: 1234 },
      (metadata, error) => seen.push({ metadata, error }),
    );
    scheduler.runUntil(START_MS + 50);
    const metadata = await handle.promise;
    const partition = metadata.partition;
    expect(metadata).toEqual({ topic: 'orders', partition, offset: 0, timestampMs: 1234, serializedKeySize: 7, serializedValueSize: 22 });
    expect(seen).toEqual([{ metadata, error: null }]);
    expect(network.log('orders', partition)[0]).toMatchObject({ key: 'order-1', value: '{"id":1,"item":"book"}', timestampMs: 1234, headers: [{ key: 'trace', value: 'abc' }] });
    expect(handle.isDone()).toBe(true);
  });

  it('flush sends lingering batches at once and resolves when they completed', async () => {
    const t = setup({ config: { lingerMs: 60_000, deliveryTimeoutMs: 200_000 } });
    const handles = ['a', 'b', 'c'].map((v) => t.send('orders', v, { partition: 0 }));
    let flushed = false;
    const flush = t.producer.flush().then(() => (flushed = true));
    t.run(10);
    await flush;
    expect(flushed, t.why()).toBe(true);
    expect(handles.map((h) => h.outcome()?.metadata.offset), t.why()).toEqual([0, 1, 2]);
  });

  it('close delivers what is queued, then refuses sends', async () => {
    const t = setup({ config: { lingerMs: 60_000, deliveryTimeoutMs: 200_000 } });
    const queued = t.send('orders', 'queued', { partition: 0 });
    const closed = t.producer.close();
    t.run(10);
    await closed;
    expect(queued.outcome(), t.why()).toMatchObject({ error: null, metadata: { offset: 0 } });
    const after = t.send('orders', 'late');
    await expect(after.promise).rejects.toMatchObject({ exceptionName: 'IllegalStateException', message: 'Cannot perform operation after producer has been closed' });
    expect(t.scheduler.pendingCount(), t.why('no timer left behind')).toBe(0);
  });

  it('close(0) aborts queued batches; a close timeout aborts what is left then', async () => {
    const t = setup({ topics: { stuck: { partitions: 1, leaders: [null] } }, config: { lingerMs: 10 } });
    const first = t.send('stuck', 'a');
    const closed = t.producer.close(500);
    t.run(499);
    expect(first.isDone(), t.why()).toBe(false);
    t.run(1);
    await closed;
    expect(first.outcome()?.error, t.why()).toMatchObject({ exceptionName: 'KafkaException', message: 'Producer is closed forcefully.' });

    const u = setup({ config: { lingerMs: 10 } });
    const pending = u.send('orders', 'a');
    await u.producer.close(0);
    expect(pending.outcome()?.error?.message, u.why()).toBe('Producer is closed forcefully.');
    u.run(100);
    expect(u.network.requests.length, u.why()).toBe(0);
  });
});

describe('metrics', () => {
  it('reports Kafka producer metrics over the sample window', () => {
    const t = setup({ config: { enableIdempotence: false } });
    expect(Number.isNaN(t.producer.metrics()['request-latency-avg']), 'an average with no samples is NaN, as in Kafka').toBe(true);
    for (let i = 0; i < 10; i++) {
      t.send('orders', value100, { partition: i % 3 });
      t.run(100);
    }
    const m = t.producer.metrics();
    const batchSizes = t.network.seenBatches.map((b) => b.sizeBytes);
    expect(m['request-latency-avg'], t.why()).toBe(2);
    expect(m['records-per-request-avg'], t.why()).toBe(1);
    expect(m['batch-size-avg'], t.why()).toBe(batchSizes.reduce((a, b) => a + b, 0) / batchSizes.length);
    // Rate.windowSize: 1000 ms elapsed since the first sample, plus one full 30 s window (2 samples).
    expect(m['record-send-rate'], t.why()).toBeCloseTo(10 / 31, 9);
    expect(m['record-retry-rate'], t.why()).toBe(0);
    expect(m['record-error-rate'], t.why()).toBe(0);
    expect(m['buffer-available-bytes'], t.why()).toBe(33_554_432);
  });
});
