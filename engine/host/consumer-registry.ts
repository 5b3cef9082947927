/**
 * The in-app consumers a learner starts from the UI (or a lab starts): each is a Java-like
 * KafkaConsumer inside an application loop (engine/services/consumer-app.ts) on the cluster's
 * network, with its own log. Client ids are unique; a stopped consumer stays listed (CLOSED or
 * CRASHED) with its log until the same client id is started again.
 *
 * Invariant: at most `limits.clientsMax` consumers are kept.
 */
import type { ConsumerStatus } from '../api/groups-dto.js';
import { KafkaConsumer, stringDeserializer, type ConsumerConfigInput } from '../clients/consumer/index.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Timers } from '../core/timers.js';
import type { RebalanceTimeline } from '../metrics/rebalance-timeline.js';
import { ConsumerApp } from '../services/consumer-app.js';
import { tpKey } from '../groups/assignors/assignor-support.js';

export interface StartConsumerSpec {
  readonly groupId: string;
  readonly clientId?: string | undefined;
  readonly topics: readonly string[];
  readonly assignor?: 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky' | undefined;
  readonly groupInstanceId?: string | undefined;
  readonly autoOffsetReset: 'latest' | 'earliest' | 'none';
  readonly enableAutoCommit: boolean;
  readonly commitMode?: 'auto' | 'sync-after-processing' | 'before-processing' | undefined;
  readonly autoCommitIntervalMs?: number | undefined;
  readonly maxPollRecords?: number | undefined;
  readonly sessionTimeoutMs?: number | undefined;
  readonly heartbeatIntervalMs?: number | undefined;
  readonly maxPollIntervalMs?: number | undefined;
  readonly processingMsPerRecord: number;
}

interface Entry {
  readonly groupId: string;
  readonly app: ConsumerApp<string, string>;
}

export class ConsumerRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cluster: Cluster,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly timeline: RebalanceTimeline,
    private readonly onChange: () => void,
  ) {}

  start(spec: StartConsumerSpec): ConsumerStatus {
    const clientId = spec.clientId ?? this.nextClientId(spec.groupId);
    const existing = this.entries.get(clientId);
    if (existing !== undefined && existing.app.state === 'running') {
      throw new KafkaError('INVALID_REQUEST', `A consumer with client.id ${clientId} is already running; stop it first or choose another client.id.`);
    }
    if (existing === undefined && this.entries.size >= limits.clientsMax) {
      throw new KafkaError('POLICY_VIOLATION', `The workbench runs at most ${limits.clientsMax} in-app clients.`);
    }
    for (const topic of spec.topics) this.cluster.topic(topic);
    const consumer = new KafkaConsumer<string, string>({
      config: consumerConfig(spec, clientId),
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: this.cluster.consumerNetwork(clientId),
      clock: this.clock,
      timers: this.timers,
      brokerAddress: (id) => {
        const broker = this.cluster.brokers.find((b) => b.id === id);
        return broker === undefined ? `broker-${id}:9092` : `${broker.host}:${broker.port}`;
      },
      onLog: () => this.onChange(),
    });
    const app = new ConsumerApp<string, string>({
      groupId: spec.groupId,
      topics: spec.topics,
      consumer,
      clock: this.clock,
      timers: this.timers,
      commitMode: commitModeOf(spec),
      processingMsPerRecord: spec.processingMsPerRecord,
      stopTheWorld: this.timeline,
    });
    this.entries.set(clientId, { groupId: spec.groupId, app });
    this.onChange();
    return this.statusOf(clientId);
  }

  stop(clientId: string, mode: 'close' | 'crash'): ConsumerStatus {
    const entry = this.entry(clientId);
    if (entry.app.state !== 'running') throw new KafkaError('INVALID_REQUEST', `Consumer ${clientId} is not running (${entry.app.state}).`);
    if (mode === 'crash') entry.app.crash();
    else entry.app.close(() => this.onChange());
    this.onChange();
    return this.statusOf(clientId);
  }

  list(): ConsumerStatus[] {
    return [...this.entries.keys()].sort().map((clientId) => this.statusOf(clientId));
  }

  log(clientId: string): string[] {
    return this.entry(clientId).app.consumer.logText();
  }

  /** Position lag of the running members, per topic-partition (keyed by tpKey). */
  positionLags(groupId: string): Map<string, number> {
    const lags = new Map<string, number>();
    for (const entry of this.entries.values()) {
      if (entry.groupId !== groupId || entry.app.state !== 'running') continue;
      for (const p of entry.app.consumer.metrics().partitions) if (p.recordsLag !== null) lags.set(tpKey(p), p.recordsLag);
    }
    return lags;
  }

  /** Crashes every running consumer (the engine is going away: nothing more is sent). */
  crashAll(): void {
    for (const entry of this.entries.values()) if (entry.app.state === 'running') entry.app.crash();
  }

  private statusOf(clientId: string): ConsumerStatus {
    const entry = this.entry(clientId);
    const metrics = entry.app.consumer.metrics();
    const state = entry.app.state === 'crashed' ? 'CRASHED' : entry.app.state === 'closed' ? 'CLOSED' : metrics.state;
    return {
      clientId,
      groupId: entry.groupId,
      state,
      memberId: metrics.memberId,
      generation: metrics.generationId,
      assignment: metrics.assignedPartitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      recordsConsumed: entry.app.recordsProcessed,
      lastPollAtMs: metrics.lastPollMs,
    };
  }

  private entry(clientId: string): Entry {
    const entry = this.entries.get(clientId);
    if (entry === undefined) throw new KafkaError('INVALID_REQUEST', `There is no in-app consumer with client.id ${clientId}.`);
    return entry;
  }

  /** `<group>-1`, `<group>-2`, ...: the first number no consumer of the registry uses. */
  private nextClientId(groupId: string): string {
    for (let n = 1; n <= limits.clientsMax; n++) {
      const candidate = `${groupId}-${n}`;
      const existing = this.entries.get(candidate);
      if (existing === undefined || existing.app.state !== 'running') return candidate;
    }
    throw new KafkaError('POLICY_VIOLATION', `The workbench runs at most ${limits.clientsMax} in-app clients.`);
  }
}

/** The app's commit mode: the one asked for, else what enable.auto.commit implies. */
function commitModeOf(spec: StartConsumerSpec): 'auto' | 'sync-after-processing' | 'before-processing' {
  return spec.commitMode ?? (spec.enableAutoCommit ? 'auto' : 'sync-after-processing');
}

function consumerConfig(spec: StartConsumerSpec, clientId: string): ConsumerConfigInput {
  const config: Record<string, unknown> = {
    groupId: spec.groupId,
    clientId,
    autoOffsetReset: spec.autoOffsetReset,
    enableAutoCommit: commitModeOf(spec) === 'auto',
  };
  if (spec.assignor !== undefined) config.partitionAssignmentStrategy = [spec.assignor];
  if (spec.groupInstanceId !== undefined) config.groupInstanceId = spec.groupInstanceId;
  if (spec.autoCommitIntervalMs !== undefined) config.autoCommitIntervalMs = spec.autoCommitIntervalMs;
  if (spec.maxPollRecords !== undefined) config.maxPollRecords = spec.maxPollRecords;
  if (spec.sessionTimeoutMs !== undefined) config.sessionTimeoutMs = spec.sessionTimeoutMs;
  if (spec.heartbeatIntervalMs !== undefined) config.heartbeatIntervalMs = spec.heartbeatIntervalMs;
  if (spec.maxPollIntervalMs !== undefined) config.maxPollIntervalMs = spec.maxPollIntervalMs;
  return config as ConsumerConfigInput;
}
