/**
 * The server side of SASL/PLAIN (RFC 4616), as Kafka's PlainSaslServer runs it: one client token
 * "[authzid] NUL authcid NUL passwd" (UTF-8), answered with an empty token on success.
 *
 * Where Kafka checks the password against its JAAS file (PlainServerCallbackHandler's
 * user_<name>=<password>), the workbench checks it against the user's SCRAM credentials — the users
 * kafka-configs --entity-type users creates — by recomputing StoredKey with the credential's salt
 * and iterations: a password is good when it matches the user's SCRAM-SHA-512 or SCRAM-SHA-256
 * credential. So one user list serves all three mechanisms, and no password is ever stored.
 *
 * Kafka's checks, in its order and with its messages: the token splits at the first two NULs (a
 * missing part is empty); an empty user name or password is a SaslException (the client sees the
 * authenticator's generic message); a wrong password or unknown user is "Authentication failed:
 * Invalid username or password"; an authorization id other than the user is "Authentication
 * failed: Client requested an authorization id that is different from username" (both
 * SaslAuthenticationException, sent to the client as they are).
 *
 * Invariants: exactly one token is evaluated; a second one fails.
 */
import { verifyScramPassword, type ScramCredential, type ScramMechanism } from '../../cluster/scram-credentials.js';
import type { SaslMechanismServer, SaslStep } from './sasl-authenticator.js';
import { AUTHZID_MISMATCH_MESSAGE } from './scram-server.js';

export interface PlainServerOptions {
  /** The user's SCRAM credential for `mechanism`, or null. */
  readonly credential: (user: string, mechanism: ScramMechanism) => ScramCredential | null;
}

export const PLAIN_INVALID_CREDENTIALS_MESSAGE = 'Authentication failed: Invalid username or password';

/** Java's new String(bytes, UTF_8): malformed bytes become U+FFFD rather than an error. */
const lenientUtf8 = new TextDecoder('utf-8');

/** The mechanisms whose credential may vouch for a PLAIN password, strongest first. */
const VOUCHING_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-512', 'SCRAM-SHA-256'];

export class PlainServer implements SaslMechanismServer {
  private state: 'token' | 'complete' | 'failed' = 'token';
  private user: string | null = null;

  constructor(private readonly options: PlainServerOptions) {}

  get authorizationId(): string | null {
    return this.state === 'complete' ? this.user : null;
  }

  evaluate(token: Uint8Array): SaslStep {
    if (this.state !== 'token') {
      this.state = 'failed';
      return { kind: 'failed', clientMessage: null, detail: 'SASL/PLAIN takes exactly one token' };
    }
    const step = this.check(lenientUtf8.decode(token));
    this.state = step.kind === 'complete' ? 'complete' : 'failed';
    return step;
  }

  private check(message: string): SaslStep {
    const [authzid, user, password] = splitPlain(message);
    if (user.length === 0) return { kind: 'failed', clientMessage: null, detail: 'Authentication failed: username not specified' };
    if (password.length === 0) return { kind: 'failed', clientMessage: null, detail: 'Authentication failed: password not specified' };
    const vouched = VOUCHING_MECHANISMS.some((mechanism) => {
      const credential = this.options.credential(user, mechanism);
      return credential !== null && verifyScramPassword(credential, password);
    });
    if (!vouched) return { kind: 'failed', clientMessage: PLAIN_INVALID_CREDENTIALS_MESSAGE, detail: `${PLAIN_INVALID_CREDENTIALS_MESSAGE} (user ${user})` };
    if (authzid.length > 0 && authzid !== user) return { kind: 'failed', clientMessage: AUTHZID_MISMATCH_MESSAGE, detail: AUTHZID_MISMATCH_MESSAGE };
    this.user = user;
    return { kind: 'complete', reply: new Uint8Array(0) };
  }
}

/** PlainSaslServer.split: up to three parts, each ending at the next NUL (anything after a third NUL is dropped); a missing part is "". */
function splitPlain(message: string): [string, string, string] {
  const parts: [string, string, string] = ['', '', ''];
  let start = 0;
  for (let i = 0; i < 3; i++) {
    const end = message.indexOf('\u0000', start);
    if (end < 0) {
      parts[i] = message.slice(start);
      break;
    }
    parts[i] = message.slice(start, end);
    start = end + 1;
  }
  return parts;
}
