/**
 * kafka-consumer-perf-test, as Kafka 3.7's ConsumerPerformance runs: a consumer in --group
 * (default perf-consumer-NNNNN, drawn from the engine's prng as the JVM draws it at class load) subscribed to --topic from the earliest
 * offset (latest with --from-latest) polls every 100 ms of engine time until --messages records
 * were read or --timeout ms passed without one; it prints the header
 * "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec" and the values line (or, with
 * --show-detailed-stats, one line per --reporting-interval), dates as "yyyy-MM-dd HH:mm:ss:SSS"
 * (UTC here). rebalance.time.ms is the time from subscribe (or a revocation) to the assignment.
 * As in Java, the header is printed before the numeric options are read, so a bad --messages fails
 * after it (message, then the exception, on stderr; exit 1); options errors print the message and
 * the help table (exit 1); --bootstrap-server is required unless the deprecated --broker-list is given.
 *
 * Invariants: at most consoleClientLimits.perfPollsMax polls, each waiting engine time; the
 * consumer is closed before the summary line.
 */
import type { ConsumerConfigInput } from '../../clients/consumer/index.js';
import { consoleClientLimits } from '../console-limits.js';
import { OptionError, parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import type { KafkaConsumer } from '../../clients/consumer/kafka-consumer.js';
import {
  ClientConfigError,
  consumerConfigOf,
  DEFAULT_OPTION_SPECS,
  fileErrorLine,
  integerOption,
  javaFixed,
  loadProps,
  log4jLine,
  maybePrintHelpOrVersion,
  optionErrorMessage,
  printUsageAndExit,
  throwableLine,
  ToolExit,
} from './record-formatter.js';

/** ConsumerPerformance's RND.nextInt(100_000), drawn when the class loads: the default --group's suffix. */
const GROUP_SUFFIX_BOUND = 100_000;
/** ConsumerPerformance polls with Duration.ofMillis(100). */
const POLL_MS = 100;
const MB = 1024 * 1024;
const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss:SSS';

/** ConsumerPerfOptions (Kafka 3.7), with the default group drawn for this run as the JVM draws it. */
export function consumerPerfOptions(defaultGroup: string): OptionSpec[] {
  return [
    { name: 'broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The broker list string in the form HOST1:PORT1,HOST2:PORT2.', argument: 'String: broker-list' },
    { name: 'bootstrap-server', description: 'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to.', argument: 'String: server to connect to' },
    { name: 'topic', description: 'REQUIRED: The topic to consume from.', argument: 'String: topic' },
    { name: 'group', description: 'The group id to consume on.', argument: 'String: gid', defaultValue: defaultGroup },
    { name: 'fetch-size', description: 'The amount of data to fetch in a single request.', argument: 'Integer: size', defaultValue: '1048576' },
    { name: 'from-latest', description: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
    { name: 'socket-buffer-size', description: 'The size of the tcp RECV size.', argument: 'Integer: size', defaultValue: '2097152' },
    { name: 'threads', description: 'DEPRECATED AND IGNORED: Number of processing threads.', argument: 'Integer: count', defaultValue: '10' },
    { name: 'num-fetch-threads', description: 'DEPRECATED AND IGNORED: Number of fetcher threads.', argument: 'Integer: count', defaultValue: '1' },
    { name: 'consumer.config', description: 'Consumer config properties file.', argument: 'String: config file' },
    { name: 'print-metrics', description: 'Print out the metrics.' },
    { name: 'show-detailed-stats', description: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
    { name: 'timeout', description: 'The maximum allowed time in milliseconds between returned records.', argument: 'Long: milliseconds', optionalArgument: true, defaultValue: '10000' },
    { name: 'messages', description: 'REQUIRED: The number of messages to send or consume', argument: 'Long: count' },
    { name: 'reporting-interval', description: 'Interval in milliseconds at which to print progress info.', argument: 'Long: interval_ms', defaultValue: '5000' },
    { name: 'date-format', description: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.', argument: 'String: date format', defaultValue: DEFAULT_DATE_FORMAT },
    { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
    ...DEFAULT_OPTION_SPECS,
  ];
}

const HELP_MESSAGE = 'This tool is used to verify the consumer performance.';
const FIELDS = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

/**
 * ConsumerPerfOptions' constructor: jopt-simple's parse (bootstrap-server is requiredUnless
 * broker-list, checked by the parse unless --help is given), the deprecated-threads warning, help,
 * then the required topic and messages.
 */
function parse(args: readonly string[], context: ToolContext, specs: readonly OptionSpec[]): ParsedOptions {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, specs);
  } catch (error) {
    const message = optionErrorMessage(error);
    if (message === null) throw error;
    printUsageAndExit(context.output, specs, message);
  }
  if (!options.has('bootstrap-server') && !options.has('broker-list') && !options.has('help')) printUsageAndExit(context.output, specs, 'Missing required option(s) [bootstrap-server]');
  if (options.has('threads') || options.has('num-fetch-threads')) context.output.out('WARNING: option [threads] and [num-fetch-threads] have been deprecated and will be ignored by the test');
  maybePrintHelpOrVersion(context.output, specs, args, options.has, HELP_MESSAGE);
  for (const required of ['topic', 'messages']) if (!options.has(required)) printUsageAndExit(context.output, specs, `Missing required argument "[${required}]"`);
  return options;
}

/** ConsumerPerfOptions.props(): the file, then the tool's own settings over it. */
function props(context: ToolContext, options: ParsedOptions, defaultGroup: string): Map<string, string> {
  const result = options.has('consumer.config') ? loadProps(context, options.value('consumer.config')!) : new Map<string, string>();
  result.set('bootstrap.servers', options.value('bootstrap-server') ?? options.value('broker-list')!);
  result.set('group.id', options.value('group') ?? defaultGroup);
  result.set('receive.buffer.bytes', String(integerOption('socket-buffer-size', options.value('socket-buffer-size')) ?? 2 * MB));
  result.set('max.partition.fetch.bytes', String(integerOption('fetch-size', options.value('fetch-size')) ?? MB));
  result.set('auto.offset.reset', options.has('from-latest') ? 'latest' : 'earliest');
  result.set('check.crcs', 'false');
  if (!result.has('client.id')) result.set('client.id', 'perf-consumer-client');
  return result;
}

/** SimpleDateFormat for the letters the perf tools' patterns use (y M d H h m s S a, 'quoted' text), in UTC. */
export function simpleDateFormat(pattern: string, epochMs: number): string {
  const date = new Date(epochMs);
  const fields: Record<string, (n: number) => string> = {
    y: (n) => (n === 2 ? String(date.getUTCFullYear() % 100).padStart(2, '0') : String(date.getUTCFullYear()).padStart(n, '0')),
    M: (n) => String(date.getUTCMonth() + 1).padStart(n, '0'),
    d: (n) => String(date.getUTCDate()).padStart(n, '0'),
    H: (n) => String(date.getUTCHours()).padStart(n, '0'),
    h: (n) => String(date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12).padStart(n, '0'),
    m: (n) => String(date.getUTCMinutes()).padStart(n, '0'),
    s: (n) => String(date.getUTCSeconds()).padStart(n, '0'),
    S: (n) => String(date.getUTCMilliseconds()).padStart(n, '0'),
    a: () => (date.getUTCHours() < 12 ? 'AM' : 'PM'),
  };
  return pattern.replace(/'([^']*)'|([A-Za-z])\2*/g, (token, quoted: string | undefined, letter: string | undefined) => {
    if (quoted !== undefined) return quoted === '' ? "'" : quoted;
    const field = fields[letter!];
    if (field === undefined) throw new PerfFailure('java.lang.IllegalArgumentException', `Illegal pattern character '${letter}'`);
    return field(token.length);
  });
}

