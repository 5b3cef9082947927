/**
 * The invariant checkers of a simulation run, evaluated every `simLimits.checkIntervalMs` of virtual
 * time (and at the end), plus on every cluster event and acknowledgement:
 *
 * 1. acks=all durability — nothing acknowledged with acks=all is lost while at most
 *    RF − min.insync.replicas replicas have failed at once and unclean election is off. Checked at
 *    the end, after healing and convergence: every such record is readable at its offset with its
 *    value.
 * 2. replica agreement — no offset holds two different records on two replicas once it is below
 *    both replicas' high watermarks.
 * 3. high watermark — on the leader of an epoch (one broker incarnation) it never goes backwards,
 *    and it never passes the log end offset of an ISR member. Sampled only when the leader has
 *    applied the controller's latest metadata, so it knows it leads.
 * 4. one leader per epoch — the controller never names two leaders for one (partition, epoch), and
 *    no two replicas hold different records at one offset under the same leader epoch (only one
 *    leader writes in an epoch, and it never rewrites an offset).
 *
 * Losses the configuration permits (acks=1 on failover, unclean elections, more failures than the
 * budget with a power loss among them) are counted with their reason, not flagged. A violation
 * throws `InvariantViolation`.
 */
import type { Cluster, ClusterEvent } from '../cluster/cluster.js';
import { NO_LEADER } from '../cluster/messages.js';
import { decodeRecordBatches } from '../storage/record-batch.js';
import type { EventTrace } from './event-trace.js';
import type { FaultInjector } from './fault-injector.js';
import { ReplicaViews, type ReplicaView } from './replica-views.js';
import type { SimTopic } from './sim-config.js';
import type { AckedRecord } from './workload.js';

export type InvariantId = 1 | 2 | 3 | 4 | 5 | 6;

