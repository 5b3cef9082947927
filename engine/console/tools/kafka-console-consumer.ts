/**
 * kafka-console-consumer, as Kafka 3.x's ConsoleConsumer (org.apache.kafka.tools.consumer) runs:
 * a KafkaConsumer subscribed to --topic (or to the --include regex), or assigned one --partition
 * and positioned at --offset (earliest | latest | n); records are printed by DefaultMessageFormatter
 * (see record-formatter.ts) until --max-messages, --timeout-ms without a record, or Ctrl+C; then
 * the consumer is closed (unconsumed records of the last poll are not committed: the positions are
 * set back first, ConsumerWrapper.cleanup) and "Processed a total of N messages" goes to stderr.
 *
 * Facts kept: group.id defaults to console-consumer-NNNNN (NNNNN from the engine's prng, Java's
 * Random.nextInt(100000)) with enable.auto.commit=false unless set; auto.offset.reset is earliest
 * with --from-beginning, latest otherwise, and a conflicting explicit value ends the tool; option
 * checks and their messages follow ConsoleConsumerOptions. --timeout-ms expiring logs
 * "ERROR Error processing message, terminating consumer process: " with the TimeoutException and
 * the tool still exits 0, as Kafka's does. Ctrl+C exits 130 (SIGINT).
 *
 * Polls wait on engine time (at most consoleClientLimits.consumerPollChunkMs each when no timeout
 * is set), so the streaming loop never spins; Ctrl+C wakes the consumer up (consumer.wakeup()).
 *
 * Invariants: the consumer is closed before the tool resolves; the count printed equals the
 * records written; no more than --max-messages records are written.
 */
