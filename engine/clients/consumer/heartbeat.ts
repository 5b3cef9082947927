/**
 * Java's Heartbeat: the three clocks a group member keeps.
 *
 * - the heartbeat timer: a Heartbeat is due every heartbeat.interval.ms after the last one sent
 *   (retry.backoff.ms after a failed one);
 * - the session timer: session.timeout.ms after the last successful heartbeat response; when it
 *   runs out the member assumes its coordinator is gone and looks for it again;
 * - the poll timer: max.poll.interval.ms after the application last called poll(); when it runs out
 *   the member leaves the group ("consumer poll timeout has expired.").
 *
 * All times are absolute Clock ms. Invariants: the constructor refuses heartbeat.interval.ms >=
 * session.timeout.ms, as Java's does (the config resolution checks it first).
 */
import { assert } from '../../core/assert.js';

export interface HeartbeatSettings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly retryBackoffMs: number;
}

export class Heartbeat {
  private heartbeatDueMs: number;
  private sessionDeadlineMs: number;
  private pollDeadlineMs: number;
  /** When the last heartbeat was sent, null before the first. */
  lastHeartbeatSendMs: number | null = null;

  constructor(
    private readonly settings: HeartbeatSettings,
    nowMs: number,
  ) {
    assert(settings.heartbeatIntervalMs < settings.sessionTimeoutMs, 'Heartbeat must be set lower than the session timeout');
    this.heartbeatDueMs = nowMs + settings.heartbeatIntervalMs;
    this.sessionDeadlineMs = nowMs + settings.sessionTimeoutMs;
    this.pollDeadlineMs = nowMs + settings.maxPollIntervalMs;
  }

  /** The application called poll(). */
  poll(nowMs: number): void {
    this.pollDeadlineMs = nowMs + this.settings.maxPollIntervalMs;
  }

  sentHeartbeat(nowMs: number): void {
    this.lastHeartbeatSendMs = nowMs;
    this.heartbeatDueMs = nowMs + this.settings.heartbeatIntervalMs;
  }

  failHeartbeat(nowMs: number): void {
    this.heartbeatDueMs = nowMs + this.settings.retryBackoffMs;
  }

  receiveHeartbeat(nowMs: number): void {
    this.sessionDeadlineMs = nowMs + this.settings.sessionTimeoutMs;
  }


  shouldHeartbeat(nowMs: number): boolean {
    return nowMs >= this.heartbeatDueMs;
  }


  sessionTimeoutExpired(nowMs: number): boolean {
    return nowMs >= this.sessionDeadlineMs;
  }

  pollTimeoutExpired(nowMs: number): boolean {
    return nowMs >= this.pollDeadlineMs;
  }

  /** The earliest of the three deadlines: when the heartbeat thread must look again. */
  nextEventMs(): number {
    return Math.min(this.heartbeatDueMs, this.sessionDeadlineMs, this.pollDeadlineMs);
  }

  /** Enabling the heartbeat thread (a JoinGroup answer) restarts every clock. */
  resetTimeouts(nowMs: number): void {
    this.sessionDeadlineMs = nowMs + this.settings.sessionTimeoutMs;
    this.pollDeadlineMs = nowMs + this.settings.maxPollIntervalMs;
    this.heartbeatDueMs = nowMs + this.settings.heartbeatIntervalMs;
  }

  /** A coordinator was found: its session starts now. */
  resetSessionTimeout(nowMs: number): void {
    this.sessionDeadlineMs = nowMs + this.settings.sessionTimeoutMs;
  }
}
