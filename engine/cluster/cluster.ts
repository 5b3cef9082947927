/**
 * The embedded cluster, as the workbench and its tests use it: N brokers (BrokerNode), the metadata
 * quorum and its controller (QuorumController), and the simulated network between them
 * (SimNetwork), all on one clock and one seeded Prng. Every partition replica is a Kafka log on
 * disk (`<dataDir>/broker-<id>/<topic>-<partition>/`); followers fetch from leaders over the
 * network; the controller elects leaders and tracks the ISR; producers are answered per acks.
 *
 * This class validates admin requests as Kafka's controller does (topic name rules, partitions,
 * replication factor against unfenced brokers, configs), persists the controller's metadata, keeps
 * the in-app client's produce requests, and turns broker and controller events into the cluster's
 * event stream, including data loss: acknowledged offsets that a replica later truncated.
 *
 * Fault hooks (engine/faults drives them): a broker can be paused and resumed (SIGSTOP / SIGCONT),
 * the replication traffic between two brokers can be cut while their controller traffic passes,
 * a broker whose only log dir fails (a full disk) halts, and a slow disk delays its broker's answers
 * (BrokerNode's class comment says how each behaves).
 *
 * Invariants:
 * - broker ids are 1..N; the metadata quorum's voters are the first min(3, N) of them;
 * - the durable metadata names exactly the controller's topics after each change; a partition
 *   directory no topic assigns to its broker is a stray and is removed, as Kafka does;
 * - at most `limits.pendingProducesMax` in-app produce requests wait at once.
 */
import { assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { KafkaError, type KafkaErrorName } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { partitionForKey } from '../clients/murmur2.js';
import type { Disk } from '../storage/disk/disk.js';
import { logConfigFromTopicConfigs } from '../storage/log-config.js';
import type { LogDirRecoveryReport } from '../storage/log-manager.js';
import { decodeRecordBatches, encodeRecordBatch, type BatchHeader, type CompressionType, type TimestampType } from '../storage/record-batch.js';
import type { MetadataAnswer, ProducerNetwork } from '../clients/producer/producer-network.js';
import type { ConsumerNetwork } from '../clients/consumer/consumer-network.js';
import { BrokerNode, type BrokerEvent } from './broker-node.js';
import { listOffset } from './consumer-reads.js';
import { GroupHosting } from './group-hosting.js';
import { GROUP_COORDINATOR_CONFIGS, resolveGroupCoordinatorConfig, type CoordinatorEvent, type GroupCoordinatorConfig } from '../groups/coordinator-ports.js';
import { OFFSETS_TOPIC_NAME } from '../groups/offsets-records.js';
import { ClientConnection } from './client-connection.js';
import { QuorumController, type ControllerEvent } from './controller.js';
import { NO_LEADER, type ConsumerFetchResponse, type GroupApiResponse, type ListOffsetsResponse, type PartitionRegistration, type TopicImage } from './messages.js';
import { MetadataStore, type ClusterMetadata } from './metadata-store.js';
import { SimNetwork } from './network.js';
import { assignReplicasRackUnaware } from './replica-placement.js';
import { effectiveTopicConfig, validateTopicConfigs } from './topic-configs.js';
import { brokerConfig, brokerDefaultForTopicConfig, describeBrokerConfigs, describeTopicConfigs, validateBrokerConfigs, type ConfigEntry } from './broker-configs.js';
import { hasCollisionChars, isInternalTopic, unifyCollisionChars, validateTopicName } from './topic-rules.js';
import { SCRAM_ITERATIONS, ScramCredentialStore, type ScramCredential, type ScramCredentialInfo, type ScramMechanism } from './scram-credentials.js';
import { diskLatencyMsOf } from '../storage/disk/faultable-disk.js';

export interface ClusterOptions {
  readonly brokerCount: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prng: Prng;
  /** Where the controller keeps its metadata, and the brokers their logs unless `brokerDisk` says otherwise. */
  readonly disk: Disk;
  /**
   * Each broker's own disk, for simulations that fail one machine's disk (power loss drops what it
   * had not synced; a slow or full disk) without touching the others.
   */
  readonly brokerDisk?: (brokerId: number) => Disk;
  readonly dataDir: string;
  /** First listener port; broker i listens on basePort + i - 1 (9092, 9093, ...). */
  readonly basePort?: number;
  readonly host?: string;
  /**
   * One-way latency of every link, in ms. Default 0: the brokers share one machine, so a message
   * costs CPU time, not wire time; labs and faults add latency per link.
   */
  readonly linkLatencyMs?: number;
  /**
   * How many brokers (the first ones) are metadata quorum voters (controller.quorum.voters);
   * default min(3, brokerCount). A lab shows why an even count tolerates no more failures.
   */
  readonly quorumVoters?: number;
}

export interface StoredHeader {
  readonly key: string;
  readonly value: string | null;
}

export interface StoredRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly StoredHeader[];
}

/** A record with the bounds of the record batch it is stored in. */
export interface BatchedRecord extends StoredRecord {
  readonly batchBaseOffset: number;
  readonly batchLastOffset: number;
}

/** A record batch's header, as kafka-dump-log prints it. */
export interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly maxTimestampMs: number;
  readonly isTransactional: boolean;
}

/** What a read of a partition returns: records below the high watermark, their batches, and the partition's offsets. */
export interface PartitionRead {
  readonly records: BatchedRecord[];
  readonly batches: StoredBatch[];
  readonly offsets: PartitionOffsets;
}

export interface CreateTopicSpec {
  readonly name: string;
  /** -1: the cluster's num.partitions (ignored with a replica assignment). */
  readonly partitions: number;
  /** -1: the cluster's default.replication.factor (ignored with a replica assignment). */
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  /** Replicas per partition, chosen by the user (kafka-topics --replica-assignment 1:2,2:3). */
  readonly replicaAssignment?: readonly (readonly number[])[] | undefined;
}

