/**
 * Java's Fetcher (3.x) on the consumer's port: pipelined Fetch requests and the buffer poll()
 * drains.
 *
 * - sendFetches(): one Fetch request per leader broker for the fetchable partitions (assigned, a
 *   valid position, not paused, not pending revocation) that have no buffered data yet, skipping a
 *   broker that already has a fetch in flight ("one in flight per node"). A partition with no known
 *   leader asks for a metadata refresh instead.
 * - A response becomes one CompletedFetch per partition, appended to the buffer whenever it
 *   arrives (the application may be busy processing); poll() drains the buffer.
 * - collectFetch(max): returns at most max.poll.records records, in buffer order. A completed fetch
 *   is checked when it comes up (Java's initializeCompletedFetch): its fetch offset must still be
 *   the partition's position (a seek or a rebalance makes it stale: discarded), errors are handled
 *   (NOT_LEADER_OR_FOLLOWER and friends refresh metadata; OFFSET_OUT_OF_RANGE resets with
 *   auto.offset.reset or raises OffsetOutOfRangeException when it is none). Records below the
 *   position inside a returned batch are skipped; control batches are skipped; the position moves
 *   to the offset after the last record returned (or after the last batch when it is exhausted).
 *   Records of a paused partition stay buffered until it is resumed.
 * - Bad bytes: a corrupt batch or a record the deserializer refuses stops at that record, as Java's
 *   does: the records before it are returned, the next poll() raises the error
 *   (RecordDeserializationException / KafkaException "... If needed, please seek past the record to
 *   continue consumption.") and the position stays at the bad record.
 *
 * A broker whose fetch broke (disconnected or timed out) is left alone for retry.backoff.ms (Java's
 * reconnect backoff), and metadata is refreshed, so a dead leader is not asked in a tight loop.
 *
 * Invariants: at most one fetch in flight per broker; the buffer holds at most one completed fetch
 * per partition (a partition is not fetched while it has buffered data), bounded by
 * consumerLimits.completedFetchesMax; a record is returned at most once per position (the position
 * moves past it before poll() returns it).
 */
import { assertFailed } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import { decodeRecordBatch, readBatchHeader, type DecodedBatch } from '../../storage/record-batch.js';
import type { ConsumerConfig } from './consumer-config.js';
import { ConsumerError, isConsumerError, type ConsumerErrorName } from './consumer-errors.js';
import { consumerLimits } from './consumer-limits.js';
import type { ConsumerLog } from './consumer-log.js';
import type { ConsumerMetadata } from './consumer-metadata.js';
import type { ConsumerMetrics } from './consumer-metrics.js';
import type { ConsumerNetwork, FetchPartitionRequest, FetchPartitionResponse } from './consumer-network.js';
import type { ConsumerNetworkClient } from './consumer-network-client.js';
import { tpString, type ConsumerRecord, type TopicPartition } from './consumer-record.js';
import type { Deserializer } from './deserializers.js';
import { formatFetchPosition, type SubscriptionState } from './subscription-state.js';

export interface FetcherDeps<K, V> {
  readonly config: ConsumerConfig;
  readonly clock: Clock;
  readonly network: ConsumerNetwork;
  readonly client: ConsumerNetworkClient;
  readonly subscriptions: SubscriptionState;
  readonly metadata: ConsumerMetadata;
  readonly log: ConsumerLog;
  readonly metrics: ConsumerMetrics;
  readonly keyDeserializer: Deserializer<K>;
  readonly valueDeserializer: Deserializer<V>;
  readonly describeNode: (brokerId: number) => string;
  /** A Fetch request for the partition was sent, at its position (the partition is being fetched). */
  readonly onFetchSent?: (tp: TopicPartition) => void;
}

/** One partition's data from one Fetch response, consumed across polls (Java's CompletedFetch). */
class CompletedFetch {
  initialized = false;
  consumed = false;
  batches: readonly DecodedBatch[] = [];
  batchIndex = 0;
  recordIndex = 0;
  nextFetchOffset: number;
  lastEpoch: number | null = null;
  /** A corrupt batch after the good ones (decoding stopped there). */
  corruption: ConsumerError | null = null;
  /** The error that stopped the last fetchRecords at a bad record, raised by the next one. */
  cachedError: ConsumerError | null = null;

  constructor(
    readonly tp: TopicPartition,
    readonly fetchOffset: number,
    readonly response: FetchPartitionResponse,
  ) {
    this.nextFetchOffset = fetchOffset;
  }

