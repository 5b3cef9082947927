/**
 * Small pure SVG charts for the report: time on x (engine ms, labelled relative to the run's
 * start), lines with gaps where a value is null, shaded windows (rebalances' stop-the-world) and
 * numbered event markers (faults, elections, data loss). The output is an inline <svg> element for
 * HTML5 (no xmlns: the HTML parser puts <svg> in the SVG namespace): no script, no external
 * reference, every text escaped, ids prefixed by the caller so many
 * charts share one document.
 *
 * Nothing depends on colour alone: each line has its own dash pattern, a short label at its end and
 * an entry in the legend under the chart (sample stroke, label, full name),
 * windows are hatched as well as tinted, markers carry numbers that the HTML lists beside the chart.
 *
 * Invariants: at most reportLimits.chartLinesMax lines (the caller says how many it left out), at
 * most chartPointsPerLineMax points per line (min and max per bucket, so a spike survives),
 * chartWindowsMax windows and chartMarkersMax markers; every coordinate is finite and rounded to
 * 0.1 px, so the same data gives the same bytes.
 */
import { reportLimits } from './report-limits.js';
import { clip, escapeHtml, formatAxisTime, formatNumber } from './report-text.js';

export interface ChartLine {
  /** Short label drawn at the line's end ("p0"). */
  readonly label: string;
  /** The line's full name, in the legend under the chart ("edu-topic partition 0"). */
  readonly name: string;
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

export interface ChartWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export interface ChartMarker {
  readonly atMs: number;
  /** Short label on the marker ("1"); the HTML explains it. */
  readonly label: string;
  /** error markers are drawn solid, others dashed (shape, not only colour). */
  readonly severity: 'info' | 'warn' | 'error';
}

export interface ChartSpec {
  /** Prefix of every id inside the chart; unique in the document. */
  readonly idPrefix: string;
  readonly title: string;
  readonly description: string;
  readonly yAxisLabel: string;
  readonly xAxisLabel: string;
  /** x labels are relative to this instant (the run's start). */
  readonly originMs: number;
  readonly lines: readonly ChartLine[];
  readonly windows: readonly ChartWindow[];
  readonly markers: readonly ChartMarker[];
  /** The time range to draw (the same for every chart of a report); default: the lines' own. */
  readonly rangeMs?: { readonly min: number; readonly max: number };
  readonly widthPx?: number;
  readonly heightPx?: number;
}

/** Print-friendly colours that stay apart in greyscale too, with a dash pattern each. */
export const LINE_STYLES: readonly { readonly color: string; readonly dash: string }[] = [
  { color: '#1f5fa8', dash: '' },
  { color: '#c0392b', dash: '6 3' },
  { color: '#1e8449', dash: '2 3' },
  { color: '#7d3c98', dash: '8 3 2 3' },
  { color: '#b9770e', dash: '12 4' },
  { color: '#5d6d7e', dash: '4 2 1 2 1 2' },
];

const MARGIN = { left: 58, right: 44, top: 30, bottom: 42 } as const;
/** Vertical room of one legend row, and the least distance between two end labels. */
const LEGEND_ROW_PX = 15;
const LABEL_GAP_PX = 11;

function halfDash(dash: string): string {
  return dash === '' ? '' : ` stroke-dasharray="${dash.split(' ').map((d) => String(Number(d) / 2)).join(' ')}"`;
}

/** Rounds to 0.1 px, so output is stable. */
function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The x range of the data (lines, then windows and markers inside it); null when there is no point. */
function timeRange(spec: ChartSpec): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const line of spec.lines.slice(0, reportLimits.chartLinesMax)) {
    for (let i = 0; i < line.t.length && i < line.v.length; i++) {
      if (line.v[i] === null) continue;
      min = Math.min(min, line.t[i]!);
      max = Math.max(max, line.t[i]!);
    }
  }
  if (!Number.isFinite(min)) return null;
  if (max === min) max = min + 1_000;
  return { min, max };
}

/** A "nice" upper bound (1, 2, 2.5, 5 × 10^k) at or above `value`, and its tick step. */
export function niceScale(value: number, ticks = 5): { max: number; step: number } {
  if (!(value > 0)) return { max: 1, step: 0.25 };
  const raw = value / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return { max: Math.ceil(value / step - 1e-9) * step, step };
}

const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200].map((s) => s * 1_000);

function timeTicks(min: number, max: number, origin: number): number[] {
  const span = max - min;
  const step = TIME_STEPS_MS.find((s) => span / s <= 8) ?? TIME_STEPS_MS[TIME_STEPS_MS.length - 1]!;
  const first = origin + Math.ceil((min - origin) / step) * step;
  const ticks: number[] = [];
  for (let t = first; t <= max && ticks.length < 20; t += step) ticks.push(t);
  return ticks;
}

/**
 * At most `maxPoints` points: the line cut into buckets, each giving its min and max (in time
 * order). A null ends a run of points; a bucket holding one keeps a null so the gap stays.
 */
