/**
 * SCRAM credentials (RFC 5802; SCRAM-SHA-256 is RFC 7677), as Kafka keeps them for SASL/SCRAM-SHA-256
 * and SASL/SCRAM-SHA-512 (org.apache.kafka.common.security.scram.ScramCredential): per user and
 * mechanism a salt, an iteration count, StoredKey and ServerKey, where
 *
 *   SaltedPassword = Hi(password, salt, i)       (PBKDF2 with HMAC-H, the password's UTF-8 bytes)
 *   ClientKey      = HMAC(SaltedPassword, "Client Key")
 *   StoredKey      = H(ClientKey)
 *   ServerKey      = HMAC(SaltedPassword, "Server Key")
 *
 * The password itself is never kept: a SCRAM exchange proves knowledge of ClientKey against
 * StoredKey, and a SASL/PLAIN password is checked by recomputing StoredKey with the credential's
 * salt and iterations.
 *
 * The salt is random from the cluster's seeded Prng, never the host's, so a run replays exactly from
 * its seed; it has the shape Kafka's ScramFormatter gives it (the UTF-8 bytes of a 130-bit random
 * number written in base 36), and so does a SCRAM server nonce (`randomScramString`).
 *
 * `ScramCredentialStore` is the cluster's table of them, with the semantics of Kafka's
 * AlterUserScramCredentials and DescribeUserScramCredentials (ScramControlManager in KRaft):
 * an upsert replaces the user's credential for that mechanism; deleting one that does not exist is
 * RESOURCE_NOT_FOUND "Attempt to delete a user credential that does not exist"; an empty user name
 * or an iteration count outside ScramMechanism's 4096..16384 is UNACCEPTABLE_CREDENTIAL with
 * Kafka's message; a describe lists mechanisms and iterations, never a salt or a key.
 *
 * Invariants: at most one credential per user and mechanism; at most `limits.scramUsersMax` users;
 * user names are 1..255 characters without control characters; a refused change changes nothing.
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import type { ScramCredentialMetadata } from './metadata-store.js';

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** ScramMechanism's iteration bounds (the same for both), and ConfigCommand's DefaultScramIterations. */
export const SCRAM_ITERATIONS = { default: 4096, min: 4096, max: 16384 } as const;

/**
 * Longest user name, in characters. Kafka sets none; 255 is what RFC 4616 requires a PLAIN server
 * to accept (authcid), and it bounds the metadata snapshot and the UI's user list.
 */
export const SCRAM_USER_NAME_MAX_LENGTH = 255;

/**
 * Longest password, in UTF-8 bytes. Kafka sets none; RFC 4616 asks a server to accept 255 octets,
 * and PBKDF2 hashes a longer key once, so 1 KiB is far beyond any lab and bounds the input.
 */
export const SCRAM_PASSWORD_MAX_BYTES = 1024;

export interface ScramCredential {
  readonly mechanism: ScramMechanism;
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

/** What DescribeUserScramCredentials tells of a credential: never its salt or keys. */
export interface ScramCredentialInfo {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

const HASH_ALGORITHM: Readonly<Record<ScramMechanism, 'sha256' | 'sha512'>> = { 'SCRAM-SHA-256': 'sha256', 'SCRAM-SHA-512': 'sha512' };
const DIGEST_BYTES: Readonly<Record<ScramMechanism, number>> = { 'SCRAM-SHA-256': 32, 'SCRAM-SHA-512': 64 };
const utf8 = new TextEncoder();

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

/** H(data), the mechanism's hash. */
export function scramHash(mechanism: ScramMechanism, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(HASH_ALGORITHM[mechanism]).update(data).digest());
}

/** HMAC-H(key, data); a string is taken as its UTF-8 bytes. */
export function scramHmac(mechanism: ScramMechanism, key: Uint8Array, data: Uint8Array | string): Uint8Array {
  return new Uint8Array(
    createHmac(HASH_ALGORITHM[mechanism], key)
      .update(typeof data === 'string' ? utf8.encode(data) : data)
      .digest(),
  );
}

/** Hi(password, salt, iterations): PBKDF2 with HMAC-H, one block as long as H's output. */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Uint8Array, iterations: number): Uint8Array {
  return new Uint8Array(pbkdf2Sync(utf8.encode(password), salt, iterations, DIGEST_BYTES[mechanism], HASH_ALGORITHM[mechanism]));
}

