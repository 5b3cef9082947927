/**
 * The consumer's errors, in Kafka's vocabulary: a ConsumerError carries the Kafka error name and
 * code when Kafka has one (Errors in org.apache.kafka.common.protocol) and the name of the Java
 * exception class a Java KafkaConsumer would throw (CommitFailedException,
 * NoOffsetForPartitionException, RebalanceInProgressException, OffsetOutOfRangeException,
 * ConfigException ...), with Java's message text, so a learner reads the same words as in a Java
 * stack trace.
 *
 * `retriable` follows Java: the exception extends RetriableException (the consumer retries it
 * itself where Java does; commitAsync reports it wrapped in RetriableCommitFailedException).
 *
 * Invariants: `code` is Kafka's number for `errorName` (null only for client-side exceptions);
 * the retriable set is a fixed table, never inferred.
 */
import { KAFKA_ERROR_CODES, type KafkaErrorName } from '../../core/kafka-errors.js';
import { defaultMessageOf, isInvalidMetadataError, isRetriableKafkaError, javaExceptionOf } from '../../core/kafka-error-info.js';

export type ConsumerErrorName = Exclude<KafkaErrorName, 'NONE'>;

/** Errors whose Java exception extends RetriableException. */

/** Errors whose Java exception extends InvalidMetadataException: the consumer refreshes metadata. */

export function isRetriableError(name: ConsumerErrorName): boolean {
  return isRetriableKafkaError(name);
}

export function refreshesMetadata(name: ConsumerErrorName): boolean {
  return isInvalidMetadataError(name);
}

/** Java exception class and Kafka's default message (Errors.java) for the group and fetch errors. */

export function consumerExceptionNameOf(name: ConsumerErrorName): string {
  return javaExceptionOf(name);
}

export function consumerMessageOf(name: ConsumerErrorName): string {
  return defaultMessageOf(name);
}

/** Java exception classes the consumer raises on its own, with no broker error behind them. */
export type ConsumerClientExceptionName =
  | 'ConfigException'
  | 'InvalidConfigurationException'
  | 'IllegalArgumentException'
  | 'IllegalStateException'
  | 'ConcurrentModificationException'
  | 'NoOffsetForPartitionException'
  | 'CommitFailedException'
  | 'RetriableCommitFailedException'
  | 'RecordDeserializationException'
  | 'SerializationException'
  | 'WakeupException'
  | 'KafkaException';

/**
 * CommitFailedException's default message (Java 3.x): what a learner sees when a member that was
 * kicked out of the group (max.poll.interval.ms exceeded) tries to commit.
 */
export const COMMIT_FAILED_MESSAGE =
  'Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. ' +
  'This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, ' +
  'which typically implies that the poll loop is spending too much time message processing. You can address this ' +
  'either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.';

export class ConsumerError extends Error {
  /** Kafka's error code, or null for a client-side exception Kafka has no code for. */
  readonly code: number | null;
  private readonly retriableOverride: boolean | null;

  constructor(
    /** Kafka's error name (Errors), or null for a client-side exception. */
    readonly errorName: ConsumerErrorName | null,
    /** The Java exception class a Java consumer throws for the same condition. */
    readonly exceptionName: string,
    message: string,
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsumerError';
    this.code = errorName === null ? null : KAFKA_ERROR_CODES[errorName];
    this.retriableOverride = options?.retriable ?? null;
  }

  /** True when Java's exception extends RetriableException. */
  get retriable(): boolean {
    if (this.retriableOverride !== null) return this.retriableOverride;
    return this.errorName !== null && isRetriableError(this.errorName);
  }

  /** The error a broker's answer stands for, with Kafka's default message unless one is given. */
  static fromBroker(name: ConsumerErrorName, message?: string | null): ConsumerError {
    return new ConsumerError(name, consumerExceptionNameOf(name), message ?? consumerMessageOf(name));
  }

  static client(exceptionName: ConsumerClientExceptionName, message: string, cause?: unknown): ConsumerError {
    return new ConsumerError(null, exceptionName, message, { cause, retriable: exceptionName === 'RetriableCommitFailedException' });
  }

  /** Java's org.apache.kafka.common.errors.TimeoutException. */
  static timeout(message: string): ConsumerError {
    return new ConsumerError('REQUEST_TIMED_OUT', 'TimeoutException', message);
  }

  /** The request could not reach the broker or the connection broke (Java's DisconnectException). */
  static disconnected(brokerId: number): ConsumerError {
    return new ConsumerError('NETWORK_EXCEPTION', 'DisconnectException', `Disconnected from node ${brokerId}`);
  }

  static rebalanceInProgress(message: string): ConsumerError {
    return new ConsumerError('REBALANCE_IN_PROGRESS', 'RebalanceInProgressException', message);
  }

  static commitFailed(message: string = COMMIT_FAILED_MESSAGE): ConsumerError {
    return ConsumerError.client('CommitFailedException', message);
  }

  static illegalState(message: string): ConsumerError {
    return ConsumerError.client('IllegalStateException', message);
  }
}

export function isConsumerError(value: unknown): value is ConsumerError {
  return value instanceof ConsumerError;
}

/** Anything thrown, as a ConsumerError (KafkaException wrapping what is not one). */
export function asConsumerError(error: unknown, what: string): ConsumerError {
  if (isConsumerError(error)) return error;
  return ConsumerError.client('KafkaException', `${what}: ${error instanceof Error ? error.message : String(error)}`, error);
}
