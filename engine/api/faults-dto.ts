/**
 * Faults as they cross the contract: one typed catalogue (a fault is a kind, a target, a start and an
 * optional duration, and every kind has an undo), and presets that replay known incidents and
 * lessons (acks=1 failover loss, Jepsen 2013's unclean election, KIP-966's last replica standing,
 * a lost quorum majority, a consumer slower than max.poll.interval.ms, a crash without LeaveGroup).
 */
import { z } from 'zod';
import { BrokerId, TimestampMs, TopicName } from './dto.js';

const Broker = z.object({ brokerId: BrokerId }).strict();
/** A service replica (order-1, inventory-2) or an in-app consumer, by its client.id. */
const ClientTarget = z.object({ clientId: z.string().min(1).max(255) }).strict();

/** Every fault the workbench can inject, with its target and parameters. */
export const FaultTargetSchema = z.discriminatedUnion('kind', [
  /** kill -9 of the broker process: what its OS wrote survives. Undo: start it. */
  z.object({ kind: z.literal('broker-crash'), ...Broker.shape }).strict(),
  /** kafka-server-stop: leaders move away first. Undo: start it. */
  z.object({ kind: z.literal('broker-stop'), ...Broker.shape }).strict(),
  /** The machine loses power: the process dies and the disk keeps only what was fsynced. Undo: start it. */
  z.object({ kind: z.literal('broker-power-loss'), ...Broker.shape }).strict(),
  /** SIGSTOP (a long GC pause): nothing runs, nothing answers, then it resumes where it was. */
  z.object({ kind: z.literal('broker-pause'), ...Broker.shape }).strict(),
  /** The broker's network is cut from every other node and client. */
  z.object({ kind: z.literal('broker-isolate'), ...Broker.shape }).strict(),
  /** The link between two brokers is cut, both ways. */
  z.object({ kind: z.literal('link-cut'), from: BrokerId, to: BrokerId }).strict(),
  /** The link between two brokers gets latency and loss, both ways. */
  z
    .object({ kind: z.literal('link-slow'), from: BrokerId, to: BrokerId, latencyMs: z.number().int().min(0).max(60_000), lossRate: z.number().min(0).max(1).default(0) })
    .strict(),
  /** Every write and fsync of the broker's disk takes this long more. */
  z.object({ kind: z.literal('disk-slow'), ...Broker.shape, latencyMs: z.number().int().min(1).max(60_000) }).strict(),
  /** The broker's disk has no space left: appends fail with ENOSPC (Kafka marks the log dir offline). */
  z.object({ kind: z.literal('disk-full'), ...Broker.shape }).strict(),
  /** fsync returns without making anything durable (a volatile write cache); shows on the next power loss. */
  z.object({ kind: z.literal('disk-lying'), ...Broker.shape }).strict(),
  /** The metadata quorum's voters cannot reach one another: no controller, no election, no metadata change. */
  z.object({ kind: z.literal('quorum-majority-lost') }).strict(),
  /** The client's process dies: no commit, no LeaveGroup. Undo: restart it. */
  z.object({ kind: z.literal('client-crash'), ...ClientTarget.shape }).strict(),
  /** A stop-the-world GC pause of the client: no poll, no heartbeat, then it resumes. */
  z.object({ kind: z.literal('client-pause'), ...ClientTarget.shape }).strict(),
  /** Each record takes this long to process. */
  z.object({ kind: z.literal('client-slow'), ...ClientTarget.shape, processingMsPerRecord: z.number().int().min(1).max(3_600_000) }).strict(),
  /** The client's clock runs ahead (positive) or behind: its record timestamps (CreateTime) carry the skew. */
  z.object({ kind: z.literal('client-clock-skew'), ...ClientTarget.shape, skewMs: z.number().int().min(-86_400_000).max(86_400_000) }).strict(),
]);

export const FaultKindSchema = z.enum([
  'broker-crash',
  'broker-stop',
  'broker-power-loss',
  'broker-pause',
  'broker-isolate',
  'link-cut',
  'link-slow',
  'disk-slow',
  'disk-full',
  'disk-lying',
  'quorum-majority-lost',
  'client-crash',
  'client-pause',
  'client-slow',
  'client-clock-skew',
]);

export const InjectFaultRequest = z
  .object({
    target: FaultTargetSchema,
    /** Engine ms from now until it starts (0: now). */
    startInMs: z.number().int().min(0).max(86_400_000).default(0),
    /** Engine ms it lasts before its undo runs by itself; null: until undone. */
    durationMs: z.number().int().min(1).max(86_400_000).nullable().default(null),
  })
  .strict();

