/**
 * Issue 11, must-hold 6: the listeners require SASL as a workshop sets them up
 * (security.protocol SASL_PLAINTEXT, SCRAM-SHA-512, a user made with kafka-configs). A kafka-python
 * client with the user's credentials produces and consumes in a group; with a wrong password it is
 * refused. kafka-python 2.0.2 authenticates after SaslHandshake v0, whose raw tokens leave no room
 * for an error, so Kafka refuses it by closing the connection — the client sees the connection
 * go and the broker logs Kafka's reason; librdkafka (SaslAuthenticate) is told
 * SASL_AUTHENTICATION_FAILED with Kafka's message. A client that skips SASL gets nothing served.
 *
 * Skipped with a message where the Python packages are missing (CI installs them).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupDetail } from '../../engine/api/groups-dto.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';
import { hasPythonClients, PYTHON } from '../helpers/real-clients.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'clients', 'python_sasl.py');
const USER = 'alice';
const PASSWORD = 'alice-secret';
const INVALID_CREDENTIALS = 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';

const hasPython = hasPythonClients('python-sasl');

let rig: LiveWire;
beforeEach(async () => {
  rig = await startLiveWire({ brokerCount: 3, seed: 17, topics: [{ name: 'secure-orders', partitions: 3, replicationFactor: 3 }], securityProtocol: 'SASL_PLAINTEXT' });
  // kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=alice-secret]' --entity-type users --entity-name alice
  rig.workbench.cluster.upsertScramCredential(USER, 'SCRAM-SHA-512', PASSWORD);
});
afterEach(() => rig.close());

interface Seen {
  partition: number;
  offset: number;
  value: string;
}

async function python<T>(client: string, mode: 'good' | 'wrong', group: string, password: string): Promise<T> {
  const { stdout } = await run(PYTHON, [SCRIPT, client, mode, rig.bootstrap(), 'secure-orders', group, USER, password], { timeout: 120_000, maxBuffer: 4 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const byPlace = (a: Seen, b: Seen): number => a.partition - b.partition || a.offset - b.offset;

describe.skipIf(!hasPython)('SASL_PLAINTEXT listeners with SCRAM-SHA-512 users', () => {
  for (const client of ['kafka-python', 'confluent'] as const) {
    it(`${client} with alice's password produces and consumes in a group, authenticated as alice`, async () => {
      const group = `${client}-secure`;
      const outcome = await python<{ produced: Seen[]; consumed: Seen[] }>(client, 'good', group, PASSWORD);
      expect(outcome.produced).toHaveLength(10);
      expect([...outcome.consumed].sort(byPlace)).toEqual([...outcome.produced].sort(byPlace));
      const detail = await rig.gateway.invoke('query', 'describeGroup', { groupId: group });
      expect(detail.ok).toBe(true);
      const rows = (detail as { value: GroupDetail }).value.partitions.filter((p) => p.topic === 'secure-orders');
      for (const row of rows) expect(row.currentOffset, `secure-orders-${row.partition} committed`).toBe(row.logEndOffset);
      expect(rig.logged.filter((line) => line.includes('Authentication failed'))).toEqual([]);
    }, 150_000);
  }

  it('kafka-python with a wrong password is refused: the connection closes, the broker logs Kafka\'s reason, nothing lands', async () => {
    const outcome = await python<{ refused: boolean; error?: string }>('kafka-python', 'wrong', 'never', 'not-alice-secret');
    expect(outcome.refused, JSON.stringify(outcome)).toBe(true);
    expect(rig.logged.some((line) => line.includes(INVALID_CREDENTIALS)), rig.logged.join('\n')).toBe(true);
    const status = rig.workbench.status();
    expect(status.topics.find((t) => t.name === 'secure-orders')!.partitions.every((p) => p.logEndOffset === 0)).toBe(true);
  }, 60_000);

  it('librdkafka with a wrong password is told SASL_AUTHENTICATION_FAILED with Kafka\'s message', async () => {
    const outcome = await python<{ refused: boolean; error?: string }>('confluent', 'wrong', 'never', 'not-alice-secret');
    expect(outcome.refused, JSON.stringify(outcome)).toBe(true);
    expect(outcome.error).toContain(INVALID_CREDENTIALS);
  }, 60_000);

  it('an unknown user is refused the same way as a wrong password (Kafka does not say which)', async () => {
    const { stdout } = await run(PYTHON, [SCRIPT, 'confluent', 'wrong', rig.bootstrap(), 'secure-orders', 'never', 'mallory', PASSWORD], { timeout: 60_000 });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as { refused: boolean; error?: string };
    expect(outcome.refused).toBe(true);
    expect(outcome.error).toContain(INVALID_CREDENTIALS);
  }, 60_000);
});
