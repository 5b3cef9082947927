/**
 * The history's schema, as numbered migrations. SQLite's `user_version` pragma (an integer in the
 * database header, written in the same transaction as the migration) is the schema version: 0 for
 * a new file, N after migration N.
 *
 * Invariants:
 * - versions are 1, 2, 3, ... in order, and a migration is never edited once released: a change is
 *   a new migration (a database made by an older app runs only the migrations after its version);
 * - each migration runs in one transaction with the version bump, so a crash leaves the database
 *   at the version before it or after it, never between;
 * - a database whose version is higher than the last migration is refused (HistorySchemaError,
 *   naming both versions) and left untouched: an older app cannot know what a newer one wrote.
 *
 * Row formats (every table STRICT, so a value of the wrong type is refused, not stored):
 * - `settings(key, value)`: small strings the app remembers (the participant's name).
 * - `runs`: one row per lab run. `run_id` is the LabProgress runId; `lab_id`, `lab_version`,
 *   `seed`, `started_at_ms` never change after the first save; `outcome` is running | passed |
 *   failed | abandoned; `step_index` and `steps_total` as in the progress; `progress_json` is the
 *   whole LabProgress as JSON, the source of an exact resume; `journal_count` journal entries of
 *   it are in `actions`/`answers` already. Times are engine ms.
 * - `steps(run_id, step_index)`: the latest state of each step: status, start and end (engine
 *   ms), `checks_json` (the last evaluation: check, passed, observed vs expected, atMs) and
 *   `answers_json` (question id → answer).
 * - `actions(run_id, seq)`, `answers(run_id, seq)`: the journal's action and answer entries, `seq`
 *   being the entry's index in the journal (so a save adds only the entries after `journal_count`).
 * - `events(run_id, event_id)`: the run cluster's timeline entries (`event_id` is the timeline's
 *   id); `entry_json` the whole TimelineEntry; a span that ended later replaces its row.
 * - `metric_samples(run_id, series_key, t_ms)`: downsampled metric series; `series_key` is the
 *   SeriesKey as canonical JSON (keys sorted), `value` a float or NULL (no value at that instant).
 * - (2) `exports(export_id)`: each report written for a run: format, path, wall-clock ms;
 *   `runs.events_dropped`: timeline entries not kept (beyond historyLimits.eventsPerRunMax).
 * - (3) `run_snapshots(run_id)`: the latest snapshot of the run for its report, replaced by the
 *   next: `sheet_json` the LabSheet, `cluster_json` the ClusterStatus (NULL when unknown),
 *   `configs_json` the configs used, `taken_at_ms` engine ms.
 */
import { assertFailed } from '../core/assert.js';
import type { HistoryDb } from './history-db.js';
import { HistorySchemaError } from './history-errors.js';

