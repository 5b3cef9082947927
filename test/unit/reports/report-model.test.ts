/**
 * The report model from two real autopilot runs (rebalancing-round: rebalances and lag;
 * acks-and-durability: broker crashes, elections, acknowledged records lost), and the model's
 * refusal of bad sources with every problem named.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../engine/reports/report-model.js';
import { ReportSourceError, type ReportSource } from '../../../engine/reports/report-source.js';
import { LabReportSchema } from '../../../engine/reports/report-schema.js';
import { reportLimits } from '../../../engine/reports/report-limits.js';
import { autopilotSource, GENERATED_AT_MS, labById, META_EN, REPORT_LABS } from './report-fixtures.js';

describe('buildReport from autopilot runs', () => {
  for (const labId of REPORT_LABS) {
    it(`${labId}: every step, check, answer and the run's data`, async () => {
      const source = await autopilotSource(labId);
      const lab = labById(labId);
      const report = buildReport(source);

      expect(report.kind).toBe('kafka-lab-report');
      expect(report.schemaVersion).toBe(1);
      expect(report.generatedAtMs).toBe(GENERATED_AT_MS);
      expect(report.participant).toBe('Ada Lovelace');
      expect(report.lab).toMatchObject({ id: lab.id, version: lab.version, title: lab.title });
      expect(report.run.seed).toBe(1);
      expect(report.summary).toMatchObject({ stepsTotal: lab.steps.length, stepsPassed: lab.steps.length, stepsFailed: 0, finished: true });
      expect(report.summary.timeSpentMs).toBe(source.progress.endedAtMs! - source.progress.startedAtMs);
      expect(report.steps.map((s) => s.id)).toEqual(lab.steps.map((s) => s.id));

      report.steps.forEach((step, i) => {
        const labStep = lab.steps[i]!;
        expect(step.index).toBe(i);
        expect(step.title).toEqual(labStep.title);
        expect(step.instruction.en.length).toBeGreaterThan(10);
        expect(step.instruction.en.length).toBeLessThanOrEqual(reportLimits.instructionCharsMax);
        expect(step.instruction.ko).toMatch(/[\uac00-\ud7a3]/);
        expect(step.instruction.en).not.toMatch(/`|\*\*/);
        expect(step.status).toBe('passed');
        expect(step.timeSpentMs).toBe(step.endedAtMs! - step.startedAtMs!);
        expect(step.actions.length).toBeGreaterThanOrEqual(labStep.actions.length);
        expect(step.checks).toHaveLength(labStep.checks.length);
        for (const check of step.checks) {
          expect(check.passed).toBe(true);
          expect(check.observed).not.toBe('');
          expect(check.expected).not.toBe('');
        }
        expect(step.answers.map((a) => a.questionId)).toEqual(labStep.questions.map((q) => q.id));
        for (const answer of step.answers) {
          const question = labStep.questions.find((q) => q.id === answer.questionId)!;
          expect(answer.answer).toBe(question.expected ?? question.autopilotAnswer);
          if (question.choices !== undefined) {
            expect(answer.correct).toBe(true);
            expect(answer.answerText).toEqual(question.choices.find((c) => c.id === question.expected)!.text);
          }
        }
      });
      // A labelled button's words come with the action.
      const labelled = lab.steps.flatMap((s) => s.actions).filter((a) => a.label !== undefined).length;
      if (labelled > 0) expect(report.steps.flatMap((s) => s.actions).some((a) => a.label !== null)).toBe(true);

      expect(report.timeline.length).toBe(source.timeline.length);
      expect(report.series.length).toBe(source.series.length);
      expect(report.cluster?.brokers).toHaveLength(lab.setup.brokers);
      expect(report.cluster?.topics.find((t) => t.name === '__consumer_offsets')?.partitions ?? []).toEqual([]);
      expect(report.configs.some((c) => c.resource === 'topic')).toBe(true);
      expect(Object.values(report.truncated).every((n) => n === 0)).toBe(true);
      expect(LabReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
    }, 120_000);
  }

  it('rebalancing-round has rebalance windows and lag per partition', async () => {
    const report = buildReport(await autopilotSource('rebalancing-round'));
    const rebalances = report.timeline.filter((e) => e.kind === 'rebalance' && e.code === 'rebalance');
    expect(rebalances.length).toBeGreaterThanOrEqual(6);
    expect(rebalances.every((e) => e.endMs !== null && e.endMs >= e.atMs)).toBe(true);
    const lag = report.series.filter((s) => s.key.scope === 'group' && s.key.metric === 'lag');
    expect(lag.map((s) => (s.key.scope === 'group' ? s.key.partition : -1)).sort()).toEqual([0, 1, 2]);
  }, 120_000);

  it('acks-and-durability has faults, elections, lost records and the action that was refused', async () => {
    const report = buildReport(await autopilotSource('acks-and-durability'));
    const kinds = new Set(report.timeline.map((e) => e.kind));
    for (const kind of ['fault', 'election', 'data-loss', 'broker', 'isr']) expect(kinds).toContain(kind);
    expect(report.summary.actionErrors).toContain('NOT_ENOUGH_REPLICAS');
    expect(report.steps.flatMap((s) => s.actions).some((a) => a.outcome === 'NOT_ENOUGH_REPLICAS')).toBe(true);
    expect(report.configs.find((c) => c.name === 'payments')?.entries).toContainEqual(expect.objectContaining({ name: 'min.insync.replicas', value: '3' }));
  }, 120_000);

  it('is pure: the same source gives the same bytes, and the source is not changed', async () => {
    const source = await autopilotSource('rebalancing-round');
    const before = JSON.stringify(source);
    const a = JSON.stringify(buildReport(source));
    const b = JSON.stringify(buildReport(structuredClone(source)));
    expect(a).toBe(b);
    expect(JSON.stringify(source)).toBe(before);
  }, 120_000);

  it('an unfinished run counts time to its last journal entry and marks open steps', async () => {
    const source = await autopilotSource('rebalancing-round');
    const progress = structuredClone(source.progress);
    progress.endedAtMs = null;
    progress.stepIndex = 2;
    progress.steps[2]!.status = 'active';
    progress.steps[2]!.endedAtMs = null;
    for (const step of progress.steps.slice(3)) Object.assign(step, { status: 'pending', startedAtMs: null, endedAtMs: null, checks: [], answers: {} });
    const report = buildReport({ ...source, progress });
    expect(report.summary.finished).toBe(false);
    expect(report.summary.stepsPassed).toBe(2);
    expect(report.steps[3]!.timeSpentMs).toBeNull();
    expect(report.steps[2]!.timeSpentMs).toBeGreaterThanOrEqual(0);
    expect(report.summary.timeSpentMs).toBe(progress.journal[progress.journal.length - 1]!.atMs - progress.startedAtMs);
  }, 120_000);

  it('keeps within its bounds and counts what it left out', async () => {
    const source = await autopilotSource('rebalancing-round');
    const many = Array.from({ length: reportLimits.timelineEntriesMax + 5 }, (_, i) => ({ ...source.timeline[0]!, id: i + 1 }));
    const series = source.series[0]!;
    const long = { key: series.key, t: Array.from({ length: reportLimits.pointsPerSeriesMax + 7 }, (_, i) => i * 1000), v: Array.from({ length: reportLimits.pointsPerSeriesMax + 7 }, () => 1) };
    const report = buildReport({ ...source, timeline: many, series: [long] });
    expect(report.timeline).toHaveLength(reportLimits.timelineEntriesMax);
    expect(report.truncated.timelineEntries).toBe(5);
    expect(report.series[0]!.t).toHaveLength(reportLimits.pointsPerSeriesMax);
    expect(report.series[0]!.t[0]).toBe(7000);
    expect(report.truncated.seriesPoints).toBe(7);
  }, 120_000);
});

