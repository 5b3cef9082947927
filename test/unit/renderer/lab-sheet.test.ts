// @vitest-environment jsdom
/**
 * The lab sheet beside the views and the Labs view, against the fake engine with the real first
 * lab: the step's command and its "Run in console" button, checks ticking from "not checked yet"
 * to passed as the engine's evaluations arrive, the questions, Korean texts, safe Markdown, and the
 * lab list with each lab's progress.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { LabCatalogueDto, LabProgress, LabRunState, LabSheet } from '../../../engine/api/labs-dto';
import { loadLabText } from '../../../engine/labs/lab-loader';
import { newProgress } from '../../../engine/labs/lab-run';
import { sheetOf } from '../../../engine/labs/lab-sheet';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import LabSheetPanel from '../../../renderer/src/components/labs/LabSheetPanel.vue';
import { renderLabMarkdown } from '../../../renderer/src/domain/lab-markdown';
import { currentStepView } from '../../../renderer/src/domain/lab-run';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useConsoleStore } from '../../../renderer/src/stores/console-store';
import { usePreferencesStore } from '../../../renderer/src/stores/preferences-store';
import LabsView from '../../../renderer/src/views/LabsView.vue';
import { fakeEngine, type FakeEngine } from './fake-engine-api';

const LAB_FILE = resolve(import.meta.dirname, '..', '..', '..', 'labs', '01-first-topic.yaml');
const loaded = loadLabText('01-first-topic.yaml', readFileSync(LAB_FILE, 'utf8'));
if (!loaded.ok) throw new Error('the first lab must load');
const lab = loaded.lab;
const sheet: LabSheet = sheetOf(lab);
const T0 = 1_767_603_600_000;

let engine: FakeEngine;
let wrapper: VueWrapper | null = null;

function state(progress: LabProgress, rehearsing = false): LabRunState {
  return { progress, sheet, rehearsing };
}

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

let router: Router;

async function mountSheet(locale: 'en' | 'ko' = 'en'): Promise<VueWrapper> {
  usePreferencesStore().setLocale(locale);
  const blank = { template: '<div />' };
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'cluster', component: blank }, { path: '/console', name: 'console', component: blank }] });
  await router.push('/');
  wrapper = mount(LabSheetPanel, { global: { plugins: [createAppI18n(locale), router] } });
  const { useLabRunStore } = await import('../../../renderer/src/stores/lab-run-store');
  const { useWorkspaceStore } = await import('../../../renderer/src/stores/workspace-store');
  useLabRunStore().start();
  useWorkspaceStore().start();
  engine.emit('workspace', { kind: 'lab', epoch: 1, labId: 'first-topic', runId: 'r1' });
  engine.emit('labRun', state(newProgress(lab, 'r1', 1, T0)));
  await flushPromises();
  return wrapper;
}

describe('the lab sheet', () => {
  it('shows the current step: its command with a Run in console button, and checks not checked yet', async () => {
    const view = await mountSheet();
    expect(view.get('[data-testid="lab-step-of"]').text()).toBe('Step 1 of 5');
    expect(view.get('[data-testid="lab-step"]').attributes('data-step-id')).toBe('create-topic');
    expect(view.get('[data-testid="lab-command"]').text()).toBe('kafka-topics --bootstrap-server localhost:9092 --create --topic test --partitions 1 --replication-factor 1');
    expect(view.findAll('[data-testid="lab-check"]').map((c) => c.attributes('data-state'))).toEqual(['pending', 'pending']);
    expect(view.get('[data-testid="lab-workspace"]').text()).toContain('your own cluster is paused and untouched');

    engine.on('performLabAction', () => state(newProgress(lab, 'r1', 1, T0)));
    await view.get('[data-testid="lab-action-0"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'performLabAction').map((c) => c.request)).toEqual([{ stepId: 'create-topic', actionIndex: 0 }]);
    // The command shows in its Console tab, where the learner watches it run.
    expect(router.currentRoute.value.name).toBe('console');
    expect(useConsoleStore().activeSessionId).toBe('lab');
    expect(useConsoleStore().tabs.map((t) => t.title)).toContain('lab');
  });

  it('ticks each check as the engine reports it, with what the cluster shows now', async () => {
    const view = await mountSheet();
    const progress = newProgress(lab, 'r1', 1, T0);
    progress.steps[0]!.checks = [
      { check: 'topic-exists', passed: true, observed: 'topic test exists', expected: 'topic test exists', atMs: T0 + 1000 },
      { check: 'topic-partitions', passed: false, observed: 'partitions = 3', expected: 'test: partitions = 1', atMs: T0 + 1000 },
    ];
    engine.emit('labRun', state(progress));
    await flushPromises();
    const checks = view.findAll('[data-testid="lab-check"]');
    expect(checks.map((c) => c.attributes('data-state'))).toEqual(['passed', 'failing']);
    expect(checks[1]!.text()).toContain('test: partitions = 1');
    expect(checks[1]!.text()).toContain('Now: partitions = 3');
    expect(view.get('[data-testid="lab-next"]').text()).toContain('Skip this step');
  });

  it("a command's answer older than an event already shown does not take the sheet back a step", async () => {
    const view = await mountSheet();
    // The answer to the first step's last action was computed before that action's journal entry
    // and the step that passed after it, which reached the sheet first as events.
    const answered = newProgress(lab, 'r1', 1, T0);
    const passed: LabProgress = structuredClone(answered);
    const [first, second] = [lab.steps[0]!.id, lab.steps[1]!.id];
    passed.journal.push(
      { atMs: T0 + 2000, type: 'action', stepId: first, action: 'wait 10000 ms', outcome: 'ok', detail: '10000 ms of engine time passed' },
      { atMs: T0 + 2000, type: 'step', stepId: first, status: 'passed' },
      { atMs: T0 + 2000, type: 'step', stepId: second, status: 'active' },
    );
    passed.steps[0]!.status = 'passed';
    passed.steps[1]!.status = 'active';
    passed.stepIndex = 1;
    engine.emit('labRun', state(passed));
    await flushPromises();
    expect(view.get('[data-testid="lab-step"]').attributes('data-step-id')).toBe(second);
    engine.on('performLabAction', () => state(answered));
    await view.get('[data-testid="lab-action-0"]').trigger('click');
    await flushPromises();
    expect(view.get('[data-testid="lab-step"]').attributes('data-step-id')).toBe(second);
    // A new run (Start over) is never taken for an older one, whatever its journal.
    engine.emit('labRun', state(newProgress(lab, 'r2', 1, T0 + 5000)));
    await flushPromises();
    expect(view.get('[data-testid="lab-step"]').attributes('data-step-id')).toBe(first);
  });

  it('asks the questions of a step and sends the chosen answer', async () => {
    const view = await mountSheet();
    const progress = newProgress(lab, 'r1', 1, T0);
    progress.stepIndex = 3;
    progress.steps[0]!.status = 'passed';
    progress.steps[3]!.status = 'active';
    engine.emit('labRun', state(progress));
    await flushPromises();
    const question = view.get('[data-testid="lab-question-why-order"]');
    await question.get('input[value="one-partition"]').setValue(true);
    engine.on('answerLabQuestion', () => state(progress));
    await question.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'answerLabQuestion').map((c) => c.request)).toEqual([{ stepId: 'consume', questionId: 'why-order', answer: 'one-partition' }]);
    expect(view.findAll('[data-testid="lab-steps"] li').map((l) => l.attributes('data-status'))).toEqual(['passed', 'pending', 'pending', 'active', 'pending']);
  });

  it('reads in Korean', async () => {
    const view = await mountSheet('ko');
    expect(view.get('[data-testid="lab-step-of"]').text()).toBe('5단계 중 1단계');
    expect(view.text()).toContain('첫 번째 토픽');
    expect(view.get('[data-testid="lab-action-0"]').text()).toBe('콘솔에서 실행');
  });
});

describe('lab Markdown', () => {
  it('renders emphasis and code, never raw HTML or images', () => {
    expect(renderLabMarkdown('Open the **Console** and type `kafka-topics`')).toBe('<p>Open the <strong>Console</strong> and type <code>kafka-topics</code></p>\n');
    expect(renderLabMarkdown('<script>alert(1)</script>')).not.toContain('<script>');
    expect(renderLabMarkdown('![diagram](http://example.com/x.png)')).toBe('<p>diagram</p>\n');
    expect(renderLabMarkdown('[docs](https://kafka.apache.org)')).toContain('rel="noopener noreferrer"');
  });

  it('a step whose checks all passed but with a question open waits for the answer', () => {
    const progress = newProgress(lab, 'r1', 1, T0);
    progress.stepIndex = 3;
    progress.steps[3]!.checks = [{ check: 'console-output', passed: true, observed: 'x', expected: 'y', atMs: T0 }];
    const view = currentStepView(sheet, progress)!;
    expect(view.checksPassed).toBe(true);
    expect(view.unanswered).toEqual(['why-order']);
  });
});

describe('the Labs view', () => {
  it('lists the labs with their progress and starts one', async () => {
    const catalogue: LabCatalogueDto = {
      labs: [
        { id: 'first-topic', version: 1, title: lab.title, summary: lab.summary, estimatedMinutes: 15, stepsTotal: 5, seeds: ['001_b4ed1af62da2a282.txt'], lastRun: null },
        {
          id: 'second',
          version: 1,
          title: { en: 'Second', ko: '두 번째' },
          summary: { en: 'More', ko: '더' },
          estimatedMinutes: 20,
          stepsTotal: 4,
          seeds: ['000_ed731880341430c8.txt'],
          lastRun: { runId: 'r0', finished: false, stepIndex: 2, stepsPassed: 2, stepsTotal: 4, startedAtMs: T0, endedAtMs: null },
        },
      ],
      problems: [{ file: 'labs/15-broken.yaml', line: 3, column: 9, message: 'steps.0.checks.0.check: unknown check kind' }],
    };
    engine.on('labs', () => catalogue);
    engine.on('startLab', () => state(newProgress(lab, 'r2', 1, T0)));
    wrapper = mount(LabsView, { global: { plugins: [createAppI18n('en')] } });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="lab-progress"]').map((p) => p.text())).toEqual(['Not started', 'Step 3 of 4']);
    expect(wrapper.get('[data-testid="lab-problems"]').text()).toContain('labs/15-broken.yaml:3:9: steps.0.checks.0.check: unknown check kind');
    await wrapper.get('[data-testid="lab-start-first-topic"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'startLab').map((c) => c.request)).toEqual([{ labId: 'first-topic' }]);
  });
});
