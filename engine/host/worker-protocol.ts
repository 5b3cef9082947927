/**
 * Messages between a host process and its engine worker thread. The worker trusts its parent (the
 * gateway in the parent validated every payload); the parent asserts what comes back.
 */
import type { OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';

export interface EngineWorkerOptions {
  /** The data directory; the worker locks it for as long as it runs. */
  readonly dataDir: string;
  readonly brokerCount: number;
  /** Seed of every random choice in this run, recorded so the run can be replayed. */
  readonly seed: number;
  /** The lab files (labs/NN-id.yaml) the app offers. */
  readonly labsDir: string;
  /** The app's version, recorded with every run and printed on its report. */
  readonly appVersion: string;
  /**
   * Kafka wire-protocol listeners, one per broker on its own port, on this interface (127.0.0.1
   * unless the user chooses otherwise); null: none (the CLI's --no-kafka).
   */
  readonly kafkaListenerHost: string | null;
  /**
   * The listeners' security protocol to start with (kafka-lab serve --kafka-security), kept as the
   * history setting from then on; null or absent: keep the stored setting (PLAINTEXT when none).
   * Optional so a host that never chooses (the desktop app) need not say.
   */
  readonly kafkaSecurity?: 'PLAINTEXT' | 'SASL_PLAINTEXT' | null;
}

/**
 * PDF reports are printed by the host process (Electron's printing in the desktop app, a local
 * Chromium for the CLI): the worker sends the report's HTML (`printPdf`) and gets the PDF's bytes
 * or the reason there are none (`pdfPrinted`).
 */
export type ToWorker =
  | { readonly type: 'invoke'; readonly id: number; readonly kind: OperationKind; readonly name: string; readonly payload: unknown }
  | { readonly type: 'pdfPrinted'; readonly id: number; readonly bytes: Uint8Array | null; readonly error: string | null }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly envelope: Envelope<unknown> }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown }
  | { readonly type: 'printPdf'; readonly id: number; readonly html: string }
  | { readonly type: 'closed' };
