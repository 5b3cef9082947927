/**
 * The cluster's events on the timeline: controller changes, fencing, leader elections (unclean
 * ones loudly), offline partitions, ISR shrinks and expansions, brokers stopping and starting, log
 * truncation, detected data loss, and the group coordinators' rebalances as spans (from "Preparing
 * to rebalance" until the assignment is delivered: the window in which, with the eager protocol, no
 * member of the group consumes), plus config changes. Each entry has a stable code the UI
 * translates ('election.unclean', 'isr.shrink', 'data-loss', ...), its parameters, and the English
 * text in Kafka's own log wording, so the learner finds the same line in a real broker's log.
 *
 * `clusterEventSteps` is pure: an event becomes entries to add, spans to open and spans to close.
 * `ClusterTimeline` applies the steps to a TimelineSink and remembers the open spans.
 *
 * Invariants of ClusterTimeline: at most `metricsLimits.openSpansMax` open spans (past it a span is
 * added as a plain entry and counted); opening a span that is already open ends the old one first
 * (a rebalance that restarts); closing a span that is not open does nothing.
 */
import type { Clock } from '../core/clock.js';
import type { ClusterEvent } from '../cluster/cluster.js';
import type { CoordinatorEvent } from '../groups/coordinator-ports.js';
import { OFFSETS_TOPIC_NAME, offsetsPartitionFor } from '../groups/offsets-records.js';
import { metricsLimits } from './metrics-limits.js';
import type { TimelineInput, TimelineSink } from './timeline-sink.js';

export type TimelineStep =
  | { readonly op: 'add'; readonly entry: TimelineInput }
  | { readonly op: 'open'; readonly span: string; readonly entry: TimelineInput }
  | { readonly op: 'close'; readonly span: string };

export interface ConfigResourceRef {
  /** Kafka's ConfigResource.Type, as kafka-configs names it: --entity-type topics / brokers. */
  readonly type: 'topic' | 'broker';
  /** The topic, the broker id, or '' for the cluster-wide broker default (--entity-default). */
  readonly name: string;
}

export interface ClusterTimelineOptions {
  readonly sink: TimelineSink;
  readonly clock: Clock;
  /** offsets.topic.num.partitions, to name a group's __consumer_offsets partition as Kafka's log does (default 50). */
  readonly offsetsTopicPartitions?: () => number;
}

export class ClusterTimeline {
  /** Spans opened and not yet closed: span key -> timeline entry id. */
  private readonly open = new Map<string, number>();
  /** Spans added as plain entries because `openSpansMax` were open. */
  refusedSpans = 0;

  constructor(private readonly options: ClusterTimelineOptions) {}

  onClusterEvent(event: ClusterEvent): void {
    const atMs = event.type === 'group' ? event.event.atMs : this.options.clock.nowMs();
    this.apply(clusterEventSteps(event, atMs, this.options.offsetsTopicPartitions?.()), atMs);
  }

  /** A config change (kafka-configs --alter): one entry, nothing when nothing changed. */
  configChanged(resource: ConfigResourceRef, set: Readonly<Record<string, string>>, removed: readonly string[]): void {
    const entry = configChanged(resource, set, removed, this.options.clock.nowMs());
    if (entry !== null) this.options.sink.add(entry);
  }

  openSpans(): number {
    return this.open.size;
  }

  private apply(steps: readonly TimelineStep[], atMs: number): void {
    for (const step of steps) {
      if (step.op === 'add') this.options.sink.add(step.entry);
      else if (step.op === 'close') this.close(step.span, atMs);
      else this.openSpan(step.span, step.entry, atMs);
    }
  }

  private openSpan(span: string, entry: TimelineInput, atMs: number): void {
    this.close(span, atMs);
    if (this.open.size >= metricsLimits.openSpansMax) {
      this.refusedSpans += 1;
      this.options.sink.add(entry);
      return;
    }
    this.open.set(span, this.options.sink.add(entry));
  }

