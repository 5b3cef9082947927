/**
 * The series CSV: RFC 4180 (CRLF, quoting, doubled quotes), a round trip that gives back every
 * series of a real run exactly, nulls kept apart from zeros, and the formula guard.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField, csvText, CsvError, parseCsv, renderSeriesCsv, SERIES_CSV_COLUMNS, seriesFromCsv } from '../../../engine/reports/report-csv.js';
import { buildReport } from '../../../engine/reports/report-model.js';
import { autopilotSource, outDir, REPORT_LABS } from './report-fixtures.js';

describe('RFC 4180 fields and records', () => {
  it.each<[string | number | null, string]>([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['', ''],
    [null, ''],
    [0, '0'],
    [1.5, '1.5'],
    [-3, '-3'],
    [Number.NaN, ''],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-x', "'-x"],
    ['@cmd', "'@cmd"],
    ['김하나', '김하나'],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('parses what it writes, including quotes, commas, line breaks and empty fields', () => {
    const rows = [
      ['a', 'b,c', 'd "e"', ''],
      ['multi\r\nline', '', 'x', '김하나'],
      ['', '', '', ''],
    ];
    const text = csvText(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
    expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('"",x\r\n')).toEqual([['', 'x']]);
  });

  it.each<[string, RegExp]>([
    ['"open', /line 1: a quoted field is not closed/],
    ['a,"b"c', /text after a closing quote/],
    ['a,b"c', /a quote inside an unquoted field/],
    ['ok\r\n"x\r\ny', /line 2: a quoted field is not closed/],
  ])('refuses %j', (text, expected) => {
    expect(() => parseCsv(text)).toThrow(CsvError);
    expect(() => parseCsv(text)).toThrow(expected);
  });
});

describe('the series CSV of a real run', () => {
  for (const labId of REPORT_LABS) {
    it(`${labId}: header, one row per sample, and an exact round trip`, async () => {
      const report = buildReport(await autopilotSource(labId));
      const csv = renderSeriesCsv(report);
      writeFileSync(join(outDir(), `${labId}.series.csv`), csv);
      const records = parseCsv(csv);
      expect(records[0]).toEqual([...SERIES_CSV_COLUMNS]);
      expect(records.length - 1).toBe(report.series.reduce((n, s) => n + s.t.length, 0));
      expect(records.every((r) => r.length === SERIES_CSV_COLUMNS.length)).toBe(true);
      expect(csv.split('\r\n').slice(0, -1).every((line) => !line.includes('\n'))).toBe(true);

      const back = seriesFromCsv(csv);
      expect(back.runId).toBe(report.run.runId);
      expect(back.labId).toBe(report.lab.id);
      expect(back.series).toEqual(report.series.filter((s) => s.t.length > 0));
    }, 120_000);
  }

  it('a sample without a value is an empty field, not 0', async () => {
    const report = buildReport(await autopilotSource('rebalancing-round'));
    const withNull = report.series.find((s) => s.v.includes(null))!;
    expect(withNull).toBeDefined();
    const csv = renderSeriesCsv({ ...report, series: [withNull] });
    const rows = parseCsv(csv).slice(1);
    const index = withNull.v.indexOf(null);
    expect(rows[index]![10]).toBe('');
    expect(seriesFromCsv(csv).series[0]!.v[index]).toBeNull();
  }, 120_000);

  it('reads back every kind of key, and names the line of a bad row', () => {
    const report = {
      run: { runId: 'r,1', seed: 0, startedAtMs: 0, endedAtMs: null },
      lab: { id: 'x', version: 1, title: { en: 'x', ko: 'x' }, summary: { en: 'x', ko: 'x' } },
      series: [
        { key: { scope: 'partition' as const, topic: 't', partition: 0, metric: 'logEndOffset' }, t: [1000, 2000], v: [0, 12] },
        { key: { scope: 'group' as const, groupId: 'g "q"', topic: 't', partition: 1, metric: 'lag' }, t: [1000], v: [0.25] },
        { key: { scope: 'producer' as const, clientId: 'p', metric: 'sendRate' }, t: [1000], v: [null] },
        { key: { scope: 'service' as const, replicaId: 'inventory-1', metric: 'processedRate' }, t: [3000], v: [1e-7] },
      ],
    };
    const csv = renderSeriesCsv(report);
    expect(seriesFromCsv(csv).series).toEqual(report.series);
    expect(seriesFromCsv(csv).runId).toBe('r,1');
    expect(() => seriesFromCsv(csv.replace('12\r\n', 'twelve\r\n'))).toThrow(/line 3: value 'twelve' is not a number/);
    expect(() => seriesFromCsv(`a,b\r\n`)).toThrow(/line 1: the header/);
  });
});
