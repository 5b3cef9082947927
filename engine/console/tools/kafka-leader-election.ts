/**
 * kafka-leader-election, as Apache Kafka 3.7's org.apache.kafka.tools.LeaderElectionCommand runs it:
 * --election-type preferred|unclean (case-insensitive, jopt-simple's EnumConverter) for --topic t
 * --partition p, --all-topic-partitions, or --path-to-json-file {"partitions":[{"topic":..,"partition":..}]}.
 *
 * Output (stdout), partitions printed as TopicPartition.toString ("t-0"), sorted (Kafka prints a
 * HashSet, in no set order):
 *   Successfully completed leader election (PREFERRED) for partitions t-0, t-1
 *   Valid replica already elected for partitions t-2
 *   Error completing leader election (PREFERRED) for partition: t-3: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.
 * then, when any failed, "N replica(s) could not be elected" and the AdminCommandFailedException on
 * stderr. Every failure (options, validation, JSON) prints its message and the exception (one line:
 * the stack trace's first) on stderr and exits 1 — as 3.7.1+ does (KAFKA-16410: 3.7.0's main forgot
 * the exit code and ended 0 even on failure; the workbench keeps the fixed behaviour so scripts and
 * the CLI see the failure).
 *
 * The controller's rules (ReplicationControlManager.electLeader): PREFERRED is not needed when the
 * leader is the first replica; UNCLEAN is not needed while the partition has a leader; with
 * --all-topic-partitions (every topic, internal ones too) the partitions that need nothing are left
 * out of the result, so nothing is printed for them.
 *
 * Invariants: the partitions one run names are bounded by consoleLineLimits.electionPartitionsMax;
 * option and JSON errors are found before the first election.
 */
import { defaultMessageOf } from '../../core/kafka-error-info.js';
import type { ClusterStatus } from '../../api/dto.js';
import { consoleLineLimits } from '../console-limits.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import { ConsoleCallError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import { failureOf, kafkaExceptionClass, maybePrintHelpOrVersion, parseToolOptions, runTool, ToolExit, ToolFailure, withDefaultOptions } from './tool-support.js';

const ADMIN_COMMAND_FAILED = 'org.apache.kafka.server.common.AdminCommandFailedException';
const ADMIN_OPERATION = 'org.apache.kafka.server.common.AdminOperationException';
const HELP_MESSAGE = 'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.';

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'bootstrap-server', description: 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.', argument: 'String: host:port' },
  { name: 'admin.config', description: 'Configuration properties files to pass to the admin client', argument: 'String: config file' },
  {
    name: 'path-to-json-file',
    description:
      'The JSON file with the list  of partition for which leader elections should be performed. This is an example format. {"partitions": [{"topic": "foo", "partition": 1}, {"topic": "foobar", "partition": 2}] } Not allowed if --all-topic-partitions or --topic flags are specified.',
    argument: 'String: Path to JSON file',
  },
  { name: 'topic', description: 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.', argument: 'String: topic name' },
  { name: 'partition', description: 'Partition id for which to perform an election. REQUIRED if --topic is specified.', argument: 'Integer: partition id' },
  { name: 'all-topic-partitions', description: 'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.' },
  {
    name: 'election-type',
    description:
      'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.',
    argument: '[PREFERRED, UNCLEAN]: election type',
  },
]);

type ElectionType = 'PREFERRED' | 'UNCLEAN';

interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One partition's outcome: elected, nothing needed, or the error the controller answered. */
type Outcome = { readonly kind: 'elected' } | { readonly kind: 'noop' } | { readonly kind: 'failed'; readonly errorName: string; readonly message: string };

export const kafkaLeaderElectionTool: ConsoleTool = {
  name: 'kafka-leader-election',
  run: (args, context) => runTool(context, () => runElection(args, context)),
};

async function runElection(args: readonly string[], context: ToolContext): Promise<number> {
  const options = parseToolOptions(context, args, SPECS, 'java');
  maybePrintHelpOrVersion(context, args, options, SPECS, HELP_MESSAGE);
  try {
    validate(options);
    const electionType = electionTypeOf(options);
    const named = options.has('path-to-json-file') ? partitionsFromJson(context.files.read(options.value('path-to-json-file')!)) : singlePartition(options);
    const status = await context.engine.query('clusterStatus', {});
    const partitions = named ?? allPartitions(status);
    const results = new Map<string, Outcome>();
    for (const tp of partitions) {
      const outcome = await elect(tp, electionType, status, context);
      // With --all-topic-partitions the controller leaves out the partitions that need no election.
      if (named !== undefined || outcome.kind !== 'noop') results.set(`${tp.topic}-${tp.partition}`, outcome);
    }
    printResults(electionType, results, context);
    return 0;
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    // mainNoExit: the message, then the stack trace (its first line) on stderr.
    const { exceptionClass, message } = failureOf(error);
    context.output.err(message);
    context.output.err(`${exceptionClass}: ${message}`);
    return 1;
  }
}

