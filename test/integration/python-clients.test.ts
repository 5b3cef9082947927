/**
 * Issue 11 with real Python clients (Debian's python3-kafka 2.0.2 and python3-confluent-kafka on
 * librdkafka): each produces keyed records with acks=all through the workbench's listeners and
 * reads them back from the beginning (assigned partitions, no group yet). Every key lands in the
 * partition the in-app producer puts it in (murmur2, as Java's), and every record comes back with
 * its key, value and offset. Skipped with a message where the packages are missing (CI installs
 * them).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../engine/clients/murmur2.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';
import { hasPythonClients, PYTHON } from '../helpers/real-clients.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'clients', 'python_clients.py');
const available = hasPythonClients('python-clients');

let rig: LiveWire;

beforeEach(async () => {
  rig = await startLiveWire({ brokerCount: 3, seed: 5, topics: [{ name: 'orders', partitions: 3, replicationFactor: 3 }] });
});

afterEach(() => rig.close());

interface Outcome {
  produced: { key: string; partition: number; offset: number }[];
  consumed: { key: string; value: string; partition: number; offset: number }[];
}

describe.skipIf(!available)('real Python Kafka clients', () => {
  for (const client of ['kafka-python', 'confluent'] as const) {
    it(`${client}: produces keyed records with acks=all into the partitions the in-app producer uses, and reads them back from the beginning`, async () => {
      const { stdout } = await run(PYTHON, [SCRIPT, client, rig.bootstrap(), 'orders'], { timeout: 60_000 });
      const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
      expect(outcome.produced).toHaveLength(8);
      for (const record of outcome.produced) expect(record.partition, record.key).toBe(partitionForKey(new TextEncoder().encode(record.key), 3));
      const sorted = <T extends { key: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.key.localeCompare(b.key));
      expect(sorted(outcome.consumed).map(({ key, value, partition, offset }) => ({ key, value, partition, offset }))).toEqual(
        sorted(outcome.produced).map(({ key, partition, offset }) => ({ key, value: `value of ${key}`, partition, offset })),
      );
      // The workbench holds them too, where the clients were told.
      for (const record of outcome.produced) {
        const read = (await rig.gateway.invoke('query', 'readRecords', { topic: 'orders', partition: record.partition, offset: record.offset, maxRecords: 1 })) as { ok: true; value: { records: { key: string }[] } };
        expect(read.value.records[0]?.key).toBe(record.key);
      }
    }, 90_000);
  }
});
