/**
 * Wire codecs of Kafka's classic consumer-group APIs: OffsetCommit (API key 8, versions 2-7),
 * OffsetFetch (9, 1-5), FindCoordinator (10, 0-2), JoinGroup (11, 0-5), Heartbeat (12, 0-3),
 * LeaveGroup (13, 0-3), SyncGroup (14, 0-3), DescribeGroups (15, 0-4), ListGroups (16, 0-2) and
 * DeleteGroups (42, 0-1). None of these versions is flexible (int16 strings, int32 arrays, no
 * tagged fields); field order and per-version presence follow apache/kafka
 * clients/src/main/resources/common/message/*.json.
 *
 * Only codecs: each reader turns a request body (after the request header) into the in-process
 * request of engine/groups/group-messages.ts, with Kafka's defaults for the fields the version
 * lacks (no group instance id before JoinGroup v5 / SyncGroup v3 / Heartbeat v3 / OffsetCommit v7 /
 * LeaveGroup v3, no reason, rebalance timeout = session timeout for JoinGroup v0, committed leader
 * epoch -1 before OffsetCommit v6); each writer turns the coordinator's response into a response
 * body of the requested version (throttle_time_ms 0 where the version has it: no quotas).
 * Choosing the error (MEMBER_ID_REQUIRED only for JoinGroup v4+, as Kafka's requireKnownMemberId,
 * COORDINATOR_NOT_AVAILABLE for a transaction key, ...) is the caller's.
 *
 * A truncated body throws `WireError` naming the field (from `WireReader`); so do a null (-1)
 * array and a null string or bytes where Kafka's schema has no null, as Kafka's own parser
 * refuses them. Protocol metadata and assignments are copied out of the frame, so the coordinator
 * may keep them after the frame's buffer is reused.
 */
import { type KafkaErrorName } from '../core/kafka-errors.js';
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupProtocol,
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
  OffsetCommitTopic,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupAssignment,
  SyncGroupRequest,
  SyncGroupResponse,
} from '../groups/group-messages.js';
import type { ApiRange } from './api-versions.js';
import { errorCode } from './consumer-apis.js';
import { WireError, WireWriter, type WireReader } from './wire.js';

export const GROUP_API_KEYS = {
  offsetCommit: 8,
  offsetFetch: 9,
  findCoordinator: 10,
  joinGroup: 11,
  heartbeat: 12,
  leaveGroup: 13,
  syncGroup: 14,
  describeGroups: 15,
  listGroups: 16,
  deleteGroups: 42,
} as const;

/** What the listener adds to its ApiVersions list once these are wired (kafka-protocol-facts.md §3). */
export const GROUP_API_VERSIONS: readonly ApiRange[] = [
  { apiKey: GROUP_API_KEYS.offsetCommit, name: 'OffsetCommit', minVersion: 2, maxVersion: 7, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.offsetFetch, name: 'OffsetFetch', minVersion: 1, maxVersion: 5, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.findCoordinator, name: 'FindCoordinator', minVersion: 0, maxVersion: 2, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.joinGroup, name: 'JoinGroup', minVersion: 0, maxVersion: 5, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.heartbeat, name: 'Heartbeat', minVersion: 0, maxVersion: 3, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.leaveGroup, name: 'LeaveGroup', minVersion: 0, maxVersion: 3, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.syncGroup, name: 'SyncGroup', minVersion: 0, maxVersion: 3, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.describeGroups, name: 'DescribeGroups', minVersion: 0, maxVersion: 4, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.listGroups, name: 'ListGroups', minVersion: 0, maxVersion: 2, flexibleFrom: null },
  { apiKey: GROUP_API_KEYS.deleteGroups, name: 'DeleteGroups', minVersion: 0, maxVersion: 1, flexibleFrom: null },
];

/** An ARRAY Kafka's schema does not let be null: -1 is as malformed as a cut frame. */
function requiredArrayLength(reader: WireReader, field: string, minElementBytes: number): number {
  const count = reader.arrayLength(field, minElementBytes);
  if (count === null) throw new WireError(`${field}: null array where Kafka requires one`);
  return count;
}

