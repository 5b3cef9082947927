/**
 * One deterministic simulation run: a cluster on per-broker faulty disks, in virtual time, a keyed
 * workload of acks=all and acks=1 records, random faults drawn from the seed, and the invariant
 * checkers evaluated every `simLimits.checkIntervalMs`. After the fault phase every fault heals,
 * the cluster converges, and acks=all durability is checked against what is readable.
 *
 * Determinism: the cluster, the workload and the faults each draw from their own stream seeded by
 * the run's seed; everything else is ordered by the scheduler (due time, then scheduling order) and
 * by microtask order, which the same code repeats. The trace's hash fingerprints the run.
 *
 * Invariants: a run is bounded in virtual time (fault phase + `simLimits.convergeMsMax`) and in
 * events (the scheduler's own bound); it ends with a result, never a hang; a violated invariant
 * stops it at once and the result names the invariant, the seed, the time, the trace tail and the
 * command that replays it.
 */
import { Cluster, type ClusterEvent } from '../cluster/cluster.js';
import { assertFailed } from '../core/assert.js';
import { limits } from '../core/limits.js';
import { SeededPrng } from '../core/prng.js';
import { Scheduler } from '../core/scheduler.js';
import { FaultyDisk } from '../storage/disk/faulty-disk.js';
import { MemoryDisk } from '../storage/disk/memory-disk.js';
import { EventTrace } from './event-trace.js';
import { FaultInjector, type FaultKind } from './fault-injector.js';
import { INVARIANT_NAMES, InvariantChecker, InvariantViolation, type InvariantId } from './invariants.js';
import { SIM_START_MS, drawProfile, validateSimOptions, type SimOptions, type SimProfile } from './sim-config.js';
import { simLimits } from './sim-limits.js';
import { Workload, type AckedRecord, type SimAcks } from './workload.js';
import { RebalanceTimeline } from '../metrics/rebalance-timeline.js';
import { GroupInvariants } from './group-invariants.js';
import { GroupWorkload, SIM_GROUP_ID, type GroupProfile } from './group-workload.js';

/** Link latency of the healthy network, in ms (the cluster's default). */
const BASE_LATENCY_MS = 1;
/** Kafka's replica.high.watermark.checkpoint.interval.ms, as the workbench schedules it. */
const CHECKPOINT_INTERVAL_MS = 5_000;
/** Time the brokers get to register and receive metadata before topics are created. */
const BOOT_MS = 100;

export interface SimViolation {
  readonly invariant: InvariantId | 'engine-error';
  readonly name: string;
  readonly detail: string;
  /** Virtual ms since the run started. */
  readonly atMs: number;
  readonly traceTail: readonly string[];
  readonly replay: string;
}

export interface SimResult {
  readonly seed: number;
  readonly profile: SimProfile;
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly faultsRefused: number;
  readonly maxFailedAtOnce: number;
  readonly budgetExceeded: boolean;
  readonly sent: Readonly<Record<SimAcks, number>>;
  readonly acked: Readonly<Record<SimAcks, number>>;
  readonly failures: Readonly<Record<string, number>>;
  readonly reportedLosses: Readonly<Record<string, number>>;
  readonly verifiedLosses: Readonly<Record<string, number>>;
  readonly permittedDivergences: Readonly<Record<string, number>>;
  readonly falseLossAlarms: number;
  readonly checks: Readonly<Record<InvariantId, number>>;
  /** The consumer group's side: its drawn profile, what it processed, its rebalances and faults. */
  readonly group: {
    readonly profile: GroupProfile;
    readonly recordsProcessed: number;
    readonly redeliveries: number;
    readonly rebalances: number;
    readonly consumerFaults: { readonly crash: number; readonly close: number };
    readonly permittedRewinds: Readonly<Record<string, number>>;
  };
  /** Null when the cluster converged after healing; otherwise what was still wrong. */
  readonly notConverged: string | null;
  readonly traceLines: number;
  readonly traceHash: string;
  /** Virtual ms the run covered. */
  readonly virtualMs: number;
  readonly violation: SimViolation | null;
}

/** What a test may do to a freshly built cluster before the run starts (inject a bug, watch events). */
export interface SimHooks {
  readonly onClusterReady?: (context: { cluster: Cluster; scheduler: Scheduler; disks: readonly FaultyDisk[] }) => void;
}

export function replayCommand(seed: number): string {
  return `kafka-lab sim --seed ${seed}`;
}

export async function runSimulation(options: SimOptions, hooks: SimHooks = {}): Promise<SimResult> {
  validateSimOptions(options);
  const run = new SimulationRun(options, hooks);
  return run.execute();
}

