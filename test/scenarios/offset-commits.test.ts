/**
 * Seed 003, "commit": auto commit vs manual commit, and what a crash does with each.
 *
 * - enable.auto.commit=true, auto.commit.interval.ms=60000: the consumer commits what its polls
 *   returned once a minute (and when it rebalances or closes). Stopped before that (the IDE's Stop
 *   button kills the process: no commit, no LeaveGroup), the next consumer of the group starts from
 *   the last committed offset and reads the same orders again: duplicates.
 * - commitSync() after processing each batch: a restart resumes after the last processed batch
 *   (the seed: produce 1-5, consume, stop, produce 6-10, start again, see 6-10 only).
 * - commitSync() before processing (at-most-once): a crash in the middle of a batch loses the rest of
 *   the batch; nobody ever processes it.
 *
 * The crashed member stays in the group until session.timeout.ms (45 s) expires; only then does
 * the new consumer get its partition.
 */
import { describe, expect, it } from 'vitest';
import type { CommitMode } from '../../engine/services/consumer-app.js';
import { groupLab } from './group-lab.js';

const TOPIC = 'orders';
const GROUP = 'inventory';

function commitLab(seed: number) {
  const lab = groupLab(seed);
  lab.cluster.createTopic({ name: TOPIC, partitions: 1, replicationFactor: 3, configs: {} });
  lab.run(100);
  const producer = lab.producer();
  /** Which consumer processed each order (by offset), in order. */
  const processedBy = new Map<number, string[]>();
  const produce = async (from: number, to: number) => {
    for (let i = from; i <= to; i++) await lab.settle(producer.send({ topic: TOPIC, value: `order-${i}` }).promise);
  };
  const start = (clientId: string, commitMode: CommitMode, processingMsPerRecord = 0, onRecord?: () => void) =>
    lab.startApp({
      clientId,
      groupId: GROUP,
      topics: [TOPIC],
      commitMode,
      processingMsPerRecord,
      config: { autoOffsetReset: 'earliest', autoCommitIntervalMs: 60_000 },
      onRecord: (record) => {
        processedBy.set(record.offset, [...(processedBy.get(record.offset) ?? []), clientId]);
        onRecord?.();
      },
    });
  const duplicates = () => [...processedBy.values()].reduce((sum, by) => sum + by.length - 1, 0);
  const processedOffsets = () => [...processedBy.keys()].sort((a, b) => a - b);
  return { ...lab, processedBy, produce, start, duplicates, processedOffsets };
}

describe('offset commits and a crash: duplicates or losses', () => {
  it('auto commit every 60 s, process stopped after 30 s: the restarted consumer reads the same 5 orders again', async () => {
    const lab = commitLab(51);
    await lab.produce(1, 5);
    const first = lab.start('inventory-1', 'auto');
    lab.run(30_000);
    expect(lab.processedOffsets()).toEqual([0, 1, 2, 3, 4]);
    expect(lab.committedOffsets(GROUP)).toEqual({});
    first.crash();
    lab.start('inventory-1-restarted', 'auto');
    lab.run(60_000);
    expect(lab.duplicates()).toBe(5);
    for (const by of lab.processedBy.values()) expect(by).toEqual(['inventory-1', 'inventory-1-restarted']);
    // The new consumer got the partition only after the dead one's session (45 s) expired.
    const [handover] = lab.timeline.history(GROUP);
    expect(handover!.completedAtMs! - handover!.startedAtMs).toBeGreaterThanOrEqual(40_000);
  });

  it('commitSync after processing each batch, stop, produce 6-10, start again: the restarted consumer reads exactly 6-10, no duplicates', async () => {
    const lab = commitLab(52);
    await lab.produce(1, 5);
    const first = lab.start('inventory-1', 'sync-after-processing');
    lab.run(30_000);
    expect(lab.committedOffsets(GROUP)).toEqual({ 'orders-0': 5 });
    first.crash();
    await lab.produce(6, 10);
    lab.start('inventory-1-restarted', 'sync-after-processing');
    lab.run(60_000);
    expect(lab.duplicates()).toBe(0);
    expect(lab.processedOffsets()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...lab.processedBy].filter(([, by]) => by[0] === 'inventory-1-restarted').map(([offset]) => offset)).toEqual([5, 6, 7, 8, 9]);
    expect(lab.committedOffsets(GROUP)).toEqual({ 'orders-0': 10 });
  });

  // One batch of 20 orders, 200 ms each; the process dies 900 ms after it started processing the
  // first, when 5 are done. Then a new consumer takes the partition over.
  const cases: { mode: CommitMode; duplicates: number; lost: number; why: string }[] = [
    { mode: 'auto', duplicates: 5, lost: 0, why: 'nothing was committed yet (at-least-once)' },
    { mode: 'sync-after-processing', duplicates: 5, lost: 0, why: 'the batch is committed only after it is processed (at-least-once)' },
    { mode: 'before-processing', duplicates: 0, lost: 15, why: 'the whole batch was committed before it was processed (at-most-once)' },
  ];
  for (const { mode, duplicates, lost, why } of cases) {
    it(`commit mode ${mode}, crash in the middle of a batch: ${duplicates} duplicates, ${lost} orders lost — ${why}`, async () => {
      const lab = commitLab(53);
      await lab.produce(1, 20);
      let crashScheduled = false;
      const first = lab.start('inventory-1', mode, 200, () => {
        if (crashScheduled) return;
        crashScheduled = true;
        lab.scheduler.after(900, () => first.crash());
      });
      lab.run(30_000);
      expect(first.state).toBe('crashed');
      expect(first.recordsProcessed).toBe(5);
      lab.start('inventory-2', mode, 200);
      lab.run(70_000);
      const produced = 20;
      expect(lab.duplicates(), 'duplicates').toBe(duplicates);
      expect(produced - lab.processedOffsets().length, 'lost: produced - processed by anyone').toBe(lost);
      if (lost > 0) expect(lab.processedOffsets()).toEqual([0, 1, 2, 3, 4]);
    });
  }
});