  private close(span: string, atMs: number): void {
    const id = this.open.get(span);
    if (id === undefined) return;
    this.open.delete(span);
    this.options.sink.end(id, atMs);
  }
}

/** What one cluster event puts on the timeline. */
export function clusterEventSteps(event: ClusterEvent, atMs: number, offsetsTopicPartitions?: number): TimelineStep[] {
  switch (event.type) {
    case 'controller-changed':
      return controllerChanged(event.controllerId, event.reason, atMs);
    case 'broker-fenced':
      return [add(atMs, 'broker', 'warn', 'broker.fenced', { brokerId: event.brokerId, reason: event.reason }, fencedText(event.brokerId, event.reason))];
    case 'broker-unfenced':
      return [add(atMs, 'broker', 'info', 'broker.unfenced', { brokerId: event.brokerId }, `Unfenced broker: ${event.brokerId}`)];
    case 'leader-elected':
      return leaderElected(event, atMs);
    case 'partition-offline': {
      const tp = `${event.topic}-${event.partition}`;
      const entry = input(atMs, 'election', 'error', 'partition.offline', { topic: event.topic, partition: event.partition, reason: event.reason }, `Partition ${tp} is offline: ${event.reason}.`);
      return [{ op: 'open', span: `offline:${tp}`, entry }];
    }
    case 'isr-changed':
      return [isrChanged(event.topic, event.partition, event.previousIsr, event.isr, atMs)];
    case 'broker-started':
      return brokerStarted(event.brokerId, event.hadCleanShutdown, event.bytesTruncated, atMs);
    case 'broker-stopped':
      return [brokerStopped(event.brokerId, event.how, atMs)];
    case 'truncated': {
      const params = { brokerId: event.brokerId, topic: event.topic, partition: event.partition, fromOffset: event.fromOffset, toOffset: event.toOffset, reason: event.reason };
      const text = `[UnifiedLog partition=${event.topic}-${event.partition}, broker=${event.brokerId}] Truncating to offset ${event.toOffset} (log end offset was ${event.fromOffset}: ${event.reason})`;
      return [add(atMs, 'broker', 'warn', 'log.truncated', params, text)];
    }
    case 'data-loss': {
      const params = { topic: event.topic, partition: event.partition, firstOffset: event.firstOffset, lastOffset: event.lastOffset, records: event.lastOffset - event.firstOffset + 1, acks: event.acks, brokerId: event.brokerId };
      return [add(atMs, 'data-loss', 'error', 'data-loss', params, `Acknowledged records lost: ${event.message}.`)];
    }
    case 'group':
      return coordinatorSteps(event.event, event.brokerId, offsetsTopicPartitions);
    case 'log-dir-failed':
      return [add(atMs, 'broker', 'error', 'broker.log-dir-failed', { brokerId: event.brokerId, logDir: event.logDir, reason: event.reason }, event.message)];
    // A pause is a fault: its span on the timeline is the fault's own.
    default:
      return [];
  }
}

