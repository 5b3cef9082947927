/**
 * The lab result report as JSON: `{ "kind": "kafka-lab-report", "schemaVersion": 1, ... }`.
 * This schema is the format's definition; docs/report-schema.v1.json is generated from it
 * (z.toJSONSchema, see `reportJsonSchema`) and docs/reports.md describes the fields and the
 * versioning policy.
 *
 * Versioning: `schemaVersion` changes only when a reader of the previous version would misread a
 * report (a field removed, renamed, or its meaning or unit changed). Adding an optional field keeps
 * the version. A reader accepts only versions it knows and says which it found otherwise.
 *
 * Invariants (checked by `LabReportSchema`):
 * - every object is strict: an unknown field is an error, so a foreign JSON is never half-read;
 * - times are engine ms since the epoch (`…AtMs`), durations are ms (`…Ms`);
 * - every text a learner reads is in both languages ({ en, ko }); `locale` says which one the
 *   report was rendered in;
 * - a series has as many values as instants, instants never decrease;
 * - `steps[i].index === i`, and the summary's counts agree with the steps.
 *
 * The schema is self-contained: it does not reuse the contract's DTO schemas, so a change to the
 * live contract never silently changes what a saved report means.
 */
import { z } from 'zod';

export const REPORT_KIND = 'kafka-lab-report';
export const REPORT_SCHEMA_VERSION = 1;

const Ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Engine time, ms since the epoch. */
const AtMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().min(0);

export const ReportLocaleSchema = z.enum(['en', 'ko']);

export const ReportTextSchema = z.object({ en: z.string(), ko: z.string() }).strict().describe('A text in English and Korean.');

export const ReportStepStatusSchema = z.enum(['pending', 'active', 'passed', 'failed', 'skipped']);

export const ReportActionSchema = z
  .object({
    atMs: AtMs,
    /** What was done, as the journal says it: the command line, the engine command with its payload, or "wait N ms". */
    action: z.string(),
    /** The lab's own words for the action, when the action is one of the step's buttons. */
    label: ReportTextSchema.nullable(),
    /** "ok", or the error code or message the action met. */
    outcome: z.string(),
    detail: z.string(),
  })
  .strict();

export const ReportCheckSchema = z
  .object({
    check: z.string().describe('The check kind (lab-checks.ts), e.g. "isr-size".'),
    label: ReportTextSchema.nullable(),
    passed: z.boolean(),
    observed: z.string(),
    expected: z.string(),
    atMs: AtMs,
  })
  .strict();

export const ReportAnswerSchema = z
  .object({
    questionId: z.string(),
    prompt: ReportTextSchema,
    /** The answer as given: a choice id for a multiple-choice question, or free text; null when not answered. */
    answer: z.string().nullable(),
    /** The chosen choice's text, for a multiple-choice question answered with a known choice. */
    answerText: ReportTextSchema.nullable(),
    /** The choice the lesson expects, or null for free text. */
    expected: z.string().nullable(),
    /** Whether the answer is the expected choice; null when there is nothing to compare. */
    correct: z.boolean().nullable(),
  })
  .strict();

export const ReportStepSchema = z
  .object({
    index: Count,
    id: z.string(),
    title: ReportTextSchema,
    /** The step's instruction, shortened: its first paragraph as plain text. */
    instruction: ReportTextSchema,
    status: ReportStepStatusSchema,
    startedAtMs: AtMs.nullable(),
    endedAtMs: AtMs.nullable(),
    /** Engine ms from the step's start to its end (or to the run's end while it was still open); null if never started. */
    timeSpentMs: Ms.nullable(),
    actions: z.array(ReportActionSchema),
    checks: z.array(ReportCheckSchema),
    answers: z.array(ReportAnswerSchema),
  })
  .strict();

export const ReportSummarySchema = z
  .object({
    stepsTotal: Count,
    stepsPassed: Count,
    stepsFailed: Count,
    stepsSkipped: Count,
    /** Checks of the latest evaluation of every step. */
    checksTotal: Count,
    checksPassed: Count,
    questionsTotal: Count,
    questionsAnswered: Count,
    /** Multiple-choice answers equal to the expected choice. */
    answersCorrect: Count,
    /** Engine ms from the run's start to its end (or its last journal entry while unfinished). */
    timeSpentMs: Ms,
    finished: z.boolean(),
    /** Actions that met an error (their outcome), as the run kept them. */
    actionErrors: z.array(z.string()),
  })
  .strict();

const SeriesKeyFields = {
  partition: z.object({ scope: z.literal('partition'), topic: z.string(), partition: Count, metric: z.string() }).strict(),
  group: z.object({ scope: z.literal('group'), groupId: z.string(), topic: z.string(), partition: Count, metric: z.string() }).strict(),
  producer: z.object({ scope: z.literal('producer'), clientId: z.string(), metric: z.string() }).strict(),
  service: z.object({ scope: z.literal('service'), replicaId: z.string(), metric: z.string() }).strict(),
};

export const ReportSeriesKeySchema = z.discriminatedUnion('scope', [SeriesKeyFields.partition, SeriesKeyFields.group, SeriesKeyFields.producer, SeriesKeyFields.service]);

export const ReportSeriesSchema = z
  .object({
    key: ReportSeriesKeySchema,
    /** Sample instants, engine ms, oldest first. */
    t: z.array(AtMs),
    /** One value per instant; null where the series had no value then. */
    v: z.array(z.number().nullable()),
  })
  .strict()
  .refine((s) => s.t.length === s.v.length, { message: 'a series needs as many values (v) as instants (t)' })
  .refine((s) => s.t.every((t, i) => i === 0 || t >= s.t[i - 1]!), { message: 'the instants (t) of a series must not decrease' });

