/**
 * Turns a stream of event payloads into frames for one subscriber: the first payload whole, then
 * only what changed since the payload that subscriber last received (a structural diff), or the
 * whole payload again when the changes would not be smaller. The views' streams are snapshots
 * (cluster status, groups, services) that change a few numbers at a time, so a subscriber receives a
 * few hundred bytes per push instead of the whole snapshot: this is what keeps the streams within
 * their bandwidth bound (at most 10 pushes a second, each small).
 *
 * Invariants: applying the frames in order to nothing (renderer/src/api/event-patch.ts) yields a value
 * deep-equal to the last payload encoded; the encoder keeps one payload per stream (its last); a diff
 * stops after `DIFF_OPS_MAX` operations and sends the whole payload instead.
 */
import type { EventFrame, PatchOp, PatchPath } from '../api/ws-messages.js';

/** Operations one patch may hold: past this, a whole payload is as small and cheaper to apply. */
const DIFF_OPS_MAX = 2000;
/** A patch is sent only when its JSON is at most this share of the whole payload's. */
const PATCH_SIZE_RATIO_MAX = 0.7;

export class EventEncoder {
  private readonly last = new Map<string, unknown>();
  /** Bytes of JSON this encoder produced (frames), for the bandwidth measurements. */
  bytesEncoded = 0;

  encode(event: string, payload: unknown): EventFrame {
    const previous = this.last.get(event);
    this.last.set(event, payload);
    const full: EventFrame = { full: payload };
    if (previous === undefined) return this.count(full);
    const ops = diffPayloads(previous, payload);
    if (ops === null) return this.count(full);
    const patch: EventFrame = { ops };
    return JSON.stringify(ops).length <= JSON.stringify(payload).length * PATCH_SIZE_RATIO_MAX ? this.count(patch) : this.count(full);
  }

  /** Forgets a stream (unsubscribed): the next payload goes whole. */
  forget(event: string): void {
    this.last.delete(event);
  }

  private count(frame: EventFrame): EventFrame {
    this.bytesEncoded += JSON.stringify(frame).length;
    return frame;
  }
}

/** One change with its whole path, before `compact` writes it relative to the one before. */
type Change = { readonly p: PatchPath; readonly v: unknown } | { readonly p: PatchPath; readonly del: true } | { readonly p: PatchPath; readonly len: number };

/** The operations turning `previous` into `next`, or null when there would be more than DIFF_OPS_MAX. */
export function diffPayloads(previous: unknown, next: unknown): PatchOp[] | null {
  const changes: Change[] = [];
  return diffInto(previous, next, [], changes) ? compact(changes) : null;
}

/** Writes each change's path relative to the previous change's (see PatchOp). */
function compact(changes: readonly Change[]): PatchOp[] {
  let previous: PatchPath = [];
  return changes.map((change) => {
    let keep = 0;
    while (keep < previous.length && keep < change.p.length && previous[keep] === change.p[keep]) keep++;
    const tail = change.p.slice(keep);
    previous = change.p;
    if ('v' in change) return [keep, tail, change.v] as const;
    if ('len' in change) return [keep, tail, 0, change.len] as const;
    return [keep, tail] as const;
  });
}

function diffInto(previous: unknown, next: unknown, path: PatchPath, ops: Change[]): boolean {
  if (Object.is(previous, next)) return true;
  if (Array.isArray(previous) && Array.isArray(next)) return diffArrays(previous, next, path, ops);
  if (isPlainObject(previous) && isPlainObject(next)) return diffObjects(previous, next, path, ops);
  ops.push({ p: path, v: next });
  return ops.length <= DIFF_OPS_MAX;
}

function diffArrays(previous: readonly unknown[], next: readonly unknown[], path: PatchPath, ops: Change[]): boolean {
  const common = Math.min(previous.length, next.length);
  for (let i = 0; i < common; i++) if (!diffInto(previous[i], next[i], [...path, i], ops)) return false;
  if (next.length < previous.length) ops.push({ p: path, len: next.length });
  for (let i = common; i < next.length; i++) ops.push({ p: [...path, i], v: next[i] });
  return ops.length <= DIFF_OPS_MAX;
}

function diffObjects(previous: Record<string, unknown>, next: Record<string, unknown>, path: PatchPath, ops: Change[]): boolean {
  for (const key of Object.keys(next)) {
    if (!Object.hasOwn(previous, key)) ops.push({ p: [...path, key], v: next[key] });
    else if (!diffInto(previous[key], next[key], [...path, key], ops)) return false;
  }
  for (const key of Object.keys(previous)) if (!Object.hasOwn(next, key)) ops.push({ p: [...path, key], del: true });
  return ops.length <= DIFF_OPS_MAX;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
