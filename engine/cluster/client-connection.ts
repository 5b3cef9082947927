/**
 * A client's connections to the brokers, as one node on the simulated network: the workbench's own
 * produce form, and each in-process producer. Requests are matched to answers by correlation id;
 * when a broker's process dies, its open connections break and every request waiting on it is
 * answered `disconnected` at once (a lost message or a cut link is not noticed: the client's own
 * request.timeout.ms covers those, as on a real network).
 *
 * Invariant: at most `limits.pendingProducesMax` requests wait per client.
 */
import { limits } from '../core/limits.js';
import { nextCorrelationId } from './broker-node.js';
import type { ProducePartitionData, ProduceResponse } from './messages.js';
import type { NodeId, SimNetwork } from './network.js';

export type ProduceAnswer = { readonly kind: 'response'; readonly response: ProduceResponse } | { readonly kind: 'disconnected' };

interface Waiting {
  readonly brokerId: number;
  readonly onAnswer: (answer: ProduceAnswer) => void;
}

export class ClientConnection {
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly network: SimNetwork,
    readonly nodeId: NodeId,
  ) {
    network.register(nodeId, (_from, message) => this.receive(message));
  }

  /**
   * Sends a produce request. With acks=0 nothing is awaited (no answer comes); otherwise `onAnswer`
   * is called once. Returns the correlation id, to cancel the wait (a client-side timeout).
   */
  sendProduce(brokerId: number, acks: 0 | 1 | -1, timeoutMs: number, partitions: readonly ProducePartitionData[], onAnswer: (answer: ProduceAnswer) => void): number {
    const correlationId = nextCorrelationId();
    const reached = this.network.send(this.nodeId, brokerId, { kind: 'Produce', correlationId, acks, timeoutMs, partitions });
    if (acks === 0) return correlationId;
    if (!reached && !this.network.isNodeUp(brokerId)) {
      // Connecting to a dead broker fails at once (connection refused), not after a timeout.
      queueMicrotask(() => onAnswer({ kind: 'disconnected' }));
      return correlationId;
    }
    if (this.waiting.size >= limits.pendingProducesMax) {
      queueMicrotask(() => onAnswer({ kind: 'disconnected' }));
      return correlationId;
    }
    this.waiting.set(correlationId, { brokerId, onAnswer });
    return correlationId;
  }

  cancel(correlationId: number): void {
    this.waiting.delete(correlationId);
  }

  /** The broker's process died: its connections break. */
  brokerDown(brokerId: number): void {
    for (const [id, waiting] of this.waiting) {
      if (waiting.brokerId !== brokerId) continue;
      this.waiting.delete(id);
      waiting.onAnswer({ kind: 'disconnected' });
    }
  }

  close(): void {
    this.waiting.clear();
  }

  private receive(message: unknown): void {
    const response = message as ProduceResponse;
    if (response.kind !== 'ProduceResponse') return;
    const waiting = this.waiting.get(response.correlationId);
    if (waiting === undefined) return;
    this.waiting.delete(response.correlationId);
    waiting.onAnswer({ kind: 'response', response });
  }
}
