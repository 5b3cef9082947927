/**
 * The embedded cluster as the walking skeleton needs it: N brokers in combined mode (each is also
 * a metadata quorum voter, as `process.roles=broker,controller`), topics with Kafka's validation and
 * replica placement, and per-partition records held in memory.
 *
 * Invariants:
 * - broker ids are 1..N and unique; the controller is a running broker or null;
 * - every partition's replicas are distinct running-or-stopped brokers; its leader, when present,
 *   is in its ISR, and its ISR is a subset of its replicas;
 * - offsets within a partition start at the log start offset and are contiguous;
 * - the high watermark never exceeds the log end offset.
 *
 * The storage and cluster issues replace the in-memory records with per-replica disk logs and
 * real replication; the methods here are what the rest of the engine relies on.
 */
import { assert } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import { partitionForKey } from '../clients/murmur2.js';
import { assignReplicasRackUnaware } from './replica-placement.js';
import { effectiveTopicConfig, validateTopicConfigs } from './topic-configs.js';
import { hasCollisionChars, isInternalTopic, unifyCollisionChars, validateTopicName } from './topic-rules.js';

export interface ClusterOptions {
  readonly brokerCount: number;
  readonly clock: Clock;
  readonly prng: Prng;
  /** First listener port; broker i listens on basePort + i - 1 (9092, 9093, ...). */
  readonly basePort?: number;
  readonly host?: string;
}

export interface Broker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  state: 'running' | 'stopped';
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
  logStartOffset: number;
  highWatermark: number;
  readonly records: StoredRecord[];
}

export interface Topic {
  readonly name: string;
  readonly topicId: string;
  readonly configs: Readonly<Record<string, string>>;
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

const utf8 = new TextEncoder();

export class Cluster {
  readonly clusterId: string;
  readonly brokers: Broker[];
  private readonly topics = new Map<string, Topic>();
  private readonly clock: Clock;
  private readonly prng: Prng;

  constructor(options: ClusterOptions) {
    const { brokerCount } = options;
    if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > limits.brokersMax) {
      throw new RangeError(`broker count must be between 1 and ${limits.brokersMax}, got ${brokerCount}`);
    }
    this.clock = options.clock;
    this.prng = options.prng;
    this.clusterId = randomKafkaUuid(this.prng);
    const basePort = options.basePort ?? 9092;
    const host = options.host ?? 'localhost';
    this.brokers = Array.from({ length: brokerCount }, (_, i) => ({ id: i + 1, host, port: basePort + i, state: 'running' as const }));
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
      partitions: assignment.map((replicas, id) => newPartition(id, replicas)),
    };
    this.topics.set(spec.name, topic);
    return topic;
  }

  deleteTopic(name: string): void {
    this.topic(name);
    if (this.controllerId() === null) throw new KafkaError('NOT_CONTROLLER', 'No active controller: the metadata quorum has no majority.');
    this.topics.delete(name);
  }

  produce(spec: ProduceSpec): ProduceOutcome {
    const topic = this.topic(spec.topic);
    const partitionId = this.choosePartition(topic, spec);
    const partition = topic.partitions[partitionId]!;
    if (partition.leader === null) {
      throw new KafkaError('LEADER_NOT_AVAILABLE', `There is no leader for this topic-partition as we are in the middle of a leadership election (${topic.name}-${partitionId}).`);
    }
    this.checkRecordSize(topic, spec);
    const acksAll = spec.acks === 'all' || spec.acks === '-1';
    const minInsync = Number(effectiveTopicConfig(topic.configs, 'min.insync.replicas'));
    if (acksAll && partition.isr.length < minInsync) {
      throw new KafkaError(
        'NOT_ENOUGH_REPLICAS',
        `The size of the current ISR Set(${partition.isr.join(', ')}) is insufficient to satisfy the min.isr requirement of ${minInsync} for partition ${topic.name}-${partitionId}`,
      );
    }
    const offset = partition.logStartOffset + partition.records.length;
    const timestampMs = spec.timestampMs ?? this.clock.nowMs();
    partition.records.push({ offset, timestampMs, key: spec.key, value: spec.value, headers: spec.headers.map((h) => ({ ...h })) });
    // Every replica is in sync in this in-memory cluster, so the ISR has the record at once.
    partition.highWatermark = offset + 1;
    assert(partition.highWatermark <= partition.logStartOffset + partition.records.length, 'high watermark beyond log end');
    return { topic: topic.name, partition: partitionId, offset: spec.acks === '0' ? -1 : offset, timestampMs };
  }

  /** Records from `offset` up to the high watermark, at most `maxRecords`. */
  read(topicName: string, partitionId: number, offset: number, maxRecords: number): { records: StoredRecord[]; partition: Partition } {
    const partition = this.partition(topicName, partitionId);
    if (offset < partition.logStartOffset || offset > partition.highWatermark) {
      throw new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Fetch position ${offset} is out of range for partition ${topicName}-${partitionId}: valid offsets are ${partition.logStartOffset} to ${partition.highWatermark}.`,
      );
    }
    const from = offset - partition.logStartOffset;
    const to = Math.min(partition.highWatermark - partition.logStartOffset, from + maxRecords);
    return { records: partition.records.slice(from, to), partition };
  }

  partition(topicName: string, partitionId: number): Partition {
    const partition = this.topic(topicName).partitions[partitionId];
    if (partition === undefined || !Number.isInteger(partitionId)) {
      throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topicName}-${partitionId} does not exist.`);
    }
    return partition;
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

  private checkRecordSize(topic: Topic, spec: ProduceSpec): void {
    const maxBytes = Number(effectiveTopicConfig(topic.configs, 'max.message.bytes'));
    const size = approximateRecordBytes(spec);
    if (size > maxBytes) {
      throw new KafkaError('MESSAGE_TOO_LARGE', `The request included a message larger than the max message size the server will accept (${size} > ${maxBytes} bytes).`);
    }
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

function newPartition(id: number, replicas: number[]): Partition {
  return { id, replicas, leader: replicas[0]!, leaderEpoch: 0, isr: [...replicas], logStartOffset: 0, highWatermark: 0, records: [] };
}

/** The bytes a record batch of one record would take (61-byte batch header + record), as Kafka measures against max.message.bytes. */
function approximateRecordBytes(spec: ProduceSpec): number {
  const keyBytes = spec.key === null ? 0 : utf8.encode(spec.key).length;
  const valueBytes = spec.value === null ? 0 : utf8.encode(spec.value).length;
  const headerBytes = spec.headers.reduce((sum, h) => sum + utf8.encode(h.key).length + (h.value === null ? 0 : utf8.encode(h.value).length) + 4, 0);
  return 61 + 16 + keyBytes + valueBytes + headerBytes;
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
