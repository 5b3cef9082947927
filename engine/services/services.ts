/**
 * The workshop's services as replica sets: the order service (order-1, order-2, ...) and the
 * inventory service (inventory-1, inventory-2, ...; group `inventory`), with their settings, their
 * stores, their consoles and the business figures. The Services view, the contract and the host's
 * port binding (engine/host/service-ports.ts) act on it; the fault injector finds each replica as a
 * ClientControl by its client id (= replica id).
 *
 * - scale: new replicas start; scaling down stops the highest-numbered cleanly (LeaveGroup) and
 *   removes it (with its per-replica store);
 * - orders go round-robin over the running order replicas (a Service in front of the pods); order
 *   ids come from one counter of the replica set, so they are unique across replicas;
 * - stock lives in one store per inventory replica (the seed's experiment) or in one shared store
 *   (production), switchable at any time; a per-replica store outlives crashes and restarts (a
 *   database, not the JVM's memory) and goes with its replica when scaled down;
 * - the topic is not created here: the cluster auto-creates it on the clients' first metadata
 *   request when auto.create.topics.enable=true (Kafka's default, with num.partitions=1, which is
 *   why the seed's topic has one partition); with auto-creation off, starting replicas or placing
 *   orders on a missing topic is refused with a clear error instead of a minute of retries;
 * - what the learner does goes to the timeline: scaling (kind `scaling`), crash and pause (kind
 *   `fault`; a pause is a span ended by resume), stop and restart, configuration changes.
 *
 * Invariants: replicas of a service are numbered 1..n without gaps; at most
 * servicesLimits.replicasPerServiceMax per service, and at most servicesLimits.retiringReplicasMax
 * scaled-down replicas still shutting down; at most servicesLimits.scheduledOrdersMax orders wait
 * to be placed; one console per replica id ever used (at most 2 x replicasPerServiceMax); after
 * close() nothing of the services runs.
 */
import type { z } from 'zod';
import {
  ServiceSettingsSchema,
  type BusinessFigures,
  type ConfigureServicesRequest,
  type InventoryServiceSettings,
  type ServiceLog,
  type ServicePorts,
  type ServiceReplica,
  type ServiceSettings,
  type ServicesSnapshot,
} from '../api/services-dto.js';
import type { Cluster, ClusterEvent } from '../cluster/cluster.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { SeededPrng, type Prng } from '../core/prng.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import type { ClientControl, ClientDirectory } from '../faults/client-control.js';
import type { TimelineInput, TimelineSink } from '../metrics/timeline-sink.js';
import { BusinessFiguresTracker, type FiguresView } from './business-figures.js';
import type { StopTheWorldSink } from './consumer-app.js';
import { checkInventorySettings, InventoryReplica } from './inventory-service.js';
import { InventoryStore, type StockEntry } from './inventory-store.js';
import { decodeOrderEvent } from './order-events.js';
import { checkOrderSettings, OrderReplica, type AcceptedOrder } from './order-service.js';
import { ReplicaLog } from './replica-log.js';
import type { ReplicaProcess } from './replica-process.js';
import { servicesLimits } from './services-limits.js';

export type ServiceName = 'order' | 'inventory';
export type ReplicaAction = 'crash' | 'stop' | 'restart' | 'pause' | 'resume';
export type ServiceSettingsInput = z.input<typeof ConfigureServicesRequest>;

export interface ServicesOptions {
  readonly cluster: Cluster;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Seeds each replica's producer (sticky partition, jitter): the same actions replay the same run. */
  readonly prng: Prng;
  readonly timeline: TimelineSink;
  /** The rebalance timeline's stop-the-world windows (RebalanceTimeline.partitionsStopped/Resumed). */
  readonly stopTheWorld: StopTheWorldSink;
  /** Anything the Services view shows changed (the host throttles the event). */
  readonly onChange: () => void;
  readonly settings?: ServiceSettingsInput;
  /** Replicas started at once (default none: nothing runs until the learner scales up). */
  readonly replicas?: { readonly order?: number; readonly inventory?: number };
}

