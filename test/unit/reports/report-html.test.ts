/**
 * The HTML report of two real autopilot runs, in English and Korean: self-contained (no request of
 * any kind can leave it), structurally valid HTML5 (html-checks.ts), every section present, texts
 * escaped, and the Korean report in Korean. The files are written to test-results/reports/ to look at.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../engine/reports/report-html.js';
import { reportStringTables } from '../../../engine/reports/report-i18n.js';
import { buildReport } from '../../../engine/reports/report-model.js';
import type { LabReport } from '../../../engine/reports/report-schema.js';
import { autopilotSource, META_EN, META_KO, outDir, REPORT_LABS } from './report-fixtures.js';
import { externalReferences, htmlProblems } from './html-checks.js';

async function reportOf(labId: string, meta = META_EN): Promise<LabReport> {
  return buildReport(await autopilotSource(labId, meta));
}

describe('the HTML checks themselves catch what they should', () => {
  const good = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n</head>\n<body><p id="a">x &amp; y</p><a href="#a">a</a></body>\n</html>\n';

  it('a small good document passes', () => {
    expect(htmlProblems(good)).toEqual([]);
    expect(externalReferences(good)).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    ['no doctype', good.replace('<!DOCTYPE html>\n', ''), /does not start with <!DOCTYPE html>/],
    ['no lang', good.replace(' lang="en"', ''), /lang> is missing/],
    ['unclosed element', good.replace('</p>', ''), /closes <p>|never closed/],
    ['closed void element', good.replace('<title>', '<br></br><title>'), /closes a void element/],
    ['duplicate id', good.replace('<a href', '<span id="a"></span><a href'), /id 'a' is used twice/],
    ['dangling fragment', good.replace('href="#a"', 'href="#b"'), /points at '#b'/],
    ['bare ampersand', good.replace('&amp;', '&'), /bare '&'/],
    ['unknown element', good.replace('<p id="a">', '<p id="a"><blink></blink>'), /unknown element <blink>/],
    ['unquoted attribute', good.replace('id="a"', 'id=a'), /not quoted/],
    ['no title', good.replace('<title>t</title>\n', ''), /0 <title> elements/],
    ['table cell outside a row', good.replace('<p id="a">', '<table><tbody><td></td></tbody></table><p id="a">'), /<td> inside <tbody>/],
  ])('%s', (_name, html, expected) => {
    expect(htmlProblems(html).join('\n')).toMatch(expected);
  });

  it.each<[string, string]>([
    ['a script', '<script>1</script>'],
    ['an external image', '<img src="https://example.com/x.png" alt="">'],
    ['a stylesheet link', '<link rel="stylesheet" href="x.css">'],
    ['a CSS import', '<style>@import "x.css";</style>'],
    ['a CSS url()', '<p style="background: url(http://example.com/x.png)">x</p>'],
    ['a protocol-relative link', '<a href="//example.com/">x</a>'],
    ['an http link', '<a href="http://example.com/">x</a>'],
    ['an SVG image', '<svg><image href="x.png"></image></svg>'],
  ])('%s is an external reference', (_name, fragment) => {
    expect(externalReferences(good.replace('<body>', `<body>${fragment}`)).length).toBeGreaterThan(0);
  });
});

describe('the HTML report', () => {
  for (const labId of REPORT_LABS) {
    for (const meta of [META_EN, META_KO]) {
      it(`${labId} (${meta.locale}): self-contained, valid, complete`, async () => {
        const report = await reportOf(labId, meta);
        const html = renderReportHtml(report);
        writeFileSync(join(outDir(), `${labId}.${meta.locale}.html`), html);

        expect(externalReferences(html)).toEqual([]);
        expect(htmlProblems(html)).toEqual([]);
        expect(html).not.toMatch(/<script/i);
        expect(html).toContain(`<html lang="${meta.locale}">`);
        expect(html).toContain('Content-Security-Policy');
        for (const id of ['summary', 'steps', 'charts', 'timeline', 'final-state', 'configs']) expect(html).toContain(`<section id="${id}"`);
        for (const step of report.steps) expect(html).toContain(`id="step-${step.index + 1}"`);
        expect(html).toContain(meta.participant);
        expect(html).toContain('<svg class="chart"');
        expect(html).toContain('@media print');
        expect(html).toContain('break-before: page');
        expect(html).toContain(`${report.summary.stepsPassed}`);
      }, 120_000);
    }
  }

  it('draws lag per partition with rebalance windows (rebalancing-round)', async () => {
    const html = renderReportHtml(await reportOf('rebalancing-round'));
    expect(html).toContain('Consumer lag per partition — group edu-group');
    expect(html.match(/class="window"/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
    for (const p of ['p0', 'p1', 'p2']) expect(html).toContain(`>${p}</text>`);
    expect(html).toContain('Produce and consume rates');
  }, 120_000);

  it('marks faults, elections and lost records with numbered labels and lists them (acks-and-durability)', async () => {
    const html = renderReportHtml(await reportOf('acks-and-durability'));
    expect(html).toMatch(/class="marker-label"[^>]*>1<\/text>/);
    expect(html).toContain('<ol class="markers">');
    expect(html).toMatch(/data loss · Acknowledged records lost/);
    expect(html).toMatch(/election · Elected broker/);
    expect(html).toContain('NOT_ENOUGH_REPLICAS');
  }, 120_000);

  it('the Korean report has Korean headings and labels', async () => {
    const html = renderReportHtml(await reportOf('rebalancing-round', META_KO));
    for (const heading of ['실습 결과 보고서', '요약', '단계', '차트', '이벤트 타임라인', '최종 클러스터 상태', '사용한 설정']) expect(html).toContain(heading);
    expect(html).toContain('<h2>요약</h2>');
    expect(html).toContain('리밸런싱 라운드');
    expect(html).toContain('관찰값');
    expect(html).toContain('기대값');
    expect(html).not.toContain('<h2>Summary</h2>');
  }, 120_000);

  it('every report string exists in both languages, and the Korean ones are translated', () => {
    const { en, ko } = reportStringTables();
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    // Words that stay the same in Korean: Kafka's own terms and symbols.
    const same = new Set(['isr', 'kind.isr']);
    const untranslated = Object.keys(en).filter((k) => !same.has(k) && en[k as keyof typeof en] === ko[k as keyof typeof ko]);
    expect(untranslated).toEqual([]);
  });

  it('escapes every text that comes from the run (a hostile participant name stays text)', async () => {
    const meta = { ...META_EN, participant: '<img src=x onerror=alert(1)> & "Bob" \'s <script>' };
    const html = renderReportHtml(await reportOf('rebalancing-round', meta));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bob&quot; &#39;s &lt;script&gt;');
    expect(externalReferences(html)).toEqual([]);
    expect(htmlProblems(html)).toEqual([]);
  }, 120_000);

  it('refuses an object that is not a report', () => {
    expect(() => renderReportHtml({ kind: 'nope' } as unknown as LabReport)).toThrow();
  });
});
