/**
 * Inputs for the history tests: a real lab run (the autopilot on a fresh simulated cluster, with
 * every progress the runner saved along the way, the cluster's timeline and its metric series),
 * small hand-made progresses, scratch databases, and a dump of every table to show that a refused
 * input changed nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClusterStatus } from '../../../engine/api/dto.js';
import type { LabProgress, LabSheet } from '../../../engine/api/labs-dto.js';
import type { SnapshotConfigs } from '../../../engine/history/history-store.js';
import type { MetricsSnapshot, Series, TimelineEntry } from '../../../engine/api/metrics-dto.js';
import { HistoryDb } from '../../../engine/history/history-db.js';
import { startLabSimulation } from '../../../engine/host/lab-simulation.js';
import { runAutopilot } from '../../../engine/labs/autopilot.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import type { LabEngine } from '../../../engine/labs/lab-engine.js';
import { applySetup } from '../../../engine/labs/lab-setup.js';
import { sheetOf } from '../../../engine/labs/lab-sheet.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const LABS_DIR = resolve(REPO_ROOT, 'labs');

export interface RecordedRun {
  /** The progress at the end of the run. */
  readonly progress: LabProgress;
  /** A copy of the progress at every change the runner reported (what the host saves). */
  readonly saves: LabProgress[];
  readonly timeline: TimelineEntry[];
  readonly series: Series[];
  /** The lab's sheet, and the cluster and its broker configs at the end: a run snapshot. */
  readonly sheet: LabSheet;
  readonly cluster: ClusterStatus;
  readonly configs: SnapshotConfigs[];
}