class SimulationRun {
  private readonly scheduler = new Scheduler(SIM_START_MS);
  private readonly trace = new EventTrace(SIM_START_MS);
  private readonly profile: SimProfile;
  private readonly disks: FaultyDisk[];
  private readonly cluster: Cluster;
  private readonly faults: FaultInjector;
  private readonly checker: InvariantChecker;
  private readonly workload: Workload;
  private readonly timeline = new RebalanceTimeline();
  private readonly group: GroupWorkload;
  private readonly groupInvariants: GroupInvariants;
  /** A violation or engine error raised outside the run loop (in a promise reaction), rethrown by it. */
  private failure: unknown = null;
  private notConverged: string | null = null;

  constructor(
    private readonly options: SimOptions,
    private readonly hooks: SimHooks,
  ) {
    const { seed } = options;
    this.profile = drawProfile(options);
    this.disks = Array.from({ length: options.brokerCount }, () => new FaultyDisk(new MemoryDisk()));
    this.cluster = new Cluster({
      brokerCount: options.brokerCount,
      clock: this.scheduler,
      timers: this.scheduler,
      prng: new SeededPrng(seed),
      disk: new MemoryDisk(),
      brokerDisk: (id) => this.disks[id - 1]!,
      dataDir: '/sim',
      linkLatencyMs: BASE_LATENCY_MS,
    });
    this.faults = new FaultInjector({
      cluster: this.cluster,
      scheduler: this.scheduler,
      prng: new SeededPrng((seed ^ 0x6a09e667) >>> 0),
      disks: this.disks,
      trace: this.trace,
      overlapping: this.profile.overlappingFaults,
      failureBudget: options.replicationFactor - options.minInsyncReplicas,
      baseLatencyMs: BASE_LATENCY_MS,
      onPowerLoss: (id) => this.checker.onPowerLoss(id),
    });
    this.checker = new InvariantChecker(this.cluster, options.topics, this.faults, this.trace);
    this.workload = new Workload({
      cluster: this.cluster,
      scheduler: this.scheduler,
      prng: new SeededPrng((seed ^ 0x3c6ef372) >>> 0),
      topics: options.topics,
      recordsPerSecond: options.recordsPerSecond,
      acksAllShare: this.profile.acksAllShare,
      producers: 2,
      onAck: (record) => this.onAck(record),
      onFailure: (id, acks, error) => this.trace.append(this.scheduler.nowMs(), 'nack', `${id} acks=${acks} ${error}`),
      onEngineError: (error) => {
        this.failure ??= error;
      },
    });
    this.group = new GroupWorkload({
      cluster: this.cluster,
      scheduler: this.scheduler,
      prng: new SeededPrng((seed ^ 0x510e527f) >>> 0),
      topics: options.topics,
      trace: this.trace,
      timeline: this.timeline,
    });
    this.groupInvariants = new GroupInvariants(this.cluster, this.checker, options.topics);
  }

  async execute(): Promise<SimResult> {
    let violation: SimViolation | null = null;
    try {
      await this.runPhases();
    } catch (error) {
      violation = this.violationOf(error);
    }
    return this.result(violation);
  }

  private async runPhases(): Promise<void> {
    this.cluster.onEvent((event) => this.onClusterEvent(event));
    this.hooks.onClusterReady?.({ cluster: this.cluster, scheduler: this.scheduler, disks: this.disks });
    this.scheduler.runUntil(this.scheduler.nowMs() + BOOT_MS);
    // __consumer_offsets gets the protection the sim topics have (it uses the broker default), and
    // fewer partitions than Kafka's 50 so a thousand seeds stay fast; both are Kafka broker configs.
    this.cluster.alterBrokerConfigs({ 'min.insync.replicas': String(this.options.minInsyncReplicas), 'offsets.topic.num.partitions': '5' }, []);
    this.createTopics();
    this.scheduleCheckpoints();
    const phaseEndMs = this.scheduler.nowMs() + this.options.faultPhaseMs;
    this.workload.start(phaseEndMs);
    this.group.start(this.options.faults ? phaseEndMs : this.scheduler.nowMs());
    if (this.options.faults) this.faults.start(phaseEndMs);
    await this.runCheckedUntil(phaseEndMs, () => false);
    this.faults.healAll();
    this.trace.append(this.scheduler.nowMs(), 'phase', 'faults healed, producers stopped; converging');
    const convergeEndMs = this.scheduler.nowMs() + simLimits.convergeMsMax;
    const converged = await this.runCheckedUntil(convergeEndMs, () => this.workload.inFlight === 0 && this.convergenceProblem() === null);
    if (!converged) this.notConverged = this.convergenceProblem() ?? `${this.workload.inFlight} produce request(s) still unanswered`;
    this.checker.check(true);
    this.checker.checkDurability(this.notConverged === null ? null : `the cluster did not converge: ${this.notConverged}`);
    this.group.stopAll();
    if (this.notConverged === null) this.groupInvariants.checkConsumed(this.group.consumed);
    this.trace.append(this.scheduler.nowMs(), 'end', this.notConverged === null ? 'converged' : `not converged: ${this.notConverged}`);
  }

