/**
 * The embedded cluster: N brokers in combined mode (each is also a metadata quorum voter, as
 * `process.roles=broker,controller`), topics with Kafka's validation and replica placement, and for
 * every partition replica a Kafka log on disk (`<dataDir>/broker-<id>/<topic>-<partition>/`), so
 * the cluster survives restarts and crashes the way Kafka's storage does.
 *
 * In this slice every replica is in sync at once: a produce appends the batch to the leader's log,
 * then the same bytes (offsets assigned in place) to each follower's log, and the high watermark
 * moves to the leader's log end offset. Replication over a simulated network replaces this with
 * the cluster issue.
 *
 * Invariants:
 * - broker ids are 1..N and unique; the controller is a running broker or null;
 * - every partition's replicas are distinct brokers, each with an open log; its leader, when present,
 *   is in its ISR, and its ISR is a subset of its replicas;
 * - the high watermark never exceeds the log end offset of any ISR replica;
 * - the durable metadata (MetadataStore) names exactly the topics in memory after each change; a
 *   partition directory no topic owns is a stray and is removed at start, as Kafka does.
 */
import { assert } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import { partitionForKey } from '../clients/murmur2.js';
import type { Disk } from '../storage/disk/disk.js';
import { logConfigFromTopicConfigs, type LogConfig } from '../storage/log-config.js';
import { LogManager, type LogDirRecoveryReport } from '../storage/log-manager.js';
import type { PartitionLog } from '../storage/partition-log.js';
import { decodeRecordBatches, encodeRecordBatch } from '../storage/record-batch.js';
import { MetadataStore, type ClusterMetadata } from './metadata-store.js';
import { assignReplicasRackUnaware } from './replica-placement.js';
import { effectiveTopicConfig, validateTopicConfigs } from './topic-configs.js';
import { hasCollisionChars, isInternalTopic, unifyCollisionChars, validateTopicName } from './topic-rules.js';

export interface ClusterOptions {
  readonly brokerCount: number;
  readonly clock: Clock;
  readonly prng: Prng;
  /** Where the brokers keep their logs and the controller its metadata. */
  readonly disk: Disk;
  readonly dataDir: string;
  /** First listener port; broker i listens on basePort + i - 1 (9092, 9093, ...). */
  readonly basePort?: number;
  readonly host?: string;
}

export interface Broker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  state: 'running' | 'stopped';
  readonly logs: LogManager;
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

export interface Partition {
  readonly id: number;
  readonly replicas: readonly number[];
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  highWatermark: number;
}

export interface Topic {
  readonly name: string;
  readonly topicId: string;
  readonly configs: Readonly<Record<string, string>>;
  readonly logConfig: LogConfig;
  readonly partitions: Partition[];
}

export interface CreateTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
}

export interface ProduceSpec {
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly StoredHeader[];
  readonly timestampMs?: number | undefined;
  readonly acks: '0' | '1' | 'all' | '-1';
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

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
/** Bytes one read asks of a log per call; whole batches, at least one (KIP-74). */
const READ_CHUNK_BYTES = 1024 * 1024;

export class Cluster {
  readonly clusterId: string;
  readonly brokers: Broker[];
  /** What each broker's log directory looked like at start, and what recovery did. */
  readonly recoveryReports: readonly LogDirRecoveryReport[];
  private readonly topics = new Map<string, Topic>();
  private readonly clock: Clock;
  private readonly prng: Prng;
  private readonly metadata: MetadataStore;

