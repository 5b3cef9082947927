/**
 * What a broker is for a partition, in Kafka's terms. Views show these as text and icons, never by
 * colour alone.
 */
import type { PartitionStatus, TopicStatus } from '../../../engine/api/dto';

/** 'replica': the broker holds a replica of a partition that has no leader (offline), so it follows nobody. */
export type ReplicaRole = 'leader' | 'follower' | 'replica' | 'none';

export interface ReplicaCell {
  readonly brokerId: number;
  readonly role: ReplicaRole;
  /** In the ISR; meaningless (false) where the broker holds no replica. */
  readonly inSync: boolean;
}

export function replicaCell(partition: PartitionStatus, brokerId: number): ReplicaCell {
  if (!partition.replicas.includes(brokerId)) return { brokerId, role: 'none', inSync: false };
  const role: ReplicaRole = partition.leader === null ? 'replica' : partition.leader === brokerId ? 'leader' : 'follower';
  return { brokerId, role, inSync: partition.isr.includes(brokerId) };
}

/** Kafka's under-replicated condition: fewer in-sync replicas than assigned ones. */
export function isPartitionUnderReplicated(partition: PartitionStatus): boolean {
  return partition.isr.length < partition.replicas.length;
}

export function isTopicUnderReplicated(topic: TopicStatus): boolean {
  return topic.partitions.some(isPartitionUnderReplicated);
}

/** "1,2,0" as kafka-topics --describe prints replica lists, so learners see the familiar form. */
export function brokerList(ids: readonly number[]): string {
  return ids.join(',');
}