  drain(): void {
    this.consumed = true;
    this.batches = [];
  }
}

export class Fetcher<K, V> {
  private completed: CompletedFetch[] = [];
  private nextInLine: CompletedFetch | null = null;
  private readonly nodesWithPendingFetch = new Set<number>();
  /** A broker whose last fetch broke (disconnected, timed out) is not asked again before this (Java's reconnect backoff). */
  private readonly nodeBackoffUntilMs = new Map<number, number>();
  /** Fetch requests sent (for the UI and tests). */
  fetchRequests = 0;

  constructor(private readonly deps: FetcherDeps<K, V>) {}

  /** True when buffered data is waiting for poll(). */
  hasAvailableFetches(): boolean {
    return this.completed.length > 0 || (this.nextInLine !== null && !this.nextInLine.consumed);
  }

  inFlightFetches(): number {
    return this.nodesWithPendingFetch.size;
  }

  /** When a broker in backoff may be fetched from again, null when none is. */
  nextNodeRetryMs(nowMs: number): number | null {
    let next: number | null = null;
    for (const untilMs of this.nodeBackoffUntilMs.values()) if (untilMs > nowMs) next = next === null ? untilMs : Math.min(next, untilMs);
    return next;
  }

  /** Sends a Fetch to every leader that has fetchable partitions and no fetch in flight; returns how many. */
  sendFetches(): number {
    const { subscriptions, metadata, config } = this.deps;
    const buffered = new Set(this.completed.map((c) => tpString(c.tp)));
    if (this.nextInLine !== null && !this.nextInLine.consumed) buffered.add(tpString(this.nextInLine.tp));
    const byNode = new Map<number, FetchPartitionRequest[]>();
    const nowMs = this.deps.clock.nowMs();
    for (const tp of subscriptions.fetchablePartitions()) {
      if (buffered.has(tpString(tp))) continue;
      const leader = metadata.leader(tp);
      if (leader === null) {
        metadata.requestUpdate();
        continue;
      }
      if (this.nodesWithPendingFetch.has(leader) || nowMs < (this.nodeBackoffUntilMs.get(leader) ?? Number.NEGATIVE_INFINITY)) continue;
      const position = subscriptions.position(tp)!;
      const list = byNode.get(leader) ?? [];
      list.push({ topic: tp.topic, partition: tp.partition, fetchOffset: position.offset, currentLeaderEpoch: metadata.leaderEpoch(tp) ?? -1, partitionMaxBytes: config.maxPartitionFetchBytes });
      byNode.set(leader, list);
    }
    for (const [node, partitions] of byNode) {
      this.sendFetch(node, partitions);
      for (const p of partitions) this.deps.onFetchSent?.({ topic: p.topic, partition: p.partition });
    }
    return byNode.size;
  }

  private sendFetch(node: number, partitions: readonly FetchPartitionRequest[]): void {
    const { config, network, client } = this.deps;
    const request = { maxWaitMs: config.fetchMaxWaitMs, minBytes: config.fetchMinBytes, maxBytes: config.fetchMaxBytes, partitions };
    this.nodesWithPendingFetch.add(node);
    this.fetchRequests += 1;
    // A fetch may wait fetch.max.wait.ms at the broker before it answers, on top of the request timeout.
    client.send<readonly FetchPartitionResponse[]>(
      node,
      config.requestTimeoutMs + config.fetchMaxWaitMs,
      (onAnswer) => network.fetch(node, request, onAnswer),
      (outcome, latencyMs) => {
        this.nodesWithPendingFetch.delete(node);
        if (outcome.kind !== 'response') {
          this.nodeBackoffUntilMs.set(node, this.deps.clock.nowMs() + Math.max(1, config.retryBackoffMs));
          this.deps.metadata.requestUpdate();
          this.deps.log.debug('Fetcher', `Fetch request to node ${node} failed: ${outcome.kind}`);
          return;
        }
        this.nodeBackoffUntilMs.delete(node);
        this.onFetchResponse(partitions, outcome.response, latencyMs);
      },
    );
  }

  private onFetchResponse(requested: readonly FetchPartitionRequest[], responses: readonly FetchPartitionResponse[], latencyMs: number): void {
    let bytes = 0;
    for (const response of responses) {
      const asked = requested.find((r) => r.topic === response.topic && r.partition === response.partition);
      if (asked === undefined) continue; // Java ignores partitions it did not ask for.
      if (!(this.completed.length < consumerLimits.completedFetchesMax)) assertFailed(`more than ${consumerLimits.completedFetchesMax} completed fetches buffered`);
      bytes += response.records.length;
      this.completed.push(new CompletedFetch({ topic: response.topic, partition: response.partition }, asked.fetchOffset, response));
    }
    this.deps.metrics.recordFetch(latencyMs, bytes, countRecords(responses), this.deps.clock.nowMs());
  }