export interface ReassignmentState {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

export interface ProduceSpec {
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly StoredHeader[];
  readonly timestampMs?: number | undefined;
  readonly acks: '0' | '1' | 'all' | '-1';
  /** request.timeout.ms of this request (default 30000). */
  readonly timeoutMs?: number;
}

export interface ProduceOutcome {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
}

export interface PartitionOffsets {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export interface ReplicaOffsets {
  readonly brokerId: number;
  /** Null while the broker is down. */
  readonly logEndOffset: number | null;
  readonly highWatermark: number | null;
}

export type ClusterEvent =
  | ControllerEvent
  | { readonly type: 'broker-started'; readonly brokerId: number; readonly hadCleanShutdown: boolean; readonly bytesTruncated: number }
  | { readonly type: 'broker-stopped'; readonly brokerId: number; readonly how: 'crash' | 'controlled shutdown' }
  /** SIGSTOP / SIGCONT of a broker's process (a long GC pause). */
  | { readonly type: 'broker-paused'; readonly brokerId: number }
  | { readonly type: 'broker-resumed'; readonly brokerId: number; readonly pausedMs: number }
  /** A write to the broker's only log dir failed (ENOSPC, EIO): the broker halts right after (a 'broker-stopped' crash). */
  | { readonly type: 'log-dir-failed'; readonly brokerId: number; readonly logDir: string; readonly reason: string; readonly message: string }
  | { readonly type: 'truncated'; readonly brokerId: number; readonly topic: string; readonly partition: number; readonly fromOffset: number; readonly toOffset: number; readonly reason: string }
  | { readonly type: 'data-loss'; readonly topic: string; readonly partition: number; readonly firstOffset: number; readonly lastOffset: number; readonly acks: '0' | '1' | 'all'; readonly brokerId: number; readonly message: string }
  /** What a broker's group coordinator did (joins, syncs, rebalances, commits), for the rebalance timeline. */
  | { readonly type: 'group'; readonly brokerId: number; readonly event: CoordinatorEvent };

/** Acknowledged offsets of one partition, as ranges with the acks they were acknowledged with. */
interface AckedRange {
  firstOffset: number;
  lastOffset: number;
  acks: 0 | 1 | -1;
  /** The leader epoch the records were written in. */
  epoch: number;
}

const WORKBENCH_CLIENT_ID = 'workbench';
/** In-process clients run inside the workbench, so the coordinator reports them at the loopback address, as Kafka shows a local client. */
const IN_PROCESS_CLIENT_HOST = '/127.0.0.1';
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
/** Bytes one read asks of a log per call; whole batches, at least one (KIP-74). */
const READ_CHUNK_BYTES = 1024 * 1024;
/** request.timeout.ms, the Java producer's default. */
const REQUEST_TIMEOUT_MS = 30_000;
/** retry.backoff.ms, the Java producer's default. */
const RETRY_BACKOFF_MS = 100;
/** Attempts of one in-app produce: enough to ride out a leader election, not to hide a dead cluster. */
const PRODUCE_ATTEMPTS_MAX = 20;
/** Errors Kafka's producer retries (they are RetriableException subclasses). */
const RETRIABLE_PRODUCE_ERRORS: ReadonlySet<string> = new Set(['NETWORK_EXCEPTION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH']);
/** Acknowledged ranges remembered per partition for loss detection; older ones are merged away. */
const ACKED_RANGES_PER_PARTITION_MAX = 256;

export class Cluster {
  readonly clusterId: string;
  readonly brokers: readonly BrokerNode[];
  readonly network: SimNetwork;
  readonly controller: QuorumController;
  /** What each broker's log directory looked like at its last start, and what recovery did. */
  readonly recoveryReports = new Map<number, LogDirRecoveryReport>();
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly prng: Prng;
  private readonly metadata: MetadataStore;
  private readonly connections = new Map<string, ClientConnection>();
  /** The workbench's own produce form, as one client. */
  private readonly client: ClientConnection;
  /** Producer ids handed out by InitProducerId; durable so ids never repeat across restarts. */
  private nextProducerId: number;
  private readonly acked = new Map<string, AckedRange[]>();
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  /**
   * Grows whenever any replica's log end offset or high watermark moves: views poll it to refresh
   * without an event per record.
   */
  progressCount = 0;
  /** Cluster-wide dynamic broker configs (only the ones set). */
  private readonly brokerConfigs: Record<string, string>;
  /** The users' SCRAM credentials (AlterUserScramCredentials), durable with the metadata. */
  private readonly scramCredentials: ScramCredentialStore;
  /** The highest high watermark each partition's leaders ever reached ("topic\0partition"). */
  private readonly highestHighWatermarks = new Map<string, number>();
  /** The group coordinator of every running broker. */
  readonly groups: GroupHosting;
  private groupConfig: GroupCoordinatorConfig | null = null;
  /** When each paused broker was paused (at most one entry per broker). */
  private readonly pausedAtMs = new Map<number, number>();

  constructor(options: ClusterOptions) {
    const { brokerCount } = options;
    if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > limits.brokersMax) {
      throw new RangeError(`broker count must be between 1 and ${limits.brokersMax}, got ${brokerCount}`);
    }
    this.clock = options.clock;
    this.timers = options.timers;
    this.prng = options.prng;
    this.metadata = new MetadataStore(options.disk, options.dataDir);
    const stored = this.metadata.load();
    const brokerIds = Array.from({ length: brokerCount }, (_, i) => i + 1);
    if (stored !== null && stored.brokerIds.join(',') !== brokerIds.join(',')) {
      throw new Error(
        `The data directory ${options.dataDir} holds a ${stored.brokerIds.length}-broker cluster; start it with ${stored.brokerIds.length} broker(s), or use another data directory for ${brokerCount}.`,
      );
    }
    this.clusterId = stored?.clusterId ?? randomKafkaUuid(this.prng);
    this.brokerConfigs = { ...(stored?.brokerConfigs ?? {}) };
    this.nextProducerId = stored?.nextProducerId ?? 0;
    this.scramCredentials = ScramCredentialStore.fromMetadata(stored?.scramCredentials ?? []);
    this.network = new SimNetwork(this.clock, this.timers, this.prng, { latencyMs: options.linkLatencyMs ?? 0, lossRate: 0, up: true });
    this.client = this.connection(WORKBENCH_CLIENT_ID);
    this.groups = new GroupHosting({
      clock: this.clock,
      timers: this.timers,
      prng: this.prng,
      config: () => (this.groupConfig ??= this.resolveGroupConfig()),
      offsetsTopic: () => this.controller.topic(OFFSETS_TOPIC_NAME),
      partitionExists: (topic, partition) => (this.controller.topic(topic)?.partitions.length ?? 0) > partition && partition >= 0,
      createOffsetsTopic: (partitions, configs) => {
        const replicationFactor = Math.min(Number(this.brokerConfig('offsets.topic.replication.factor')), brokerCount);
        this.createTopic({ name: OFFSETS_TOPIC_NAME, partitions, replicationFactor, configs }, true);
        // The coordinators now count the topic's real partitions.
        this.groupConfig = null;
      },
      onEvent: (brokerId, event) => this.emit({ type: 'group', brokerId, event }),
    });
    const basePort = options.basePort ?? 9092;
    const host = options.host ?? 'localhost';
    this.controller = new QuorumController({
      brokerIds,
      voterIds: brokerIds.slice(0, quorumVotersOf(brokerCount, options.quorumVoters)),
      network: this.network,
      clock: this.clock,
      timers: this.timers,
      onEvent: (event) => this.onControllerEvent(event),
      uncleanAllowed: (topic) => this.topicConfig(topic, 'unclean.leader.election.enable') === 'true',
    });
    this.brokers = brokerIds.map((id) => {
      const disk = options.brokerDisk?.(id) ?? options.disk;
      return new BrokerNode({
        id,
        host,
        port: basePort + id - 1,
        disk,
        diskLatencyMs: () => diskLatencyMsOf(disk),
        onLogDirFailure: (brokerId, logDir, reason) => this.haltOnLogDirFailure(brokerId, logDir, reason),
        dataDir: options.dataDir,
        clock: this.clock,
        timers: this.timers,
        network: this.network,
        logConfigFor: (topic) => logConfigFromTopicConfigs(this.effectiveOverrides(topic)),
        minInsyncFor: (topic) => Number(this.topicConfig(topic, 'min.insync.replicas')),
        reassignmentThrottleBytesPerSec: () => {
          const rate = Number(this.brokerConfig('leader.replication.throttled.rate'));
          return rate >= Number.MAX_SAFE_INTEGER ? null : rate;
        },
        activeController: () => this.controller.activeControllerId(),
        onControllerMessage: (from, message) => this.onControllerMessage(from, message),
        onEvent: (event) => this.onBrokerEvent(event),
        onProgress: () => {
          this.progressCount += 1;
        },
        onGroupRequest: (brokerId, request, reply) => this.groups.handle(brokerId, request, reply),
        onHighWatermark: (topic, partition, hw) => {
          const k = `${topic}\u0000${partition}`;
          if (hw > (this.highestHighWatermarks.get(k) ?? 0)) this.highestHighWatermarks.set(k, hw);
        },
        onLeadership: (brokerId, topic, partition, leader, leaderEpoch) => this.groups.onLeadership(brokerId, topic, partition, leader, leaderEpoch),
      });
    });
    if (stored !== null) this.controller.restore(stored.topics.map(topicImageFromMetadata));
    for (const broker of this.brokers) this.startBroker(broker, true);
    this.controller.start();
    this.saveMetadata();
  }

