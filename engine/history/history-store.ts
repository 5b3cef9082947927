/**
 * The run history: every lab run with its steps, actions, answers, timeline and metric samples and
 * the reports exported from it, in one SQLite file in the data directory (`<dataDir>/history.sqlite`
 * by the host's choice; see history-db.ts for how it is opened and why it loses nothing it
 * acknowledged, migrations.ts for the tables and their row formats).
 *
 * Writing: `saveProgress` is called after every change of a run (idempotent: the same progress
 * twice writes the same rows); one transaction upserts the run's row (with the whole progress as
 * JSON, for an exact resume), its steps, and the journal's actions and answers added since the
 * previous save. `appendEvents` and `saveMetricSamples` add the run cluster's timeline and its
 * metrics (downsampled to historyLimits.samplesPerSeriesMax points a series), `saveSnapshot` the
 * lab sheet, cluster status and configs its report shows. Each call is one transaction: a crash
 * keeps all of it or none of it.
 *
 * Invariants:
 * - every input is validated before the first statement (history-input.ts); a refused input
 *   changes nothing (HistoryInputError lists the problems);
 * - a run's lab id, lab version, seed, start and step count never change after its first save;
 *   its journal only grows (a save with a shorter journal than the one saved is refused);
 * - a run's outcome is `running` until its last step is finished (then `passed` when every step
 *   passed, `failed` when one failed or was skipped), or `abandoned` when `abandonRun` closed it
 *   unfinished; at most `eventsPerRunMax` timeline entries, `seriesPerRunMax` series and
 *   `exportsPerRunMax` exports are kept per run;
 * - what leaves (`loadProgress`, `getRun`, `listRuns`) is checked against the contract's schemas:
 *   a row that does not hold what the history writes is a HistoryDataError naming the run.
 *
 * The progress given to `saveProgress` is copied (validated and serialized) before the call
 * returns its promise, so the caller may go on changing it while the save waits its turn.
 */
import { z } from 'zod';
import { CheckOutcomeSchema, LabProgressSchema, LocalizedTextSchema, StepStatusSchema, type CheckOutcome, type LabProgress, type StepStatus } from '../api/labs-dto.js';
import { SeriesKeySchema, TimelineEntrySchema, type SeriesKey, type TimelineEntry } from '../api/metrics-dto.js';
import { assertFailed } from '../core/assert.js';
import { downsample, downsampleModeOf } from './downsample.js';
import { HistoryDb, type HistoryDbOptions, type SqlExecutor, type SqlValue } from './history-db.js';
import { HistoryDataError, HistoryInputError } from './history-errors.js';
import {
  checkEvents,
  checkExport,
  checkMeta,
  checkProgress,
  checkRunId,
  checkSeries,
  checkSettingKey,
  checkSettingValue,
  checkSnapshot,
  parseSnapshot,
  type ExportInput,
  type RunMeta,
  type RunSnapshotInput,
  type SeriesInput,
  type SnapshotConfigs,
} from './history-input.js';
import { historyLimits } from './history-limits.js';
import { migrate, userVersion, type MigrationResult } from './migrations.js';

export type { ExportInput, RunMeta, RunSnapshotInput, SeriesInput, SnapshotConfigs };

export type RunOutcome = 'running' | 'passed' | 'failed' | 'abandoned';

/** A run as the history lists it. */
export interface RunSummary {
  readonly runId: string;
  readonly labId: string;
  readonly labVersion: number;
  readonly seed: number;
  readonly participant: string;
  readonly appVersion: string;
  /** Engine ms. */
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
  readonly outcome: RunOutcome;
  readonly stepIndex: number;
  readonly stepsTotal: number;
  readonly stepsPassed: number;
  /** Journal entries the runner could not keep (beyond its bound). */
  readonly journalDropped: number;
  /** Timeline entries the history could not keep (beyond eventsPerRunMax). */
  readonly eventsDropped: number;
}

export interface StepRecord {
  readonly stepIndex: number;
  readonly stepId: string;
  readonly status: StepStatus;
  readonly startedAtMs: number | null;
  readonly endedAtMs: number | null;
  /** The last evaluation of the step's checks: observed vs expected. */
  readonly checks: CheckOutcome[];
  readonly answers: Record<string, string>;
}