interface Progress {
  messages: number;
  bytes: number;
  joinTimeMs: number;
  joinTimeInRoundMs: number;
}

interface Settings {
  readonly numMessages: number;
  readonly timeoutMs: number;
  readonly reportingMs: number;
  readonly detailed: boolean;
  readonly formatDate: (ms: number) => string;
}

/** The values consume() reads from the options, in its order (a bad one fails after the header, as in Java). */
function settingsOf(options: ParsedOptions): Settings {
  const numMessages = integerOption('messages', options.value('messages'))!;
  const timeoutMs = integerOption('timeout', options.value('timeout')) ?? 10_000;
  const reportingText = options.value('reporting-interval');
  // withValuesConvertedBy(regex("^\\d+$")): a value that is not digits fails its conversion.
  if (reportingText !== undefined && !/^\d+$/.test(reportingText)) throw new OptionError('joptsimple.OptionArgumentConversionException', `Cannot parse argument '${reportingText}' of option reporting-interval`);
  const reportingMs = integerOption('reporting-interval', reportingText) ?? 5_000;
  if (reportingMs <= 0) throw new PerfFailure('java.lang.IllegalArgumentException', 'Reporting interval must be greater than 0.');
  const pattern = options.value('date-format') ?? DEFAULT_DATE_FORMAT;
  simpleDateFormat(pattern, 0);
  return { numMessages, timeoutMs, reportingMs, detailed: options.has('show-detailed-stats'), formatDate: (ms) => simpleDateFormat(pattern, ms) };
}

/** A Java exception ConsumerPerformance.main catches: message, then the stack trace's first line. */
class PerfFailure extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

async function consume(context: ToolContext, options: ParsedOptions, defaultGroup: string): Promise<number> {
  const clock = context.engine.clock;
  if (!options.has('hide-header')) context.output.out(options.has('show-detailed-stats') ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}` : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}`);
  const { config, warnings } = consumerConfigOf(props(context, options, defaultGroup));
  for (const warning of warnings) context.output.err(log4jLine(clock.nowMs(), 'WARN', warning, 'org.apache.kafka.clients.consumer.ConsumerConfig'));
  const consumer = context.engine.consumer(config as ConsumerConfigInput);
  const progress: Progress = { messages: 0, bytes: 0, joinTimeMs: 0, joinTimeInRoundMs: 0 };
  const startMs = clock.nowMs();
  let settings: Settings;
  try {
    settings = settingsOf(options);
    await pollLoop(context, consumer, settings, progress, options.value('topic')!);
  } catch (error) {
    await consumer.close();
    throw error;
  }
  const endMs = clock.nowMs();
  await consumer.close();
  if (!settings.detailed) context.output.out(summaryLine(progress, startMs, endMs, settings.formatDate));
  if (options.has('print-metrics')) context.output.err('--print-metrics: printing the consumer metrics is not supported by this lab; the summary line above is complete.');
  return 0;
}

