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
import { API_KEYS, apiRange, ERROR_NONE, readApiVersionsRequest, writeApiVersionsResponse } from './api-versions.js';
import type { Answer, ConsumerNetwork, FetchPartitionResponse, ListOffsetsPartitionResponse } from '../clients/consumer/consumer-network.js';
import { ProtocolConnection, type Handler, type RequestHeader } from './connection.js';
import type { ProduceResponse, ProducerNetwork } from '../clients/producer/producer-network.js';
import { readFetchRequest, readListOffsetsRequest, readProduceRequest, writeFetchResponse, writeListOffsetsResponse, writeProduceResponse } from './consumer-apis.js';
import { readMetadataRequest, writeMetadataResponse, type AdvertisedBroker } from './metadata.js';
import { protocolLimits } from './protocol-limits.js';
import type { WireReader } from './wire.js';

export interface ProtocolListenersOptions {
  /** The interface to listen on: 127.0.0.1 unless the user chooses otherwise. */
  readonly host: string;
  /** The port of a broker's listener (its own port by default; 0 picks a free one, for tests). */
  readonly portFor: (broker: { id: number; port: number }) => number;
  /** The cluster the views show, now. */
  readonly status: () => ClusterStatus;
  /** The shown cluster's network as consumers use it (fetches and offsets go through the brokers). */
  readonly consumer: () => ConsumerNetwork;
  /** The shown cluster's network as producers use it (record batches go to a partition's leader). */
  readonly producer: () => ProducerNetwork;
  /** Runs the engine work a request scheduled (a fetch on its way to a broker) now. */
  readonly kick: () => void;
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

/** A handler that also knows the broker whose listener the request reached. */
type BrokerHandler = (header: RequestHeader, body: WireReader, brokerId: number) => ReturnType<Handler>;

interface Listener {
  readonly brokerId: number;
  readonly server: Server;
  readonly connections: Set<{ socket: Socket; connection: ProtocolConnection; client: { address: string; clientId: string | null; apis: Set<string> } }>;
  port: number;
  ready: Promise<void>;
}

export class ProtocolListeners {
  private readonly listeners = new Map<number, Listener>();
  private readonly handlers: ReadonlyMap<number, BrokerHandler>;
  private closed = false;

  constructor(private readonly options: ProtocolListenersOptions) {
    this.handlers = this.handlersFor();
  }

  /** One handler per API; a handler runs for the broker whose listener the request reached. */
  private handlersFor(): Map<number, BrokerHandler> {
    return new Map<number, BrokerHandler>([
      [API_KEYS.produce, (header, body, brokerId) => {
        const request = readProduceRequest(body);
        const partitions = request.partitions.map((p) => ({ topic: p.topic, partition: p.partition, records: p.records }));
        const send = (done: (answer: ProduceResponse) => void): void => this.options.producer().send(brokerId, { acks: request.acks, timeoutMs: request.timeoutMs, partitions }, done);
        // acks=0: the broker appends and answers nothing; the client expects no response.
        if (request.acks === 0) {
          send(() => undefined);
          this.options.kick();
          return null;
        }
        return new Promise<Uint8Array>((resolve, reject) => {
          send((answer) => (answer.kind === 'response' ? resolve(writeProduceResponse(header.apiVersion, answer.partitions)) : reject(new Error('the broker went away before answering'))));
          this.options.kick();
        });
      }],
      [API_KEYS.fetch, (header, body, brokerId) => {
        const request = readFetchRequest(body, header.apiVersion);
        return this.ask<readonly FetchPartitionResponse[]>((done) => this.options.consumer().fetch(brokerId, request, done)).then((partitions) =>
          writeFetchResponse(header.apiVersion, partitions),
        );
      }],
      [API_KEYS.listOffsets, (header, body, brokerId) => {
        const request = readListOffsetsRequest(body, header.apiVersion);
        return this.ask<readonly ListOffsetsPartitionResponse[]>((done) => this.options.consumer().listOffsets(brokerId, request, done)).then((partitions) =>
          writeListOffsetsResponse(header.apiVersion, partitions),
        );
      }],
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

  /** Sends a request into the simulated network and waits for its answer; a broker gone meanwhile closes the connection. */
  private ask<T>(send: (done: (answer: Answer<T>) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      send((answer) => (answer.kind === 'response' ? resolve(answer.response) : reject(new Error('the broker went away before answering'))));
      this.options.kick();
    });
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
      connection: new ProtocolConnection(socket, this.handlersOf(listener.brokerId), {
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

  /** The handlers bound to one broker: what its listener answers. */
  private handlersOf(brokerId: number): Map<number, Handler> {
    return new Map([...this.handlers].map(([apiKey, handler]) => [apiKey, (header, body) => handler(header, body, brokerId)] as [number, Handler]));
  }

  private stop(listener: Listener, reason: string): void {
    this.listeners.delete(listener.brokerId);
    listener.server.close();
    for (const { connection } of [...listener.connections]) connection.close(reason);
  }
}

function apiName(apiKey: number): string {
  return apiRange(apiKey)?.name ?? `api ${apiKey}`;
}
