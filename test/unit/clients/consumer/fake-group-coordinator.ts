/**
 * A small classic-protocol group coordinator for testing the CLIENT: just enough of Kafka's
 * GroupCoordinator to see a consumer join, sync, heartbeat, leave, commit and fetch offsets.
 *
 * - JoinGroup: an empty member id gets MEMBER_ID_REQUIRED with a new id (KIP-394). A join moves the
 *   group to PreparingRebalance; the join completes when every known member has rejoined, or at
 *   the largest rebalance timeout (members that did not rejoin are dropped). The protocol is voted
 *   (each member's first supported choice), the first member to join is the leader, the
 *   generation goes up by one.
 * - SyncGroup: the leader's assignment makes the group Stable and answers every waiting member.
 * - Heartbeat: REBALANCE_IN_PROGRESS while preparing, UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION as
 *   Kafka answers. A member without a heartbeat (or join/sync) for its session timeout is removed.
 * - OffsetCommit: allowed from a member of the current generation (Stable or PreparingRebalance),
 *   or with generation -1 while the group has no members; OffsetFetch answers -1 when none.
 *
 * Test controls: initialRebalanceDelayMs, commitLatencies (a per-commit latency queue, so commits
 * can complete out of order), commitErrors, and records of joins, leaves, commits and removals.
 */
import type { Scheduler } from '../../../../engine/core/scheduler.js';
import type { TimerHandle } from '../../../../engine/core/timers.js';
import type { KafkaErrorName } from '../../../../engine/core/kafka-errors.js';
import type {
  GroupRequest,
  GroupState,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  OffsetCommitRequest,
  OffsetFetchRequest,
  SyncGroupRequest,
  SyncGroupResponse,
} from '../../../../engine/groups/group-messages.js';

interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: JoinGroupRequest['protocols'];
  joinCallback: ((response: JoinGroupResponse) => void) | null;
  syncCallback: ((response: SyncGroupResponse) => void) | null;
  assignment: Uint8Array;
  sessionTimer: TimerHandle | null;
}

interface Group {
  readonly groupId: string;
  state: GroupState;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  readonly members: Map<string, Member>;
  readonly pendingMemberIds: Set<string>;
  readonly offsets: Map<string, { offset: number; leaderEpoch: number; metadata: string | null }>;
  joinTimer: TimerHandle | null;
}

export interface CommitRecord {
  readonly atMs: number;
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly offsets: readonly { topic: string; partition: number; offset: number }[];
  readonly error: KafkaErrorName;
}

const EMPTY: Uint8Array = new Uint8Array(0);

export class FakeGroupCoordinator {
  initialRebalanceDelayMs = 0;
  /** Extra latency for the next commits, one entry per commit (in ms). */
  readonly commitLatencies: number[] = [];
  /** Errors to answer for the next commits, one entry per commit. */
  readonly commitErrors: KafkaErrorName[] = [];
  readonly commits: CommitRecord[] = [];
  readonly leaves: { atMs: number; memberId: string; reason: string | null }[] = [];
  readonly removals: { atMs: number; memberId: string; why: string }[] = [];
  readonly joins: { atMs: number; memberId: string; reason: string | null }[] = [];
  private readonly groups = new Map<string, Group>();
  private nextMemberNumber = 1;

  constructor(
    private readonly scheduler: Scheduler,
    /** The broker FindCoordinator names; a test may move it. */
    public nodeId: number,
  ) {}

  group(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  committed(groupId: string, topic: string, partition: number): number | null {
    return this.groups.get(groupId)?.offsets.get(`${topic}-${partition}`)?.offset ?? null;
  }

  memberIds(groupId: string): string[] {
    return [...(this.groups.get(groupId)?.members.keys() ?? [])];
  }

  handle(request: GroupRequest, respond: (response: unknown) => void): void {
    switch (request.api) {
      case 'FindCoordinator':
        return respond({ error: 'NONE', nodeId: this.nodeId });
      case 'JoinGroup':
        return this.join(request, respond);
      case 'SyncGroup':
        return this.sync(request, respond);
      case 'Heartbeat':
        return respond({ error: this.heartbeat(request) });
      case 'LeaveGroup':
        return respond(this.leave(request));
      case 'OffsetCommit':
        return this.commit(request, respond);
      case 'OffsetFetch':
        return respond(this.fetchOffsets(request));
      default:
        throw new Error(`the fake coordinator does not answer ${request.api}`);
    }
  }

  private groupFor(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = { groupId, state: 'Empty', generationId: 0, protocolName: null, leaderId: null, members: new Map(), pendingMemberIds: new Set(), offsets: new Map(), joinTimer: null };
      this.groups.set(groupId, group);
    }
    return group;
  }