  onEvent(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  controllerId(): number | null {
    return this.controller.activeControllerId();
  }

  broker(id: number): BrokerNode {
    const broker = this.brokers.find((b) => b.id === id);
    if (broker === undefined) throw new KafkaError('BROKER_NOT_AVAILABLE', `Broker ${id} does not exist; the brokers are ${this.brokers.map((b) => b.id).join(', ')}.`);
    return broker;
  }

  topicNames(includeInternal: boolean): string[] {
    return [...this.controller.image().topics.keys()].filter((name) => includeInternal || !isInternalTopic(name)).sort();
  }

  allTopics(): TopicImage[] {
    const { topics } = this.controller.image();
    return this.topicNames(true).map((name) => topics.get(name)!);
  }

  topic(name: string): TopicImage {
    const topic = this.controller.topic(name);
    if (topic === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist as expected`);
    return topic;
  }

  createTopic(spec: CreateTopicSpec, internal = false): TopicImage {
    const topic = this.planTopic(spec, internal);
    this.controller.addTopic(topic);
    this.saveMetadata();
    return topic;
  }

  /** CreateTopics with validate_only: every check a creation makes, and nothing created. */
  validateCreateTopic(spec: CreateTopicSpec): void {
    this.planTopic(spec, false);
  }

  /** The topic a creation would add, after Kafka's checks (name, collisions, configs, replicas, limits). */
  private planTopic(spec: CreateTopicSpec, internal: boolean): TopicImage {
    validateTopicName(spec.name);
    // Internal topics are the coordinators' to create, on first use, as Kafka's brokers do.
    if (!internal && isInternalTopic(spec.name)) throw new KafkaError('INVALID_REQUEST', `Creation of internal topic ${spec.name} is prohibited.`);
    if (this.controller.topic(spec.name) !== undefined) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`);
    this.checkCollision(spec.name);
    this.controller.requireController();
    const configs = validateTopicConfigs(spec.configs);
    const assignment =
      spec.replicaAssignment === undefined
        ? this.placeReplicas(this.orDefault(spec.partitions, 'num.partitions'), this.orDefault(spec.replicationFactor, 'default.replication.factor'), 0)
        : this.checkAssignment(spec.replicaAssignment);
    if (this.topicNames(true).length >= limits.topicsMax) throw new KafkaError('POLICY_VIOLATION', `The workbench holds at most ${limits.topicsMax} topics.`);
    return { name: spec.name, topicId: randomKafkaUuid(this.prng), configs, partitions: assignment.map(newRegistration) };
  }

  /** kafka-topics --alter --partitions N: only more partitions, never fewer (Kafka cannot remove them). */
  createPartitions(name: string, totalCount: number, assignment?: readonly (readonly number[])[]): TopicImage {
    const added = this.planPartitions(name, totalCount, assignment);
    this.controller.addPartitions(name, added.map(newRegistration));
    this.saveMetadata();
    return this.topic(name);
  }

  /** CreatePartitions with validate_only: every check, nothing added. */
  validateCreatePartitions(name: string, totalCount: number, assignment?: readonly (readonly number[])[]): void {
    this.planPartitions(name, totalCount, assignment);
  }

  /** The replicas of the partitions a CreatePartitions would add, after Kafka's checks. */
  private planPartitions(name: string, totalCount: number, assignment?: readonly (readonly number[])[]): (readonly number[])[] {
    const topic = this.topic(name);
    const current = topic.partitions.length;
    if (totalCount < current) throw new KafkaError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`);
    if (totalCount === current) throw new KafkaError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`);
    if (totalCount > limits.partitionsPerTopicMax) {
      throw new KafkaError('INVALID_PARTITIONS', `Number of partitions ${totalCount} is above the workbench's limit of ${limits.partitionsPerTopicMax} per topic.`);
    }
    this.controller.requireController();
    return assignment === undefined
      ? this.placeReplicas(totalCount - current, topic.partitions[0]!.replicas.length, current)
      : this.checkAssignment(assignment, totalCount - current);
  }

  /** Sets and removes topic config overrides (kafka-configs --alter --add-config / --delete-config). */
  alterTopicConfigs(name: string, set: Readonly<Record<string, string>>, remove: readonly string[]): TopicImage {
    const topic = this.topic(name);
    const validated = validateTopicConfigs(set);
    for (const key of remove) validateTopicConfigs({ [key]: effectiveTopicConfig({}, key) });
    const configs: Record<string, string> = { ...topic.configs, ...validated };
    for (const key of remove) delete configs[key];
    this.controller.setTopicConfigs(name, configs);
    for (const broker of this.brokers) broker.topicConfigChanged(name);
    this.saveMetadata();
    return this.topic(name);
  }

  /** Cluster-wide broker config defaults (kafka-configs --entity-type brokers --entity-default). */
  alterBrokerConfigs(set: Readonly<Record<string, string>>, remove: readonly string[]): void {
    validateBrokerConfigs(set, remove);
    this.controller.requireController();
    const next: Record<string, string> = { ...this.brokerConfigs };
    for (const [key, value] of Object.entries(set)) next[key] = value.trim();
    for (const key of remove) delete next[key];
    // Combinations are checked before anything changes (group.min.session.timeout.ms <= max).
    const groupConfig = this.resolveGroupConfig(next);
    for (const key of Object.keys(this.brokerConfigs)) delete this.brokerConfigs[key];
    Object.assign(this.brokerConfigs, next);
    this.groupConfig = groupConfig;
    for (const topic of this.topicNames(true)) for (const broker of this.brokers) broker.topicConfigChanged(topic);
    this.saveMetadata();
  }

  describeTopicConfigs(name: string): ConfigEntry[] {
    return describeTopicConfigs(this.topic(name).configs, this.brokerConfigs);
  }

