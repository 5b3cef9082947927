/**
 * kafka-console-producer, as Kafka 3.x's ConsoleProducer runs: it reads lines (the user's typing,
 * or a piped file on the CLI) with LineMessageReader and sends each as a record with a
 * KafkaProducer whose settings come from --producer.config, then --producer-property, then the
 * tool's own options (ConsoleProducer.producerProps, CommandLineUtils.maybeMergeOptions: an option
 * given on the command line wins, its default only fills a gap): linger.ms 1000 (--timeout),
 * acks -1 (--request-required-acks), request.timeout.ms 1500, retries 3, batch.size 16384,
 * compression none (gzip when --compression-codec has no value), client.id console-producer.
 *
 * Facts kept: ">" is printed before each line is read (only at a terminal: the context's readLine
 * gets the prompt and decides); a line without the key separator under parse.key=true ends the tool
 * with "org.apache.kafka.common.KafkaException: No key separator found on line number N: '...'"
 * (exit 1) after the producer is closed (so earlier lines are still delivered); a failed send is
 * logged by ErrorLoggingCallback ("Error when sending message to topic t with key: 2 bytes,
 * value: 3 bytes with error:") and the tool goes on; with --sync a failed send ends the tool
 * (ExecutionException, exit 1). End of input closes the producer (delivering what is queued) and
 * exits 0; Ctrl+C closes it too and exits 130, as the JVM does on SIGINT.
 *
 * Invariants: the producer is always closed before the tool resolves; no more than
 * consoleClientLimits.producerLinesMax lines are read; nothing is sent after an error ends the tool.
 */