  // ---------------------------------------------------------------------------------------------
  // Membership

  private join(request: JoinGroupRequest, respond: (response: unknown) => void): void {
    const group = this.groupFor(request.groupId);
    const fail = (error: KafkaErrorName, memberId = request.memberId): void =>
      respond({ error, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] } satisfies JoinGroupResponse);
    if (request.memberId === '') {
      const memberId = `consumer-${request.groupId}-${this.nextMemberNumber++}-0000`;
      group.pendingMemberIds.add(memberId);
      return fail('MEMBER_ID_REQUIRED', memberId);
    }
    let member = group.members.get(request.memberId);
    if (member === undefined) {
      if (!group.pendingMemberIds.delete(request.memberId)) return fail('UNKNOWN_MEMBER_ID');
      member = { memberId: request.memberId, groupInstanceId: request.groupInstanceId, sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocols, joinCallback: null, syncCallback: null, assignment: EMPTY, sessionTimer: null };
      group.members.set(member.memberId, member);
      group.leaderId ??= member.memberId;
    }
    this.joins.push({ atMs: this.scheduler.nowMs(), memberId: member.memberId, reason: request.reason });
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.joinCallback = respond as (response: JoinGroupResponse) => void;
    this.touch(group, member);
    this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) this.answerSync(member, 'REBALANCE_IN_PROGRESS');
    }
    if (group.state === 'PreparingRebalance') return;
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    const timeoutMs = Math.max(...[...group.members.values()].map((m) => m.rebalanceTimeoutMs), 0);
    const delayMs = wasEmpty ? Math.max(this.initialRebalanceDelayMs, 0) : timeoutMs;
    group.joinTimer?.cancel();
    group.joinTimer = this.scheduler.after(delayMs, () => {
      group.joinTimer = null;
      if (wasEmpty && this.initialRebalanceDelayMs > 0 && !this.allJoined(group)) {
        group.joinTimer = this.scheduler.after(timeoutMs, () => this.completeJoin(group, true));
        return;
      }
      this.completeJoin(group, true);
    });
  }

  private allJoined(group: Group): boolean {
    return [...group.members.values()].every((m) => m.joinCallback !== null);
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || !this.allJoined(group)) return;
    if (group.generationId === 0 && this.initialRebalanceDelayMs > 0 && group.joinTimer !== null) return;
    this.completeJoin(group, false);
  }

  private completeJoin(group: Group, timedOut: boolean): void {
    if (group.state !== 'PreparingRebalance') return;
    group.joinTimer?.cancel();
    group.joinTimer = null;
    if (timedOut) {
      for (const member of [...group.members.values()]) if (member.joinCallback === null) this.remove(group, member, 'rebalance-timeout');
    }
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.generationId += 1;
      group.leaderId = null;
      return;
    }
    group.generationId += 1;
    group.state = 'CompletingRebalance';
    group.protocolName = this.vote(group);
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = [...group.members.keys()][0]!;
    for (const member of group.members.values()) {
      const isLeader = member.memberId === group.leaderId;
      const members = isLeader
        ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.protocols.find((p) => p.name === group.protocolName)!.metadata }))
        : [];
      const callback = member.joinCallback!;
      member.joinCallback = null;
      this.touch(group, member);
      callback({ error: 'NONE', generationId: group.generationId, protocolType: 'consumer', protocolName: group.protocolName, leader: group.leaderId, memberId: member.memberId, members });
    }
  }

  private vote(group: Group): string {
    const candidates = [...group.members.values()].map((m) => new Set(m.protocols.map((p) => p.name))).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
    const votes = new Map<string, number>();
    for (const member of group.members.values()) {
      const choice = member.protocols.find((p) => candidates.has(p.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1])[0]![0];
  }

  private sync(request: SyncGroupRequest, respond: (response: unknown) => void): void {
    const group = this.groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    const answer = (error: KafkaErrorName, assignment: Uint8Array = EMPTY): void => respond({ error, protocolType: 'consumer', protocolName: group?.protocolName ?? null, assignment } satisfies SyncGroupResponse);
    if (group === undefined || member === undefined) return answer('UNKNOWN_MEMBER_ID');
    if (request.generationId !== group.generationId) return answer('ILLEGAL_GENERATION');
    this.touch(group, member);
    if (group.state === 'PreparingRebalance') return answer('REBALANCE_IN_PROGRESS');
    if (group.state === 'Stable') return answer('NONE', member.assignment);
    member.syncCallback = respond as (response: SyncGroupResponse) => void;
    if (request.memberId !== group.leaderId) return;
    for (const m of group.members.values()) m.assignment = request.assignments.find((a) => a.memberId === m.memberId)?.assignment ?? EMPTY;
    group.state = 'Stable';
    for (const m of group.members.values()) this.answerSync(m, 'NONE');
  }

  private answerSync(member: Member, error: KafkaErrorName): void {
    const callback = member.syncCallback;
    if (callback === null) return;
    member.syncCallback = null;
    callback({ error, protocolType: 'consumer', protocolName: null, assignment: error === 'NONE' ? member.assignment : EMPTY });
  }

  private heartbeat(request: HeartbeatRequest): KafkaErrorName {
    const group = this.groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    if (group === undefined || member === undefined) return 'UNKNOWN_MEMBER_ID';
    if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    this.touch(group, member);
    return group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  }

  private leave(request: LeaveGroupRequest): unknown {
    const group = this.groups.get(request.groupId);
    const results = request.members.map((identity) => {
      const member = group?.members.get(identity.memberId);
      this.leaves.push({ atMs: this.scheduler.nowMs(), memberId: identity.memberId, reason: identity.reason });
      if (group === undefined || member === undefined) return { memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error: 'UNKNOWN_MEMBER_ID' as const };
      this.remove(group, member, 'leave-group');
      return { memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error: 'NONE' as const };
    });
    return { error: 'NONE', members: results };
  }

  /** The session timer: reset by every join, sync and heartbeat. */
  private touch(group: Group, member: Member): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.scheduler.after(member.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) === member) this.remove(group, member, 'session-timeout');
    });
  }

  private remove(group: Group, member: Member, why: string): void {
    member.sessionTimer?.cancel();
    group.members.delete(member.memberId);
    this.removals.push({ atMs: this.scheduler.nowMs(), memberId: member.memberId, why });
    if (group.leaderId === member.memberId) group.leaderId = [...group.members.keys()][0] ?? null;
    if (member.joinCallback !== null) member.joinCallback({ error: 'UNKNOWN_MEMBER_ID', generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: member.memberId, members: [] });
    this.answerSync(member, 'UNKNOWN_MEMBER_ID');
    if (why === 'rebalance-timeout') return;
    if (group.members.size === 0) {
      group.joinTimer?.cancel();
      group.joinTimer = null;
      group.state = 'Empty';
      group.generationId += 1;
      return;
    }
    this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
  }

  // ---------------------------------------------------------------------------------------------
  // Offsets

  private commit(request: OffsetCommitRequest, respond: (response: unknown) => void): void {
    const error = this.commitError(request);
    const injected = this.commitErrors.shift();
    const result: KafkaErrorName = injected ?? error;
    const offsets = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata })));
    const apply = (): void => {
      this.commits.push({ atMs: this.scheduler.nowMs(), groupId: request.groupId, generationId: request.generationId, memberId: request.memberId, offsets: offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })), error: result });
      if (result === 'NONE') {
        const group = this.groupFor(request.groupId);
        for (const o of offsets) group.offsets.set(`${o.topic}-${o.partition}`, { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata });
      }
      respond({ topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partition: p.partition, error: result })) })) });
    };
    const extraMs = this.commitLatencies.shift() ?? 0;
    if (extraMs > 0) this.scheduler.after(extraMs, apply);
    else apply();
  }

  private commitError(request: OffsetCommitRequest): KafkaErrorName {
    const group = this.groupFor(request.groupId);
    if (request.generationId < 0 && request.memberId === '') return group.members.size === 0 ? 'NONE' : 'UNKNOWN_MEMBER_ID';
    const member = group.members.get(request.memberId);
    if (member === undefined) return 'UNKNOWN_MEMBER_ID';
    if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    if (group.state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
    this.touch(group, member);
    return 'NONE';
  }

  private fetchOffsets(request: OffsetFetchRequest): unknown {
    const group = this.groups.get(request.groupId);
    const topics = (request.topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitions.map((partition) => {
        const committed = group?.offsets.get(`${t.name}-${partition}`);
        return { partition, committedOffset: committed?.offset ?? -1, committedLeaderEpoch: committed?.leaderEpoch ?? -1, metadata: committed?.metadata ?? null, error: 'NONE' as const };
      }),
    }));
    return { error: 'NONE', topics };
  }
}
