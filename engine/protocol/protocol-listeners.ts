/**
 * One TCP listener per simulated broker (127.0.0.1 and the broker's own port — 9092, 9093, ... —
 * unless told otherwise), speaking Kafka's protocol so real clients (kcat, kafka-python,
 * librdkafka, kafkajs) reach the embedded cluster. The listeners follow the brokers: a broker that
 * is killed or stopped closes its listener and drops its connections, so clients see what a dead
 * broker shows them (connection refused); started again, it listens again. Metadata advertises the
 * address each listener really has.
 *
 * The listeners show whichever cluster the views show (the learner's own, or the open lab's): a
 * workspace switch is a new set of brokers. Admin requests (CreateTopics, DeleteTopics, ...) change
 * that cluster through `admin`, so they reach its timeline like the same change made in the app.
 *
 * Security: PLAINTEXT (the default, no authentication) or SASL_PLAINTEXT (SaslHandshake and
 * SaslAuthenticate with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 against the shown cluster's SCRAM
 * users). A connection keeps the protocol it was accepted under; changing it closes the open ones.
 *
 * Invariants: at most one listener per broker id; a listener exists only for a running broker;
 * every connection belongs to exactly one listener and is destroyed with it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ClusterStatus } from '../api/dto.js';
import type { ScramCredential, ScramMechanism } from '../cluster/scram-credentials.js';
import type { Prng } from '../core/prng.js';
import { ADMIN_API_KEYS, readCreatePartitionsRequest, readCreateTopicsRequest, readDeleteTopicsRequest, readDescribeConfigsRequest, readInitProducerIdRequest } from './admin-apis.js';
import { autoCreateTopics, createPartitions, createTopics, deleteTopics, describeConfigs, initProducerId } from './admin-handlers.js';
import { groupHandlers, type WireClient } from './group-handlers.js';
import { API_KEYS, apiRange, ERROR_NONE, readApiVersionsRequest, writeApiVersionsResponse } from './api-versions.js';
import type { Answer, ConsumerNetwork, FetchPartitionResponse, ListOffsetsPartitionResponse } from '../clients/consumer/consumer-network.js';
import { ProtocolConnection, type Handler, type RequestHeader } from './connection.js';
import type { ProduceResponse, ProducerNetwork } from '../clients/producer/producer-network.js';
import { readFetchRequest, readListOffsetsRequest, readProduceRequest, writeFetchResponse, writeListOffsetsResponse, writeProduceResponse } from './consumer-apis.js';
import { readMetadataRequest, writeMetadataResponse, type AdvertisedBroker } from './metadata.js';
import { protocolLimits } from './protocol-limits.js';
import { SaslAuthenticator, SASL_MECHANISM_NAMES } from './sasl/sasl-authenticator.js';
import type { WireAdmin } from './wire-admin.js';
import type { WireReader } from './wire.js';

/** A listener's security.protocol, as Kafka names it in listener.security.protocol.map. */
export type ListenerSecurityProtocol = 'PLAINTEXT' | 'SASL_PLAINTEXT';

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
  /** The shown cluster's admin side: topic creation and deletion, configs, producer ids. */
  readonly admin: () => WireAdmin;
  /** The listeners' security protocol now (a connection keeps the one it was accepted under). */
  readonly securityProtocol: () => ListenerSecurityProtocol;
  /** The shown cluster's SCRAM credential of a user for a mechanism (Cluster.scramCredential), or null. */
  readonly credential: (user: string, mechanism: ScramMechanism) => ScramCredential | null;
  /** Where the SCRAM server nonces come from: seeded, like every random choice of the engine. */
  readonly prng: Prng;
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
  /** The user a SASL connection authenticated as; null on PLAINTEXT or before authentication. */
  readonly principal: string | null;
}

/** A handler that also knows the broker whose listener the request reached, and who sent it. */
type BrokerHandler = (header: RequestHeader, body: WireReader, brokerId: number, client: WireClient) => ReturnType<Handler>;