  /** The group coordinators' configuration from the cluster's broker configs (Kafka's names and defaults). */
  private resolveGroupConfig(brokerConfigs: Readonly<Record<string, string>> = this.brokerConfigs): GroupCoordinatorConfig {
    const overrides: Record<string, string> = {};
    for (const name of Object.keys(GROUP_COORDINATOR_CONFIGS)) if (brokerConfigs[name] !== undefined) overrides[name] = brokerConfigs[name];
    // Once __consumer_offsets exists its partition count is what groups hash over, as Kafka reads it from the topic.
    const offsetsTopic = this.controller.topic(OFFSETS_TOPIC_NAME);
    if (offsetsTopic !== undefined) overrides['offsets.topic.num.partitions'] = String(offsetsTopic.partitions.length);
    return resolveGroupCoordinatorConfig(overrides);
  }

  describeBrokerConfigs(): ConfigEntry[] {
    return describeBrokerConfigs(this.brokerConfigs);
  }

  /**
   * AlterUserScramCredentials' upsertion (kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=...]'
   * --entity-type users): `user`'s credential for `mechanism` becomes one of `password` with a fresh
   * salt from the seeded Prng; UNACCEPTABLE_CREDENTIAL for an empty user name or iterations outside
   * 4096..16384, as Kafka's controller answers.
   */
  upsertScramCredential(user: string, mechanism: ScramMechanism, password: string, iterations: number = SCRAM_ITERATIONS.default): void {
    this.controller.requireController();
    this.scramCredentials.upsert(user, mechanism, password, iterations, this.prng);
    this.saveMetadata();
  }

  /** AlterUserScramCredentials' deletion: RESOURCE_NOT_FOUND when `user` has no credential for `mechanism`. */
  deleteScramCredential(user: string, mechanism: ScramMechanism): void {
    this.controller.requireController();
    this.scramCredentials.delete(user, mechanism);
    this.saveMetadata();
  }

  /** DescribeUserScramCredentials: mechanism and iterations per credential of `users` (all when omitted), never a salt or key. */
  describeScramCredentials(users?: readonly string[]): ScramCredentialInfo[] {
    return this.scramCredentials.describe(users);
  }

  /** The credential a SASL/SCRAM or SASL/PLAIN login of `user` is checked against, or null. */
  scramCredential(user: string, mechanism: ScramMechanism): ScramCredential | null {
    return this.scramCredentials.get(user, mechanism);
  }

  /** kafka-reassign-partitions --execute: moves each listed partition to its new replicas. */
  reassignPartitions(moves: readonly { topic: string; partition: number; replicas: readonly number[] }[]): void {
    for (const move of moves) {
      this.partition(move.topic, move.partition);
      this.checkAssignment([move.replicas], 1);
    }
    for (const move of moves) this.controller.reassign(move.topic, move.partition, move.replicas);
    this.saveMetadata();
  }

  /** kafka-reassign-partitions --cancel. */
  cancelReassignments(partitions: readonly { topic: string; partition: number }[]): void {
    for (const p of partitions) this.partition(p.topic, p.partition);
    for (const p of partitions) this.controller.cancelReassignment(p.topic, p.partition);
    this.saveMetadata();
  }

  /** Partitions being reassigned, with what is being added and removed (kafka-reassign-partitions --verify). */
  reassignments(): ReassignmentState[] {
    return this.allTopics().flatMap((t) =>
      t.partitions
        .map((p, partition) => ({ topic: t.name, partition, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas }))
        .filter((r) => r.addingReplicas.length > 0 || r.removingReplicas.length > 0),
    );
  }

  /** kafka-leader-election --election-type PREFERRED | UNCLEAN. */
  electLeader(topic: string, partition: number, type: 'preferred' | 'unclean'): void {
    this.partition(topic, partition);
    this.controller.electLeader(topic, partition, type === 'unclean');
    this.saveMetadata();
  }

  /** The value of a cluster-wide broker config (its dynamic default or Kafka's). */
  brokerConfig(name: string): string {
    return brokerConfig(this.brokerConfigs, name);
  }

  deleteTopic(name: string): void {
    this.topic(name);
    this.controller.removeTopic(name);
    for (const k of [...this.highestHighWatermarks.keys()]) if (k.startsWith(`${name}\u0000`)) this.highestHighWatermarks.delete(k);
    for (const key of [...this.acked.keys()]) if (key.startsWith(`${name}-`) && /^\d+$/.test(key.slice(name.length + 1))) this.acked.delete(key);
    this.saveMetadata();
  }

