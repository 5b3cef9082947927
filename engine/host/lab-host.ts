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
 * The run's progress is saved in the run history (SQLite, engine/history) after every change, one
 * transaction each, in order (a newer progress waiting replaces an older one not yet written), so
 * after a restart — or a crash — the lab resumes at the step it was on, on its cluster as the disk
 * kept it. With the lab's sheet, at every step change and when the run ends, the history also
 * keeps a snapshot of the run's cluster (timeline, metric series, status, configs): what its
 * report is made from (engine/host/report-service.ts), here and in `kafka-lab report`.
 *
 * Invariants: at most one lab run is open; `active === 'lab'` only while one is open; the personal
 * time control is paused exactly while the lab workspace is active and was running before; at
 * most one history write is on its way and at most one waits (the latest progress).
 */
import { labCommandNames, labQueryNames, type EventName } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import type { ClusterStatus } from '../api/dto.js';
import { SASL_MECHANISMS, type KafkaListenersDto, type KafkaSecurityProtocol } from '../api/kafka-dto.js';
import type { ConsumerNetwork } from '../clients/consumer/consumer-network.js';
import type { ProducerNetwork } from '../clients/producer/producer-network.js';
import type { LabCatalogueDto, LabProgress, LabRunState, LabSummary, Workspace } from '../api/labs-dto.js';
import type { ExportedFile, InstructorSummary, ReportFormatName } from '../api/reports-dto.js';
import type { HistoryStore } from '../history/history-store.js';
import { renderClassesCsv, renderClassHtml, summarizeReports, type SummaryInputFile } from '../reports/instructor-summary.js';
import type { ReportSource } from '../reports/report-source.js';
import { takeRunSnapshot } from '../reports/run-snapshot.js';
import { exportedFile, renderReportFile, reportSourceOf, runHistoryOf, type PdfPrinter } from './report-service.js';
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

/** What the UI is told about the Kafka listeners (engine/protocol/protocol-listeners.ts). */
export interface KafkaListenerSource {
  advertised(): readonly { id: number; host: string; port: number }[];
  clients(): readonly { brokerId: number; address: string; clientId: string | null; apis: readonly string[]; principal: string | null }[];
}

/** A lab's own cluster: its workbench, its clock, and the runner's view of it. */
export interface LabCluster {
  readonly workbench: Workbench;
  readonly time: TimeControl;
  readonly engine: LabEngine;
  close(): void;
}

export interface LabHostOptions {
  readonly disk: Disk;
  /** The run history; the caller opens it before and closes it after the host. */
  readonly history: HistoryStore;
  /** Recorded with every run and printed on its report. */
  readonly appVersion: string;
  /** Prints PDF reports (null: a PDF export says it is not available here). */
  readonly printPdf: PdfPrinter | null;
  /** Wall-clock ms since the epoch: when a report is made, when an export is written. */
  readonly wallClockMs: () => number;
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
  /**
   * The Kafka listeners' security protocol to start with (kafka-lab serve --kafka-security), kept as
   * the history setting from then on; null or absent: the stored setting (PLAINTEXT when none).
   */
  readonly kafkaSecurity?: KafkaSecurityProtocol | null;
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
  /** The step index the last report snapshot was taken at (-1: none yet). */
  snapshotStep: number;
}

