/**
 * The port between the in-process producer and the cluster: the three requests a Java producer
 * sends (Metadata, InitProducerId, Produce), reduced to what the producer needs. The cluster
 * implements it; tests implement it with a fake broker.
 *
 * Contract for implementations:
 * - `metadata(topic)` answers synchronously from the cluster's current metadata: the partition
 *   count and, per partition, the leader's broker id or null when the partition has no leader.
 *   A topic that does not exist answers UNKNOWN_TOPIC_OR_PARTITION (the producer then waits up to
 *   max.block.ms, as Java's waitOnMetadata does). `leaders.length` must equal `partitionCount`.
 * - `initProducerId(callback)` assigns a producer id and epoch (InitProducerId, for
 *   enable.idempotence=true). The callback runs later, through the scheduler, at most once; if it
 *   never runs, the producer retries after request.timeout.ms.
 * - `send(brokerId, request, onResponse)` delivers one Produce request to one broker: acks, the
 *   broker-side timeoutMs, and exactly one encoded record batch (Kafka record batch v2 bytes, from
 *   engine/storage/record-batch.ts) per topic-partition. `onResponse` runs later, through the
 *   scheduler, at most once, with one answer per partition of the request, or `disconnected` when
 *   the connection broke. It may never run (a lost request or response): request.timeout.ms
 *   handles that. With acks=0 the broker sends no response at all and `onResponse` must not run.
 *
 * The producer never calls the port re-entrantly from a callback, and validates everything the
 * port returns (leaders, counts, one answer per partition) where it enters.
 *
 * Invariants (the producer's side): at most max.in.flight.requests.per.connection requests await an
 * answer per broker; every request carries at least one partition and exactly one batch per
 * partition; a request is answered at most once (a second answer, or one after request.timeout.ms,
 * is ignored).
 */
import type { ProduceErrorName, ProducerErrorName } from './producer-errors.js';

/** acks as the Produce request carries it: -1 (all), 0, 1. */
export type Acks = -1 | 0 | 1;

export interface TopicMetadata {
  readonly partitionCount: number;
  /** Leader broker id per partition (index = partition), null when the partition has no leader. */
  readonly leaders: readonly (number | null)[];
}

export type MetadataAnswer =
  | { readonly ok: true; readonly metadata: TopicMetadata }
  | { readonly ok: false; readonly error: ProducerErrorName; readonly message?: string };

export interface ProducerIdAndEpoch {
  readonly producerId: number;
  readonly producerEpoch: number;
}

export type InitProducerIdAnswer =
  | { readonly ok: true; readonly producerIdAndEpoch: ProducerIdAndEpoch }
  | { readonly ok: false; readonly error: ProducerErrorName; readonly message?: string };

export interface ProducePartitionData {
  readonly topic: string;
  readonly partition: number;
  /** One record batch v2 (magic 2), as Kafka's producer sends it. */
  readonly records: Uint8Array;
}

export interface ProduceRequest {
  readonly acks: Acks;
  /** How long the broker may wait for acks=all replication (the producer's request.timeout.ms). */
  readonly timeoutMs: number;
  readonly partitions: readonly ProducePartitionData[];
}

export interface ProducePartitionResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: ProduceErrorName;
  /** Offset of the batch's first record, -1 on error. */
  readonly baseOffset: number;
  /** The broker's append time when the topic uses LogAppendTime, else -1. */
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  /** The broker's error message (Produce v8+), when it has one. */
  readonly errorMessage?: string | null;
}

export type ProduceResponse =
  | { readonly kind: 'response'; readonly partitions: readonly ProducePartitionResponse[] }
  | { readonly kind: 'disconnected' };

export interface ProducerNetwork {
  metadata(topic: string): MetadataAnswer;
  initProducerId(callback: (answer: InitProducerIdAnswer) => void): void;
  send(brokerId: number, request: ProduceRequest, onResponse: (response: ProduceResponse) => void): void;
}