  constructor(options: ClusterOptions) {
    const { brokerCount } = options;
    if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > limits.brokersMax) {
      throw new RangeError(`broker count must be between 1 and ${limits.brokersMax}, got ${brokerCount}`);
    }
    this.clock = options.clock;
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
    if (stored !== null) for (const topic of stored.topics) this.topics.set(topic.name, topicFromMetadata(topic));
    const basePort = options.basePort ?? 9092;
    const host = options.host ?? 'localhost';
    const reports: LogDirRecoveryReport[] = [];
    this.brokers = brokerIds.map((id) => {
      const { manager, report } = LogManager.open({
        disk: options.disk,
        dataDir: options.dataDir,
        brokerId: id,
        nowMs: this.clock.nowMs(),
        configFor: (topic) => this.topics.get(topic)?.logConfig ?? logConfigFromTopicConfigs({}),
      });
      reports.push(report);
      return { id, host, port: basePort + i0(id), state: 'running' as const, logs: manager };
    });
    this.recoveryReports = reports;
    this.attachLogs();
    if (stored === null) this.saveMetadata();
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /** The active controller: in combined mode, the lowest-id running voter holds the quorum's leadership. */
  controllerId(): number | null {
    const running = this.runningBrokerIds();
    const majority = Math.floor(this.brokers.length / 2) + 1;
    return running.length >= majority ? running[0]! : null;
  }

  runningBrokerIds(): number[] {
    return this.brokers.filter((b) => b.state === 'running').map((b) => b.id);
  }

  topicNames(includeInternal: boolean): string[] {
    return [...this.topics.keys()].filter((name) => includeInternal || !isInternalTopic(name)).sort();
  }

  allTopics(): Topic[] {
    return this.topicNames(true).map((name) => this.topics.get(name)!);
  }

  topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (topic === undefined) {
      throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist as expected`);
    }
    return topic;
  }

  createTopic(spec: CreateTopicSpec): Topic {
    validateTopicName(spec.name);
    if (this.topics.has(spec.name)) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`);
    this.checkCollision(spec.name);
    if (spec.partitions < 1) throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.');
    if (spec.partitions > limits.partitionsPerTopicMax) {
      throw new KafkaError('INVALID_PARTITIONS', `Number of partitions ${spec.partitions} is above the workbench's limit of ${limits.partitionsPerTopicMax} per topic.`);
    }
    if (spec.replicationFactor < 1) {
      throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0, or -1 to use the default value.');
    }
    const running = this.runningBrokerIds();
    if (spec.replicationFactor > running.length) {
      throw new KafkaError(
        'INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${spec.replicationFactor} time(s): The target replication factor of ${spec.replicationFactor} cannot be reached because only ${running.length} broker(s) are registered.`,
      );
    }
    if (this.topics.size >= limits.topicsMax) throw new KafkaError('POLICY_VIOLATION', `The workbench holds at most ${limits.topicsMax} topics.`);
    if (this.controllerId() === null) throw new KafkaError('NOT_CONTROLLER', 'No active controller: the metadata quorum has no majority.');
    const configs = validateTopicConfigs(spec.configs);
    const assignment = assignReplicasRackUnaware(spec.partitions, spec.replicationFactor, running, this.prng);
    const topic: Topic = {
      name: spec.name,
      topicId: randomKafkaUuid(this.prng),
      configs,
      logConfig: logConfigFromTopicConfigs(configs),
      partitions: assignment.map((replicas, id) => newPartition(id, replicas)),
    };
    // Metadata first: a crash before the logs exist leaves a topic whose logs are created at start.
    this.topics.set(spec.name, topic);
    this.saveMetadata();
    this.attachLogs();
    return topic;
  }

  deleteTopic(name: string): void {
    const topic = this.topic(name);
    if (this.controllerId() === null) throw new KafkaError('NOT_CONTROLLER', 'No active controller: the metadata quorum has no majority.');
    // Metadata first: a crash before the logs are gone leaves strays, removed at the next start.
    this.topics.delete(name);
    this.saveMetadata();
    for (const partition of topic.partitions) {
      for (const brokerId of partition.replicas) this.broker(brokerId).logs.deleteLog(name, partition.id);
    }
  }

