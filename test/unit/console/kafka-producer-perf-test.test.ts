/**
 * kafka-producer-perf-test: the window and summary lines exactly as Kafka 3.7's ProducerPerformance
 * prints them, on engine time; the records land in the topic; --throughput holds the rate; the
 * seeds' comparisons (acks=all vs acks=1, batching) go the way Kafka users see them; argparse4j's
 * errors change nothing. Error lines are wrapped at 75 columns and justified, as argparse4j's
 * TextHelper.wrap prints them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaProducer } from '../../../engine/clients/producer/kafka-producer.js';
import { kafkaProducerPerfTest } from '../../../engine/console/tools/kafka-producer-perf-test.js';
import { consoleLab } from './console-lab.js';

const SEED = 7301;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

async function labWithTopic(seed = SEED) {
  lab = consoleLab(seed);
  await lab.engine.command('createTopic', { name: 't', partitions: 3, replicationFactor: 3 });
  lab.advance(1_000);
  return lab;
}

async function logEndOffsets(l: ReturnType<typeof consoleLab>): Promise<number> {
  const topic = await l.engine.query('describeTopic', { name: 't' });
  return topic.partitions.reduce((sum, p) => sum + p.logEndOffset, 0);
}

const WINDOW = /^(\d+) records sent, (\d+\.\d) records\/sec \((\d+\.\d{2}) MB\/sec\), (\d+\.\d) ms avg latency, (\d+\.\d) ms max latency\.$/;
const TOTAL = /^(\d+) records sent, (\d+\.\d{6}) records\/sec \((\d+\.\d{2}) MB\/sec\), (\d+\.\d{2}) ms avg latency, (\d+\.\d{2}) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/;

interface Summary {
  records: number;
  recordsPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50: number;
  p999: number;
}

function summaryOf(line: string | undefined): Summary {
  const m = TOTAL.exec(line ?? '');
  expect(m, `summary line: ${line}`).not.toBeNull();
  return { records: Number(m![1]), recordsPerSec: Number(m![2]), avgLatencyMs: Number(m![4]), maxLatencyMs: Number(m![5]), p50: Number(m![6]), p999: Number(m![9]) };
}

const perf = (records: number, throughput: number, props: string[]) => ['--topic', 't', '--num-records', String(records), '--record-size', '100', '--throughput', String(throughput), '--producer-props', ...props, 'bootstrap.servers=localhost:9092'];

const USAGE = [
  'usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS',
  '                            [--payload-delimiter PAYLOAD-DELIMITER]',
  '                            --throughput THROUGHPUT',
  '                            [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]]',
  '                            [--producer.config CONFIG-FILE]',
  '                            [--print-metrics]',
  '                            [--transactional-id TRANSACTIONAL-ID]',
  '                            [--transaction-duration-ms TRANSACTION-DURATION]',
  '                            (--record-size RECORD-SIZE |',
  '                            --payload-file PAYLOAD-FILE)',
];

describe(`kafka-producer-perf-test (seed ${SEED})`, () => {
  it('throttled: a window line every 5 s of engine time, then the 3.7 summary; the records land in the topic', async () => {
    const l = await labWithTopic();
    const startMs = l.scheduler.nowMs();
    const run = await l.run(kafkaProducerPerfTest, perf(12_000, 2_000, ['acks=all', 'linger.ms=5', 'batch.size=16384']), { maxEngineMs: 60_000 });
    const elapsedMs = l.scheduler.nowMs() - startMs;
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(run.err).toEqual([]);
    const windows = run.out.slice(0, -1);
    expect(windows.length, run.out.join('\n')).toBe(1);
    for (const line of windows) {
      const m = WINDOW.exec(line)!;
      expect(m, line).not.toBeNull();
      expect(Number(m[2]), line).toBeGreaterThan(1_950);
      expect(Number(m[2]), line).toBeLessThan(2_050);
    }
    const total = summaryOf(run.out.at(-1));
    expect(total.records).toBe(12_000);
    // 12000 records at 2000/s take 6 s of engine time: the throttle holds the rate.
    expect(elapsedMs, `engine ms ${elapsedMs}`).toBeGreaterThanOrEqual(6_000);
    expect(total.recordsPerSec, run.out.at(-1)).toBeGreaterThan(1_950);
    expect(total.recordsPerSec, run.out.at(-1)).toBeLessThanOrEqual(2_000);
    expect(total.p50).toBeLessThanOrEqual(total.p999);
    expect(await logEndOffsets(l)).toBe(12_000);
  });

  it('unthrottled (--throughput -1): only the summary, every record acknowledged and stored', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaProducerPerfTest, perf(5_000, -1, ['acks=1']));
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    expect(summaryOf(run.out[0]).records).toBe(5_000);
    expect(await logEndOffsets(l)).toBe(5_000);
  });

  it('is deterministic for a seed (the same lines twice)', async () => {
    const first = await (await labWithTopic()).run(kafkaProducerPerfTest, perf(3_000, 1_000, ['acks=all']));
    lab!.close();
    const second = await (await labWithTopic()).run(kafkaProducerPerfTest, perf(3_000, 1_000, ['acks=all']));
    expect(second).toEqual(first);
  });

  it('acks=all has a higher average latency than acks=1 (the followers must fetch first)', async () => {
    const results: Record<string, Summary> = {};
    for (const acks of ['1', 'all']) {
      const l = await labWithTopic();
      const run = await l.run(kafkaProducerPerfTest, perf(5_000, 1_000, [`acks=${acks}`, 'linger.ms=5', 'batch.size=16384']));
      expect(run.code).toBe(0);
      results[acks] = summaryOf(run.out.at(-1));
      l.close();
      lab = null;
    }
    const message = `seed ${SEED}: acks=1 ${JSON.stringify(results['1'])}, acks=all ${JSON.stringify(results['all'])}`;
    expect(results['all']!.avgLatencyMs, message).toBeGreaterThan(results['1']!.avgLatencyMs);
  });

  it('larger linger.ms / batch.size send the same records in fewer produce requests and at a higher rate', async () => {
    const measured: Record<string, { summary: Summary; requests: number }> = {};
    for (const [name, props] of [
      ['small', ['acks=1', 'linger.ms=0', 'batch.size=1024']],
      ['large', ['acks=1', 'linger.ms=20', 'batch.size=65536']],
    ] as const) {
      const l = await labWithTopic();
      const producers: KafkaProducer<string | null, string | null>[] = [];
      const create = l.engine.producer.bind(l.engine);
      l.engine.producer = (config) => {
        const producer = create(config);
        producers.push(producer);
        return producer;
      };
      const run = await l.run(kafkaProducerPerfTest, perf(20_000, -1, [...props]));
      expect(run.code).toBe(0);
      measured[name] = { summary: summaryOf(run.out.at(-1)), requests: producers[0]!.counters().produceRequests };
      expect(await logEndOffsets(l)).toBe(20_000);
      l.close();
      lab = null;
    }
    const message = `seed ${SEED}: ${JSON.stringify(measured)}`;
    expect(measured['large']!.requests, message).toBeLessThan(measured['small']!.requests);
    expect(measured['large']!.summary.recordsPerSec, message).toBeGreaterThan(measured['small']!.summary.recordsPerSec);
  });

  it('no arguments prints argparse4j\'s help and exits 0', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaProducerPerfTest, []);
    expect(run.code).toBe(0);
    expect(run.out.slice(0, USAGE.length)).toEqual(USAGE);
    expect(run.out.slice(USAGE.length, USAGE.length + 5)).toEqual(['', 'This tool is used to verify the producer performance.', '', 'optional arguments:', '  -h, --help             show this help message and exit']);
    expect(run.out).toContain('  either --record-size or --payload-file must be specified but not both.');
  });

  describe('refused arguments change nothing and exit 1', () => {
    const cases: [string, string[], string[]][] = [
      ['a missing required argument (argparse4j reports the last one missing)', ['--topic', 't', '--record-size', '100', '--producer-props', 'acks=1'], ['producer-performance: error: argument --throughput is required']],
      ['the payload group', ['--topic', 't', '--num-records', '10', '--throughput', '-1', '--producer-props', 'acks=1'], ['producer-performance: error: one of  the arguments --record-size --payload-', 'file is required']],
      ['a bad number', ['--topic', 't', '--num-records', 'ten', '--record-size', '100', '--throughput', '-1', '--producer-props', 'acks=1'], ['producer-performance: error:  argument  --num-records:  could  not  convert', '\'ten\' to Long (For input string: "ten")']],
      ['a fractional throughput (an Integer in 3.7)', ['--topic', 't', '--num-records', '10', '--record-size', '100', '--throughput', '1.5', '--producer-props', 'acks=1'], ['producer-performance:  error:  argument  --throughput:  could  not  convert', '\'1.5\' to Integer (For input string: "1.5")']],
      ['no producer properties', ['--topic', 't', '--num-records', '10', '--record-size', '100', '--throughput', '-1'], ['producer-performance: error: Either  --producer-props  or --producer.config', 'must be specified.']],
      ['a value missing', ['--topic', '--num-records', '10'], ['producer-performance: error: argument --topic: expected one argument']],
      ['both payload options', ['--topic', 't', '--record-size', '1', '--payload-file', 'p'], ['producer-performance: error:  argument  --payload-file:  not  allowed  with', 'argument --record-size']],
      ['an ambiguous abbreviation', ['--topic', 't', '--p', 'x'], ['producer-performance: error: ambiguous option:  --p  could match --payload-', 'delimiter,     --payload-file,      --print-metrics,      --producer-props,', '--producer.config']],
      ['an unknown option, with argparse4j\'s suggestion', ['--topics', 't'], ["producer-performance: error: unrecognized arguments: '--topics'", '', 'Did you mean:', '\t--topic']],
    ];
    for (const [what, args, errorLines] of cases) {
      it(what, async () => {
        const l = await labWithTopic();
        const run = await l.run(kafkaProducerPerfTest, args);
        expect(run.code).toBe(1);
        expect(run.out).toEqual([]);
        expect(run.err).toEqual([...USAGE, ...errorLines]);
        expect(await logEndOffsets(l)).toBe(0);
      });
    }

    it('an invalid --producer-props entry escapes main as IllegalArgumentException', async () => {
      const l = await labWithTopic();
      const run = await l.run(kafkaProducerPerfTest, perf(10, -1, ['acks']));
      expect(run).toEqual({ code: 1, out: [], err: ['Exception in thread "main" java.lang.IllegalArgumentException: Invalid property: acks'] });
      expect(await logEndOffsets(l)).toBe(0);
    });

    it('a bad config value is ConfigException\'s message', async () => {
      const l = await labWithTopic();
      const run = await l.run(kafkaProducerPerfTest, perf(10, -1, ['linger.ms=soon']));
      expect(run).toEqual({ code: 1, out: [], err: ['Exception in thread "main" org.apache.kafka.common.config.ConfigException: Invalid value soon for configuration linger.ms: Not a number of type LONG'] });
      expect(await logEndOffsets(l)).toBe(0);
    });

    it('--num-records 0 fails as 3.7\'s Stats does (/ by zero)', async () => {
      const l = await labWithTopic();
      const run = await l.run(kafkaProducerPerfTest, perf(0, -1, ['acks=1']));
      expect(run).toEqual({ code: 1, out: [], err: ['Exception in thread "main" java.lang.ArithmeticException: / by zero'] });
      expect(await logEndOffsets(l)).toBe(0);
    });
  });

  it('-h prints the help on stdout and exits 1, as ProducerPerformance does after handleError', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaProducerPerfTest, ['-h']);
    expect(run.code).toBe(1);
    expect(run.out.slice(0, USAGE.length)).toEqual(USAGE);
    expect(run.err).toEqual([]);
  });
});
