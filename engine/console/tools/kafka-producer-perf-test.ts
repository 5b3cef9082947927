/**
 * kafka-producer-perf-test, as Kafka 3.7's ProducerPerformance runs: --num-records records of
 * --record-size random uppercase letters (or payloads picked from --payload-file) sent to --topic by
 * a producer configured from --producer.config and --producer-props (client.id perf-producer-client),
 * throttled to --throughput records/s (-1: as fast as the producer takes them), with latency
 * measured from send to acknowledgement on engine time. Every 5 s of engine time a completion prints
 * the window ("N records sent, X records/sec (Y MB/sec), A ms avg latency, B ms max latency."); after
 * close the total line, whose rate 3.7 prints with "%f" (six decimals), then the 50th/95th/99th/99.9th
 * percentiles of the sampled latencies.
 *
 * Arguments are parsed as argparse4j 0.7.0 does (prefix abbreviations, "expected one argument",
 * the last missing required argument reported, the mutually exclusive payload group): its usage and
 * "producer-performance: error: ..." on stderr, exit 1; no arguments prints the help and exits 0;
 * -h prints the help and exits 1 (ProducerPerformance calls Exit.exit(1) after handleError). Text is
 * wrapped at argparse4j's 75 columns (no terminal width is known) and justified as its TextHelper
 * does, breaking after spaces and inside hyphenated words as Java's line BreakIterator.
 *
 * Engine time: the JVM's throttler compares the rate with the wall clock that moves while the loop
 * runs; on engine time nothing moves during the loop, so the throttle here waits until send #i's
 * due time (start + i / throughput s) — the same average rate ThroughputThrottler gives.
 * Java's send() blocks while buffer.memory is full; here the loop waits for acknowledgements while
 * the records in flight would exceed buffer.memory, the same back-pressure.
 *
 * Invariants: at most consoleClientLimits.perfRecordsMax records; the latency samples are bounded
 * as Kafka's (numRecords / sampling + 1); the producer is closed before the summary; nothing is
 * sent when the arguments are refused.
 */