export interface Migration {
  readonly version: number;
  /** What it does, in a few words (for the log and the error of a failed upgrade). */
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, steps, actions, answers, events, metric samples, settings',
    sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        run_id          TEXT PRIMARY KEY,
        lab_id          TEXT NOT NULL,
        lab_version     INTEGER NOT NULL CHECK (lab_version >= 1),
        seed            INTEGER NOT NULL CHECK (seed >= 0),
        participant     TEXT NOT NULL,
        app_version     TEXT NOT NULL,
        started_at_ms   INTEGER NOT NULL,
        ended_at_ms     INTEGER,
        outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'passed', 'failed', 'abandoned')),
        step_index      INTEGER NOT NULL CHECK (step_index >= 0),
        steps_total     INTEGER NOT NULL CHECK (steps_total >= 1),
        journal_count   INTEGER NOT NULL CHECK (journal_count >= 0),
        journal_dropped INTEGER NOT NULL CHECK (journal_dropped >= 0),
        progress_json   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX runs_by_lab ON runs (lab_id, started_at_ms);
      CREATE INDEX runs_by_outcome ON runs (outcome, started_at_ms);

      CREATE TABLE steps (
        run_id        TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        step_index    INTEGER NOT NULL CHECK (step_index >= 0),
        step_id       TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'passed', 'failed', 'skipped')),
        started_at_ms INTEGER,
        ended_at_ms   INTEGER,
        checks_json   TEXT NOT NULL,
        answers_json  TEXT NOT NULL,
        PRIMARY KEY (run_id, step_index)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE actions (
        run_id  TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL CHECK (seq >= 0),
        step_id TEXT NOT NULL,
        at_ms   INTEGER NOT NULL,
        action  TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail  TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE answers (
        run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL CHECK (seq >= 0),
        step_id     TEXT NOT NULL,
        question_id TEXT NOT NULL,
        answer      TEXT NOT NULL,
        at_ms       INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE events (
        run_id     TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        event_id   INTEGER NOT NULL CHECK (event_id >= 1),
        at_ms      INTEGER NOT NULL,
        end_ms     INTEGER,
        kind       TEXT NOT NULL,
        severity   TEXT NOT NULL,
        code       TEXT NOT NULL,
        entry_json TEXT NOT NULL,
        PRIMARY KEY (run_id, event_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE metric_samples (
        run_id     TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        series_key TEXT NOT NULL,
        t_ms       INTEGER NOT NULL,
        value      REAL,
        PRIMARY KEY (run_id, series_key, t_ms)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'exports, runs by participant, events dropped per run',
    sql: `
      CREATE TABLE exports (
        export_id     INTEGER PRIMARY KEY,
        run_id        TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        format        TEXT NOT NULL,
        path          TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX exports_by_run ON exports (run_id, created_at_ms);

      CREATE INDEX runs_by_participant ON runs (participant, started_at_ms);

      ALTER TABLE runs ADD COLUMN events_dropped INTEGER NOT NULL DEFAULT 0 CHECK (events_dropped >= 0);
    `,
  },
  {
    version: 3,
    name: 'run snapshots (the lab sheet, cluster status and configs a report shows)',
    sql: `
      CREATE TABLE run_snapshots (
        run_id       TEXT PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
        taken_at_ms  INTEGER NOT NULL,
        sheet_json   TEXT NOT NULL,
        cluster_json TEXT,
        configs_json TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** The schema version this app writes: the last migration's. */
export const SCHEMA_VERSION: number = migrations[migrations.length - 1]!.version;

export interface MigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** The migrations applied, as "N name". */
  readonly applied: readonly string[];
}

/**
 * Brings the database up to the last of `list` (the app's migrations unless a test or the
 * fixture script passes a prefix of them). Each migration runs in its own transaction, and the
 * version is read again inside it, so two processes upgrading at once apply each migration once.
 */
export async function migrate(db: HistoryDb, list: readonly Migration[] = migrations): Promise<MigrationResult> {
  if (!(list.length >= 1 && list.length <= migrations.length)) assertFailed(`a migration list has 1 to ${migrations.length} migrations`);
  list.forEach((m, i) => {
    if (!(m.version === i + 1)) assertFailed(`migration ${i} has version ${m.version}, expected ${i + 1}`);
    if (!(m === migrations[i])) assertFailed(`migration ${m.version} is the app's own`);
  });
  const target = list[list.length - 1]!.version;
  const fromVersion = await userVersion(db);
  if (fromVersion > SCHEMA_VERSION) throw new HistorySchemaError(db.path, fromVersion, SCHEMA_VERSION);
  const applied: string[] = [];
  // Bounded by the list: one pass per migration.
  for (const migration of list) {
    if (migration.version <= fromVersion) continue;
    const done = await db.transaction(async (tx) => {
      const row = await tx.get<{ user_version: number }>('PRAGMA user_version');
      const current = row?.user_version ?? 0;
      if (current >= migration.version) return false;
      if (!(current === migration.version - 1)) assertFailed(`database at version ${current} gets migration ${migration.version} only after ${migration.version - 1}`);
      await tx.exec(migration.sql);
      await tx.exec(`PRAGMA user_version = ${migration.version}`);
      return true;
    });
    if (done) applied.push(`${migration.version} ${migration.name}`);
  }
  const toVersion = await userVersion(db);
  if (!(toVersion >= target)) assertFailed(`database at version ${toVersion} after migrating to ${target}`);
  return { fromVersion, toVersion, applied };
}

export async function userVersion(db: HistoryDb): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  const version = row?.user_version;
  if (!(typeof version === 'number' && Number.isInteger(version) && version >= 0)) assertFailed(`user_version is a non-negative integer, not ${String(version)}`);
  return version;
}
