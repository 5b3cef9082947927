/**
 * The fault catalogue: for each kind of fault the workbench can inject, what it targets, what it
 * does (a sentence naming its target, in Kafka's words), how it is undone, the numeric parameters
 * it takes with their defaults and ranges, and how a request for it is checked against the cluster
 * before anything changes (the broker exists, a link joins two brokers, the client exists).
 *
 * Invariants: every kind of FaultKindSchema has exactly one entry; a target that passes
 * `validateFaultTarget` names brokers and clients that exist and parameters within their ranges;
 * every refusal is a KafkaError INVALID_REQUEST whose message names what is wrong and what exists.
 */
import type { FaultCatalogue, FaultKind, FaultTarget } from '../api/faults-dto.js';
import type { Cluster } from '../cluster/cluster.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { ClientDirectory } from './client-control.js';
import { faultLimits } from './fault-limits.js';

export type FaultTargetType = 'broker' | 'link' | 'quorum' | 'client';
export type FaultSeverity = 'info' | 'warn' | 'error';

export interface FaultParam {
  readonly name: string;
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
}

export interface FaultKindInfo {
  readonly targetType: FaultTargetType;
  /** How loud its timeline entry is: what loses a process or the quorum is an error, the rest a warning. */
  readonly severity: FaultSeverity;
  /** What the kind does, in general (the catalogue's line). */
  readonly summary: string;
  /** How it is undone (by hand, or by itself when its duration ends). */
  readonly undo: string;
  readonly params: readonly FaultParam[];
}


export const FAULT_KIND_INFO: Readonly<Record<FaultKind, FaultKindInfo>> = {
  'broker-crash': {
    targetType: 'broker',
    severity: 'error',
    summary: 'kill -9 of the broker process: no controlled shutdown; what its OS wrote survives, and the controller fences it after broker.session.timeout.ms.',
    undo: 'Start the broker again: it recovers its logs and catches up as a follower.',
    params: [],
  },
  'broker-stop': {
    targetType: 'broker',
    severity: 'warn',
    summary: 'kafka-server-stop: a controlled shutdown moves leadership away first, then the broker flushes and stops cleanly.',
    undo: 'Start the broker again.',
    params: [],
  },
  'broker-power-loss': {
    targetType: 'broker',
    severity: 'error',
    summary: "The machine loses power: the process dies and the disk keeps only what was fsynced (Kafka leaves fsync to the OS by default).",
    undo: 'Start the broker again: it recovers from what its disk kept and truncates to the leader.',
    params: [],
  },
  'broker-pause': {
    targetType: 'broker',
    severity: 'warn',
    summary: 'SIGSTOP, like a long GC pause: nothing of the broker runs and nothing answers; the controller fences it after broker.session.timeout.ms.',
    undo: 'Resume it (SIGCONT): it handles what waited for it, in order, and learns it was fenced.',
    params: [],
  },
  'broker-isolate': {
    targetType: 'broker',
    severity: 'warn',
    summary: 'The broker is cut from every other broker and client; its process keeps running.',
    undo: 'Reconnect it.',
    params: [],
  },
  'link-cut': {
    targetType: 'link',
    severity: 'warn',
    summary: 'The network link between two brokers is cut, both ways: no replication, no controller traffic between them.',
    undo: 'Restore the link as it was before.',
    params: [],
  },
  'link-slow': {
    targetType: 'link',
    severity: 'warn',
    summary: 'The link between two brokers gets extra latency and loses a share of its messages, both ways.',
    undo: 'Restore the link as it was before.',
    params: [
      { name: 'latencyMs', defaultValue: 200, min: 0, max: 60_000 },
      { name: 'lossRate', defaultValue: 0, min: 0, max: 1 },
    ],
  },
  'disk-slow': {
    targetType: 'broker',
    severity: 'warn',
    summary: "Every write and read of the broker's disk takes longer: its produce and fetch answers wait for the disk, so producer latency and follower lag grow.",
    undo: 'The disk is fast again.',
    params: [{ name: 'latencyMs', defaultValue: 500, min: 1, max: 60_000 }],
  },
  'disk-full': {
    targetType: 'broker',
    severity: 'error',
    summary: "The broker's disk has no space left: the next write fails with ENOSPC, Kafka takes the log dir offline, and with no log dir left the broker shuts down.",
    undo: 'Space is freed; a broker that shut down because of it is started again.',
    params: [],
  },
  'disk-lying': {
    targetType: 'broker',
    severity: 'warn',
    summary: "fsync returns without making anything durable (a volatile write cache): nothing shows until the machine loses power.",
    undo: 'fsync tells the truth again (what it lied about stays volatile until synced again).',
    params: [],
  },
  'quorum-majority-lost': {
    targetType: 'quorum',
    severity: 'error',
    summary: 'The metadata quorum voters cannot reach one another: no active controller, so no leader election, no ISR change and no metadata change; brokers keep serving the leaders they have.',
    undo: 'Restore the links among the voters: a controller is elected again.',
    params: [],
  },
  'client-crash': {
    targetType: 'client',
    severity: 'error',
    summary: 'The client process dies: no commit, no LeaveGroup; its group waits session.timeout.ms before its partitions move.',
    undo: 'Restart the client: it joins its group again.',
    params: [],
  },
  'client-pause': {
    targetType: 'client',
    severity: 'warn',
    summary: 'A stop-the-world GC pause of the client: no poll, no heartbeat; past session.timeout.ms its group moves its partitions.',
    undo: 'Resume it: it finds every overdue timer at once.',
    params: [],
  },
  'client-slow': {
    targetType: 'client',
    severity: 'warn',
    summary: 'Each record takes this long to process: lag grows, and a batch slower than max.poll.interval.ms makes the consumer leave its group.',
    undo: 'Back to its previous processing time.',
    params: [{ name: 'processingMsPerRecord', defaultValue: 1000, min: 1, max: 3_600_000 }],
  },
  'client-clock-skew': {
    targetType: 'client',
    severity: 'warn',
    summary: "The client's clock runs ahead (positive) or behind: the CreateTime of what it produces carries the skew.",
    undo: 'Back to its previous skew.',
    params: [{ name: 'skewMs', defaultValue: 60_000, min: -86_400_000, max: 86_400_000 }],
  },
};

