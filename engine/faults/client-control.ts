/**
 * What the fault injector (and the Services view's replica buttons) can do to a client process: an
 * in-app consumer or a service replica. Each client runs behind a ProcessGate
 * (engine/core/process-gate.ts), so a pause freezes its timers and its network answers, as a
 * stop-the-world GC pause freezes a JVM.
 */
export type ClientProcessState = 'starting' | 'running' | 'paused' | 'crashed' | 'stopped';

export interface ClientControl {
  readonly clientId: string;
  readonly kind: 'service-replica' | 'consumer';
  state(): ClientProcessState;
  /** The process dies: no commit, no LeaveGroup. */
  crash(reason: string): void;
  /** Starts it again (same client id; a consumer joins as a new member unless it is static). */
  restart(): void;
  pause(reason: string): void;
  resume(): void;
  processingMsPerRecord(): number;
  setProcessingMsPerRecord(ms: number): void;
  clockSkewMs(): number;
  setClockSkewMs(ms: number): void;
}

/** Finds client processes by client id (service replicas use their replica id as client id). */
export interface ClientDirectory {
  client(clientId: string): ClientControl | null;
  clientIds(): readonly string[];
}
