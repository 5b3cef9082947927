/**
 * Entry point of the engine worker thread. The host process (Electron main or the CLI) starts it
 * with `EngineWorkerOptions`; it locks the data directory, builds the Workbench on live time and
 * answers requests in arrival order. Nothing here blocks the host's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MonotonicClock, SystemClock } from '../core/clock.js';
import { LiveDriver } from '../core/live-driver.js';
import { Scheduler } from '../core/scheduler.js';
import { SeededPrng } from '../core/prng.js';
import { systemTimers } from '../core/timers.js';
import { NodeDisk } from '../storage/disk/node-disk.js';
import { isProcessAlive, lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { EngineWorkerOptions, FromWorker, ToWorker } from './worker-protocol.js';
import { historyPathIn } from '../history/history-paths.js';
import { HistoryStore } from '../history/history-store.js';
import { LabHost } from './lab-host.js';
import { ParentPdfPrinter } from './worker-pdf.js';
import { wireAdminOf } from './wire-admin.js';
import { ProtocolListeners } from '../protocol/protocol-listeners.js';
import { openLiveLabCluster } from './live-lab-cluster.js';
import { Workbench } from './workbench.js';

function post(message: FromWorker): void {
  parentPort!.postMessage(message);
}

async function start(options: EngineWorkerOptions): Promise<void> {
  const disk = new NodeDisk();
  let lock: DataDirLock;
  try {
    lock = lockDataDir(disk, options.dataDir, process.pid, isProcessAlive);
  } catch (error) {
    post({ type: 'fatal', message: (error as Error).message });
    return;
  }
  // Engine time starts at the wall clock and then follows real time x speed (1x until a learner changes it).
  const scheduler = new Scheduler(new SystemClock().nowMs());
  const driver = new LiveDriver(scheduler, new MonotonicClock(), systemTimers);
  let workbench: Workbench;
  try {
    workbench = new Workbench({
      brokerCount: options.brokerCount,
      disk,
      dataDir: options.dataDir,
      clock: scheduler,
      timers: scheduler,
      uiTimers: systemTimers,
      time: driver,
      prng: new SeededPrng(options.seed),
    });
  } catch (error) {
    lock.release();
    post({ type: 'fatal', message: (error as Error).message });
    return;
  }
  driver.resume();
  // Labs run on clusters of their own beside the learner's; the lab host shows one of them. Their
  // runs are kept in the history database of the data directory.
  const labSeeds = new SeededPrng(options.seed ^ 0x1ab5);
  const pdf = new ParentPdfPrinter(post, systemTimers);
  const wallClock = new SystemClock();
  let history: HistoryStore | null = null;
  let core: LabHost;
  try {
    history = await HistoryStore.open(historyPathIn(options.dataDir));
    core = await LabHost.open({
      disk,
      history,
      appVersion: options.appVersion,
      printPdf: pdf.print,
      wallClockMs: () => wallClock.nowMs(),
      dataDir: options.dataDir,
      labsDir: options.labsDir,
      personal: { workbench, time: driver },
      openLabCluster: (setup, seed, dir) => openLiveLabCluster({ disk, wallClock: new SystemClock(), realTimers: systemTimers }, setup, seed, dir),
      uiTimers: systemTimers,
      seedFor: () => labSeeds.nextInt(0x7fff_ffff),
      nowMs: () => scheduler.nowMs(),
      kafkaSecurity: options.kafkaSecurity,
    });
  } catch (error) {
    driver.stop();
    workbench.close();
    await history?.close();
    lock.release();
    post({ type: 'fatal', message: (error as Error).message });
    return;
  }
  const openHistory = history;
  core.onEvent((event, payload) => post({ type: 'event', event, payload }));
  const listeners = options.kafkaListenerHost === null ? null : startKafkaListeners(core, options.kafkaListenerHost, options.seed);
  if (listeners !== null) core.attachKafkaListeners(listeners);
  for (const [event, payload] of core.initialEvents()) post({ type: 'event', event, payload });
  parentPort!.on('message', (message: ToWorker) => {
    if (message.type === 'invoke') {
      void core.handle(message.kind, message.name, message.payload).then((envelope) => post({ type: 'result', id: message.id, envelope }));
      // The request scheduled engine work (a produce on its way to a leader): run what is due now.
      driver.kick();
    } else if (message.type === 'pdfPrinted') {
      pdf.answered(message);
    } else {
      driver.stop();
      listeners?.close();
      core.close();
      // Every progress saved reaches the history before it closes; then the data directory is free.
      void core
        .flushed()
        .then(() => openHistory.close())
        .finally(() => {
          lock.release();
          post({ type: 'closed' });
          parentPort!.close();
        });
    }
  });
  post({ type: 'ready' });
}

/**
 * Real Kafka clients reach the shown cluster on 127.0.0.1:9092, 9093, ...: the listeners follow
 * every status change (a broker killed closes its port; a workspace switch shows other brokers).
 * A port already taken is said on stderr and the others still listen.
 */
function startKafkaListeners(core: LabHost, host: string, seed: number): ProtocolListeners {
  const listeners = new ProtocolListeners({
    host,
    portFor: (broker) => broker.port,
    status: () => core.shownStatus(),
    consumer: () => core.shownConsumerNetwork(),
    producer: () => core.shownProducerNetwork(),
    admin: () => wireAdminOf(core.shownWorkbench()),
    securityProtocol: () => core.kafkaSecurityProtocol(),
    credential: (user, mechanism) => core.shownWorkbench().cluster.scramCredential(user, mechanism),
    // SCRAM server nonces: seeded like every random choice, apart from the clusters' own streams.
    prng: new SeededPrng(seed ^ 0x5a51),
    kick: () => core.kickShown(),
    log: (line) => process.stderr.write(`kafka listener: ${line}\n`),
  });
  let syncing: Promise<void> = listeners.sync();
  core.onEvent((event) => {
    if (event === 'clusterStatus' || event === 'workspace') syncing = syncing.then(() => listeners.sync());
  });
  // Connections accepted under the old protocol close; clients reconnect under the new one.
  core.onKafkaSecurityChange(() => listeners.securityChanged());
  return listeners;
}

if (parentPort === null) throw new Error('engine-worker must run in a worker thread');
void start(workerData as EngineWorkerOptions);
