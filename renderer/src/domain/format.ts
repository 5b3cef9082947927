/**
 * Display formats shared by the views. Intl formatters are costly to build (tens of microseconds
 * each) and tables format thousands of cells while scrolling, so each (locale, style) pair is
 * built once and kept; there are two languages and a handful of styles.
 */

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
const DATE_MINUTES: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false };
const TIME_OF_DAY: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };

/** Formatters by style and locale; bounded by the styles below times the app's two languages (any locale string adds one). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

const STYLES = { dateTime: DATE_TIME, dateMinutes: DATE_MINUTES, timeOfDay: TIME_OF_DAY } as const;

function dateFormat(style: keyof typeof STYLES, locale: string): Intl.DateTimeFormat {
  const key = `${style}|${locale}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, STYLES[style]);
    dateFormats.set(key, format);
  }
  return format;
}

/** A record timestamp as local date and time with milliseconds; -1 is Kafka's "no timestamp". */
export function formatTimestamp(timestampMs: number, locale: string): string {
  if (timestampMs < 0) return '—';
  const date = new Date(timestampMs);
  return `${dateFormat('dateTime', locale).format(date)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Time of day with milliseconds, for dense tables; the full date goes in a tooltip. */
export function formatTime(timestampMs: number, locale: string): string {
  if (timestampMs < 0) return '—';
  const date = new Date(timestampMs);
  return `${dateFormat('timeOfDay', locale).format(date)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** A moment to the minute, for lists of runs: "Nov 22, 2026, 14:05" / "2026년 11월 22일 14:05". */
export function formatDateMinutes(timestampMs: number, locale: string): string {
  return dateFormat('dateMinutes', locale).format(new Date(timestampMs));
}
