/**
 * Reports of the runs the history keeps: a run's `ReportSource` rebuilt from the history (its
 * progress, the lab sheet and the cluster snapshot taken with it, its timeline and downsampled
 * series), then the report in each format. The app (through the lab host), `kafka-lab report` and
 * the tests all make reports here, so a report of the same run is the same file everywhere.
 *
 * PDF is printed by a `PdfPrinter` the host provides: a local Chromium for the CLI and
 * `kafka-lab serve`, Electron's own printing in the desktop app.
 */
import type { ExportedFile, ReportFormatName, RunHistory, RunRow } from '../api/reports-dto.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { HistoryStore, RunSummary } from '../history/history-store.js';
import { renderReportHtml } from '../reports/report-html.js';
import { buildReport } from '../reports/report-model.js';
import { renderSeriesCsv } from '../reports/report-csv.js';
import { printHtmlToPdf } from '../reports/report-pdf.js';
import { parseReportSource, type ReportMeta, type ReportSource } from '../reports/report-source.js';
import { limits } from '../core/limits.js';

/** Prints a self-contained HTML document to PDF bytes. */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

export const chromiumPdfPrinter: PdfPrinter = (html) => printHtmlToPdf(html);

const MIME_TYPES: Readonly<Record<ReportFormatName, string>> = {
  html: 'text/html;charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv;charset=utf-8',
};

/** A run's report source from the history; a run without its lab sheet (never snapshotted) cannot be reported. */
export async function reportSourceOf(history: HistoryStore, runId: string, meta: Omit<ReportMeta, 'participant' | 'appVersion'>): Promise<ReportSource> {
  const record = await history.getRun(runId);
  if (record === null) throw new KafkaError('INVALID_REQUEST', `There is no run '${runId}' in the history.`);
  const snapshot = record.snapshot;
  if (snapshot === null) throw new KafkaError('INVALID_REQUEST', `Run '${runId}' has no lab sheet in the history (it was saved before its first step began), so it has no report.`);
  return parseReportSource({
    progress: record.progress,
    sheet: snapshot.sheet,
    timeline: record.events,
    series: record.series.map(({ key, t, v }) => ({ key, t, v })),
    cluster: snapshot.cluster,
    configs: snapshot.configs,
    meta: { participant: record.run.participant, appVersion: record.run.appVersion, locale: meta.locale, generatedAtMs: meta.generatedAtMs },
  });
}

/** The report of `source` as a file of `format`; PDF needs a printer. */
export async function renderReportFile(source: ReportSource, format: ReportFormatName, printPdf: PdfPrinter | null): Promise<{ fileName: string; bytes: Uint8Array; mimeType: string }> {
  const report = buildReport(source);
  const base = `kafka-lab-${source.progress.labId}-${source.progress.runId}${source.meta.locale === 'ko' ? '-ko' : ''}`;
  const text = new TextEncoder();
  let bytes: Uint8Array;
  if (format === 'json') bytes = text.encode(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'csv') bytes = text.encode(renderSeriesCsv(report));
  else if (format === 'html') bytes = text.encode(renderReportHtml(report));
  else {
    if (printPdf === null) throw new KafkaError('INVALID_REQUEST', 'PDF printing is not available here; export HTML and print it from a browser.');
    bytes = await printPdf(renderReportHtml(report));
  }
  return { fileName: `${base}.${format}`, bytes, mimeType: MIME_TYPES[format] };
}

/** A file as the contract carries it: bytes base64, bounded. */
export function exportedFile(file: { fileName: string; bytes: Uint8Array; mimeType: string }): ExportedFile {
  if (file.bytes.length > limits.reportExportBytesMax) {
    throw new KafkaError('INVALID_REQUEST', `The ${file.fileName} report is ${file.bytes.length} bytes, more than the ${limits.reportExportBytesMax} an export may be.`);
  }
  return { fileName: file.fileName, mimeType: file.mimeType, contentBase64: Buffer.from(file.bytes).toString('base64'), sizeBytes: file.bytes.length };
}

/** The history's runs as the Reports view lists them; lab titles from the sheet kept with each run. */
export async function runHistoryOf(history: HistoryStore, filter: { labId?: string; participant?: string }): Promise<RunHistory> {
  const runs = await history.listRuns(filter);
  const everything = filter.labId === undefined && filter.participant === undefined ? runs : await history.listRuns({});
  const rows: RunRow[] = [];
  for (const run of runs) rows.push(await runRowOf(history, run));
  return {
    runs: rows,
    labIds: [...new Set(everything.map((r) => r.labId))].sort(),
    participants: [...new Set(everything.map((r) => r.participant))].sort(),
  };
}

async function runRowOf(history: HistoryStore, run: RunSummary): Promise<RunRow> {
  const detail = await history.runHeader(run.runId);
  return {
    runId: run.runId,
    labId: run.labId,
    labVersion: run.labVersion,
    labTitle: detail.labTitle ?? { en: run.labId, ko: run.labId },
    seed: run.seed,
    participant: run.participant,
    appVersion: run.appVersion,
    startedAtMs: run.startedAtMs,
    endedAtMs: run.endedAtMs,
    outcome: run.outcome,
    stepsPassed: run.stepsPassed,
    stepsTotal: run.stepsTotal,
    exports: detail.exports
      .map((e) => ({ format: e.format as ReportFormatName, fileName: e.path.split(/[\\/]/).at(-1) ?? e.path, createdAtMs: e.createdAtMs }))
      .reverse(),
  };
}
