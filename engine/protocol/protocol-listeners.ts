/**
 * One TCP listener per simulated broker (127.0.0.1 and the broker's own port — 9092, 9093, ... —
 * unless told otherwise), speaking Kafka's protocol so real clients (kcat, kafka-python,
 * librdkafka, kafkajs) reach the embedded cluster. The listeners follow the brokers: a broker that
 * is killed or stopped closes its listener and drops its connections, so clients see what a dead
 * broker shows them (connection refused); started again, it listens again. Metadata advertises the
 * address each listener really has.
 *
 * The listeners show whichever cluster the views show (the learner's own, or the open lab's): a
 * workspace switch is a new set of brokers.
 *
 * Invariants: at most one listener per broker id; a listener exists only for a running broker;
 * every connection belongs to exactly one listener and is destroyed with it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ClusterStatus } from '../api/dto.js';
import { API_KEYS, ERROR_NONE, readApiVersionsRequest, writeApiVersionsResponse } from './api-versions.js';
import { ProtocolConnection, type Handler, type RequestHeader } from './connection.js';
import { readMetadataRequest, writeMetadataResponse, type AdvertisedBroker } from './metadata.js';
import { protocolLimits } from './protocol-limits.js';

export interface ProtocolListenersOptions {
  /** The interface to listen on: 127.0.0.1 unless the user chooses otherwise. */
  readonly host: string;
  /** The port of a broker's listener (its own port by default; 0 picks a free one, for tests). */
  readonly portFor: (broker: { id: number; port: number }) => number;
  /** The cluster the views show, now. */
  readonly status: () => ClusterStatus;
  /** A line for the log: why a connection closed, a listener that could not bind. */
  readonly log: (line: string) => void;
}

/** A client seen on a broker's listener, as the UI lists it. */
export interface ConnectedClient {
  readonly brokerId: number;
  readonly address: string;
  readonly clientId: string | null;
  readonly apis: readonly string[];
}

interface Listener {
  readonly brokerId: number;
  readonly server: Server;
  readonly connections: Set<{ socket: Socket; connection: ProtocolConnection; client: { address: string; clientId: string | null; apis: Set<string> } }>;
  port: number;
  ready: Promise<void>;
}

export class ProtocolListeners {
  private readonly listeners = new Map<number, Listener>();
  private readonly handlers: ReadonlyMap<number, Handler>;
  private closed = false;

  constructor(private readonly options: ProtocolListenersOptions) {
    this.handlers = new Map<number, Handler>([
      [API_KEYS.apiVersions, (header, body) => {
        readApiVersionsRequest(body, header.apiVersion);
        return writeApiVersionsResponse(header.apiVersion, ERROR_NONE);
      }],
      [API_KEYS.metadata, (header, body) => {
        const request = readMetadataRequest(body, header.apiVersion);
        return writeMetadataResponse(header.apiVersion, request, this.options.status(), this.advertised());
      }],
    ]);
  }

  /** Opens a listener for every running broker and closes the others'; resolves once they listen. */
  async sync(status: ClusterStatus = this.options.status()): Promise<void> {
    if (this.closed) return;
    const running = new Map(status.brokers.filter((b) => b.state !== 'stopped').map((b) => [b.id, b]));
    for (const [id, listener] of this.listeners) if (!running.has(id)) this.stop(listener, `broker ${id} is not running`);
    for (const broker of running.values()) if (!this.listeners.has(broker.id)) this.start(broker.id, this.options.portFor(broker));
    await Promise.all([...this.listeners.values()].map((l) => l.ready));
  }

  /** The address each running broker's listener advertises (its real port once bound). */
  advertised(): AdvertisedBroker[] {
    return [...this.listeners.values()].sort((a, b) => a.brokerId - b.brokerId).map((l) => ({ id: l.brokerId, host: this.options.host, port: l.port, rack: null }));
  }

  clients(): ConnectedClient[] {
    const out: ConnectedClient[] = [];
    for (const listener of this.listeners.values()) {
      for (const { client } of listener.connections) {
        if (out.length >= protocolLimits.clientsListedMax) return out;
        out.push({ brokerId: listener.brokerId, address: client.address, clientId: client.clientId, apis: [...client.apis].sort() });
      }
    }
    return out;
  }

  close(): void {
    this.closed = true;
    for (const listener of this.listeners.values()) this.stop(listener, 'the workbench is closing');
  }

  private start(brokerId: number, port: number): void {
    const connections: Listener['connections'] = new Set();
    const server = createServer((socket) => this.accept(listener, socket));
    server.maxConnections = protocolLimits.connectionsPerListenerMax;
    const listener: Listener = { brokerId, server, connections, port, ready: Promise.resolve() };
    listener.ready = new Promise<void>((resolve) => {
      server.once('error', (error) => {
        this.options.log(`broker ${brokerId}: cannot listen on ${this.options.host}:${port}: ${error.message}`);
        this.listeners.delete(brokerId);
        resolve();
      });
      server.listen(port, this.options.host, () => {
        const address = server.address();
        if (address !== null && typeof address === 'object') listener.port = address.port;
        resolve();
      });
    });
    this.listeners.set(brokerId, listener);
  }

  private accept(listener: Listener, socket: Socket): void {
    socket.setNoDelay(true);
    const client = { address: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, clientId: null as string | null, apis: new Set<string>() };
    const entry = {
      socket,
      client,
      connection: new ProtocolConnection(socket, this.handlers, {
        onRequest: (header: RequestHeader) => {
          client.clientId = header.clientId;
          client.apis.add(apiName(header.apiKey));
        },
        onClose: (reason: string) => {
          listener.connections.delete(entry);
          this.options.log(`broker ${listener.brokerId}: closed the connection from ${client.address} (${client.clientId ?? 'no client id'}): ${reason}`);
        },
      }),
    };
    listener.connections.add(entry);
    socket.on('data', (chunk: Buffer) => entry.connection.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => listener.connections.delete(entry));
  }

  private stop(listener: Listener, reason: string): void {
    this.listeners.delete(listener.brokerId);
    listener.server.close();
    for (const { connection } of [...listener.connections]) connection.close(reason);
  }
}

function apiName(apiKey: number): string {
  return apiKey === API_KEYS.metadata ? 'Metadata' : apiKey === API_KEYS.apiVersions ? 'ApiVersions' : `api ${apiKey}`;
}
