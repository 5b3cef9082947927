/**
 * Consumer-group payloads for the Groups tests, shaped as the engine's `groups` stream and
 * listConsumers answer them: group "inventory" on topic "orders" (3 partitions) with two members
 * after two rebalances, range-assigned 2 + 1.
 */
import type { ConsumerStatus, GroupDetail, GroupMember, GroupPartition, GroupsSnapshot, Rebalance } from '../../../engine/api/groups-dto';

export const T0 = new Date(2025, 4, 6, 7, 8, 9, 10).getTime();
export const UUID_1 = '3f2a9c1e-0b4d-4c7a-9a51-7d2e8f6b1c20';
export const UUID_2 = 'a81d44f0-5e6c-4f1b-8d3e-2b9c7a6e5f41';
export const MEMBER_1 = `inventory-1-${UUID_1}`;
export const MEMBER_2 = `inventory-2-${UUID_2}`;

const tp = (partition: number, topic = 'orders') => ({ topic, partition });

export function member(memberId: string, clientId: string, partitions: number[], overrides: Partial<GroupMember> = {}): GroupMember {
  return { memberId, groupInstanceId: null, clientId, host: '/127.0.0.1', assignment: partitions.map((p) => tp(p)), ...overrides };
}

export function groupPartition(partition: number, overrides: Partial<GroupPartition> = {}, topic = 'orders'): GroupPartition {
  return {
    topic,
    partition,
    currentOffset: null,
    logEndOffset: 0,
    lag: null,
    positionLag: null,
    memberId: null,
    clientId: null,
    host: null,
    ...overrides,
  };
}

export function rebalance(overrides: Partial<Rebalance> = {}): Rebalance {
  return {
    generation: 1,
    cause: 'join',
    reason: `Adding new member ${MEMBER_1} with group instance id None; client reason: need to re-join with the given member-id: ${MEMBER_1}`,
    startedAtMs: T0,
    completedAtMs: T0 + 3_012,
    protocol: 'range',
    membersBefore: [],
    membersAfter: [MEMBER_1],
    assignmentDiff: [{ memberId: MEMBER_1, clientId: 'inventory-1', added: [tp(0), tp(1), tp(2)], removed: [] }],
    stopTheWorld: [],
    ...overrides,
  };
}

const owned = (memberId: string, clientId: string) => ({ memberId, clientId, host: '/127.0.0.1' });

/** Two members, range: inventory-1 has orders-0 and orders-1, inventory-2 has orders-2. */
export function inventoryGroup(overrides: Partial<GroupDetail> = {}): GroupDetail {
  return {
    groupId: 'inventory',
    state: 'Stable',
    protocolType: 'consumer',
    assignor: 'range',
    generation: 2,
    coordinator: 2,
    members: [member(MEMBER_2, 'inventory-2', [2]), member(MEMBER_1, 'inventory-1', [1, 0])],
    partitions: [
      groupPartition(2, { currentOffset: 4, logEndOffset: 10, lag: 6, positionLag: 2, ...owned(MEMBER_2, 'inventory-2') }),
      groupPartition(1, { currentOffset: 5, logEndOffset: 5, lag: 0, positionLag: 0, ...owned(MEMBER_1, 'inventory-1') }),
      groupPartition(0, { currentOffset: null, logEndOffset: 3, lag: null, positionLag: null, ...owned(MEMBER_1, 'inventory-1') }),
    ],
    rebalances: [
      rebalance(),
      rebalance({
        generation: 2,
        reason: `Adding new member ${MEMBER_2} with group instance id None; client reason: need to re-join with the given member-id: ${MEMBER_2}`,
        startedAtMs: T0 + 60_000,
        completedAtMs: T0 + 63_012,
        membersBefore: [MEMBER_1],
        membersAfter: [MEMBER_1, MEMBER_2],
        assignmentDiff: [
          { memberId: MEMBER_2, clientId: 'inventory-2', added: [tp(2)], removed: [] },
          { memberId: MEMBER_1, clientId: 'inventory-1', added: [], removed: [tp(2)] },
        ],
        stopTheWorld: [
          { topic: 'orders', partition: 2, pausedMs: 3_012 },
          { topic: 'orders', partition: 0, pausedMs: 310 },
          { topic: 'orders', partition: 1, pausedMs: 310 },
        ],
      }),
    ],
    ...overrides,
  };
}

export function emptyGroup(groupId: string, overrides: Partial<GroupDetail> = {}): GroupDetail {
  return {
    groupId,
    state: 'Empty',
    protocolType: 'consumer',
    assignor: null,
    generation: 3,
    coordinator: 1,
    members: [],
    partitions: [groupPartition(0, { currentOffset: 7, logEndOffset: 9, lag: 2 }, 'payments')],
    rebalances: [],
    ...overrides,
  };
}

export function snapshot(groups: GroupDetail[], nowMs = T0 + 120_000): GroupsSnapshot {
  return { nowMs, groups };
}

export function consumer(clientId: string, overrides: Partial<ConsumerStatus> = {}): ConsumerStatus {
  return {
    clientId,
    groupId: 'inventory',
    state: 'STABLE',
    memberId: clientId === 'inventory-1' ? MEMBER_1 : clientId === 'inventory-2' ? MEMBER_2 : '',
    generation: 2,
    assignment: [],
    recordsConsumed: 0,
    lastPollAtMs: null,
    ...overrides,
  };
}
