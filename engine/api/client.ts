/**
 * The transport-neutral client surface, as types: renderer code and tests program against
 * `EngineApi`; a transport (preload bridge, WebSocket, in-process) supplies `Transport`. The
 * renderer imports only types from engine/api, so the implementation lives beside its users
 * (renderer/src/api/engine-api.ts).
 */
import type { Envelope } from './errors.js';
import type {
  CommandName,
  CommandRequest,
  CommandResponse,
  EventName,
  EventPayload,
  OperationKind,
  QueryName,
  QueryRequest,
  QueryResponse,
} from './contract.js';

export interface Transport {
  invoke(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Returns the function that ends the subscription. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export interface EngineApi {
  command<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>>;
  query<N extends QueryName>(name: N, request: QueryRequest<N>): Promise<QueryResponse<N>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
