/**
 * Labs in the app: a lab starts on a fresh cluster of its own while the learner's cluster stands
 * still and untouched, its steps advance as their checks pass, the views follow the workspace, and
 * after a restart the lab resumes at the step it was on, on its cluster as the disk kept it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../../engine/api/dto.js';
import type { LabCatalogueDto, LabRunState, Workspace } from '../../../engine/api/labs-dto.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { LabHost } from '../../../engine/host/lab-host.js';
import { openSimulatedLabCluster } from '../../../engine/host/lab-simulation.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { manualTimers, type ManualTimers } from '../../helpers/manual-timers.js';

const LABS = resolve(import.meta.dirname, '..', '..', '..', 'labs');

interface Rig {
  host: LabHost;
  personal: Workbench;
  personalTime: SimulationTime;
  ui: ManualTimers;
  events: [string, unknown][];
}

function rig(disk: MemoryDisk): Rig {
  const scheduler = new Scheduler(1_700_000_000_000);
  const personalTime = new SimulationTime(scheduler);
  const personal = new Workbench({ brokerCount: 3, disk, dataDir: '/data', clock: scheduler, prng: new SeededPrng(1), timers: scheduler, uiTimers: manualTimers(), time: personalTime });
  const ui = manualTimers();
  const host = new LabHost({
    disk,
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
  return { host, personal, personalTime, ui, events };
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

const open: LabHost[] = [];
afterEach(() => {
  for (const host of open.splice(0)) host.close();
});

describe('the lab host', () => {
  it("runs a lab on its own cluster, leaving the learner's cluster untouched and still", async () => {
    const r = rig(newDisk());
    open.push(r.host);
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
    const r = rig(newDisk());
    open.push(r.host);
    expect(await r.host.handle('command', 'startLab', { labId: 'no-such-lab' })).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', message: "No lab 'no-such-lab'." } });
    expect(await r.host.handle('command', 'leaveLab', {})).toMatchObject({ ok: false, error: { message: 'No lab is open.' } });
    await call(r.host, 'command', 'startLab', { labId: 'first-topic' });
    expect(await r.host.handle('command', 'performLabAction', { stepId: 'keyed', actionIndex: 0 })).toMatchObject({
      ok: false,
      error: { message: "Step 'keyed' is not the current step of lab 'first-topic' (it is 'create-topic')." },
    });
  });

  it("rehearses: the autopilot does every step on the lab's cluster, and the learner's buttons wait meanwhile", async () => {
    const r = rig(newDisk());
    open.push(r.host);
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
    const first = rig(disk);
    await call(first.host, 'command', 'startLab', { labId: 'first-topic' });
    await call(first.host, 'command', 'performLabAction', { stepId: 'create-topic', actionIndex: 0 });
    await untilStep(first, 'list-topics');
    first.host.close();

    const second = rig(disk);
    open.push(second.host);
    expect(await call<Workspace>(second.host, 'query', 'workspace')).toMatchObject({ kind: 'lab', labId: 'first-topic' });
    const resumed = await call<LabRunState>(second.host, 'query', 'labRun');
    expect(resumed.progress).toMatchObject({ stepIndex: 1 });
    expect(resumed.progress!.steps[0]!.status).toBe('passed');
    expect((await call<ClusterStatus>(second.host, 'query', 'clusterStatus')).topics.map((t) => t.name)).toContain('test');

    await call(second.host, 'command', 'endLab');
    const catalogue = await call<LabCatalogueDto>(second.host, 'query', 'labs');
    expect(catalogue.labs[0]!.lastRun).toMatchObject({ finished: false, stepIndex: 1, stepsPassed: 1, stepsTotal: 5 });
  });
});
