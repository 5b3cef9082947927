#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then every test suite — unit, integration, desktop shell,
// crash and simulation tests (Vitest), the 1000-seed deterministic simulation, and the browser
// end-to-end tests (Playwright in Debian's Chromium). Ends
// with one summary line, "tests: N passed, N failed, N skipped", counted from the runners' JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, command, args, env = {}) {
  process.stdout.write(`\n── ${title}\n`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`── ${title}: ${run.status === 0 ? 'ok' : `failed (exit ${run.status ?? run.signal})`} in ${seconds} s\n`);
  return run.status === 0;
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const gates = [
  step('typecheck', bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.web.json']) && step('typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']),
  step('lint', bin('eslint'), ['.']),
  step('build', bin('electron-vite'), ['build']),
];
if (gates.includes(false)) {
  process.stdout.write('\ntests: 0 passed, 1 failed (a typecheck, lint or build gate failed; no test ran)\n');
  process.exit(1);
}

const vitestJson = join(resultsDir, 'vitest.json');
const playwrightJson = join(resultsDir, 'playwright.json');
const vitestOk = step('unit, integration, shell and crash tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
// The deterministic simulation: 1000 seeded runs of workload + faults with the invariant checkers;
// a violation prints its seed and `kafka-lab sim --seed N` to replay it.
const simOk = step('deterministic simulation (kafka-lab sim --seeds 1000)', process.execPath, [join(root, 'bin', 'kafka-lab.mjs'), 'sim', '--seeds', '1000']);
const playwrightOk = step('browser end-to-end tests (playwright)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });

const vitest = readJson(vitestJson);
const playwright = readJson(playwrightJson);
// The simulation counts as one test: it passes only if all 1000 seeds keep every invariant.
const passed = (vitest?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0) + (simOk ? 1 : 0);
const failed = (vitest?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0) + (playwright?.stats?.flaky ?? 0) + (simOk ? 0 : 1);
const skipped = (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (playwright?.stats?.skipped ?? 0);
const runnerFailures = (vitestOk ? 0 : 1) + (playwrightOk ? 0 : 1) + (simOk ? 0 : 1);
process.stdout.write(`\ntests: ${passed} passed, ${Math.max(failed, runnerFailures)} failed, ${skipped} skipped\n`);
process.exit(vitestOk && playwrightOk && simOk ? 0 : 1);