export function downsample(t: readonly number[], v: readonly (number | null)[], maxPoints: number): { t: number[]; v: (number | null)[] } {
  const n = Math.min(t.length, v.length);
  if (n <= maxPoints) return { t: t.slice(0, n), v: v.slice(0, n) };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const outT: number[] = [];
  const outV: (number | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let minI = -1;
    let maxI = -1;
    let sawNull = -1;
    for (let i = from; i < to; i++) {
      const value = v[i];
      if (value === null || value === undefined) {
        if (sawNull < 0) sawNull = i;
        continue;
      }
      if (minI < 0 || value < v[minI]!) minI = i;
      if (maxI < 0 || value > v[maxI]!) maxI = i;
    }
    const picks = [...new Set([minI, maxI, sawNull].filter((i) => i >= 0))].sort((a, b) => a - b);
    for (const i of picks) {
      outT.push(t[i]!);
      outV.push(v[i] ?? null);
    }
  }
  return { t: outT, v: outV };
}

/** The chart as an inline <svg>, or null when no line has a value (the caller says "no data"). */
export function renderLineChart(spec: ChartSpec): string | null {
  const own = timeRange(spec);
  if (own === null) return null;
  const range = spec.rangeMs !== undefined && spec.rangeMs.max > spec.rangeMs.min ? spec.rangeMs : own;
  const width = spec.widthPx ?? 720;
  const plotH = (spec.heightPx ?? 250) - MARGIN.top - MARGIN.bottom;
  const plotW = width - MARGIN.left - MARGIN.right;
  const drawnLines = spec.lines.slice(0, reportLimits.chartLinesMax);
  const legendColumns = 3;
  const legendRows = Math.ceil(drawnLines.length / legendColumns);
  const legendTop = MARGIN.top + plotH + MARGIN.bottom;
  const height = legendTop + legendRows * LEGEND_ROW_PX + (legendRows > 0 ? 6 : 0);
  const lines = spec.lines.slice(0, reportLimits.chartLinesMax).map((line) => downsample(line.t, line.v, reportLimits.chartPointsPerLineMax));
  let maxValue = 0;
  for (const line of lines) for (const value of line.v) if (value !== null && value > maxValue) maxValue = value;
  const y = niceScale(maxValue);
  const xOf = (ms: number): number => MARGIN.left + ((ms - range.min) / (range.max - range.min)) * plotW;
  const yOf = (value: number): number => MARGIN.top + plotH - (Math.max(0, value) / y.max) * plotH;
  const id = (name: string): string => `${spec.idPrefix}-${name}`;
  const out: string[] = [];

  out.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id('title')} ${id('desc')}">`,
    `<title id="${id('title')}">${escapeHtml(spec.title)}</title>`,
    `<desc id="${id('desc')}">${escapeHtml(spec.description)}</desc>`,
    `<defs><pattern id="${id('hatch')}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceff3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa5b1" stroke-width="1.5"/></pattern>`,
    `<clipPath id="${id('plot')}"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="#ffffff" stroke="#8a949e" stroke-width="1"/>`,
  );

  // Windows (under everything else), clipped to the plot.
  out.push(`<g clip-path="url(#${id('plot')})">`);
  for (const w of spec.windows.slice(0, reportLimits.chartWindowsMax)) {
    if (w.endMs < range.min || w.startMs > range.max) continue;
    const x0 = xOf(Math.max(range.min, w.startMs));
    const x1 = Math.max(x0 + 1.5, xOf(Math.min(range.max, w.endMs)));
    out.push(`<rect class="window" x="${px(x0)}" y="${MARGIN.top}" width="${px(x1 - x0)}" height="${plotH}" fill="url(#${id('hatch')})" opacity="0.9"/>`);
  }
  out.push('</g>');

  // Grid and y axis.
  for (let value = 0, i = 0; value <= y.max + 1e-9 && i <= 20; value += y.step, i++) {
    const yy = yOf(value);
    out.push(`<line x1="${MARGIN.left}" y1="${px(yy)}" x2="${MARGIN.left + plotW}" y2="${px(yy)}" stroke="#d5dbe1" stroke-width="0.8"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${px(yy + 3.5)}" text-anchor="end" class="tick">${escapeHtml(formatNumber(value))}</text>`);
  }
  out.push(`<text x="14" y="${px(MARGIN.top + plotH / 2)}" text-anchor="middle" class="axis" transform="rotate(-90 14 ${px(MARGIN.top + plotH / 2)})">${escapeHtml(spec.yAxisLabel)}</text>`);

  // x axis.
  for (const tick of timeTicks(range.min, range.max, spec.originMs)) {
    const xx = xOf(tick);
    out.push(`<line x1="${px(xx)}" y1="${MARGIN.top + plotH}" x2="${px(xx)}" y2="${MARGIN.top + plotH + 4}" stroke="#8a949e" stroke-width="1"/>`);
    out.push(`<text x="${px(xx)}" y="${MARGIN.top + plotH + 15}" text-anchor="middle" class="tick">${escapeHtml(formatAxisTime(tick - spec.originMs))}</text>`);
  }
  out.push(`<text x="${px(MARGIN.left + plotW / 2)}" y="${legendTop - 6}" text-anchor="middle" class="axis">${escapeHtml(spec.xAxisLabel)}</text>`);

  // Lines, clipped to the plot.
  out.push(`<g clip-path="url(#${id('plot')})" fill="none" stroke-width="1.8" stroke-linejoin="round">`);
  const ends: { label: string; y: number; style: (typeof LINE_STYLES)[number] }[] = [];
  lines.forEach((line, index) => {
    const style = LINE_STYLES[index % LINE_STYLES.length]!;
    const parts: string[] = [];
    let pen = false;
    let lastY: number | null = null;
    for (let i = 0; i < line.t.length; i++) {
      const value = line.v[i];
      if (value === null || value === undefined) {
        pen = false;
        continue;
      }
      parts.push(`${pen ? 'L' : 'M'}${px(xOf(line.t[i]!))} ${px(yOf(value))}`);
      pen = true;
      lastY = yOf(value);
    }
    if (parts.length === 0) return;
    const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
    out.push(`<path d="${parts.join(' ')}" stroke="${style.color}"${dash}/>`);
    if (lastY !== null) ends.push({ label: spec.lines[index]!.label, y: lastY, style });
  });
  out.push('</g>');

  // Short labels at the right edge, at least LABEL_GAP_PX apart: pushed down, then back up from the bottom.
  ends.sort((a, b) => a.y - b.y);
  const ys = ends.map((end) => end.y);
  for (let i = 1; i < ys.length; i++) ys[i] = Math.max(ys[i]!, ys[i - 1]! + LABEL_GAP_PX);
  for (let i = ys.length - 1; i >= 0; i--) ys[i] = Math.min(ys[i]!, i === ys.length - 1 ? MARGIN.top + plotH : ys[i + 1]! - LABEL_GAP_PX);
  ends.forEach((end, i) => {
    const yy = ys[i]!;
    out.push(`<line x1="${MARGIN.left + plotW + 3}" y1="${px(yy)}" x2="${MARGIN.left + plotW + 15}" y2="${px(yy)}" stroke="${end.style.color}" stroke-width="1.8"${halfDash(end.style.dash)}/>`);
    out.push(`<text x="${MARGIN.left + plotW + 18}" y="${px(yy + 3.5)}" class="line-label" fill="${end.style.color}">${escapeHtml(end.label)}</text>`);
  });

  // Legend under the chart: sample stroke, short label, full name.
  drawnLines.forEach((line, index) => {
    const style = LINE_STYLES[index % LINE_STYLES.length]!;
    const colW = (width - MARGIN.left) / legendColumns;
    const x = MARGIN.left + (index % legendColumns) * colW;
    const yy = legendTop + Math.floor(index / legendColumns) * LEGEND_ROW_PX + 8;
    out.push(`<line x1="${px(x)}" y1="${px(yy - 3.5)}" x2="${px(x + 22)}" y2="${px(yy - 3.5)}" stroke="${style.color}" stroke-width="2"${style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`}/>`);
    out.push(`<text x="${px(x + 27)}" y="${px(yy)}" class="legend"><tspan font-weight="700" fill="${style.color}">${escapeHtml(line.label)}</tspan> ${escapeHtml(clip(line.name, 40))}</text>`);
  });

  // Markers: a vertical line and a numbered tag above the plot, staggered in rows when close.
  const rowEnds = [-Infinity, -Infinity];
  for (const marker of spec.markers.slice(0, reportLimits.chartMarkersMax)) {
    if (marker.atMs < range.min || marker.atMs > range.max) continue;
    const xx = xOf(marker.atMs);
    const tagW = 7 + 6.5 * marker.label.length;
    let row = rowEnds.findIndex((endX) => endX + 2 < xx - tagW / 2);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = xx + tagW / 2;
    // Row 0 sits above the plot, row 1 just inside its top edge.
    const tagTop = row === 0 ? MARGIN.top - 14 : MARGIN.top + 2;
    const dash = marker.severity === 'error' ? '' : ' stroke-dasharray="3 2"';
    out.push(`<line class="marker" x1="${px(xx)}" y1="${MARGIN.top}" x2="${px(xx)}" y2="${MARGIN.top + plotH}" stroke="#222" stroke-width="1"${dash}/>`);
    out.push(`<rect x="${px(xx - tagW / 2)}" y="${px(tagTop)}" width="${px(tagW)}" height="12" rx="2" fill="${marker.severity === 'error' ? '#222' : '#ffffff'}" stroke="#222" stroke-width="0.8"/>`);
    out.push(`<text x="${px(xx)}" y="${px(tagTop + 9)}" text-anchor="middle" class="marker-label" fill="${marker.severity === 'error' ? '#ffffff' : '#222'}">${escapeHtml(marker.label)}</text>`);
  }

  out.push('</svg>');
  return out.join('');
}
