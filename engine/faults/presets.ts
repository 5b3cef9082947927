/**
 * Presets: known incidents and lessons replayed as timed steps. A preset is resolved against the
 * cluster when it is applied — "the leader of labshoppubsub-0 is broker 1, followers 2 and 3" — and
 * its steps then name those brokers and clients. Every preset ends by undoing what it did (brokers
 * started again, links and replication healed, configs restored); stopping it early does the same.
 *
 * The timings are chosen so the lesson happens with Kafka's defaults: replica.lag.time.max.ms
 * 30000 (a follower leaves the ISR 30–45 s after it stopped fetching: the leader checks every
 * 15 s), broker.session.timeout.ms 9000 (a silent broker is fenced and loses its leaderships),
 * session.timeout.ms 45000, max.poll.interval.ms 300000.
 *
 * Why two ways to stop replication: `acks1-failover-loss` cuts the leader's links (the catalogue's
 * link-cut), which is enough since the leader crashes seconds later, before its ISR could change.
 * The ISR-shrink presets need the leader to go on talking to the controller for 30 s and more while
 * its followers cannot fetch — in combined-mode KRaft every broker here is also a voter, so a cut
 * link would cut the controller traffic too. They cut the replication traffic only (a firewall on
 * the broker listener; the controller listener passes), so the ISR change reaches the controller.
 *
 * Invariants: a plan's steps are sorted by `atMs`; everything a step changes is undone by a later
 * step of the same plan (or by the injector's cleanup if the run is stopped); resolution refuses,
 * with a KafkaError naming the reason, a partition without a live leader and an in-sync follower,
 * or a client that is not running.
 */
import type { ApplyPresetSpec, FaultCatalogue, FaultTarget, PresetId } from '../api/faults-dto.js';
import type { Cluster } from '../cluster/cluster.js';
import { NO_LEADER } from '../cluster/messages.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { ClientDirectory } from './client-control.js';

/** What presets need besides the cluster (the lead wires them to the services). */
export interface PresetPorts {
  /** Places `count` orders through the order service, one every `intervalMs` (engine time). */
  placeOrders(count: number, intervalMs: number): void;
  /** The order service's topic, the presets' default. */
  defaultTopic(): string;
  readonly clients: ClientDirectory;
  /** The inventory replicas' client ids, in replica order. */
  inventoryClientIds(): readonly string[];
}

/** What a preset step can do; the fault injector implements it (and undoes it all if the run is stopped). */
export interface PresetActions {
  /** Injects a catalogue fault now; returns its id. Throws a KafkaError when it cannot start. */
  inject(target: FaultTarget): number;
  /** Undoes a fault this run injected. */
  undo(faultId: number): void;
  /** Cuts (true) or heals (false) the replication traffic between two brokers, both ways. */
  setReplicationCut(a: number, b: number, cut: boolean): void;
  /** Sets a topic config (null: removes the override); the value before the first change is restored later. */
  setTopicConfig(topic: string, name: string, value: string | null): void;
  /** Puts a topic config back to what it was before this run changed it. */
  restoreTopicConfig(topic: string, name: string): void;
  placeOrders(count: number, intervalMs: number): void;
  /** Tries a metadata change (a topic creation) and reports what the controller answered. */
  probeController(): void;
}

export interface PresetStepPlan {
  readonly atMs: number;
  readonly description: string;
  readonly run: (actions: PresetActions) => void;
}

export interface PresetPlan {
  /** What it resolved its targets to ("labshoppubsub-0: leader 1, followers 2, 3"). */
  readonly target: string;
  readonly steps: readonly PresetStepPlan[];
}

export interface PresetInfo {
  readonly title: string;
  readonly lesson: string;
  readonly source: string;
  readonly targetType: 'partition' | 'cluster' | 'client';
  readonly durationMs: number;
}

// ---- timings, each from the Kafka default it has to outlast ----------------------------------------

/** The leader crashes this long after its followers stopped fetching: well inside replica.lag.time.max.ms (30 s), before fencing (9 s). */
const FAILOVER_CRASH_AT_MS = 4_000;
/** Links heal after the controller fenced the crashed leader (broker.session.timeout.ms 9 s after its last heartbeat) and elected a follower. */
const FAILOVER_HEAL_AT_MS = 14_000;
const FAILOVER_RESTART_AT_MS = 16_000;
/** The ISR has shrunk to the leader by then: replica.lag.time.max.ms (30 s) plus the leader's 15 s check period, plus margin. */
const ISR_SHRUNK_AT_MS = 50_000;
/** A crashed leader is fenced within broker.session.timeout.ms (9 s) plus a controller tick; restart after that. */
const FENCED_AFTER_CRASH_MS = 14_000;
/**
 * Each record takes this long: the burst of orders is polled in one or two polls (a fetch answered
 * on its first record brings one, the next the rest), and six records already take longer than
 * max.poll.interval.ms (300 s).
 */
