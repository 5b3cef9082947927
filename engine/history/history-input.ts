/**
 * What the history accepts, checked before anything is written: the contract's own schemas for
 * the engine's data (LabProgress, TimelineEntry, SeriesKey), the history's bounds, and the
 * cross-checks its rows rely on. Each function returns the input in the form the store writes
 * (serialized where the store keeps JSON), or throws a HistoryInputError that lists every problem
 * with its path. Nothing here touches the database.
 */
import { z } from 'zod';
import { ClusterStatusSchema, type ClusterStatus } from '../api/dto.js';
import { LabProgressSchema, LabSheetSchema, type LabProgress, type LabSheet } from '../api/labs-dto.js';
import { SeriesKeySchema, TimelineEntrySchema, type SeriesKey, type TimelineEntry } from '../api/metrics-dto.js';
import { HistoryInputError } from './history-errors.js';
import { historyLimits } from './history-limits.js';

/** Run ids as the lab host and the autopilot make them: letters, digits, '.', '_' and '-'. */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SETTING_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EXPORT_FORMAT_PATTERN = /^[a-z][a-z0-9]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export interface RunMeta {
  /** The learner's name as they typed it (may be empty). */
  readonly participant: string;
  /** The app's version (package.json), as the report prints it. */
  readonly appVersion: string;
}

export interface ExportInput {
  /** The report's format: html, pdf, csv, json... (lower-case letters and digits). */
  readonly format: string;
  /** Where the file was written. */
  readonly path: string;
  /** Wall-clock ms since the epoch when it was written: passed in, never read here. */
  readonly createdAtMs: number;
}