async function query<T>(engine: LabEngine, name: string, payload: unknown): Promise<T> {
  const answer = await engine.call('query', name as never, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

const recorded = new Map<string, Promise<RecordedRun>>();

/** The autopilot's run of a lab (cached per lab and seed within a test file). */
export function recordedRun(labId: string, seed = 1): Promise<RecordedRun> {
  const key = `${labId}/${seed}`;
  let run = recorded.get(key);
  if (run === undefined) {
    run = record(labId, seed);
    recorded.set(key, run);
  }
  return run;
}

async function record(labId: string, seed: number): Promise<RecordedRun> {
  const entry = loadLabCatalogue(new NodeDisk(), LABS_DIR).labs.find((l) => l.lab.id === labId);
  if (entry === undefined) throw new Error(`no lab ${labId}`);
  const lab = entry.lab;
  const simulation = startLabSimulation(lab.setup, seed);
  try {
    await applySetup(lab.setup, simulation.engine);
    const saves: LabProgress[] = [];
    const { run } = await runAutopilot(lab, simulation.engine, { seed, runId: `autopilot-${lab.id}-${seed}`, onProgress: (p) => saves.push(structuredClone(p)) });
    const list = await query<{ entries: TimelineEntry[] }>(simulation.engine, 'timeline', { afterId: 0, limit: 5000 });
    const metrics = await query<MetricsSnapshot>(simulation.engine, 'metricsSnapshot', {});
    const cluster = await query<ClusterStatus>(simulation.engine, 'clusterStatus', {});
    const brokers = await query<{ entries: SnapshotConfigs['entries'] }>(simulation.engine, 'describeConfigs', { resource: { type: 'broker' } });
    const configs: SnapshotConfigs[] = [{ resource: 'broker', name: '', entries: brokers.entries }];
    return { progress: structuredClone(run.progress), saves, timeline: list.entries, series: metrics.series, sheet: sheetOf(lab), cluster, configs };
  } finally {
    simulation.close();
  }
}

/** A hand-made sheet for a hand-made progress: `stepsTotal` steps named as handProgress names them. */
export function handSheet(labId = 'first-topic', stepsTotal = 4): LabSheet {
  const text = (en: string) => ({ en, ko: `${en} (ko)` });
  return {
    id: labId,
    version: 1,
    seeds: [],
    title: text(`Lab ${labId}`),
    summary: text('A lab.'),
    text: text('Do the steps.'),
    estimatedMinutes: 10,
    setup: { brokers: 3, quorumVoters: 3, clockSpeed: 1 },
    steps: Array.from({ length: stepsTotal }, (_, i) => ({ id: `step-${i + 1}`, title: text(`Step ${i + 1}`), text: text('Do it.'), hints: [], actions: [], checks: [], questions: [] })),
  };
}

/**
 * A hand-made progress of `stepsTotal` steps, `stepIndex` of them passed, with one action, one
 * check evaluation and one answer journalled per finished step.
 */
export function handProgress(runId: string, options: { labId?: string; stepsTotal?: number; stepIndex?: number; seed?: number; startedAtMs?: number } = {}): LabProgress {
  const stepsTotal = options.stepsTotal ?? 4;
  const stepIndex = options.stepIndex ?? 0;
  const startedAtMs = options.startedAtMs ?? 1_767_603_600_000;
  const progress: LabProgress = {
    runId,
    labId: options.labId ?? 'first-topic',
    labVersion: 1,
    seed: options.seed ?? 7,
    startedAtMs,
    endedAtMs: null,
    stepIndex: 0,
    steps: Array.from({ length: stepsTotal }, (_, i) => ({
      id: `step-${i + 1}`,
      status: i === 0 ? ('active' as const) : ('pending' as const),
      startedAtMs: i === 0 ? startedAtMs : null,
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
  for (let i = 0; i < stepIndex; i++) advance(progress);
  return progress;
}

/** Finishes the current step of a hand-made progress (passed), journalling what a learner would do. */
export function advance(progress: LabProgress, status: 'passed' | 'failed' | 'skipped' = 'passed'): void {
  const i = progress.stepIndex;
  const step = progress.steps[i]!;
  const atMs = progress.startedAtMs + (i + 1) * 60_000;
  const checks = [{ check: `topic-exists orders ${i}`, passed: status === 'passed', observed: `partitions = ${i + 1}`, expected: 'partitions = 3', atMs }];
  progress.journal.push({ atMs: atMs - 30_000, type: 'action', stepId: step.id, action: `kafka-topics --create --topic t${i}`, outcome: 'ok', detail: `Created topic t${i}.` });
  progress.journal.push({ atMs: atMs - 10_000, type: 'checks', stepId: step.id, results: checks });
  progress.journal.push({ atMs: atMs - 5_000, type: 'answer', stepId: step.id, questionId: `q${i}`, answer: `answer ${i} — 답 ${i}` });
  step.checks = checks;
  step.answers = { [`q${i}`]: `answer ${i} — 답 ${i}` };
  step.status = status;
  step.endedAtMs = atMs;
  progress.journal.push({ atMs, type: 'step', stepId: step.id, status });
  progress.stepIndex++;
  const next = progress.steps[progress.stepIndex];
  if (next === undefined) progress.endedAtMs = atMs;
  else {
    next.status = 'active';
    next.startedAtMs = atMs;
    progress.journal.push({ atMs, type: 'step', stepId: next.id, status: 'active' });
  }
}

export function timelineEntry(id: number, atMs: number, endMs: number | null = null): TimelineEntry {
  return { id, atMs, endMs, kind: 'rebalance', severity: 'warn', code: 'rebalance.started', params: { groupId: 'edu-group', generation: id }, text: `Group edu-group rebalances (generation ${id}).` };
}

const dirs: string[] = [];

/** A fresh scratch directory (removed by `removeScratch`). */
export function scratchDir(prefix = 'kafka-lab-history-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const TABLES = ['settings', 'runs', 'steps', 'actions', 'answers', 'events', 'metric_samples', 'exports', 'run_snapshots'] as const;

/** Every row of every table (those the schema has), in a stable order, through a second connection. */
export async function dumpTables(path: string): Promise<Record<string, unknown[]>> {
  const db = await HistoryDb.open(path);
  try {
    const present = new Set((await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name));
    const dump: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      if (!present.has(table)) continue;
      const columns = (await db.all(`PRAGMA table_info(${table})`)).length;
      const order = Array.from({ length: Math.min(columns, 3) }, (_, i) => i + 1).join(', ');
      dump[table] = await db.all(`SELECT * FROM ${table} ORDER BY ${order}`);
    }
    dump.user_version = [await db.get('PRAGMA user_version')];
    return dump;
  } finally {
    await db.close();
  }
}

/** Row counts of one run in every table that holds its rows. */
export async function rowCounts(path: string, runId: string): Promise<Record<string, number>> {
  const db = await HistoryDb.open(path);
  try {
    const counts: Record<string, number> = {};
    for (const table of TABLES.filter((t) => t !== 'settings')) {
      counts[table] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`, [runId]))!.n;
    }
    return counts;
  } finally {
    await db.close();
  }
}
