/**
 * Helpers the console clients and perf tools share (kafka-console-producer, kafka-console-consumer,
 * kafka-producer-perf-test, kafka-consumer-perf-test), each a fact taken from Kafka 3.x's sources:
 *
 * - DefaultMessageFormatter: the fields in Kafka's order (timestamp, partition, offset, headers,
 *   key, value), key.separator between fields and line.separator only after the value — so with
 *   print.value=false nothing ends the line, exactly as Kafka writes it (OutputStream below joins
 *   the bytes into lines);
 * - LineMessageReader: parse.key / key.separator / parse.headers / null.marker / ignore.error with
 *   Kafka's KafkaException messages ("No key separator found on line number 1: 'abc'");
 * - CommandLineUtils.parseKeyValueArgs (k=v, value may hold '='), Utils.loadProps (a properties
 *   file), and the conversion of Kafka's property names to the engine's client configs, refusing
 *   bad values with ConfigDef's wording ("Invalid value x for configuration linger.ms: Not a number
 *   of type LONG");
 * - log4j's layout in Kafka's tools-log4j.properties: "[yyyy-MM-dd HH:mm:ss,SSS] LEVEL msg (logger)",
 *   printed in UTC so a replay prints the same;
 * - printStackTrace's first line: the Java class's full name and the message (no frames are faked).
 *
 * Invariants: pure functions of their inputs (time comes in as a number); output is line-based,
 * with every partial line flushed at the end of a tool.
 */
import { CONSUMER_CONFIG_NAMES, type ConsumerConfigInput } from '../../clients/consumer/index.js';
import { KAFKA_CONFIG_NAMES, type ProducerConfigInput } from '../../clients/producer/index.js';
import type { ConsumerRecord } from '../../clients/consumer/index.js';
import { formatHelp, OptionError, type OptionSpec } from '../options.js';
import type { ConsoleFileError, ConsoleOutput, ToolContext } from '../tool-context.js';
import { consoleClientLimits } from '../console-limits.js';
import { HELP_SPEC, KAFKA_VERSION, ToolExit, VERSION_SPEC, log4jTimestamp } from './tool-support.js';

export { KAFKA_VERSION, ToolExit, parseKeyValueArgs } from './tool-support.js';

/** A JVM killed by Ctrl+C (SIGINT) exits with 128 + 2, which is what `bin/kafka-*.sh` returns then. */
export const INTERRUPTED_EXIT_CODE = 130;

/** CommandDefaultOptions adds these two to every jopt-simple tool. */
export const DEFAULT_OPTION_SPECS: readonly OptionSpec[] = [HELP_SPEC, VERSION_SPEC];

/** CommandLineUtils.printUsageAndExit: the message, then the help table, on stderr; exit 1. */
export function printUsageAndExit(output: ConsoleOutput, specs: readonly OptionSpec[], message: string): never {
  for (const line of message.split('\n')) output.err(line);
  for (const line of formatHelp(specs)) output.err(line);
  throw new ToolExit(1);
}

/** CommandLineUtils.maybePrintHelpOrVersion: no arguments or --help → usage (exit 1); --version → version (exit 0). */
export function maybePrintHelpOrVersion(output: ConsoleOutput, specs: readonly OptionSpec[], args: readonly string[], has: (name: string) => boolean, message: string): void {
  if (args.length === 0 || has('help')) printUsageAndExit(output, specs, message);
  if (has('version')) {
    output.out(KAFKA_VERSION);
    throw new ToolExit(0);
  }
}

/** The words an OptionError prints as (jopt-simple's message; the class name only for an uncaught one). */
export function optionErrorMessage(error: unknown): string | null {
  return error instanceof OptionError ? error.message : null;
}

/** ToolsUtils.validatePortOrDie / validateBootstrapServer: every entry must be host:port. */
export function isValidHostPortList(hostPorts: string): boolean {
  const entries = hostPorts.includes(',') ? hostPorts.split(',') : [hostPorts];
  return entries.length > 0 && entries.every((entry) => /^.+:\d+$/.test(entry.trim()) || /^\[.+\]:\d+$/.test(entry.trim()));
}