export interface SeriesInput {
  readonly key: SeriesKey;
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

/** The configs of one resource as `describeConfigs` answers them ('' names the brokers). */
export interface SnapshotConfigs {
  readonly resource: 'topic' | 'broker';
  readonly name: string;
  readonly entries: readonly { readonly name: string; readonly value: string; readonly source: string }[];
}

/** What a report shows of a run besides its progress, timeline and series: kept per run, the latest. */
export interface RunSnapshotInput {
  /** The lab as the UI shows it (both languages). */
  readonly sheet: LabSheet;
  /** The run's cluster when the snapshot was taken, or null when unknown. */
  readonly cluster: ClusterStatus | null;
  readonly configs: readonly SnapshotConfigs[];
  /** Engine ms when it was taken. */
  readonly takenAtMs: number;
}

/** A progress ready to write: validated, with its JSON. */
export interface CheckedProgress {
  readonly progress: LabProgress;
  readonly json: string;
}

function issues(error: z.ZodError, root: string): string[] {
  return error.issues.map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}

function fail(what: string, problems: string[]): never {
  throw new HistoryInputError(what, problems);
}

export function checkRunId(runId: unknown, what = 'run id'): string {
  if (typeof runId !== 'string') fail(`${what} refused`, [`a run id is a string, not ${typeof runId}`]);
  const problems: string[] = [];
  if (runId.length === 0 || runId.length > historyLimits.runIdCharsMax) problems.push(`a run id has 1 to ${historyLimits.runIdCharsMax} characters (this one has ${runId.length})`);
  else if (!RUN_ID_PATTERN.test(runId)) problems.push(`run id '${runId.slice(0, 40)}' may hold only letters, digits, '.', '_' and '-', and starts with a letter or digit`);
  if (problems.length > 0) fail(`${what} refused`, problems);
  return runId;
}

export function checkMeta(meta: unknown): RunMeta {
  const parsed = z
    .object({
      participant: z.string().max(historyLimits.participantCharsMax, `a participant name has at most ${historyLimits.participantCharsMax} characters`),
      appVersion: z.string().min(1, 'the app version is empty').max(historyLimits.appVersionCharsMax, `an app version has at most ${historyLimits.appVersionCharsMax} characters`),
    })
    .strict()
    .safeParse(meta);
  if (!parsed.success) fail('run meta refused', issues(parsed.error, 'meta'));
  const problems: string[] = [];
  if (CONTROL_CHARS.test(parsed.data.participant)) problems.push('meta.participant: a participant name has no control characters (line breaks, tabs)');
  if (CONTROL_CHARS.test(parsed.data.appVersion)) problems.push('meta.appVersion: an app version has no control characters');
  if (problems.length > 0) fail('run meta refused', problems);
  return parsed.data;
}

/**
 * A lab run's progress: the contract's schema, the history's bounds, and the runner's invariants
 * the rows rely on (the steps before `stepIndex` are finished; the journal holds at most the
 * runner's bound).
 */
export function checkProgress(input: unknown): CheckedProgress {
  const parsed = LabProgressSchema.safeParse(input);
  const runId = typeof (input as { runId?: unknown } | null)?.runId === 'string' ? (input as { runId: string }).runId.slice(0, 40) : '?';
  const what = `progress of run '${runId}' refused`;
  if (!parsed.success) fail(what, issues(parsed.error, 'progress'));
  const progress = parsed.data;
  checkRunId(progress.runId, what);
  const problems: string[] = [];
  const stepsTotal = progress.steps.length;
  if (stepsTotal < 1 || stepsTotal > historyLimits.stepsPerRunMax) problems.push(`progress.steps: a run has 1 to ${historyLimits.stepsPerRunMax} steps (this one has ${stepsTotal})`);
  if (progress.stepIndex > stepsTotal) problems.push(`progress.stepIndex: ${progress.stepIndex} is past the last step (${stepsTotal} steps)`);
  const finishedBefore = Math.min(progress.stepIndex, stepsTotal);
  for (let i = 0; i < finishedBefore; i++) {
    const status = progress.steps[i]!.status;
    if (status === 'pending' || status === 'active') problems.push(`progress.steps.${i}.status: step ${i} comes before the current step ${progress.stepIndex} but is ${status}`);
  }
  const ids = new Set<string>();
  progress.steps.forEach((step, i) => {
    if (ids.has(step.id)) problems.push(`progress.steps.${i}.id: step id '${step.id.slice(0, 40)}' appears twice`);
    ids.add(step.id);
  });
  if (progress.journal.length > historyLimits.journalEntriesMax) problems.push(`progress.journal: ${progress.journal.length} entries, more than ${historyLimits.journalEntriesMax}`);
  if (progress.endedAtMs !== null && progress.endedAtMs < progress.startedAtMs) problems.push(`progress.endedAtMs: ${progress.endedAtMs} is before the start ${progress.startedAtMs}`);
  if (problems.length > 0) fail(what, problems);
  const json = JSON.stringify(progress);
  if (json.length > historyLimits.progressJsonBytesMax) fail(what, [`progress: ${json.length} bytes of JSON, more than ${historyLimits.progressJsonBytesMax}`]);
  return { progress, json };
}

export function checkEvents(input: unknown): { entry: TimelineEntry; json: string }[] {
  if (!Array.isArray(input)) fail('timeline entries refused', [`events: an array of timeline entries, not ${typeof input}`]);
  if (input.length > historyLimits.eventsPerAppendMax) fail('timeline entries refused', [`events: ${input.length} entries in one call, more than ${historyLimits.eventsPerAppendMax}`]);
  const parsed = z.array(TimelineEntrySchema).safeParse(input);
  if (!parsed.success) fail('timeline entries refused', issues(parsed.error, 'events'));
  const problems: string[] = [];
  const seen = new Set<number>();
  const checked = parsed.data.map((entry, i) => {
    if (seen.has(entry.id)) problems.push(`events.${i}.id: entry ${entry.id} appears twice`);
    seen.add(entry.id);
    if (entry.endMs !== null && entry.endMs < entry.atMs) problems.push(`events.${i}.endMs: ${entry.endMs} is before its start ${entry.atMs}`);
    const json = JSON.stringify(entry);
    if (json.length > historyLimits.eventJsonBytesMax) problems.push(`events.${i}: ${json.length} bytes of JSON, more than ${historyLimits.eventJsonBytesMax}`);
    return { entry, json };
  });
  if (problems.length > 0) fail('timeline entries refused', problems);
  return checked;
}

const SeriesInputSchema = z
  .object({
    /** The metrics snapshot's series id, accepted and not kept (ids are per snapshot). */
    id: z.number().int().min(0).optional(),
    key: SeriesKeySchema,
    t: z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).max(historyLimits.pointsPerSeriesInMax, `a series brings at most ${historyLimits.pointsPerSeriesInMax} points`),
    v: z.array(z.number().nullable()).max(historyLimits.pointsPerSeriesInMax, `a series brings at most ${historyLimits.pointsPerSeriesInMax} points`),
  })
  .strict();

