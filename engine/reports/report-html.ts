/**
 * The report as one self-contained HTML5 file, in the report's language (`report.locale`):
 * inline <style> (screen and print: A4 pages, sections that start a page, rows and figures kept
 * whole), charts as inline SVG (report-svg.ts), no <script>, and no reference to anything outside
 * the file: no src, no href but in-page #fragments, no url() but in-page #ids. A Content Security
 * Policy meta tag forbids any load as a second guard. Every text from the report is escaped.
 *
 * The same HTML feeds the PDF: Chromium's --print-to-pdf in the CLI (report-pdf.ts), and Electron's
 * webContents.printToPDF in the desktop app with `REPORT_PDF_OPTIONS`.
 */
import type { LabReport, ReportLocale, ReportSeries, ReportStep, ReportTimelineEntry } from './report-schema.js';
import { LabReportSchema } from './report-schema.js';
import { reportLimits } from './report-limits.js';
import { localized, t, tOr } from './report-i18n.js';
import { renderLineChart, type ChartLine, type ChartMarker, type ChartWindow } from './report-svg.js';
import { clip, escapeHtml as e, formatDuration, formatOffset, formatUtc, inlineHtml } from './report-text.js';

/** Page options for Electron's webContents.printToPDF (and what the CLI's Chromium uses via CSS @page). */
export const REPORT_PDF_OPTIONS = {
  pageSize: 'A4',
  printBackground: true,
  landscape: false,
  /** The report's own CSS (@page) sets the margins. */
  preferCSSPageSize: true,
  displayHeaderFooter: false,
} as const;

