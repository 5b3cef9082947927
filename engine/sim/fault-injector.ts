/**
 * Random faults drawn from the seed and applied to the cluster in virtual time: broker crash and
 * restart, controlled stop and start, power loss of one broker's disk (crash, then the disk reverts
 * to what was synced), a cut link between two brokers, latency on a link, an isolated broker. Each
 * fault heals after a drawn duration; at the end of the fault phase everything still active heals.
 *
 * It also keeps the failure count the invariants are conditioned on: a broker counts as failed
 * while it is down, isolated, or missing from the ISR of a partition it replicates; a cut link
 * counts once unless one of its ends already counts. RF − min.insync.replicas is the budget.
 *
 * Invariants: at most one fault per broker of the same class (down / isolated) and one per link at
 * a time; serial seeds start a failing fault only when nothing has failed; overlapping seeds start
 * one only when at most one thing has failed; at most `simLimits.faultsPerRunMax` faults per run;
 * the links between brokers always equal what the active faults say (recomputed on each change);
 * an isolated broker is cut from every node, clients included, until its isolation heals.
 */
import type { Cluster } from '../cluster/cluster.js';
import { NO_LEADER } from '../cluster/messages.js';
import { isKafkaError } from '../core/kafka-errors.js';
import type { Prng } from '../core/prng.js';
import type { Scheduler } from '../core/scheduler.js';
import type { TimerHandle } from '../core/timers.js';
import type { FaultyDisk } from '../storage/disk/faulty-disk.js';
import type { EventTrace } from './event-trace.js';
import { simLimits } from './sim-limits.js';

