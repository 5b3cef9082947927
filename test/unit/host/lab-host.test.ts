/**
 * Labs in the app: a lab starts on a fresh cluster of its own while the learner's cluster stands
 * still and untouched, its steps advance as their checks pass, the views follow the workspace, and
 * after a restart the lab resumes at the step it was on, on its cluster as the disk kept it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../../engine/api/dto.js';
import type { LabCatalogueDto, LabRunState, Workspace } from '../../../engine/api/labs-dto.js';
import type { ExportedFile, InstructorSummary, RunHistory } from '../../../engine/api/reports-dto.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { HistoryStore } from '../../../engine/history/history-store.js';
import { LabHost } from '../../../engine/host/lab-host.js';
import type { PdfPrinter } from '../../../engine/host/report-service.js';
import { openSimulatedLabCluster } from '../../../engine/host/lab-simulation.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { manualTimers, type ManualTimers } from '../../helpers/manual-timers.js';

const LABS = resolve(import.meta.dirname, '..', '..', '..', 'labs');

interface Rig {
  host: LabHost;
  history: HistoryStore;
  personal: Workbench;
  personalTime: SimulationTime;
  ui: ManualTimers;
  events: [string, unknown][];
}

const historyDir = mkdtempSync(join(tmpdir(), 'kafka-lab-host-history-'));
let historyFiles = 0;

/** A history database file of its own per data directory (a MemoryDisk stands for the rest of it). */
const histories = new WeakMap<MemoryDisk, string>();

async function rig(disk: MemoryDisk, printPdf: PdfPrinter | null = null): Promise<Rig> {
  let path = histories.get(disk);
  if (path === undefined) {
    path = join(historyDir, `history-${++historyFiles}.sqlite`);
    histories.set(disk, path);
  }
  const history = await HistoryStore.open(path, { synchronous: 'NORMAL' });
  const scheduler = new Scheduler(1_700_000_000_000);
  const personalTime = new SimulationTime(scheduler);
  const personal = new Workbench({ brokerCount: 3, disk, dataDir: '/data', clock: scheduler, prng: new SeededPrng(1), timers: scheduler, uiTimers: manualTimers(), time: personalTime });
  const ui = manualTimers();
  const host = await LabHost.open({
    disk,
    history,
    appVersion: '0.1.0-test',
    printPdf,
    wallClockMs: () => 1_767_225_600_000,
    dataDir: '/data',
    labsDir: '/labs',
    personal: { workbench: personal, time: personalTime },
    openLabCluster: (setup, seed, dir) => openSimulatedLabCluster(setup, seed, disk, dir),
    uiTimers: ui,
    seedFor: (n) => n,
    nowMs: () => scheduler.nowMs(),
  });
  const events: [string, unknown][] = [];
  host.onEvent((event, payload) => void events.push([event, payload]));
  return { host, history, personal, personalTime, ui, events };
}

/** Closes the host, waits for its last saves, then closes its history. */
async function shut(r: Rig): Promise<void> {
  r.host.close();
  await r.host.flushed();
  await r.history.close();
}

function newDisk(): MemoryDisk {
  const disk = new MemoryDisk();
  disk.mkdirp('/labs');
  disk.writeFileAtomic('/labs/01-first-topic.yaml', readFileSync(join(LABS, '01-first-topic.yaml')));
  return disk;
}