/** What one group coordinator event puts on the timeline: rebalances as spans, members removed, groups deleted. */
export function coordinatorSteps(event: CoordinatorEvent, brokerId: number, offsetsTopicPartitions?: number): TimelineStep[] {
  if (!('groupId' in event)) return [];
  const span = `rebalance:${event.groupId}`;
  switch (event.type) {
    case 'rebalance-started': {
      const offsets = `${OFFSETS_TOPIC_NAME}-${offsetsPartitionFor(event.groupId, offsetsTopicPartitions)}`;
      const severity = event.cause === 'session-timeout' || event.cause === 'rebalance-timeout' ? 'warn' : 'info';
      const params = { groupId: event.groupId, generation: event.generationId, cause: event.cause, fromState: event.fromState, brokerId };
      const text = `Preparing to rebalance group ${event.groupId} in state ${event.fromState} with old generation ${event.generationId} (${offsets}) (reason: ${event.reason})`;
      return [{ op: 'open', span, entry: input(event.atMs, 'rebalance', severity, 'rebalance', params, text) }];
    }
    case 'sync-completed':
      return [{ op: 'close', span }];
    case 'state-changed':
      // Every member left during the rebalance: the empty generation ends it with no SyncGroup.
      return event.from === 'PreparingRebalance' && event.to === 'Empty' ? [{ op: 'close', span }] : [];
    case 'member-removed': {
      const params = { groupId: event.groupId, memberId: event.memberId, reason: event.reason, generation: event.generationId };
      const severity = event.reason === 'leave-group' ? 'info' : 'warn';
      return [add(event.atMs, 'rebalance', severity, 'group.member-removed', params, memberRemovedText(event.groupId, event.memberId, event.reason, event.detail))];
    }
    case 'group-deleted': {
      const text = `The following groups were deleted: ${event.groupId}. A total of ${event.offsetsRemoved} offsets were removed.`;
      return [{ op: 'close', span }, add(event.atMs, 'rebalance', 'info', 'group.deleted', { groupId: event.groupId, offsetsRemoved: event.offsetsRemoved }, text)];
    }
    default:
      return [];
  }
}

/**
 * A config change as the KRaft controller logs it, one clause per config
 * ("Replayed ConfigRecord for ConfigResource(type=TOPIC, name='orders') which set configuration
 * retention.ms to 60000"); a removed config is set to null. Null when nothing changed.
 */
export function configChanged(resource: ConfigResourceRef, set: Readonly<Record<string, string>>, removed: readonly string[], atMs: number): TimelineInput | null {
  const names = Object.keys(set).sort();
  const gone = [...removed].sort();
  if (names.length === 0 && gone.length === 0) return null;
  const ref = `ConfigResource(type=${resource.type.toUpperCase()}, name='${resource.name}')`;
  const clauses = [...names.map((n) => `${n} to ${set[n]}`), ...gone.map((n) => `${n} to null`)];
  return input(
    atMs,
    'config',
    'info',
    'config.changed',
    { resourceType: resource.type, resourceName: resource.name, set: names.map((n) => `${n}=${set[n]}`).join(', '), removed: gone.join(', ') },
    clauses.map((c) => `Replayed ConfigRecord for ${ref} which set configuration ${c}`).join('; '),
  );
}

// ---------------------------------------------------------------------------------------------
// One event type each
// ---------------------------------------------------------------------------------------------

function controllerChanged(controllerId: number | null, reason: string, atMs: number): TimelineStep[] {
  if (controllerId === null) {
    const text = `No active controller: ${reason}. Leader elections, ISR changes and topic changes wait until a majority of the quorum is back.`;
    return [{ op: 'open', span: 'controller:quorum', entry: input(atMs, 'controller', 'error', 'controller.quorum-lost', { reason }, text) }];
  }
  return [
    { op: 'close', span: 'controller:quorum' },
    add(atMs, 'controller', 'info', 'controller.elected', { controllerId, reason }, `[QuorumController id=${controllerId}] Becoming the active controller (${reason}).`),
  ];
}

function fencedText(brokerId: number, reason: string): string {
  // BrokerHeartbeatManager's session expiry, in the controller's words.
  if (reason.startsWith('no heartbeat')) return `Fencing broker ${brokerId} because its session has timed out.`;
  return `Fencing broker ${brokerId}: ${reason}.`;
}

function leaderElected(event: Extract<ClusterEvent, { type: 'leader-elected' }>, atMs: number): TimelineStep[] {
  const tp = `${event.topic}-${event.partition}`;
  const params = { topic: event.topic, partition: event.partition, leader: event.leader, leaderEpoch: event.leaderEpoch, unclean: event.unclean, reason: event.reason };
  const entry = event.unclean
    ? // The controller's warning for an unclean election, word for word.
      input(atMs, 'election', 'error', 'election.unclean', params, `No broker in ISR is alive for ${tp}. Elect leader ${event.leader} from live brokers. There's potential data loss. (leader epoch ${event.leaderEpoch}; ${event.reason})`)
    : input(atMs, 'election', 'info', 'election.clean', params, `Elected broker ${event.leader} as leader of ${tp} at leader epoch ${event.leaderEpoch} (${event.reason}).`);
  return [{ op: 'close', span: `offline:${tp}` }, { op: 'add', entry }];
}