/** The kinds part of the catalogue the Faults view offers. */
export function faultKindsCatalogue(): FaultCatalogue['kinds'] {
  return (Object.keys(FAULT_KIND_INFO) as FaultKind[]).map((kind) => {
    const info = FAULT_KIND_INFO[kind];
    return { kind, targetType: info.targetType, description: info.summary, undo: info.undo, params: info.params.map((p) => ({ ...p })) };
  });
}

/** What this fault does, in a sentence naming its target ("Broker 2 crashes (kill -9): ..."). */
export function describeFault(target: FaultTarget, voterIds: readonly number[] = []): string {
  switch (target.kind) {
    case 'broker-crash':
      return `Broker ${target.brokerId} crashes (kill -9): no controlled shutdown; what its OS wrote survives.`;
    case 'broker-stop':
      return `Broker ${target.brokerId} stops (kafka-server-stop): leadership moves away first, then a clean shutdown.`;
    case 'broker-power-loss':
      return `Broker ${target.brokerId}'s machine loses power: the process dies and its disk keeps only what was fsynced.`;
    case 'broker-pause':
      return `Broker ${target.brokerId} is paused (SIGSTOP, like a long GC pause): nothing of it runs or answers.`;
    case 'broker-isolate':
      return `Broker ${target.brokerId} is isolated: its network is cut from every other broker and client.`;
    case 'link-cut':
      return `The link between brokers ${target.from} and ${target.to} is cut, both ways.`;
    case 'link-slow':
      return `The link between brokers ${target.from} and ${target.to} gets ${target.latencyMs} ms more latency${target.lossRate > 0 ? ` and loses ${formatShare(target.lossRate)} of its messages` : ''}, both ways.`;
    case 'disk-slow':
      return `Broker ${target.brokerId}'s disk takes ${target.latencyMs} ms more on every write and read: its produce and fetch answers wait for it.`;
    case 'disk-full':
      return `Broker ${target.brokerId}'s disk is full: its next write fails with ENOSPC, the log dir goes offline and the broker shuts down.`;
    case 'disk-lying':
      return `Broker ${target.brokerId}'s disk lies about fsync: nothing written from now on is durable until a power loss shows it.`;
    case 'quorum-majority-lost':
      return `The metadata quorum voters${voterIds.length > 0 ? ` ${voterIds.join(', ')}` : ''} cannot reach one another: no controller, so no election and no metadata change.`;
    case 'client-crash':
      return `Client ${target.clientId} crashes: no commit, no LeaveGroup.`;
    case 'client-pause':
      return `Client ${target.clientId} pauses (a stop-the-world GC pause): no poll, no heartbeat.`;
    case 'client-slow':
      return `Client ${target.clientId} takes ${target.processingMsPerRecord} ms to process each record.`;
    case 'client-clock-skew':
      return `Client ${target.clientId}'s clock runs ${Math.abs(target.skewMs)} ms ${target.skewMs >= 0 ? 'ahead' : 'behind'}: its records' CreateTime carries the skew.`;
  }
}

