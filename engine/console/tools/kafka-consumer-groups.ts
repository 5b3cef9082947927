/**
 * kafka-consumer-groups, as Apache Kafka 3.7.0's kafka.admin.ConsumerGroupCommand runs.
 *
 * Facts kept (from its source): options parse in the options' constructor, outside main's try, so a
 * jopt-simple failure ends the JVM with `Exception in thread "main" <class>: <message>` on stderr;
 * then checkArgs (bootstrap required — even for --help, as 3.7 checks it first), help/version,
 * exactly one action. Tables are printf layouts with a blank line before the header:
 *   --describe (offsets): `%-Gs %-Ts %-10s %-15s %-15s %-15s %-Cs %-Hs %s`, G/T/C/H = max(15, values);
 *     rows of members with partitions (most partitions first, each member's by partition), then the
 *     committed partitions nobody owns with CONSUMER-ID/HOST/CLIENT-ID "-";
 *   --members: `%-Gs %-Cs %-Hs %-CLs %-15s ` (+ GROUP-INSTANCE-ID 17 wide when a member has one) and
 *     with --verbose the ASSIGNMENT column `topic(0,1)`;
 *   --state: `%-Ns %-25s %-20s %-15s %s` where N = max(25, the coordinator's "host:port (id)").
 * An Empty group adds "Consumer group 'x' has no active members." on stderr (then its offsets); a
 * rebalancing one "Warning: Consumer group 'x' is rebalancing."; a Dead (unknown) one prints
 * "Error: Consumer group 'x' does not exist." on stdout. --reset-offsets plans (dry run by default,
 * with the WARN line about the missing --execute on stderr) or commits with --execute, only for an
 * Empty or unknown group; the plan prints `%-30s %-30s %-10s %-15s` (GROUP TOPIC PARTITION
 * NEW-OFFSET); out-of-range targets are clamped with the tool's WARN log lines.
 *
 * Departures, each on purpose: the JVM exits 0 after printing "Error: ..." (a failed command, an
 * unknown group); issue #7 wants failures non-zero on the CLI, so those runs end with 1. --state
 * values are read case-insensitively (3.7 refused its own help's example `--state stable,empty`;
 * later releases accept it). --delete-offsets needs OffsetDelete, which the workbench's contract
 * lacks: it says so in one line.
 *
 * Invariants: bad input changes nothing (every check and every target offset is computed before
 * the first commit); groups per run are bounded by offsetToolLimits.groupsPerRunMax.
 */
