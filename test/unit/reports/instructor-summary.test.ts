/**
 * The instructor summary over a class: 30 JSON reports made from two real autopilot runs (each
 * participant with their own results: failed steps, other answers, other times) and 2 broken files
 * (one not JSON, one foreign JSON). The tables must say exactly what each report says, and the
 * broken files must be named with their reason. Written to test-results/reports/ to look at.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReportFile, renderClassCsv, renderClassHtml, renderSkippedCsv, summarizeReports, type SummaryInputFile } from '../../../engine/reports/instructor-summary.js';
import { parseCsv } from '../../../engine/reports/report-csv.js';
import { buildReport } from '../../../engine/reports/report-model.js';
import type { LabReport } from '../../../engine/reports/report-schema.js';
import type { ReportSource } from '../../../engine/reports/report-source.js';
import { externalReferences, htmlProblems } from './html-checks.js';
import { autopilotSource, GENERATED_AT_MS, META_EN, outDir } from './report-fixtures.js';

/** What participant i did, by design, so the expected table is known. */
interface Plan {
  readonly participant: string;
  readonly labId: 'rebalancing-round' | 'acks-and-durability';
  /** Step indexes that failed. */
  readonly failed: readonly number[];
  /** The first question answered with another choice. */
  readonly wrongAnswer: boolean;
  /** Extra engine ms the run took. */
  readonly extraMs: number;
}

const WRONG: Record<Plan['labId'], string> = { 'rebalancing-round': 'four', 'acks-and-durability': 'ordering' };

function plans(): Plan[] {
  return Array.from({ length: 30 }, (_, i) => ({
    participant: `Student ${String(30 - i).padStart(2, '0')}`,
    labId: i % 3 === 2 ? 'acks-and-durability' : 'rebalancing-round',
    failed: i % 4 === 1 ? [1] : i % 7 === 3 ? [0, 5] : [],
    wrongAnswer: i % 5 === 0,
    extraMs: i * 1_000,
  }));
}

function sourceOf(base: ReportSource, plan: Plan): ReportSource {
  const progress = structuredClone(base.progress);
  for (const index of plan.failed) {
    const step = progress.steps[index]!;
    step.status = 'failed';
    step.checks = step.checks.map((c, ci) => (ci === 0 ? { ...c, passed: false, observed: 'not yet' } : c));
  }
  if (plan.wrongAnswer) {
    const step = progress.steps.find((s) => Object.keys(s.answers).length > 0)!;
    const questionId = Object.keys(step.answers)[0]!;
    step.answers[questionId] = WRONG[plan.labId];
  }
  progress.endedAtMs = progress.endedAtMs! + plan.extraMs;
  progress.runId = `run-${plan.participant.replace(' ', '-').toLowerCase()}`;
  return { ...base, progress, meta: { ...META_EN, participant: plan.participant } };
}

async function classFiles(): Promise<{ files: SummaryInputFile[]; reports: Map<string, LabReport> }> {
  const bases = { 'rebalancing-round': await autopilotSource('rebalancing-round'), 'acks-and-durability': await autopilotSource('acks-and-durability') };
  const files: SummaryInputFile[] = [];
  const reports = new Map<string, LabReport>();
  for (const plan of plans()) {
    const report = buildReport(sourceOf(bases[plan.labId], plan));
    reports.set(plan.participant, report);
    files.push({ name: `${plan.participant.replace(' ', '_')}.json`, text: JSON.stringify(report) });
  }
  files.splice(7, 0, { name: 'notes.txt', text: 'Remember to bring the slides.\n' });
  files.splice(19, 0, { name: 'package.json', text: JSON.stringify({ name: 'kafka-lab-workbench', version: '0.1.0' }) });
  return { files, reports };
}

