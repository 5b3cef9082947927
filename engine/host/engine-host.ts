/**
 * What every transport talks to: something that runs validated requests against an engine and
 * streams its events. Implemented in-process (tests) and by the worker-thread host (desktop, CLI).
 */
import type { OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';

export interface EngineHost {
  /** Runs a request whose payload the gateway has already validated. */
  invoke(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Delivers the stream's latest payload at once (if there is one), then every new one. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}