export const FAULT_KINDS = ['crash', 'stop', 'power-loss', 'link-cut', 'latency', 'isolate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Draw weights of the kinds, in FAULT_KINDS order (out of 100). */
const KIND_WEIGHTS = [20, 15, 15, 20, 15, 15];
const DOWN_KINDS: ReadonlySet<FaultKind> = new Set(['crash', 'stop', 'power-loss']);

interface ActiveFault {
  readonly id: number;
  readonly kind: FaultKind;
  readonly brokers: readonly number[];
  readonly latencyMs: number;
  readonly heal: TimerHandle;
}

export interface FaultInjectorOptions {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly prng: Prng;
  readonly disks: readonly FaultyDisk[];
  readonly trace: EventTrace;
  readonly overlapping: boolean;
  /** RF − min.insync.replicas: how many failures the configuration promises to survive. */
  readonly failureBudget: number;
  readonly baseLatencyMs: number;
  /** Told about each power loss, so checkers can excuse that broker's shortened log until it catches up. */
  readonly onPowerLoss: (brokerId: number) => void;
}

export class FaultInjector {
  readonly injected: Record<FaultKind, number> = { crash: 0, stop: 0, 'power-loss': 0, 'link-cut': 0, latency: 0, isolate: 0 };
  /** Faults drawn but not applied (the cluster refused, e.g. a controlled stop with no controller). */
  refused = 0;
  maxFailedAtOnce = 0;
  /** When the failure count first went above the budget, or null. */
  budgetExceededAtMs: number | null = null;
  private readonly active: ActiveFault[] = [];
  private nextId = 1;
  private phaseEndMs = 0;
  private timer: TimerHandle | null = null;

  constructor(private readonly options: FaultInjectorOptions) {}

  start(phaseEndMs: number): void {
    this.phaseEndMs = phaseEndMs;
    this.scheduleNext(this.drawGapMs());
  }

  /** Heals every active fault now (end of the fault phase). */
  healAll(): void {
    this.timer?.cancel();
    this.timer = null;
    // Bounded: each pass removes one fault.
    for (let i = this.active.length - 1; i >= 0; i--) {
      const fault = this.active[i]!;
      fault.heal.cancel();
      this.heal(fault);
    }
  }

  totalInjected(): number {
    return FAULT_KINDS.reduce((sum, kind) => sum + this.injected[kind], 0);
  }

  /** Brokers counted as failed now, plus cut links between brokers that are not. Updates the maximum seen. */
  failedNow(): number {
    const { cluster } = this.options;
    const failed = new Set<number>();
    for (const fault of this.active) if (DOWN_KINDS.has(fault.kind) || fault.kind === 'isolate') failed.add(fault.brokers[0]!);
    for (const topic of cluster.allTopics()) {
      for (const p of topic.partitions) for (const id of p.replicas) if (!p.isr.includes(id) || p.leader === NO_LEADER) failed.add(id);
    }
    let count = failed.size;
    for (const fault of this.active) if (fault.kind === 'link-cut' && !fault.brokers.some((b) => failed.has(b))) count += 1;
    this.maxFailedAtOnce = Math.max(this.maxFailedAtOnce, count);
    if (count > this.options.failureBudget && this.budgetExceededAtMs === null) {
      this.budgetExceededAtMs = this.options.scheduler.nowMs();
      this.options.trace.append(this.budgetExceededAtMs, 'budget', `${count} failed at once > RF - min.insync.replicas = ${this.options.failureBudget}`);
    }
    return count;
  }

  private scheduleNext(delayMs: number): void {
    const { scheduler } = this.options;
    if (scheduler.nowMs() + delayMs >= this.phaseEndMs || this.totalInjected() >= simLimits.faultsPerRunMax) return;
    this.timer = scheduler.after(delayMs, () => {
      this.timer = null;
      this.scheduleNext(this.tryInject() ? this.drawGapMs() : simLimits.faultRetryMs);
    });
  }

  /** Draws one fault and applies it; false when it cannot start now (then it is drawn again later). */
  private tryInject(): boolean {
    const kind = this.drawKind();
    if (kind !== 'latency' && this.failedNow() > (this.options.overlapping ? 1 : 0)) return false;
    const brokers = this.drawTargets(kind);
    if (brokers === null) return false;
    const latencyMs = kind === 'latency' ? 20 + this.options.prng.nextInt(simLimits.latencyFaultMsMax - 19) : 0;
    const durationMs = this.drawDurationMs(kind);
    try {
      this.apply(kind, brokers[0]!);
    } catch (error) {
      if (!isKafkaError(error)) throw error;
      this.refused += 1;
      this.options.trace.append(this.options.scheduler.nowMs(), 'fault-refused', `${kind} ${brokers.join('-')}: ${error.errorName}`);
      return false;
    }
    const id = this.nextId++;
    const heal = this.options.scheduler.after(durationMs, () => this.heal(fault));
    const fault: ActiveFault = { id, kind, brokers, latencyMs, heal };
    this.active.push(fault);
    this.injected[kind] += 1;
    this.applyLinks();
    const what = kind === 'latency' ? `${brokers.join('<->')} +${latencyMs}ms` : brokers.join(kind === 'link-cut' ? '<->' : ',');
    this.options.trace.append(this.options.scheduler.nowMs(), 'fault', `#${id} ${kind} ${what} for ${durationMs}ms`);
    this.failedNow();
    return true;
  }

  private apply(kind: FaultKind, broker: number): void {
    const { cluster, disks } = this.options;
    if (kind === 'crash') cluster.killBroker(broker);
    else if (kind === 'stop') cluster.stopBroker(broker);
    else if (kind === 'isolate') cluster.network.isolate(broker, true);
    else if (kind === 'power-loss') {
      cluster.killBroker(broker);
      const disk = disks[broker - 1]!;
      disk.powerLoss();
      disk.restart();
      this.options.onPowerLoss(broker);
    }
    // Cuts and latency between brokers take effect through applyLinks once the fault is recorded.
  }

  private heal(fault: ActiveFault): void {
    const index = this.active.indexOf(fault);
    if (index < 0) return;
    this.active.splice(index, 1);
    if (DOWN_KINDS.has(fault.kind)) this.options.cluster.restartBroker(fault.brokers[0]!);
    // Reconnects the broker to every node (clients too); applyLinks then re-cuts what other faults still cut.
    if (fault.kind === 'isolate') this.options.cluster.network.isolate(fault.brokers[0]!, false);
    this.applyLinks();
    this.options.trace.append(this.options.scheduler.nowMs(), 'heal', `#${fault.id} ${fault.kind} ${fault.brokers.join(',')}`);
  }

  /**
   * Sets every link between two brokers to what the active faults say: down if cut or either end
   * isolated, with the largest added latency. (Links to clients change only with isolation.)
   */
  private applyLinks(): void {
    const { cluster, baseLatencyMs } = this.options;
    const nodes = cluster.brokers.map((b) => b.id);
    const isolated = new Set(this.active.filter((f) => f.kind === 'isolate').map((f) => f.brokers[0]!));
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i]!;
        const b = nodes[j]!;
        const onPair = (f: ActiveFault): boolean => f.brokers.length === 2 && f.brokers.includes(a) && f.brokers.includes(b);
        const cut = this.active.some((f) => f.kind === 'link-cut' && onPair(f));
        const up = !cut && !isolated.has(a) && !isolated.has(b);
        const latencyMs = this.active.filter((f) => f.kind === 'latency' && onPair(f)).reduce((max, f) => Math.max(max, f.latencyMs), baseLatencyMs);
        cluster.network.setLink(a, b, { up, latencyMs }, true);
      }
    }
  }

  private drawKind(): FaultKind {
    let roll = this.options.prng.nextInt(100);
    for (let i = 0; i < FAULT_KINDS.length; i++) {
      roll -= KIND_WEIGHTS[i]!;
      if (roll < 0) return FAULT_KINDS[i]!;
    }
    return FAULT_KINDS[FAULT_KINDS.length - 1]!;
  }

  /** The broker (or the pair) a fault hits, or null when no target is free for this kind. */
  private drawTargets(kind: FaultKind): number[] | null {
    const { cluster, prng } = this.options;
    const ids = cluster.brokers.map((b) => b.id);
    if (kind === 'link-cut' || kind === 'latency') {
      const pairs: number[][] = [];
      for (const a of ids) for (const b of ids) if (a < b && !this.active.some((f) => f.kind === kind && f.brokers[0] === a && f.brokers[1] === b)) pairs.push([a, b]);
      return pairs.length === 0 ? null : pairs[prng.nextInt(pairs.length)]!;
    }
    const busy = new Set(this.active.filter((f) => DOWN_KINDS.has(f.kind) || f.kind === 'isolate').map((f) => f.brokers[0]!));
    const free = ids.filter((id) => !busy.has(id) && cluster.broker(id).state === 'running');
    return free.length === 0 ? null : [free[prng.nextInt(free.length)]!];
  }

  private drawDurationMs(kind: FaultKind): number {
    const { prng } = this.options;
    if (DOWN_KINDS.has(kind)) return simLimits.downtimeMsMin + prng.nextInt(simLimits.downtimeMsMax - simLimits.downtimeMsMin + 1);
    if (kind === 'latency') return 5_000 + prng.nextInt(25_001);
    return simLimits.partitionMsMin + prng.nextInt(simLimits.partitionMsMax - simLimits.partitionMsMin + 1);
  }

  private drawGapMs(): number {
    return simLimits.faultGapMsMin + this.options.prng.nextInt(simLimits.faultGapMsMax - simLimits.faultGapMsMin + 1);
  }
}