  produce(spec: ProduceSpec): ProduceOutcome {
    const topic = this.topic(spec.topic);
    const partitionId = this.choosePartition(topic, spec);
    const partition = topic.partitions[partitionId]!;
    if (partition.leader === null) {
      throw new KafkaError('LEADER_NOT_AVAILABLE', `There is no leader for this topic-partition as we are in the middle of a leadership election (${topic.name}-${partitionId}).`);
    }
    const acksAll = spec.acks === 'all' || spec.acks === '-1';
    const minInsync = Number(effectiveTopicConfig(topic.configs, 'min.insync.replicas'));
    if (acksAll && partition.isr.length < minInsync) {
      throw new KafkaError(
        'NOT_ENOUGH_REPLICAS',
        `The size of the current ISR Set(${partition.isr.join(', ')}) is insufficient to satisfy the min.isr requirement of ${minInsync} for partition ${topic.name}-${partitionId}`,
      );
    }
    const nowMs = this.clock.nowMs();
    const timestampMs = spec.timestampMs ?? nowMs;
    const batch = encodeRecordBatch({
      records: [
        {
          key: spec.key === null ? null : utf8.encode(spec.key),
          value: spec.value === null ? null : utf8.encode(spec.value),
          headers: spec.headers.map((h) => ({ key: h.key, value: h.value === null ? null : utf8.encode(h.value) })),
          timestampMs,
        },
      ],
    });
    const leaderLog = this.logOf(partition.leader, topic.name, partitionId);
    const appended = leaderLog.appendAsLeader(batch, partition.leaderEpoch, nowMs);
    // Every ISR follower has the batch at once in this slice: the same bytes, offsets already assigned.
    for (const follower of partition.isr) {
      if (follower !== partition.leader) this.logOf(follower, topic.name, partitionId).appendAsFollower(batch, nowMs);
    }
    this.advanceHighWatermark(topic.name, partition);
    const reportedTimestampMs = appended.logAppendTimeMs >= 0 ? appended.logAppendTimeMs : timestampMs;
    return { topic: topic.name, partition: partitionId, offset: spec.acks === '0' ? -1 : appended.firstOffset, timestampMs: reportedTimestampMs };
  }

