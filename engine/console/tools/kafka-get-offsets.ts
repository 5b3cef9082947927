/**
 * kafka-get-offsets (GetOffsetShell), as Apache Kafka 3.7.0 runs it: one `topic:partition:offset`
 * line per matching partition, sorted by the string "topic-partition" (as its TreeMap compares
 * TopicPartition.toString, so t-10 comes before t-2); a partition whose offset is unknown (no record
 * at or after the --time, or an empty partition for max-timestamp) prints nothing.
 *
 * Facts kept: no arguments → usage; a jopt-simple failure (unknown option, missing
 * --bootstrap-server unless --broker-list) and every TerseException print "Error occurred: <msg>" on
 * stderr, exit 1; --time takes latest/-1, earliest/-2, max-timestamp/-3 or a timestamp in ms;
 * --topic is a regular expression (whole name), --partitions a list of ids; --topic-partitions
 * rules `regex:N`, `regex:N-M` (upper exclusive), `regex:N-`, `regex:-M`; internal topics are
 * included unless --exclude-internal-topics.
 *
 * Invariants: read-only (only queries); scans by timestamp are bounded by offsetToolLimits.
 */
import type { OptionSpec, ParsedOptions } from '../options.js';
import { OptionError, parseOptions } from '../options.js';
import type { ConsoleTool, ToolContext } from '../tool-context.js';
import { maxTimestampOffset, offsetForTimestamp, topicOffsets, type TopicPartition } from './group-offsets.js';
import { printUsageAndExit, runTool, ToolExit, withDefaultOptions } from './tool-support.js';

const TOPIC_PARTITION_PATTERN = '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?';
const INT_MAX = 2_147_483_647;

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.', argument: 'String: HOST1:PORT1,...,HOST3:PORT3' },
  { name: 'bootstrap-server', description: 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.', argument: 'String: HOST1:PORT1,...,HOST3:PORT3' },
  {
    name: 'topic-partitions',
    description: `Comma separated list of topic-partition patterns to get the offsets for, with the format of '${TOPIC_PARTITION_PATTERN}'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.`,
    argument: 'String: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
  },
  { name: 'topic', description: 'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.', argument: 'String: topic' },
  { name: 'partitions', description: 'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.', argument: 'String: partition ids' },
  { name: 'time', description: 'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]', argument: 'String: <timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp', defaultValue: 'latest' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', argument: 'String: config file' },
  { name: 'exclude-internal-topics', description: 'By default, internal topics are included. If specified, internal topics are excluded.' },
]);

export const kafkaGetOffsetsTool: ConsoleTool = {
  name: 'kafka-get-offsets',
  run: (args, context) => runTool(context, () => runGetOffsets(args, context)),
};

/** GetOffsetShell's TerseException: "Error occurred: <message>" and exit 1. */
class Terse extends Error {}

type OffsetSpecKind = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'max-timestamp' } | { kind: 'timestamp'; timestampMs: number };
type Filter = (tp: TopicPartition) => boolean;
interface Rule {
  readonly topic: RegExp;
  readonly partition: (p: number) => boolean;
}