import type { GroupDetail } from '../../api/groups-dto.js';
import { defaultMessageOf } from '../../core/kafka-error-info.js';
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import { offsetToolLimits } from '../console-limits.js';
import { OptionError, parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleCallError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import { commitGroupOffsets, committedOffsets, compareTp, offsetForTimestamp, partitionOffsets, tpString, type TopicPartition } from './group-offsets.js';
import {
  bootstrapServerOf,
  checkInvalidArgs,
  kafkaExceptionClass,
  logLine,
  maybePrintHelpOrVersion,
  printUsageAndExit,
  runTool,
  specName,
  ToolExit,
  withDefaultOptions,
  ZOOKEEPER_SPEC,
} from './tool-support.js';

const LOGGER = 'kafka.admin.ConsumerGroupCommand$';
const MISSING = '-';

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'bootstrap-server', description: 'REQUIRED: The server(s) to connect to.', argument: 'String: server to connect to' },
  { name: 'group', description: 'The consumer group we wish to act on.', argument: 'String: consumer group' },
  { name: 'topic', description: 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.', argument: 'String: topic' },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'list', description: 'List all consumer groups.' },
  { name: 'describe', description: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  { name: 'delete', description: 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2' },
  { name: 'timeout', description: 'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).', argument: 'Long: timeout (ms)', defaultValue: '5000' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client and Consumer.', argument: 'String: command config property file' },
  { name: 'reset-offsets', description: "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format. You must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset. To define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'." },
  { name: 'delete-offsets', description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
  { name: 'dry-run', description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.' },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
  { name: 'to-offset', description: 'Reset offsets to a specific offset.', argument: 'Long: offset' },
  { name: 'from-file', description: 'Reset offsets to values defined in CSV file.', argument: 'String: path to CSV file' },
  { name: 'to-datetime', description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'", argument: 'String: datetime' },
  { name: 'by-duration', description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'", argument: 'String: duration' },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  { name: 'shift-by', description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.", argument: 'Long: number-of-offsets' },
  { name: 'members', description: "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only. Example: --bootstrap-server localhost:9092 --describe --group group1 --members" },
  { name: 'verbose', description: "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only. Example: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose" },
  { name: 'offsets', description: "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only. Example: --bootstrap-server localhost:9092 --describe --group group1 --offsets" },
  { name: 'state', description: "When specified with '--describe', includes the state of the group. Example: --bootstrap-server localhost:9092 --describe --group group1 --state When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states. Example: --bootstrap-server localhost:9092 --list --state stable,empty This option may be used with '--describe', '--list' and '--bootstrap-server' options only.", argument: 'String', optionalArgument: true },
  ZOOKEEPER_SPEC,
]);

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'] as const;
/** allResetOffsetScenarioOpts, in the order Java's HashSet of these specs iterates (what its messages print). */
const SCENARIOS = ['to-offset', 'to-current', 'to-datetime', 'from-file', 'by-duration', 'to-earliest', 'to-latest', 'shift-by'] as const;
const GROUP_STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'] as const;
const WARN_NO_EXECUTE =
  'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';

export const kafkaConsumerGroupsTool: ConsoleTool = {
  name: 'kafka-consumer-groups',
  run: (args, context) => runTool(context, () => runConsumerGroups(args, context)),
};

/** A failure the command's run catches: printed as "Error: Executing consumer group command failed due to <message>". */
class CommandFailure extends Error {
  constructor(
    readonly exceptionClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a run printed: whether any "Error: ..." line was printed (the run then exits 1). */
interface RunState {
  errors: number;
}

async function runConsumerGroups(args: readonly string[], context: ToolContext): Promise<number> {
  const options = parseGroupOptions(args, context);
  const state: RunState = { errors: 0 };
  checkArgs(options, context);
  maybePrintHelpOrVersion(context, args, options, SPECS, 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.');
  if (ACTIONS.filter((a) => options.has(a)).length !== 1) {
    printUsageAndExit(context, SPECS, 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  }
  try {
    if (options.has('list')) await listGroups(options, context);
    else if (options.has('describe')) await describeGroups(options, context, state);
    else if (options.has('delete')) await deleteGroups(options, context, state);
    else if (options.has('reset-offsets')) await resetOffsets(options, context, state);
    else throw new CommandFailure('java.lang.UnsupportedOperationException', 'The workbench cannot delete single offsets of a group (OffsetDelete is not part of its API); use --reset-offsets, or --delete for the whole group.');
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    if (error instanceof IllegalArgument) printUsageAndExit(context, SPECS, error.message);
    const failure = failureOf(error);
    printError(context, state, `Executing consumer group command failed due to ${failure.message}`);
    context.output.err(`${failure.exceptionClass}: ${failure.message}`);
  }
  return state.errors > 0 ? 1 : 0;
}

/** IllegalArgumentException inside run: main prints the usage with its message. */
class IllegalArgument extends Error {}

/** The options' constructor: a jopt-simple failure escapes main as an uncaught exception. */
function parseGroupOptions(args: readonly string[], context: ToolContext): ParsedOptions {
  let options: ParsedOptions;
  try {
    options = parseOptions(args, SPECS);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    uncaught(context, error.exceptionClass, error.message);
  }
  // availableIf: --members/--verbose/--offsets only with --describe, --state with --describe or --list.
  const unavailable = (['members', 'verbose', 'offsets'] as const).filter((o) => options.has(o) && !options.has('describe'));
  if (options.has('state') && !options.has('describe') && !options.has('list')) unavailable.push('state' as never);
  if (unavailable.length > 0) uncaught(context, 'joptsimple.UnavailableOptionException', `Option(s) [${unavailable.join(', ')}] are unavailable given other options on the command line`);
  return options;
}

function uncaught(context: ToolContext, exceptionClass: string, message: string): never {
  context.output.err(`Exception in thread "main" ${exceptionClass}: ${message}`);
  throw new ToolExit(1);
}

/** ConsumerGroupCommandOptions.checkArgs, in its order and with its messages. */
function checkArgs(options: ParsedOptions, context: ToolContext): void {
  if (bootstrapServerOf(context, options, 'kafka-consumer-groups') === undefined) printUsageAndExit(context, SPECS, `Missing required argument "${specName('bootstrap-server')}"`);
  const scope = `${specName('group')}, ${specName('all-groups')}`;
  const hasScope = options.has('group') || options.has('all-groups');
  if (options.has('describe')) {
    if (!hasScope) printUsageAndExit(context, SPECS, `Option ${specName('describe')} takes one of these options: ${scope}`);
    if (['members', 'offsets', 'state'].filter((o) => options.has(o)).length > 1) {
      printUsageAndExit(context, SPECS, `Option ${specName('describe')} takes at most one of these options: ${specName('members')}, ${specName('offsets')}, ${specName('state')}`);
    }
    if (options.has('state') && options.value('state') !== undefined) printUsageAndExit(context, SPECS, `Option ${specName('describe')} does not take a value for ${specName('state')}`);
  }
  if (options.has('delete')) {
    if (!hasScope) printUsageAndExit(context, SPECS, `Option ${specName('delete')} takes one of these options: ${scope}`);
    if (options.has('topic')) printUsageAndExit(context, SPECS, 'The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (options.has('delete-offsets') && (!options.has('group') || !options.has('topic'))) {
    printUsageAndExit(context, SPECS, `Option ${specName('delete-offsets')} takes the following options: ${specName('group')}, ${specName('topic')}`);
  }
  if (options.has('reset-offsets')) checkResetArgs(options, context, hasScope, scope);
  checkInvalidArgs(context, SPECS, options, 'group', ['all-groups']);
  checkInvalidArgs(context, SPECS, options, 'group', ['list']);
  checkInvalidArgs(context, SPECS, options, 'topic', ['list', 'describe']);
}

function checkResetArgs(options: ParsedOptions, context: ToolContext, hasScope: boolean, scope: string): void {
  if (options.has('dry-run') && options.has('execute')) {
    printUsageAndExit(context, SPECS, `Option ${specName('reset-offsets')} only accepts one of ${specName('execute')} and ${specName('dry-run')}`);
  }
  if (!options.has('dry-run') && !options.has('execute')) context.output.err(WARN_NO_EXECUTE);
  if (!hasScope) printUsageAndExit(context, SPECS, `Option ${specName('reset-offsets')} takes one of these options: ${scope}`);
  for (const scenario of ['to-offset', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'shift-by', 'from-file']) {
    checkInvalidArgs(context, SPECS, options, scenario, SCENARIOS.filter((s) => s !== scenario));
  }
}

// ---------------------------------------------------------------------------------------------
// --list

async function listGroups(options: ParsedOptions, context: ToolContext): Promise<void> {
  const { groups } = await context.engine.query('listGroups', {});
  if (!options.has('state')) {
    for (const group of groups) context.output.out(group.groupId);
    return;
  }
  const wanted = statesOf(options.value('state'));
  const shown = groups.filter((g) => wanted.size === 0 || wanted.has(g.state));
  const width = Math.max(15, ...shown.map((g) => g.groupId.length));
  context.output.out(`${'GROUP'.padEnd(width)} STATE`);
  for (const group of shown) context.output.out(`${group.groupId.padEnd(width)} ${group.state}`);
}

/** consumerGroupStatesFromString (case-insensitive, as later 3.x read it); an unknown state is an IllegalArgumentException → usage. */
function statesOf(text: string | undefined): Set<string> {
  if (text === undefined || text === '') return new Set();
  const states = text.split(',').map((s) => GROUP_STATES.find((g) => g.toLowerCase() === s.trim().toLowerCase()));
  if (states.includes(undefined)) throw new IllegalArgument(`Invalid state list '${text}'. Valid states are: ${GROUP_STATES.join(', ')}`);
  return new Set(states as string[]);
}

// ---------------------------------------------------------------------------------------------
// --describe

async function describeGroups(options: ParsedOptions, context: ToolContext, state: RunState): Promise<void> {
  const groups = await describedGroups(options, context);
  if (options.has('members')) {
    for (const group of groups) if (shouldPrintMemberState(context, state, group, group.members.length)) printMembers(context, group, options.has('verbose'));
  } else if (options.has('state')) {
    const { brokers } = await context.engine.query('clusterStatus', {});
    for (const group of groups) {
      if (!shouldPrintMemberState(context, state, group, 1)) continue;
      const broker = brokers.find((b) => b.id === group.coordinator);
      printState(context, group, broker === undefined ? `:-1 (-1)` : `${broker.host}:${broker.port} (${broker.id})`);
    }
  } else {
    for (const group of groups) {
      const rows = offsetRows(group);
      if (shouldPrintMemberState(context, state, group, rows.length)) printOffsets(context, rows);
    }
  }
}

/** The groups --group / --all-groups name, described, sorted by id (the tool's TreeMap). */
async function describedGroups(options: ParsedOptions, context: ToolContext): Promise<GroupDetail[]> {
  const ids = [...new Set(await groupIdsOf(options, context))].sort();
  const groups: GroupDetail[] = [];
  for (const groupId of ids) groups.push(await context.engine.query('describeGroup', { groupId }));
  return groups;
}

async function groupIdsOf(options: ParsedOptions, context: ToolContext): Promise<string[]> {
  const ids = options.has('all-groups') ? (await context.engine.query('listGroups', {})).groups.map((g) => g.groupId) : options.values('group');
  if (ids.length > offsetToolLimits.groupsPerRunMax) throw new IllegalArgument(`At most ${offsetToolLimits.groupsPerRunMax} groups per run.`);
  return ids;
}

/** shouldPrintMemberState: the state notes, and whether a table follows. */
function shouldPrintMemberState(context: ToolContext, state: RunState, group: GroupDetail, rows: number): boolean {
  if (group.state === 'Dead') {
    printError(context, state, `Consumer group '${group.groupId}' does not exist.`);
    return false;
  }
  if (group.state === 'Empty') {
    context.output.err('');
    context.output.err(`Consumer group '${group.groupId}' has no active members.`);
  } else if (group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance') {
    context.output.err('');
    context.output.err(`Warning: Consumer group '${group.groupId}' is rebalancing.`);
  }
  return rows > 0;
}

interface OffsetRow {
  group: string;
  topic: string;
  partition: string;
  offset: string;
  logEndOffset: string;
  lag: string;
  consumerId: string;
  host: string;
  clientId: string;
}

/** collectGroupOffsets: members with partitions (most first), each by partition; then committed partitions nobody owns. */
function offsetRows(group: GroupDetail): OffsetRow[] {
  const byTp = new Map(group.partitions.map((p) => [tpString(p), p]));
  const row = (tp: TopicPartition, member: { memberId: string; host: string; clientId: string } | null): OffsetRow => {
    const found = byTp.get(tpString(tp));
    const offset = found?.currentOffset ?? null;
    return {
      group: group.groupId,
      topic: tp.topic,
      partition: String(tp.partition),
      offset: offset === null ? MISSING : String(offset),
      logEndOffset: found === undefined ? MISSING : String(found.logEndOffset),
      lag: offset === null || found === undefined ? MISSING : String(found.logEndOffset - offset),
      consumerId: member?.memberId ?? MISSING,
      host: member?.host ?? MISSING,
      clientId: member?.clientId ?? MISSING,
    };
  };
  const owners = group.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const owned = new Set(owners.flatMap((m) => m.assignment.map(tpString)));
  const rows = owners.flatMap((m) => [...m.assignment].sort((a, b) => a.partition - b.partition).map((tp) => row(tp, m)));
  const unowned = group.partitions.filter((p) => p.currentOffset !== null && !owned.has(tpString(p))).sort(compareTp);
  return [...rows, ...unowned.map((p) => row(p, null))];
}

function printOffsets(context: ToolContext, rows: readonly OffsetRow[]): void {
  const width = (pick: (r: OffsetRow) => string): number => Math.max(15, ...rows.map((r) => pick(r).length));
  const [g, t, c, h] = [width((r) => r.group), width((r) => r.topic), width((r) => r.consumerId), width((r) => r.host)];
  const line = (v: readonly string[]): string =>
    [v[0]!.padEnd(g), v[1]!.padEnd(t), v[2]!.padEnd(10), v[3]!.padEnd(15), v[4]!.padEnd(15), v[5]!.padEnd(15), v[6]!.padEnd(c), v[7]!.padEnd(h), v[8]!].join(' ');
  context.output.out('');
  context.output.out(line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']));
  for (const r of rows) context.output.out(line([r.group, r.topic, r.partition, r.offset, r.logEndOffset, r.lag, r.consumerId, r.host, r.clientId]));
}

function printMembers(context: ToolContext, group: GroupDetail, verbose: boolean): void {
  const members = group.members;
  const max = (base: number, pick: (m: GroupDetail['members'][number]) => string): number => Math.max(base, ...members.map((m) => pick(m).length));
  const g = Math.max(15, group.groupId.length);
  const [c, i, h, cl] = [max(15, (m) => m.memberId), max(17, (m) => m.groupInstanceId ?? ''), max(15, (m) => m.host), max(15, (m) => m.clientId)];
  const wide = members.some((m) => (m.groupInstanceId ?? '') !== '');
  const line = (v: { group: string; id: string; instance: string; host: string; client: string; count: string }): string =>
    wide
      ? `${v.group.padEnd(g)} ${v.id.padEnd(c)} ${v.instance.padEnd(i)} ${v.host.padEnd(h)} ${v.client.padEnd(cl)} ${v.count.padEnd(15)} `
      : `${v.group.padEnd(g)} ${v.id.padEnd(c)} ${v.host.padEnd(h)} ${v.client.padEnd(cl)} ${v.count.padEnd(15)} `;
  context.output.out('');
  context.output.out(line({ group: 'GROUP', id: 'CONSUMER-ID', instance: 'GROUP-INSTANCE-ID', host: 'HOST', client: 'CLIENT-ID', count: '#PARTITIONS' }) + (verbose ? 'ASSIGNMENT' : ''));
  for (const m of members) {
    const text = line({ group: group.groupId, id: m.memberId, instance: m.groupInstanceId ?? '', host: m.host, client: m.clientId, count: String(m.assignment.length) });
    context.output.out(verbose ? text + assignmentText(m.assignment) : text);
  }
}

/** The ASSIGNMENT column: `topic(0,1)` per topic, sorted, joined with ", "; "-" for none. */
function assignmentText(assignment: readonly TopicPartition[]): string {
  if (assignment.length === 0) return MISSING;
  const byTopic = new Map<string, number[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic].map(([topic, partitions]) => `${topic}(${partitions.sort((a, b) => a - b).join(',')})`).sort().join(', ');
}

function printState(context: ToolContext, group: GroupDetail, coordinator: string): void {
  const n = Math.max(25, coordinator.length);
  const line = (v: readonly string[]): string => `${v[0]!.padEnd(n)} ${v[1]!.padEnd(25)} ${v[2]!.padEnd(20)} ${v[3]!.padEnd(15)} ${v[4]!}`;
  // An Empty group has no protocol: the admin client reports an empty assignment strategy.
  const strategy = group.state === 'Empty' ? '' : (group.assignor ?? '');
  context.output.out('');
  context.output.out(line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS']));
  context.output.out(line([group.groupId, coordinator, strategy, group.state, String(group.members.length)]));
}

// ---------------------------------------------------------------------------------------------
// --delete

async function deleteGroups(options: ParsedOptions, context: ToolContext, state: RunState): Promise<void> {
  const ids = [...new Set(await groupIdsOf(options, context))];
  const deleted: string[] = [];
  const failed: { group: string; error: string }[] = [];
  for (const groupId of ids) {
    try {
      await context.engine.command('deleteGroup', { groupId });
      deleted.push(groupId);
    } catch (error) {
      const failure = failureOf(error);
      failed.push({ group: groupId, error: `${failure.exceptionClass}: ${failure.message}` });
    }
  }
  const quoted = (list: readonly string[]): string => `'${list.join("', '")}'`;
  if (failed.length === 0) {
    context.output.out(`Deletion of requested consumer groups (${quoted(deleted)}) was successful.`);
    return;
  }
  printError(context, state, 'Deletion of some consumer groups failed:');
  for (const f of failed) context.output.out(`* Group '${f.group}' could not be deleted due to: ${f.error}`);
  if (deleted.length > 0) {
    context.output.out('');
    context.output.out(`These consumer groups were deleted successfully: ${quoted(deleted)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// --reset-offsets

type Plan = Map<string, (TopicPartition & { offset: number })[]>;

async function resetOffsets(options: ParsedOptions, context: ToolContext, state: RunState): Promise<void> {
  const ids = [...new Set(await groupIdsOf(options, context))];
  const execute = options.has('execute') && !options.has('dry-run');
  const plan: Plan = new Map();
  for (const groupId of ids) {
    const group = await context.engine.query('describeGroup', { groupId });
    if (group.state !== 'Empty' && group.state !== 'Dead') {
      printError(context, state, `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${group.state}.`);
      plan.set(groupId, []);
      continue;
    }
    const partitions = await partitionsToReset(options, context, groupId);
    const offsets = (await prepareOffsets(options, context, groupId, partitions)).sort(compareTp);
    if (execute && offsets.length > 0) await commitGroupOffsets(context.engine, groupId, offsets);
    plan.set(groupId, offsets);
  }
  if (options.has('export')) printCsv(context, plan, options.values('group').length === 1);
  else printPlan(context, plan);
}

function printPlan(context: ToolContext, plan: Plan): void {
  const line = (v: readonly string[]): string => `${v[0]!.padEnd(30)} ${v[1]!.padEnd(30)} ${v[2]!.padEnd(10)} ${v[3]!.padEnd(15)}`;
  if (plan.size > 0) {
    context.output.out('');
    context.output.out(line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']));
  }
  for (const [groupId, offsets] of plan) for (const o of offsets) context.output.out(line([groupId, o.topic, String(o.partition), String(o.offset)]));
}

/** --export: the plan as CSV (topic,partition,offset for one group; group,topic,... for several), then println's empty line. */
function printCsv(context: ToolContext, plan: Plan, singleGroup: boolean): void {
  for (const [groupId, offsets] of plan) {
    for (const o of offsets) context.output.out(singleGroup ? `${o.topic},${o.partition},${o.offset}` : `${groupId},${o.topic},${o.partition},${o.offset}`);
  }
  context.output.out('');
}

/** getPartitionsToReset: --all-topics = the partitions with a committed offset; --topic t / t:0,1. */
async function partitionsToReset(options: ParsedOptions, context: ToolContext, groupId: string): Promise<TopicPartition[]> {
  if (options.has('all-topics')) return [...(await committedOffsets(context.engine, groupId)).values()].map((c) => c.tp);
  if (options.has('topic')) {
    const result: TopicPartition[] = [];
    for (const arg of options.values('topic')) {
      if (arg.includes(':')) result.push(...topicWithPartitions(arg));
      else result.push(...(await describeTopicPartitions(context, arg)));
    }
    return result;
  }
  if (options.has('from-file')) return [];
  printUsageAndExit(context, SPECS, 'One of the reset scopes should be defined: --all-topics, --topic.');
}

/** parseTopicsWithPartitions: "t:0,1" → t-0, t-1, with the tool's messages. */
function topicWithPartitions(arg: string): TopicPartition[] {
  const parts = arg.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new IllegalArgument(`Invalid topic arg '${arg}', expected topic name and partitions`);
  return parts[1]!.split(',').map((p) => {
    if (!/^[+-]?\d+$/.test(p) || Math.abs(Number(p)) > 2_147_483_647) throw new IllegalArgument(`Invalid partition '${p}' specified in topic arg '${arg}''`);
    return { topic: parts[0]!, partition: Number(p) };
  });
}

async function describeTopicPartitions(context: ToolContext, topic: string): Promise<TopicPartition[]> {
  try {
    const status = await context.engine.query('describeTopic', { name: topic });
    return status.partitions.map((p) => ({ topic, partition: p.partition }));
  } catch (error) {
    // allTopicNames().get: an ExecutionException whose message is the cause's toString.
    const failure = failureOf(error);
    throw new CommandFailure('java.util.concurrent.ExecutionException', `${failure.exceptionClass}: ${failure.message}`);
  }
}

/** prepareOffsetsToReset: the new offset of each partition, by the chosen scenario. */
async function prepareOffsets(options: ParsedOptions, context: ToolContext, groupId: string, partitions: readonly TopicPartition[]): Promise<(TopicPartition & { offset: number })[]> {
  const boundOf = await boundsOf(context, partitions);
  if (options.has('to-offset')) {
    const offset = longOption(context, options, 'to-offset');
    return checkRange(context, partitions.map((tp) => ({ ...tp, offset })), boundOf);
  }
  if (options.has('to-earliest')) return partitions.map((tp) => ({ ...tp, offset: boundOf(tp, 'start') }));
  if (options.has('to-latest')) return partitions.map((tp) => ({ ...tp, offset: boundOf(tp, 'end') }));
  if (options.has('shift-by')) {
    const shift = longOption(context, options, 'shift-by');
    const committed = await committedOffsets(context.engine, groupId);
    const requested = partitions.map((tp) => {
      const current = committed.get(tpString(tp));
      if (current === undefined) throw new IllegalArgument(`Cannot shift offset for partition ${tpString(tp)} since there is no current committed offset`);
      return { ...tp, offset: current.offset + shift };
    });
    return checkRange(context, requested, boundOf);
  }
  if (options.has('to-datetime')) return byTimestamp(context, partitions, parseDateTime(options.value('to-datetime')!), boundOf);
  if (options.has('by-duration')) return byTimestamp(context, partitions, context.engine.clock.nowMs() - parseDuration(options.value('by-duration')!), boundOf);
  if (options.has('from-file')) {
    const requested = fromFile(context, options, groupId);
    return checkRange(context, requested, await boundsOf(context, requested));
  }
  if (options.has('to-current')) {
    const committed = await committedOffsets(context.engine, groupId);
    return partitions.map((tp) => ({ ...tp, offset: committed.get(tpString(tp))?.offset ?? boundOf(tp, 'end') }));
  }
  printUsageAndExit(context, SPECS, `Option '${specName('reset-offsets')}' requires one of the following scenarios: [${SCENARIOS.map(specName).join(', ')}]`);
}

type BoundOf = (tp: TopicPartition, which: 'start' | 'end') => number;

/** ListOffsets earliest/latest of the partitions; a partition without one ends the tool with its usage message, as the tool does. */
async function boundsOf(context: ToolContext, partitions: readonly TopicPartition[]): Promise<BoundOf> {
  const bounds = await partitionOffsets(context.engine, partitions);
  return (tp, which) => {
    const found = bounds.get(tpString(tp));
    if (found === undefined) printUsageAndExit(context, SPECS, `Error getting ${which === 'start' ? 'starting' : 'ending'} offset of topic partition: ${tpString(tp)}`);
    return which === 'start' ? found.logStartOffset : found.highWatermark;
  };
}

/** checkOffsetsRange: a target past the log end or before the log start is clamped, with the tool's WARN log line. */
function checkRange(context: ToolContext, requested: readonly (TopicPartition & { offset: number })[], boundOf: BoundOf): (TopicPartition & { offset: number })[] {
  return requested.map((r) => {
    const end = boundOf(r, 'end');
    const start = boundOf(r, 'start');
    if (r.offset > end) {
      logLine(context, 'WARN', `New offset (${r.offset}) is higher than latest offset for topic partition ${tpString(r)}. Value will be set to ${end}`, LOGGER);
      return { ...r, offset: end };
    }
    if (r.offset < start) {
      logLine(context, 'WARN', `New offset (${r.offset}) is lower than earliest offset for topic partition ${tpString(r)}. Value will be set to ${start}`, LOGGER);
      return { ...r, offset: start };
    }
    return { ...r };
  });
}

/** getLogTimestampOffsets: the first offset at or after the time; an "empty" partition falls back to its log end, with the tool's note. */
async function byTimestamp(context: ToolContext, partitions: readonly TopicPartition[], timestampMs: number, boundOf: BoundOf): Promise<(TopicPartition & { offset: number })[]> {
  const result: (TopicPartition & { offset: number })[] = [];
  for (const tp of partitions) {
    boundOf(tp, 'end');
    const offset = await offsetForTimestamp(context.engine, tp, timestampMs);
    if (offset === null) {
      context.output.out('');
      context.output.out(`Warn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.`);
    }
    result.push({ ...tp, offset: offset ?? boundOf(tp, 'end') });
  }
  return result;
}

/** --from-file: CSV lines "topic,partition,offset" (one group) or "group,topic,partition,offset". */
function fromFile(context: ToolContext, options: ParsedOptions, groupId: string): (TopicPartition & { offset: number })[] {
  let text: string;
  try {
    text = context.files.read(options.value('from-file')!);
  } catch (error) {
    throw new CommandFailure('java.nio.file.NoSuchFileException', failureOf(error).message);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const single = options.values('group').length === 1 && lines[0]?.split(',').length === 3;
  const requested: (TopicPartition & { offset: number })[] = [];
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    const [group, topic, partition, offset] = single ? [groupId, ...cells] : cells;
    if (cells.length !== (single ? 3 : 4) || !/^\d+$/.test(partition ?? '') || !/^-?\d+$/.test(offset ?? '')) {
      throw new CommandFailure('com.fasterxml.jackson.databind.RuntimeJsonMappingException', `Cannot read the reset plan line '${line}'`);
    }
    if (group === groupId) requested.push({ topic: topic!, partition: Number(partition), offset: Number(offset) });
  }
  return requested;
}

/** A Long option, converted when the tool reads it: jopt-simple's failure goes to main's usage. */
function longOption(context: ToolContext, options: ParsedOptions, name: string): number {
  const text = options.value(name)!;
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) printUsageAndExit(context, SPECS, `Cannot parse argument '${text}' of option ${name}`);
  return value;
}

/**
 * Utils.getDateTime: 'yyyy-MM-ddTHH:mm:ss.SSS' with an optional zone (Z, ±HH, ±HHMM, ±HH:MM); no
 * zone means UTC (the tool appends "Z"). Strict, as SimpleDateFormat with setLenient(false).
 */
export function parseDateTime(text: string): number {
  const parts = text.split('T');
  if (parts.length < 2 || parts[1] === '') throw new CommandFailure('java.text.ParseException', "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  const zoned = /[+\-Z]/.test(parts[1]!) ? text : `${text}Z`;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(zoned);
  const unparseable = (): never => {
    throw new CommandFailure('java.text.ParseException', `Unparseable date: "${zoned}"`);
  };
  if (m === null) return unparseable();
  const [year, month, day, hour, minute, second, millis] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) unparseable();
  const zone = m[8]!;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return utc - sign * offsetMinutes * 60_000;
}

/** java.time.Duration.parse: PnDTnHnMn.nS (each part optional, signs allowed), in ms. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text);
  const valid = m !== null && !text.toUpperCase().endsWith('T') && (m[2] ?? m[3] ?? m[4] ?? m[5]) !== undefined;
  if (!valid) throw new CommandFailure('java.time.format.DateTimeParseException', 'Text cannot be parsed to a Duration');
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  const secondsSign = (m[5] ?? '').startsWith('-') ? -1 : 1;
  const fractionMs = m[6] === undefined ? 0 : secondsSign * Math.floor(Number(`0.${m[6]}`) * 1000);
  const ms = n(m[2]) * 86_400_000 + n(m[3]) * 3_600_000 + n(m[4]) * 60_000 + n(m[5]) * 1000 + fractionMs;
  return m[1] === '-' ? -ms : ms;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** printError: a blank line and "Error: <msg>" on stdout; the run then exits 1. */
function printError(context: ToolContext, state: RunState, message: string): void {
  state.errors += 1;
  context.output.out('');
  context.output.out(`Error: ${message}`);
}

/** The exception class and message as the admin client reports a failure: Kafka's default message for an error code. */
function failureOf(error: unknown): { exceptionClass: string; message: string } {
  if (error instanceof CommandFailure) return { exceptionClass: error.exceptionClass, message: error.message };
  const errorName = error instanceof ConsoleCallError || (typeof error === 'object' && error !== null && 'errorName' in error) ? (error as { errorName: unknown }).errorName : null;
  if (typeof errorName === 'string' && errorName !== 'NONE' && errorName !== 'INVALID_REQUEST') {
    return { exceptionClass: kafkaExceptionClass(errorName), message: kafkaMessage(errorName, error) };
  }
  return { exceptionClass: 'org.apache.kafka.common.KafkaException', message: error instanceof Error ? error.message : String(error) };
}

function kafkaMessage(errorName: string, error: unknown): string {
  try {
    return defaultMessageOf(errorName as Exclude<KafkaErrorName, 'NONE'>);
  } catch {
    return error instanceof Error ? error.message : String(error);
  }
}
