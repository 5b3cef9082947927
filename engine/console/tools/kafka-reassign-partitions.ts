/**
 * kafka-reassign-partitions, as Apache Kafka 3.7.0's ReassignPartitionsCommand runs:
 *   --generate: "Current partition replica assignment" + JSON, a blank line, "Proposed partition
 *     reassignment configuration" + JSON (AdminUtils.assignReplicasToBrokers, non-rack-aware, with
 *     its random start index and shift drawn from the engine's prng);
 *   --execute: the rollback JSON ("Current partition replica assignment", blank, JSON, blank, "Save
 *     this to use as the --reassignment-json-file option during rollback"), with --throttle the
 *     --verify warning and "The inter-broker throttle limit was set to N B/s", then "Successfully
 *     started partition reassignment(s) for t-0,t-1";
 *   --verify: "Status of partition reassignment:" + one line per partition, then (nothing ongoing)
 *     the "Clearing broker-level / topic-level throttles" lines;
 *   --cancel, --list.
 * JSON is Kafka's compact shape: {"version":1,"partitions":[{"topic":..,"partition":..,
 * "replicas":[..],"log_dirs":["any",..]}]}. A failure prints "Error: <message>" (and the exception
 * line) on stdout, a TerseException its message alone; exit 1. The legacy --zookeeper of the
 * material is accepted with a note (tool-support).
 *
 * --throttle sets leader.replication.throttled.rate, which the workbench applies to reassignment
 * traffic cluster-wide (Kafka sets it on each broker of the move and names the throttled replicas per
 * topic); --verify clears it once no reassignment runs. log_dirs other than "any" are refused in one line.
 *
 * Invariants: every check (JSON, brokers, topics, partitions) runs before the contract command, so
 * bad input changes nothing; files are bounded by offsetToolLimits.jsonFileCharsMax and plans by
 * offsetToolLimits.reassignmentPartitionsMax.
 */
import { offsetToolLimits } from '../console-limits.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import type { ConsoleTool, ToolContext } from '../tool-context.js';
import { compareTp, tpString, type TopicPartition } from './group-offsets.js';
import { bootstrapServerOf, checkRequiredArgs, failureOf, maybePrintHelpOrVersion, parseToolOptions, printUsageAndExit, runTool, ToolExit, withDefaultOptions, ZOOKEEPER_SPEC } from './tool-support.js';

const HELP_TEXT = 'This tool helps to move topic partitions between replicas.';
const ANY_LOG_DIR = 'any';
const CANNOT_EXECUTE =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.';
const VERIFY_WARNING = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'verify', description: 'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed' },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'bootstrap-server', description: 'REQUIRED: the server(s) to use for bootstrapping.', argument: 'String: Server(s) to use for bootstrapping' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', argument: 'String: Admin client property file' },
  {
    name: 'reassignment-json-file',
    description:
      'The JSON file with the partition reassignment configurationThe format to use is - {"partitions": [{"topic": "foo", "partition": 1, "replicas": [1,2,3], "log_dirs": ["dir1","dir2","dir3"] }], "version":1} Note that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path is specified, the replica will be moved to the specified log directory on the broker.',
    argument: 'String: manual assignment json file path',
  },
  { name: 'topics-to-move-json-file', description: 'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - {"topics": [{"topic": "foo"},{"topic": "foo1"}], "version":1}', argument: 'String: topics to reassign json file path' },
  { name: 'broker-list', description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration', argument: 'String: brokerlist' },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  { name: 'throttle', description: 'The movement of partitions between brokers will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.', argument: 'Long: throttle', defaultValue: '-1' },
  { name: 'replica-alter-log-dirs-throttle', description: 'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.', argument: 'Long: replicaAlterLogDirsThrottle', defaultValue: '-1' },
  { name: 'timeout', description: 'The maximum time in ms to wait for log directory replica assignment to begin.', argument: 'Long: timeout', defaultValue: '10000' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change the throttle of an ongoing reassignment.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
  ZOOKEEPER_SPEC,
]);