/** Timeline kinds drawn as numbered markers on the charts. */
const MARKER_KINDS = new Set(['fault', 'election', 'data-loss', 'controller']);

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { font-size: 10.5pt; }
body { margin: 0 auto; max-width: 190mm; padding: 12mm 6mm; color: #1b1f24; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", "NanumBarunGothic", sans-serif; line-height: 1.4; }
html[lang="ko"] body { word-break: keep-all; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 1.4rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid #1b1f24; break-after: avoid-page; }
h3 { font-size: 1.1rem; margin: 1rem 0 .3rem; break-after: avoid-page; }
h4 { font-size: .95rem; margin: .7rem 0 .25rem; color: #38424c; break-after: avoid-page; }
p { margin: .3rem 0; }
.subtitle { font-size: 1.15rem; margin: 0 0 .8rem; color: #38424c; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: .3rem 0 .6rem; font-size: .9rem; }
th, td { border: 1px solid #c3cad2; padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td code, td .muted { overflow-wrap: anywhere; }
th { background: #eef1f4; font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
code, .code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "NanumGothicCoding", monospace; font-size: .92em; }
th.verdict, td.verdict, th.tight, td.tight { white-space: nowrap; width: 1%; }
.muted { color: #56606b; font-size: .85rem; }
.status { display: inline-block; padding: 0 .35rem; border: 1px solid currentColor; border-radius: 3px; font-weight: 600; white-space: nowrap; }
.status-passed, .ok { color: #1d6b33; }
.status-failed, .bad { color: #a61b1b; }
.status-skipped, .status-pending, .status-active { color: #56606b; }
.step { border-top: 1px solid #c3cad2; padding-top: .2rem; }
.instruction { margin: .2rem 0 .4rem; padding: .3rem .5rem; background: #f5f7f9; border-left: 3px solid #8a949e; }
figure { margin: .6rem 0 1rem; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
svg .tick { font-size: 9px; fill: #38424c; }
svg .axis { font-size: 10px; fill: #1b1f24; }
svg .line-label { font-size: 9.5px; font-weight: 600; }
svg .legend { font-size: 9.5px; fill: #1b1f24; }
svg .marker-label { font-size: 9px; font-weight: 700; }
ol.markers { margin: .2rem 0 0; padding-left: 0; list-style: none; font-size: .85rem; }
ol.markers li { margin: .05rem 0; }
.marker-no { display: inline-block; min-width: 1.5rem; font-weight: 700; }
.legend-note { font-size: .85rem; color: #38424c; }
.sev-error { color: #a61b1b; font-weight: 600; }
.sev-warn { color: #8a5a00; }
footer { margin-top: 1.5rem; border-top: 1px solid #c3cad2; padding-top: .4rem; }
.page-start { break-before: page; }
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The report as an HTML5 document (UTF-8 text). Validates the report first (a foreign object is refused). */
export function renderReportHtml(input: LabReport): string {
  const report = LabReportSchema.parse(input);
  const L = report.locale;
  const title = `${t(L, 'reportTitle')} — ${localized(report.lab.title, L)}`;
  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${L}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="Kafka Lab Workbench ${e(report.appVersion)}">`,
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(report),
    summary(report),
    steps(report),
    charts(report),
    timeline(report),
    finalState(report),
    configs(report),
    footer(report),
    '</body>',
    '</html>',
    '',
  ];
  return parts.join('\n');
}

function header(report: LabReport): string {
  const L = report.locale;
  const participant = report.participant === '' ? t(L, 'noParticipant') : report.participant;
  return [
    '<header id="top">',
    `<h1>${e(t(L, 'reportTitle'))}</h1>`,
    `<p class="subtitle">${e(localized(report.lab.title, L))}</p>`,
    '<dl class="meta">',
    row(t(L, 'labLabel'), `<code>${e(report.lab.id)}</code> v${report.lab.version}`),
    row(t(L, 'participant'), e(participant)),
    row(t(L, 'date'), e(formatUtc(report.generatedAtMs))),
    row(t(L, 'appVersion'), e(report.appVersion)),
    row(t(L, 'seed'), `<code>${report.run.seed}</code>`),
    row(t(L, 'runId'), `<code>${e(report.run.runId)}</code> (${e(formatUtc(report.run.startedAtMs))})`),
    '</dl>',
    `<p>${e(localized(report.lab.summary, L))}</p>`,
    '</header>',
  ].join('\n');
}

function row(term: string, definitionHtml: string): string {
  return `<dt>${e(term)}</dt><dd>${definitionHtml}</dd>`;
}

function summary(report: LabReport): string {
  const L = report.locale;
  const s = report.summary;
  const parts = [
    '<section id="summary">',
    `<h2>${e(t(L, 'summary'))}</h2>`,
    '<dl class="meta">',
    row(t(L, 'stepsPassed'), `<strong>${e(t(L, 'stepsPassedValue', { passed: s.stepsPassed, total: s.stepsTotal }))}</strong>`),
    row(t(L, 'timeSpent'), e(formatDuration(s.timeSpentMs))),
    row(t(L, 'checksPassed'), e(`${s.checksPassed} / ${s.checksTotal}`)),
    row(t(L, 'answers'), e(t(L, 'answersValue', { answered: s.questionsAnswered, total: s.questionsTotal, correct: s.answersCorrect }))),
    row(t(L, 'finished'), e(t(L, s.finished ? 'yes' : 'no'))),
    '</dl>',
    `<table><thead><tr><th class="num">#</th><th>${e(t(L, 'step'))}</th><th>${e(t(L, 'status'))}</th><th class="num">${e(t(L, 'timeSpent'))}</th><th class="num">${e(t(L, 'checksPassed'))}</th></tr></thead><tbody>`,
    ...report.steps.map(
      (step) =>
        `<tr><td class="num">${step.index + 1}</td><td><a href="#step-${step.index + 1}">${inlineHtml(localized(step.title, L))}</a></td><td>${statusBadge(step.status, L)}</td><td class="num">${e(step.timeSpentMs === null ? '–' : formatDuration(step.timeSpentMs))}</td><td class="num">${step.checks.filter((c) => c.passed).length} / ${step.checks.length}</td></tr>`,
    ),
    '</tbody></table>',
  ];
  if (s.actionErrors.length > 0) {
    parts.push(`<h3>${e(t(L, 'actionErrors'))}</h3>`, '<ul>', ...s.actionErrors.map((err) => `<li><code>${e(err)}</code></li>`), '</ul>');
  }
  const truncatedWhat = Object.entries(report.truncated)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${what} ${n}`);
  if (truncatedWhat.length > 0) parts.push(`<p class="muted">${e(t(L, 'truncatedNote', { what: truncatedWhat.join(', ') }))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

const STATUS_SYMBOL: Readonly<Record<string, string>> = { passed: '✓', failed: '✗', skipped: '–', pending: '○', active: '…' };

function statusBadge(status: ReportStep['status'], L: ReportLocale): string {
  return `<span class="status status-${status}">${STATUS_SYMBOL[status] ?? ''} ${e(tOr(L, `status.${status}`, status))}</span>`;
}

function steps(report: LabReport): string {
  const L = report.locale;
  const origin = report.run.startedAtMs;
  const parts = ['<section id="steps" class="page-start">', `<h2>${e(t(L, 'steps'))}</h2>`];
  for (const step of report.steps) {
    parts.push(`<article class="step" id="step-${step.index + 1}">`);
    parts.push(`<h3>${inlineHtml(t(L, 'stepHeading', { n: step.index + 1, title: localized(step.title, L) }))} ${statusBadge(step.status, L)}</h3>`);
    const started = step.startedAtMs === null ? '–' : formatOffset(step.startedAtMs, origin);
    parts.push(`<p class="muted">${e(t(L, 'startedAt'))} ${e(started)} · ${e(t(L, 'timeSpent'))} ${e(step.timeSpentMs === null ? '–' : formatDuration(step.timeSpentMs))} · <code>${e(step.id)}</code></p>`);
    parts.push(`<p class="instruction">${e(localized(step.instruction, L))}</p>`);

    parts.push(`<h4>${e(t(L, 'actionsTaken'))}</h4>`);
    if (step.actions.length === 0) parts.push(`<p class="muted">${e(t(L, 'noActions'))}</p>`);
    else {
      parts.push(`<table><thead><tr><th>${e(t(L, 'time'))}</th><th>${e(t(L, 'action'))}</th><th class="verdict">${e(t(L, 'outcome'))}</th></tr></thead><tbody>`);
      for (const action of step.actions) {
        const label = action.label === null ? '' : `${e(localized(action.label, L))}<br>`;
        const ok = action.outcome === 'ok';
        const detail = showDetail(action.detail, action.action, ok) ? `<br><span class="muted">${e(clip(action.detail, 220))}</span>` : '';
        parts.push(
          `<tr><td class="time">${e(formatOffset(action.atMs, origin))}</td><td>${label}<code>${e(action.action)}</code>${detail}</td><td class="verdict ${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${e(action.outcome)}</td></tr>`,
        );
      }
      parts.push('</tbody></table>');
    }

    parts.push(`<h4>${e(t(L, 'checks'))}</h4>`);
    if (step.checks.length === 0) parts.push(`<p class="muted">${e(t(L, 'noChecks'))}</p>`);
    else {
      parts.push(`<table><thead><tr><th>${e(t(L, 'check'))}</th><th>${e(t(L, 'observed'))}</th><th>${e(t(L, 'expected'))}</th><th class="verdict">${e(t(L, 'result'))}</th></tr></thead><tbody>`);
      for (const check of step.checks) {
        const name = check.label === null ? `<code>${e(check.check)}</code>` : `${e(localized(check.label, L))} <span class="muted">(<code>${e(check.check)}</code>)</span>`;
        parts.push(
          `<tr><td>${name}</td><td>${e(check.observed)}</td><td>${e(check.expected)}</td><td class="verdict ${check.passed ? 'ok' : 'bad'}">${check.passed ? '✓' : '✗'} ${e(t(L, check.passed ? 'check.passed' : 'check.failed'))}</td></tr>`,
        );
      }
      parts.push('</tbody></table>');
    }

    if (step.answers.length > 0) {
      parts.push(`<h4>${e(t(L, 'questions'))}</h4>`);
      parts.push(`<table><thead><tr><th>${e(t(L, 'question'))}</th><th>${e(t(L, 'answer'))}</th><th class="verdict">${e(t(L, 'result'))}</th></tr></thead><tbody>`);
      for (const answer of step.answers) {
        const given =
          answer.answer === null
            ? `<span class="muted">${e(t(L, 'notAnswered'))}</span>`
            : answer.answerText === null
              ? e(answer.answer)
              : `${e(localized(answer.answerText, L))} <span class="muted">(<code>${e(answer.answer)}</code>)</span>`;
        const verdict =
          answer.correct === null
            ? `<span class="muted">${e(answer.expected === null ? t(L, 'freeText') : '–')}</span>`
            : `<span class="${answer.correct ? 'ok' : 'bad'}">${answer.correct ? '✓' : '✗'} ${e(t(L, answer.correct ? 'correct' : 'incorrect'))}</span>`;
        parts.push(`<tr><td>${e(localized(answer.prompt, L))}</td><td>${given}</td><td class="verdict">${verdict}</td></tr>`);
      }
      parts.push('</tbody></table>');
    }
    parts.push('</article>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * An action's detail is shown when it tells the learner something: a tool's summary line, or what
 * went wrong. An engine command's answer (a JSON object) is left to the JSON report.
 */
function showDetail(detail: string, action: string, ok: boolean): boolean {
  if (detail === '' || detail === action) return false;
  if (!ok) return true;
  const trimmed = detail.trim();
  return !(trimmed.startsWith('{') || trimmed.startsWith('['));
}

/** Timeline entries drawn as markers, numbered in time order (the same number on every chart). */
function markerEntries(report: LabReport): { entry: ReportTimelineEntry; no: number }[] {
  const picked = report.timeline.filter((entry) => MARKER_KINDS.has(entry.kind) || (entry.kind === 'broker' && entry.severity === 'error'));
  return picked.map((entry, i) => ({ entry, no: i + 1 }));
}

function rebalanceWindows(report: LabReport, groupId: string | null, endMs: number): ChartWindow[] {
  return report.timeline
    .filter((entry) => entry.kind === 'rebalance' && entry.code === 'rebalance' && (groupId === null || entry.params['groupId'] === groupId))
    .map((entry) => ({ startMs: entry.atMs, endMs: entry.endMs ?? endMs }));
}

/** The time range every chart draws: from the first to the last sample of any series (null: no samples). */
function chartRange(report: LabReport): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const s of report.series) {
    if (s.t.length === 0) continue;
    min = Math.min(min, s.t[0]!);
    max = Math.max(max, s.t[s.t.length - 1]!);
  }
  return Number.isFinite(min) && max > min ? { min, max } : null;
}

function seriesEndMs(report: LabReport): number {
  let end = report.run.endedAtMs ?? report.run.startedAtMs;
  for (const s of report.series) if (s.t.length > 0) end = Math.max(end, s.t[s.t.length - 1]!);
  return end;
}

/** Lines that share a name (a topic's partitions) summed per instant; an instant where all are null stays null. */
function sumByInstant(series: readonly ReportSeries[]): { t: number[]; v: (number | null)[] } {
  const sums = new Map<number, number | null>();
  for (const s of series) {
    for (let i = 0; i < s.t.length; i++) {
      const at = s.t[i]!;
      const value = s.v[i] ?? null;
      const previous = sums.has(at) ? sums.get(at)! : null;
      sums.set(at, value === null ? previous : (previous ?? 0) + value);
    }
  }
  const t = [...sums.keys()].sort((a, b) => a - b);
  return { t, v: t.map((at) => sums.get(at) ?? null) };
}

function charts(report: LabReport): string {
  const L = report.locale;
  const origin = report.run.startedAtMs;
  const endMs = seriesEndMs(report);
  const markers = markerEntries(report);
  const rangeMs = chartRange(report);
  const chartMarkers: ChartMarker[] = markers.map(({ entry, no }) => ({ atMs: entry.atMs, label: String(no), severity: entry.severity }));
  const parts = ['<section id="charts" class="page-start">', `<h2>${e(t(L, 'charts'))}</h2>`];
  parts.push(`<p class="legend-note">${e(t(L, 'chartRebalanceWindow'))}. ${e(t(L, 'chartTimeAxis'))}.</p>`);
  let drawn = 0;

  const lagSeries = report.series.filter((s) => s.key.scope === 'group' && s.key.metric === 'lag');
  const groups = [...new Set(lagSeries.map((s) => (s.key.scope === 'group' ? s.key.groupId : '')))].sort();
  groups.forEach((groupId, gi) => {
    const ofGroup = lagSeries.filter((s) => s.key.scope === 'group' && s.key.groupId === groupId);
    const topics = new Set(ofGroup.map((s) => (s.key.scope === 'group' ? s.key.topic : '')));
    const lines: ChartLine[] = ofGroup
      .map((s) => ({ s, key: s.key as Extract<ReportSeries['key'], { scope: 'group' }> }))
      .sort((a, b) => (a.key.topic === b.key.topic ? a.key.partition - b.key.partition : a.key.topic < b.key.topic ? -1 : 1))
      .map(({ s, key }) => ({ label: topics.size === 1 ? `p${key.partition}` : `${key.topic}-${key.partition}`, name: `${key.topic} ${t(L, 'partitionWord')} ${key.partition}`, t: s.t, v: s.v }));
    const title = t(L, 'chartLag', { group: groupId });
    parts.push(figure(`lag-${gi + 1}`, title, t(L, 'chartLagAxis'), lines, rebalanceWindows(report, groupId, endMs), chartMarkers, markers, origin, rangeMs, L));
    drawn++;
  });

  const rateLines: ChartLine[] = [];
  const produce = report.series.filter((s) => s.key.scope === 'partition' && s.key.metric === 'produceRate');
  const produceTopics = [...new Set(produce.map((s) => (s.key.scope === 'partition' ? s.key.topic : '')))].filter((topic) => !topic.startsWith('__')).sort();
  for (const topic of produceTopics) {
    const summed = sumByInstant(produce.filter((s) => s.key.scope === 'partition' && s.key.topic === topic));
    rateLines.push({ label: `P${rateLines.length + 1}`, name: t(L, 'produceRateOf', { topic }), ...summed });
  }
  const consume = report.series.filter((s) => s.key.scope === 'group' && s.key.metric === 'consumeRate');
  const consumePairs = [...new Set(consume.map((s) => (s.key.scope === 'group' ? `${s.key.groupId}\u0000${s.key.topic}` : '')))].sort();
  for (const pair of consumePairs) {
    const [group, topic] = pair.split('\u0000') as [string, string];
    const summed = sumByInstant(consume.filter((s) => s.key.scope === 'group' && s.key.groupId === group && s.key.topic === topic));
    rateLines.push({ label: `C${rateLines.length + 1}`, name: t(L, 'consumeRateOf', { group, topic }), ...summed });
  }
  if (rateLines.length > 0) {
    parts.push(figure('rates', t(L, 'chartRates'), t(L, 'chartRatesAxis'), rateLines, rebalanceWindows(report, null, endMs), chartMarkers, markers, origin, rangeMs, L));
    drawn++;
  }
  if (drawn === 0) parts.push(`<p class="muted">${e(t(L, 'chartNoCharts'))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function figure(
  idPrefix: string,
  title: string,
  yAxis: string,
  lines: readonly ChartLine[],
  windows: readonly ChartWindow[],
  chartMarkers: readonly ChartMarker[],
  markers: readonly { entry: ReportTimelineEntry; no: number }[],
  origin: number,
  rangeMs: { min: number; max: number } | null,
  L: ReportLocale,
): string {
  const svg = renderLineChart({
    idPrefix: `chart-${idPrefix}`,
    title,
    description: `${lines.map((l) => l.label).join(', ')}. ${t(L, 'chartRebalanceWindow')}.`,
    yAxisLabel: yAxis,
    xAxisLabel: t(L, 'chartTimeAxis'),
    originMs: origin,
    lines,
    windows,
    markers: chartMarkers,
    ...(rangeMs === null ? {} : { rangeMs }),
  });
  const parts = [`<figure id="fig-${idPrefix}">`, `<figcaption>${e(title)}</figcaption>`];
  if (svg === null) {
    parts.push(`<p class="muted">${e(t(L, 'chartNoData'))}</p>`, '</figure>');
    return parts.join('\n');
  }
  parts.push(svg);
  if (lines.length > reportLimits.chartLinesMax) parts.push(`<p class="muted">${e(t(L, 'chartLinesLeftOut', { count: lines.length - reportLimits.chartLinesMax }))}</p>`);
  // Markers inside the drawn time range, listed with their numbers.
  const range = rangeMs ?? { min: -Infinity, max: Infinity };
  const shown = markers.slice(0, reportLimits.chartMarkersMax).filter(({ entry }) => entry.atMs >= range.min && entry.atMs <= range.max);
  if (shown.length > 0) {
    parts.push(`<p class="legend-note">${e(t(L, 'chartMarkers'))}:</p>`, '<ol class="markers">');
    for (const { entry, no } of shown) {
      parts.push(`<li><span class="marker-no">${no}</span> ${e(formatOffset(entry.atMs, origin))} · ${e(tOr(L, `kind.${entry.kind}`, entry.kind))} · ${e(entry.text)}</li>`);
    }
    parts.push('</ol>');
  }
  parts.push('</figure>');
  return parts.join('\n');
}

function timeline(report: LabReport): string {
  const L = report.locale;
  const origin = report.run.startedAtMs;
  const parts = ['<section id="timeline" class="page-start">', `<h2>${e(t(L, 'timeline'))}</h2>`];
  if (report.timeline.length === 0) {
    parts.push(`<p class="muted">${e(t(L, 'noTimeline'))}</p>`, '</section>');
    return parts.join('\n');
  }
  const rows = report.timeline.slice(0, reportLimits.htmlTimelineRowsMax);
  parts.push(
    `<table><thead><tr><th class="tight">${e(t(L, 'time'))}</th><th class="tight">${e(t(L, 'kind'))}</th><th class="tight">${e(t(L, 'severity'))}</th><th>${e(t(L, 'event'))}</th><th class="num">${e(t(L, 'duration'))}</th></tr></thead><tbody>`,
  );
  for (const entry of rows) {
    const duration = entry.endMs === null ? '' : formatDuration(entry.endMs - entry.atMs);
    parts.push(
      `<tr><td class="time">${e(formatOffset(entry.atMs, origin))}</td><td class="tight">${e(tOr(L, `kind.${entry.kind}`, entry.kind))}</td><td class="tight sev-${entry.severity}">${e(tOr(L, `severity.${entry.severity}`, entry.severity))}</td><td>${e(entry.text)}</td><td class="num">${e(duration)}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  const leftOut = report.timeline.length - rows.length + report.truncated.timelineEntries;
  if (leftOut > 0) parts.push(`<p class="muted">${e(t(L, 'timelineLeftOut', { count: leftOut }))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function finalState(report: LabReport): string {
  const L = report.locale;
  const parts = ['<section id="final-state" class="page-start">', `<h2>${e(t(L, 'finalState'))}</h2>`];
  const cluster = report.cluster;
  if (cluster === null) {
    parts.push(`<p class="muted">${e(t(L, 'noClusterState'))}</p>`, '</section>');
    return parts.join('\n');
  }
  parts.push('<dl class="meta">');
  parts.push(row(t(L, 'time'), e(`${formatUtc(cluster.atMs)} (${formatOffset(cluster.atMs, report.run.startedAtMs)})`)));
  parts.push(row(t(L, 'controller'), e(cluster.controllerId === null ? t(L, 'noController') : String(cluster.controllerId))));
  parts.push(row(t(L, 'quorum'), e(t(L, 'quorumValue', { voters: cluster.quorum.voters.join(', '), majority: cluster.quorum.majority, epoch: cluster.quorum.leaderEpoch }))));
  parts.push('</dl>');
  parts.push(`<h3>${e(t(L, 'brokers'))}</h3>`);
  parts.push(
    `<table><thead><tr><th class="num">${e(t(L, 'broker'))}</th><th>${e(t(L, 'state'))}</th><th>${e(t(L, 'fenced'))}</th><th>${e(t(L, 'controller'))}</th><th class="num">${e(t(L, 'leaders'))}</th><th class="num">${e(t(L, 'replicasCount'))}</th></tr></thead><tbody>`,
  );
  for (const b of cluster.brokers) {
    parts.push(
      `<tr><td class="num">${b.id}</td><td>${e(b.state)}</td><td>${e(t(L, b.fenced ? 'yes' : 'no'))}</td><td>${b.isController ? '✓' : ''}</td><td class="num">${b.leaderCount}</td><td class="num">${b.replicaCount}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  parts.push(`<h3>${e(t(L, 'topics'))}</h3>`);
  const user = cluster.topics.filter((topic) => !topic.internal);
  if (user.length > 0) {
    parts.push(
      `<table><thead><tr><th>${e(t(L, 'topic'))}</th><th class="num">${e(t(L, 'partition'))}</th><th class="num">${e(t(L, 'leader'))}</th><th class="num">${e(t(L, 'leaderEpoch'))}</th><th class="tight">${e(t(L, 'replicas'))}</th><th class="tight">${e(t(L, 'isr'))}</th><th class="num">${e(t(L, 'logStartOffset'))}</th><th class="num">${e(t(L, 'logEndOffset'))}</th><th class="num">${e(t(L, 'highWatermark'))}</th></tr></thead><tbody>`,
    );
    for (const topic of user) {
      for (const p of topic.partitions) {
        parts.push(
          `<tr><td>${e(topic.name)}</td><td class="num">${p.partition}</td><td class="num">${p.leader === null ? 'none' : p.leader}</td><td class="num">${p.leaderEpoch}</td><td class="tight">${e(p.replicas.join(','))}</td><td class="tight">${e(p.isr.join(','))}</td><td class="num">${p.logStartOffset}</td><td class="num">${p.logEndOffset}</td><td class="num">${p.highWatermark}</td></tr>`,
        );
      }
    }
    parts.push('</tbody></table>');
  }
  const internal = cluster.topics.filter((topic) => topic.internal);
  if (internal.length > 0) parts.push(`<p class="muted">${e(t(L, 'internalTopics', { topics: internal.map((topic) => `${topic.name} (${topic.partitionCount})`).join(', ') }))}</p>`);
  if (report.truncated.partitions > 0) parts.push(`<p class="muted">${e(t(L, 'partitionsLeftOut', { count: report.truncated.partitions }))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function configs(report: LabReport): string {
  const L = report.locale;
  const parts = ['<section id="configs">', `<h2>${e(t(L, 'configsUsed'))}</h2>`];
  const rows: string[] = [];
  for (const resource of report.configs) {
    const name = resource.resource === 'broker' ? t(L, 'brokerDefaults') : `${t(L, 'topic')} ${resource.name}`;
    for (const entry of resource.entries) {
      if (entry.source === 'DEFAULT_CONFIG') continue;
      rows.push(`<tr><td>${e(name)}</td><td><code>${e(entry.name)}</code></td><td><code>${e(entry.value)}</code></td><td class="muted">${e(entry.source)}</td></tr>`);
    }
  }
  if (rows.length === 0) parts.push(`<p class="muted">${e(t(L, 'noConfigs'))}</p>`);
  else {
    parts.push(`<table><thead><tr><th>${e(t(L, 'resource'))}</th><th>${e(t(L, 'configName'))}</th><th>${e(t(L, 'configValue'))}</th><th>${e(t(L, 'configSource'))}</th></tr></thead><tbody>`, ...rows, '</tbody></table>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function footer(report: LabReport): string {
  const L = report.locale;
  return [
    '<footer>',
    `<p class="muted">${e(t(L, 'generatedBy', { version: report.appVersion }))} ${e(t(L, 'simulationNote'))}</p>`,
    `<p class="muted"><code>${e(report.kind)}</code> schema v${report.schemaVersion} · <code>${e(report.run.runId)}</code> · <a href="#top">↑</a></p>`,
    '</footer>',
  ].join('\n');
}