const SLOW_CONSUMER_PROCESSING_MS = 60_000;
const SLOW_CONSUMER_ORDERS = 20;
/** The poll timeout has fired by then even if the first poll brought one record: 60 s + 300 s, plus margin. */
const SLOW_CONSUMER_UNDO_AT_MS = 420_000;
/** The crashed consumer is evicted after session.timeout.ms (45 s); restart it well after. */
const CONSUMER_CRASH_AT_MS = 5_000;
const CONSUMER_RESTART_AT_MS = 70_000;
const QUORUM_PROBE_AT_MS = 3_000;
const QUORUM_RESTORE_AT_MS = 30_000;

export const PRESET_INFO: Readonly<Record<PresetId, PresetInfo>> = {
  'acks1-failover-loss': {
    title: 'acks=1 leader failover loses acknowledged records',
    lesson:
      'With acks=1 the leader answers as soon as it has the records. Its followers stop fetching, yet stay in the ISR for replica.lag.time.max.ms (30 s); the leader crashes, one of them becomes leader cleanly without those records, and the old leader truncates them when it returns. With acks=all and min.insync.replicas=2 the same steps lose nothing acknowledged: the sends wait, then retry to the new leader.',
    source: "Kafka's replication design (acks, ISR, replica.lag.time.max.ms)",
    targetType: 'partition',
    durationMs: FAILOVER_RESTART_AT_MS,
  },
  'unclean-election-loss': {
    title: 'The ISR shrinks to the leader, then an unclean election',
    lesson:
      'Followers that cannot fetch for longer than replica.lag.time.max.ms leave the ISR, and with min.insync.replicas=1 acks=all is then answered by the leader alone. When that leader dies and unclean.leader.election.enable=true, an out-of-sync follower becomes leader: what was acknowledged since the followers fell behind is lost when the old leader rejoins and truncates.',
    source: 'Jepsen: Kafka (Kyle Kingsbury, 2013)',
    targetType: 'partition',
    durationMs: ISR_SHRUNK_AT_MS + 2_000 + FENCED_AFTER_CRASH_MS + 2_000,
  },
  'last-replica-standing': {
    title: 'Last replica standing',
    lesson:
      'When the ISR has shrunk to the leader and the leader dies, with unclean leader election off no other replica may lead: the partition is offline — no reads, no writes — until that last in-sync replica returns, and then nothing acknowledged is lost. KIP-966 (Eligible Leader Replicas) narrows when this happens.',
    source: 'KIP-966: Eligible Leader Replicas',
    targetType: 'partition',
    durationMs: ISR_SHRUNK_AT_MS + 25_000 + 2_000,
  },
  'quorum-majority-lost': {
    title: 'The metadata quorum loses its majority',
    lesson:
      'Without a majority of the KRaft voters there is no active controller: no leader election, no ISR change, no topic creation. Brokers keep serving the leaders they have, so reads and acks=1 writes go on, until something needs the controller.',
    source: 'KIP-500 and KIP-595 (KRaft)',
    targetType: 'cluster',
    durationMs: QUORUM_RESTORE_AT_MS,
  },
  'slow-consumer-poll-timeout': {
    title: 'A consumer slower than max.poll.interval.ms',
    lesson:
      'If processing what one poll returned takes longer than max.poll.interval.ms (300 s), the consumer leaves its group: its partitions go to another member, which processes again what was not committed, and when the slow one polls again it rejoins — a second rebalance.',
    source: 'KIP-62: max.poll.interval.ms',
    targetType: 'client',
    durationMs: SLOW_CONSUMER_UNDO_AT_MS,
  },
  'consumer-crash-no-leave': {
    title: 'A consumer crashes without LeaveGroup',
    lesson:
      'A consumer that dies sends no LeaveGroup: the coordinator notices only when session.timeout.ms (45 s) passes without a heartbeat. Until then its partitions belong to a dead member, nobody consumes them, and their lag grows.',
    source: 'The classic consumer group protocol (session.timeout.ms)',
    targetType: 'client',
    durationMs: CONSUMER_RESTART_AT_MS,
  },
};