describe('a bad source is refused with each problem named', () => {
  async function problemsOf(change: (source: ReportSource) => ReportSource): Promise<string> {
    const source = change(await autopilotSource('rebalancing-round'));
    try {
      buildReport(source);
    } catch (error) {
      expect(error).toBeInstanceOf(ReportSourceError);
      return (error as Error).message;
    }
    throw new Error('the source was accepted');
  }

  it.each<[string, (s: ReportSource) => ReportSource, RegExp]>([
    ['another lab', (s) => ({ ...s, sheet: { ...s.sheet, id: 'first-topic' } }), /run is of lab 'rebalancing-round' but the sheet is lab 'first-topic'/],
    ['fewer steps', (s) => ({ ...s, sheet: { ...s.sheet, steps: s.sheet.steps.slice(1) } }), /the run has 6 steps but the sheet has 5/],
    ['a series with a value missing', (s) => ({ ...s, series: [{ ...s.series[0]!, v: s.series[0]!.v.slice(1) }] }), /series\.0: \d+ instants but \d+ values/],
    ['a series going back in time', (s) => ({ ...s, series: [{ ...s.series[0]!, t: [...s.series[0]!.t].reverse() }] }), /instants go back in time/],
    ['a locale the UI does not have', (s) => ({ ...s, meta: { ...s.meta, locale: 'fr' as 'en' } }), /meta\.locale/],
    ['no app version', (s) => ({ ...s, meta: { ...s.meta, appVersion: '' } }), /the app version is empty/],
    ['a foreign field', (s) => ({ ...s, extra: 1 }) as ReportSource, /Unrecognized key/],
    ['a timeline entry of an unknown kind', (s) => ({ ...s, timeline: [{ ...s.timeline[0]!, kind: 'weather' as 'fault' }] }), /timeline\.0\.kind/],
  ])('%s', async (_name, change, expected) => {
    expect(await problemsOf(change)).toMatch(expected);
  }, 120_000);

  it('a meta without a participant is still a report (the name shows as not given)', async () => {
    const report = buildReport(await autopilotSource('rebalancing-round', { ...META_EN, participant: '  ' }));
    expect(report.participant).toBe('');
  }, 120_000);
});