  /**
   * Up to `maxRecords` records from the buffer, moving positions past them. Throws a fetch error
   * (OffsetOutOfRangeException, a bad record) only when no record was collected before it.
   */
  collectFetch(maxRecords: number): ConsumerRecord<K, V>[] {
    const records: ConsumerRecord<K, V>[] = [];
    const paused: CompletedFetch[] = [];
    try {
      while (records.length < maxRecords) {
        if (this.nextInLine === null || this.nextInLine.consumed) {
          const next = this.completed[0];
          if (next === undefined) break;
          if (!next.initialized) {
            try {
              this.nextInLine = this.initialize(next);
            } catch (error) {
              if (records.length === 0) this.completed.shift();
              throw error;
            }
          } else {
            this.nextInLine = next;
          }
          this.completed.shift();
        } else if (this.deps.subscriptions.isPaused(this.nextInLine.tp)) {
          // Java keeps a paused partition's data for when it is resumed.
          paused.push(this.nextInLine);
          this.nextInLine = null;
        } else {
          const fetch = this.nextInLine;
          const wanted = maxRecords - records.length;
          const taken = this.fetchRecords(fetch, wanted, records.length === 0);
          for (const record of taken) records.push(record);
          // Stopped short of `wanted` without draining: a bad record waits for the next poll.
          if (!fetch.consumed && taken.length < wanted) break;
        }
      }
    } catch (error) {
      if (records.length === 0) throw error;
    } finally {
      if (paused.length > 0) this.completed.push(...paused);
    }
    return records;
  }

  /** Drops buffered data of topics no longer subscribed (Java's clearBufferedDataForUnassignedTopics). */
  clearBufferedDataForTopicsNotIn(topics: ReadonlySet<string>): void {
    this.completed = this.completed.filter((c) => topics.has(c.tp.topic));
    if (this.nextInLine !== null && !topics.has(this.nextInLine.tp.topic)) {
      this.nextInLine.drain();
      this.nextInLine = null;
    }
  }

  /** Drops buffered data of partitions no longer assigned (assign(), unsubscribe()). */
  clearBufferedDataForUnassignedPartitions(): void {
    const { subscriptions } = this.deps;
    this.completed = this.completed.filter((c) => subscriptions.isAssigned(c.tp));
    if (this.nextInLine !== null && !subscriptions.isAssigned(this.nextInLine.tp)) {
      this.nextInLine.drain();
      this.nextInLine = null;
    }
  }

  /** Java's initializeCompletedFetch: null when the data is stale or an error was handled. */
  private initialize(fetch: CompletedFetch): CompletedFetch | null {
    const { subscriptions, log } = this.deps;
    const { tp, fetchOffset, response } = fetch;
    const error: KafkaErrorName = response.error;
    const position = subscriptions.position(tp);
    if (error === 'NONE') {
      if (position === null || !subscriptions.hasValidPosition(tp) || position.offset !== fetchOffset) {
        log.debug('Fetcher', `Discarding stale fetch response for partition ${tpString(tp)} since its offset ${fetchOffset} does not match the expected offset ${position?.offset ?? 'null'}`);
        fetch.drain();
        return null;
      }
      if (!Number.isSafeInteger(response.highWatermark) || !Number.isSafeInteger(response.logStartOffset)) {
        throw ConsumerError.client('KafkaException', `Fetch response for ${tpString(tp)} carries an invalid high watermark ${String(response.highWatermark)}`);
      }
      subscriptions.updateHighWatermark(tp, response.highWatermark, response.logStartOffset);
      this.decode(fetch);
      fetch.initialized = true;
      return fetch;
    }
    // An error is handled once (an OffsetOutOfRangeException is raised again until it is dealt with).
    this.handleFetchError(fetch, error);
    fetch.initialized = true;
    fetch.drain();
    return null;
  }

