/**
 * kafka-get-offsets golden output (Kafka 3.7.0's GetOffsetShell): `topic:partition:offset` lines
 * sorted by "topic-partition" as a string, --time latest/earliest/max-timestamp/a timestamp, the
 * filters, and the "Error occurred: ..." failures (exit 1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { kafkaGetOffsetsTool } from '../../../engine/console/tools/kafka-get-offsets.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 12;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
const T0 = 1_700_000_100_000;
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());
const offsets = (args: string[]) => lab.run(kafkaGetOffsetsTool, [...B, ...args]);

/** `orders`: 3 partitions with 3, 2, 0 records (timestamps T0 + i s, partition 0 gets T0, T0+3s and T0+1s); `audit`: 12 partitions, empty. */
async function cluster(): Promise<void> {
  lab = consoleLab(SEED);
  await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'orders', '--partitions', '3']);
  await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'audit', '--partitions', '12']);
  const records: [number, number][] = [[0, T0], [1, T0 + 2000], [0, T0 + 3000], [1, T0 + 4000], [0, T0 + 1000]];
  for (const [partition, timestampMs] of records) {
    await runUntilSettled(lab.scheduler, lab.engine.command('produceRecord', { topic: 'orders', partition, key: null, value: 'v', timestampMs }), 10_000);
  }
}

describe(`kafka-get-offsets (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--topic: the latest offset of each partition (the default --time latest)', async () => {
    await cluster();
    expect(await offsets(['--topic', 'orders'])).toEqual({ code: 0, out: ['orders:0:3', 'orders:1:2', 'orders:2:0'], err: [] });
    expect((await offsets(['--topic', 'orders', '--time', '-1'])).out).toEqual(['orders:0:3', 'orders:1:2', 'orders:2:0']);
  });

  it('--time earliest / -2, max-timestamp / -3 (an empty partition prints nothing), a timestamp (first record at or after it)', async () => {
    await cluster();
    expect((await offsets(['--topic', 'orders', '--time', 'earliest'])).out).toEqual(['orders:0:0', 'orders:1:0', 'orders:2:0']);
    expect((await offsets(['--topic', 'orders', '--time', '-2'])).out).toEqual(['orders:0:0', 'orders:1:0', 'orders:2:0']);
    expect((await offsets(['--topic', 'orders', '--time', 'max-timestamp'])).out).toEqual(['orders:0:1', 'orders:1:1']);
    expect((await offsets(['--topic', 'orders', '--time', '-3'])).out).toEqual(['orders:0:1', 'orders:1:1']);
    expect((await offsets(['--topic', 'orders', '--time', String(T0 + 500)])).out).toEqual(['orders:0:1', 'orders:1:0']);
    expect((await offsets(['--topic', 'orders', '--time', String(T0 + 60_000)])).out).toEqual([]);
  });

  it('--partitions, a --topic regex, --topic-partitions rules; lines sorted as strings (audit-10 before audit-2)', async () => {
    await cluster();
    expect((await offsets(['--topic', 'orders', '--partitions', '0,2'])).out).toEqual(['orders:0:3', 'orders:2:0']);
    expect((await offsets(['--topic', 'aud.*', '--partitions', '1,2,10'])).out).toEqual(['audit:1:0', 'audit:10:0', 'audit:2:0']);
    expect((await offsets(['--topic-partitions', 'orders:1,audit:10-'])).out).toEqual(['audit:10:0', 'audit:11:0', 'orders:1:2']);
    expect((await offsets(['--topic-partitions', 'orders:-2'])).out).toEqual(['orders:0:3', 'orders:1:2']);
    expect((await offsets(['--topic-partitions', 'orders:1-3', '--time', 'earliest'])).out).toEqual(['orders:1:0', 'orders:2:0']);
    const all = await offsets(['--exclude-internal-topics']);
    expect(all.out).toHaveLength(15);
  });

  it('errors: "Error occurred: ..." on stderr, exit 1', async () => {
    await cluster();
    const err = (message: string) => ({ code: 1, out: [], err: [`Error occurred: ${message}`] });
    expect(await offsets(['--topic', 'nope'])).toEqual(err('Could not match any topic-partitions with the specified filters'));
    expect(await offsets(['--topic', 'orders', '--time', 'yesterday'])).toEqual(err('Malformed time argument yesterday. Please use -1 or latest / -2 or earliest / -3 or max-timestamp, or a specified long format timestamp'));
    expect(await offsets(['--topic', 'orders', '--partitions', 'a,b'])).toEqual(err('--partitions expects a comma separated list of numeric partition ids, but received: a,b'));
    expect(await offsets(['--topic-partitions', 'orders:1', '--topic', 'orders'])).toEqual(err('--topic-partitions cannot be used with --topic or --partitions'));
    expect(await offsets(['--topic-partitions', 'orders:x'])).toEqual(err('Invalid rule specification: orders:x'));
    expect(await offsets(['--tpoic', 'orders'])).toEqual(err('tpoic is not a recognized option'));
    expect(await lab.run(kafkaGetOffsetsTool, ['--topic', 'orders'])).toEqual(err('Missing required option(s) [bootstrap-server]'));
    const badServer = await lab.run(kafkaGetOffsetsTool, ['--bootstrap-server', 'localhost', '--topic', 'orders']);
    expect([badServer.code, badServer.err[0]]).toEqual([1, 'Please provide valid host:port like host1:9091,host2:9092']);
    const usage = await lab.run(kafkaGetOffsetsTool, []);
    expect([usage.code, usage.err[0], usage.err[1]]).toEqual([1, 'An interactive shell for getting topic-partition offsets.', 'Option                                  Description']);
  });

  it('--broker-list is accepted in place of --bootstrap-server', async () => {
    await cluster();
    expect(await lab.run(kafkaGetOffsetsTool, ['--broker-list', 'localhost:9092', '--topic', 'orders', '--partitions', '1'])).toEqual({ code: 0, out: ['orders:1:2'], err: [] });
  });
});
