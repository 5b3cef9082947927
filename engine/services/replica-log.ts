/**
 * A service replica's console, as a Spring Boot app prints it: log lines in Spring Boot's default
 * console pattern (`%d{yyyy-MM-dd HH:mm:ss.SSS} %5p PID --- [%15.15t] %-40.40logger{39} : %m`),
 * the Kafka client's lines among them (they go through the same logback), and the app's own
 * `System.out.println` lines as they are (labshop's listeners print "##### listener ...").
 *
 * Lines are stamped with the replica's own clock (a skewed client clock shows in its console, as
 * it would on a machine whose clock is off) and kept in a ring of
 * `servicesLimits.logLinesPerReplicaMax`; line numbers keep counting past what the ring drops, so
 * a client that has lines 0..n-1 asks for the lines after n and learns what it missed.
 *
 * Invariants: at most logLinesPerReplicaMax lines kept; a line is at most logLineCharsMax chars;
 * the kept lines are numbered totalLines - kept .. totalLines - 1.
 */
import type { Clock } from '../core/clock.js';
import { servicesLimits } from './services-limits.js';

export type SpringLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The slice of the log after what a client has (ServiceLog in the contract, without the replica id). */
export interface LogSlice {
  readonly firstLine: number;
  readonly lines: string[];
  readonly totalLines: number;
}

export class ReplicaLog {
  private readonly ring: string[] = [];
  private head = 0;
  /** Lines written since the replica id first existed. */
  totalLines = 0;

  append(line: string): void {
    const kept = line.length > servicesLimits.logLineCharsMax ? `${line.slice(0, servicesLimits.logLineCharsMax - 3)}...` : line;
    if (this.ring.length < servicesLimits.logLinesPerReplicaMax) {
      this.ring.push(kept);
    } else {
      this.ring[this.head] = kept;
      this.head = (this.head + 1) % servicesLimits.logLinesPerReplicaMax;
    }
    this.totalLines += 1;
  }

  /** The kept lines numbered afterLine and later (from the oldest kept when afterLine was dropped). */
  after(afterLine: number): LogSlice {
    const oldestKept = this.totalLines - this.ring.length;
    const firstLine = Math.min(Math.max(afterLine, oldestKept), this.totalLines);
    const count = Math.min(this.totalLines - firstLine, servicesLimits.logLinesPerAnswerMax);
    const lines: string[] = [];
    for (let n = firstLine; n < firstLine + count; n++) lines.push(this.ring[(this.head + n - oldestKept) % this.ring.length]!);
    return { firstLine, lines, totalLines: this.totalLines };
  }
}

/** Writes Spring Boot console lines for one running incarnation of a replica (its PID and clock). */
export class SpringConsole {
  constructor(
    private readonly log: ReplicaLog,
    private readonly clock: Clock,
    /** The incarnation's process id, as Spring Boot prints it. */
    readonly pid: number,
  ) {}

  line(level: SpringLevel, logger: string, message: string, thread = 'main'): void {
    this.log.append(formatSpringLine(this.clock.nowMs(), level, this.pid, thread, logger, message));
  }

  info(logger: string, message: string, thread?: string): void {
    this.line('INFO', logger, message, thread);
  }

  warn(logger: string, message: string, thread?: string): void {
    this.line('WARN', logger, message, thread);
  }

  error(logger: string, message: string, thread?: string): void {
    this.line('ERROR', logger, message, thread);
  }

  /** A System.out.println of the app: printed as is. */
  stdout(message: string): void {
    this.log.append(message);
  }
}

/** One line in Spring Boot's default console pattern (UTC). */
export function formatSpringLine(atMs: number, level: SpringLevel, pid: number, thread: string, logger: string, message: string): string {
  const iso = new Date(atMs).toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return `${stamp} ${level.padStart(5)} ${pid} --- [${fit(thread, 15).padStart(15)}] ${fit(abbreviateLogger(logger, 39), 40).padEnd(40)} : ${message}`;
}

/** Logback's TargetLengthBasedClassNameAbbreviator: package names shrink to their initial, left first, the class name never. */
export function abbreviateLogger(name: string, targetLength: number): string {
  if (name.length <= targetLength) return name;
  const parts = name.split('.');
  let length = name.length;
  for (let i = 0; i < parts.length - 1 && length > targetLength; i++) {
    length -= parts[i]!.length - 1;
    parts[i] = parts[i]!.slice(0, 1);
  }
  return parts.join('.');
}

/** %15.15t: the last `width` characters (logback truncates from the left). */
function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(text.length - width);
}