  private handleFetchError(fetch: CompletedFetch, error: ConsumerErrorName): void {
    const { metadata, log } = this.deps;
    const { tp, fetchOffset } = fetch;
    switch (error) {
      case 'NOT_LEADER_OR_FOLLOWER':
      case 'REPLICA_NOT_AVAILABLE':
      case 'KAFKA_STORAGE_ERROR':
      case 'FENCED_LEADER_EPOCH':
      case 'LEADER_NOT_AVAILABLE':
        log.debug('Fetcher', `Error in fetch for partition ${tpString(tp)}: ${error}`);
        metadata.requestUpdate();
        return;
      case 'UNKNOWN_TOPIC_OR_PARTITION':
        log.warn('Fetcher', `Received unknown topic or partition error in fetch for partition ${tpString(tp)}`);
        metadata.requestUpdate();
        return;
      case 'UNKNOWN_LEADER_EPOCH':
        log.debug('Fetcher', `Received unknown leader epoch error in fetch for partition ${tpString(tp)}`);
        metadata.requestUpdate();
        return;
      case 'OFFSET_OUT_OF_RANGE':
        this.handleOffsetOutOfRange(tp, fetchOffset);
        return;
      case 'CORRUPT_MESSAGE':
      case 'UNKNOWN_SERVER_ERROR':
        log.warn('Fetcher', `Unknown server error while fetching offset ${fetchOffset} for topic-partition ${tpString(tp)}`);
        return;
      default:
        throw ConsumerError.illegalState(`Unexpected error code ${ConsumerError.fromBroker(error).code} while fetching at offset ${fetchOffset} from topic-partition ${tpString(tp)}`);
    }
  }

  private handleOffsetOutOfRange(tp: TopicPartition, fetchOffset: number): void {
    const { subscriptions, log } = this.deps;
    const position = subscriptions.position(tp);
    if (position === null || !subscriptions.hasValidPosition(tp) || position.offset !== fetchOffset) {
      log.debug('Fetcher', `Discarding stale fetch response for partition ${tpString(tp)} since the fetched offset ${fetchOffset} does not match the current offset ${position?.offset ?? 'null'}`);
      return;
    }
    const printed = formatFetchPosition(position, this.deps.describeNode);
    if (subscriptions.defaultResetStrategy !== 'none') {
      log.info('Fetcher', `Fetch position ${printed} is out of range for partition ${tpString(tp)}, resetting offset`);
      subscriptions.requestOffsetReset(tp, subscriptions.defaultResetStrategy);
      return;
    }
    log.info('Fetcher', `Fetch position ${printed} is out of range for partition ${tpString(tp)}`);
    throw ConsumerError.fromBroker('OFFSET_OUT_OF_RANGE', `Fetch position ${printed} is out of range for partition ${tpString(tp)}`);
  }

  /** Decodes whole batches; a partial batch at the end is dropped; a corrupt one is remembered. */
  private decode(fetch: CompletedFetch): void {
    const bytes = fetch.response.records;
    const batches: DecodedBatch[] = [];
    let position = 0;
    while (position < bytes.length) {
      if (bytes.length - position < 12) break;
      try {
        const header = readBatchHeader(bytes, position, bytes.length);
        batches.push(decodeRecordBatch(bytes, position, { end: position + header.sizeInBytes, verifyCrc: this.deps.config.checkCrcs }));
        position += header.sizeInBytes;
      } catch (error) {
        if (isPartialTail(bytes, position)) break;
        fetch.corruption = ConsumerError.client('KafkaException', `Received exception when fetching the next record from ${tpString(fetch.tp)}. If needed, please seek past the record to continue consumption.`, error);
        break;
      }
    }
    fetch.batches = batches;
  }

  /** Java's fetchRecords: records at or after the position, moving it; stops at a bad record. */
  private fetchRecords(fetch: CompletedFetch, maxRecords: number, nothingCollectedYet: boolean): ConsumerRecord<K, V>[] {
    const { subscriptions, log } = this.deps;
    const tp = fetch.tp;
    if (!subscriptions.isAssigned(tp) || !subscriptions.isFetchable(tp)) {
      log.debug('Fetcher', `Not returning fetched records for partition ${tpString(tp)} since it is no longer ${subscriptions.isAssigned(tp) ? 'fetchable' : 'assigned'}`);
      fetch.drain();
      return [];
    }
    const position = subscriptions.position(tp)!;
    if (fetch.nextFetchOffset !== position.offset) {
      log.debug('Fetcher', `Ignoring fetched records for ${tpString(tp)} at offset ${fetch.nextFetchOffset} since the current position is ${position.offset}`);
      fetch.drain();
      return [];
    }
    if (fetch.cachedError !== null) {
      if (!nothingCollectedYet) return [];
      throw fetch.cachedError;
    }
    const records = this.takeRecords(fetch, maxRecords);
    if (fetch.nextFetchOffset > position.offset) {
      subscriptions.seekUnvalidated(tp, { offset: fetch.nextFetchOffset, offsetEpoch: fetch.lastEpoch, leader: position.leader, leaderEpoch: position.leaderEpoch });
    }
    if (records.length === 0 && fetch.cachedError !== null && nothingCollectedYet) throw fetch.cachedError;
    return records;
  }