import type { ProducerConfigInput } from '../../clients/producer/index.js';
import type { KafkaProducer } from '../../clients/producer/kafka-producer.js';
import { consoleClientLimits } from '../console-limits.js';
import { ConsoleFileError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import { ClientConfigError, fileErrorLine, javaFixed, loadProps, log4jLine, producerConfigOf, sleepMs, throwableLine } from './record-formatter.js';

const PROG = 'producer-performance';
/** ArgumentParsers.DEFAULT_FORMAT_WIDTH: argparse4j's width when it cannot ask the terminal. */
const FORMAT_WIDTH = 75;
/** TextHelper.printHelp's column of the help texts. */
const HELP_INDENT = 25;
/** Stats' reporting interval (ProducerPerformance: new Stats(numRecords, 5000)). */
const REPORTING_INTERVAL_MS = 5_000;
/** Stats keeps at most this many latency samples (sampling = numRecords / min(numRecords, 500000)). */
const LATENCY_SAMPLES_MAX = 500_000;
/** printCandidates shows "Did you mean" only below this weighted edit distance (from git's help.c). */
const CANDIDATE_THRESHOLD = 7;
const MB = 1024 * 1024;
/** Characters built per String.fromCharCode call (its arguments go on the stack). */
const PAYLOAD_CHUNK_CHARS = 8192;

type ArgType = 'String' | 'Long' | 'Integer';

/** One argparse4j argument of ProducerPerformance.argParser(), in the order it is added. */
interface ArgSpec {
  readonly flags: readonly string[];
  readonly dest: string;
  /** 'one' = store() of one value, 'many' = nargs("+"), 'flag' = storeTrue(), 'help' = -h/--help. */
  readonly arity: 'one' | 'many' | 'flag' | 'help';
  readonly type?: ArgType;
  readonly metavar?: string;
  readonly required?: boolean;
  /** In the required mutually exclusive payload group. */
  readonly payload?: boolean;
  readonly defaultValue?: string;
  readonly help: string;
}

const ARGS: readonly ArgSpec[] = [
  { flags: ['-h', '--help'], dest: 'help', arity: 'help', help: 'show this help message and exit' },
  { flags: ['--topic'], dest: 'topic', arity: 'one', type: 'String', metavar: 'TOPIC', required: true, help: 'produce messages to this topic' },
  { flags: ['--num-records'], dest: 'numRecords', arity: 'one', type: 'Long', metavar: 'NUM-RECORDS', required: true, help: 'number of messages to produce' },
  {
    flags: ['--record-size'],
    dest: 'recordSize',
    arity: 'one',
    type: 'Integer',
    metavar: 'RECORD-SIZE',
    payload: true,
    help: 'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file.',
  },
  {
    flags: ['--payload-file'],
    dest: 'payloadFile',
    arity: 'one',
    type: 'String',
    metavar: 'PAYLOAD-FILE',
    payload: true,
    help: 'file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file.',
  },
  {
    flags: ['--payload-delimiter'],
    dest: 'payloadDelimiter',
    arity: 'one',
    type: 'String',
    metavar: 'PAYLOAD-DELIMITER',
    defaultValue: '\\n',
    help: 'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.',
  },
  {
    flags: ['--throughput'],
    dest: 'throughput',
    arity: 'one',
    type: 'Integer',
    metavar: 'THROUGHPUT',
    required: true,
    help: 'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.',
  },
  {
    flags: ['--producer-props'],
    dest: 'producerConfig',
    arity: 'many',
    type: 'String',
    metavar: 'PROP-NAME=PROP-VALUE',
    help: 'kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.',
  },
  { flags: ['--producer.config'], dest: 'producerConfigFile', arity: 'one', type: 'String', metavar: 'CONFIG-FILE', help: 'producer config properties file.' },
  { flags: ['--print-metrics'], dest: 'printMetrics', arity: 'flag', defaultValue: 'false', help: 'print out metrics at the end of the test.' },
  {
    flags: ['--transactional-id'],
    dest: 'transactionalId',
    arity: 'one',
    type: 'String',
    metavar: 'TRANSACTIONAL-ID',
    defaultValue: 'performance-producer-default-transactional-id',
    help: 'The transactionalId to use if transaction-duration-ms is > 0. Useful when testing the performance of concurrent transactions.',
  },
  {
    flags: ['--transaction-duration-ms'],
    dest: 'transactionDurationMs',
    arity: 'one',
    type: 'Long',
    metavar: 'TRANSACTION-DURATION',
    defaultValue: '0',
    help: 'The max age of each transaction. The commitTransaction will be called after this time has elapsed. Transactions are only enabled if this value is positive.',
  },
];
const DESCRIPTION = 'This tool is used to verify the producer performance.';
const PAYLOAD_GROUP_DESCRIPTION = 'either --record-size or --payload-file must be specified but not both.';

// ---------------------------------------------------------------------------------------------
// argparse4j's text layout

/** TextHelper.adjustSpace: spreads the missing width over the line's blocks of spaces, the extra ones in the middle. */
function adjustSpace(line: string, width: number): string {
  const trimmed = line.trim();
  const blocks = trimmed.split(/( +)/);
  const spaceBlocks = (blocks.length - 1) / 2;
  if (spaceBlocks === 0) return trimmed;
  const need = width - trimmed.length;
  const each = Math.floor(need / spaceBlocks);
  const rem = need % spaceBlocks;
  const remStart = Math.floor((spaceBlocks - rem + 1) / 2);
  let out = '';
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const b = (i - 1) / 2;
    out += i % 2 === 0 ? block : block + ' '.repeat(Math.max(0, each + (remStart <= b && b < remStart + rem ? 1 : 0)));
  }
  return out;
}

/** TextHelper.wrap: lines justified to `width` except the last. */
function wrapText(text: string, width: number, initialOffset: number, subsequentIndent: string): string[] {
  // BreakIterator's line breaks: after spaces, and after a hyphen inside a word ("transactional-|id").
  const pieces = text.split(/(?<= )(?=\S)|(?<=[A-Za-z0-9]-)(?=[A-Za-z])/);
  const lines: string[] = [];
  let line = '';
  let current = initialOffset;
  for (const piece of pieces) {
    current += piece.length;
    if (current > width && line !== '') {
      lines.push(adjustSpace(line, width - (lines.length === 0 ? initialOffset : subsequentIndent.length)));
      line = '';
      current = subsequentIndent.length + piece.length;
    }
    line += piece;
  }
  lines.push(line.trimEnd());
  return lines.map((l, i) => (i === 0 ? l : subsequentIndent + l));
}

