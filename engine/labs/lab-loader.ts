/**
 * Reads lab files (`labs/NN-slug.yaml`): YAML parsed with positions, then the lab schema. Every
 * problem is reported as `file:line:column: message`, pointing at the YAML node the problem is
 * about (or at its parent when a required key is missing), so an instructor can fix a lab without
 * reading code. One bad file never keeps the other labs from loading.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { LabSchema, type Lab } from './lab-schema.js';
import { labLimits } from './lab-limits.js';

export interface LabProblem {
  readonly file: string;
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type LabLoadResult = { readonly ok: true; readonly lab: Lab; readonly file: string } | { readonly ok: false; readonly file: string; readonly problems: readonly LabProblem[] };

export function formatProblem(problem: LabProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** `03-rebalancing-round.yaml` → `rebalancing-round`, or null when the name does not follow the rule. */
export function slugOfFileName(fileName: string): string | null {
  const match = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/.exec(fileName);
  return match === null ? null : match[2]!;
}

export function loadLabText(file: string, text: string): LabLoadResult {
  const lineCounter = new LineCounter();
  const at = (offset: number, message: string): LabProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, message };
  };
  if (Buffer.byteLength(text, 'utf8') > labLimits.labFileBytesMax) {
    return { ok: false, file, problems: [{ file, line: 1, column: 1, message: `the file is larger than ${labLimits.labFileBytesMax} bytes` }] };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, file, problems: doc.errors.map((e) => at(e.pos[0], `YAML: ${firstLine(e.message)}`)) };
  }
  const parsed = LabSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) return { ok: false, file, problems: parsed.error.issues.map((issue) => at(offsetOf(doc, issuePath(issue), issue.code === 'unrecognized_keys'), describeIssue(issue))) };
  const problems: LabProblem[] = [];
  const baseName = file.split(/[\\/]/).pop()!;
  const slug = slugOfFileName(baseName);
  if (slug === null) problems.push({ file, line: 1, column: 1, message: `a lab file is named NN-id.yaml (like 03-rebalancing-round.yaml), not ${baseName}` });
  else if (slug !== parsed.data.id) problems.push(at(offsetOf(doc, ['id']), `the id '${parsed.data.id}' does not match the file name '${baseName}'`));
  return problems.length > 0 ? { ok: false, file, problems } : { ok: true, lab: parsed.data, file };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** Where to point for an issue: an unknown key is pointed at itself, not at its map. */
function issuePath(issue: z.core.$ZodIssue): readonly PropertyKey[] {
  return issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]!] : issue.path;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
  if (issue.code === 'unrecognized_keys') return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'check') return `${where}unknown check kind`;
  return `${where}${issue.message}`;
}

/**
 * The source offset of the node at `path`. When the path ends at a key that is not there (a
 * missing key), the key that holds its parent map; when the value is missing, or `atKey` (an
 * unknown key), the key itself.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[], atKey = false): number {
  let node: Node | null = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  let keyOffset: number | null = null;
  for (const key of path) {
    let next: unknown = undefined;
    let nextKeyOffset: number | null = null;
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (pair !== undefined) {
        next = pair.value;
        nextKeyOffset = (pair.key as Node | null)?.range?.[0] ?? null;
        if (next === null || next === undefined) return nextKeyOffset ?? offset;
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined || next === null || typeof next !== 'object' || !('range' in next)) {
      // A key the map does not have: or a scalar asked for a child.
      return nextKeyOffset ?? keyOffset ?? offset;
    }
    node = next as Node;
    keyOffset = nextKeyOffset;
    offset = node.range?.[0] ?? offset;
  }
  return atKey ? (keyOffset ?? offset) : offset;
}
