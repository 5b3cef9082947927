/**
 * The consumer's fetch path against the fake cluster, on virtual time: max.poll.records, the high
 * watermark, batches that start before the position, gzip, auto.offset.reset, committed offsets,
 * seek, pause/resume, long polls, pipelined fetches, bad records, and the usage errors Java raises.
 */
import { describe, expect, it } from 'vitest';
import { KafkaConsumer } from '../../../../engine/clients/consumer/kafka-consumer.js';
import { jsonDeserializer, stringDeserializer } from '../../../../engine/clients/consumer/deserializers.js';
import { logMessages, setup, START_MS } from './consumer-harness.js';

const t0 = { topic: 'orders', partition: 0 };
const t1 = { topic: 'orders', partition: 1 };

describe('fetching', () => {
  it('returns at most max.poll.records per poll, in offset order, with every record field', async () => {
    const t = setup();
    t.cluster.produce('orders', 0, [{ key: 'k0', value: 'v0', headers: [{ key: 'trace', value: 'abc' }], timestampMs: START_MS - 5 }]);
    t.cluster.produceValues('orders', 0, 'v', 11, 1);
    const c = t.consumer({ maxPollRecords: 5 });
    c.assign([t0]);
    c.seekToBeginning([t0]);
    const first = await t.pollUntil(c, 1);
    expect(first.length).toBe(5);
    expect(first[0]).toMatchObject({ topic: 'orders', partition: 0, offset: 0, key: 'k0', value: 'v0', timestampMs: START_MS - 5, timestampType: 'CreateTime', leaderEpoch: 0, serializedKeySize: 2, serializedValueSize: 2 });
    expect(first[0]!.headers.map((h) => [h.key, new TextDecoder().decode(h.value!)])).toEqual([['trace', 'abc']]);
    const rest = [...(await t.poll(c)), ...(await t.poll(c)), ...(await t.poll(c))];
    expect([...first, ...rest].map((r) => r.offset)).toEqual([...Array(12).keys()]);
    expect(rest.length).toBe(7);
    expect(await t.settle(c.position(t0))).toBe(12);
  });

  it('reads only up to the high watermark, and the rest once it moves', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'v', 10);
    t.cluster.holdHighWatermark('orders', 0, 6);
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t0]);
    const before = await t.pollUntil(c, 6);
    expect(before.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await t.poll(c, 2000)).toEqual([]);
    expect(c.metrics().partitions[0]).toMatchObject({ position: 6, highWatermark: 6, recordsLag: 0 });
    t.cluster.releaseHighWatermark('orders', 0);
    const after = await t.pollUntil(c, 4);
    expect(after.map((r) => r.offset)).toEqual([6, 7, 8, 9]);
  });

  it('skips the records below the position inside a returned batch (the broker returns whole batches)', async () => {
    const t = setup();
    t.cluster.produce('orders', 0, [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ value: `v${i}` })));
    const c = t.consumer();
    c.assign([t0]);
    c.seek(t0, 5);
    const records = await t.pollUntil(c, 3);
    expect(records.map((r) => r.value)).toEqual(['v5', 'v6', 'v7']);
  });

  it('decodes gzip-compressed batches', async () => {
    const t = setup();
    t.cluster.produce('orders', 1, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `compressed-${i}` })), { compression: 'gzip' });
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t1]);
    const records = await t.pollUntil(c, 20);
    expect(records.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `compressed-${i}`));
  });

  it('answers a long poll when data arrives, and returns empty at the timeout otherwise', async () => {
    const t = setup();
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t0]);
    const startedMs = t.scheduler.nowMs();
    expect(await t.poll(c, 1000)).toEqual([]);
    expect(t.scheduler.nowMs() - startedMs).toBe(1000);
    t.scheduler.after(300, () => t.cluster.produce('orders', 0, [{ value: 'late' }]));
    const at = t.scheduler.nowMs();
    const records = await t.poll(c, 5000);
    expect(records.map((r) => r.value)).toEqual(['late']);
    expect(t.scheduler.nowMs() - at).toBeLessThan(310);
  });

  it('keeps one fetch in flight per broker and pipelines the next fetch before returning records', async () => {
    const t = setup({ topics: { orders: 6 }, brokers: 3 });
    for (let p = 0; p < 6; p++) t.cluster.produceValues('orders', p, `p${p}`, 30);
    const c = t.consumer({ autoOffsetReset: 'earliest', maxPollRecords: 7 });
    c.assign(Array.from({ length: 6 }, (_, p) => ({ topic: 'orders', partition: p })));
    const records = await t.pollUntil(c, 180);
    expect(records.length).toBe(180);
    expect(t.cluster.maxConcurrentFetchesPerBroker).toBe(1);
    for (let p = 0; p < 6; p++) {
      const offsets = records.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual([...Array(30).keys()]);
    }
    expect(c.metrics().metrics['fetch-latency-avg']).toBeGreaterThan(0);
  });
});