function metavarOf(spec: ArgSpec): string {
  if (spec.arity === 'many') return `${spec.metavar} [${spec.metavar} ...]`;
  return spec.arity === 'one' ? spec.metavar! : '';
}

function shortSyntax(spec: ArgSpec, brackets: boolean): string {
  const text = metavarOf(spec) === '' ? spec.flags[0]! : `${spec.flags[0]} ${metavarOf(spec)}`;
  return brackets && spec.required !== true ? `[${text}]` : text;
}

/** ArgumentParserImpl.printUsage: the arguments outside the group, then "(--record-size ... | --payload-file ...)". */
function usageLines(): string[] {
  const head = `usage: ${PROG}`;
  const opts = ARGS.filter((a) => a.payload !== true).map((a) => shortSyntax(a, true));
  const group = ARGS.filter((a) => a.payload === true).map((a) => shortSyntax(a, false));
  opts.push(`(${group[0]}`, '|', `${group[1]})`);
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (const [i, syntax] of opts.entries()) {
    if (i > 0 && line.length + syntax.length + 1 > FORMAT_WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += ` ${syntax}`;
  }
  lines.push(line);
  return lines;
}

/** TextHelper.printHelp: the title, then the help text from column 25 (on the next line for a long title). */
function argumentHelp(spec: ArgSpec): string[] {
  const title = spec.arity === 'help' ? '-h, --help' : metavarOf(spec) === '' ? spec.flags[0]! : `${spec.flags[0]} ${metavarOf(spec)}`;
  const help = spec.defaultValue === undefined ? spec.help : `${spec.help} (default: ${spec.defaultValue})`;
  const wrapped = wrapText(help, FORMAT_WIDTH, HELP_INDENT, ' '.repeat(HELP_INDENT));
  if (title.length <= HELP_INDENT - 4) return [`  ${title.padEnd(HELP_INDENT - 2)}${wrapped[0]}`, ...wrapped.slice(1)];
  return [`  ${title}`, ' '.repeat(HELP_INDENT) + wrapped[0], ...wrapped.slice(1)];
}

/** ArgumentParserImpl.printHelp with defaultHelp(true). */
function helpLines(): string[] {
  return [
    ...usageLines(),
    '',
    ...wrapText(DESCRIPTION, FORMAT_WIDTH, 0, ''),
    '',
    'optional arguments:',
    ...ARGS.filter((a) => a.payload !== true).flatMap(argumentHelp),
    '',
    ...wrapText(PAYLOAD_GROUP_DESCRIPTION, FORMAT_WIDTH, 2, '  ').map((l, i) => (i === 0 ? `  ${l}` : l)),
    '',
    ...ARGS.filter((a) => a.payload === true).flatMap(argumentHelp),
  ];
}

// ---------------------------------------------------------------------------------------------
// argparse4j's parse

/** An ArgumentParserException; `candidates` is the "Did you mean" list of an unrecognized flag. */
class ArgumentError extends Error {
  constructor(
    message: string,
    readonly candidates: readonly string[] = [],
  ) {
    super(message);
  }
}

class HelpRequested extends Error {}

type Parsed = Map<string, string | string[] | true>;

/** A term argparse4j treats as a flag: starts with '-', and is not a negative number. */
function isFlag(term: string | undefined): boolean {
  return term !== undefined && term.length > 1 && term.startsWith('-') && !/^-(\d+|\d*\.\d+)$/.test(term);
}

/** The weighted Damerau-Levenshtein distance argparse4j borrowed from git (swap 0, sub 2, add 1, del 4). */
function levenshtein(a: string, b: string): number {
  const [swap, sub, add, del] = [0, 2, 1, 4];
  let rows = [new Array<number>(b.length + 1).fill(0), Array.from({ length: b.length + 1 }, (_, i) => i), new Array<number>(b.length + 1).fill(0)];
  for (let i = 1; i <= a.length; i++) {
    const [cur, prev, prev2] = rows as [number[], number[], number[]];
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : sub);
      if (i >= 2 && j >= 2 && a[i - 1] !== b[j - 1] && a[i - 2] === b[j - 1] && a[i - 1] === b[j - 2]) cur[j] = Math.min(cur[j]!, prev2[j - 2]! + swap);
      cur[j] = Math.min(cur[j]!, prev[j]! + del, cur[j - 1]! + add);
    }
    rows = [prev2, cur, prev];
  }
  return rows[1]![b.length]!;
}

