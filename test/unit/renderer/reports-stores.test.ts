// @vitest-environment jsdom
/**
 * The Reports view's stores and helpers: the run history with its filters (a slow answer never
 * replaces a newer one), a run's report per language, an export saved under the engine's file name
 * with its bytes, a delete that closes the open report, the learner's name, the class summary's
 * file limits, and the outcome badges (an icon and a word for every outcome).
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExportedFile, RunHistory, RunRow } from '../../../engine/api/reports-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import RunHistoryTable from '../../../renderer/src/components/reports/RunHistoryTable.vue';
import { base64ToBytes, fileSizeText } from '../../../renderer/src/domain/downloads';
import { checkParticipant, outcomeLook, summaryFiles, timeSpentText } from '../../../renderer/src/domain/reports';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useInstructorSummaryStore } from '../../../renderer/src/stores/instructor-summary-store';
import { useParticipantStore } from '../../../renderer/src/stores/participant-store';
import { useRunHistoryStore } from '../../../renderer/src/stores/run-history-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

function run(runId: string, overrides: Partial<RunRow> = {}): RunRow {
  return {
    runId,
    labId: 'first-topic',
    labVersion: 1,
    labTitle: { en: 'First topic', ko: '첫 번째 토픽' },
    seed: 1,
    participant: 'Ada',
    appVersion: '0.1.0',
    startedAtMs: 1_767_225_600_000,
    endedAtMs: 1_767_225_600_000 + 725_000,
    outcome: 'passed',
    stepsPassed: 5,
    stepsTotal: 5,
    exports: [],
    ...overrides,
  };
}

const historyOf = (...runs: RunRow[]): RunHistory => ({ runs, labIds: ['first-topic'], participants: ['Ada'] });

describe('useRunHistoryStore', () => {
  it('filters by lab and participant, and drops an answer older than a later request', async () => {
    const answers: ((value: RunHistory) => void)[] = [];
    engine.on('runHistory', () => new Promise<RunHistory>((done) => answers.push(done)));
    const store = useRunHistoryStore();
    const first = store.refresh();
    const second = store.setFilters('first-topic', 'Ada');
    expect(engine.calls.map((c) => c.request)).toEqual([{}, { labId: 'first-topic', participant: 'Ada' }]);
    answers[1]!(historyOf(run('new')));
    await second;
    answers[0]!(historyOf(run('old')));
    await first;
    expect(store.history?.runs.map((r) => r.runId)).toEqual(['new']);
  });

  it('opens a report per language, exports it under its file name, and counts the export', async () => {
    engine.on('runHistory', () => historyOf(run('r1')));
    engine.on('reportPreview', (request) => ({ runId: 'r1', html: `<html lang="${(request as { locale: string }).locale}">` }));
    const file: ExportedFile = { fileName: 'kafka-lab-first-topic-r1.json', mimeType: 'application/json', contentBase64: btoa('{"kind":"kafka-lab-report"}'), sizeBytes: 27 };
    engine.on('exportReport', () => file);
    const store = useRunHistoryStore();
    await store.refresh();
    await store.open('r1', 'ko');
    expect(store.preview?.html).toBe('<html lang="ko">');
    await store.open('r1', 'ko');
    expect(engine.calls.filter((c) => c.name === 'reportPreview')).toHaveLength(1);
    await store.open('r1', 'en');
    expect(store.preview?.html).toBe('<html lang="en">');

    const saved: ExportedFile[] = [];
    await store.exportOpen('json', 'en', (f) => saved.push(f));
    expect(engine.calls.find((c) => c.name === 'exportReport')?.request).toEqual({ runId: 'r1', format: 'json', locale: 'en' });
    expect(saved).toEqual([file]);
    expect(new TextDecoder().decode(base64ToBytes(saved[0]!.contentBase64))).toBe('{"kind":"kafka-lab-report"}');
    expect(store.lastExport).toEqual({ fileName: 'kafka-lab-first-topic-r1.json', sizeBytes: 27 });
    // The list is read again after an export (it counts the files).
    expect(engine.calls.filter((c) => c.name === 'runHistory')).toHaveLength(2);
  });

  it("keeps the engine's refusal of an export, and closes the report of a deleted run", async () => {
    engine.on('runHistory', () => historyOf(run('r1')));
    engine.on('reportPreview', () => ({ runId: 'r1', html: '<html>' }));
    engine.on('exportReport', () => {
      throw refusal('INVALID_REQUEST', 'PDF printing is not available here; export HTML and print it from a browser.');
    });
    engine.on('deleteRun', (request) => request);
    const store = useRunHistoryStore();
    await store.open('r1', 'en');
    await store.exportOpen('pdf', 'en', () => undefined);
    expect(store.exportError?.message).toBe('PDF printing is not available here; export HTML and print it from a browser.');
    expect(store.exporting).toBeNull();
    await store.remove('r1');
    expect(store.openRunId).toBeNull();
    expect(store.preview).toBeNull();
  });
});

describe('useParticipantStore', () => {
  it('reads the name once given, and saves a new one', async () => {
    engine.on('participant', () => ({ participant: null }));
    engine.on('setParticipant', (request) => ({ participant: (request as { participant: string }).participant }));
    const store = useParticipantStore();
    expect(store.participant).toBeUndefined();
    expect(await store.load()).toBeNull();
    await store.save('Ada');
    expect(store.participant).toBe('Ada');
  });
});

describe('useInstructorSummaryStore', () => {
  it('reads at most the allowed files, leaves out the too large ones by name, and asks the engine for the table', async () => {
    engine.on('instructorSummary', (request) => ({ rows: (request as { files: unknown[] }).files.length, skipped: [], html: '<html>', csv: 'a' }));
    const store = useInstructorSummaryStore();
    const small = { name: 'ada.json', size: 10, text: () => Promise.resolve('{}') };
    const huge = { name: 'huge.json', size: 6 * 1024 * 1024, text: () => Promise.resolve('') };
    await store.make([small, huge], 'en');
    expect(engine.calls[0]?.request).toEqual({ files: [{ name: 'ada.json', text: '{}' }], locale: 'en' });
    expect(store.leftOut).toEqual({ tooMany: false, tooLarge: ['huge.json'] });
    expect(store.summary?.rows).toBe(1);
  });
});

describe('report helpers', () => {
  it('gives every outcome an icon and a tone (the word comes from the table)', () => {
    expect(outcomeLook('passed')).toEqual({ icon: 'check', badge: 'badge-success' });
    expect(outcomeLook('failed').icon).toBe('alert');
    expect(outcomeLook('abandoned').icon).toBe('cross');
    expect(outcomeLook('running').icon).toBe('play');
  });

  it('says how long a run took', () => {
    expect(timeSpentText(0, 45_000)).toBe('45 s');
    expect(timeSpentText(0, 725_000)).toBe('12 min 5 s');
    expect(timeSpentText(0, 3_780_000)).toBe('1 h 3 min');
    expect(timeSpentText(0, null)).toBeNull();
  });

  it('checks a name as the engine does', () => {
    expect(checkParticipant('  Ada  ')).toEqual({ ok: true, name: 'Ada' });
    expect(checkParticipant('   ')).toEqual({ ok: false, problem: 'required' });
    expect(checkParticipant('x'.repeat(81))).toEqual({ ok: false, problem: 'tooLong' });
  });

  it('keeps the first files of a choice too large, and sizes files in words', () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: `${i}.json`, size: i * 100 }));
    expect(summaryFiles(files, 3, 150)).toEqual({ read: [files[0], files[1]], tooLarge: ['2.json'], tooMany: true });
    expect(fileSizeText(900)).toBe('900 B');
    expect(fileSizeText(1536)).toBe('1.5 KiB');
    expect(fileSizeText(3 * 1024 * 1024)).toBe('3 MiB');
  });
});

describe('RunHistoryTable', () => {
  it('shows each outcome as a word beside its icon, in English and Korean', async () => {
    const runs = [run('a'), run('b', { outcome: 'failed', stepsPassed: 3 }), run('c', { outcome: 'abandoned', endedAtMs: null }), run('d', { outcome: 'running', endedAtMs: null })];
    for (const [locale, words] of [
      ['en', ['Passed', 'Not all passed', 'Closed early', 'In progress']],
      ['ko', ['통과', '일부 통과', '중간에 닫음', '진행 중']],
    ] as const) {
      const i18n = createAppI18n(locale);
      const wrapper = mount(RunHistoryTable, { props: { runs, openRunId: 'a' }, global: { plugins: [i18n] } });
      expect(wrapper.findAll('[data-testid="run-outcome"]').map((b) => b.text())).toEqual(words);
      expect(wrapper.findAll('[data-testid="run-outcome"] svg')).toHaveLength(4);
      // A running run cannot be deleted, and says why.
      const deletes = wrapper.findAll('[data-testid="run-delete"]');
      expect(deletes.map((d) => d.attributes('disabled') !== undefined)).toEqual([false, false, false, true]);
      wrapper.unmount();
    }
  });
});
