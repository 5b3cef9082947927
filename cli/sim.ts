/**
 * `kafka-lab sim`: the deterministic simulation from the command line. `--seed N` runs one seed and
 * prints its summary; `--seeds N [--from S]` runs many across worker threads (each seed whole in
 * one worker, handed out one at a time so a slow seed does not hold a whole shard back), prints
 * progress about every tenth of the way, then one summary line and one JSON line. Exit code 0 when
 * no invariant was violated, 1 otherwise (every failing seed is listed with its replay command).
 *
 * Invariants: every seed of the range runs exactly once; results are merged in any order into the
 * same totals; a worker that dies fails the run (exit 1) rather than leaving seeds unchecked.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultSimOptions, type SimOptions } from '../engine/sim/sim-config.js';
import { addToTally, emptyTally, formatRunSummary, formatTallyLine, formatViolation, tallyJson, type SimTally } from '../engine/sim/sim-report.js';
import { runSimulation, type SimResult } from '../engine/sim/simulation.js';
import type { SimArgs } from './args.js';

const WORKER_TAG = 'kafka-lab-sim-worker';

interface WorkerSetup {
  readonly tag: typeof WORKER_TAG;
  readonly options: Partial<Omit<SimOptions, 'seed'>>;
}

type ToWorker = { readonly seed: number } | { readonly done: true };
type FromWorker = { readonly ready: true } | { readonly result: SimResult } | { readonly error: string };

export interface Output {
  write(text: string): unknown;
}

export async function runSimCommand(args: SimArgs, out: Output = process.stdout): Promise<number> {
  const options = { faultPhaseMs: args.faultPhaseMs, recordsPerSecond: args.recordsPerSecond, faults: args.faults };
  if (args.mode.kind === 'one') {
    const startedMs = performance.now();
    const result = await runSimulation(defaultSimOptions(args.mode.seed, options));
    out.write(formatRunSummary(result, performance.now() - startedMs));
    return result.violation === null ? 0 : 1;
  }
  const { from, count } = args.mode;
  const startedMs = performance.now();
  const tally = emptyTally();
  const progress = progressPrinter(out, count, startedMs);
  const failure = await runSeeds(from, count, Math.min(args.workers, count), options, (result) => {
    addToTally(tally, result);
    progress(tally);
  });
  return finish(out, tally, from, performance.now() - startedMs, failure);
}

function finish(out: Output, tally: SimTally, from: number, wallMs: number, workerFailure: string | null): number {
  tally.failures.sort((a, b) => a.seed - b.seed);
  tally.notConverged.sort((a, b) => a - b);
  for (const failed of tally.failures) out.write(`\n${formatViolation(failed.seed, failed.violation)}\n`);
  if (workerFailure !== null) out.write(`\nsim: a worker failed, seeds are left unchecked: ${workerFailure}\n`);
  out.write(`${formatTallyLine(tally, wallMs)}\n`);
  out.write(`${tallyJson(tally, wallMs, from)}\n`);
  return tally.failures.length === 0 && workerFailure === null ? 0 : 1;
}

/** Prints a progress line about every tenth of the seeds. */
function progressPrinter(out: Output, count: number, startedMs: number): (tally: SimTally) => void {
  const every = Math.max(1, Math.ceil(count / 10));
  return (tally) => {
    if (tally.seeds % every !== 0 || tally.seeds === count) return;
    out.write(`sim: ${tally.seeds}/${count} seeds, ${tally.failures.length} failed, ${((performance.now() - startedMs) / 1000).toFixed(1)} s\n`);
  };
}

/** Runs seeds from..from+count-1 on `workers` threads (in this thread when 1); null, or why a worker failed. */
async function runSeeds(from: number, count: number, workers: number, options: WorkerSetup['options'], onResult: (result: SimResult) => void): Promise<string | null> {
  if (workers <= 1) {
    for (let seed = from; seed < from + count; seed++) onResult(await runSimulation(defaultSimOptions(seed, options)));
    return null;
  }
  let next = from;
  const end = from + count;
  const handOut = (): ToWorker => (next < end ? { seed: next++ } : { done: true });
  const runs = Array.from({ length: workers }, () => driveWorker(options, handOut, onResult));
  const failures = (await Promise.all(runs)).filter((f): f is string => f !== null);
  return failures.length === 0 ? null : failures.join('; ');
}

function driveWorker(options: WorkerSetup['options'], handOut: () => ToWorker, onResult: (result: SimResult) => void): Promise<string | null> {
  return new Promise((resolve) => {
    const setup: WorkerSetup = { tag: WORKER_TAG, options };
    const worker = startWorker(setup);
    let settled = false;
    const settle = (failure: string | null): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(failure);
    };
    worker.on('message', (message: FromWorker) => {
      if ('error' in message) return settle(message.error);
      if ('result' in message) onResult(message.result);
      const job = handOut();
      if ('done' in job) return settle(null);
      worker.postMessage(job);
    });
    worker.on('error', (error) => settle(error.message));
    worker.on('exit', (code) => settle(code === 0 ? null : `worker exited with code ${code}`));
  });
}

/**
 * A worker running this module. Built, this module is plain JavaScript in out/main/cli.js; under
 * tsx (development: `node --import tsx`), a worker does not inherit the TypeScript loader, so it
 * registers it before importing this file.
 */
function startWorker(setup: WorkerSetup): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: setup });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** Inside a worker thread: run each seed the main thread hands over, answer with its result. */
function serveWorker(port: NonNullable<typeof parentPort>, setup: WorkerSetup): void {
  port.on('message', (job: ToWorker) => {
    if ('done' in job) return port.close();
    runSimulation(defaultSimOptions(job.seed, setup.options)).then(
      (result) => port.postMessage({ result } satisfies FromWorker),
      (error: unknown) => port.postMessage({ error: `seed ${job.seed}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` } satisfies FromWorker),
    );
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

// This module is also a worker's entry point: `driveWorker` starts the file it is bundled into.
if (!isMainThread && parentPort !== null && (workerData as Partial<WorkerSetup> | null)?.tag === WORKER_TAG) serveWorker(parentPort, workerData as WorkerSetup);