/** History settings: the learner's name, and whether the lab workspace was shown (to show it again after a restart). */
const PARTICIPANT_SETTING = 'participant';
/** The simulated network client real Kafka clients' requests travel as. */
const WIRE_CLIENT_ID = 'kafka-wire-listeners';
const ACTIVE_SETTING = 'labs.activeWorkspace';
/** History setting: the Kafka listeners' security protocol, PLAINTEXT or SASL_PLAINTEXT. */
const KAFKA_SECURITY_SETTING = 'kafkaSecurityProtocol';

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
  private participant = '';
  /** The history write on its way (null: none), and the progress waiting to follow it. */
  private writing: Promise<void> | null = null;
  private waiting: { progress: LabProgress; active: boolean } | null = null;
  private writeError: string | null = null;
  private kafka: KafkaListenerSource | null = null;
  /** The last report snapshot on its way (resolved when none). */
  private snapshotting: Promise<void> = Promise.resolve();
  /** The listeners' security.protocol. The default listener needs no authentication. */
  private securityProtocol: KafkaSecurityProtocol = 'PLAINTEXT';
  private readonly securityListeners = new Set<(protocol: KafkaSecurityProtocol) => void>();

  private constructor(private readonly options: LabHostOptions) {
    this.catalogue = loadLabCatalogue(options.disk, options.labsDir);
    this.stopPersonalEvents = options.personal.workbench.onEvent((event, payload) => {
      if (this.active === 'personal') this.emit(event, payload);
    });
  }

  /** A host over the history; the run that was open when the app last stopped resumes. */
  static async open(options: LabHostOptions): Promise<LabHost> {
    const host = new LabHost(options);
    host.participant = (await options.history.getSetting(PARTICIPANT_SETTING)) ?? '';
    if (options.kafkaSecurity === undefined || options.kafkaSecurity === null) {
      // Anything but SASL_PLAINTEXT stored (nothing yet, or a value an older version wrote) is the default.
      host.securityProtocol = (await options.history.getSetting(KAFKA_SECURITY_SETTING)) === 'SASL_PLAINTEXT' ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
    } else {
      await options.history.setSetting(KAFKA_SECURITY_SETTING, options.kafkaSecurity);
      host.securityProtocol = options.kafkaSecurity;
    }
    await host.resumeSavedRun();
    return host;
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
      const value = await this.labOperation(kind, name, payload as Record<string, unknown>);
      // A command is answered once what it changed is in the history: what the learner saw acknowledged survives a crash.
      if (kind === 'command') await this.flushed();
      return { ok: true, value };
    } catch (error) {
      return errorEnvelope(error);
    }
  }

  /** Stops the runner, closes the lab's cluster, then the learner's own workbench. Call `flushed()` before closing the history. */
  close(): void {
    this.closed = true;
    this.securityListeners.clear();
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

  /** Resolves once every progress saved so far is in the history. */
  async flushed(): Promise<void> {
    // Bounded: each pass waits for one write; at most one more is queued behind it.
    while (this.writing !== null) await this.writing;
  }

  /** The Kafka listeners of the shown cluster, for the UI (none until the worker attaches them). */
  attachKafkaListeners(source: KafkaListenerSource): void {
    this.kafka = source;
  }

  private kafkaListenersDto(): KafkaListenersDto {
    const security = {
      securityProtocol: this.securityProtocol,
      saslMechanisms: this.securityProtocol === 'SASL_PLAINTEXT' ? [...SASL_MECHANISMS] : [],
      users: this.activeWorkbench().scramUsers().users,
    };
    if (this.kafka === null) return { enabled: false, listeners: [], clients: [], ...security };
    return {
      enabled: true,
      listeners: this.kafka.advertised().map((b) => ({ brokerId: b.id, host: b.host, port: b.port })),
      clients: this.kafka.clients().map((c) => ({ ...c, apis: [...c.apis] })),
      ...security,
    };
  }

  /**
   * The Kafka listeners' security.protocol: PLAINTEXT (the default listener needs no authentication)
   * or SASL_PLAINTEXT (a connection authenticates with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 against
   * the shown cluster's SCRAM users before any other request). Read when a connection is accepted.
   */
  kafkaSecurityProtocol(): KafkaSecurityProtocol {
    return this.securityProtocol;
  }

  /**
   * Calls `listener` with the new protocol after each change (setKafkaSecurity), once it is in the
   * history; returns the unsubscribe. The same change also goes to viewers as the `kafkaSecurity`
   * event ({ change: 'protocol', protocol }).
   */
  onKafkaSecurityChange(listener: (protocol: KafkaSecurityProtocol) => void): () => void {
    this.securityListeners.add(listener);
    return () => this.securityListeners.delete(listener);
  }

  /** setKafkaSecurity: kept in the history first, so a refused write changes nothing; setting the same protocol again is a no-op. */
  private async setKafkaSecurity(protocol: KafkaSecurityProtocol): Promise<{ protocol: KafkaSecurityProtocol }> {
    if (protocol === this.securityProtocol) return { protocol };
    await this.options.history.setSetting(KAFKA_SECURITY_SETTING, protocol);
    this.securityProtocol = protocol;
    for (const listener of this.securityListeners) listener(protocol);
    this.emit('kafkaSecurity', { change: 'protocol', protocol });
    return { protocol };
  }

  /** The workbench the views show (the learner's own, or the open lab's): the Kafka listeners' admin requests change it. */
  shownWorkbench(): Workbench {
    return this.activeWorkbench();
  }

  /** The status of the cluster the views show (the Kafka listeners serve the same one). */
  shownStatus(): ClusterStatus {
    return this.activeWorkbench().status();
  }

  /** The shown cluster's network as consumers use it: real clients' fetches go through it. */
  shownConsumerNetwork(): ConsumerNetwork {
    return this.activeWorkbench().cluster.consumerNetwork(WIRE_CLIENT_ID);
  }

  /** The shown cluster's network as producers use it: real clients' record batches go through it. */
  shownProducerNetwork(): ProducerNetwork {
    return this.activeWorkbench().cluster.producerNetwork(WIRE_CLIENT_ID);
  }

  /** Runs the shown cluster's due work now (a real client's request was just sent into it). */
  kickShown(): void {
    if (this.active === 'lab') this.open?.cluster.time.kick();
    else this.options.personal.time.kick();
  }

  workspace(): Workspace {
    return { kind: this.active, epoch: this.epoch, labId: this.open?.lab.id ?? null, runId: this.open?.run.progress.runId ?? null };
  }

  private activeWorkbench(): Workbench {
    return this.active === 'lab' && this.open !== null ? this.open.cluster.workbench : this.options.personal.workbench;
  }

  private async labOperation(kind: 'command' | 'query', name: string, request: Record<string, unknown>): Promise<unknown> {
    if (kind === 'query') return this.labQuery(name, request);
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
        await this.closeRun();
        this.switchTo('personal');
        return this.workspace();
      case 'exportReport':
        return this.exportReport(String(request.runId), request.format as ReportFormatName, request.locale as 'en' | 'ko');
      case 'deleteRun':
        return this.deleteRun(String(request.runId));
      case 'setKafkaSecurity':
        return this.setKafkaSecurity(request.protocol === 'SASL_PLAINTEXT' ? 'SASL_PLAINTEXT' : 'PLAINTEXT');
      case 'setParticipant':
        this.participant = String(request.participant);
        await this.options.history.setSetting(PARTICIPANT_SETTING, this.participant);
        if (this.open !== null) this.save(this.open.run.progress, this.active === 'lab');
        return { participant: this.participant };
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

  private async labQuery(name: string, request: Record<string, unknown>): Promise<unknown> {
    switch (name) {
      case 'labs':
        return this.catalogueDto();
      case 'labSheet':
        return sheetOf(this.labById(String(request.labId)));
      case 'labRun':
        return this.runState();
      case 'runHistory':
        await this.settled();
        return runHistoryOf(this.options.history, { labId: request.labId as string | undefined, participant: request.participant as string | undefined });
      case 'reportPreview': {
        const source = await this.reportSource(String(request.runId), request.locale as 'en' | 'ko');
        const file = await renderReportFile(source, 'html', null);
        return { runId: String(request.runId), html: new TextDecoder().decode(file.bytes) };
      }
      case 'participant':
        return { participant: this.participant === '' ? null : this.participant };
      case 'kafkaListeners':
        return this.kafkaListenersDto();
      case 'instructorSummary':
        return instructorSummaryOf(request.files as SummaryInputFile[], request.locale as 'en' | 'ko', this.options.wallClockMs());
      default:
        return this.workspace();
    }
  }

  /** A run's report source; the open run's snapshot is taken now, so its report shows the cluster as it is. */
  private async reportSource(runId: string, locale: 'en' | 'ko'): Promise<ReportSource> {
    if (this.open?.run.progress.runId === runId) await this.snapshot(this.open);
    await this.settled();
    return reportSourceOf(this.options.history, runId, { locale, generatedAtMs: this.options.wallClockMs() });
  }

  /** The report as a file for the UI to save; it is also written under `<dataDir>/exports` and the history records it. */
  private async exportReport(runId: string, format: ReportFormatName, locale: 'en' | 'ko'): Promise<ExportedFile> {
    const source = await this.reportSource(runId, locale);
    const file = await renderReportFile(source, format, this.options.printPdf);
    const exported = exportedFile(file);
    const dir = `${this.options.dataDir}/exports`;
    this.options.disk.mkdirp(dir);
    const path = `${dir}/${file.fileName}`;
    this.options.disk.writeFileAtomic(path, file.bytes);
    await this.options.history.recordExport(runId, { format, path, createdAtMs: this.options.wallClockMs() });
    return exported;
  }

  /** Deletes a run from the history and its lab cluster from the disk; the open run stays. */
  private async deleteRun(runId: string): Promise<{ runId: string }> {
    if (this.open?.run.progress.runId === runId) throw new KafkaError('INVALID_REQUEST', `Run '${runId}' is open; close the lab before deleting its run.`);
    await this.settled();
    if (!(await this.options.history.deleteRun(runId))) throw new KafkaError('INVALID_REQUEST', `There is no run '${runId}' in the history.`);
    const dir = `${this.runsDir()}/${runId}`;
    // Disk.remove takes a directory with everything in it.
    if (/^[A-Za-z0-9._-]+$/.test(runId) && this.options.disk.exists(dir)) this.options.disk.remove(dir);
    return { runId };
  }

  /** Opens a fresh run of `lab` on a fresh cluster and shows it; a run already open is closed first. */
  private async start(lab: Lab, seed: number | undefined): Promise<LabRunState> {
    if (this.open !== null) await this.closeRun();
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
    const open: OpenRun = { lab, run, cluster, dir, stopEvents, snapshotStep: -1 };
    this.open = open;
    this.save(progress, this.active === 'lab');
    this.scheduleEvaluation();
    void this.snapshot(open);
  }

  /** Closes the open run: its final snapshot and progress go to the history (abandoned if unfinished), then its cluster stops. */
  private async closeRun(): Promise<void> {
    const open = this.open!;
    await this.snapshot(open);
    this.save(open.run.progress, false);
    open.stopEvents();
    open.cluster.close();
    this.open = null;
    await this.flushed();
    if (!open.run.finished) await this.options.history.abandonRun(open.run.progress.runId);
    await this.options.history.setSetting(ACTIVE_SETTING, 'false');
    this.pushRunState();
  }

  /**
   * Keeps the run's lab sheet and its cluster's timeline, series, status and configs in the history,
   * for its report. Taken at the run's start, at every step change and at its end; a failure is
   * noted in the journal and the run goes on.
   */
  private snapshot(open: OpenRun): Promise<void> {
    open.snapshotStep = open.run.progress.stepIndex;
    // One snapshot at a time, in order: the history keeps the latest.
    const next = this.snapshotting.then(() => this.takeSnapshot(open));
    this.snapshotting = next;
    return next;
  }

  private async takeSnapshot(open: OpenRun): Promise<void> {
    try {
      const taken = await takeRunSnapshot(open.cluster.engine);
      await this.flushed();
      const runId = open.run.progress.runId;
      await this.options.history.saveSnapshot(runId, { sheet: sheetOf(open.lab), cluster: taken.cluster, configs: taken.configs, takenAtMs: open.cluster.engine.nowMs() });
      await this.options.history.appendEvents(runId, taken.timeline);
      await this.options.history.saveMetricSamples(runId, taken.series);
    } catch (error) {
      open.run.noteAction('report snapshot', 'error', (error as Error).message);
    }
  }

  /** Resolves once the progress saved so far and the snapshots taken so far are in the history. */
  private async settled(): Promise<void> {
    await this.snapshotting;
    await this.flushed();
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
    const open = this.open;
    if (open !== null && open.snapshotStep !== progress.stepIndex) void this.snapshot(open);
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

  private async catalogueDto(): Promise<LabCatalogueDto> {
    const latest = await this.latestRuns();
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

  /** The newest run of each lab in the history (bounded by historyLimits.runsListedMax runs). */
  private async latestRuns(): Promise<Map<string, LabProgress>> {
    const latest = new Map<string, LabProgress>();
    await this.settled();
    // Newest first: the first run seen of a lab is its latest.
    for (const run of await this.options.history.listRuns({})) {
      if (latest.has(run.labId)) continue;
      const progress = await this.options.history.loadProgress(run.runId);
      if (progress !== null) latest.set(run.labId, progress);
    }
    if (this.open !== null) latest.set(this.open.lab.id, this.open.run.progress);
    return latest;
  }

  /**
   * Saves the run's progress in the history, in order: one write at a time; a progress that comes
   * while one is written waits, replacing any older one still waiting (the latest is what counts).
   */
  private save(progress: LabProgress, active: boolean): void {
    this.waiting = { progress: structuredClone(progress), active };
    if (this.writing === null) this.writing = this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    // Bounded: each pass writes the one waiting progress; a pass that finds none ends the loop.
    while (this.waiting !== null) {
      const { progress, active } = this.waiting;
      this.waiting = null;
      try {
        await this.options.history.saveProgress(progress, { participant: this.participant, appVersion: this.options.appVersion });
        await this.options.history.setSetting(ACTIVE_SETTING, String(active));
        this.writeError = null;
      } catch (error) {
        // The run goes on and the next save tries again; the journal says once why nothing is kept meanwhile.
        const message = (error as Error).message;
        if (message !== this.writeError) this.open?.run.noteAction('run history', 'error', `The run could not be saved: ${message}`);
        this.writeError = message;
      }
    }
    this.writing = null;
  }

  /** After a restart (or a crash): the run that was open, on its cluster as the disk kept it, at the step it was on. */
  private async resumeSavedRun(): Promise<void> {
    const runId = await this.options.history.openRunId();
    if (runId === null) return;
    const progress = await this.options.history.loadProgress(runId);
    if (progress === null || progress.stepIndex >= progress.steps.length) return;
    const entry = this.catalogue.labs.find((l) => l.lab.id === progress.labId);
    // A lab whose file changed its steps cannot continue the saved run.
    if (entry === undefined || entry.lab.version !== progress.labVersion || entry.lab.steps.length !== progress.steps.length) {
      await this.options.history.abandonRun(runId);
      return;
    }
    const dir = `${this.runsDir()}/${runId}`;
    const cluster = this.options.openLabCluster(entry.lab.setup, progress.seed, `${dir}/cluster`);
    cluster.time.pause();
    // The services' replicas are processes: after a restart they start again with the lab's settings.
    void applyServices(entry.lab.setup, cluster.engine);
    this.adopt(entry.lab, progress, cluster, dir);
    if ((await this.options.history.getSetting(ACTIVE_SETTING)) === 'true') this.switchTo('lab');
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
}

/** The class table of many JSON reports, as the Reports view shows and saves it. */
function instructorSummaryOf(files: readonly SummaryInputFile[], locale: 'en' | 'ko', nowMs: number): InstructorSummary {
  const summary = summarizeReports(files);
  return {
    rows: summary.reportsRead,
    skipped: summary.skipped.map((s) => ({ name: s.file, reason: s.reason })),
    html: renderClassHtml(summary, locale, nowMs),
    csv: renderClassesCsv(summary.tables),
  };
}

/** 20260105-090000 from engine ms, for run ids that sort by time. */
function compactTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}
