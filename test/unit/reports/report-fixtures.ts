/**
 * Real report inputs: a lab's autopilot run on its own fresh simulated cluster (as `kafka-lab lab
 * run` does), then what the history will keep of it — the progress, the lab's sheet, the timeline,
 * the metric series, the final cluster status and the topics' configs — gathered through the same
 * contract queries the CLI and the UI use. Each lab runs once per test file (cached).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClusterStatus } from '../../../engine/api/dto.js';
import type { MetricsSnapshot, TimelineEntry } from '../../../engine/api/metrics-dto.js';
import { runAutopilot } from '../../../engine/labs/autopilot.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import type { LabEngine } from '../../../engine/labs/lab-engine.js';
import { applySetup } from '../../../engine/labs/lab-setup.js';
import { sheetOf } from '../../../engine/labs/lab-sheet.js';
import type { Lab } from '../../../engine/labs/lab-schema.js';
import { startLabSimulation } from '../../../engine/host/lab-simulation.js';
import type { ReportMeta, ReportSource, ReportSourceConfigs } from '../../../engine/reports/report-source.js';
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

async function query<T>(engine: LabEngine, name: string, payload: unknown): Promise<T> {
  const answer = await engine.call('query', name as never, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
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
    const engine = simulation.engine;
    const timeline: TimelineEntry[] = [];
    let afterId = 0;
    // Bounded: the timeline ring holds at most metricsLimits.timelineEntriesMax entries.
    for (let page = 0; page < 100; page++) {
      const list = await query<{ entries: TimelineEntry[]; lastId: number }>(engine, 'timeline', { afterId, limit: 5000 });
      timeline.push(...list.entries);
      if (list.entries.length === 0 || afterId >= list.lastId) break;
      afterId = list.entries[list.entries.length - 1]!.id;
      if (afterId >= list.lastId) break;
    }
    const metrics = await query<MetricsSnapshot>(engine, 'metricsSnapshot', {});
    const cluster = await query<ClusterStatus>(engine, 'clusterStatus', {});
    const configs: ReportSourceConfigs[] = [];
    for (const topic of cluster.topics.filter((t) => !t.internal)) {
      const entries = await query<{ entries: { name: string; value: string; source: string }[] }>(engine, 'describeConfigs', { resource: { type: 'topic', name: topic.name } });
      configs.push({ resource: 'topic', name: topic.name, entries: entries.entries });
    }
    const broker = await query<{ entries: { name: string; value: string; source: string }[] }>(engine, 'describeConfigs', { resource: { type: 'broker' } });
    configs.push({ resource: 'broker', name: '', entries: broker.entries });
    return { progress: structuredClone(run.progress), sheet: sheetOf(lab), timeline, series: metrics.series, cluster, configs };
  } finally {
    simulation.close();
  }
}