/** A jopt-simple Integer/Long argument; throws what the JVM prints for a bad one. */
export function integerOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new OptionError('joptsimple.OptionArgumentConversionException', `Cannot parse argument '${text}' of option ${name}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Properties

/** Utils.loadProps over the tool's files: java.util.Properties' line syntax (k=v, k: v, k v, # and ! comments). */
export function loadProps(context: ToolContext, path: string): Map<string, string> {
  const text = context.files.read(path);
  const props = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (const raw of lines.slice(0, consoleClientLimits.propertiesFileLinesMax)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^((?:\\.|[^=:\s])+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match === null) props.set(line, '');
    else props.set(match[1]!.replace(/\\(.)/g, '$1'), match[2]!);
  }
  return props;
}

/** The line printStackTrace starts with for a file that cannot be read. */
export function fileErrorLine(error: ConsoleFileError): string {
  return `java.nio.file.NoSuchFileException: ${error.message.replace(/ \(No such file or directory\)$/, '')}`;
}

// ---------------------------------------------------------------------------------------------
// Client configs from Kafka's property names

type ConfigKind = 'int' | 'long' | 'boolean' | 'string' | 'list';

/** Java's type of each config ConfigDef parses as something other than INT. */
const CONFIG_KINDS: Readonly<Record<string, ConfigKind>> = {
  'client.id': 'string',
  acks: 'string',
  'compression.type': 'string',
  'group.id': 'string',
  'group.instance.id': 'string',
  'auto.offset.reset': 'string',
  'isolation.level': 'string',
  'key.deserializer': 'string',
  'value.deserializer': 'string',
  'partition.assignment.strategy': 'list',
  'enable.idempotence': 'boolean',
  'partitioner.ignore.keys': 'boolean',
  'check.crcs': 'boolean',
  'enable.auto.commit': 'boolean',
  'linger.ms': 'long',
  'max.block.ms': 'long',
  'buffer.memory': 'long',
  'retry.backoff.ms': 'long',
  'retry.backoff.max.ms': 'long',
  'metadata.max.age.ms': 'long',
  'metrics.sample.window.ms': 'long',
};

/**
 * Kafka configs a client accepts that have no effect in the engine (addresses, serializers the
 * tools fix, socket buffers, security): taken silently, as the lab's cluster needs none of them.
 */
const ACCEPTED_WITHOUT_EFFECT = new Set([
  'bootstrap.servers',
  'key.serializer',
  'value.serializer',
  'send.buffer.bytes',
  'receive.buffer.bytes',
  'security.protocol',
  'client.dns.lookup',
  'connections.max.idle.ms',
  'reconnect.backoff.ms',
  'reconnect.backoff.max.ms',
  'socket.connection.setup.timeout.ms',
  'socket.connection.setup.timeout.max.ms',
  'allow.auto.create.topics',
  'exclude.internal.topics',
]);

export class ClientConfigError extends Error {
  readonly javaClass = 'org.apache.kafka.common.config.ConfigException';
}

export interface ClientConfigResult<C> {
  readonly config: C;
  /** Kafka's WARN lines for names it does not know (logged, the client still starts). */
  readonly warnings: string[];
}

function convertValue(name: string, kind: ConfigKind, text: string): unknown {
  const trimmed = text.trim();
  if (kind === 'string') return trimmed;
  if (kind === 'list') return trimmed.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (kind === 'boolean') {
    if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
    throw new ClientConfigError(`Invalid value ${text} for configuration ${name}: Expected value to be either true or false`);
  }
  const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new ClientConfigError(`Invalid value ${text} for configuration ${name}: Not a number of type ${kind === 'long' ? 'LONG' : 'INT'}`);
  return value;
}

function toClientConfig<C>(props: ReadonlyMap<string, string>, names: Readonly<Record<string, string>>, configClass: string): ClientConfigResult<C> {
  const byKafkaName = new Map(Object.entries(names).map(([camel, kafka]) => [kafka, camel]));
  const config: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [name, text] of props) {
    const camel = byKafkaName.get(name);
    if (camel === undefined || name === 'partitioner.class') {
      if (!ACCEPTED_WITHOUT_EFFECT.has(name)) warnings.push(`The configuration '${name}' was supplied but isn't a known config.`);
      continue;
    }
    config[camel] = convertValue(name, CONFIG_KINDS[name] ?? 'int', text);
  }
  void configClass;
  return { config: config as C, warnings };
}