/** Metric series: schema, one value per instant, instants strictly increasing, one entry per key. */
export function checkSeries(input: unknown): { key: SeriesKey; keyJson: string; t: number[]; v: (number | null)[] }[] {
  if (!Array.isArray(input)) fail('metric series refused', [`series: an array of series, not ${typeof input}`]);
  if (input.length > historyLimits.seriesPerSaveMax) fail('metric series refused', [`series: ${input.length} series in one call, more than ${historyLimits.seriesPerSaveMax}`]);
  const parsed = z.array(SeriesInputSchema).safeParse(input);
  if (!parsed.success) fail('metric series refused', issues(parsed.error, 'series'));
  const problems: string[] = [];
  const keys = new Set<string>();
  const checked = parsed.data.map((series, i) => {
    const keyJson = seriesKeyJson(series.key);
    if (keys.has(keyJson)) problems.push(`series.${i}.key: series ${keyJson} appears twice`);
    keys.add(keyJson);
    if (series.t.length !== series.v.length) problems.push(`series.${i}: ${series.t.length} instants but ${series.v.length} values`);
    for (let j = 1; j < series.t.length; j++) {
      if (series.t[j]! <= series.t[j - 1]!) {
        problems.push(`series.${i}.t.${j}: instants increase strictly (${series.t[j - 1]} then ${series.t[j]})`);
        break;
      }
    }
    return { key: series.key, keyJson, t: series.t, v: series.v };
  });
  if (problems.length > 0) fail('metric series refused', problems);
  return checked;
}

const SnapshotConfigsSchema = z
  .object({
    resource: z.enum(['topic', 'broker']),
    name: z.string().max(1024),
    entries: z
      .array(z.object({ name: z.string(), value: z.string(), source: z.string() }).strict())
      .max(historyLimits.snapshotConfigEntriesMax, `a resource has at most ${historyLimits.snapshotConfigEntriesMax} config entries`),
  })
  .strict();

const RunSnapshotSchema = z
  .object({
    sheet: LabSheetSchema,
    cluster: ClusterStatusSchema.nullable(),
    configs: z.array(SnapshotConfigsSchema).max(historyLimits.snapshotConfigResourcesMax, `a snapshot has at most ${historyLimits.snapshotConfigResourcesMax} config resources`),
    takenAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

/** A run snapshot: the contract's schemas, and its size as JSON; the store checks that the sheet is the run's lab. */
export function checkSnapshot(input: unknown): { snapshot: RunSnapshotInput; sheetJson: string; clusterJson: string | null; configsJson: string } {
  const parsed = RunSnapshotSchema.safeParse(input);
  if (!parsed.success) fail('run snapshot refused', issues(parsed.error, 'snapshot'));
  const snapshot = parsed.data;
  const sheetJson = JSON.stringify(snapshot.sheet);
  const clusterJson = snapshot.cluster === null ? null : JSON.stringify(snapshot.cluster);
  const configsJson = JSON.stringify(snapshot.configs);
  const bytes = sheetJson.length + (clusterJson?.length ?? 0) + configsJson.length;
  if (bytes > historyLimits.snapshotJsonBytesMax) fail('run snapshot refused', [`snapshot: ${bytes} bytes of JSON, more than ${historyLimits.snapshotJsonBytesMax}`]);
  return { snapshot, sheetJson, clusterJson, configsJson };
}

/** The snapshot schema, for what leaves the store. */
export function parseSnapshot(value: unknown): RunSnapshotInput {
  return RunSnapshotSchema.parse(value);
}

export function checkExport(input: unknown): ExportInput {
  const parsed = z
    .object({
      format: z.string().min(1).max(16).regex(EXPORT_FORMAT_PATTERN, 'a format is lower-case letters and digits (html, pdf, csv, json)'),
      path: z.string().min(1, 'the path is empty').max(historyLimits.exportPathCharsMax, `a path has at most ${historyLimits.exportPathCharsMax} characters`),
      createdAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .strict()
    .safeParse(input);
  if (!parsed.success) fail('export refused', issues(parsed.error, 'export'));
  if (parsed.data.path.includes('\0')) fail('export refused', ['export.path: a path has no NUL character']);
  return parsed.data;
}

export function checkSettingKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > historyLimits.settingKeyCharsMax || !SETTING_KEY_PATTERN.test(key)) {
    fail('setting refused', [`a setting key is 1 to ${historyLimits.settingKeyCharsMax} letters, digits, '.', '_' or '-' (got ${JSON.stringify(String(key).slice(0, 40))})`]);
  }
  return key;
}

export function checkSettingValue(key: string, value: unknown): string {
  if (typeof value !== 'string') fail('setting refused', [`setting '${key}': a value is a string, not ${typeof value}`]);
  if (value.length > historyLimits.settingValueCharsMax) fail('setting refused', [`setting '${key}': a value has at most ${historyLimits.settingValueCharsMax} characters (this one has ${value.length})`]);
  return value;
}

/** A series key as canonical JSON: keys sorted, so one series always has one text in `metric_samples`. */
export function seriesKeyJson(key: SeriesKey): string {
  const record = key as unknown as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(record).sort()) sorted[name] = record[name];
  return JSON.stringify(sorted);
}
