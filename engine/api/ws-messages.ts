/**
 * The WebSocket transport's frames (JSON text). Requests carry an id the answer repeats; events
 * carry no id. The server validates every frame it receives (engine/host/transports/websocket.ts).
 */
import type { Envelope } from './errors.js';
import type { OperationKind } from './contract.js';

export type ClientFrame =
  | { readonly id: number; readonly type: 'invoke'; readonly kind: OperationKind; readonly name: string; readonly payload: unknown }
  | { readonly id: number; readonly type: 'subscribe'; readonly event: string }
  | { readonly id: number; readonly type: 'unsubscribe'; readonly event: string };

/** A path into an event payload: object keys and array indexes. */
export type PatchPath = readonly (string | number)[];

/**
 * One change to the previous payload of a stream, as a compact tuple. Its path is written relative
 * to the previous operation's: `keep` leading segments of the previous path, then `tail`. Changes
 * come in document order, so consecutive ones share most of their path and cost a few bytes each.
 * - `[keep, tail, value]`: set the value at the path;
 * - `[keep, tail]`: delete the object key at the path;
 * - `[keep, tail, 0, length]`: cut the array at the path to `length`.
 */
export type PatchOp = readonly [number, PatchPath, unknown] | readonly [number, PatchPath] | readonly [number, PatchPath, 0, number];

/**
 * An event as a subscriber receives it on a message transport: the whole payload, or the changes to
 * the previous one it received on the same stream (engine/host/event-encoder.ts decides which is
 * smaller). The first frame of every subscription is whole.
 */
export type EventFrame = { readonly full: unknown } | { readonly ops: readonly PatchOp[] };

export type ServerFrame =
  | { readonly type: 'result'; readonly id: number | null; readonly envelope: Envelope<unknown> }
  | { readonly type: 'event'; readonly event: string; readonly frame: EventFrame };

/** The path of the WebSocket endpoint on the headless shell. */
export const WS_PATH = '/api';
/** The query parameter (and cookie) carrying the per-run token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'kafka_lab_token';
