/**
 * `kafka-lab`: the headless shell. `serve` runs the engine in a worker thread and serves the UI and
 * the WebSocket API on 127.0.0.1 with a per-run token; `sim` runs the deterministic simulation
 * (cli/sim.ts).
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemTimers } from '../engine/core/timers.js';
import { dataDirIn, defaultUserDataDir } from '../engine/host/app-paths.js';
import { Gateway } from '../engine/host/gateway.js';
import { WorkerHost } from '../engine/host/worker-host.js';
import { USAGE, UsageError, parseCli, type ServeArgs } from './args.js';
import { runSimCommand } from './sim.js';
import { startWebHost } from './web-host.js';
import { removeServeInfo, writeServeInfo } from './serve-info.js';
import { runToolCommand } from './tool-command.js';
import { runLabCommand } from './lab-command.js';
import { runReportCommand, runSummaryCommand } from './report-command.js';
import { chromiumPdfPrinter } from '../engine/host/report-service.js';

declare const __APP_VERSION__: string;

const here = dirname(fileURLToPath(import.meta.url));

/** The labs that come with the app: labs/ at the top of the checkout (out/main/cli.js is two levels down). */
function appLabsDir(): string {
  return resolve(here, '..', '..', 'labs');
}

export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kafka-lab: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.command === 'version') {
    process.stdout.write(`${__APP_VERSION__}\n`);
    return 0;
  }
  if (args.command === 'sim') return runSimCommand(args);
  if (args.command === 'lab') return runLabCommand(args, resolve(args.labsDir ?? appLabsDir()), process.stdout, process.stderr, __APP_VERSION__);
  if (args.command === 'report') return runReportCommand(args, resolve(args.dataDir ?? dataDirIn(defaultUserDataDir(process.platform, process.env, homedir()))), process.stdout, process.stderr);
  if (args.command === 'summary') return runSummaryCommand(args, process.stdout, process.stderr);
  if (args.command === 'tool') {
    const dataDir = resolve(args.dataDir ?? dataDirIn(defaultUserDataDir(process.platform, process.env, homedir())));
    try {
      return await runToolCommand(args.words, dataDir, args.brokers);
    } catch (error) {
      process.stderr.write(`kafka-lab: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return serve(args);
}

async function serve(args: ServeArgs): Promise<number> {
  const rendererDir = resolve(here, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`kafka-lab: the UI is not built (no ${join(rendererDir, 'index.html')}). Run 'npm run build' first.\n`);
    return 1;
  }
  const dataDir = resolve(args.dataDir ?? dataDirIn(defaultUserDataDir(process.platform, process.env, homedir())));
  const seed = args.seed ?? randomInt(0x7fff_ffff);
  let host: WorkerHost;
  try {
    host = await WorkerHost.start(new URL('./engine-worker.js', import.meta.url), { dataDir, brokerCount: args.brokers, seed, labsDir: appLabsDir(), appVersion: __APP_VERSION__, kafkaListenerHost: args.kafkaHost, kafkaSecurity: args.kafkaSecurity ?? null }, systemTimers, chromiumPdfPrinter);
  } catch (error) {
    process.stderr.write(`kafka-lab: ${(error as Error).message}\n`);
    return 1;
  }
  const gateway = new Gateway(host);
  let web;
  try {
    web = await startWebHost({ port: args.port, rendererDir, gateway });
  } catch (error) {
    await host.close();
    process.stderr.write(`kafka-lab: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Kafka Lab Workbench ${__APP_VERSION__}: ${args.brokers} broker(s), data in ${dataDir}, seed ${seed}\n`);
  process.stdout.write(`Open ${web.url}\n`);
  // Other kafka-lab commands on this data directory (kafka-lab kafka-topics ...) run in this workbench.
  writeServeInfo(dataDir, { pid: process.pid, url: web.url });
  if (args.servicePorts) {
    // A taken port is reported and the workbench keeps serving: the Services view can retry.
    const answer = await gateway.invoke('command', 'setServicePorts', { enabled: true });
    process.stdout.write(answer.ok ? 'Service replicas listen on 127.0.0.1 (order 8081, inventories from 8082).\n' : `kafka-lab: ${answer.error.message}\n`);
  }
  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  removeServeInfo(dataDir);
  await web.close();
  await host.close();
  process.stdout.write('Stopped.\n');
  return 0;
}
