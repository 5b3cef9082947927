/**
 * Issue 11 with real Python clients (Debian's python3-kafka 2.0.2 and python3-confluent-kafka on
 * librdkafka): each produces keyed records with acks=all through the workbench's listeners and
 * reads them back from the beginning (assigned partitions, no group yet). Every key lands in the
 * partition the in-app producer puts it in (murmur2, as Java's), and every record comes back with
 * its key, value and offset. Skipped with a message where the packages are missing (CI installs
 * them).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../engine/clients/murmur2.js';
import { MonotonicClock } from '../../engine/core/clock.js';
import { LiveDriver } from '../../engine/core/live-driver.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { systemTimers } from '../../engine/core/timers.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { Workbench } from '../../engine/host/workbench.js';
import { ProtocolListeners } from '../../engine/protocol/protocol-listeners.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'clients', 'python_clients.py');
/** Debian's interpreter, which has the Debian packages (a pyenv python3 on PATH may not). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function hasModules(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import kafka, confluent_kafka'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasModules();
if (!available) console.warn('python-clients: skipped, python3-kafka and python3-confluent-kafka are not installed (apt-get install python3-kafka python3-confluent-kafka)');

let workbench: Workbench;
let driver: LiveDriver;
let listeners: ProtocolListeners;
let gateway: Gateway;

beforeEach(async () => {
  const scheduler = new Scheduler(1_767_225_600_000);
  driver = new LiveDriver(scheduler, new MonotonicClock(), systemTimers);
  workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(5), timers: scheduler, uiTimers: systemTimers, time: driver });
  driver.resume();
  gateway = new Gateway(new InProcessHost(workbench, (work) => (driver.kick(), work)));
  expect(await gateway.invoke('command', 'createTopic', { name: 'orders', partitions: 3, replicationFactor: 3 })).toMatchObject({ ok: true });
  listeners = new ProtocolListeners({
    host: '127.0.0.1',
    portFor: () => 0,
    status: () => workbench.status(),
    consumer: () => workbench.cluster.consumerNetwork('python-test'),
    producer: () => workbench.cluster.producerNetwork('python-test'),
    kick: () => driver.kick(),
    log: () => undefined,
  });
  await listeners.sync();
});

afterEach(() => {
  listeners.close();
  driver.stop();
  workbench.close();
});

interface Outcome {
  produced: { key: string; partition: number; offset: number }[];
  consumed: { key: string; value: string; partition: number; offset: number }[];
}

describe.skipIf(!available)('real Python Kafka clients', () => {
  for (const client of ['kafka-python', 'confluent'] as const) {
    it(`${client}: produces keyed records with acks=all into the partitions the in-app producer uses, and reads them back from the beginning`, async () => {
      const bootstrap = listeners.advertised().map((b) => `${b.host}:${b.port}`).join(',');
      const { stdout } = await run(PYTHON, [SCRIPT, client, bootstrap, 'orders'], { timeout: 60_000 });
      const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
      expect(outcome.produced).toHaveLength(8);
      for (const record of outcome.produced) expect(record.partition, record.key).toBe(partitionForKey(new TextEncoder().encode(record.key), 3));
      const sorted = <T extends { key: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.key.localeCompare(b.key));
      expect(sorted(outcome.consumed).map(({ key, value, partition, offset }) => ({ key, value, partition, offset }))).toEqual(
        sorted(outcome.produced).map(({ key, partition, offset }) => ({ key, value: `value of ${key}`, partition, offset })),
      );
      // The workbench holds them too, where the clients were told.
      for (const record of outcome.produced) {
        const read = (await gateway.invoke('query', 'readRecords', { topic: 'orders', partition: record.partition, offset: record.offset, maxRecords: 1 })) as { ok: true; value: { records: { key: string }[] } };
        expect(read.value.records[0]?.key).toBe(record.key);
      }
    }, 90_000);
  }
});
