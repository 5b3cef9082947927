/**
 * The messages nodes exchange over the simulated network, named after the Kafka RPCs they stand
 * for. They are in-process objects, not wire bytes; record batches inside them are Kafka's bytes.
 */
import type { ConsumerFetchRequest, FetchPartitionResponse, ListOffsetsPartitionRequest, ListOffsetsPartitionResponse } from '../clients/consumer/consumer-network.js';
import type { KafkaErrorName } from '../core/kafka-errors.js';
import type { GroupRequest } from '../groups/group-messages.js';

/** A partition as the controller registers it (KRaft PartitionRecord / PartitionChangeRecord). */
export interface PartitionRegistration {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** -1 when the partition has no leader (Kafka's NO_LEADER). */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** Bumped on every change, so a stale AlterPartition is refused (INVALID_UPDATE_VERSION). */
  readonly partitionEpoch: number;
  /** During a reassignment: replicas being added (catching up), and replicas to drop once they have. */
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

export interface TopicImage {
  readonly name: string;
  readonly topicId: string;
  readonly configs: Readonly<Record<string, string>>;
  readonly partitions: readonly PartitionRegistration[];
}

/** The controller's metadata, as brokers receive it (a full image: simple, and always consistent). */
export interface MetadataImage {
  /** Grows with every change; a broker ignores an image older than the one it has. */
  readonly offset: number;
  readonly topics: ReadonlyMap<string, TopicImage>;
  readonly fencedBrokers: ReadonlySet<number>;
}

export type ErrorName = KafkaErrorName;

export interface FetchRequest {
  readonly kind: 'Fetch';
  readonly correlationId: number;
  readonly topic: string;
  readonly partition: number;
  readonly replicaId: number;
  readonly fetchOffset: number;
  /** The epoch of the follower's last record, for divergence detection (KIP-595 / KIP-320). */
  readonly lastFetchedEpoch: number;
  readonly currentLeaderEpoch: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
}

export interface FetchResponse {
  readonly kind: 'FetchResponse';
  readonly correlationId: number;
  readonly topic: string;
  readonly partition: number;
  readonly error: ErrorName;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly records: Uint8Array;
  /** Set when the follower's log diverged: truncate to endOffset, then fetch again. */
  readonly divergingEpoch: { readonly epoch: number; readonly endOffset: number } | null;
}

export interface ProducePartitionData {
  readonly topic: string;
  readonly partition: number;
  /** One record batch v2, as the producer built it (offsets are assigned by the leader). */
  readonly records: Uint8Array;
}

export interface ProduceRequest {
  readonly kind: 'Produce';
  readonly correlationId: number;
  readonly acks: 0 | 1 | -1;
  readonly timeoutMs: number;
  readonly partitions: readonly ProducePartitionData[];
}

export interface ProducePartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: ErrorName;
  readonly errorMessage: string | null;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
}

export interface ProduceResponse {
  readonly kind: 'ProduceResponse';
  readonly correlationId: number;
  readonly partitions: readonly ProducePartitionResult[];
}

export interface BrokerHeartbeat {
  readonly kind: 'BrokerHeartbeat';
  readonly brokerId: number;
  readonly metadataOffset: number;
}

export interface AlterPartition {
  readonly kind: 'AlterPartition';
  readonly brokerId: number;
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly newIsr: readonly number[];
}

export interface MetadataPush {
  readonly kind: 'Metadata';
  readonly image: MetadataImage;
}

/** A consumer's Fetch (replica id -1): many partitions, read up to the high watermark, long-polled. */
export interface ConsumerFetch {
  readonly kind: 'ConsumerFetch';
  readonly correlationId: number;
  readonly request: ConsumerFetchRequest;
}

export interface ConsumerFetchResponse {
  readonly kind: 'ConsumerFetchResponse';
  readonly correlationId: number;
  readonly partitions: readonly FetchPartitionResponse[];
}

export interface ListOffsetsRequest {
  readonly kind: 'ListOffsets';
  readonly correlationId: number;
  readonly partitions: readonly ListOffsetsPartitionRequest[];
}

export interface ListOffsetsResponse {
  readonly kind: 'ListOffsetsResponse';
  readonly correlationId: number;
  readonly partitions: readonly ListOffsetsPartitionResponse[];
}

/** One of the group coordinator's APIs (engine/groups/group-messages.ts), to the broker that hosts it. */
export interface GroupApiRequest {
  readonly kind: 'GroupRequest';
  readonly correlationId: number;
  readonly clientId: string;
  /** The client's address as the coordinator reports it ("/127.0.0.1"), as Kafka's RequestContext has it. */
  readonly clientHost: string;
  /** The JoinGroup version a wire client sent (before v4 no MEMBER_ID_REQUIRED round trip); absent: the latest. */
  readonly joinGroupVersion?: number;
  readonly request: GroupRequest;
}

export interface GroupApiResponse {
  readonly kind: 'GroupResponse';
  readonly correlationId: number;
  /** The GroupResponseFor[request.api] of the request. */
  readonly response: unknown;
}

/** Every answer a client connection can receive, matched to its request by correlation id. */
export type ClientInbound = ProduceResponse | ConsumerFetchResponse | ListOffsetsResponse | GroupApiResponse;

export type BrokerInbound = FetchRequest | FetchResponse | ProduceRequest | MetadataPush | ConsumerFetch | ListOffsetsRequest | GroupApiRequest;
export type ControllerInbound = BrokerHeartbeat | AlterPartition;

export const NO_LEADER = -1;