  /**
   * Produces one record, as a ProduceRequest from the workbench: to the partition's leader over the
   * network, retrying after retry.backoff.ms what a metadata refresh fixes (a leader that moved, a
   * topic still being created), at most `PRODUCE_ATTEMPTS_MAX` times. Replication errors
   * (NOT_ENOUGH_REPLICAS, timeouts) are answered at once so the learner sees them; the producer
   * client (engine/clients) retries those as Kafka's does, until delivery.timeout.ms. An unknown topic is created first when
   * auto.create.topics.enable is true, as a broker does for a producer's metadata request.
   */
  async produce(spec: ProduceSpec): Promise<ProduceOutcome> {
    const topic = this.controller.topic(spec.topic) ?? this.autoCreateTopic(spec.topic);
    const partitionId = this.choosePartition(topic, spec);
    const timestampMs = spec.timestampMs ?? this.clock.nowMs();
    const acks = spec.acks === '0' ? 0 : spec.acks === '1' ? 1 : -1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendProduce(topic.name, partitionId, spec, timestampMs, acks);
      } catch (error) {
        if (!(error instanceof KafkaError) || !RETRIABLE_PRODUCE_ERRORS.has(error.errorName) || attempt >= PRODUCE_ATTEMPTS_MAX) throw error;
        await new Promise<void>((wake) => this.timers.after(RETRY_BACKOFF_MS, wake));
      }
    }
  }

  private autoCreateTopic(name: string): TopicImage {
    if (this.brokerConfig('auto.create.topics.enable') !== 'true') {
      throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${name} not present in metadata, and auto.create.topics.enable is false.`);
    }
    return this.createTopic({ name, partitions: -1, replicationFactor: -1, configs: {} });
  }

  private sendProduce(topicName: string, partitionId: number, spec: ProduceSpec, timestampMs: number, acks: 0 | 1 | -1): Promise<ProduceOutcome> {
    const registration = this.partition(topicName, partitionId);
    if (registration.leader === NO_LEADER) {
      throw new KafkaError('LEADER_NOT_AVAILABLE', `There is no leader for this topic-partition as we are in the middle of a leadership election (${topicName}-${partitionId}).`);
    }
    const records = encodeRecordBatch({
      records: [
        {
          key: spec.key === null ? null : utf8.encode(spec.key),
          value: spec.value === null ? null : utf8.encode(spec.value),
          headers: spec.headers.map((h) => ({ key: h.key, value: h.value === null ? null : utf8.encode(h.value) })),
          timestampMs,
        },
      ],
    });
    const timeoutMs = spec.timeoutMs ?? REQUEST_TIMEOUT_MS;
    const leader = registration.leader;
    return new Promise<ProduceOutcome>((resolve, reject) => {
      let timer: TimerHandle | null = null;
      const correlationId = this.client.sendProduce(leader, acks, timeoutMs, [{ topic: topicName, partition: partitionId, records }], (answer) => {
        timer?.cancel();
        if (answer.kind === 'disconnected') return reject(new KafkaError('NETWORK_EXCEPTION', `The connection to broker ${leader} broke before it answered.`));
        const result = answer.response.partitions[0]!;
        if (result.error !== 'NONE') return reject(new KafkaError(result.error as Exclude<KafkaErrorName, 'NONE'>, result.errorMessage ?? result.error));
        resolve({ topic: topicName, partition: partitionId, offset: result.baseOffset, timestampMs: result.logAppendTimeMs >= 0 ? result.logAppendTimeMs : timestampMs });
      });
      if (acks === 0) return resolve({ topic: topicName, partition: partitionId, offset: -1, timestampMs });
      timer = this.timers.after(timeoutMs + 1000, () => {
        this.client.cancel(correlationId);
        reject(new KafkaError('REQUEST_TIMED_OUT', `No answer from broker ${leader} for ${topicName}-${partitionId} within ${timeoutMs} ms (request.timeout.ms).`));
      });
    });
  }

  /**
   * The network port of an in-process producer (engine/clients/producer): metadata from the
   * controller's image, producer ids from the controller, produce requests over the network.
   */
  producerNetwork(clientId: string): ProducerNetwork {
    const connection = this.connection(clientId);
    return {
      metadata: (topic) => this.clientMetadata(topic),
      initProducerId: (callback) => {
        const answer = ((): Parameters<typeof callback>[0] => {
          try {
            this.controller.requireController();
          } catch (error) {
            return { ok: false, error: 'NOT_CONTROLLER', message: (error as Error).message };
          }
          const producerId = this.nextProducerId++;
          this.saveMetadata();
          return { ok: true, producerIdAndEpoch: { producerId, producerEpoch: 0 } };
        })();
        // The answer takes a round trip, like any request.
        this.timers.after(0, () => callback(answer));
      },
      send: (brokerId, request, onResponse) => {
        connection.sendProduce(brokerId, request.acks, request.timeoutMs, request.partitions, (answer) =>
          onResponse(answer.kind === 'disconnected' ? answer : { kind: 'response', partitions: answer.response.partitions }),
        );
      },
    };
  }

  /**
   * The network port of an in-process consumer (engine/clients/consumer): metadata from the
   * controller's image; Fetch, ListOffsets and the group APIs over the network to the brokers.
   */
  consumerNetwork(clientId: string): ConsumerNetwork {
    const connection = this.connection(clientId);
    return {
      metadata: (topic) => this.clientMetadata(topic),
      topicNames: () => [...this.controller.image().topics.keys()].filter((name) => !isInternalTopic(name)).sort(),
      leaderEpoch: (topic, partition) => this.controller.topic(topic)?.partitions[partition]?.leaderEpoch ?? -1,
      fetch: (brokerId, request, onResponse) => {
        connection.request<ConsumerFetchResponse>(brokerId, { kind: 'ConsumerFetch', request }, (answer) =>
          onResponse(answer.kind === 'disconnected' ? answer : { kind: 'response', response: answer.response.partitions }),
        );
      },
      listOffsets: (brokerId, partitions, onResponse) => {
        connection.request<ListOffsetsResponse>(brokerId, { kind: 'ListOffsets', partitions }, (answer) =>
          onResponse(answer.kind === 'disconnected' ? answer : { kind: 'response', response: answer.response.partitions }),
        );
      },
      group: (brokerId, request, onResponse, client) => {
        // FindCoordinator goes to any live broker, as Java's least-loaded node.
        const target = brokerId ?? this.brokers.find((b) => b.state === 'running')?.id ?? this.brokers[0]!.id;
        const who = client ?? { clientId, clientHost: IN_PROCESS_CLIENT_HOST };
        connection.request<GroupApiResponse>(target, { kind: 'GroupRequest', clientId: who.clientId, clientHost: who.clientHost, joinGroupVersion: client?.joinGroupVersion, request }, (answer) =>
          onResponse(answer.kind === 'disconnected' ? answer : { kind: 'response', response: answer.response.response as never }),
        );
      },
    };
  }

  /** A topic's partition count and leaders for a client; auto-creates the topic when the cluster allows. */
  private clientMetadata(topic: string): MetadataAnswer {
    let image = this.controller.topic(topic);
    if (image === undefined) {
      try {
        image = this.autoCreateTopic(topic);
      } catch (error) {
        return { ok: false, error: error instanceof KafkaError ? error.errorName : 'UNKNOWN_SERVER_ERROR', message: (error as Error).message };
      }
    }
    return { ok: true, metadata: { partitionCount: image.partitions.length, leaders: image.partitions.map((p) => (p.leader === NO_LEADER ? null : p.leader)) } };
  }

  private connection(clientId: string): ClientConnection {
    let connection = this.connections.get(clientId);
    if (connection === undefined) {
      if (this.connections.size >= limits.clientsMax) throw new KafkaError('POLICY_VIOLATION', `At most ${limits.clientsMax} in-process clients.`);
      connection = new ClientConnection(this.network, `client:${clientId}`);
      this.connections.set(clientId, connection);
    }
    return connection;
  }

  /** Records from `offset` up to the high watermark, at most `maxRecords`, as a consumer reads them from the leader. */
  read(topicName: string, partitionId: number, offset: number, maxRecords: number): PartitionRead {
    const registration = this.partition(topicName, partitionId);
    const offsets = this.offsets(topicName, partitionId, registration);
    if (offset < offsets.logStartOffset || offset > offsets.highWatermark) {
      throw new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Fetch position ${offset} is out of range for partition ${topicName}-${partitionId}: valid offsets are ${offsets.logStartOffset} to ${offsets.highWatermark}.`,
      );
    }
    const log = this.runningLeader(topicName, partitionId, registration).log(topicName, partitionId);
    const records: BatchedRecord[] = [];
    const batches: StoredBatch[] = [];
    let next = offset;
    // Bounded: each pass returns at least one whole batch (or stops), and stops at maxRecords.
    for (let pass = 0; log !== undefined && pass < maxRecords && next < offsets.highWatermark && records.length < maxRecords; pass++) {
      const fetched = log.read(next, { maxBytes: READ_CHUNK_BYTES, maxOffset: offsets.highWatermark });
      if (fetched.records.length === 0) break;
      for (const batch of decodeRecordBatches(fetched.records)) {
        let taken = 0;
        for (const record of batch.records) {
          if (record.offset < next || record.offset >= offsets.highWatermark || records.length >= maxRecords) continue;
          records.push({ ...storedRecordOf(record), batchBaseOffset: batch.baseOffset, batchLastOffset: batch.lastOffset });
          taken++;
        }
        if (taken > 0) batches.push(storedBatchOf(batch));
        next = Math.max(next, batch.lastOffset + 1);
      }
    }
    return { records, batches, offsets };
  }

  /**
   * ListOffsets by time on the partition's leader, as a consumer's offsetsForTimes() asks it: the
   * earliest offset whose record timestamp is at or after `timestampMs`, found through the
   * segments' time indexes; null when no such record is below the high watermark.
   */
  offsetForTimestamp(topicName: string, partitionId: number, timestampMs: number): { found: { offset: number; timestampMs: number } | null; offsets: PartitionOffsets } {
    const registration = this.partition(topicName, partitionId);
    const offsets = this.offsets(topicName, partitionId, registration);
    const log = this.runningLeader(topicName, partitionId, registration).log(topicName, partitionId);
    if (log === undefined) return { found: null, offsets };
    const answer = listOffset(log, offsets.highWatermark, registration.leaderEpoch, { topic: topicName, partition: partitionId, timestamp: timestampMs });
    if (answer.error !== 'NONE') throw new KafkaError(answer.error, `ListOffsets for ${topicName}-${partitionId} at timestamp ${timestampMs} failed with ${answer.error}.`);
    return { found: answer.offset < 0 ? null : { offset: answer.offset, timestampMs: answer.timestamp }, offsets };
  }

  /** Consumers fetch from the leader only: with the leader down there is nothing to read until a new one is elected. */
  private runningLeader(topicName: string, partitionId: number, registration: PartitionRegistration): BrokerNode {
    const leader = registration.leader === NO_LEADER ? null : this.broker(registration.leader);
    if (leader === null || leader.state !== 'running') {
      throw new KafkaError(
        registration.leader === NO_LEADER ? 'LEADER_NOT_AVAILABLE' : 'NOT_LEADER_OR_FOLLOWER',
        registration.leader === NO_LEADER
          ? `There is no leader for ${topicName}-${partitionId}: no in-sync replica is alive.`
          : `The leader of ${topicName}-${partitionId}, broker ${registration.leader}, is not running; a new leader is elected once the controller fences it.`,
      );
    }
    return leader;
  }

  /**
   * The highest high watermark any leader of the partition ever reached: everything a consumer can
   * ever have read, or been positioned at, lies below it (the simulation's committed-offset check).
   */
  highestHighWatermark(topicName: string, partitionId: number): number {
    return this.highestHighWatermarks.get(`${topicName}\u0000${partitionId}`) ?? 0;
  }

  partition(topicName: string, partitionId: number): PartitionRegistration {
    const partition = this.topic(topicName).partitions[partitionId];
    if (partition === undefined || !Number.isInteger(partitionId)) {
      throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topicName}-${partitionId} does not exist.`);
    }
    return partition;
  }

  /** Log start, log end and high watermark of a partition, as its leader sees them (or its best live replica). */
  offsets(topicName: string, partitionId: number, registration = this.partition(topicName, partitionId)): PartitionOffsets {
    const broker = this.readableBroker(registration);
    const log = broker?.log(topicName, partitionId);
    if (broker === null || log === undefined) return { logStartOffset: 0, logEndOffset: 0, highWatermark: 0 };
    return { logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset, highWatermark: broker.highWatermark(topicName, partitionId) ?? log.highWatermark };
  }

  /** Every replica's log end offset and high watermark: "consumers read only up to the high watermark". */
  replicaOffsets(topicName: string, partitionId: number): ReplicaOffsets[] {
    return this.partition(topicName, partitionId).replicas.map((brokerId) => {
      const broker = this.broker(brokerId);
      const log = broker.log(topicName, partitionId);
      return { brokerId, logEndOffset: log?.logEndOffset ?? null, highWatermark: log === undefined ? null : broker.highWatermark(topicName, partitionId) };
    });
  }

  /** Kills a broker's process: no controlled shutdown; what its OS had written stays. */
  killBroker(id: number): void {
    const broker = this.broker(id);
    if (broker.state !== 'running') throw new KafkaError('BROKER_NOT_AVAILABLE', `Broker ${id} is not running.`);
    // SIGKILL works on a paused process too; what was parked dies with it.
    this.pausedAtMs.delete(id);
    broker.crash();
    this.groups.brokerStopped(id);
    for (const connection of this.connections.values()) connection.brokerDown(id);
    this.emit({ type: 'broker-stopped', brokerId: id, how: 'crash' });
  }

  /** Stops a broker the way `kafka-server-stop` does: leaders move away first, then a clean shutdown. */
  stopBroker(id: number): void {
    const broker = this.broker(id);
    if (broker.state !== 'running') throw new KafkaError('BROKER_NOT_AVAILABLE', `Broker ${id} is not running.`);
    if (broker.isPaused) throw new KafkaError('INVALID_REQUEST', `Broker ${id} is paused (SIGSTOP): it cannot act on a shutdown until it resumes. Resume it first, or kill it.`);
    this.controller.controlledShutdown(id);
    this.saveMetadata();
    broker.shutdown();
    this.groups.brokerStopped(id);
    for (const connection of this.connections.values()) connection.brokerDown(id);
    this.emit({ type: 'broker-stopped', brokerId: id, how: 'controlled shutdown' });
  }

  /**
   * SIGSTOP of a broker's process (a long GC pause): nothing of it runs and nothing it would answer
   * is answered; the controller fences it after broker.session.timeout.ms, and a paused voter counts
   * for no majority. Messages to it wait, and are handled in order when it resumes.
   */
  pauseBroker(id: number): void {
    const broker = this.broker(id);
    if (broker.state !== 'running') throw new KafkaError('BROKER_NOT_AVAILABLE', `Broker ${id} is not running.`);
    if (broker.isPaused) throw new KafkaError('INVALID_REQUEST', `Broker ${id} is already paused.`);
    broker.pause();
    this.pausedAtMs.set(id, this.clock.nowMs());
    this.emit({ type: 'broker-paused', brokerId: id });
  }

  /** SIGCONT: the broker runs again, first handling what came due while it was paused. */
  resumeBroker(id: number): void {
    const broker = this.broker(id);
    if (!broker.isPaused) throw new KafkaError('INVALID_REQUEST', `Broker ${id} is not paused.`);
    const pausedMs = this.clock.nowMs() - (this.pausedAtMs.get(id) ?? this.clock.nowMs());
    this.pausedAtMs.delete(id);
    this.emit({ type: 'broker-resumed', brokerId: id, pausedMs });
    broker.resume();
  }

  /**
   * Cuts (or restores) the replication traffic between two brokers, both ways: their fetches are
   * dropped, as a firewall rule on the broker listener drops them, while heartbeats, AlterPartition
   * and metadata (the controller listener) still pass. What the presets use to shrink an ISR while
   * the metadata quorum keeps its majority.
   */
  setReplicationCut(a: number, b: number, cut: boolean): void {
    if (a === b) throw new KafkaError('INVALID_REQUEST', `A replication link joins two different brokers; got ${a} twice.`);
    const first = this.broker(a);
    const second = this.broker(b);
    first.setReplicationCut(b, cut);
    second.setReplicationCut(a, cut);
  }

  restartBroker(id: number): void {
    const broker = this.broker(id);
    if (broker.state === 'running') throw new KafkaError('INVALID_REQUEST', `Broker ${id} is already running.`);
    this.startBroker(broker);
  }

  /**
   * The broker's only log dir failed: Kafka's ReplicaManager stops serving it and, with no live log
   * dir left, halts the broker (Exit.halt, no controlled shutdown).
   */
  private haltOnLogDirFailure(id: number, logDir: string, reason: string): void {
    this.emit({
      type: 'log-dir-failed',
      brokerId: id,
      logDir,
      reason,
      message: `Stopping serving logs in dir ${logDir}. Shutdown broker because all log dirs in ${logDir} have failed (${reason})`,
    });
    this.killBroker(id);
  }

  /** Kafka's periodic broker work: checkpoints (high watermarks, recovery points, log start offsets). */
  checkpoint(): void {
    for (const broker of this.brokers) broker.checkpoint();
  }

  /** Retention and compaction, as the log cleaner's schedule runs them (log.retention.check.interval.ms). */
  cleanupLogs(): void {
    for (const broker of this.brokers) broker.cleanupLogs();
  }

  /** Clean shutdown of every broker: flush, checkpoints, clean-shutdown markers. */
  shutdown(): void {
    this.controller.stop();
    for (const broker of this.brokers) {
      broker.shutdown();
      this.groups.brokerStopped(broker.id);
    }
    for (const connection of this.connections.values()) connection.close();
  }

  /** A topic config's effective value: the topic's override, else the cluster's broker default, else Kafka's. */
  topicConfig(topic: string, name: string): string {
    const override = this.controller.topic(topic)?.configs[name];
    return override ?? brokerDefaultForTopicConfig(this.brokerConfigs, name) ?? effectiveTopicConfig({}, name);
  }

  /** The topic's overrides on top of the cluster's broker defaults, for the log config. */
  private effectiveOverrides(topic: string): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const name of ['retention.ms', 'retention.bytes', 'segment.bytes', 'cleanup.policy', 'max.message.bytes', 'compression.type']) {
      const brokerDefault = brokerDefaultForTopicConfig(this.brokerConfigs, name);
      if (brokerDefault !== undefined) merged[name] = brokerDefault;
    }
    return { ...merged, ...(this.controller.topic(topic)?.configs ?? {}) };
  }

  private startBroker(broker: BrokerNode, firstStart = false): void {
    // A restart registers a new incarnation; at the cluster's own start every broker is new anyway.
    if (!firstStart) this.controller.onBrokerStarting(broker.id);
    const report = broker.start();
    this.groups.brokerStarted(broker);
    this.recoveryReports.set(broker.id, report);
    // Metadata comes from the controller only (a broker never acts on what it knew before it died);
    // at the first start brokers get it at once so topics can be created immediately.
    const controller = this.controller.activeControllerId();
    if (controller !== null) this.network.send(controller, broker.id, { kind: 'Metadata', image: this.controller.image() });
    const bytesTruncated = report.partitions.reduce((sum, p) => sum + p.bytesTruncated, 0);
    this.emit({ type: 'broker-started', brokerId: broker.id, hadCleanShutdown: report.hadCleanShutdown, bytesTruncated });
  }

  private readableBroker(registration: PartitionRegistration): BrokerNode | null {
    const leader = registration.leader === NO_LEADER ? null : this.broker(registration.leader);
    if (leader !== null && leader.state === 'running') return leader;
    return registration.replicas.map((id) => this.broker(id)).find((b) => b.state === 'running') ?? null;
  }

  private onControllerMessage(from: number, message: unknown): void {
    const inbound = message as { kind: string };
    if (inbound.kind === 'BrokerHeartbeat') {
      const heartbeat = message as { brokerId: number; metadataOffset: number };
      if (heartbeat.brokerId === from) this.controller.onHeartbeat(from, heartbeat.metadataOffset);
    } else if (inbound.kind === 'AlterPartition') {
      this.controller.onAlterPartition(message as Parameters<QuorumController['onAlterPartition']>[0]);
      this.saveMetadata();
    }
  }

  private onControllerEvent(event: ControllerEvent): void {
    if (event.type === 'leader-elected' || event.type === 'partition-offline' || event.type === 'broker-fenced') this.saveMetadataSoon();
    this.emit(event);
  }

  private onBrokerEvent(event: BrokerEvent): void {
    if (event.type === 'produce-acknowledged') return this.rememberAcked(event.topic, event.partition, event.firstOffset, event.lastOffset, event.acks, event.leaderEpoch);
    this.emit(event);
    for (const loss of this.lostBy(event.topic, event.partition)) {
      const acks = loss.acks === -1 ? 'all' : loss.acks === 1 ? '1' : '0';
      this.emit({
        type: 'data-loss',
        topic: event.topic,
        partition: event.partition,
        firstOffset: loss.firstOffset,
        lastOffset: loss.lastOffset,
        acks,
        brokerId: event.brokerId,
        message: `offsets ${loss.firstOffset}–${loss.lastOffset} of ${event.topic}-${event.partition} acknowledged with acks=${acks} were truncated when broker ${event.brokerId} rejoined`,
      });
    }
  }

  private rememberAcked(topic: string, partition: number, firstOffset: number, lastOffset: number, acks: 0 | 1 | -1, epoch: number): void {
    const key = `${topic}-${partition}`;
    const ranges = this.acked.get(key) ?? [];
    const last = ranges.at(-1);
    if (last !== undefined && last.acks === acks && last.epoch === epoch && last.lastOffset + 1 === firstOffset) last.lastOffset = lastOffset;
    else ranges.push({ firstOffset, lastOffset, acks, epoch });
    if (ranges.length > ACKED_RANGES_PER_PARTITION_MAX) ranges.splice(0, ranges.length - ACKED_RANGES_PER_PARTITION_MAX);
    this.acked.set(key, ranges);
  }

  /**
   * After a replica truncated: the acknowledged offsets the partition's running leader no longer
   * holds under the epoch they were written in are lost, and forgotten once reported. A stale
   * replica cutting its own copies loses nothing while the leader still has them; with no running
   * leader the question waits for the next truncation.
   */
  private lostBy(topic: string, partition: number): AckedRange[] {
    const key = `${topic}-${partition}`;
    const ranges = this.acked.get(key);
    const registration = this.controller.topic(topic)?.partitions[partition];
    if (ranges === undefined || registration === undefined || registration.leader === NO_LEADER) return [];
    const leader = this.broker(registration.leader);
    const log = leader.state === 'running' ? leader.log(topic, partition) : undefined;
    if (log === undefined) return [];
    const lost: AckedRange[] = [];
    const kept: AckedRange[] = [];
    for (const range of ranges) {
      // Below the log start, records left by retention, not by truncation.
      if (range.lastOffset < log.logStartOffset) continue;
      const held = heldUnderEpoch(log, range);
      if (held === null) {
        lost.push(range);
        continue;
      }
      if (held.first > range.firstOffset) lost.push({ ...range, lastOffset: held.first - 1 });
      if (held.last < range.lastOffset) lost.push({ ...range, firstOffset: held.last + 1 });
      kept.push({ ...range, firstOffset: held.first, lastOffset: held.last });
    }
    this.acked.set(key, kept);
    return lost;
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private saveMetadataSoon(): void {
    // Controller events arrive mid-change; persist after the change completes.
    this.timers.after(0, () => this.saveMetadata());
  }

  private saveMetadata(): void {
    const metadata: ClusterMetadata = {
      version: 1,
      clusterId: this.clusterId,
      brokerIds: this.brokers.map((b) => b.id),
      topics: this.allTopics().map((t) => ({
        name: t.name,
        topicId: t.topicId,
        configs: { ...t.configs },
        partitions: t.partitions.map((p) => ({
          replicas: [...p.replicas],
          leader: p.leader === NO_LEADER ? null : p.leader,
          leaderEpoch: p.leaderEpoch,
          isr: [...p.isr],
          addingReplicas: [...p.addingReplicas],
          removingReplicas: [...p.removingReplicas],
        })),
      })),
      brokerConfigs: { ...this.brokerConfigs },
      nextProducerId: this.nextProducerId,
      scramCredentials: this.scramCredentials.toMetadata(),
    };
    this.metadata.save(metadata);
  }

  private orDefault(value: number, brokerConfigName: string): number {
    return value === -1 ? Number(this.brokerConfig(brokerConfigName)) : value;
  }

  /** Kafka's automatic placement on the usable (running, unfenced) brokers, with Kafka's refusals. */
  private placeReplicas(partitions: number, replicationFactor: number, startPartitionId: number): number[][] {
    if (partitions < 1) throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.');
    if (partitions > limits.partitionsPerTopicMax) {
      throw new KafkaError('INVALID_PARTITIONS', `Number of partitions ${partitions} is above the workbench's limit of ${limits.partitionsPerTopicMax} per topic.`);
    }
    if (replicationFactor < 1) throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0, or -1 to use the default value.');
    const usable = this.controller.unfencedBrokers().filter((id) => this.broker(id).state === 'running');
    if (replicationFactor > usable.length) {
      throw new KafkaError(
        'INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${usable.length} broker(s) are registered.`,
      );
    }
    return assignReplicasRackUnaware(partitions, replicationFactor, usable, this.prng, startPartitionId);
  }

  /** A user-given assignment, checked as Kafka's controller checks it (INVALID_REPLICA_ASSIGNMENT). */
  private checkAssignment(assignment: readonly (readonly number[])[], expectedPartitions?: number): number[][] {
    if (assignment.length === 0) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'The manual replica assignment is empty.');
    if (expectedPartitions !== undefined && assignment.length !== expectedPartitions) {
      throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Increasing the number of partitions by ${expectedPartitions} but ${assignment.length} assignments provided.`);
    }
    if (assignment.length > limits.partitionsPerTopicMax) throw new KafkaError('INVALID_PARTITIONS', `More than ${limits.partitionsPerTopicMax} partitions.`);
    const size = assignment[0]!.length;
    const known = new Set(this.brokers.map((b) => b.id));
    return assignment.map((replicas, i) => {
      if (replicas.length === 0) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes a partition with no replicas (partition ${i}).`);
      if (replicas.length !== size) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'All partitions in the manual partition assignment must have the same number of replicas.');
      if (new Set(replicas).size !== replicas.length) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment specifies the same node id more than once (partition ${i}: ${replicas.join(',')}).`);
      const unknown = replicas.find((id) => !known.has(id));
      if (unknown !== undefined) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`);
      return [...replicas];
    });
  }

  private choosePartition(topic: TopicImage, spec: ProduceSpec): number {
    const count = topic.partitions.length;
    if (spec.partition !== undefined) {
      if (spec.partition < 0 || spec.partition >= count) {
        throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${spec.partition} of topic ${topic.name} with partition count ${count} is not present in metadata.`);
      }
      return spec.partition;
    }
    if (spec.key !== null) return partitionForKey(utf8.encode(spec.key), count);
    // Keyless single records: the sticky partitioner's choice for a one-record batch is a random partition.
    return this.prng.nextInt(count);
  }

  private checkCollision(name: string): void {
    if (!hasCollisionChars(name)) return;
    const unified = unifyCollisionChars(name);
    for (const existing of this.topicNames(true)) {
      if (unifyCollisionChars(existing) === unified) {
        throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topic: ${existing}`);
      }
    }
  }
}

