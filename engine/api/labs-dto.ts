/**
 * Labs as they cross the contract: the catalogue (with each lab's last run), a lab's sheet as the
 * UI shows it (texts in both languages, actions and checks described), the current run's progress
 * (the journal a report is made from), and the workspace: whether the views show the learner's own
 * cluster or a lab's fresh one. A workspace change means every stream starts over (the other
 * cluster has other topics, offsets, metrics); the `workspace` event's epoch says so.
 */
import { z } from 'zod';
import { TimestampMs } from './dto.js';

export const LocalizedTextSchema = z.object({ en: z.string(), ko: z.string() }).strict();
const LabIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);

export const LabProblemSchema = z.object({ file: z.string(), line: z.number().int().min(1), column: z.number().int().min(1), message: z.string() }).strict();

export const StepStatusSchema = z.enum(['pending', 'active', 'passed', 'failed', 'skipped']);

export const LabRunSummarySchema = z
  .object({
    runId: z.string(),
    finished: z.boolean(),
    stepIndex: z.number().int().min(0),
    stepsPassed: z.number().int().min(0),
    stepsTotal: z.number().int().min(1),
    startedAtMs: TimestampMs,
    endedAtMs: TimestampMs.nullable(),
  })
  .strict();

export const LabSummarySchema = z
  .object({
    id: LabIdSchema,
    version: z.number().int().min(1),
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    estimatedMinutes: z.number().int().min(1),
    stepsTotal: z.number().int().min(1),
    seeds: z.array(z.string()),
    /** The latest run of this lab, or null when it was never started. */
    lastRun: LabRunSummarySchema.nullable(),
  })
  .strict();

export const LabCatalogueSchema = z.object({ labs: z.array(LabSummarySchema), problems: z.array(LabProblemSchema) }).strict();

export const SheetActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('console'), commandLine: z.string(), session: z.string(), inputLines: z.number().int().min(0), stopAfterMs: z.number().int().nullable(), label: LocalizedTextSchema.nullable() }).strict(),
  z.object({ kind: z.literal('engine'), command: z.string(), payload: z.string(), label: LocalizedTextSchema.nullable() }).strict(),
  z.object({ kind: z.literal('wait'), waitMs: z.number().int().min(1), label: LocalizedTextSchema.nullable() }).strict(),
]);

export const SheetCheckSchema = z
  .object({
    kind: z.string(),
    /** The lab's own words for the check, or null (the UI then shows `expected`). */
    label: LocalizedTextSchema.nullable(),
    /** What the check expects, in English words with the numbers ("members = 2, members without partitions = 1"). */
    expected: z.string(),
  })
  .strict();

export const SheetQuestionSchema = z
  .object({
    id: z.string(),
    prompt: LocalizedTextSchema,
    choices: z.array(z.object({ id: z.string(), text: LocalizedTextSchema }).strict()).nullable(),
    expected: z.string().nullable(),
  })
  .strict();

export const SheetStepSchema = z
  .object({
    id: z.string(),
    title: LocalizedTextSchema,
    text: LocalizedTextSchema,
    hints: z.array(LocalizedTextSchema),
    actions: z.array(SheetActionSchema),
    checks: z.array(SheetCheckSchema),
    questions: z.array(SheetQuestionSchema),
  })
  .strict();

export const LabSheetSchema = z
  .object({
    id: LabIdSchema,
    version: z.number().int().min(1),
    seeds: z.array(z.string()),
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    text: LocalizedTextSchema,
    estimatedMinutes: z.number().int().min(1),
    setup: z.object({ brokers: z.number().int().min(1), quorumVoters: z.number().int().min(1), clockSpeed: z.number() }).strict(),
    steps: z.array(SheetStepSchema),
  })
  .strict();

export const CheckOutcomeSchema = z
  .object({ check: z.string(), passed: z.boolean(), observed: z.string(), expected: z.string(), atMs: TimestampMs })
  .strict();

