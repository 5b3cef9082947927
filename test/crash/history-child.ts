/**
 * Child process of the history crash test: opens the run history on the real file system, resumes
 * the open run (or starts one) and goes through its steps as a learner would, saving the progress
 * after every change (check evaluations, actions, answers, the step's end) with timeline entries
 * and metric samples along the way, until it is killed. The last step never passes: it keeps
 * being evaluated, so the run stays open however long the child lives.
 *
 * argv: <dbPath> <seed>
 *
 * stdout lines: "ready <stepIndex> <journalLength>" once the open run is loaded; "saving <n>" before
 * save n and "saved <n>" once it committed; then "saved step <stepIndex>" when that save finished a step.
 */
import type { LabProgress } from '../../engine/api/labs-dto.js';
import type { TimelineEntry } from '../../engine/api/metrics-dto.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { historyLimits } from '../../engine/history/history-limits.js';
import { HistoryStore } from '../../engine/history/history-store.js';

const CRASH_RUN_ID = 'crash-run-1';
const CRASH_STEPS = historyLimits.stepsPerRunMax;
const START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const META = { participant: 'Crash Test', appVersion: '0.1.0' };
/** Saves one child makes at most (it is killed long before). */
const SAVES_MAX = 100_000;

function newProgress(): LabProgress {
  return {
    runId: CRASH_RUN_ID,
    labId: 'crash-lab',
    labVersion: 1,
    seed: 1,
    startedAtMs: START_MS,
    endedAtMs: null,
    stepIndex: 0,
    steps: Array.from({ length: CRASH_STEPS }, (_, i) => ({
      id: `step-${i + 1}`,
      status: i === 0 ? ('active' as const) : ('pending' as const),
      startedAtMs: i === 0 ? START_MS : null,
      endedAtMs: null,
      checks: [],
      answers: {},
      consoleBaseline: null,
    })),
    journal: [],
    journalDropped: 0,
    recorded: {},
    actionErrors: [],
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const [dbPath, seedText] = process.argv.slice(2);
  if (dbPath === undefined || seedText === undefined) throw new Error('usage: history-child <dbPath> <seed>');
  const store = await HistoryStore.open(dbPath);
  const openRunId = await store.openRunId();
  let progress: LabProgress;
  if (openRunId === null) {
    if ((await store.listRuns()).length > 0) throw new Error('runs are saved but none is open');
    progress = newProgress();
    await store.saveProgress(progress, META);
  } else {
    progress = (await store.loadProgress(openRunId))!;
  }
  const record = (await store.getRun(progress.runId))!;
  const prng = new SeededPrng((Number(seedText) ^ (progress.stepIndex * 7919) ^ progress.journal.length) >>> 0);
  let nowMs = Math.max(START_MS, ...progress.journal.map((e) => e.atMs)) + 1;
  let nextEventId = record.events.length + 1;
  process.stdout.write(`ready ${progress.stepIndex} ${progress.journal.length}\n`);

  const log = (entry: LabProgress['journal'][number]): void => {
    if (progress.journal.length < historyLimits.journalEntriesMax) progress.journal.push(entry);
    else progress.journalDropped++;
  };
  let saves = 0;
  const save = async (): Promise<void> => {
    saves++;
    process.stdout.write(`saving ${saves}\n`);
    await store.saveProgress(progress, META);
    process.stdout.write(`saved ${saves}\n`);
  };

  // Bounded by SAVES_MAX saves; the parent kills the child long before.
  while (saves < SAVES_MAX) {
    const i = progress.stepIndex;
    const step = progress.steps[i]!;
    const last = i === progress.steps.length - 1;
    const evaluations = 1 + prng.nextInt(4);
    for (let e = 0; e < evaluations; e++) {
      nowMs += 1_000;
      log({ atMs: nowMs, type: 'action', stepId: step.id, action: `produce ${e}`, outcome: 'ok', detail: `{"offset":${e}}` });
      const checks = [{ check: 'records-at-least', passed: !last && e === evaluations - 1, observed: `records = ${e}`, expected: `records >= ${evaluations - 1}`, atMs: nowMs }];
      step.checks = checks;
      log({ atMs: nowMs, type: 'checks', stepId: step.id, results: checks });
      await save();
      await pause(3 + prng.nextInt(10));
    }
    if (last) continue;
    nowMs += 500;
    step.answers = { why: `answer ${i}` };
    log({ atMs: nowMs, type: 'answer', stepId: step.id, questionId: 'why', answer: `answer ${i}` });
    step.status = 'passed';
    step.endedAtMs = nowMs;
    log({ atMs: nowMs, type: 'step', stepId: step.id, status: 'passed' });
    progress.stepIndex++;
    const next = progress.steps[progress.stepIndex]!;
    next.status = 'active';
    next.startedAtMs = nowMs;
    log({ atMs: nowMs, type: 'step', stepId: next.id, status: 'active' });
    await save();
    process.stdout.write(`saved step ${progress.stepIndex}\n`);
    const events: TimelineEntry[] = [0, 1].map((k) => ({
      id: nextEventId + k,
      atMs: nowMs,
      endMs: null,
      kind: 'isr' as const,
      severity: 'info' as const,
      code: 'isr.shrunk',
      params: { step: i, k },
      text: `step ${i} event ${k}`,
    }));
    await store.appendEvents(progress.runId, events);
    nextEventId += events.length;
    if (i % 5 === 0) {
      const points = 10 * (i + 1);
      await store.saveMetricSamples(progress.runId, [
        { key: { scope: 'partition', topic: 'orders', partition: 0, metric: 'logEndOffset' }, t: Array.from({ length: points }, (_, k) => START_MS + k * 1_000), v: Array.from({ length: points }, (_, k) => k) },
      ]);
    }
  }
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
