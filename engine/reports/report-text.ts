/**
 * Pure text helpers of the reports: HTML escaping, clipping, Markdown to a short plain instruction,
 * and the formats of times and durations. Times are engine ms since the epoch and are printed in
 * UTC, so the same report prints the same everywhere (and in tests).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** At most `maxChars` characters (code points), with "…" when clipped. */
/**
 * A lab's short text (a step title: "Create the topic `test`") as HTML: escaped, with its
 * Markdown inline code as <code>, the only Markdown a title uses.
 */
export function inlineHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>');
}

export function clip(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/**
 * A step's instruction shortened for the report: the first paragraph of its Markdown as plain text
 * (code spans, emphasis and link targets removed, whitespace collapsed), at most `maxChars`.
 */
export function shortInstruction(markdown: string, maxChars: number): string {
  const paragraphs = markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  const first = paragraphs.find((p) => p.trim() !== '') ?? '';
  const plain = first
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_]/g, '$1$2')
    .replace(/^\s{0,3}(#{1,6}|[-*+]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(plain, maxChars);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2026-01-05 09:00:05 UTC" */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** "2026-01-05" */
export function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A duration as "1 h 02 min 03 s", "2 min 05 s", "4.3 s" or "120 ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}

/** An instant relative to `originMs` as "+m:ss.t" (or "−m:ss.t" before it). */
export function formatOffset(ms: number, originMs: number): string {
  const delta = ms - originMs;
  const sign = delta < 0 ? '−' : '+';
  const abs = Math.abs(delta);
  const minutes = Math.floor(abs / 60_000);
  const seconds = (abs % 60_000) / 1000;
  return `${sign}${minutes}:${seconds.toFixed(1).padStart(4, '0')}`;
}

/** "m:ss" for chart axes (relative ms, may be negative). */
export function formatAxisTime(deltaMs: number): string {
  const sign = deltaMs < 0 ? '−' : '';
  const abs = Math.round(Math.abs(deltaMs) / 1000);
  return `${sign}${Math.floor(abs / 60)}:${pad(abs % 60)}`;
}

/** A number for a chart axis or a table: integers as is, others with up to 2 decimals, big ones with k/M. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${trimZeros((value / 1_000_000).toFixed(1))}M`;
  if (abs >= 10_000) return `${trimZeros((value / 1_000).toFixed(1))}k`;
  if (Number.isInteger(value)) return String(value);
  return trimZeros(value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
