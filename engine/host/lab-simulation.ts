/**
 * A lab's own cluster in simulation time: a fresh Workbench (in-memory disk, seeded) driven as fast
 * as the CPU allows, behind the gateway, as the lab runner's LabEngine. The autopilot and
 * `kafka-lab lab run` use it; the learner's own cluster is never touched.
 */
import { MemoryDisk } from '../storage/disk/memory-disk.js';
import { SeededPrng } from '../core/prng.js';
import { runUntilSettled, Scheduler } from '../core/scheduler.js';
import { SimulationTime } from '../core/simulation-time.js';
import type { Timers } from '../core/timers.js';
import type { LabEngine } from '../labs/lab-engine.js';
import type { LabSetup } from '../labs/lab-schema.js';
import { Gateway } from './gateway.js';
import { InProcessHost } from './in-process-host.js';
import { Workbench } from './workbench.js';

/** Engine time a lab starts at: fixed, so a seed replays the same run to the millisecond. */
const LAB_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
/** Engine ms one command may take to be answered (a produce with acks=all waits for replication). */
const COMMAND_SETTLE_MAX_MS = 600_000;

/** UI pushes go nowhere in a headless run: nobody subscribes to the streams. */
const noUiTimers: Timers = { after: () => ({ cancel: () => {} }) };

export interface LabSimulation {
  readonly engine: LabEngine;
  readonly workbench: Workbench;
  close(): void;
}

export function startLabSimulation(setup: LabSetup, seed: number): LabSimulation {
  const scheduler = new Scheduler(LAB_START_MS);
  const workbench = new Workbench({
    brokerCount: setup.brokers,
    ...(setup.quorumVoters === undefined ? {} : { quorumVoters: setup.quorumVoters }),
    disk: new MemoryDisk(),
    dataDir: '/lab',
    clock: scheduler,
    prng: new SeededPrng(seed),
    timers: scheduler,
    uiTimers: noUiTimers,
    time: new SimulationTime(scheduler),
  });
  const host = new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, COMMAND_SETTLE_MAX_MS));
  const gateway = new Gateway(host, { checkResponses: true });
  const engine: LabEngine = {
    call: (kind, name, payload) => gateway.invoke(kind, name, payload),
    nowMs: () => scheduler.nowMs(),
    advance: async (durationMs) => {
      let wake: () => void = () => {};
      const woken = new Promise<void>((resolve) => (wake = resolve));
      scheduler.after(durationMs, () => wake());
      await runUntilSettled(scheduler, woken, durationMs + 1);
    },
  };
  return { engine, workbench, close: () => void host.close() };
}