import type { ConsumerConfigInput, ConsumerRecord, KafkaConsumer } from '../../clients/consumer/index.js';
import { consoleClientLimits } from '../console-limits.js';
import { parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import {
  ClientConfigError,
  consumerConfigOf,
  DEFAULT_OPTION_SPECS,
  fileErrorLine,
  formatRecord,
  INTERRUPTED_EXIT_CODE,
  integerOption,
  LineWriter,
  loadProps,
  log4jLine,
  maybePrintHelpOrVersion,
  messageFormatOf,
  optionErrorMessage,
  parseKeyValueArgs,
  printUsageAndExit,
  throwableLine,
  ToolExit,
  type MessageFormat,
} from './record-formatter.js';

const PROPERTY_HELP =
  'The properties to initialize the message formatter. Default properties include: print.timestamp=true|false print.key=true|false print.offset=true|false print.epoch=true|false ' +
  'print.partition=true|false print.headers=true|false print.value=true|false key.separator=<key.separator> line.separator=<line.separator> headers.separator=<line.separator> ' +
  'null.literal=<null.literal> key.deserializer=<key.deserializer> value.deserializer=<value.deserializer> header.deserializer=<header.deserializer> ' +
  "Users can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.";

export const CONSOLE_CONSUMER_OPTIONS: readonly OptionSpec[] = [
  ...DEFAULT_OPTION_SPECS,
  { name: 'topic', description: 'The topic to consume on.', argument: 'String: topic' },
  { name: 'include', description: 'Regular expression specifying list of topics to include for consumption.', argument: 'String: Java regex (String)' },
  { name: 'partition', description: "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.", argument: 'Integer: partition' },
  { name: 'offset', description: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end", argument: 'String: consume offset', defaultValue: 'latest' },
  { name: 'consumer-property', description: 'A mechanism to pass user-defined properties in the form key=value to the consumer.', argument: 'String: consumer_prop' },
  { name: 'consumer.config', description: 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.', argument: 'String: config file' },
  { name: 'formatter', description: 'The name of a class to use for formatting kafka messages for display.', argument: 'String: class', defaultValue: 'org.apache.kafka.tools.consumer.DefaultMessageFormatter' },
  { name: 'property', description: PROPERTY_HELP, argument: 'String: prop' },
  { name: 'formatter-config', description: 'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.', argument: 'String: config file' },
  { name: 'from-beginning', description: 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.' },
  { name: 'max-messages', description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.', argument: 'Integer: num_messages' },
  { name: 'timeout-ms', description: 'If specified, exit if no message is available for consumption for the specified interval.', argument: 'Long: timeout_ms' },
  { name: 'skip-message-on-error', description: 'If there is an error when processing a message, skip it instead of halt.' },
  { name: 'bootstrap-server', description: 'REQUIRED: The server(s) to connect to.', argument: 'String: server to connect to' },
  { name: 'key-deserializer', description: '', argument: 'String: deserializer for key' },
  { name: 'value-deserializer', description: '', argument: 'String: deserializer for values' },
  { name: 'enable-systest-events', description: 'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)' },
  { name: 'isolation-level', description: 'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.', argument: 'String', defaultValue: 'read_uncommitted' },
  { name: 'group', description: 'The consumer group id of the consumer.', argument: 'String: consumer group id' },
];

const HELP_MESSAGE = 'This tool helps to read data from Kafka topics and outputs it to standard output.';
const LOGGER = 'org.apache.kafka.tools.consumer.ConsoleConsumer';
const FORMATTER_CLASSES = new Set(['org.apache.kafka.tools.consumer.DefaultMessageFormatter', 'kafka.tools.DefaultMessageFormatter']);
/** Java's Random.nextInt(100000) for the default group name. */
const DEFAULT_GROUP_SUFFIX_BOUND = 100_000;

type StartOffset = 'earliest' | 'latest' | number;

interface ConsumerPlan {
  readonly topic: string | null;
  readonly include: string | null;
  readonly partition: number | null;
  readonly offset: StartOffset;
  readonly maxMessages: number;
  /** null: no --timeout-ms (Java's Long.MAX_VALUE). */
  readonly timeoutMs: number | null;
  readonly props: Map<string, string>;
  readonly format: MessageFormat;
}

function usage(context: ToolContext, message: string): never {
  printUsageAndExit(context.output, CONSOLE_CONSUMER_OPTIONS, message);
}

/** ConsoleConsumerOptions.checkRequiredArgs. */
function checkRequiredArgs(context: ToolContext, options: ParsedOptions): void {
  if (Number(options.has('topic')) + Number(options.has('include')) !== 1) usage(context, 'Exactly one of --include/--topic is required. ');
  if (options.has('partition')) {
    if (!options.has('topic')) usage(context, 'The topic is required when partition is specified.');
    if (options.has('from-beginning') && options.has('offset')) usage(context, 'Options from-beginning and offset cannot be specified together.');
  } else if (options.has('offset')) {
    usage(context, 'The partition is required when offset is specified.');
  }
  if (!options.has('bootstrap-server')) usage(context, 'Missing required argument "[bootstrap-server]"');
}

/** ConsoleConsumerOptions.checkConsumerGroup + buildConsumerProps + setAutoOffsetResetValue. */
function consumerProps(context: ToolContext, options: ParsedOptions): Map<string, string> {
  const fromFile = options.has('consumer.config') ? loadProps(context, options.value('consumer.config')!) : new Map<string, string>();
  const extra = parseKeyValueArgs(options.values('consumer-property'));
  const groups = new Set<string>();
  if (options.has('group')) groups.add(options.value('group')!);
  if (fromFile.has('group.id')) groups.add(fromFile.get('group.id')!);
  if (extra.has('group.id')) groups.add(extra.get('group.id')!);
  if (groups.size > 1) {
    usage(context, `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`);
  }
  if (groups.size > 0 && options.has('partition')) usage(context, 'Options group and partition cannot be specified together.');
  const props = new Map([...fromFile, ...extra]);
  const fromBeginning = options.has('from-beginning');
  const reset = props.get('auto.offset.reset');
  if (reset !== undefined && fromBeginning && reset !== 'earliest') {
    context.output.err(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`);
    throw new ToolExit(1);
  }
  if (reset === undefined) props.set('auto.offset.reset', fromBeginning ? 'earliest' : 'latest');
  props.set('bootstrap.servers', options.value('bootstrap-server')!);
  if (!props.has('client.id')) props.set('client.id', 'console-consumer');
  if (options.has('isolation-level') || !props.has('isolation.level')) props.set('isolation.level', options.value('isolation-level') ?? 'read_uncommitted');
  if (groups.size === 0) {
    props.set('group.id', `console-consumer-${context.engine.prng.nextInt(DEFAULT_GROUP_SUFFIX_BOUND)}`);
    // Kafka: the generated group and its offsets are not meant to be used again.
    if (!props.has('enable.auto.commit')) props.set('enable.auto.commit', 'false');
  } else {
    props.set('group.id', [...groups][0]!);
  }
  return props;
}

/** ConsoleConsumerOptions.parseOffset. */
function parseOffset(context: ToolContext, options: ParsedOptions): StartOffset {
  if (!options.has('offset')) return options.has('from-beginning') ? 'earliest' : 'latest';
  const text = options.value('offset')!;
  const lower = text.toLowerCase();
  if (lower === 'earliest' || lower === 'latest') return lower;
  const offset = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) usage(context, `The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
  return offset;
}

function formatterProps(context: ToolContext, options: ParsedOptions): Map<string, string> {
  const props = options.has('formatter-config') ? loadProps(context, options.value('formatter-config')!) : new Map<string, string>();
  for (const [k, v] of parseKeyValueArgs(options.values('property'))) props.set(k, v);
  return props;
}

function plan(args: readonly string[], context: ToolContext): ConsumerPlan {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, CONSOLE_CONSUMER_OPTIONS);
  } catch (error) {
    const message = optionErrorMessage(error);
    if (message === null) throw error;
    usage(context, message);
  }
  maybePrintHelpOrVersion(context.output, CONSOLE_CONSUMER_OPTIONS, args, options.has, HELP_MESSAGE);
  checkRequiredArgs(context, options);
  const partition = integerOption('partition', options.value('partition')) ?? null;
  const props = consumerProps(context, options);
  const offset = parseOffset(context, options);
  const timeout = integerOption('timeout-ms', options.value('timeout-ms'));
  const formatter = options.value('formatter');
  if (formatter !== undefined && !FORMATTER_CLASSES.has(formatter)) usage(context, formatter);
  return {
    topic: options.value('topic') ?? null,
    include: options.value('include') ?? null,
    partition,
    offset,
    maxMessages: integerOption('max-messages', options.value('max-messages')) ?? -1,
    timeoutMs: timeout === undefined || timeout < 0 ? null : timeout,
    props,
    format: messageFormatOf(formatterProps(context, options)),
  };
}

/** ConsumerWrapper's constructor: assign + seek for --partition, else subscribe. */
function start(consumer: KafkaConsumer<string | null, string | null>, p: ConsumerPlan): void {
  if (p.topic !== null && p.partition !== null) {
    const tp = { topic: p.topic, partition: p.partition };
    consumer.assign([tp]);
    if (p.offset === 'earliest') consumer.seekToBeginning([tp]);
    else if (p.offset === 'latest') consumer.seekToEnd([tp]);
    else consumer.seek(tp, p.offset);
  } else if (p.topic !== null) {
    consumer.subscribe([p.topic]);
  } else {
    // Java's Pattern.compile: a bad regex is a PatternSyntaxException, reported by main's catch.
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${p.include!})$`);
    } catch (error) {
      throw new PatternError(`java.util.regex.PatternSyntaxException: ${(error as Error).message}`);
    }
    consumer.subscribe(pattern);
  }
}

class PatternError extends Error {}
class ReceiveTimeout extends Error {
  readonly exceptionName = 'TimeoutException';
  constructor() {
    super('');
  }
}

type Buffered = ConsumerRecord<string | null, string | null>[];

/** ConsumerWrapper.receive: polls until a record is there; TimeoutException after --timeout-ms of nothing. */
async function receive(context: ToolContext, consumer: KafkaConsumer<string | null, string | null>, buffer: Buffered, timeoutMs: number | null): Promise<ConsumerRecord<string | null, string | null>> {
  const startMs = context.engine.clock.nowMs();
  while (buffer.length === 0) {
    const records = await consumer.poll(timeoutMs ?? consoleClientLimits.consumerPollChunkMs);
    buffer.push(...records);
    // Java compares with '>' on a wall clock that always runs a little past the poll's timeout;
    // engine time ends a poll exactly on it, so '>=' keeps Kafka's one-poll timeout.
    if (buffer.length === 0 && timeoutMs !== null && context.engine.clock.nowMs() - startMs >= timeoutMs) throw new ReceiveTimeout();
  }
  return buffer.shift()!;
}

interface ProcessResult {
  readonly count: number;
  readonly interrupted: boolean;
}

/** ConsoleConsumer.process: writes records until max-messages, an error, or Ctrl+C. */
async function processRecords(context: ToolContext, consumer: KafkaConsumer<string | null, string | null>, p: ConsumerPlan, buffer: Buffered, writer: LineWriter): Promise<ProcessResult> {
  let count = 0;
  while (count < p.maxMessages || p.maxMessages === -1) {
    let record: ConsumerRecord<string | null, string | null>;
    try {
      record = await receive(context, consumer, buffer, p.timeoutMs);
    } catch (error) {
      if ((error as { exceptionName?: string }).exceptionName === 'WakeupException' || context.interrupt.aborted) return { count, interrupted: true };
      context.output.err(log4jLine(context.engine.clock.nowMs(), 'ERROR', 'Error processing message, terminating consumer process: ', LOGGER));
      context.output.err(throwableLine(error));
      return { count, interrupted: false };
    }
    count += 1;
    writer.write(formatRecord(p.format, record));
  }
  return { count, interrupted: false };
}

/** ConsumerWrapper.cleanup: positions go back to the first record not written, then close (LeaveGroup). */
async function cleanup(consumer: KafkaConsumer<string | null, string | null>, buffer: Buffered): Promise<void> {
  const firstUnconsumed = new Map<string, ConsumerRecord<string | null, string | null>>();
  for (const record of buffer) {
    const key = `${record.topic}\u0000${record.partition}`;
    if (!firstUnconsumed.has(key)) firstUnconsumed.set(key, record);
  }
  for (const record of firstUnconsumed.values()) consumer.seek({ topic: record.topic, partition: record.partition }, record.offset);
  await consumer.close();
}

async function consume(context: ToolContext, p: ConsumerPlan): Promise<number> {
  const { config, warnings } = consumerConfigOf(p.props);
  for (const warning of warnings) context.output.err(log4jLine(context.engine.clock.nowMs(), 'WARN', warning, 'org.apache.kafka.clients.consumer.ConsumerConfig'));
  const consumer = context.engine.consumer(config as ConsumerConfigInput);
  const buffer: Buffered = [];
  const writer = new LineWriter((line) => context.output.out(line));
  const onInterrupt = (): void => consumer.wakeup();
  context.interrupt.addEventListener('abort', onInterrupt, { once: true });
  let result: ProcessResult = { count: 0, interrupted: context.interrupt.aborted };
  try {
    start(consumer, p);
    if (!result.interrupted) result = await processRecords(context, consumer, p, buffer, writer);
  } finally {
    context.interrupt.removeEventListener('abort', onInterrupt);
    writer.flush();
    await cleanup(consumer, buffer);
    context.output.err(`Processed a total of ${result.count} messages`);
  }
  return result.interrupted ? INTERRUPTED_EXIT_CODE : 0;
}

/** What the JVM prints for an exception that ends the tool (main's catch: "Unknown error when running consumer"). */
function failure(context: ToolContext, error: unknown): number {
  if (error instanceof ToolExit) return error.code;
  const message = optionErrorMessage(error);
  if (message !== null) {
    context.output.err(`Exception in thread "main" joptsimple.OptionArgumentConversionException: ${message}`);
    return 1;
  }
  if (error instanceof ConsoleFileError) {
    context.output.err(`Exception in thread "main" ${fileErrorLine(error)}`);
    return 1;
  }
  const line = error instanceof PatternError ? error.message : error instanceof ClientConfigError || typeof (error as { exceptionName?: unknown }).exceptionName === 'string' ? throwableLine(error) : null;
  if (line === null) throw error;
  context.output.err(log4jLine(context.engine.clock.nowMs(), 'ERROR', 'Unknown error when running consumer: ', LOGGER));
  context.output.err(line);
  return 1;
}

export const kafkaConsoleConsumer: ConsoleTool = {
  name: 'kafka-console-consumer',
  async run(args, context) {
    try {
      return await consume(context, plan(args, context));
    } catch (error) {
      return failure(context, error);
    }
  },
};
