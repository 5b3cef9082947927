/**
 * The metrics recorder's view of the workbench (engine/metrics/metrics-sources.ts), read the way
 * Kafka's tools read a cluster: each partition from its leader (log start, log end, high watermark,
 * size), the ISR from the controller, each group's committed offsets from its coordinator
 * (OffsetFetch), the clients' own counters. Internal topics are left out, as the tools do.
 */
import type { Cluster } from '../cluster/cluster.js';
import { NO_LEADER } from '../cluster/messages.js';
import { isInternalTopic } from '../cluster/topic-rules.js';
import type { GroupPartitionSource, GroupSource, LastCommitTracker, MetricsSources, PartitionSource, ProducerSource, ServiceSource } from '../metrics/metrics-sources.js';
import { coordinatorOf, listGroups } from './groups-view.js';

export interface ClientCounters {
  producers(): readonly ProducerSource[];
  services(): readonly ServiceSource[];
}

export function clusterMetricsSources(cluster: Cluster, commits: LastCommitTracker, clients: ClientCounters): MetricsSources {
  return {
    partitions: () => partitionSources(cluster),
    groups: () => groupSources(cluster, commits),
    recordTimestampMs: (topic, partition, offset) => recordTimestamp(cluster, topic, partition, offset),
    producers: () => clients.producers(),
    services: () => clients.services(),
  };
}

function partitionSources(cluster: Cluster): PartitionSource[] {
  const sources: PartitionSource[] = [];
  for (const topic of cluster.allTopics()) {
    if (isInternalTopic(topic.name)) continue;
    const retentionMs = Number(cluster.topicConfig(topic.name, 'retention.ms'));
    const retentionBytes = Number(cluster.topicConfig(topic.name, 'retention.bytes'));
    for (const [partition, registration] of topic.partitions.entries()) {
      const leader = registration.leader === NO_LEADER ? null : cluster.broker(registration.leader);
      const log = leader !== null && leader.state === 'running' ? leader.log(topic.name, partition) : undefined;
      const online = log !== undefined;
      sources.push({
        topic: topic.name,
        partition,
        logStartOffset: online ? log.logStartOffset : null,
        logEndOffset: online ? log.logEndOffset : null,
        highWatermark: online ? leader!.highWatermark(topic.name, partition) : null,
        isrSize: registration.isr.length,
        retentionMs,
        retentionBytes,
        sizeBytes: online ? log.sizeInBytes : null,
      });
    }
  }
  return sources;
}

function groupSources(cluster: Cluster, commits: LastCommitTracker): GroupSource[] {
  const groups: GroupSource[] = [];
  for (const { groupId } of listGroups(cluster)) {
    const found = coordinatorOf(cluster, groupId);
    if (found === null) continue;
    const partitions: GroupPartitionSource[] = [];
    for (const topic of found.coordinator.handleOffsetFetch({ api: 'OffsetFetch', groupId, topics: null }).topics) {
      const count = cluster.controller.topic(topic.name)?.partitions.length ?? 0;
      for (const p of topic.partitions) {
        if (p.error !== 'NONE' || p.partition >= count) continue;
        partitions.push({
          topic: topic.name,
          partition: p.partition,
          committedOffset: p.committedOffset >= 0 ? p.committedOffset : null,
          lastCommitMs: commits.lastCommitMs(groupId, topic.name, p.partition),
        });
      }
    }
    groups.push({ groupId, partitions });
  }
  return groups;
}

function recordTimestamp(cluster: Cluster, topic: string, partition: number, offset: number): number | null {
  try {
    const { records } = cluster.read(topic, partition, offset, 1);
    const record = records[0];
    // The first record at or after the offset (a compacted log may skip it): the oldest unconsumed one.
    return record?.timestampMs ?? null;
  } catch {
    // Offline partition or an offset below the log start: no record to date.
    return null;
  }
}
