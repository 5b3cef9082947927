/**
 * The closed catalogue of lab checks: what a step can ask of the cluster. Each kind names one fact
 * a Kafka engineer would look at (a group's members, a partition's ISR, the business figures...)
 * and a comparison. The evaluation of each kind is in lab-checks.ts; labs/README.md documents
 * every kind with an example. A kind not listed here does not load.
 */
import { z } from 'zod';
import { BrokerState } from '../api/dto.js';
import { GroupStateSchema } from '../api/groups-dto.js';
import { TimelineKind } from '../api/metrics-dto.js';
import { BusinessFiguresSchema, ReplicaId } from '../api/services-dto.js';

/** A number compared as a lesson states it: exactly, at least, at most (any combination, one at least). */
export const CompareSchema = z
  .object({
    equals: z.number().optional(),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
  })
  .strict()
  .refine((c) => c.equals !== undefined || c.atLeast !== undefined || c.atMost !== undefined, 'give equals, atLeast or atMost');

export type Compare = z.infer<typeof CompareSchema>;

const Topic = z.string().min(1).max(249);
const Partition = z.number().int().min(0);
const Group = z.string().min(1).max(255);
const RecordName = z.string().regex(/^[a-z0-9-]{1,32}$/);

/** The numeric business figures (stockStatus and the lists are checked by other kinds). */
const FigureName = z.enum(
  (Object.keys(BusinessFiguresSchema.shape) as (keyof typeof BusinessFiguresSchema.shape)[]).filter(
    (key) => !['stockStatus', 'stockReason', 'lostOrders'].includes(key),
  ) as [string, ...string[]],
);

/** Every check may say, in both languages, what it shows the learner (else a sentence is generated). */
const describe = { label: z.object({ en: z.string().min(1), ko: z.string().min(1) }).strict().optional() };

function kind<K extends string, S extends z.ZodRawShape>(check: K, shape: S) {
  return z.object({ check: z.literal(check), ...describe, ...shape }).strict();
}

