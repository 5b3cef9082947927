/**
 * A tiny in-memory cluster implementing the consumer's network port for tests: per partition a log
 * of record batches (Kafka v2 bytes, optionally gzip) with a high watermark and a log start
 * offset, leaders and leader epochs, Fetch with long polling (fetch.min.bytes / fetch.max.wait.ms)
 * that returns whole batches up to the high watermark, ListOffsets, and a small group coordinator
 * (fake-group-coordinator.ts). Everything is answered through the scheduler after `latencyMs`.
 *
 * Test controls: produce(), setHighWatermark(), deleteRecordsBefore(), createTopic(), brokerDown(),
 * dropNext (lost requests), and a log of every request the consumer sent.
 */
import type { Scheduler } from '../../../../engine/core/scheduler.js';
import type { TimerHandle } from '../../../../engine/core/timers.js';
import type {
  Answer,
  ConsumerFetchRequest,
  ConsumerNetwork,
  FetchPartitionResponse,
  ListOffsetsPartitionRequest,
  ListOffsetsPartitionResponse,
} from '../../../../engine/clients/consumer/consumer-network.js';
import type { MetadataAnswer } from '../../../../engine/clients/producer/producer-network.js';
import type { GroupRequest, GroupResponseFor } from '../../../../engine/groups/group-messages.js';
import { concatBytes, encodeRecordBatch, type CompressionType } from '../../../../engine/storage/record-batch.js';
import { FakeGroupCoordinator } from './fake-group-coordinator.js';

export interface ProduceInput {
  readonly key?: string | null;
  readonly value: string | null;
  readonly headers?: readonly { key: string; value: string | null }[];
  readonly timestampMs?: number;
}

interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Uint8Array;
}

interface PartitionLog {
  readonly batches: StoredBatch[];
  logEndOffset: number;
  highWatermark: number;
  logStartOffset: number;
  /** Keep the high watermark where it is (a follower lagging behind) instead of moving it with every append. */
  holdHighWatermark: boolean;
}

interface PendingFetch {
  readonly brokerId: number;
  readonly request: ConsumerFetchRequest;
  readonly onResponse: (answer: Answer<readonly FetchPartitionResponse[]>) => void;
  timer: TimerHandle | null;
}

export type RequestKind = 'Fetch' | 'ListOffsets' | GroupRequest['api'];

export interface SeenRequest {
  readonly atMs: number;
  readonly api: RequestKind;
  readonly brokerId: number | null;
  readonly request: unknown;
}

const utf8 = new TextEncoder();

