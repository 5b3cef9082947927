/**
 * kafka-consumer-perf-test, as Kafka 3.x's ConsumerPerformance runs: a consumer in --group
 * (default perf-consumer-NNNNN from the engine's prng) subscribed to --topic from the earliest
 * offset (latest with --from-latest) polls every 100 ms of engine time until --messages records
 * were read or --timeout ms passed without one; it prints the header
 * "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec" and the values line (or, with
 * --show-detailed-stats, one line per --reporting-interval), dates as "yyyy-MM-dd HH:mm:ss:SSS"
 * (UTC here). rebalance.time.ms is the time from subscribe (or a revocation) to the assignment.
 *
 * Invariants: at most consoleClientLimits.perfPollsMax polls, each waiting engine time; the
 * consumer is closed before the summary line.
 */
import type { ConsumerConfigInput } from '../../clients/consumer/index.js';
import { consoleClientLimits } from '../console-limits.js';
import { parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import {
  ClientConfigError,
  consumerConfigOf,
  DEFAULT_OPTION_SPECS,
  fileErrorLine,
  integerOption,
  javaFixed,
  loadProps,
  maybePrintHelpOrVersion,
  optionErrorMessage,
  perfDate,
  printUsageAndExit,
  throwableLine,
  ToolExit,
} from './record-formatter.js';

/** Java's Random.nextInt(100000) for the default group name. */
const GROUP_SUFFIX_BOUND = 100_000;
/** ConsumerPerformance polls with Duration.ofMillis(100). */
const POLL_MS = 100;
const MB = 1024 * 1024;

export const CONSUMER_PERF_OPTIONS: readonly OptionSpec[] = [
  ...DEFAULT_OPTION_SPECS,
  { name: 'bootstrap-server', description: 'REQUIRED: The server(s) to connect to.', argument: 'String: server to connect to' },
  { name: 'topic', description: 'REQUIRED: The topic to consume from.', argument: 'String: topic' },
  { name: 'group', description: 'The group id to consume on.', argument: 'String: gid', defaultValue: 'perf-consumer-NNNNN' },
  { name: 'fetch-size', description: 'The amount of data to fetch in a single request.', argument: 'Integer: size', defaultValue: '1048576' },
  { name: 'from-latest', description: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
  { name: 'socket-buffer-size', description: 'The size of the tcp RECV size.', argument: 'Integer: size', defaultValue: '2097152' },
  { name: 'consumer.config', description: 'Consumer config properties file.', argument: 'String: config file' },
  { name: 'print-metrics', description: 'Print out the metrics.' },
  { name: 'show-detailed-stats', description: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
  { name: 'timeout', description: 'The maximum allowed time in milliseconds between returned records.', argument: 'Long: milliseconds', optionalArgument: true, defaultValue: '10000' },
  { name: 'messages', description: 'REQUIRED: The number of messages to send or consume', argument: 'Long: count' },
  { name: 'reporting-interval', description: 'Interval in milliseconds at which to print progress info.', argument: 'Long: interval_ms', defaultValue: '5000' },
  { name: 'date-format', description: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.', argument: 'String: date format', defaultValue: 'yyyy-MM-dd HH:mm:ss:SSS' },
  { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
];

const HELP_MESSAGE = 'This tool is used to verify the consumer performance.';
const FIELDS = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

function parse(args: readonly string[], context: ToolContext): ParsedOptions {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, CONSUMER_PERF_OPTIONS);
  } catch (error) {
    const message = optionErrorMessage(error);
    if (message === null) throw error;
    printUsageAndExit(context.output, CONSUMER_PERF_OPTIONS, message);
  }
  maybePrintHelpOrVersion(context.output, CONSUMER_PERF_OPTIONS, args, options.has, HELP_MESSAGE);
  for (const required of ['topic', 'messages']) if (!options.has(required)) printUsageAndExit(context.output, CONSUMER_PERF_OPTIONS, `Missing required argument "[${required}]"`);
  return options;
}

function props(context: ToolContext, options: ParsedOptions): Map<string, string> {
  const result = options.has('consumer.config') ? loadProps(context, options.value('consumer.config')!) : new Map<string, string>();
  result.set('group.id', options.value('group') ?? `perf-consumer-${context.engine.prng.nextInt(GROUP_SUFFIX_BOUND)}`);
  result.set('max.partition.fetch.bytes', String(integerOption('fetch-size', options.value('fetch-size')) ?? MB));
  result.set('auto.offset.reset', options.has('from-latest') ? 'latest' : 'earliest');
  result.set('check.crcs', 'false');
  if (!result.has('client.id')) result.set('client.id', 'perf-consumer-client');
  return result;
}

interface Progress {
  messages: number;
  bytes: number;
  joinTimeMs: number;
  joinTimeInRoundMs: number;
}

async function consume(context: ToolContext, options: ParsedOptions): Promise<number> {
  const clock = context.engine.clock;
  const numMessages = integerOption('messages', options.value('messages'))!;
  const timeoutMs = integerOption('timeout', options.value('timeout')) ?? 10_000;
  const reportingMs = integerOption('reporting-interval', options.value('reporting-interval')) ?? 5_000;
  if (reportingMs <= 0) throw new ClientConfigError('Reporting interval must be greater than 0.');
  const detailed = options.has('show-detailed-stats');
  if (!options.has('hide-header')) context.output.out(detailed ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}` : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}`);
  const consumer = context.engine.consumer(consumerConfigOf(props(context, options)).config as ConsumerConfigInput);
  const progress: Progress = { messages: 0, bytes: 0, joinTimeMs: 0, joinTimeInRoundMs: 0 };
  const startMs = clock.nowMs();
  let joinStartMs = startMs;
  consumer.subscribe([options.value('topic')!], {
    onPartitionsRevoked: () => void (joinStartMs = clock.nowMs()),
    onPartitionsAssigned: () => {
      const elapsed = clock.nowMs() - joinStartMs;
      progress.joinTimeMs += elapsed;
      progress.joinTimeInRoundMs += elapsed;
    },
  });
  let lastReportMs = startMs;
  let lastConsumedMs = startMs;
  let last = { messages: 0, bytes: 0 };
  let nowMs = startMs;
  for (let polls = 0; progress.messages < numMessages && nowMs - lastConsumedMs <= timeoutMs && polls < consoleClientLimits.perfPollsMax; polls++) {
    const records = await consumer.poll(POLL_MS);
    nowMs = clock.nowMs();
    if (records.count() > 0) lastConsumedMs = nowMs;
    for (const record of records) {
      progress.messages += 1;
      progress.bytes += Math.max(0, record.serializedKeySize) + Math.max(0, record.serializedValueSize);
      if (nowMs - lastReportMs >= reportingMs) {
        if (detailed) context.output.out(detailLine(progress, last, lastReportMs, nowMs));
        progress.joinTimeInRoundMs = 0;
        lastReportMs = nowMs;
        last = { messages: progress.messages, bytes: progress.bytes };
      }
    }
  }
  if (progress.messages < numMessages) context.output.out(`WARNING: Exiting before consuming the expected number of messages: timeout (${timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
  const endMs = clock.nowMs();
  if (options.has('print-metrics')) context.output.err('--print-metrics: metrics printing is not supported by this lab.');
  await consumer.close();
  if (!detailed) context.output.out(summaryLine(progress, startMs, endMs));
  return 0;
}

function summaryLine(p: Progress, startMs: number, endMs: number): string {
  const elapsedSec = (endMs - startMs) / 1000;
  const fetchTimeMs = endMs - startMs - p.joinTimeMs;
  const mb = p.bytes / MB;
  return [perfDate(startMs), perfDate(endMs), javaFixed(mb, 4), javaFixed(mb / elapsedSec, 4), String(p.messages), javaFixed(p.messages / elapsedSec, 4), String(p.joinTimeMs), String(fetchTimeMs), javaFixed(mb / (fetchTimeMs / 1000), 4), javaFixed(p.messages / (fetchTimeMs / 1000), 4)].join(', ');
}

/** printConsumerProgress: the basic and extended progress of one reporting interval. */
function detailLine(p: Progress, last: { messages: number; bytes: number }, startMs: number, endMs: number): string {
  const elapsedMs = endMs - startMs;
  const intervalMb = (p.bytes - last.bytes) / MB;
  const fetchTimeMs = elapsedMs - p.joinTimeInRoundMs;
  const basic = [perfDate(endMs), '0', javaFixed(p.bytes / MB, 4), javaFixed((1000 * intervalMb) / elapsedMs, 4), String(p.messages), javaFixed(((p.messages - last.messages) / elapsedMs) * 1000, 4)];
  const extended = [String(p.joinTimeInRoundMs), String(fetchTimeMs), javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs, 4), javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * (p.messages - last.messages)) / fetchTimeMs, 4)];
  return [...basic, ...extended].join(', ');
}

export const kafkaConsumerPerfTest: ConsoleTool = {
  name: 'kafka-consumer-perf-test',
  async run(args, context) {
    try {
      return await consume(context, parse(args, context));
    } catch (error) {
      if (error instanceof ToolExit) return error.code;
      // ConsumerPerformance.main: the message, then the stack trace (its first line here).
      const line = error instanceof ConsoleFileError ? fileErrorLine(error) : error instanceof ClientConfigError || typeof (error as { exceptionName?: unknown }).exceptionName === 'string' ? throwableLine(error) : null;
      const message = optionErrorMessage(error);
      if (message !== null) {
        context.output.err(message);
        context.output.err(`joptsimple.OptionArgumentConversionException: ${message}`);
        return 1;
      }
      if (line === null) throw error;
      context.output.err((error as Error).message);
      context.output.err(line);
      return 1;
    }
  },
};
