/**
 * kafka-consumer-perf-test: the header and values line exactly as Kafka 3.7's ConsumerPerformance
 * prints them (dates "yyyy-MM-dd HH:mm:ss:SSS", numbers with four decimals), consuming what
 * kafka-producer-perf-test produced; the detailed stats; the timeout warning; jopt-simple's errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConsumerPerfTest } from '../../../engine/console/tools/kafka-consumer-perf-test.js';
import { kafkaProducerPerfTest } from '../../../engine/console/tools/kafka-producer-perf-test.js';
import { consoleLab } from './console-lab.js';

const SEED = 7302;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DETAILED_HEADER = 'time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const VALUES = new RegExp(`^(${DATE}), (${DATE}), (\\d+\\.\\d{4}), (\\d+\\.\\d{4}), (\\d+), (\\d+\\.\\d{4}), (\\d+), (\\d+), (\\d+\\.\\d{4}), (\\d+\\.\\d{4})$`);
const DETAIL = new RegExp(`^(${DATE}), 0, (\\d+\\.\\d{4}), (\\d+\\.\\d{4}), (\\d+), (\\d+\\.\\d{4}), (\\d+), (-?\\d+), (\\d+\\.\\d{4}), (\\d+\\.\\d{4})$`);

/** A topic with `records` records of 100 bytes, produced by kafka-producer-perf-test. */
async function labWithRecords(records: number) {
  lab = consoleLab(SEED);
  await lab.engine.command('createTopic', { name: 't', partitions: 3, replicationFactor: 3 });
  lab.advance(1_000);
  const produced = await lab.run(kafkaProducerPerfTest, ['--topic', 't', '--num-records', String(records), '--record-size', '100', '--throughput', '-1', '--producer-props', 'acks=all', 'bootstrap.servers=localhost:9092']);
  expect(produced.code).toBe(0);
  return lab;
}

const BOOT = ['--bootstrap-server', 'localhost:9092', '--topic', 't'];

describe(`kafka-consumer-perf-test (seed ${SEED})`, () => {
  it('consumes what the producer perf test produced: header and Kafka\'s values line', async () => {
    const l = await labWithRecords(5_000);
    const startMs = l.scheduler.nowMs();
    const run = await l.run(kafkaConsumerPerfTest, [...BOOT, '--messages', '5000', '--group', 'perf']);
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toHaveLength(2);
    expect(run.out[0]).toBe(HEADER);
    const m = VALUES.exec(run.out[1]!)!;
    expect(m, run.out[1]).not.toBeNull();
    // start.time is the engine's clock when the tool started, as SimpleDateFormat prints it (UTC).
    expect(m[1]).toBe(new Date(startMs).toISOString().replace('T', ' ').replace('.', ':').slice(0, 23));
    expect(m[3]).toBe('0.4768'); // 5000 × 100 bytes in MB
    expect(m[5]).toBe('5000');
    const [rebalanceMs, fetchMs] = [Number(m[7]), Number(m[8])];
    expect(rebalanceMs, run.out[1]).toBeGreaterThan(0);
    expect(fetchMs, run.out[1]).toBeGreaterThanOrEqual(0);
    // The whole elapsed time is the rebalance plus the fetching.
    const elapsedMs = Date.parse(m[2]!.replace(' ', 'T').replace(/:(\d{3})$/, '.$1Z')) - Date.parse(m[1]!.replace(' ', 'T').replace(/:(\d{3})$/, '.$1Z'));
    expect(rebalanceMs + fetchMs).toBe(elapsedMs);
    const group = await l.engine.query('describeGroup', { groupId: 'perf' });
    expect(JSON.stringify(group)).toContain('perf');
  });

  it('--show-detailed-stats prints a line per --reporting-interval, no summary', async () => {
    const l = await labWithRecords(3_000);
    const run = await l.run(kafkaConsumerPerfTest, [...BOOT, '--messages', '3000', '--show-detailed-stats', '--reporting-interval', '1']);
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(run.out[0]).toBe(DETAILED_HEADER);
    expect(run.out.length).toBeGreaterThan(1);
    for (const line of run.out.slice(1)) expect(line).toMatch(DETAIL);
  });

  it('asks for more than there is: the timeout warning, then the values line with what was read', async () => {
    const l = await labWithRecords(1_000);
    const run = await l.run(kafkaConsumerPerfTest, [...BOOT, '--messages', '2000', '--timeout', '3000']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(HEADER);
    expect(run.out[1]).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (3000 ms) exceeded. You can use the --timeout option to increase the timeout.');
    expect(VALUES.exec(run.out[2]!)?.[5]).toBe('1000');
  });

  it('a missing required option: the message, then the help table on stderr; exit 1', async () => {
    const l = await labWithRecords(10);
    const missingTopic = await l.run(kafkaConsumerPerfTest, ['--bootstrap-server', 'localhost:9092', '--messages', '10']);
    expect(missingTopic.code).toBe(1);
    expect(missingTopic.out).toEqual([]);
    expect(missingTopic.err[0]).toBe('Missing required argument "[topic]"');
    expect(missingTopic.err[1]).toMatch(/^Option +Description$/);
    const missingServer = await l.run(kafkaConsumerPerfTest, ['--topic', 't', '--messages', '10']);
    expect(missingServer.code).toBe(1);
    expect(missingServer.err[0]).toBe('Missing required option(s) [bootstrap-server]');
    expect(missingServer.err.join('\n')).toContain('--bootstrap-server <String: server to');
  });

  it('a bad --messages fails after the header, with jopt-simple\'s message and exception', async () => {
    const l = await labWithRecords(10);
    const run = await l.run(kafkaConsumerPerfTest, [...BOOT, '--messages', 'many']);
    expect(run).toEqual({ code: 1, out: [HEADER], err: ["Cannot parse argument 'many' of option messages", "joptsimple.OptionArgumentConversionException: Cannot parse argument 'many' of option messages"] });
    const groups = await l.engine.query('listGroups', {});
    expect(JSON.stringify(groups)).not.toContain('perf-consumer-');
  });

  it('--reporting-interval 0 is IllegalArgumentException\'s message', async () => {
    const l = await labWithRecords(10);
    const run = await l.run(kafkaConsumerPerfTest, [...BOOT, '--messages', '10', '--reporting-interval', '0']);
    expect(run).toEqual({ code: 1, out: [HEADER], err: ['Reporting interval must be greater than 0.', 'java.lang.IllegalArgumentException: Reporting interval must be greater than 0.'] });
  });
});
