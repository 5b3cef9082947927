/**
 * The simulated order and inventory services as they cross the contract: the workshop's Spring Boot
 * apps (order on 8081, inventory replicas on 8082, 8083, ...) run here as replica sets. The order
 * service produces `OrderPlaced` events; each inventory replica is a member of the `inventory`
 * consumer group and decrements stock. The business figures say whether orders were lost or
 * processed twice, which is what the seeds' experiments are about.
 */
import { z } from 'zod';
import { TimestampMs, TopicName } from './dto.js';
import { AssignorName, GroupId } from './groups-dto.js';

export const ServiceName = z.enum(['order', 'inventory']);
/** A replica's id: `order-1`, `inventory-2`, ... (stable: scaling down removes the highest number). */
export const ReplicaId = z.string().regex(/^(order|inventory)-[1-9][0-9]{0,2}$/, 'a replica id looks like order-1 or inventory-2');

/** How the order service keys its events: the seed's app sends no key; productId keeps one product's orders in order. */
export const OrderKey = z.enum(['none', 'productId', 'orderId']);
/** Kafka's partitioners: the default (murmur2 of the key; keyless records sticky per KIP-794) or RoundRobinPartitioner. */
export const OrderPartitioner = z.enum(['default', 'round-robin']);

export const OrderServiceSettingsSchema = z
  .object({
    topic: TopicName,
    key: OrderKey,
    partitioner: OrderPartitioner,
    acks: z.enum(['0', '1', 'all']),
    enableIdempotence: z.boolean(),
    lingerMs: z.number().int().min(0).max(60_000),
    /** delivery.timeout.ms: how long a send may retry before the order is reported failed. */
    deliveryTimeoutMs: z.number().int().min(1).max(3_600_000),
  })
  .strict();

/** Where inventory keeps stock: one store per replica (the seed's experiment) or one shared database (production). */
export const InventoryStore = z.enum(['per-replica', 'shared']);

export const InventoryServiceSettingsSchema = z
  .object({
    topic: TopicName,
    groupId: GroupId,
    store: InventoryStore,
    /** Engine ms each OrderPlaced takes to process (what makes a replica slow). */
    processingMsPerRecord: z.number().int().min(0).max(3_600_000),
    commitMode: z.enum(['auto', 'sync-after-processing', 'before-processing']),
    /** Skip an OrderPlaced whose orderId the store already applied (an idempotent consumer). */
    dedupeByOrderId: z.boolean(),
    assignor: AssignorName,
    autoOffsetReset: z.enum(['latest', 'earliest', 'none']),
    sessionTimeoutMs: z.number().int().min(1).max(1_800_000),
    heartbeatIntervalMs: z.number().int().min(1).max(1_800_000),
    maxPollIntervalMs: z.number().int().min(1).max(2_147_483_647),
    maxPollRecords: z.number().int().min(1).max(100_000),
  })
  .strict();

export const ServiceSettingsSchema = z.object({ order: OrderServiceSettingsSchema, inventory: InventoryServiceSettingsSchema }).strict();

export const ReplicaStateSchema = z.enum(['starting', 'running', 'paused', 'crashed', 'stopped']);

export const StockEntrySchema = z.object({ productId: z.number().int(), stock: z.number().int() }).strict();

export const ServiceReplicaSchema = z
  .object({
    replicaId: z.string(),
    service: ServiceName,
    state: ReplicaStateSchema,
    /** The 127.0.0.1 port it listens on with real ports on, else null. */
    port: z.number().int().min(1).max(65_535).nullable(),
    clientId: z.string(),
    /** Inventory: the consumer's member id and assignment ("partitions assigned: []" when idle). */
    memberId: z.string().nullable(),
    assignment: z.array(z.object({ topic: z.string(), partition: z.number().int().min(0) }).strict()),
    /** Order: orders accepted; inventory: OrderPlaced events processed (duplicates included). */
    processed: z.number().int().min(0),
    processingMsPerRecord: z.number().int().min(0),
    /** Inventory: this replica's store (per-replica), or the shared store; order: empty. */
    stock: z.array(StockEntrySchema),
    /** Why it is in its state ("crashed by the learner at 00:01:12", "paused (GC-like) for 30 s"). */
    stateReason: z.string().nullable(),
    startedAtMs: TimestampMs.nullable(),
    /** The log's line count: a client asks for lines after the ones it has. */
    logLines: z.number().int().min(0),
  })
  .strict();

