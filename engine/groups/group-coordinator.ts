/**
 * The classic-protocol group coordinator and committed-offsets store of one broker: it serves the
 * groups whose __consumer_offsets partition (offsetsPartitionFor) this broker leads. Behaviour,
 * error choices and reason strings follow Kafka's GroupCoordinator.scala / GroupMetadataManager.scala
 * (3.x), which the 3.7+ GroupMetadataManager.java keeps for classic groups:
 *
 * - JoinGroup: KIP-394 two-step join for dynamic members (MEMBER_ID_REQUIRED + a generated member
 *   id), static members (KIP-345) replaced without a rebalance when Stable and the protocol holds,
 *   the protocol vote, group.max.size, session-timeout bounds; a new group's first rebalance waits
 *   group.initial.rebalance.delay.ms, extended while members keep arriving (InitialDelayedJoin);
 *   otherwise the join completes when every member rejoined or at the rebalance timeout
 *   (DelayedJoin), dropping dynamic members that did not rejoin. Each completed join is a new
 *   generation; only the leader receives the members' subscriptions.
 * - SyncGroup: the leader's assignment is written to the log (GroupMetadataValue) and, once
 *   acknowledged, makes the group Stable and answers every waiting member. Members that do not
 *   sync within the rebalance timeout are removed and the group rebalances (DelayedSync).
 * - Heartbeat / session timeout, LeaveGroup, OffsetCommit (acknowledged only after the append is
 *   committed), OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, offsets retention (KIP-211),
 *   loading a partition on election (replaying the log) and unloading it on resignation.
 *
 * Concurrency model: everything runs on the engine's single thread. Responses and events are not
 * delivered from inside a state change: they are queued and delivered, in order, when the
 * outermost coordinator call (a request, a timer, a log callback) returns, so a client that reacts
 * synchronously sees a consistent group. This stands in for Kafka's group lock.
 *
 * Time only from the Clock, every wait on the Timers; member ids from the seeded Prng.
 */
import { assertFailed } from '../core/assert.js';
import type { KafkaErrorName } from '../core/kafka-errors.js';
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribedGroup,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  GroupRequest,
  GroupResponseFor,
  GroupState,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupMemberIdentity,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  OffsetCommitPartition,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchPartition,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from './group-messages.js';
import {
  ClassicGroup,
  ClassicGroupMember,
  EMPTY_BYTES,
  joinError,
  syncError,
  type CommittedOffset,
  type JoinCallback,
  type SyncCallback,
  type TopicPartitionEntry,
} from './classic-group.js';
import type {
  CoordinatorEvent,
  GroupCoordinatorPorts,
  GroupMemberSummary,
  MemberRemovalReason,
  RebalanceCause,
  RequestContext,
} from './coordinator-ports.js';
import { groupLimits } from './group-limits.js';
import {
  decodeOffsetsRecord,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  NO_STATE_TIMESTAMP,
  offsetsPartitionFor,
  type GroupMetadataValue,
  type OffsetsLogRecord,
} from './offsets-records.js';

/**
 * GroupCoordinator.NewMemberJoinTimeoutMs: a new member's JoinGroup waits at most this long for
 * the rebalance to complete; then the member is dropped (it retries if it is still alive).
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;
/** JoinGroup v4 is the first that requires a known member id (KIP-394). */
const JOIN_GROUP_VERSION_REQUIRING_MEMBER_ID = 4;
const JOIN_GROUP_VERSION_LATEST = 9;
/** OffsetFetchResponse.INVALID_OFFSET */
const INVALID_OFFSET = -1;
/** "-" and a 36-character UUID after the client id or group.instance.id. */
const MEMBER_ID_SUFFIX_BYTES = 37;

/** The group APIs the coordinator answers (FindCoordinator is the broker's: see findCoordinator). */
export type CoordinatorRequest = Exclude<GroupRequest, FindCoordinatorRequest>;

/** What started a rebalance, for the rebalance-started event. */
interface RebalanceTrigger {
  readonly cause: RebalanceCause;
  readonly memberId: string | null;
  readonly reason: string;
  readonly clientReason: string | null;
}

/** One partition of an OffsetCommit, checked, with the response error it will get. */
interface CommitItem {
  readonly topic: string;
  readonly partition: number;
  /** Set when the partition is refused before the append. */
  readonly error: KafkaErrorName | null;
  readonly entry: TopicPartitionEntry<CommittedOffset> | null;
}

/**
 * FindCoordinator(key type GROUP), answered by any broker from its metadata: the coordinator is the
 * leader of the group's __consumer_offsets partition; COORDINATOR_NOT_AVAILABLE while it has none.
 */
export function findCoordinator(
  request: FindCoordinatorRequest,
  offsetsPartitionCount: number,
  leaderOfOffsetsPartition: (partition: number) => number | null,
): FindCoordinatorResponse {
  const leader = leaderOfOffsetsPartition(offsetsPartitionFor(request.key, offsetsPartitionCount));
  return leader === null ? { error: 'COORDINATOR_NOT_AVAILABLE', nodeId: -1 } : { error: 'NONE', nodeId: leader };
}

export class GroupCoordinator {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly ownedPartitions = new Set<number>();
  /** Partitions being loaded, with the timer that will load them. */
  private readonly loadingPartitions = new Map<number, { cancel(): void }>();
  private readonly epochForPartition = new Map<number, number>();
  private active = false;
  private expirationTimer: { cancel(): void } | null = null;
  private appendsInFlight = 0;
  private readonly outbox: (() => void)[] = [];
  private depth = 0;
  private flushing = false;

  constructor(private readonly ports: GroupCoordinatorPorts) {}

  // =============================================================================================
  // Lifecycle and partition ownership
  // =============================================================================================

  /** Starts serving (GroupCoordinator.startup): the offsets expiration runs now and every check interval. */
  startup(): void {
    this.run(() => {
      if (this.active) return;
      this.active = true;
      this.scheduleOffsetsExpiration(0);
    });
  }

  /** Stops serving: every timer is cancelled and every group forgotten (the broker is going away). */
  shutdown(): void {
    this.run(() => {
      this.active = false;
      this.expirationTimer?.cancel();
      this.expirationTimer = null;
      for (const timer of this.loadingPartitions.values()) timer.cancel();
      this.loadingPartitions.clear();
      this.ownedPartitions.clear();
      for (const group of this.groups.values()) this.cancelGroupTimers(group);
      this.groups.clear();
    });
  }

  /** The __consumer_offsets partition of a group. */
  partitionFor(groupId: string): number {
    return offsetsPartitionFor(groupId, this.ports.config.offsetsTopicNumPartitions);
  }

  ownsPartition(partition: number): boolean {
    return this.ownedPartitions.has(partition);
  }

  isLoading(partition: number): boolean {
    return this.loadingPartitions.has(partition);
  }

  /** The group's state, or null when this coordinator does not hold it (for views and tests). */
  groupState(groupId: string): GroupState | null {
    return this.groups.get(groupId)?.state ?? null;
  }

  /** Generation and chosen protocol of a group this coordinator holds (what the UI's header shows; DescribeGroups has no generation). */
  groupGeneration(groupId: string): { readonly generationId: number; readonly protocolName: string | null } | null {
    const group = this.groups.get(groupId);
    return group === undefined ? null : { generationId: group.generationId, protocolName: group.protocolName };
  }

  /**
   * This broker became leader of __consumer_offsets-`partition` (GroupCoordinator.onElection):
   * its groups and offsets are loaded from the log; until then they answer
   * COORDINATOR_LOAD_IN_PROGRESS. A stale epoch is ignored.
   */
  onElection(partition: number, coordinatorEpoch: number): void {
    this.run(() => {
      this.checkPartition(partition);
      if (!this.maybeUpdateCoordinatorEpoch(partition, coordinatorEpoch)) return;
      if (this.ownedPartitions.has(partition) || this.loadingPartitions.has(partition)) return;
      const timer = this.ports.timers.after(this.ports.loadDelayMs ?? 0, () => this.run(() => this.loadPartition(partition)));
      this.loadingPartitions.set(partition, timer);
      this.emit({ type: 'partition-loading', atMs: this.nowMs(), partition, coordinatorEpoch });
    });
  }

  /**
   * This broker no longer leads __consumer_offsets-`partition` (GroupCoordinator.onResignation):
   * its groups are unloaded; waiting members are answered NOT_COORDINATOR and find the new
   * coordinator, which loads the groups from the log. `coordinatorEpoch` null: unconditionally.
   */
  onResignation(partition: number, coordinatorEpoch: number | null): void {
    this.run(() => {
      this.checkPartition(partition);
      if (coordinatorEpoch !== null && !this.maybeUpdateCoordinatorEpoch(partition, coordinatorEpoch)) return;
      this.ownedPartitions.delete(partition);
      this.loadingPartitions.get(partition)?.cancel();
      this.loadingPartitions.delete(partition);
      let unloaded = 0;
      for (const group of [...this.groups.values()]) {
        if (this.partitionFor(group.groupId) !== partition) continue;
        this.onGroupUnloaded(group);
        this.groups.delete(group.groupId);
        unloaded += 1;
      }
      this.emit({ type: 'partition-unloaded', atMs: this.nowMs(), partition, groups: unloaded });
    });
  }