async function call<T>(host: LabHost, kind: 'command' | 'query', name: string, payload: unknown = {}): Promise<T> {
  const answer = await host.handle(kind, name, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message}`);
  return answer.value as T;
}

/** Fires the runner's timers (check evaluation) until the run reaches `stepId`, or fails after a bounded number of rounds. */
async function untilStep(r: Rig, stepId: string): Promise<LabRunState> {
  for (let round = 0; round < 200; round++) {
    const state = await call<LabRunState>(r.host, 'query', 'labRun');
    if (state.progress?.steps[state.progress.stepIndex]?.id === stepId) return state;
    r.ui.fireAll();
    await new Promise((done) => setImmediate(done));
  }
  throw new Error(`the run never reached step ${stepId}`);
}

const open: Rig[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await shut(r);
});
afterAll(() => rmSync(historyDir, { recursive: true, force: true }));

describe('the lab host', () => {
  it("runs a lab on its own cluster, leaving the learner's cluster untouched and still", async () => {
    const r = await rig(newDisk());
    open.push(r);
    const catalogue = await call<LabCatalogueDto>(r.host, 'query', 'labs');
    expect(catalogue.labs.map((l) => [l.id, l.lastRun])).toEqual([['first-topic', null]]);

    const started = await call<LabRunState>(r.host, 'command', 'startLab', { labId: 'first-topic' });
    expect(started.progress).toMatchObject({ labId: 'first-topic', stepIndex: 0 });
    expect(started.sheet?.steps.map((s) => s.id)).toEqual(['create-topic', 'list-topics', 'produce', 'consume', 'keyed']);
    expect(await call<Workspace>(r.host, 'query', 'workspace')).toMatchObject({ kind: 'lab', epoch: 1, labId: 'first-topic' });
    // The views switched to the lab's one-broker cluster; the learner's clock stands still.
    const shown = r.events.filter(([e]) => e === 'clusterStatus').at(-1)![1] as ClusterStatus;
    expect(shown.brokers).toHaveLength(1);
    expect(r.personalTime.state().running).toBe(false);

    await call(r.host, 'command', 'performLabAction', { stepId: 'create-topic', actionIndex: 0 });
    const next = await untilStep(r, 'list-topics');
    expect(next.progress!.steps[0]).toMatchObject({ status: 'passed' });
    expect(next.progress!.journal.some((e) => e.type === 'action' && e.action.startsWith('kafka-topics') && e.outcome === 'ok')).toBe(true);
    const labStatus = await call<ClusterStatus>(r.host, 'query', 'clusterStatus');
    expect(labStatus.topics.map((t) => t.name)).toContain('test');
    expect(r.personal.status().topics.map((t) => t.name)).not.toContain('test');

    const back = await call<Workspace>(r.host, 'command', 'leaveLab');
    expect(back).toMatchObject({ kind: 'personal', epoch: 2, labId: 'first-topic' });
    expect(r.personalTime.state().running).toBe(true);
    expect((await call<ClusterStatus>(r.host, 'query', 'clusterStatus')).brokers).toHaveLength(3);
  });

  it('refuses an action of a step that is not the current one, and an unknown lab', async () => {
    const r = await rig(newDisk());
    open.push(r);
    expect(await r.host.handle('command', 'startLab', { labId: 'no-such-lab' })).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', message: "No lab 'no-such-lab'." } });
    expect(await r.host.handle('command', 'leaveLab', {})).toMatchObject({ ok: false, error: { message: 'No lab is open.' } });
    await call(r.host, 'command', 'startLab', { labId: 'first-topic' });
    expect(await r.host.handle('command', 'performLabAction', { stepId: 'keyed', actionIndex: 0 })).toMatchObject({
      ok: false,
      error: { message: "Step 'keyed' is not the current step of lab 'first-topic' (it is 'create-topic')." },
    });
  });

  it("rehearses: the autopilot does every step on the lab's cluster, and the learner's buttons wait meanwhile", async () => {
    const r = await rig(newDisk());
    open.push(r);
    await call(r.host, 'command', 'startLab', { labId: 'first-topic' });
    const rehearsing = await call<LabRunState>(r.host, 'command', 'rehearseLab');
    expect(rehearsing.rehearsing).toBe(true);
    expect(await r.host.handle('command', 'nextLabStep', { stepId: 'create-topic' })).toMatchObject({ ok: false, error: { message: "The autopilot is rehearsing lab 'first-topic'; wait for it to finish, or reset the lab." } });
    let state = rehearsing;
    for (let round = 0; round < 500 && state.rehearsing; round++) {
      await new Promise((done) => setImmediate(done));
      state = await call<LabRunState>(r.host, 'query', 'labRun');
    }
    expect(state.rehearsing).toBe(false);
    expect(state.progress!.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(state.progress!.steps[3]!.answers).toEqual({ 'why-order': 'one-partition' });
  });

  it('resumes after a restart at the step it was on, on the cluster the disk kept', async () => {
    const disk = newDisk();
    const first = await rig(disk);
    await call(first.host, 'command', 'startLab', { labId: 'first-topic' });
    await call(first.host, 'command', 'performLabAction', { stepId: 'create-topic', actionIndex: 0 });
    await untilStep(first, 'list-topics');
    await shut(first);

    const second = await rig(disk);
    open.push(second);
    expect(await call<Workspace>(second.host, 'query', 'workspace')).toMatchObject({ kind: 'lab', labId: 'first-topic' });
    const resumed = await call<LabRunState>(second.host, 'query', 'labRun');
    expect(resumed.progress).toMatchObject({ stepIndex: 1 });
    expect(resumed.progress!.steps[0]!.status).toBe('passed');
    expect((await call<ClusterStatus>(second.host, 'query', 'clusterStatus')).topics.map((t) => t.name)).toContain('test');

    await call(second.host, 'command', 'endLab');
    const catalogue = await call<LabCatalogueDto>(second.host, 'query', 'labs');
    expect(catalogue.labs[0]!.lastRun).toMatchObject({ finished: false, stepIndex: 1, stepsPassed: 1, stepsTotal: 5 });
  });

  it('keeps every run in the history and makes its report in four formats; the instructor summary reads the JSON', async () => {
    const printed: string[] = [];
    const r = await rig(newDisk(), async (html) => {
      printed.push(html);
      return new TextEncoder().encode('%PDF-1.7 fake');
    });
    open.push(r);
    await call(r.host, 'command', 'setParticipant', { participant: 'Ada' });
    expect(await call(r.host, 'query', 'participant')).toEqual({ participant: 'Ada' });
    const started = await call<LabRunState>(r.host, 'command', 'startLab', { labId: 'first-topic' });
    const runId = started.progress!.runId;
    await call(r.host, 'command', 'rehearseLab');
    let state = started;
    for (let round = 0; round < 500 && (state.rehearsing || state.progress!.stepIndex < 5); round++) {
      await new Promise((done) => setImmediate(done));
      state = await call<LabRunState>(r.host, 'query', 'labRun');
    }
    expect(state.progress!.stepIndex).toBe(5);

    // The open run cannot be deleted; its report is made from the history with a snapshot taken now.
    expect(await r.host.handle('command', 'deleteRun', { runId })).toMatchObject({ ok: false, error: { message: `Run '${runId}' is open; close the lab before deleting its run.` } });
    const history = await call<RunHistory>(r.host, 'query', 'runHistory', {});
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({ runId, labId: 'first-topic', labTitle: { en: 'First topic' }, participant: 'Ada', appVersion: '0.1.0-test', outcome: 'passed', stepsPassed: 5, stepsTotal: 5 });
    expect(history.participants).toEqual(['Ada']);

    const preview = await call<{ html: string }>(r.host, 'query', 'reportPreview', { runId, locale: 'ko' });
    expect(preview.html).toMatch(/^<!DOCTYPE html>/i);
    expect(preview.html).toContain('<html lang="ko"');

    const files: Record<string, ExportedFile> = {};
    for (const format of ['html', 'json', 'csv', 'pdf'] as const) files[format] = await call<ExportedFile>(r.host, 'command', 'exportReport', { runId, format, locale: 'en' });
    expect(files.html!.fileName).toBe(`kafka-lab-first-topic-${runId}.html`);
    const report = JSON.parse(Buffer.from(files.json!.contentBase64, 'base64').toString('utf8')) as { kind: string; summary: { stepsPassed: number } };
    expect(report.kind).toBe('kafka-lab-report');
    expect(Buffer.from(files.csv!.contentBase64, 'base64').toString('utf8')).toMatch(/^run_id,lab_id,scope/);
    expect(Buffer.from(files.pdf!.contentBase64, 'base64').toString('utf8')).toBe('%PDF-1.7 fake');
    expect(printed).toHaveLength(1);
    expect(files.pdf!.mimeType).toBe('application/pdf');
    // Each export is on disk under <dataDir>/exports and in the history.
    expect(r.personal).toBeDefined();
    const listed = await call<RunHistory>(r.host, 'query', 'runHistory', { labId: 'first-topic' });
    expect(listed.runs[0]!.exports.map((e) => e.format).sort()).toEqual(['csv', 'html', 'json', 'pdf']);

    const summary = await call<InstructorSummary>(r.host, 'query', 'instructorSummary', {
      files: [
        { name: 'ada.json', text: Buffer.from(files.json!.contentBase64, 'base64').toString('utf8') },
        { name: 'notes.txt', text: 'not a report' },
      ],
      locale: 'en',
    });
    expect(summary.rows).toBe(1);
    expect(summary.skipped).toEqual([{ name: 'notes.txt', reason: expect.stringContaining('not JSON') }]);
    expect(summary.csv).toContain('Ada');

    await call(r.host, 'command', 'endLab');
    await call(r.host, 'command', 'deleteRun', { runId });
    expect((await call<RunHistory>(r.host, 'query', 'runHistory', {})).runs).toEqual([]);
    expect(await r.host.handle('command', 'deleteRun', { runId })).toMatchObject({ ok: false, error: { message: `There is no run '${runId}' in the history.` } });
  });
});
