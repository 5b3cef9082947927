/**
 * A lab's own cluster in the app: a Workbench on the real disk in the run's directory, on live time
 * (its own scheduler and live driver, paused until the lab is shown), behind a gateway so the
 * runner's actions are validated like the UI's. Opening a directory that has a cluster recovers it,
 * as a broker restart does.
 */
import { MonotonicClock, type Clock } from '../core/clock.js';
import { limits } from '../core/limits.js';
import { LiveDriver } from '../core/live-driver.js';
import { SeededPrng } from '../core/prng.js';
import { Scheduler } from '../core/scheduler.js';
import type { Timers } from '../core/timers.js';
import type { LabEngine } from '../labs/lab-engine.js';
import type { LabSetup } from '../labs/lab-schema.js';
import type { Disk } from '../storage/disk/disk.js';
import { Gateway } from './gateway.js';
import type { LabCluster } from './lab-host.js';
import { Workbench } from './workbench.js';

export interface LiveLabClusterOptions {
  readonly disk: Disk;
  /** Where engine time starts (the wall clock, as the learner's own cluster does). */
  readonly wallClock: Clock;
  /** Real-time timers: the live driver's wake-ups and the UI pushes. */
  readonly realTimers: Timers;
}

export function openLiveLabCluster(options: LiveLabClusterOptions, setup: LabSetup, seed: number, dir: string): LabCluster {
  const scheduler = new Scheduler(options.wallClock.nowMs());
  const driver = new LiveDriver(scheduler, new MonotonicClock(), options.realTimers);
  const workbench = new Workbench({
    brokerCount: setup.brokers,
    ...(setup.quorumVoters === undefined ? {} : { quorumVoters: setup.quorumVoters }),
    disk: options.disk,
    dataDir: dir,
    clock: scheduler,
    timers: scheduler,
    uiTimers: options.realTimers,
    time: driver,
    prng: new SeededPrng(seed),
  });
  const gateway = new Gateway({
    invoke: async (kind, name, payload) => {
      const answer = workbench.handle(kind, name, payload);
      // The request scheduled engine work: run what is due now, as the engine worker does.
      driver.kick();
      return answer;
    },
    subscribe: () => () => {},
    close: () => Promise.resolve(),
  });
  const engine: LabEngine = {
    call: (kind, name, payload) => gateway.invoke(kind, name, payload),
    nowMs: () => scheduler.nowMs(),
    // Live: engine time passes by itself (not at all while the learner has paused the clock).
    advance: (durationMs) => new Promise<void>((resolve) => void scheduler.after(durationMs, resolve)),
    // The clock bar's skip, in steps the driver allows; timers due meanwhile fire in order.
    skip: async (durationMs) => {
      for (let left = durationMs; left > 0; left -= limits.skipAheadMaxMs) driver.skipAhead(Math.min(left, limits.skipAheadMaxMs));
    },
    consoleSessionIds: () => workbench.console.sessionIds(),
  };
  return {
    workbench,
    time: driver,
    engine,
    close: () => {
      driver.stop();
      workbench.close();
    },
  };
}
