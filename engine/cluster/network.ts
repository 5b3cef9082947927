/**
 * The simulated network between the cluster's nodes: brokers, controller voters and in-process
 * clients. A message sent on a link arrives after the link's latency, through the scheduler, so
 * replication, heartbeats and elections take the time they would take on a real network, and a
 * run replays exactly from its seed.
 *
 * Invariants:
 * - per link (ordered pair of nodes) delivery is FIFO, as on one TCP connection: a message never
 *   overtakes an earlier one on the same link;
 * - a message is delivered only if its link is up and both ends are up when it is sent, and the
 *   receiver is still up when it arrives (a node that goes down loses what was in flight to it);
 * - loss is decided by the seeded Prng at send time, so the same seed loses the same messages;
 * - messages in flight are bounded (`limits.networkInFlightMax`);
 * - an isolated node (`isolate`) reaches no other node and no node reaches it, whatever its links
 *   say and whenever the other node registered (a client that connects later is cut as well);
 *   isolation leaves the link settings alone, so ending it restores exactly what was there;
 * - a paused node (SIGSTOP, a long GC pause: `setNodePaused`) sends nothing, and messages to it are
 *   still delivered (its socket buffers take them; its process parks them until it resumes, see
 *   engine/core/process-gate.ts), but `canReach` says no either way: it answers nothing, so the
 *   controller cannot count it as a reachable voter while it is paused.
 *
 * Simplification (the UI says so): a lost message is dropped, not retransmitted; a real TCP
 * connection would retransmit and then reset, which the requester sees the same way, as a timeout.
 */
import { assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import type { Timers } from '../core/timers.js';

export type NodeId = number | string;

export interface LinkSettings {
  /** One-way delay added to every message on the link. */
  readonly latencyMs: number;
  /** Probability in [0, 1] that a message on the link is lost. */
  readonly lossRate: number;
  readonly up: boolean;
}

export type MessageHandler = (from: NodeId, message: unknown) => void;

export const DEFAULT_LINK: LinkSettings = Object.freeze({ latencyMs: 1, lossRate: 0, up: true });

export interface NetworkStats {
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly inFlight: number;
}

export class SimNetwork {
  private readonly handlers = new Map<NodeId, MessageHandler>();
  private readonly down = new Set<NodeId>();
  private readonly isolated = new Set<NodeId>();
  private readonly paused = new Set<NodeId>();
  private readonly links = new Map<string, LinkSettings>();
  /** Per link, when the last message sent on it arrives: the next one arrives no earlier (FIFO). */
  private readonly lastArrivalMs = new Map<string, number>();
  private inFlight = 0;
  private sent = 0;
  private delivered = 0;
  private dropped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly prng: Prng,
    private readonly defaults: LinkSettings = DEFAULT_LINK,
  ) {}

  register(node: NodeId, handler: MessageHandler): void {
    if (this.handlers.has(node)) assertFailed(`node ${String(node)} registered twice`);
    this.handlers.set(node, handler);
  }

  setNodeUp(node: NodeId, up: boolean): void {
    if (up) this.down.delete(node);
    else this.down.add(node);
  }

  isNodeUp(node: NodeId): boolean {
    return this.handlers.has(node) && !this.down.has(node);
  }

  /** Changes a link in one direction; `both` applies the same to the way back. */
  setLink(from: NodeId, to: NodeId, change: Partial<LinkSettings>, both = true): void {
    validateLink(change);
    this.links.set(linkKey(from, to), { ...this.link(from, to), ...change });
    if (both) this.links.set(linkKey(to, from), { ...this.link(to, from), ...change });
  }

  /**
   * Cuts `node` from every other node, clients included (the node itself keeps running), or ends
   * the isolation. The link settings are not touched: they apply again once the isolation ends.
   */
  isolate(node: NodeId, isolated: boolean): void {
    if (isolated) this.isolated.add(node);
    else this.isolated.delete(node);
  }

  isIsolated(node: NodeId): boolean {
    return this.isolated.has(node);
  }

  /** Freezes a node's process (SIGSTOP) or lets it run again; see the class invariants. */
  setNodePaused(node: NodeId, paused: boolean): void {
    if (paused) this.paused.add(node);
    else this.paused.delete(node);
  }

  isNodePaused(node: NodeId): boolean {
    return this.paused.has(node);
  }

  link(from: NodeId, to: NodeId): LinkSettings {
    return this.links.get(linkKey(from, to)) ?? this.defaults;
  }

  /**
   * Whether `from` and `to` can talk now: a message sent could arrive (ignoring random loss) and
   * be acted on at once — neither end is down or paused, and the link is up and not isolated.
   */
  canReach(from: NodeId, to: NodeId): boolean {
    return this.deliverable(from, to) && !this.paused.has(to);
  }

  /** Sends `message`; returns false when it is dropped at once (down or paused sender, cut link, loss). */
  send(from: NodeId, to: NodeId, message: unknown): boolean {
    this.sent += 1;
    const link = this.link(from, to);
    if (!this.deliverable(from, to) || (link.lossRate > 0 && this.prng.nextFloat() < link.lossRate)) {
      this.dropped += 1;
      return false;
    }
    if (!(this.inFlight < limits.networkInFlightMax)) assertFailed(`more than ${limits.networkInFlightMax} messages in flight`);
    const key = linkKey(from, to);
    const nowMs = this.clock.nowMs();
    const arrivalMs = Math.max(nowMs + link.latencyMs, this.lastArrivalMs.get(key) ?? 0);
    this.lastArrivalMs.set(key, arrivalMs);
    this.inFlight += 1;
    this.timers.after(arrivalMs - nowMs, () => {
      this.inFlight -= 1;
      const handler = this.handlers.get(to);
      if (handler === undefined || this.down.has(to)) {
        this.dropped += 1;
        return;
      }
      this.delivered += 1;
      handler(from, message);
    });
    return true;
  }

  /** Whether a message sent now leaves `from` and arrives at `to` (a paused receiver parks it). */
  private deliverable(from: NodeId, to: NodeId): boolean {
    if (!this.isNodeUp(from) || !this.isNodeUp(to) || this.paused.has(from)) return false;
    if (from !== to && (this.isolated.has(from) || this.isolated.has(to))) return false;
    return this.link(from, to).up;
  }

  stats(): NetworkStats {
    return { sent: this.sent, delivered: this.delivered, dropped: this.dropped, inFlight: this.inFlight };
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${String(from)}->${String(to)}`;
}

function validateLink(change: Partial<LinkSettings>): void {
  if (change.latencyMs !== undefined && !(Number.isFinite(change.latencyMs) && change.latencyMs >= 0 && change.latencyMs <= limits.linkLatencyMaxMs)) {
    throw new RangeError(`link latency must be between 0 and ${limits.linkLatencyMaxMs} ms, got ${change.latencyMs}`);
  }
  if (change.lossRate !== undefined && !(change.lossRate >= 0 && change.lossRate <= 1)) {
    throw new RangeError(`link loss rate must be between 0 and 1, got ${change.lossRate}`);
  }
}