import type { KafkaProducer, ProducerConfigInput } from '../../clients/producer/index.js';
import { consoleClientLimits } from '../console-limits.js';
import { parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import {
  ClientConfigError,
  DEFAULT_OPTION_SPECS,
  fileErrorLine,
  INTERRUPTED,
  INTERRUPTED_EXIT_CODE,
  integerOption,
  isValidHostPortList,
  lineReaderConfigOf,
  loadProps,
  log4jLine,
  maybePrintHelpOrVersion,
  optionErrorMessage,
  parseKeyValueArgs,
  parseLine,
  printUsageAndExit,
  producerConfigOf,
  ReaderError,
  throwableLine,
  ToolExit,
  untilInterrupted,
  type LineReaderConfig,
} from './record-formatter.js';

const PROPERTY_HELP =
  'A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader. ' +
  'Default properties include: parse.key=false parse.headers=false ignore.error=false key.separator=\\t headers.delimiter=\\t headers.separator=, headers.key.separator=: ' +
  'null.marker= When set, any fields (key, value and headers) equal to this will be replaced by null ' +
  'Default parsing pattern when: parse.headers=true and parse.key=true: "h1:v1,h2:v2...\\tkey\\tvalue" parse.key=true: "key\\tvalue" parse.headers=true: "h1:v1,h2:v2...\\tvalue"';

export const CONSOLE_PRODUCER_OPTIONS: readonly OptionSpec[] = [
  ...DEFAULT_OPTION_SPECS,
  { name: 'topic', description: 'REQUIRED: The topic id to produce messages to.', argument: 'String: topic' },
  { name: 'broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  The broker list string in the form HOST1:PORT1,HOST2:PORT2.', argument: 'String: broker-list' },
  { name: 'bootstrap-server', description: 'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.', argument: 'String: server to connect to' },
  { name: 'sync', description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.' },
  { name: 'compression-codec', description: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'", argument: 'String: compression-codec', optionalArgument: true },
  { name: 'batch-size', description: 'Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set', argument: 'Integer: size', defaultValue: '16384' },
  { name: 'message-send-max-retries', description: 'Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message. This is the option to control `retries` in producer configs.', argument: 'Integer', defaultValue: '3' },
  { name: 'retry-backoff-ms', description: 'Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata. This is the option to control `retry.backoff.ms` in producer configs.', argument: 'Long', defaultValue: '100' },
  { name: 'timeout', description: 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.', argument: 'Long: timeout_ms', defaultValue: '1000' },
  { name: 'request-required-acks', description: 'The required `acks` of the producer requests', argument: 'String: request required acks', defaultValue: '-1' },
  { name: 'request-timeout-ms', description: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.', argument: 'Integer: request timeout ms', defaultValue: '1500' },
  { name: 'metadata-expiry-ms', description: "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs.", argument: 'Long: metadata expiration interval', defaultValue: '300000' },
  { name: 'max-block-ms', description: 'The max time that the producer will block for during a send request.', argument: 'Long: max block on send', defaultValue: '60000' },
  { name: 'max-memory-bytes', description: 'The total memory used by the producer to buffer records waiting to be sent to the server. This is the option to control `buffer.memory` in producer configs.', argument: 'Long: total memory in bytes', defaultValue: '33554432' },
  { name: 'max-partition-memory-bytes', description: 'The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs.', argument: 'Integer: memory in bytes per partition', defaultValue: '16384' },
  { name: 'line-reader', description: 'The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.', argument: 'String: reader_class', defaultValue: 'kafka.tools.ConsoleProducer$LineMessageReader' },
  { name: 'socket-buffer-size', description: 'The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs.', argument: 'Integer: size', defaultValue: '102400' },
  { name: 'property', description: PROPERTY_HELP, argument: 'String: prop' },
  { name: 'reader-config', description: 'Config properties file for the message reader. Note that [property] takes precedence over this config.', argument: 'String: config file' },
  { name: 'producer-property', description: 'A mechanism to pass user-defined properties in the form key=value to the producer. ', argument: 'String: producer_prop' },
  { name: 'producer.config', description: 'Producer config properties file. Note that [producer-property] takes precedence over this config.', argument: 'String: config file' },
];

const HELP_MESSAGE = 'This tool helps to read data from standard input and publish it to Kafka.';
const LINE_READER_CLASSES = new Set(['kafka.tools.ConsoleProducer$LineMessageReader', 'org.apache.kafka.tools.LineMessageReader']);

/** Tool options that set a producer config (CommandLineUtils.maybeMergeOptions), in Kafka's order. */
const MERGED_OPTIONS: readonly [option: string, config: string, fallback: string][] = [
  ['timeout', 'linger.ms', '1000'],
  ['request-required-acks', 'acks', '-1'],
  ['request-timeout-ms', 'request.timeout.ms', '1500'],
  ['message-send-max-retries', 'retries', '3'],
  ['retry-backoff-ms', 'retry.backoff.ms', '100'],
  ['socket-buffer-size', 'send.buffer.bytes', '102400'],
  ['max-memory-bytes', 'buffer.memory', '33554432'],
  ['batch-size', 'batch.size', '16384'],
  ['max-partition-memory-bytes', 'batch.size', '16384'],
  ['metadata-expiry-ms', 'metadata.max.age.ms', '300000'],
  ['max-block-ms', 'max.block.ms', '60000'],
];

/** The producer's properties, as ConsoleProducer.producerProps builds them. */
function producerProps(context: ToolContext, options: ParsedOptions): Map<string, string> {
  const props = options.has('producer.config') ? loadProps(context, options.value('producer.config')!) : new Map<string, string>();
  for (const [k, v] of parseKeyValueArgs(options.values('producer-property'))) props.set(k, v);
  props.set('bootstrap.servers', options.value('bootstrap-server') ?? options.value('broker-list')!);
  const codec = options.value('compression-codec');
  props.set('compression.type', options.has('compression-codec') ? (codec === undefined || codec === '' ? 'gzip' : codec) : 'none');
  if (!props.has('client.id')) props.set('client.id', 'console-producer');
  for (const [option, config, fallback] of MERGED_OPTIONS) {
    if (options.has(option) || !props.has(config)) props.set(config, options.value(option) ?? fallback);
  }
  return props;
}

function readerProps(context: ToolContext, options: ParsedOptions): Map<string, string> {
  const props = options.has('reader-config') ? loadProps(context, options.value('reader-config')!) : new Map<string, string>();
  props.set('topic', options.value('topic')!);
  for (const [k, v] of parseKeyValueArgs(options.values('property'))) props.set(k, v);
  return props;
}

/** Options parsed and checked as ProducerConfig's constructor does (usage errors exit 1). */
function parseChecked(args: readonly string[], context: ToolContext): ParsedOptions {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, CONSOLE_PRODUCER_OPTIONS);
  } catch (error) {
    const message = optionErrorMessage(error);
    if (message === null) throw error;
    printUsageAndExit(context.output, CONSOLE_PRODUCER_OPTIONS, message);
  }
  // jopt-simple's requiredUnless("broker-list") is checked by parse(), unless --help is given.
  if (!options.has('help') && !options.has('bootstrap-server') && !options.has('broker-list')) {
    printUsageAndExit(context.output, CONSOLE_PRODUCER_OPTIONS, 'Missing required option(s) [bootstrap-server]');
  }
  maybePrintHelpOrVersion(context.output, CONSOLE_PRODUCER_OPTIONS, args, options.has, HELP_MESSAGE);
  if (!options.has('topic')) printUsageAndExit(context.output, CONSOLE_PRODUCER_OPTIONS, 'Missing required argument "[topic]"');
  const servers = options.value(options.has('bootstrap-server') ? 'bootstrap-server' : 'broker-list') ?? '';
  if (!isValidHostPortList(servers)) printUsageAndExit(context.output, CONSOLE_PRODUCER_OPTIONS, 'Please provide valid host:port like host1:9091,host2:9092\n ');
  return options;
}

/** A readLine that shows a prompt: the context prints it where a terminal would (see the report). */
type PromptingReadLine = (prompt?: string) => Promise<string | null>;

/** Reads, parses and sends lines until end of input, Ctrl+C, or an error that ends the tool. */
async function loopReader(context: ToolContext, producer: KafkaProducer<string | null, string | null>, topic: string, reader: LineReaderConfig, sync: boolean): Promise<'eof' | 'interrupted'> {
  const readLine = context.readLine as PromptingReadLine;
  for (let lineNumber = 1; lineNumber <= consoleClientLimits.producerLinesMax; lineNumber++) {
    const line = await untilInterrupted(readLine.call(context, '>'), context.interrupt);
    if (line === INTERRUPTED) return 'interrupted';
    if (line === null) return 'eof';
    const parsed = parseLine(reader, line, lineNumber);
    const record = { topic, key: parsed.key, value: parsed.value, headers: parsed.headers };
    if (sync) {
      const sent = await untilInterrupted(producer.send(record).promise, context.interrupt);
      if (sent === INTERRUPTED) return 'interrupted';
      continue;
    }
    producer.send(record, (_metadata, error) => {
      if (error === null) return;
      const bytes = (text: string | null): string => (text === null ? 'null' : `${new TextEncoder().encode(text).length} bytes`);
      context.output.err(log4jLine(context.engine.clock.nowMs(), 'ERROR', `Error when sending message to topic ${topic} with key: ${bytes(record.key)}, value: ${bytes(record.value)} with error: `, 'org.apache.kafka.clients.producer.internals.ErrorLoggingCallback'));
      context.output.err(throwableLine(error));
    });
  }
  return 'eof';
}

/** Builds the producer and runs the reader loop; the producer is closed whatever happens. */
async function produce(context: ToolContext, options: ParsedOptions): Promise<number> {
  const { config, warnings } = producerConfigOf(producerProps(context, options));
  for (const warning of warnings) context.output.err(log4jLine(context.engine.clock.nowMs(), 'WARN', warning, 'org.apache.kafka.clients.producer.ProducerConfig'));
  const producer = context.engine.producer(config as ProducerConfigInput);
  try {
    const readerClass = options.value('line-reader');
    if (readerClass !== undefined && !LINE_READER_CLASSES.has(readerClass)) throw new NotSupported(`java.lang.ClassNotFoundException: ${readerClass}`);
    const outcome = await loopReader(context, producer, options.value('topic')!, lineReaderConfigOf(readerProps(context, options)), options.has('sync'));
    await producer.close();
    return outcome === 'interrupted' ? INTERRUPTED_EXIT_CODE : 0;
  } catch (error) {
    await producer.close();
    throw error;
  }
}

class NotSupported extends Error {}

/** e.printStackTrace()'s first line for what ends the tool (ConsoleProducer.main's catch). */
function failureLine(error: unknown): string | null {
  if (error instanceof ConsoleFileError) return fileErrorLine(error);
  if (error instanceof NotSupported) return error.message;
  if (error instanceof ReaderError || error instanceof ClientConfigError) return throwableLine(error);
  const named = error as { exceptionName?: unknown };
  if (typeof named.exceptionName === 'string') {
    // A --sync send failed: Future.get() wraps the cause.
    const line = throwableLine(error);
    return named.exceptionName === 'ConfigException' ? line : `java.util.concurrent.ExecutionException: ${line}`;
  }
  return null;
}

export const kafkaConsoleProducer: ConsoleTool = {
  name: 'kafka-console-producer',
  async run(args, context) {
    try {
      const options = parseChecked(args, context);
      integerOption('batch-size', options.value('batch-size'));
      return await produce(context, options);
    } catch (error) {
      if (error instanceof ToolExit) return error.code;
      const message = optionErrorMessage(error);
      if (message !== null) {
        context.output.err(message);
        return 1;
      }
      const line = failureLine(error);
      if (line === null) throw error;
      context.output.err(line);
      return 1;
    }
  },
};
