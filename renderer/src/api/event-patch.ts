/**
 * Rebuilds an event stream's payloads from its frames (engine/host/event-encoder.ts): a whole
 * payload, or operations on the previous one. Copy-on-write: every container on a changed path is a
 * new object, everything else keeps its identity, so Vue re-renders only what changed.
 *
 * Invariant: a frame that does not fit the previous payload (a path through nothing, a key such as
 * `__proto__`) is refused with an error, never half-applied; the caller asks for a whole payload.
 */
import type { EventFrame, PatchOp, PatchPath } from '../../../engine/api/ws-messages';

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export class EventFrameError extends Error {}

/** Per stream, the last payload rebuilt. */
export class EventFrameDecoder {
  private readonly last = new Map<string, unknown>();

  decode(event: string, frame: EventFrame): unknown {
    if ('full' in frame) {
      this.last.set(event, frame.full);
      return frame.full;
    }
    if (!this.last.has(event)) throw new EventFrameError(`A change to event '${event}' arrived before its first whole payload.`);
    const next = applyPatch(this.last.get(event), frame.ops);
    this.last.set(event, next);
    return next;
  }

  forget(event: string): void {
    this.last.delete(event);
  }
}

type Change = { readonly p: PatchPath; readonly v: unknown } | { readonly p: PatchPath; readonly del: true } | { readonly p: PatchPath; readonly len: number };

export function applyPatch(base: unknown, ops: readonly PatchOp[]): unknown {
  const fresh = new WeakSet<object>();
  let root = base;
  let previous: PatchPath = [];
  for (const op of ops) {
    const change = expand(op, previous);
    previous = change.p;
    root = applyOp(root, change, 0, fresh);
  }
  return root;
}

/** The change an operation stands for, with its whole path (see PatchOp). */
function expand(op: PatchOp, previous: PatchPath): Change {
  if (!Array.isArray(op) || !Number.isInteger(op[0]) || op[0] < 0 || op[0] > previous.length || !Array.isArray(op[1])) throw new EventFrameError('A change that is not [keep, path, ...].');
  const p = [...previous.slice(0, op[0]), ...(op[1] as PatchPath)];
  if (op.length === 2) return { p, del: true };
  if (op.length === 3) return { p, v: op[2] };
  if (op.length === 4 && op[2] === 0 && Number.isInteger(op[3])) return { p, len: op[3] };
  throw new EventFrameError('A change of an unknown form.');
}

function applyOp(node: unknown, op: Change, depth: number, fresh: WeakSet<object>): unknown {
  if (depth === op.p.length) {
    if ('v' in op) return op.v;
    if ('len' in op) {
      if (!Array.isArray(node)) throw new EventFrameError('A length change on something that is not a list.');
      return node.slice(0, op.len);
    }
    throw new EventFrameError('A deletion of the whole payload.');
  }
  const key = op.p[depth]!;
  if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw new EventFrameError(`The key '${key}' is not allowed in a payload.`);
  const copy = writable(node, fresh);
  if (depth === op.p.length - 1 && 'del' in op) {
    delete (copy as Record<string, unknown>)[key];
    return copy;
  }
  const child = (copy as Record<string | number, unknown>)[key];
  (copy as Record<string | number, unknown>)[key] = applyOp(child, op, depth + 1, fresh);
  return copy;
}

/** The container itself if this patch already copied it, else a shallow copy of it. */
function writable(node: unknown, fresh: WeakSet<object>): object {
  if (typeof node !== 'object' || node === null) throw new EventFrameError('A change below a value that is not an object or a list.');
  if (fresh.has(node)) return node;
  const copy = Array.isArray(node) ? node.slice() : { ...(node as Record<string, unknown>) };
  fresh.add(copy);
  return copy;
}
