/**
 * The fault injector of the live workbench: injects the catalogue's faults (engine/faults/
 * fault-catalogue.ts) into the cluster and the client processes on the engine clock — now or after
 * `startInMs`, for `durationMs` or until undone — and replays presets (engine/faults/presets.ts).
 * Every fault is a span on the timeline, opened when it starts and ended when it is undone.
 *
 * How each kind is applied and undone:
 * - broker crash / stop / power loss: kill -9, kafka-server-stop, or kill -9 then the broker's
 *   FaultableDisk drops what was not fsynced; undo: start the broker (if it is still down);
 * - broker pause: SIGSTOP (Cluster.pauseBroker); undo: SIGCONT (if it was not killed meanwhile);
 * - broker isolate: the network cuts the broker from every node; undo: reconnect it;
 * - link cut / link slow / quorum majority lost: the links they touch are recomputed from the
 *   active faults over each link's settings from before the first of them (its baseline): cut if
 *   any cuts it, latency and loss added on top; when no fault touches a link any more its baseline
 *   is restored, so undoing restores exactly what was there before, however faults overlap;
 * - disk slow / full / lying: the broker's FaultableDisk mode; undo: its previous mode, and a broker
 *   that halted because its disk was full is started again;
 * - client crash / pause / slow / clock skew: the ClientControl of the replica or consumer; undo:
 *   restart, resume, the previous processing time, the previous skew.
 *
 * Conflicts are refused with a KafkaError naming the fault in the way (a second crash of a crashed
 * broker, two cuts of one link): at most one fault of each conflict key (a broker's process, its
 * isolation, a link's cut or slowness, the quorum, each of a broker's disk modes, a client's
 * process, its processing time, its clock) is active at a time.
 *
 * Invariants: at most `faultLimits.activeFaultsMax` faults are scheduled or active; at most
 * `faultLimits.recentFaultsMax` ended faults and `faultLimits.presetRunsMax` preset runs are kept;
 * at most `faultLimits.runningPresetsMax` preset runs at a time; one link baseline per directed link
 * between brokers; every started fault has one open timeline span until it ends; every
 * timer of the injector is cancelled by `close()`; time comes only from the clock and timers given.
 */