/** consume(): polls every 100 ms until --messages records were read or --timeout ms passed without one. */
async function pollLoop(context: ToolContext, consumer: KafkaConsumer<string | null, string | null>, s: Settings, progress: Progress, topic: string): Promise<void> {
  const clock = context.engine.clock;
  let joinStartMs = clock.nowMs();
  consumer.subscribe([topic], {
    onPartitionsRevoked: () => void (joinStartMs = clock.nowMs()),
    onPartitionsAssigned: () => {
      const elapsed = clock.nowMs() - joinStartMs;
      progress.joinTimeMs += elapsed;
      progress.joinTimeInRoundMs += elapsed;
    },
  });
  let nowMs = clock.nowMs();
  let lastReportMs = nowMs;
  let lastConsumedMs = nowMs;
  let last = { messages: 0, bytes: 0 };
  for (let polls = 0; progress.messages < s.numMessages && nowMs - lastConsumedMs <= s.timeoutMs && polls < consoleClientLimits.perfPollsMax; polls++) {
    const records = await consumer.poll(POLL_MS);
    nowMs = clock.nowMs();
    if (records.count() > 0) lastConsumedMs = nowMs;
    for (const record of records) {
      progress.messages += 1;
      progress.bytes += Math.max(0, record.serializedKeySize) + Math.max(0, record.serializedValueSize);
      if (nowMs - lastReportMs >= s.reportingMs) {
        if (s.detailed) context.output.out(detailLine(progress, last, lastReportMs, nowMs, s.formatDate));
        progress.joinTimeInRoundMs = 0;
        lastReportMs = nowMs;
        last = { messages: progress.messages, bytes: progress.bytes };
      }
    }
  }
  if (progress.messages < s.numMessages) context.output.out(`WARNING: Exiting before consuming the expected number of messages: timeout (${s.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
}

/** The final "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f" line. */
function summaryLine(p: Progress, startMs: number, endMs: number, formatDate: (ms: number) => string): string {
  const elapsedSec = (endMs - startMs) / 1000;
  const fetchTimeMs = endMs - startMs - p.joinTimeMs;
  const mb = p.bytes / MB;
  return [formatDate(startMs), formatDate(endMs), javaFixed(mb, 4), javaFixed(mb / elapsedSec, 4), String(p.messages), javaFixed(p.messages / elapsedSec, 4), String(p.joinTimeMs), String(fetchTimeMs), javaFixed(mb / (fetchTimeMs / 1000), 4), javaFixed(p.messages / (fetchTimeMs / 1000), 4)].join(', ');
}

/** printConsumerProgress: the basic and extended progress of one reporting interval. */
function detailLine(p: Progress, last: { messages: number; bytes: number }, startMs: number, endMs: number, formatDate: (ms: number) => string): string {
  const elapsedMs = endMs - startMs;
  const intervalMb = (p.bytes - last.bytes) / MB;
  const fetchTimeMs = elapsedMs - p.joinTimeInRoundMs;
  const basic = [formatDate(endMs), '0', javaFixed(p.bytes / MB, 4), javaFixed((1000 * intervalMb) / elapsedMs, 4), String(p.messages), javaFixed(((p.messages - last.messages) / elapsedMs) * 1000, 4)];
  const extended = [String(p.joinTimeInRoundMs), String(fetchTimeMs), javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs, 4), javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * (p.messages - last.messages)) / fetchTimeMs, 4)];
  return [...basic, ...extended].join(', ');
}

export const kafkaConsumerPerfTest: ConsoleTool = {
  name: 'kafka-consumer-perf-test',
  async run(args, context) {
    const defaultGroup = `perf-consumer-${context.engine.prng.nextInt(GROUP_SUFFIX_BOUND)}`;
    const specs = consumerPerfOptions(defaultGroup);
    try {
      return await consume(context, parse(args, context, specs), defaultGroup);
    } catch (error) {
      if (error instanceof ToolExit) return error.code;
      // ConsumerPerformance.main: the message, then the stack trace (its first line here).
      const message = optionErrorMessage(error);
      const line =
        message !== null
          ? `joptsimple.OptionArgumentConversionException: ${message}`
          : error instanceof PerfFailure
            ? `${error.javaClass}: ${error.message}`
            : error instanceof ConsoleFileError
              ? fileErrorLine(error)
              : error instanceof ClientConfigError || typeof (error as { exceptionName?: unknown }).exceptionName === 'string'
                ? throwableLine(error)
                : null;
      if (line === null) throw error;
      context.output.err((error as Error).message);
      context.output.err(line);
      return 1;
    }
  },
};
