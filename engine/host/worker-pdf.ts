/**
 * The engine worker's PDF printer: it asks the host process (`printPdf`) and waits for its answer
 * (`pdfPrinted`), since only the host can print (Electron's printing lives in the main process;
 * the CLI owns the Chromium it starts). At most reportLimits.pdfPrintsPendingMax prints wait at
 * once, each at most reportLimits.pdfTimeoutMs.
 */
import { KafkaError } from '../core/kafka-errors.js';
import type { Timers, TimerHandle } from '../core/timers.js';
import { reportLimits } from '../reports/report-limits.js';
import type { PdfPrinter } from './report-service.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

interface Waiting {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export class ParentPdfPrinter {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(
    private readonly post: (message: FromWorker) => void,
    private readonly timers: Timers,
  ) {}

  readonly print: PdfPrinter = (html) => {
    if (this.waiting.size >= reportLimits.pdfPrintsPendingMax) {
      return Promise.reject(new KafkaError('REQUEST_TIMED_OUT', `${this.waiting.size} PDF reports are being printed; try again when they are done.`));
    }
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = this.timers.after(reportLimits.pdfTimeoutMs, () => {
        this.waiting.delete(id);
        reject(new KafkaError('REQUEST_TIMED_OUT', `The PDF was not printed within ${reportLimits.pdfTimeoutMs / 1000} s.`));
      });
      this.waiting.set(id, { resolve, reject, timer });
      this.post({ type: 'printPdf', id, html });
    });
  };

  /** The host's answer to print `id`; an answer after its timeout is dropped. */
  answered(message: Extract<ToWorker, { type: 'pdfPrinted' }>): void {
    const waiting = this.waiting.get(message.id);
    if (waiting === undefined) return;
    this.waiting.delete(message.id);
    waiting.timer.cancel();
    if (message.bytes !== null) waiting.resolve(message.bytes);
    else waiting.reject(new KafkaError('INVALID_REQUEST', `The PDF could not be printed: ${message.error ?? 'no reason given'}.`));
  }
}
