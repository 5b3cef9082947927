/**
 * The consumer's view of the cluster (Java's ConsumerMetadata): for each topic it watches (its
 * subscription, its assignment and, for the group leader, every member's topics) the partition
 * count and each partition's leader; for a regex subscription, the names of every topic, so the
 * pattern can be matched again.
 *
 * The port answers synchronously from the cluster's metadata, so a "refresh" reads every watched
 * topic at once. It happens when metadata.max.age.ms has passed since the last one, or when an
 * update was requested (a fetch error, an unknown leader, a disconnection), not sooner than
 * retry.backoff.ms after the last refresh; a new subscription refreshes at once
 * (requestUpdateForNewTopics). Each refresh bumps `version`, which the coordinator compares to
 * notice a new matching topic or a changed partition count (Java's MetadataSnapshot).
 *
 * Invariants: answers are validated where they enter (1 <= partitionCount <=
 * limits.partitionsPerTopicMax, one leader entry per partition, leaders are broker ids); at most
 * consumerLimits.subscribedTopicsMax topics are held, extra topic names are ignored.
 */
import { assertFailed } from '../../core/assert.js';
import { limits } from '../../core/limits.js';
import type { ConsumerErrorName } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';
import type { ConsumerNetwork } from './consumer-network.js';
import type { TopicPartition } from './consumer-record.js';

interface TopicEntry {
  readonly partitionCount: number;
  readonly leaders: readonly (number | null)[];
}

export class ConsumerMetadata {
  private readonly topics = new Map<string, TopicEntry>();
  private readonly errors = new Map<string, ConsumerErrorName>();
  private names: readonly string[] = [];
  private lastRefreshMs = Number.NEGATIVE_INFINITY;
  private updateRequested = false;
  private newTopicsRequested = false;
  /** Bumped by every refresh (Java's Metadata.updateVersion). */
  version = 0;
  /** Refreshes done (for the UI and tests). */
  refreshCount = 0;

  constructor(
    private readonly network: ConsumerNetwork,
    private readonly metadataMaxAgeMs: number,
    private readonly retryBackoffMs: number,
  ) {}

  requestUpdate(): void {
    this.updateRequested = true;
  }

  /** A new subscription or assignment: refresh at the next chance, without the backoff. */
  requestUpdateForNewTopics(): void {
    this.newTopicsRequested = true;
  }

  /** When the next refresh is due. */
  nextUpdateDueMs(): number {
    if (this.newTopicsRequested) return Number.NEGATIVE_INFINITY;
    const byAge = this.lastRefreshMs + this.metadataMaxAgeMs;
    return this.updateRequested ? Math.min(byAge, this.lastRefreshMs + this.retryBackoffMs) : byAge;
  }

  /** Refreshes `watched` (and every topic name, for a pattern) when due. Returns true when it did. */
  maybeRefresh(nowMs: number, watched: readonly string[], withTopicNames: boolean): boolean {
    if (nowMs < this.nextUpdateDueMs()) return false;
    this.refresh(nowMs, watched, withTopicNames);
    return true;
  }

  refresh(nowMs: number, watched: readonly string[], withTopicNames: boolean): void {
    this.lastRefreshMs = nowMs;
    this.updateRequested = false;
    this.newTopicsRequested = false;
    this.version += 1;
    this.refreshCount += 1;
    if (withTopicNames) this.names = this.network.topicNames().slice(0, consumerLimits.subscribedTopicsMax);
    this.topics.clear();
    this.errors.clear();
    for (const topic of watched.slice(0, consumerLimits.subscribedTopicsMax)) this.fetchTopic(topic);
  }

  /** Every topic name at the last refresh (pattern subscriptions). */
  topicNames(): readonly string[] {
    return this.names;
  }

  partitionCount(topic: string): number | null {
    return this.topics.get(topic)?.partitionCount ?? null;
  }

  /** Partition counts of the given topics that exist (absent topics are left out, as the assignors expect). */
  partitionsPerTopic(topics: Iterable<string>): Map<string, number> {
    const out = new Map<string, number>();
    for (const topic of [...topics].sort()) {
      const count = this.partitionCount(topic);
      if (count !== null) out.set(topic, count);
    }
    return out;
  }

  /** The leader of a partition, or null (unknown topic, no leader, partition out of range). */
  leader(tp: TopicPartition): number | null {
    return this.topics.get(tp.topic)?.leaders[tp.partition] ?? null;
  }

  /** The current leader epoch from the cluster, null when unknown. */
  leaderEpoch(tp: TopicPartition): number | null {
    const epoch = this.network.leaderEpoch(tp.topic, tp.partition);
    return Number.isInteger(epoch) && epoch >= 0 ? epoch : null;
  }

  /** The cluster's error for a topic at the last refresh (UNKNOWN_TOPIC_OR_PARTITION ...). */
  topicError(topic: string): ConsumerErrorName | null {
    return this.errors.get(topic) ?? null;
  }

  private fetchTopic(topic: string): void {
    const answer = this.network.metadata(topic);
    if (!answer.ok) {
      this.errors.set(topic, answer.error);
      return;
    }
    const { partitionCount, leaders } = answer.metadata;
    if (!(Number.isInteger(partitionCount) && partitionCount >= 1 && partitionCount <= limits.partitionsPerTopicMax)) assertFailed(`metadata for ${topic}: partition count ${partitionCount} outside 1..${limits.partitionsPerTopicMax}`);
    if (!(leaders.length === partitionCount)) assertFailed(`metadata for ${topic}: ${leaders.length} leaders for ${partitionCount} partitions`);
    for (const leader of leaders) if (!(leader === null || (Number.isInteger(leader) && leader >= 0))) assertFailed(`metadata for ${topic}: leader ${String(leader)} is not a broker id`);
    this.topics.set(topic, { partitionCount, leaders: [...leaders] });
  }
}
