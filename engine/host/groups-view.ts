/**
 * What the Groups view and `kafka-consumer-groups --describe` show, read from the running
 * coordinators (as the admin client would ask them with ListGroups, DescribeGroups and
 * OffsetFetch), the partitions' high watermarks (ListOffsets latest, which is what the tool prints
 * as LOG-END-OFFSET), the in-app consumers' positions, and the rebalance timeline.
 *
 * Rows follow the tool: one per partition the group owns or has an offset for, sorted by topic and
 * partition; CURRENT-OFFSET is the committed offset (null = "-"), LAG = LOG-END-OFFSET − CURRENT-OFFSET.
 */
import type { GroupDetail, GroupMember, GroupPartition } from '../api/groups-dto.js';
import type { Cluster } from '../cluster/cluster.js';
import { decodeAssignment } from '../groups/consumer-protocol.js';
import type { GroupCoordinator } from '../groups/group-coordinator.js';
import type { GroupState } from '../groups/group-messages.js';
import { OFFSETS_TOPIC_NAME, offsetsPartitionFor } from '../groups/offsets-records.js';
import type { RebalanceTimeline } from '../metrics/rebalance-timeline.js';
import { compareTopicPartitions, tpFromKey, tpKey } from '../groups/assignors/assignor-support.js';

interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface GroupListing {
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
}

/** Every group some running coordinator holds, sorted by id. */
export function listGroups(cluster: Cluster): GroupListing[] {
  const groups = new Map<string, GroupListing>();
  for (const broker of cluster.brokers) {
    const coordinator = cluster.groups.coordinator(broker.id);
    if (coordinator === undefined) continue;
    for (const g of coordinator.handleListGroups({ api: 'ListGroups', statesFilter: [] }).groups) {
      groups.set(g.groupId, { groupId: g.groupId, state: g.groupState, protocolType: g.protocolType });
    }
  }
  return [...groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

/** The coordinator of a group: the running leader of its __consumer_offsets partition. */
export function coordinatorOf(cluster: Cluster, groupId: string): { readonly brokerId: number; readonly coordinator: GroupCoordinator } | null {
  const topic = cluster.controller.topic(OFFSETS_TOPIC_NAME);
  if (topic === undefined) return null;
  const leader = topic.partitions[offsetsPartitionFor(groupId, topic.partitions.length)]?.leader ?? -1;
  const coordinator = leader < 0 ? undefined : cluster.groups.coordinator(leader);
  return coordinator === undefined ? null : { brokerId: leader, coordinator };
}

export function describeGroup(cluster: Cluster, timeline: RebalanceTimeline, groupId: string, positionLags: ReadonlyMap<string, number>): GroupDetail {
  const found = coordinatorOf(cluster, groupId);
  const described = found?.coordinator.handleDescribeGroups({ api: 'DescribeGroups', groupIds: [groupId] }).groups[0];
  const generation = found?.coordinator.groupGeneration(groupId) ?? null;
  const members: GroupMember[] = (described?.members ?? []).map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    clientId: m.clientId,
    host: m.clientHost,
    assignment: partitionsOf(m.memberAssignment),
  }));
  const offsets = found?.coordinator.handleOffsetFetch({ api: 'OffsetFetch', groupId, topics: null });
  const committed = new Map<string, number>();
  for (const topic of offsets?.topics ?? []) {
    for (const p of topic.partitions) if (p.error === 'NONE' && p.committedOffset >= 0) committed.set(tpKey({ topic: topic.name, partition: p.partition }), p.committedOffset);
  }
  const state = described?.error === 'NONE' ? described.groupState : 'Dead';
  return {
    groupId,
    state,
    protocolType: described?.protocolType ?? '',
    assignor: generation?.protocolName ?? null,
    generation: generation?.generationId ?? -1,
    coordinator: found?.brokerId ?? null,
    members,
    partitions: partitionRows(cluster, members, committed, positionLags),
    rebalances: timeline.history(groupId),
  };
}

function partitionRows(cluster: Cluster, members: readonly GroupMember[], committed: ReadonlyMap<string, number>, positionLags: ReadonlyMap<string, number>): GroupPartition[] {
  const owner = new Map<string, GroupMember>();
  for (const member of members) for (const tp of member.assignment) owner.set(tpKey(tp), member);
  const keys = new Set([...owner.keys(), ...committed.keys()]);
  const rows: GroupPartition[] = [];
  for (const key of keys) {
    const { topic, partition } = tpFromKey(key);
    // A topic deleted since the commit has no log end offset; the tool leaves such offsets out too.
    if ((cluster.controller.topic(topic)?.partitions.length ?? 0) <= partition) continue;
    const logEndOffset = cluster.offsets(topic, partition).highWatermark;
    const currentOffset = committed.get(key) ?? null;
    const member = owner.get(key) ?? null;
    rows.push({
      topic,
      partition,
      currentOffset,
      logEndOffset,
      lag: currentOffset === null ? null : Math.max(0, logEndOffset - currentOffset),
      positionLag: positionLags.get(key) ?? null,
      memberId: member?.memberId ?? null,
      clientId: member?.clientId ?? null,
      host: member?.host ?? null,
    });
  }
  return rows.sort(compareTopicPartitions);
}

function partitionsOf(assignment: Uint8Array): TopicPartition[] {
  if (assignment.length === 0) return [];
  try {
    return decodeAssignment(assignment)
      .partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }))
      .sort(compareTopicPartitions);
  } catch {
    // Not ConsumerProtocol bytes (a group of another protocol type): nothing to show per partition.
    return [];
  }
}