/** The presets part of the catalogue the Faults view offers. */
export function presetCatalogue(): FaultCatalogue['presets'] {
  return (Object.keys(PRESET_INFO) as PresetId[]).map((presetId) => ({ presetId, ...PRESET_INFO[presetId] }));
}

/** Resolves a preset against the cluster as it is now; throws a KafkaError when it cannot apply. */
export function planPreset(spec: ApplyPresetSpec, cluster: Cluster, ports: PresetPorts): PresetPlan {
  switch (spec.presetId) {
    case 'acks1-failover-loss':
      return failoverLossPlan(resolvePartition(spec, cluster, ports));
    case 'unclean-election-loss':
      return uncleanElectionPlan(resolvePartition(spec, cluster, ports));
    case 'last-replica-standing':
      return lastReplicaPlan(resolvePartition(spec, cluster, ports));
    case 'quorum-majority-lost':
      return quorumPlan(cluster);
    case 'slow-consumer-poll-timeout':
      return slowConsumerPlan(resolveClient(spec, ports));
    case 'consumer-crash-no-leave':
      return consumerCrashPlan(resolveClient(spec, ports));
  }
}

// ---- plans ---------------------------------------------------------------------------------------

interface ResolvedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
  /** In replica order (the order an unclean election tries them in). */
  readonly followers: readonly number[];
  /** The follower a clean election picks when the leader is lost: the first other ISR member. */
  readonly cleanSuccessor: number;
}

function failoverLossPlan(p: ResolvedPartition): PresetPlan {
  const { leader, followers } = p;
  const cuts: number[] = [];
  let crash = 0;
  return {
    target: partitionTarget(p),
    steps: [
      {
        atMs: 0,
        description: `Cut the links between leader ${leader} and its followers ${list(followers)}: they stop fetching, yet stay in the ISR for replica.lag.time.max.ms (30 s)`,
        run: (a) => {
          for (const f of followers) cuts.push(a.inject({ kind: 'link-cut', from: leader, to: f }));
        },
      },
      {
        atMs: 0,
        description: `Place 20 orders, one every 150 ms: only leader ${leader} gets them, and with acks=1 it answers at once`,
        run: (a) => a.placeOrders(20, 150),
      },
      {
        atMs: FAILOVER_CRASH_AT_MS,
        description: `Leader ${leader} crashes (kill -9) holding records its followers never fetched; the controller fences it within broker.session.timeout.ms and elects ${p.cleanSuccessor} from the ISR`,
        run: (a) => {
          crash = a.inject({ kind: 'broker-crash', brokerId: leader });
        },
      },
      {
        atMs: FAILOVER_HEAL_AT_MS,
        description: `Heal the links between broker ${leader} and brokers ${list(followers)}`,
        run: (a) => {
          for (const id of cuts.splice(0)) a.undo(id);
        },
      },
      {
        atMs: FAILOVER_RESTART_AT_MS,
        description: `Restart broker ${leader}: it rejoins as a follower and truncates what the new leader never had — with acks=1, acknowledged records are lost`,
        run: (a) => a.undo(crash),
      },
    ],
  };
}

function uncleanElectionPlan(p: ResolvedPartition): PresetPlan {
  const { topic, leader, followers } = p;
  let crash = 0;
  const crashAt = ISR_SHRUNK_AT_MS + 2_000;
  return {
    target: partitionTarget(p),
    steps: [
      cutReplicationStep(leader, followers),
      {
        atMs: 0,
        description: `Place 50 orders, one a second: once the ISR is leader ${leader} alone, acks=all with min.insync.replicas=1 is answered by it alone`,
        run: (a) => a.placeOrders(50, 1_000),
      },
      {
        atMs: ISR_SHRUNK_AT_MS,
        description: `Set unclean.leader.election.enable=true on ${topic} (Kafka's default before 0.11, as in Jepsen's 2013 test)`,
        run: (a) => a.setTopicConfig(topic, 'unclean.leader.election.enable', 'true'),
      },
      {
        atMs: crashAt,
        description: `Leader ${leader}, the only replica in the ISR, crashes (kill -9); once it is fenced, out-of-sync follower ${followers[0]} is elected uncleanly`,
        run: (a) => {
          crash = a.inject({ kind: 'broker-crash', brokerId: leader });
        },
      },
      healReplicationStep(crashAt + 1_000, leader, followers),
      {
        atMs: crashAt + FENCED_AFTER_CRASH_MS,
        description: `Restart broker ${leader}: it follows the unclean leader and truncates every record written after its followers fell behind — acknowledged ones included`,
        run: (a) => a.undo(crash),
      },
      {
        atMs: crashAt + FENCED_AFTER_CRASH_MS + 2_000,
        description: `Restore unclean.leader.election.enable on ${topic}`,
        run: (a) => a.restoreTopicConfig(topic, 'unclean.leader.election.enable'),
      },
    ],
  };
}

