/**
 * The instructor's class summary: many JSON reports in, one table per lab out — a row per
 * participant's run, a column per step (status and time spent) and per question (the answer) —
 * as CSV (RFC 4180, one file per lab) and as one HTML page (all labs, and the files skipped).
 *
 * Every file is checked before it counts: size, JSON, the `kind` marker, the schema version, the
 * full schema. A bad or foreign file is skipped and listed with its name and the reason; a second
 * report of the same run (same run id, participant and generation time) is skipped as a duplicate.
 * Nothing in a file is trusted: every text is escaped in the HTML and guarded in the CSV.
 *
 * Order is deterministic: labs by id then version, rows by participant then run id then file name
 * (code-point order, so the same files give the same bytes on every machine).
 */
import { csvText } from './report-csv.js';
import { localized, t } from './report-i18n.js';
import { reportLimits } from './report-limits.js';
import { LabReportSchema, REPORT_KIND, REPORT_SCHEMA_VERSION, type LabReport, type ReportLocale, type ReportStep, type ReportText } from './report-schema.js';
import { clip, escapeHtml as e, formatDuration, formatUtc, inlineHtml } from './report-text.js';

export interface SummaryInputFile {
  /** The file's name as the instructor knows it (shown when it is skipped). */
  readonly name: string;
  readonly text: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface ClassStepCell {
  readonly status: ReportStep['status'] | 'missing';
  readonly timeSpentMs: number | null;
}

export interface ClassAnswerCell {
  readonly answer: string | null;
  readonly correct: boolean | null;
}

export interface ClassRow {
  readonly file: string;
  readonly participant: string;
  readonly runId: string;
  readonly seed: number;
  readonly generatedAtMs: number;
  readonly stepsPassed: number;
  readonly stepsTotal: number;
  readonly timeSpentMs: number;
  readonly answersCorrect: number;
  /** One cell per column of `ClassTable.steps`. */
  readonly steps: readonly ClassStepCell[];
  /** One cell per column of `ClassTable.questions`. */
  readonly answers: readonly ClassAnswerCell[];
}

export interface ClassTable {
  readonly labId: string;
  readonly labVersion: number;
  readonly title: ReportText;
  readonly steps: readonly { readonly id: string; readonly title: ReportText }[];
  readonly questions: readonly { readonly stepId: string; readonly questionId: string; readonly prompt: ReportText }[];
  readonly rows: readonly ClassRow[];
}

export interface ClassSummary {
  readonly tables: readonly ClassTable[];
  readonly skipped: readonly SkippedFile[];
  /** Reports that made it into a table. */
  readonly reportsRead: number;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Checks one file; the report, or why it is skipped. */
export function readReportFile(file: SummaryInputFile): { ok: true; report: LabReport } | { ok: false; reason: string } {
  const bytes = Buffer.byteLength(file.text, 'utf8');
  if (bytes > reportLimits.summaryReportBytesMax) return { ok: false, reason: `larger than ${reportLimits.summaryReportBytesMax} bytes (${bytes})` };
  if (file.text.trim() === '') return { ok: false, reason: 'empty file' };
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${clip((error as Error).message, 160)}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'not a Kafka Lab report: the JSON is not an object' };
  const record = json as Record<string, unknown>;
  if (record['kind'] !== REPORT_KIND) {
    const kind = typeof record['kind'] === 'string' ? `"kind": "${clip(record['kind'], 60)}"` : 'no "kind"';
    return { ok: false, reason: `not a Kafka Lab report: ${kind} (a report has "kind": "${REPORT_KIND}")` };
  }
  if (record['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    return { ok: false, reason: `report schema version ${clip(JSON.stringify(record['schemaVersion']) ?? 'missing', 40)} is not supported (this version reads ${REPORT_SCHEMA_VERSION})` };
  }
  const parsed = LabReportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(report)'}: ${i.message}`);
    return { ok: false, reason: `does not match the report schema: ${clip(issues.join('; '), 400)}` };
  }
  return { ok: true, report: parsed.data };
}

/** Reads every file (at most summaryReportsMax; the rest are skipped as too many) into tables. */
export function summarizeReports(files: readonly SummaryInputFile[]): ClassSummary {
  const skipped: SkippedFile[] = [];
  const accepted: { file: string; report: LabReport }[] = [];
  const seen = new Map<string, string>();
  files.forEach((file, index) => {
    const name = clip(file.name, reportLimits.fileNameCharsMax);
    if (index >= reportLimits.summaryReportsMax) {
      skipped.push({ file: name, reason: `more than ${reportLimits.summaryReportsMax} files at once` });
      return;
    }
    const read = readReportFile(file);
    if (!read.ok) {
      skipped.push({ file: name, reason: read.reason });
      return;
    }
    const identity = JSON.stringify([read.report.lab.id, read.report.run.runId, read.report.participant, read.report.generatedAtMs]);
    const first = seen.get(identity);
    if (first !== undefined) {
      skipped.push({ file: name, reason: `the same report as ${first}` });
      return;
    }
    seen.set(identity, name);
    accepted.push({ file: name, report: read.report });
  });

  const byLab = new Map<string, { file: string; report: LabReport }[]>();
  for (const item of accepted) {
    const key = `${item.report.lab.id}\u0000${String(item.report.lab.version).padStart(6, '0')}`;
    const list = byLab.get(key) ?? [];
    list.push(item);
    byLab.set(key, list);
  }
  const tables = [...byLab.keys()].sort(compare).map((key) => tableOf(byLab.get(key)!));
  return { tables, skipped, reportsRead: accepted.length };
}

function tableOf(items: readonly { file: string; report: LabReport }[]): ClassTable {
  const sorted = [...items].sort((a, b) => compare(a.report.participant, b.report.participant) || compare(a.report.run.runId, b.report.run.runId) || compare(a.file, b.file));
  const first = sorted[0]!.report;
  // Columns: the steps and questions of the lab, in the order of the first report (same lab and version).
  const steps = first.steps.map((s) => ({ id: s.id, title: s.title }));
  const questions = first.steps.flatMap((s) => s.answers.map((a) => ({ stepId: s.id, questionId: a.questionId, prompt: a.prompt })));
  const rows: ClassRow[] = sorted.map(({ file, report }) => {
    const stepById = new Map(report.steps.map((s) => [s.id, s]));
    return {
      file,
      participant: report.participant,
      runId: report.run.runId,
      seed: report.run.seed,
      generatedAtMs: report.generatedAtMs,
      stepsPassed: report.summary.stepsPassed,
      stepsTotal: report.summary.stepsTotal,
      timeSpentMs: report.summary.timeSpentMs,
      answersCorrect: report.summary.answersCorrect,
      steps: steps.map((column) => {
        const step = stepById.get(column.id);
        return step === undefined ? { status: 'missing' as const, timeSpentMs: null } : { status: step.status, timeSpentMs: step.timeSpentMs };
      }),
      answers: questions.map((column) => {
        const answer = stepById.get(column.stepId)?.answers.find((a) => a.questionId === column.questionId);
        return { answer: answer?.answer ?? null, correct: answer?.correct ?? null };
      }),
    };
  });
  return { labId: first.lab.id, labVersion: first.lab.version, title: first.lab.title, steps, questions, rows };
}

/** One lab's table as CSV: a row per run, columns per step (status, time) and per question. */
export function renderClassCsv(table: ClassTable): string {
  const header: string[] = ['lab_id', 'lab_version', 'participant', 'file', 'run_id', 'seed', 'steps_passed', 'steps_total', 'time_spent_ms', 'answers_correct'];
  table.steps.forEach((step, i) => header.push(`step_${i + 1}_${step.id}_status`, `step_${i + 1}_${step.id}_time_ms`));
  for (const q of table.questions) header.push(`answer_${q.stepId}_${q.questionId}`);
  const rows: (string | number | null)[][] = [header];
  for (const row of table.rows) {
    const record: (string | number | null)[] = [table.labId, table.labVersion, row.participant, row.file, row.runId, row.seed, row.stepsPassed, row.stepsTotal, row.timeSpentMs, row.answersCorrect];
    for (const cell of row.steps) record.push(cell.status, cell.timeSpentMs);
    for (const cell of row.answers) record.push(cell.answer);
    rows.push(record);
  }
  return csvText(rows);
}

/** Every lab's table as CSV, one section per lab (each with its own header row), a blank line between. */
export function renderClassesCsv(tables: readonly ClassTable[]): string {
  return tables.map((table) => renderClassCsv(table)).join('\r\n');
}

/** The files skipped, as CSV (file, reason). */
export function renderSkippedCsv(summary: ClassSummary): string {
  return csvText([['file', 'reason'], ...summary.skipped.map((s) => [s.file, s.reason])]);
}

const CLASS_CSS = `
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 10mm 6mm; color: #1b1f24; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", sans-serif; font-size: 10pt; line-height: 1.35; }
html[lang="ko"] body { word-break: keep-all; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 1.2rem 0 .4rem; border-bottom: 2px solid #1b1f24; break-after: avoid-page; }
h3 { font-size: 1.05rem; margin: .8rem 0 .3rem; break-after: avoid-page; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; font-size: .85rem; }
th, td { border: 1px solid #c3cad2; padding: .15rem .3rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.who { white-space: nowrap; }
.passed, .ok { color: #1d6b33; }
.failed, .bad { color: #a61b1b; }
.muted, .skipped, .pending, .active, .missing { color: #56606b; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
@page { size: A4 landscape; margin: 10mm; }
`;

const CELL_SYMBOL: Readonly<Record<ClassStepCell['status'], string>> = { passed: '✓', failed: '✗', skipped: '–', pending: '○', active: '…', missing: '?' };

/** All tables and the skipped files as one self-contained HTML page (same rules as the report: no script, nothing external). */
export function renderClassHtml(summary: ClassSummary, locale: ReportLocale, generatedAtMs: number): string {
  const L = locale;
  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${L}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${e(t(L, 'classSummaryTitle'))}</title>`,
    `<style>${CLASS_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(t(L, 'classSummaryTitle'))}</h1>`,
    `<p class="muted">${e(t(L, 'reportsRead', { count: summary.reportsRead }))} · ${e(formatUtc(generatedAtMs))}</p>`,
  ];
  summary.tables.forEach((table, ti) => {
    parts.push(`<section id="lab-${ti + 1}">`, `<h2>${e(t(L, 'classSummaryLab', { lab: localized(table.title, L) }))} <code>${e(table.labId)}</code> v${table.labVersion}</h2>`);
    parts.push(`<h3>${e(t(L, 'steps'))}</h3>`, '<table><thead><tr>', `<th>${e(t(L, 'participant'))}</th><th class="num">${e(t(L, 'stepsPassedShort'))}</th><th class="num">${e(t(L, 'timeSpent'))}</th>`);
    table.steps.forEach((step, i) => parts.push(`<th title="${e(step.id)}">${i + 1}. ${inlineHtml(localized(step.title, L))}</th>`));
    parts.push('</tr></thead><tbody>');
    for (const row of table.rows) {
      parts.push(`<tr><td class="who">${e(row.participant === '' ? t(L, 'noParticipant') : row.participant)}</td><td class="num">${row.stepsPassed} / ${row.stepsTotal}</td><td class="num">${e(formatDuration(row.timeSpentMs))}</td>`);
      for (const cell of row.steps) {
        const label = cell.status === 'missing' ? '?' : t(L, `status.${cell.status}`);
        const time = cell.timeSpentMs === null ? '' : ` <span class="muted">${e(formatDuration(cell.timeSpentMs))}</span>`;
        parts.push(`<td class="${cell.status}">${CELL_SYMBOL[cell.status]} ${e(label)}${time}</td>`);
      }
      parts.push('</tr>');
    }
    parts.push('</tbody></table>');
    if (table.questions.length > 0) {
      parts.push(`<h3>${e(t(L, 'answers'))}</h3>`, '<table><thead><tr>', `<th>${e(t(L, 'participant'))}</th>`);
      for (const q of table.questions) parts.push(`<th title="${e(`${q.stepId}/${q.questionId}`)}">${e(clip(localized(q.prompt, L), 80))}</th>`);
      parts.push('</tr></thead><tbody>');
      for (const row of table.rows) {
        parts.push(`<tr><td class="who">${e(row.participant === '' ? t(L, 'noParticipant') : row.participant)}</td>`);
        for (const cell of row.answers) {
          if (cell.answer === null) parts.push(`<td class="muted">${e(t(L, 'notAnswered'))}</td>`);
          else {
            const mark = cell.correct === null ? '' : cell.correct ? '✓ ' : '✗ ';
            parts.push(`<td${cell.correct === null ? '' : cell.correct ? ' class="ok"' : ' class="bad"'}>${mark}${e(clip(cell.answer, 200))}</td>`);
          }
        }
        parts.push('</tr>');
      }
      parts.push('</tbody></table>');
    }
    parts.push('</section>');
  });
  parts.push('<section id="skipped">', `<h2>${e(t(L, 'filesSkipped'))}</h2>`);
  if (summary.skipped.length === 0) parts.push(`<p class="muted">${e(t(L, 'noFilesSkipped'))}</p>`);
  else {
    parts.push(`<table><thead><tr><th>${e(t(L, 'file'))}</th><th>${e(t(L, 'reason'))}</th></tr></thead><tbody>`);
    for (const s of summary.skipped) parts.push(`<tr><td><code>${e(s.file)}</code></td><td>${e(s.reason)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  parts.push('</section>', '</body>', '</html>', '');
  return parts.join('\n');
}