/** The credential of `password` with a given salt and iteration count (RFC 5802 §3). */
export function scramCredentialOf(mechanism: ScramMechanism, password: string, salt: Uint8Array, iterations: number): ScramCredential {
  const salted = saltedPassword(mechanism, password, salt, iterations);
  const clientKey = scramHmac(mechanism, salted, 'Client Key');
  return {
    mechanism,
    salt: new Uint8Array(salt),
    iterations,
    storedKey: scramHash(mechanism, clientKey),
    serverKey: scramHmac(mechanism, salted, 'Server Key'),
  };
}

/** A new credential of `password` with a fresh salt from the seeded Prng (ScramFormatter.generateCredential). */
export function createScramCredential(mechanism: ScramMechanism, password: string, iterations: number, prng: Prng): ScramCredential {
  return scramCredentialOf(mechanism, password, utf8.encode(randomScramString(prng)), iterations);
}

/** Whether `password` is the one `credential` was made from: StoredKey recomputed with its salt and iterations. */
export function verifyScramPassword(credential: ScramCredential, password: string): boolean {
  const candidate = scramCredentialOf(credential.mechanism, password, credential.salt, credential.iterations);
  return constantTimeEqual(candidate.storedKey, credential.storedKey);
}

/** Equal bytes, compared in time that does not depend on where they differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * ScramFormatter.secureRandomString: a random 130-bit number in base 36 (up to 26 characters of
 * [0-9a-z]), here from the seeded Prng — 8 draws of 16 bits, then 2 bits.
 */
export function randomScramString(prng: Prng): string {
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 16n) | BigInt(prng.nextInt(0x1_0000));
  value = (value << 2n) | BigInt(prng.nextInt(4));
  return value.toString(36);
}