describe('auto.offset.reset', () => {
  it('latest (the default): a new consumer skips what is already in the partition', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'old', 5);
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' });
    c.assign([t0]);
    expect(await t.poll(c, 1000)).toEqual([]);
    t.cluster.produceValues('orders', 0, 'new', 2);
    expect((await t.pollUntil(c, 2)).map((r) => r.value)).toEqual(['new-0', 'new-1']);
    const messages = logMessages(c);
    expect(messages).toContain('[Consumer clientId=inventory-1, groupId=inventory] Found no committed offset for partition orders-0');
    expect(messages).toContain(
      '[Consumer clientId=inventory-1, groupId=inventory] Resetting offset for partition orders-0 to position FetchPosition{offset=5, offsetEpoch=Optional[0], currentLeader=LeaderAndEpoch{leader=Optional[broker-0:9092 (id: 0 rack: null)], epoch=0}}.',
    );
  });

  it('earliest: a new consumer reads from the log start offset', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'old', 5);
    t.cluster.deleteRecordsBefore('orders', 0, 2);
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t0]);
    expect((await t.pollUntil(c, 3)).map((r) => r.offset)).toEqual([2, 3, 4]);
  });

  it('none: NoOffsetForPartitionException naming every partition without a committed offset', async () => {
    const t = setup();
    const c = t.consumer({ groupId: 'billing', autoOffsetReset: 'none' });
    c.assign([t1, t0]);
    await expect(t.settle(c.poll(1000))).rejects.toMatchObject({
      exceptionName: 'NoOffsetForPartitionException',
      message: 'Undefined offset with no reset policy for partitions: [orders-0, orders-1]',
    });
  });

  it('a committed offset wins over the reset policy', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'v', 10);
    const first = t.consumer({ groupId: 'billing' });
    first.assign([t0]);
    await t.settle(first.commitSync([{ ...t0, offset: 7 }]));
    await t.settle(first.close());
    const c = t.consumer({ groupId: 'billing', clientId: 'billing-2', autoOffsetReset: 'earliest' });
    c.assign([t0]);
    expect((await t.pollUntil(c, 3)).map((r) => r.offset)).toEqual([7, 8, 9]);
    expect(logMessages(c).some((m) => m.includes('Setting offset for partition orders-0 to the committed offset FetchPosition{offset=7'))).toBe(true);
    expect(await t.settle(c.committed([t0, t1]))).toEqual([
      { ...t0, committed: { offset: 7, leaderEpoch: null, metadata: '' } },
      { ...t1, committed: null },
    ]);
  });

  it('an out-of-range position (retention deleted it) resets with the policy', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'v', 10);
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t0]);
    c.seek(t0, 2);
    t.cluster.deleteRecordsBefore('orders', 0, 6);
    expect((await t.pollUntil(c, 4)).map((r) => r.offset)).toEqual([6, 7, 8, 9]);
    expect(logMessages(c).some((m) => /Fetch position FetchPosition\{offset=2, .*\} is out of range for partition orders-0, resetting offset/.test(m))).toBe(true);
  });

  it('with none, an out-of-range position raises OffsetOutOfRangeException', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'v', 10);
    t.cluster.deleteRecordsBefore('orders', 0, 6);
    const c = t.consumer({ autoOffsetReset: 'none' });
    c.assign([t0]);
    c.seek(t0, 1);
    let error: unknown = null;
    for (let i = 0; i < 5 && error === null; i++) await t.settle(c.poll(500)).catch((e: unknown) => (error = e));
    expect(error).toMatchObject({ exceptionName: 'OffsetOutOfRangeException', errorName: 'OFFSET_OUT_OF_RANGE', message: expect.stringMatching(/^Fetch position FetchPosition\{offset=1, .*\} is out of range for partition orders-0$/) });
  });
});