export const INVARIANT_NAMES: Record<InvariantId, string> = {
  1: 'invariant 1 (acks=all durability)',
  2: 'invariant 2 (replicas agree below the high watermark)',
  3: 'invariant 3 (high watermark monotonic on the leader, never past an ISR member)',
  4: 'invariant 4 (at most one leader per epoch)',
  5: 'invariant 5 (within one generation no partition is owned by two members)',
  6: 'invariant 6 (committed offsets never pass the high watermark and never go backwards; consumers read only committed records)',
};

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: InvariantId,
    readonly atMs: number,
    readonly detail: string,
  ) {
    super(`${INVARIANT_NAMES[invariant]} violated: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

export interface LossTally {
  /** Lost records (or reported ranges) by reason. */
  readonly byReason: Map<string, number>;
}

interface HwSample {
  readonly epoch: number;
  readonly leader: number;
  readonly incarnation: number;
  readonly hw: number;
}

const utf8 = new TextDecoder();

export class InvariantChecker {
  /** Evaluations made, per invariant (one partition, pair or record at a time). */
  readonly checks: Record<InvariantId, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 };
  /** 'data-loss' events the cluster reported, by acks and reason. */
  readonly reportedLosses = new Map<string, number>();
  /** Records found missing at the end, by acks and reason. */
  readonly verifiedLosses = new Map<string, number>();
  /** Divergences the configuration permits (unclean election, over budget), counted once each. */
  readonly permittedDivergences = new Map<string, number>();
  /** acks=all data-loss reports without a permitted reason whose records all survived (false alarms). */
  falseLossAlarms = 0;
  private readonly views: ReplicaViews;
  private readonly ackedAll: AckedRecord[] = [];
  private readonly acked1: AckedRecord[] = [];
  private readonly unexplainedReports: { topic: string; partition: number; first: number; last: number }[] = [];
  private readonly uncleanEpochs = new Map<string, number[]>();
  private readonly epochLeaders = new Map<string, number>();
  private readonly hwSamples = new Map<string, HwSample>();
  private readonly incarnations = new Map<number, number>();
  private readonly powerLossTaint = new Set<string>();
  private readonly pairVerified = new Map<string, number>();
  private readonly divergenceSeen = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly topics: readonly SimTopic[],
    private readonly faults: FaultInjector,
    private readonly trace: EventTrace,
  ) {
    this.views = new ReplicaViews(cluster);
    this.views.onCut = (brokerId, topic, partition, toOffset) => this.forgetPairsPast(brokerId, `${topic}-${partition}`, toOffset);
  }

  // ---- inputs ----------------------------------------------------------------------------------

  onEvent(event: ClusterEvent): void {
    const now = this.cluster.nowMs();
    if (event.type === 'leader-elected') {
      this.noteLeader(event.topic, event.partition, event.leaderEpoch, event.leader, 'the controller elected it', now);
      if (event.unclean) this.uncleanEpochs.set(`${event.topic}-${event.partition}`, [...(this.uncleanEpochs.get(`${event.topic}-${event.partition}`) ?? []), event.leaderEpoch]);
    } else if (event.type === 'broker-started') {
      this.incarnations.set(event.brokerId, (this.incarnations.get(event.brokerId) ?? 0) + 1);
    } else if (event.type === 'truncated') {
      this.views.cut(event.brokerId, event.topic, event.partition, event.toOffset);
    } else if (event.type === 'data-loss') {
      this.onDataLoss(event);
    }
  }

  onPowerLoss(brokerId: number): void {
    for (const topic of this.topics) for (let p = 0; p < topic.partitions; p++) this.powerLossTaint.add(`${brokerId}/${topic.name}-${p}`);
  }

  /** An acknowledgement, kept for invariant 1. */
  onAck(record: AckedRecord): void {
    (record.acks === 'all' ? this.ackedAll : this.acked1).push(record);
  }

  // ---- the periodic check ------------------------------------------------------------------------

  /** Invariants 2, 3 and 4 over every partition, as the cluster is now. */
  check(fullScan: boolean): void {
    if (fullScan) this.views.reset();
    const controllerOffset = this.cluster.controller.image().offset;
    for (const topic of this.topics) {
      for (let p = 0; p < topic.partitions; p++) {
        const registration = this.cluster.partition(topic.name, p);
        this.checks[4] += 1;
        if (registration.leader !== NO_LEADER) this.noteLeader(topic.name, p, registration.leaderEpoch, registration.leader, 'the controller registers it', this.cluster.nowMs());
        this.checkReplicaAgreement(topic.name, p, registration.replicas);
        this.checkHighWatermark(topic.name, p, controllerOffset);
      }
    }
  }

  // ---- invariant 1 -------------------------------------------------------------------------------

  /** At the end, after convergence: every acks=all record readable at its offset with its value. */
  checkDurability(convergenceNote: string | null): void {
    const contents = new Map<string, Map<number, string | null>>();
    for (const topic of this.topics) {
      for (let p = 0; p < topic.partitions; p++) contents.set(`${topic.name}-${p}`, this.readAll(topic.name, p));
    }
    const valueAt = (r: AckedRecord): string | null | undefined => contents.get(`${r.topic}-${r.partition}`)!.get(r.offset);
    for (const record of this.acked1) if (valueAt(record) !== record.id) this.countLoss(this.verifiedLosses, record, '1');
    for (const record of this.ackedAll) {
      this.checks[1] += 1;
      const found = valueAt(record);
      if (found === record.id) continue;
      const reason = this.permittedReason(record.topic, record.partition, 'all');
      if (reason === null) {
        const what = found === undefined ? 'nothing is readable there' : `offset ${record.offset} holds ${String(found)}`;
        throw new InvariantViolation(
          1,
          this.cluster.nowMs(),
          `${record.id} was acknowledged with acks=all at ${record.topic}-${record.partition} offset ${record.offset}, but after healing ${what}; ` +
            `at most ${this.faults.maxFailedAtOnce} replica(s) failed at once and no unclean election happened${convergenceNote === null ? '' : `; ${convergenceNote}`}`,
        );
      }
      this.countLoss(this.verifiedLosses, record, 'all');
    }
    this.countFalseAlarms(valueAt);
  }

  // ---- invariant 2 -------------------------------------------------------------------------------

  private checkReplicaAgreement(topic: string, partition: number, replicas: readonly number[]): void {
    const views: { view: ReplicaView; hw: number }[] = [];
    for (const id of replicas) {
      const view = this.views.view(id, topic, partition);
      if (view !== null) views.push({ view, hw: this.cluster.broker(id).highWatermark(topic, partition) ?? 0 });
    }
    for (let i = 0; i < views.length; i++) {
      for (let j = i + 1; j < views.length; j++) this.comparePair(topic, partition, views[i]!, views[j]!);
    }
  }

  /**
   * Walks the two logs' common prefix from where the pair was last seen to agree. Equal entries
   * are final. Different records below both high watermarks break invariant 2 (unless the
   * configuration permits it: an unclean election between the two epochs, or more failures than
   * the budget — never within one epoch). The same epoch with different records above a high
   * watermark means two writers in one epoch (invariant 4). Other differences above a high
   * watermark are divergences a follower will truncate, so the walk stops there for now.
   */
  private comparePair(topic: string, partition: number, a: { view: ReplicaView; hw: number }, b: { view: ReplicaView; hw: number }): void {
    const key = pairKey(`${topic}-${partition}`, a.view.brokerId, b.view.brokerId);
    const common = Math.min(a.view.crc.length, b.view.crc.length);
    const committed = Math.min(a.hw, b.hw);
    let offset = this.pairVerified.get(key) ?? 0;
    this.checks[2] += 1;
    // Bounded by the shorter log.
    for (; offset < common; offset++) {
      const [crcA, crcB] = [a.view.crc[offset], b.view.crc[offset]];
      if (crcA === undefined || crcB === undefined || (crcA === crcB && a.view.epoch[offset] === b.view.epoch[offset])) continue;
      if (offset < committed) this.onDivergence(topic, partition, offset, a.view, b.view);
      else if (a.view.epoch[offset] === b.view.epoch[offset]) this.onSameEpochConflict(topic, partition, offset, a.view, b.view);
      else break;
    }
    this.pairVerified.set(key, offset);
  }

  /** Two different records at one offset under one leader epoch: only a second leader of that epoch could have written one. */
  private onSameEpochConflict(topic: string, partition: number, offset: number, a: ReplicaView, b: ReplicaView): void {
    this.checks[4] += 1;
    throw new InvariantViolation(4, this.cluster.nowMs(), `${this.conflictText(topic, partition, offset, a, b)}, above a high watermark`);
  }

  private onDivergence(topic: string, partition: number, offset: number, a: ReplicaView, b: ReplicaView): void {
    const [epochA, epochB] = [a.epoch[offset]!, b.epoch[offset]!];
    const unclean = (this.uncleanEpochs.get(`${topic}-${partition}`) ?? []).some((e) => Math.min(epochA, epochB) < e && e <= Math.max(epochA, epochB));
    const overBudget = this.failuresExplainLoss();
    const detail = `${this.conflictText(topic, partition, offset, a, b)}, both below their high watermarks`;
    if (epochA === epochB || (!unclean && !overBudget)) throw new InvariantViolation(2, this.cluster.nowMs(), detail);
    const seen = `${topic}-${partition}@${offset}/${a.brokerId}-${b.brokerId}`;
    if (this.divergenceSeen.has(seen)) return;
    this.divergenceSeen.add(seen);
    const reason = unclean ? 'unclean leader election' : 'failure budget exceeded, with a power loss';
    this.permittedDivergences.set(reason, (this.permittedDivergences.get(reason) ?? 0) + 1);
    this.trace.append(this.cluster.nowMs(), 'divergence', `${detail} (permitted: ${reason})`);
  }

  private conflictText(topic: string, partition: number, offset: number, a: ReplicaView, b: ReplicaView): string {
    const [epochA, epochB] = [a.epoch[offset]!, b.epoch[offset]!];
    const base = `${topic}-${partition} offset ${offset}: broker ${a.brokerId} holds ${this.describe(a, offset)}, broker ${b.brokerId} holds ${this.describe(b, offset)}`;
    if (epochA !== epochB) return base;
    const leader = this.epochLeaders.get(`${topic}-${partition}@${epochA}`);
    return `${base}: two different records under leader epoch ${epochA} (leader per the controller: broker ${leader ?? 'unknown'}), which only one leader may write`;
  }

  private describe(view: ReplicaView, offset: number): string {
    const value = readValue(view.log, offset);
    return `${value ?? '?'} (epoch ${view.epoch[offset]})`;
  }

  private forgetPairsPast(brokerId: number, partitionKey: string, toOffset: number): void {
    for (const [key, verified] of this.pairVerified) {
      if (verified > toOffset && key.startsWith(`${partitionKey}|`) && key.split('|').slice(1).includes(String(brokerId))) this.pairVerified.set(key, toOffset);
    }
  }

  // ---- invariant 3 -------------------------------------------------------------------------------

  private checkHighWatermark(topic: string, partition: number, controllerOffset: number): void {
    const registration = this.cluster.partition(topic, partition);
    if (registration.leader === NO_LEADER) return;
    const leader = this.cluster.broker(registration.leader);
    const leaderLog = leader.state === 'running' ? leader.log(topic, partition) : undefined;
    // Only a leader that has applied the latest metadata knows it leads this epoch.
    if (leaderLog === undefined || leader.metadataOffset() !== controllerOffset) return;
    const hw = leader.highWatermark(topic, partition);
    if (hw === null) return;
    this.checks[3] += 1;
    const now = this.cluster.nowMs();
    const key = `${topic}-${partition}`;
    const sample: HwSample = { epoch: registration.leaderEpoch, leader: leader.id, incarnation: this.incarnations.get(leader.id) ?? 0, hw };
    const previous = this.hwSamples.get(key);
    if (previous !== undefined && previous.epoch === sample.epoch && previous.leader === sample.leader && previous.incarnation === sample.incarnation && hw < previous.hw) {
      throw new InvariantViolation(3, now, `the high watermark of ${key} went back from ${previous.hw} to ${hw} on broker ${leader.id}, leader of epoch ${sample.epoch}`);
    }
    this.hwSamples.set(key, sample);
    if (hw > leaderLog.logEndOffset) throw new InvariantViolation(3, now, `leader ${leader.id} of ${key} has high watermark ${hw} past its own log end offset ${leaderLog.logEndOffset}`);
    for (const id of registration.isr) this.checkIsrMember(key, id, leader.id, hw, topic, partition);
  }

  private checkIsrMember(key: string, id: number, leaderId: number, hw: number, topic: string, partition: number): void {
    const broker = this.cluster.broker(id);
    const log = id === leaderId || broker.state !== 'running' ? undefined : broker.log(topic, partition);
    if (log === undefined) return;
    const taint = `${id}/${key}`;
    if (this.powerLossTaint.has(taint)) {
      // A disk that lost power holds less than the ISR promised until the broker catches up again.
      if (log.logEndOffset >= hw) this.powerLossTaint.delete(taint);
      return;
    }
    if (hw > log.logEndOffset) {
      throw new InvariantViolation(3, this.cluster.nowMs(), `the high watermark ${hw} of ${key} on leader ${leaderId} is past ISR member ${id}'s log end offset ${log.logEndOffset}`);
    }
  }

  // ---- invariant 4 -------------------------------------------------------------------------------

  private noteLeader(topic: string, partition: number, epoch: number, leader: number, how: string, nowMs: number): void {
    const key = `${topic}-${partition}@${epoch}`;
    const known = this.epochLeaders.get(key);
    if (known === undefined) {
      this.epochLeaders.set(key, leader);
      return;
    }
    if (known !== leader) throw new InvariantViolation(4, nowMs, `${topic}-${partition} epoch ${epoch} has two leaders: broker ${known}, and broker ${leader} (${how})`);
  }

  // ---- losses ------------------------------------------------------------------------------------

  /** Why a loss at this partition is one the configuration permits, or null when it is not. */
  permittedReason(topic: string, partition: number, acks: '0' | '1' | 'all'): string | null {
    if (acks !== 'all') return 'leader failover (acknowledged by the leader alone)';
    if (this.uncleanEpochs.has(`${topic}-${partition}`)) return 'unclean leader election (unclean.leader.election.enable=true)';
    if (this.failuresExplainLoss()) return 'more than RF - min.insync.replicas replicas failed at once, with a power loss among the faults';
    return null;
  }

  /**
   * Whether the faults can explain lost committed data without an engine bug: more replicas failed
   * at once than the budget allows, and a disk lost power. Crashes, stops and network faults alone
   * cannot lose committed data: every ISR member keeps its log, and a clean election picks one.
   */
  private failuresExplainLoss(): boolean {
    return this.faults.budgetExceededAtMs !== null && this.faults.injected['power-loss'] > 0;
  }

  private onDataLoss(event: Extract<ClusterEvent, { type: 'data-loss' }>): void {
    const count = event.lastOffset - event.firstOffset + 1;
    const reason = this.permittedReason(event.topic, event.partition, event.acks);
    const label = `acks=${event.acks}: ${reason ?? 'no permitted reason (checked against the data at the end)'}`;
    this.reportedLosses.set(label, (this.reportedLosses.get(label) ?? 0) + count);
    if (reason === null) this.unexplainedReports.push({ topic: event.topic, partition: event.partition, first: event.firstOffset, last: event.lastOffset });
  }

  private countLoss(into: Map<string, number>, record: AckedRecord, acks: '1' | 'all'): void {
    const label = `acks=${acks}: ${this.permittedReason(record.topic, record.partition, acks)}`;
    into.set(label, (into.get(label) ?? 0) + 1);
  }

  private countFalseAlarms(valueAt: (r: AckedRecord) => string | null | undefined): void {
    for (const report of this.unexplainedReports) {
      const inRange = this.ackedAll.filter((r) => r.topic === report.topic && r.partition === report.partition && r.offset >= report.first && r.offset <= report.last);
      if (inRange.every((r) => valueAt(r) === r.id)) this.falseLossAlarms += 1;
    }
  }

  /** What the partition holds below its high watermark now (after convergence: its final contents). */
  readAll(topic: string, partition: number): Map<number, string | null> {
    const out = new Map<number, string | null>();
    const { highWatermark } = this.cluster.offsets(topic, partition);
    if (highWatermark === 0) return out;
    for (const record of this.cluster.read(topic, partition, this.cluster.offsets(topic, partition).logStartOffset, highWatermark).records) out.set(record.offset, record.value);
    return out;
  }
}

function pairKey(partitionKey: string, a: number, b: number): string {
  return `${partitionKey}|${Math.min(a, b)}|${Math.max(a, b)}`;
}

function readValue(log: ReplicaView['log'], offset: number): string | null {
  if (offset < log.logStartOffset || offset >= log.logEndOffset) return null;
  const batch = decodeRecordBatches(log.read(offset, { maxBytes: 1 }).records)[0];
  const value = batch?.records.find((r) => r.offset === offset)?.value;
  return value === undefined || value === null ? null : utf8.decode(value);
}
