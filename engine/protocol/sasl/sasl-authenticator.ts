/**
 * SASL authentication of one client connection on a SASL_PLAINTEXT listener, as Kafka's
 * SaslServerAuthenticator runs it: mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, both client
 * styles (KIP-43 and KIP-152).
 *
 * States, in order:
 *
 *   handshake-expected     ApiVersions (once) and SaslHandshake are served; any other request
 *                          closes the connection ("Unexpected Kafka request of type METADATA during
 *                          SASL handshake."). A handshake naming a mechanism that is not enabled is
 *                          answered UNSUPPORTED_SASL_MECHANISM with the enabled list, then the
 *                          connection closes (→ failed).
 *   authenticate-expected  after a good handshake. Its version decides how tokens travel:
 *                          - SaslHandshake v0 (kafka-python 2.0.2, clients before Kafka 1.0): each
 *                            token is a bare frame — int32 length, token bytes, no request header —
 *                            and so is each answer (`expectsRawToken`, `onRawToken`); PLAIN's
 *                            success answer is an empty token (int32 0). A failure closes the
 *                            connection without a word: this framing has no room for an error.
 *                          - SaslHandshake v1 (librdkafka, Java, kafkajs): each token comes in a
 *                            SaslAuthenticate request and goes back in its response
 *                            (`onSaslAuthenticate`); a failure is answered SASL_AUTHENTICATION_FAILED
 *                            with Kafka's message, then the connection closes. Any other request
 *                            closes it ("... during SASL authentication.").
 *   authenticated          the last token checked out: `principal` is the user; every request is
 *                          served. A SaslHandshake or SaslAuthenticate now is answered
 *                          ILLEGAL_SASL_STATE, as KafkaApis does, and the connection stays.
 *   failed                 the connection is to be closed; nothing more is evaluated.
 *
 * How the connection drives it (every call is synchronous):
 *   - each frame's size first goes through `checkFrameSize` (before authentication, Kafka reads at
 *     most sasl.server.max.receive.size bytes);
 *   - while `expectsRawToken`, the frame is not a request: its bytes go to `onRawToken`, and the
 *     returned `write` (already length-prefixed) goes to the socket;
 *   - otherwise, after reading the request header and before authentication: `admit(apiKey,
 *     apiVersion)` says whether to serve the request or close the connection with a reason;
 *   - SaslHandshake requests go to `onSaslHandshake(version, body)`, SaslAuthenticate requests to
 *     `onSaslAuthenticate(version, body)`; each returns the response body to send (null: none) and
 *     an outcome: 'continue', 'authenticated', or { failed } — send the body if any, then close.
 *
 * Messages are Kafka's: a failed SCRAM or malformed exchange is "Authentication failed during
 * authentication due to invalid credentials with SASL mechanism <M>" (Kafka never tells the client
 * more of a SaslException); PLAIN's wrong password and an authorization id other than the user are
 * the mechanism's own SaslAuthenticationException messages. Where Kafka would first send the
 * refused request's own error response (ILLEGAL_SASL_STATE) before closing, the connection closes
 * without it, except for SaslHandshake, whose error response is sent.
 *
 * Invariants: states only move forward (handshake-expected → authenticate-expected → authenticated
 * | failed, or straight to failed); once failed, every call answers failed with the first reason
 * and evaluates nothing; no frame or token over `saslLimits.receiveMaxBytes` is evaluated; the SCRAM
 * server nonce comes from the seeded Prng passed in; session_lifetime_ms is 0 (no
 * connections.max.reauth.ms, so clients never re-authenticate).
 */
