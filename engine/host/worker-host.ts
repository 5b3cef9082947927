/**
 * The worker-thread host: runs the engine in a Node worker and carries requests and events across.
 * Used by the Electron main process and by `kafka-lab serve`, so neither ever waits on the engine's
 * disk I/O. Pending requests are bounded (limits.pendingRequestsMax) and time out
 * (limits.requestTimeoutMs); if the worker dies, every pending request fails with a clear error.
 */
import { Worker } from 'node:worker_threads';
import type { OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import { assert } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Timers, TimerHandle } from '../core/timers.js';
import type { EngineHost } from './engine-host.js';
import type { PdfPrinter } from './report-service.js';
import { errorEnvelope } from './envelopes.js';
import { EventFanout } from './event-fanout.js';
import type { EngineWorkerOptions, FromWorker, ToWorker } from './worker-protocol.js';

interface Pending {
  resolve(envelope: Envelope<unknown>): void;
  timer: TimerHandle;
}

export class WorkerHost implements EngineHost {
  private readonly pending = new Map<number, Pending>();
  private readonly fanout = new EventFanout();
  private nextId = 1;
  private deadReason: string | null = null;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly timers: Timers,
    private readonly printPdf: PdfPrinter | null,
  ) {
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.die(`the engine worker failed: ${error.message}`));
    worker.on('exit', (code) => this.die(`the engine worker exited (code ${code})`));
  }

  /**
   * Starts the worker and resolves once it holds the data directory and serves requests.
   * `printPdf` prints the worker's PDF reports (null: the exports say PDF is not available here).
   */
  static start(workerScript: URL | string, options: EngineWorkerOptions, timers: Timers, printPdf: PdfPrinter | null = null): Promise<WorkerHost> {
    const worker = new Worker(workerScript, { workerData: options });
    const host = new WorkerHost(worker, timers, printPdf);
    return new Promise((resolve, reject) => {
      const onStart = (message: FromWorker): void => {
        if (message.type === 'ready') {
          worker.off('message', onStart);
          resolve(host);
        } else if (message.type === 'fatal') {
          worker.off('message', onStart);
          void worker.terminate();
          reject(new Error(message.message));
        }
      };
      worker.on('message', onStart);
      worker.once('error', reject);
    });
  }

  invoke(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>> {
    if (this.deadReason !== null) return Promise.resolve(errorEnvelope(new KafkaError('BROKER_NOT_AVAILABLE', `The engine is not running: ${this.deadReason}.`)));
    if (this.pending.size >= limits.pendingRequestsMax) {
      return Promise.resolve(errorEnvelope(new KafkaError('REQUEST_TIMED_OUT', `The engine has ${this.pending.size} requests waiting; try again shortly.`)));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = this.timers.after(limits.requestTimeoutMs, () => {
        this.pending.delete(id);
        resolve(errorEnvelope(new KafkaError('REQUEST_TIMED_OUT', `The engine did not answer ${kind} '${name}' within ${limits.requestTimeoutMs} ms.`)));
      });
      this.pending.set(id, { resolve, timer });
      this.send({ type: 'invoke', id, kind, name, payload });
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    return this.fanout.subscribe(event, listener);
  }

  close(): Promise<void> {
    if (this.closed !== null) return this.closed;
    this.closed = new Promise<void>((resolve) => {
      if (this.deadReason !== null) return resolve();
      const forceTimer = this.timers.after(limits.requestTimeoutMs, () => void this.worker.terminate());
      this.worker.once('exit', () => {
        forceTimer.cancel();
        resolve();
      });
      this.send({ type: 'close' });
    });
    return this.closed;
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'result': {
        const pending = this.pending.get(message.id);
        if (pending === undefined) return; // answered after its timeout; the caller has moved on
        this.pending.delete(message.id);
        pending.timer.cancel();
        pending.resolve(message.envelope);
        return;
      }
      case 'event':
        this.fanout.publish(message.event, message.payload);
        return;
      case 'fatal':
        this.die(message.message);
        return;
      case 'printPdf':
        void this.print(message.id, message.html);
        return;
      case 'ready':
      case 'closed':
        return;
    }
  }

  /** Prints a report for the worker; the answer always goes back, with the bytes or the reason. */
  private async print(id: number, html: string): Promise<void> {
    try {
      if (this.printPdf === null) throw new Error('PDF printing is not available in this host; export HTML and print it from a browser');
      const bytes = await this.printPdf(html);
      this.send({ type: 'pdfPrinted', id, bytes, error: null });
    } catch (error) {
      this.send({ type: 'pdfPrinted', id, bytes: null, error: (error as Error).message });
    }
  }

  private die(reason: string): void {
    if (this.deadReason !== null) return;
    this.deadReason = reason;
    for (const [id, pending] of this.pending) {
      pending.timer.cancel();
      pending.resolve(errorEnvelope(new KafkaError('BROKER_NOT_AVAILABLE', `The engine stopped before answering: ${reason}.`)));
      this.pending.delete(id);
    }
    assert(this.pending.size === 0, 'pending requests left after the worker died');
    this.fanout.clear();
  }
}
