/**
 * CSV (RFC 4180) of a report's metric series, one row per sample:
 *
 *   run_id,lab_id,scope,group_id,topic,partition,client_id,replica_id,metric,t_ms,value
 *
 * - records end with CRLF, the header is always there, every record has the same 11 fields;
 * - a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled;
 * - fields a key does not have are empty (a partition series has no group_id); an empty value is a
 *   sample without a value (null), never 0;
 * - numbers are JavaScript's shortest round-trip form, so `parseCsv` gives back the same values;
 * - a text field that starts with = + - @ TAB or CR gets a leading apostrophe, so a spreadsheet
 *   never runs it as a formula (numbers are not touched). Engine ids never start so; a lab's own
 *   group or client id could.
 *
 * `parseCsv` reads RFC 4180 text back (quoted fields, doubled quotes, CRLF or LF); `seriesFromCsv`
 * turns the series CSV back into series, so the format is tested by a round trip.
 */
import type { LabReport, ReportSeries, ReportSeriesKey } from './report-schema.js';
import { ReportSeriesKeySchema } from './report-schema.js';

export const SERIES_CSV_COLUMNS = ['run_id', 'lab_id', 'scope', 'group_id', 'topic', 'partition', 'client_id', 'replica_id', 'metric', 't_ms', 'value'] as const;

/** One field, quoted when RFC 4180 needs it. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Records joined as RFC 4180 text (CRLF after every record). */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

function keyFields(key: ReportSeriesKey): [string, string, string, number | null, string, string, string] {
  switch (key.scope) {
    case 'partition':
      return ['partition', '', key.topic, key.partition, '', '', key.metric];
    case 'group':
      return ['group', key.groupId, key.topic, key.partition, '', '', key.metric];
    case 'producer':
      return ['producer', '', '', null, key.clientId, '', key.metric];
    case 'service':
      return ['service', '', '', null, '', key.replicaId, key.metric];
  }
}

/** The report's series as CSV text (header first). */
export function renderSeriesCsv(report: Pick<LabReport, 'run' | 'lab' | 'series'>): string {
  const rows: (string | number | null)[][] = [[...SERIES_CSV_COLUMNS]];
  for (const series of report.series) {
    const fields = keyFields(series.key);
    // Bounded: the report holds at most seriesMax series of pointsPerSeriesMax points.
    for (let i = 0; i < series.t.length; i++) rows.push([report.run.runId, report.lab.id, ...fields, series.t[i]!, series.v[i] ?? null]);
  }
  return csvText(rows);
}

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * RFC 4180 text to records of fields (CRLF or LF between records; a final line break is optional).
 * Throws CsvError, with the line, for an unclosed quote, a quote inside an unquoted field, or text
 * after a closing quote.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  /** The current field was quoted and its closing quote seen: only a separator may follow. */
  let closed = false;
  let line = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          closed = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      closed = false;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      closed = false;
      line++;
      continue;
    }
    if (closed) throw new CsvError(`line ${line}: text after a closing quote`);
    if (c === '"') {
      if (field !== '') throw new CsvError(`line ${line}: a quote inside an unquoted field (quote the whole field)`);
      inQuotes = true;
      quoteLine = line;
      continue;
    }
    field += c;
  }
  if (inQuotes) throw new CsvError(`line ${quoteLine}: a quoted field is not closed`);
  if (field !== '' || closed || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The series CSV back into series (the rows of one key, in order, make one series). */
export function seriesFromCsv(text: string): { runId: string; labId: string; series: ReportSeries[] } {
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined || header.join(',') !== SERIES_CSV_COLUMNS.join(',')) throw new CsvError(`line 1: the header is not ${SERIES_CSV_COLUMNS.join(',')}`);
  const byKey = new Map<string, ReportSeries>();
  let runId = '';
  let labId = '';
  records.slice(1).forEach((r, index) => {
    const lineNo = index + 2;
    if (r.length !== SERIES_CSV_COLUMNS.length) throw new CsvError(`line ${lineNo}: ${r.length} fields, expected ${SERIES_CSV_COLUMNS.length}`);
    const [run, lab, scope, groupId, topic, partition, clientId, replicaId, metric, tMs, value] = r as [string, string, string, string, string, string, string, string, string, string, string];
    runId = run;
    labId = lab;
    const rawKey =
      scope === 'partition'
        ? { scope, topic, partition: Number(partition), metric }
        : scope === 'group'
          ? { scope, groupId, topic, partition: Number(partition), metric }
          : scope === 'producer'
            ? { scope, clientId, metric }
            : { scope, replicaId, metric };
    const key = ReportSeriesKeySchema.safeParse(rawKey);
    if (!key.success) throw new CsvError(`line ${lineNo}: not a series key (${key.error.issues[0]?.message ?? 'invalid'})`);
    const id = JSON.stringify(key.data);
    let series = byKey.get(id);
    if (series === undefined) {
      series = { key: key.data, t: [], v: [] };
      byKey.set(id, series);
    }
    const t = Number(tMs);
    if (tMs === '' || !Number.isInteger(t)) throw new CsvError(`line ${lineNo}: t_ms '${tMs}' is not an integer`);
    const v = value === '' ? null : Number(value);
    if (v !== null && !Number.isFinite(v)) throw new CsvError(`line ${lineNo}: value '${value}' is not a number`);
    series.t.push(t);
    series.v.push(v);
  });
  return { runId, labId, series: [...byKey.values()] };
}
