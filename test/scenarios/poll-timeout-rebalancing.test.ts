/**
 * Seed 003, "Trouble Shooting: 지속적인 Rebalancing 현상" (continuous rebalancing): a listener that
 * needs longer than max.poll.interval.ms to process the max.poll.records records one poll returned
 * is thrown out of the group by its own heartbeat thread (Java's AbstractCoordinator: "consumer poll
 * timeout has expired", then LeaveGroup), finishes its batch anyway, fails to commit
 * (CommitFailedException), rejoins on its next poll as a new member, gets the same records again, and
 * the cycle repeats: the group rebalances over and over and never makes progress.
 *
 * The seed's two remedies: raise max.poll.interval.ms above the time a batch takes, or lower
 * max.poll.records so that a batch fits in it. Small numbers keep virtual time short: 100 ms per
 * record, max.poll.interval.ms 10000; 500 records (50 s) per poll break it, 50 (5 s) do not.
 */
import { describe, expect, it } from 'vitest';
import type { ConsumerConfigInput } from '../../engine/clients/consumer/index.js';
import { groupLab } from './group-lab.js';

const TOPIC = 'orders';
const GROUP = 'inventory';
const RECORDS_PER_PARTITION = 1000;

async function slowConsumersLab(seed: number, config: ConsumerConfigInput) {
  const lab = groupLab(seed);
  lab.cluster.createTopic({ name: TOPIC, partitions: 2, replicationFactor: 3, configs: {} });
  lab.run(100);
  const producer = lab.producer({ lingerMs: 5 });
  for (let i = 0; i < 2 * RECORDS_PER_PARTITION; i++) producer.send({ topic: TOPIC, partition: i % 2, value: `order-${i}` });
  await lab.settle(producer.flush());
  const deliveries = new Map<string, number>();
  const errors: { clientId: string; name: string; message: string }[] = [];
  for (const clientId of ['inventory-1', 'inventory-2']) {
    lab.startApp({
      clientId,
      groupId: GROUP,
      topics: [TOPIC],
      commitMode: 'sync-after-processing',
      processingMsPerRecord: 100,
      config: { autoOffsetReset: 'earliest', maxPollIntervalMs: 10_000, ...config },
      onRecord: (record) => deliveries.set(`${record.partition}:${record.offset}`, (deliveries.get(`${record.partition}:${record.offset}`) ?? 0) + 1),
      onError: (error) => errors.push({ clientId, name: (error as { exceptionName?: string }).exceptionName ?? String(error), message: (error as Error).message }),
    });
  }
  const pollTimeouts = () => lab.timeline.history(GROUP).filter((r) => r.cause === 'poll-timeout');
  const redelivered = () => [...deliveries.values()].filter((count) => count > 1).length;
  return { ...lab, deliveries, errors, pollTimeouts, redelivered };
}

describe('max.poll.interval.ms and max.poll.records: continuous rebalancing', () => {
  it('500 records at 100 ms each (50 s) with max.poll.interval.ms 10000: each member leaves with "consumer poll timeout has expired." and rejoins, over and over, and nothing is ever committed', async () => {
    const lab = await slowConsumersLab(41, {});
    lab.run(180_000);

    const timeouts = lab.pollTimeouts();
    expect(timeouts.length).toBeGreaterThanOrEqual(3);
    for (const rebalance of timeouts) expect(rebalance.reason).toMatch(/^Removing member inventory-[12]-\S+ on LeaveGroup; client reason: consumer poll timeout has expired\.$/);
    // Both members timed out together, so each round ends with an empty generation: nobody owns
    // orders-0 and orders-1 from the LeaveGroup until the members, done with their batches, rejoin
    // and fetch again, about 43 s later.
    const firstTimeout = timeouts.at(-1)!;
    expect(firstTimeout.generation).not.toBeNull();
    expect(firstTimeout.membersAfter).toEqual([]);
    expect(firstTimeout.assignmentDiff.flatMap((d) => lab.names(d.removed)).sort()).toEqual(['orders-0', 'orders-1']);
    expect(firstTimeout.stopTheWorld.map((w) => w.partition)).toEqual([0, 1]);
    for (const window of firstTimeout.stopTheWorld) {
      expect(window.pausedMs!).toBeGreaterThan(40_000);
      expect(window.pausedMs!).toBeLessThan(50_000);
    }
    // Generation after generation: the group never settles.
    const generations = lab.timeline
      .history(GROUP)
      .map((r) => r.generation)
      .filter((g): g is number => g !== null)
      .reverse();
    expect(generations.length).toBeGreaterThanOrEqual(6);
    generations.forEach((g, i) => i > 0 && expect(g).toBeGreaterThan(generations[i - 1]!));

    // The member's own log says why, in Java's words.
    const log = lab.logLines('inventory-1', /poll timeout/);
    expect(log).toContain(
      '[Consumer clientId=inventory-1, groupId=inventory] consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.',
    );
    expect(log.some((line) => /Member inventory-1-\S+ sending LeaveGroup request to coordinator \S+ \(id: \d+ rack: null\) due to consumer poll timeout has expired\./.test(line))).toBe(true);
    // Each batch ends with a commit that the group refuses, so the same records come back again.
    expect(lab.errors.filter((e) => e.name === 'CommitFailedException').length).toBeGreaterThanOrEqual(2);
    expect(lab.committedOffsets(GROUP)).toEqual({});
    expect(lab.redelivered()).toBeGreaterThan(0);
  });

  it('lowering max.poll.records to 50 (5 s per poll) stops it: no poll-timeout rebalance once the group settled, every record processed once', async () => {
    const lab = await slowConsumersLab(42, { maxPollRecords: 50 });
    lab.run(130_000);
    expect(lab.pollTimeouts()).toEqual([]);
    expect(lab.timeline.history(GROUP).map((r) => [r.generation, r.cause])).toEqual([[1, 'join']]);
    expect(lab.errors).toEqual([]);
    expect(lab.deliveries.size).toBe(2 * RECORDS_PER_PARTITION);
    expect(lab.redelivered()).toBe(0);
    expect(lab.committedOffsets(GROUP)).toEqual({ 'orders-0': RECORDS_PER_PARTITION, 'orders-1': RECORDS_PER_PARTITION });
  });

  it('raising max.poll.interval.ms to 60000 (more than the 50 s a batch of 500 takes) stops it too', async () => {
    const lab = await slowConsumersLab(43, { maxPollIntervalMs: 60_000 });
    lab.run(130_000);
    expect(lab.pollTimeouts()).toEqual([]);
    expect(lab.timeline.history(GROUP).map((r) => [r.generation, r.cause])).toEqual([[1, 'join']]);
    expect(lab.errors).toEqual([]);
    expect(lab.deliveries.size).toBe(2 * RECORDS_PER_PARTITION);
    expect(lab.redelivered()).toBe(0);
    expect(lab.committedOffsets(GROUP)).toEqual({ 'orders-0': RECORDS_PER_PARTITION, 'orders-1': RECORDS_PER_PARTITION });
  });
});