export class FakeCluster implements ConsumerNetwork {
  latencyMs = 1;
  readonly requests: SeenRequest[] = [];
  readonly coordinator: FakeGroupCoordinator;
  /** Requests of these kinds are lost (no answer ever) this many more times. */
  readonly dropNext = new Map<RequestKind, number>();
  private readonly logs = new Map<string, PartitionLog>();
  private readonly leaders = new Map<string, number[]>();
  private readonly epochs = new Map<string, number>();
  private readonly pendingFetches: PendingFetch[] = [];
  private readonly down = new Set<number>();
  private inFlightFetches = new Map<number, number>();
  /** The most fetches ever in flight at once to one broker. */
  maxConcurrentFetchesPerBroker = 0;
  /** Answers group requests instead of the fake coordinator (to wire in the real GroupCoordinator). */
  groupBackend: ((request: GroupRequest, respond: (response: unknown) => void) => void) | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    topics: Record<string, number>,
    options: { coordinatorId?: number; brokers?: number } = {},
  ) {
    this.brokers = options.brokers ?? 3;
    for (const [topic, partitions] of Object.entries(topics)) this.createTopic(topic, partitions);
    this.coordinator = new FakeGroupCoordinator(scheduler, options.coordinatorId ?? 0);
  }

  private readonly brokers: number;

  createTopic(topic: string, partitions: number): void {
    this.leaders.set(topic, Array.from({ length: partitions }, (_, p) => p % this.brokers));
    for (let p = 0; p < partitions; p++) {
      this.logs.set(`${topic}-${p}`, { batches: [], logEndOffset: 0, highWatermark: 0, logStartOffset: 0, holdHighWatermark: false });
      this.epochs.set(`${topic}-${p}`, 0);
    }
  }

  /** Appends the records as one batch; returns the offset of the first. */
  produce(topic: string, partition: number, records: readonly ProduceInput[], options: { compression?: CompressionType } = {}): number {
    const log = this.log(topic, partition);
    const baseOffset = log.logEndOffset;
    const bytes = encodeRecordBatch({
      baseOffset,
      partitionLeaderEpoch: this.epochs.get(`${topic}-${partition}`) ?? 0,
      compression: options.compression ?? 'none',
      records: records.map((r) => ({
        key: r.key === undefined || r.key === null ? null : utf8.encode(r.key),
        value: r.value === null ? null : utf8.encode(r.value),
        headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : utf8.encode(h.value) })),
        timestampMs: r.timestampMs ?? this.scheduler.nowMs(),
      })),
    });
    log.batches.push({ baseOffset, lastOffset: baseOffset + records.length - 1, bytes });
    log.logEndOffset += records.length;
    if (!log.holdHighWatermark) log.highWatermark = log.logEndOffset;
    this.answerReadyFetches();
    return baseOffset;
  }

  /** Produces `count` records "<prefix>-<i>", one batch each. */
  produceValues(topic: string, partition: number, prefix: string, count: number, startAt = 0): void {
    for (let i = startAt; i < startAt + count; i++) this.produce(topic, partition, [{ key: `k${i}`, value: `${prefix}-${i}` }]);
  }

  holdHighWatermark(topic: string, partition: number, highWatermark: number): void {
    const log = this.log(topic, partition);
    log.holdHighWatermark = true;
    log.highWatermark = highWatermark;
  }

  releaseHighWatermark(topic: string, partition: number): void {
    const log = this.log(topic, partition);
    log.holdHighWatermark = false;
    log.highWatermark = log.logEndOffset;
    this.answerReadyFetches();
  }

  /** Retention: whole batches below `offset` are gone. */
  deleteRecordsBefore(topic: string, partition: number, offset: number): void {
    const log = this.log(topic, partition);
    while (log.batches.length > 0 && log.batches[0]!.lastOffset < offset) log.batches.shift();
    log.logStartOffset = log.batches[0]?.baseOffset ?? log.logEndOffset;
  }

  highWatermark(topic: string, partition: number): number {
    return this.log(topic, partition).highWatermark;
  }

  brokerDown(brokerId: number): void {
    this.down.add(brokerId);
    for (const pending of this.pendingFetches.filter((p) => p.brokerId === brokerId)) this.finishFetch(pending, { kind: 'disconnected' });
  }

  brokerUp(brokerId: number): void {
    this.down.delete(brokerId);
  }

  requestsOf(api: RequestKind): SeenRequest[] {
    return this.requests.filter((r) => r.api === api);
  }

  // ---------------------------------------------------------------------------------------------
  // The port

  metadata(topic: string): MetadataAnswer {
    const leaders = this.leaders.get(topic);
    if (leaders === undefined) return { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    return { ok: true, metadata: { partitionCount: leaders.length, leaders: [...leaders] } };
  }

  topicNames(): readonly string[] {
    return [...this.leaders.keys()].sort();
  }

  leaderEpoch(topic: string, partition: number): number {
    return this.epochs.get(`${topic}-${partition}`) ?? -1;
  }

  fetch(brokerId: number, request: ConsumerFetchRequest, onResponse: (answer: Answer<readonly FetchPartitionResponse[]>) => void): void {
    if (!this.admit('Fetch', brokerId, request, onResponse)) return;
    const inFlight = (this.inFlightFetches.get(brokerId) ?? 0) + 1;
    this.inFlightFetches.set(brokerId, inFlight);
    this.maxConcurrentFetchesPerBroker = Math.max(this.maxConcurrentFetchesPerBroker, inFlight);
    const pending: PendingFetch = { brokerId, request, onResponse, timer: null };
    this.scheduler.after(this.latencyMs, () => {
      if (this.fetchBytesAvailable(pending) >= Math.max(1, request.minBytes) || request.maxWaitMs === 0) {
        this.finishFetch(pending, { kind: 'response', response: this.fetchResponse(pending) });
        return;
      }
      this.pendingFetches.push(pending);
      pending.timer = this.scheduler.after(request.maxWaitMs, () => this.finishFetch(pending, { kind: 'response', response: this.fetchResponse(pending) }));
    });
  }

  listOffsets(brokerId: number, partitions: readonly ListOffsetsPartitionRequest[], onResponse: (answer: Answer<readonly ListOffsetsPartitionResponse[]>) => void): void {
    if (!this.admit('ListOffsets', brokerId, partitions, onResponse)) return;
    this.scheduler.after(this.latencyMs, () => onResponse({ kind: 'response', response: partitions.map((p) => this.listOffset(brokerId, p)) }));
  }

  group<R extends GroupRequest>(brokerId: number | null, request: R, onResponse: (answer: Answer<GroupResponseFor[R['api']]>) => void): void {
    if (!this.admit(request.api, brokerId, request, onResponse)) return;
    const respond = (response: GroupResponseFor[R['api']]): void => {
      this.scheduler.after(this.latencyMs, () => onResponse({ kind: 'response', response }));
    };
    const backend = this.groupBackend ?? ((r: GroupRequest, reply: (response: unknown) => void) => this.coordinator.handle(r, reply));
    this.scheduler.after(this.latencyMs, () => backend(request, respond as (response: unknown) => void));
  }

  // ---------------------------------------------------------------------------------------------

  private admit(api: RequestKind, brokerId: number | null, request: unknown, onResponse: (answer: { kind: 'disconnected' }) => void): boolean {
    this.requests.push({ atMs: this.scheduler.nowMs(), api, brokerId, request });
    const dropped = this.dropNext.get(api) ?? 0;
    if (dropped > 0) {
      this.dropNext.set(api, dropped - 1);
      return false;
    }
    if (brokerId !== null && this.down.has(brokerId)) {
      this.scheduler.after(0, () => onResponse({ kind: 'disconnected' }));
      return false;
    }
    return true;
  }

  private log(topic: string, partition: number): PartitionLog {
    const log = this.logs.get(`${topic}-${partition}`);
    if (log === undefined) throw new Error(`no partition ${topic}-${partition}`);
    return log;
  }

  private finishFetch(pending: PendingFetch, answer: Answer<readonly FetchPartitionResponse[]>): void {
    pending.timer?.cancel();
    const index = this.pendingFetches.indexOf(pending);
    if (index >= 0) this.pendingFetches.splice(index, 1);
    this.inFlightFetches.set(pending.brokerId, (this.inFlightFetches.get(pending.brokerId) ?? 1) - 1);
    this.scheduler.after(this.latencyMs, () => pending.onResponse(answer));
  }

  private answerReadyFetches(): void {
    for (const pending of [...this.pendingFetches]) {
      if (this.fetchBytesAvailable(pending) >= Math.max(1, pending.request.minBytes)) this.finishFetch(pending, { kind: 'response', response: this.fetchResponse(pending) });
    }
  }

  private fetchBytesAvailable(pending: PendingFetch): number {
    return this.fetchResponse(pending).reduce((sum, p) => sum + p.records.length, 0);
  }

  private fetchResponse(pending: PendingFetch): FetchPartitionResponse[] {
    let budget = pending.request.maxBytes;
    let first = true;
    return pending.request.partitions.map((p) => {
      const base = { topic: p.topic, partition: p.partition, highWatermark: -1, logStartOffset: -1, records: new Uint8Array(0) };
      const leaders = this.leaders.get(p.topic);
      if (leaders === undefined || p.partition >= leaders.length) return { ...base, error: 'UNKNOWN_TOPIC_OR_PARTITION' as const };
      if (leaders[p.partition] !== pending.brokerId) return { ...base, error: 'NOT_LEADER_OR_FOLLOWER' as const };
      const log = this.log(p.topic, p.partition);
      const answer = { ...base, highWatermark: log.highWatermark, logStartOffset: log.logStartOffset };
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) return { ...answer, error: 'OFFSET_OUT_OF_RANGE' as const };
      const chosen: Uint8Array[] = [];
      let size = 0;
      for (const batch of log.batches) {
        if (batch.lastOffset < p.fetchOffset || batch.lastOffset >= log.highWatermark) continue;
        const fits = size + batch.bytes.length <= p.partitionMaxBytes && batch.bytes.length <= budget;
        if (!fits && !(first && chosen.length === 0)) break; // KIP-74: at least one batch
        chosen.push(batch.bytes);
        size += batch.bytes.length;
        budget -= batch.bytes.length;
      }
      if (chosen.length > 0) first = false;
      return { ...answer, error: 'NONE' as const, records: concatBytes(chosen) };
    });
  }

  private listOffset(brokerId: number, p: ListOffsetsPartitionRequest): ListOffsetsPartitionResponse {
    const leaders = this.leaders.get(p.topic);
    const base = { topic: p.topic, partition: p.partition, offset: -1, timestamp: -1, leaderEpoch: -1 };
    if (leaders === undefined || p.partition >= leaders.length) return { ...base, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    if (leaders[p.partition] !== brokerId) return { ...base, error: 'NOT_LEADER_OR_FOLLOWER' };
    const log = this.log(p.topic, p.partition);
    const offset = p.timestamp === -2 ? log.logStartOffset : log.highWatermark;
    return { ...base, error: 'NONE', offset, leaderEpoch: this.epochs.get(`${p.topic}-${p.partition}`) ?? 0 };
  }
}
