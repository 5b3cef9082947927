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

export type ServerFrame =
  | { readonly type: 'result'; readonly id: number | null; readonly envelope: Envelope<unknown> }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

/** The path of the WebSocket endpoint on the headless shell. */
export const WS_PATH = '/api';
/** The query parameter (and cookie) carrying the per-run token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'kafka_lab_token';
