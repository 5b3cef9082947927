/**
 * What Kafka's Errors.java says of each error the workbench can meet: the Java exception class a
 * Java client raises for it, Kafka's default message, whether that exception extends
 * RetriableException (the client retries it itself) and whether it extends
 * InvalidMetadataException (the client refreshes its metadata first). The producer, the consumer
 * and the tools share this one table, as Java's clients share Errors.
 *
 * Invariants: fixed tables, never inferred; a name missing here falls back to ApiException and a
 * message naming the error.
 */
import type { KafkaErrorName } from './kafka-errors.js';

type ErrorName = Exclude<KafkaErrorName, 'NONE'>;

/** Java exception class and Kafka's default message, by error. */
const EXCEPTIONS: Partial<Record<ErrorName, readonly [string, string]>> = {
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
  OFFSET_OUT_OF_RANGE: ['OffsetOutOfRangeException', 'The requested offset is not within the range of offsets maintained by the server.'],
  OFFSET_METADATA_TOO_LARGE: ['OffsetMetadataTooLarge', 'The metadata field of the offset request was too large.'],
  COORDINATOR_LOAD_IN_PROGRESS: ['CoordinatorLoadInProgressException', "The coordinator is loading and hence can't process requests."],
  COORDINATOR_NOT_AVAILABLE: ['CoordinatorNotAvailableException', 'The coordinator is not available.'],
  NOT_COORDINATOR: ['NotCoordinatorException', 'This is not the correct coordinator.'],
  ILLEGAL_GENERATION: ['IllegalGenerationException', 'Specified group generation id is not valid.'],
  INCONSISTENT_GROUP_PROTOCOL: [
    'InconsistentGroupProtocolException',
    "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.",
  ],
  INVALID_GROUP_ID: ['InvalidGroupIdException', 'The configured groupId is invalid.'],
  UNKNOWN_MEMBER_ID: ['UnknownMemberIdException', 'The coordinator is not aware of this member.'],
  INVALID_SESSION_TIMEOUT: [
    'InvalidSessionTimeoutException',
    'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).',
  ],
  REBALANCE_IN_PROGRESS: ['RebalanceInProgressException', 'The group is rebalancing, so a rejoin is needed.'],
  INVALID_COMMIT_OFFSET_SIZE: ['InvalidCommitOffsetSizeException', 'The committing offset data size is not valid.'],
  FENCED_LEADER_EPOCH: ['FencedLeaderEpochException', 'The leader epoch in the request is older than the epoch on the broker.'],
  UNKNOWN_LEADER_EPOCH: ['UnknownLeaderEpochException', 'The leader epoch in the request is newer than the epoch on the broker.'],
  MEMBER_ID_REQUIRED: ['MemberIdRequiredException', 'The group member needs to have a valid member id before actually entering a consumer group.'],
  GROUP_MAX_SIZE_REACHED: ['GroupMaxSizeReachedException', 'The consumer group has reached its max size.'],
  FENCED_INSTANCE_ID: [
    'FencedInstanceIdException',
    'The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.',
  ],
  UNSTABLE_OFFSET_COMMIT: ['UnstableOffsetCommitException', 'There are unstable offsets that need to be cleared.'],
  UNSUPPORTED_VERSION: ['UnsupportedVersionException', 'The version of API is not supported.'],
  NON_EMPTY_GROUP: ['GroupNotEmptyException', 'The group is not empty.'],
  GROUP_ID_NOT_FOUND: ['GroupIdNotFoundException', 'The group id does not exist.'],
  TOPIC_ALREADY_EXISTS: ['TopicExistsException', 'Topic with this name already exists.'],
  INVALID_PARTITIONS: ['InvalidPartitionsException', 'Number of partitions is below 1.'],
  INVALID_REPLICATION_FACTOR: ['InvalidReplicationFactorException', 'Replication factor is below 1 or larger than the number of available brokers.'],
  INVALID_REPLICA_ASSIGNMENT: ['InvalidReplicaAssignmentException', 'Replica assignment is invalid.'],
  INVALID_CONFIG: ['InvalidConfigurationException', 'Configuration is invalid.'],
  UNSUPPORTED_SASL_MECHANISM: ['UnsupportedSaslMechanismException', 'The broker does not support the requested SASL mechanism.'],
  ILLEGAL_SASL_STATE: ['IllegalSaslStateException', 'Request is not valid given the current SASL state.'],
  SASL_AUTHENTICATION_FAILED: ['SaslAuthenticationException', 'SASL Authentication failed.'],
  RESOURCE_NOT_FOUND: ['ResourceNotFoundException', 'A request illegally referred to a resource that does not exist.'],
  UNACCEPTABLE_CREDENTIAL: ['UnacceptableCredentialException', 'Requested credential would not meet criteria for acceptability.'],
};

/** Errors whose Java exception extends RetriableException. */
const RETRIABLE = new Set<ErrorName>([
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
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'UNSTABLE_OFFSET_COMMIT',
]);

/** Errors whose Java exception extends InvalidMetadataException: the client refreshes metadata. */
const INVALID_METADATA = new Set<ErrorName>([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REPLICA_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'KAFKA_STORAGE_ERROR',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
]);

export function javaExceptionOf(name: ErrorName): string {
  return EXCEPTIONS[name]?.[0] ?? 'ApiException';
}

export function defaultMessageOf(name: ErrorName): string {
  return EXCEPTIONS[name]?.[1] ?? `The broker answered ${name}.`;
}

export function isRetriableKafkaError(name: ErrorName): boolean {
  return RETRIABLE.has(name);
}

export function isInvalidMetadataError(name: ErrorName): boolean {
  return INVALID_METADATA.has(name);
}