  private checkPartition(partition: number): void {
    if (!(Number.isInteger(partition) && partition >= 0 && partition < this.ports.config.offsetsTopicNumPartitions)) assertFailed(`offsets partition ${partition} out of range`);
  }

  /** Keeps the highest epoch seen; false when `epoch` is older (GroupMetadataManager.maybeUpdateCoordinatorEpoch). */
  private maybeUpdateCoordinatorEpoch(partition: number, epoch: number): boolean {
    const current = this.epochForPartition.get(partition);
    if (current !== undefined && epoch < current) return false;
    this.epochForPartition.set(partition, epoch);
    return true;
  }

  // =============================================================================================
  // Dispatch
  // =============================================================================================

  /** Answers any coordinator request; `respond` is called exactly once, possibly later. */
  handle<R extends CoordinatorRequest>(request: R, context: RequestContext, respond: (response: GroupResponseFor[R['api']]) => void): void {
    const reply = respond as (response: unknown) => void;
    switch (request.api) {
      case 'JoinGroup':
        return this.handleJoinGroup(request, context, reply);
      case 'SyncGroup':
        return this.handleSyncGroup(request, reply);
      case 'Heartbeat':
        return this.handleHeartbeat(request, reply);
      case 'LeaveGroup':
        return this.handleLeaveGroup(request, reply);
      case 'OffsetCommit':
        return this.handleOffsetCommit(request, reply);
      case 'OffsetFetch':
        return reply(this.handleOffsetFetch(request));
      case 'DescribeGroups':
        return reply(this.handleDescribeGroups(request));
      case 'ListGroups':
        return reply(this.handleListGroups(request));
      case 'DeleteGroups':
        return reply(this.handleDeleteGroups(request));
    }
  }

  /**
   * Kafka's validateGroupStatus: a valid group id, a running coordinator, a loaded partition that
   * this broker leads. Join/Sync/Heartbeat/Leave need a non-empty group id; the offset and admin
   * APIs accept "" for backwards compatibility.
   */
  private validateGroupStatus(groupId: string, allowEmptyId: boolean): KafkaErrorName | null {
    if ((!allowEmptyId && groupId.length === 0) || !fitsKafkaString(groupId)) return 'INVALID_GROUP_ID';
    if (!this.active) return 'COORDINATOR_NOT_AVAILABLE';
    const partition = this.partitionFor(groupId);
    if (this.loadingPartitions.has(partition)) return 'COORDINATOR_LOAD_IN_PROGRESS';
    if (!this.ownedPartitions.has(partition)) return 'NOT_COORDINATOR';
    return null;
  }

  // =============================================================================================
  // JoinGroup
  // =============================================================================================

  handleJoinGroup(request: JoinGroupRequest, context: RequestContext, respond: JoinCallback): void {
    this.run(() => {
      const reply: JoinCallback = (response) => this.deliver(() => respond(response));
      const error = this.validateGroupStatus(request.groupId, false) ?? this.validateJoinRequest(request, context);
      if (error !== null) return reply(joinError(request.memberId, error));
      const isUnknownMember = request.memberId === '';
      let group = this.groups.get(request.groupId);
      if (group === undefined) {
        // A group is created by its first member; a member id for an unknown group is stale.
        if (!isUnknownMember) return reply(joinError(request.memberId, 'UNKNOWN_MEMBER_ID'));
        if (this.groups.size >= groupLimits.groupsPerCoordinatorMax) return reply(joinError(request.memberId, 'COORDINATOR_NOT_AVAILABLE'));
        group = this.createGroup(request.groupId);
      }
      if (!this.acceptJoiningMember(group, request.memberId)) {
        this.removeForMaxSize(group, request.memberId);
        reply(joinError('', 'GROUP_MAX_SIZE_REACHED'));
      } else if (isUnknownMember) {
        this.doNewMemberJoinGroup(group, request, context, reply);
      } else {
        this.doCurrentMemberJoinGroup(group, request, context, reply);
      }
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    });
  }

  private validateJoinRequest(request: JoinGroupRequest, context: RequestContext): KafkaErrorName | null {
    const { groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs } = this.ports.config;
    if (request.sessionTimeoutMs < groupMinSessionTimeoutMs || request.sessionTimeoutMs > groupMaxSessionTimeoutMs) return 'INVALID_SESSION_TIMEOUT';
    if (!Number.isInteger(request.sessionTimeoutMs) || !Number.isInteger(request.rebalanceTimeoutMs)) return 'INVALID_REQUEST';
    if (request.protocols.length > groupLimits.protocolsPerMemberMax) return 'INVALID_REQUEST';
    // Everything that will be written into a GroupMetadataValue must fit Kafka's STRING (the member
    // id is "<client.id or group.instance.id>-<uuid>", 37 bytes longer).
    const strings = [request.protocolType, context.clientHost, ...request.protocols.map((p) => p.name)];
    if (!strings.every((s) => fitsKafkaString(s))) return 'INVALID_REQUEST';
    if (!fitsKafkaString(request.groupInstanceId ?? context.clientId, MEMBER_ID_SUFFIX_BYTES)) return 'INVALID_REQUEST';
    return null;
  }

  private maxGroupSize(): number {
    return Math.min(this.ports.config.groupMaxSize, groupLimits.membersPerGroupMax);
  }