/** LeaderElectionCommandOptions.validate, in its order. */
function validate(options: ParsedOptions): void {
  const missing = ['bootstrap-server', 'election-type'].filter((o) => !options.has(o));
  if (missing.length > 0) throw new ToolFailure(ADMIN_COMMAND_FAILED, `Missing required option(s): ${missing.join(', ')}`);
  const exclusive = ['topic', 'all-topic-partitions', 'path-to-json-file'];
  if (exclusive.filter((o) => options.has(o)).length !== 1) {
    throw new ToolFailure(ADMIN_COMMAND_FAILED, `One and only one of the following options is required: ${exclusive.join(', ')}`);
  }
  if (options.has('topic') && !options.has('partition')) throw new ToolFailure(ADMIN_COMMAND_FAILED, 'Missing required option(s): partition');
  if (!options.has('topic') && options.has('partition')) throw new ToolFailure(ADMIN_COMMAND_FAILED, 'Option partition is only allowed if topic is used');
}

/** EnumConverter: the enum's names, case-insensitively; a failure surfaces as jopt-simple's conversion error. */
function electionTypeOf(options: ParsedOptions): ElectionType {
  const text = options.value('election-type')!;
  const upper = text.toUpperCase();
  if (upper === 'PREFERRED' || upper === 'UNCLEAN') return upper;
  throw new ToolFailure('joptsimple.OptionArgumentConversionException', `Cannot parse argument '${text}' of option election-type`);
}

function singlePartition(options: ParsedOptions): TopicPartition[] | undefined {
  if (!options.has('topic')) return undefined;
  const text = options.value('partition')!;
  const partition = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(partition) || partition > 2_147_483_647 || partition < -2_147_483_648) {
    throw new ToolFailure('joptsimple.OptionArgumentConversionException', `Cannot parse argument '${text}' of option partition`);
  }
  return [{ topic: options.value('topic')!, partition }];
}

/** parseReplicaElectionData, with its messages. */
function partitionsFromJson(text: string): TopicPartition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Json.parseFull answers an unparsable file with "nothing", which the tool reports as empty.
    throw new ToolFailure(ADMIN_OPERATION, 'Replica election data is empty');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw mappingError(`Expected JSON object, received ${JSON.stringify(json)}`);
  const list = (json as Record<string, unknown>)['partitions'];
  if (list === undefined) throw new ToolFailure(ADMIN_OPERATION, 'Replica election data is missing "partitions" field');
  if (!Array.isArray(list)) throw mappingError(`Expected JSON array, received ${JSON.stringify(list)}`);
  if (list.length > consoleLineLimits.electionPartitionsMax) throw new ToolFailure(ADMIN_OPERATION, `More than ${consoleLineLimits.electionPartitionsMax} partitions in the replica election data.`);
  const partitions = list.map((item: unknown): TopicPartition => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw mappingError(`Expected JSON object, received ${JSON.stringify(item)}`);
    const fields = item as Record<string, unknown>;
    const topic = fields['topic'];
    const partition = fields['partition'];
    if (topic === undefined) throw mappingError('No such field exists: `topic`');
    if (partition === undefined) throw mappingError('No such field exists: `partition`');
    if (typeof topic !== 'string') throw mappingError(`Expected \`String\` value, received ${JSON.stringify(topic)}`);
    if (typeof partition !== 'number' || !Number.isInteger(partition)) throw mappingError(`Expected \`Integer\` value, received ${JSON.stringify(partition)}`);
    return { topic, partition };
  });
  const keys = partitions.map((tp) => `${tp.topic}-${tp.partition}`);
  const duplicates = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  if (duplicates.length > 0) throw new ToolFailure(ADMIN_OPERATION, `Replica election data contains duplicate partitions: [${duplicates.join(', ')}]`);
  return partitions;
}

/** DecodeJson's JsonMappingException, wrapped by the tool in a RuntimeException whose message is the cause's toString. */
function mappingError(message: string): ToolFailure {
  return new ToolFailure('java.lang.RuntimeException', `com.fasterxml.jackson.databind.JsonMappingException: ${message}`);
}

