/**
 * The rebalance timeline of every consumer group: each rebalance with its cause, the coordinator's
 * reason, the generation it produced, the members before and after, the assignment diff, and the
 * stop-the-world window of each partition — how long no member of the group fetched it because of
 * the rebalance, measured on the engine clock.
 *
 * Inputs: the group coordinators' events (rebalance started, join and sync completed, members
 * removed) and the consumers' side (partitions stopped: revoked, lost, or their owner died;
 * partitions resumed: the new owner fetched them again). The coordinator sees the protocol; only
 * the consumers know when fetching really stopped and started again, as in Kafka.
 *
 * A partition's window runs from when it stopped being fetched until it is fetched again; it is
 * charged to the rebalance that was open (or last completed) when it resumed. A partition that
 * stops and is never fetched again (no member left) keeps its window open (pausedMs null).
 *
 * Invariants: at most `metricsLimits.rebalancesPerGroupMax` rebalances per group (oldest dropped),
 * at most `metricsLimits.groupsTrackedMax` groups; every window is >= 0.
 */
import type { Rebalance } from '../api/groups-dto.js';
import { assert } from '../core/assert.js';
import type { GroupCoordinatorEvent } from '../groups/coordinator-ports.js';
import { decodeAssignment } from '../groups/consumer-protocol.js';
import { metricsLimits } from './metrics-limits.js';

type Cause = Rebalance['cause'];

interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

interface OpenWindow {
  readonly topic: string;
  readonly partition: number;
  pausedMs: number | null;
}

interface RebalanceRecord {
  generation: number | null;
  cause: Cause;
  reason: string;
  readonly startedAtMs: number;
  completedAtMs: number | null;
  protocol: string | null;
  readonly membersBefore: string[];
  membersAfter: string[];
  assignmentDiff: Rebalance['assignmentDiff'];
  readonly windows: Map<string, OpenWindow>;
}

interface GroupTimeline {
  /** member id -> client id, of the current generation's members. */
  members: Map<string, string>;
  /** member id -> its partitions in the current generation. */
  assignment: Map<string, TopicPartition[]>;
  readonly rebalances: RebalanceRecord[];
  /** Partitions nobody fetches now, since when. */
  readonly stoppedSinceMs: Map<string, number>;
}

export class RebalanceTimeline {
  private readonly groups = new Map<string, GroupTimeline>();

  /** Applies one group coordinator event. */
  onCoordinatorEvent(event: GroupCoordinatorEvent): void {
    const group = this.group(event.groupId);
    if (group === null) return;
    switch (event.type) {
      case 'rebalance-started':
        // Kafka's coordinator log: "(reason: Adding new member ...; client reason: need to re-join ...)".
        this.started(group, event.atMs, causeOf(event.cause, event.clientReason), event.clientReason === null ? event.reason : `${event.reason}; client reason: ${event.clientReason}`);
        return;
      case 'join-completed': {
        const record = this.current(group) ?? this.started(group, event.atMs, 'join', 'join completed');
        record.generation = event.generationId;
        record.protocol = event.protocolName;
        record.membersAfter = event.members.map((m) => m.clientId);
        group.members = new Map(event.members.map((m) => [m.memberId, m.clientId]));
        return;
      }
      case 'sync-completed':
        return this.synced(group, event.atMs, event.generationId, event.assignments);
      case 'member-removed':
        group.members.delete(event.memberId);
        return;
      case 'group-deleted':
        this.groups.delete(event.groupId);
        return;
      default:
        return;
    }
  }

  /** A consumer stopped fetching partitions (revoked, lost, or the consumer died or left). */
  partitionsStopped(groupId: string, partitions: readonly TopicPartition[], atMs: number): void {
    const group = this.group(groupId);
    if (group === null) return;
    for (const tp of partitions) if (!group.stoppedSinceMs.has(keyOf(tp))) group.stoppedSinceMs.set(keyOf(tp), atMs);
  }

  /** A consumer fetched partitions for the first time since it was assigned them. */
  partitionsResumed(groupId: string, partitions: readonly TopicPartition[], atMs: number): void {
    const group = this.group(groupId);
    if (group === null) return;
    const record = group.rebalances[group.rebalances.length - 1];
    for (const tp of partitions) {
      const since = group.stoppedSinceMs.get(keyOf(tp));
      if (since === undefined) continue;
      group.stoppedSinceMs.delete(keyOf(tp));
      assert(atMs >= since, `partition ${keyOf(tp)} resumed at ${atMs} before it stopped at ${since}`);
      if (record === undefined) continue;
      const window = record.windows.get(keyOf(tp)) ?? { topic: tp.topic, partition: tp.partition, pausedMs: null };
      window.pausedMs = atMs - since;
      record.windows.set(keyOf(tp), window);
    }
  }

