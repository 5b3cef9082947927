/** Runs a lab's autopilot on its own fresh simulated cluster, as `kafka-lab lab run` does. */
import { runAutopilot, type AutopilotResult } from '../../engine/labs/autopilot.js';
import { applySetup } from '../../engine/labs/lab-setup.js';
import { startLabSimulation } from '../../engine/host/lab-simulation.js';
import type { Lab } from '../../engine/labs/lab-schema.js';

export async function autopilot(lab: Lab, seed: number): Promise<AutopilotResult> {
  const simulation = startLabSimulation(lab.setup, seed);
  try {
    await applySetup(lab.setup, simulation.engine);
    return (await runAutopilot(lab, simulation.engine, { seed })).result;
  } finally {
    simulation.close();
  }
}

/** The failed steps with each check's observed vs expected, and the command that replays the run. */
export function failureReport(result: AutopilotResult): string {
  const lines = [`lab ${result.lab} failed (replay: kafka-lab lab run ${result.lab} --seed ${result.seed})`];
  for (const step of result.steps.filter((s) => !s.passed)) {
    lines.push(`  step ${step.id}:`);
    for (const check of step.checks) lines.push(`    ${check.passed ? 'ok' : 'FAIL'} ${check.check}: ${check.observed} (expected ${check.expected})`);
    for (const action of step.failedActions) lines.push(`    action failed: ${action}`);
  }
  return lines.join('\n');
}

