/**
 * A tiny in-memory "cluster" implementing the producer's network port for tests: per partition a
 * log of records with offsets, a leader per partition, controllable latency, lost requests and lost
 * responses, injected per-partition errors, disconnections, and the broker side of idempotence
 * (per producer id and partition: epoch, last sequence, the last 5 batches for duplicate
 * detection, OUT_OF_ORDER_SEQUENCE_NUMBER on a gap, INVALID_PRODUCER_EPOCH on an old epoch).
 * Responses and InitProducerId answers arrive through the scheduler, after `latencyMs`.
 */
import type { Scheduler } from '../../../../engine/core/scheduler.js';
import type { ProduceErrorName, ProducerErrorName } from '../../../../engine/clients/producer/producer-errors.js';
import type {
  InitProducerIdAnswer,
  MetadataAnswer,
  ProducePartitionData,
  ProducePartitionResponse,
  ProduceRequest,
  ProduceResponse,
  ProducerNetwork,
} from '../../../../engine/clients/producer/producer-network.js';
import { decodeRecordBatches } from '../../../../engine/storage/record-batch.js';

export interface StoredRecord {
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly { key: string; value: string | null }[];
  readonly timestampMs: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly sequence: number;
}

export interface SeenBatch {
  readonly atMs: number;
  readonly brokerId: number;
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
  readonly compression: string;
  readonly sizeBytes: number;
}

interface ErrorRule {
  readonly topic: string;
  readonly partition: number | null;
  readonly error: ProducerErrorName;
  remaining: number;
  /** Append first, then answer the error (NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
  readonly afterAppend: boolean;
}

interface ProducerState {
  epoch: number;
  lastSequence: number;
  readonly recent: { first: number; last: number; baseOffset: number }[];
}

const utf8 = new TextDecoder();

export class FakeBrokerNetwork implements ProducerNetwork {
  latencyMs = 2;
  readonly logs = new Map<string, StoredRecord[]>();
  readonly requests: { atMs: number; brokerId: number; request: ProduceRequest }[] = [];
  readonly seenBatches: SeenBatch[] = [];
  metadataCalls = 0;
  initProducerIdCalls = 0;
  /** Requests lost before a broker sees them. */
  dropNextRequests = 0;
  /** Responses lost after the broker appended. */
  dropNextResponses = 0;
  /** Requests answered with `disconnected`. */
  disconnectNextRequests = 0;
  private readonly errorRules: ErrorRule[] = [];
  private readonly leaders = new Map<string, (number | null)[]>();
  private readonly producers = new Map<string, ProducerState>();
  private nextProducerId = 1000;

  constructor(
    private readonly scheduler: Scheduler,
    topics: Record<string, { partitions: number; leaders?: (number | null)[] }>,
  ) {
    for (const [topic, spec] of Object.entries(topics)) {
      this.leaders.set(topic, spec.leaders ?? Array.from({ length: spec.partitions }, (_, p) => p % 3));
    }
  }

  createTopic(topic: string, partitions: number): void {
    this.leaders.set(topic, Array.from({ length: partitions }, (_, p) => p % 3));
  }

  setLeader(topic: string, partition: number, leader: number | null): void {
    this.leaders.get(topic)![partition] = leader;
  }

  /** Answer `error` for the next `times` batches to topic (and partition, when given). */
  injectError(topic: string, error: ProducerErrorName, times: number, options: { partition?: number; afterAppend?: boolean } = {}): void {
    this.errorRules.push({ topic, partition: options.partition ?? null, error, remaining: times, afterAppend: options.afterAppend ?? false });
  }

  log(topic: string, partition: number): StoredRecord[] {
    return this.logs.get(`${topic}-${partition}`) ?? [];
  }

  values(topic: string, partition: number): (string | null)[] {
    return this.log(topic, partition).map((r) => r.value);
  }

