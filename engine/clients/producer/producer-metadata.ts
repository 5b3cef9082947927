/**
 * The producer's view of the cluster (Kafka's ProducerMetadata): per topic the partition count
 * and each partition's leader, fetched through the network port the first time a topic is used,
 * refreshed when it is older than metadata.max.age.ms, and refreshed (at most once per
 * retry.backoff.ms) after someone requested an update: the sender does on
 * NOT_LEADER_OR_FOLLOWER / LEADER_NOT_AVAILABLE / UNKNOWN_TOPIC_OR_PARTITION and the other
 * InvalidMetadataException errors, on a disconnection or request timeout, and when a queued batch's
 * partition has no leader.
 *
 * A topic the cluster answers with an error (UNKNOWN_TOPIC_OR_PARTITION ...) keeps its last
 * partition count with no leaders, so its queued batches wait (and expire) as in Java; send()
 * treats it as absent and waits up to max.block.ms.
 *
 * Invariants: answers are validated where they enter (1 <= partitionCount <=
 * limits.partitionsPerTopicMax, one leader entry per partition, broker ids in range); at most
 * producerLimits.topicsMax topics are kept.
 */
import { assertFailed } from '../../core/assert.js';
import { limits } from '../../core/limits.js';
import type { PartitionView } from '../partitioners/partition-view.js';
import { ProducerError } from './producer-errors.js';
import { producerLimits } from './producer-limits.js';
import type { ProducerNetwork, TopicMetadata } from './producer-network.js';
import type { AccumulatorMetadata, TopicPartitionRef } from './record-accumulator.js';

interface TopicEntry {
  partitionCount: number;
  leaders: readonly (number | null)[];
  view: PartitionView;
  fetchedMs: number;
  /** The cluster's error for this topic at the last fetch, or null. */
  error: ProducerError | null;
}

export class ProducerMetadata implements AccumulatorMetadata {
  private readonly topics = new Map<string, TopicEntry>();
  private byBroker: Map<number, TopicPartitionRef[]> | null = null;
  private updateRequested = false;
  private lastRefreshMs = Number.NEGATIVE_INFINITY;
  /** Metadata fetches made (for the UI and tests). */
  fetchCount = 0;

  constructor(
    private readonly network: ProducerNetwork,
    private readonly refreshBackoffMs: number,
    private readonly metadataMaxAgeMs: number,
  ) {}

  /**
   * The topic's metadata for a send: fetched when unknown, errored or older than
   * metadata.max.age.ms. Returns null when the cluster does not (yet) know the topic.
   */
  forSend(topic: string, nowMs: number): TopicEntry | null {
    const cached = this.topics.get(topic);
    if (cached !== undefined && cached.error === null && nowMs - cached.fetchedMs < this.metadataMaxAgeMs) return cached;
    return this.fetch(topic, nowMs);
  }

  view(topic: string): PartitionView | null {
    return this.topics.get(topic)?.view ?? null;
  }

  lastError(topic: string): ProducerError | null {
    return this.topics.get(topic)?.error ?? null;
  }

  leaderFor(topic: string, partition: number): number | null {
    return this.topics.get(topic)?.leaders[partition] ?? null;
  }

  partitionsForBroker(brokerId: number): readonly TopicPartitionRef[] {
    if (this.byBroker === null) {
      this.byBroker = new Map();
      for (const [topic, entry] of this.topics) {
        entry.leaders.forEach((leader, partition) => {
          if (leader === null) return;
          let list = this.byBroker!.get(leader);
          if (list === undefined) this.byBroker!.set(leader, (list = []));
          list.push({ topic, partition });
        });
      }
    }
    return this.byBroker.get(brokerId) ?? [];
  }

  requestUpdate(): void {
    this.updateRequested = true;
  }

  get isUpdateRequested(): boolean {
    return this.updateRequested;
  }

  /** When a requested update may run (retry.backoff.ms after the last refresh), or null when none is requested. */
  nextRefreshDueMs(): number | null {
    return this.updateRequested ? this.lastRefreshMs + this.refreshBackoffMs : null;
  }

  /** Refreshes every known topic when an update was requested and the backoff has passed. */
  maybeRefresh(nowMs: number): boolean {
    if (!this.updateRequested || nowMs < this.lastRefreshMs + this.refreshBackoffMs) return false;
    this.updateRequested = false;
    this.lastRefreshMs = nowMs;
    for (const topic of [...this.topics.keys()]) this.fetch(topic, nowMs);
    return true;
  }

  private fetch(topic: string, nowMs: number): TopicEntry | null {
    const previous = this.topics.get(topic);
    if (!(previous !== undefined || this.topics.size < producerLimits.topicsMax)) assertFailed(`metadata for more than ${producerLimits.topicsMax} topics`);
    this.fetchCount += 1;
    this.byBroker = null;
    const answer = this.network.metadata(topic);
    if (!answer.ok) {
      const error = ProducerError.fromBroker(answer.error, answer.message);
      if (previous === undefined) {
        this.topics.set(topic, { partitionCount: 0, leaders: [], view: { topic, partitionCount: 0, availablePartitions: [] }, fetchedMs: nowMs, error });
        return null;
      }
      const leaders = previous.leaders.map(() => null);
      this.topics.set(topic, { ...previous, leaders, view: { topic, partitionCount: previous.partitionCount, availablePartitions: [] }, fetchedMs: nowMs, error });
      return null;
    }
    checkMetadata(topic, answer.metadata);
    const leaders = [...answer.metadata.leaders];
    const availablePartitions: number[] = [];
    leaders.forEach((leader, partition) => {
      if (leader !== null) availablePartitions.push(partition);
    });
    const entry: TopicEntry = {
      partitionCount: answer.metadata.partitionCount,
      leaders,
      view: { topic, partitionCount: answer.metadata.partitionCount, availablePartitions },
      fetchedMs: nowMs,
      error: null,
    };
    this.topics.set(topic, entry);
    return entry;
  }
}

function checkMetadata(topic: string, metadata: TopicMetadata): void {
  const count = metadata.partitionCount;
  if (!(Number.isInteger(count) && count >= 1 && count <= limits.partitionsPerTopicMax)) assertFailed(`metadata for ${topic}: partition count ${count} outside 1..${limits.partitionsPerTopicMax}`);
  if (!(metadata.leaders.length === count)) assertFailed(`metadata for ${topic}: ${metadata.leaders.length} leaders for ${count} partitions`);
  for (const leader of metadata.leaders) {
    if (!(leader === null || (Number.isInteger(leader) && leader >= 0 && leader <= producerLimits.brokerIdMax))) assertFailed(`metadata for ${topic}: leader ${leader} is not a broker id`);
  }
}