export const BusinessFiguresSchema = z
  .object({
    /** Orders the order service accepted (POST /orders answered). */
    ordersPlaced: z.number().int().min(0),
    /** Orders whose OrderPlaced the broker acknowledged. */
    ordersAcknowledged: z.number().int().min(0),
    /** Orders whose send failed (the caller got an error: not lost, refused). */
    ordersFailed: z.number().int().min(0),
    /** Sends not answered yet. */
    ordersInFlight: z.number().int().min(0),
    /** Distinct orders applied to stock at least once. */
    ordersProcessed: z.number().int().min(0),
    /** Orders applied to stock more than once (each extra application counts). */
    duplicates: z.number().int().min(0),
    /** Duplicate deliveries the dedupe-by-orderId skipped. */
    duplicatesSkipped: z.number().int().min(0),
    /** Acknowledged orders that will never be applied: truncated from the log, or skipped by a commit before processing. */
    lost: z.number().int().min(0),
    /** Acknowledged orders not yet applied and still readable. */
    pending: z.number().int().min(0),
    /** consistent: stock equals what the acknowledged orders imply; catching-up: pending orders explain the gap. */
    stockStatus: z.enum(['consistent', 'catching-up', 'inconsistent']),
    /** Why the stock status is what it is, in a sentence. */
    stockReason: z.string(),
    /** Acknowledged orders lost, with where they were (at most a page: the newest). */
    lostOrders: z.array(z.object({ orderId: z.number().int(), partition: z.number().int().min(0), offset: z.number().int().min(-1), why: z.string() }).strict()),
  })
  .strict();

export const ServicePortsSchema = z
  .object({
    enabled: z.boolean(),
    host: z.string(),
    orderPort: z.number().int().min(1).max(65_535),
    inventoryBasePort: z.number().int().min(1).max(65_535),
    /** The last binding problem ("Port 8082 is already in use: inventory-1 cannot listen on 127.0.0.1:8082."), or null. */
    error: z.string().nullable(),
  })
  .strict();

export const ServicesSnapshotSchema = z
  .object({
    nowMs: TimestampMs,
    settings: ServiceSettingsSchema,
    ports: ServicePortsSchema,
    replicas: z.array(ServiceReplicaSchema),
    figures: BusinessFiguresSchema,
  })
  .strict();

export const ScaleServiceRequest = z.object({ service: ServiceName, replicas: z.number().int().min(0).max(64) }).strict();
export const ConfigureServicesRequest = z
  .object({ order: OrderServiceSettingsSchema.partial().optional(), inventory: InventoryServiceSettingsSchema.partial().optional() })
  .strict();
/** What a learner does to one replica from its card; faults with a duration go through injectFault. */
export const ReplicaActionRequest = z.object({ replicaId: ReplicaId, action: z.enum(['crash', 'stop', 'restart', 'pause', 'resume']) }).strict();
export const SetReplicaProcessingRequest = z.object({ replicaId: ReplicaId, processingMsPerRecord: z.number().int().min(0).max(3_600_000) }).strict();
export const PlaceOrdersRequest = z
  .object({
    productId: z.number().int().min(0).max(2_147_483_647),
    qty: z.number().int().min(1).max(1_000_000),
    /** Orders placed one after another (the seed places 4 with four `http :8081/orders` calls). */
    count: z.number().int().min(1).max(10_000).default(1),
    /** Engine ms between two orders of the batch (0: all at once). */
    intervalMs: z.number().int().min(0).max(3_600_000).default(0),
  })
  .strict();
export const PlaceOrdersResult = z.object({ orderIds: z.array(z.number().int()) }).strict();
/** POST /inventories on one replica (per-replica store) or on the shared store. */
export const SetStockRequest = z
  .object({ replicaId: ReplicaId.optional(), productId: z.number().int().min(0).max(2_147_483_647), stock: z.number().int().min(-1_000_000_000).max(1_000_000_000) })
  .strict();
export const SetServicePortsRequest = z
  .object({
    enabled: z.boolean(),
    host: z.enum(['127.0.0.1']).default('127.0.0.1'),
    orderPort: z.number().int().min(1024).max(65_535).default(8081),
    inventoryBasePort: z.number().int().min(1024).max(65_535).default(8082),
  })
  .strict();
export const ReplicaRef = z.object({ replicaId: ReplicaId }).strict();
export const ServiceLogRequest = z.object({ replicaId: ReplicaId, afterLine: z.number().int().min(0).default(0) }).strict();
export const ServiceLogSchema = z.object({ replicaId: z.string(), firstLine: z.number().int().min(0), lines: z.array(z.string()), totalLines: z.number().int().min(0) }).strict();

export type ServiceSettings = z.infer<typeof ServiceSettingsSchema>;
export type OrderServiceSettings = z.infer<typeof OrderServiceSettingsSchema>;
export type InventoryServiceSettings = z.infer<typeof InventoryServiceSettingsSchema>;
export type ServiceReplica = z.infer<typeof ServiceReplicaSchema>;
export type BusinessFigures = z.infer<typeof BusinessFiguresSchema>;
export type ServicesSnapshot = z.infer<typeof ServicesSnapshotSchema>;
export type ServicePorts = z.infer<typeof ServicePortsSchema>;
export type ServiceLog = z.infer<typeof ServiceLogSchema>;
