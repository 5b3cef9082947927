/**
 * Schema upgrades: the committed fixture `test/fixtures/history/history-v1.sqlite` (made by
 * migration 1 only, see make-v1-fixture.ts) is opened with the current code, upgraded, and keeps
 * every run, step, action, answer, event, sample and setting; the new schema works on the old
 * rows; the upgraded file has the very schema of a new one. The migrations themselves are
 * numbered from 1 and each runs once.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryDb } from '../../../engine/history/history-db.js';
import { HistoryStore } from '../../../engine/history/history-store.js';
import { SCHEMA_VERSION, migrate, migrations } from '../../../engine/history/migrations.js';
import { FIXTURE_PATH, FIXTURE_RUNS, makeV1Fixture } from '../../fixtures/history/make-v1-fixture.js';
import { TABLES, advance, dumpTables, removeScratch, scratchDir } from './history-test-helpers.js';

afterAll(removeScratch);

/** The tables migration 1 made (the later ones came with migrations 2 and 3). */
const V1_TABLES = TABLES.filter((t) => t !== 'exports' && t !== 'run_snapshots');

function copyOfFixture(): string {
  const path = join(scratchDir('kafka-lab-history-v1-'), 'history.sqlite');
  copyFileSync(FIXTURE_PATH, path);
  return path;
}

async function schemaOf(path: string): Promise<{ type: string; name: string; sql: string | null }[]> {
  const db = await HistoryDb.open(path);
  try {
    return await db.all<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  } finally {
    await db.close();
  }
}

describe('migrations', () => {
  it('are numbered 1, 2, ... and the app writes the last one', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(migrations.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('the committed fixture is a version-1 file with the runs its script writes', async () => {
    const path = copyOfFixture();
    const dump = await dumpTables(path);
    expect(dump.user_version).toEqual([{ user_version: 1 }]);
    expect(dump.exports, 'no exports table before migration 2').toBeUndefined();
    expect(dump.run_snapshots, 'no snapshots table before migration 3').toBeUndefined();
    expect(dump.runs!.length).toBe(FIXTURE_RUNS.length);
    // The script still makes the same file (so the fixture can be made again when it must).
    const remade = join(scratchDir(), 'remade.sqlite');
    await makeV1Fixture(remade);
    expect(await dumpTables(remade)).toEqual(dump);
  });

  it('upgrades the version-1 fixture without losing a row, and the new schema works on the old runs', async () => {
    const path = copyOfFixture();
    const before = await dumpTables(path);
    const store = await HistoryStore.open(path);
    try {
      expect(store.migration).toEqual({ fromVersion: 1, toVersion: SCHEMA_VERSION, applied: migrations.slice(1).map((m) => `${m.version} ${m.name}`) });
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      const after = await dumpTables(path);
      for (const table of V1_TABLES) {
        const rows = table === 'runs' ? after[table]!.map((r) => ({ ...(r as object), events_dropped: undefined })) : after[table];
        const expected = table === 'runs' ? before[table]!.map((r) => ({ ...(r as object), events_dropped: undefined })) : before[table];
        expect(rows, `${table} keeps every row`).toEqual(expected);
        expect(before[table]!.length, `${table} had rows in the fixture`).toBeGreaterThan(0);
      }
      expect(after.runs!.every((r) => (r as { events_dropped: number }).events_dropped === 0)).toBe(true);

      for (const { progress, participant, outcome } of FIXTURE_RUNS) {
        expect(await store.loadProgress(progress.runId), progress.runId).toEqual(progress);
        const run = await store.getRun(progress.runId);
        expect(run!.run).toMatchObject({ participant, outcome, stepIndex: progress.stepIndex, stepsTotal: progress.steps.length, eventsDropped: 0 });
        expect(run!.steps.map((s) => [s.stepId, s.status, s.checks, s.answers])).toEqual(progress.steps.map((s) => [s.id, s.status, s.checks, s.answers]));
        expect(run!.answers.map((a) => a.answer)).toEqual(progress.journal.flatMap((e) => (e.type === 'answer' ? [e.answer] : [])));
        expect(run!.actions.length).toBe(progress.journal.filter((e) => e.type === 'action').length);
        expect(run!.exports).toEqual([]);
        expect(run!.snapshot).toBeNull();
      }
      const passed = await store.getRun('fixture-first-topic-1');
      expect(passed!.events.map((e) => e.code)).toEqual(['rebalance.window', 'election.clean']);
      expect(passed!.series.map((s) => [s.key.metric, s.v])).toEqual([
        ['lag', [0, 4, 9, null, 2]],
        ['logEndOffset', [10, 20, 30, 40, 50]],
      ]);
      expect(await store.getSetting('participant')).toBe('김하나');

      // What version 2 added, on the old rows: exports, the participant index, events_dropped.
      const exported = await store.recordExport('fixture-first-topic-1', { format: 'html', path: '/home/ada/first-topic.html', createdAtMs: Date.UTC(2026, 0, 5, 12) });
      expect((await store.getRun('fixture-first-topic-1'))!.exports).toEqual([exported]);
      expect((await store.listRuns({ participant: 'Ada Lovelace' })).map((r) => r.runId)).toEqual(['fixture-first-topic-2', 'fixture-first-topic-1']);

      // The running run resumes where it was, and goes on.
      expect(await store.openRunId()).toBe('fixture-replication-1');
      const resumed = (await store.loadProgress('fixture-replication-1'))!;
      expect(resumed.stepIndex).toBe(2);
      advance(resumed);
      await store.saveProgress(resumed, { participant: '김하나', appVersion: '0.2.0' });
      expect((await store.getRun('fixture-replication-1'))!.run).toMatchObject({ stepIndex: 3, stepsPassed: 3, appVersion: '0.2.0', outcome: 'running' });
      expect((await store.integrityCheck()).ok).toBe(true);
    } finally {
      await store.close();
    }
    expect(await schemaOf(path), 'the upgraded file has the schema of a new one').toEqual(await schemaOf(await freshPath()));
  });

  it('applies each migration once, also when asked again', async () => {
    const path = copyOfFixture();
    const db = await HistoryDb.open(path);
    try {
      expect((await migrate(db)).applied.length).toBe(SCHEMA_VERSION - 1);
      expect(await migrate(db)).toEqual({ fromVersion: SCHEMA_VERSION, toVersion: SCHEMA_VERSION, applied: [] });
      expect(await migrate(db, migrations.slice(0, 1)), 'an older list on a newer file changes nothing').toEqual({ fromVersion: SCHEMA_VERSION, toVersion: SCHEMA_VERSION, applied: [] });
    } finally {
      await db.close();
    }
  });
});

async function freshPath(): Promise<string> {
  const path = join(scratchDir(), 'fresh.sqlite');
  await (await HistoryStore.open(path)).close();
  return path;
}
