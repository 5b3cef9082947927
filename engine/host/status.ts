/** Pure projections of the cluster into the contract's DTOs. */
import type { ClockState, ClusterStatus, StorageRecovery, TopicStatus } from '../api/dto.js';
import type { Cluster } from '../cluster/cluster.js';
import { NO_LEADER, type TopicImage } from '../cluster/messages.js';
import { isInternalTopic } from '../cluster/topic-rules.js';

export function topicStatusOf(cluster: Cluster, topic: TopicImage): TopicStatus {
  return {
    name: topic.name,
    topicId: topic.topicId,
    internal: isInternalTopic(topic.name),
    replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
    configs: { ...topic.configs },
    partitions: topic.partitions.map((p, partition) => ({
      ...cluster.offsets(topic.name, partition, p),
      partition,
      leader: p.leader === NO_LEADER ? null : p.leader,
      leaderEpoch: p.leaderEpoch,
      replicas: [...p.replicas],
      isr: [...p.isr],
      replicaOffsets: cluster.replicaOffsets(topic.name, partition),
    })),
  };
}

export function clusterStatusOf(cluster: Cluster, clock: ClockState): ClusterStatus {
  const controllerId = cluster.controllerId();
  const topics = cluster.allTopics().map((t) => topicStatusOf(cluster, t));
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
    quorum: {
      voters: [...cluster.controller.voters()],
      majority: Math.floor(cluster.controller.voters().length / 2) + 1,
      leaderEpoch: cluster.controller.leaderEpoch(),
      metadataOffset: cluster.controller.metadataOffset(),
      replicas: cluster.brokers.map((b) => ({ brokerId: b.id, metadataOffset: b.state === 'running' ? b.metadataOffset() : null })),
    },
    brokers: cluster.brokers.map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: null,
      state: b.state === 'running' && b.isPaused ? 'paused' : b.state,
      fenced: cluster.controller.isFenced(b.id),
      isController: b.id === controllerId,
      leaderCount: leaderCount.get(b.id) ?? 0,
      replicaCount: replicaCount.get(b.id) ?? 0,
      diskUsedBytes: b.diskUsedBytes(),
    })),
    topics,
    nowMs: cluster.nowMs(),
    clock,
  };
}

export function storageRecoveryOf(cluster: Cluster): StorageRecovery {
  return {
    brokers: [...cluster.recoveryReports.values()].map((report) => ({
      brokerId: report.brokerId,
      logDir: report.logDir,
      hadCleanShutdown: report.hadCleanShutdown,
      warnings: [...report.warnings],
      partitions: report.partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        segmentsScanned: p.segmentsScanned,
        bytesScanned: p.bytesScanned,
        bytesTruncated: p.bytesTruncated,
        truncatedAtOffset: p.truncatedAtOffset,
        offsetsTruncated: p.offsetsTruncated,
        segmentsDeleted: p.segmentsDeleted,
        indexesRebuilt: p.indexesRebuilt,
        reason: p.reason,
        logEndOffset: p.logEndOffset,
      })),
    })),
  };
}
