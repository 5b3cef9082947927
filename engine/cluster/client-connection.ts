/**
 * A client's connections to the brokers, as one node on the simulated network: the workbench's own
 * produce form, each in-process producer and each consumer. Requests are matched to answers by
 * correlation id; when a broker's process dies, its open connections break and every request
 * waiting on it is answered `disconnected` at once (a lost message or a cut link is not noticed:
 * the client's own request.timeout.ms covers those, as on a real network).
 *
 * Invariant: at most `limits.pendingProducesMax` requests wait per client.
 */
import { limits } from '../core/limits.js';
import { nextCorrelationId } from './broker-node.js';
import type { BrokerInbound, ClientInbound, ProducePartitionData, ProduceResponse } from './messages.js';
import type { NodeId, SimNetwork } from './network.js';

export type ClientAnswer<T> = { readonly kind: 'response'; readonly response: T } | { readonly kind: 'disconnected' };
export type ProduceAnswer = ClientAnswer<ProduceResponse>;

/** A request body without its correlation id, which the connection assigns. */
type Outbound = BrokerInbound extends infer M ? (M extends { correlationId: number } ? Omit<M, 'correlationId'> : never) : never;

interface Waiting {
  readonly brokerId: number;
  readonly onAnswer: (answer: ClientAnswer<ClientInbound>) => void;
}

export class ClientConnection {
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly network: SimNetwork,
    readonly nodeId: NodeId,
  ) {
    network.register(nodeId, (_from, message) => this.receive(message as ClientInbound));
  }

  /**
   * Sends a produce request. With acks=0 nothing is awaited (no answer comes); otherwise `onAnswer`
   * is called once. Returns the correlation id, to cancel the wait (a client-side timeout).
   */
  sendProduce(brokerId: number, acks: 0 | 1 | -1, timeoutMs: number, partitions: readonly ProducePartitionData[], onAnswer: (answer: ProduceAnswer) => void): number {
    if (acks === 0) {
      const correlationId = nextCorrelationId();
      this.network.send(this.nodeId, brokerId, { kind: 'Produce', correlationId, acks, timeoutMs, partitions });
      return correlationId;
    }
    return this.request(brokerId, { kind: 'Produce', acks, timeoutMs, partitions }, onAnswer as (answer: ClientAnswer<ClientInbound>) => void);
  }

  /**
   * Sends a request that gets one answer; `onAnswer` is called once (or never, when the request or
   * its answer is lost). Returns the correlation id, to cancel the wait.
   */
  request<T extends ClientInbound>(brokerId: number, body: Outbound, onAnswer: (answer: ClientAnswer<T>) => void): number {
    const correlationId = nextCorrelationId();
    const reached = this.network.send(this.nodeId, brokerId, { ...body, correlationId });
    const answer = onAnswer as (answer: ClientAnswer<ClientInbound>) => void;
    if (!reached && !this.network.isNodeUp(brokerId)) {
      // Connecting to a dead broker fails at once (connection refused), not after a timeout.
      queueMicrotask(() => answer({ kind: 'disconnected' }));
      return correlationId;
    }
    if (this.waiting.size >= limits.pendingProducesMax) {
      queueMicrotask(() => answer({ kind: 'disconnected' }));
      return correlationId;
    }
    this.waiting.set(correlationId, { brokerId, onAnswer: answer });
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

  private receive(message: ClientInbound): void {
    const waiting = this.waiting.get(message.correlationId);
    if (waiting === undefined) return;
    this.waiting.delete(message.correlationId);
    waiting.onAnswer({ kind: 'response', response: message });
  }
}
