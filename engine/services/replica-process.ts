/**
 * What every service replica shares: the life of one OS process running a Spring Boot app, as the
 * learner (and the fault injector, through ClientControl) can treat it.
 *
 * - start: a new incarnation — a new PID, a new ProcessGate, new Kafka clients (same client id =
 *   replica id), Spring Boot's startup lines;
 * - crash (kill -9): nothing more runs or is sent; no LeaveGroup, no commit, no flush; answers
 *   still on their way are dropped with the gate;
 * - stop (SIGTERM): the app shuts down cleanly (consumer: finish the batch, commit, LeaveGroup;
 *   producer: deliver what is queued);
 * - pause (SIGSTOP, a long stop-the-world GC): the gate freezes every timer and network answer;
 *   resume runs what came due, in order; a paused process is still a member of its group until
 *   session.timeout.ms passes without a heartbeat;
 * - restart: a running replica stops cleanly first (a rolling restart); a paused one is killed
 *   (a hung process gets SIGKILL); then it starts again;
 * - kill: crash, or cut short a clean shutdown still in progress (the workbench closing, a
 *   scaled-down replica whose shutdown hangs);
 * - clock skew: the machine's clock runs ahead or behind (SkewedClock): its console stamps and
 *   the order events' CreateTime show it; Kafka's own timeouts measure durations and are unaffected.
 *
 * The workbench's own markers in the console ("[workbench] inventory-2 crashed ...") say what the
 * learner did, since a killed or frozen process prints nothing itself.
 *
 * Invariants: at most one incarnation runs at a time (a new one starts only after the previous
 * one crashed or was asked to stop); callbacks of a crashed incarnation change nothing (they check
 * `incarnation`); the state is one of ClientProcessState.
 */
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { ProcessGate, SkewedClock } from '../core/process-gate.js';
import type { Timers } from '../core/timers.js';
import type { ClientControl, ClientProcessState } from '../faults/client-control.js';
import { type ReplicaLog, SpringConsole } from './replica-log.js';

export interface ReplicaBaseOptions {
  readonly replicaId: string;
  readonly clock: Clock;
  readonly timers: Timers;
  /** The replica's console, kept across incarnations. */
  readonly log: ReplicaLog;
  /** A new process id for each start (deterministic: the replica set counts). */
  readonly nextPid: () => number;
  /** Something the Services view shows changed. */
  readonly onChange: () => void;
  /** The process started, died, stopped, paused or resumed (the port binding follows). */
  readonly onLifecycle: () => void;
}

export abstract class ReplicaProcess implements ClientControl {
  readonly kind = 'service-replica' as const;
  readonly clientId: string;
  /** The machine's clock: the engine clock plus the skew. */
  readonly machineClock: SkewedClock;
  stateReason: string | null = null;
  startedAtMs: number | null = null;
  /** Bumped by a crash: callbacks of the dead incarnation compare and do nothing. */
  protected incarnation = 0;
  protected gate: ProcessGate;
  protected console: SpringConsole;
  private processState: ClientProcessState = 'stopped';
  private port: number | null = null;

  protected constructor(protected readonly base: ReplicaBaseOptions) {
    this.clientId = base.replicaId;
    this.machineClock = new SkewedClock(base.clock);
    this.gate = new ProcessGate(base.timers);
    this.console = new SpringConsole(base.log, this.machineClock, 0);
  }

  /** The app's main class, for the startup lines ("OrderApplication"). */
  protected abstract readonly applicationName: string;
  /** Creates the incarnation's Kafka clients (the gate and console are new already). */
  protected abstract startClients(): void;
  /** kill -9: the clients stop at once, sending nothing. */
  protected abstract killClients(): void;
  /** SIGTERM: the clients close cleanly; `onClosed` runs when they are done. */
  protected abstract closeClients(onClosed: () => void): void;

  state(): ClientProcessState {
    return this.processState;
  }

  get isAlive(): boolean {
    return this.processState === 'starting' || this.processState === 'running' || this.processState === 'paused';
  }

  /** The 127.0.0.1 port it listens on (set by the host's port binding), or null. */
  get listeningPort(): number | null {
    return this.port;
  }