/** printFlagCandidates: the closest flags of an unknown one (prefix matches count as distance 0). */
function flagCandidates(term: string): string[] {
  const body = term.replace(/^-+/, '');
  if (body.length < 2) return [];
  const scored = ARGS.flatMap((a) => a.flags)
    .map((flag) => ({ flag, body: flag.replace(/^-+/, '') }))
    .filter((f) => f.body.length > 1)
    .map((f) => ({ flag: f.flag, score: f.body.startsWith(body) ? 0 : levenshtein(body, f.body) }))
    .sort((x, y) => x.score - y.score || (x.flag < y.flag ? -1 : 1));
  const best = scored[0]?.score ?? CANDIDATE_THRESHOLD;
  return best >= CANDIDATE_THRESHOLD ? [] : scored.filter((s) => s.score === best).map((s) => s.flag);
}

/** resolveNextFlag: the exact flag, else the one flag it is a prefix of. */
function resolveFlag(flag: string): ArgSpec | undefined {
  const exact = ARGS.find((a) => a.flags.includes(flag));
  if (exact !== undefined) return exact;
  const candidates = ARGS.flatMap((a) => a.flags).filter((f) => f.startsWith(flag));
  if (candidates.length === 1) return ARGS.find((a) => a.flags.includes(candidates[0]!));
  if (candidates.length > 1) throw new ArgumentError(`ambiguous option: ${flag} could match ${[...candidates].sort().join(', ')}`);
  return undefined;
}

/** ReflectArgumentType: Long.valueOf / Integer.valueOf, with NumberFormatException's message. */
function convert(spec: ArgSpec, text: string): string {
  if (spec.type === 'String') return text;
  const bits = spec.type === 'Long' ? 63n : 31n;
  const valid = /^[+-]?\d+$/.test(text) && BigInt(text) >= -(1n << bits) && BigInt(text) < 1n << bits;
  if (!valid) throw new ArgumentError(`argument ${spec.flags[0]}: could not convert '${text}' to ${spec.type} (For input string: "${text}")`);
  return text;
}

