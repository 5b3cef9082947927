/**
 * Delivery semantics a Kafka engineer expects from offset commits, on virtual time against the
 * fake cluster: auto commit commits what EARLIER polls returned (so a crash re-delivers), commitSync
 * after processing gives no duplicates, commit before processing plus a crash loses records,
 * commitAsync callbacks and their ordering, and the commit on close().
 */
import { describe, expect, it } from 'vitest';
import type { OffsetCommitRequest } from '../../../../engine/groups/group-messages.js';
import type { TopicPartitionOffset } from '../../../../engine/clients/consumer/consumer-record.js';
import type { ConsumerError } from '../../../../engine/clients/consumer/consumer-errors.js';
import { runApp, setup, type Harness } from './consumer-harness.js';

const tp = { topic: 'orders', partition: 0 };

function twoGenerations(t: Harness, config: Record<string, unknown> = {}) {
  t.cluster.produceValues('orders', 0, 'order', 10);
  const base = { groupId: 'inventory', autoOffsetReset: 'earliest' as const, maxPollRecords: 5, ...config };
  return { first: t.consumer({ ...base, clientId: 'inventory-1' }), second: () => t.consumer({ ...base, clientId: 'inventory-2' }) };
}

describe('auto commit', () => {
  it('commits, every auto.commit.interval.ms at the next poll, the positions of records returned by earlier polls', async () => {
    const t = setup({ topics: { orders: 1 } });
    const { first } = twoGenerations(t, { autoCommitIntervalMs: 5000 });
    first.subscribe(['orders']);
    const polled = await t.pollUntil(first, 5);
    expect(polled.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(t.cluster.coordinator.committed('inventory', 'orders', 0)).toBeNull();
    // The application processes for 6 s; nothing is committed while it does not poll.
    await t.advance(6000);
    expect(t.cluster.coordinator.committed('inventory', 'orders', 0)).toBeNull();
    // The next poll commits position 5 (what the previous poll returned) before fetching on.
    const next = await t.poll(first, 100);
    await t.advance(10);
    expect(t.cluster.coordinator.committed('inventory', 'orders', 0)).toBe(5);
    expect(next.map((r) => r.offset)).toEqual([5, 6, 7, 8, 9]);
  });

  it('a crash right after a poll re-delivers that poll\'s records to the next consumer (at-least-once)', async () => {
    const t = setup({ topics: { orders: 1 } });
    const { first, second } = twoGenerations(t, { autoCommitIntervalMs: 5000 });
    first.subscribe(['orders']);
    const processed: string[] = [];
    for (const r of await t.pollUntil(first, 5)) processed.push(r.value!);
    await t.advance(6000);
    for (const r of await t.poll(first, 100)) processed.push(r.value!); // commits 5, returns 5..9
    first.crash(); // ... and dies while processing 5..9: their offsets were never committed
    const c2 = second();
    c2.subscribe(['orders']);
    const redelivered = await t.pollUntil(c2, 5, 120_000);
    processed.push(...redelivered.map((r) => r.value!));
    expect(redelivered.map((r) => r.offset)).toEqual([5, 6, 7, 8, 9]);
    expect(processed.filter((v) => v === 'order-5').length).toBe(2);
  });

  it('close() commits the positions before leaving', async () => {
    const t = setup({ topics: { orders: 1 } });
    const { first } = twoGenerations(t);
    first.subscribe(['orders']);
    await t.pollUntil(first, 5);
    await t.settle(first.close());
    expect(t.cluster.coordinator.committed('inventory', 'orders', 0)).toBe(5);
    const commit = t.cluster.requestsOf('OffsetCommit').at(-1)!;
    const leave = t.cluster.requestsOf('LeaveGroup').at(-1)!;
    expect(commit.atMs).toBeLessThanOrEqual(leave.atMs);
    expect((commit.request as OffsetCommitRequest).generationId).toBe(1);
  });
});

describe('manual commits', () => {
  it('commitSync after processing: a crash and a new consumer give no duplicates and no loss', async () => {
    const t = setup({ topics: { orders: 1 } });
    const { first, second } = twoGenerations(t, { enableAutoCommit: false });
    first.subscribe(['orders']);
    const app1 = runApp(t, first, { commit: 'sync', processMsPerRecord: 10 });
    while (app1.processed.length < 5) await t.advance(100);
    await app1.stop();
    first.crash();
    const c2 = second();
    c2.subscribe(['orders']);
    const app2 = runApp(t, c2, { commit: 'sync' });
    await t.advance(120_000);
    await app2.stop();
    const all = [...app1.values(), ...app2.values()];
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => `order-${i}`));
  });

  it('commit before processing, then a crash: the records of that poll are lost (at-most-once)', async () => {
    const t = setup({ topics: { orders: 1 } });
    const { first, second } = twoGenerations(t, { enableAutoCommit: false });
    first.subscribe(['orders']);
    const records = await t.pollUntil(first, 5);
    await t.settle(first.commitSync());
    first.crash(); // before processing any of `records`
    expect(records.length).toBe(5);
    const c2 = second();
    c2.subscribe(['orders']);
    const received = await t.pollUntil(c2, 5, 120_000);
    expect(received.map((r) => r.value)).toEqual(['order-5', 'order-6', 'order-7', 'order-8', 'order-9']);
    // order-0 .. order-4 were never processed by anyone.
  });

  it('commitAsync: not retried; callbacks run at a later poll; an older commit may complete after a newer one', async () => {
    const t = setup({ topics: { orders: 1 } });
    const c = t.consumer({ groupId: 'billing' });
    c.assign([tp]);
    const completions: string[] = [];
    const callback = (offsets: readonly TopicPartitionOffset[], error: ConsumerError | null) => void completions.push(`${offsets[0]!.offset}:${error?.exceptionName ?? 'ok'}`);
    t.cluster.coordinator.commitLatencies.push(500, 0);
    c.commitAsync([{ ...tp, offset: 10 }], callback);
    await t.advance(50);
    c.commitAsync([{ ...tp, offset: 20 }], callback);
    await t.advance(1000);
    expect(completions).toEqual([]); // Java runs them on the polling thread
    await t.poll(c, 0).catch(() => undefined);
    expect(completions).toEqual(['20:ok', '10:ok']);
    expect(t.cluster.coordinator.committed('billing', 'orders', 0)).toBe(10); // the older commit won

    t.cluster.coordinator.commitErrors.push('COORDINATOR_LOAD_IN_PROGRESS');
    c.commitAsync([{ ...tp, offset: 30 }], callback);
    await t.advance(100);
    await t.settle(c.commitSync([])); // runs pending callbacks
    expect(completions.at(-1)).toBe('30:RetriableCommitFailedException');
    expect(t.cluster.requestsOf('OffsetCommit').length).toBe(3); // no retry
  });
});
