/**
 * Crash test of the run history: a child process (history-child.ts) goes through a lab run's steps
 * and saves the progress after every change, on the real file system; the parent kills it with
 * SIGKILL at seeded moments (many of them in the middle of a save's transaction), then reopens the
 * database as the restarted app would and checks:
 * - `PRAGMA integrity_check` says ok (and no foreign key is broken);
 * - the run is there and open (the one to resume), and its step index is at least the last step
 *   the child reported as saved: a committed save is never lost;
 * - its rows agree with its progress (a save is all or nothing): the steps' statuses, the journal's
 *   actions and answers;
 * and then starts the child again, which must resume at exactly that step.
 *
 * The seed is in the test's name and in every failure; HISTORY_CRASH_SEED=N replays one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededPrng } from '../../engine/core/prng.js';
import { HistoryStore } from '../../engine/history/history-store.js';

const SEED = Number(process.env.HISTORY_CRASH_SEED ?? 0x4157);
const KILLS = 14;
const RUN_ID = 'crash-run-1';
const CHILD = new URL('./history-child.ts', import.meta.url).pathname;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface ChildLife {
  /** The step index the child resumed at ("ready"), or null when it died before. */
  readonly readyStep: number | null;
  /** The highest step index the child reported as saved, or -1. */
  readonly savedStep: number;
  /** Whether the kill fell between "saving" and the save's end (a transaction in flight, most likely). */
  readonly killedMidSave: boolean;
}

/** Runs the child until `delayMs` after it is ready, then SIGKILLs it. */
function runChild(dbPath: string, childSeed: number, delayMs: number, label: string): Promise<ChildLife> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(childSeed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let readyStep: number | null = null;
    let savedStep = -1;
    let lastWord = '';
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const words = line.split(' ');
        lastWord = words[0] ?? '';
        if (words[0] === 'ready') {
          readyStep = Number(words[1]);
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
        if (words[0] === 'saved' && words[1] === 'step') savedStep = Math.max(savedStep, Number(words[2]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`${label}: child exited with code ${code} signal ${signal}: ${stderr}`));
      else resolve({ readyStep, savedStep, killedMidSave: lastWord === 'saving' });
    });
  });
}

/** Reopens the history as the restarted app does, checks it, and returns the open run's step index. */
async function verify(dbPath: string, mustHaveStep: number, label: string): Promise<number> {
  const store = await HistoryStore.open(dbPath);
  try {
    const integrity = await store.integrityCheck();
    expect(integrity.messages, `${label}: PRAGMA integrity_check`).toEqual(['ok']);
    expect(integrity.ok, label).toBe(true);
    const runId = await store.openRunId();
    expect(runId, `${label}: the run to resume`).toBe(RUN_ID);
    const record = await store.getRun(RUN_ID);
    expect(record, label).not.toBeNull();
    const { progress, steps, actions, answers, run } = record!;
    expect(progress.stepIndex, `${label}: every step saved before the kill is there`).toBeGreaterThanOrEqual(mustHaveStep);
    expect(run.stepIndex, `${label}: the run row agrees with its progress`).toBe(progress.stepIndex);
    expect(run.outcome, label).toBe('running');
    expect(
      steps.map((s) => s.status),
      `${label}: the step rows agree with the progress`,
    ).toEqual(progress.steps.map((s) => s.status));
    expect(actions.length, `${label}: the action rows agree with the journal`).toBe(progress.journal.filter((e) => e.type === 'action').length);
    expect(answers.length, `${label}: the answer rows agree with the journal`).toBe(progress.journal.filter((e) => e.type === 'answer').length);
    progress.steps.forEach((s, i) => {
      if (i < progress.stepIndex) expect(s.status, `${label}: step ${i} before the current one`).toBe('passed');
    });
    return progress.stepIndex;
  } finally {
    await store.close();
  }
}

describe('run history under SIGKILL', () => {
  it(`keeps a consistent database and a run that resumes at its step after ${KILLS} kills (seed ${SEED})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-lab-history-crash-'));
    dirs.push(dir);
    const dbPath = join(dir, 'history.sqlite');
    const prng = new SeededPrng(SEED);
    let mustHaveStep = 0;
    let stepIndex = 0;
    let midSave = 0;
    const stepsAfterKills: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const delayMs = 20 + prng.nextInt(250);
      const label = `seed ${SEED} kill ${kill} (${delayMs} ms after ready)`;
      const life = await runChild(dbPath, SEED + kill, delayMs, label);
      if (life.readyStep !== null && kill > 0) expect(life.readyStep, `${label}: the child resumed at the step the history had`).toBe(stepIndex);
      mustHaveStep = Math.max(mustHaveStep, life.savedStep);
      if (life.killedMidSave) midSave++;
      stepIndex = await verify(dbPath, mustHaveStep, label);
      stepsAfterKills.push(stepIndex);
    }
    console.log(`history crash test seed ${SEED}: ${KILLS} kills, ${midSave} during a save, the run at steps ${stepsAfterKills.join(', ')} after each kill`);
    expect(stepIndex, `seed ${SEED}: the run got somewhere`).toBeGreaterThan(5);
  }, 180_000);
});