/** Kafka's checks of a user name (ScramControlManager: "Username must not be empty"), then the workbench's bounds. */
export function validateScramUserName(user: string): void {
  if (user.length === 0) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', 'Username must not be empty');
  if (user.length > SCRAM_USER_NAME_MAX_LENGTH) {
    throw new KafkaError('UNACCEPTABLE_CREDENTIAL', `Username is ${user.length} characters long; the workbench accepts at most ${SCRAM_USER_NAME_MAX_LENGTH}.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(user)) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', 'Username must not contain control characters.');
}

function validateMechanism(mechanism: string): asserts mechanism is ScramMechanism {
  if (!isScramMechanism(mechanism)) throw new KafkaError('UNSUPPORTED_SASL_MECHANISM', 'Unknown SCRAM mechanism');
}

function keyOf(user: string, mechanism: ScramMechanism): string {
  return `${user}\u0000${mechanism}`;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export class ScramCredentialStore {
  /** By user, then mechanism; a user is listed while it has at least one credential. */
  private readonly byUser = new Map<string, Map<ScramMechanism, ScramCredential>>();

  /** The store as the durable metadata holds it (already checked by its schema). */
  static fromMetadata(stored: readonly ScramCredentialMetadata[]): ScramCredentialStore {
    const store = new ScramCredentialStore();
    for (const c of stored) {
      store.put(c.user, { mechanism: c.mechanism, salt: fromBase64(c.salt), iterations: c.iterations, storedKey: fromBase64(c.storedKey), serverKey: fromBase64(c.serverKey) });
    }
    return store;
  }

  /** Every credential, by user then mechanism, as the durable metadata keeps it. */
  toMetadata(): ScramCredentialMetadata[] {
    return this.all().map(([user, c]) => ({
      user,
      mechanism: c.mechanism,
      salt: toBase64(c.salt),
      iterations: c.iterations,
      storedKey: toBase64(c.storedKey),
      serverKey: toBase64(c.serverKey),
    }));
  }

  /**
   * AlterUserScramCredentials' upsertion: `user`'s credential for `mechanism` becomes one of
   * `password` with a fresh salt; any previous one of that mechanism is replaced. Checked first, in
   * ScramControlManager's order (user name, mechanism, iterations), then the password and the bound.
   */
  upsert(user: string, mechanism: string, password: string, iterations: number, prng: Prng): ScramCredential {
    validateScramUserName(user);
    validateMechanism(mechanism);
    if (!Number.isInteger(iterations)) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', `Iterations must be a whole number, got ${iterations}.`);
    if (iterations < SCRAM_ITERATIONS.min) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', 'Too few iterations');
    if (iterations > SCRAM_ITERATIONS.max) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', 'Too many iterations');
    // Kafka's admin client cannot derive a key from an empty password (javax.crypto refuses an empty key).
    if (password.length === 0) throw new KafkaError('UNACCEPTABLE_CREDENTIAL', 'Password must not be empty.');
    if (utf8.encode(password).length > SCRAM_PASSWORD_MAX_BYTES) {
      throw new KafkaError('UNACCEPTABLE_CREDENTIAL', `Password is longer than the workbench's limit of ${SCRAM_PASSWORD_MAX_BYTES} bytes.`);
    }
    if (!this.byUser.has(user) && this.byUser.size >= limits.scramUsersMax) {
      throw new KafkaError('POLICY_VIOLATION', `The workbench holds SCRAM credentials for at most ${limits.scramUsersMax} users.`);
    }
    const credential = createScramCredential(mechanism, password, iterations, prng);
    this.put(user, credential);
    return credential;
  }

  /** AlterUserScramCredentials' deletion of `user`'s credential for `mechanism`. */
  delete(user: string, mechanism: string): void {
    validateScramUserName(user);
    validateMechanism(mechanism);
    const mechanisms = this.byUser.get(user);
    if (mechanisms === undefined || !mechanisms.has(mechanism)) {
      throw new KafkaError('RESOURCE_NOT_FOUND', 'Attempt to delete a user credential that does not exist');
    }
    mechanisms.delete(mechanism);
    if (mechanisms.size === 0) this.byUser.delete(user);
  }

  /**
   * DescribeUserScramCredentials: the mechanism and iterations of each credential of `users` (every
   * user when omitted), by user then mechanism. A named user without credentials is left out, as
   * the admin client's users() leaves out a RESOURCE_NOT_FOUND result.
   */
  describe(users?: readonly string[]): ScramCredentialInfo[] {
    const wanted = users === undefined ? null : new Set(users);
    return this.all()
      .filter(([user]) => wanted === null || wanted.has(user))
      .map(([user, c]) => ({ user, mechanism: c.mechanism, iterations: c.iterations }));
  }

  /** The credential the authenticator checks a SCRAM or PLAIN login against, or null. */
  get(user: string, mechanism: ScramMechanism): ScramCredential | null {
    return this.byUser.get(user)?.get(mechanism) ?? null;
  }

  /** How many users have at least one credential. */
  get userCount(): number {
    return this.byUser.size;
  }

  private put(user: string, credential: ScramCredential): void {
    let mechanisms = this.byUser.get(user);
    if (mechanisms === undefined) {
      mechanisms = new Map();
      this.byUser.set(user, mechanisms);
    }
    mechanisms.set(credential.mechanism, credential);
  }

  private all(): [string, ScramCredential][] {
    const rows: [string, ScramCredential][] = [];
    for (const [user, mechanisms] of this.byUser) for (const credential of mechanisms.values()) rows.push([user, credential]);
    return rows.sort(([ua, a], [ub, b]) => compare(keyOf(ua, a.mechanism), keyOf(ub, b.mechanism)));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
