/**
 * The server side of SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), as Kafka's
 * ScramSaslServer runs it: two client tokens, two server tokens.
 *
 *   client-first  "n,[a=<authzid>],n=<saslname>,r=<client nonce>[,<ext>=<value>...]"
 *   server-first  "r=<client nonce><server nonce>,s=<base64 salt>,i=<iterations>"
 *   client-final  "c=<base64 gs2 header>,r=<nonce>[,<ext>=<value>...],p=<base64 proof>"
 *   server-final  "v=<base64 ServerSignature>"
 *
 * Parsing follows Kafka's ScramMessages patterns (ASCII, gs2 flag "n" only — no channel binding —,
 * saslname with =2C / =3D escapes, the optional reserved "m=" ignored, extensions accepted). The
 * only extension Kafka reads is "tokenauth" (delegation tokens, KIP-48): the workbench has no tokens,
 * so tokenauth=true fails, as Kafka fails an unknown token id.
 *
 * AuthMessage is client-first-message-bare "," server-first-message "," client-final-without-proof,
 * from the bytes as sent (RFC 5802 §3). The proof is checked as RFC 5802 says: ClientKey = proof XOR
 * HMAC(StoredKey, AuthMessage), then H(ClientKey) must equal StoredKey (compared in constant time).
 * The channel-binding attribute must be the base64 of the client's own gs2 header ("biws" for "n,,").
 *
 * An unknown user is not revealed at the first step: the server answers server-first with a salt
 * derived from the user name (the same on every attempt, in Kafka's salt shape) and the default
 * iterations, and fails at client-final with the same message a wrong password gets. (Kafka's own
 * ScramSaslServer fails an unknown user at client-first, with the same generic message.)
 *
 * Failures: every SaslException of Kafka's reaches the client as the authenticator's generic
 * "Authentication failed during authentication due to invalid credentials with SASL mechanism X"
 * (`clientMessage` null here, the reason only in `detail`); an authorization id other than the user
 * is Kafka's SaslAuthenticationException, whose own message the client sees.
 *
 * Invariants: at most two tokens are evaluated; after a failure or completion nothing else is; the
 * server's nonce comes from the caller (the seeded Prng), never from the host.
 */
import {
  constantTimeEqual,
  SCRAM_ITERATIONS,
  scramHash,
  scramHmac,
  type ScramCredential,
  type ScramMechanism,
} from '../../cluster/scram-credentials.js';
import type { SaslMechanismServer, SaslStep } from './sasl-authenticator.js';

export interface ScramServerOptions {
  readonly mechanism: ScramMechanism;
  /** The user's credential for this mechanism, or null when the user has none. */
  readonly credential: (user: string) => ScramCredential | null;
  /** The server's part of the nonce: Kafka's ScramFormatter.secureRandomString(), from the seeded Prng. */
  readonly serverNonce: () => string;
}

/** Kafka's SaslAuthenticationException for an authzid that is not the user. */
export const AUTHZID_MISMATCH_MESSAGE = 'Authentication failed: Client requested an authorization id that is different from username';

// Kafka's ScramMessages character classes, as JavaScript regex fragments.
const VALUE = '[\\x01-\\x2B\\x2D-\\x7F]+'; // [\x01-\x7F] but ','
const PRINTABLE = '[\\x21-\\x2B\\x2D-\\x7E]+'; // [\x21-\x7E] but ','
const SASLNAME = '(?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+'; // [\x01-\x7F] but '=' and ',', or an escape
const BASE64 = '(?:[a-zA-Z0-9/+]{4})*(?:[a-zA-Z0-9/+]{3}=|[a-zA-Z0-9/+]{2}==)?';
const EXTENSIONS = `(?:,[A-Za-z]+=${VALUE})*`;

const CLIENT_FIRST = new RegExp(`^(n,(?:a=(${SASLNAME}))?,)((?:m=${VALUE},)?n=(${SASLNAME}),r=(${PRINTABLE})(${EXTENSIONS}))$`);
const CLIENT_FINAL = new RegExp(`^(c=(${BASE64}),r=(${PRINTABLE})${EXTENSIONS}),p=(${BASE64})$`);

/** The token as Java's new String(bytes, UTF_8) reads it (malformed bytes become U+FFFD, which no pattern accepts). */
const lenientUtf8 = new TextDecoder('utf-8');
const utf8 = new TextEncoder();

/** ScramFormatter.username: =2C is ',', =3D is '=' (the pattern admits no other '='). */
export function usernameOfSaslName(saslName: string): string {
  return saslName.replaceAll('=2C', ',').replaceAll('=3D', '=');
}

