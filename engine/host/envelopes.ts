/** Turning thrown errors into the contract's error envelope. */
import type { Envelope } from '../api/errors.js';
import { AssertionError } from '../core/assert.js';
import { KAFKA_ERROR_CODES, isKafkaError } from '../core/kafka-errors.js';

export function errorEnvelope(error: unknown): Envelope<never> {
  if (isKafkaError(error)) {
    return { ok: false, error: { name: error.errorName, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
  }
  // A broken invariant or a bug: the caller learns the request failed, never the engine's internals.
  const kind = error instanceof AssertionError ? 'An engine invariant was broken' : 'The engine failed';
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { name: 'UNKNOWN_SERVER_ERROR', code: KAFKA_ERROR_CODES.UNKNOWN_SERVER_ERROR, message: `${kind}: ${message}` } };
}