  /** Runs in check-interval steps until `untilMs` or until `done()`; true when `done()` ended it. */
  private async runCheckedUntil(untilMs: number, done: () => boolean): Promise<boolean> {
    let lastFullScanMs = this.scheduler.nowMs();
    // Bounded: each step advances virtual time by checkIntervalMs until untilMs.
    while (this.scheduler.nowMs() < untilMs) {
      await this.runEventsUntil(Math.min(untilMs, this.scheduler.nowMs() + simLimits.checkIntervalMs));
      if (this.failure !== null) throw this.failure;
      const fullScan = this.scheduler.nowMs() - lastFullScanMs >= simLimits.fullScanIntervalMs;
      if (fullScan) lastFullScanMs = this.scheduler.nowMs();
      this.faults.failedNow();
      this.checker.check(fullScan);
      this.groupInvariants.checkOwnership(this.group);
      if (done()) return true;
    }
    return false;
  }

  /**
   * Fires every timer due by `targetMs`, one at a time, letting promise reactions run after each:
   * the in-app producer continues from its timers through promises (a retry after its backoff, an
   * answer), and must do so at the virtual time the timer fired, not at the end of the step.
   */
  private async runEventsUntil(targetMs: number): Promise<void> {
    let fired = 0;
    for (let due = this.scheduler.nextDueMs(); due !== null && due <= targetMs; due = this.scheduler.nextDueMs()) {
      if (!(++fired <= limits.eventsPerRunMax)) assertFailed(`more than ${limits.eventsPerRunMax} events before ${targetMs}: a timer keeps rescheduling itself at no delay`);
      this.scheduler.step();
      // Only produce requests continue through promises; with none in flight there is nothing to let run.
      if (this.workload.inFlight > 0) await settleMicrotasks();
      if (this.failure !== null) return;
    }
    this.scheduler.runUntil(targetMs);
  }

  private createTopics(): void {
    const { options, profile } = this;
    for (const topic of options.topics) {
      const configs: Record<string, string> = { 'min.insync.replicas': String(options.minInsyncReplicas) };
      if (profile.uncleanTopic === topic.name) configs['unclean.leader.election.enable'] = 'true';
      this.cluster.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: options.replicationFactor, configs });
    }
    this.scheduler.runUntil(this.scheduler.nowMs() + BOOT_MS);
  }

  private scheduleCheckpoints(): void {
    this.scheduler.after(CHECKPOINT_INTERVAL_MS, () => {
      this.cluster.checkpoint();
      this.scheduleCheckpoints();
    });
  }

  /** What still keeps the cluster from having converged, or null. */
  private convergenceProblem(): string | null {
    for (const broker of this.cluster.brokers) if (broker.state !== 'running') return `broker ${broker.id} is down`;
    for (const topic of this.options.topics) {
      for (let p = 0; p < topic.partitions; p++) {
        const registration = this.cluster.partition(topic.name, p);
        if (registration.leader < 0) return `${topic.name}-${p} has no leader`;
        if (registration.isr.length !== registration.replicas.length) return `${topic.name}-${p} has ISR [${registration.isr.join(',')}] of replicas [${registration.replicas.join(',')}]`;
        const { logEndOffset, highWatermark } = this.cluster.offsets(topic.name, p);
        if (highWatermark !== logEndOffset) return `${topic.name}-${p} has high watermark ${highWatermark} below log end ${logEndOffset}`;
        const lagging = this.cluster.replicaOffsets(topic.name, p).find((r) => r.logEndOffset !== logEndOffset);
        if (lagging !== undefined) return `${topic.name}-${p} replica ${lagging.brokerId} is at ${String(lagging.logEndOffset)} of ${logEndOffset}`;
      }
    }
    return null;
  }

  private onClusterEvent(event: ClusterEvent): void {
    const line = traceLineOf(event);
    if (line !== null) this.trace.append(this.scheduler.nowMs(), event.type, line);
    this.checker.onEvent(event);
    if (event.type === 'group' && 'groupId' in event.event) {
      this.timeline.onCoordinatorEvent(event.event);
      try {
        this.groupInvariants.onCoordinatorEvent(event.event);
      } catch (error) {
        // Raised inside the coordinator's turn: the run loop stops on it.
        this.failure ??= error;
      }
    }
  }

  private onAck(record: AckedRecord): void {
    this.trace.append(this.scheduler.nowMs(), 'ack', `${record.id} acks=${record.acks} ${record.topic}-${record.partition}@${record.offset}`);
    try {
      this.checker.onAck(record);
    } catch (error) {
      // Called from a promise reaction: keep the failure for the run loop, which stops on it.
      this.failure ??= error;
    }
  }

  private violationOf(error: unknown): SimViolation {
    const atMs = this.scheduler.nowMs() - SIM_START_MS;
    const replay = replayCommand(this.options.seed);
    if (error instanceof InvariantViolation) {
      this.trace.append(this.scheduler.nowMs(), 'violation', error.message);
      return { invariant: error.invariant, name: INVARIANT_NAMES[error.invariant], detail: error.detail, atMs, traceTail: this.trace.tail(), replay };
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.trace.append(this.scheduler.nowMs(), 'engine-error', detail);
    return { invariant: 'engine-error', name: 'the engine threw (not an invariant: the run could not continue)', detail, atMs, traceTail: this.trace.tail(), replay };
  }

  private result(violation: SimViolation | null): SimResult {
    const { checker, faults, workload } = this;
    return {
      seed: this.options.seed,
      profile: this.profile,
      faults: { ...faults.injected },
      faultsRefused: faults.refused,
      maxFailedAtOnce: faults.maxFailedAtOnce,
      budgetExceeded: faults.budgetExceededAtMs !== null,
      sent: { ...workload.sent },
      acked: { ...workload.acked },
      failures: Object.fromEntries(workload.failures),
      reportedLosses: Object.fromEntries(checker.reportedLosses),
      verifiedLosses: Object.fromEntries(checker.verifiedLosses),
      permittedDivergences: Object.fromEntries(checker.permittedDivergences),
      falseLossAlarms: checker.falseLossAlarms,
      checks: { ...checker.checks },
      group: {
        profile: this.group.profile,
        recordsProcessed: this.group.consumed.length,
        redeliveries: this.groupInvariants.redeliveries,
        rebalances: this.timeline.history(SIM_GROUP_ID).length,
        consumerFaults: { ...this.group.faults },
        permittedRewinds: Object.fromEntries(this.groupInvariants.permittedRewinds),
      },
      notConverged: this.notConverged,
      traceLines: this.trace.lines,
      traceHash: this.trace.hashHex(),
      virtualMs: this.scheduler.nowMs() - SIM_START_MS,
      violation,
    };
  }
}

