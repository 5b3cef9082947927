/**
 * A bench for the fault tests, wired as the live workbench wires it: a cluster on virtual time whose
 * brokers each have a FaultableDisk of their own (over one shared MemoryDisk), the fault injector,
 * a timeline that records what it is told, an order producer whose acknowledged sends are kept, and
 * consumer processes — real KafkaConsumers in real ConsumerApps behind a ProcessGate — that the
 * injector crashes, pauses and slows through ClientControl, as it would service replicas.
 */
import { KafkaConsumer, stringDeserializer, type ConsumerNetwork } from '../../../engine/clients/consumer/index.js';
import { KafkaProducer, stringSerializer, type ProducerConfigInput } from '../../../engine/clients/producer/index.js';
import type { TimelineEntry } from '../../../engine/api/metrics-dto.js';
import { Cluster, type ClusterEvent } from '../../../engine/cluster/cluster.js';
import { ProcessGate } from '../../../engine/core/process-gate.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import type { ClientControl, ClientDirectory, ClientProcessState } from '../../../engine/faults/client-control.js';
import { FaultInjector } from '../../../engine/faults/fault-injector.js';
import type { PresetPorts } from '../../../engine/faults/presets.js';
import type { TimelineInput, TimelineSink } from '../../../engine/metrics/timeline-sink.js';
import { ConsumerApp } from '../../../engine/services/consumer-app.js';
import type { Disk } from '../../../engine/storage/disk/disk.js';
import { FaultableDisk } from '../../../engine/storage/disk/faultable-disk.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

export const START_MS = 1_700_000_000_000;

/** The timeline as the metrics keep it: entries with ids, spans ended later. */
export class RecordingTimeline implements TimelineSink {
  readonly entries: TimelineEntry[] = [];

  add(entry: TimelineInput): number {
    const id = this.entries.length + 1;
    this.entries.push({ ...entry, id, endMs: entry.endMs ?? null });
    return id;
  }

  end(id: number, endMs: number): void {
    const entry = this.entries[id - 1];
    if (entry !== undefined && entry.endMs === null) this.entries[id - 1] = { ...entry, endMs };
  }

  byCode(code: string): TimelineEntry[] {
    return this.entries.filter((e) => e.code === code);
  }
}

export interface ConsumerSpec {
  readonly clientId: string;
  readonly groupId: string;
  readonly topic: string;
  readonly processingMsPerRecord?: number;
}

/**
 * A consumer application's process: a KafkaConsumer polled by a ConsumerApp, whose timers and
 * network answers go through a ProcessGate (so a pause freezes it all, as a GC pause freezes a JVM).
 * Restart starts a new consumer with the same client id (a new member of the group).
 */
export class ConsumerProcess implements ClientControl {
  readonly kind = 'consumer' as const;
  app!: ConsumerApp<string, string>;
  /** Records processed, over every incarnation, as "partition:offset". */
  readonly processed: string[] = [];
  private gate!: ProcessGate;
  private crashed = false;
  private processingMs: number;
  private skewMs = 0;

  constructor(
    private readonly lab: { scheduler: Scheduler; cluster: Cluster },
    private readonly spec: ConsumerSpec,
  ) {
    this.processingMs = spec.processingMsPerRecord ?? 0;
    this.launch();
  }

  get clientId(): string {
    return this.spec.clientId;
  }

  state(): ClientProcessState {
    if (this.crashed) return 'crashed';
    return this.gate.isPaused ? 'paused' : 'running';
  }

  crash(): void {
    this.gate.discard();
    this.app.crash();
    this.crashed = true;
  }

  restart(): void {
    this.launch();
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  processingMsPerRecord(): number {
    return this.processingMs;
  }

  setProcessingMsPerRecord(ms: number): void {
    this.processingMs = ms;
    this.app.setProcessingMsPerRecord(ms);
  }

  clockSkewMs(): number {
    return this.skewMs;
  }

  setClockSkewMs(ms: number): void {
    this.skewMs = ms;
  }

  /** The partitions this consumer owns now, as "topic-partition". */
  assignment(): string[] {
    return this.app.consumer
      .assignment()
      .map((tp) => `${tp.topic}-${tp.partition}`)
      .sort();
  }

  private launch(): void {
    const { scheduler, cluster } = this.lab;
    this.gate = new ProcessGate(scheduler);
    this.crashed = false;
    const consumer = new KafkaConsumer<string, string>({
      config: { groupId: this.spec.groupId, clientId: this.spec.clientId, autoOffsetReset: 'earliest', enableAutoCommit: false },
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: gatedNetwork(cluster.consumerNetwork(this.spec.clientId), this.gate),
      clock: scheduler,
      timers: this.gate.timers,
    });
    this.app = new ConsumerApp<string, string>({
      groupId: this.spec.groupId,
      topics: [this.spec.topic],
      consumer,
      clock: scheduler,
      timers: this.gate.timers,
      commitMode: 'sync-after-processing',
      processingMsPerRecord: this.processingMs,
      pollTimeoutMs: 1000,
      onRecord: (record) => this.processed.push(`${record.partition}:${record.offset}`),
    });
  }
}

/** The consumer's network answers wait while its process is paused. */
function gatedNetwork(network: ConsumerNetwork, gate: ProcessGate): ConsumerNetwork {
  return {
    metadata: (topic) => network.metadata(topic),
    topicNames: () => network.topicNames(),
    leaderEpoch: (topic, partition) => network.leaderEpoch(topic, partition),
    fetch: (brokerId, request, onResponse) => network.fetch(brokerId, request, gate.guard(onResponse)),
    listOffsets: (brokerId, partitions, onResponse) => network.listOffsets(brokerId, partitions, gate.guard(onResponse)),
    group: (brokerId, request, onResponse) => network.group(brokerId, request, gate.guard(onResponse)),
  };
}

class LabClients implements ClientDirectory {
  readonly processes = new Map<string, ConsumerProcess>();