import type { ApplyPresetSpec, FaultCatalogue, FaultStatus, FaultTarget, FaultsSnapshot, InjectFaultSpec, PresetRun } from '../api/faults-dto.js';
import type { Cluster, ClusterEvent } from '../cluster/cluster.js';
import type { LinkSettings } from '../cluster/network.js';
import type { Clock } from '../core/clock.js';
import { KafkaError, isKafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import type { TimelineSink } from '../metrics/timeline-sink.js';
import type { FaultableDisk } from '../storage/disk/faultable-disk.js';
import type { ClientControl, ClientDirectory } from './client-control.js';
import { FAULT_KIND_INFO, describeFault, faultKindsCatalogue, validateFaultTarget } from './fault-catalogue.js';
import { faultLimits } from './fault-limits.js';
import { PRESET_INFO, planPreset, presetCatalogue, type PresetActions, type PresetPlan, type PresetPorts } from './presets.js';

export interface FaultInjectorOptions {
  readonly cluster: Cluster;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly clients: ClientDirectory;
  readonly timeline: TimelineSink;
  /** Called after every change of the snapshot (a fault scheduled, started, undone or failed; a preset step). */
  readonly onChange: () => void;
  /** Each broker's own disk; disk faults and power loss need one. */
  readonly brokerDisks?: (brokerId: number) => FaultableDisk | undefined;
}

type Params = Record<string, string | number | boolean | null>;
type FaultState = FaultStatus['state'];

interface FaultRecord {
  readonly faultId: number;
  readonly target: FaultTarget;
  readonly description: string;
  readonly presetRunId: number | null;
  readonly startsAtMs: number;
  readonly endsAtMs: number | null;
  readonly durationMs: number | null;
  state: FaultState;
  startedAtMs: number | null;
  endedAtMs: number | null;
  error: string | null;
  /** The start timer while scheduled, the automatic undo while active. */
  timer: TimerHandle | null;
  timelineId: number | null;
  undoAction: (() => void) | null;
  /** A disk-full fault whose broker halted because of it (its undo starts the broker again). */
  brokerHalted: boolean;
}

interface LinkBaseline {
  readonly from: number;
  readonly to: number;
  readonly settings: LinkSettings;
}

interface LinkEffect {
  readonly from: number;
  readonly to: number;
  cut: boolean;
  addedLatencyMs: number;
  /** Probability a message survives every slow fault on the link. */
  survival: number;
}

interface RunRecord {
  readonly run: { -readonly [K in keyof PresetRun]: PresetRun[K] };
  readonly plan: PresetPlan;
  readonly ports: PresetPorts;
  readonly timers: TimerHandle[];
  readonly timelineId: number;
  /** Faults this run injected that are still scheduled or active. */
  readonly faultIds: Set<number>;
  /** Replication cuts in force, by "a-b", with their timeline span. */
  readonly replicationCuts: Map<string, { readonly a: number; readonly b: number; readonly timelineId: number }>;
  /** Topic configs changed and not yet restored, by "topic\0name", with the override before the change. */
  readonly configs: Map<string, { readonly topic: string; readonly name: string; readonly previous: string | null }>;
}

/** Kinds whose conflict key is the network (healed first when a preset stops). */
const NETWORK_KINDS: ReadonlySet<FaultTarget['kind']> = new Set(['link-cut', 'link-slow', 'broker-isolate', 'quorum-majority-lost']);

export class FaultInjector {
  private readonly active = new Map<number, FaultRecord>();
  private readonly recent: FaultRecord[] = [];
  private readonly runs: RunRecord[] = [];
  private readonly linkFaults = new Set<FaultRecord>();
  /** Per directed link a fault touches, its settings before the first of them ("from->to"). */
  private readonly linkBaselines = new Map<string, LinkBaseline>();
  private nextFaultId = 1;
  private nextRunId = 1;
  private readonly stopListening: () => void;

  constructor(private readonly options: FaultInjectorOptions) {
    this.stopListening = options.cluster.onEvent((event) => this.onClusterEvent(event));
  }

  catalogue(): FaultCatalogue {
    return { kinds: faultKindsCatalogue(), presets: presetCatalogue() };
  }

  snapshot(): FaultsSnapshot {
    return {
      nowMs: this.nowMs(),
      active: [...this.active.values()].map(statusOf),
      recent: this.recent.map(statusOf),
      presetRuns: [...this.runs].reverse().map((r) => runOf(r)),
    };
  }

  /**
   * Schedules a fault, or starts it now when `startInMs` is 0 (a refusal then throws and records
   * nothing). A scheduled fault that cannot start when its time comes ends `failed`, saying why.
   */
  inject(spec: InjectFaultSpec, presetRunId: number | null = null): FaultStatus {
    this.validate(spec.target);
    if (this.active.size >= faultLimits.activeFaultsMax) {
      throw new KafkaError('POLICY_VIOLATION', `At most ${faultLimits.activeFaultsMax} faults can be scheduled or active at once; undo some first.`);
    }
    const nowMs = this.nowMs();
    const startsAtMs = nowMs + spec.startInMs;
    const record: FaultRecord = {
      faultId: this.nextFaultId,
      target: spec.target,
      description: describeFault(spec.target, this.options.cluster.controller.voters()),
      presetRunId,
      startsAtMs,
      endsAtMs: spec.durationMs === null ? null : startsAtMs + spec.durationMs,
      durationMs: spec.durationMs,
      state: 'scheduled',
      startedAtMs: null,
      endedAtMs: null,
      error: null,
      timer: null,
      timelineId: null,
      undoAction: null,
      brokerHalted: false,
    };
    if (spec.startInMs === 0) {
      this.start(record);
    } else {
      record.timer = this.options.timers.after(spec.startInMs, () => this.startScheduled(record));
    }
    this.nextFaultId += 1;
    this.active.set(record.faultId, record);
    this.options.onChange();
    return statusOf(record);
  }

  /** Undoes an active fault now, or cancels a scheduled one. */
  undo(faultId: number): FaultStatus {
    const record = this.active.get(faultId);
    if (record === undefined) {
      const ended = this.recent.find((r) => r.faultId === faultId);
      if (ended !== undefined) throw invalid(`Fault #${faultId} already ended (${ended.state}).`);
      throw invalid(`There is no fault #${faultId}.`);
    }
    this.end(record);
    this.options.onChange();
    return statusOf(record);
  }

  /** Starts a preset: resolves it against the cluster now, runs its steps on the engine clock. */
  applyPreset(spec: ApplyPresetSpec, ports: PresetPorts): PresetRun {
    const running = this.runs.filter((r) => r.run.endedAtMs === null);
    if (running.length >= faultLimits.runningPresetsMax) {
      const { presetId, presetRunId } = running[0]!.run;
      throw invalid(`Preset ${presetId} (run #${presetRunId}) is still running; stop it first.`);
    }
    const plan = planPreset(spec, this.options.cluster, ports);
    const info = PRESET_INFO[spec.presetId];
    const presetRunId = this.nextRunId++;
    const nowMs = this.nowMs();
    const record: RunRecord = {
      run: {
        presetRunId,
        presetId: spec.presetId,
        startedAtMs: nowMs,
        endedAtMs: null,
        target: plan.target,
        steps: plan.steps.map((s) => ({ atMs: s.atMs, description: s.description, state: 'pending', error: null })),
      },
      plan,
      ports,
      timers: [],
      timelineId: this.options.timeline.add({
        atMs: nowMs,
        kind: 'preset',
        severity: 'warn',
        code: `preset.${spec.presetId}`,
        params: { presetRunId, presetId: spec.presetId, target: plan.target },
        text: `Preset "${info.title}" on ${plan.target}`,
      }),
      faultIds: new Set(),
      replicationCuts: new Map(),
      configs: new Map(),
    };
    this.keepRun(record);
    plan.steps.forEach((step, index) => {
      if (step.atMs === 0) this.runStep(record, index);
      else record.timers.push(this.options.timers.after(step.atMs, () => this.runStep(record, index)));
    });
    if (plan.steps.length === 0) this.finishRun(record);
    this.options.onChange();
    return runOf(record);
  }

  /** Stops a preset run: its pending steps are dropped and what it changed is undone. An ended run is returned as it is. */
  stopPreset(presetRunId: number): PresetRun {
    const record = this.runs.find((r) => r.run.presetRunId === presetRunId);
    if (record === undefined) throw invalid(`There is no preset run #${presetRunId}.`);
    if (record.run.endedAtMs !== null) return runOf(record);
    for (const timer of record.timers) timer.cancel();
    for (const step of record.run.steps) {
      if (step.state !== 'pending') continue;
      step.state = 'failed';
      step.error = 'Not run: the preset was stopped.';
    }
    this.finishRun(record);
    this.options.onChange();
    return runOf(record);
  }

  /** Cancels every timer (scheduled starts, automatic undos, preset steps); active faults stay as they are. */
  close(): void {
    this.stopListening();
    for (const record of this.active.values()) {
      record.timer?.cancel();
      record.timer = null;
    }
    for (const run of this.runs) for (const timer of run.timers) timer.cancel();
  }

  // ---- faults --------------------------------------------------------------------------------------

  private validate(target: FaultTarget): void {
    validateFaultTarget(target, {
      cluster: this.options.cluster,
      clients: this.options.clients,
      hasFaultableDisk: (brokerId) => this.options.brokerDisks?.(brokerId) !== undefined,
    });
  }

  /** Applies a fault now (throws a KafkaError when it conflicts or cannot apply, leaving nothing changed). */
  private start(record: FaultRecord): void {
    this.checkConflicts(record.target);
    const applied = this.apply(record);
    const nowMs = this.nowMs();
    record.state = 'active';
    record.startedAtMs = nowMs;
    record.undoAction = applied.undo;
    const info = FAULT_KIND_INFO[record.target.kind];
    record.timelineId = this.options.timeline.add({
      atMs: nowMs,
      kind: 'fault',
      severity: info.severity,
      code: `fault.${record.target.kind}`,
      params: { faultId: record.faultId, presetRunId: record.presetRunId, ...targetParams(record.target), ...applied.params },
      text: record.description,
    });
    if (record.durationMs !== null) {
      record.timer = this.options.timers.after(record.durationMs, () => {
        record.timer = null;
        if (!this.active.has(record.faultId)) return;
        this.end(record);
        this.options.onChange();
      });
    }
  }

  private startScheduled(record: FaultRecord): void {
    record.timer = null;
    if (!this.active.has(record.faultId)) return;
    try {
      this.validate(record.target);
      this.start(record);
    } catch (error) {
      if (!isKafkaError(error)) throw error;
      this.fail(record, error.message);
      this.options.timeline.add({
        atMs: this.nowMs(),
        kind: 'fault',
        severity: 'warn',
        code: `fault.${record.target.kind}.failed`,
        params: { faultId: record.faultId, ...targetParams(record.target) },
        text: `Fault #${record.faultId} could not start: ${error.message}`,
      });
    }
    this.options.onChange();
  }

  /** Ends a scheduled fault (cancelled) or an active one (its undo runs); moves it to the recent list. */
  private end(record: FaultRecord): void {
    record.timer?.cancel();
    record.timer = null;
    const nowMs = this.nowMs();
    if (record.state === 'scheduled') {
      record.state = 'undone';
      record.endedAtMs = nowMs;
      return this.retire(record);
    }
    let undoError: string | null = null;
    try {
      record.undoAction?.();
    } catch (error) {
      if (!isKafkaError(error)) throw error;
      undoError = error.message;
    }
    record.endedAtMs = nowMs;
    if (record.timelineId !== null) this.options.timeline.end(record.timelineId, nowMs);
    if (undoError === null) {
      record.state = 'undone';
    } else {
      record.state = 'failed';
      record.error = `Undo failed: ${undoError}`;
      this.options.timeline.add({
        atMs: nowMs,
        kind: 'fault',
        severity: 'error',
        code: `fault.${record.target.kind}.undo-failed`,
        params: { faultId: record.faultId, ...targetParams(record.target) },
        text: `Fault #${record.faultId} could not be undone: ${undoError}`,
      });
    }
    this.retire(record);
  }

  private fail(record: FaultRecord, error: string): void {
    record.state = 'failed';
    record.error = error;
    record.endedAtMs = this.nowMs();
    this.retire(record);
  }

  private retire(record: FaultRecord): void {
    this.active.delete(record.faultId);
    this.recent.unshift(record);
    if (this.recent.length > faultLimits.recentFaultsMax) this.recent.length = faultLimits.recentFaultsMax;
    for (const run of this.runs) run.faultIds.delete(record.faultId);
  }

  private checkConflicts(target: FaultTarget): void {
    const key = conflictKey(target);
    for (const other of this.active.values()) {
      if (other.state !== 'active' || conflictKey(other.target) !== key) continue;
      throw invalid(`${conflictSubject(other.target)} already has fault #${other.faultId} (${other.target.kind}) active; undo it first.`);
    }
  }

  /** Applies a fault's effect and returns how to undo it (and figures for its timeline entry). */
  private apply(record: FaultRecord): { undo: () => void; params?: Params } {
    const { cluster } = this.options;
    const target = record.target;
    switch (target.kind) {
      case 'broker-crash':
        cluster.killBroker(target.brokerId);
        return { undo: () => this.startIfDown(target.brokerId) };
      case 'broker-stop':
        cluster.stopBroker(target.brokerId);
        return { undo: () => this.startIfDown(target.brokerId) };
      case 'broker-power-loss': {
        const disk = this.disk(target.brokerId);
        cluster.killBroker(target.brokerId);
        const report = disk.powerLoss();
        return { undo: () => this.startIfDown(target.brokerId), params: { ...report } };
      }
      case 'broker-pause':
        cluster.pauseBroker(target.brokerId);
        return {
          undo: () => {
            // A broker killed while paused has nothing to resume.
            if (cluster.broker(target.brokerId).isPaused) cluster.resumeBroker(target.brokerId);
          },
        };
      case 'broker-isolate':
        if (cluster.network.isIsolated(target.brokerId)) throw invalid(`Broker ${target.brokerId} is already isolated.`);
        cluster.network.isolate(target.brokerId, true);
        return { undo: () => cluster.network.isolate(target.brokerId, false) };
      case 'link-cut':
      case 'link-slow':
      case 'quorum-majority-lost':
        this.linkFaults.add(record);
        this.refreshLinks();
        return {
          undo: () => {
            this.linkFaults.delete(record);
            this.refreshLinks();
          },
        };
      case 'disk-slow': {
        const disk = this.disk(target.brokerId);
        const previous = disk.latencyMs;
        disk.setLatencyMs(target.latencyMs);
        return { undo: () => disk.setLatencyMs(previous) };
      }
      case 'disk-full': {
        const disk = this.disk(target.brokerId);
        disk.setFull(true);
        return {
          undo: () => {
            disk.setFull(false);
            if (record.brokerHalted) this.startIfDown(target.brokerId);
          },
        };
      }
      case 'disk-lying': {
        const disk = this.disk(target.brokerId);
        disk.setLyingFsync(true);
        return { undo: () => disk.setLyingFsync(false) };
      }
      default:
        return this.applyToClient(target);
    }
  }

  private applyToClient(target: Extract<FaultTarget, { clientId: string }>): { undo: () => void } {
    const client = this.client(target.clientId);
    const reason = `fault: ${target.kind}`;
    switch (target.kind) {
      case 'client-crash':
        requireRunning(client);
        client.crash(reason);
        return {
          undo: () => {
            const now = this.client(target.clientId);
            if (now.state() === 'crashed' || now.state() === 'stopped') now.restart();
          },
        };
      case 'client-pause':
        requireRunning(client);
        client.pause(reason);
        return {
          undo: () => {
            const now = this.client(target.clientId);
            if (now.state() === 'paused') now.resume();
          },
        };
      case 'client-slow': {
        const previous = client.processingMsPerRecord();
        client.setProcessingMsPerRecord(target.processingMsPerRecord);
        return { undo: () => this.client(target.clientId).setProcessingMsPerRecord(previous) };
      }
      case 'client-clock-skew': {
        const previous = client.clockSkewMs();
        client.setClockSkewMs(target.skewMs);
        return { undo: () => this.client(target.clientId).setClockSkewMs(previous) };
      }
    }
  }

  private startIfDown(brokerId: number): void {
    if (this.options.cluster.broker(brokerId).state === 'stopped') this.options.cluster.restartBroker(brokerId);
  }

  private disk(brokerId: number): FaultableDisk {
    const disk = this.options.brokerDisks?.(brokerId);
    if (disk === undefined) throw invalid(`Broker ${brokerId}'s disk cannot be faulted: the cluster does not give each broker a disk of its own.`);
    return disk;
  }

  private client(clientId: string): ClientControl {
    const client = this.options.clients.client(clientId);
    if (client === null) throw invalid(`Client ${clientId} no longer exists.`);
    return client;
  }

  /**
   * Sets every link an active link fault touches to its baseline with the faults on top, and puts
   * back the baseline of every link no fault touches any more.
   */
  private refreshLinks(): void {
    const { network } = this.options.cluster;
    const effects = new Map<string, LinkEffect>();
    for (const record of this.linkFaults) {
      for (const [from, to] of this.linksOf(record.target)) {
        const key = `${from}->${to}`;
        const effect = effects.get(key) ?? { from, to, cut: false, addedLatencyMs: 0, survival: 1 };
        if (record.target.kind === 'link-slow') {
          effect.addedLatencyMs += record.target.latencyMs;
          effect.survival *= 1 - record.target.lossRate;
        } else {
          effect.cut = true;
        }
        effects.set(key, effect);
      }
    }
    for (const [key, effect] of effects) {
      let baseline = this.linkBaselines.get(key);
      if (baseline === undefined) {
        baseline = { from: effect.from, to: effect.to, settings: network.link(effect.from, effect.to) };
        this.linkBaselines.set(key, baseline);
      }
      network.setLink(effect.from, effect.to, withEffect(baseline.settings, effect), false);
    }
    for (const [key, baseline] of [...this.linkBaselines]) {
      if (effects.has(key)) continue;
      network.setLink(baseline.from, baseline.to, baseline.settings, false);
      this.linkBaselines.delete(key);
    }
  }

  /** The directed links a link fault touches. */
  private linksOf(target: FaultTarget): [number, number][] {
    if (target.kind === 'link-cut' || target.kind === 'link-slow') {
      return [
        [target.from, target.to],
        [target.to, target.from],
      ];
    }
    const voters = this.options.cluster.controller.voters();
    return voters.flatMap((a) => voters.filter((b) => b !== a).map((b): [number, number] => [a, b]));
  }

  private onClusterEvent(event: ClusterEvent): void {
    if (event.type !== 'log-dir-failed') return;
    for (const record of this.active.values()) {
      if (record.state === 'active' && record.target.kind === 'disk-full' && record.target.brokerId === event.brokerId) record.brokerHalted = true;
    }
  }

  // ---- presets -------------------------------------------------------------------------------------

  private keepRun(record: RunRecord): void {
    this.runs.push(record);
    // Bounded: drop the oldest ended runs (few run at a time, so one pass frees a place).
    for (let i = 0; i < this.runs.length && this.runs.length > faultLimits.presetRunsMax; ) {
      if (this.runs[i]!.run.endedAtMs !== null) this.runs.splice(i, 1);
      else i++;
    }
  }

  private runStep(record: RunRecord, index: number): void {
    if (record.run.endedAtMs !== null) return;
    const step = record.run.steps[index]!;
    try {
      record.plan.steps[index]!.run(this.actionsFor(record));
      step.state = 'done';
    } catch (error) {
      if (!isKafkaError(error)) throw error;
      step.state = 'failed';
      step.error = error.message;
    }
    if (record.run.steps.every((s) => s.state !== 'pending')) this.finishRun(record);
    this.options.onChange();
  }

  /** Ends a run: whatever it changed and did not undo yet is undone (network first, then processes, then the rest, then configs). */
  private finishRun(record: RunRecord): void {
    const faults = [...record.faultIds].map((id) => this.active.get(id)).filter((r): r is FaultRecord => r !== undefined);
    const network = faults.filter((r) => NETWORK_KINDS.has(r.target.kind));
    const rest = faults.filter((r) => !NETWORK_KINDS.has(r.target.kind));
    for (const cut of [...record.replicationCuts.values()]) this.healReplication(record, cut.a, cut.b);
    for (const fault of [...network, ...rest]) this.end(fault);
    for (const config of [...record.configs.values()]) {
      try {
        this.restoreConfig(record, config.topic, config.name);
      } catch (error) {
        if (!isKafkaError(error)) throw error;
        // The topic may be gone or the controller unreachable: nothing left to restore then.
        record.configs.delete(`${config.topic}\u0000${config.name}`);
      }
    }
    const nowMs = this.nowMs();
    record.run.endedAtMs = nowMs;
    this.options.timeline.end(record.timelineId, nowMs);
  }

  private actionsFor(record: RunRecord): PresetActions {
    const { cluster, timeline } = this.options;
    return {
      inject: (target) => {
        const status = this.inject({ target, startInMs: 0, durationMs: null }, record.run.presetRunId);
        record.faultIds.add(status.faultId);
        return status.faultId;
      },
      undo: (faultId) => {
        if (!record.faultIds.has(faultId)) throw invalid('Nothing to undo: the fault this step ends is not active (the step that injected it failed, or it was undone already).');
        this.undo(faultId);
      },
      setReplicationCut: (a, b, cut) => {
        if (cut) this.cutReplication(record, a, b);
        else this.healReplication(record, a, b);
      },
      setTopicConfig: (topic, name, value) => {
        const key = `${topic}\u0000${name}`;
        const previous = cluster.topic(topic).configs[name] ?? null;
        this.alterTopicConfig(topic, name, value);
        if (!record.configs.has(key)) record.configs.set(key, { topic, name, previous });
      },
      restoreTopicConfig: (topic, name) => this.restoreConfig(record, topic, name),
      placeOrders: (count, intervalMs) => {
        record.ports.placeOrders(count, intervalMs);
        timeline.add({
          atMs: this.nowMs(),
          kind: 'preset',
          severity: 'info',
          code: 'preset.orders',
          params: { presetRunId: record.run.presetRunId, count, intervalMs },
          text: `Placing ${count} orders, one every ${intervalMs} ms`,
        });
      },
      probeController: () => {
        try {
          cluster.controller.requireController();
        } catch (error) {
          if (!isKafkaError(error)) throw error;
          timeline.add({
            atMs: this.nowMs(),
            kind: 'controller',
            severity: 'warn',
            code: 'preset.controller-probe',
            params: { presetRunId: record.run.presetRunId, error: error.errorName },
            text: `CreateTopics would be refused: ${error.errorName}: ${error.message}`,
          });
          return;
        }
        throw invalid(`Voter ${cluster.controllerId()} is still the active controller: the metadata change would succeed.`);
      },
    };
  }

  private cutReplication(record: RunRecord, a: number, b: number): void {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (record.replicationCuts.has(key)) return;
    this.options.cluster.setReplicationCut(a, b, true);
    const timelineId = this.options.timeline.add({
      atMs: this.nowMs(),
      kind: 'fault',
      severity: 'warn',
      code: 'fault.replication-cut',
      params: { presetRunId: record.run.presetRunId, from: a, to: b },
      text: `Replication between brokers ${a} and ${b} is cut (the broker listener; controller traffic still passes).`,
    });
    record.replicationCuts.set(key, { a, b, timelineId });
  }

  private healReplication(record: RunRecord, a: number, b: number): void {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    const cut = record.replicationCuts.get(key);
    if (cut === undefined) return;
    this.options.cluster.setReplicationCut(a, b, false);
    this.options.timeline.end(cut.timelineId, this.nowMs());
    record.replicationCuts.delete(key);
  }

  private restoreConfig(record: RunRecord, topic: string, name: string): void {
    const key = `${topic}\u0000${name}`;
    const saved = record.configs.get(key);
    if (saved === undefined) return;
    this.alterTopicConfig(topic, name, saved.previous);
    record.configs.delete(key);
  }

  /** Sets (or, with null, removes) a topic config override, on the timeline as a config change. */
  private alterTopicConfig(topic: string, name: string, value: string | null): void {
    if (value === null) this.options.cluster.alterTopicConfigs(topic, {}, [name]);
    else this.options.cluster.alterTopicConfigs(topic, { [name]: value }, []);
    this.options.timeline.add({
      atMs: this.nowMs(),
      kind: 'config',
      severity: 'info',
      code: 'preset.config',
      params: { topic, name, value },
      text: value === null ? `${topic}: ${name} back to its default` : `${topic}: ${name}=${value}`,
    });
  }

  private nowMs(): number {
    return this.options.clock.nowMs();
  }
}

/** What an active fault blocks: at most one active fault per key. */
function conflictKey(target: FaultTarget): string {
  switch (target.kind) {
    case 'broker-crash':
    case 'broker-stop':
    case 'broker-power-loss':
    case 'broker-pause':
      return `broker-process:${target.brokerId}`;
    case 'broker-isolate':
      return `broker-isolate:${target.brokerId}`;
    case 'link-cut':
    case 'link-slow':
      return `${target.kind}:${Math.min(target.from, target.to)}-${Math.max(target.from, target.to)}`;
    case 'disk-slow':
    case 'disk-full':
    case 'disk-lying':
      return `${target.kind}:${target.brokerId}`;
    case 'quorum-majority-lost':
      return 'quorum';
    case 'client-crash':
    case 'client-pause':
      return `client-process:${target.clientId}`;
    case 'client-slow':
    case 'client-clock-skew':
      return `${target.kind}:${target.clientId}`;
  }
}

function conflictSubject(target: FaultTarget): string {
  switch (target.kind) {
    case 'link-cut':
    case 'link-slow':
      return `The link between brokers ${target.from} and ${target.to}`;
    case 'disk-slow':
    case 'disk-full':
    case 'disk-lying':
      return `Broker ${target.brokerId}'s disk`;
    case 'quorum-majority-lost':
      return 'The metadata quorum';
    case 'client-crash':
    case 'client-pause':
    case 'client-slow':
    case 'client-clock-skew':
      return `Client ${target.clientId}`;
    default:
      return `Broker ${target.brokerId}`;
  }
}

function requireRunning(client: ClientControl): void {
  const state = client.state();
  if (state !== 'running') throw invalid(`Client ${client.clientId} is not running (it is ${state}).`);
}

/** The link's baseline with the faults on it: cut if any cuts it, latency and loss added on top. */
function withEffect(baseline: LinkSettings, effect: LinkEffect): LinkSettings {
  return {
    up: baseline.up && !effect.cut,
    latencyMs: Math.min(limits.linkLatencyMaxMs, baseline.latencyMs + effect.addedLatencyMs),
    lossRate: 1 - (1 - baseline.lossRate) * effect.survival,
  };
}

/** The target's fields as timeline parameters. */
function targetParams(target: FaultTarget): Params {
  return { ...target } as Params;
}

function statusOf(record: FaultRecord): FaultStatus {
  return {
    faultId: record.faultId,
    target: record.target,
    state: record.state,
    description: record.description,
    presetRunId: record.presetRunId,
    startsAtMs: record.startsAtMs,
    endsAtMs: record.endsAtMs,
    startedAtMs: record.startedAtMs,
    endedAtMs: record.endedAtMs,
    error: record.error,
  };
}

function runOf(record: RunRecord): PresetRun {
  return { ...record.run, steps: record.run.steps.map((s) => ({ ...s })) };
}

function invalid(message: string): KafkaError {
  return new KafkaError('INVALID_REQUEST', message);
}
