/**
 * The producer's errors, in Kafka's vocabulary: a ProducerError carries the Kafka error name and
 * code when Kafka has one (Errors in org.apache.kafka.common.protocol) and the name of the Java
 * exception class a Java producer would raise (NotEnoughReplicasException, TimeoutException,
 * BufferExhaustedException, RecordTooLargeException, ConfigException ...), so a learner reads the
 * same words as in a Java stack trace.
 *
 * Classification follows Java: `retriable` = the exception extends RetriableException;
 * `refreshesMetadata` = it extends InvalidMetadataException (the Sender then requests a metadata
 * update).
 *
 * Invariants: `code` is Kafka's number for `errorName` (null only for client-side exceptions);
 * retriable and metadata-refreshing sets are fixed tables, never inferred.
 */
import { KAFKA_ERROR_CODES, type KafkaErrorName } from '../../core/kafka-errors.js';

export type ProducerErrorName = Exclude<KafkaErrorName, 'NONE'>;
/** An error name as a broker answers it for one partition. */
export type ProduceErrorName = ProducerErrorName | 'NONE';

export const PRODUCE_ERROR_NAMES = Object.keys(KAFKA_ERROR_CODES) as [ProduceErrorName, ...ProduceErrorName[]];

export function producerErrorCode(name: ProduceErrorName): number {
  return KAFKA_ERROR_CODES[name];
}

/** Errors whose Java exception extends RetriableException. */
const RETRIABLE = new Set<ProducerErrorName>([
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'REPLICA_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'NOT_CONTROLLER',
]);

/** Errors whose Java exception extends InvalidMetadataException. */
const REFRESHES_METADATA = new Set<ProducerErrorName>([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REPLICA_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'KAFKA_STORAGE_ERROR',
]);

export function isRetriable(name: ProducerErrorName): boolean {
  return RETRIABLE.has(name);
}

export function refreshesMetadata(name: ProducerErrorName): boolean {
  return REFRESHES_METADATA.has(name);
}

/** Java exception class and Kafka's default message (Errors.java) for the errors a producer meets. */
const EXCEPTIONS: Partial<Record<ProducerErrorName, readonly [string, string]>> = {
  UNKNOWN_SERVER_ERROR: ['UnknownServerException', 'The server experienced an unexpected error when processing the request.'],
  CORRUPT_MESSAGE: ['CorruptRecordException', 'This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.'],
  UNKNOWN_TOPIC_OR_PARTITION: ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.'],
  LEADER_NOT_AVAILABLE: ['LeaderNotAvailableException', 'There is no leader for this topic-partition as we are in the middle of a leadership election.'],
  NOT_LEADER_OR_FOLLOWER: ['NotLeaderOrFollowerException', 'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.'],
  REQUEST_TIMED_OUT: ['TimeoutException', 'The request timed out.'],
  BROKER_NOT_AVAILABLE: ['BrokerNotAvailableException', 'The broker is not available.'],
  REPLICA_NOT_AVAILABLE: ['ReplicaNotAvailableException', 'The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.'],
  MESSAGE_TOO_LARGE: ['RecordTooLargeException', 'The request included a message larger than the max message size the server will accept.'],
  NETWORK_EXCEPTION: ['NetworkException', 'The server disconnected before a response was received.'],
  INVALID_TOPIC_EXCEPTION: ['InvalidTopicException', 'The request attempted to perform an operation on an invalid topic.'],
  RECORD_LIST_TOO_LARGE: ['RecordBatchTooLargeException', 'The request included message batch larger than the configured segment size on the server.'],
  NOT_ENOUGH_REPLICAS: ['NotEnoughReplicasException', 'Messages are rejected since there are fewer in-sync replicas than required.'],
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: ['NotEnoughReplicasAfterAppendException', 'Messages are written to the log, but to fewer in-sync replicas than required.'],
  INVALID_REQUIRED_ACKS: ['InvalidRequiredAcksException', 'Produce request specified an invalid value for required acks.'],
  INVALID_TIMESTAMP: ['InvalidTimestampException', 'The timestamp of the message is out of acceptable range.'],
  INVALID_REQUEST: ['InvalidRequestException', 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.'],
  POLICY_VIOLATION: ['PolicyViolationException', 'Request parameters do not satisfy the configured policy.'],
  KAFKA_STORAGE_ERROR: ['KafkaStorageException', 'Disk error when trying to access log file on the disk.'],
  OUT_OF_ORDER_SEQUENCE_NUMBER: ['OutOfOrderSequenceException', 'The broker received an out of order sequence number.'],
  DUPLICATE_SEQUENCE_NUMBER: ['DuplicateSequenceException', 'The broker received a duplicate sequence number.'],
  INVALID_PRODUCER_EPOCH: ['InvalidProducerEpochException', "Producer attempted to produce with an old epoch."],
  UNKNOWN_PRODUCER_ID: ['UnknownProducerIdException', "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception."],
};

export function exceptionNameOf(name: ProducerErrorName): string {
  return EXCEPTIONS[name]?.[0] ?? 'ApiException';
}

export function defaultMessageOf(name: ProducerErrorName): string {
  return EXCEPTIONS[name]?.[1] ?? `The broker answered ${name}.`;
}

/** Java exception classes the producer raises on its own, with no broker error behind them. */
export type ClientExceptionName =
  | 'ConfigException'
  | 'IllegalArgumentException'
  | 'IllegalStateException'
  | 'SerializationException'
  | 'KafkaException'
  | 'InterruptException';

export class ProducerError extends Error {
  /** Kafka's error code, or null for a client-side exception Kafka has no code for. */
  readonly code: number | null;

  constructor(
    /** Kafka's error name (Errors), or null for a client-side exception. */
    readonly errorName: ProducerErrorName | null,
    /** The Java exception class a Java producer raises for the same condition. */
    readonly exceptionName: string,
    message: string,
    options?: { cause?: ProducerError },
  ) {
    super(message, options);
    this.name = 'ProducerError';
    this.code = errorName === null ? null : producerErrorCode(errorName);
  }

  get retriable(): boolean {
    return this.errorName !== null && isRetriable(this.errorName);
  }

  /** The error a broker's answer for one partition stands for. */
  static fromBroker(name: ProducerErrorName, message?: string | null): ProducerError {
    return new ProducerError(name, exceptionNameOf(name), message ?? defaultMessageOf(name));
  }

  /** Java's org.apache.kafka.common.errors.TimeoutException (Errors.REQUEST_TIMED_OUT). */
  static timeout(message: string, cause?: ProducerError): ProducerError {
    return new ProducerError('REQUEST_TIMED_OUT', 'TimeoutException', message, cause === undefined ? undefined : { cause });
  }

  static client(exceptionName: ClientExceptionName, message: string): ProducerError {
    return new ProducerError(null, exceptionName, message);
  }
}

export function isProducerError(value: unknown): value is ProducerError {
  return value instanceof ProducerError;
}
