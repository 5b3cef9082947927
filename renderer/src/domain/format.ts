/** Display formats shared by the views. */

/** A record timestamp as local date and time with milliseconds; -1 is Kafka's "no timestamp". */
export function formatTimestamp(timestampMs: number, locale: string): string {
  if (timestampMs < 0) return '—';
  const date = new Date(timestampMs);
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
  return `${dateTime}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Time of day with milliseconds, for dense tables; the full date goes in a tooltip. */
export function formatTime(timestampMs: number, locale: string): string {
  if (timestampMs < 0) return '—';
  const date = new Date(timestampMs);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
  return `${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