  metadata(topic: string): MetadataAnswer {
    this.metadataCalls += 1;
    const leaders = this.leaders.get(topic);
    if (leaders === undefined) return { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    return { ok: true, metadata: { partitionCount: leaders.length, leaders: [...leaders] } };
  }

  initProducerId(callback: (answer: InitProducerIdAnswer) => void): void {
    this.initProducerIdCalls += 1;
    const producerId = this.nextProducerId++;
    this.scheduler.after(this.latencyMs, () => callback({ ok: true, producerIdAndEpoch: { producerId, producerEpoch: 0 } }));
  }

  send(brokerId: number, request: ProduceRequest, onResponse: (response: ProduceResponse) => void): void {
    this.requests.push({ atMs: this.scheduler.nowMs(), brokerId, request });
    if (this.dropNextRequests > 0) {
      this.dropNextRequests -= 1;
      return;
    }
    if (this.disconnectNextRequests > 0) {
      this.disconnectNextRequests -= 1;
      this.scheduler.after(this.latencyMs, () => onResponse({ kind: 'disconnected' }));
      return;
    }
    this.scheduler.after(this.latencyMs, () => {
      const partitions = request.partitions.map((data) => this.handlePartition(brokerId, data));
      if (request.acks === 0) return;
      if (this.dropNextResponses > 0) {
        this.dropNextResponses -= 1;
        return;
      }
      onResponse({ kind: 'response', partitions });
    });
  }

  private handlePartition(brokerId: number, data: ProducePartitionData): ProducePartitionResponse {
    const answer = (error: ProduceErrorName, baseOffset = -1): ProducePartitionResponse => ({
      topic: data.topic,
      partition: data.partition,
      error,
      baseOffset,
      logAppendTimeMs: -1,
      logStartOffset: 0,
    });
    const leaders = this.leaders.get(data.topic);
    if (leaders === undefined) return answer('UNKNOWN_TOPIC_OR_PARTITION');
    if (leaders[data.partition] !== brokerId) return answer('NOT_LEADER_OR_FOLLOWER');
    const rule = this.errorRules.find((r) => r.remaining > 0 && r.topic === data.topic && (r.partition === null || r.partition === data.partition));
    if (rule !== undefined) rule.remaining -= 1;
    if (rule !== undefined && !rule.afterAppend) return answer(rule.error);

    const batches = decodeRecordBatches(data.records);
    if (batches.length !== 1) throw new Error(`expected exactly one batch per partition, got ${batches.length}`);
    const batch = batches[0]!;
    this.seenBatches.push({
      atMs: this.scheduler.nowMs(),
      brokerId,
      topic: data.topic,
      partition: data.partition,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      recordCount: batch.recordCount,
      compression: batch.compression,
      sizeBytes: data.records.length,
    });
    const tp = `${data.topic}-${data.partition}`;
    const log = this.logs.get(tp) ?? [];
    this.logs.set(tp, log);
    const lastSequence = batch.baseSequence + batch.recordCount - 1;
    let state: ProducerState | undefined;
    if (batch.producerId >= 0) {
      const stateKey = `${tp}:${batch.producerId}`;
      state = this.producers.get(stateKey);
      if (state === undefined || batch.producerEpoch > state.epoch) {
        if (batch.baseSequence !== 0) return answer('OUT_OF_ORDER_SEQUENCE_NUMBER');
        state = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] };
        this.producers.set(stateKey, state);
      } else if (batch.producerEpoch < state.epoch) {
        return answer('INVALID_PRODUCER_EPOCH');
      } else {
        const duplicate = state.recent.find((r) => r.first === batch.baseSequence && r.last === lastSequence);
        if (duplicate !== undefined) return answer('NONE', duplicate.baseOffset);
        if (batch.baseSequence !== state.lastSequence + 1) return answer('OUT_OF_ORDER_SEQUENCE_NUMBER');
      }
    }
    const baseOffset = log.length;
    batch.records.forEach((record, index) => {
      log.push({
        offset: baseOffset + index,
        key: record.key === null ? null : utf8.decode(record.key),
        value: record.value === null ? null : utf8.decode(record.value),
        headers: record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : utf8.decode(h.value) })),
        timestampMs: record.timestampMs,
        producerId: batch.producerId,
        producerEpoch: batch.producerEpoch,
        sequence: batch.baseSequence + index,
      });
    });
    if (state !== undefined) {
      state.lastSequence = lastSequence;
      state.recent.push({ first: batch.baseSequence, last: lastSequence, baseOffset });
      if (state.recent.length > 5) state.recent.shift();
    }
    if (rule !== undefined) return answer(rule.error);
    return answer('NONE', baseOffset);
  }
}
