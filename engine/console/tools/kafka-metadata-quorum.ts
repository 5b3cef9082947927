/**
 * kafka-metadata-quorum, as Apache Kafka 3.7's org.apache.kafka.tools.MetadataQuorumCommand runs it
 * (argparse4j, not jopt-simple): `--bootstrap-server h:p describe --status | --replication [--human-readable]`.
 *
 *   ClusterId:              <id>
 *   LeaderId:               1
 *   LeaderEpoch:            1
 *   HighWatermark:          <offset>
 *   MaxFollowerLag:         0
 *   MaxFollowerLagTimeMs:   0
 *   CurrentVoters:          [1,2,3]
 *   CurrentObservers:       []
 *
 * --replication prints ToolsUtils.prettyPrintTable: NodeId LogEndOffset Lag LastFetchTimestamp
 * LastCaughtUpTimestamp Status, each cell padded to its column's width and followed by a tab (a
 * trailing tab too), rows Leader, then Followers, then Observers.
 *
 * From the cluster status: HighWatermark is the controller's metadata log end offset (one record
 * per metadata change), LeaderEpoch the quorum leader's epoch (one more per controller election),
 * each node's LogEndOffset how far its metadata has come. APPROXIMATED: fetch times are not kept per
 * replica, so a live node's LastFetchTimestamp is the engine's now, and its LastCaughtUpTimestamp
 * is now when it has the whole log, else -1; a node that is down reports -1 (Kafka's value for a
 * replica it has no fetch from), so its Lag is the leader's offset + 1.
 *
 * Errors: argparse4j's usage line and "kafka-metadata-quorum: error: ..." on stderr, exit 1;
 * TerseException messages alone on stderr, exit 1. Without an active controller Kafka's admin call
 * would time out; the workbench says so at once.
 */
import type { ClusterStatus } from '../../api/dto.js';
import type { ConsoleTool, ToolContext } from '../tool-context.js';
import { KAFKA_VERSION, runTool } from './tool-support.js';

const PROG = 'kafka-metadata-quorum';
const USAGE = `usage: ${PROG} [-h] (--bootstrap-server BOOTSTRAP_SERVER | --bootstrap-controller BOOTSTRAP_CONTROLLER) [--command-config COMMAND_CONFIG] {describe} ...`;
const DESCRIBE_USAGE = `usage: ${PROG} describe [-h] [--status] [--replication] [--human-readable]`;

interface Parsed {
  readonly command: string;
  readonly status: boolean;
  readonly replication: boolean;
  readonly humanReadable: boolean;
}

class ArgumentError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** A TerseException: its message alone on stderr. */
class TerseError extends Error {}

export const kafkaMetadataQuorumTool: ConsoleTool = {
  name: 'kafka-metadata-quorum',
  run: (args, context) => runTool(context, () => runQuorum(args, context)),
};

async function runQuorum(args: readonly string[], context: ToolContext): Promise<number> {
  try {
    const parsed = parseArguments(args, context);
    if (parsed === undefined) return 0;
    if (parsed.status && parsed.replication) throw new TerseError('Only one of --status or --replication should be specified with describe sub-command');
    const status = await context.engine.query('clusterStatus', {});
    if (parsed.replication) describeReplication(status, parsed.humanReadable, context);
    else if (parsed.status) {
      if (parsed.humanReadable) throw new TerseError('The option --human-readable is only supported along with --replication');
      describeStatus(status, context);
    } else throw new TerseError('One of --status or --replication must be specified with describe sub-command');
    return 0;
  } catch (error) {
    if (error instanceof ArgumentError) {
      context.output.err(error.usage);
      context.output.err(`${PROG}: error: ${error.message}`);
      return 1;
    }
    if (error instanceof TerseError) {
      context.output.err(error.message);
      return 1;
    }
    throw error;
  }
}

/** argparse4j: the connection options before the sub-command, its own flags after; -h prints help (exit 0). */
function parseArguments(args: readonly string[], context: ToolContext): Parsed | undefined {
  const connection: string[] = [];
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (word === '-h' || word === '--help') return printHelp(context);
    if (word === '--version') {
      context.output.out(KAFKA_VERSION);
      return undefined;
    }
    const [name, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (name === '--bootstrap-server' || name === '--bootstrap-controller' || name === '--command-config') {
      const value = inline ?? args[++index];
      if (value === undefined) throw new ArgumentError(`argument ${name}: expected one argument`, USAGE);
      if (name !== '--command-config') {
        if (connection.length > 0 && connection[0] !== name) throw new ArgumentError(`argument ${name}: not allowed with argument ${connection[0]}`, USAGE);
        connection.push(name);
      }
      continue;
    }
    if (word.startsWith('-')) throw new ArgumentError(`unrecognized arguments: '${word}'`, USAGE);
    break;
  }
  if (connection.length === 0) throw new ArgumentError('one of the arguments --bootstrap-server --bootstrap-controller is required', USAGE);
  const command = args[index];
  if (command === undefined) throw new ArgumentError('too few arguments', USAGE);
  if (command !== 'describe') throw new ArgumentError(`argument command: invalid choice: '${command}' (choose from 'describe')`, USAGE);
  const flags = new Set<string>();
  for (const word of args.slice(index + 1)) {
    if (word === '-h' || word === '--help') return printHelp(context);
    if (!['--status', '--replication', '--human-readable'].includes(word)) throw new ArgumentError(`unrecognized arguments: '${word}'`, DESCRIBE_USAGE);
    flags.add(word);
  }
  return { command, status: flags.has('--status'), replication: flags.has('--replication'), humanReadable: flags.has('--human-readable') };
}