/** What a request for a fault is checked against. */
export interface FaultValidationContext {
  readonly cluster: Cluster;
  readonly clients: ClientDirectory;
  /** Whether the broker runs on a disk that can be faulted (a FaultableDisk of its own). */
  readonly hasFaultableDisk: (brokerId: number) => boolean;
}

/**
 * Checks a fault's target against the cluster as it is: brokers and clients exist, a link joins two
 * different brokers, parameters are in range, a disk fault has a disk to fault, the quorum can be
 * split. Throws KafkaError INVALID_REQUEST; changes nothing. (Conflicts with active faults and the
 * target's current state are checked when the fault starts.)
 */
export function validateFaultTarget(target: FaultTarget, context: FaultValidationContext): void {
  checkParams(target);
  switch (target.kind) {
    case 'link-cut':
    case 'link-slow':
      return checkLink(context.cluster, target.from, target.to);
    case 'broker-power-loss':
    case 'disk-slow':
    case 'disk-full':
    case 'disk-lying':
      checkBroker(context.cluster, target.brokerId);
      return checkDisk(context, target.brokerId);
    case 'quorum-majority-lost':
      return checkQuorum(context.cluster);
    case 'client-crash':
    case 'client-pause':
    case 'client-slow':
    case 'client-clock-skew':
      return checkClient(context.clients, target.clientId);
    default:
      return checkBroker(context.cluster, target.brokerId);
  }
}

/** Refuses a broker id the cluster does not have, listing the ones it has. */
export function checkBroker(cluster: Cluster, brokerId: number): void {
  const ids = cluster.brokers.map((b) => b.id);
  if (!ids.includes(brokerId)) throw invalid(`Broker ${brokerId} does not exist; the brokers are ${ids.join(', ')}.`);
}

function checkLink(cluster: Cluster, from: number, to: number): void {
  if (from === to) throw invalid(`A link joins two different brokers; got broker ${from} at both ends.`);
  checkBroker(cluster, from);
  checkBroker(cluster, to);
}

function checkDisk(context: FaultValidationContext, brokerId: number): void {
  if (!context.hasFaultableDisk(brokerId)) {
    throw invalid(`Broker ${brokerId}'s disk cannot be faulted: the cluster does not give each broker a disk of its own.`);
  }
}

function checkQuorum(cluster: Cluster): void {
  const voters = cluster.controller.voters();
  if (voters.length < 2) {
    throw invalid(`The metadata quorum has a single voter (broker ${voters[0]}): no cut can split it. Pause or crash broker ${voters[0]} instead.`);
  }
}

function checkClient(clients: ClientDirectory, clientId: string): void {
  if (clients.client(clientId) !== null) return;
  const ids = clients.clientIds();
  if (ids.length === 0) throw invalid(`Client ${clientId} does not exist; no service replica or consumer is running.`);
  const listed = ids.slice(0, faultLimits.clientsListedMax).join(', ') + (ids.length > faultLimits.clientsListedMax ? ', …' : '');
  throw invalid(`Client ${clientId} does not exist; the clients are ${listed}.`);
}

function checkParams(target: FaultTarget): void {
  const info = FAULT_KIND_INFO[target.kind];
  for (const param of info.params) {
    const value = (target as unknown as Record<string, unknown>)[param.name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < param.min || value > param.max) {
      throw invalid(`${param.name} of ${target.kind} must be between ${param.min} and ${param.max}; got ${String(value)}.`);
    }
  }
}

function invalid(message: string): KafkaError {
  return new KafkaError('INVALID_REQUEST', message);
}

function formatShare(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
