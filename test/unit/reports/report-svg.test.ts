/**
 * The report's SVG helpers: scales, downsampling that keeps spikes and gaps, and charts that are
 * readable without colour (dash patterns, labels, numbered markers), escaped and bounded.
 */
import { describe, expect, it } from 'vitest';
import { reportLimits } from '../../../engine/reports/report-limits.js';
import { downsample, LINE_STYLES, niceScale, renderLineChart, type ChartSpec } from '../../../engine/reports/report-svg.js';
import { formatAxisTime, formatDuration, formatNumber, formatOffset, shortInstruction } from '../../../engine/reports/report-text.js';

const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  idPrefix: 'c1',
  title: 'Lag <per> partition',
  description: 'd',
  yAxisLabel: 'lag',
  xAxisLabel: 'time',
  originMs: 0,
  lines: [
    { label: 'p0', name: 'orders partition 0', t: [0, 1000, 2000, 3000], v: [0, 5, null, 2] },
    { label: 'p1', name: 'orders partition 1', t: [0, 1000, 2000, 3000], v: [1, 1, 1, 1] },
  ],
  windows: [{ startMs: 500, endMs: 1500 }],
  markers: [{ atMs: 1200, label: '1', severity: 'error' }, { atMs: 1250, label: '2', severity: 'info' }],
  ...over,
});

describe('scales and downsampling', () => {
  it.each<[number, number, number]>([
    [0, 1, 0.25],
    [7, 8, 2],
    [10, 10, 2],
    [600, 600, 200],
    [0.9, 1, 0.2],
    [12_345, 12_500, 2_500],
  ])('niceScale(%d) → max %d, step %d', (value, max, step) => {
    expect(niceScale(value)).toEqual({ max, step });
  });

  it('keeps a spike and a gap when it thins a long line', () => {
    const n = 10_000;
    const t = Array.from({ length: n }, (_, i) => i);
    const v: (number | null)[] = Array.from({ length: n }, () => 1);
    v[4_321] = 99;
    v[7_000] = null;
    const out = downsample(t, v, 600);
    expect(out.t.length).toBeLessThanOrEqual(900);
    expect(out.v).toContain(99);
    expect(out.v).toContain(null);
    expect(out.t).toEqual([...out.t].sort((a, b) => a - b));
    expect(downsample([1, 2], [3, 4], 600)).toEqual({ t: [1, 2], v: [3, 4] });
  });
});

describe('renderLineChart', () => {
  it('draws lines with dash patterns, end labels, a legend, hatched windows and numbered markers', () => {
    const svg = renderLineChart(spec())!;
    expect(svg.startsWith('<svg class="chart"')).toBe(true);
    expect(svg).toContain('<title id="c1-title">Lag &lt;per&gt; partition</title>');
    expect(svg).toContain('aria-labelledby="c1-title c1-desc"');
    expect(svg.match(/<path /g)).toHaveLength(2);
    // A null breaks the line: the first path moves the pen twice.
    expect(svg.match(/<path d="M[^"]*M/g)).toHaveLength(1);
    expect(svg).toContain(`stroke-dasharray="${LINE_STYLES[1]!.dash}"`);
    expect(svg).toContain('>p0</text>');
    expect(svg).toContain('orders partition 1');
    expect(svg).toContain('fill="url(#c1-hatch)"');
    expect(svg).toMatch(/class="marker-label"[^>]*>1<\/text>/);
    expect(svg).toMatch(/class="marker-label"[^>]*>2<\/text>/);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(svg).not.toMatch(/https?:/);
    expect(renderLineChart(spec())).toBe(svg);
  });

  it('returns null when no line has a value', () => {
    expect(renderLineChart(spec({ lines: [{ label: 'p0', name: 'x', t: [1, 2], v: [null, null] }] }))).toBeNull();
    expect(renderLineChart(spec({ lines: [] }))).toBeNull();
  });

  it('draws at most chartLinesMax lines', () => {
    const lines = Array.from({ length: reportLimits.chartLinesMax + 5 }, (_, i) => ({ label: `p${i}`, name: `n${i}`, t: [0, 1000], v: [i, i] }));
    expect(renderLineChart(spec({ lines }))!.match(/<path /g)).toHaveLength(reportLimits.chartLinesMax);
  });

  it('a single instant still draws (the range widens to a second)', () => {
    const svg = renderLineChart(spec({ lines: [{ label: 'p0', name: 'x', t: [5000], v: [3] }], windows: [], markers: [] }))!;
    expect(svg).not.toMatch(/NaN/);
  });
});

describe('text formats', () => {
  it.each<[number, string]>([
    [0, '0 ms'],
    [250, '250 ms'],
    [4_000, '4.0 s'],
    [73_000, '1 min 13 s'],
    [3_725_000, '1 h 02 min 05 s'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('offsets, axis times and numbers', () => {
    expect(formatOffset(1_500, 0)).toBe('+0:01.5');
    expect(formatOffset(0, 61_000)).toBe('−1:01.0');
    expect(formatAxisTime(-4_000)).toBe('−0:04');
    expect(formatAxisTime(75_000)).toBe('1:15');
    expect(formatNumber(0.25)).toBe('0.25');
    expect(formatNumber(12_500)).toBe('12.5k');
    expect(formatNumber(2_000_000)).toBe('2M');
  });

  it('a short instruction is the first paragraph without Markdown', () => {
    expect(shortInstruction('Start `python-consumer-1`. The **group** rebalances: see [docs](x).\n\nSecond paragraph.', 400)).toBe('Start python-consumer-1. The group rebalances: see docs.');
    expect(shortInstruction('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
