/**
 * The autopilot: performs each step's actions in order, then lets engine time pass until the
 * step's checks all pass or its timeoutMs says they failed; answers the questions as the lab
 * expects. Used by the tests, by instructors to rehearse a lab, and by `kafka-lab lab run`.
 */
import { labLimits } from './lab-limits.js';
import type { LabEngine } from './lab-engine.js';
import { LabRun, newProgress, type CheckOutcome, type LabProgress } from './lab-run.js';
import type { Lab } from './lab-schema.js';

export interface AutopilotStepResult {
  readonly id: string;
  readonly passed: boolean;
  /** Engine ms from the step's start until its checks passed (or it timed out). */
  readonly elapsedMs: number;
  readonly checks: readonly { readonly check: string; readonly passed: boolean; readonly observed: string; readonly expected: string }[];
  /** Actions whose outcome was not ok, with the outcome. */
  readonly failedActions: readonly string[];
}

export interface AutopilotResult {
  readonly lab: string;
  readonly passed: boolean;
  readonly seed: number;
  readonly steps: readonly AutopilotStepResult[];
}

export interface AutopilotOptions {
  readonly seed: number;
  readonly runId?: string;
  /** Each step's result as soon as it is known (the CLI prints it). */
  readonly onStep?: (result: AutopilotStepResult) => void;
  readonly onProgress?: (progress: LabProgress) => void;
}

export async function runAutopilot(lab: Lab, engine: LabEngine, options: AutopilotOptions): Promise<{ result: AutopilotResult; run: LabRun }> {
  const progress = newProgress(lab, options.runId ?? `autopilot-${lab.id}-${options.seed}`, options.seed, engine.nowMs());
  const run = new LabRun(lab, progress, engine, options.onProgress);
  const steps: AutopilotStepResult[] = [];
  while (!run.finished) {
    const result = await runStep(run, engine);
    steps.push(result);
    options.onStep?.(result);
  }
  return { result: { lab: lab.id, passed: steps.every((s) => s.passed), seed: options.seed, steps }, run };
}

/** One step under the autopilot: its actions, then time until its checks pass or its timeoutMs; then its questions. */
export async function runStep(run: LabRun, engine: LabEngine): Promise<AutopilotStepResult> {
  const step = run.currentStep!;
  const startedMs = engine.nowMs();
  await run.beginStep();
  const failedActions: string[] = [];
  for (let i = 0; i < step.actions.length; i++) {
    const entry = await run.perform(i);
    if (entry.type === 'action' && entry.outcome !== 'ok') failedActions.push(`${entry.action} → ${entry.outcome}`);
  }
  let checks: readonly CheckOutcome[] = await run.evaluate();
  const deadlineMs = startedMs + step.timeoutMs;
  // Bounded: one evaluation per autopilotCheckIntervalMs of engine time until the step's deadline.
  while (!checks.every((c) => c.passed) && engine.nowMs() < deadlineMs) {
    await engine.advance(Math.min(labLimits.autopilotCheckIntervalMs, deadlineMs - engine.nowMs()));
    checks = await run.evaluate();
  }
  for (const question of step.questions) run.answer(question.id, question.expected ?? question.autopilotAnswer ?? '');
  const passed = checks.every((c) => c.passed);
  run.finishStep(passed ? 'passed' : 'failed');
  return {
    id: step.id,
    passed,
    elapsedMs: engine.nowMs() - startedMs,
    checks: checks.map((c) => ({ check: c.check, passed: c.passed, observed: c.observed, expected: c.expected })),
    failedActions,
  };
}