interface Listener {
  readonly brokerId: number;
  readonly server: Server;
  readonly connections: Set<{ socket: Socket; connection: ProtocolConnection; client: { address: string; clientId: string | null; apis: Set<string>; principal: string | null } }>;
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
    const groups = groupHandlers({ consumer: () => this.options.consumer(), advertised: () => this.advertised(), kick: () => this.options.kick() });
    return new Map<number, BrokerHandler>([
      ...groups,
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
        const existing = new Set(this.options.status().topics.map((t) => t.name));
        const created = autoCreateTopics(this.options.admin(), request.topics, request.allowAutoTopicCreation, existing);
        return writeMetadataResponse(header.apiVersion, request, this.options.status(), this.advertised(), created);
      }],
      [ADMIN_API_KEYS.createTopics, (header, body) => createTopics(this.options.admin(), header.apiVersion, readCreateTopicsRequest(body, header.apiVersion))],
      [ADMIN_API_KEYS.deleteTopics, (header, body) => deleteTopics(this.options.admin(), header.apiVersion, readDeleteTopicsRequest(body))],
      [ADMIN_API_KEYS.createPartitions, (_header, body) => createPartitions(this.options.admin(), readCreatePartitionsRequest(body))],
      [ADMIN_API_KEYS.describeConfigs, (header, body, brokerId) => describeConfigs(this.options.admin(), header.apiVersion, brokerId, readDescribeConfigsRequest(body, header.apiVersion))],
      [ADMIN_API_KEYS.initProducerId, (_header, body) => {
        const answer = initProducerId(this.options.admin(), readInitProducerIdRequest(body));
        this.options.kick();
        return answer;
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
        out.push({ brokerId: listener.brokerId, address: client.address, clientId: client.clientId, apis: [...client.apis].sort(), principal: client.principal });
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
    const client = { address: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, clientId: null as string | null, apis: new Set<string>(), principal: null as string | null };
    const events = {
      onRequest: (header: RequestHeader) => {
        client.clientId = header.clientId;
        client.apis.add(apiName(header.apiKey));
      },
      onClose: (reason: string) => {
        listener.connections.delete(entry);
        this.options.log(`broker ${listener.brokerId}: closed the connection from ${client.address} (${client.clientId ?? 'no client id'}): ${reason}`);
      },
      onAuthenticated: (principal: string) => {
        client.principal = principal;
      },
    };
    // The coordinator shows a member's host as Kafka's RequestContext does: "/" and the address.
    const sender = (header: RequestHeader): WireClient => ({ clientId: header.clientId ?? '', clientHost: `/${socket.remoteAddress ?? '127.0.0.1'}` });
    const entry = { socket, client, connection: new ProtocolConnection(socket, this.handlersOf(listener.brokerId, sender), events, protocolLimits.socketRequestMaxBytes, this.authenticatorFor()) };
    listener.connections.add(entry);
    socket.on('data', (chunk: Buffer) => entry.connection.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => listener.connections.delete(entry));
  }

  /** A new connection's SASL authentication: none on a PLAINTEXT listener. */
  private authenticatorFor(): SaslAuthenticator | null {
    if (this.options.securityProtocol() === 'PLAINTEXT') return null;
    return new SaslAuthenticator({ enabledMechanisms: SASL_MECHANISM_NAMES, credential: this.options.credential, prng: this.options.prng });
  }

  /** The security protocol changed: every open connection was accepted under the old one, so it closes (clients reconnect under the new one). */
  securityChanged(): void {
    for (const listener of this.listeners.values()) {
      for (const { connection } of [...listener.connections]) connection.close(`the listener's security protocol is now ${this.options.securityProtocol()}`);
    }
  }

  /** The handlers bound to one broker: what its listener answers. */
  private handlersOf(brokerId: number, sender: (header: RequestHeader) => WireClient): Map<number, Handler> {
    return new Map([...this.handlers].map(([apiKey, handler]) => [apiKey, (header, body) => handler(header, body, brokerId, sender(header))] as [number, Handler]));
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