export interface ActionRecord {
  /** The entry's index in the run's journal. */
  readonly seq: number;
  readonly stepId: string;
  readonly atMs: number;
  readonly action: string;
  readonly outcome: string;
  readonly detail: string;
}

export interface AnswerRecord {
  readonly seq: number;
  readonly stepId: string;
  readonly questionId: string;
  readonly answer: string;
  readonly atMs: number;
}

export interface SampledSeries {
  readonly key: SeriesKey;
  readonly t: number[];
  readonly v: (number | null)[];
}

export interface ExportRecord {
  readonly exportId: number;
  readonly format: string;
  readonly path: string;
  /** Wall-clock ms since the epoch. */
  readonly createdAtMs: number;
}

/** Everything a report needs about one run. */
export interface RunRecord {
  readonly run: RunSummary;
  readonly progress: LabProgress;
  readonly steps: StepRecord[];
  readonly actions: ActionRecord[];
  readonly answers: AnswerRecord[];
  /** Timeline entries, oldest first. */
  readonly events: TimelineEntry[];
  /** Downsampled metric series, by key. */
  readonly series: SampledSeries[];
  /** Reports written, oldest first. */
  readonly exports: ExportRecord[];
  /** The latest snapshot (lab sheet, cluster, configs), or null when none was saved. */
  readonly snapshot: RunSnapshotInput | null;
}

/** What the run list shows of a run besides its summary (cheap: no progress, no samples). */
export interface RunHeader {
  readonly run: RunSummary;
  /** The lab's title from the run's snapshot, or null when none was saved. */
  readonly labTitle: { readonly en: string; readonly ko: string } | null;
  /** Reports written, oldest first. */
  readonly exports: ExportRecord[];
}

export interface RunFilter {
  readonly labId?: string;
  readonly participant?: string;
  readonly outcome?: RunOutcome;
  /** At most this many (newest first); at most historyLimits.runsListedMax. */
  readonly limit?: number;
}

export interface IntegrityReport {
  readonly ok: boolean;
  /** `PRAGMA integrity_check`'s lines ("ok" alone when fine), then any foreign key problems. */
  readonly messages: string[];
}

const OUTCOMES: readonly RunOutcome[] = ['running', 'passed', 'failed', 'abandoned'];
const ROWS_PER_INSERT = historyLimits.rowsPerStatementMax;

interface RunRow {
  [column: string]: SqlValue;
  run_id: string;
  lab_id: string;
  lab_version: number;
  seed: number;
  participant: string;
  app_version: string;
  started_at_ms: number;
  ended_at_ms: number | null;
  outcome: string;
  step_index: number;
  steps_total: number;
  journal_count: number;
  journal_dropped: number;
  events_dropped: number;
  steps_passed: number;
}

const RUN_COLUMNS = `r.run_id, r.lab_id, r.lab_version, r.seed, r.participant, r.app_version, r.started_at_ms, r.ended_at_ms, r.outcome,
  r.step_index, r.steps_total, r.journal_count, r.journal_dropped, r.events_dropped,
  (SELECT COUNT(*) FROM steps s WHERE s.run_id = r.run_id AND s.status = 'passed') AS steps_passed`;

export class HistoryStore {
  private constructor(
    private readonly db: HistoryDb,
    /** What opening did to the schema (the versions before and after, the migrations applied). */
    readonly migration: MigrationResult,
  ) {}

