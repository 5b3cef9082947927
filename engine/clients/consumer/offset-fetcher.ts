/**
 * Java's OffsetFetcher.resetPositionsIfNeeded on the consumer's port: partitions awaiting a reset
 * (auto.offset.reset without a committed offset, seekToBeginning / seekToEnd, an out-of-range
 * fetch) get their position from ListOffsets at their leader: timestamp -2 for earliest (the log
 * start offset), -1 for latest (the high watermark, so a new consumer with "latest" skips what is
 * already there).
 *
 * Requests are asynchronous: a partition is not asked again while its request is in flight (its
 * retry time is pushed out by request.timeout.ms), is retried after retry.backoff.ms when the
 * leader is unknown or the answer is retriable, and a non-retriable error is kept and thrown by the
 * next poll(), as Java's cachedListOffsetsException. An answer is applied only if the partition is
 * still awaiting the same reset (a seek in between wins), and then logged as Java's
 * SubscriptionState does: "Resetting offset for partition t-0 to position FetchPosition{...}.".
 *
 * Invariants: one ListOffsets per leader per call, covering only partitions whose retry time has
 * come; every answer is validated (offset a safe integer >= 0) where it enters.
 */
import type { Clock } from '../../core/clock.js';
import type { ConsumerConfig } from './consumer-config.js';
import { ConsumerError } from './consumer-errors.js';
import type { ConsumerLog } from './consumer-log.js';
import type { ConsumerMetadata } from './consumer-metadata.js';
import type { ConsumerNetwork, ListOffsetsPartitionRequest, ListOffsetsPartitionResponse } from './consumer-network.js';
import type { ConsumerNetworkClient } from './consumer-network-client.js';
import { tpString, type TopicPartition } from './consumer-record.js';
import { formatFetchPosition, type ResetStrategy, type SubscriptionState } from './subscription-state.js';

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface OffsetFetcherDeps {
  readonly config: ConsumerConfig;
  readonly clock: Clock;
  readonly network: ConsumerNetwork;
  readonly client: ConsumerNetworkClient;
  readonly subscriptions: SubscriptionState;
  readonly metadata: ConsumerMetadata;
  readonly log: ConsumerLog;
  readonly describeNode: (brokerId: number) => string;
}

export class OffsetFetcher {
  private cachedError: ConsumerError | null = null;

  constructor(private readonly deps: OffsetFetcherDeps) {}

  /** Throws a kept error first; then sends ListOffsets for the partitions whose reset may go now. */
  resetPositionsIfNeeded(nowMs: number): void {
    if (this.cachedError !== null) {
      const error = this.cachedError;
      this.cachedError = null;
      throw error;
    }
    const { subscriptions, metadata, config, log } = this.deps;
    const byNode = new Map<number, { tp: TopicPartition; strategy: ResetStrategy }[]>();
    for (const entry of subscriptions.partitionsNeedingReset(nowMs)) {
      const leader = metadata.leader(entry.tp);
      if (leader === null) {
        log.debug('OffsetFetcher', `Leader for partition ${tpString(entry.tp)} is unknown for fetching offset ${entry.strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP}`);
        metadata.requestUpdate();
        subscriptions.setNextAllowedRetry([entry.tp], nowMs + config.retryBackoffMs);
        continue;
      }
      byNode.set(leader, [...(byNode.get(leader) ?? []), entry]);
    }
    for (const [node, entries] of byNode) this.sendListOffsets(node, entries, nowMs);
  }

  private sendListOffsets(node: number, entries: readonly { tp: TopicPartition; strategy: ResetStrategy }[], nowMs: number): void {
    const { client, network, config, subscriptions } = this.deps;
    const partitions = entries.map((e) => e.tp);
    subscriptions.setNextAllowedRetry(partitions, nowMs + config.requestTimeoutMs);
    const request: ListOffsetsPartitionRequest[] = entries.map((e) => ({ topic: e.tp.topic, partition: e.tp.partition, timestamp: e.strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP }));
    client.send<readonly ListOffsetsPartitionResponse[]>(
      node,
      config.requestTimeoutMs,
      (onAnswer) => network.listOffsets(node, request, onAnswer),
      (outcome) => {
        const now = this.deps.clock.nowMs();
        if (outcome.kind !== 'response') {
          this.deps.metadata.requestUpdate();
          subscriptions.setNextAllowedRetry(partitions, now + config.retryBackoffMs);
          return;
        }
        for (const entry of entries) this.applyAnswer(entry.tp, entry.strategy, outcome.response, now);
      },
    );
  }

  private applyAnswer(tp: TopicPartition, strategy: ResetStrategy, answers: readonly ListOffsetsPartitionResponse[], nowMs: number): void {
    const { subscriptions, metadata, config, log } = this.deps;
    const answer = answers.find((a) => a.topic === tp.topic && a.partition === tp.partition);
    const errorName = answer === undefined ? 'a missing answer' : answer.error;
    if (answer === undefined || errorName !== 'NONE') {
      const error = errorName === 'a missing answer' || errorName === 'NONE' ? null : ConsumerError.fromBroker(errorName);
      if (error !== null && !error.retriable) {
        this.cachedError = error;
        return;
      }
      log.debug('OffsetFetcher', `Attempt to fetch offsets for partition ${tpString(tp)} failed due to ${errorName}, retrying.`);
      metadata.requestUpdate();
      subscriptions.setNextAllowedRetry([tp], nowMs + config.retryBackoffMs);
      return;
    }
    if (!Number.isSafeInteger(answer.offset) || answer.offset < 0) {
      this.cachedError = ConsumerError.client('KafkaException', `ListOffsets answered offset ${String(answer.offset)} for partition ${tpString(tp)}`);
      return;
    }
    const position = { offset: answer.offset, offsetEpoch: answer.leaderEpoch >= 0 ? answer.leaderEpoch : null, leader: metadata.leader(tp), leaderEpoch: metadata.leaderEpoch(tp) };
    if (subscriptions.maybeSeekUnvalidated(tp, position, strategy)) {
      log.info('SubscriptionState', `Resetting offset for partition ${tpString(tp)} to position ${formatFetchPosition(position, this.deps.describeNode)}.`);
    }
  }
}
