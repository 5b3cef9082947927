/**
 * The message browser's rules that do not need Vue: which offsets the virtual table's rows stand
 * for, where a record batch starts and ends, when live tail lets go, and how a key or value is
 * previewed in a row and shown in full in the details panel.
 */
import type { BrowsedRecordDto } from '../../../engine/api/records-dto';

export interface OffsetBounds {
  readonly logStartOffset: number;
  readonly highWatermark: number;
}

/** The offsets the table's rows stand for: row i is offset `start + i`. */
export interface RowWindow {
  readonly start: number;
  readonly count: number;
}

/**
 * The rows of the table: one per offset from the log start to the high watermark. A partition with
 * more offsets than `rowsMax` shows a window of `rowsMax` offsets around `anchor` (the newest ones
 * without an anchor), because a browser cannot lay out a taller element.
 */
export function rowWindow(bounds: OffsetBounds, rowsMax: number, anchor: number | null): RowWindow {
  const total = Math.max(0, bounds.highWatermark - bounds.logStartOffset);
  if (total <= rowsMax) return { start: bounds.logStartOffset, count: total };
  const newest = bounds.highWatermark - rowsMax;
  const wanted = anchor === null ? newest : anchor - Math.floor(rowsMax / 2);
  return { start: Math.min(newest, Math.max(bounds.logStartOffset, wanted)), count: rowsMax };
}

/** What the user typed as an offset to jump to, checked against what a consumer can read. */
export type OffsetJump = { readonly ok: true; readonly offset: number } | { readonly ok: false; readonly reason: 'invalid' | 'empty' | 'below' | 'above' };

export function parseOffsetJump(text: string, bounds: OffsetBounds): OffsetJump {
  const trimmed = text.trim().replace(/[,_]/g, '');
  if (!/^\d{1,16}$/.test(trimmed)) return { ok: false, reason: 'invalid' };
  const offset = Number(trimmed);
  if (bounds.highWatermark <= bounds.logStartOffset) return { ok: false, reason: 'empty' };
  if (offset < bounds.logStartOffset) return { ok: false, reason: 'below' };
  if (offset >= bounds.highWatermark) return { ok: false, reason: 'above' };
  return { ok: true, offset };
}

/**
 * Whether `record` starts a batch as far as the table shows it: the record before it (when known)
 * belongs to another batch, or, with the record before unknown, it is its batch's first offset.
 */
export function startsBatch(record: BrowsedRecordDto, previous: BrowsedRecordDto | null | undefined): boolean {
  if (previous === null) return true;
  if (previous === undefined) return record.offset === record.batchBaseOffset;
  return previous.batchBaseOffset !== record.batchBaseOffset;
}

/** Whether `record` ends its batch as the table shows it: mirror of startsBatch for the next record. */
export function endsBatch(record: BrowsedRecordDto, next: BrowsedRecordDto | null | undefined): boolean {
  if (next === null) return true;
  if (next === undefined) return record.offset === record.batchLastOffset;
  return next.batchBaseOffset !== record.batchBaseOffset;
}

/**
 * Live tail lets go when the user scrolls up: a scroll that leaves the view more than a row from
 * the bottom. New records grow the table without scrolling it, so only the user makes this happen.
 */
export function tailLetsGo(tailing: boolean, distanceFromBottomPx: number, rowHeightPx: number): boolean {
  return tailing && distanceFromBottomPx > rowHeightPx;
}

/** A one-line preview of a key or value for a table cell: line breaks shown as ↵, cut at `maxChars`. */
export function previewText(text: string, maxChars: number): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return cut.replace(/\r?\n/g, '↵');
}

/** Headers as one line: name=value, null values as Kafka's console consumer prints them. */
export function headersPreview(headers: readonly { key: string; value: string | null }[], maxChars: number): string {
  return previewText(headers.map((h) => `${h.key}=${h.value ?? 'null'}`).join(', '), maxChars);
}

/** Largest value the details panel parses as JSON; larger ones are shown as they are. */
export const JSON_PRETTY_MAX_CHARS = 262_144;

/** A value for the details panel: pretty-printed when it is a JSON object or array, else as it is. */
export function prettyValue(value: string): { readonly text: string; readonly json: boolean } {
  const trimmed = value.trim();
  const looksJson = (trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'));
  if (!looksJson || value.length > JSON_PRETTY_MAX_CHARS) return { text: value, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed) as unknown, null, 2), json: true };
  } catch {
    return { text: value, json: false };
  }
}

/** Bytes of a string as UTF-8, for the details panel's sizes. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * A local date-time as typed into a datetime-local field (seconds and milliseconds optional) to
 * engine ms; null when it is not one. The field has no zone: it is the viewer's local time, as the
 * table shows timestamps.
 */
export function parseLocalDateTime(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, ms] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  return Number.isNaN(date.getTime()) || date.getMonth() !== Number(mo) - 1 ? null : date.getTime();
}

/** Engine ms as a datetime-local field's value (local time, to the millisecond). */
export function toLocalDateTimeInput(timestampMs: number): string {
  const date = new Date(timestampMs);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * Whether the rows [first, endExclusive) now in view overlap or touch the range read last: a move
 * of less than a screen. Nothing read yet counts as nearby, so the first view reads at once.
 */
export function isNearby(lastRead: { first: number; endExclusive: number } | null, first: number, endExclusive: number): boolean {
  if (lastRead === null) return true;
  return first <= lastRead.endExclusive && endExclusive >= lastRead.first;
}