const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];
const REQUIRED: Record<Action, string[]> = {
  verify: ['reassignment-json-file'],
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};
const PERMITTED: Record<Action, string[]> = {
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: ['additional', 'bootstrap-server', 'command-config', 'throttle', 'replica-alter-log-dirs-throttle', 'timeout'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

export const kafkaReassignPartitionsTool: ConsoleTool = {
  name: 'kafka-reassign-partitions',
  run: (args, context) => runTool(context, () => runReassign(args, context)),
};

/** Printed as its message alone (TerseException); any other failure prints "Error: <message>". */
class Terse extends Error {}
/** An exception of the tool with its Java class (AdminCommandFailedException...). */
class Failure extends Error {
  constructor(
    readonly exceptionClass: string,
    message: string,
  ) {
    super(message);
  }
}

interface Target {
  readonly tp: TopicPartition;
  readonly replicas: number[];
}

async function runReassign(args: readonly string[], context: ToolContext): Promise<number> {
  const options = parseToolOptions(context, args, SPECS);
  const action = validateArgs(args, options, context);
  try {
    if (action === 'generate') await generate(options, context);
    else if (action === 'execute') await execute(options, context);
    else if (action === 'verify') await verify(options, context);
    else if (action === 'cancel') await cancel(options, context);
    else await list(context);
    return 0;
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    if (error instanceof Terse) {
      context.output.out(error.message);
      return 1;
    }
    const failure = error instanceof Failure ? { exceptionClass: error.exceptionClass, message: error.message } : failureOf(error);
    context.output.out(`Error: ${failure.message}`);
    context.output.out(`${failure.exceptionClass}: ${failure.message}`);
    return 1;
  }
}

/** validateAndParseArgs: help/version, exactly one action, the bootstrap server, required and permitted options. */
function validateArgs(args: readonly string[], options: ParsedOptions, context: ToolContext): Action {
  maybePrintHelpOrVersion(context, args, options, SPECS, HELP_TEXT);
  const actions = ACTIONS.filter((a) => options.has(a));
  if (actions.length !== 1) printUsageAndExit(context, SPECS, `Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = actions[0]!;
  if (bootstrapServerOf(context, options, 'kafka-reassign-partitions') === undefined) printUsageAndExit(context, SPECS, 'Please specify --bootstrap-server');
  checkRequiredArgs(context, SPECS, options, ...REQUIRED[action]);
  for (const spec of SPECS) {
    const allowed = spec.name === action || spec.name === ZOOKEEPER_SPEC.name || REQUIRED[action].includes(spec.name) || PERMITTED[action].includes(spec.name);
    if (options.has(spec.name) && !allowed) printUsageAndExit(context, SPECS, `Option "[${spec.name}]" can't be used with action "[${action}]"`);
  }
  return action;
}

// ---------------------------------------------------------------------------------------------
// Actions

async function generate(options: ParsedOptions, context: ToolContext): Promise<void> {
  const topics = parseTopicsJson(readFile(context, options.value('topics-to-move-json-file')!));
  const brokers = parseBrokerList(options.value('broker-list')!);
  const duplicateTopics = duplicates(topics);
  if (duplicateTopics.length > 0) throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', `List of topics to reassign contains duplicate entries: ${duplicateTopics.join(',')}`);
  const current: Target[] = [];
  for (const topic of topics) {
    const status = await describe(context, topic);
    for (const p of status.partitions) current.push({ tp: { topic, partition: p.partition }, replicas: [...p.replicas] });
  }
  const { brokers: live } = await context.engine.query('clusterStatus', {});
  const known = brokers.filter((id) => live.some((b) => b.id === id)).sort((a, b) => a - b);
  const proposed: Target[] = [];
  for (const topic of topics) {
    const parts = current.filter((c) => c.tp.topic === topic);
    if (parts.length === 0) continue;
    const assigned = assignReplicasToBrokers(context, known, parts.length, parts[0]!.replicas.length);
    assigned.forEach((replicas, partition) => proposed.push({ tp: { topic, partition }, replicas }));
  }
  context.output.out('Current partition replica assignment');
  context.output.out(reassignmentJson(current));
  context.output.out('');
  context.output.out('Proposed partition reassignment configuration');
  context.output.out(reassignmentJson(proposed));
}

async function execute(options: ParsedOptions, context: ToolContext): Promise<void> {
  const targets = parseReassignmentJson(readFile(context, options.value('reassignment-json-file')!));
  checkTargets(targets);
  const { reassignments } = await context.engine.query('listReassignments', {});
  if (!options.has('additional') && reassignments.length > 0) throw new Terse(CANNOT_EXECUTE);
  const { brokers } = await context.engine.query('clusterStatus', {});
  const unknown = targets.flatMap((t) => t.replicas).find((id) => !brokers.some((b) => b.id === id));
  if (unknown !== undefined) throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', `Unknown broker id ${unknown}`);
  const current: Target[] = [];
  for (const target of targets) {
    const status = await describe(context, target.tp.topic);
    const partition = status.partitions.find((p) => p.partition === target.tp.partition);
    if (partition === undefined) throw new Failure('org.apache.kafka.common.errors.UnknownTopicOrPartitionException', `Unable to find partition: ${tpString(target.tp)}`);
    current.push({ tp: target.tp, replicas: [...partition.replicas] });
  }
  for (const line of ['Current partition replica assignment', '', reassignmentJson(current), '', 'Save this to use as the --reassignment-json-file option during rollback']) context.output.out(line);
  const throttle = longOption(context, options, 'throttle', -1);
  const logDirThrottle = longOption(context, options, 'replica-alter-log-dirs-throttle', -1);
  if (throttle >= 0 || logDirThrottle >= 0) {
    context.output.out(VERIFY_WARNING);
    if (throttle >= 0) context.output.out(`The inter-broker throttle limit was set to ${throttle} B/s`);
    if (logDirThrottle >= 0) context.output.out(`The replica-alter-dir throttle limit was set to ${logDirThrottle} B/s`);
  }
  // The workbench throttles reassignment traffic cluster-wide (leader.replication.throttled.rate on
  // every broker), which is what Kafka's tool sets on each broker of the move.
  if (throttle >= 1) await context.engine.command('alterBrokerConfigs', { set: { [THROTTLE_RATE]: String(throttle) } });
  await context.engine.command('reassignPartitions', { partitions: targets.map((t) => ({ topic: t.tp.topic, partition: t.tp.partition, replicas: t.replicas })) });
  const names = targets.map((t) => t.tp).sort(compareTp).map(tpString);
  context.output.out(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}`);
}

async function verify(options: ParsedOptions, context: ToolContext): Promise<void> {
  const targets = parseReassignmentJson(readFile(context, options.value('reassignment-json-file')!));
  const { reassignments } = await context.engine.query('listReassignments', {});
  const lines = ['Status of partition reassignment:'];
  for (const target of [...targets].sort((a, b) => compareTp(a.tp, b.tp))) {
    const moving = reassignments.find((r) => r.topic === target.tp.topic && r.partition === target.tp.partition);
    if (moving !== undefined) {
      lines.push(`Reassignment of partition ${tpString(target.tp)} is still in progress.`);
      continue;
    }
    const status = await describe(context, target.tp.topic);
    const replicas = status.partitions.find((p) => p.partition === target.tp.partition)?.replicas ?? [];
    lines.push(
      replicas.join(',') === target.replicas.join(',')
        ? `Reassignment of partition ${tpString(target.tp)} is completed.`
        : `There is no active reassignment of partition ${tpString(target.tp)}, but replica set is ${replicas.join(',')} rather than ${target.replicas.join(',')}.`,
    );
  }
  for (const line of lines) context.output.out(line);
  if (reassignments.length === 0 && !options.has('preserve-throttles')) await clearThrottles(context, targets);
}

async function cancel(options: ParsedOptions, context: ToolContext): Promise<void> {
  const targets = parseReassignmentJson(readFile(context, options.value('reassignment-json-file')!));
  const { reassignments } = await context.engine.query('listReassignments', {});
  const active = targets.map((t) => t.tp).filter((tp) => reassignments.some((r) => r.topic === tp.topic && r.partition === tp.partition));
  if (active.length > 0) {
    await context.engine.command('cancelReassignments', { partitions: active.map((tp) => ({ topic: tp.topic, partition: tp.partition })) });
    context.output.out(`Successfully cancelled partition reassignment${active.length === 1 ? '' : 's'} for: ${[...active].sort(compareTp).map(tpString).join(',')}`);
  } else {
    context.output.out('None of the specified partition reassignments are active.');
  }
  if (!options.has('preserve-throttles')) await clearThrottles(context, targets);
}

async function list(context: ToolContext): Promise<void> {
  const { reassignments } = await context.engine.query('listReassignments', {});
  if (reassignments.length === 0) {
    context.output.out('No partition reassignments found.');
    return;
  }
  context.output.out('Current partition reassignments:');
  for (const r of [...reassignments].sort(compareTp)) {
    const adding = r.addingReplicas.length === 0 ? '' : ` adding: ${r.addingReplicas.join(',')}.`;
    const removing = r.removingReplicas.length === 0 ? '' : ` removing: ${r.removingReplicas.join(',')}.`;
    context.output.out(`${r.topic}-${r.partition}: replicas: ${r.replicas.join(',')}.${adding}${removing}`);
  }
}

/** clearAllThrottles: every broker of the cluster and of the plan, every topic of the plan. */
async function clearThrottles(context: ToolContext, targets: readonly Target[]): Promise<void> {
  const { brokers } = await context.engine.query('clusterStatus', {});
  const ids = [...new Set([...brokers.map((b) => b.id), ...targets.flatMap((t) => t.replicas)])].sort((a, b) => a - b);
  const topics = [...new Set(targets.map((t) => t.tp.topic))];
  context.output.out(`Clearing broker-level throttles on broker${ids.length === 1 ? '' : 's'} ${ids.join(',')}`);
  context.output.out(`Clearing topic-level throttles on topic${topics.length === 1 ? '' : 's'} ${topics.join(',')}`);
  const configs = await context.engine.query('describeConfigs', { resource: { type: 'broker' } });
  if (configs.entries.some((e) => e.name === THROTTLE_RATE && e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG')) {
    await context.engine.command('alterBrokerConfigs', { remove: [THROTTLE_RATE] });
  }
}

/** The broker config Kafka's --throttle sets (and --verify clears once the move is done). */
const THROTTLE_RATE = 'leader.replication.throttled.rate';

// ---------------------------------------------------------------------------------------------
// Helpers

async function describe(context: ToolContext, topic: string) {
  try {
    return await context.engine.query('describeTopic', { name: topic });
  } catch (error) {
    const failure = failureOf(error);
    throw new Failure('java.util.concurrent.ExecutionException', `${failure.exceptionClass}: This server does not host this topic-partition.`);
  }
}

function readFile(context: ToolContext, path: string): string {
  let text: string;
  try {
    text = context.files.read(path);
  } catch (error) {
    const failure = failureOf(error);
    throw new Failure('java.nio.file.NoSuchFileException', failure.message);
  }
  if (text.length > offsetToolLimits.jsonFileCharsMax) throw new Failure('org.apache.kafka.server.common.AdminOperationException', `${path} is larger than ${offsetToolLimits.jsonFileCharsMax} characters.`);
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new Failure('org.apache.kafka.server.common.AdminOperationException', `com.fasterxml.jackson.core.JsonParseException: ${(error as Error).message}`);
  }
}

/** parsePartitionReassignmentData (version 1): partitions with topic, partition, replicas and optional log_dirs. */
export function parseReassignmentJson(text: string): Target[] {
  const json = parseJson(text);
  if (json instanceof Failure) throw json;
  const object = asObject(json);
  const version = object.version === undefined ? 1 : object.version;
  if (version !== 1) throw new Failure('org.apache.kafka.server.common.AdminOperationException', `Not supported version field value ${String(version)}`);
  const partitions = object.partitions === undefined ? [] : asArray(object.partitions);
  if (partitions.length > offsetToolLimits.reassignmentPartitionsMax) throw new Failure('org.apache.kafka.server.common.AdminOperationException', `More than ${offsetToolLimits.reassignmentPartitionsMax} partitions in one reassignment.`);
  return partitions.map((entry) => {
    const fields = asObject(entry);
    const topic = field(fields, 'topic', (v): v is string => typeof v === 'string');
    const partition = field(fields, 'partition', (v): v is number => Number.isInteger(v));
    const replicas = field(fields, 'replicas', (v): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x)));
    const logDirs = fields.log_dirs === undefined ? replicas.map(() => ANY_LOG_DIR) : field(fields, 'log_dirs', (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'));
    const tp = { topic, partition };
    if (logDirs.length !== replicas.length) {
      throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', `Size of replicas list [${replicas.join(', ')}] is different from size of log dirs list [${logDirs.join(', ')}] for partition ${tpString(tp)}`);
    }
    if (logDirs.some((d) => d !== ANY_LOG_DIR)) throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', 'The workbench keeps one log directory per broker: use "any" in log_dirs.');
    return { tp, replicas: [...replicas] };
  });
}

/** parseTopicsData (version 1): {"topics":[{"topic":"foo"}],"version":1}. */
function parseTopicsJson(text: string): string[] {
  const json = parseJson(text);
  if (json instanceof Failure || typeof json !== 'object' || json === null || Array.isArray(json)) throw new Failure('org.apache.kafka.server.common.AdminOperationException', 'The input string is not a valid JSON');
  const object = json as Record<string, unknown>;
  const version = object.version === undefined ? 1 : object.version;
  if (version !== 1) throw new Failure('org.apache.kafka.server.common.AdminOperationException', `Not supported version field value ${String(version)}`);
  const topics = object.topics === undefined ? [] : asArray(object.topics);
  return topics.map((t) => field(asObject(t), 'topic', (v): v is string => typeof v === 'string'));
}

/** checkIfPartitionReassignmentParamsValid (parseExecuteAssignmentArgs): non-empty, no duplicates. */
function checkTargets(targets: readonly Target[]): void {
  const failed = (message: string): never => {
    throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', message);
  };
  if (targets.length === 0) failed('Partition reassignment list cannot be empty');
  if (targets.some((t) => t.replicas.length === 0)) failed('Partition replica list cannot be empty');
  const seen = duplicates(targets.map((t) => tpString(t.tp)));
  if (seen.length > 0) failed(`Partition reassignment contains duplicate topic partitions: ${seen.join(',')}`);
  const dup = targets.filter((t) => duplicates(t.replicas.map(String)).length > 0).map((t) => `${tpString(t.tp)}: ${duplicates(t.replicas.map(String)).join(',')}`);
  if (dup.length > 0) failed(`Partition replica lists may not contain duplicate entries: ${dup.join('. ')}`);
}

function parseBrokerList(text: string): number[] {
  const ids = text.split(',').map((s) => {
    if (!/^[+-]?\d+$/.test(s.trim())) throw new Failure('java.lang.NumberFormatException', `For input string: "${s}"`);
    return Number(s.trim());
  });
  const dup = duplicates(ids.map(String));
  if (dup.length > 0) throw new Failure('org.apache.kafka.server.common.AdminCommandFailedException', `Broker list contains duplicate entries: ${dup.join(',')}`);
  return ids;
}

/**
 * AdminUtils.assignReplicasToBrokers without racks: partition p's first replica on broker
 * (p + start) mod n, the others shifted by a per-round shift; start and shift are random, as Kafka's.
 */
function assignReplicasToBrokers(context: ToolContext, brokers: readonly number[], partitions: number, replicationFactor: number): number[][] {
  const n = brokers.length;
  if (replicationFactor > n) throw new Failure('org.apache.kafka.common.errors.InvalidReplicationFactorException', `Replication factor: ${replicationFactor} larger than available brokers: ${n}.`);
  const start = context.engine.prng.nextInt(n);
  let shift = context.engine.prng.nextInt(n);
  const result: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) shift += 1;
    const first = (p + start) % n;
    const replicas = [brokers[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]!);
    result.push(replicas);
  }
  return result;
}

/** Kafka's compact JSON (Jackson): version first, partitions sorted by topic and partition. */
function reassignmentJson(targets: readonly Target[]): string {
  const partitions = [...targets].sort((a, b) => compareTp(a.tp, b.tp)).map((t) => ({ topic: t.tp.topic, partition: t.tp.partition, replicas: t.replicas, log_dirs: t.replicas.map(() => ANY_LOG_DIR) }));
  return JSON.stringify({ version: 1, partitions });
}

function longOption(context: ToolContext, options: ParsedOptions, name: string, fallback: number): number {
  const text = options.value(name);
  if (text === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(text)) printUsageAndExit(context, SPECS, `Cannot parse argument '${text}' of option ${name}`);
  return Number(text);
}

function duplicates(values: readonly (string | number)[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i).map(String))];
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Failure('com.fasterxml.jackson.databind.JsonMappingException', `Expected JSON object, received ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Failure('com.fasterxml.jackson.databind.JsonMappingException', `Expected JSON array, received ${JSON.stringify(value)}`);
  return value;
}

function field<T>(object: Record<string, unknown>, name: string, check: (v: unknown) => v is T): T {
  const value = object[name];
  if (value === undefined) throw new Failure('com.fasterxml.jackson.databind.JsonMappingException', `No such field exists: \`${name}\``);
  if (!check(value)) throw new Failure('com.fasterxml.jackson.databind.JsonMappingException', `Expected a valid value for field \`${name}\`, received ${JSON.stringify(value)}`);
  return value;
}