  /** GroupCoordinator.acceptJoiningMember: room for the member under group.max.size. */
  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    // The engine's own bound holds even while Kafka lets a rebalancing group run over group.max.size.
    if (!group.has(memberId) && group.size >= groupLimits.membersPerGroupMax) return false;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        // Counting awaiting members (not the size) lets the last rejoining members be the ones kicked out.
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < this.maxGroupSize();
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < this.maxGroupSize();
    }
  }

  private removeForMaxSize(group: ClassicGroup, memberId: string): void {
    const member = group.find(memberId);
    this.cancelPendingMemberExpiration(group, memberId);
    group.remove(memberId);
    if (member === undefined) return;
    this.cancelExpiration(member);
    this.emitMemberRemoved(group, member, 'group-max-size', `the group is full (group.max.size=${this.maxGroupSize()})`);
  }

  private doNewMemberJoinGroup(group: ClassicGroup, request: JoinGroupRequest, context: RequestContext, reply: JoinCallback): void {
    if (group.is('Dead')) return reply(joinError('', 'COORDINATOR_NOT_AVAILABLE'));
    if (!group.supportsProtocols(request.protocolType, request.protocols.map((p) => p.name))) return reply(joinError('', 'INCONSISTENT_GROUP_PROTOCOL'));
    const newMemberId = this.generateMemberId(request.groupInstanceId ?? context.clientId);
    if (request.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(request.groupInstanceId);
      if (oldMemberId !== null) return this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, request, reply);
      return this.addMemberAndRebalance(group, newMemberId, request, context, reply);
    }
    const joinGroupVersion = context.joinGroupVersion ?? JOIN_GROUP_VERSION_LATEST;
    if (joinGroupVersion < JOIN_GROUP_VERSION_REQUIRING_MEMBER_ID) return this.addMemberAndRebalance(group, newMemberId, request, context, reply);
    // KIP-394: hand out a member id and wait for the member to come back with it.
    if (group.numPending >= groupLimits.pendingMembersPerGroupMax) return reply(joinError('', 'GROUP_MAX_SIZE_REACHED'));
    group.addPendingMember(newMemberId);
    this.addPendingMemberExpiration(group, newMemberId, request.sessionTimeoutMs);
    reply(joinError(newMemberId, 'MEMBER_ID_REQUIRED'));
  }

  private doCurrentMemberJoinGroup(group: ClassicGroup, request: JoinGroupRequest, context: RequestContext, reply: JoinCallback): void {
    const memberId = request.memberId;
    if (group.is('Dead')) return reply(joinError(memberId, 'COORDINATOR_NOT_AVAILABLE'));
    if (!group.supportsProtocols(request.protocolType, request.protocols.map((p) => p.name))) return reply(joinError(memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
    if (group.isPendingMember(memberId)) {
      // Pending member ids are only handed to dynamic members; Kafka fails such a request outright.
      if (request.groupInstanceId !== null) return reply(joinError(memberId, 'UNKNOWN_SERVER_ERROR'));
      return this.addMemberAndRebalance(group, memberId, request, context, reply);
    }
    const memberError = this.validateCurrentMember(group, memberId, request.groupInstanceId);
    if (memberError !== null) return reply(joinError(memberId, memberError));
    const member = group.get(memberId);
    const clientReason = request.reason ?? 'not provided';
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, request, reply, {
          cause: 'metadata-change',
          memberId,
          reason: `Member ${memberId} joining group during PreparingRebalance; client reason: ${clientReason}`,
          clientReason: request.reason,
        });
      case 'CompletingRebalance':
        // The same metadata: the member missed its JoinGroup response; answer it again.
        if (member.matches(request.protocols)) return reply(this.joinResult(group, member, group.isLeader(memberId)));
        return this.updateMemberAndRebalance(group, member, request, reply, {
          cause: 'metadata-change',
          memberId,
          reason: `Updating metadata for member ${memberId} during CompletingRebalance; client reason: ${clientReason}`,
          clientReason: request.reason,
        });
      case 'Stable':
        // A rejoining leader forces a rebalance: that is how it acts on topic metadata changes.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) {
          const what = group.isLeader(memberId) ? `Leader ${memberId} re-joining group` : `Updating metadata for member ${memberId}`;
          return this.updateMemberAndRebalance(group, member, request, reply, {
            cause: 'metadata-change',
            memberId,
            reason: `${what} during Stable; client reason: ${clientReason}`,
            clientReason: request.reason,
          });
        }
        return reply(this.joinResult(group, member, false));
      case 'Empty':
      case 'Dead':
        return reply(joinError(memberId, 'UNKNOWN_MEMBER_ID'));
    }
  }

  /** The JoinGroup answer for the current generation; only the leader gets the members. */
  private joinResult(group: ClassicGroup, member: ClassicGroupMember, withMembers: boolean, leaderId: string | null = group.leaderId): JoinGroupResponse {
    return {
      error: 'NONE',
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: leaderId ?? '',
      memberId: member.memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  /**
   * GroupCoordinator.validateCurrentMember: with a group.instance.id it must map to this member id
   * (else FENCED_INSTANCE_ID — another instance took it over); the member id must be in the group.
   */
  private validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): KafkaErrorName | null {
    if (groupInstanceId !== null) {
      const current = group.currentStaticMemberId(groupInstanceId);
      if (current === null) return 'UNKNOWN_MEMBER_ID';
      if (current !== memberId) return 'FENCED_INSTANCE_ID';
      return null;
    }
    return group.has(memberId) ? null : 'UNKNOWN_MEMBER_ID';
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, request: JoinGroupRequest, context: RequestContext, reply: JoinCallback): void {
    const member = new ClassicGroupMember(
      memberId,
      request.groupInstanceId,
      context.clientId,
      context.clientHost,
      request.rebalanceTimeoutMs,
      request.sessionTimeoutMs,
      request.protocolType,
      request.protocols,
    );
    member.isNew = true;
    // Joining during a new group's initial delay extends the delay.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    this.cancelPendingMemberExpiration(group, memberId);
    group.add(member, reply);
    // A new member cannot heartbeat while its JoinGroup waits; it is dropped if the join takes 5 minutes.
    this.scheduleExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group, {
      cause: 'member-joined',
      memberId,
      // Kafka prints the Scala Option[String]: None, or Some(instance-id).
      reason: `Adding new member ${memberId} with group instance id ${request.groupInstanceId === null ? 'None' : `Some(${request.groupInstanceId})`}; client reason: ${request.reason ?? 'not provided'}`,
      clientReason: request.reason,
    });
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: ClassicGroupMember, request: JoinGroupRequest, reply: JoinCallback, trigger: RebalanceTrigger): void {
    group.updateMember(member, request.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, reply);
    this.maybePrepareRebalance(group, trigger);
  }

  /**
   * A static member rejoined with an empty member id (it restarted): its group.instance.id moves to
   * the new member id and the old id is fenced. In a Stable group whose protocol would not change,
   * there is no rebalance: the group metadata is persisted and the member gets the current
   * generation (KIP-345, GroupCoordinator.updateStaticMemberAndRebalance, JoinGroup < v9 answer).
   */
  private updateStaticMemberAndRebalance(group: ClassicGroup, oldMemberId: string, newMemberId: string, request: JoinGroupRequest, reply: JoinCallback): void {
    const instanceId = request.groupInstanceId!;
    const currentLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    this.emit({ type: 'static-member-replaced', atMs: this.nowMs(), groupId: group.groupId, generationId: group.generationId, groupInstanceId: instanceId, oldMemberId, newMemberId });
    this.scheduleExpiration(group, member, member.sessionTimeoutMs);
    const old = { protocols: member.supportedProtocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    group.updateMember(member, request.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, reply);
    const clientReason = request.reason ?? 'not provided';
    switch (group.state) {
      case 'Stable':
        if (group.protocolName === group.selectProtocol()) {
          const generationId = group.generationId;
          const assignment = new Map(group.allMembers().map((m) => [m.memberId, m.assignment] as const));
          this.storeGroup(group, assignment, (error) => {
            if (error !== 'NONE') {
              // Could not persist the new member id: put the old one back.
              group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
              const restored = group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
              this.scheduleExpiration(group, restored, restored.sessionTimeoutMs);
              reply({ ...joinError('', error), generationId, protocolType: group.protocolType, protocolName: group.protocolName, leader: currentLeader ?? '' });
              return;
            }
            // The old leader id is returned, so a restarted leader does not run a useless assignment.
            group.maybeInvokeJoinCallback(member, this.joinResult(group, member, false, currentLeader));
          });
          return;
        }
        return this.maybePrepareRebalance(group, {
          cause: 'metadata-change',
          memberId: newMemberId,
          reason: `Group's selectedProtocol will change because static member ${newMemberId} with instance id ${instanceId} joined with change of protocol; client reason: ${clientReason}`,
          clientReason: request.reason,
        });
      case 'CompletingRebalance':
        // The leader may already have assigned under the old member id: rebalance.
        return this.prepareRebalance(group, {
          cause: 'metadata-change',
          memberId: newMemberId,
          reason: `Updating metadata for static member ${newMemberId} with instance id ${instanceId}; client reason: ${clientReason}`,
          clientReason: request.reason,
        });
      case 'PreparingRebalance':
        return;
      case 'Empty':
      case 'Dead':
        assertFailed(`group ${group.groupId} cannot be ${group.state} while static member ${instanceId} rejoins`);
    }
  }

  /** A random UUID (version 4 layout) from the seeded Prng, after `${prefix}-`, as Kafka's generateMemberId. */
  private generateMemberId(prefix: string): string {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.ports.prng.nextInt(256);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${prefix}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // =============================================================================================
  // Rebalance: preparing, completing the join, waiting for the sync
  // =============================================================================================

  private maybePrepareRebalance(group: ClassicGroup, trigger: RebalanceTrigger): void {
    if (group.canRebalance()) this.prepareRebalance(group, trigger);
  }

  private prepareRebalance(group: ClassicGroup, trigger: RebalanceTrigger): void {
    // Members waiting for their assignment must rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, 'REBALANCE_IN_PROGRESS');
    this.removeSyncExpiration(group);
    const wasEmpty = group.is('Empty');
    this.emit({
      type: 'rebalance-started',
      atMs: this.nowMs(),
      groupId: group.groupId,
      generationId: group.generationId,
      fromState: group.state,
      cause: trigger.cause,
      memberId: trigger.memberId,
      reason: trigger.reason,
      clientReason: trigger.clientReason,
    });
    group.transitionTo('PreparingRebalance');
    if (wasEmpty) {
      const initialDelayMs = this.ports.config.groupInitialRebalanceDelayMs;
      this.scheduleInitialDelayedJoin(group, initialDelayMs, Math.max(group.rebalanceTimeoutMs - initialDelayMs, 0));
    } else {
      this.scheduleDelayedJoin(group);
    }
  }

  /** DelayedJoin: completes when everyone rejoined (tryCompleteJoin) or at the rebalance timeout. */
  private scheduleDelayedJoin(group: ClassicGroup): void {
    group.joinWait?.timer.cancel();
    const timer = this.ports.timers.after(group.rebalanceTimeoutMs, () =>
      this.run(() => {
        if (group.joinWait?.timer !== timer) return;
        group.joinWait = null;
        this.onCompleteJoin(group);
      }),
    );
    group.joinWait = { kind: 'rebalance', timer };
    this.tryCompleteJoin(group);
  }

  /**
   * InitialDelayedJoin: a new group waits group.initial.rebalance.delay.ms for more members; while
   * members keep joining, it waits again, up to the rebalance timeout in total.
   */
  private scheduleInitialDelayedJoin(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.joinWait?.timer.cancel();
    const timer = this.ports.timers.after(delayMs, () => this.run(() => this.onInitialDelayExpired(group, timer)));
    group.joinWait = { kind: 'initial', timer, delayMs, remainingMs };
  }

  private onInitialDelayExpired(group: ClassicGroup, timer: { cancel(): void }): void {
    const wait = group.joinWait;
    if (wait === null || wait.timer !== timer || wait.kind !== 'initial') return;
    group.joinWait = null;
    if (group.newMemberAdded && wait.remainingMs !== 0) {
      group.newMemberAdded = false;
      const delayMs = Math.min(this.ports.config.groupInitialRebalanceDelayMs, wait.remainingMs);
      // Kafka subtracts the delay just waited, not the next one (InitialDelayedJoin.onComplete).
      this.scheduleInitialDelayedJoin(group, delayMs, Math.max(wait.remainingMs - wait.delayMs, 0));
      return;
    }
    this.onCompleteJoin(group);
  }

  /** DelayedJoin.tryComplete: the initial delay never completes early; a rebalance does once all rejoined. */
  private tryCompleteJoin(group: ClassicGroup): void {
    const wait = group.joinWait;
    if (wait === null || wait.kind !== 'rebalance' || !group.hasAllMembersJoined()) return;
    wait.timer.cancel();
    group.joinWait = null;
    this.onCompleteJoin(group);
  }

  /** GroupCoordinator.onCompleteJoin: drop who did not rejoin, start the next generation, answer the joins. */
  private onCompleteJoin(group: ClassicGroup): void {
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStaticMember) continue; // static members stay until their session times out
      group.remove(member.memberId);
      this.cancelExpiration(member);
      this.emitMemberRemoved(group, member, 'rebalance-timeout', `member did not rejoin within the rebalance timeout (${group.rebalanceTimeoutMs} ms)`);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members that have not rejoined are left: wait another round for them.
      this.scheduleDelayedJoin(group);
      return;
    }
    group.initNextGeneration();
    if (group.is('Empty')) {
      // Persist the empty generation; if it fails the old one is reloaded and simply times out.
      this.storeGroup(group, new Map(), () => {});
      return;
    }
    this.emit({
      type: 'join-completed',
      atMs: this.nowMs(),
      groupId: group.groupId,
      generationId: group.generationId,
      leaderId: group.leaderId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      members: group.allMembers().map(memberSummary),
    });
    for (const member of group.allMembers()) {
      group.maybeInvokeJoinCallback(member, this.joinResult(group, member, group.isLeader(member.memberId)));
      this.scheduleExpiration(group, member, member.sessionTimeoutMs);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** DelayedSync: every member must send SyncGroup within the rebalance timeout. */
  private schedulePendingSync(group: ClassicGroup): void {
    group.syncWait?.timer.cancel();
    const generationId = group.generationId;
    const timer = this.ports.timers.after(group.rebalanceTimeoutMs, () =>
      this.run(() => {
        if (group.syncWait?.timer !== timer) return;
        group.syncWait = null;
        this.onExpirePendingSync(group, generationId);
      }),
    );
    group.syncWait = { timer, generationId };
  }

  /** DelayedSync.tryComplete: done when the generation moved on or everyone synced. */
  private maybeCompleteSyncExpiration(group: ClassicGroup): void {
    const wait = group.syncWait;
    if (wait === null) return;
    const waiting = (group.is('CompletingRebalance') || group.is('Stable')) && wait.generationId === group.generationId;
    if (waiting && !group.hasReceivedSyncFromAllMembers()) return;
    wait.timer.cancel();
    group.syncWait = null;
  }

  private removeSyncExpiration(group: ClassicGroup): void {
    group.clearPendingSyncMembers();
    this.maybeCompleteSyncExpiration(group);
  }

  private onExpirePendingSync(group: ClassicGroup, generationId: number): void {
    if (generationId !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
    if (group.hasReceivedSyncFromAllMembers()) return;
    const missing = group.allPendingSyncMembers();
    for (const memberId of missing) {
      const member = group.remove(memberId);
      if (member === undefined) continue;
      this.cancelExpiration(member);
      this.emitMemberRemoved(group, member, 'sync-timeout', `member did not send SyncGroup within the rebalance timeout (${group.rebalanceTimeoutMs} ms)`);
    }
    this.prepareRebalance(group, {
      cause: 'rebalance-timeout',
      memberId: null,
      // Kafka prints the Scala Set: Set(a, b) up to four members, HashSet(...) beyond.
      reason: `Removing ${missing.length <= 4 ? 'Set' : 'HashSet'}(${missing.join(', ')}) on pending sync request expiration`,
      clientReason: null,
    });
  }

  // =============================================================================================
  // SyncGroup
  // =============================================================================================

  handleSyncGroup(request: SyncGroupRequest, respond: SyncCallback): void {
    this.run(() => {
      const reply: SyncCallback = (response) => this.deliver(() => respond(response));
      const status = this.validateGroupStatus(request.groupId, false);
      // While loading, the rebalance in flight is lost: the member must rejoin (older clients do
      // not expect COORDINATOR_LOAD_IN_PROGRESS here).
      if (status === 'COORDINATOR_LOAD_IN_PROGRESS') return reply(syncError('REBALANCE_IN_PROGRESS'));
      if (status !== null) return reply(syncError(status));
      const group = this.groups.get(request.groupId);
      if (group === undefined) return reply(syncError('UNKNOWN_MEMBER_ID'));
      const error = this.validateSyncGroup(group, request);
      if (error !== null) return reply(syncError(error));
      switch (group.state) {
        case 'Empty':
          return reply(syncError('UNKNOWN_MEMBER_ID'));
        case 'PreparingRebalance':
          return reply(syncError('REBALANCE_IN_PROGRESS'));
        case 'CompletingRebalance':
          return this.syncWhileCompleting(group, request, reply);
        case 'Stable': {
          group.removePendingSyncMember(request.memberId);
          this.maybeCompleteSyncExpiration(group);
          const member = group.get(request.memberId);
          reply({ error: 'NONE', protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
          this.scheduleExpiration(group, member, member.sessionTimeoutMs);
          return;
        }
        case 'Dead':
          assertFailed(`SyncGroup reached the Dead group ${group.groupId}`);
      }
    });
  }

  private validateSyncGroup(group: ClassicGroup, request: SyncGroupRequest): KafkaErrorName | null {
    if (group.is('Dead')) return 'COORDINATOR_NOT_AVAILABLE';
    const memberError = this.validateCurrentMember(group, request.memberId, request.groupInstanceId);
    if (memberError !== null) return memberError;
    if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    if (request.protocolType !== null && request.protocolType !== group.protocolType) return 'INCONSISTENT_GROUP_PROTOCOL';
    if (request.protocolName !== null && request.protocolName !== group.protocolName) return 'INCONSISTENT_GROUP_PROTOCOL';
    return null;
  }

  /** The member waits for the leader's assignment; the leader's SyncGroup persists it and answers all. */
  private syncWhileCompleting(group: ClassicGroup, request: SyncGroupRequest, reply: SyncCallback): void {
    const member = group.get(request.memberId);
    member.awaitingSyncCallback = reply;
    group.removePendingSyncMember(request.memberId);
    this.maybeCompleteSyncExpiration(group);
    if (!group.isLeader(request.memberId)) return;
    // Members the leader left out get an empty assignment.
    const assignment = new Map<string, Uint8Array>();
    for (const a of request.assignments) assignment.set(a.memberId, a.assignment);
    for (const m of group.allMembers()) if (!assignment.has(m.memberId)) assignment.set(m.memberId, EMPTY_BYTES);
    const generationId = group.generationId;
    this.storeGroup(group, assignment, (error) => {
      // A member may have joined meanwhile: only the same generation, still completing, proceeds.
      if (!group.is('CompletingRebalance') || group.generationId !== generationId) return;
      if (error !== 'NONE') {
        this.resetAndPropagateAssignmentError(group, error);
        this.maybePrepareRebalance(group, {
          cause: 'storage-error',
          memberId: request.memberId,
          reason: `Error ${error} when storing group assignment during SyncGroup (member: ${request.memberId})`,
          clientReason: null,
        });
        return;
      }
      this.setAndPropagateAssignment(group, assignment);
      group.transitionTo('Stable');
    });
  }

  private setAndPropagateAssignment(group: ClassicGroup, assignment: ReadonlyMap<string, Uint8Array>): void {
    if (!group.is('CompletingRebalance')) assertFailed(`group ${group.groupId} must be CompletingRebalance to take an assignment`);
    for (const m of group.allMembers()) m.assignment = assignment.get(m.memberId) ?? EMPTY_BYTES;
    this.emit({
      type: 'sync-completed',
      atMs: this.nowMs(),
      groupId: group.groupId,
      generationId: group.generationId,
      protocolName: group.protocolName,
      assignments: group.allMembers().map((m) => ({ memberId: m.memberId, assignment: m.assignment })),
    });
    this.propagateAssignment(group, 'NONE');
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, error: KafkaErrorName): void {
    if (!group.is('CompletingRebalance')) assertFailed(`group ${group.groupId} must be CompletingRebalance to reset its assignment`);
    for (const m of group.allMembers()) m.assignment = EMPTY_BYTES;
    this.propagateAssignment(group, error);
  }

  /** Answers every waiting SyncGroup; each answered member's session starts again from now. */
  private propagateAssignment(group: ClassicGroup, error: KafkaErrorName): void {
    for (const member of group.allMembers()) {
      const response: SyncGroupResponse =
        error === 'NONE' ? { error, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment } : syncError(error);
      if (group.maybeInvokeSyncCallback(member, response)) this.scheduleExpiration(group, member, member.sessionTimeoutMs);
    }
  }

  // =============================================================================================
  // Heartbeat, session expiration, pending members
  // =============================================================================================

  handleHeartbeat(request: HeartbeatRequest, respond: (response: HeartbeatResponse) => void): void {
    this.run(() => {
      const error = this.heartbeat(request);
      this.deliver(() => respond({ error }));
    });
  }

  private heartbeat(request: HeartbeatRequest): KafkaErrorName {
    const status = this.validateGroupStatus(request.groupId, false);
    // While loading, Kafka answers heartbeats blindly: the member keeps going until it can rejoin.
    if (status === 'COORDINATOR_LOAD_IN_PROGRESS') return 'NONE';
    if (status !== null) return status;
    const group = this.groups.get(request.groupId);
    if (group === undefined) return 'UNKNOWN_MEMBER_ID';
    if (group.is('Dead')) return 'COORDINATOR_NOT_AVAILABLE';
    const memberError = this.validateCurrentMember(group, request.memberId, request.groupInstanceId);
    if (memberError !== null) return memberError;
    if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    if (group.is('Empty')) return 'UNKNOWN_MEMBER_ID';
    const member = group.get(request.memberId);
    this.scheduleExpiration(group, member, member.sessionTimeoutMs);
    return group.is('PreparingRebalance') ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  }

  /** (Re)starts the member's session: it is removed unless it shows life within `timeoutMs`. */
  private scheduleExpiration(group: ClassicGroup, member: ClassicGroupMember, timeoutMs: number): void {
    this.cancelExpiration(member);
    const timer = this.ports.timers.after(Math.max(timeoutMs, 0), () =>
      this.run(() => {
        if (member.expiration !== timer) return;
        member.expiration = null;
        this.onExpireHeartbeat(group, member);
      }),
    );
    member.expiration = timer;
  }

  private cancelExpiration(member: ClassicGroupMember): void {
    member.expiration?.cancel();
    member.expiration = null;
  }

  /**
   * The session ran out (GroupCoordinator.onExpireHeartbeat). A member waiting in JoinGroup or
   * SyncGroup counts as alive — unless it is new, whose JoinGroup may wait only 5 minutes.
   */
  private onExpireHeartbeat(group: ClassicGroup, member: ClassicGroupMember): void {
    if (group.is('Dead') || group.find(member.memberId) !== member) return;
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    const reason: MemberRemovalReason = member.isNew ? 'new-member-join-timeout' : 'session-timeout';
    const detail = member.isNew
      ? `JoinGroup of new member waited ${NEW_MEMBER_JOIN_TIMEOUT_MS} ms without the rebalance completing`
      : `no heartbeat within session.timeout.ms=${member.sessionTimeoutMs}`;
    this.removeMemberAndUpdateGroup(group, member, reason, detail, {
      cause: 'session-timeout',
      memberId: member.memberId,
      reason: `removing member ${member.memberId} on heartbeat expiration`,
      clientReason: null,
    });
  }

  private addPendingMemberExpiration(group: ClassicGroup, memberId: string, timeoutMs: number): void {
    const timer = this.ports.timers.after(Math.max(timeoutMs, 0), () =>
      this.run(() => {
        if (group.pendingMemberExpirations.get(memberId) !== timer) return;
        group.pendingMemberExpirations.delete(memberId);
        if (group.is('Dead') || !group.isPendingMember(memberId)) return;
        this.removePendingMemberAndUpdateGroup(group, memberId);
        this.emit({
          type: 'member-removed',
          atMs: this.nowMs(),
          groupId: group.groupId,
          generationId: group.generationId,
          memberId,
          groupInstanceId: null,
          reason: 'pending-member-expired',
          detail: `member id handed out with MEMBER_ID_REQUIRED was not used within session.timeout.ms=${timeoutMs}`,
        });
      }),
    );
    group.pendingMemberExpirations.set(memberId, timer);
  }

  private cancelPendingMemberExpiration(group: ClassicGroup, memberId: string): void {
    group.pendingMemberExpirations.get(memberId)?.cancel();
    group.pendingMemberExpirations.delete(memberId);
  }

  private removePendingMemberAndUpdateGroup(group: ClassicGroup, memberId: string): void {
    this.cancelPendingMemberExpiration(group, memberId);
    group.remove(memberId);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  /** GroupCoordinator.removeMemberAndUpdateGroup: answer its waiting join, drop it, rebalance. */
  private removeMemberAndUpdateGroup(group: ClassicGroup, member: ClassicGroupMember, why: MemberRemovalReason, detail: string, trigger: RebalanceTrigger): void {
    group.maybeInvokeJoinCallback(member, joinError('', 'UNKNOWN_MEMBER_ID'));
    // Kafka leaves a SyncGroup of a removed member unanswered (the client times out); answer it.
    group.maybeInvokeSyncCallback(member, syncError('UNKNOWN_MEMBER_ID'));
    group.remove(member.memberId);
    this.cancelExpiration(member);
    this.emitMemberRemoved(group, member, why, detail);
    switch (group.state) {
      case 'Dead':
      case 'Empty':
        return;
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group, trigger);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
    }
  }

  // =============================================================================================
  // LeaveGroup
  // =============================================================================================

  handleLeaveGroup(request: LeaveGroupRequest, respond: (response: LeaveGroupResponse) => void): void {
    this.run(() => {
      const response = this.leaveGroup(request);
      this.deliver(() => respond(response));
    });
  }

  private leaveGroup(request: LeaveGroupRequest): LeaveGroupResponse {
    const status = this.validateGroupStatus(request.groupId, false);
    if (status !== null) return { error: status, members: [] };
    if (request.members.length > groupLimits.membersPerGroupMax) return { error: 'INVALID_REQUEST', members: [] };
    const group = this.groups.get(request.groupId);
    if (group === undefined) return { error: 'NONE', members: request.members.map((m) => leaveResult(m, 'UNKNOWN_MEMBER_ID')) };
    if (group.is('Dead')) return { error: 'COORDINATOR_NOT_AVAILABLE', members: [] };
    return { error: 'NONE', members: request.members.map((m) => leaveResult(m, this.leaveOne(group, m))) };
  }

  private leaveOne(group: ClassicGroup, identity: LeaveGroupMemberIdentity): KafkaErrorName {
    // An admin may remove a static member by its group.instance.id alone.
    if (identity.memberId === '') {
      const current = identity.groupInstanceId === null ? null : group.currentStaticMemberId(identity.groupInstanceId);
      if (current === null) return 'UNKNOWN_MEMBER_ID';
      this.removeLeavingMember(group, group.get(current), identity.reason);
      return 'NONE';
    }
    if (group.isPendingMember(identity.memberId)) {
      this.removePendingMemberAndUpdateGroup(group, identity.memberId);
      return 'NONE';
    }
    const error = this.validateCurrentMember(group, identity.memberId, identity.groupInstanceId);
    if (error !== null) return error;
    this.removeLeavingMember(group, group.get(identity.memberId), identity.reason);
    return 'NONE';
  }

  private removeLeavingMember(group: ClassicGroup, member: ClassicGroupMember, clientReason: string | null): void {
    this.removeMemberAndUpdateGroup(group, member, 'leave-group', `LeaveGroup; client reason: ${clientReason ?? 'not provided'}`, {
      cause: 'member-left',
      memberId: member.memberId,
      reason: `Removing member ${member.memberId} on LeaveGroup; client reason: ${clientReason ?? 'not provided'}`,
      clientReason,
    });
  }

  // =============================================================================================
  // OffsetCommit
  // =============================================================================================

  handleOffsetCommit(request: OffsetCommitRequest, respond: (response: OffsetCommitResponse) => void): void {
    this.run(() => {
      const reply = (items: readonly CommitItem[], errorFor: (item: CommitItem) => KafkaErrorName): void => {
        const response = commitResponse(request, items, errorFor);
        this.deliver(() => respond(response));
      };
      const items = this.checkCommitItems(request);
      const status = this.validateGroupStatus(request.groupId, true);
      if (status !== null) return reply(items, () => status);
      let group = this.groups.get(request.groupId);
      if (group === undefined) {
        // generation -1: offsets stored for a consumer outside group management (a "simple" group).
        if (request.generationId >= 0) return reply(items, () => 'ILLEGAL_GENERATION');
        if (this.groups.size >= groupLimits.groupsPerCoordinatorMax) return reply(items, () => 'COORDINATOR_NOT_AVAILABLE');
        group = this.createGroup(request.groupId);
      }
      const error = this.validateOffsetCommit(group, request);
      if (error !== null) return reply(items, () => error);
      switch (group.state) {
        case 'Empty':
          return this.storeOffsets(group, request, items, reply);
        case 'Stable':
        case 'PreparingRebalance': {
          // A commit is a sign of life; during PreparingRebalance the heartbeat tells it to rejoin.
          const member = group.get(request.memberId);
          this.scheduleExpiration(group, member, member.sessionTimeoutMs);
          return this.storeOffsets(group, request, items, reply);
        }
        case 'CompletingRebalance':
          // The member knows the new generation but has no assignment yet: it must finish the sync.
          return reply(items, () => 'REBALANCE_IN_PROGRESS');
        case 'Dead':
          assertFailed(`OffsetCommit reached the Dead group ${group.groupId}`);
      }
    });
  }

  /** GroupCoordinator.validateOffsetCommit (non-transactional). */
  private validateOffsetCommit(group: ClassicGroup, request: OffsetCommitRequest): KafkaErrorName | null {
    if (group.is('Dead')) return 'COORDINATOR_NOT_AVAILABLE';
    // From outside the group (admin tool, assign() consumer): only while nobody is in the group.
    if (request.generationId < 0 && group.is('Empty')) return null;
    if (request.generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
      const memberError = this.validateCurrentMember(group, request.memberId, request.groupInstanceId);
      if (memberError !== null) return memberError;
      return request.generationId !== group.generationId ? 'ILLEGAL_GENERATION' : null;
    }
    return group.is('Empty') ? null : 'UNKNOWN_MEMBER_ID';
  }

  /** Per-partition checks that do not depend on the group: sizes, number ranges, metadata length. */
  private checkCommitItems(request: OffsetCommitRequest): CommitItem[] {
    const total = request.topics.reduce((n, t) => n + t.partitions.length, 0);
    const tooMany = total > groupLimits.partitionsPerOffsetRequestMax;
    const nowMs = this.nowMs();
    return request.topics.flatMap((topic) =>
      topic.partitions.map((p): CommitItem => {
        const error = tooMany ? 'INVALID_COMMIT_OFFSET_SIZE' : this.commitPartitionError(topic.name, p);
        if (error !== null) return { topic: topic.name, partition: p.partition, error, entry: null };
        const value: CommittedOffset = {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata: p.committedMetadata ?? '',
          commitTimestampMs: nowMs,
          expireTimestampMs: null,
        };
        return { topic: topic.name, partition: p.partition, error: null, entry: { topic: topic.name, partition: p.partition, value } };
      }),
    );
  }

  private commitPartitionError(topic: string, p: OffsetCommitPartition): KafkaErrorName | null {
    if (topic.length === 0 || !fitsKafkaString(topic)) return 'INVALID_TOPIC_EXCEPTION';
    if (!isInt32(p.partition) || p.partition < 0) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (!Number.isSafeInteger(p.committedOffset) || !isInt32(p.committedLeaderEpoch)) return 'INVALID_COMMIT_OFFSET_SIZE';
    const metadata = p.committedMetadata ?? '';
    // Kafka compares String.length() (UTF-16 units); the record must also fit a STRING.
    if (metadata.length > this.ports.config.offsetMetadataMaxBytes || !fitsKafkaString(metadata)) return 'OFFSET_METADATA_TOO_LARGE';
    return null;
  }

  /**
   * GroupMetadataManager.storeOffsets: append the commits; the response waits for the append to be
   * committed (acks=all), then the offsets become visible to OffsetFetch.
   */
  private storeOffsets(
    group: ClassicGroup,
    request: OffsetCommitRequest,
    checked: readonly CommitItem[],
    reply: (items: readonly CommitItem[], errorFor: (item: CommitItem) => KafkaErrorName) => void,
  ): void {
    const items = checked.map((item) => this.applyOffsetsBound(group, item));
    const entries = items.flatMap((i) => (i.entry === null ? [] : [i.entry]));
    if (entries.length === 0) return reply(items, (i) => i.error!);
    const partition = this.partitionFor(group.groupId);
    if (!this.ownedPartitions.has(partition)) return reply(items, (i) => i.error ?? 'NOT_COORDINATOR');
    if (this.appendsInFlight >= groupLimits.appendsInFlightMax) return reply(items, (i) => i.error ?? 'COORDINATOR_NOT_AVAILABLE');
    group.prepareOffsetCommit(entries);
    const records = entries.map((e) => ({
      key: encodeOffsetCommitKey(group.groupId, e.topic, e.partition),
      value: encodeOffsetCommitValue({ offset: e.value.offset, leaderEpoch: e.value.leaderEpoch, metadata: e.value.metadata, commitTimestampMs: e.value.commitTimestampMs }),
    }));
    const generationId = group.generationId;
    this.append(partition, records, (appendError) => {
      if (appendError === 'NONE') {
        if (!group.is('Dead')) for (const e of entries) group.onOffsetCommitAppend(e);
        this.emit({
          type: 'offsets-committed',
          atMs: this.nowMs(),
          groupId: group.groupId,
          generationId,
          memberId: request.memberId,
          offsets: entries.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.value.offset, leaderEpoch: e.value.leaderEpoch })),
        });
      } else if (!group.is('Dead')) {
        for (const e of entries) group.failPendingOffsetWrite(e);
      }
      const mapped = convertOffsetCommitError(appendError);
      reply(items, (i) => i.error ?? mapped);
    });
  }

  /** A group holds at most groupLimits.offsetsPerGroupMax offsets: new partitions past it are refused. */
  private applyOffsetsBound(group: ClassicGroup, item: CommitItem): CommitItem {
    if (item.entry === null || group.offsets.has(item.topic, item.partition) || group.pendingOffsetCommits.has(item.topic, item.partition)) return item;
    if (group.offsets.size + group.pendingOffsetCommits.size < groupLimits.offsetsPerGroupMax) return item;
    return { ...item, error: 'INVALID_COMMIT_OFFSET_SIZE', entry: null };
  }

  // =============================================================================================
  // OffsetFetch, DescribeGroups, ListGroups
  // =============================================================================================

  /** Committed offsets, whatever the group's state (it may not use group management at all). */
  handleOffsetFetch(request: OffsetFetchRequest): OffsetFetchResponse {
    const status = this.validateGroupStatus(request.groupId, true);
    if (status !== null) return { error: status, topics: [] };
    const requested = request.topics?.reduce((n, t) => n + t.partitions.length, 0) ?? 0;
    if (requested > groupLimits.partitionsPerOffsetRequestMax) return { error: 'INVALID_REQUEST', topics: [] };
    const group = this.groups.get(request.groupId);
    const live = group !== undefined && !group.is('Dead') ? group : null;
    const fetchOne = (topic: string, partition: number): OffsetFetchPartition => {
      const committed = live?.offsets.get(topic, partition);
      return committed === undefined
        ? { partition, committedOffset: INVALID_OFFSET, committedLeaderEpoch: -1, metadata: '', error: 'NONE' }
        : { partition, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch, metadata: committed.metadata, error: 'NONE' };
    };
    if (request.topics !== null) {
      return { error: 'NONE', topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => fetchOne(t.name, p)) })) };
    }
    const byTopic = new Map<string, OffsetFetchPartition[]>();
    for (const e of live?.offsets.entries() ?? []) {
      const list = byTopic.get(e.topic) ?? [];
      list.push(fetchOne(e.topic, e.partition));
      byTopic.set(e.topic, list);
    }
    return { error: 'NONE', topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  }

  /** Each group's state and members; an unknown group is reported Dead, as Kafka does. */
  handleDescribeGroups(request: DescribeGroupsRequest): DescribeGroupsResponse {
    // Past the bound every group is refused (cheaply) rather than some silently left out.
    if (request.groupIds.length > groupLimits.groupIdsPerRequestMax) {
      return { groups: request.groupIds.map((groupId) => ({ error: 'INVALID_REQUEST', groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] })) };
    }
    return { groups: request.groupIds.map((groupId) => this.describeGroup(groupId)) };
  }

  private describeGroup(groupId: string): DescribedGroup {
    const status = this.validateGroupStatus(groupId, true);
    // Kafka answers errors with an empty summary whose state is ""; the type here has no "", so Dead.
    if (status !== null) return { error: status, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    const group = this.groups.get(groupId);
    if (group === undefined) return { error: 'NONE', groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    const summary = group.summary();
    return { error: 'NONE', groupId, groupState: summary.state, protocolType: summary.protocolType, protocolData: summary.protocol, members: summary.members };
  }

  /** Every group this coordinator holds, optionally by state; COORDINATOR_LOAD_IN_PROGRESS while any partition loads. */
  handleListGroups(request: ListGroupsRequest): ListGroupsResponse {
    if (!this.active) return { error: 'COORDINATOR_NOT_AVAILABLE', groups: [] };
    const states = new Set(request.statesFilter);
    const groups = [...this.groups.values()]
      .filter((g) => states.size === 0 || states.has(g.state))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }));
    return { error: this.loadingPartitions.size > 0 ? 'COORDINATOR_LOAD_IN_PROGRESS' : 'NONE', groups };
  }

  // =============================================================================================
  // DeleteGroups and offsets expiration
  // =============================================================================================

  /** Deletes Empty groups and their offsets (tombstones); NON_EMPTY_GROUP while members remain. */
  handleDeleteGroups(request: DeleteGroupsRequest): DeleteGroupsResponse {
    return this.run(() => {
      const ids = [...new Set(request.groupIds)];
      if (ids.length > groupLimits.groupIdsPerRequestMax) return { results: ids.map((groupId) => ({ groupId, error: 'INVALID_REQUEST' as const })) };
      return { results: ids.map((groupId) => ({ groupId, error: this.deleteGroup(groupId) })) };
    });
  }

  private deleteGroup(groupId: string): KafkaErrorName {
    const status = this.validateGroupStatus(groupId, true);
    if (status !== null) return status;
    const group = this.groups.get(groupId);
    if (group === undefined || group.is('Dead')) return 'GROUP_ID_NOT_FOUND';
    if (!group.is('Empty')) return 'NON_EMPTY_GROUP';
    group.transitionTo('Dead');
    const removed = this.cleanupGroup(group, group.removeAllOffsets());
    this.emit({ type: 'group-deleted', atMs: this.nowMs(), groupId, offsetsRemoved: removed.length });
    return 'NONE';
  }

  private scheduleOffsetsExpiration(delayMs: number): void {
    this.expirationTimer = this.ports.timers.after(delayMs, () =>
      this.run(() => {
        if (!this.active) return;
        this.expireOffsets();
        this.scheduleOffsetsExpiration(this.ports.config.offsetsRetentionCheckIntervalMs);
      }),
    );
  }

  /** GroupMetadataManager.cleanupGroupMetadata: expire offsets past offsets.retention.minutes. */
  private expireOffsets(): void {
    const nowMs = this.nowMs();
    for (const group of [...this.groups.values()]) {
      const expired = group.removeExpiredOffsets(nowMs, this.ports.config.offsetsRetentionMs);
      if (expired.length > 0) {
        this.emit({
          type: 'offsets-expired',
          atMs: nowMs,
          groupId: group.groupId,
          offsets: expired.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.value.offset, commitTimestampMs: e.value.commitTimestampMs })),
        });
      }
      this.cleanupGroup(group, expired);
    }
  }

  /**
   * After offsets were removed from a group: an Empty group without offsets dies and leaves the
   * cache; tombstones go to the log for the offsets and, for a group that ever had a generation,
   * its metadata. Like Kafka, the tombstones are not waited for: a lost one is written again.
   */
  private cleanupGroup(group: ClassicGroup, removed: readonly TopicPartitionEntry<CommittedOffset>[]): TopicPartitionEntry<CommittedOffset>[] {
    if (group.is('Empty') && !group.hasOffsets()) group.transitionTo('Dead');
    const tombstones: OffsetsLogRecord[] = removed.map((e) => ({ key: encodeOffsetCommitKey(group.groupId, e.topic, e.partition), value: null }));
    if (group.is('Dead') && this.groups.get(group.groupId) === group) {
      this.groups.delete(group.groupId);
      this.cancelGroupTimers(group);
      // A generation-0 group only ever stored offsets: it has no metadata record to delete.
      if (group.generationId > 0) tombstones.push({ key: encodeGroupMetadataKey(group.groupId), value: null });
    }
    const partition = this.partitionFor(group.groupId);
    if (tombstones.length > 0 && this.ownedPartitions.has(partition) && this.appendsInFlight < groupLimits.appendsInFlightMax) {
      this.append(partition, tombstones, () => {});
    }
    return [...removed];
  }

  // =============================================================================================
  // Persisting group metadata
  // =============================================================================================

  /** GroupMetadataManager.storeGroup: write the group's GroupMetadataValue; `onDone` gets the mapped error. */
  private storeGroup(group: ClassicGroup, assignment: ReadonlyMap<string, Uint8Array>, onDone: (error: KafkaErrorName) => void): void {
    const partition = this.partitionFor(group.groupId);
    if (!this.ownedPartitions.has(partition)) return onDone('NOT_COORDINATOR');
    if (this.appendsInFlight >= groupLimits.appendsInFlightMax) return onDone('COORDINATOR_NOT_AVAILABLE');
    const record = { key: encodeGroupMetadataKey(group.groupId), value: encodeGroupMetadataValue(groupMetadataValue(group, assignment)) };
    this.append(partition, [record], (error) => onDone(convertStoreGroupError(error)));
  }

  /** Appends through the port; the callback runs as a coordinator call, exactly once. */
  private append(partition: number, records: readonly OffsetsLogRecord[], onDone: (error: KafkaErrorName) => void): void {
    this.appendsInFlight += 1;
    let done = false;
    this.ports.log.append(partition, records, (error) =>
      this.run(() => {
        if (done) assertFailed(`the offsets log answered an append to partition ${partition} twice`);
        done = true;
        this.appendsInFlight -= 1;
        onDone(error);
      }),
    );
  }

  // =============================================================================================
  // Loading and unloading
  // =============================================================================================

  /**
   * Replays __consumer_offsets-`partition` (GroupMetadataManager.doLoadGroupsAndOffsets): the last
   * value of each key wins, a tombstone deletes it. Groups with metadata come back Stable (with
   * members) or Empty; offsets without metadata form Empty "simple" groups. A record that does not
   * decode aborts the load, and the partition is then served empty, as in Kafka.
   */
  private loadPartition(partition: number): void {
    if (!this.loadingPartitions.has(partition)) return;
    this.loadingPartitions.delete(partition);
    this.ownedPartitions.add(partition);
    let loadedGroups: ClassicGroup[];
    try {
      loadedGroups = this.replay(partition);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.emit({ type: 'partition-load-failed', atMs: this.nowMs(), partition, message });
      return;
    }
    let offsets = 0;
    for (const group of loadedGroups) {
      if (this.groups.has(group.groupId)) continue; // Kafka's addGroup keeps a group already cached
      this.groups.set(group.groupId, group);
      offsets += group.offsets.size;
      this.emit({
        type: 'group-loaded',
        atMs: this.nowMs(),
        groupId: group.groupId,
        partition,
        state: group.state,
        generationId: group.generationId,
        memberCount: group.size,
        offsetCount: group.offsets.size,
      });
      this.onGroupLoaded(group);
    }
    this.emit({ type: 'partition-loaded', atMs: this.nowMs(), partition, groups: loadedGroups.length, offsets });
  }

  private replay(partition: number): ClassicGroup[] {
    const metadata = new Map<string, GroupMetadataValue>();
    const offsets = new Map<string, Map<string, TopicPartitionEntry<CommittedOffset>>>();
    for (const raw of this.ports.log.read(partition)) {
      const record = decodeOffsetsRecord(raw);
      if (record.type === 'offset-commit') {
        const { group, topic, partition: p } = record.key;
        const byPartition = offsets.get(group) ?? new Map<string, TopicPartitionEntry<CommittedOffset>>();
        const slot = `${p}\u0000${topic}`;
        if (record.value === null) byPartition.delete(slot);
        else {
          const v = record.value;
          byPartition.set(slot, { topic, partition: p, value: { offset: v.offset, leaderEpoch: v.leaderEpoch, metadata: v.metadata, commitTimestampMs: v.commitTimestampMs, expireTimestampMs: v.expireTimestampMs === -1 ? null : v.expireTimestampMs } });
        }
        offsets.set(group, byPartition);
      } else if (record.type === 'group-metadata') {
        if (record.value === null) metadata.delete(record.key.group);
        else metadata.set(record.key.group, record.value);
      }
      // Unknown key versions (KIP-848 records) are skipped, as Kafka does.
    }
    const groupIds = new Set([...metadata.keys(), ...[...offsets].filter(([, m]) => m.size > 0).map(([id]) => id)]);
    if (this.groups.size + groupIds.size > groupLimits.groupsPerCoordinatorMax) {
      throw new Error(`__consumer_offsets-${partition} holds ${groupIds.size} groups, more than this coordinator's ${groupLimits.groupsPerCoordinatorMax}`);
    }
    return [...groupIds].sort().map((groupId) => {
      const value = metadata.get(groupId);
      const group = value === undefined ? this.newGroup(groupId, 'Empty') : this.groupFromMetadata(groupId, value);
      for (const e of offsets.get(groupId)?.values() ?? []) {
        if (group.offsets.size >= groupLimits.offsetsPerGroupMax) break;
        group.offsets.set(e.topic, e.partition, e.value);
      }
      return group;
    });
  }

  /** GroupMetadata.loadGroup: Stable with the stored members, or Empty without. */
  private groupFromMetadata(groupId: string, value: GroupMetadataValue): ClassicGroup {
    const group = this.newGroup(groupId, value.members.length > 0 ? 'Stable' : 'Empty');
    group.generationId = value.generation;
    group.protocolType = value.protocolType === '' ? null : value.protocolType;
    group.protocolName = value.protocol;
    group.leaderId = value.leader;
    group.currentStateTimestampMs = value.currentStateTimestampMs === NO_STATE_TIMESTAMP ? null : value.currentStateTimestampMs;
    for (const m of value.members.slice(0, groupLimits.membersPerGroupMax)) {
      if (group.has(m.memberId) || (m.groupInstanceId !== null && group.currentStaticMemberId(m.groupInstanceId) !== null)) continue;
      const member = new ClassicGroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        m.rebalanceTimeoutMs === -1 ? m.sessionTimeoutMs : m.rebalanceTimeoutMs,
        m.sessionTimeoutMs,
        value.protocolType,
        [{ name: value.protocol ?? '', metadata: m.subscription }],
        m.assignment,
      );
      group.add(member, null);
    }
    if (group.leaderId !== null && !group.has(group.leaderId)) group.leaderId = group.allMembers()[0]?.memberId ?? null;
    group.subscribedTopics = group.computeSubscribedTopics();
    return group;
  }

  /** GroupCoordinator.onGroupLoaded: members get one session timeout to heartbeat the new coordinator. */
  private onGroupLoaded(group: ClassicGroup): void {
    if (group.size > this.maxGroupSize()) {
      this.prepareRebalance(group, {
        cause: 'over-capacity',
        memberId: null,
        reason: `Freshly-loaded group is over capacity (${this.maxGroupSize()}). Rebalancing in order to give a chance for consumers to commit offsets`,
        clientReason: null,
      });
    }
    for (const member of group.allMembers()) this.scheduleExpiration(group, member, member.sessionTimeoutMs);
  }

  /** GroupCoordinator.onGroupUnloaded: the group is Dead here; waiting members hear NOT_COORDINATOR. */
  private onGroupUnloaded(group: ClassicGroup): void {
    const previous = group.state;
    group.transitionTo('Dead');
    for (const member of group.allMembers()) {
      if (previous === 'PreparingRebalance') group.maybeInvokeJoinCallback(member, joinError(member.memberId, 'NOT_COORDINATOR'));
      if (previous === 'Stable' || previous === 'CompletingRebalance') group.maybeInvokeSyncCallback(member, syncError('NOT_COORDINATOR'));
    }
    group.clearPendingSyncMembers();
    this.cancelGroupTimers(group);
    this.emit({ type: 'group-unloaded', atMs: this.nowMs(), groupId: group.groupId, partition: this.partitionFor(group.groupId), generationId: group.generationId });
  }

  private cancelGroupTimers(group: ClassicGroup): void {
    group.joinWait?.timer.cancel();
    group.joinWait = null;
    group.syncWait?.timer.cancel();
    group.syncWait = null;
    for (const timer of group.pendingMemberExpirations.values()) timer.cancel();
    group.pendingMemberExpirations.clear();
    for (const member of group.allMembers()) this.cancelExpiration(member);
  }

  // =============================================================================================
  // Plumbing: groups, events, the outbox
  // =============================================================================================

  private createGroup(groupId: string): ClassicGroup {
    const group = this.newGroup(groupId, 'Empty');
    this.groups.set(groupId, group);
    return group;
  }

  private newGroup(groupId: string, state: GroupState): ClassicGroup {
    return new ClassicGroup(groupId, state, this.ports.clock, (g, from, to) =>
      this.emit({ type: 'state-changed', atMs: this.nowMs(), groupId: g.groupId, generationId: g.generationId, from, to }),
    );
  }

  private emitMemberRemoved(group: ClassicGroup, member: ClassicGroupMember, reason: MemberRemovalReason, detail: string): void {
    this.emit({
      type: 'member-removed',
      atMs: this.nowMs(),
      groupId: group.groupId,
      generationId: group.generationId,
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      reason,
      detail,
    });
  }

  private emit(event: CoordinatorEvent): void {
    const listener = this.ports.onEvent;
    if (listener !== undefined) this.deliver(() => listener(event));
  }

  private nowMs(): number {
    return this.ports.clock.nowMs();
  }

  /** Queues a response or an event; it goes out when the outermost coordinator call returns. */
  private deliver(send: () => void): void {
    if (!(this.outbox.length < groupLimits.outboxMax)) assertFailed(`more than ${groupLimits.outboxMax} coordinator responses queued`);
    this.outbox.push(send);
  }

  /** Runs one coordinator call; the outermost one delivers what was queued, in order. */
  private run<T>(body: () => T): T {
    this.depth += 1;
    try {
      return body();
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.flush();
    }
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let send = this.outbox.shift(); send !== undefined; send = this.outbox.shift()) send();
    } finally {
      this.flushing = false;
    }
  }
}