/** The part of an acknowledged range the log holds under the epoch it was written in, or null. */
function heldUnderEpoch(log: { logEndOffset: number; leaderEpochs: { list(): readonly { epoch: number; startOffset: number }[] } }, range: AckedRange): { first: number; last: number } | null {
  const entries = log.leaderEpochs.list();
  const index = entries.findIndex((e) => e.epoch === range.epoch);
  if (index < 0) return null;
  const epochStart = entries[index]!.startOffset;
  const epochEnd = (entries[index + 1]?.startOffset ?? log.logEndOffset) - 1;
  const first = Math.max(range.firstOffset, epochStart);
  const last = Math.min(range.lastOffset, epochEnd);
  return first > last ? null : { first, last };
}

function newRegistration(replicas: readonly number[]): PartitionRegistration {
  return { replicas, isr: replicas, leader: replicas[0]!, leaderEpoch: 0, partitionEpoch: 0, addingReplicas: [], removingReplicas: [] };
}

function topicImageFromMetadata(t: ClusterMetadata['topics'][number]): TopicImage {
  return {
    name: t.name,
    topicId: t.topicId,
    configs: t.configs,
    partitions: t.partitions.map((p) => ({
      replicas: p.replicas,
      isr: p.isr,
      leader: p.leader ?? NO_LEADER,
      leaderEpoch: p.leaderEpoch,
      partitionEpoch: 0,
      addingReplicas: p.addingReplicas ?? [],
      removingReplicas: p.removingReplicas ?? [],
    })),
  };
}