function isrChanged(topic: string, partition: number, previous: readonly number[], isr: readonly number[], atMs: number): TimelineStep {
  const tp = `${topic}-${partition}`;
  const removed = previous.filter((id) => !isr.includes(id));
  const added = isr.filter((id) => !previous.includes(id));
  const params = { topic, partition, previousIsr: previous.join(','), isr: isr.join(','), isrSize: isr.length };
  // Partition.scala's words: "Shrinking ISR from 1,2,3 to 1,2. ... Out of sync replicas: ..." / "Expanding ISR from 1,2 to 1,2,3".
  if (added.length === 0 && removed.length > 0) {
    return add(atMs, 'isr', 'warn', 'isr.shrink', params, `[Partition ${tp}] Shrinking ISR from ${previous.join(',')} to ${isr.join(',')}. Out of sync replicas: ${removed.join(',')}.`);
  }
  if (removed.length === 0 && added.length > 0) {
    return add(atMs, 'isr', 'info', 'isr.expand', params, `[Partition ${tp}] Expanding ISR from ${previous.join(',')} to ${isr.join(',')}`);
  }
  return add(atMs, 'isr', 'warn', 'isr.change', params, `[Partition ${tp}] ISR changed from ${previous.join(',')} to ${isr.join(',')}`);
}

function brokerStarted(brokerId: number, hadCleanShutdown: boolean, bytesTruncated: number, atMs: number): TimelineStep[] {
  const recovery = hadCleanShutdown ? '' : ` after an unclean shutdown; log recovery truncated ${bytesTruncated} bytes`;
  const severity = hadCleanShutdown ? 'info' : 'warn';
  const entry = input(atMs, 'broker', severity, 'broker.started', { brokerId, hadCleanShutdown, bytesTruncated }, `[KafkaRaftServer nodeId=${brokerId}] Kafka Server started${recovery}`);
  return [{ op: 'close', span: `broker:${brokerId}` }, { op: 'add', entry }];
}

function brokerStopped(brokerId: number, how: 'crash' | 'controlled shutdown', atMs: number): TimelineStep {
  const entry =
    how === 'crash'
      ? input(atMs, 'broker', 'error', 'broker.crashed', { brokerId, how }, `Broker ${brokerId} crashed: no controlled shutdown; the controller fences it once broker.session.timeout.ms passes without a heartbeat.`)
      : input(atMs, 'broker', 'info', 'broker.stopped', { brokerId, how }, `[BrokerServer id=${brokerId}] shut down completed`);
  return { op: 'open', span: `broker:${brokerId}`, entry };
}

function memberRemovedText(groupId: string, memberId: string, reason: string, detail: string): string {
  // GroupCoordinator's log lines for a session expiry and for a LeaveGroup.
  if (reason === 'session-timeout') return `Member ${memberId} in group ${groupId} has failed, removing it from the group (${detail})`;
  if (reason === 'leave-group') return `Member ${memberId} has left group ${groupId} through explicit \`LeaveGroup\`${detail.replace(/^LeaveGroup/, '')}`;
  return `Member ${memberId} removed from group ${groupId}: ${detail}`;
}

// ---------------------------------------------------------------------------------------------

type Params = TimelineInput['params'];

function input(atMs: number, kind: TimelineInput['kind'], severity: TimelineInput['severity'], code: string, params: Params, text: string): TimelineInput {
  return { atMs, kind, severity, code, params, text };
}

function add(atMs: number, kind: TimelineInput['kind'], severity: TimelineInput['severity'], code: string, params: Params, text: string): TimelineStep {
  return { op: 'add', entry: input(atMs, kind, severity, code, params, text) };
}