function lastReplicaPlan(p: ResolvedPartition): PresetPlan {
  const { topic, leader, followers } = p;
  let crash = 0;
  const restartAt = ISR_SHRUNK_AT_MS + 25_000;
  return {
    target: partitionTarget(p),
    steps: [
      {
        atMs: 0,
        description: `Set unclean.leader.election.enable=false on ${topic} (Kafka's default), so only an in-sync replica may lead`,
        run: (a) => a.setTopicConfig(topic, 'unclean.leader.election.enable', 'false'),
      },
      cutReplicationStep(leader, followers),
      {
        atMs: 0,
        description: `Place 40 orders, one a second: they reach leader ${leader} only`,
        run: (a) => a.placeOrders(40, 1_000),
      },
      {
        atMs: ISR_SHRUNK_AT_MS,
        description: `Leader ${leader}, the last replica in the ISR, crashes (kill -9): once it is fenced the partition has no leader`,
        run: (a) => {
          crash = a.inject({ kind: 'broker-crash', brokerId: leader });
        },
      },
      healReplicationStep(ISR_SHRUNK_AT_MS + 2_000, leader, followers),
      {
        atMs: restartAt,
        description: `The last replica standing returns: broker ${leader} restarts and leads again, and the followers catch up from it — nothing acknowledged is lost`,
        run: (a) => a.undo(crash),
      },
      {
        atMs: restartAt + 2_000,
        description: `Restore unclean.leader.election.enable on ${topic}`,
        run: (a) => a.restoreTopicConfig(topic, 'unclean.leader.election.enable'),
      },
    ],
  };
}

function quorumPlan(cluster: Cluster): PresetPlan {
  const voters = cluster.controller.voters();
  if (voters.length < 2) throw invalid(`The metadata quorum has a single voter (broker ${voters[0]}): no cut can split it; the preset needs at least 2 brokers.`);
  let fault = 0;
  return {
    target: `voters ${list(voters)}`,
    steps: [
      {
        atMs: 0,
        description: `Cut the links among the quorum voters ${list(voters)}: none reaches a majority, so there is no active controller`,
        run: (a) => {
          fault = a.inject({ kind: 'quorum-majority-lost' });
        },
      },
      {
        atMs: QUORUM_PROBE_AT_MS,
        description: 'Try to create a topic: the controller is needed, and there is none (NOT_CONTROLLER)',
        run: (a) => a.probeController(),
      },
      {
        atMs: QUORUM_RESTORE_AT_MS,
        description: `Restore the links among the voters: voter ${Math.min(...voters)} leads a majority again`,
        run: (a) => a.undo(fault),
      },
    ],
  };
}

function slowConsumerPlan(clientId: string): PresetPlan {
  let slow = 0;
  return {
    target: clientId,
    steps: [
      {
        atMs: 0,
        description: `${clientId} takes ${SLOW_CONSUMER_PROCESSING_MS} ms per record: max.poll.records (500) × ${SLOW_CONSUMER_PROCESSING_MS} ms is far above max.poll.interval.ms (300000 ms), and six records already exceed it`,
        run: (a) => {
          slow = a.inject({ kind: 'client-slow', clientId, processingMsPerRecord: SLOW_CONSUMER_PROCESSING_MS });
        },
      },
      {
        atMs: 1_000,
        description: `Place ${SLOW_CONSUMER_ORDERS} orders at once: ${clientId} polls them together and needs ${SLOW_CONSUMER_ORDERS} × ${SLOW_CONSUMER_PROCESSING_MS} ms before its next poll; after 300000 ms its consumer leaves the group ("consumer poll timeout has expired.")`,
        run: (a) => a.placeOrders(SLOW_CONSUMER_ORDERS, 0),
      },
      {
        atMs: SLOW_CONSUMER_UNDO_AT_MS,
        description: `${clientId} is fast again from its next record: it finishes its batch, polls, finds it left the group and rejoins (another rebalance)`,
        run: (a) => a.undo(slow),
      },
    ],
  };
}