export const JournalEntrySchema = z.discriminatedUnion('type', [
  z.object({ atMs: TimestampMs, type: z.literal('step'), stepId: z.string(), status: StepStatusSchema }).strict(),
  z.object({ atMs: TimestampMs, type: z.literal('action'), stepId: z.string(), action: z.string(), outcome: z.string(), detail: z.string() }).strict(),
  z.object({ atMs: TimestampMs, type: z.literal('checks'), stepId: z.string(), results: z.array(CheckOutcomeSchema) }).strict(),
  z.object({ atMs: TimestampMs, type: z.literal('answer'), stepId: z.string(), questionId: z.string(), answer: z.string() }).strict(),
]);

export const StepProgressSchema = z
  .object({
    id: z.string(),
    status: StepStatusSchema,
    startedAtMs: TimestampMs.nullable(),
    endedAtMs: TimestampMs.nullable(),
    /** The latest evaluation of the step's checks. */
    checks: z.array(CheckOutcomeSchema),
    answers: z.record(z.string(), z.string()),
    /** Per console session, its line count when the step began (the step's console checks read after it). */
    consoleBaseline: z.record(z.string(), z.number().int().min(0)).nullable(),
  })
  .strict();

export const RecordedOutcomeSchema = z.object({ outcome: z.string(), value: z.unknown() }).strict();

export const LabProgressSchema = z
  .object({
    runId: z.string(),
    labId: LabIdSchema,
    labVersion: z.number().int().min(1),
    seed: z.number().int().min(0),
    startedAtMs: TimestampMs,
    endedAtMs: TimestampMs.nullable(),
    stepIndex: z.number().int().min(0),
    steps: z.array(StepProgressSchema),
    journal: z.array(JournalEntrySchema),
    journalDropped: z.number().int().min(0),
    recorded: z.record(z.string(), RecordedOutcomeSchema),
    actionErrors: z.array(z.string()),
  })
  .strict();

export const WorkspaceSchema = z
  .object({
    /** personal: the learner's own cluster; lab: the running lab's fresh cluster. */
    kind: z.enum(['personal', 'lab']),
    /** Moves with every switch: a viewer that sees a new epoch reads every stream from the start. */
    epoch: z.number().int().min(0),
    labId: LabIdSchema.nullable(),
    runId: z.string().nullable(),
  })
  .strict();

/** The `labRun` event and query: the current run (the lab open in the lab workspace), or none. */
export const LabRunStateSchema = z
  .object({
    progress: LabProgressSchema.nullable(),
    sheet: LabSheetSchema.nullable(),
    /** The autopilot is doing the steps (an instructor's rehearsal): the sheet's buttons wait. */
    rehearsing: z.boolean(),
  })
  .strict();

export const StartLabRequest = z.object({ labId: LabIdSchema, seed: z.number().int().min(0).max(0x7fff_ffff).optional() }).strict();
export const LabSheetRequest = z.object({ labId: LabIdSchema }).strict();
export const LabActionRequest = z.object({ stepId: z.string(), actionIndex: z.number().int().min(0) }).strict();
export const LabAnswerRequest = z.object({ stepId: z.string(), questionId: z.string(), answer: z.string().max(4_000) }).strict();
export const LabStepRequest = z.object({ stepId: z.string() }).strict();

export type LabSummary = z.infer<typeof LabSummarySchema>;
export type LabCatalogueDto = z.infer<typeof LabCatalogueSchema>;
export type LabSheet = z.infer<typeof LabSheetSchema>;
export type SheetStep = z.infer<typeof SheetStepSchema>;
export type SheetAction = z.infer<typeof SheetActionSchema>;
export type LabProgress = z.infer<typeof LabProgressSchema>;
export type StepProgress = z.infer<typeof StepProgressSchema>;
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
export type CheckOutcome = z.infer<typeof CheckOutcomeSchema>;
export type StepStatus = z.infer<typeof StepStatusSchema>;
export type Workspace = z.infer<typeof WorkspaceSchema>;
export type LabRunState = z.infer<typeof LabRunStateSchema>;