/** BYTES Kafka's schema does not let be null, copied out of the frame. */
function requiredBytes(reader: WireReader, field: string): Uint8Array {
  const bytes = reader.nullableBytes(field);
  if (bytes === null) throw new WireError(`${field}: null where bytes are required`);
  return bytes.slice();
}

function readStringArray(reader: WireReader, field: string): string[] {
  const count = requiredArrayLength(reader, field, 2);
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push(reader.string(field));
  return values;
}

// ---- FindCoordinator (10), v0-2 ----

/** FindCoordinatorRequest key_type (CoordinatorType.java); v0 has no key type and means a group. */
export const COORDINATOR_KEY_TYPES = { group: 0, transaction: 1 } as const;

export interface WireFindCoordinatorRequest {
  readonly request: FindCoordinatorRequest;
  /**
   * As sent (v1+), 0 for v0. 1 (a transactional id): this broker has no transaction coordinator,
   * the caller answers COORDINATOR_NOT_AVAILABLE; any other id Kafka refuses as INVALID_REQUEST.
   */
  readonly keyType: number;
}

export function readFindCoordinatorRequest(reader: WireReader, version: number): WireFindCoordinatorRequest {
  const key = reader.string('key');
  const keyType = version >= 1 ? reader.int8('key_type') : COORDINATOR_KEY_TYPES.group;
  return { request: { api: 'FindCoordinator', key }, keyType };
}

/** Kafka's default text (Errors.java) of the errors a FindCoordinator answer carries. */
const FIND_COORDINATOR_MESSAGES: Partial<Record<KafkaErrorName, string>> = {
  COORDINATOR_LOAD_IN_PROGRESS: "The coordinator is loading and hence can't process requests.",
  COORDINATOR_NOT_AVAILABLE: 'The coordinator is not available.',
  NOT_COORDINATOR: 'This is not the correct coordinator.',
  INVALID_GROUP_ID: 'The configured groupId is invalid.',
  INVALID_REQUEST:
    'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.',
};

/**
 * `address`: the coordinator's advertised host and port on the listener the request came in on.
 * On an error, or with no address (the coordinator has no endpoint on this listener, answered
 * COORDINATOR_NOT_AVAILABLE as Kafka does), the node is Kafka's Node.noNode(): id -1, host "",
 * port -1. v1+ carry an error message: null on success (as the brokers kafkajs recorded; Kafka
 * 3.x sends "NONE", which no client reads), on an error `errorMessage`, by default Kafka's text
 * for the error.
 */
export function writeFindCoordinatorResponse(
  version: number,
  response: FindCoordinatorResponse,
  address: { readonly host: string; readonly port: number } | null,
  errorMessage?: string | null,
): Uint8Array {
  const error: KafkaErrorName = response.error === 'NONE' && address === null ? 'COORDINATOR_NOT_AVAILABLE' : response.error;
  const found = error === 'NONE' && address !== null;
  const out = new WireWriter(64);
  if (version >= 1) out.int32(0); // throttle_time_ms
  out.int16(errorCode(error));
  if (version >= 1) out.nullableString(error === 'NONE' ? null : errorMessage === undefined ? (FIND_COORDINATOR_MESSAGES[error] ?? null) : errorMessage);
  out.int32(found ? response.nodeId : -1);
  out.nullableString(found ? address.host : '');
  out.int32(found ? address.port : -1);
  return out.finish();
}

// ---- JoinGroup (11), v0-5 ----

export function readJoinGroupRequest(reader: WireReader, version: number): JoinGroupRequest {
  const groupId = reader.string('group_id');
  const sessionTimeoutMs = reader.int32('session_timeout_ms');
  // v0 has no rebalance timeout: Kafka's JoinGroupRequest uses the session timeout for both.
  const rebalanceTimeoutMs = version >= 1 ? reader.int32('rebalance_timeout_ms') : sessionTimeoutMs;
  const memberId = reader.string('member_id');
  const groupInstanceId = version >= 5 ? reader.nullableString('group_instance_id') : null;
  const protocolType = reader.string('protocol_type');
  const protocols: JoinGroupProtocol[] = [];
  // name 2 + metadata 4.
  const count = requiredArrayLength(reader, 'protocols', 6);
  for (let i = 0; i < count; i++) {
    const name = reader.string('protocols.name');
    protocols.push({ name, metadata: requiredBytes(reader, 'protocols.metadata') });
  }
  return { api: 'JoinGroup', groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols, reason: null };
}

