/** Pure projections of the cluster into the contract's DTOs. */
import type { ClusterStatus, TopicStatus } from '../api/dto.js';
import type { Cluster, Topic } from '../cluster/cluster.js';
import { isInternalTopic } from '../cluster/topic-rules.js';

export function topicStatusOf(topic: Topic): TopicStatus {
  return {
    name: topic.name,
    topicId: topic.topicId,
    internal: isInternalTopic(topic.name),
    replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
    configs: { ...topic.configs },
    partitions: topic.partitions.map((p) => ({
      partition: p.id,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicas: [...p.replicas],
      isr: [...p.isr],
      logStartOffset: p.logStartOffset,
      logEndOffset: p.logStartOffset + p.records.length,
      highWatermark: p.highWatermark,
    })),
  };
}

export function clusterStatusOf(cluster: Cluster): ClusterStatus {
  const controllerId = cluster.controllerId();
  const topics = cluster.allTopics().map(topicStatusOf);
  const leaderCount = new Map<number, number>();
  const replicaCount = new Map<number, number>();
  for (const topic of topics) {
    for (const p of topic.partitions) {
      if (p.leader !== null) leaderCount.set(p.leader, (leaderCount.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicaCount.set(r, (replicaCount.get(r) ?? 0) + 1);
    }
  }
  return {
    clusterId: cluster.clusterId,
    controllerId,
    brokers: cluster.brokers.map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: null,
      state: b.state,
      isController: b.id === controllerId,
      leaderCount: leaderCount.get(b.id) ?? 0,
      replicaCount: replicaCount.get(b.id) ?? 0,
    })),
    topics,
    nowMs: cluster.nowMs(),
  };
}