/** Producer properties (Kafka names, string values) as the engine producer's config. */
export function producerConfigOf(props: ReadonlyMap<string, string>): ClientConfigResult<ProducerConfigInput> {
  return toClientConfig<ProducerConfigInput>(props, KAFKA_CONFIG_NAMES, 'ProducerConfig');
}

/** Consumer properties (Kafka names, string values) as the engine consumer's config. */
export function consumerConfigOf(props: ReadonlyMap<string, string>): ClientConfigResult<ConsumerConfigInput> {
  return toClientConfig<ConsumerConfigInput>(props, CONSUMER_CONFIG_NAMES, 'ConsumerConfig');
}

// ---------------------------------------------------------------------------------------------
// Log lines and exceptions as the JVM prints them

/** log4j's "[%d] %p %m (%c)" with Kafka's date pattern, in UTC. */
export function log4jLine(nowMs: number, level: 'ERROR' | 'WARN' | 'INFO', message: string, logger: string): string {
  return `[${log4jTimestamp(nowMs)}] ${level} ${message} (${logger})`;
}

/** Java packages of the exception classes the clients raise, for printStackTrace's first line. */
const JAVA_PACKAGES: Readonly<Record<string, string>> = {
  ConfigException: 'org.apache.kafka.common.config',
  KafkaException: 'org.apache.kafka.common',
  BufferExhaustedException: 'org.apache.kafka.clients.producer',
  // The consumer's own exceptions live in its package, not in common.errors.
  NoOffsetForPartitionException: 'org.apache.kafka.clients.consumer',
  CommitFailedException: 'org.apache.kafka.clients.consumer',
  RetriableCommitFailedException: 'org.apache.kafka.clients.consumer',
  ConcurrentModificationException: 'java.util',
  IllegalStateException: 'java.lang',
  IllegalArgumentException: 'java.lang',
  InterruptException: 'org.apache.kafka.common.errors',
  WakeupException: 'org.apache.kafka.common.errors',
};

/** The fully qualified name of a Kafka client exception class (errors default to common.errors). */
export function javaClassOf(exceptionName: string): string {
  if (exceptionName.includes('.')) return exceptionName;
  return `${JAVA_PACKAGES[exceptionName] ?? 'org.apache.kafka.common.errors'}.${exceptionName}`;
}

/** Throwable.toString: "class: message", or only the class when there is no message. */
export function throwableLine(error: unknown): string {
  if (error instanceof ClientConfigError) return `${error.javaClass}: ${error.message}`;
  const named = error as { exceptionName?: unknown; message?: unknown };
  const className = typeof named.exceptionName === 'string' ? javaClassOf(named.exceptionName) : 'java.lang.RuntimeException';
  const message = typeof named.message === 'string' ? named.message : String(error);
  return message === '' ? className : `${className}: ${message}`;
}

// ---------------------------------------------------------------------------------------------
// Output as a byte stream

/**
 * System.out as the formatter writes it: text is joined and cut into lines at '\n'; what remains
 * without a newline is printed when the tool ends (flush), as the terminal shows it.
 */
export class LineWriter {
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  write(text: string): void {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop()!;
    if (this.pending.length > consoleClientLimits.pendingLineCharsMax) {
      // A stream without newlines (line.separator set to '') would grow forever: cut it as a terminal wraps.
      parts.push(this.pending);
      this.pending = '';
    }
    for (const line of parts) this.emit(line);
  }

  flush(): void {
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }
}

// ---------------------------------------------------------------------------------------------
// DefaultMessageFormatter

