/**
 * The group coordinators of the cluster: one GroupCoordinator per running broker, serving the
 * groups whose __consumer_offsets partitions that broker leads, as Kafka's brokers do. This file is
 * the glue between a broker and its coordinator:
 *
 * - the coordinator is created when its broker starts and dropped when the broker stops or dies
 *   (its groups are reloaded from the log by whichever broker leads their partition next);
 * - leadership of __consumer_offsets partitions turns into onElection / onResignation;
 * - the coordinator's log port is the broker's own internal acks=all append and its log;
 * - FindCoordinator is answered by any broker from the metadata, creating __consumer_offsets on
 *   first use (offsets.topic.num.partitions, offsets.topic.replication.factor, compacted, 100 MiB
 *   segments), as Kafka's broker does; until the topic has leaders the answer is
 *   COORDINATOR_NOT_AVAILABLE and clients retry.
 *
 * Invariant: a coordinator exists exactly for the running brokers.
 */
import type { Clock } from '../core/clock.js';
import { isKafkaError } from '../core/kafka-errors.js';
import type { Prng } from '../core/prng.js';
import type { Timers } from '../core/timers.js';
import type { CoordinatorEvent, GroupCoordinatorConfig, OffsetsLogRecord, RequestContext } from '../groups/coordinator-ports.js';
import { findCoordinator, GroupCoordinator } from '../groups/group-coordinator.js';
import type { FindCoordinatorResponse, OffsetCommitRequest, OffsetCommitResponse, OffsetCommitTopic } from '../groups/group-messages.js';
import { OFFSETS_TOPIC_NAME } from '../groups/offsets-records.js';
import { decodeRecordBatches, encodeRecordBatch } from '../storage/record-batch.js';
import type { BrokerNode } from './broker-node.js';
import { NO_LEADER, type GroupApiRequest, type TopicImage } from './messages.js';

/** Kafka's offsets.topic.segment.bytes: the offsets topic rolls at 100 MiB, so compaction keeps up. */
const OFFSETS_TOPIC_SEGMENT_BYTES = 104_857_600;
/** How much of an offsets partition one read takes while loading. */
const LOAD_CHUNK_BYTES = 1_048_576;

export interface GroupHostingOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prng: Prng;
  /** The coordinator configuration, read when needed so a changed broker config applies. */
  readonly config: () => GroupCoordinatorConfig;
  readonly offsetsTopic: () => TopicImage | undefined;
  /** Whether a topic-partition exists in the metadata (OffsetCommit refuses unknown ones first). */
  readonly partitionExists: (topic: string, partition: number) => boolean;
  /** Creates __consumer_offsets (throws a KafkaError when it cannot, e.g. too few brokers). */
  readonly createOffsetsTopic: (partitions: number, configs: Record<string, string>) => void;
  readonly onEvent: (brokerId: number, event: CoordinatorEvent) => void;
}

export class GroupHosting {
  private readonly coordinators = new Map<number, GroupCoordinator>();

  constructor(private readonly options: GroupHostingOptions) {}

  coordinator(brokerId: number): GroupCoordinator | undefined {
    return this.coordinators.get(brokerId);
  }

  brokerStarted(broker: BrokerNode): void {
    this.brokerStopped(broker.id);
    const options = this.options;
    const coordinator = new GroupCoordinator({
      brokerId: broker.id,
      clock: options.clock,
      timers: broker.processTimers,
      prng: options.prng,
      get config() {
        return options.config();
      },
      log: {
        append: (partition, records, onDone) => {
          const batch = encodeOffsetsBatch(records, options.clock.nowMs());
          broker.appendInternal(OFFSETS_TOPIC_NAME, partition, batch, options.config().offsetsCommitTimeoutMs, onDone);
        },
        read: (partition) => readOffsetsPartition(broker, partition),
      },
      onEvent: (event) => options.onEvent(broker.id, event),
    });
    coordinator.startup();
    this.coordinators.set(broker.id, coordinator);
  }

  brokerStopped(brokerId: number): void {
    this.coordinators.get(brokerId)?.shutdown();
    this.coordinators.delete(brokerId);
  }

  /** A broker gained or lost the leadership of a partition. */
  onLeadership(brokerId: number, topic: string, partition: number, leader: boolean, leaderEpoch: number): void {
    if (topic !== OFFSETS_TOPIC_NAME) return;
    const coordinator = this.coordinators.get(brokerId);
    if (coordinator === undefined || partition >= this.options.config().offsetsTopicNumPartitions) return;
    if (leader) coordinator.onElection(partition, leaderEpoch);
    else coordinator.onResignation(partition, leaderEpoch);
  }

