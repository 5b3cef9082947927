/**
 * What a broker is for a partition, in Kafka's terms. Views show these as text and icons, never by
 * colour alone.
 */
import type { PartitionStatus, TopicStatus } from '../../../engine/api/dto';

export type ReplicaRole = 'leader' | 'follower' | 'none';

export interface ReplicaCell {
  readonly brokerId: number;
  readonly role: ReplicaRole;
  /** In the ISR; meaningless (false) where the broker holds no replica. */
  readonly inSync: boolean;
}

export function replicaCell(partition: PartitionStatus, brokerId: number): ReplicaCell {
  if (!partition.replicas.includes(brokerId)) return { brokerId, role: 'none', inSync: false };
  return { brokerId, role: partition.leader === brokerId ? 'leader' : 'follower', inSync: partition.isr.includes(brokerId) };
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
