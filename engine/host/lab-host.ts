/**
 * The labs in the app: the catalogue, the lab runner, and the two workspaces. The learner's own
 * cluster (the personal workbench) is never touched by a lab: a lab starts on a fresh cluster of
 * its own (`<dataDir>/labs/runs/<runId>/cluster`), and the views follow whichever workspace is
 * active. While the lab's workspace is active the personal clock is paused (nothing happens to the
 * learner's cluster), and the other way round.
 *
 * Every request goes through `handle`: lab operations are answered here, the rest by the active
 * workbench. Only the active workbench's events reach the viewers; a switch sends a new
 * `workspace` event (a higher epoch: viewers read every stream from the start) and the new
 * workspace's snapshots.
 *
 * The run's progress is saved after every change (`progress.json`, atomically) with a pointer to
 * the open run (`current.json`), so after a restart the lab resumes at the step it was on, on its
 * cluster as the disk kept it.
 *
 * Invariants: at most one lab run is open; `active === 'lab'` only while one is open; the personal
 * time control is paused exactly while the lab workspace is active and was running before.
 */
import { labCommandNames, labQueryNames, type EventName } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import { LabProgressSchema, type LabCatalogueDto, type LabProgress, type LabRunState, type LabSummary, type Workspace } from '../api/labs-dto.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { TimeControl } from '../core/live-driver.js';
import type { Timers, TimerHandle } from '../core/timers.js';
import { loadLabCatalogue, type LabCatalogue } from '../labs/lab-catalogue.js';
import type { LabEngine } from '../labs/lab-engine.js';
import { labLimits } from '../labs/lab-limits.js';
import { runStep } from '../labs/autopilot.js';
import { LabRun, newProgress } from '../labs/lab-run.js';
import type { Lab, LabSetup } from '../labs/lab-schema.js';
import { sheetOf } from '../labs/lab-sheet.js';
import { applyServices, applySetup } from '../labs/lab-setup.js';
import type { Disk } from '../storage/disk/disk.js';
import type { EngineCore } from './engine-host.js';
import { errorEnvelope } from './envelopes.js';
import type { EventListener, Workbench } from './workbench.js';

/** A lab's own cluster: its workbench, its clock, and the runner's view of it. */
export interface LabCluster {
  readonly workbench: Workbench;
  readonly time: TimeControl;
  readonly engine: LabEngine;
  close(): void;
}

export interface LabHostOptions {
  readonly disk: Disk;
  /** The learner's data directory: runs live under `<dataDir>/labs`. */
  readonly dataDir: string;
  /** Where the lab files are (the app's labs directory). */
  readonly labsDir: string;
  readonly personal: { readonly workbench: Workbench; readonly time: TimeControl };
  /** Opens a lab's cluster in `dir`: fresh, or as the disk kept it when `dir` has one. */
  readonly openLabCluster: (setup: LabSetup, seed: number, dir: string) => LabCluster;
  /** Real-time timers: checks are evaluated every second even while nothing else happens. */
  readonly uiTimers: Timers;
  /** Seed of a lab run started without one. */
  readonly seedFor: (runNumber: number) => number;
  /** Engine time on the personal clock, for naming runs. */
  readonly nowMs: () => number;
}

const LAB_OPERATIONS = { command: new Set<string>(labCommandNames), query: new Set<string>(labQueryNames) };

/** Real ms between two evaluations of the open step's checks. */
const EVALUATE_INTERVAL_MS = 1_000;
/** Real ms between two pushes of the run's progress (at most ten a second). */
const PUSH_INTERVAL_MS = 100;

interface OpenRun {
  readonly lab: Lab;
  readonly run: LabRun;
  readonly cluster: LabCluster;
  readonly dir: string;
  readonly stopEvents: () => void;
}