export interface MessageFormat {
  readonly printTimestamp: boolean;
  readonly printKey: boolean;
  readonly printValue: boolean;
  readonly printPartition: boolean;
  readonly printOffset: boolean;
  readonly printEpoch: boolean;
  readonly printHeaders: boolean;
  readonly keySeparator: string;
  readonly lineSeparator: string;
  readonly headersSeparator: string;
  readonly nullLiteral: string;
}

const isTrue = (text: string | undefined): boolean => text !== undefined && text.trim().toLowerCase() === 'true';

/** DefaultMessageFormatter.configure: each print.* flag is "true" (any case, trimmed) or off. */
export function messageFormatOf(props: ReadonlyMap<string, string>): MessageFormat {
  const flag = (name: string, fallback: boolean): boolean => (props.has(name) ? isTrue(props.get(name)) : fallback);
  return {
    printTimestamp: flag('print.timestamp', false),
    printKey: flag('print.key', false),
    printValue: flag('print.value', true),
    printPartition: flag('print.partition', false),
    printOffset: flag('print.offset', false),
    printEpoch: flag('print.epoch', false),
    printHeaders: flag('print.headers', false),
    keySeparator: props.get('key.separator') ?? '\t',
    lineSeparator: props.get('line.separator') ?? '\n',
    headersSeparator: props.get('headers.separator') ?? ',',
    nullLiteral: props.get('null.literal') ?? 'null',
  };
}

const utf8 = new TextDecoder('utf-8');

/** DefaultMessageFormatter.writeTo: the record's text, separators included, exactly as Kafka writes it. */
export function formatRecord(format: MessageFormat, record: ConsumerRecord<string | null, string | null>): string {
  const fields: string[] = [];
  if (format.printTimestamp) fields.push(record.timestampMs < 0 ? 'NO_TIMESTAMP' : `${record.timestampType}:${record.timestampMs}`);
  if (format.printPartition) fields.push(`Partition:${record.partition}`);
  if (format.printOffset) fields.push(`Offset:${record.offset}`);
  if (format.printEpoch) fields.push(`Epoch:${record.leaderEpoch ?? 'NOT_PRESENT'}`);
  if (format.printHeaders) {
    const headers = record.headers.map((h) => `${h.key}:${h.value === null ? format.nullLiteral : utf8.decode(h.value)}`);
    fields.push(headers.length === 0 ? 'NO_HEADERS' : headers.join(format.headersSeparator));
  }
  if (format.printKey) fields.push(record.key ?? format.nullLiteral);
  if (format.printValue) fields.push(record.value ?? format.nullLiteral);
  // Separators go between fields; the line separator only after the value (none without print.value).
  return fields.join(format.keySeparator) + (format.printValue ? format.lineSeparator : '');
}

// ---------------------------------------------------------------------------------------------
// LineMessageReader

export interface LineReaderConfig {
  readonly parseKey: boolean;
  readonly keySeparator: string;
  readonly parseHeaders: boolean;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
  readonly ignoreError: boolean;
  readonly nullMarker: string | null;
}

/** A KafkaException the reader raises (printStackTrace prints it, the producer exits 1). */
export class ReaderError extends Error {
  readonly exceptionName = 'KafkaException';
}

