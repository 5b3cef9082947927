/**
 * Cluster benchmark: `npm run bench -- cluster`. Prints progress, then as its last line one JSON
 * object with the figures.
 *
 * - rf1RecordsPerSec / rf3Acks1RecordsPerSec / rf3AcksAllRecordsPerSec: the in-process producer
 *   (batch.size 16384, linger.ms 5, idempotence off so acks=1 is allowed) sends 100-byte records
 *   to a 3-broker cluster with a 6-partition topic, in simulation mode (engine time as fast as the
 *   CPU allows, each broker's logs on the real disk in a temporary directory); records acknowledged
 *   per wall second, the median of three runs each after one warm-up run; each run's clock starts
 *   after 20,000 records through its cluster (steady state: followers fetching, checkpoints written).
 * - e2eLatencyMs {p50, p99, p999}: live mode (engine time = real time, the live driver), RF 3,
 *   acks=all, linger.ms 0, in a fresh process: a fixed-rate generator sends at half of the measured
 *   acks=all maximum;
 *   latency runs from each record's scheduled send time (not its actual send, so a stall counts
 *   fully: no coordinated omission) until the producer's acknowledgement, which for acks=all means
 *   the record is below the high watermark, i.e. readable by consumers.
 * - simSpeedup: engine seconds per wall second for a 3-broker, 6-partition, 10 records/s workload
 *   over ten engine minutes in simulation mode.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { KafkaProducer, bytesSerializer, type ProducerConfigInput } from '../../engine/clients/producer/index.js';
import { Cluster } from '../../engine/cluster/cluster.js';
import { MonotonicClock } from '../../engine/core/clock.js';
import { LiveDriver } from '../../engine/core/live-driver.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { systemTimers, type Timers } from '../../engine/core/timers.js';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';

const SEED = 1;
const VALUE = new Uint8Array(100).map((_, i) => 97 + (i % 26));
const START_MS = 1_700_000_000_000;

/** Each run gets its own data directory on the real disk (NodeDisk, as the app uses), removed at exit. */
const benchRoot = mkdtempSync(join(tmpdir(), 'kafka-lab-cluster-bench-'));
process.on('exit', () => rmSync(benchRoot, { recursive: true, force: true }));
let runs = 0;
const dataDirs = new WeakMap<Cluster, string>();
const dataDirOf = (cluster: Cluster): string => dataDirs.get(cluster)!;

function makeCluster(scheduler: Scheduler, replicationFactor: number): Cluster {
  const dataDir = join(benchRoot, `run-${runs++}`);
  const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(SEED), disk: new NodeDisk(), dataDir });
  dataDirs.set(cluster, dataDir);
  scheduler.runUntil(scheduler.nowMs() + 100);
  cluster.createTopic({ name: 'bench', partitions: 6, replicationFactor, configs: {} });
  scheduler.runUntil(scheduler.nowMs() + 100);
  return cluster;
}

function makeProducer(cluster: Cluster, scheduler: Scheduler, config: ProducerConfigInput, timers: Timers = scheduler): KafkaProducer<Uint8Array, Uint8Array> {
  return new KafkaProducer<Uint8Array, Uint8Array>({
    config: { enableIdempotence: false, ...config },
    keySerializer: bytesSerializer,
    valueSerializer: bytesSerializer,
    network: cluster.producerNetwork('bench'),
    clock: scheduler,
    timers,
    prng: new SeededPrng(SEED + 1),
  });
}

/**
 * Sends `count` records in simulation mode, keeping a bounded window in flight; records/s of wall
 * time. The clock starts after a warm-up of `warmupRecords` through the same cluster: by then every
 * follower has fetched and written its first leader-epoch checkpoint (an fsync each, as in Kafka),
 * so the figure is the cluster's steady state, not its first second.
 */
function throughput(replicationFactor: number, acks: '1' | 'all', count: number, warmupRecords = 20_000): number {
  const scheduler = new Scheduler(START_MS);
  const cluster = makeCluster(scheduler, replicationFactor);
  const producer = makeProducer(cluster, scheduler, { acks, lingerMs: 5, batchSizeBytes: 16384 });
  const sendAll = (records: number): void => {
    const windowRecords = 50_000;
    let acked = 0;
    let failed = 0;
    let sent = 0;
    const onDone = (_metadata: unknown, error: unknown): void => {
      if (error === null) acked += 1;
      else failed += 1;
    };
    // Bounded: every pass either sends or advances engine time by 1 ms until all are acknowledged.
    for (let pass = 0; acked + failed < records; pass++) {
      if (pass > 100_000_000) throw new Error('throughput run did not finish');
      while (sent < records && sent - acked - failed < windowRecords) {
        producer.send({ topic: 'bench', value: VALUE }, onDone);
        sent += 1;
      }
      scheduler.runUntil(scheduler.nowMs() + 1);
    }
    if (failed > 0) throw new Error(`${failed} of ${records} records failed (RF ${replicationFactor}, acks=${acks})`);
  };
  sendAll(warmupRecords);
  // Followers catch up before the clock starts (with acks=1 the producer does not wait for them).
  scheduler.runUntil(scheduler.nowMs() + 1_000);
  const started = performance.now();
  sendAll(count);
  const seconds = (performance.now() - started) / 1000;
  cluster.shutdown();
  // Remove the run's logs at once: their dirty pages would otherwise be written back during the next run.
  rmSync(dataDirOf(cluster), { recursive: true, force: true });
  return Math.round(count / seconds);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Live mode: fixed-rate sends for `warmupMs + durationMs` of real time; latency from scheduled send
 * to acknowledgement, counted after the warm-up (the JIT compiles the hot paths first).
 */
async function liveLatency(ratePerSec: number, warmupMs: number, durationMs: number): Promise<{ p50: number; p99: number; p999: number; samples: number }> {
  const real = new MonotonicClock();
  const scheduler = new Scheduler(real.nowMs());
  const driver = new LiveDriver(scheduler, real, systemTimers);
  const cluster = makeCluster(scheduler, 3);
  const producer = makeProducer(cluster, scheduler, { acks: 'all', lingerMs: 0 });
  driver.resume();
  const latencies: number[] = [];
  const intervalMs = 1000 / ratePerSec;
  const startMs = performance.now();
  let next = 0;
  await new Promise<void>((finish) => {
    const tick = (): void => {
      const now = performance.now();
      // Send every record whose scheduled time has come (a late tick sends the backlog, each timed from its schedule).
      while (startMs + next * intervalMs <= now && next * intervalMs < warmupMs + durationMs) {
        const scheduledAt = startMs + next * intervalMs;
        const measured = scheduledAt - startMs >= warmupMs;
        producer.send({ topic: 'bench', value: VALUE }, (_m, error) => {
          if (error === null && measured) latencies.push(performance.now() - scheduledAt);
        });
        next += 1;
      }
      driver.kick();
      if (next * intervalMs < warmupMs + durationMs) setImmediate(tick);
      else setTimeout(finish, 500);
    };
    tick();
  });
  driver.stop();
  cluster.shutdown();
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), p999: round(percentile(sorted, 99.9)), samples: sorted.length };
}

