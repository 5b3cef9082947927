/**
 * A lab's own cluster in simulation time: a fresh Workbench (seeded) driven as fast as the CPU
 * allows, behind the gateway, as the lab runner's LabEngine. The autopilot and `kafka-lab lab run`
 * use it on an in-memory disk; tests of the lab host use it as the app's lab clusters.
 */
import { MemoryDisk } from '../storage/disk/memory-disk.js';
import type { Disk } from '../storage/disk/disk.js';
import { SeededPrng } from '../core/prng.js';
import { runUntilSettled, Scheduler } from '../core/scheduler.js';
import { SimulationTime } from '../core/simulation-time.js';
import type { Timers } from '../core/timers.js';
import type { LabEngine } from '../labs/lab-engine.js';
import type { LabSetup } from '../labs/lab-schema.js';
import { Gateway } from './gateway.js';
import { InProcessHost } from './in-process-host.js';
import type { LabCluster } from './lab-host.js';
import { Workbench } from './workbench.js';

/** Engine time a lab starts at: fixed, so a seed replays the same run to the millisecond. */
export const LAB_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
/** Engine ms one command may take to be answered (a produce with acks=all waits for replication). */
const COMMAND_SETTLE_MAX_MS = 600_000;

/** UI pushes go nowhere in a headless run: nobody subscribes to the streams. */
const noUiTimers: Timers = { after: () => ({ cancel: () => {} }) };

export interface LabSimulation extends LabCluster {
  readonly scheduler: Scheduler;
}

/** A simulated lab cluster on `disk` at `dir` (a directory with a cluster in it is recovered). */
export function openSimulatedLabCluster(setup: LabSetup, seed: number, disk: Disk = new MemoryDisk(), dir = '/lab', startMs = LAB_START_MS): LabSimulation {
  const scheduler = new Scheduler(startMs);
  const time = new SimulationTime(scheduler);
  const workbench = new Workbench({
    brokerCount: setup.brokers,
    ...(setup.quorumVoters === undefined ? {} : { quorumVoters: setup.quorumVoters }),
    disk,
    dataDir: dir,
    clock: scheduler,
    prng: new SeededPrng(seed),
    timers: scheduler,
    uiTimers: noUiTimers,
    time,
  });
  const host = new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, COMMAND_SETTLE_MAX_MS));
  const gateway = new Gateway(host, { checkResponses: true });
  const advance = async (durationMs: number): Promise<void> => {
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    scheduler.after(durationMs, () => wake());
    await runUntilSettled(scheduler, woken, durationMs + 1);
  };
  const engine: LabEngine = {
    call: (kind, name, payload) => gateway.invoke(kind, name, payload),
    nowMs: () => scheduler.nowMs(),
    advance,
    skip: advance,
    consoleSessionIds: () => workbench.console.sessionIds(),
  };
  return { scheduler, workbench, time, engine, close: () => void host.close() };
}

/** The autopilot's cluster: in memory, fresh. */
export function startLabSimulation(setup: LabSetup, seed: number): LabSimulation {
  return openSimulatedLabCluster(setup, seed);
}
