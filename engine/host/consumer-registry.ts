/**
 * The in-app consumers a learner starts from the UI (or a lab starts): each is a Java-like
 * KafkaConsumer inside an application loop (engine/services/consumer-app.ts) on the cluster's
 * network, with its own log. Client ids are unique; a stopped consumer stays listed (CLOSED or
 * CRASHED) with its log until the same client id is started again.
 *
 * Each consumer runs behind a ProcessGate, so the fault injector can freeze it like a GC pause
 * (no poll, no heartbeat) or crash and restart it through its ClientControl.
 *
 * Invariant: at most `limits.clientsMax` consumers are kept; a client id is never shared with
 * another client of the workbench (`isTaken`), since the network knows clients by their id.
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
import { ProcessGate } from '../core/process-gate.js';
import type { ClientControl, ClientDirectory, ClientProcessState } from '../faults/client-control.js';
import { guardedConsumerNetwork } from '../services/guarded-network.js';

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
  readonly spec: StartConsumerSpec;
  readonly app: ConsumerApp<string, string>;
  readonly gate: ProcessGate;
}

export class ConsumerRegistry implements ClientDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cluster: Cluster,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly timeline: RebalanceTimeline,
    private readonly onChange: () => void,
    /** Client ids other parts of the workbench use (the service replicas). */
    private readonly isTaken: (clientId: string) => boolean = () => false,
  ) {}

  start(spec: StartConsumerSpec): ConsumerStatus {
    const clientId = spec.clientId ?? this.nextClientId(spec.groupId);
    const existing = this.entries.get(clientId);
    if (existing !== undefined && existing.app.state === 'running') {
      throw new KafkaError('INVALID_REQUEST', `A consumer with client.id ${clientId} is already running; stop it first or choose another client.id.`);
    }
    if (this.isTaken(clientId)) throw new KafkaError('INVALID_REQUEST', `The client.id ${clientId} belongs to a service replica; choose another client.id.`);
    if (existing === undefined && this.entries.size >= limits.clientsMax) {
      throw new KafkaError('POLICY_VIOLATION', `The workbench runs at most ${limits.clientsMax} in-app clients.`);
    }
    for (const topic of spec.topics) this.cluster.topic(topic);
    const gate = new ProcessGate(this.timers);
    const consumer = new KafkaConsumer<string, string>({
      config: consumerConfig(spec, clientId),
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: guardedConsumerNetwork(this.cluster.consumerNetwork(clientId), gate),
      clock: this.clock,
      timers: gate.timers,
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
      timers: gate.timers,
      commitMode: commitModeOf(spec),
      processingMsPerRecord: spec.processingMsPerRecord,
      stopTheWorld: this.timeline,
    });
    this.entries.set(clientId, { groupId: spec.groupId, spec: { ...spec, clientId }, app, gate });
    this.onChange();
    return this.statusOf(clientId);
  }

  stop(clientId: string, mode: 'close' | 'crash'): ConsumerStatus {
    const entry = this.entry(clientId);
    if (entry.app.state !== 'running') throw new KafkaError('INVALID_REQUEST', `Consumer ${clientId} is not running (${entry.app.state}).`);
    if (mode === 'crash') this.crash(entry);
    else {
      // A frozen process cannot close itself: it is resumed first, then closes as asked.
      entry.gate.resume();
      entry.app.close(() => this.onChange());
    }
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
    for (const entry of this.entries.values()) if (entry.app.state === 'running') this.crash(entry);
  }

  client(clientId: string): ClientControl | null {
    return this.entries.has(clientId) ? this.control(clientId) : null;
  }

  clientIds(): readonly string[] {
    return [...this.entries.keys()].sort();
  }

  /** Records processed by each consumer so far (for the processed-rate series). */
  processedTotals(): { replicaId: string; processedTotal: number }[] {
    return [...this.entries].map(([clientId, entry]) => ({ replicaId: clientId, processedTotal: entry.app.recordsProcessed }));
  }

  private crash(entry: Entry): void {
    entry.gate.discard();
    entry.app.crash();
  }

  /** The fault injector's handle on one consumer process. */
  private control(clientId: string): ClientControl {
    const entry = (): Entry => this.entry(clientId);
    return {
      clientId,
      kind: 'consumer',
      state: (): ClientProcessState => processStateOf(entry()),
      crash: () => {
        if (entry().app.state !== 'running') throw new KafkaError('INVALID_REQUEST', `Consumer ${clientId} is not running (${entry().app.state}).`);
        this.crash(entry());
        this.onChange();
      },
      restart: () => {
        const current = entry();
        if (current.app.state === 'running') this.crash(current);
        this.start(current.spec);
      },
      pause: () => {
        if (entry().app.state !== 'running') throw new KafkaError('INVALID_REQUEST', `Consumer ${clientId} is not running (${entry().app.state}).`);
        entry().gate.pause();
        this.onChange();
      },
      resume: () => {
        entry().gate.resume();
        this.onChange();
      },
      processingMsPerRecord: () => entry().app.processingMsPerRecord,
      setProcessingMsPerRecord: (ms) => entry().app.setProcessingMsPerRecord(ms),
      // An in-app consumer stamps nothing: a skew shows only in its log's timestamps, which use engine time.
      clockSkewMs: () => 0,
      setClockSkewMs: () => {
        throw new KafkaError('INVALID_REQUEST', `Consumer ${clientId} produces no records, so a clock skew changes nothing it sends; skew an order service replica instead.`);
      },
    };
  }

  private statusOf(clientId: string): ConsumerStatus {
    const entry = this.entry(clientId);
    const metrics = entry.app.consumer.metrics();
    const state = entry.app.state === 'crashed' ? 'CRASHED' : entry.app.state === 'closed' ? 'CLOSED' : metrics.state;
    // A paused consumer keeps its Java state: it does not know it is frozen.
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
      if ((existing === undefined || existing.app.state !== 'running') && !this.isTaken(candidate)) return candidate;
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

function processStateOf(entry: Entry): ClientProcessState {
  if (entry.app.state === 'crashed') return 'crashed';
  if (entry.app.state === 'closed' || entry.app.state === 'closing') return 'stopped';
  return entry.gate.isPaused ? 'paused' : 'running';
}