export const ReportTimelineEntrySchema = z
  .object({
    id: z.number().int().min(1),
    atMs: AtMs,
    endMs: AtMs.nullable(),
    kind: z.string().describe('fault, broker, controller, election, isr, rebalance, scaling, config, data-loss, lag-status, preset'),
    severity: z.enum(['info', 'warn', 'error']),
    code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    /** The entry in English, as a log line says it. */
    text: z.string(),
  })
  .strict();

export const ReportPartitionSchema = z
  .object({
    partition: Count,
    leader: z.number().int().min(0).nullable(),
    leaderEpoch: Count,
    replicas: z.array(Count),
    isr: z.array(Count),
    logStartOffset: Count,
    logEndOffset: Count,
    highWatermark: Count,
  })
  .strict();

export const ReportClusterSchema = z
  .object({
    clusterId: z.string(),
    controllerId: z.number().int().nullable(),
    /** Engine time of the snapshot. */
    atMs: AtMs,
    quorum: z.object({ voters: z.array(Count), majority: Count, leaderEpoch: Count }).strict(),
    brokers: z.array(
      z
        .object({ id: Count, state: z.string(), fenced: z.boolean(), isController: z.boolean(), leaderCount: Count, replicaCount: Count })
        .strict(),
    ),
    topics: z.array(
      z
        .object({
          name: z.string(),
          internal: z.boolean(),
          replicationFactor: Count,
          partitionCount: Count,
          /** The partitions (possibly fewer than partitionCount: see truncated.partitions). */
          partitions: z.array(ReportPartitionSchema),
        })
        .strict(),
    ),
  })
  .strict();

export const ReportConfigResourceSchema = z
  .object({
    resource: z.enum(['topic', 'broker']),
    /** The topic's name; "" for the brokers' cluster-wide defaults. */
    name: z.string(),
    entries: z.array(z.object({ name: z.string(), value: z.string(), source: z.string() }).strict()),
  })
  .strict();

export const ReportTruncatedSchema = z
  .object({
    actions: Count,
    timelineEntries: Count,
    series: Count,
    seriesPoints: Count,
    partitions: Count,
    configEntries: Count,
    /** Journal entries the run itself dropped (its journal is bounded). */
    journalEntries: Count,
  })
  .strict()
  .describe('How many items of each kind the report left out because of its bounds; all zero for a complete report.');

export const LabReportSchema = z
  .object({
    kind: z.literal(REPORT_KIND),
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    /** Wall-clock ms since the epoch when the report was made (given by the caller). */
    generatedAtMs: AtMs,
    locale: ReportLocaleSchema,
    appVersion: z.string(),
    participant: z.string(),
    lab: z.object({ id: z.string(), version: z.number().int().min(1), title: ReportTextSchema, summary: ReportTextSchema }).strict(),
    run: z
      .object({ runId: z.string(), seed: Count, startedAtMs: AtMs, endedAtMs: AtMs.nullable() })
      .strict(),
    summary: ReportSummarySchema,
    steps: z.array(ReportStepSchema),
    timeline: z.array(ReportTimelineEntrySchema),
    series: z.array(ReportSeriesSchema),
    /** The cluster as it was when the report was made; null when it was not available. */
    cluster: ReportClusterSchema.nullable(),
    configs: z.array(ReportConfigResourceSchema),
    truncated: ReportTruncatedSchema,
  })
  .strict()
  .superRefine((report, ctx) => {
    report.steps.forEach((step, i) => {
      if (step.index !== i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'index'], message: `step ${i} has index ${step.index}` });
    });
    const s = report.summary;
    if (s.stepsTotal !== report.steps.length) ctx.addIssue({ code: 'custom', path: ['summary', 'stepsTotal'], message: `stepsTotal ${s.stepsTotal} but ${report.steps.length} steps` });
    const passed = report.steps.filter((st) => st.status === 'passed').length;
    if (s.stepsPassed !== passed) ctx.addIssue({ code: 'custom', path: ['summary', 'stepsPassed'], message: `stepsPassed ${s.stepsPassed} but ${passed} steps passed` });
  })
  .describe('A Kafka Lab Workbench lab result report (schema version 1). See docs/reports.md.');

export type LabReport = z.infer<typeof LabReportSchema>;
export type ReportStep = z.infer<typeof ReportStepSchema>;
export type ReportSeries = z.infer<typeof ReportSeriesSchema>;
export type ReportSeriesKey = z.infer<typeof ReportSeriesKeySchema>;
export type ReportTimelineEntry = z.infer<typeof ReportTimelineEntrySchema>;
export type ReportCluster = z.infer<typeof ReportClusterSchema>;
export type ReportConfigResource = z.infer<typeof ReportConfigResourceSchema>;
export type ReportText = z.infer<typeof ReportTextSchema>;
export type ReportLocale = z.infer<typeof ReportLocaleSchema>;

/**
 * The JSON Schema (draft 2020-12) of the report, as committed at docs/report-schema.v1.json.
 * Refinements that JSON Schema cannot say (series lengths, step indexes, summary counts) are
 * documented in docs/reports.md and checked only by `LabReportSchema`.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LabReportSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $id: 'urn:kafka-lab-workbench:report-schema:v1',
    title: 'Kafka Lab Workbench lab result report, schema version 1',
    ...schema,
  };
}

/** The committed file's text: the schema, two-space indented, with a final newline. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
