/**
 * The metadata quorum and its active controller (KRaft in combined mode: the first voters are also
 * brokers). The controller owns the cluster metadata — topics, partition registrations (replicas,
 * ISR, leader, leader epoch), fenced brokers — and is the only one that changes it: topic creation
 * and deletion, broker fencing when heartbeats stop, leader elections, ISR changes asked for by
 * leaders. Every change is pushed to the brokers over the network.
 *
 * Quorum: the active controller is the lowest-id running voter that can exchange messages with a
 * majority of the voters (itself included). Without such a voter there is no controller, and every
 * metadata change and election waits, saying why (NOT_CONTROLLER). Simplification, shown in the
 * UI: Raft's election (votes, terms, timeouts) is reduced to this rule; the committed metadata
 * survives a change of controller, as Raft guarantees for a majority.
 *
 * Invariants, asserted on every change:
 * - every registration's ISR is a non-empty subset of its replicas, unless the partition is offline;
 * - the leader, when there is one, is in the ISR and is not fenced;
 * - leader epochs and partition epochs only grow.
 */
import { assert, assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { NO_LEADER, type AlterPartition, type MetadataImage, type PartitionRegistration, type TopicImage } from './messages.js';
import type { SimNetwork } from './network.js';

/** broker.session.timeout.ms: a broker silent this long is fenced (Kafka's default). */
export const BROKER_SESSION_TIMEOUT_MS = 9000;
/** How often the controller looks at sessions and the quorum. */
const CONTROLLER_TICK_MS = 500;

export type ControllerEvent =
  | { readonly type: 'controller-changed'; readonly controllerId: number | null; readonly reason: string }
  | { readonly type: 'broker-fenced'; readonly brokerId: number; readonly reason: string }
  | { readonly type: 'broker-unfenced'; readonly brokerId: number }
  | { readonly type: 'leader-elected'; readonly topic: string; readonly partition: number; readonly leader: number; readonly leaderEpoch: number; readonly unclean: boolean; readonly reason: string }
  | { readonly type: 'partition-offline'; readonly topic: string; readonly partition: number; readonly reason: string }
  | { readonly type: 'isr-changed'; readonly topic: string; readonly partition: number; readonly isr: readonly number[]; readonly previousIsr: readonly number[] };

export interface ControllerOptions {
  readonly brokerIds: readonly number[];
  readonly voterIds: readonly number[];
  readonly network: SimNetwork;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onEvent: (event: ControllerEvent) => void;
  /** Whether a topic allows unclean leader election (its unclean.leader.election.enable). */
  readonly uncleanAllowed: (topic: string) => boolean;
}

export class QuorumController {
  private topics = new Map<string, TopicImage>();
  private readonly fenced = new Set<number>();
  private readonly lastHeartbeatMs = new Map<number, number>();
  /** Brokers that started while there was no controller: fenced as re-registered once one is elected. */
  private readonly pendingRegistrations = new Set<number>();
  private offset = 0;
  /** The quorum's leader epoch: one more each time a voter becomes the active controller (KRaft's epoch). */
  private quorumEpoch = 0;
  private currentControllerId: number | null = null;
  private tickTimer: TimerHandle | null = null;

  constructor(private readonly options: ControllerOptions) {
    assert(options.voterIds.length > 0, 'a quorum needs voters');
    for (const id of options.brokerIds) this.lastHeartbeatMs.set(id, options.clock.nowMs());
    this.currentControllerId = this.computeActiveController();
  }

  /** Elects the first controller (which pushes the metadata to the brokers) and starts the periodic work. */
  start(): void {
    this.refreshController();
    this.scheduleTick();
  }

  stop(): void {
    this.tickTimer?.cancel();
    this.tickTimer = null;
  }

  /** Restores metadata persisted by an earlier run (all brokers start fenced until they heartbeat). */
  restore(topics: readonly TopicImage[]): void {
    this.topics = new Map(topics.map((t) => [t.name, t]));
    this.offset += 1;
  }

  activeControllerId(): number | null {
    return this.currentControllerId;
  }

  /** The metadata log's end: one record per change the controller made (the quorum's high watermark here). */
  metadataOffset(): number {
    return this.offset;
  }

  /** The quorum leader's epoch (kafka-metadata-quorum's LeaderEpoch). */
  leaderEpoch(): number {
    return this.quorumEpoch;
  }

  voters(): readonly number[] {
    return this.options.voterIds;
  }

  image(): MetadataImage {
    return { offset: this.offset, topics: new Map(this.topics), fencedBrokers: new Set(this.fenced) };
  }

  topic(name: string): TopicImage | undefined {
    return this.topics.get(name);
  }

  isFenced(brokerId: number): boolean {
    return this.fenced.has(brokerId);
  }

  unfencedBrokers(): number[] {
    return this.options.brokerIds.filter((id) => !this.fenced.has(id));
  }

  /** Throws NOT_CONTROLLER with the reason when the quorum has no majority. */
  requireController(): number {
    const id = this.refreshController();
    if (id === null) {
      const { voterIds } = this.options;
      throw new KafkaError(
        'NOT_CONTROLLER',
        `No active controller: fewer than ${Math.floor(voterIds.length / 2) + 1} of the ${voterIds.length} metadata quorum voters (${voterIds.join(', ')}) are up and reachable, so no metadata change or leader election can happen.`,
      );
    }
    return id;
  }

  addTopic(topic: TopicImage): void {
    this.requireController();
    if (this.topics.has(topic.name)) assertFailed(`topic ${topic.name} exists`);
    for (const p of topic.partitions) assertRegistration(p);
    this.topics.set(topic.name, topic);
    this.publish();
  }

  removeTopic(name: string): void {
    this.requireController();
    this.topics.delete(name);
    this.publish();
  }

  /**
   * A broker process starts (a new incarnation registers). Its previous incarnation is fenced if it
   * was not already: leadership moves away and it leaves the ISRs under new epochs, as KRaft does
   * when a broker re-registers — a broker that lost its page cache must not lead an epoch it led
   * before with a shorter log. Its first heartbeat unfences it; it then catches up as a follower.
   * Without a controller the registration waits until one is elected.
   */
  onBrokerStarting(brokerId: number): void {
    if (this.refreshController() === null) {
      this.pendingRegistrations.add(brokerId);
      return;
    }
    this.fenceForRegistration(brokerId);
    this.publish();
  }

  private fenceForRegistration(brokerId: number): void {
    this.pendingRegistrations.delete(brokerId);
    if (this.fenced.has(brokerId)) return;
    this.fenced.add(brokerId);
    this.options.onEvent({ type: 'broker-fenced', brokerId, reason: 'it restarted: the new incarnation re-registers and the old one is fenced' });
    this.moveAwayFrom(brokerId, `broker ${brokerId} restarted`);
  }

  /** A broker's heartbeat: renews its session, unfences it, and sends it metadata it lacks. */
  onHeartbeat(brokerId: number, metadataOffset: number): void {
    if (this.refreshController() === null) return;
    this.lastHeartbeatMs.set(brokerId, this.options.clock.nowMs());
    if (this.fenced.has(brokerId)) {
      this.fenced.delete(brokerId);
      this.options.onEvent({ type: 'broker-unfenced', brokerId });
      this.electOfflinePartitions(`broker ${brokerId} is back`);
      this.publish();
    } else if (metadataOffset < this.offset) {
      this.pushTo(brokerId);
    }
  }

  /** A leader asks to change the ISR (KIP-497 AlterPartition). Stale requests are ignored. */
  onAlterPartition(request: AlterPartition): void {
    if (this.refreshController() === null) return;
    const topic = this.topics.get(request.topic);
    const current = topic?.partitions[request.partition];
    if (topic === undefined || current === undefined) return;
    if (current.leader !== request.brokerId || current.leaderEpoch !== request.leaderEpoch || current.partitionEpoch !== request.partitionEpoch) {
      this.pushTo(request.brokerId);
      return;
    }
    const newIsr = request.newIsr.filter((id) => current.replicas.includes(id) && !this.fenced.has(id));
    if (newIsr.length === 0 || !newIsr.includes(current.leader)) return;
    this.change(request.topic, request.partition, { isr: newIsr });
    this.maybeCompleteReassignment(request.topic, request.partition);
    this.publish();
  }

  /**
   * Starts moving a partition to `target` replicas, as kafka-reassign-partitions --execute does:
   * the new replicas are added and catch up from the leader; once all of them are in the ISR the
   * old ones are dropped (and leadership moves if the leader is one of them).
   */
  reassign(topicName: string, partitionId: number, target: readonly number[]): void {
    this.requireController();
    const current = this.registration(topicName, partitionId);
    if (current.addingReplicas.length > 0 || current.removingReplicas.length > 0) {
      // A new target replaces a running reassignment, starting from the original replicas.
      this.cancelReassignment(topicName, partitionId);
    }
    const original = this.registration(topicName, partitionId).replicas;
    const adding = target.filter((id) => !original.includes(id));
    const removing = original.filter((id) => !target.includes(id));
    if (adding.length === 0 && removing.length === 0 && target.join(',') === original.join(',')) return;
    this.change(topicName, partitionId, { replicas: [...target, ...removing], addingReplicas: adding, removingReplicas: removing });
    this.maybeCompleteReassignment(topicName, partitionId);
    this.publish();
  }

  /** kafka-reassign-partitions --cancel: back to the original replicas; added ones are dropped. */
  cancelReassignment(topicName: string, partitionId: number): boolean {
    this.requireController();
    const current = this.registration(topicName, partitionId);
    if (current.addingReplicas.length === 0 && current.removingReplicas.length === 0) return false;
    const original = current.replicas.filter((id) => !current.addingReplicas.includes(id));
    this.finishReassignment(topicName, partitionId, original, 'reassignment cancelled');
    this.publish();
    return true;
  }

  /** Adds partitions to a topic (CreatePartitions); their registrations come placed by the caller. */
  addPartitions(topicName: string, added: readonly PartitionRegistration[]): void {
    this.requireController();
    const topic = this.topics.get(topicName);
    if (!(topic !== undefined)) assertFailed(`topic ${topicName} exists`);
    for (const p of added) assertRegistration(p);
    this.topics.set(topicName, { ...topic, partitions: [...topic.partitions, ...added] });
    this.publish();
  }

  /** Replaces a topic's config overrides (IncrementalAlterConfigs, already validated). */
  setTopicConfigs(topicName: string, configs: Readonly<Record<string, string>>): void {
    this.requireController();
    const topic = this.topics.get(topicName);
    if (!(topic !== undefined)) assertFailed(`topic ${topicName} exists`);
    this.topics.set(topicName, { ...topic, configs: { ...configs } });
    this.publish();
  }

  private registration(topicName: string, partitionId: number): PartitionRegistration {
    const current = this.topics.get(topicName)?.partitions[partitionId];
    if (current === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topicName}-${partitionId} does not exist.`);
    return current;
  }

  private maybeCompleteReassignment(topicName: string, partitionId: number): void {
    const current = this.registration(topicName, partitionId);
    if (current.addingReplicas.length === 0 && current.removingReplicas.length === 0) return;
    if (!current.addingReplicas.every((id) => current.isr.includes(id))) return;
    const target = current.replicas.filter((id) => !current.removingReplicas.includes(id));
    this.finishReassignment(topicName, partitionId, target, 'reassignment completed');
  }

  /** Ends a reassignment with `replicas` as the partition's replicas; leadership moves if it must. */
  private finishReassignment(topicName: string, partitionId: number, replicas: readonly number[], reason: string): void {
    const current = this.registration(topicName, partitionId);
    const isr = current.isr.filter((id) => replicas.includes(id));
    if (current.leader !== NO_LEADER && !replicas.includes(current.leader)) {
      const leader = replicas.find((id) => isr.includes(id) && !this.fenced.has(id)) ?? NO_LEADER;
      const keptIsr = isr.length > 0 ? isr : [replicas[0]!];
      this.change(topicName, partitionId, { replicas, addingReplicas: [], removingReplicas: [], isr: leader === NO_LEADER ? keptIsr : isr, leader, leaderEpoch: current.leaderEpoch + 1 });
      if (leader !== NO_LEADER) this.options.onEvent({ type: 'leader-elected', topic: topicName, partition: partitionId, leader, leaderEpoch: current.leaderEpoch + 1, unclean: false, reason });
      return;
    }
    this.change(topicName, partitionId, { replicas, addingReplicas: [], removingReplicas: [], isr: isr.length > 0 ? isr : current.isr.filter((id) => replicas.includes(id)) });
  }

  /**
   * Controlled shutdown: leadership moves away from the broker and it leaves every ISR before it
   * stops, so producers see a leader change instead of a timeout.
   */
  controlledShutdown(brokerId: number): void {
    this.requireController();
    this.fenced.add(brokerId);
    this.options.onEvent({ type: 'broker-fenced', brokerId, reason: 'controlled shutdown' });
    this.moveAwayFrom(brokerId, `controlled shutdown of broker ${brokerId}`);
    this.publish();
  }

  /** Preferred or unclean election on demand (kafka-leader-election). */
  electLeader(topicName: string, partitionId: number, unclean: boolean): void {
    this.requireController();
    const current = this.topics.get(topicName)?.partitions[partitionId];
    if (current === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topicName}-${partitionId} does not exist.`);
    const choice = unclean ? this.uncleanChoice(current) : this.preferredChoice(current);
    if (choice === null) throw new KafkaError('LEADER_NOT_AVAILABLE', `No ${unclean ? 'live replica' : 'in-sync replica'} of ${topicName}-${partitionId} can lead.`);
    if (choice === current.leader) return;
    this.setLeader(topicName, partitionId, choice, unclean, unclean ? 'unclean election on demand' : 'preferred leader election');
    this.publish();
  }

  private scheduleTick(): void {
    this.tickTimer = this.options.timers.after(CONTROLLER_TICK_MS, () => {
      this.tick();
      this.scheduleTick();
    });
  }

  private tick(): void {
    if (this.refreshController() === null) return;
    const nowMs = this.options.clock.nowMs();
    let changed = false;
    for (const id of this.options.brokerIds) {
      if (this.fenced.has(id)) continue;
      if (nowMs - (this.lastHeartbeatMs.get(id) ?? 0) > BROKER_SESSION_TIMEOUT_MS) {
        this.fenced.add(id);
        this.options.onEvent({ type: 'broker-fenced', brokerId: id, reason: `no heartbeat for ${BROKER_SESSION_TIMEOUT_MS} ms (broker.session.timeout.ms)` });
        this.moveAwayFrom(id, `broker ${id} was fenced`);
        changed = true;
      }
    }
    if (changed) this.publish();
  }

  /** Re-evaluates the quorum; announces a change of controller (and the new one pushes metadata). */
  private refreshController(): number | null {
    const id = this.computeActiveController();
    if (id !== this.currentControllerId) {
      this.currentControllerId = id;
      const reason = id === null ? 'the metadata quorum lost its majority' : `voter ${id} leads a majority of the quorum`;
      this.options.onEvent({ type: 'controller-changed', controllerId: id, reason });
      if (id !== null) {
        this.quorumEpoch += 1;
        // A new controller starts every session afresh, as brokers re-register with it.
        const nowMs = this.options.clock.nowMs();
        for (const broker of this.options.brokerIds) this.lastHeartbeatMs.set(broker, Math.max(this.lastHeartbeatMs.get(broker) ?? 0, nowMs - BROKER_SESSION_TIMEOUT_MS / 2));
        for (const broker of [...this.pendingRegistrations]) this.fenceForRegistration(broker);
        this.publish();
      }
    }
    return id;
  }

  private computeActiveController(): number | null {
    const { voterIds, network } = this.options;
    const majority = Math.floor(voterIds.length / 2) + 1;
    for (const candidate of [...voterIds].sort((a, b) => a - b)) {
      if (!network.isNodeUp(candidate)) continue;
      const reachable = voterIds.filter((v) => v === candidate || (network.canReach(candidate, v) && network.canReach(v, candidate))).length;
      if (reachable >= majority) return candidate;
    }
    return null;
  }

  /** Removes a broker from every ISR and elects new leaders where it led. */
  private moveAwayFrom(brokerId: number, reason: string): void {
    for (const topic of this.topics.values()) {
      topic.partitions.forEach((p, partitionId) => {
        if (!p.replicas.includes(brokerId)) return;
        if (p.leader === brokerId) return this.electAfterLoss(topic.name, partitionId, brokerId, reason);
        // Kafka keeps the last ISR member in the ISR (it may hold the only copy).
        if (p.isr.includes(brokerId) && p.isr.length > 1) this.change(topic.name, partitionId, { isr: p.isr.filter((id) => id !== brokerId) });
      });
    }
  }

  private electAfterLoss(topicName: string, partitionId: number, lostLeader: number, reason: string): void {
    const current = this.topics.get(topicName)!.partitions[partitionId]!;
    const remaining = current.isr.filter((id) => id !== lostLeader);
    const clean = remaining.find((id) => !this.fenced.has(id)) ?? null;
    if (clean !== null) return this.setLeader(topicName, partitionId, clean, false, reason, remaining);
    if (this.options.uncleanAllowed(topicName)) {
      const unclean = this.uncleanChoice(current);
      if (unclean !== null) return this.setLeader(topicName, partitionId, unclean, true, `${reason}; no in-sync replica was left, and unclean.leader.election.enable=true`);
    }
    this.change(topicName, partitionId, { leader: NO_LEADER, leaderEpoch: current.leaderEpoch + 1 });
    this.options.onEvent({ type: 'partition-offline', topic: topicName, partition: partitionId, reason: `${reason}; no in-sync replica is alive and unclean leader election is disabled` });
  }

  /** After a broker returns: leaderless partitions get a leader if an ISR member (or, if allowed, any replica) is back. */
  private electOfflinePartitions(reason: string): void {
    for (const topic of this.topics.values()) {
      topic.partitions.forEach((p, partitionId) => {
        if (p.leader !== NO_LEADER) return;
        const clean = p.isr.find((id) => !this.fenced.has(id)) ?? null;
        if (clean !== null) return this.setLeader(topic.name, partitionId, clean, false, reason);
        if (this.options.uncleanAllowed(topic.name)) {
          const unclean = this.uncleanChoice(p);
          if (unclean !== null) this.setLeader(topic.name, partitionId, unclean, true, `${reason}; unclean.leader.election.enable=true`);
        }
      });
    }
  }

  private preferredChoice(p: PartitionRegistration): number | null {
    const preferred = p.replicas[0]!;
    return p.isr.includes(preferred) && !this.fenced.has(preferred) ? preferred : null;
  }

  private uncleanChoice(p: PartitionRegistration): number | null {
    return p.replicas.find((id) => !this.fenced.has(id)) ?? null;
  }

  private setLeader(topicName: string, partitionId: number, leader: number, unclean: boolean, reason: string, cleanIsr?: readonly number[]): void {
    const current = this.topics.get(topicName)!.partitions[partitionId]!;
    const base = cleanIsr ?? current.isr;
    // An unclean leader starts a new history: the ISR is just itself, as in Kafka.
    const isr = unclean ? [leader] : base.includes(leader) ? base : [...base, leader];
    this.change(topicName, partitionId, { leader, leaderEpoch: current.leaderEpoch + 1, isr });
    this.options.onEvent({ type: 'leader-elected', topic: topicName, partition: partitionId, leader, leaderEpoch: current.leaderEpoch + 1, unclean, reason });
  }

  private change(topicName: string, partitionId: number, change: Partial<Omit<PartitionRegistration, 'partitionEpoch'>>): void {
    const topic = this.topics.get(topicName)!;
    const current = topic.partitions[partitionId]!;
    const next: PartitionRegistration = { ...current, ...change, partitionEpoch: current.partitionEpoch + 1 };
    assert(next.leaderEpoch >= current.leaderEpoch, 'leader epochs only grow');
    assertRegistration(next);
    const partitions = topic.partitions.map((p, i) => (i === partitionId ? next : p));
    this.topics.set(topicName, { ...topic, partitions });
    if (change.isr !== undefined && change.isr.join(',') !== current.isr.join(',')) {
      this.options.onEvent({ type: 'isr-changed', topic: topicName, partition: partitionId, isr: next.isr, previousIsr: current.isr });
    }
  }

  private publish(): void {
    this.offset += 1;
    for (const id of this.options.brokerIds) this.pushTo(id);
  }

  private pushTo(brokerId: number): void {
    const from = this.currentControllerId;
    if (from === null) return;
    this.options.network.send(from, brokerId, { kind: 'Metadata', image: this.image() });
  }
}

function assertRegistration(p: PartitionRegistration): void {
  if (!(p.isr.every((id) => p.replicas.includes(id)))) assertFailed(`ISR ${p.isr.join(',')} is a subset of replicas ${p.replicas.join(',')}`);
  if (!(p.leader === NO_LEADER || p.isr.includes(p.leader))) assertFailed(`leader ${p.leader} is in the ISR ${p.isr.join(',')}`);
  assert(new Set(p.replicas).size === p.replicas.length, 'replicas are distinct');
  assert([...p.addingReplicas, ...p.removingReplicas].every((id) => p.replicas.includes(id)), 'adding and removing replicas are replicas');
}