/** LineMessageReader.configure, with its checks of separators that may not be equal. */
export function lineReaderConfigOf(props: ReadonlyMap<string, string>): LineReaderConfig {
  const config: LineReaderConfig = {
    parseKey: isTrue(props.get('parse.key')),
    keySeparator: props.get('key.separator') ?? '\t',
    parseHeaders: isTrue(props.get('parse.headers')),
    headersDelimiter: props.get('headers.delimiter') ?? '\t',
    headersSeparator: props.get('headers.separator') ?? ',',
    headersKeySeparator: props.get('headers.key.separator') ?? ':',
    ignoreError: isTrue(props.get('ignore.error')),
    nullMarker: props.get('null.marker') ?? null,
  };
  const distinct: [string, string, string | null, string][] = [
    ['headers.delimiter', config.headersDelimiter, 'headers.separator', config.headersSeparator],
    ['headers.delimiter', config.headersDelimiter, 'headers.key.separator', config.headersKeySeparator],
    ['headers.separator', config.headersSeparator, 'headers.key.separator', config.headersKeySeparator],
    ['null.marker', config.nullMarker ?? '', 'key.separator', config.keySeparator],
    ['null.marker', config.nullMarker ?? '', 'headers.separator', config.headersSeparator],
    ['null.marker', config.nullMarker ?? '', 'headers.delimiter', config.headersDelimiter],
    ['null.marker', config.nullMarker ?? '', 'headers.key.separator', config.headersKeySeparator],
  ];
  for (const [a, aValue, b, bValue] of distinct) {
    if (a === 'null.marker' && config.nullMarker === null) continue;
    if (aValue === bValue) throw new ReaderError(`${a} and ${b} may not be equal`);
  }
  return config;
}

export interface ParsedLine {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: { key: string; value: Uint8Array | null }[];
}

const utf8Encoder = new TextEncoder();

function field(config: LineReaderConfig, enabled: boolean, line: string, start: number, demarcation: string, name: string, lineNumber: number): string | null {
  if (!enabled) return null;
  const index = line.indexOf(demarcation, start);
  if (index >= 0) return line.slice(start, index);
  if (config.ignoreError) return null;
  throw new ReaderError(`No ${name} found on line number ${lineNumber}: '${line}'`);
}

function splitHeaders(config: LineReaderConfig, headers: string, lineNumber: number): ParsedLine['headers'] {
  return headers.split(config.headersSeparator).map((pair) => {
    const index = pair.indexOf(config.headersKeySeparator);
    if (index < 0) {
      if (config.ignoreError) return { key: pair, value: null };
      throw new ReaderError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
    }
    const key = pair.slice(0, index);
    if (key === config.nullMarker) throw new ReaderError(`Header keys should not be equal to the null marker '${config.nullMarker}' as they can't be null`);
    const value = pair.slice(index + config.headersKeySeparator.length);
    return { key, value: value === config.nullMarker ? null : utf8Encoder.encode(value) };
  });
}

/** LineMessageReader's parse of one line (headers, then key, then the rest as value). */
export function parseLine(config: LineReaderConfig, line: string, lineNumber: number): ParsedLine {
  const headers = field(config, config.parseHeaders, line, 0, config.headersDelimiter, 'headers delimiter', lineNumber);
  const headerOffset = headers === null ? 0 : headers.length + config.headersDelimiter.length;
  const key = field(config, config.parseKey, line, headerOffset, config.keySeparator, 'key separator', lineNumber);
  const keyOffset = key === null ? 0 : key.length + config.keySeparator.length;
  const value = line.slice(headerOffset + keyOffset);
  return {
    key: key !== null && key !== config.nullMarker ? key : null,
    value: value !== config.nullMarker ? value : null,
    headers: headers !== null && headers !== config.nullMarker ? splitHeaders(config, headers, lineNumber) : [],
  };
}

// ---------------------------------------------------------------------------------------------
// Waiting on engine time, stopped by Ctrl+C

export const INTERRUPTED = Symbol('interrupted');

/** The promise's value, or INTERRUPTED as soon as Ctrl+C is pressed (the promise is left to settle alone). */
export function untilInterrupted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof INTERRUPTED> {
  if (signal.aborted) return Promise.resolve(INTERRUPTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(INTERRUPTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms` of engine time. */
export function sleepMs(context: ToolContext, ms: number): Promise<void> {
  return new Promise((resolve) => context.engine.timers.after(ms, resolve));
}

/**
 * Java's String.format("%.Nf") for the perf tools' numbers: HALF_UP rounding, and "Infinity" /
 * "NaN" as Java prints a division by a zero elapsed time.
 */
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return value.toFixed(digits);
}

/** SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS"), the consumer perf tool's default, in UTC. */
export function perfDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}:${iso.slice(20, 23)}`;
}
