/**
 * kafka-topics, as Apache Kafka 3.7.0's org.apache.kafka.tools.TopicCommand runs (the version all
 * admin tools here follow; 3.7 prints no Elr/LastKnownElr columns — those came with KIP-966's
 * describe in 3.8+ behind a feature, so the 3.x layout learners see is the one below):
 *
 *   Topic: t\tTopicId: <id>\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: k=v,...
 *   \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3
 *
 * Facts kept: exactly one action; --bootstrap-server required ("--bootstrap-server must be
 * specified", printed by mainNoExit with its exception on stderr), the legacy --zookeeper accepted
 * with a note (tool-support); --topic is a regular expression (full match, ',' as '|') except for
 * --create; "Created topic t." (plus the '.'/'_' collision WARNING); --list prints one name a line
 * (an empty line when there are none, as println("") does); --delete and --alter print nothing on
 * success; a failure prints "Error while executing topic command : <message>" on stdout and the
 * exception at ERROR on stderr, exit 1; usage errors print the message and the help on stderr,
 * exit 1. Configs in the summary are the non-default ones (dynamic topic and dynamic broker-default
 * configs; the workbench has no static broker configs, so e.g. segment.bytes never shows).
 *
 * Invariants: a failed check changes nothing (every check runs before the first contract command);
 * --replica-assignment is bounded by consoleLineLimits.replicaAssignmentPartitionsMax.
 */
import type { TopicStatus } from '../../api/dto.js';
import { consoleLineLimits } from '../console-limits.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import type { ConsoleTool, ToolContext } from '../tool-context.js';
import {
  bootstrapServerOf,
  checkInvalidArgs,
  checkRequiredArgs,
  ILLEGAL_ARGUMENT,
  maybePrintHelpOrVersion,
  parseToolOptions,
  printCommandError,
  printUsageAndExit,
  runTool,
  specName,
  ToolExit,
  ToolFailure,
  withDefaultOptions,
  ZOOKEEPER_SPEC,
} from './tool-support.js';

const LOGGER = 'org.apache.kafka.tools.TopicCommand';
const KAFKA_CONFIGS_HINT = ' (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)';
const SHORT_MAX = 32_767;

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'bootstrap-server', description: 'REQUIRED: The Kafka server to connect to.', argument: 'String: server to connect to' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.', argument: 'String: command config property file' },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic' },
  { name: 'alter', description: `Alter the number of partitions and replica assignment. Update the configuration of an existing topic via --alter is no longer supported here${KAFKA_CONFIGS_HINT}.` },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'topic', description: 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the \'\\\' prefix to escape regular expression symbols; e.g. "test\\.topic".', argument: 'String: topic' },
  { name: 'topic-id', description: 'The topic-id to describe.This is used only with --bootstrap-server option for describing topics.', argument: 'String: topic-id' },
  { name: 'config', description: `A topic configuration override for the topic being created. See the Kafka documentation for full details on the topic configs. It is supported only in combination with --create if --bootstrap-server option is used${KAFKA_CONFIGS_HINT}.`, argument: 'String: name=value' },
  { name: 'delete-config', description: 'A topic configuration override to be removed for an existing topic (see the list of configurations under the --config option). Not supported with the --bootstrap-server option.', argument: 'String: name' },
  { name: 'partitions', description: 'The number of partitions for the topic being created or altered (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected). If not supplied for create, defaults to the cluster default.', argument: 'Integer: # of partitions' },
  { name: 'replication-factor', description: 'The replication factor for each partition in the topic being created. If not supplied, defaults to the cluster default.', argument: 'Integer: replication factor' },
  { name: 'replica-assignment', description: 'A list of manual partition-to-broker assignments for the topic being created or altered.', argument: 'String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...' },
  { name: 'under-replicated-partitions', description: 'if set when describing topics, only show under replicated partitions' },
  { name: 'unavailable-partitions', description: 'if set when describing topics, only show partitions whose leader is not available' },
  { name: 'under-min-isr-partitions', description: 'if set when describing topics, only show partitions whose isr count is less than the configured minimum.' },
  { name: 'at-min-isr-partitions', description: 'if set when describing topics, only show partitions whose isr count is equal to the configured minimum.' },
  { name: 'topics-with-overrides', description: 'if set when describing topics, only show topics that have overridden configs' },
  { name: 'if-exists', description: 'if set when altering or deleting or describing topics, the action will only execute if the topic exists.' },
  { name: 'if-not-exists', description: 'if set when creating topics, the action will only execute if the topic does not already exist.' },
  { name: 'exclude-internal', description: 'exclude internal topics when running list or describe command. The internal topics will be listed by default' },
  ZOOKEEPER_SPEC,
]);

