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
 * A partition's window runs from when it stopped being fetched (or its owner left or was removed
 * from the group) until it is fetched again; it is charged to the rebalance that paused it: the
 * first one running when the partition stopped, or started after that (a crashed member's
 * partitions stop before its session timeout starts the rebalance). A pause no rebalance caused (a
 * static member that restarts within session.timeout.ms) is no window. A partition that
 * stops and is never fetched again (no member left) keeps its window open (pausedMs null).
 *
 * Invariants: at most `metricsLimits.rebalancesPerGroupMax` rebalances per group (oldest dropped),
 * at most `metricsLimits.groupsTrackedMax` groups; every window is >= 0.
 */
import type { Rebalance } from '../api/groups-dto.js';
import { assertFailed } from '../core/assert.js';
import type { GroupCoordinatorEvent } from '../groups/coordinator-ports.js';
import { decodeAssignment } from '../groups/consumer-protocol.js';
import { metricsLimits } from './metrics-limits.js';
import { compareTopicPartitions, tpFromKey, tpKey } from '../groups/assignors/assignor-support.js';

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
  /** member id -> client id, of the current generation's members (a removal does not change a generation). */
  members: Map<string, string>;
  /** member id -> client id of every member of the current and the previous generation, to name removed members in a diff. */
  clientIds: Map<string, string>;
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
        // Kafka's coordinator log: "(reason: Adding new member ...; client reason: need to re-join ...)";
        // the coordinator's reason already carries the client's reason.
        this.started(group, event.atMs, causeOf(event.cause, event.clientReason), event.reason);
        return;
      case 'join-completed': {
        const record = this.current(group) ?? this.started(group, event.atMs, 'join', 'join completed');
        record.generation = event.generationId;
        record.protocol = event.protocolName;
        record.membersAfter = event.members.map((m) => m.clientId);
        group.members = new Map(event.members.map((m) => [m.memberId, m.clientId]));
        for (const m of event.members) group.clientIds.set(m.memberId, m.clientId);
        return;
      }
      case 'sync-completed':
        return this.synced(group, event.atMs, event.generationId, event.assignments);
      case 'member-removed':
        // The member left (LeaveGroup, the poll timeout) or was removed (session timeout): from now no
        // member of the group owns its partitions, whatever the member itself still does with them.
        this.partitionsStopped(event.groupId, group.assignment.get(event.memberId) ?? [], event.atMs);
        return;
      case 'state-changed':
        // Every member left while the group rebalanced: the coordinator starts an empty generation
        // (GroupCoordinator.onCompleteJoin, "Group ... with generation N is now empty") and no sync follows.
        if (event.from === 'PreparingRebalance' && event.to === 'Empty') this.emptied(group, event.atMs, event.generationId);
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
    for (const tp of partitions) if (!group.stoppedSinceMs.has(tpKey(tp))) group.stoppedSinceMs.set(tpKey(tp), atMs);
  }

  /** A consumer fetched partitions for the first time since it was assigned them. */
  partitionsResumed(groupId: string, partitions: readonly TopicPartition[], atMs: number): void {
    const group = this.group(groupId);
    if (group === null) return;
    for (const tp of partitions) {
      const since = group.stoppedSinceMs.get(tpKey(tp));
      if (since === undefined) continue;
      group.stoppedSinceMs.delete(tpKey(tp));
      if (!(atMs >= since)) assertFailed(`partition ${tp.topic}-${tp.partition} resumed at ${atMs} before it stopped at ${since}`);
      // A pause no rebalance caused (a static member restarting within session.timeout.ms) is no window.
      const record = pausedBy(group, since);
      if (record === null) continue;
      const window = record.windows.get(tpKey(tp)) ?? { topic: tp.topic, partition: tp.partition, pausedMs: null };
      window.pausedMs = atMs - since;
      record.windows.set(tpKey(tp), window);
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
      stopTheWorld: [...record.windows.values()].sort(compareTopicPartitions).map((w) => ({ topic: w.topic, partition: w.partition, pausedMs: w.pausedMs })),
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
      group = { members: new Map(), clientIds: new Map(), assignment: new Map(), rebalances: [], stoppedSinceMs: new Map() };
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
    record.assignmentDiff = diffAssignments(group.assignment, next, group.clientIds);
    record.completedAtMs = atMs;
    group.assignment = next;
    this.forgetOldClientIds(group);
    openWindows(group, record, atMs);
  }

  /** The rebalance ended with no member left: an empty generation, every partition unowned. */
  private emptied(group: GroupTimeline, atMs: number, generation: number): void {
    const record = this.current(group);
    if (record === null) return;
    const next = new Map<string, TopicPartition[]>();
    record.generation = generation;
    record.membersAfter = [];
    record.assignmentDiff = diffAssignments(group.assignment, next, group.clientIds);
    record.completedAtMs = atMs;
    group.members = new Map();
    group.assignment = next;
    this.forgetOldClientIds(group);
    openWindows(group, record, atMs);
  }

  /** Keeps the names of the members of the current generation only (bounded by the group's size). */
  private forgetOldClientIds(group: GroupTimeline): void {
    for (const memberId of [...group.clientIds.keys()]) if (!group.members.has(memberId)) group.clientIds.delete(memberId);
  }
}

/**
 * The rebalance that paused a partition stopped at `sinceMs`: the first one still running then, or
 * started after it (a crashed member's partitions stop before the session timeout starts the
 * rebalance). Null when there is none (the pause was not a rebalance's).
 */
function pausedBy(group: GroupTimeline, sinceMs: number): RebalanceRecord | null {
  return group.rebalances.find((r) => r.completedAtMs === null || r.completedAtMs >= sinceMs) ?? null;
}

/** Partitions still stopped when `record` completed, that it paused: open windows, closed when fetched again. */
function openWindows(group: GroupTimeline, record: RebalanceRecord, atMs: number): void {
  for (const [key, since] of group.stoppedSinceMs) {
    if (since > atMs || record.windows.has(key) || pausedBy(group, since) !== record) continue;
    const { topic, partition } = tpFromKey(key);
    record.windows.set(key, { topic, partition, pausedMs: null });
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
    return [...decodeAssignment(bytes).partitions].sort(compareTopicPartitions);
  } catch {
    // An assignment that is not ConsumerProtocol bytes (another protocol type) has no partitions to show.
    return [];
  }
}

function diffAssignments(before: ReadonlyMap<string, TopicPartition[]>, after: ReadonlyMap<string, TopicPartition[]>, clients: ReadonlyMap<string, string>): Rebalance['assignmentDiff'] {
  const memberIds = [...new Set([...before.keys(), ...after.keys()])].sort();
  return memberIds
    .map((memberId) => {
      const old = new Set((before.get(memberId) ?? []).map(tpKey));
      const now = new Set((after.get(memberId) ?? []).map(tpKey));
      return {
        memberId,
        clientId: clients.get(memberId) ?? memberId,
        added: (after.get(memberId) ?? []).filter((tp) => !old.has(tpKey(tp))),
        removed: (before.get(memberId) ?? []).filter((tp) => !now.has(tpKey(tp))),
      };
    })
    .filter((d) => d.added.length > 0 || d.removed.length > 0);
}
