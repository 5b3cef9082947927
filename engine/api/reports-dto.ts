/**
 * Run history and reports as they cross the contract: the runs the history database keeps (filter
 * by lab and participant), a run's report as self-contained HTML for the Reports view to show, an
 * export of a run in one of the four formats (the file's bytes come back for the UI to save, and
 * the history records the export), the learner's name (asked once, remembered), and the
 * instructor's class summary over many JSON reports.
 *
 * Exported bytes travel base64-encoded, bounded by limits.reportExportBytesMax, so a report
 * crosses IPC and the WebSocket like every other answer.
 */
import { z } from 'zod';
import { TimestampMs } from './dto.js';
import { LocalizedTextSchema } from './labs-dto.js';

const RunId = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'a run id is letters, digits, dots, dashes and underscores');
const LabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);
export const ReportLocale = z.enum(['en', 'ko']);
export const ReportFormat = z.enum(['html', 'pdf', 'json', 'csv']);

/** A name as the learner types it: one line, trimmed, not empty, at most 80 characters. */
export const ParticipantName = z
  .string()
  .transform((name) => name.trim())
  .pipe(z.string().min(1, 'Enter your name.').max(80, 'A name is at most 80 characters.').regex(/^[^\n\r\t]*$/, 'A name is one line.'));

export const RunOutcome = z.enum(['running', 'passed', 'failed', 'abandoned']);

export const RunRowSchema = z
  .object({
    runId: RunId,
    labId: LabId,
    labVersion: z.number().int().min(1),
    /** The lab's title, or the id when the lab is no longer in the catalogue. */
    labTitle: LocalizedTextSchema,
    seed: z.number().int().min(0),
    participant: z.string(),
    appVersion: z.string(),
    /** Wall-clock ms when the run started and ended (null while it runs). */
    startedAtMs: TimestampMs,
    endedAtMs: TimestampMs.nullable(),
    outcome: RunOutcome,
    stepsPassed: z.number().int().min(0),
    stepsTotal: z.number().int().min(1),
    /** Files exported from this run, newest first. */
    exports: z.array(z.object({ format: ReportFormat, fileName: z.string(), createdAtMs: TimestampMs }).strict()),
  })
  .strict();

export const RunHistoryRequest = z.object({ labId: LabId.optional(), participant: z.string().max(80).optional() }).strict();
export const RunHistorySchema = z
  .object({
    runs: z.array(RunRowSchema),
    /** Every lab and participant in the history, for the filters. */
    labIds: z.array(LabId),
    participants: z.array(z.string()),
  })
  .strict();

export const RunRef = z.object({ runId: RunId }).strict();
export const ReportPreviewRequest = z.object({ runId: RunId, locale: ReportLocale }).strict();
export const ReportPreviewSchema = z.object({ runId: RunId, html: z.string() }).strict();

export const ExportReportRequest = z.object({ runId: RunId, format: ReportFormat, locale: ReportLocale }).strict();
export const ExportedFileSchema = z
  .object({
    fileName: z.string(),
    mimeType: z.string(),
    /** The file's bytes, base64. */
    contentBase64: z.string(),
    sizeBytes: z.number().int().min(0),
  })
  .strict();

export const ParticipantSchema = z.object({ participant: z.string().nullable() }).strict();
export const SetParticipantRequest = z.object({ participant: ParticipantName }).strict();

export const SummaryFileInput = z.object({ name: z.string().min(1).max(260), text: z.string() }).strict();
export const InstructorSummaryRequest = z.object({ files: z.array(SummaryFileInput).min(1), locale: ReportLocale }).strict();
export const InstructorSummarySchema = z
  .object({
    /** Reports read, one row per participant and run. */
    rows: z.number().int().min(0),
    skipped: z.array(z.object({ name: z.string(), reason: z.string() }).strict()),
    html: z.string(),
    /** The class table as CSV: one section per lab (each with its header row), a blank line between. */
    csv: z.string(),
  })
  .strict();

export type RunRow = z.infer<typeof RunRowSchema>;
export type RunHistory = z.infer<typeof RunHistorySchema>;
export type ExportedFile = z.infer<typeof ExportedFileSchema>;
export type ReportFormatName = z.infer<typeof ReportFormat>;
export type InstructorSummary = z.infer<typeof InstructorSummarySchema>;
