/**
 * The port between the in-process consumer and the cluster: the requests a Java consumer sends
 * (Metadata, ListOffsets, Fetch, and the group APIs to its coordinator), reduced to what the
 * consumer needs. The cluster implements it; tests implement it with a fake broker.
 *
 * Contract for implementations:
 * - `metadata(topic)` answers synchronously from the cluster's current metadata (the same answer
 *   the producer gets). `topicNames()` lists every topic, for pattern subscriptions (internal
 *   topics such as __consumer_offsets are left out, as Java's exclude.internal.topics=true does).
 * - `fetch`, `listOffsets` and `group` deliver one request to one broker. `onResponse` runs later,
 *   through the scheduler, at most once, or `disconnected` when the connection broke (the broker
 *   died or is unreachable: connection refused comes at once). It may never run (a lost message):
 *   the consumer's request.timeout.ms covers that.
 * - A fetch is answered when at least `minBytes` are available or after `maxWaitMs` (long poll),
 *   reading only up to the high watermark; whole record batches, at least one even when larger
 *   than the limits (KIP-74).
 *
 * The consumer never calls the port re-entrantly from a callback, and validates what it receives.
 */
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import type { GroupRequest, GroupResponseFor } from '../../groups/group-messages.js';
import type { MetadataAnswer } from '../producer/producer-network.js';

export interface FetchPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  /** The leader epoch the consumer last saw for the partition, -1 when unknown. */
  readonly currentLeaderEpoch: number;
  /** max.partition.fetch.bytes */
  readonly partitionMaxBytes: number;
}

export interface ConsumerFetchRequest {
  /** fetch.max.wait.ms */
  readonly maxWaitMs: number;
  /** fetch.min.bytes */
  readonly minBytes: number;
  /** fetch.max.bytes */
  readonly maxBytes: number;
  readonly partitions: readonly FetchPartitionRequest[];
}

export interface FetchPartitionResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaErrorName;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Whole record batches (Kafka v2 bytes); may start before fetchOffset — the consumer skips. */
  readonly records: Uint8Array;
}

export interface ListOffsetsPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  /** -1 latest (the high watermark), -2 earliest (the log start offset), else a timestamp in ms. */
  readonly timestamp: number;
}

export interface ListOffsetsPartitionResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaErrorName;
  /** -1 when no record has a timestamp at or after the one asked. */
  readonly offset: number;
  readonly timestamp: number;
  readonly leaderEpoch: number;
}

export type Answer<T> = { readonly kind: 'response'; readonly response: T } | { readonly kind: 'disconnected' };

export interface ConsumerNetwork {
  metadata(topic: string): MetadataAnswer;
  topicNames(): readonly string[];
  /** The current leader epoch of a partition, -1 when unknown (for fetch validation). */
  leaderEpoch(topic: string, partition: number): number;
  fetch(brokerId: number, request: ConsumerFetchRequest, onResponse: (answer: Answer<readonly FetchPartitionResponse[]>) => void): void;
  listOffsets(brokerId: number, partitions: readonly ListOffsetsPartitionRequest[], onResponse: (answer: Answer<readonly ListOffsetsPartitionResponse[]>) => void): void;
  /**
   * FindCoordinator may go to any live broker: pass null and the port picks one. `client` names a
   * client other than the port's own (a real client on the Kafka listener: its client.id and address).
   */
  group<R extends GroupRequest>(
    brokerId: number | null,
    request: R,
    onResponse: (answer: Answer<GroupResponseFor[R['api']]>) => void,
    client?: { readonly clientId: string; readonly clientHost: string; readonly joinGroupVersion?: number },
  ): void;
}