/** What the workshop's apps run with: the seed's topic and group, Kafka's producer and consumer defaults. */
export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  order: { topic: 'labshoppubsub', key: 'none', partitioner: 'default', acks: 'all', enableIdempotence: true, lingerMs: 0, deliveryTimeoutMs: 120_000 },
  inventory: {
    topic: 'labshoppubsub',
    groupId: 'inventory',
    store: 'per-replica',
    processingMsPerRecord: 0,
    commitMode: 'auto',
    dedupeByOrderId: false,
    assignor: 'range',
    autoOffsetReset: 'latest',
    sessionTimeoutMs: 45_000,
    heartbeatIntervalMs: 3000,
    maxPollIntervalMs: 300_000,
    maxPollRecords: 500,
  },
};

/** Spring Boot's server.port of each app in the seed. */
export const DEFAULT_ORDER_PORT = 8081;
export const DEFAULT_INVENTORY_BASE_PORT = 8082;

/** A process id per start, as a Linux box hands them out; only for the console. */
const FIRST_PID = 4000;

interface ScheduledBatch {
  readonly orderIds: number[];
  next: number;
  timer: TimerHandle | null;
}

export class Services implements ClientDirectory {
  private settings: ServiceSettings;
  private readonly orders: OrderReplica[] = [];
  private readonly inventories: InventoryReplica[] = [];
  /** Inventory replicas scaled down but still finishing their batch and leaving the group. */
  private readonly retiring = new Set<InventoryReplica>();
  private readonly logs = new Map<string, ReplicaLog>();
  private readonly stores = new Map<string, InventoryStore>();
  private readonly sharedStore = new InventoryStore('the shared inventory database');
  private readonly figures = new BusinessFiguresTracker();
  private readonly batches = new Set<ScheduledBatch>();
  private readonly lifecycleListeners = new Set<() => void>();
  /** Open pause spans on the timeline, by replica id. */
  private readonly pauseSpans = new Map<string, number>();
  private readonly unsubscribeCluster: () => void;
  private ports: ServicePorts = { enabled: false, host: '127.0.0.1', orderPort: DEFAULT_ORDER_PORT, inventoryBasePort: DEFAULT_INVENTORY_BASE_PORT, error: null };
  private nextOrderId = 1;
  private nextPid = FIRST_PID;
  private roundRobin = 0;
  private scheduledOrders = 0;
  private closed = false;

  constructor(private readonly options: ServicesOptions) {
    this.settings = mergeSettings(DEFAULT_SERVICE_SETTINGS, options.settings ?? {});
    this.unsubscribeCluster = options.cluster.onEvent((event) => this.onClusterEvent(event));
    if ((options.replicas?.order ?? 0) > 0) this.scale('order', options.replicas!.order!);
    if ((options.replicas?.inventory ?? 0) > 0) this.scale('inventory', options.replicas!.inventory!);
  }

  // ---------------------------------------------------------------------------------------------
  // What the view reads

  snapshot(): ServicesSnapshot {
    return {
      nowMs: this.options.clock.nowMs(),
      settings: structuredClone(this.settings),
      ports: { ...this.ports },
      replicas: [...this.orders.map((r) => this.orderReplicaView(r)), ...this.inventories.map((r) => this.inventoryReplicaView(r))],
      figures: this.businessFigures(),
    };
  }

  businessFigures(): BusinessFigures {
    return this.figures.figures(this.figuresView());
  }

  currentSettings(): ServiceSettings {
    return structuredClone(this.settings);
  }

  /** A replica's console after the lines the caller has (line numbers keep counting past the ring). */
  log(replicaId: string, afterLine: number): ServiceLog {
    const log = this.logs.get(replicaId);
    if (log === undefined) throw new KafkaError('INVALID_REQUEST', `There is no service replica ${replicaId}.`);
    return { replicaId, ...log.after(Math.max(0, Math.floor(afterLine))) };
  }

  /** Per order replica, for the metrics sampler. */
  producerStats(): { clientId: string; sendTotal: number; latencyAvgMs: number | null }[] {
    return this.orders.map((r) => ({ clientId: r.clientId, sendTotal: r.sendTotal, latencyAvgMs: r.latencyAvgMs() }));
  }

  /** Per inventory replica, for the metrics sampler (cumulative over restarts). */
  processedTotals(): { replicaId: string; processedTotal: number }[] {
    return this.inventories.map((r) => ({ replicaId: r.clientId, processedTotal: r.processedTotal }));
  }

  // ---------------------------------------------------------------------------------------------
  // ClientDirectory

  client(clientId: string): ClientControl | null {
    return this.replica(clientId) ?? null;
  }

  clientIds(): readonly string[] {
    return [...this.orders, ...this.inventories].map((r) => r.clientId);
  }