  client(clientId: string): ClientControl | null {
    return this.processes.get(clientId) ?? null;
  }

  clientIds(): readonly string[] {
    return [...this.processes.keys()];
  }
}

export interface AckedOrder {
  readonly value: string;
  readonly partition: number;
  readonly offset: number;
}

export interface FaultLabOptions {
  readonly brokerCount?: number;
  /** false: the brokers share the cluster's disk (disk faults are then refused). */
  readonly brokerDisks?: boolean;
  readonly producer?: ProducerConfigInput;
}

export function faultLab(seed: number, options: FaultLabOptions = {}) {
  const scheduler = new Scheduler(START_MS);
  const memory = new MemoryDisk();
  const disks = new Map<number, FaultableDisk>();
  const brokerDisk =
    options.brokerDisks === false
      ? undefined
      : (id: number): Disk => {
          const disk = new FaultableDisk(memory);
          disks.set(id, disk);
          return disk;
        };
  const cluster = new Cluster({ brokerCount: options.brokerCount ?? 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk: memory, brokerDisk, dataDir: '/data', linkLatencyMs: 1 });
  const events: ClusterEvent[] = [];
  cluster.onEvent((event) => events.push(event));
  const timeline = new RecordingTimeline();
  const clients = new LabClients();
  let changes = 0;
  const injector = new FaultInjector({
    cluster,
    clock: scheduler,
    timers: scheduler,
    clients,
    timeline,
    onChange: () => {
      changes += 1;
    },
    brokerDisks: (id) => disks.get(id),
  });
  scheduler.runUntil(scheduler.nowMs() + 100);

  /**
   * Runs `ms` of virtual time event by event, letting promise callbacks run between events (a
   * connection refused is answered on a microtask, as Node answers a refused connect).
   */
  const run = (ms: number): Promise<void> => runUntilSettled(scheduler, new Promise<void>((done) => scheduler.after(ms, done)), ms + 1);

  const acked: AckedOrder[] = [];
  const failedSends: string[] = [];
  let ordersSent = 0;
  let producer: KafkaProducer<string, string> | null = null;
  const orderProducer = () =>
    (producer ??= new KafkaProducer<string, string>({
      config: { lingerMs: 0, ...options.producer },
      keySerializer: stringSerializer,
      valueSerializer: stringSerializer,
      network: cluster.producerNetwork('order-1'),
      clock: scheduler,
      timers: scheduler,
      prng: new SeededPrng(seed + 1),
    }));
  let orderTopic = 'labshoppubsub';
  let orderPartition: number | undefined = 0;
  /** Sends one order now; its acknowledgement (partition, offset) is kept. */
  const sendOrder = () => {
    const value = `order-${++ordersSent}`;
    orderProducer().send({ topic: orderTopic, ...(orderPartition === undefined ? {} : { partition: orderPartition }), key: null, value }, (metadata, error) => {
      if (error === null) acked.push({ value, partition: metadata.partition, offset: metadata.offset });
      else failedSends.push(`${value}: ${error.message}`);
    });
  };
  const placeOrders = (count: number, intervalMs: number) => {
    for (let i = 0; i < count; i++) scheduler.after(i * intervalMs, sendOrder);
  };
  const ports: PresetPorts = {
    placeOrders,
    defaultTopic: () => orderTopic,
    clients,
    inventoryClientIds: () => [...clients.processes.keys()].filter((id) => id.startsWith('inventory-')),
  };

  /** Orders go to this topic, to `partition` (undefined: the default partitioner chooses). */
  const useOrderTopic = (topic: string, partition: number | undefined) => {
    orderTopic = topic;
    orderPartition = partition;
  };

  const createTopic = async (name: string, partitions: number, configs: Record<string, string> = {}) => {
    cluster.createTopic({ name, partitions, replicationFactor: Math.min(3, cluster.brokers.length), configs });
    await run(500);
  };

  const startConsumer = (spec: ConsumerSpec): ConsumerProcess => {
    const process = new ConsumerProcess({ scheduler, cluster }, spec);
    clients.processes.set(spec.clientId, process);
    return process;
  };

  /** The values readable from the partition's leader, by offset. */
  const readable = (topic: string, partition: number): Map<number, string | null> => {
    const { records } = cluster.read(topic, partition, cluster.offsets(topic, partition).logStartOffset, 1000);
    return new Map(records.map((r) => [r.offset, r.value]));
  };

  return {
    scheduler,
    cluster,
    events,
    timeline,
    clients,
    injector,
    disks,
    ports,
    acked,
    failedSends,
    run,
    sendOrder,
    placeOrders,
    useOrderTopic,
    createTopic,
    startConsumer,
    readable,
    changes: () => changes,
  };
}

export type FaultLab = ReturnType<typeof faultLab>;
