/**
 * `kafka-lab lab ...`: the labs from the command line.
 * - `lab list`: the labs with their titles, and any lab file's problems (file:line:column).
 * - `lab run <id> [--seed N] [--json]`: the autopilot on a fresh simulated cluster; prints each
 *   step's result (also with --json, so a long run shows progress), exits 1 if any check failed;
 *   with --json the last line is one JSON object
 *   {"lab", "passed", "steps": [{"id", "passed", "checks": [...]}]}. With --report FILE it also writes
 *   the run's report (HTML, PDF, JSON or CSV by FILE's extension) from the run and the lab
 *   cluster's timeline, metrics, status and configs at its end.
 * - `lab check [FILE...]`: validates lab files (all of the labs directory by default).
 */
import { readFileSync } from 'node:fs';
import { runAutopilot, type AutopilotStepResult } from '../engine/labs/autopilot.js';
import { loadLabCatalogue } from '../engine/labs/lab-catalogue.js';
import { formatProblem, loadLabText } from '../engine/labs/lab-loader.js';
import { applySetup } from '../engine/labs/lab-setup.js';
import { startLabSimulation } from '../engine/host/lab-simulation.js';
import { sheetOf } from '../engine/labs/lab-sheet.js';
import { parseReportSource } from '../engine/reports/report-source.js';
import { takeRunSnapshot } from '../engine/reports/run-snapshot.js';
import { writeReportFiles } from './report-command.js';
import type { LabArgs } from './args.js';
import { NodeDisk } from '../engine/storage/disk/node-disk.js';

export interface Output {
  write(text: string): unknown;
}

export async function runLabCommand(args: LabArgs, labsDir: string, out: Output, err: Output, appVersion: string): Promise<number> {
  if (args.action === 'check') return checkFiles(args.files, labsDir, out, err);
  const catalogue = loadLabCatalogue(new NodeDisk(), labsDir);
  for (const problem of catalogue.problems) err.write(`${formatProblem(problem)}\n`);
  if (args.action === 'list') {
    for (const { lab } of catalogue.labs) out.write(`${lab.id.padEnd(36)} ${lab.title.en} (${lab.steps.length} steps, ~${lab.estimatedMinutes} min)\n`);
    return catalogue.problems.length === 0 ? 0 : 1;
  }
  const entry = catalogue.labs.find((l) => l.lab.id === args.labId);
  if (entry === undefined) {
    err.write(`kafka-lab: no lab '${args.labId}'. Labs: ${catalogue.labs.map((l) => l.lab.id).join(', ')}\n`);
    return 2;
  }
  const simulation = startLabSimulation(entry.lab.setup, args.seed);
  try {
    await applySetup(entry.lab.setup, simulation.engine);
    if (!args.json) out.write(`lab ${entry.lab.id} (seed ${args.seed}): ${entry.lab.title.en}\n`);
    const { result, run } = await runAutopilot(entry.lab, simulation.engine, { seed: args.seed, onStep: (step) => out.write(formatStep(step)) });
    // The report goes first (on stderr/stdout lines of its own), so --json keeps its last line.
    let reportFailed = 0;
    if (args.report !== null) {
      const snapshot = await takeRunSnapshot(simulation.engine);
      const source = parseReportSource({
        progress: structuredClone(run.progress),
        sheet: sheetOf(entry.lab),
        ...snapshot,
        meta: { participant: args.participant, appVersion, locale: args.lang, generatedAtMs: Date.now() },
      });
      reportFailed = await writeReportFiles(source, [args.report], args.json ? err : out, err);
    }
    if (args.json) out.write(`${JSON.stringify(result)}\n`);
    else out.write(`${result.passed ? 'PASSED' : 'FAILED'}: ${result.steps.filter((s) => s.passed).length} of ${result.steps.length} steps (replay: kafka-lab lab run ${entry.lab.id} --seed ${args.seed})\n`);
    return result.passed && reportFailed === 0 ? 0 : 1;
  } finally {
    simulation.close();
  }
}

function formatStep(step: AutopilotStepResult): string {
  const lines = [`${step.passed ? 'ok  ' : 'FAIL'} ${step.id} (${(step.elapsedMs / 1000).toFixed(1)} s engine time)`];
  for (const check of step.checks) lines.push(`     ${check.passed ? '✓' : '✗'} ${check.check}: ${check.observed}${check.passed ? '' : ` (expected ${check.expected})`}`);
  for (const failed of step.failedActions) lines.push(`     ! ${failed}`);
  return `${lines.join('\n')}\n`;
}

function checkFiles(files: readonly string[], labsDir: string, out: Output, err: Output): number {
  if (files.length === 0) {
    const catalogue = loadLabCatalogue(new NodeDisk(), labsDir);
    for (const problem of catalogue.problems) err.write(`${formatProblem(problem)}\n`);
    out.write(`${catalogue.labs.length} lab(s) loaded, ${catalogue.problems.length} problem(s)\n`);
    return catalogue.problems.length === 0 ? 0 : 1;
  }
  let problems = 0;
  for (const file of files) {
    const loaded = loadLabText(file, readFileSync(file, 'utf8'));
    if (loaded.ok) out.write(`${file}: ok (${loaded.lab.id}, ${loaded.lab.steps.length} steps)\n`);
    else {
      problems += loaded.problems.length;
      for (const problem of loaded.problems) err.write(`${formatProblem(problem)}\n`);
    }
  }
  return problems === 0 ? 0 : 1;
}
