/**
 * Wire codecs of the two SASL APIs (KIP-43, KIP-152): SaslHandshake (API key 17, versions 0-1) and
 * SaslAuthenticate (36, versions 0-1). None of these versions is flexible (int16 strings, int32
 * bytes and arrays, no tagged fields); fields follow apache/kafka
 * clients/src/main/resources/common/message/SaslHandshake{Request,Response}.json and
 * SaslAuthenticate{Request,Response}.json:
 *
 *   SaslHandshakeRequest     v0-1  mechanism STRING
 *   SaslHandshakeResponse    v0-1  error_code INT16, mechanisms [STRING]
 *   SaslAuthenticateRequest  v0-1  auth_bytes BYTES
 *   SaslAuthenticateResponse v0-1  error_code INT16, error_message NULLABLE_STRING, auth_bytes BYTES,
 *                                  session_lifetime_ms INT64 (v1+)
 *
 * Version 1 of SaslHandshake has the same fields; what it changes is the exchange after it: the
 * SASL tokens then travel in SaslAuthenticate requests, where after v0 they travel raw (an int32
 * length and the token, no request header) — sasl-authenticator.ts drives both.
 *
 * Only codecs: the readers turn a request body (after the request header) into plain values, the
 * writers turn plain values (Kafka error names, not codes) into a response body. A truncated body,
 * or a null where Kafka's schema has none, throws `WireError` naming the field.
 */
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import type { ApiRange } from '../api-versions.js';
import { errorCode } from '../consumer-apis.js';
import { WireError, WireWriter, type WireReader } from '../wire.js';

export const SASL_API_KEYS = { saslHandshake: 17, saslAuthenticate: 36 } as const;

/** What a SASL listener adds to its ApiVersions list (clients look for both before authenticating). */
export const SASL_API_VERSIONS: readonly ApiRange[] = [
  { apiKey: SASL_API_KEYS.saslHandshake, name: 'SaslHandshake', minVersion: 0, maxVersion: 1, flexibleFrom: null },
  { apiKey: SASL_API_KEYS.saslAuthenticate, name: 'SaslAuthenticate', minVersion: 0, maxVersion: 1, flexibleFrom: null },
];

// ---- SaslHandshake (17), v0-1 ----

/** The mechanism the client asks for ("PLAIN", "SCRAM-SHA-512", ...). */
export function readSaslHandshakeRequest(reader: WireReader): string {
  return reader.string('mechanism');
}

export function writeSaslHandshakeResponse(error: KafkaErrorName, mechanisms: readonly string[]): Uint8Array {
  const out = new WireWriter(64);
  out.int16(errorCode(error)).int32(mechanisms.length);
  for (const mechanism of mechanisms) out.nullableString(mechanism);
  return out.finish();
}

// ---- SaslAuthenticate (36), v0-1 ----

/** The client's SASL token. */
export function readSaslAuthenticateRequest(reader: WireReader): Uint8Array {
  const authBytes = reader.nullableBytes('auth_bytes');
  if (authBytes === null) throw new WireError('auth_bytes: null where Kafka requires bytes');
  return authBytes;
}

export interface SaslAuthenticateResult {
  readonly error: KafkaErrorName;
  /** null when there is no error (Kafka sends null then). */
  readonly errorMessage: string | null;
  /** The server's SASL token; empty when the mechanism has none to send, or on an error. */
  readonly authBytes: Uint8Array;
  /** v1+: how long the session may last before re-authentication (KIP-368); 0 is no limit. */
  readonly sessionLifetimeMs: number;
}

export function writeSaslAuthenticateResponse(version: number, result: SaslAuthenticateResult): Uint8Array {
  const out = new WireWriter(64 + result.authBytes.length);
  out.int16(errorCode(result.error)).nullableString(result.errorMessage).nullableBytes(result.authBytes);
  if (version >= 1) out.int64(result.sessionLifetimeMs);
  return out.finish();
}
