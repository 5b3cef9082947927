/**
 * kafka-producer-perf-test, as Kafka 3.x's ProducerPerformance runs: --num-records records of
 * --record-size random uppercase letters sent to --topic by a producer configured from
 * --producer.config and --producer-props (client.id perf-producer-client), throttled to
 * --throughput records/s (-1: as fast as the producer takes them), with latency measured from
 * send to acknowledgement on engine time. Every 5 s of engine time a completion prints the window
 * ("N records sent, X records/sec (Y MB/sec), A ms avg latency, B ms max latency."); after close
 * the total line with the 50th/95th/99th/99.9th percentiles of the sampled latencies.
 *
 * Java's send() blocks when buffer.memory is full; here the tool waits for completions while the
 * bytes in flight would exceed buffer.memory, which is the same back-pressure on engine time.
 * Arguments are parsed as argparse4j does (usage + "producer-performance: error: ..." and exit 1).
 * --print-metrics, --payload-file, --payload-monotonic and transactions are not supported by this
 * lab's producer and say so in one line.
 *
 * Invariants: at most consoleClientLimits.perfRecordsMax records; the latency sample array is
 * bounded as Kafka's (numRecords / sampling + 1); the producer is closed before the summary.
 */
import type { ProducerConfigInput } from '../../clients/producer/index.js';
import { consoleClientLimits } from '../console-limits.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import { ClientConfigError, fileErrorLine, javaFixed, loadProps, log4jLine, producerConfigOf, sleepMs, throwableLine, ToolExit } from './record-formatter.js';

const PROG = 'producer-performance';
const USAGE = [
  `usage: ${PROG} [-h] --topic TOPIC --num-records NUM-RECORDS`,
  '                            (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)',
  '                            [--payload-delimiter PAYLOAD-DELIMITER] --throughput THROUGHPUT',
  '                            [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]]',
  '                            [--producer.config CONFIG-FILE] [--print-metrics]',
  '                            [--transactional-id TRANSACTIONAL-ID] [--transaction-duration-ms TRANSACTION-DURATION]',
];
const DESCRIPTION = 'This tool is used to verify the producer performance.';
/** Stats' reporting interval (ProducerPerformance: new Stats(numRecords, 5000)). */
const REPORTING_INTERVAL_MS = 5_000;
/** Stats keeps at most this many latency samples (numRecords / min(numRecords, 500000)). */
const LATENCY_SAMPLES_MAX = 500_000;

const FLAGS = new Set(['--print-metrics', '--payload-monotonic', '-h', '--help']);
const SINGLE = new Set(['--topic', '--num-records', '--record-size', '--payload-file', '--payload-delimiter', '--throughput', '--producer.config', '--transactional-id', '--transaction-duration-ms']);

class ArgumentError extends Error {}

interface PerfArgs {
  readonly values: Map<string, string>;
  readonly producerProps: string[] | null;
  readonly flags: Set<string>;
}

/** argparse4j's parse of ProducerPerformance's arguments (long names, `--x v` or `--x=v`). */
function parseArgs(args: readonly string[]): PerfArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let producerProps: string[] | null = null;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const [name, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (FLAGS.has(name)) {
      flags.add(name);
    } else if (SINGLE.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ArgumentError(`argument ${name}: expected one argument`);
      values.set(name, value);
    } else if (name === '--producer-props') {
      producerProps = inline !== undefined ? [inline] : [];
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) producerProps.push(args[++i]!);
      if (producerProps.length === 0) throw new ArgumentError('argument --producer-props: expected at least one argument');
    } else {
      throw new ArgumentError(`unrecognized arguments: '${word}'`);
    }
  }
  return { values, producerProps, flags };
}

function numberArg(args: PerfArgs, name: string, type: 'Long' | 'Integer' | 'Double'): number | undefined {
  const text = args.values.get(name);
  if (text === undefined) return undefined;
  const value = type === 'Double' ? Number(text) : /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new ArgumentError(`argument ${name}: could not convert '${text}' to ${type}`);
  return value;
}

interface PerfPlan {
  readonly topic: string;
  readonly numRecords: number;
  readonly recordSize: number;
  readonly throughput: number;
  readonly props: Map<string, string>;
}