  /** Records from `offset` up to the high watermark, at most `maxRecords`, as a consumer reads them. */
  read(topicName: string, partitionId: number, offset: number, maxRecords: number): { records: StoredRecord[]; offsets: PartitionOffsets } {
    const partition = this.partition(topicName, partitionId);
    const offsets = this.offsets(topicName, partition);
    if (offset < offsets.logStartOffset || offset > partition.highWatermark) {
      throw new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Fetch position ${offset} is out of range for partition ${topicName}-${partitionId}: valid offsets are ${offsets.logStartOffset} to ${partition.highWatermark}.`,
      );
    }
    const log = this.readableLog(topicName, partition);
    const records: StoredRecord[] = [];
    let next = offset;
    // Bounded: each pass returns at least one whole batch (or stops), and stops at maxRecords.
    for (let pass = 0; pass < maxRecords && next < partition.highWatermark && records.length < maxRecords; pass++) {
      const fetched = log.read(next, { maxBytes: READ_CHUNK_BYTES, maxOffset: partition.highWatermark });
      if (fetched.records.length === 0) break;
      for (const batch of decodeRecordBatches(fetched.records)) {
        for (const record of batch.records) {
          if (record.offset < next || records.length >= maxRecords) continue;
          records.push(storedRecordOf(record));
        }
        next = Math.max(next, batch.lastOffset + 1);
      }
    }
    return { records, offsets };
  }

  partition(topicName: string, partitionId: number): Partition {
    const partition = this.topic(topicName).partitions[partitionId];
    if (partition === undefined || !Number.isInteger(partitionId)) {
      throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topicName}-${partitionId} does not exist.`);
    }
    return partition;
  }

  /** Log start, log end and high watermark of a partition, as its leader (or best replica) sees them. */
  offsets(topicName: string, partition: Partition): PartitionOffsets {
    const log = this.readableLog(topicName, partition);
    return { logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset, highWatermark: partition.highWatermark };
  }

  /** Kafka's periodic broker work: checkpoints (high watermarks, recovery points, log start offsets). */
  checkpoint(): void {
    for (const broker of this.brokers) broker.logs.checkpoint();
  }

  /** Retention and compaction, as the log cleaner's schedule runs them (log.retention.check.interval.ms). */
  cleanupLogs(): void {
    const nowMs = this.clock.nowMs();
    for (const broker of this.brokers) broker.logs.cleanupLogs(nowMs);
  }

  /** Clean shutdown: every broker flushes, checkpoints and leaves its clean-shutdown marker. */
  shutdown(): void {
    const nowMs = this.clock.nowMs();
    for (const broker of this.brokers) broker.logs.shutdown(nowMs);
  }

  private broker(id: number): Broker {
    const broker = this.brokers.find((b) => b.id === id);
    assert(broker !== undefined, `broker ${id} exists`);
    return broker;
  }

  private logOf(brokerId: number, topic: string, partitionId: number): PartitionLog {
    const log = this.broker(brokerId).logs.getLog(topic, partitionId);
    assert(log !== undefined, `broker ${brokerId} has a log for ${topic}-${partitionId}`);
    return log;
  }

  private readableLog(topicName: string, partition: Partition): PartitionLog {
    return this.logOf(partition.leader ?? partition.replicas[0]!, topicName, partition.id);
  }

  /** Opens (creating when missing) every assigned replica's log, drops strays, and restores high watermarks. */
  private attachLogs(): void {
    const nowMs = this.clock.nowMs();
    for (const broker of this.brokers) {
      for (const log of broker.logs.allLogs()) {
        const topic = this.topics.get(log.topic);
        if (topic === undefined || !topic.partitions[log.partition]?.replicas.includes(broker.id)) broker.logs.deleteLog(log.topic, log.partition);
      }
    }
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        for (const brokerId of partition.replicas) this.broker(brokerId).logs.getOrCreateLog(topic.name, partition.id, nowMs);
        this.advanceHighWatermark(topic.name, partition);
      }
    }
  }

  /** The high watermark is the smallest log end offset in the ISR (all of which have every record here). */
  private advanceHighWatermark(topicName: string, partition: Partition): void {
    const inSync = partition.isr.length > 0 ? partition.isr : partition.replicas;
    const hw = Math.min(...inSync.map((id) => this.logOf(id, topicName, partition.id).logEndOffset));
    partition.highWatermark = hw;
    for (const id of partition.replicas) this.logOf(id, topicName, partition.id).updateHighWatermark(hw);
    assert(partition.highWatermark <= this.logOf(inSync[0]!, topicName, partition.id).logEndOffset, 'high watermark beyond log end');
  }

  private saveMetadata(): void {
    const metadata: ClusterMetadata = {
      version: 1,
      clusterId: this.clusterId,
      brokerIds: this.brokers.map((b) => b.id),
      topics: [...this.topics.values()].map((t) => ({
        name: t.name,
        topicId: t.topicId,
        configs: { ...t.configs },
        partitions: t.partitions.map((p) => ({ replicas: [...p.replicas], leader: p.leader, leaderEpoch: p.leaderEpoch, isr: [...p.isr] })),
      })),
    };
    this.metadata.save(metadata);
  }

  private choosePartition(topic: Topic, spec: ProduceSpec): number {
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
    for (const existing of this.topics.keys()) {
      if (unifyCollisionChars(existing) === unified) {
        throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topic: ${existing}`);
      }
    }
  }
}

function i0(brokerId: number): number {
  return brokerId - 1;
}

function topicFromMetadata(t: ClusterMetadata['topics'][number]): Topic {
  return {
    name: t.name,
    topicId: t.topicId,
    configs: t.configs,
    logConfig: logConfigFromTopicConfigs(t.configs),
    partitions: t.partitions.map((p, id) => ({ id, replicas: p.replicas, leader: p.leader, leaderEpoch: p.leaderEpoch, isr: [...p.isr], highWatermark: 0 })),
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

function newPartition(id: number, replicas: number[]): Partition {
  return { id, replicas, leader: replicas[0]!, leaderEpoch: 0, isr: [...replicas], highWatermark: 0 };
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