function parseArgs(args: readonly string[]): Parsed {
  const parsed: Parsed = new Map();
  let payloadUsed: ArgSpec | null = null;
  for (let i = 0; i < args.length; i++) {
    const term = args[i]!;
    if (term === '--') continue;
    if (!isFlag(term)) throw new ArgumentError(`unrecognized arguments: '${args.slice(i).join(' ')}'`);
    const equals = term.indexOf('=');
    const flag = equals < 0 ? term : term.slice(0, equals);
    const embedded = equals < 0 ? undefined : term.slice(equals + 1);
    const spec = resolveFlag(flag);
    if (spec === undefined) throw new ArgumentError(`unrecognized arguments: '${term}'`, flagCandidates(term));
    if (spec.payload === true) {
      if (payloadUsed !== null && payloadUsed !== spec) throw new ArgumentError(`argument ${spec.flags[0]}: not allowed with argument ${payloadUsed.flags[0]}`);
      payloadUsed = spec;
    }
    if (spec.arity === 'help' || spec.arity === 'flag') {
      if (embedded !== undefined) throw new ArgumentError(`argument ${spec.flags.join('/')}: ignore implicit argument '${embedded}'`);
      if (spec.arity === 'help') throw new HelpRequested();
      parsed.set(spec.dest, true);
    } else if (spec.arity === 'one') {
      const value = embedded ?? (isFlag(args[i + 1]) ? undefined : args[i + 1]);
      if (value === undefined) throw new ArgumentError(`argument ${spec.flags[0]}: expected one argument`);
      if (embedded === undefined) i++;
      parsed.set(spec.dest, convert(spec, value));
    } else {
      const values: string[] = embedded !== undefined ? [embedded] : [];
      while (embedded === undefined && i + 1 < args.length && !isFlag(args[i + 1])) values.push(args[++i]!);
      if (values.length === 0) throw new ArgumentError(`argument ${spec.flags[0]}: expected 1 argument(s)`);
      parsed.set(spec.dest, values);
    }
  }
  // checkRequiredArgument keeps the last missing one; then the required group.
  const missing = ARGS.filter((a) => a.required === true && !parsed.has(a.dest)).at(-1);
  if (missing !== undefined) throw new ArgumentError(`argument ${missing.flags[0]} is required`);
  if (payloadUsed === null) throw new ArgumentError(`one of the arguments ${ARGS.filter((a) => a.payload === true).map((a) => a.flags[0]).join(' ')} is required`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// The run

/** An exception that escapes ProducerPerformance.main: the JVM prints it and exits 1. */
class JvmException extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

class Unsupported extends Error {}

interface PerfPlan {
  readonly topic: string;
  readonly numRecords: number;
  readonly recordSize: number | null;
  readonly payloads: readonly string[];
  readonly throughput: number;
  readonly props: Map<string, string>;
}

/** String.split(regex) as Java does it: trailing empty strings removed. */
function javaSplit(text: string, regex: string): string[] {
  const parts = text.split(new RegExp(regex));
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

/** readProps: --producer.config, then each --producer-props "k=v" (exactly two pieces, as Java's split). */
function readProps(context: ToolContext, parsed: Parsed): Map<string, string> {
  const file = parsed.get('producerConfigFile') as string | undefined;
  const props = file !== undefined ? loadProps(context, file) : new Map<string, string>();
  for (const prop of (parsed.get('producerConfig') as string[] | undefined) ?? []) {
    const pieces = javaSplit(prop, '=');
    if (pieces.length !== 2) throw new JvmException('java.lang.IllegalArgumentException', `Invalid property: ${prop}`);
    props.set(pieces[0]!, pieces[1]!);
  }
  if (!props.has('client.id')) props.set('client.id', 'perf-producer-client');
  return props;
}

/** readPayloadFile: the payloads of --payload-file, split at --payload-delimiter (a regex, as Java's split). */
function readPayloads(context: ToolContext, parsed: Parsed): string[] {
  const path = parsed.get('payloadFile') as string | undefined;
  if (path === undefined) return [];
  const delimiterArg = parsed.get('payloadDelimiter') as string | undefined;
  const delimiter = delimiterArg === undefined || delimiterArg === '\\n' ? '\n' : delimiterArg;
  context.output.out(`Reading payloads from: ${path}`);
  let text: string;
  try {
    text = context.files.read(path);
  } catch (error) {
    if (error instanceof ConsoleFileError) throw new JvmException('java.lang.IllegalArgumentException', 'File does not exist or empty file provided.');
    throw error;
  }
  if (text === '') throw new JvmException('java.lang.IllegalArgumentException', 'File does not exist or empty file provided.');
  const payloads = javaSplit(text, delimiter);
  context.output.out(`Number of messages read: ${payloads.length}`);
  return payloads;
}

/**
 * What 3.7's Stats constructor and payload array do with a non-positive count or size (3.7 has no
 * check of its own): / by zero for 0 records, a negative array size below -1, and so on.
 */
function checkSizes(numRecords: number, recordSize: number | null): void {
  if (recordSize !== null && recordSize < 0) throw new JvmException('java.lang.NegativeArraySizeException', String(recordSize));
  if (numRecords === 0) throw new JvmException('java.lang.ArithmeticException', '/ by zero');
  if (numRecords < -1) throw new JvmException('java.lang.NegativeArraySizeException', String(numRecords + 1));
  if (numRecords === -1) throw new JvmException('java.lang.ArrayIndexOutOfBoundsException', 'Index 0 out of bounds for length 0');
}

function plan(context: ToolContext, parsed: Parsed): PerfPlan {
  const file = parsed.get('producerConfigFile');
  if (!parsed.has('producerConfig') && file === undefined) throw new ArgumentError('Either --producer-props or --producer.config must be specified.');
  const payloads = readPayloads(context, parsed);
  const props = readProps(context, parsed);
  const numRecords = Number(parsed.get('numRecords'));
  const recordSize = parsed.has('recordSize') ? Number(parsed.get('recordSize')) : null;
  if (Number(parsed.get('transactionDurationMs') ?? '0') > 0) throw new Unsupported("Transactions (--transaction-duration-ms) are not supported by this lab's producer.");
  if (props.has('transactional.id')) throw new Unsupported("Transactions (transactional.id) are not supported by this lab's producer.");
  checkSizes(numRecords, recordSize);
  if (numRecords > consoleClientLimits.perfRecordsMax) throw new Unsupported(`--num-records is limited to ${consoleClientLimits.perfRecordsMax} in this lab.`);
  if (recordSize !== null && recordSize > consoleClientLimits.perfRecordSizeBytesMax) throw new Unsupported(`--record-size is limited to ${consoleClientLimits.perfRecordSizeBytesMax} bytes in this lab.`);
  return { topic: parsed.get('topic') as string, numRecords, recordSize, payloads, throughput: Number(parsed.get('throughput')), props };
}

/** ProducerPerformance.Stats, on engine time. */
class Stats {
  private readonly startMs: number;
  private readonly sampling: number;
  private readonly latencies: number[] = [];
  private iteration = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
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

  /** PerfCallback.onCompletion of a successful send: record(), then iteration++. */
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
    if (nowMs - this.windowStartMs >= REPORTING_INTERVAL_MS) {
      this.printWindow(nowMs);
      this.newWindow(nowMs);
    }
    this.iteration++;
  }

  private printWindow(nowMs: number): void {
    const elapsed = nowMs - this.windowStartMs;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / MB;
    this.print(
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.`,
    );
  }

  private newWindow(nowMs: number): void {
    this.windowStartMs = nowMs;
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  /** printTotal, as 3.7 formats it ("%f records/sec"); percentiles index (int)(p * samples) of the sorted samples. */
  printTotal(nowMs: number): void {
    const elapsed = nowMs - this.startMs;
    const recsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / MB;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const perc = (p: number): number => sorted[Math.floor(p * sorted.length)] ?? 0;
    this.print(
      `${this.count} records sent, ${javaFixed(recsPerSec, 6)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${perc(0.5)} ms 50th, ${perc(0.95)} ms 95th, ${perc(0.99)} ms 99th, ${perc(0.999)} ms 99.9th.`,
    );
  }
}

/** generateRandomPayload: --record-size random uppercase letters (from the engine's prng), or one of the file's payloads. */
function payloadOf(context: ToolContext, p: PerfPlan): string {
  const prng = context.engine.prng;
  if (p.payloads.length > 0) return p.payloads[prng.nextInt(p.payloads.length)]!;
  let text = '';
  for (let start = 0; start < p.recordSize!; start += PAYLOAD_CHUNK_CHARS) {
    const codes = new Array<number>(Math.min(PAYLOAD_CHUNK_CHARS, p.recordSize! - start));
    for (let j = 0; j < codes.length; j++) codes[j] = 65 + prng.nextInt(26);
    text += String.fromCharCode(...codes);
  }
  return text;
}

/** The wait before the next send so that send #sent is not earlier than start + sent / throughput s. */
function throttleDelayMs(throughput: number, sent: number, startMs: number, nowMs: number): number {
  if (throughput < 0) return 0;
  const dueMs = startMs + (sent * 1000) / Math.max(throughput, Number.MIN_VALUE);
  return Math.max(0, Math.ceil(dueMs - nowMs));
}

/** Sends the records, throttled and with buffer.memory's back-pressure; resolves once all were handed to the producer. */
async function sendAll(context: ToolContext, p: PerfPlan, producer: KafkaProducer<string | null, string | null>, stats: Stats): Promise<void> {
  const clock = context.engine.clock;
  const bufferBytes = producer.config.bufferMemoryBytes;
  let inFlightBytes = 0;
  let wakeCompletion: (() => void) | null = null;
  const startMs = clock.nowMs();
  for (let i = 0; i < p.numRecords; i++) {
    const value = payloadOf(context, p);
    const bytes = new TextEncoder().encode(value).length;
    // Java's send() blocks on a full buffer.memory: wait for acknowledgements to free it.
    while (inFlightBytes > 0 && inFlightBytes + bytes > bufferBytes) await new Promise<void>((resolve) => (wakeCompletion = resolve));
    const sendStartMs = clock.nowMs();
    inFlightBytes += bytes;
    producer.send({ topic: p.topic, value }, (_metadata, error) => {
      inFlightBytes -= bytes;
      const wake = wakeCompletion;
      wakeCompletion = null;
      wake?.();
      if (error === null) stats.record(clock.nowMs() - sendStartMs, bytes, clock.nowMs());
      else context.output.err(throwableLine(error));
    });
    const delayMs = throttleDelayMs(p.throughput, i + 1, startMs, clock.nowMs());
    if (delayMs > 0) await sleepMs(context, delayMs);
  }
}

async function runPerf(context: ToolContext, p: PerfPlan, printMetrics: boolean): Promise<number> {
  const { config, warnings } = producerConfigOf(p.props);
  for (const warning of warnings) context.output.err(log4jLine(context.engine.clock.nowMs(), 'WARN', warning, 'org.apache.kafka.clients.producer.ProducerConfig'));
  const producer = context.engine.producer(config as ProducerConfigInput);
  const stats = new Stats(p.numRecords, context.engine.clock.nowMs(), (line) => context.output.out(line));
  await sendAll(context, p, producer, stats);
  if (printMetrics) await producer.flush();
  else await producer.close();
  stats.printTotal(context.engine.clock.nowMs());
  if (printMetrics) {
    context.output.err('--print-metrics: printing the producer metrics is not supported by this lab; the summary line above is complete.');
    await producer.close();
  }
  return 0;
}

/** parser.handleError: the usage, the wrapped error line and any "Did you mean" candidates, on stderr. */
function printArgumentError(context: ToolContext, error: ArgumentError): number {
  for (const line of usageLines()) context.output.err(line);
  for (const line of wrapText(`${PROG}: error: ${error.message}`, FORMAT_WIDTH, 0, '')) context.output.err(line);
  if (error.candidates.length > 0) {
    context.output.err('');
    context.output.err('Did you mean:');
    for (const candidate of error.candidates) context.output.err(`\t${candidate}`);
  }
  return 1;
}

/** What escapes main: printStackTrace's first line after the JVM's "Exception in thread" prefix. */
function uncaughtLine(error: unknown): string | null {
  if (error instanceof JvmException) return `${error.javaClass}: ${error.message}`;
  if (error instanceof ConsoleFileError) return fileErrorLine(error);
  if (error instanceof ClientConfigError || typeof (error as { exceptionName?: unknown }).exceptionName === 'string') return throwableLine(error);
  return null;
}

export const kafkaProducerPerfTest: ConsoleTool = {
  name: 'kafka-producer-perf-test',
  async run(args, context) {
    try {
      const parsed = parseArgs(args);
      return await runPerf(context, plan(context, parsed), parsed.has('printMetrics'));
    } catch (error) {
      if (error instanceof HelpRequested) {
        for (const line of helpLines()) context.output.out(line);
        return 1;
      }
      if (error instanceof ArgumentError) {
        if (args.length > 0) return printArgumentError(context, error);
        for (const line of helpLines()) context.output.out(line);
        return 0;
      }
      if (error instanceof Unsupported) {
        context.output.err(error.message);
        return 1;
      }
      const line = uncaughtLine(error);
      if (line === null) throw error;
      context.output.err(`Exception in thread "main" ${line}`);
      return 1;
    }
  },
};