function consumerCrashPlan(clientId: string): PresetPlan {
  let crash = 0;
  return {
    target: clientId,
    steps: [
      {
        atMs: 0,
        description: 'Place 60 orders, one a second',
        run: (a) => a.placeOrders(60, 1_000),
      },
      {
        atMs: CONSUMER_CRASH_AT_MS,
        description: `${clientId} crashes without LeaveGroup: its partitions stall until the coordinator's session.timeout.ms (45 s) expires, then move`,
        run: (a) => {
          crash = a.inject({ kind: 'client-crash', clientId });
        },
      },
      {
        atMs: CONSUMER_RESTART_AT_MS,
        description: `Restart ${clientId}: it joins the group again (another rebalance)`,
        run: (a) => a.undo(crash),
      },
    ],
  };
}

function cutReplicationStep(leader: number, followers: readonly number[]): PresetStepPlan {
  return {
    atMs: 0,
    description: `Cut replication between leader ${leader} and followers ${list(followers)} (the broker listener; the controller listener still passes, so the ISR change reaches the controller): within 30–45 s the ISR shrinks to ${leader}`,
    run: (a) => {
      for (const f of followers) a.setReplicationCut(leader, f, true);
    },
  };
}

function healReplicationStep(atMs: number, leader: number, followers: readonly number[]): PresetStepPlan {
  return {
    atMs,
    description: `Heal replication between broker ${leader} and brokers ${list(followers)}`,
    run: (a) => {
      for (const f of followers) a.setReplicationCut(leader, f, false);
    },
  };
}

// ---- resolution ----------------------------------------------------------------------------------

/** The partition a partition preset acts on: a live leader with at least one follower, all in sync. */
function resolvePartition(spec: ApplyPresetSpec, cluster: Cluster, ports: PresetPorts): ResolvedPartition {
  const topic = spec.topic ?? ports.defaultTopic();
  const partition = spec.partition ?? 0;
  const registration = cluster.partition(topic, partition);
  const name = `${topic}-${partition}`;
  if (registration.leader === NO_LEADER) throw invalid(`${name} has no leader now; the preset starts from a partition with a live leader.`);
  const leader = registration.leader;
  if (cluster.broker(leader).state !== 'running' || cluster.broker(leader).isPaused) throw invalid(`The leader of ${name}, broker ${leader}, is not running; start it first.`);
  const followers = registration.replicas.filter((id) => id !== leader);
  if (followers.length === 0) throw invalid(`${name} has a single replica (broker ${leader}); the preset needs a leader and at least one follower (replication factor 2 or more).`);
  const outOfSync = followers.filter((id) => !registration.isr.includes(id));
  if (outOfSync.length > 0) {
    throw invalid(`${name} has followers out of the ISR (${list(outOfSync)}; ISR ${list(registration.isr)}); the preset starts from a partition whose followers are all in sync — wait until they catch up.`);
  }
  const cleanSuccessor = registration.isr.find((id) => id !== leader) ?? followers[0]!;
  return { topic, partition, leader, followers, cleanSuccessor };
}

/** The client a consumer preset acts on: the one named, else the first running inventory replica. */
function resolveClient(spec: ApplyPresetSpec, ports: PresetPorts): string {
  if (spec.clientId !== undefined) {
    const client = ports.clients.client(spec.clientId);
    if (client === null) throw invalid(`Client ${spec.clientId} does not exist.`);
    if (client.state() !== 'running') throw invalid(`Client ${spec.clientId} is not running (it is ${client.state()}).`);
    return spec.clientId;
  }
  const running = ports.inventoryClientIds().find((id) => ports.clients.client(id)?.state() === 'running');
  if (running === undefined) throw invalid('No inventory replica is running; start one in the Services view, or name a consumer.');
  return running;
}

function partitionTarget(p: ResolvedPartition): string {
  return `${p.topic}-${p.partition}: leader ${p.leader}, follower${p.followers.length > 1 ? 's' : ''} ${list(p.followers)}`;
}

function list(ids: readonly (number | string)[]): string {
  return ids.join(', ');
}

function invalid(message: string): KafkaError {
  return new KafkaError('INVALID_REQUEST', message);
}