describe('the instructor summary', () => {
  it('30 reports and 2 broken files: the right tables, the broken files named with their reason', async () => {
    const { files, reports } = await classFiles();
    expect(files).toHaveLength(32);
    const summary = summarizeReports(files);

    expect(summary.reportsRead).toBe(30);
    expect(summary.skipped).toEqual([
      { file: 'notes.txt', reason: expect.stringMatching(/^not JSON: /) },
      { file: 'package.json', reason: expect.stringMatching(/^not a Kafka Lab report: no "kind"/) },
    ]);

    const expected = plans();
    expect(summary.tables.map((t) => t.labId)).toEqual(['acks-and-durability', 'rebalancing-round']);
    for (const table of summary.tables) {
      const ofLab = expected.filter((p) => p.labId === table.labId).sort((a, b) => (a.participant < b.participant ? -1 : 1));
      expect(table.rows.map((r) => r.participant)).toEqual(ofLab.map((p) => p.participant));
      expect(table.steps).toHaveLength(6);
      for (const [i, row] of table.rows.entries()) {
        const plan = ofLab[i]!;
        const report = reports.get(plan.participant)!;
        expect(row.file).toBe(`${plan.participant.replace(' ', '_')}.json`);
        expect(row.stepsTotal).toBe(6);
        expect(row.stepsPassed).toBe(6 - plan.failed.length);
        expect(row.steps.map((c) => c.status)).toEqual(table.steps.map((_, si) => (plan.failed.includes(si) ? 'failed' : 'passed')));
        expect(row.steps.map((c) => c.timeSpentMs)).toEqual(report.steps.map((s) => s.timeSpentMs));
        expect(row.timeSpentMs).toBe(report.summary.timeSpentMs);
        expect(row.answers).toHaveLength(table.questions.length);
        expect(row.answers[0]).toEqual(plan.wrongAnswer ? { answer: WRONG[plan.labId], correct: false } : { answer: expect.any(String), correct: true });
        expect(row.answersCorrect).toBe(table.questions.length - (plan.wrongAnswer ? 1 : 0));
      }
    }

    // CSV: one per lab, a header and a row per participant, cells as the table says.
    for (const table of summary.tables) {
      const csv = renderClassCsv(table);
      writeFileSync(join(outDir(), `class.${table.labId}.csv`), csv);
      const records = parseCsv(csv);
      const header = records[0]!;
      expect(header.slice(0, 4)).toEqual(['lab_id', 'lab_version', 'participant', 'file']);
      expect(records).toHaveLength(table.rows.length + 1);
      const col = (name: string): number => header.indexOf(name);
      for (const [i, row] of table.rows.entries()) {
        const record = records[i + 1]!;
        expect(record[col('participant')]).toBe(row.participant);
        expect(Number(record[col('steps_passed')])).toBe(row.stepsPassed);
        expect(Number(record[col('time_spent_ms')])).toBe(row.timeSpentMs);
        expect(record[col(`step_2_${table.steps[1]!.id}_status`)]).toBe(row.steps[1]!.status);
        expect(record[col(`answer_${table.questions[0]!.stepId}_${table.questions[0]!.questionId}`)]).toBe(row.answers[0]!.answer);
      }
    }
    expect(parseCsv(renderSkippedCsv(summary))).toEqual([
      ['file', 'reason'],
      ['notes.txt', summary.skipped[0]!.reason],
      ['package.json', summary.skipped[1]!.reason],
    ]);

    // HTML: valid, self-contained, every participant and both broken files in it.
    for (const locale of ['en', 'ko'] as const) {
      const html = renderClassHtml(summary, locale, GENERATED_AT_MS);
      writeFileSync(join(outDir(), `class.${locale}.html`), html);
      expect(htmlProblems(html)).toEqual([]);
      expect(externalReferences(html)).toEqual([]);
      for (const plan of expected) expect(html).toContain(plan.participant);
      expect(html).toContain('notes.txt');
      expect(html).toContain('package.json');
      expect(html).toContain(locale === 'ko' ? '건너뛴 파일' : 'Files skipped');
    }
  }, 180_000);

  it('names the reason for every other kind of bad file', async () => {
    const report = buildReport(await autopilotSource('rebalancing-round'));
    const good = JSON.stringify(report);
    const cases: [string, string, RegExp][] = [
      ['empty.json', '  \n', /^empty file$/],
      ['array.json', '[1,2]', /the JSON is not an object/],
      ['other-kind.json', JSON.stringify({ kind: 'kafka-lab-sheet' }), /"kind": "kafka-lab-sheet"/],
      ['v2.json', JSON.stringify({ ...report, schemaVersion: 2 }), /schema version 2 is not supported \(this version reads 1\)/],
      ['cut.json', good.slice(0, good.length / 2), /^not JSON/],
      ['damaged.json', JSON.stringify({ ...report, summary: { ...report.summary, stepsPassed: -1 } }), /does not match the report schema: summary\.stepsPassed/],
    ];
    const summary = summarizeReports([{ name: 'ok.json', text: good }, ...cases.map(([name, text]) => ({ name, text })), { name: 'copy.json', text: good }]);
    expect(summary.reportsRead).toBe(1);
    expect(summary.skipped.map((s) => s.file)).toEqual([...cases.map(([name]) => name), 'copy.json']);
    cases.forEach(([, , why], i) => expect(summary.skipped[i]!.reason).toMatch(why));
    expect(summary.skipped[summary.skipped.length - 1]!.reason).toBe('the same report as ok.json');
    expect(readReportFile({ name: 'ok.json', text: good }).ok).toBe(true);
  }, 120_000);

  it('no reports at all: an empty class page that still lists what was skipped', () => {
    const summary = summarizeReports([{ name: 'a.txt', text: 'x' }]);
    expect(summary.tables).toEqual([]);
    const html = renderClassHtml(summary, 'en', GENERATED_AT_MS);
    expect(htmlProblems(html)).toEqual([]);
    expect(html).toContain('a.txt');
  });
});