export const CHECK_SCHEMAS = [
  kind('topic-exists', { topic: Topic, exists: z.boolean().default(true) }),
  kind('topic-partitions', { topic: Topic, count: CompareSchema }),
  /** How leadership of a topic's partitions is spread over brokers (leader skew). */
  kind('partition-leaders', { topic: Topic, distinctBrokers: CompareSchema.optional(), maxPerBroker: CompareSchema.optional(), withoutLeader: CompareSchema.optional() }),
  kind('isr-size', { topic: Topic, partition: Partition, size: CompareSchema }),
  /** The partition's replica list in Kafka's order (the first is the preferred leader), and optionally its ISR as a set. */
  kind('partition-replicas', { topic: Topic, partition: Partition, replicas: z.array(z.number().int().min(1)).min(1), isr: z.array(z.number().int().min(1)).optional() }),
  /** The leader's log end offset and high watermark; `unreplicated` is LEO − HW (what consumers cannot read yet). */
  kind('partition-offsets', { topic: Topic, partition: Partition, highWatermark: CompareSchema.optional(), logEndOffset: CompareSchema.optional(), unreplicated: CompareSchema.optional() }),
  /** Records in a topic (or one partition): high watermark − log start offset. */
  kind('records', { topic: Topic, partition: Partition.optional(), count: CompareSchema }),
  /** How many of a topic's partitions hold records (HW above log start): sticky keyless sends fill one first. */
  kind('partitions-with-records', { topic: Topic, count: CompareSchema }),
  /** In how many partitions the records with this key are (key affinity: 1). */
  kind('key-partitions', { topic: Topic, key: z.string(), partitions: CompareSchema }),
  kind('group-members', { group: Group, count: CompareSchema, withoutPartitions: CompareSchema.optional() }),
  /** How many partitions the group's member with this client id owns (absent member: none). */
  kind('member-partitions', { group: Group, clientId: z.string().min(1), count: CompareSchema }),
  kind('group-state', { group: Group, state: GroupStateSchema }),
  kind('group-assignor', { group: Group, assignor: z.string().min(1) }),
  /** Sum of the group's lag (over one topic, or all). */
  kind('group-lag', { group: Group, topic: Topic.optional(), total: CompareSchema }),
  /** The group's committed offset of a partition compares, or (committed: false) it has none. */
  kind('committed-offset', { group: Group, topic: Topic, partition: Partition, committed: z.boolean().default(true), offset: CompareSchema.optional() }),
  /** Lag status in Burrow's words (OK, WARN, ERR). */
  kind('lag-status', { group: Group, status: z.enum(['OK', 'WARN', 'ERR', 'NOTFOUND']) }),
  /** Completed rebalances of a group since the lab started, and the longest stop-the-world window among them. */
  kind('rebalances', {
    group: Group,
    count: CompareSchema,
    longestPauseMs: CompareSchema.optional(),
    cause: z.string().optional(),
    /** In the latest completed rebalance: partitions taken from members that stayed in the group (sticky: 0). */
    revokedFromStaying: CompareSchema.optional(),
  }),
  /** OrderPlaced events a service replica has processed (duplicates included). */
  kind('replica-processed', { replica: ReplicaId, count: CompareSchema }),
  /** The stock of a product in each inventory replica's own store, in any order ([6, 10]: one replica got every order). */
  kind('replica-stocks', { productId: z.number().int(), values: z.array(z.number().int()).min(1).max(64) }),
  /** How many partitions a service replica (inventory-2) is assigned. */
  kind('replica-partitions', { replica: ReplicaId, count: CompareSchema }),
  kind('business-figure', { figure: FigureName, value: CompareSchema }),
  kind('stock-status', { status: z.enum(['consistent', 'catching-up', 'inconsistent']) }),
  /** Stock of a product in one replica's store (per-replica stores) or in the shared store. */
  kind('stock', { replica: ReplicaId.optional(), productId: z.number().int(), value: CompareSchema }),
  /** Actions of this lab that failed with a Kafka error (an engine command, or a console tool's printed error). */
  kind('produce-errors', { error: z.string().regex(/^[A-Z_]+$/, 'a Kafka error name, like NOT_ENOUGH_REPLICAS'), count: CompareSchema }),
  /** A recorded action (recordAs) succeeded, or failed with the named error. */
  kind('action-result', { action: RecordName, outcome: z.union([z.literal('ok'), z.string().regex(/^[A-Z_]+$/)]) }),
  /**
   * Lines printed during the step that contain the text (a tool's output as a learner reads it):
   * in one console session, or (no session) in any tab — the learner may type in whichever.
   */
  kind('console-output', { session: z.string().optional(), contains: z.string().min(1), count: CompareSchema.default({ atLeast: 1 }) }),
  /**
   * Two recorded perf-test runs: `faster` had more records/s than `slower` (measure: throughput),
   * or a lower average latency (measure: latency), by at least the given factor.
   */
  kind('throughput-comparison', { faster: RecordName, slower: RecordName, measure: z.enum(['throughput', 'latency']).default('throughput'), byAtLeast: z.number().min(1).default(1) }),
  /** Latency of a recorded perf-test run (average, ms). */
  kind('perf-latency', { run: RecordName, avgMs: CompareSchema }),
  /** Data-loss events on the timeline since the lab started (acks=1 failover, unclean election). */
  kind('data-loss', { present: z.boolean() }),
  kind('broker-state', { broker: z.number().int().min(1), state: BrokerState }),
  /** Whether the metadata quorum has an active controller. */
  kind('controller', { present: z.boolean() }),
  /** Timeline entries of a kind (and message code) since the lab started. */
  kind('timeline-event', { kind: TimelineKind, code: z.string().optional(), count: CompareSchema }),
] as const;