  /** The group's rebalances, newest first, in the contract's shape. */
  history(groupId: string): Rebalance[] {
    const group = this.groups.get(groupId);
    if (group === undefined) return [];
    return [...group.rebalances].reverse().map((record) => ({
      generation: record.generation,
      cause: record.cause,
      reason: record.reason,
      startedAtMs: record.startedAtMs,
      completedAtMs: record.completedAtMs,
      protocol: record.protocol,
      membersBefore: [...record.membersBefore],
      membersAfter: [...record.membersAfter],
      assignmentDiff: record.assignmentDiff,
      stopTheWorld: [...record.windows.values()].sort(byTopicPartition).map((w) => ({ topic: w.topic, partition: w.partition, pausedMs: w.pausedMs })),
    }));
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  // ---------------------------------------------------------------------------------------------

  private group(groupId: string): GroupTimeline | null {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      if (this.groups.size >= metricsLimits.groupsTrackedMax) return null;
      group = { members: new Map(), assignment: new Map(), rebalances: [], stoppedSinceMs: new Map() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** The rebalance in progress, if one is. */
  private current(group: GroupTimeline): RebalanceRecord | null {
    const last = group.rebalances[group.rebalances.length - 1];
    return last !== undefined && last.completedAtMs === null ? last : null;
  }

  private started(group: GroupTimeline, atMs: number, cause: Cause, reason: string): RebalanceRecord {
    const open = this.current(group);
    // A rebalance that restarts before it completed (another member joined during the sync) ends here.
    if (open !== null) open.completedAtMs = atMs;
    const record: RebalanceRecord = {
      generation: null,
      cause,
      reason,
      startedAtMs: atMs,
      completedAtMs: null,
      protocol: null,
      membersBefore: [...group.members.values()],
      membersAfter: [],
      assignmentDiff: [],
      windows: new Map(),
    };
    group.rebalances.push(record);
    if (group.rebalances.length > metricsLimits.rebalancesPerGroupMax) group.rebalances.shift();
    return record;
  }

  private synced(group: GroupTimeline, atMs: number, generation: number, assignments: readonly { readonly memberId: string; readonly assignment: Uint8Array }[]): void {
    const record = this.current(group) ?? this.started(group, atMs, 'join', 'sync completed');
    const next = new Map<string, TopicPartition[]>();
    for (const { memberId, assignment } of assignments) next.set(memberId, decodePartitions(assignment));
    record.generation = generation;
    record.assignmentDiff = diffAssignments(group.assignment, next, group.members);
    record.completedAtMs = atMs;
    group.assignment = next;
    // Partitions still stopped at the sync are paused by this rebalance; their window closes when fetched.
    for (const [key, since] of group.stoppedSinceMs) {
      if (since > atMs) continue;
      const [topic, partition] = splitKey(key);
      if (!record.windows.has(key)) record.windows.set(key, { topic, partition, pausedMs: null });
    }
  }
}

function causeOf(cause: GroupCoordinatorEvent extends infer E ? (E extends { type: 'rebalance-started'; cause: infer C } ? C : never) : never, clientReason: string | null): Cause {
  const reason = clientReason ?? '';
  switch (cause) {
    case 'member-joined':
      return 'join';
    case 'member-left':
      return /poll timeout/i.test(reason) ? 'poll-timeout' : 'leave';
    case 'session-timeout':
      return 'session-timeout';
    case 'rebalance-timeout':
      return 'rebalance-timeout';
    case 'metadata-change':
      if (/revok/i.test(reason)) return 'assignor';
      return /metadata|partition/i.test(reason) ? 'partitions-added' : 'metadata';
    default:
      return 'metadata';
  }
}

function decodePartitions(bytes: Uint8Array): TopicPartition[] {
  if (bytes.length === 0) return [];
  try {
    return [...decodeAssignment(bytes).partitions].sort(byTopicPartition);
  } catch {
    // An assignment that is not ConsumerProtocol bytes (another protocol type) has no partitions to show.
    return [];
  }
}

function diffAssignments(before: ReadonlyMap<string, TopicPartition[]>, after: ReadonlyMap<string, TopicPartition[]>, clients: ReadonlyMap<string, string>): Rebalance['assignmentDiff'] {
  const memberIds = [...new Set([...before.keys(), ...after.keys()])].sort();
  return memberIds
    .map((memberId) => {
      const old = new Set((before.get(memberId) ?? []).map(keyOf));
      const now = new Set((after.get(memberId) ?? []).map(keyOf));
      return {
        memberId,
        clientId: clients.get(memberId) ?? memberId,
        added: (after.get(memberId) ?? []).filter((tp) => !old.has(keyOf(tp))),
        removed: (before.get(memberId) ?? []).filter((tp) => !now.has(keyOf(tp))),
      };
    })
    .filter((d) => d.added.length > 0 || d.removed.length > 0);
}

function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('\u0000');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

function byTopicPartition(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