/** The trace line of a cluster event (null for events the trace leaves out). */
function traceLineOf(event: ClusterEvent): string | null {
  switch (event.type) {
    case 'leader-elected':
      return `${event.topic}-${event.partition} leader ${event.leader} epoch ${event.leaderEpoch}${event.unclean ? ' UNCLEAN' : ''}`;
    case 'isr-changed':
      return `${event.topic}-${event.partition} isr [${event.isr.join(',')}] was [${event.previousIsr.join(',')}]`;
    case 'truncated':
      return `broker ${event.brokerId} ${event.topic}-${event.partition} ${event.fromOffset}->${event.toOffset}`;
    case 'data-loss':
      return `${event.topic}-${event.partition} offsets ${event.firstOffset}-${event.lastOffset} acks=${event.acks} broker ${event.brokerId}`;
    case 'partition-offline':
      return `${event.topic}-${event.partition}`;
    case 'broker-fenced':
      return `broker ${event.brokerId}: ${event.reason}`;
    case 'broker-unfenced':
      return `broker ${event.brokerId}`;
    case 'controller-changed':
      return `controller ${String(event.controllerId)}`;
    case 'broker-started':
      return `broker ${event.brokerId} clean=${event.hadCleanShutdown} truncatedBytes=${event.bytesTruncated}`;
    case 'broker-stopped':
      return `broker ${event.brokerId} ${event.how}`;
    case 'group':
      return groupTraceLine(event.event);
    default:
      return null;
  }
}

/** The trace line of a coordinator event: rebalances and their outcome (commits are too many to trace). */
function groupTraceLine(event: Extract<ClusterEvent, { type: 'group' }>['event']): string | null {
  switch (event.type) {
    case 'rebalance-started':
      return `${event.groupId} rebalance (${event.cause}) from generation ${event.generationId}`;
    case 'sync-completed':
      return `${event.groupId} generation ${event.generationId} stable with ${event.assignments.length} member(s)`;
    case 'member-removed':
      return `${event.groupId} removed ${event.memberId} (${event.reason})`;
    case 'group-loaded':
      return `${event.groupId} loaded in ${event.state} at generation ${event.generationId}`;
    default:
      return null;
  }
}

/** Lets promise callbacks queued by timer callbacks (produce answers) run before the checks. */
async function settleMicrotasks(): Promise<void> {
  // A few turns: the answer resolves the cluster's promise, whose reaction is the workload's.
  for (let turn = 0; turn < 4; turn++) await Promise.resolve();
}