  /** Starts a new incarnation. */
  start(): void {
    if (this.isAlive) throw new KafkaError('INVALID_REQUEST', `${this.clientId} is already running.`);
    this.gate = new ProcessGate(this.base.timers);
    this.console = new SpringConsole(this.base.log, this.machineClock, this.base.nextPid());
    this.processState = 'starting';
    this.stateReason = null;
    this.startedAtMs = this.base.clock.nowMs();
    this.console.info(this.mainLogger(), `Starting ${this.applicationName} using Java 17 with PID ${this.console.pid} (replica ${this.clientId})`);
    this.startClients();
    this.console.info(this.mainLogger(), `Started ${this.applicationName}`);
    if (this.port !== null) this.logTomcatStarted(this.port);
    this.lifecycleChanged();
  }

  crash(reason: string): void {
    if (!this.isAlive) throw new KafkaError('INVALID_REQUEST', `${this.clientId} is not running (${this.processState}); there is nothing to crash.`);
    this.incarnation += 1;
    this.processState = 'crashed';
    this.stateReason = reason;
    this.gate.discard();
    this.killClients();
    this.base.log.append(`[workbench] ${this.clientId} crashed (kill -9): ${reason}. No LeaveGroup, no commit, no flush.`);
    this.lifecycleChanged();
  }

  /** kill -9 whatever is left of the process, a clean shutdown still in progress included. */
  kill(reason: string): void {
    if (this.isAlive) return this.crash(reason);
    this.incarnation += 1;
    this.gate.discard();
    this.killClients();
  }

  /** SIGTERM: a clean shutdown. A paused process is continued first, to run its shutdown hooks. */
  stop(reason: string, onStopped?: () => void): void {
    if (!this.isAlive) {
      onStopped?.();
      return;
    }
    if (this.gate.isPaused) this.gate.resume();
    this.processState = 'stopped';
    this.stateReason = reason;
    this.console.info(this.mainLogger(), `Shutting down: ${reason}`, 'SpringApplicationShutdownHook');
    const incarnation = this.incarnation;
    this.closeClients(() => {
      if (incarnation === this.incarnation) this.base.onChange();
      onStopped?.();
    });
    this.lifecycleChanged();
  }

  restart(): void {
    if (this.processState === 'paused') this.crash('killed to restart it while paused (a hung process gets SIGKILL)');
    if (this.isAlive) {
      this.stop('restarting', () => {
        if (!this.isAlive) this.start();
      });
      return;
    }
    this.start();
  }

  pause(reason: string): void {
    if (this.processState === 'paused') return;
    if (!this.isAlive) throw new KafkaError('INVALID_REQUEST', `${this.clientId} is not running (${this.processState}); it cannot be paused.`);
    this.gate.pause();
    this.processState = 'paused';
    this.stateReason = reason;
    this.base.log.append(`[workbench] ${this.clientId} paused (stop-the-world, like a long GC): ${reason}. No poll, no heartbeat, no answer is handled until it resumes.`);
    this.lifecycleChanged();
  }

  resume(): void {
    if (this.processState !== 'paused') return;
    this.processState = this.wasEverReady() ? 'running' : 'starting';
    this.stateReason = null;
    this.base.log.append(`[workbench] ${this.clientId} resumed: what came due while it was frozen runs now.`);
    this.gate.resume();
    this.lifecycleChanged();
  }

  clockSkewMs(): number {
    return this.machineClock.skewMs;
  }

  setClockSkewMs(ms: number): void {
    if (!Number.isInteger(ms)) throw new KafkaError('INVALID_REQUEST', `A clock skew is a whole number of ms, got ${ms}.`);
    this.machineClock.skewMs = ms;
    this.base.onChange();
  }

  abstract processingMsPerRecord(): number;
  abstract setProcessingMsPerRecord(ms: number): void;

  /** The host's port binding listens (port) or stopped listening (null) for this replica. */
  setListeningPort(port: number | null): void {
    if (port === this.port) return;
    this.port = port;
    if (port !== null && this.isAlive) this.logTomcatStarted(port);
  }

  // ---------------------------------------------------------------------------------------------

  /** The replica became ready (an inventory consumer got its first assignment; an order replica at once). */
  protected ready(): void {
    if (this.processState === 'starting') {
      this.processState = 'running';
      this.base.onChange();
    }
  }

  private lifecycleChanged(): void {
    this.base.onLifecycle();
    this.base.onChange();
  }

  /** Whether this incarnation got ready before (a resumed replica goes back to where it was). */
  protected abstract wasEverReady(): boolean;

  protected mainLogger(): string {
    return `labshop.${this.applicationName}`;
  }

  private logTomcatStarted(port: number): void {
    this.console.info('org.springframework.boot.web.embedded.tomcat.TomcatWebServer', `Tomcat started on port(s): ${port} (http) with context path ''`);
  }
}