  /** A group API request reached a broker. */
  handle(brokerId: number, message: GroupApiRequest, reply: (response: unknown) => void): void {
    const { request } = message;
    if (request.api === 'FindCoordinator') return reply(this.findCoordinator(request.key));
    const coordinator = this.coordinators.get(brokerId);
    // Only running brokers receive requests, and each has its coordinator.
    if (coordinator === undefined) return;
    const context = { clientId: message.clientId, clientHost: message.clientHost, ...(message.joinGroupVersion === undefined ? {} : { joinGroupVersion: message.joinGroupVersion }) };
    if (request.api === 'OffsetCommit') return this.commitKnownPartitions(coordinator, request, context, reply);
    coordinator.handle(request, context, reply);
  }

  /**
   * KafkaApis.handleOffsetCommitRequest: partitions missing from the metadata are answered
   * UNKNOWN_TOPIC_OR_PARTITION by the broker; the rest go to the coordinator; one merged answer.
   */
  private commitKnownPartitions(coordinator: GroupCoordinator, request: OffsetCommitRequest, context: RequestContext, reply: (response: unknown) => void): void {
    const unknown: OffsetCommitResponse['topics'][number][] = [];
    const known: OffsetCommitTopic[] = [];
    for (const topic of request.topics) {
      const exists = topic.partitions.filter((p) => this.options.partitionExists(topic.name, p.partition));
      const missing = topic.partitions.filter((p) => !this.options.partitionExists(topic.name, p.partition));
      if (exists.length > 0) known.push({ name: topic.name, partitions: exists });
      if (missing.length > 0) unknown.push({ name: topic.name, partitions: missing.map((p) => ({ partition: p.partition, error: 'UNKNOWN_TOPIC_OR_PARTITION' as const })) });
    }
    if (known.length === 0) return reply({ topics: unknown });
    coordinator.handle({ ...request, topics: known }, context, (response: OffsetCommitResponse) => reply({ topics: [...response.topics, ...unknown] }));
  }

  private findCoordinator(key: string): FindCoordinatorResponse {
    const config = this.options.config();
    let topic = this.options.offsetsTopic();
    if (topic === undefined) {
      try {
        this.options.createOffsetsTopic(config.offsetsTopicNumPartitions, {
          'cleanup.policy': 'compact',
          'segment.bytes': String(OFFSETS_TOPIC_SEGMENT_BYTES),
          'compression.type': 'producer',
        });
      } catch (error) {
        if (!isKafkaError(error)) throw error;
        // Kafka answers COORDINATOR_NOT_AVAILABLE when the internal topic cannot be created (yet).
        return { error: 'COORDINATOR_NOT_AVAILABLE', nodeId: -1 };
      }
      topic = this.options.offsetsTopic();
    }
    const partitions = topic?.partitions ?? [];
    return findCoordinator({ api: 'FindCoordinator', key }, partitions.length || config.offsetsTopicNumPartitions, (partition) => {
      const leader = partitions[partition]?.leader ?? NO_LEADER;
      return leader === NO_LEADER ? null : leader;
    });
  }
}

/** The coordinator's records as one batch, CreateTime = now (Kafka's coordinator writes magic 2 batches). */
function encodeOffsetsBatch(records: readonly OffsetsLogRecord[], nowMs: number): Uint8Array {
  return encodeRecordBatch({ records: records.map((r) => ({ key: r.key, value: r.value, headers: [], timestampMs: nowMs })) });
}

/** Every record of a partition of __consumer_offsets on this broker, from the log start to the log end. */
function* readOffsetsPartition(broker: BrokerNode, partition: number): Iterable<OffsetsLogRecord> {
  const log = broker.log(OFFSETS_TOPIC_NAME, partition);
  if (log === undefined) return;
  let next = log.logStartOffset;
  const end = log.logEndOffset;
  // Bounded: each pass moves past at least one whole batch, or stops.
  for (let pass = 0; next < end && pass <= end - log.logStartOffset; pass++) {
    const fetched = log.read(next, { maxBytes: LOAD_CHUNK_BYTES, maxOffset: end });
    if (fetched.records.length === 0) return;
    for (const batch of decodeRecordBatches(fetched.records)) {
      if (batch.isControl) {
        next = Math.max(next, batch.lastOffset + 1);
        continue;
      }
      for (const record of batch.records) {
        if (record.offset < next || record.key === null) continue;
        yield { key: record.key, value: record.value };
      }
      next = Math.max(next, batch.lastOffset + 1);
    }
  }
}