/** Ten engine minutes of a 10 records/s producer, as fast as the CPU allows. */
function simSpeedup(): number {
  const scheduler = new Scheduler(START_MS);
  const cluster = makeCluster(scheduler, 3);
  const producer = makeProducer(cluster, scheduler, { acks: 'all', lingerMs: 0 });
  const virtualMs = 10 * 60 * 1000;
  const send = (): void => {
    producer.send({ topic: 'bench', value: VALUE });
    scheduler.after(100, send);
  };
  scheduler.after(100, send);
  const started = performance.now();
  scheduler.runUntil(scheduler.nowMs() + virtualMs);
  const wallSec = (performance.now() - started) / 1000;
  cluster.shutdown();
  return Math.round(virtualMs / 1000 / wallSec);
}

type Latency = Awaited<ReturnType<typeof liveLatency>>;

/**
 * The latency phase runs in a fresh Node process (as JMH forks per benchmark), so the nine
 * throughput runs before it leave it no heap, JIT or page-cache state. It warms up the same way:
 * one simulation-mode run, then the live run's own first second.
 */
function latencyInFreshProcess(rate: number): Latency {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--latency', String(rate)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 });
  if (child.status !== 0) throw new Error(`the latency process failed (exit ${child.status}, signal ${child.signal})`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Latency;
}

async function latencyProcess(rate: number): Promise<void> {
  throughput(3, 'all', 100_000);
  console.log(JSON.stringify(await liveLatency(rate, 1000, 5000)));
}

async function main(): Promise<void> {
  const count = 200_000;
  // The median of three runs per configuration: a single run on a shared 2-core machine swings by 30 %.
  const median = (rf: number, acks: '1' | 'all'): number => [0, 1, 2].map(() => throughput(rf, acks, count)).sort((a, b) => a - b)[1]!;
  console.log(`throughput: ${count} records of 100 B per run, 3 brokers, 6 partitions (after a warm-up run, so no run pays for the JIT)`);
  throughput(3, 'all', 100_000);
  const rf1 = median(1, '1');
  console.log(`  RF 1, acks=1: ${rf1} records/s`);
  const rf3Acks1 = median(3, '1');
  console.log(`  RF 3, acks=1: ${rf3Acks1} records/s`);
  const rf3AcksAll = median(3, 'all');
  console.log(`  RF 3, acks=all: ${rf3AcksAll} records/s`);
  const rate = Math.floor(rf3AcksAll / 2);
  console.log(`latency: live mode, RF 3, acks=all, ${rate} records/s for 5 s after a 1 s warm-up`);
  const latency = latencyInFreshProcess(rate);
  console.log(`  p50 ${latency.p50} ms, p99 ${latency.p99} ms, p99.9 ${latency.p999} ms (${latency.samples} records)`);
  const speedup = simSpeedup();
  console.log(`simulation: ${speedup} engine seconds per wall second`);
  const result = {
    rf1RecordsPerSec: rf1,
    rf3Acks1RecordsPerSec: rf3Acks1,
    rf3AcksAllRecordsPerSec: rf3AcksAll,
    rf3Acks1ToRf1Ratio: Math.round((rf3Acks1 / rf1) * 100) / 100,
    rf3AcksAllToRf1Ratio: Math.round((rf3AcksAll / rf1) * 100) / 100,
    e2eLatencyMs: { p50: latency.p50, p99: latency.p99, p999: latency.p999 },
    e2eLatencyRatePerSec: rate,
    e2eLatencySamples: latency.samples,
    simSpeedup: speedup,
    recordBytes: 100,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    cpus: cpus().length,
    note: 'bundled code; simulation mode for throughput (logs on disk in a temporary directory); live mode for latency in a fresh process after a 1 s warm-up; acks=all latency = send scheduled -> acknowledged (below the high watermark)',
  };
  console.log(JSON.stringify(result));
}

if (process.argv[2] === '--latency') await latencyProcess(Number(process.argv[3]));
else await main();