/** ConfigPostProcessor's checks, in its order. */
function plan(context: ToolContext, args: PerfArgs): PerfPlan {
  for (const required of ['--topic', '--num-records']) if (!args.values.has(required)) throw new ArgumentError(`argument ${required} is required`);
  const payloads = ['--record-size', '--payload-file', '--payload-monotonic'].filter((n) => args.values.has(n) || args.flags.has(n));
  if (payloads.length === 0) throw new ArgumentError('one of the arguments --record-size --payload-file --payload-monotonic is required');
  if (payloads.length > 1) throw new ArgumentError(`argument ${payloads[1]}: not allowed with argument ${payloads[0]}`);
  if (!args.values.has('--throughput')) throw new ArgumentError('argument --throughput is required');
  const numRecords = numberArg(args, '--num-records', 'Long')!;
  const recordSize = numberArg(args, '--record-size', 'Integer');
  const throughput = numberArg(args, '--throughput', 'Double')!;
  if (numRecords <= 0) throw new ArgumentError('--num-records should be greater than zero');
  if (recordSize !== undefined && recordSize <= 0) throw new ArgumentError('--record-size should be greater than zero');
  if (args.producerProps === null && !args.values.has('--producer.config')) throw new ArgumentError('Either --producer-props or --producer.config must be specified.');
  if (recordSize === undefined) throw new Unsupported('--payload-file and --payload-monotonic are not supported by this lab; use --record-size.');
  if (args.values.has('--transactional-id') || args.values.has('--transaction-duration-ms')) throw new Unsupported('Transactions are not supported by this lab\'s producer.');
  if (numRecords > consoleClientLimits.perfRecordsMax) throw new Unsupported(`--num-records is limited to ${consoleClientLimits.perfRecordsMax} in this lab.`);
  if (recordSize > consoleClientLimits.perfRecordSizeBytesMax) throw new Unsupported(`--record-size is limited to ${consoleClientLimits.perfRecordSizeBytesMax} bytes in this lab.`);
  const props = args.values.has('--producer.config') ? loadProps(context, args.values.get('--producer.config')!) : new Map<string, string>();
  for (const prop of args.producerProps ?? []) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new InvalidProperty(`Invalid property: ${prop}`);
    props.set(pieces[0]!, pieces[1]!);
  }
  if (props.has('transactional.id')) throw new Unsupported('Transactions are not supported by this lab\'s producer.');
  if (!props.has('client.id')) props.set('client.id', 'perf-producer-client');
  return { topic: args.values.get('--topic')!, numRecords, recordSize, throughput, props };
}

class Unsupported extends Error {}
class InvalidProperty extends Error {}

/** ProducerPerformance.Stats, on engine time. */
class Stats {
  private readonly startMs: number;
  private readonly sampling: number;
  private readonly latencies: number[] = [];
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private iteration = 0;
  private windowStartMs: number;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;

  constructor(
    numRecords: number,
    nowMs: number,
    private readonly print: (line: string) => void,
  ) {
    this.startMs = nowMs;
    this.windowStartMs = nowMs;
    this.sampling = Math.floor(numRecords / Math.min(numRecords, LATENCY_SAMPLES_MAX));
  }

  record(latencyMs: number, bytes: number, nowMs: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latencyMs;
    this.maxLatency = Math.max(this.maxLatency, latencyMs);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latencyMs;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latencyMs);
    if (this.iteration % this.sampling === 0) this.latencies.push(latencyMs);
    this.iteration++;
    if (nowMs - this.windowStartMs >= REPORTING_INTERVAL_MS) {
      this.printWindow(nowMs);
      this.windowStartMs = nowMs;
      this.windowCount = 0;
      this.windowMaxLatency = 0;
      this.windowTotalLatency = 0;
      this.windowBytes = 0;
    }
  }

  private printWindow(nowMs: number): void {
    const elapsed = nowMs - this.windowStartMs;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.print(`${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.`);
  }

  printTotal(nowMs: number): void {
    const elapsed = nowMs - this.startMs;
    const recsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / (1024 * 1024);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const perc = (p: number): number => sorted[Math.floor(p * sorted.length)] ?? 0;
    this.print(
      `${this.count} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${perc(0.5)} ms 50th, ${perc(0.95)} ms 95th, ${perc(0.99)} ms 99th, ${perc(0.999)} ms 99.9th.`,
    );
  }
}

