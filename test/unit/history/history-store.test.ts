/**
 * The run history: a real lab run (the autopilot's, saved after every change as the host saves it)
 * comes back exactly; its steps, actions, answers, timeline, downsampled metrics and exports are
 * all there for a report; runs are listed and filtered; a delete takes every row of the run; bad
 * input is refused with a specific error and changes nothing; a database from a newer app is
 * refused untouched.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabProgress } from '../../../engine/api/labs-dto.js';
import { HistoryDb } from '../../../engine/history/history-db.js';
import { HistoryDbError, HistoryInputError, HistorySchemaError } from '../../../engine/history/history-errors.js';
import { historyLimits } from '../../../engine/history/history-limits.js';
import { HistoryStore } from '../../../engine/history/history-store.js';
import { SCHEMA_VERSION } from '../../../engine/history/migrations.js';
import { advance, dumpTables, handProgress, handSheet, recordedRun, removeScratch, rowCounts, scratchDir, timelineEntry } from './history-test-helpers.js';

const META = { participant: 'Ada Lovelace', appVersion: '0.1.0' };
const LAB = 'rebalancing-round';

afterAll(removeScratch);

async function freshStore(): Promise<{ store: HistoryStore; path: string }> {
  const path = join(scratchDir(), 'history.sqlite');
  return { store: await HistoryStore.open(path), path };
}

describe('a real lab run in the history', () => {
  it(`saves the ${LAB} autopilot run after every change and loads it back exactly (seed 1)`, async () => {
    const recorded = await recordedRun(LAB);
    expect(recorded.saves.length).toBeGreaterThan(10);
    const { store, path } = await freshStore();
    try {
      expect(store.migration).toMatchObject({ fromVersion: 0, toVersion: SCHEMA_VERSION });
      // As the host does: a save after every change, each awaited in turn (the last is the end of the run).
      for (const progress of recorded.saves) await store.saveProgress(progress, META);
      expect(await store.loadProgress(recorded.progress.runId)).toEqual(recorded.progress);

      const again = await rowCounts(path, recorded.progress.runId);
      await store.saveProgress(recorded.progress, META);
      expect(await rowCounts(path, recorded.progress.runId), 'saving the same progress again adds nothing').toEqual(again);

      await store.appendEvents(recorded.progress.runId, recorded.timeline);
      const sampled = await store.saveMetricSamples(recorded.progress.runId, recorded.series);
      expect(sampled.series).toBe(recorded.series.length);
      const exported = await store.recordExport(recorded.progress.runId, { format: 'html', path: '/tmp/report.html', createdAtMs: 1_767_700_000_000 });
      const snapshot = { sheet: recorded.sheet, cluster: recorded.cluster, configs: recorded.configs, takenAtMs: recorded.progress.endedAtMs! };
      await store.saveSnapshot(recorded.progress.runId, { ...snapshot, cluster: null, takenAtMs: recorded.progress.startedAtMs });
      await store.saveSnapshot(recorded.progress.runId, snapshot);

      const run = await store.getRun(recorded.progress.runId);
      expect(run).not.toBeNull();
      const { progress } = recorded;
      expect(run!.progress).toEqual(progress);
      expect(run!.run).toMatchObject({
        runId: progress.runId,
        labId: LAB,
        labVersion: progress.labVersion,
        seed: 1,
        participant: 'Ada Lovelace',
        appVersion: '0.1.0',
        startedAtMs: progress.startedAtMs,
        endedAtMs: progress.endedAtMs,
        outcome: 'passed',
        stepIndex: progress.steps.length,
        stepsTotal: progress.steps.length,
        stepsPassed: progress.steps.length,
      });
      expect(run!.steps.map((s) => [s.stepId, s.status, s.startedAtMs, s.endedAtMs, s.checks, s.answers])).toEqual(
        progress.steps.map((s) => [s.id, s.status, s.startedAtMs, s.endedAtMs, s.checks, s.answers]),
      );
      expect(run!.steps.every((s) => s.checks.every((c) => c.observed.length > 0 && c.expected.length > 0))).toBe(true);
      const journalActions = progress.journal.flatMap((e, seq) => (e.type === 'action' ? [{ seq, stepId: e.stepId, atMs: e.atMs, action: e.action, outcome: e.outcome, detail: e.detail }] : []));
      const journalAnswers = progress.journal.flatMap((e, seq) => (e.type === 'answer' ? [{ seq, stepId: e.stepId, questionId: e.questionId, answer: e.answer, atMs: e.atMs }] : []));
      expect(journalActions.length).toBeGreaterThan(0);
      expect(journalAnswers.length).toBeGreaterThan(0);
      expect(run!.actions).toEqual(journalActions);
      expect(run!.answers).toEqual(journalAnswers);
      expect(run!.events).toEqual(recorded.timeline);
      expect(run!.events.some((e) => e.kind === 'rebalance')).toBe(true);
      expect(run!.exports).toEqual([exported]);
      expect(run!.snapshot, 'the latest snapshot').toEqual(snapshot);
      expect(await store.runHeader(recorded.progress.runId)).toEqual({ run: run!.run, labTitle: recorded.sheet.title, exports: [exported] });

      expect(run!.series.length).toBe(recorded.series.length);
      for (const series of recorded.series) {
        const kept = run!.series.find((s) => JSON.stringify(s.key) === JSON.stringify(series.key));
        expect(kept, JSON.stringify(series.key)).toBeDefined();
        expect(kept!.t.length).toBeLessThanOrEqual(historyLimits.samplesPerSeriesMax);
        expect(kept!.t.length).toBe(Math.min(series.t.length, historyLimits.samplesPerSeriesMax));
        if (series.t.length > 0) expect(kept!.t.at(-1), 'the newest instant is kept').toBe(series.t.at(-1));
        if (series.t.length <= historyLimits.samplesPerSeriesMax) expect(kept!.v).toEqual(series.v);
      }
      expect((await store.integrityCheck()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('gives an open run to resume, at the step it was on, until it is finished or abandoned', async () => {
    const { store } = await freshStore();
    try {
      expect(await store.openRunId()).toBeNull();
      const progress = handProgress('run-a', { stepsTotal: 4, stepIndex: 2 });
      await store.saveProgress(progress, META);
      expect(await store.openRunId()).toBe('run-a');
      expect((await store.loadProgress('run-a'))!.stepIndex).toBe(2);
      advance(progress);
      advance(progress, 'skipped');
      await store.saveProgress(progress, META);
      expect(await store.openRunId(), 'a finished run is not resumed').toBeNull();
      expect((await store.listRuns())[0]).toMatchObject({ runId: 'run-a', outcome: 'failed', stepsPassed: 3, stepIndex: 4 });

      const other = handProgress('run-b', { stepsTotal: 3, stepIndex: 1 });
      await store.saveProgress(other, META);
      expect(await store.openRunId()).toBe('run-b');
      expect(await store.abandonRun('run-b')).toBe(true);
      expect(await store.abandonRun('run-a'), 'a finished run keeps its outcome').toBe(false);
      expect(await store.openRunId()).toBeNull();
      await store.saveProgress(other, META);
      expect((await store.listRuns({ outcome: 'abandoned' })).map((r) => r.runId), 'a late save keeps it abandoned').toEqual(['run-b']);
      expect(await store.loadProgress('no-such-run')).toBeNull();
      expect(await store.getRun('no-such-run')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('saves the progress as it was when asked, though the caller changes it while the save waits', async () => {
    const { store } = await freshStore();
    try {
      const progress = handProgress('moving', { stepsTotal: 4, stepIndex: 1 });
      const expected = structuredClone(progress);
      const saving = store.saveProgress(progress, META);
      advance(progress);
      progress.steps[0]!.answers.q0 = 'changed';
      await saving;
      expect(await store.loadProgress('moving')).toEqual(expected);
      const run = await store.getRun('moving');
      expect(run!.steps.map((s) => s.status)).toEqual(expected.steps.map((s) => s.status));
      expect(run!.steps[0]!.answers).toEqual(expected.steps[0]!.answers);
      expect(run!.actions.length).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('lists runs newest first, filtered by lab, participant and outcome', async () => {
    const { store } = await freshStore();
    try {
      const base = 1_767_603_600_000;
      await store.saveProgress(handProgress('r1', { labId: 'first-topic', startedAtMs: base, stepIndex: 4 }), { participant: 'Ada', appVersion: '0.1.0' });
      await store.saveProgress(handProgress('r2', { labId: 'replication', startedAtMs: base + 1_000, stepIndex: 1 }), { participant: 'Ada', appVersion: '0.1.0' });
      await store.saveProgress(handProgress('r3', { labId: 'first-topic', startedAtMs: base + 2_000, stepIndex: 2 }), { participant: '김하나', appVersion: '0.2.0' });
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['r3', 'r2', 'r1']);
      expect((await store.listRuns({ labId: 'first-topic' })).map((r) => r.runId)).toEqual(['r3', 'r1']);
      expect((await store.listRuns({ participant: 'Ada' })).map((r) => r.runId)).toEqual(['r2', 'r1']);
      expect((await store.listRuns({ participant: '김하나', labId: 'first-topic' })).map((r) => [r.runId, r.appVersion])).toEqual([['r3', '0.2.0']]);
      expect((await store.listRuns({ outcome: 'passed' })).map((r) => r.runId)).toEqual(['r1']);
      expect((await store.listRuns({ limit: 1 })).map((r) => r.runId)).toEqual(['r3']);
      expect(await store.listRuns({ labId: 'nothing' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('deletes a run with every row it has, and nothing of other runs', async () => {
    const { store, path } = await freshStore();
    try {
      for (const runId of ['keep', 'drop']) {
        await store.saveProgress(handProgress(runId, { stepIndex: 3 }), META);
        await store.appendEvents(runId, [timelineEntry(1, 1_000), timelineEntry(2, 2_000, 2_500)]);
        await store.saveMetricSamples(runId, [{ key: { scope: 'group', groupId: 'g', topic: 't', partition: 0, metric: 'lag' }, t: [1_000, 2_000], v: [3, null] }]);
        await store.recordExport(runId, { format: 'pdf', path: `/tmp/${runId}.pdf`, createdAtMs: 5 });
        await store.saveSnapshot(runId, { sheet: handSheet(), cluster: null, configs: [], takenAtMs: 9 });
      }
      const before = await rowCounts(path, 'drop');
      expect(Object.values(before).every((n) => n > 0), JSON.stringify(before)).toBe(true);
      const kept = await rowCounts(path, 'keep');
      expect(await store.deleteRun('drop')).toBe(true);
      expect(await store.deleteRun('drop')).toBe(false);
      expect(Object.values(await rowCounts(path, 'drop')).every((n) => n === 0)).toBe(true);
      expect(await rowCounts(path, 'keep')).toEqual(kept);
      expect(await store.getRun('drop')).toBeNull();
      await expect(store.runHeader('drop')).rejects.toThrow(/there is no run 'drop'/);
      expect((await store.integrityCheck()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('updates a timeline span that ended, and keeps at most eventsPerRunMax entries, counting the rest once', async () => {
    const { store } = await freshStore();
    try {
      await store.saveProgress(handProgress('ev'), META);
      expect(await store.appendEvents('ev', [timelineEntry(1, 1_000)])).toEqual({ stored: 1, dropped: 0 });
      await store.appendEvents('ev', [timelineEntry(1, 1_000, 4_000), timelineEntry(2, 3_000)]);
      const run = await store.getRun('ev');
      expect(run!.events.map((e) => [e.id, e.endMs])).toEqual([
        [1, 4_000],
        [2, null],
      ]);
      const max = historyLimits.eventsPerRunMax;
      // Bounded: max / eventsPerAppendMax calls of eventsPerAppendMax entries.
      for (let next = 3; next <= max + 10; next += historyLimits.eventsPerAppendMax) {
        const ids = Array.from({ length: Math.min(historyLimits.eventsPerAppendMax, max + 10 - next + 1) }, (_, i) => next + i);
        await store.appendEvents('ev', ids.map((id) => timelineEntry(id, id * 10)));
      }
      expect((await store.listRuns())[0]!.eventsDropped).toBe(10);
      expect(await store.appendEvents('ev', [timelineEntry(max + 5, 0), timelineEntry(max + 10, 0)]), 'the same entries again count nothing twice').toEqual({ stored: max, dropped: 10 });
      expect(await store.appendEvents('ev', [timelineEntry(max + 11, 0)])).toEqual({ stored: max, dropped: 11 });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('remembers settings such as the participant name', async () => {
    const { store, path } = await freshStore();
    await store.setSetting('participant', 'Ada Lovelace');
    await store.setSetting('participant', '김하나');
    expect(await store.getSetting('participant')).toBe('김하나');
    expect(await store.getSetting('locale')).toBeNull();
    await store.close();
    const reopened = await HistoryStore.open(path);
    expect(await reopened.getSetting('participant')).toBe('김하나');
    expect(reopened.migration.applied).toEqual([]);
    await reopened.close();
    await expect(reopened.getSetting('participant')).rejects.toThrow(/is closed/);
  });
});

describe('bad input', () => {
  const cases: [string, (store: HistoryStore) => Promise<unknown>, RegExp][] = [
    ['a step status that does not exist', (s) => s.saveProgress({ ...handProgress('saved', { stepIndex: 2 }), steps: handProgress('saved').steps.map((st) => ({ ...st, status: 'done' })) } as unknown as LabProgress, META), /progress\.steps\.0\.status/],
    ['a step index past the last step', (s) => s.saveProgress({ ...handProgress('saved'), stepIndex: 9 }, META), /stepIndex: 9 is past the last step/],
    ['an unfinished step before the current one', (s) => s.saveProgress({ ...handProgress('saved'), stepIndex: 2 }, META), /steps\.0\.status: step 0 comes before the current step 2 but is active/],
    ['a run id with a slash', (s) => s.saveProgress(handProgress('../etc'), META), /may hold only letters/],
    ['a progress of another lab under a saved run id', (s) => s.saveProgress(handProgress('saved', { labId: 'replication', stepIndex: 2 }), META), /labId: the saved run has first-topic, this progress replication/],
    ['a different seed under a saved run id', (s) => s.saveProgress(handProgress('saved', { seed: 8, stepIndex: 2 }), META), /seed: the saved run has 7/],
    ['a journal shorter than the one saved', (s) => s.saveProgress(handProgress('saved', { stepIndex: 1 }), META), /a journal only grows/],
    ['a participant name with a line break', (s) => s.saveProgress(handProgress('new'), { participant: 'Ada\nLovelace', appVersion: '0.1.0' }), /participant: a participant name has no control characters/],
    ['a participant name too long', (s) => s.saveProgress(handProgress('new'), { participant: 'x'.repeat(201), appVersion: '0.1.0' }), /at most 200 characters/],
    ['an empty app version', (s) => s.saveProgress(handProgress('new'), { participant: '', appVersion: '' }), /the app version is empty/],
    ['timeline entries of a run not in the history', (s) => s.appendEvents('ghost', [timelineEntry(1, 1)]), /there is no run 'ghost'/],
    ['a timeline entry of an unknown kind', (s) => s.appendEvents('saved', [{ ...timelineEntry(1, 1), kind: 'gossip' } as never]), /events\.0\.kind/],
    ['a timeline entry twice', (s) => s.appendEvents('saved', [timelineEntry(3, 1), timelineEntry(3, 1)]), /entry 3 appears twice/],
    ['a span that ends before it starts', (s) => s.appendEvents('saved', [timelineEntry(3, 100, 50)]), /events\.0\.endMs: 50 is before its start 100/],
    ['metric instants out of order', (s) => s.saveMetricSamples('saved', [{ key: { scope: 'partition', topic: 't', partition: 0, metric: 'logEndOffset' }, t: [5, 5], v: [1, 2] }]), /series\.0\.t\.1: instants increase strictly/],
    ['a metric series with fewer values than instants', (s) => s.saveMetricSamples('saved', [{ key: { scope: 'partition', topic: 't', partition: 0, metric: 'logEndOffset' }, t: [1, 2], v: [1] }]), /2 instants but 1 values/],
    ['a metric value that is not finite', (s) => s.saveMetricSamples('saved', [{ key: { scope: 'partition', topic: 't', partition: 0, metric: 'logEndOffset' }, t: [1], v: [Number.POSITIVE_INFINITY] }]), /series\.0\.v\.0/],
    ['a metric of an unknown scope', (s) => s.saveMetricSamples('saved', [{ key: { scope: 'moon', metric: 'lag' } as never, t: [1], v: [1] }]), /series\.0\.key/],
    ['an export format with a dot', (s) => s.recordExport('saved', { format: '.html', path: '/tmp/x', createdAtMs: 1 }), /export\.format: a format is lower-case letters/],
    ['an export of a run not in the history', (s) => s.recordExport('ghost', { format: 'html', path: '/tmp/x', createdAtMs: 1 }), /there is no run 'ghost'/],
    ['a snapshot whose sheet is another lab', (s) => s.saveSnapshot('saved', { sheet: handSheet('replication'), cluster: null, configs: [], takenAtMs: 1 }), /snapshot\.sheet\.id: the run is of lab 'first-topic', the sheet of lab 'replication'/],
    ['a snapshot whose sheet has other steps', (s) => s.saveSnapshot('saved', { sheet: handSheet('first-topic', 5), cluster: null, configs: [], takenAtMs: 1 }), /the run has 4 steps, the sheet 5/],
    ['a snapshot with a config of an unknown resource', (s) => s.saveSnapshot('saved', { sheet: handSheet(), cluster: null, configs: [{ resource: 'group', name: 'g', entries: [] } as never], takenAtMs: 1 }), /snapshot\.configs\.0\.resource/],
    ['a snapshot of a run not in the history', (s) => s.saveSnapshot('ghost', { sheet: handSheet(), cluster: null, configs: [], takenAtMs: 1 }), /there is no run 'ghost'/],
    ['a setting key with a space', (s) => s.setSetting('my key', 'x'), /a setting key is 1 to 64/],
    ['a run filter with an unknown outcome', (s) => s.listRuns({ outcome: 'lost' as never }), /filter\.outcome: one of running, passed, failed, abandoned/],
    ['a run filter limit of 0', (s) => s.listRuns({ limit: 0 }), /filter\.limit/],
  ];

  it.each(cases)('refuses %s with a specific error and changes nothing', async (_name, act, message) => {
    const { store, path } = await freshStore();
    try {
      await store.saveProgress(handProgress('saved', { stepIndex: 2 }), META);
      await store.appendEvents('saved', [timelineEntry(1, 1), timelineEntry(2, 2)]);
      await store.saveMetricSamples('saved', [{ key: { scope: 'partition', topic: 't', partition: 0, metric: 'logEndOffset' }, t: [1, 2], v: [1, 2] }]);
      await store.setSetting('participant', 'Ada');
      await store.saveSnapshot('saved', { sheet: handSheet(), cluster: null, configs: [{ resource: 'broker', name: '', entries: [{ name: 'min.insync.replicas', value: '1', source: 'DEFAULT_CONFIG' }] }], takenAtMs: 3 });
      const before = await dumpTables(path);
      const error = await act(store).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HistoryInputError);
      expect((error as Error).message).toMatch(message);
      expect((error as HistoryInputError).errorName).toBe('INVALID_REQUEST');
      expect(await dumpTables(path)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('refuses operations beyond the waiting bound instead of queueing without end', async () => {
    const { store } = await freshStore();
    try {
      await store.saveProgress(handProgress('q'), META);
      const calls = Array.from({ length: historyLimits.pendingOperationsMax + 5 }, () => store.loadProgress('q'));
      const results = await Promise.allSettled(calls);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(HistoryDbError);
      expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/operations waiting/);
    } finally {
      await store.close();
    }
  });
});

describe('schema versions', () => {
  it('refuses a database made by a newer app, naming both versions, and leaves it untouched', async () => {
    const path = join(scratchDir(), 'history.sqlite');
    const store = await HistoryStore.open(path);
    await store.saveProgress(handProgress('kept', { stepIndex: 1 }), META);
    await store.close();
    const db = await HistoryDb.open(path);
    await db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await db.close();
    const before = await dumpTables(path);
    const error = await HistoryStore.open(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HistorySchemaError);
    expect((error as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect((error as Error).message).toContain(`knows versions up to ${SCHEMA_VERSION}`);
    expect((error as HistorySchemaError).errorName).toBe('UNSUPPORTED_VERSION');
    expect(await dumpTables(path)).toEqual(before);
  });

  it('uses write-ahead logging, full sync and foreign keys', async () => {
    const path = join(scratchDir(), 'history.sqlite');
    const db = await HistoryDb.open(path);
    try {
      expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
      expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      await expect(db.transaction(async (tx) => {
        await tx.exec('CREATE TABLE t (x INTEGER)');
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(await db.get("SELECT name FROM sqlite_master WHERE name = 't'"), 'rolled back').toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
