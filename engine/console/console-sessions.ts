/**
 * The console's sessions: each tab of the UI console (and each `kafka-lab <tool>` run against a
 * running workbench) is a session that runs one command line at a time, as a terminal runs one
 * foreground program. A running tool reads the lines typed into its session (the console producer)
 * and stops on Ctrl+C (the console consumer); what it prints is kept per session, numbered, so a
 * viewer asks for the lines after the ones it has.
 *
 * Invariants: at most `sessionLimits.sessionsMax` sessions; one foreground command per session;
 * each session keeps at most `sessionLimits.outputLinesPerSessionMax` lines (older ones are
 * dropped, the numbering goes on); typed lines wait in a queue of at most
 * `sessionLimits.pendingInputLinesMax`; a closed session's tool is interrupted.
 */
import { KafkaError } from '../core/kafka-errors.js';
import { sessionLimits } from './console-limits.js';
import type { ConsoleEngine, ConsoleFiles, ToolContext } from './tool-context.js';

export type RunLine = (line: string, context: ToolContext) => Promise<number>;

export interface ConsoleLine {
  readonly stream: 'in' | 'out' | 'err';
  readonly text: string;
}

export interface SessionOutput {
  readonly sessionId: string;
  /** The number of the first line returned. */
  readonly firstLine: number;
  readonly lines: readonly ConsoleLine[];
  readonly totalLines: number;
  /** The command line running now, or null at the prompt. */
  readonly running: string | null;
  /** The exit code of the last command that ended, or null. */
  readonly lastExitCode: number | null;
}


interface Session {
  readonly id: string;
  lines: ConsoleLine[];
  dropped: number;
  running: string | null;
  lastExitCode: number | null;
  input: (string | null)[];
  waiting: ((line: string | null) => void) | null;
  abort: AbortController | null;
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly engine: ConsoleEngine,
    private readonly files: ConsoleFiles,
    private readonly runLine: RunLine,
    private readonly onChange: (sessionId: string) => void,
  ) {}

  /** Starts a command line in a session (created on first use); refused while another runs there. */
  run(sessionId: string, line: string): void {
    if (line.length > sessionLimits.commandLineMax) throw new KafkaError('INVALID_REQUEST', `A command line has at most ${sessionLimits.commandLineMax} characters.`);
    const session = this.session(sessionId);
    if (session.running !== null) throw new KafkaError('INVALID_REQUEST', `'${session.running}' is still running in this console; press Ctrl+C to stop it first.`);
    this.append(session, { stream: 'in', text: line });
    if (line.trim() === '') return this.onChange(sessionId);
    session.running = line;
    session.input = [];
    const abort = new AbortController();
    session.abort = abort;
    const context: ToolContext = {
      output: { out: (text) => this.print(session, 'out', text), err: (text) => this.print(session, 'err', text) },
      engine: this.engine,
      files: this.files,
      readLine: () => this.readLine(session),
      interrupt: abort.signal,
    };
    this.onChange(sessionId);
    void this.runLine(line, context)
      .catch((error: unknown) => {
        this.print(session, 'err', `Exception in thread "main" ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        return 1;
      })
      .then((code) => {
        session.running = null;
        session.lastExitCode = code;
        session.abort = null;
        session.waiting?.(null);
        session.waiting = null;
        this.onChange(sessionId);
      });
  }

  /** A line typed into the running tool (null: Ctrl+D, end of input). */
  input(sessionId: string, line: string | null): void {
    const session = this.session(sessionId);
    if (session.running === null) throw new KafkaError('INVALID_REQUEST', 'Nothing is running in this console to read the line.');
    if (line !== null) this.append(session, { stream: 'in', text: line });
    if (session.waiting !== null) {
      const deliver = session.waiting;
      session.waiting = null;
      deliver(line);
    } else if (session.input.length < sessionLimits.pendingInputLinesMax) {
      session.input.push(line);
    } else {
      throw new KafkaError('POLICY_VIOLATION', `At most ${sessionLimits.pendingInputLinesMax} lines can wait for the running tool.`);
    }
    this.onChange(sessionId);
  }

  /** Ctrl+C. */
  interrupt(sessionId: string): void {
    const session = this.session(sessionId);
    session.abort?.abort();
    session.waiting?.(null);
    session.waiting = null;
  }

  output(sessionId: string, afterLine: number): SessionOutput {
    const session = this.session(sessionId);
    const total = session.dropped + session.lines.length;
    const from = Math.max(afterLine, session.dropped);
    return {
      sessionId,
      firstLine: from,
      lines: session.lines.slice(from - session.dropped),
      totalLines: total,
      running: session.running,
      lastExitCode: session.lastExitCode,
    };
  }

  /** A session's line count and what runs in it, or null when there is no such session. */
  state(sessionId: string): { sessionId: string; totalLines: number; running: string | null; lastExitCode: number | null } | null {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return null;
    return { sessionId, totalLines: session.dropped + session.lines.length, running: session.running, lastExitCode: session.lastExitCode };
  }

  /** The open sessions' ids, in the order they were opened. */
  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Closes a session: its tool is interrupted and its lines are forgotten. */
  close(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return;
    session.abort?.abort();
    session.waiting?.(null);
    this.sessions.delete(sessionId);
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private readLine(session: Session): Promise<string | null> {
    if (session.input.length > 0) return Promise.resolve(session.input.shift()!);
    if (session.abort?.signal.aborted === true) return Promise.resolve(null);
    return new Promise((resolve) => {
      session.waiting = resolve;
    });
  }

  private print(session: Session, stream: 'out' | 'err', text: string): void {
    this.append(session, { stream, text });
    this.onChange(session.id);
  }

  private append(session: Session, line: ConsoleLine): void {
    session.lines.push(line);
    const excess = session.lines.length - sessionLimits.outputLinesPerSessionMax;
    if (excess > 0) {
      session.lines.splice(0, excess);
      session.dropped += excess;
    }
  }

  private session(sessionId: string): Session {
    let session = this.sessions.get(sessionId);
    if (session === undefined) {
      if (this.sessions.size >= sessionLimits.sessionsMax) throw new KafkaError('POLICY_VIOLATION', `At most ${sessionLimits.sessionsMax} consoles at once; close one first.`);
      session = { id: sessionId, lines: [], dropped: 0, running: null, lastExitCode: null, input: [], waiting: null, abort: null };
      this.sessions.set(sessionId, session);
    }
    return session;
  }
}
