/**
 * One replica's console as the renderer keeps it: the lines read so far (at most a bound, the
 * oldest dropping off the top), where they start in the replica's log, and where the next read
 * starts (the serviceLog query's afterLine). Chunks are merged by line number, so a chunk that
 * overlaps what is already here adds nothing twice, a chunk that starts later records the lines
 * the engine dropped before they were read, and a log that starts over (a replica removed by
 * scaling and started again) replaces what was kept.
 */
import type { ServiceLog } from '../../../engine/api/services-dto';

export interface LogBuffer {
  /** The line number (0-based, in the replica's whole log) of lines[0]; the lines after it are in order, with `droppedLines` missing. */
  readonly firstLine: number;
  readonly lines: readonly string[];
  /** The number of lines read so far: the afterLine of the next read. */
  readonly nextLine: number;
  /** Lines of the replica's log not in `lines`: gone from the engine's log before they were read, or dropped off the top here. */
  readonly droppedLines: number;
}

export const EMPTY_LOG: LogBuffer = { firstLine: 0, lines: [], nextLine: 0, droppedLines: 0 };

/** Adds a chunk read with afterLine = buffer.nextLine; the same buffer when it brings nothing new. */
export function mergeLogChunk(buffer: LogBuffer, chunk: ServiceLog, maxLines: number): LogBuffer {
  const chunkEnd = chunk.firstLine + chunk.lines.length;
  if (chunk.totalLines < buffer.nextLine) {
    // The log is shorter than what was read: it is a new log (the replica started over). A chunk
    // from its start is kept; otherwise the next read starts from line 0.
    if (chunk.firstLine !== 0) return { ...EMPTY_LOG };
    return trim({ firstLine: 0, lines: chunk.lines, nextLine: chunkEnd, droppedLines: 0 }, maxLines);
  }
  if (chunkEnd <= buffer.nextLine) return buffer;
  const skip = Math.max(0, buffer.nextLine - chunk.firstLine);
  const gap = Math.max(0, chunk.firstLine - buffer.nextLine);
  const fresh = chunk.lines.slice(skip);
  return trim({ firstLine: buffer.firstLine, lines: [...buffer.lines, ...fresh], nextLine: chunkEnd, droppedLines: buffer.droppedLines + gap }, maxLines);
}

function trim(buffer: LogBuffer, maxLines: number): LogBuffer {
  const excess = buffer.lines.length - maxLines;
  if (excess <= 0) return buffer;
  return { firstLine: buffer.firstLine + excess, lines: buffer.lines.slice(excess), nextLine: buffer.nextLine, droppedLines: buffer.droppedLines + excess };
}

/** Whether the replica's log (its logLines in the services snapshot) has lines this buffer lacks, or started over. */
export function logHasNews(buffer: LogBuffer | null, logLines: number): boolean {
  return buffer === null || logLines !== buffer.nextLine;
}

export type ServiceLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The level of a Spring Boot console line ("2025-05-06 07:08:09.010  INFO 1 --- [main] …") or of a
 * log4j line ("[2025-05-06 07:08:09,010] WARN …"): the first level word after the timestamp, which
 * both layouts put within the first 40 characters; null for a line without one (a stack frame).
 */
export function serviceLogLevel(line: string): ServiceLogLevel | null {
  const match = /^.{0,40}?\s(DEBUG|INFO|WARN|ERROR)\s/.exec(line);
  return (match?.[1] as ServiceLogLevel | undefined) ?? null;
}
