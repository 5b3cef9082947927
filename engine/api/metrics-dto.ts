/**
 * Metrics as they cross the contract: bounded time series sampled on the engine clock, lag status
 * in Burrow's vocabulary with the rule that fired and the data points behind it, and the one
 * timeline of events.
 *
 * Series travel as columns: a snapshot gives each series an id, its key and its points; the
 * `metrics` event then carries only the sample instants taken since the previous push, one value per
 * series id, so a push costs a few bytes per series (the stream stays within its bandwidth bound).
 * A subscriber that sees a gap in `seq` asks for a new snapshot.
 */
import { z } from 'zod';
import { TimestampMs } from './dto.js';

export const PartitionMetric = z.enum(['logEndOffset', 'highWatermark', 'isrSize', 'produceRate']);
export const GroupPartitionMetric = z.enum(['committedOffset', 'lag', 'timeLagMs', 'consumeRate', 'etaMs']);
export const ProducerMetric = z.enum(['sendRate', 'latencyAvgMs']);
export const ServiceMetric = z.enum(['processedRate']);

export const SeriesKeySchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('partition'), topic: z.string(), partition: z.number().int().min(0), metric: PartitionMetric }).strict(),
  z.object({ scope: z.literal('group'), groupId: z.string(), topic: z.string(), partition: z.number().int().min(0), metric: GroupPartitionMetric }).strict(),
  z.object({ scope: z.literal('producer'), clientId: z.string(), metric: ProducerMetric }).strict(),
  z.object({ scope: z.literal('service'), replicaId: z.string(), metric: ServiceMetric }).strict(),
]);

/** A value, or null where the series had no value at that instant (no committed offset yet, broker down). */
const SampleValue = z.number().nullable();

export const SeriesSchema = z
  .object({
    id: z.number().int().min(0),
    key: SeriesKeySchema,
    /** Sample instants (engine ms), oldest first; at most the ring's capacity. */
    t: z.array(TimestampMs),
    v: z.array(SampleValue),
  })
  .strict();

/** Burrow's partition statuses; groups roll STOP, STALL and REWIND up to ERR. */
export const PartitionLagStatusCode = z.enum(['OK', 'WARN', 'STOP', 'STALL', 'REWIND']);
export const GroupLagStatusCode = z.enum(['OK', 'WARN', 'ERR', 'NOTFOUND']);

export const LagWindowPointSchema = z
  .object({
    tMs: TimestampMs,
    /** The group's committed offset then (null: none yet). */
    committedOffset: z.number().int().min(0).nullable(),
    logEndOffset: z.number().int().min(0).nullable(),
    lag: z.number().int().min(0).nullable(),
  })
  .strict();

export const PartitionLagStatusSchema = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    status: PartitionLagStatusCode,
    /** The rule that decided the status (see engine/metrics/lag-status.ts), e.g. "lag-growing". */
    rule: z.string(),
    /** Why, in a sentence with the numbers ("lag grew at every one of the last 10 samples, 12 → 480"). */
    reason: z.string(),
    /** The samples the rule looked at, oldest first. */
    window: z.array(LagWindowPointSchema),
    currentLag: z.number().int().min(0).nullable(),
    /** Age of the oldest unconsumed record, or null when nothing is unconsumed. */
    timeLagMs: z.number().int().min(0).nullable(),
    consumeRatePerSec: z.number().min(0).nullable(),
    /** At the current rates, when the group catches up; null when it is not catching up. */
    etaMs: z.number().int().min(0).nullable(),
    /** Set when the oldest unconsumed records will soon be deleted by retention before being read. */
    retentionWarning: z.string().nullable(),
  })
  .strict();

export const GroupLagStatusSchema = z
  .object({
    groupId: z.string(),
    status: GroupLagStatusCode,
    totalLag: z.number().int().min(0),
    maxLag: z.object({ topic: z.string(), partition: z.number().int().min(0), lag: z.number().int().min(0) }).strict().nullable(),
    /** Share of the evaluation window filled with samples (Burrow's "complete"), 0 to 1. */
    complete: z.number().min(0).max(1),
    partitions: z.array(PartitionLagStatusSchema),
  })
  .strict();

export const TimelineKind = z.enum(['fault', 'broker', 'controller', 'election', 'isr', 'rebalance', 'scaling', 'config', 'data-loss', 'lag-status', 'preset']);

export const TimelineEntrySchema = z
  .object({
    id: z.number().int().min(1),
    atMs: TimestampMs,
    /** For spans (a fault, a rebalance's stop-the-world window): when it ended, or null while open. */
    endMs: TimestampMs.nullable(),
    kind: TimelineKind,
    severity: z.enum(['info', 'warn', 'error']),
    /** A stable message code the UI translates ("fault.broker-crash.started"), with its parameters. */
    code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    /** The same message in English, as a log line would say it. */
    text: z.string(),
  })
  .strict();

export const MetricsSnapshotSchema = z
  .object({
    /** The push this snapshot is current with: apply only events with a higher seq. */
    seq: z.number().int().min(0),
    nowMs: TimestampMs,
    sampleIntervalMs: z.number().int().min(1),
    ringCapacity: z.number().int().min(1),
    series: z.array(SeriesSchema),
    lagStatus: z.array(GroupLagStatusSchema),
  })
  .strict();

export const MetricsDeltaSchema = z
  .object({
    seq: z.number().int().min(1),
    nowMs: TimestampMs,
    /** Series that appeared since the previous push (their points arrive in `samples`). */
    added: z.array(z.object({ id: z.number().int().min(0), key: SeriesKeySchema }).strict()),
    /** Series that went away (a deleted topic, a removed group). */
    removed: z.array(z.number().int().min(0)),
    /** The series ids the values of every sample line up with. */
    columns: z.array(z.number().int().min(0)),
    /** Sample instants since the previous push (decimated to a few per push while time is skipped). */
    samples: z.array(z.object({ tMs: TimestampMs, values: z.array(SampleValue) }).strict()),
    /** Lag status of the groups whose status or reason changed since the previous push. */
    lagStatus: z.array(GroupLagStatusSchema),
  })
  .strict();

export const TimelineRequest = z.object({ afterId: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(1000) }).strict();
export const TimelineList = z.object({ entries: z.array(TimelineEntrySchema), lastId: z.number().int().min(0) }).strict();
/** The `timeline` event: entries added or changed (a span that ended) since the previous push. */
export const TimelineDeltaSchema = z.object({ entries: z.array(TimelineEntrySchema), lastId: z.number().int().min(0) }).strict();

export type SeriesKey = z.infer<typeof SeriesKeySchema>;
export type Series = z.infer<typeof SeriesSchema>;
export type PartitionLagStatus = z.infer<typeof PartitionLagStatusSchema>;
export type GroupLagStatus = z.infer<typeof GroupLagStatusSchema>;
export type LagWindowPoint = z.infer<typeof LagWindowPointSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type MetricsSnapshot = z.infer<typeof MetricsSnapshotSchema>;
export type MetricsDelta = z.infer<typeof MetricsDeltaSchema>;
export type TimelineDelta = z.infer<typeof TimelineDeltaSchema>;
