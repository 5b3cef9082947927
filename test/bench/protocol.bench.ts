/**
 * Protocol benchmark: `npm run bench -- protocol`. Prints progress, then as its last line one JSON
 * object with the figures.
 *
 * One live workbench (engine time = real time, the live driver; each broker's logs on the real
 * disk in a temporary directory; 3 brokers; topic `bench` with 6 partitions), with the Kafka
 * listeners on free 127.0.0.1 ports, as the app runs them:
 *
 * - librdkafkaProduceRecordsPerSec: kcat -P (librdkafka, Debian's 2.0.2) sends RECORDS 100-byte
 *   records from a file, keyless, acks=1, librdkafka's defaults otherwise (linger.ms 5,
 *   batch.num.messages 10000); records per wall second from kcat's start to its exit, which
 *   comes after every record is acknowledged (kcat flushes before it exits).
 * - librdkafkaProduceAcksAllRecordsPerSec: the same with acks=all (librdkafka's own default): each
 *   batch is acknowledged once both followers have fetched it (min.insync.replicas 1, RF 3).
 * - librdkafkaConsumeRecordsPerSec: kcat -C from the beginning to the end of every partition
 *   (-e), through Fetch on the listeners; records per wall second from start to exit.
 * - inProcessProduceRecordsPerSec: the workbench's in-process producer (the Java producer's
 *   engine) sending RECORDS 100-byte records to the same topic on the same live cluster, acks=1,
 *   linger.ms 5, batch.size 16384, idempotence off (acks=1), a bounded window in flight.
 * - listenerToInProcessRatio: librdkafka through the listener / the in-process producer.
 *
 * Each figure is the better of two runs after one warm-up run (the JIT compiles the hot paths and
 * the page cache fills first). Goal (issue 11): librdkafka through the listener at least 300,000
 * records/s. Needs kcat; without it the figures are null and `skipped` says why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkaProducer, bytesSerializer } from '../../engine/clients/producer/index.js';
import { MonotonicClock } from '../../engine/core/clock.js';
import { LiveDriver } from '../../engine/core/live-driver.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { systemTimers } from '../../engine/core/timers.js';
import { wireAdminOf } from '../../engine/host/wire-admin.js';
import { Workbench } from '../../engine/host/workbench.js';
import { ProtocolListeners } from '../../engine/protocol/protocol-listeners.js';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';

const SEED = 11;
const RECORDS = 500_000;
const RECORD_BYTES = 100;
const PARTITIONS = 6;

const benchRoot = mkdtempSync(join(tmpdir(), 'kafka-lab-protocol-bench-'));
process.on('exit', () => rmSync(benchRoot, { recursive: true, force: true }));

function hasKcat(): boolean {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Rig {
  readonly workbench: Workbench;
  readonly scheduler: Scheduler;
  readonly driver: LiveDriver;
  readonly listeners: ProtocolListeners;
  readonly bootstrap: string;
  close(): void;
}

async function startRig(run: number): Promise<Rig> {
  const real = new MonotonicClock();
  const scheduler = new Scheduler(real.nowMs());
  const driver = new LiveDriver(scheduler, real, systemTimers);
  const workbench = new Workbench({ brokerCount: 3, disk: new NodeDisk(), dataDir: join(benchRoot, `run-${run}`), clock: scheduler, prng: new SeededPrng(SEED), timers: scheduler, uiTimers: systemTimers, time: driver });
  driver.resume();
  workbench.cluster.createTopic({ name: 'bench', partitions: PARTITIONS, replicationFactor: 3, configs: {} });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const listeners = new ProtocolListeners({
    host: '127.0.0.1',
    portFor: () => 0,
    status: () => workbench.status(),
    consumer: () => workbench.cluster.consumerNetwork('bench-wire'),
    producer: () => workbench.cluster.producerNetwork('bench-wire'),
    admin: () => wireAdminOf(workbench),
    securityProtocol: () => 'PLAINTEXT',
    credential: () => null,
    prng: new SeededPrng(SEED),
    kick: () => driver.kick(),
    log: () => undefined,
  });
  await listeners.sync();
  return {
    workbench,
    scheduler,
    driver,
    listeners,
    bootstrap: listeners.advertised().map((b) => `${b.host}:${b.port}`).join(','),
    close: () => {
      listeners.close();
      driver.stop();
      workbench.close();
    },
  };
}

/** Runs a command to its exit; resolves with the wall seconds it took. */
function timed(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

function recordsFile(): string {
  const line = 'x'.repeat(RECORD_BYTES) + '\n';
  const path = join(benchRoot, 'records.txt');
  writeFileSync(path, line.repeat(RECORDS));
  return path;
}

async function kcatProduce(rig: Rig, file: string, acks: '1' | 'all' = '1'): Promise<number> {
  const seconds = await timed('kcat', ['-P', '-b', rig.bootstrap, '-t', 'bench', '-l', '-X', `acks=${acks}`, '-X', 'client.id=bench-kcat', file]);
  const stored = totalHighWatermark(rig);
  if (stored < RECORDS) throw new Error(`kcat exited with ${stored} of ${RECORDS} records below the high watermark`);
  return RECORDS / seconds;
}

async function kcatConsume(rig: Rig): Promise<number> {
  const total = totalHighWatermark(rig);
  const seconds = await timed('kcat', ['-C', '-b', rig.bootstrap, '-t', 'bench', '-o', 'beginning', '-e', '-q', '-X', 'client.id=bench-kcat', '-f', '%o\n']);
  return total / seconds;
}

function totalHighWatermark(rig: Rig): number {
  let total = 0;
  for (let p = 0; p < PARTITIONS; p++) total += rig.workbench.cluster.offsets('bench', p).highWatermark;
  return total;
}

/** The in-process producer on the same live cluster: a bounded window in flight, records/s until all are acknowledged. */
async function inProcessProduce(rig: Rig): Promise<number> {
  const producer = new KafkaProducer<Uint8Array, Uint8Array>({
    config: { enableIdempotence: false, acks: '1', lingerMs: 5, batchSizeBytes: 16384 },
    keySerializer: bytesSerializer,
    valueSerializer: bytesSerializer,
    network: rig.workbench.cluster.producerNetwork('bench-in-process'),
    clock: rig.scheduler,
    timers: rig.scheduler,
    prng: new SeededPrng(SEED + 1),
  });
  const value = new Uint8Array(RECORD_BYTES).fill(120);
  const windowRecords = 50_000;
  let sent = 0;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await new Promise<void>((finish) => {
    const onDone = (_metadata: unknown, error: unknown): void => {
      done += 1;
      if (error !== null) failed += 1;
      if (done === RECORDS) finish();
    };
    const pump = (): void => {
      // Bounded: at most windowRecords sends per pass.
      while (sent < RECORDS && sent - done < windowRecords) {
        producer.send({ topic: 'bench', value }, onDone);
        sent += 1;
      }
      rig.driver.kick();
      if (done < RECORDS) setImmediate(pump);
    };
    pump();
  });
  if (failed > 0) throw new Error(`${failed} of ${RECORDS} in-process records failed`);
  return RECORDS / ((performance.now() - started) / 1000);
}

let rigs = 0;

async function measure<T extends number>(label: string, once: (rig: Rig) => Promise<T>, runs: number): Promise<number> {
  const figures: number[] = [];
  for (let run = 0; run < runs; run++) {
    const rig = await startRig(rigs++);
    try {
      figures.push(await once(rig));
    } finally {
      rig.close();
    }
    console.error(`${label} run ${run + 1}/${runs}: ${Math.round(figures.at(-1)!)} records/s`);
  }
  // The first run warms up; the better of the rest is the figure.
  return Math.round(Math.max(...figures.slice(1)));
}

async function main(): Promise<void> {
  const machine = { cpus: cpus().length, loadAvg1m: Math.round(loadavg()[0]! * 100) / 100 };
  if (!hasKcat()) {
    console.log(JSON.stringify({ suite: 'protocol', skipped: 'kcat is not installed (apt-get install kcat)', librdkafkaProduceRecordsPerSec: null, librdkafkaProduceAcksAllRecordsPerSec: null, librdkafkaConsumeRecordsPerSec: null, inProcessProduceRecordsPerSec: null, machine }));
    return;
  }
  const file = recordsFile();
  const produce = await measure('librdkafka produce', (rig) => kcatProduce(rig, file), 3);
  const produceAcksAll = await measure('librdkafka produce acks=all', (rig) => kcatProduce(rig, file, 'all'), 3);
  const consume = await measure(
    'librdkafka consume',
    async (rig) => {
      await kcatProduce(rig, file);
      return kcatConsume(rig);
    },
    3,
  );
  const inProcess = await measure('in-process produce', inProcessProduce, 3);
  console.log(
    JSON.stringify({
      suite: 'protocol',
      records: RECORDS,
      recordBytes: RECORD_BYTES,
      partitions: PARTITIONS,
      replicationFactor: 3,
      acks: 1,
      librdkafkaProduceRecordsPerSec: produce,
      librdkafkaProduceAcksAllRecordsPerSec: produceAcksAll,
      librdkafkaConsumeRecordsPerSec: consume,
      inProcessProduceRecordsPerSec: inProcess,
      listenerToInProcessRatio: Math.round((produce / inProcess) * 1000) / 1000,
      goalProduceRecordsPerSec: 300_000,
      machine,
    }),
  );
}

await main();