function storedBatchOf(batch: BatchHeader): StoredBatch {
  return {
    baseOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    recordCount: batch.recordCount,
    sizeInBytes: batch.sizeInBytes,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    compression: batch.compression,
    timestampType: batch.timestampType,
    maxTimestampMs: batch.maxTimestampMs,
    isTransactional: batch.isTransactional,
  };
}

function storedRecordOf(record: { offset: number; timestampMs: number; key: Uint8Array | null; value: Uint8Array | null; headers: readonly { key: string; value: Uint8Array | null }[] }): StoredRecord {
  return {
    offset: record.offset,
    timestampMs: record.timestampMs,
    key: record.key === null ? null : utf8Decoder.decode(record.key),
    value: record.value === null ? null : utf8Decoder.decode(record.value),
    headers: record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : utf8Decoder.decode(h.value) })),
  };
}


/** 16 random bytes in URL-safe base64 without padding, as Kafka prints Uuids (topic ids, cluster ids). */
export function randomKafkaUuid(prng: Prng): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = prng.nextInt(256);
  return base64Url(bytes);
}

function base64Url(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += alphabet[b0 >> 2];
    out += alphabet[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += alphabet[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += alphabet[b2 & 63];
  }
  return out;
}

/** The voter count: the configured one within [1, brokerCount], else Kafka's usual three (or fewer brokers). */
function quorumVotersOf(brokerCount: number, configured: number | undefined): number {
  if (configured === undefined) return Math.min(3, brokerCount);
  if (!(Number.isInteger(configured) && configured >= 1 && configured <= brokerCount)) assertFailed(`quorumVoters ${configured} must be between 1 and ${brokerCount}`);
  return configured;
}
