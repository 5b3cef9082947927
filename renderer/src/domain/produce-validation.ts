/**
 * The produce dialog's form: key, value (or a null value, Kafka's tombstone), headers as name and
 * value rows, partition (the default partitioner, or a number) and acks. Kafka's headers are a
 * list: the same name may appear twice, and an empty value is a value; only a row with a value and
 * no name is a mistake.
 */
import type { CommandRequest } from '../../../engine/api/contract';
import { uiMessage, type UiMessage } from './messages';
import { rendererLimits } from './renderer-limits';

export type AcksChoice = '0' | '1' | 'all';

export interface HeaderRow {
  key: string;
  value: string;
}

export interface ProduceForm {
  key: string;
  value: string;
  /** A null value (a tombstone, which compaction uses to delete a key) instead of the text. */
  nullValue: boolean;
  headers: HeaderRow[];
  /** '' lets the partitioner choose (murmur2 of the key), else a partition number as typed. */
  partition: string;
  acks: AcksChoice;
}

export interface ProduceProblems {
  partition?: UiMessage;
  headers: (UiMessage | undefined)[];
  headersCount?: UiMessage;
}

export type ProduceValidation =
  | { readonly ok: true; readonly request: CommandRequest<'produceRecord'> & { acks: AcksChoice } }
  | { readonly ok: false; readonly problems: ProduceProblems };

function headerProblem(row: HeaderRow): UiMessage | undefined {
  if (row.key === '' && row.value !== '') return uiMessage('browser.produce.errors.headerNameEmpty');
  return undefined;
}

export function validateProduce(topic: string, form: ProduceForm, partitionCount: number): ProduceValidation {
  const problems: ProduceProblems = { headers: form.headers.map(headerProblem) };
  const used = form.headers.filter((row) => row.key !== '' || row.value !== '');
  if (used.length > rendererLimits.produceHeadersMax) problems.headersCount = uiMessage('browser.produce.errors.tooManyHeaders', { max: rendererLimits.produceHeadersMax });
  let partition: number | undefined;
  if (form.partition !== '') {
    partition = /^\d{1,10}$/.test(form.partition.trim()) ? Number(form.partition.trim()) : -1;
    if (partition < 0 || partition >= partitionCount) problems.partition = uiMessage('browser.produce.errors.partition', { last: partitionCount - 1 });
  }
  if (problems.partition !== undefined || problems.headersCount !== undefined || problems.headers.some((p) => p !== undefined)) return { ok: false, problems };
  return {
    ok: true,
    request: {
      topic,
      ...(partition === undefined ? {} : { partition }),
      key: form.key === '' ? null : form.key,
      value: form.nullValue ? null : form.value,
      headers: used.map((row) => ({ key: row.key, value: row.value })),
      acks: form.acks,
    },
  };
}

/**
 * Headers pasted as text, the way kafka-console-producer's parse.headers reads them
 * ("name:value,name2:value2") or one "name=value" a line: the rows they make, null when the text
 * holds no separator (it is then just a name).
 */
export function parseHeaderText(text: string): HeaderRow[] | null {
  if (!text.includes('=') && !text.includes(':')) return null;
  const rows: HeaderRow[] = [];
  for (const part of text.split(/[\n,]/)) {
    const item = part.trim();
    if (item === '') continue;
    const at = [item.indexOf('='), item.indexOf(':')].filter((i) => i >= 0).sort((a, b) => a - b)[0];
    if (at === undefined) rows.push({ key: item, value: '' });
    else rows.push({ key: item.slice(0, at).trim(), value: item.slice(at + 1).trim() });
    if (rows.length >= rendererLimits.produceHeadersMax) break;
  }
  return rows;
}
