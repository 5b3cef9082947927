/**
 * Real report inputs: a lab's autopilot run on its own fresh simulated cluster (as `kafka-lab lab
 * run` does), then what the history will keep of it — the progress, the lab's sheet, the timeline,
 * the metric series, the final cluster status and the topics' configs — gathered through the same
 * contract queries the CLI and the UI use. Each lab runs once per test file (cached).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAutopilot } from '../../../engine/labs/autopilot.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import { applySetup } from '../../../engine/labs/lab-setup.js';
import { sheetOf } from '../../../engine/labs/lab-sheet.js';
import type { Lab } from '../../../engine/labs/lab-schema.js';
import { startLabSimulation } from '../../../engine/host/lab-simulation.js';
import type { ReportMeta, ReportSource } from '../../../engine/reports/report-source.js';
import { takeRunSnapshot } from '../../../engine/reports/run-snapshot.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const LABS_DIR = resolve(REPO_ROOT, 'labs');
/** Scratch output of the report tests (HTML, PDF, PNG pages to look at). */
export const OUT_DIR = resolve(REPO_ROOT, 'test-results', 'reports');

/** Two short labs: one with rebalances and lag (charts), one with faults, elections and data loss. */
export const REPORT_LABS = ['rebalancing-round', 'acks-and-durability'] as const;
export const SEED = 1;
/** A fixed "now" for generatedAtMs: 2026-03-02 10:30 UTC. */
export const GENERATED_AT_MS = Date.UTC(2026, 2, 2, 10, 30, 0);

export const META_EN: ReportMeta = { participant: 'Ada Lovelace', appVersion: '0.1.0', locale: 'en', generatedAtMs: GENERATED_AT_MS };
export const META_KO: ReportMeta = { participant: '김하나', appVersion: '0.1.0', locale: 'ko', generatedAtMs: GENERATED_AT_MS };

export function outDir(): string {
  mkdirSync(OUT_DIR, { recursive: true });
  return OUT_DIR;
}

let catalogue: ReturnType<typeof loadLabCatalogue> | null = null;

export function labById(id: string): Lab {
  catalogue ??= loadLabCatalogue(new NodeDisk(), LABS_DIR);
  const entry = catalogue.labs.find((l) => l.lab.id === id);
  if (entry === undefined) throw new Error(`no lab ${id}`);
  return entry.lab;
}

const runs = new Map<string, Promise<Omit<ReportSource, 'meta'>>>();

/** The run's data without meta (cached per lab and seed). */
export function autopilotRun(labId: string, seed = SEED): Promise<Omit<ReportSource, 'meta'>> {
  const key = `${labId}/${seed}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = gather(labById(labId), seed);
    runs.set(key, run);
  }
  return run;
}

export async function autopilotSource(labId: string, meta: ReportMeta = META_EN, seed = SEED): Promise<ReportSource> {
  return { ...structuredClone(await autopilotRun(labId, seed)), meta };
}

async function gather(lab: Lab, seed: number): Promise<Omit<ReportSource, 'meta'>> {
  const simulation = startLabSimulation(lab.setup, seed);
  try {
    await applySetup(lab.setup, simulation.engine);
    const { run } = await runAutopilot(lab, simulation.engine, { seed });
    const { timeline, series, cluster, configs } = await takeRunSnapshot(simulation.engine);
    return { progress: structuredClone(run.progress), sheet: sheetOf(lab), timeline, series, cluster, configs };
  } finally {
    simulation.close();
  }
}