describe('positions', () => {
  it('seek, seekToBeginning, seekToEnd and position()', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'v', 10);
    const c = t.consumer();
    c.assign([t0]);
    expect(await t.settle(c.position(t0))).toBe(10);
    c.seekToBeginning();
    expect(await t.settle(c.position(t0))).toBe(0);
    c.seek(t0, 4);
    expect((await t.poll(c)).map((r) => r.offset)).toEqual([4, 5, 6, 7, 8, 9]);
    c.seek(t0, 8);
    expect((await t.poll(c)).map((r) => r.offset)).toEqual([8, 9]);
    c.seekToEnd([t0]);
    expect(await t.settle(c.position(t0))).toBe(10);
    expect(() => c.seek(t0, -1)).toThrow('seek offset must not be a negative number');
    expect(() => c.seek(t1, 0)).toThrow('No current assignment for partition orders-1');
    await expect(c.position(t1)).rejects.toMatchObject({ exceptionName: 'IllegalStateException', message: 'You can only check the position for partitions assigned to this consumer.' });
  });

  it('pause stops fetching and returning a partition (its buffered data is kept); resume picks up where it was', async () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'a', 3);
    t.cluster.produceValues('orders', 1, 'b', 3);
    const c = t.consumer({ autoOffsetReset: 'earliest' });
    c.assign([t0, t1]);
    c.pause([t1]);
    const whilePaused = await t.pollUntil(c, 3);
    expect(await t.poll(c, 1000)).toEqual([]);
    expect(whilePaused.map((r) => r.value)).toEqual(['a-0', 'a-1', 'a-2']);
    expect(c.paused()).toEqual([t1]);
    c.resume([t1]);
    expect((await t.pollUntil(c, 3)).map((r) => r.value)).toEqual(['b-0', 'b-1', 'b-2']);
  });
});