  // ---------------------------------------------------------------------------------------------
  // What the learner does

  /** Scales a service to `replicas`: new ones start, the highest-numbered stop cleanly and go. */
  scale(service: ServiceName, replicas: number): void {
    this.ensureOpen();
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > servicesLimits.replicasPerServiceMax) {
      throw new KafkaError('POLICY_VIOLATION', `The workbench runs 0 to ${servicesLimits.replicasPerServiceMax} ${service} replicas; ${replicas} asked.`);
    }
    const set: ReplicaProcess[] = service === 'order' ? this.orders : this.inventories;
    const from = set.length;
    if (replicas === from) return;
    if (replicas > from) this.requireTopic(this.topicOf(service));
    while (set.length < replicas) this.addReplica(service, set.length + 1);
    while (set.length > replicas) this.removeReplica(service);
    this.addTimeline({
      kind: 'scaling',
      severity: 'info',
      code: 'service.scaled',
      params: { service, from, to: replicas },
      text: `${service} scaled from ${from} to ${replicas} replica(s)${replicas < from ? ' (the highest-numbered stopped cleanly)' : ''}.`,
    });
    this.lifecycleChanged();
  }

  /** Changes settings; consumer configs apply to inventory replicas started after, the rest at once. */
  configure(change: ServiceSettingsInput): ServiceSettings {
    this.ensureOpen();
    const next = mergeSettings(this.settings, change);
    checkOrderSettings(next.order);
    checkInventorySettings(next.inventory);
    const before = this.settings;
    this.settings = next;
    const changed = describeChanges(before, next);
    if (changed.length === 0) return this.currentSettings();
    if (JSON.stringify(before.order) !== JSON.stringify(next.order)) for (const replica of this.orders) replica.reconfigure();
    if (before.inventory.processingMsPerRecord !== next.inventory.processingMsPerRecord) {
      for (const replica of this.inventories) if (replica.isAlive) replica.setProcessingMsPerRecord(next.inventory.processingMsPerRecord);
    }
    if (before.inventory.groupId !== next.inventory.groupId) this.figures.forgetCommittedOffsets();
    const restartNeeded = CONSUMER_SETTINGS.some((name) => before.inventory[name] !== next.inventory[name]) && this.inventories.some((r) => r.isAlive);
    this.addTimeline({
      kind: 'config',
      severity: 'info',
      code: 'service.configured',
      params: { changes: changed.join(', '), restartNeeded },
      text: `Service settings changed: ${changed.join(', ')}${restartNeeded ? ' (consumer settings apply to inventory replicas started from now on: restart them to apply)' : ''}.`,
    });
    this.options.onChange();
    return this.currentSettings();
  }

  replicaAction(replicaId: string, action: ReplicaAction): void {
    this.ensureOpen();
    const replica = this.requireReplica(replicaId);
    const at = clockText(this.options.clock.nowMs());
    switch (action) {
      case 'crash':
        replica.crash(`crashed by the learner at ${at}`);
        this.endPauseSpan(replicaId);
        this.addTimeline({ kind: 'fault', severity: 'warn', code: 'service.replica-crashed', params: { replicaId }, text: `${replicaId} crashed (kill -9): no LeaveGroup, no commit.` });
        return;
      case 'stop':
        replica.stop(`stopped by the learner at ${at}`);
        this.endPauseSpan(replicaId);
        this.addTimeline({ kind: 'scaling', severity: 'info', code: 'service.replica-stopped', params: { replicaId }, text: `${replicaId} stopped cleanly (LeaveGroup sent).` });
        return;
      case 'restart':
        if (!replica.isAlive) this.requireTopic(replica instanceof OrderReplica ? this.settings.order.topic : this.settings.inventory.topic);
        replica.restart();
        this.endPauseSpan(replicaId);
        this.addTimeline({ kind: 'scaling', severity: 'info', code: 'service.replica-restarted', params: { replicaId }, text: `${replicaId} restarted.` });
        return;
      case 'pause':
        replica.pause(`paused by the learner at ${at}`);
        if (!this.pauseSpans.has(replicaId)) {
          this.pauseSpans.set(replicaId, this.addTimeline({ kind: 'fault', severity: 'warn', code: 'service.replica-paused', params: { replicaId }, text: `${replicaId} paused (stop-the-world): no poll, no heartbeat.` }));
        }
        return;
      case 'resume':
        replica.resume();
        this.endPauseSpan(replicaId);
        return;
    }
  }

  /** Slows one inventory replica down (or speeds it up): engine ms per OrderPlaced. */
  setProcessing(replicaId: string, processingMsPerRecord: number): void {
    this.ensureOpen();
    this.requireReplica(replicaId).setProcessingMsPerRecord(processingMsPerRecord);
  }

  /**
   * POST /orders, `count` times, `intervalMs` apart (0: all now), round-robin over the running order
   * replicas. Returns the order ids (those of later orders are reserved now).
   */
  placeOrders(request: { readonly productId: number; readonly qty: number; readonly count?: number; readonly intervalMs?: number }): number[] {
    this.ensureOpen();
    const count = request.count ?? 1;
    const intervalMs = request.intervalMs ?? 0;
    if (!Number.isInteger(count) || count < 1) throw new KafkaError('INVALID_REQUEST', `An order batch has at least 1 order; ${count} asked.`);
    this.requireTopic(this.settings.order.topic);
    if (this.runningOrders().length === 0) throw noRunningOrderReplica(this.orders.length);
    if (intervalMs === 0 || count === 1) {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(this.placeNext(request.productId, request.qty));
      return ids;
    }
    if (this.scheduledOrders + count - 1 > servicesLimits.scheduledOrdersMax) {
      throw new KafkaError('POLICY_VIOLATION', `At most ${servicesLimits.scheduledOrdersMax} orders may wait to be placed; ${this.scheduledOrders} are waiting already.`);
    }
    const orderIds = [this.placeNext(request.productId, request.qty)];
    for (let i = 1; i < count; i++) orderIds.push(this.nextOrderId++);
    this.scheduleBatch({ orderIds, next: 1, timer: null }, request.productId, request.qty, intervalMs);
    return orderIds;
  }

  /** POST /orders on one order replica (its port). */
  placeOrderOn(replicaId: string, productId: number, qty: number): AcceptedOrder {
    this.ensureOpen();
    const replica = this.requireReplica(replicaId);
    if (!(replica instanceof OrderReplica)) throw new KafkaError('INVALID_REQUEST', `${replicaId} is not an order replica.`);
    this.requireTopic(this.settings.order.topic);
    return replica.placeOrder({ orderId: this.nextOrderId++, productId, qty });
  }

  /**
   * POST /inventories {id, stock}: on the shared store, or on one replica's store (per-replica;
   * without a replica id, on every live inventory replica's store, as the seed does one by one).
   */
  setStock(replicaId: string | undefined, productId: number, stock: number): void {
    this.ensureOpen();
    if (!Number.isInteger(productId) || !Number.isInteger(stock)) throw new KafkaError('INVALID_REQUEST', `A product id and a stock are whole numbers; got ${productId} and ${stock}.`);
    if (replicaId !== undefined) this.requireAnswering(this.requireInventory(replicaId));
    if (this.settings.inventory.store === 'shared') {
      this.sharedStore.set(productId, stock);
    } else if (replicaId !== undefined) {
      this.storeOf(replicaId).set(productId, stock);
    } else {
      const live = this.inventories.filter((r) => r.state() === 'running' || r.state() === 'starting');
      if (live.length === 0) throw new KafkaError('INVALID_REQUEST', 'No inventory replica is running to take the stock: scale the inventory service up first.');
      for (const replica of live) this.storeOf(replica.clientId).set(productId, stock);
    }
    this.options.onChange();
  }

  /** GET /inventories on an inventory replica: the store it answers from now. */
  stockOn(replicaId: string): StockEntry[] {
    const replica = this.requireInventory(replicaId);
    this.requireAnswering(replica);
    return this.currentStoreOf(replica.clientId).entries();
  }

  /** The service a replica belongs to, or null for an unknown id (the HTTP binding routes with it). */
  serviceOf(replicaId: string): ServiceName | null {
    const replica = this.replica(replicaId);
    if (replica === undefined) return null;
    return replica instanceof OrderReplica ? 'order' : 'inventory';
  }

  /** The replica's state now, or null for an unknown id. */
  stateOf(replicaId: string): ReturnType<ClientControl['state']> | null {
    return this.replica(replicaId)?.state() ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // The host's port binding

  /** The binding's status and the port each replica listens on (absent: none). */
  setPorts(status: ServicePorts, listening: ReadonlyMap<string, number>): void {
    this.ports = { ...status };
    for (const replica of [...this.orders, ...this.inventories]) replica.setListeningPort(listening.get(replica.clientId) ?? null);
    this.options.onChange();
  }

  /** Called when a replica starts, stops, dies, pauses or resumes, or the replica set changes. Returns an unsubscribe. */
  onLifecycle(listener: () => void): () => void {
    this.lifecycleListeners.add(listener);
    return () => this.lifecycleListeners.delete(listener);
  }

  /** Every replica id with its service, in order (order-1.., inventory-1..). */
  replicaIds(): { replicaId: string; service: ServiceName; alive: boolean }[] {
    return [
      ...this.orders.map((r) => ({ replicaId: r.clientId, service: 'order' as const, alive: r.isAlive })),
      ...this.inventories.map((r) => ({ replicaId: r.clientId, service: 'inventory' as const, alive: r.isAlive })),
    ];
  }

  /** The engine is going away: every replica stops at once, sending nothing more. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeCluster();
    this.lifecycleListeners.clear();
    for (const batch of this.batches) batch.timer?.cancel();
    this.batches.clear();
    for (const replica of [...this.orders, ...this.inventories, ...this.retiring]) replica.kill('the workbench is closing');
    this.retiring.clear();
  }

  // ---------------------------------------------------------------------------------------------

  private addReplica(service: ServiceName, n: number): void {
    const replicaId = `${service}-${n}`;
    const log = this.logs.get(replicaId) ?? new ReplicaLog();
    this.logs.set(replicaId, log);
    const base = {
      replicaId,
      clock: this.options.clock,
      timers: this.options.timers,
      log,
      nextPid: () => this.nextPid++,
      onChange: () => this.options.onChange(),
      onLifecycle: () => this.lifecycleChanged(),
    };
    if (service === 'order') {
      const replica = new OrderReplica({
        ...base,
        network: this.options.cluster.producerNetwork(replicaId),
        prng: new SeededPrng(this.options.prng.nextInt(0x7fff_ffff)),
        settings: () => this.settings.order,
        outcomes: this.figures,
      });
      this.orders.push(replica);
      replica.start();
      return;
    }
    this.stores.set(replicaId, new InventoryStore(`${replicaId}'s database`));
    const replica = new InventoryReplica({
      ...base,
      network: this.options.cluster.consumerNetwork(replicaId),
      settings: () => this.settings.inventory,
      store: () => this.currentStoreOf(replicaId),
      outcomes: this.figures,
      stopTheWorld: this.options.stopTheWorld,
      brokerAddress: (id) => {
        const broker = this.options.cluster.brokers.find((b) => b.id === id);
        return broker === undefined ? `broker-${id}:9092` : `${broker.host}:${broker.port}`;
      },
    });
    this.inventories.push(replica);
    replica.start();
  }

  private removeReplica(service: ServiceName): void {
    if (service === 'order') {
      const replica = this.orders.pop()!;
      this.endPauseSpan(replica.clientId);
      replica.stop('scaled down');
      return;
    }
    const replica = this.inventories.pop()!;
    this.stores.delete(replica.clientId);
    this.endPauseSpan(replica.clientId);
    if (!replica.isAlive) return;
    if (this.retiring.size >= servicesLimits.retiringReplicasMax) {
      const oldest = this.retiring.values().next().value!;
      this.retiring.delete(oldest);
      oldest.kill('its shutdown took too long');
    }
    this.retiring.add(replica);
    replica.stop('scaled down', () => this.retiring.delete(replica));
  }

  private placeNext(productId: number, qty: number): number {
    const running = this.runningOrders();
    if (running.length === 0) throw noRunningOrderReplica(this.orders.length);
    const replica = running[this.roundRobin++ % running.length]!;
    const orderId = this.nextOrderId++;
    replica.placeOrder({ orderId, productId, qty });
    return orderId;
  }

  private scheduleBatch(batch: ScheduledBatch, productId: number, qty: number, intervalMs: number): void {
    this.batches.add(batch);
    this.scheduledOrders += batch.orderIds.length - batch.next;
    const step = (): void => {
      batch.timer = null;
      const orderId = batch.orderIds[batch.next++]!;
      this.scheduledOrders -= 1;
      const running = this.runningOrders();
      // Nobody answers POST /orders now: the client's request fails and the order is never placed.
      if (running.length > 0) running[this.roundRobin++ % running.length]!.placeOrder({ orderId, productId, qty });
      if (batch.next < batch.orderIds.length) batch.timer = this.options.timers.after(intervalMs, step);
      else this.batches.delete(batch);
    };
    batch.timer = this.options.timers.after(intervalMs, step);
  }

  private runningOrders(): OrderReplica[] {
    return this.orders.filter((r) => r.state() === 'running');
  }

  private orderReplicaView(replica: OrderReplica): ServiceReplica {
    return {
      ...this.commonView(replica, 'order'),
      memberId: null,
      assignment: [],
      processed: replica.ordersAccepted,
      processingMsPerRecord: 0,
      stock: [],
    };
  }

  private inventoryReplicaView(replica: InventoryReplica): ServiceReplica {
    return {
      ...this.commonView(replica, 'inventory'),
      memberId: replica.memberId(),
      assignment: replica.assignment(),
      processed: replica.processedTotal,
      processingMsPerRecord: replica.processingMsPerRecord(),
      stock: this.currentStoreOf(replica.clientId).entries(),
    };
  }

  private commonView(replica: ReplicaProcess, service: ServiceName): Pick<ServiceReplica, 'replicaId' | 'service' | 'state' | 'port' | 'clientId' | 'stateReason' | 'startedAtMs' | 'logLines'> {
    return {
      replicaId: replica.clientId,
      service,
      state: replica.state(),
      port: replica.isAlive ? replica.listeningPort : null,
      clientId: replica.clientId,
      stateReason: replica.stateReason,
      startedAtMs: replica.startedAtMs,
      logLines: this.logs.get(replica.clientId)?.totalLines ?? 0,
    };
  }

  /** The running system as the figures read it, for one computation (lookups are remembered for its length). */
  private figuresView(): FiguresView {
    const { cluster } = this.options;
    let held: Set<string> | null = null;
    const logStarts = new Map<string, number | null>();
    return {
      groupId: this.settings.inventory.groupId,
      held: (topic, partition, offset) => {
        held ??= new Set([...this.inventories, ...this.retiring].flatMap((r) => r.unprocessedRecords().map((rec) => `${rec.topic}\u0000${rec.partition}\u0000${rec.offset}`)));
        return held.has(`${topic}\u0000${partition}\u0000${offset}`);
      },
      logStartOffset: (topic, partition) => {
        const key = `${topic}\u0000${partition}`;
        if (!logStarts.has(key)) logStarts.set(key, logStartOffsetOf(cluster, topic, partition));
        return logStarts.get(key)!;
      },
      orderIdAt: (topic, partition, offset) => orderIdAt(cluster, topic, partition, offset),
    };
  }

  private onClusterEvent(event: ClusterEvent): void {
    if (event.type === 'data-loss') {
      this.figures.offsetsTruncated(event.topic, event.partition, event.firstOffset, event.lastOffset, event.message);
      this.options.onChange();
      return;
    }
    if (event.type !== 'group' || !('groupId' in event.event) || event.event.groupId !== this.settings.inventory.groupId) return;
    const groupEvent = event.event;
    if (groupEvent.type === 'offsets-committed') {
      for (const o of groupEvent.offsets) this.figures.offsetsCommitted(o.topic, o.partition, o.offset);
    } else if (groupEvent.type === 'group-deleted') {
      this.figures.forgetCommittedOffsets();
    }
  }

  private currentStoreOf(replicaId: string): InventoryStore {
    return this.settings.inventory.store === 'shared' ? this.sharedStore : this.storeOf(replicaId);
  }

  private storeOf(replicaId: string): InventoryStore {
    const store = this.stores.get(replicaId);
    if (store === undefined) throw new KafkaError('INVALID_REQUEST', `There is no inventory replica ${replicaId}.`);
    return store;
  }

  private replica(replicaId: string): OrderReplica | InventoryReplica | undefined {
    return this.orders.find((r) => r.clientId === replicaId) ?? this.inventories.find((r) => r.clientId === replicaId);
  }

  private requireReplica(replicaId: string): OrderReplica | InventoryReplica {
    const replica = this.replica(replicaId);
    if (replica === undefined) throw new KafkaError('INVALID_REQUEST', `There is no service replica ${replicaId}; the replicas are ${this.clientIds().join(', ') || 'none (scale a service up first)'}.`);
    return replica;
  }

  private requireInventory(replicaId: string): InventoryReplica {
    const replica = this.requireReplica(replicaId);
    if (!(replica instanceof InventoryReplica)) throw new KafkaError('INVALID_REQUEST', `${replicaId} is not an inventory replica.`);
    return replica;
  }

  /** A replica answers requests while running or starting; a paused or dead one does not. */
  private requireAnswering(replica: ReplicaProcess): void {
    const state = replica.state();
    if (state !== 'running' && state !== 'starting') throw new KafkaError('INVALID_REQUEST', `${replica.clientId} is ${state}: it answers no requests.`);
  }

  /** A missing topic with auto-creation off is refused at once (Kafka's clients would retry for max.block.ms). */
  private requireTopic(topic: string): void {
    const { cluster } = this.options;
    if (cluster.topicNames(true).includes(topic) || cluster.brokerConfig('auto.create.topics.enable') === 'true') return;
    throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${topic} does not exist and auto.create.topics.enable is false: create it first (kafka-topics --create --topic ${topic}).`);
  }

  private topicOf(service: ServiceName): string {
    return service === 'order' ? this.settings.order.topic : this.settings.inventory.topic;
  }

  private addTimeline(entry: Omit<TimelineInput, 'atMs'>): number {
    return this.options.timeline.add({ ...entry, atMs: this.options.clock.nowMs() });
  }

  private endPauseSpan(replicaId: string): void {
    const id = this.pauseSpans.get(replicaId);
    if (id === undefined) return;
    this.pauseSpans.delete(replicaId);
    this.options.timeline.end(id, this.options.clock.nowMs());
  }

  private lifecycleChanged(): void {
    for (const listener of this.lifecycleListeners) listener();
  }

  private ensureOpen(): void {
    if (this.closed) throw new KafkaError('INVALID_REQUEST', 'The services are closed.');
  }
}

/** Inventory settings that configure the consumer (or its loop) and so need a restart. */
const CONSUMER_SETTINGS = ['topic', 'groupId', 'commitMode', 'assignor', 'autoOffsetReset', 'sessionTimeoutMs', 'heartbeatIntervalMs', 'maxPollIntervalMs', 'maxPollRecords'] as const satisfies readonly (keyof InventoryServiceSettings)[];

/** Merges a change into settings and checks the result against the contract's schema. */
export function mergeSettings(current: ServiceSettings, change: ServiceSettingsInput): ServiceSettings {
  const merged = {
    order: { ...current.order, ...dropUndefined(change.order ?? {}) },
    inventory: { ...current.inventory, ...dropUndefined(change.inventory ?? {}) },
  };
  const parsed = ServiceSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KafkaError('INVALID_CONFIG', `Invalid service setting ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** "order.acks=1, inventory.store=shared": what changed, for the timeline. */
function describeChanges(before: ServiceSettings, after: ServiceSettings): string[] {
  const changes: string[] = [];
  for (const service of ['order', 'inventory'] as const) {
    const a = before[service] as Record<string, unknown>;
    const b = after[service] as Record<string, unknown>;
    for (const key of Object.keys(b)) if (a[key] !== b[key]) changes.push(`${service}.${key}=${String(b[key])}`);
  }
  return changes;
}

function noRunningOrderReplica(replicas: number): KafkaError {
  const hint = replicas === 0 ? 'scale the order service up first' : 'restart or resume an order replica';
  return new KafkaError('INVALID_REQUEST', `No order replica is running, so nobody answers POST /orders: ${hint}.`);
}

function logStartOffsetOf(cluster: Cluster, topic: string, partition: number): number | null {
  try {
    return cluster.offsets(topic, partition).logStartOffset;
  } catch {
    return null;
  }
}

/** The orderId of the OrderPlaced at the offset now; null when the record is gone or no order; undefined when unreadable now. */
function orderIdAt(cluster: Cluster, topic: string, partition: number, offset: number): number | null | undefined {
  try {
    const record = cluster.read(topic, partition, offset, 1).records[0];
    if (record === undefined || record.offset !== offset) return null;
    const decoded = decodeOrderEvent(record.value);
    return decoded.kind === 'order-placed' ? decoded.event.orderId : null;
  } catch {
    return undefined;
  }
}

/** HH:MM:SS of an engine instant (UTC), for state reasons. */
function clockText(atMs: number): string {
  return new Date(atMs).toISOString().slice(11, 19);
}