  /** Walks the batches from the cursor (CompletedFetch.nextFetchedRecord). */
  private takeRecords(fetch: CompletedFetch, maxRecords: number): ConsumerRecord<K, V>[] {
    const out: ConsumerRecord<K, V>[] = [];
    while (out.length < maxRecords) {
      const batch = fetch.batches[fetch.batchIndex];
      if (batch === undefined) {
        if (fetch.corruption !== null) {
          fetch.cachedError = fetch.corruption;
          return out;
        }
        const last = fetch.batches[fetch.batches.length - 1];
        if (last !== undefined) fetch.nextFetchOffset = Math.max(fetch.nextFetchOffset, last.lastOffset + 1);
        fetch.drain();
        return out;
      }
      const record = batch.records[fetch.recordIndex];
      if (record === undefined) {
        fetch.batchIndex += 1;
        fetch.recordIndex = 0;
        continue;
      }
      fetch.lastEpoch = batch.partitionLeaderEpoch >= 0 ? batch.partitionLeaderEpoch : null;
      if (record.offset < fetch.nextFetchOffset) {
        fetch.recordIndex += 1;
        continue;
      }
      if (batch.isControl) {
        fetch.nextFetchOffset = record.offset + 1;
        fetch.recordIndex += 1;
        continue;
      }
      const converted = this.convert(fetch, batch, record);
      if (converted === null) return out;
      out.push(converted);
      fetch.recordIndex += 1;
      fetch.nextFetchOffset = record.offset + 1;
    }
    return out;
  }

  private convert(fetch: CompletedFetch, batch: DecodedBatch, record: DecodedBatch['records'][number]): ConsumerRecord<K, V> | null {
    const { keyDeserializer, valueDeserializer } = this.deps;
    const tp = fetch.tp;
    let key: K | null;
    let value: V | null;
    try {
      key = keyDeserializer.deserialize(tp.topic, record.key);
    } catch (error) {
      fetch.cachedError = deserializationError('key', tp, record.offset, error);
      return null;
    }
    try {
      value = valueDeserializer.deserialize(tp.topic, record.value);
    } catch (error) {
      fetch.cachedError = deserializationError('value', tp, record.offset, error);
      return null;
    }
    return {
      topic: tp.topic,
      partition: tp.partition,
      offset: record.offset,
      timestampMs: record.timestampMs,
      timestampType: batch.timestampType,
      key,
      value,
      headers: record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.slice() })),
      leaderEpoch: batch.partitionLeaderEpoch >= 0 ? batch.partitionLeaderEpoch : null,
      serializedKeySize: record.key === null ? -1 : record.key.length,
      serializedValueSize: record.value === null ? -1 : record.value.length,
    };
  }
}

function deserializationError(what: 'key' | 'value', tp: TopicPartition, offset: number, cause: unknown): ConsumerError {
  const error = ConsumerError.client('RecordDeserializationException', `Error deserializing ${what} for partition ${tpString(tp)} at offset ${offset}. If needed, please seek past the record to continue consumption.`, cause);
  return isConsumerError(cause) && cause.exceptionName === 'RecordDeserializationException' ? cause : error;
}

function isPartialTail(bytes: Uint8Array, position: number): boolean {
  const available = bytes.length - position;
  if (available < 12) return true;
  const view = new DataView(bytes.buffer, bytes.byteOffset + position + 8, 4);
  return 12 + view.getInt32(0) > available;
}

function countRecords(responses: readonly FetchPartitionResponse[]): number {
  let count = 0;
  for (const response of responses) {
    // Record counts sit at byte 57 of each batch header; cheap to read without decoding.
    let position = 0;
    const bytes = response.records;
    while (bytes.length - position >= 61) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + position, 61);
      const size = 12 + view.getInt32(8);
      if (size < 61 || position + size > bytes.length) break;
      count += view.getInt32(57);
      position += size;
    }
  }
  return count;
}