/** ScramFormatter.saslName: how a client writes a user name into client-first. */
export function saslNameOfUsername(username: string): string {
  return username.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/**
 * The salt an unknown user is answered with: stable per user and mechanism (so two attempts look
 * like a real user's), 130 bits in base 36 like Kafka's salts, derived by HMAC from the name.
 */
function decoySalt(mechanism: ScramMechanism, user: string): Uint8Array {
  const digest = scramHmac('SCRAM-SHA-256', utf8.encode('kafka-lab-workbench: SCRAM salt of an unknown user'), `${mechanism}\u0000${user}`);
  let value = 0n;
  for (const byte of digest.subarray(0, 17)) value = (value << 8n) | BigInt(byte);
  return utf8.encode((value >> 6n).toString(36));
}

interface Exchange {
  readonly user: string;
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  readonly nonce: string;
  /** null for an unknown user: the exchange goes on to fail at client-final. */
  readonly credential: ScramCredential | null;
}

export class ScramServer implements SaslMechanismServer {
  private state: 'client-first' | 'client-final' | 'complete' | 'failed' = 'client-first';
  private exchange: Exchange | null = null;
  private user: string | null = null;

  constructor(private readonly options: ScramServerOptions) {}

  get mechanism(): ScramMechanism {
    return this.options.mechanism;
  }

  get authorizationId(): string | null {
    return this.state === 'complete' ? this.user : null;
  }

  evaluate(token: Uint8Array): SaslStep {
    switch (this.state) {
      case 'client-first':
        return this.settle(this.clientFirst(lenientUtf8.decode(token)));
      case 'client-final':
        return this.settle(this.clientFinal(lenientUtf8.decode(token)));
      default: {
        const detail = `Unexpected challenge in Sasl server state ${this.state === 'failed' ? 'FAILED' : 'COMPLETE'}`;
        this.state = 'failed';
        return { kind: 'failed', clientMessage: null, detail };
      }
    }
  }

  private settle(step: SaslStep): SaslStep {
    if (step.kind === 'failed') {
      this.state = 'failed';
      this.exchange = null;
    }
    return step;
  }

  private clientFirst(message: string): SaslStep {
    const match = CLIENT_FIRST.exec(message);
    if (match === null) return { kind: 'failed', clientMessage: null, detail: `Invalid SCRAM client first message format: ${message}` };
    const [, gs2Header, authzid, clientFirstBare, saslName, clientNonce, extensions] = match as unknown as [string, string, string | undefined, string, string, string, string];
    const user = usernameOfSaslName(saslName);
    if (tokenAuthRequested(extensions)) return { kind: 'failed', clientMessage: null, detail: `Token Authentication failed: Invalid tokenId : ${user}` };
    if (authzid !== undefined && usernameOfSaslName(authzid) !== user) return { kind: 'failed', clientMessage: AUTHZID_MISMATCH_MESSAGE, detail: AUTHZID_MISMATCH_MESSAGE };
    const credential = this.options.credential(user);
    if (credential !== null && credential.iterations < SCRAM_ITERATIONS.min) {
      return { kind: 'failed', clientMessage: null, detail: `Iterations ${credential.iterations} is less than the minimum ${SCRAM_ITERATIONS.min} for ${this.options.mechanism}` };
    }
    const salt = credential?.salt ?? decoySalt(this.options.mechanism, user);
    const iterations = credential?.iterations ?? SCRAM_ITERATIONS.default;
    const nonce = clientNonce + this.options.serverNonce();
    const serverFirst = `r=${nonce},s=${base64(salt)},i=${iterations}`;
    this.user = user;
    this.exchange = { user, gs2Header, clientFirstBare, serverFirst, nonce, credential };
    this.state = 'client-final';
    return { kind: 'challenge', reply: utf8.encode(serverFirst) };
  }

  private clientFinal(message: string): SaslStep {
    const exchange = this.exchange!;
    const match = CLIENT_FINAL.exec(message);
    if (match === null) return { kind: 'failed', clientMessage: null, detail: `Invalid SCRAM client final message format: ${message}` };
    const [, withoutProof, channelBinding, nonce, proofText] = match as unknown as [string, string, string, string, string];
    // Kafka's ScramSaslServer only checks that the nonce ends with the one it sent: librdkafka
    // (before 2.x) repeats its own nonce in front of it, and Kafka lets it in.
    if (!nonce.endsWith(exchange.nonce)) return { kind: 'failed', clientMessage: null, detail: 'Invalid client nonce in the final client message.' };
    if (channelBinding !== base64(utf8.encode(exchange.gs2Header))) {
      return { kind: 'failed', clientMessage: null, detail: `Invalid channel binding ${channelBinding}: the client's gs2 header was "${exchange.gs2Header}"` };
    }
    const { credential } = exchange;
    if (credential === null) return { kind: 'failed', clientMessage: null, detail: `Authentication failed: Invalid user credentials (no ${this.options.mechanism} credential for user ${exchange.user})` };
    const mechanism = this.options.mechanism;
    const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${withoutProof}`;
    const proof = new Uint8Array(Buffer.from(proofText, 'base64'));
    const clientSignature = scramHmac(mechanism, credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length || !constantTimeEqual(scramHash(mechanism, xor(proof, clientSignature)), credential.storedKey)) {
      return { kind: 'failed', clientMessage: null, detail: 'Invalid client credentials' };
    }
    const serverSignature = scramHmac(mechanism, credential.serverKey, authMessage);
    this.exchange = null;
    this.state = 'complete';
    return { kind: 'complete', reply: utf8.encode(`v=${base64(serverSignature)}`) };
  }
}

/** ScramExtensions.tokenAuthenticated: "tokenauth" set to true, in any case. */
function tokenAuthRequested(extensions: string): boolean {
  for (const pair of extensions.split(',').slice(1)) {
    const equals = pair.indexOf('=');
    if (pair.slice(0, equals) === 'tokenauth' && pair.slice(equals + 1).toLowerCase() === 'true') return true;
  }
  return false;
}
