/**
 * What every transport talks to: something that runs validated requests against an engine and
 * streams its events. Implemented in-process (tests) and by the worker-thread host (desktop, CLI).
 */
import type { EventName, OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import type { EventListener } from './workbench.js';

/**
 * What a host runs requests against: the Workbench itself, or the LabHost in front of it (the app,
 * where a lab's own cluster may be the one shown).
 */
export interface EngineCore {
  handle(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: EventListener): () => void;
  /** The snapshots a new subscriber gets first (the cluster status, groups, services, faults...). */
  initialEvents(): [EventName, unknown][];
  close(): void;
}

export interface EngineHost {
  /** Runs a request whose payload the gateway has already validated. */
  invoke(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Delivers the stream's latest payload at once (if there is one), then every new one. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}