function printHelp(context: ToolContext): undefined {
  for (const line of [
    USAGE,
    '',
    'This tool describes kraft metadata quorum status.',
    '',
    'positional arguments:',
    '  {describe}',
    '    describe             Describe the metadata quorum info',
    '',
    'named arguments:',
    '  -h, --help             show this help message and exit',
    '  --bootstrap-server BOOTSTRAP_SERVER',
    '                         A comma-separated list of host:port pairs to use for establishing the connection to the Kafka cluster.',
    '  --bootstrap-controller BOOTSTRAP_CONTROLLER',
    '                         A comma-separated list of host:port pairs to use for establishing the connection to the Kafka controllers.',
    '  --command-config COMMAND_CONFIG',
    '                         Property file containing configs to be passed to Admin Client.',
  ]) {
    context.output.out(line);
  }
  return undefined;
}

interface ReplicaState {
  readonly id: number;
  readonly logEndOffset: number;
  readonly lastFetchMs: number;
  readonly lastCaughtUpMs: number;
}

/** The quorum as describeMetadataQuorum would report it, from the cluster status (see the header's approximations). */
function quorumOf(status: ClusterStatus): { leaderId: number; leaderEpoch: number; highWatermark: number; voters: ReplicaState[]; observers: ReplicaState[] } {
  if (status.controllerId === null) {
    throw new TerseError(`No active controller: fewer than ${status.quorum.majority} of the metadata quorum voters (${status.quorum.voters.join(', ')}) are up, so describeMetadataQuorum would time out.`);
  }
  const highWatermark = status.quorum.metadataOffset;
  const offsets = new Map(status.quorum.replicas.map((r) => [r.brokerId, r.metadataOffset]));
  // Fetch times are not kept per replica: a live replica fetched just now, and caught up now if it has the whole log.
  const state = (id: number): ReplicaState => {
    // The active controller writes the log: its end is the log's end.
    const offset = id === status.controllerId ? highWatermark : (offsets.get(id) ?? null);
    if (offset === null) return { id, logEndOffset: -1, lastFetchMs: -1, lastCaughtUpMs: -1 };
    return { id, logEndOffset: offset, lastFetchMs: status.nowMs, lastCaughtUpMs: offset >= highWatermark ? status.nowMs : -1 };
  };
  const voters = [...status.quorum.voters].sort((a, b) => a - b).map(state);
  const observers = status.brokers.map((b) => b.id).filter((id) => !status.quorum.voters.includes(id)).sort((a, b) => a - b).map(state);
  return { leaderId: status.controllerId, leaderEpoch: status.quorum.leaderEpoch, highWatermark, voters, observers };
}

function describeStatus(status: ClusterStatus, context: ToolContext): void {
  const quorum = quorumOf(status);
  const leader = quorum.voters.find((v) => v.id === quorum.leaderId)!;
  const maxLag = quorum.voters.reduce((min, v) => (v.logEndOffset < min.logEndOffset ? v : min), quorum.voters[0]!);
  const lagTimeMs = leader === maxLag ? 0 : leader.lastCaughtUpMs >= 0 && maxLag.lastCaughtUpMs >= 0 ? leader.lastCaughtUpMs - maxLag.lastCaughtUpMs : -1;
  const lines = [
    `ClusterId:              ${status.clusterId}`,
    `LeaderId:               ${quorum.leaderId}`,
    `LeaderEpoch:            ${quorum.leaderEpoch}`,
    `HighWatermark:          ${quorum.highWatermark}`,
    `MaxFollowerLag:         ${leader.logEndOffset - maxLag.logEndOffset}`,
    `MaxFollowerLagTimeMs:   ${lagTimeMs}`,
    `CurrentVoters:          [${quorum.voters.map((v) => v.id).join(',')}]`,
    `CurrentObservers:       [${quorum.observers.map((v) => v.id).join(',')}]`,
  ];
  for (const line of lines) context.output.out(line);
}

function describeReplication(status: ClusterStatus, humanReadable: boolean, context: ToolContext): void {
  const quorum = quorumOf(status);
  const leader = quorum.voters.find((v) => v.id === quorum.leaderId)!;
  const time = (ms: number): string => (ms < 0 ? '-1' : humanReadable ? `${status.nowMs - ms} ms ago` : String(ms));
  const row = (r: ReplicaState, role: string): string[] => [String(r.id), String(r.logEndOffset), String(leader.logEndOffset - r.logEndOffset), time(r.lastFetchMs), time(r.lastCaughtUpMs), role];
  const rows = [row(leader, 'Leader'), ...quorum.voters.filter((v) => v !== leader).map((v) => row(v, 'Follower')), ...quorum.observers.map((o) => row(o, 'Observer'))];
  const headers = ['NodeId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const cells of [headers, ...rows]) context.output.out(cells.map((c, i) => `${c.padEnd(widths[i]!)}\t`).join(''));
}