  /**
   * Opens the history at `path` (created when missing; its directory must exist) and brings its
   * schema up to date. A database made by a newer app is refused (HistorySchemaError) untouched.
   */
  static async open(path: string, options: HistoryDbOptions = {}): Promise<HistoryStore> {
    const db = await HistoryDb.open(path, options);
    try {
      return new HistoryStore(db, await migrate(db));
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  get path(): string {
    return this.db.path;
  }

  schemaVersion(): Promise<number> {
    return userVersion(this.db);
  }

  /**
   * Saves a run's progress (see the class comment); `meta` says who runs it with which app (the
   * latest save's participant and app version are the run's).
   */
  async saveProgress(progressInput: LabProgress, metaInput: RunMeta): Promise<void> {
    const { progress, json } = checkProgress(progressInput);
    const meta = checkMeta(metaInput);
    const finished = progress.stepIndex >= progress.steps.length;
    const finishedOutcome: RunOutcome = progress.steps.every((s) => s.status === 'passed') ? 'passed' : 'failed';
    await this.db.transaction(async (tx) => {
      const existing = await tx.get<{ lab_id: string; lab_version: number; seed: number; started_at_ms: number; steps_total: number; journal_count: number; outcome: string }>(
        'SELECT lab_id, lab_version, seed, started_at_ms, steps_total, journal_count, outcome FROM runs WHERE run_id = ?',
        [progress.runId],
      );
      let journalFrom = 0;
      let outcome: RunOutcome = finished ? finishedOutcome : 'running';
      if (existing !== undefined) {
        const problems: string[] = [];
        const same = (name: string, saved: SqlValue, given: SqlValue): void => {
          if (saved !== given) problems.push(`progress.${name}: the saved run has ${String(saved)}, this progress ${String(given)}`);
        };
        same('labId', existing.lab_id, progress.labId);
        same('labVersion', existing.lab_version, progress.labVersion);
        same('seed', existing.seed, progress.seed);
        same('startedAtMs', existing.started_at_ms, progress.startedAtMs);
        same('steps.length', existing.steps_total, progress.steps.length);
        if (progress.journal.length < existing.journal_count) {
          problems.push(`progress.journal: ${progress.journal.length} entries, but ${existing.journal_count} are saved already (a journal only grows)`);
        }
        if (problems.length > 0) throw new HistoryInputError(`progress of run '${progress.runId}' refused: it is not the saved run`, problems);
        journalFrom = existing.journal_count;
        if (!finished && existing.outcome === 'abandoned') outcome = 'abandoned';
      }
      await tx.run(
        `INSERT INTO runs (run_id, lab_id, lab_version, seed, participant, app_version, started_at_ms, ended_at_ms, outcome,
           step_index, steps_total, journal_count, journal_dropped, progress_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET participant = excluded.participant, app_version = excluded.app_version,
           ended_at_ms = excluded.ended_at_ms, outcome = excluded.outcome, step_index = excluded.step_index,
           journal_count = excluded.journal_count, journal_dropped = excluded.journal_dropped, progress_json = excluded.progress_json`,
        [
          progress.runId,
          progress.labId,
          progress.labVersion,
          progress.seed,
          meta.participant,
          meta.appVersion,
          progress.startedAtMs,
          progress.endedAtMs,
          outcome,
          progress.stepIndex,
          progress.steps.length,
          progress.journal.length,
          progress.journalDropped,
          json,
        ],
      );
      await insertRows(
        tx,
        `INSERT INTO steps (run_id, step_index, step_id, status, started_at_ms, ended_at_ms, checks_json, answers_json) VALUES`,
        8,
        progress.steps.map((s, i) => [progress.runId, i, s.id, s.status, s.startedAtMs, s.endedAtMs, JSON.stringify(s.checks), JSON.stringify(s.answers)]),
        `ON CONFLICT (run_id, step_index) DO UPDATE SET step_id = excluded.step_id, status = excluded.status, started_at_ms = excluded.started_at_ms,
           ended_at_ms = excluded.ended_at_ms, checks_json = excluded.checks_json, answers_json = excluded.answers_json`,
      );
      const actions: SqlValue[][] = [];
      const answers: SqlValue[][] = [];
      // Bounded by the journal (at most historyLimits.journalEntriesMax entries), from the first one not saved.
      for (let seq = journalFrom; seq < progress.journal.length; seq++) {
        const entry = progress.journal[seq]!;
        if (entry.type === 'action') actions.push([progress.runId, seq, entry.stepId, entry.atMs, entry.action, entry.outcome, entry.detail]);
        else if (entry.type === 'answer') answers.push([progress.runId, seq, entry.stepId, entry.questionId, entry.answer, entry.atMs]);
      }
      await insertRows(tx, 'INSERT INTO actions (run_id, seq, step_id, at_ms, action, outcome, detail) VALUES', 7, actions);
      await insertRows(tx, 'INSERT INTO answers (run_id, seq, step_id, question_id, answer, at_ms) VALUES', 6, answers);
    });
  }

  /**
   * Marks an unfinished run abandoned (the learner ended it, or started another): it is no longer
   * the run to resume. Returns whether the run was running; a finished run keeps its outcome.
   */
  async abandonRun(runIdInput: string): Promise<boolean> {
    const runId = checkRunId(runIdInput);
    const { changes } = await this.db.run("UPDATE runs SET outcome = 'abandoned' WHERE run_id = ? AND outcome = 'running'", [runId]);
    return changes === 1;
  }

  /**
   * Adds (or updates: a span that ended) timeline entries of a run's cluster. Past
   * historyLimits.eventsPerRunMax entries, new ones are counted as dropped (ids are consecutive,
   * so the count is the ids above the last one kept; giving the same entries again counts nothing
   * twice). Returns how many entries the run holds and has dropped.
   */
  async appendEvents(runIdInput: string, eventsInput: readonly TimelineEntry[]): Promise<{ stored: number; dropped: number }> {
    const runId = checkRunId(runIdInput);
    const events = checkEvents(eventsInput);
    return this.db.transaction(async (tx) => {
      const run = await requireRun(tx, runId);
      const counts = await tx.get<{ n: number; last: number | null }>('SELECT COUNT(*) AS n, MAX(event_id) AS last FROM events WHERE run_id = ?', [runId]);
      let stored = counts?.n ?? 0;
      const lastKept = counts?.last ?? 0;
      const existing = new Set<number>();
      // Bounded: at most eventsPerAppendMax ids, looked up ROWS_PER_INSERT at a time.
      for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
        const ids = events.slice(start, start + ROWS_PER_INSERT).map((e) => e.entry.id);
        const rows = await tx.all<{ event_id: number }>(`SELECT event_id FROM events WHERE run_id = ? AND event_id IN (${ids.map(() => '?').join(', ')})`, [runId, ...ids]);
        for (const row of rows) existing.add(row.event_id);
      }
      const rows: SqlValue[][] = [];
      let highestOffered = 0;
      let dropped = run.events_dropped;
      for (const { entry, json } of events) {
        highestOffered = Math.max(highestOffered, entry.id);
        const known = existing.has(entry.id);
        if (!known && stored >= historyLimits.eventsPerRunMax) continue;
        if (!known) stored++;
        rows.push([runId, entry.id, entry.atMs, entry.endMs, entry.kind, entry.severity, entry.code, json]);
      }
      if (stored >= historyLimits.eventsPerRunMax) {
        const last = Math.max(lastKept, ...rows.map((r) => r[1] as number));
        dropped = Math.max(dropped, highestOffered - last);
      }
      await insertRows(
        tx,
        'INSERT INTO events (run_id, event_id, at_ms, end_ms, kind, severity, code, entry_json) VALUES',
        8,
        rows,
        'ON CONFLICT (run_id, event_id) DO UPDATE SET at_ms = excluded.at_ms, end_ms = excluded.end_ms, kind = excluded.kind, severity = excluded.severity, code = excluded.code, entry_json = excluded.entry_json',
      );
      if (dropped !== run.events_dropped) await tx.run('UPDATE runs SET events_dropped = ? WHERE run_id = ?', [dropped, runId]);
      if (!(stored <= historyLimits.eventsPerRunMax)) assertFailed(`run ${runId} holds ${stored} timeline entries, more than ${historyLimits.eventsPerRunMax}`);
      return { stored, dropped };
    });
  }

  /**
   * Saves a run's metric series, each downsampled to historyLimits.samplesPerSeriesMax points
   * (downsample.ts, the mode by metric). A series saved before is replaced, so the caller may save
   * the whole series again as it grows. Returns the series and points written.
   */
  async saveMetricSamples(runIdInput: string, seriesInput: readonly SeriesInput[]): Promise<{ series: number; points: number }> {
    const runId = checkRunId(runIdInput);
    const series = checkSeries(seriesInput);
    const sampled = series.map((s) => ({ keyJson: s.keyJson, ...downsample(s, historyLimits.samplesPerSeriesMax, downsampleModeOf(s.key)) }));
    return this.db.transaction(async (tx) => {
      await requireRun(tx, runId);
      const known = await tx.all<{ series_key: string }>(`SELECT DISTINCT series_key FROM metric_samples WHERE run_id = ? LIMIT ${historyLimits.seriesPerRunMax + 1}`, [runId]);
      const keys = new Set(known.map((r) => r.series_key));
      for (const s of sampled) keys.add(s.keyJson);
      if (keys.size > historyLimits.seriesPerRunMax) {
        throw new HistoryInputError(`metric series of run '${runId}' refused`, [`the run would hold ${keys.size} series, more than ${historyLimits.seriesPerRunMax}`]);
      }
      let points = 0;
      // Bounded: at most seriesPerSaveMax series of at most samplesPerSeriesMax points each.
      for (const s of sampled) {
        await tx.run('DELETE FROM metric_samples WHERE run_id = ? AND series_key = ?', [runId, s.keyJson]);
        await insertRows(
          tx,
          'INSERT INTO metric_samples (run_id, series_key, t_ms, value) VALUES',
          4,
          s.t.map((t, i) => [runId, s.keyJson, t, s.v[i] ?? null]),
        );
        points += s.t.length;
      }
      return { series: sampled.length, points };
    });
  }

  /** Remembers a report written for a run. */
  async recordExport(runIdInput: string, exportInput: ExportInput): Promise<ExportRecord> {
    const runId = checkRunId(runIdInput);
    const input = checkExport(exportInput);
    return this.db.transaction(async (tx) => {
      await requireRun(tx, runId);
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM exports WHERE run_id = ?', [runId]);
      if ((count?.n ?? 0) >= historyLimits.exportsPerRunMax) {
        throw new HistoryInputError(`export of run '${runId}' refused`, [`the run has ${historyLimits.exportsPerRunMax} exports already, the most it keeps`]);
      }
      const { lastId } = await tx.run('INSERT INTO exports (run_id, format, path, created_at_ms) VALUES (?, ?, ?, ?)', [runId, input.format, input.path, input.createdAtMs]);
      return { exportId: lastId, format: input.format, path: input.path, createdAtMs: input.createdAtMs };
    });
  }

  /**
   * Keeps the run's latest snapshot for its report (the lab sheet, the cluster's status and the
   * configs used), replacing the one before. The sheet must be the run's lab (id, version, steps).
   */
  async saveSnapshot(runIdInput: string, snapshotInput: RunSnapshotInput): Promise<void> {
    const runId = checkRunId(runIdInput);
    const { snapshot, sheetJson, clusterJson, configsJson } = checkSnapshot(snapshotInput);
    await this.db.transaction(async (tx) => {
      const run = await tx.get<{ lab_id: string; lab_version: number; steps_total: number }>('SELECT lab_id, lab_version, steps_total FROM runs WHERE run_id = ?', [runId]);
      if (run === undefined) throw new HistoryInputError(`run '${runId}' refused`, [`there is no run '${runId}' in the history (save its progress first)`]);
      const problems: string[] = [];
      if (snapshot.sheet.id !== run.lab_id) problems.push(`snapshot.sheet.id: the run is of lab '${run.lab_id}', the sheet of lab '${snapshot.sheet.id}'`);
      if (snapshot.sheet.version !== run.lab_version) problems.push(`snapshot.sheet.version: the run is of version ${run.lab_version}, the sheet ${snapshot.sheet.version}`);
      if (snapshot.sheet.steps.length !== run.steps_total) problems.push(`snapshot.sheet.steps: the run has ${run.steps_total} steps, the sheet ${snapshot.sheet.steps.length}`);
      if (problems.length > 0) throw new HistoryInputError(`snapshot of run '${runId}' refused`, problems);
      await tx.run(
        `INSERT INTO run_snapshots (run_id, taken_at_ms, sheet_json, cluster_json, configs_json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET taken_at_ms = excluded.taken_at_ms, sheet_json = excluded.sheet_json, cluster_json = excluded.cluster_json, configs_json = excluded.configs_json`,
        [runId, snapshot.takenAtMs, sheetJson, clusterJson, configsJson],
      );
    });
  }

  /**
   * A run's summary, its lab's title (from its snapshot) and its exports, for a run just listed;
   * a run that is not in the history is a HistoryInputError.
   */
  async runHeader(runIdInput: string): Promise<RunHeader> {
    const runId = checkRunId(runIdInput);
    return this.db.transaction(async (tx) => {
      const row = await tx.get<RunRow & { title_json: string | null }>(
        `SELECT ${RUN_COLUMNS}, (SELECT json_extract(sn.sheet_json, '$.title') FROM run_snapshots sn WHERE sn.run_id = r.run_id) AS title_json FROM runs r WHERE r.run_id = ?`,
        [runId],
      );
      if (row === undefined) throw new HistoryInputError(`run '${runId}' refused`, [`there is no run '${runId}' in the history`]);
      const labTitle = row.title_json === null ? null : parseJson(runId, 'lab title', row.title_json, (value) => LocalizedTextSchema.parse(value));
      return { run: summaryOf(row), labTitle, exports: await exportsOf(tx, runId) };
    }, 'read');
  }

  /** The run's progress as last saved, or null when there is no such run. */
  async loadProgress(runIdInput: string): Promise<LabProgress | null> {
    const runId = checkRunId(runIdInput);
    const row = await this.db.get<{ progress_json: string }>('SELECT progress_json FROM runs WHERE run_id = ?', [runId]);
    return row === undefined ? null : parseProgress(runId, row.progress_json);
  }

  /** The run to resume after a restart (the newest running one), or null. */
  async openRunId(): Promise<string | null> {
    const row = await this.db.get<{ run_id: string }>("SELECT run_id FROM runs WHERE outcome = 'running' ORDER BY started_at_ms DESC, rowid DESC LIMIT 1");
    return row?.run_id ?? null;
  }

  /** Runs, newest first, optionally of one lab, participant or outcome. */
  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const problems: string[] = [];
    if (typeof filter !== 'object' || filter === null) problems.push(`filter: an object, not ${filter === null ? 'null' : typeof filter}`);
    const { labId, participant, outcome, limit = historyLimits.runsListedMax } = filter ?? {};
    if (labId !== undefined && (typeof labId !== 'string' || labId.length > 64)) problems.push('filter.labId: a lab id is a string of at most 64 characters');
    if (participant !== undefined && (typeof participant !== 'string' || participant.length > historyLimits.participantCharsMax)) {
      problems.push(`filter.participant: a string of at most ${historyLimits.participantCharsMax} characters`);
    }
    if (outcome !== undefined && !OUTCOMES.includes(outcome)) problems.push(`filter.outcome: one of ${OUTCOMES.join(', ')}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > historyLimits.runsListedMax) problems.push(`filter.limit: a whole number from 1 to ${historyLimits.runsListedMax}`);
    if (problems.length > 0) throw new HistoryInputError('run filter refused', problems);
    const conditions: [string, SqlValue | undefined][] = [
      ['r.lab_id = ?', labId],
      ['r.participant = ?', participant],
      ['r.outcome = ?', outcome],
    ];
    const given = conditions.filter((c): c is [string, SqlValue] => c[1] !== undefined);
    const where = given.map((c) => c[0]);
    const params = given.map((c) => c[1]);
    const rows = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs r ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at_ms DESC, r.rowid DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(summaryOf);
  }

  /** Everything a report needs about one run, or null when there is no such run. */
  async getRun(runIdInput: string): Promise<RunRecord | null> {
    const runId = checkRunId(runIdInput);
    // One read transaction: the run's rows as of one moment, not half of a save.
    return this.db.transaction(async (tx) => {
      const row = await tx.get<RunRow & { progress_json: string }>(`SELECT ${RUN_COLUMNS}, r.progress_json FROM runs r WHERE r.run_id = ?`, [runId]);
      if (row === undefined) return null;
      const run = summaryOf(row);
      const progress = parseProgress(runId, row.progress_json);
      const stepRows = await tx.all<{ step_index: number; step_id: string; status: string; started_at_ms: number | null; ended_at_ms: number | null; checks_json: string; answers_json: string }>(
        `SELECT step_index, step_id, status, started_at_ms, ended_at_ms, checks_json, answers_json FROM steps WHERE run_id = ? ORDER BY step_index LIMIT ${historyLimits.stepsPerRunMax}`,
        [runId],
      );
      const steps = stepRows.map((s) => stepOf(runId, s));
      const actions = await tx.all<{ seq: number; step_id: string; at_ms: number; action: string; outcome: string; detail: string }>(
        `SELECT seq, step_id, at_ms, action, outcome, detail FROM actions WHERE run_id = ? ORDER BY seq LIMIT ${historyLimits.journalEntriesMax}`,
        [runId],
      );
      const answers = await tx.all<{ seq: number; step_id: string; question_id: string; answer: string; at_ms: number }>(
        `SELECT seq, step_id, question_id, answer, at_ms FROM answers WHERE run_id = ? ORDER BY seq LIMIT ${historyLimits.journalEntriesMax}`,
        [runId],
      );
      const eventRows = await tx.all<{ entry_json: string }>(`SELECT entry_json FROM events WHERE run_id = ? ORDER BY event_id LIMIT ${historyLimits.eventsPerRunMax}`, [runId]);
      const sampleRows = await tx.all<{ series_key: string; t_ms: number; value: number | null }>(
        `SELECT series_key, t_ms, value FROM metric_samples WHERE run_id = ? ORDER BY series_key, t_ms LIMIT ${historyLimits.seriesPerRunMax * historyLimits.samplesPerSeriesMax}`,
        [runId],
      );
      const snapshotRow = await tx.get<{ taken_at_ms: number; sheet_json: string; cluster_json: string | null; configs_json: string }>(
        'SELECT taken_at_ms, sheet_json, cluster_json, configs_json FROM run_snapshots WHERE run_id = ?',
        [runId],
      );
      const snapshot =
        snapshotRow === undefined
          ? null
          : parseJson(runId, 'snapshot', `{"takenAtMs":${snapshotRow.taken_at_ms},"sheet":${snapshotRow.sheet_json},"cluster":${snapshotRow.cluster_json ?? 'null'},"configs":${snapshotRow.configs_json}}`, parseSnapshot);
      return {
        run,
        progress,
        steps,
        actions: actions.map((a) => ({ seq: a.seq, stepId: a.step_id, atMs: a.at_ms, action: a.action, outcome: a.outcome, detail: a.detail })),
        answers: answers.map((a) => ({ seq: a.seq, stepId: a.step_id, questionId: a.question_id, answer: a.answer, atMs: a.at_ms })),
        events: eventRows.map((e) => parseJson(runId, 'timeline entry', e.entry_json, (value) => TimelineEntrySchema.parse(value))),
        series: seriesOf(runId, sampleRows),
        exports: await exportsOf(tx, runId),
        snapshot,
      };
    }, 'read');
  }

  /** Deletes a run and all its rows (steps, actions, answers, events, samples, exports). Returns whether it existed. */
  async deleteRun(runIdInput: string): Promise<boolean> {
    const runId = checkRunId(runIdInput);
    const { changes } = await this.db.run('DELETE FROM runs WHERE run_id = ?', [runId]);
    return changes === 1;
  }

  async getSetting(keyInput: string): Promise<string | null> {
    const key = checkSettingKey(keyInput);
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    return row?.value ?? null;
  }

  async setSetting(keyInput: string, valueInput: string): Promise<void> {
    const key = checkSettingKey(keyInput);
    const value = checkSettingValue(key, valueInput);
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  /** SQLite's own check of the file (pages, indexes, constraints) and of the foreign keys. */
  async integrityCheck(): Promise<IntegrityReport> {
    const lines = await this.db.all<{ integrity_check: string }>('PRAGMA integrity_check(100)');
    const foreign = await this.db.all<{ table: string; rowid: number | null; parent: string }>('PRAGMA foreign_key_check');
    const messages = [...lines.map((l) => l.integrity_check), ...foreign.slice(0, 100).map((f) => `foreign key: a row of ${f.table} (rowid ${String(f.rowid)}) has no ${f.parent}`)];
    return { ok: lines.length === 1 && lines[0]!.integrity_check === 'ok' && foreign.length === 0, messages };
  }

  /** Waits for the saves asked for, then closes the database. */
  close(): Promise<void> {
    return this.db.close();
  }
}

/** Inserts rows `ROWS_PER_INSERT` at a time; `suffix` (an ON CONFLICT clause) follows each VALUES list. */
async function insertRows(tx: SqlExecutor, head: string, columns: number, rows: readonly SqlValue[][], suffix = ''): Promise<void> {
  const placeholders = `(${new Array<string>(columns).fill('?').join(', ')})`;
  // Bounded by the rows given (each caller's own bound), ROWS_PER_INSERT a statement.
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const params: SqlValue[] = [];
    for (const row of chunk) {
      if (!(row.length === columns)) assertFailed(`a row of ${head.slice(0, 40)} has ${columns} values, not ${row.length}`);
      params.push(...row);
    }
    await tx.run(`${head} ${chunk.map(() => placeholders).join(', ')} ${suffix}`, params);
  }
}

async function exportsOf(tx: SqlExecutor, runId: string): Promise<ExportRecord[]> {
  const rows = await tx.all<{ export_id: number; format: string; path: string; created_at_ms: number }>(
    `SELECT export_id, format, path, created_at_ms FROM exports WHERE run_id = ? ORDER BY created_at_ms, export_id LIMIT ${historyLimits.exportsPerRunMax}`,
    [runId],
  );
  return rows.map((e) => ({ exportId: e.export_id, format: e.format, path: e.path, createdAtMs: e.created_at_ms }));
}

async function requireRun(tx: SqlExecutor, runId: string): Promise<{ events_dropped: number }> {
  const row = await tx.get<{ events_dropped: number }>('SELECT events_dropped FROM runs WHERE run_id = ?', [runId]);
  if (row === undefined) throw new HistoryInputError(`run '${runId}' refused`, [`there is no run '${runId}' in the history (save its progress first)`]);
  return row;
}

function parseJson<T>(runId: string, what: string, text: string, parse: (value: unknown) => T): T {
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    throw new HistoryDataError(`The run history holds a damaged ${what} of run '${runId}': ${(error as Error).message.slice(0, 300)}`);
  }
}

function parseProgress(runId: string, json: string): LabProgress {
  const progress = parseJson(runId, 'progress', json, (value) => LabProgressSchema.parse(value));
  if (progress.runId !== runId) throw new HistoryDataError(`The run history holds the progress of run '${progress.runId}' under run '${runId}'.`);
  return progress;
}

function summaryOf(row: RunRow): RunSummary {
  if (!OUTCOMES.includes(row.outcome as RunOutcome)) throw new HistoryDataError(`The run history holds run '${row.run_id}' with an unknown outcome '${row.outcome}'.`);
  return {
    runId: row.run_id,
    labId: row.lab_id,
    labVersion: row.lab_version,
    seed: row.seed,
    participant: row.participant,
    appVersion: row.app_version,
    startedAtMs: row.started_at_ms,
    endedAtMs: row.ended_at_ms,
    outcome: row.outcome as RunOutcome,
    stepIndex: row.step_index,
    stepsTotal: row.steps_total,
    stepsPassed: row.steps_passed,
    journalDropped: row.journal_dropped,
    eventsDropped: row.events_dropped,
  };
}

function stepOf(
  runId: string,
  row: { step_index: number; step_id: string; status: string; started_at_ms: number | null; ended_at_ms: number | null; checks_json: string; answers_json: string },
): StepRecord {
  const what = `step ${row.step_index}`;
  const status = StepStatusSchema.safeParse(row.status);
  if (!status.success) throw new HistoryDataError(`The run history holds a damaged ${what} of run '${runId}': unknown status '${row.status}'.`);
  return {
    stepIndex: row.step_index,
    stepId: row.step_id,
    status: status.data,
    startedAtMs: row.started_at_ms,
    endedAtMs: row.ended_at_ms,
    checks: parseJson(runId, `${what}'s checks`, row.checks_json, (value) => z.array(CheckOutcomeSchema).parse(value)),
    answers: parseJson(runId, `${what}'s answers`, row.answers_json, (value) => z.record(z.string(), z.string()).parse(value)),
  };
}

function seriesOf(runId: string, rows: readonly { series_key: string; t_ms: number; value: number | null }[]): SampledSeries[] {
  const byKey = new Map<string, { key: SeriesKey; t: number[]; v: (number | null)[] }>();
  for (const row of rows) {
    let series = byKey.get(row.series_key);
    if (series === undefined) {
      series = { key: parseJson(runId, 'series key', row.series_key, (value) => SeriesKeySchema.parse(value)), t: [], v: [] };
      byKey.set(row.series_key, series);
    }
    series.t.push(row.t_ms);
    series.v.push(row.value);
  }
  return [...byKey.values()];
}
