/**
 * One console tab's scrollback as the renderer keeps it: the entries shown (command lines, lines
 * typed into a running tool, stdout, stderr, and the tab's own notes such as "^C"), how many
 * entries were ever appended (so a terminal that wrote some of them writes only the rest), and the
 * next line of the engine's session to read (the consoleOutput query's afterLine).
 *
 * The engine echoes every line as stream 'in', the command lines and the lines typed into a running
 * tool alike; the tab knows which command lines it sent (in order, awaiting their echo), so the
 * first 'in' line equal to the oldest of them is that command and is drawn after a prompt.
 *
 * Invariants: entries.length <= the bound given to every merge (the oldest drop off the top);
 * appended >= entries.length; nextLine never passes the session's totalLines; a session that
 * started over (fewer lines than were read) is read again from line 0, keeping what is shown.
 */
import type { ConsoleOutput } from '../../../engine/api/console-dto';

export type ConsoleEntryKind = 'command' | 'in' | 'out' | 'err' | 'note';

export interface ConsoleEntry {
  readonly kind: ConsoleEntryKind;
  readonly text: string;
}

export interface ConsoleBuffer {
  readonly entries: readonly ConsoleEntry[];
  /** Entries appended since the tab opened; entries[0] is number `appended - entries.length`. */
  readonly appended: number;
  /** Lines of the engine's session read so far: the afterLine of the next read. */
  readonly nextLine: number;
  /** Command lines sent whose echo has not been read yet, oldest first. */
  readonly awaitingEcho: readonly string[];
}

export const EMPTY_CONSOLE: ConsoleBuffer = { entries: [], appended: 0, nextLine: 0, awaitingEcho: [] };

type Chunk = Pick<ConsoleOutput, 'firstLine' | 'lines' | 'totalLines'>;

/** Adds a chunk read with afterLine = buffer.nextLine; the same buffer when it brings nothing new. */
export function mergeConsoleChunk(buffer: ConsoleBuffer, chunk: Chunk, maxEntries: number): ConsoleBuffer {
  const restarted = chunk.totalLines < buffer.nextLine;
  const nextLine = restarted ? 0 : buffer.nextLine;
  if (restarted && chunk.firstLine !== 0) return { ...buffer, nextLine: 0 };
  const chunkEnd = chunk.firstLine + chunk.lines.length;
  if (chunkEnd <= nextLine) return restarted ? { ...buffer, nextLine } : buffer;
  const fresh = chunk.lines.slice(Math.max(0, nextLine - chunk.firstLine));
  const gap = Math.max(0, chunk.firstLine - nextLine);
  const added: ConsoleEntry[] = gap > 0 ? [{ kind: 'note', text: `... ${gap} earlier lines were dropped by the console before they were read` }] : [];
  const awaitingEcho = [...buffer.awaitingEcho];
  for (const line of fresh) {
    const isCommand = line.stream === 'in' && awaitingEcho[0] === line.text;
    if (isCommand) awaitingEcho.shift();
    added.push({ kind: isCommand ? 'command' : line.stream, text: line.text });
  }
  return appendEntries({ ...buffer, nextLine: chunkEnd, awaitingEcho }, added, maxEntries);
}

/** The tab's own lines (a "^C", a list of completions), shown in order with the session's. */
export function appendEntries(buffer: ConsoleBuffer, added: readonly ConsoleEntry[], maxEntries: number): ConsoleBuffer {
  if (added.length === 0) return buffer;
  const all = [...buffer.entries, ...added];
  const entries = all.length > maxEntries ? all.slice(all.length - maxEntries) : all;
  return { ...buffer, entries, appended: buffer.appended + added.length };
}

/** A command line sent to the session: its echo will be drawn as a command. At most `maxAwaiting` wait (the oldest give up). */
export function expectEcho(buffer: ConsoleBuffer, commandLine: string, maxAwaiting: number): ConsoleBuffer {
  const awaitingEcho = [...buffer.awaitingEcho, commandLine];
  return { ...buffer, awaitingEcho: awaitingEcho.slice(Math.max(0, awaitingEcho.length - maxAwaiting)) };
}

/** A command line the session refused (nothing was echoed): it no longer awaits its echo. */
export function dropEcho(buffer: ConsoleBuffer, commandLine: string): ConsoleBuffer {
  const index = buffer.awaitingEcho.lastIndexOf(commandLine);
  if (index < 0) return buffer;
  return { ...buffer, awaitingEcho: buffer.awaitingEcho.filter((_, i) => i !== index) };
}

/** The entries a terminal that already wrote `written` of them still has to write (all kept ones if it fell behind). */
export function entriesAfter(buffer: ConsoleBuffer, written: number): readonly ConsoleEntry[] {
  const firstKept = buffer.appended - buffer.entries.length;
  return buffer.entries.slice(Math.max(0, written - firstKept));
}

/** Whether the session (its totalLines in the `console` event) has lines this buffer lacks, or started over. */
export function consoleHasNews(buffer: ConsoleBuffer, totalLines: number): boolean {
  return totalLines !== buffer.nextLine;
}
