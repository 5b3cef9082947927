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
import { defaultMessageOf, isInvalidMetadataError, isRetriableKafkaError, javaExceptionOf } from '../../core/kafka-error-info.js';
import { KAFKA_ERROR_CODES, type KafkaErrorName } from '../../core/kafka-errors.js';

export { defaultMessageOf };

export type ProducerErrorName = Exclude<KafkaErrorName, 'NONE'>;
/** An error name as a broker answers it for one partition. */
export type ProduceErrorName = ProducerErrorName | 'NONE';

export const PRODUCE_ERROR_NAMES = Object.keys(KAFKA_ERROR_CODES) as [ProduceErrorName, ...ProduceErrorName[]];

export function producerErrorCode(name: ProduceErrorName): number {
  return KAFKA_ERROR_CODES[name];
}

/** Errors whose Java exception extends RetriableException. */

/** Errors whose Java exception extends InvalidMetadataException. */

export function isRetriable(name: ProducerErrorName): boolean {
  return isRetriableKafkaError(name);
}

export function refreshesMetadata(name: ProducerErrorName): boolean {
  return isInvalidMetadataError(name);
}

/** Java exception class and Kafka's default message (Errors.java) for the errors a producer meets. */

export function exceptionNameOf(name: ProducerErrorName): string {
  return javaExceptionOf(name);
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