// =============================================================================================
// Helpers
// =============================================================================================

function memberSummary(m: ClassicGroupMember): GroupMemberSummary {
  return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost };
}

function leaveResult(identity: LeaveGroupMemberIdentity, error: KafkaErrorName): LeaveGroupResponse['members'][number] {
  return { memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error };
}

/** The OffsetCommit response in the request's order: topics as sent, partitions as sent. */
function commitResponse(request: OffsetCommitRequest, items: readonly CommitItem[], errorFor: (item: CommitItem) => KafkaErrorName): OffsetCommitResponse {
  let i = 0;
  return {
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partition: p.partition, error: errorFor(items[i++]!) })),
    })),
  };
}

/** The GroupMetadataValue of a group with the given assignment (GroupMetadataManager.groupMetadataValue). */
function groupMetadataValue(group: ClassicGroup, assignment: ReadonlyMap<string, Uint8Array>): GroupMetadataValue {
  const protocol = group.protocolName;
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestampMs: group.currentStateTimestampMs ?? NO_STATE_TIMESTAMP,
    members: group.allMembers().map((m) => {
      if (!(protocol !== null)) assertFailed(`group ${group.groupId} has members but no protocol`);
      const memberAssignment = assignment.get(m.memberId);
      if (!(memberAssignment !== undefined)) assertFailed(`member ${m.memberId} of ${group.groupId} has no assignment to store`);
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: m.metadata(protocol),
        assignment: memberAssignment,
      };
    }),
  };
}

