/**
 * Reports from the command line.
 * - `report list`: the runs in the data directory's history.
 * - `report RUN --html F --pdf F --json F --csv F [--lang ko]`: a run of the history as files.
 * - `summary REPORT.json... --csv F --html F`: the instructor's class table; a file that is not a
 *   report is named with the reason and skipped (exit 1 when any was skipped, 0 otherwise).
 * - `writeReportFiles`: what `lab run --report` uses for its autopilot run.
 *
 * PDF comes from a locally installed Chromium; without one the error names what is missing and
 * how to install it, and the other formats are still written.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { historyPathIn } from '../engine/history/history-paths.js';
import { HistoryStore } from '../engine/history/history-store.js';
import { chromiumPdfPrinter, renderReportFile, reportSourceOf } from '../engine/host/report-service.js';
import { renderClassesCsv, renderClassHtml, summarizeReports, type SummaryInputFile } from '../engine/reports/instructor-summary.js';
import { reportLimits } from '../engine/reports/report-limits.js';
import type { ReportSource } from '../engine/reports/report-source.js';
import type { ReportArgs, ReportOutput, SummaryArgs } from './args.js';

export interface Output {
  write(text: string): unknown;
}

/** Writes each output of `source`; returns how many failed (each named on `err`). */
export async function writeReportFiles(source: ReportSource, outputs: readonly ReportOutput[], out: Output, err: Output): Promise<number> {
  let failed = 0;
  for (const output of outputs) {
    try {
      const file = await renderReportFile(source, output.format, chromiumPdfPrinter);
      writeFileSync(output.file, file.bytes);
      out.write(`report: ${output.file} (${output.format}, ${file.bytes.length} bytes)\n`);
    } catch (error) {
      failed++;
      err.write(`kafka-lab: the ${output.format} report was not written: ${(error as Error).message}\n`);
    }
  }
  return failed;
}

export async function runReportCommand(args: ReportArgs, dataDir: string, out: Output, err: Output): Promise<number> {
  const path = historyPathIn(dataDir);
  if (!existsSync(path)) {
    err.write(`kafka-lab: there is no run history in ${dataDir} (no ${basename(path)}): finish a lab in the app or 'kafka-lab serve' first.\n`);
    return 1;
  }
  const history = await HistoryStore.open(path);
  try {
    if (args.runId === 'list') {
      for (const run of await history.listRuns({})) {
        out.write(`${run.runId.padEnd(44)} ${run.labId.padEnd(28)} ${run.outcome.padEnd(9)} ${run.stepsPassed}/${run.stepsTotal} steps  ${run.participant}\n`);
      }
      return 0;
    }
    const source = await reportSourceOf(history, args.runId, { locale: args.lang, generatedAtMs: Date.now() });
    const failed = await writeReportFiles(source, args.outputs, out, err);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    err.write(`kafka-lab: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await history.close();
  }
}

export function runSummaryCommand(args: SummaryArgs, out: Output, err: Output): number {
  const files: SummaryInputFile[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const name of args.files.slice(0, reportLimits.summaryReportsMax)) {
    const read = readSummaryFile(name);
    if (typeof read === 'string') unreadable.push({ file: name, reason: read });
    else files.push(read);
  }
  if (args.files.length > reportLimits.summaryReportsMax) err.write(`kafka-lab: only the first ${reportLimits.summaryReportsMax} files are read.\n`);
  const summary = summarizeReports(files);
  const skipped = [...unreadable, ...summary.skipped];
  for (const file of skipped) err.write(`skipped ${file.file}: ${file.reason}\n`);
  if (args.csv !== null) {
    writeFileSync(args.csv, renderClassesCsv(summary.tables));
    out.write(`class table: ${args.csv} (CSV${summary.tables.length > 1 ? `, ${summary.tables.length} labs, one section each` : ''})\n`);
  }
  if (args.html !== null) {
    writeFileSync(args.html, renderClassHtml({ ...summary, skipped }, args.lang, Date.now()));
    out.write(`class table: ${args.html} (HTML)\n`);
  }
  out.write(`${summary.reportsRead} report(s) read, ${skipped.length} skipped\n`);
  return skipped.length === 0 ? 0 : 1;
}

/** A file's text, or why it cannot be read (missing, too large). */
function readSummaryFile(name: string): SummaryInputFile | string {
  try {
    const size = statSync(name).size;
    if (size > reportLimits.summaryReportBytesMax) return `the file is ${size} bytes, more than a report can be (${reportLimits.summaryReportBytesMax})`;
    return { name: basename(name), text: readFileSync(name, 'utf8') };
  } catch (error) {
    return (error as Error).message;
  }
}