async function runGetOffsets(args: readonly string[], context: ToolContext): Promise<number> {
  if (args.length === 0) printUsageAndExit(context, SPECS, 'An interactive shell for getting topic-partition offsets.');
  try {
    const options = parseShellOptions(args, context);
    const lines = await fetchOffsets(options, context);
    for (const line of lines) context.output.out(line);
    return 0;
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    context.output.err(`Error occurred: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function parseShellOptions(args: readonly string[], context: ToolContext): ParsedOptions {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, SPECS);
  } catch (error) {
    if (error instanceof OptionError) throw new Terse(error.message);
    throw error;
  }
  if (options.has('help')) printUsageAndExit(context, SPECS, 'An interactive shell for getting topic-partition offsets.');
  if (options.has('version')) {
    context.output.out('3.7.0');
    throw new ToolExit(0);
  }
  // requiredUnless("broker-list"), checked by jopt-simple while parsing.
  if (!options.has('bootstrap-server') && !options.has('broker-list')) throw new Terse('Missing required option(s) [bootstrap-server]');
  const servers = options.value('bootstrap-server') ?? options.value('broker-list')!;
  if (!validBootstrap(servers)) {
    context.output.err('Please provide valid host:port like host1:9091,host2:9092');
    printUsageAndExit(context, SPECS, '');
  }
  return options;
}

/** ToolsUtils.validateBootstrapServer: every comma-separated entry has a port (Utils.getPort). */
function validBootstrap(servers: string): boolean {
  if (servers.trim() === '') return false;
  return servers.split(',').every((entry) => /^.+:\d+$/.test(entry) && !entry.endsWith(':'));
}

async function fetchOffsets(options: ParsedOptions, context: ToolContext): Promise<string[]> {
  if (options.has('topic-partitions') && (options.has('topic') || options.has('partitions'))) throw new Terse('--topic-partitions cannot be used with --topic or --partitions');
  const spec = offsetSpecOf(options.value('time') ?? 'latest');
  const filter = options.has('topic-partitions') ? ruleListFilter(options.value('topic-partitions')!) : topicAndPartitionsFilter(options.value('topic'), options.value('partitions'));
  const { topics } = await context.engine.query('listTopics', { includeInternal: !options.has('exclude-internal-topics') });
  const partitions: TopicPartition[] = [];
  for (const topic of topics) {
    if (!filter.topic(topic)) continue;
    for (const p of await topicOffsets(context.engine, topic)) if (filter.partition(p)) partitions.push({ topic, partition: p.partition });
  }
  if (partitions.length === 0) throw new Terse('Could not match any topic-partitions with the specified filters');
  const found: { key: string; line: string }[] = [];
  for (const tp of partitions) {
    const offset = await offsetOf(context, tp, spec);
    if (offset !== null) found.push({ key: `${tp.topic}-${tp.partition}`, line: `${tp.topic}:${tp.partition}:${offset}` });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((f) => f.line);
}

async function offsetOf(context: ToolContext, tp: TopicPartition, spec: OffsetSpecKind): Promise<number | null> {
  if (spec.kind === 'timestamp') return offsetForTimestamp(context.engine, tp, spec.timestampMs);
  if (spec.kind === 'max-timestamp') return (await maxTimestampOffset(context.engine, tp))?.offset ?? null;
  const bounds = (await topicOffsets(context.engine, tp.topic)).find((p) => p.partition === tp.partition);
  if (bounds === undefined) return null;
  return spec.kind === 'earliest' ? bounds.logStartOffset : bounds.highWatermark;
}

/** parseOffsetSpec: the names, -1/-2/-3, or a timestamp (Long.parseLong). */
function offsetSpecOf(time: string): OffsetSpecKind {
  if (time === 'earliest' || time === '-2') return { kind: 'earliest' };
  if (time === 'latest' || time === '-1') return { kind: 'latest' };
  if (time === 'max-timestamp' || time === '-3') return { kind: 'max-timestamp' };
  if (!/^[+-]?\d+$/.test(time) || !Number.isSafeInteger(Number(time))) {
    throw new Terse(`Malformed time argument ${time}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp, or a specified long format timestamp`);
  }
  return { kind: 'timestamp', timestampMs: Number(time) };
}

/** --topic (IncludeList regex, all topics without it) and --partitions (ids, all without it). */
function topicAndPartitionsFilter(topic: string | undefined, partitionIds: string | undefined): { topic: (t: string) => boolean; partition: Filter } {
  const regex = includeList(topic ?? '.*');
  let ids: Set<number> | null = null;
  if (partitionIds !== undefined && partitionIds !== '') {
    const parts = partitionIds.split(',');
    if (parts.some((p) => !/^[+-]?\d+$/.test(p) || Math.abs(Number(p)) > INT_MAX)) {
      throw new Terse(`--partitions expects a comma separated list of numeric partition ids, but received: ${partitionIds}`);
    }
    ids = new Set(parts.map(Number));
  }
  return { topic: (t) => regex.test(t), partition: (tp) => ids === null || ids.has(tp.partition) };
}

/** --topic-partitions: any rule allowing the topic, then any rule allowing the partition (CompositeTopicPartitionFilter). */
function ruleListFilter(text: string): { topic: (t: string) => boolean; partition: Filter } {
  const rules = text.split(',').map(parseRule);
  return { topic: (t) => rules.some((r) => r.topic.test(t)), partition: (tp) => rules.some((r) => r.topic.test(tp.topic) && r.partition(tp.partition)) };
}

function parseRule(spec: string): Rule {
  const m = new RegExp(`^${TOPIC_PARTITION_PATTERN}$`).exec(spec);
  if (m === null) throw new Terse(`Invalid rule specification: ${spec}`);
  const group = (i: number): string | null => (m[i] === undefined || m[i] === '' ? null : m[i]!);
  const topic = includeList(group(1) ?? '.*');
  if (group(2) !== null) {
    const only = Number(group(2));
    return { topic, partition: (p) => p === only };
  }
  const lower = group(3) === null ? 0 : Number(group(3));
  const upper = group(4) === null ? INT_MAX : Number(group(4));
  return { topic, partition: (p) => p >= lower && p < upper };
}

/** IncludeList: ',' read as '|', spaces and surrounding quotes dropped, whole-name match. */
function includeList(pattern: string): RegExp {
  const cleaned = pattern.trim().replaceAll(',', '|').replaceAll(' ', '').replace(/^["']+/, '').replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${cleaned})$`);
  } catch {
    throw new Terse(`Invalid regular expression: ${pattern}`);
  }
}
