/**
 * SCRAM users in the cluster, with Kafka's AlterUserScramCredentials / DescribeUserScramCredentials
 * semantics: a credential is the salt, iterations, StoredKey and ServerKey of RFC 5802 (never the
 * password), made with the seeded Prng, refused with Kafka's errors, and durable across a restart.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { MetadataStore } from '../../../engine/cluster/metadata-store.js';
import {
  createScramCredential,
  randomScramString,
  scramCredentialOf,
  ScramCredentialStore,
  verifyScramPassword,
} from '../../../engine/cluster/scram-credentials.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { limits } from '../../../engine/core/limits.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import type { Disk } from '../../../engine/storage/disk/disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const SEED = 20261122;
const START_MS = 1_700_000_000_000;

function cluster(disk: Disk = new MemoryDisk(), seed = SEED, scheduler = new Scheduler(START_MS)): Cluster {
  const c = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk, dataDir: '/data' });
  scheduler.runUntil(scheduler.nowMs() + 100);
  return c;
}

function refusal(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return { name: error.errorName, message: error.message };
    throw error;
  }
  throw new Error('expected a KafkaError');
}

describe('SCRAM credentials (RFC 5802)', () => {
  it("derives RFC 7677's StoredKey and ServerKey for user/pencil (salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations)", () => {
    const credential = scramCredentialOf('SCRAM-SHA-256', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    // RFC 7677 §3's exchange checks out with these keys (test/unit/protocol/sasl.test.ts replays it byte for byte).
    expect(credential.storedKey).toHaveLength(32);
    expect(credential.serverKey).toHaveLength(32);
    expect(verifyScramPassword(credential, 'pencil')).toBe(true);
    expect(verifyScramPassword(credential, 'pencil ')).toBe(false);
  });

  it("makes salts in Kafka's shape (a 130-bit number in base 36) from the seeded Prng: same seed, same salt", () => {
    const a = createScramCredential('SCRAM-SHA-512', 'alice-secret', 8192, new SeededPrng(7));
    const b = createScramCredential('SCRAM-SHA-512', 'alice-secret', 8192, new SeededPrng(7));
    const c = createScramCredential('SCRAM-SHA-512', 'alice-secret', 8192, new SeededPrng(8));
    expect(Buffer.from(a.salt).toString()).toMatch(/^[0-9a-z]{1,26}$/);
    expect(a).toEqual(b);
    expect(c.salt).not.toEqual(a.salt);
    expect(a.storedKey).toHaveLength(64);
    expect(verifyScramPassword(a, 'alice-secret')).toBe(true);
    expect(verifyScramPassword(a, 'alice-secreT')).toBe(false);
    const prng = new SeededPrng(1);
    for (let i = 0; i < 200; i++) {
      const text = randomScramString(prng);
      expect(text).toMatch(/^[0-9a-z]+$/);
      // Below 2^130, as BigInteger(130, random).
      expect([...text].reduce((v, ch) => v * 36n + BigInt(parseInt(ch, 36)), 0n) < 1n << 130n).toBe(true);
    }
  });
});

describe('users in the cluster (AlterUserScramCredentials / DescribeUserScramCredentials)', () => {
  it('upserts, describes without keys, replaces and deletes', () => {
    const c = cluster();
    c.upsertScramCredential('alice', 'SCRAM-SHA-512', 'alice-secret', 8192);
    c.upsertScramCredential('alice', 'SCRAM-SHA-256', 'alice-secret');
    c.upsertScramCredential('bob', 'SCRAM-SHA-256', 'bob-secret', 4096);
    expect(c.describeScramCredentials()).toEqual([
      { user: 'alice', mechanism: 'SCRAM-SHA-256', iterations: 4096 },
      { user: 'alice', mechanism: 'SCRAM-SHA-512', iterations: 8192 },
      { user: 'bob', mechanism: 'SCRAM-SHA-256', iterations: 4096 },
    ]);
    expect(c.describeScramCredentials(['bob', 'carol'])).toEqual([{ user: 'bob', mechanism: 'SCRAM-SHA-256', iterations: 4096 }]);
    // Described infos carry no salt or key.
    for (const info of c.describeScramCredentials()) expect(Object.keys(info).sort()).toEqual(['iterations', 'mechanism', 'user']);

    const before = c.scramCredential('alice', 'SCRAM-SHA-512')!;
    expect(verifyScramPassword(before, 'alice-secret')).toBe(true);
    c.upsertScramCredential('alice', 'SCRAM-SHA-512', 'new-secret', 16384);
    const after = c.scramCredential('alice', 'SCRAM-SHA-512')!;
    expect(after.iterations).toBe(16384);
    expect(verifyScramPassword(after, 'alice-secret')).toBe(false);
    expect(verifyScramPassword(after, 'new-secret')).toBe(true);

    c.deleteScramCredential('alice', 'SCRAM-SHA-256');
    expect(c.scramCredential('alice', 'SCRAM-SHA-256')).toBeNull();
    c.deleteScramCredential('alice', 'SCRAM-SHA-512');
    expect(c.describeScramCredentials(['alice'])).toEqual([]);
  });

  it("refuses what Kafka's controller refuses, with its errors and messages, and changes nothing", () => {
    const c = cluster();
    c.upsertScramCredential('alice', 'SCRAM-SHA-256', 'alice-secret');
    expect(refusal(() => c.deleteScramCredential('alice', 'SCRAM-SHA-512'))).toEqual({ name: 'RESOURCE_NOT_FOUND', message: 'Attempt to delete a user credential that does not exist' });
    expect(refusal(() => c.deleteScramCredential('nobody', 'SCRAM-SHA-256'))).toEqual({ name: 'RESOURCE_NOT_FOUND', message: 'Attempt to delete a user credential that does not exist' });
    expect(refusal(() => c.upsertScramCredential('', 'SCRAM-SHA-256', 'x'))).toEqual({ name: 'UNACCEPTABLE_CREDENTIAL', message: 'Username must not be empty' });
    expect(refusal(() => c.upsertScramCredential('alice', 'SCRAM-SHA-256', 'x', 4095))).toEqual({ name: 'UNACCEPTABLE_CREDENTIAL', message: 'Too few iterations' });
    expect(refusal(() => c.upsertScramCredential('alice', 'SCRAM-SHA-256', 'x', 16385))).toEqual({ name: 'UNACCEPTABLE_CREDENTIAL', message: 'Too many iterations' });
    expect(refusal(() => c.upsertScramCredential('alice', 'SCRAM-SHA-1' as never, 'x'))).toEqual({ name: 'UNSUPPORTED_SASL_MECHANISM', message: 'Unknown SCRAM mechanism' });
    expect(refusal(() => c.upsertScramCredential('alice', 'SCRAM-SHA-256', '')).name).toBe('UNACCEPTABLE_CREDENTIAL');
    expect(refusal(() => c.upsertScramCredential('a'.repeat(256), 'SCRAM-SHA-256', 'x')).name).toBe('UNACCEPTABLE_CREDENTIAL');
    expect(refusal(() => c.upsertScramCredential('al\nice', 'SCRAM-SHA-256', 'x')).name).toBe('UNACCEPTABLE_CREDENTIAL');
    expect(c.describeScramCredentials()).toEqual([{ user: 'alice', mechanism: 'SCRAM-SHA-256', iterations: 4096 }]);
    expect(verifyScramPassword(c.scramCredential('alice', 'SCRAM-SHA-256')!, 'alice-secret')).toBe(true);
  });

  it(`holds at most limits.scramUsersMax (${limits.scramUsersMax}) users; another mechanism of a known user still fits`, () => {
    const store = new ScramCredentialStore();
    const prng = new SeededPrng(3);
    // The bound is checked before any key is derived: fill the table through the metadata path, cheaply.
    const template = store.upsert('template', 'SCRAM-SHA-256', 'x', 4096, prng);
    const full = ScramCredentialStore.fromMetadata(
      Array.from({ length: limits.scramUsersMax }, (_, i) => ({
        user: `user-${i}`,
        mechanism: 'SCRAM-SHA-256' as const,
        salt: Buffer.from(template.salt).toString('base64'),
        iterations: 4096,
        storedKey: Buffer.from(template.storedKey).toString('base64'),
        serverKey: Buffer.from(template.serverKey).toString('base64'),
      })),
    );
    expect(full.userCount).toBe(limits.scramUsersMax);
    expect(refusal(() => full.upsert('one-more', 'SCRAM-SHA-256', 'x', 4096, prng)).name).toBe('POLICY_VIOLATION');
    full.upsert('user-0', 'SCRAM-SHA-512', 'x', 4096, prng);
    expect(full.userCount).toBe(limits.scramUsersMax);
  });

  it('keeps the credentials across a restart on the same disk, so the same password still verifies', () => {
    const disk = new MemoryDisk();
    const scheduler = new Scheduler(START_MS);
    const first = cluster(disk, SEED, scheduler);
    first.upsertScramCredential('alice', 'SCRAM-SHA-512', 'alice-secret', 8192);
    first.upsertScramCredential('bob', 'SCRAM-SHA-256', 'bob-secret');
    const aliceBefore = first.scramCredential('alice', 'SCRAM-SHA-512')!;
    first.shutdown();

    // The snapshot holds base64 salt and keys, never the password.
    const stored = new MetadataStore(disk, '/data').load()!;
    expect(JSON.stringify(stored)).not.toContain('alice-secret');
    expect(stored.scramCredentials?.map((c) => [c.user, c.mechanism, c.iterations])).toEqual([
      ['alice', 'SCRAM-SHA-512', 8192],
      ['bob', 'SCRAM-SHA-256', 4096],
    ]);

    const second = cluster(disk, SEED + 1, new Scheduler(scheduler.nowMs()));
    expect(second.describeScramCredentials()).toEqual(first.describeScramCredentials());
    expect(second.scramCredential('alice', 'SCRAM-SHA-512')).toEqual(aliceBefore);
    expect(verifyScramPassword(second.scramCredential('bob', 'SCRAM-SHA-256')!, 'bob-secret')).toBe(true);
    second.deleteScramCredential('bob', 'SCRAM-SHA-256');
    second.shutdown();
    const third = cluster(disk, SEED + 2, new Scheduler(scheduler.nowMs()));
    expect(third.describeScramCredentials()).toEqual([{ user: 'alice', mechanism: 'SCRAM-SHA-512', iterations: 8192 }]);
  });

  it('refuses a metadata file whose credential keys are cut short', () => {
    const disk = new MemoryDisk();
    const first = cluster(disk);
    first.upsertScramCredential('alice', 'SCRAM-SHA-256', 'alice-secret');
    first.shutdown();
    const store = new MetadataStore(disk, '/data');
    const stored = store.load()!;
    store.save({ ...stored, scramCredentials: stored.scramCredentials!.map((c) => ({ ...c, storedKey: c.storedKey.slice(0, 40) })) } as never);
    expect(() => store.load()).toThrow(/scramCredentials/);
  });
});