/** The append error as a SyncGroup / JoinGroup sees it (GroupMetadataManager.storeGroup). */
function convertStoreGroupError(error: KafkaErrorName): KafkaErrorName {
  switch (error) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'REQUEST_TIMED_OUT':
      return 'REBALANCE_IN_PROGRESS';
    case 'MESSAGE_TOO_LARGE':
    case 'RECORD_LIST_TOO_LARGE':
    case 'INVALID_FETCH_SIZE':
      return 'UNKNOWN_SERVER_ERROR';
    default:
      return error;
  }
}

/** The append error as an OffsetCommit sees it (GroupMetadataManager.maybeConvertOffsetCommitError). */
function convertOffsetCommitError(error: KafkaErrorName): KafkaErrorName {
  switch (error) {
    case 'NETWORK_EXCEPTION':
      return 'COORDINATOR_LOAD_IN_PROGRESS';
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'MESSAGE_TOO_LARGE':
    case 'RECORD_LIST_TOO_LARGE':
    case 'INVALID_FETCH_SIZE':
      return 'INVALID_COMMIT_OFFSET_SIZE';
    default:
      return error;
  }
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -0x8000_0000 && n <= 0x7fff_ffff;
}

const utf8 = new TextEncoder();
/** Whether `s`, plus `reserveBytes`, fits one of Kafka's STRING fields (int16 length of UTF-8). */
function fitsKafkaString(s: string, reserveBytes = 0): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings (nearly all) need no encoding.
  if (s.length * 3 + reserveBytes <= groupLimits.stringBytesMax) return true;
  return utf8.encode(s).length + reserveBytes <= groupLimits.stringBytesMax;
}