/** Every partition of every topic (internal ones too), as the controller walks them for a null partition set. */
function allPartitions(status: ClusterStatus): TopicPartition[] {
  const partitions = [...status.topics]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((t) => [...t.partitions].sort((a, b) => a.partition - b.partition).map((p) => ({ topic: t.name, partition: p.partition })));
  return partitions.slice(0, consoleLineLimits.electionPartitionsMax);
}

/** ReplicationControlManager.electLeader's answer for one partition, then the election through the contract. */
async function elect(tp: TopicPartition, type: ElectionType, status: ClusterStatus, context: ToolContext): Promise<Outcome> {
  const topic = status.topics.find((t) => t.name === tp.topic);
  if (topic === undefined) return { kind: 'failed', errorName: 'UNKNOWN_TOPIC_OR_PARTITION', message: `No such topic as ${tp.topic}` };
  const partition = topic.partitions.find((p) => p.partition === tp.partition);
  if (partition === undefined) return { kind: 'failed', errorName: 'UNKNOWN_TOPIC_OR_PARTITION', message: `No such partition as ${tp.topic}-${tp.partition}` };
  if (type === 'PREFERRED' ? partition.leader === partition.replicas[0] : partition.leader !== null) return { kind: 'noop' };
  try {
    await context.engine.command('electLeaders', { topic: tp.topic, partition: tp.partition, electionType: type === 'PREFERRED' ? 'preferred' : 'unclean' });
    return { kind: 'elected' };
  } catch (error) {
    if (!(error instanceof ConsoleCallError)) throw error;
    // The engine says which replica could not lead; Kafka's controller answers with the bare error.
    if (error.errorName === 'LEADER_NOT_AVAILABLE') {
      const errorName = type === 'PREFERRED' ? 'PREFERRED_LEADER_NOT_AVAILABLE' : 'ELIGIBLE_LEADERS_NOT_AVAILABLE';
      return { kind: 'failed', errorName, message: ELECTION_MESSAGES[errorName]! };
    }
    return { kind: 'failed', errorName: error.errorName, message: error.message };
  }
}

/** Errors.java's messages of the election errors (the clients' table in kafka-error-info does not carry them). */
const ELECTION_MESSAGES: Readonly<Record<string, string>> = {
  PREFERRED_LEADER_NOT_AVAILABLE: 'The preferred leader was not available.',
  ELIGIBLE_LEADERS_NOT_AVAILABLE: 'Eligible topic partition leaders are not available.',
};

function printResults(type: ElectionType, results: ReadonlyMap<string, Outcome>, context: ToolContext): void {
  const sorted = [...results.entries()].sort(([a], [b]) => comparePartitions(a, b));
  const succeeded = sorted.filter(([, o]) => o.kind === 'elected').map(([tp]) => tp);
  const noop = sorted.filter(([, o]) => o.kind === 'noop').map(([tp]) => tp);
  const failed = sorted.filter(([, o]) => o.kind === 'failed');
  if (succeeded.length > 0) context.output.out(`Successfully completed leader election (${type}) for partitions ${succeeded.join(', ')}`);
  if (noop.length > 0) context.output.out(`Valid replica already elected for partitions ${noop.join(', ')}`);
  if (failed.length === 0) return;
  for (const [tp, outcome] of failed) {
    if (outcome.kind !== 'failed') continue;
    const message = outcome.message === '' ? defaultMessageOrName(outcome.errorName) : outcome.message;
    context.output.out(`Error completing leader election (${type}) for partition: ${tp}: ${kafkaExceptionClass(outcome.errorName)}: ${message}`);
  }
  throw new ToolFailure(ADMIN_COMMAND_FAILED, `${failed.length} replica(s) could not be elected`);
}

function defaultMessageOrName(errorName: string): string {
  return ELECTION_MESSAGES[errorName] ?? defaultMessageOf(errorName as Parameters<typeof defaultMessageOf>[0]);
}

/** "topic-partition" keys ordered by topic, then partition number. */
function comparePartitions(a: string, b: string): number {
  const split = (key: string): [string, number] => {
    const dash = key.lastIndexOf('-');
    return [key.slice(0, dash), Number(key.slice(dash + 1))];
  };
  const [topicA, partitionA] = split(a);
  const [topicB, partitionB] = split(b);
  if (topicA !== topicB) return topicA < topicB ? -1 : 1;
  return partitionA - partitionB;
}