export class LabHost implements EngineCore {
  private catalogue: LabCatalogue;
  private open: OpenRun | null = null;
  private active: 'personal' | 'lab' = 'personal';
  private epoch = 0;
  private personalWasRunning = false;
  private readonly listeners = new Set<EventListener>();
  private readonly stopPersonalEvents: () => void;
  private evaluateTimer: TimerHandle | null = null;
  private pushTimer: TimerHandle | null = null;
  private evaluating = false;
  private rehearsing = false;
  private runNumber = 0;
  private closed = false;

  constructor(private readonly options: LabHostOptions) {
    this.catalogue = loadLabCatalogue(options.disk, options.labsDir);
    this.stopPersonalEvents = options.personal.workbench.onEvent((event, payload) => {
      if (this.active === 'personal') this.emit(event, payload);
    });
    this.resumeSavedRun();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The events a new viewer gets first: the workspace and its snapshots. */
  initialEvents(): [EventName, unknown][] {
    return [['workspace', this.workspace()], ['labRun', this.runState()], ...this.activeWorkbench().initialEvents()];
  }

  async handle(kind: 'command' | 'query', name: string, payload: unknown): Promise<Envelope<unknown>> {
    if (!LAB_OPERATIONS[kind].has(name)) {
      const envelope = await this.activeWorkbench().handle(kind, name, payload);
      if (this.active === 'lab' && kind === 'command') this.open?.cluster.time.kick();
      return envelope;
    }
    try {
      return { ok: true, value: await this.labOperation(kind, name, payload as Record<string, unknown>) };
    } catch (error) {
      return errorEnvelope(error);
    }
  }

  /** Stops the runner, closes the lab's cluster, then the learner's own workbench. */
  close(): void {
    this.closed = true;
    this.evaluateTimer?.cancel();
    this.pushTimer?.cancel();
    this.stopPersonalEvents();
    if (this.open !== null) {
      this.save(this.open.run.progress, this.active === 'lab');
      this.open.stopEvents();
      this.open.cluster.close();
      this.open = null;
    }
    this.options.personal.workbench.close();
  }

  workspace(): Workspace {
    return { kind: this.active, epoch: this.epoch, labId: this.open?.lab.id ?? null, runId: this.open?.run.progress.runId ?? null };
  }

  private activeWorkbench(): Workbench {
    return this.active === 'lab' && this.open !== null ? this.open.cluster.workbench : this.options.personal.workbench;
  }

  private async labOperation(kind: 'command' | 'query', name: string, request: Record<string, unknown>): Promise<unknown> {
    if (kind === 'query') {
      if (name === 'labs') return this.catalogueDto();
      if (name === 'labSheet') return sheetOf(this.labById(String(request.labId)));
      if (name === 'labRun') return this.runState();
      return this.workspace();
    }
    switch (name) {
      case 'startLab':
        return this.start(this.labById(String(request.labId)), typeof request.seed === 'number' ? request.seed : undefined);
      case 'leaveLab':
        this.requireOpen();
        this.switchTo('personal');
        return this.workspace();
      case 'returnToLab':
        this.requireOpen();
        this.switchTo('lab');
        return this.workspace();
      case 'resetLab': {
        const open = this.requireOpen();
        return this.start(open.lab, open.run.progress.seed);
      }
      case 'endLab':
        this.requireOpen();
        this.closeRun();
        this.switchTo('personal');
        return this.workspace();
      case 'performLabAction':
        return this.performAction(String(request.stepId), Number(request.actionIndex));
      case 'answerLabQuestion': {
        const { run } = this.requireStep(String(request.stepId));
        run.answer(String(request.questionId), String(request.answer));
        await this.maybeAdvance();
        return this.runState();
      }
      case 'rehearseLab':
        this.rehearse();
        return this.runState();
      case 'nextLabStep': {
        const { run } = this.requireStep(String(request.stepId));
        const checks = run.progress.steps[run.progress.stepIndex]!.checks;
        const passed = checks.length > 0 && checks.every((c) => c.passed);
        run.finishStep(passed ? 'passed' : 'skipped');
        if (!run.finished) await run.beginStep();
        return this.runState();
      }
      default:
        throw new KafkaError('INVALID_REQUEST', `Unknown lab command '${name}'.`);
    }
  }

  /** Opens a fresh run of `lab` on a fresh cluster and shows it; a run already open is closed first. */
  private async start(lab: Lab, seed: number | undefined): Promise<LabRunState> {
    if (this.open !== null) this.closeRun();
    this.runNumber++;
    const runId = this.freeRunId(`${compactTime(this.options.nowMs())}-${lab.id}`);
    const dir = `${this.runsDir()}/${runId}`;
    const runSeed = seed ?? this.options.seedFor(this.runNumber);
    const cluster = this.options.openLabCluster(lab.setup, runSeed, `${dir}/cluster`);
    try {
      // The setup's waits are skipped over: the lab starts where its first step begins.
      await applySetup(lab.setup, cluster.engine, async (ms) => void cluster.time.skipAhead(ms));
    } catch (error) {
      cluster.close();
      throw new KafkaError('INVALID_REQUEST', `Lab '${lab.id}' could not be set up: ${(error as Error).message}`);
    }
    cluster.time.setSpeed(lab.setup.clockSpeed);
    cluster.time.pause();
    const progress = newProgress(lab, runId, runSeed, cluster.engine.nowMs());
    this.adopt(lab, progress, cluster, dir);
    await this.open!.run.beginStep();
    this.switchTo('lab');
    return this.runState();
  }

  private adopt(lab: Lab, progress: LabProgress, cluster: LabCluster, dir: string): void {
    const run = new LabRun(lab, progress, cluster.engine, (changed) => this.onProgress(changed));
    const stopEvents = cluster.workbench.onEvent((event, payload) => {
      if (this.active === 'lab') this.emit(event, payload);
    });
    this.open = { lab, run, cluster, dir, stopEvents };
    this.save(progress, this.active === 'lab');
    this.scheduleEvaluation();
  }

  private closeRun(): void {
    const open = this.open!;
    this.save(open.run.progress, false);
    open.stopEvents();
    open.cluster.close();
    this.open = null;
    this.options.disk.writeFileAtomic(this.currentFile(), encode({ runId: null }));
    this.pushRunState();
  }

  /**
   * Engine commands are awaited (they answer at once); a console command or a wait runs on while
   * the learner watches (a console consumer runs until its stopAfterMs), and its outcome joins the
   * journal when it ends.
   */
  private async performAction(stepId: string, actionIndex: number): Promise<LabRunState> {
    const { run } = this.requireStep(stepId);
    const action = run.currentStep!.actions[actionIndex];
    if (action === undefined) throw new KafkaError('INVALID_REQUEST', `Step '${stepId}' has no action ${actionIndex}.`);
    if (this.active !== 'lab') this.switchTo('lab');
    const done = run.perform(actionIndex).then(() => this.evaluateNow());
    if ('do' in action) await done;
    else done.catch((error: unknown) => run.noteAction(`action ${actionIndex} of ${stepId}`, 'error', (error as Error).message));
    return this.runState();
  }

  /** Switches the views to a workspace; the other one's clock stands still meanwhile. */
  private switchTo(kind: 'personal' | 'lab'): void {
    if (kind === this.active) return;
    const personal = this.options.personal.time;
    if (kind === 'lab') {
      this.personalWasRunning = personal.state().running;
      personal.pause();
      this.open!.cluster.time.resume();
    } else {
      this.open?.cluster.time.pause();
      if (this.personalWasRunning) personal.resume();
    }
    this.active = kind;
    this.epoch++;
    if (this.open !== null) this.save(this.open.run.progress, kind === 'lab');
    this.emit('workspace', this.workspace());
    for (const [event, payload] of this.activeWorkbench().initialEvents()) this.emit(event, payload);
    this.pushRunState();
  }

  private scheduleEvaluation(): void {
    if (this.closed) return;
    this.evaluateTimer?.cancel();
    this.evaluateTimer = this.options.uiTimers.after(EVALUATE_INTERVAL_MS, () => {
      this.evaluateTimer = null;
      void this.evaluateNow().finally(() => this.scheduleEvaluation());
    });
  }

  /** Evaluates the open step's checks (one evaluation at a time) and advances when it may. */
  private async evaluateNow(): Promise<void> {
    const open = this.open;
    if (open === null || open.run.finished || this.evaluating || this.rehearsing || this.active !== 'lab') return;
    this.evaluating = true;
    try {
      await open.run.evaluate();
      await this.maybeAdvance();
    } finally {
      this.evaluating = false;
    }
  }

  /**
   * The autopilot does the remaining steps on the live lab cluster (the host's own evaluation
   * waits meanwhile, so a step is never finished twice). Runs in the background; a run closed or
   * reset meanwhile stops it at the next step.
   */
  private rehearse(): void {
    const open = this.requireOpen();
    if (this.rehearsing) return;
    if (this.active !== 'lab') this.switchTo('lab');
    this.rehearsing = true;
    this.pushRunState();
    const loop = async (): Promise<void> => {
      // Bounded by the lab's steps: each pass finishes one.
      while (this.open === open && !open.run.finished) await runStep(open.run, open.cluster.engine);
    };
    void loop()
      .catch((error: unknown) => open.run.noteAction('rehearsal', 'error', (error as Error).message))
      .finally(() => {
        this.rehearsing = false;
        this.pushRunState();
      });
  }

  /** A step whose checks pass and whose questions are answered is passed; the next one begins. */
  private async maybeAdvance(): Promise<void> {
    const run = this.open?.run;
    const step = run?.currentStep;
    if (run === undefined || step === null || step === undefined) return;
    const progress = run.progress.steps[run.progress.stepIndex]!;
    const checksPassed = step.checks.length > 0 && progress.checks.length === step.checks.length && progress.checks.every((c) => c.passed);
    const answered = step.questions.every((q) => progress.answers[q.id] !== undefined);
    if (!checksPassed || !answered) return;
    run.finishStep('passed');
    if (!run.finished) await run.beginStep();
  }

  private onProgress(progress: LabProgress): void {
    this.save(progress, this.active === 'lab');
    if (this.pushTimer === null && !this.closed) {
      this.pushTimer = this.options.uiTimers.after(PUSH_INTERVAL_MS, () => {
        this.pushTimer = null;
        this.pushRunState();
      });
    }
  }

  private pushRunState(): void {
    this.emit('labRun', this.runState());
  }

  private runState(): LabRunState {
    if (this.open === null) return { progress: null, sheet: null, rehearsing: false };
    return { progress: structuredClone(this.open.run.progress), sheet: sheetOf(this.open.lab), rehearsing: this.rehearsing };
  }

  private emit(event: EventName, payload: unknown): void {
    for (const listener of this.listeners) listener(event, payload as never);
  }

  private requireOpen(): OpenRun {
    if (this.open === null) throw new KafkaError('INVALID_REQUEST', 'No lab is open.');
    return this.open;
  }

  private requireStep(stepId: string): OpenRun {
    const open = this.requireOpen();
    if (this.rehearsing) throw new KafkaError('INVALID_REQUEST', `The autopilot is rehearsing lab '${open.lab.id}'; wait for it to finish, or reset the lab.`);
    const step = open.run.currentStep;
    if (step === null) throw new KafkaError('INVALID_REQUEST', `Lab '${open.lab.id}' is finished.`);
    if (step.id !== stepId) throw new KafkaError('INVALID_REQUEST', `Step '${stepId}' is not the current step of lab '${open.lab.id}' (it is '${step.id}').`);
    return open;
  }

  private labById(labId: string): Lab {
    const entry = this.catalogue.labs.find((l) => l.lab.id === labId);
    if (entry === undefined) throw new KafkaError('INVALID_REQUEST', `No lab '${labId}'.`);
    return entry.lab;
  }

  private catalogueDto(): LabCatalogueDto {
    const latest = this.latestRuns();
    const labs: LabSummary[] = this.catalogue.labs.map(({ lab }) => {
      const run = latest.get(lab.id) ?? null;
      return {
        id: lab.id,
        version: lab.version,
        title: lab.title,
        summary: lab.summary,
        estimatedMinutes: lab.estimatedMinutes,
        stepsTotal: lab.steps.length,
        seeds: [...lab.seeds],
        lastRun:
          run === null
            ? null
            : {
                runId: run.runId,
                finished: run.stepIndex >= run.steps.length,
                stepIndex: run.stepIndex,
                stepsPassed: run.steps.filter((s) => s.status === 'passed').length,
                stepsTotal: run.steps.length,
                startedAtMs: run.startedAtMs,
                endedAtMs: run.endedAtMs,
              },
      };
    });
    return { labs, problems: [...this.catalogue.problems] };
  }

  /** The newest saved run of each lab (bounded by labLimits.runsListedMax directories). */
  private latestRuns(): Map<string, LabProgress> {
    const latest = new Map<string, LabProgress>();
    const dir = this.runsDir();
    if (!this.options.disk.exists(dir)) return latest;
    const names = this.options.disk.list(dir).sort().slice(-labLimits.runsListedMax);
    for (const name of names) {
      const progress = this.readProgress(`${dir}/${name}`);
      if (progress !== null) latest.set(progress.labId, progress);
    }
    if (this.open !== null) latest.set(this.open.lab.id, this.open.run.progress);
    return latest;
  }

  private readProgress(runDir: string): LabProgress | null {
    const file = `${runDir}/progress.json`;
    if (!this.options.disk.exists(file)) return null;
    try {
      const parsed = LabProgressSchema.safeParse(JSON.parse(new TextDecoder().decode(this.options.disk.readFile(file))));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private save(progress: LabProgress, active: boolean): void {
    if (this.open === null) return;
    this.options.disk.mkdirp(this.open.dir);
    this.options.disk.writeFileAtomic(`${this.open.dir}/progress.json`, encode(progress));
    this.options.disk.writeFileAtomic(this.currentFile(), encode({ runId: progress.runId, active }));
  }

  /** After a restart: the run that was open, on its cluster as the disk kept it, at the step it was on. */
  private resumeSavedRun(): void {
    const file = this.currentFile();
    if (!this.options.disk.exists(file)) return;
    let pointer: { runId?: unknown; active?: unknown };
    try {
      pointer = JSON.parse(new TextDecoder().decode(this.options.disk.readFile(file))) as typeof pointer;
    } catch {
      return;
    }
    if (typeof pointer.runId !== 'string' || !/^[0-9a-z-]+$/.test(pointer.runId)) return;
    const dir = `${this.runsDir()}/${pointer.runId}`;
    const progress = this.readProgress(dir);
    if (progress === null || progress.stepIndex >= progress.steps.length) return;
    const entry = this.catalogue.labs.find((l) => l.lab.id === progress.labId);
    // A lab whose file changed its steps cannot continue the saved run.
    if (entry === undefined || entry.lab.version !== progress.labVersion || entry.lab.steps.length !== progress.steps.length) return;
    const cluster = this.options.openLabCluster(entry.lab.setup, progress.seed, `${dir}/cluster`);
    cluster.time.pause();
    // The services' replicas are processes: after a restart they start again with the lab's settings.
    void applyServices(entry.lab.setup, cluster.engine);
    this.adopt(entry.lab, progress, cluster, dir);
    if (pointer.active === true) this.switchTo('lab');
  }

  /** `base`, or `base-2`, `base-3`... when a run of that name exists (two starts in one second). */
  private freeRunId(base: string): string {
    for (let n = 1; n <= labLimits.runsListedMax + 1; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (!this.options.disk.exists(`${this.runsDir()}/${id}`)) return id;
    }
    throw new KafkaError('INVALID_REQUEST', `Too many runs named ${base}.`);
  }

  private runsDir(): string {
    return `${this.options.dataDir}/labs/runs`;
  }

  private currentFile(): string {
    return `${this.options.dataDir}/labs/current.json`;
  }
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value)}\n`);
}

/** 20260105-090000 from engine ms, for run ids that sort by time. */
function compactTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}