/** One record's payload: random uppercase letters, as generateRandomPayload (from the engine's prng). */
function payload(context: ToolContext, size: number): string {
  let text = '';
  for (let j = 0; j < size; j++) text += String.fromCharCode(65 + context.engine.prng.nextInt(26));
  return text;
}

/** ThroughputThrottler: how long to sleep before send #i so the rate stays at `throughput`/s. */
function throttleDelayMs(throughput: number, sent: number, startMs: number, nowMs: number): number {
  if (throughput <= 0) return 0;
  const dueMs = startMs + (sent * 1000) / throughput;
  return Math.max(0, Math.ceil(dueMs - nowMs));
}

async function runPerf(context: ToolContext, p: PerfPlan): Promise<number> {
  const { config, warnings } = producerConfigOf(p.props);
  for (const warning of warnings) context.output.err(log4jLine(context.engine.clock.nowMs(), 'WARN', warning, 'org.apache.kafka.clients.producer.ProducerConfig'));
  const producer = context.engine.producer(config as ProducerConfigInput);
  const clock = context.engine.clock;
  const stats = new Stats(p.numRecords, clock.nowMs(), (line) => context.output.out(line));
  const bufferBytes = producer.config.bufferMemoryBytes;
  let inFlightBytes = 0;
  let wakeCompletion: (() => void) | null = null;
  const startMs = clock.nowMs();
  for (let i = 0; i < p.numRecords; i++) {
    // Java's send() blocks on a full buffer.memory: wait for acknowledgements to free it.
    while (inFlightBytes + p.recordSize > bufferBytes && inFlightBytes > 0) await new Promise<void>((resolve) => (wakeCompletion = resolve));
    const sendStartMs = clock.nowMs();
    inFlightBytes += p.recordSize;
    producer.send({ topic: p.topic, value: payload(context, p.recordSize) }, (_metadata, error) => {
      inFlightBytes -= p.recordSize;
      const wake = wakeCompletion;
      wakeCompletion = null;
      wake?.();
      if (error === null) stats.record(clock.nowMs() - sendStartMs, p.recordSize, clock.nowMs());
      else context.output.err(throwableLine(error));
    });
    const delayMs = throttleDelayMs(p.throughput, i + 1, startMs, clock.nowMs());
    if (delayMs > 0) await sleepMs(context, delayMs);
  }
  await producer.close();
  stats.printTotal(clock.nowMs());
  return 0;
}

function argumentError(context: ToolContext, message: string): number {
  for (const line of USAGE) context.output.err(line);
  context.output.err(`${PROG}: error: ${message}`);
  return 1;
}

export const kafkaProducerPerfTest: ConsoleTool = {
  name: 'kafka-producer-perf-test',
  async run(args, context) {
    try {
      const parsed = parseArgs(args);
      if (args.length === 0 || parsed.flags.has('-h') || parsed.flags.has('--help')) {
        for (const line of [...USAGE, '', DESCRIPTION]) context.output.out(line);
        return 0;
      }
      if (parsed.flags.has('--print-metrics')) context.output.err('--print-metrics: metrics printing is not supported by this lab; the summary lines are printed.');
      return await runPerf(context, plan(context, parsed));
    } catch (error) {
      if (error instanceof ToolExit) return error.code;
      if (error instanceof ArgumentError) return argumentError(context, error.message);
      if (error instanceof Unsupported) {
        context.output.err(error.message);
        return 1;
      }
      const line =
        error instanceof InvalidProperty
          ? `Exception in thread "main" java.lang.IllegalArgumentException: ${error.message}`
          : error instanceof ConsoleFileError
            ? `Exception in thread "main" ${fileErrorLine(error)}`
            : error instanceof ClientConfigError || typeof (error as { exceptionName?: unknown }).exceptionName === 'string'
              ? `Exception in thread "main" ${throwableLine(error)}`
              : null;
      if (line === null) throw error;
      context.output.err(line);
      return 1;
    }
  },
};