/** v0-5 cannot carry a null protocol name (nullable from v7): Kafka sends "" (GroupCoordinator.NoProtocol). */
export function writeJoinGroupResponse(version: number, response: JoinGroupResponse): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 2) out.int32(0); // throttle_time_ms
  out.int16(errorCode(response.error)).int32(response.generationId);
  out.nullableString(response.protocolName ?? '');
  out.nullableString(response.leader).nullableString(response.memberId);
  out.int32(response.members.length);
  for (const member of response.members) {
    out.nullableString(member.memberId);
    if (version >= 5) out.nullableString(member.groupInstanceId);
    out.nullableBytes(member.metadata);
  }
  return out.finish();
}

// ---- SyncGroup (14), v0-3 ----

/** protocol_type and protocol_name come in v5: null here, which the coordinator does not check. */
export function readSyncGroupRequest(reader: WireReader, version: number): SyncGroupRequest {
  const groupId = reader.string('group_id');
  const generationId = reader.int32('generation_id');
  const memberId = reader.string('member_id');
  const groupInstanceId = version >= 3 ? reader.nullableString('group_instance_id') : null;
  const assignments: SyncGroupAssignment[] = [];
  // member_id 2 + assignment 4.
  const count = requiredArrayLength(reader, 'assignments', 6);
  for (let i = 0; i < count; i++) {
    const assignedMemberId = reader.string('assignments.member_id');
    assignments.push({ memberId: assignedMemberId, assignment: requiredBytes(reader, 'assignments.assignment') });
  }
  return { api: 'SyncGroup', groupId, generationId, memberId, groupInstanceId, protocolType: null, protocolName: null, assignments };
}

export function writeSyncGroupResponse(version: number, response: SyncGroupResponse): Uint8Array {
  const out = new WireWriter(64 + response.assignment.length);
  if (version >= 1) out.int32(0); // throttle_time_ms
  return out.int16(errorCode(response.error)).nullableBytes(response.assignment).finish();
}

// ---- Heartbeat (12), v0-3 ----

export function readHeartbeatRequest(reader: WireReader, version: number): HeartbeatRequest {
  const groupId = reader.string('group_id');
  const generationId = reader.int32('generation_id');
  const memberId = reader.string('member_id');
  const groupInstanceId = version >= 3 ? reader.nullableString('group_instance_id') : null;
  return { api: 'Heartbeat', groupId, generationId, memberId, groupInstanceId };
}

export function writeHeartbeatResponse(version: number, response: HeartbeatResponse): Uint8Array {
  const out = new WireWriter(8);
  if (version >= 1) out.int32(0); // throttle_time_ms
  return out.int16(errorCode(response.error)).finish();
}

// ---- LeaveGroup (13), v0-3 ----

/** v0-2 name one member (member_id): it becomes a one-member list, as Kafka's LeaveGroupRequest.members() does. */
export function readLeaveGroupRequest(reader: WireReader, version: number): LeaveGroupRequest {
  const groupId = reader.string('group_id');
  const members: LeaveGroupMemberIdentity[] = [];
  if (version < 3) {
    members.push({ memberId: reader.string('member_id'), groupInstanceId: null, reason: null });
  } else {
    // member_id 2 + group_instance_id 2.
    const count = requiredArrayLength(reader, 'members', 4);
    for (let i = 0; i < count; i++) {
      const memberId = reader.string('members.member_id');
      members.push({ memberId, groupInstanceId: reader.nullableString('members.group_instance_id'), reason: null });
    }
  }
  return { api: 'LeaveGroup', groupId, members };
}

/**
 * v0-2 have only a top-level error: the top-level one, or else the first member error, as Kafka's
 * LeaveGroupResponse folds them for clients that cannot read per-member errors.
 */
export function writeLeaveGroupResponse(version: number, response: LeaveGroupResponse): Uint8Array {
  const out = new WireWriter(64);
  if (version >= 1) out.int32(0); // throttle_time_ms
  if (version < 3) {
    const folded = response.error !== 'NONE' ? response.error : (response.members.find((m) => m.error !== 'NONE')?.error ?? 'NONE');
    return out.int16(errorCode(folded)).finish();
  }
  out.int16(errorCode(response.error)).int32(response.members.length);
  for (const member of response.members) out.nullableString(member.memberId).nullableString(member.groupInstanceId).int16(errorCode(member.error));
  return out.finish();
}

