/**
 * A bench for the console tools: a 3-broker workbench on virtual time (seeded), and `run(tool, args)`
 * that runs one tool to its exit code with the lines it printed, driving engine time until it is
 * done — as a learner would type the command in the UI console or a terminal.
 */
import type { ConsoleTool, ToolContext } from '../../../engine/console/tool-context.js';
import { ConsoleFileError } from '../../../engine/console/tool-context.js';
import { workbenchConsoleEngine } from '../../../engine/console/workbench-console-engine.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { manualTimers } from '../../helpers/manual-timers.js';

export interface ToolRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

export interface RunOptions {
  /** Lines typed into the tool (the console producer's records); then end of input. */
  readonly input?: readonly string[];
  /** Engine ms after which Ctrl+C is pressed (a streaming consumer), if it is still running. */
  readonly interruptAfterMs?: number;
  /** Upper bound of engine time the run may take before the test fails. */
  readonly maxEngineMs?: number;
}

export function consoleLab(seed: number, options: { brokers?: number; files?: Record<string, string> } = {}) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const prng = new SeededPrng(seed);
  const workbench = new Workbench({ brokerCount: options.brokers ?? 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng, timers: scheduler, uiTimers: manualTimers(), time: new SimulationTime(scheduler) });
  const engine = workbenchConsoleEngine({ workbench, clock: scheduler, timers: scheduler, prng });
  const files = new Map(Object.entries(options.files ?? {}));

  async function run(tool: ConsoleTool, args: readonly string[], runOptions: RunOptions = {}): Promise<ToolRun> {
    const out: string[] = [];
    const err: string[] = [];
    const input = [...(runOptions.input ?? [])];
    const controller = new AbortController();
    const context: ToolContext = {
      output: { out: (line) => out.push(line), err: (line) => err.push(line) },
      engine,
      files: {
        read: (path) => {
          const text = files.get(path);
          if (text === undefined) throw new ConsoleFileError(`${path} (No such file or directory)`);
          return text;
        },
      },
      // Each typed line arrives a little later, as a person types.
      readLine: () => new Promise((resolve) => scheduler.after(10, () => resolve(input.length > 0 ? input.shift()! : null))),
      interrupt: controller.signal,
    };
    if (runOptions.interruptAfterMs !== undefined) scheduler.after(runOptions.interruptAfterMs, () => controller.abort());
    const code = await runUntilSettled(scheduler, tool.run(args, context), runOptions.maxEngineMs ?? 120_000);
    return { code, out, err };
  }

  return {
    scheduler,
    workbench,
    engine,
    files,
    run,
    /** Moves engine time on (consumers join, heartbeats, replication). */
    advance: (ms: number): void => void scheduler.runUntil(scheduler.nowMs() + ms),
    close: (): void => workbench.close(),
  };
}
