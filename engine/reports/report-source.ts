/**
 * What a report is made from (`ReportSource`): one lab run as the history keeps it. The run history
 * (engine/history) provides it; tests and `kafka-lab lab run --report` gather it from a finished
 * autopilot run (the run's progress, the lab's sheet, and the engine's timeline, metrics snapshot,
 * cluster status and configs at the end).
 *
 * Every field is validated where it enters (`parseReportSource`): the contract's own schemas for the
 * engine's data, and the cross-checks a report relies on (the progress belongs to the sheet's lab and
 * has its steps, a series has one value per instant, the meta is in range). A bad source gets a
 * `ReportSourceError` that names each problem with its path; nothing is built from it.
 */
import { z } from 'zod';
import { ClusterStatusSchema, type ClusterStatus } from '../api/dto.js';
import { LabProgressSchema, LabSheetSchema, type LabProgress, type LabSheet } from '../api/labs-dto.js';
import { SeriesKeySchema, TimelineEntrySchema, type SeriesKey, type TimelineEntry } from '../api/metrics-dto.js';
import { reportLimits } from './report-limits.js';

/** One metric series: its key and its points (engine ms instants, values or null). */
export interface ReportSourceSeries {
  readonly key: SeriesKey;
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

/** The configs of one resource as `describeConfigs` answers them. */
export interface ReportSourceConfigs {
  readonly resource: 'topic' | 'broker';
  /** The topic's name; '' for the brokers. */
  readonly name: string;
  readonly entries: readonly { readonly name: string; readonly value: string; readonly source: string }[];
}

export interface ReportMeta {
  /** The learner's name as they typed it (may be empty). */
  readonly participant: string;
  readonly appVersion: string;
  /** The UI's language, which the HTML is written in. */
  readonly locale: 'en' | 'ko';
  /** Wall-clock ms since the epoch when the report is made: passed in, never read here. */
  readonly generatedAtMs: number;
}

export interface ReportSource {
  /** The run: steps with status and checks (observed vs expected), the journal, answers. */
  readonly progress: LabProgress;
  /** The lab as the UI shows it, both languages (engine/labs/lab-sheet.ts `sheetOf(lab)`). */
  readonly sheet: LabSheet;
  /** Timeline entries of the run's cluster, oldest first (the `timeline` query). */
  readonly timeline: readonly TimelineEntry[];
  /** Metric series (the `metricsSnapshot` query's `series`; ids are not needed). */
  readonly series: readonly ReportSourceSeries[];
  /** The cluster at the end of the run (the `clusterStatus` query), or null when unknown. */
  readonly cluster: ClusterStatus | null;
  /**
   * Configs used (the `describeConfigs` answers). When empty, the report lists each topic's
   * overrides from `cluster`.
   */
  readonly configs: readonly ReportSourceConfigs[];
  readonly meta: ReportMeta;
}

export class ReportSourceError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot build a report: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`);
    this.name = 'ReportSourceError';
  }
}

const SourceSeriesSchema = z
  .object({ id: z.number().optional(), key: SeriesKeySchema, t: z.array(z.number().int().min(0)), v: z.array(z.number().nullable()) })
  .strict();

const SourceConfigsSchema = z
  .object({
    resource: z.enum(['topic', 'broker']),
    name: z.string().max(1024),
    entries: z.array(z.object({ name: z.string(), value: z.string(), source: z.string() }).strict()),
  })
  .strict();

const MetaSchema = z
  .object({
    participant: z.string().max(reportLimits.participantCharsMax, `a participant name is at most ${reportLimits.participantCharsMax} characters`),
    appVersion: z.string().min(1, 'the app version is empty').max(reportLimits.appVersionCharsMax),
    locale: z.enum(['en', 'ko']),
    generatedAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

export const ReportSourceSchema = z
  .object({
    progress: LabProgressSchema,
    sheet: LabSheetSchema,
    timeline: z.array(TimelineEntrySchema),
    series: z.array(SourceSeriesSchema),
    cluster: ClusterStatusSchema.nullable(),
    configs: z.array(SourceConfigsSchema),
    meta: MetaSchema,
  })
  .strict();

/** Validates a source (shape and cross-checks); returns it typed, or throws ReportSourceError. */
export function parseReportSource(input: unknown): ReportSource {
  const parsed = ReportSourceSchema.safeParse(input);
  if (!parsed.success) {
    throw new ReportSourceError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(source)'}: ${issue.message}`));
  }
  const source = parsed.data as ReportSource;
  const problems = crossCheck(source);
  if (problems.length > 0) throw new ReportSourceError(problems);
  return source;
}

function crossCheck(source: ReportSource): string[] {
  const problems: string[] = [];
  const { progress, sheet } = source;
  if (progress.labId !== sheet.id) problems.push(`progress.labId: the run is of lab '${progress.labId}' but the sheet is lab '${sheet.id}'`);
  if (progress.labVersion !== sheet.version) problems.push(`progress.labVersion: the run is of version ${progress.labVersion} but the sheet is version ${sheet.version}`);
  if (sheet.steps.length > reportLimits.stepsMax) problems.push(`sheet.steps: ${sheet.steps.length} steps, more than ${reportLimits.stepsMax}`);
  if (progress.steps.length !== sheet.steps.length) {
    problems.push(`progress.steps: the run has ${progress.steps.length} steps but the sheet has ${sheet.steps.length}`);
  } else {
    progress.steps.forEach((step, i) => {
      if (step.id !== sheet.steps[i]!.id) problems.push(`progress.steps.${i}.id: '${step.id}' but the sheet's step ${i} is '${sheet.steps[i]!.id}'`);
    });
  }
  if (progress.endedAtMs !== null && progress.endedAtMs < progress.startedAtMs) problems.push(`progress.endedAtMs: ${progress.endedAtMs} is before startedAtMs ${progress.startedAtMs}`);
  source.series.forEach((series, i) => {
    if (series.t.length !== series.v.length) problems.push(`series.${i}: ${series.t.length} instants but ${series.v.length} values`);
    for (let j = 1; j < series.t.length; j++) {
      if (series.t[j]! < series.t[j - 1]!) {
        problems.push(`series.${i}.t.${j}: instants go back in time (${series.t[j - 1]} then ${series.t[j]})`);
        break;
      }
    }
  });
  return problems;
}