const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
const REPORTS = ['under-replicated-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions', 'unavailable-partitions'] as const;

export const kafkaTopicsTool: ConsoleTool = {
  name: 'kafka-topics',
  run: (args, context) => runTool(context, () => runTopics(args, context)),
};

async function runTopics(args: readonly string[], context: ToolContext): Promise<number> {
  if (args.length === 0) printUsageAndExit(context, SPECS, 'Create, delete, describe, or change a topic.');
  const options = parseToolOptions(context, args, SPECS);
  checkArgs(args, options, context);
  try {
    if (options.has('create')) await createTopic(options, context);
    else if (options.has('alter')) await alterTopic(options, context);
    else if (options.has('list')) await listTopics(options, context);
    else if (options.has('describe')) await describeTopics(options, context);
    else await deleteTopics(options, context);
    return 0;
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    return printCommandError(context, 'topic', error, LOGGER);
  }
}

/** TopicCommandOptions.checkArgs, in its order. */
function checkArgs(args: readonly string[], options: ParsedOptions, context: ToolContext): void {
  maybePrintHelpOrVersion(context, args, options, SPECS, 'This tool helps to create, delete, describe, or change a topic.');
  if (ACTIONS.filter((a) => options.has(a)).length !== 1) {
    printUsageAndExit(context, SPECS, 'Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  }
  if (bootstrapServerOf(context, options, 'kafka-topics') === undefined) {
    // Thrown from the options' constructor: mainNoExit prints the message and the stack trace.
    context.output.err('--bootstrap-server must be specified');
    context.output.err(`${ILLEGAL_ARGUMENT}: --bootstrap-server must be specified`);
    throw new ToolExit(1);
  }
  if (options.has('describe') && options.has('if-exists') && !options.has('topic') && !options.has('topic-id')) {
    printUsageAndExit(context, SPECS, '--topic or --topic-id is required to describe a topic');
  }
  if (!options.has('list') && !options.has('describe')) checkRequiredArgs(context, SPECS, options, 'topic');
  if (options.has('alter')) {
    if (options.has('config')) {
      printUsageAndExit(context, SPECS, `Option combination "[${specName('bootstrap-server')}, ${specName('config')}]" can't be used with option "${specName('alter')}"${KAFKA_CONFIGS_HINT}`);
    }
    checkRequiredArgs(context, SPECS, options, 'partitions');
  }
  checkInvalidOptionCombinations(options, context);
}

/** TopicCommandOptions.checkInvalidArgs: each option against the actions it cannot be used with. */
function checkInvalidOptionCombinations(options: ParsedOptions, context: ToolContext): void {
  const except = (...allowed: string[]): string[] => ACTIONS.filter((a) => !allowed.includes(a));
  checkInvalidArgs(context, SPECS, options, 'config', except('alter', 'create'));
  checkInvalidArgs(context, SPECS, options, 'delete-config', ['bootstrap-server', ...except('alter')]);
  checkInvalidArgs(context, SPECS, options, 'partitions', except('alter', 'create'));
  checkInvalidArgs(context, SPECS, options, 'replication-factor', except('create'));
  checkInvalidArgs(context, SPECS, options, 'replica-assignment', except('alter', 'create'));
  if (options.has('create')) checkInvalidArgs(context, SPECS, options, 'replica-assignment', ['partitions', 'replication-factor']);
  for (const report of REPORTS) checkInvalidArgs(context, SPECS, options, report, [...except('describe'), 'topics-with-overrides']);
  checkInvalidArgs(context, SPECS, options, 'topics-with-overrides', [...except('describe'), ...REPORTS]);
  checkInvalidArgs(context, SPECS, options, 'if-exists', except('alter', 'delete', 'describe'));
  checkInvalidArgs(context, SPECS, options, 'if-not-exists', except('create'));
  checkInvalidArgs(context, SPECS, options, 'exclude-internal', except('list', 'describe'));
}

// ---------------------------------------------------------------------------------------------
// Actions

async function createTopic(options: ParsedOptions, context: ToolContext): Promise<void> {
  const name = options.value('topic')!;
  const partitions = intOption(options, 'partitions');
  const replicationFactor = intOption(options, 'replication-factor');
  const assignment = replicaAssignmentOf(options);
  const configs = topicConfigsOf(options);
  if (/[._]/.test(name)) {
    context.output.out("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.");
  }
  if (replicationFactor !== undefined && (replicationFactor > SHORT_MAX || replicationFactor < 1)) {
    throw new ToolFailure(ILLEGAL_ARGUMENT, `The replication factor must be between 1 and ${SHORT_MAX} inclusive`);
  }
  if (partitions !== undefined && partitions < 1) throw new ToolFailure(ILLEGAL_ARGUMENT, 'The partitions must be greater than 0');
  try {
    await context.engine.command('createTopic', {
      name,
      partitions: assignment === undefined ? (partitions ?? -1) : assignment.length,
      replicationFactor: assignment === undefined ? (replicationFactor ?? -1) : assignment[0]!.length,
      configs,
      ...(assignment === undefined ? {} : { replicaAssignment: assignment }),
    });
    context.output.out(`Created topic ${name}.`);
  } catch (error) {
    // --if-not-exists: an existing topic is not an error, and nothing is printed.
    if (options.has('if-not-exists') && isCallError(error, 'TOPIC_ALREADY_EXISTS')) return;
    throw error;
  }
}

async function alterTopic(options: ParsedOptions, context: ToolContext): Promise<void> {
  const partitions = intOption(options, 'partitions')!;
  const assignment = replicaAssignmentOf(options);
  const topics = await matchingTopics(options, context);
  ensureTopicExists(topics, options);
  for (const name of topics) {
    // As Kafka: the assignment lists every partition; the new ones are those past the current count.
    const current = assignment === undefined ? 0 : (await context.engine.query('describeTopic', { name })).partitions.length;
    const added = assignment?.slice(current);
    await context.engine.command('createPartitions', { name, totalCount: partitions, ...(added === undefined ? {} : { replicaAssignment: added }) });
  }
}

async function listTopics(options: ParsedOptions, context: ToolContext): Promise<void> {
  const topics = await matchingTopics(options, context);
  // println(names joined with "\n"): one empty line when there is no topic.
  if (topics.length === 0) context.output.out('');
  for (const name of topics) context.output.out(name);
}

async function deleteTopics(options: ParsedOptions, context: ToolContext): Promise<void> {
  const topics = await matchingTopics(options, context);
  ensureTopicExists(topics, options);
  for (const name of topics) await context.engine.command('deleteTopic', { name });
}

async function describeTopics(options: ParsedOptions, context: ToolContext): Promise<void> {
  if (options.has('topic-id')) throw new ToolFailure(ILLEGAL_ARGUMENT, 'The workbench describes topics by name; --topic-id is not supported here (use --topic).');
  const topics = await matchingTopics(options, context);
  ensureTopicExists(topics, options);
  const status = await context.engine.query('clusterStatus', {});
  const live = new Set(status.brokers.filter((b) => b.state === 'running' && !b.fenced).map((b) => b.id));
  const { reassignments } = await context.engine.query('listReassignments', {});
  for (const name of topics) {
    const topic = await context.engine.query('describeTopic', { name });
    const { entries } = await context.engine.query('describeConfigs', { resource: { type: 'topic', name } });
    const overrides = entries.filter((e) => e.source !== 'DEFAULT_CONFIG');
    const minIsr = Number(entries.find((e) => e.name === 'min.insync.replicas')?.value ?? '1');
    const reportOnly = REPORTS.some((r) => options.has(r));
    if (!reportOnly && (!options.has('topics-with-overrides') || overrides.length > 0)) {
      context.output.out(summaryLine(topic, overrides.map((e) => `${e.name}=${e.value}`).join(',')));
    }
    if (options.has('topics-with-overrides')) continue;
    for (const partition of [...topic.partitions].sort((a, b) => a.partition - b.partition)) {
      const moving = reassignments.find((r) => r.topic === name && r.partition === partition.partition);
      const flags = {
        underReplicated: partition.replicas.length - (moving?.addingReplicas.length ?? 0) - partition.isr.length > 0,
        unavailable: partition.leader === null || !live.has(partition.leader),
        underMinIsr: partition.leader === null || partition.isr.length < minIsr,
        atMinIsr: partition.isr.length === minIsr,
      };
      const shown =
        !reportOnly ||
        (options.has('under-replicated-partitions') && flags.underReplicated) ||
        (options.has('unavailable-partitions') && flags.unavailable) ||
        (options.has('under-min-isr-partitions') && flags.underMinIsr) ||
        (options.has('at-min-isr-partitions') && flags.atMinIsr);
      if (shown) context.output.out(partitionLine(name, partition, moving));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function summaryLine(topic: TopicStatus, configs: string): string {
  const first = [...topic.partitions].sort((a, b) => a.partition - b.partition)[0];
  const replicationFactor = first?.replicas.length ?? topic.replicationFactor;
  return `Topic: ${topic.name}\tTopicId: ${topic.topicId}\tPartitionCount: ${topic.partitions.length}\tReplicationFactor: ${replicationFactor}\tConfigs: ${configs}`;
}

function partitionLine(topic: string, partition: TopicStatus['partitions'][number], moving: { addingReplicas: number[]; removingReplicas: number[] } | undefined): string {
  let line = `\tTopic: ${topic}\tPartition: ${partition.partition}\tLeader: ${partition.leader ?? 'none'}\tReplicas: ${partition.replicas.join(',')}\tIsr: ${partition.isr.join(',')}`;
  if (moving !== undefined) line += `\tAdding Replicas: ${moving.addingReplicas.join(',')}\tRemoving Replicas: ${moving.removingReplicas.join(',')}`;
  return line;
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** The topics --topic names (a regular expression, as IncludeList reads it), sorted; every topic without --topic. */
async function matchingTopics(options: ParsedOptions, context: ToolContext): Promise<string[]> {
  const excludeInternal = options.has('exclude-internal');
  const { topics } = await context.engine.query('listTopics', { includeInternal: !excludeInternal });
  const sorted = [...topics].sort();
  const pattern = options.value('topic');
  if (pattern === undefined) return sorted;
  const regex = includeListRegex(pattern);
  return sorted.filter((name) => regex.test(name));
}

/** IncludeList: trimmed, ',' read as '|', spaces and surrounding quotes removed; the whole name must match. */
function includeListRegex(pattern: string): RegExp {
  const cleaned = pattern.trim().replaceAll(',', '|').replaceAll(' ', '').replace(/^["']+/, '').replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${cleaned})$`);
  } catch {
    throw new ToolFailure('org.apache.kafka.common.config.ConfigException', `Invalid regular expression: ${pattern}`);
  }
}

function ensureTopicExists(found: readonly string[], options: ParsedOptions): void {
  const requested = options.value('topic');
  if (requested !== undefined && requested !== '' && !options.has('if-exists') && found.length === 0) {
    throw new ToolFailure(ILLEGAL_ARGUMENT, `Topic '${requested}' does not exist as expected`);
  }
}

/** An Integer option, converted as jopt-simple's valueOf does (failing with its message). */
function intOption(options: ParsedOptions, name: string): number | undefined {
  const text = options.value(name);
  if (text === undefined) return undefined;
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value > 2_147_483_647 || value < -2_147_483_648) {
    throw new ToolFailure('joptsimple.OptionArgumentConversionException', `Cannot parse argument '${text}' of option ${name}`);
  }
  return value;
}

/** TopicCommand.parseReplicaAssignment: "1:2,2:3" → [[1,2],[2,3]], with its checks and messages. */
function replicaAssignmentOf(options: ParsedOptions): number[][] | undefined {
  const text = options.value('replica-assignment');
  if (text === undefined || text === '') return undefined;
  const partitions = text.split(',');
  if (partitions.length > consoleLineLimits.replicaAssignmentPartitionsMax) {
    throw new ToolFailure('org.apache.kafka.server.common.AdminOperationException', `More than ${consoleLineLimits.replicaAssignmentPartitionsMax} partitions in --replica-assignment.`);
  }
  return partitions.map((part, index, all) => {
    const brokers = part.split(':').map((id) => parseJavaInt(id.trim()));
    const duplicates = [...new Set(brokers.filter((b, i) => brokers.indexOf(b) !== i))];
    if (duplicates.length > 0) {
      throw new ToolFailure('org.apache.kafka.server.common.AdminCommandFailedException', `Partition replica lists may not contain duplicate entries: ${duplicates.join(',')}`);
    }
    const firstSize = all[0]!.split(':').length;
    if (brokers.length !== firstSize) {
      throw new ToolFailure('org.apache.kafka.server.common.AdminOperationException', `Partition ${index} has different replication factor: [${brokers.join(', ')}]`);
    }
    return brokers;
  });
}

/** Integer.parseInt, failing with Java's NumberFormatException message. */
function parseJavaInt(text: string): number {
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value > 2_147_483_647 || value < -2_147_483_648) {
    throw new ToolFailure('java.lang.NumberFormatException', `For input string: "${text}"`);
  }
  return value;
}

/** parseTopicConfigsToBeAdded: each --config split on '=' (spaces around it allowed), exactly two parts. */
function topicConfigsOf(options: ParsedOptions): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const item of options.values('config')) {
    const parts = item.split(/\s*=\s*/);
    while (parts.length > 0 && parts.at(-1) === '') parts.pop(); // Java's split drops trailing empty strings
    if (parts.length !== 2) {
      throw new ToolFailure(ILLEGAL_ARGUMENT, 'requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
    }
    configs[parts[0]!.trim()] = parts[1]!.trim();
  }
  return configs;
}

function isCallError(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { errorName?: unknown }).errorName === name;
}
