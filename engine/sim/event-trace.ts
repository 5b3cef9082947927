/**
 * The event trace of one simulation run: every fault and its healing, every election, ISR change,
 * truncation, data-loss report and acknowledgement, one canonical text line each
 * (`<ms since start> <kind> <details>`). Lines are hashed as they are appended (FNV-1a 64), so the
 * whole trace has a fingerprint without being kept; only the tail is kept, for violation reports.
 *
 * Invariants: lines are appended in virtual-time order (the caller's clock never goes back); the
 * hash covers every line ever appended, each followed by '\n'; the tail holds at most
 * `simLimits.traceTailLines` lines.
 */
import { Fnv1a64 } from './trace-hash.js';
import { simLimits } from './sim-limits.js';

export class EventTrace {
  private readonly hash = new Fnv1a64();
  private readonly tailLines: string[] = [];
  private lineCount = 0;
  private lastMs = 0;

  constructor(private readonly startMs: number) {}

  append(atMs: number, kind: string, details: string): void {
    const relativeMs = atMs - this.startMs;
    if (relativeMs < this.lastMs) throw new RangeError(`trace line at ${relativeMs} ms after one at ${this.lastMs} ms`);
    this.lastMs = relativeMs;
    const line = `${relativeMs} ${kind} ${details}`;
    this.hash.update(line).update('\n');
    this.lineCount += 1;
    this.tailLines.push(line);
    if (this.tailLines.length > simLimits.traceTailLines) this.tailLines.shift();
  }

  get lines(): number {
    return this.lineCount;
  }

  /** The fingerprint of the whole trace so far (16 hex digits). */
  hashHex(): string {
    return this.hash.hex();
  }

  tail(): readonly string[] {
    return this.tailLines;
  }
}