export const FaultStateSchema = z.enum(['scheduled', 'active', 'undone', 'failed']);

export const FaultStatusSchema = z
  .object({
    faultId: z.number().int().min(1),
    target: FaultTargetSchema,
    state: FaultStateSchema,
    /** What it does, in a sentence naming its target ("Broker 2 crashes (kill -9): ..."). */
    description: z.string(),
    /** The preset run that injected it, or null. */
    presetRunId: z.number().int().min(1).nullable(),
    startsAtMs: TimestampMs,
    /** When its undo runs by itself, or null (until undone). */
    endsAtMs: TimestampMs.nullable(),
    startedAtMs: TimestampMs.nullable(),
    endedAtMs: TimestampMs.nullable(),
    /** Why it failed to start or to undo ("Broker 2 is not running."), or null. */
    error: z.string().nullable(),
  })
  .strict();

export const PresetIdSchema = z.enum([
  'acks1-failover-loss',
  'unclean-election-loss',
  'last-replica-standing',
  'quorum-majority-lost',
  'slow-consumer-poll-timeout',
  'consumer-crash-no-leave',
]);

export const ApplyPresetRequest = z
  .object({
    presetId: PresetIdSchema,
    /** The topic it acts on (default: the order service's topic). */
    topic: TopicName.optional(),
    partition: z.number().int().min(0).optional(),
    /** The inventory replica or consumer for the consumer presets (default: the first running one). */
    clientId: z.string().min(1).max(255).optional(),
  })
  .strict();

export const PresetStepSchema = z
  .object({
    /** Engine ms after the preset started. */
    atMs: z.number().int().min(0),
    /** What the step does ("Cut the links from leader 1 to its followers 2, 3"). */
    description: z.string(),
    state: z.enum(['pending', 'done', 'failed']),
    error: z.string().nullable(),
  })
  .strict();

export const PresetRunSchema = z
  .object({
    presetRunId: z.number().int().min(1),
    presetId: PresetIdSchema,
    startedAtMs: TimestampMs,
    endedAtMs: TimestampMs.nullable(),
    /** The partition or client it resolved its targets to ("labshoppubsub-0, leader 1"). */
    target: z.string(),
    steps: z.array(PresetStepSchema),
  })
  .strict();

export const FaultsSnapshotSchema = z
  .object({
    nowMs: TimestampMs,
    /** Scheduled and active faults. */
    active: z.array(FaultStatusSchema),
    /** The most recently ended (undone or failed) faults, newest first. */
    recent: z.array(FaultStatusSchema),
    presetRuns: z.array(PresetRunSchema),
  })
  .strict();

export const FaultRef = z.object({ faultId: z.number().int().min(1) }).strict();
export const PresetRunRef = z.object({ presetRunId: z.number().int().min(1) }).strict();

/** The catalogue the Faults view offers: kinds with what they take, presets with their lesson. */
export const FaultCatalogueSchema = z
  .object({
    kinds: z.array(
      z
        .object({
          kind: FaultKindSchema,
          targetType: z.enum(['broker', 'link', 'quorum', 'client']),
          description: z.string(),
          undo: z.string(),
          /** Extra numeric parameters and their defaults (latencyMs, lossRate, processingMsPerRecord, skewMs). */
          params: z.array(z.object({ name: z.string(), defaultValue: z.number(), min: z.number(), max: z.number() }).strict()),
        })
        .strict(),
    ),
    presets: z.array(
      z
        .object({
          presetId: PresetIdSchema,
          title: z.string(),
          lesson: z.string(),
          /** The incident or KIP it reproduces. */
          source: z.string(),
          targetType: z.enum(['partition', 'cluster', 'client']),
          durationMs: z.number().int().min(0),
        })
        .strict(),
    ),
  })
  .strict();

export type FaultTarget = z.infer<typeof FaultTargetSchema>;
export type FaultKind = z.infer<typeof FaultKindSchema>;
export type FaultStatus = z.infer<typeof FaultStatusSchema>;
export type FaultsSnapshot = z.infer<typeof FaultsSnapshotSchema>;
export type PresetId = z.infer<typeof PresetIdSchema>;
export type PresetRun = z.infer<typeof PresetRunSchema>;
export type FaultCatalogue = z.infer<typeof FaultCatalogueSchema>;
export type InjectFaultSpec = z.output<typeof InjectFaultRequest>;
export type ApplyPresetSpec = z.output<typeof ApplyPresetRequest>;