import { randomScramString, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from '../../cluster/scram-credentials.js';
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import type { Prng } from '../../core/prng.js';
import { apiRange, API_KEYS } from '../api-versions.js';
import { WireWriter, type WireReader } from '../wire.js';
import { PlainServer } from './plain-server.js';
import { readSaslAuthenticateRequest, readSaslHandshakeRequest, SASL_API_KEYS, writeSaslAuthenticateResponse, writeSaslHandshakeResponse } from './sasl-codecs.js';
import { ScramServer } from './scram-server.js';

export const SASL_MECHANISM_NAMES = ['PLAIN', ...SCRAM_MECHANISMS] as const;
export type SaslMechanismName = (typeof SASL_MECHANISM_NAMES)[number];

export const saslLimits = {
  /**
   * Kafka's sasl.server.max.receive.size default (BrokerSecurityConfigs): the largest frame a broker
   * reads before authentication completes — a handshake, a SaslAuthenticate request or a raw token.
   * PLAIN and SCRAM tokens are a few hundred bytes; a larger frame is a client that skipped
   * authentication or is not a Kafka client, and fails it ("Failing SASL authentication due to
   * invalid receive size") before anything is allocated for it.
   */
  receiveMaxBytes: 524_288,
} as const;

/** One step of a mechanism's server side (javax.security.sasl.SaslServer.evaluateResponse). */
export type SaslStep =
  /** More is expected from the client; `reply` is the server's token. */
  | { readonly kind: 'challenge'; readonly reply: Uint8Array }
  /** The client is authenticated; `reply` is the server's last token (empty for PLAIN). */
  | { readonly kind: 'complete'; readonly reply: Uint8Array }
  /**
   * Authentication failed. `clientMessage` is what the client is told when Kafka's mechanism raises
   * a SaslAuthenticationException; null for a SaslException, which the client only hears of as the
   * generic invalid-credentials message. `detail` is the reason, for the broker's log only.
   */
  | { readonly kind: 'failed'; readonly clientMessage: string | null; readonly detail: string };

/** A mechanism's server side (PlainServer, ScramServer). */
export interface SaslMechanismServer {
  evaluate(token: Uint8Array): SaslStep;
  /** The user the client authenticated as, once complete; null before. */
  readonly authorizationId: string | null;
}

export interface SaslAuthenticatorOptions {
  /** sasl.enabled.mechanisms of the listener, in the order the handshake response lists them. */
  readonly enabledMechanisms: readonly SaslMechanismName[];
  /** The cluster's credential of `user` for `mechanism` (Cluster.scramCredential), or null. */
  readonly credential: (user: string, mechanism: ScramMechanism) => ScramCredential | null;
  /** The seeded Prng the SCRAM server nonces come from. */
  readonly prng: Prng;
}

export type SaslState = 'handshake-expected' | 'authenticate-expected' | 'authenticated' | 'failed';

/** Why the connection is to be closed: `failed` is the message Kafka gives (and logs); `detail` adds the mechanism's reason, for the log only. */
export interface SaslFailure {
  readonly failed: string;
  readonly detail: string;
}

/** What the connection does next: keep authenticating, serve requests, or (after sending the answer, if any) close. */
export type SaslOutcome = 'continue' | 'authenticated' | SaslFailure;

/** Whether a request read before authentication completes is served; if not, the connection closes with `reason`. */
export type SaslAdmission = { readonly admitted: true } | { readonly admitted: false; readonly reason: string };

/** A response body to send (null: none) and what comes after it. */
export interface SaslAnswer {
  readonly body: Uint8Array | null;
  readonly outcome: SaslOutcome;
}

/** The bytes to write for a raw (SaslHandshake v0) token — int32 length then the token, or null — and what comes after. */
export interface SaslRawAnswer {
  readonly write: Uint8Array | null;
  readonly outcome: SaslOutcome;
}

/** Java's ApiKeys names, as Kafka prints them in "Unexpected Kafka request of type ...". */
const JAVA_API_KEY_NAMES: Readonly<Record<number, string>> = {
  0: 'PRODUCE',
  1: 'FETCH',
  2: 'LIST_OFFSETS',
  3: 'METADATA',
  8: 'OFFSET_COMMIT',
  9: 'OFFSET_FETCH',
  10: 'FIND_COORDINATOR',
  11: 'JOIN_GROUP',
  12: 'HEARTBEAT',
  13: 'LEAVE_GROUP',
  14: 'SYNC_GROUP',
  15: 'DESCRIBE_GROUPS',
  16: 'LIST_GROUPS',
  17: 'SASL_HANDSHAKE',
  18: 'API_VERSIONS',
  19: 'CREATE_TOPICS',
  20: 'DELETE_TOPICS',
  21: 'DELETE_RECORDS',
  22: 'INIT_PRODUCER_ID',
  23: 'OFFSET_FOR_LEADER_EPOCH',
  29: 'DESCRIBE_ACLS',
  30: 'CREATE_ACLS',
  31: 'DELETE_ACLS',
  32: 'DESCRIBE_CONFIGS',
  33: 'ALTER_CONFIGS',
  35: 'DESCRIBE_LOG_DIRS',
  36: 'SASL_AUTHENTICATE',
  37: 'CREATE_PARTITIONS',
  42: 'DELETE_GROUPS',
  43: 'ELECT_LEADERS',
  44: 'INCREMENTAL_ALTER_CONFIGS',
  45: 'ALTER_PARTITION_REASSIGNMENTS',
  46: 'LIST_PARTITION_REASSIGNMENTS',
  47: 'OFFSET_DELETE',
  48: 'DESCRIBE_CLIENT_QUOTAS',
  49: 'ALTER_CLIENT_QUOTAS',
  50: 'DESCRIBE_USER_SCRAM_CREDENTIALS',
  51: 'ALTER_USER_SCRAM_CREDENTIALS',
  60: 'DESCRIBE_CLUSTER',
  61: 'DESCRIBE_PRODUCERS',
  65: 'DESCRIBE_TRANSACTIONS',
  66: 'LIST_TRANSACTIONS',
  68: 'CONSUMER_GROUP_HEARTBEAT',
  69: 'CONSUMER_GROUP_DESCRIBE',
};

export function javaApiKeyName(apiKey: number): string {
  return JAVA_API_KEY_NAMES[apiKey] ?? `API key ${apiKey}`;
}

/** SaslServerAuthenticator's message for a SaslException: nothing of the reason reaches the client. */
export function invalidCredentialsMessage(mechanism: SaslMechanismName): string {
  return `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`;
}

const INVALID_RECEIVE_SIZE = 'Failing SASL authentication due to invalid receive size';
const REAUTH_REFUSED = 'SaslAuthenticate request received after successful authentication';

export class SaslAuthenticator {
  private current: SaslState = 'handshake-expected';
  private apiVersionsAnswered = false;
  private rawTokens = false;
  private chosen: SaslMechanismName | null = null;
  private server: SaslMechanismServer | null = null;
  private user: string | null = null;
  private failure: SaslFailure | null = null;
  private readonly enabled: readonly SaslMechanismName[];

  constructor(private readonly options: SaslAuthenticatorOptions) {
    if (options.enabledMechanisms.length === 0) throw new RangeError('No SASL mechanisms are enabled');
    for (const mechanism of options.enabledMechanisms) {
      if (!(SASL_MECHANISM_NAMES as readonly string[]).includes(mechanism)) throw new RangeError(`SASL mechanism ${mechanism} is not supported`);
    }
    this.enabled = [...new Set(options.enabledMechanisms)];
  }

  get state(): SaslState {
    return this.current;
  }

  /** True while the next frame is a bare SASL token (after SaslHandshake v0), not a Kafka request. */
  get expectsRawToken(): boolean {
    return this.current === 'authenticate-expected' && this.rawTokens;
  }

  /** The authenticated user's name (Kafka's principal User:<name>); null until authenticated. */
  get principal(): string | null {
    return this.current === 'authenticated' ? this.user : null;
  }

  /** The mechanism the handshake chose; null before. */
  get mechanism(): SaslMechanismName | null {
    return this.chosen;
  }

  /** The reason the connection is to be closed, once failed. */
  get failureReason(): SaslFailure | null {
    return this.failure;
  }

  /** A close reason for a frame of `size` bytes (its int32 length prefix), or null to read it. */
  checkFrameSize(size: number): string | null {
    if (this.current === 'authenticated') return null;
    return size < 0 || size > saslLimits.receiveMaxBytes ? `${INVALID_RECEIVE_SIZE} (${size} bytes, sasl.server.max.receive.size ${saslLimits.receiveMaxBytes})` : null;
  }

  /**
   * Before authentication completes: whether to serve a request whose header reads `apiKey` /
   * `apiVersion`. Serving an ApiVersions request counts: a second one is refused, as Kafka refuses
   * it (an ApiVersions of a version the listener does not have is answered UNSUPPORTED_VERSION and
   * does not count, so the client can retry with one it has).
   */
  admit(apiKey: number, apiVersion: number): SaslAdmission {
    switch (this.current) {
      case 'authenticated':
        return { admitted: true };
      case 'failed':
        return { admitted: false, reason: this.failure!.failed };
      case 'handshake-expected':
        if (apiKey === SASL_API_KEYS.saslHandshake) return { admitted: true };
        if (apiKey === API_KEYS.apiVersions) {
          if (this.apiVersionsAnswered) return this.refuse('Unexpected ApiVersions request received during SASL authentication state HANDSHAKE_REQUEST');
          const range = apiRange(API_KEYS.apiVersions);
          if (range === undefined || (apiVersion >= range.minVersion && apiVersion <= range.maxVersion)) this.apiVersionsAnswered = true;
          return { admitted: true };
        }
        return this.refuse(`Unexpected Kafka request of type ${javaApiKeyName(apiKey)} during SASL handshake.`);
      case 'authenticate-expected':
        if (this.rawTokens) return this.refuse('A Kafka request where a SASL token was expected (after SaslHandshake v0 the tokens come unframed).');
        if (apiKey === SASL_API_KEYS.saslAuthenticate || apiKey === SASL_API_KEYS.saslHandshake) return { admitted: true };
        return this.refuse(`Unexpected Kafka request of type ${javaApiKeyName(apiKey)} during SASL authentication.`);
    }
  }

  /** A SaslHandshake request: its body (after the header) read, the answer to send and what comes after. */
  onSaslHandshake(version: number, body: WireReader): SaslAnswer {
    return this.onHandshake(version, readSaslHandshakeRequest(body));
  }

  /** SaslServerAuthenticator.handleHandshakeRequest, and KafkaApis' answer once authenticated. */
  onHandshake(version: number, mechanism: string): SaslAnswer {
    switch (this.current) {
      case 'failed':
        return { body: null, outcome: this.failure! };
      case 'authenticated':
        return { body: writeSaslHandshakeResponse('ILLEGAL_SASL_STATE', []), outcome: 'authenticated' };
      case 'authenticate-expected':
        return this.fail('ILLEGAL_SASL_STATE', 'Unexpected Kafka request of type SASL_HANDSHAKE during SASL authentication.', '', (error) =>
          writeSaslHandshakeResponse(error, []),
        );
      case 'handshake-expected':
        break;
    }
    if (!(this.enabled as readonly string[]).includes(mechanism)) {
      return this.fail('UNSUPPORTED_SASL_MECHANISM', `Unsupported SASL mechanism ${mechanism}`, '', (error) => writeSaslHandshakeResponse(error, this.enabled));
    }
    this.chosen = mechanism as SaslMechanismName;
    this.server = this.serverFor(this.chosen);
    this.rawTokens = version === 0;
    this.current = 'authenticate-expected';
    return { body: writeSaslHandshakeResponse('NONE', this.enabled), outcome: 'continue' };
  }

  /** A SaslAuthenticate request (after SaslHandshake v1): the answer to send and what comes after. */
  onSaslAuthenticate(version: number, body: WireReader): SaslAnswer {
    switch (this.current) {
      case 'failed':
        return { body: null, outcome: this.failure! };
      case 'authenticated':
        return {
          body: writeSaslAuthenticateResponse(version, { error: 'ILLEGAL_SASL_STATE', errorMessage: REAUTH_REFUSED, authBytes: new Uint8Array(0), sessionLifetimeMs: 0 }),
          outcome: 'authenticated',
        };
      case 'handshake-expected':
        return this.fail(null, 'Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.', '');
      case 'authenticate-expected':
        break;
    }
    if (this.rawTokens) return this.fail(null, 'A SaslAuthenticate request where a raw SASL token was expected (after SaslHandshake v0).', '');
    const token = readSaslAuthenticateRequest(body);
    const step = this.evaluate(token);
    if (step.kind === 'failed') {
      return this.fail('SASL_AUTHENTICATION_FAILED', step.message, step.detail, (error, message) =>
        writeSaslAuthenticateResponse(version, { error, errorMessage: message, authBytes: new Uint8Array(0), sessionLifetimeMs: 0 }),
      );
    }
    return {
      body: writeSaslAuthenticateResponse(version, { error: 'NONE', errorMessage: null, authBytes: step.reply, sessionLifetimeMs: 0 }),
      outcome: step.kind === 'complete' ? 'authenticated' : 'continue',
    };
  }

  /** A bare token (after SaslHandshake v0): the bytes to write — the answer, int32-length-prefixed — and what comes after. */
  onRawToken(token: Uint8Array): SaslRawAnswer {
    if (!this.expectsRawToken) {
      if (this.current === 'failed') return { write: null, outcome: this.failure! };
      return { write: null, outcome: this.fail(null, `A raw SASL token in state ${this.current}`, '').outcome };
    }
    const step = this.evaluate(token);
    // SaslHandshake v0 has no way to carry an error: Kafka closes the connection without a word.
    if (step.kind === 'failed') return { write: null, outcome: this.fail(null, step.message, step.detail).outcome };
    return { write: new WireWriter(4 + step.reply.length).nullableBytes(step.reply).finish(), outcome: step.kind === 'complete' ? 'authenticated' : 'continue' };
  }

  /** One token through the mechanism; a failure carries the message Kafka gives the client. */
  private evaluate(token: Uint8Array): { kind: 'challenge' | 'complete'; reply: Uint8Array } | { kind: 'failed'; message: string; detail: string } {
    if (token.length > saslLimits.receiveMaxBytes) return { kind: 'failed', message: INVALID_RECEIVE_SIZE, detail: `a token of ${token.length} bytes` };
    const server = this.server!;
    const step = server.evaluate(token);
    if (step.kind === 'failed') return { kind: 'failed', message: step.clientMessage ?? invalidCredentialsMessage(this.chosen!), detail: step.detail };
    if (step.kind === 'complete') {
      this.user = server.authorizationId;
      this.current = 'authenticated';
    }
    return step;
  }

  private serverFor(mechanism: SaslMechanismName): SaslMechanismServer {
    const { credential, prng } = this.options;
    if (mechanism === 'PLAIN') return new PlainServer({ credential });
    return new ScramServer({ mechanism, credential: (user) => credential(user, mechanism), serverNonce: () => randomScramString(prng) });
  }

  private refuse(reason: string): SaslAdmission {
    this.markFailed({ failed: reason, detail: '' });
    return { admitted: false, reason };
  }

  /** Moves to failed; the answer is the error response `respond` builds (none without it). */
  private fail(error: KafkaErrorName | null, message: string, detail: string, respond?: (error: KafkaErrorName, message: string) => Uint8Array): SaslAnswer {
    const failure = this.markFailed({ failed: message, detail });
    return { body: error !== null && respond !== undefined ? respond(error, message) : null, outcome: failure };
  }

  private markFailed(failure: SaslFailure): SaslFailure {
    if (this.failure === null) this.failure = failure;
    this.current = 'failed';
    this.server = null;
    return this.failure;
  }
}