describe('bad records and usage errors', () => {
  it('a record the deserializer refuses: records before it are returned, then RecordDeserializationException until seek past it', async () => {
    const t = setup();
    t.cluster.produce('orders', 0, [{ value: '{"id":1}' }, { value: '{"id":2}' }, { value: 'not json' }, { value: '{"id":4}' }]);
    const c = new KafkaConsumer<string, unknown>({ config: { autoOffsetReset: 'earliest' }, keyDeserializer: stringDeserializer, valueDeserializer: jsonDeserializer, network: t.cluster, clock: t.scheduler, timers: t.scheduler });
    c.assign([t0]);
    let first: unknown[] = [];
    for (let i = 0; i < 5 && first.length === 0; i++) first = [...(await t.settle(c.poll(500)))].map((r) => r.value);
    expect(first).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(t.settle(c.poll(500))).rejects.toMatchObject({
      exceptionName: 'RecordDeserializationException',
      message: 'Error deserializing value for partition orders-0 at offset 2. If needed, please seek past the record to continue consumption.',
    });
    await expect(t.settle(c.poll(500))).rejects.toMatchObject({ exceptionName: 'RecordDeserializationException' });
    c.seek(t0, 3);
    expect([...(await t.settle(c.poll(1000)))].map((r) => r.value)).toEqual([{ id: 4 }]);
  });

  it('refuses poll without a subscription, a second concurrent poll, and calls after close', async () => {
    const t = setup();
    const c = t.consumer({ groupId: 'g' });
    await expect(c.poll(0)).rejects.toMatchObject({ exceptionName: 'IllegalStateException', message: 'Consumer is not subscribed to any topics or assigned any partitions' });
    c.assign([t0]);
    const pending = c.poll(1000);
    await expect(c.poll(10)).rejects.toMatchObject({ exceptionName: 'ConcurrentModificationException', message: 'KafkaConsumer is not safe for multi-threaded access' });
    await t.settle(pending);
    await t.settle(c.close());
    await expect(c.poll(0)).rejects.toMatchObject({ message: 'This consumer has already been closed.' });
    expect(() => c.subscribe(['orders'])).toThrow('This consumer has already been closed.');
  });

  it('without group.id: subscribe and commits throw InvalidGroupIdException; subscription modes are exclusive', () => {
    const t = setup();
    const c = t.consumer();
    expect(() => c.subscribe(['orders'])).toThrow('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
    expect(() => c.commitAsync()).toThrow(expect.objectContaining({ exceptionName: 'InvalidGroupIdException' }));
    const g = t.consumer({ groupId: 'g' });
    g.assign([t0]);
    expect(() => g.subscribe(['orders'])).toThrow('Subscription to topics, partitions and pattern are mutually exclusive');
  });

  it('wakeup() makes the waiting poll fail with WakeupException', async () => {
    const t = setup();
    const c = t.consumer();
    c.assign([t0]);
    const pending = c.poll(10_000);
    t.scheduler.after(50, () => c.wakeup());
    await expect(t.settle(pending)).rejects.toMatchObject({ exceptionName: 'WakeupException' });
  });
});

describe('lifecycle', () => {
  /** Timers that count the consumer's live timers (scheduled, not fired, not cancelled). */
  function trackingTimers(t: ReturnType<typeof setup>) {
    let live = 0;
    const timers = {
      after(delayMs: number, callback: () => void) {
        live += 1;
        let done = false;
        const finish = () => {
          if (!done) live -= 1;
          done = true;
        };
        const handle = t.scheduler.after(delayMs, () => {
          finish();
          callback();
        });
        return {
          cancel: () => {
            finish();
            handle.cancel();
          },
        };
      },
    };
    return { timers, live: () => live };
  }

  it('leaves no timer behind after close() or crash(), and fails pending calls on crash', async () => {
    for (const ending of ['close', 'crash'] as const) {
      const t = setup();
      t.cluster.produceValues('orders', 0, 'v', 3);
      const tracking = trackingTimers(t);
      const c = t.consumer({ groupId: 'inventory', autoOffsetReset: 'earliest' }, { timers: tracking.timers });
      c.subscribe(['orders']);
      await t.pollUntil(c, 3);
      expect(tracking.live()).toBeGreaterThan(0); // the heartbeat at least
      if (ending === 'close') {
        await t.settle(c.close());
      } else {
        const pending = c.poll(10_000);
        c.crash();
        await expect(pending).rejects.toMatchObject({ message: 'This consumer has already been closed.' });
      }
      await t.advance(100_000);
      expect(tracking.live(), ending).toBe(0);
      expect(c.isClosed).toBe(true);
    }
  });

  it('keeps a bounded log ring with Java-formatted lines', async () => {
    const t = setup();
    const lines: string[] = [];
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' }, { onLog: (line) => lines.push(line.message) });
    c.assign([t0]);
    for (let i = 0; i < 2500; i++) c.seek(t0, i);
    expect(c.logLines().length).toBe(2000);
    expect(c.logLines().at(-1)!.message).toBe('[Consumer clientId=inventory-1, groupId=inventory] Seeking to offset 2499 for partition orders-0');
    expect(lines.length).toBe(2501);
    expect(c.logText()[0]).toMatch(/^\[2023-11-14 22:13:20,000\] INFO \[Consumer clientId=inventory-1, groupId=inventory\] Seeking to offset 500 for partition orders-0 \(org\.apache\.kafka\.clients\.consumer\.KafkaConsumer\)$/);
  });
});

describe('callback API (for loops driven by engine events)', () => {
  it('pollCallback, commitSyncCallback and closeCallback run from timer events, even under a driver that never yields to promises', () => {
    const t = setup();
    t.cluster.produceValues('orders', 0, 'a', 12);
    t.cluster.produceValues('orders', 1, 'b', 8);
    const c = t.consumer({ groupId: 'inventory', autoOffsetReset: 'earliest', maxPollRecords: 5, enableAutoCommit: false });
    c.subscribe(['orders']);
    const seen: string[] = [];
    let insideCall = false;
    let reentered = false;
    let stopping = false;
    const loop = (): void => {
      if (stopping) return;
      insideCall = true;
      c.pollCallback(100, (error, records) => {
        if (insideCall) reentered = true;
        if (error !== null) throw error;
        for (const record of records!) seen.push(record.value!);
        if (records!.isEmpty()) return void t.scheduler.after(0, loop);
        c.commitSyncCallback(undefined, (commitError) => {
          if (commitError !== null) throw commitError;
          t.scheduler.after(0, loop);
        });
      });
      insideCall = false;
    };
    loop();
    t.scheduler.runUntil(START_MS + 60_000); // synchronous: no promise continuation runs in between
    expect(reentered).toBe(false);
    expect(seen.filter((v) => v.startsWith('a-'))).toEqual(Array.from({ length: 12 }, (_, i) => `a-${i}`));
    expect(seen.filter((v) => v.startsWith('b-'))).toEqual(Array.from({ length: 8 }, (_, i) => `b-${i}`));
    expect([t.cluster.coordinator.committed('inventory', 'orders', 0), t.cluster.coordinator.committed('inventory', 'orders', 1)]).toEqual([12, 8]);
    let closed: unknown = 'pending';
    stopping = true;
    c.closeCallback(undefined, (error) => (closed = error));
    t.scheduler.runUntil(t.scheduler.nowMs() + 10_000);
    expect(closed).toBeNull();
    expect(t.cluster.coordinator.leaves.map((l) => l.reason)).toEqual(['the consumer is being closed']);
  });

  it('delivers a usage error through the callback, on a timer event', () => {
    const t = setup();
    const c = t.consumer();
    let error: unknown = 'none';
    c.pollCallback(0, (e) => (error = e));
    expect(error).toBe('none');
    t.scheduler.runUntil(t.scheduler.nowMs());
    expect(error).toMatchObject({ exceptionName: 'IllegalStateException', message: 'Consumer is not subscribed to any topics or assigned any partitions' });
  });
});