// ---- OffsetCommit (8), v2-7 ----

/**
 * v2-4 carry retention_time_ms: read and ignored, as Kafka has since 2.1 (KIP-211: the broker's
 * offsets.retention.minutes applies). The leader epoch is -1 before v6.
 */
export function readOffsetCommitRequest(reader: WireReader, version: number): OffsetCommitRequest {
  const groupId = reader.string('group_id');
  const generationId = reader.int32('generation_id');
  const memberId = reader.string('member_id');
  const groupInstanceId = version >= 7 ? reader.nullableString('group_instance_id') : null;
  if (version <= 4) reader.int64('retention_time_ms');
  const topics: OffsetCommitTopic[] = [];
  // name 2 + partitions count 4.
  const topicCount = requiredArrayLength(reader, 'topics', 6);
  for (let t = 0; t < topicCount; t++) {
    const name = reader.string('topics.name');
    const partitions: OffsetCommitPartition[] = [];
    // partition_index 4 + committed_offset 8 (+ committed_leader_epoch 4) + committed_metadata 2.
    const partitionCount = requiredArrayLength(reader, 'topics.partitions', version >= 6 ? 18 : 14);
    for (let p = 0; p < partitionCount; p++) {
      const partition = reader.int32('partitions.partition_index');
      const committedOffset = reader.int64('partitions.committed_offset');
      const committedLeaderEpoch = version >= 6 ? reader.int32('partitions.committed_leader_epoch') : -1;
      partitions.push({ partition, committedOffset, committedLeaderEpoch, committedMetadata: reader.nullableString('partitions.committed_metadata') });
    }
    topics.push({ name, partitions });
  }
  return { api: 'OffsetCommit', groupId, generationId, memberId, groupInstanceId, topics };
}

export function writeOffsetCommitResponse(version: number, response: OffsetCommitResponse): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 3) out.int32(0); // throttle_time_ms
  out.int32(response.topics.length);
  for (const topic of response.topics) {
    out.nullableString(topic.name).int32(topic.partitions.length);
    for (const p of topic.partitions) out.int32(p.partition).int16(errorCode(p.error));
  }
  return out.finish();
}

// ---- OffsetFetch (9), v1-5 ----

/** topics null (v2+ only; v1 refuses it as Kafka's schema does): every partition the group has an offset for. */
export function readOffsetFetchRequest(reader: WireReader, version: number): OffsetFetchRequest {
  const groupId = reader.string('group_id');
  // name 2 + partition_indexes count 4.
  const topicCount = version >= 2 ? reader.arrayLength('topics', 6) : requiredArrayLength(reader, 'topics', 6);
  if (topicCount === null) return { api: 'OffsetFetch', groupId, topics: null };
  const topics: { name: string; partitions: number[] }[] = [];
  for (let t = 0; t < topicCount; t++) {
    const name = reader.string('topics.name');
    const partitions: number[] = [];
    const partitionCount = requiredArrayLength(reader, 'topics.partition_indexes', 4);
    for (let p = 0; p < partitionCount; p++) partitions.push(reader.int32('partition_indexes'));
    topics.push({ name, partitions });
  }
  return { api: 'OffsetFetch', groupId, topics };
}

/**
 * v1 has no group-level error: when `response.error` is not NONE, Kafka's
 * OffsetFetchRequest.getErrorResponse answers every requested partition with offset -1, metadata ""
 * and that error. Pass the request's topics as `requestedTopics` for that; without them the
 * partitions of `response.topics` (usually none on an error) get the error instead.
 */
