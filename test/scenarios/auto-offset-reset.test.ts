/**
 * Seed 003, "auto.offset.reset": where a group with no committed offset starts reading.
 *
 * - latest (Kafka's default): at the log end offset; records written before the consumer joined
 *   are skipped;
 * - earliest: at the log start offset; everything is read;
 * - none: poll() throws NoOffsetForPartitionException naming the partitions without a committed
 *   offset ("Undefined offset with no reset policy for partitions: [...]").
 *
 * The setting only matters without a committed offset: a group that committed resumes there.
 */
import { describe, expect, it } from 'vitest';
import { ConsumerError, type ConsumerConfigInput } from '../../engine/clients/consumer/index.js';
import { groupLab } from './group-lab.js';

const TOPIC = 'orders';

async function resetLab(seed: number) {
  const lab = groupLab(seed);
  lab.cluster.createTopic({ name: TOPIC, partitions: 2, replicationFactor: 3, configs: {} });
  lab.run(100);
  const producer = lab.producer();
  const produce = async (from: number, to: number) => {
    for (let i = from; i <= to; i++) await lab.settle(producer.send({ topic: TOPIC, partition: i % 2, value: `order-${i}` }).promise);
  };
  await produce(1, 6);
  const read: string[] = [];
  const errors: unknown[] = [];
  const start = (groupId: string, config: ConsumerConfigInput, commitMode: 'auto' | 'sync-after-processing' = 'auto') =>
    lab.startApp({ clientId: `${groupId}-1`, groupId, topics: [TOPIC], commitMode, config, onRecord: (r) => read.push(r.value!), onError: (e) => errors.push(e) });
  return { ...lab, produce, read, errors, start };
}

describe('auto.offset.reset for a group without committed offsets', () => {
  it('latest skips the 6 orders written before the consumer joined and reads only the new ones', async () => {
    const lab = await resetLab(61);
    lab.start('fresh-latest', { autoOffsetReset: 'latest' });
    lab.run(10_000);
    expect(lab.read).toEqual([]);
    await lab.produce(7, 9);
    lab.run(5_000);
    expect([...lab.read].sort()).toEqual(['order-7', 'order-8', 'order-9']);
    expect(lab.logLines('fresh-latest-1', /Resetting offset for partition orders-0/)).toEqual([
      expect.stringMatching(/Resetting offset for partition orders-0 to position FetchPosition\{offset=3, /),
    ]);
  });

  it('earliest reads all 6 orders written before the consumer joined', async () => {
    const lab = await resetLab(62);
    lab.start('fresh-earliest', { autoOffsetReset: 'earliest' });
    lab.run(10_000);
    expect([...lab.read].sort()).toEqual(['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6']);
  });

  it('none fails poll() with NoOffsetForPartitionException naming the partitions that have no committed offset', async () => {
    const lab = await resetLab(63);
    lab.start('fresh-none', { autoOffsetReset: 'none' });
    lab.run(10_000);
    expect(lab.read).toEqual([]);
    expect(lab.errors.length).toBeGreaterThan(0);
    const error = lab.errors[0];
    expect(error).toBeInstanceOf(ConsumerError);
    expect(error).toMatchObject({ exceptionName: 'NoOffsetForPartitionException', message: 'Undefined offset with no reset policy for partitions: [orders-0, orders-1]' });
    // Every poll fails the same way until offsets exist; nothing is fetched.
    expect(lab.errors.every((e) => (e as ConsumerError).exceptionName === 'NoOffsetForPartitionException')).toBe(true);
  });

  it('none reads from the committed offsets once the group has some, and latest does not skip past them', async () => {
    const lab = await resetLab(64);
    // A first consumer of group "inventory" reads everything and commits (offsets 3 and 3).
    const first = lab.start('inventory', { autoOffsetReset: 'earliest' }, 'sync-after-processing');
    lab.run(10_000);
    expect(lab.committedOffsets('inventory')).toEqual({ 'orders-0': 3, 'orders-1': 3 });
    first.close();
    lab.run(5_000);
    expect(first.state).toBe('closed');
    await lab.produce(7, 10);
    lab.read.length = 0;
    // A new member with auto.offset.reset=none resumes at the committed offsets: no error, orders 7-10.
    lab.startApp({ clientId: 'inventory-2', groupId: 'inventory', topics: [TOPIC], config: { autoOffsetReset: 'none' }, onRecord: (r) => lab.read.push(r.value!), onError: (e) => lab.errors.push(e) });
    lab.run(10_000);
    expect(lab.errors).toEqual([]);
    expect([...lab.read].sort()).toEqual(['order-10', 'order-7', 'order-8', 'order-9']);
  });
});
