/**
 * The group coordinator's requests and responses, named and shaped after Kafka's classic group
 * protocol RPCs (clients/src/main/resources/common/message/*Request.json / *Response.json):
 * FindCoordinator (10), JoinGroup (11), Heartbeat (12), LeaveGroup (13), SyncGroup (14),
 * OffsetCommit (8), OffsetFetch (9), DescribeGroups (15), ListGroups (16), DeleteGroups (42).
 *
 * They are in-process objects, not wire bytes, but every field a Kafka client sends is here with
 * Kafka's name and meaning, so the wire-protocol listener maps them one to one. Protocol metadata
 * (a member's subscription) and assignments are opaque bytes to the coordinator, exactly as in
 * Kafka: the consumer encodes them with engine/groups/consumer-protocol.ts (ConsumerProtocol).
 *
 * Conventions: `memberId` "" means "no member id yet" (UNKNOWN_MEMBER_ID in Kafka's code);
 * `groupInstanceId` null means dynamic membership; generation -1 means "no generation".
 */
import type { KafkaErrorName } from '../core/kafka-errors.js';

export const UNKNOWN_MEMBER_ID = '';
export const NO_GENERATION = -1;

/** The states of a classic group (ClassicGroupState), by Kafka's names as DescribeGroups reports them. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface FindCoordinatorRequest {
  readonly api: 'FindCoordinator';
  readonly key: string;
}
export interface FindCoordinatorResponse {
  readonly error: KafkaErrorName;
  /** The broker id of the coordinator, -1 on error. */
  readonly nodeId: number;
}

export interface JoinGroupProtocol {
  /** The assignor name ("range", "roundrobin", "sticky", "cooperative-sticky"). */
  readonly name: string;
  /** ConsumerProtocolSubscription bytes. */
  readonly metadata: Uint8Array;
}
export interface JoinGroupRequest {
  readonly api: 'JoinGroup';
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** The consumer sends max.poll.interval.ms here. */
  readonly rebalanceTimeoutMs: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** "consumer" for consumers. */
  readonly protocolType: string;
  readonly protocols: readonly JoinGroupProtocol[];
  /** Why the member (re)joins (JoinGroup v8+), shown in the rebalance timeline. */
  readonly reason: string | null;
}
export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Uint8Array;
}
export interface JoinGroupResponse {
  readonly error: KafkaErrorName;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  /** The member id the coordinator gave this member (also with MEMBER_ID_REQUIRED). */
  readonly memberId: string;
  /** Only the leader receives the members and their subscriptions; others get []. */
  readonly members: readonly JoinGroupMember[];
}

export interface SyncGroupAssignment {
  readonly memberId: string;
  /** ConsumerProtocolAssignment bytes. */
  readonly assignment: Uint8Array;
}
export interface SyncGroupRequest {
  readonly api: 'SyncGroup';
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** The leader sends every member's assignment; followers send []. */
  readonly assignments: readonly SyncGroupAssignment[];
}
export interface SyncGroupResponse {
  readonly error: KafkaErrorName;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

export interface HeartbeatRequest {
  readonly api: 'Heartbeat';
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}
export interface HeartbeatResponse {
  readonly error: KafkaErrorName;
}

export interface LeaveGroupMemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason: string | null;
}
export interface LeaveGroupRequest {
  readonly api: 'LeaveGroup';
  readonly groupId: string;
  readonly members: readonly LeaveGroupMemberIdentity[];
}
export interface LeaveGroupResponse {
  readonly error: KafkaErrorName;
  readonly members: readonly { readonly memberId: string; readonly groupInstanceId: string | null; readonly error: KafkaErrorName }[];
}

export interface OffsetCommitPartition {
  readonly partition: number;
  readonly committedOffset: number;
  /** The leader epoch of the last consumed record, -1 when unknown. */
  readonly committedLeaderEpoch: number;
  readonly committedMetadata: string | null;
}
export interface OffsetCommitTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitPartition[];
}
export interface OffsetCommitRequest {
  readonly api: 'OffsetCommit';
  readonly groupId: string;
  /** -1 with memberId "" for a commit from outside the group (a standalone / assign() consumer or an admin tool). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly OffsetCommitTopic[];
}
export interface OffsetCommitResponse {
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly { readonly partition: number; readonly error: KafkaErrorName }[];
  }[];
}

export interface OffsetFetchRequest {
  readonly api: 'OffsetFetch';
  readonly groupId: string;
  /** null asks for every partition the group has an offset for (OffsetFetch v2+). */
  readonly topics: readonly { readonly name: string; readonly partitions: readonly number[] }[] | null;
}
export interface OffsetFetchPartition {
  readonly partition: number;
  /** -1 when the group has no committed offset for the partition. */
  readonly committedOffset: number;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly error: KafkaErrorName;
}
export interface OffsetFetchResponse {
  /** Group-level error (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, ...). */
  readonly error: KafkaErrorName;
  readonly topics: readonly { readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }[];
}

export interface DescribeGroupsRequest {
  readonly api: 'DescribeGroups';
  readonly groupIds: readonly string[];
}
export interface DescribedGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Uint8Array;
  readonly memberAssignment: Uint8Array;
}
export interface DescribedGroup {
  readonly error: KafkaErrorName;
  readonly groupId: string;
  /** "Dead" for a group that does not exist, as Kafka answers. */
  readonly groupState: GroupState;
  readonly protocolType: string;
  /** The chosen assignor when Stable, "" otherwise (as Kafka answers). */
  readonly protocolData: string;
  readonly members: readonly DescribedGroupMember[];
}
export interface DescribeGroupsResponse {
  readonly groups: readonly DescribedGroup[];
}

export interface ListGroupsRequest {
  readonly api: 'ListGroups';
  /** Empty = every state (ListGroups v4 states filter). */
  readonly statesFilter: readonly GroupState[];
}
export interface ListGroupsResponse {
  readonly error: KafkaErrorName;
  readonly groups: readonly { readonly groupId: string; readonly protocolType: string; readonly groupState: GroupState }[];
}

export interface DeleteGroupsRequest {
  readonly api: 'DeleteGroups';
  readonly groupIds: readonly string[];
}
export interface DeleteGroupsResponse {
  /** NON_EMPTY_GROUP when members remain, GROUP_ID_NOT_FOUND when unknown. */
  readonly results: readonly { readonly groupId: string; readonly error: KafkaErrorName }[];
}

export type GroupRequest =
  | FindCoordinatorRequest
  | JoinGroupRequest
  | SyncGroupRequest
  | HeartbeatRequest
  | LeaveGroupRequest
  | OffsetCommitRequest
  | OffsetFetchRequest
  | DescribeGroupsRequest
  | ListGroupsRequest
  | DeleteGroupsRequest;

/** The response type of each group API, for typed request/response plumbing. */
export interface GroupResponseFor {
  FindCoordinator: FindCoordinatorResponse;
  JoinGroup: JoinGroupResponse;
  SyncGroup: SyncGroupResponse;
  Heartbeat: HeartbeatResponse;
  LeaveGroup: LeaveGroupResponse;
  OffsetCommit: OffsetCommitResponse;
  OffsetFetch: OffsetFetchResponse;
  DescribeGroups: DescribeGroupsResponse;
  ListGroups: ListGroupsResponse;
  DeleteGroups: DeleteGroupsResponse;
}
export type GroupApi = keyof GroupResponseFor;