export function writeOffsetFetchResponse(version: number, response: OffsetFetchResponse, requestedTopics: OffsetFetchRequest['topics'] = null): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 3) out.int32(0); // throttle_time_ms
  if (version < 2 && response.error !== 'NONE') {
    const topics = requestedTopics ?? response.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partition) }));
    const code = errorCode(response.error);
    out.int32(topics.length);
    for (const topic of topics) {
      out.nullableString(topic.name).int32(topic.partitions.length);
      for (const partition of topic.partitions) out.int32(partition).int64(-1).nullableString('').int16(code);
    }
    return out.finish();
  }
  out.int32(response.topics.length);
  for (const topic of response.topics) {
    out.nullableString(topic.name).int32(topic.partitions.length);
    for (const p of topic.partitions) {
      out.int32(p.partition).int64(p.committedOffset);
      if (version >= 5) out.int32(p.committedLeaderEpoch);
      out.nullableString(p.metadata).int16(errorCode(p.error));
    }
  }
  if (version >= 2) out.int16(errorCode(response.error));
  return out.finish();
}

// ---- DescribeGroups (15), v0-4 ----

export interface WireDescribeGroupsRequest {
  readonly request: DescribeGroupsRequest;
  /** v3+; false for v0-2. */
  readonly includeAuthorizedOperations: boolean;
}

export function readDescribeGroupsRequest(reader: WireReader, version: number): WireDescribeGroupsRequest {
  const groupIds = readStringArray(reader, 'groups');
  const includeAuthorizedOperations = version >= 3 ? reader.boolean('include_authorized_operations') : false;
  return { request: { api: 'DescribeGroups', groupIds }, includeAuthorizedOperations };
}

/** The schema's default of authorized_operations: not asked for (Integer.MIN_VALUE). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/**
 * The bit field (Utils.to32BitField of AclOperation codes) Kafka 3.7 sends for a group with no
 * authorizer configured: every operation a group supports (AclEntry.supportedOperations(GROUP)):
 * READ 3, DELETE 6, DESCRIBE 8 (Kafka 3.9 adds DESCRIBE_CONFIGS and ALTER_CONFIGS, KAFKA-14510).
 */
export const GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/**
 * v3+ carry authorized_operations per group: GROUP_AUTHORIZED_OPERATIONS for a group described
 * without error when the request asked (`includeAuthorizedOperations`; the workbench has no
 * authorizer), AUTHORIZED_OPERATIONS_OMITTED otherwise, as KafkaApis.handleDescribeGroupsRequest.
 */
export function writeDescribeGroupsResponse(version: number, response: DescribeGroupsResponse, includeAuthorizedOperations = false): Uint8Array {
  const out = new WireWriter(512);
  if (version >= 1) out.int32(0); // throttle_time_ms
  out.int32(response.groups.length);
  for (const group of response.groups) {
    out.int16(errorCode(group.error)).nullableString(group.groupId).nullableString(group.groupState);
    out.nullableString(group.protocolType).nullableString(group.protocolData);
    out.int32(group.members.length);
    for (const member of group.members) {
      out.nullableString(member.memberId);
      if (version >= 4) out.nullableString(member.groupInstanceId);
      out.nullableString(member.clientId).nullableString(member.clientHost);
      out.nullableBytes(member.memberMetadata).nullableBytes(member.memberAssignment);
    }
    if (version >= 3) out.int32(includeAuthorizedOperations && group.error === 'NONE' ? GROUP_AUTHORIZED_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
  }
  return out.finish();
}

// ---- ListGroups (16), v0-2: an empty request body ----

/** v0-2 have no states filter (it comes in v4): every group. */
export function readListGroupsRequest(): ListGroupsRequest {
  return { api: 'ListGroups', statesFilter: [] };
}

/** v0-2 list each group's id and protocol type (the state comes in v4). */
export function writeListGroupsResponse(version: number, response: ListGroupsResponse): Uint8Array {
  const out = new WireWriter(256);
  if (version >= 1) out.int32(0); // throttle_time_ms
  out.int16(errorCode(response.error)).int32(response.groups.length);
  for (const group of response.groups) out.nullableString(group.groupId).nullableString(group.protocolType);
  return out.finish();
}

// ---- DeleteGroups (42), v0-1: one layout ----

export function readDeleteGroupsRequest(reader: WireReader): DeleteGroupsRequest {
  return { api: 'DeleteGroups', groupIds: readStringArray(reader, 'groups_names') };
}

export function writeDeleteGroupsResponse(response: DeleteGroupsResponse): Uint8Array {
  const out = new WireWriter(128);
  out.int32(0); // throttle_time_ms
  out.int32(response.results.length);
  for (const result of response.results) out.nullableString(result.groupId).int16(errorCode(result.error));
  return out.finish();
}
