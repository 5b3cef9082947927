/**
 * The in-process transport: the engine runs on the caller's thread. Used by tests, and by the
 * simulation and lab autopilots that need no UI. In simulation, `drive` moves virtual time until a
 * request's answer is there (runUntilSettled); live, time moves by itself and `drive` is identity.
 */
import type { OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import type { EngineCore, EngineHost } from './engine-host.js';
import { EventFanout } from './event-fanout.js';

export class InProcessHost implements EngineHost {
  private readonly fanout = new EventFanout();
  private readonly stopListening: () => void;

  constructor(
    private readonly workbench: EngineCore,
    private readonly drive: <T>(work: Promise<T>) => Promise<T> = (work) => work,
  ) {
    this.stopListening = workbench.onEvent((event, payload) => this.fanout.publish(event, payload));
    for (const [event, payload] of workbench.initialEvents()) this.fanout.publish(event, payload);
  }

  invoke(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>> {
    return this.drive(this.workbench.handle(kind, name, payload));
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    return this.fanout.subscribe(event, listener);
  }

  close(): Promise<void> {
    this.stopListening();
    this.workbench.close();
    this.fanout.clear();
    return Promise.resolve();
  }
}
