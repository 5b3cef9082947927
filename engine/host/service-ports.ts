/**
 * Real ports for the simulated services, so the seed's commands work from a terminal: order-1
 * listens on 127.0.0.1:orderPort (8081), inventory-N on 127.0.0.1:(inventoryBasePort + N - 1)
 * (8082, 8083, ...), each with its replica's endpoints (engine/services/http-endpoints.ts).
 *
 * A replica listens while its process lives (starting, running or paused: a paused one answers
 * 503); a crashed or stopped replica's port is closed (connection refused, as with a dead app),
 * and scaling opens and closes ports to match, on every lifecycle change of the services.
 *
 * This module runs inside the engine worker, on the engine's thread: a request calls the Services
 * methods directly and `afterRequest` (the live driver's kick) runs the engine work it scheduled.
 * POST /orders is answered once the order service has handed the event to its producer.
 *
 * Only 127.0.0.1 is ever bound. A request whose Host is not 127.0.0.1 or localhost (DNS rebinding)
 * is refused, and a POST must say `Content-Type: application/json` (so a web page cannot post a
 * form to it without a CORS preflight, which is never answered). Bodies are bounded by
 * servicesLimits.httpBodyBytesMax (413 past it); connections per port by
 * servicesLimits.httpConnectionsPerPortMax.
 *
 * A port already in use gives "Port 8082 is already in use: inventory-1 cannot listen on
 * 127.0.0.1:8082." — thrown by enable() (which then listens on nothing) and kept in the status
 * when it happens later (scaling up onto a busy port: the other replicas keep listening).
 *
 * Invariants: at most one server per replica id; only while enabled; bind and close operations
 * run one at a time, in order, with at most one lifecycle sync waiting; the Services snapshot's ports and each replica's port follow what
 * is really bound.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServicePorts as ServicePortsStatus } from '../api/services-dto.js';
import type { Clock } from '../core/clock.js';
import { KafkaError } from '../core/kafka-errors.js';
import { route } from '../services/http-endpoints.js';
import { DEFAULT_INVENTORY_BASE_PORT, DEFAULT_ORDER_PORT, type Services } from '../services/services.js';
import { servicesLimits } from '../services/services-limits.js';

export interface ServicePortsOptions {
  readonly services: Services;
  readonly clock: Clock;
  /** Runs after each request's engine work was started (the live driver's kick: run what is due now). */
  readonly afterRequest?: () => void;
}

const HOST = '127.0.0.1';

interface Bound {
  readonly port: number;
  readonly server: Server;
}

export class ServicePortBinding {
  private status: ServicePortsStatus = { enabled: false, host: HOST, orderPort: DEFAULT_ORDER_PORT, inventoryBasePort: DEFAULT_INVENTORY_BASE_PORT, error: null };
  private readonly bound = new Map<string, Bound>();
  /** Bind and close work, one at a time. */
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private closed = false;
  private syncQueued = false;

  constructor(private readonly options: ServicePortsOptions) {
    this.unsubscribe = options.services.onLifecycle(() => this.syncSoon());
  }

  current(): ServicePortsStatus {
    return { ...this.status };
  }

  /** Starts listening; on a port in use every port is released again and the error is thrown. */
  enable(ports: { readonly orderPort?: number; readonly inventoryBasePort?: number } = {}): Promise<ServicePortsStatus> {
    return this.enqueue(async () => {
      if (this.closed) throw new KafkaError('INVALID_REQUEST', 'The service ports are closed.');
      const orderPort = ports.orderPort ?? DEFAULT_ORDER_PORT;
      const inventoryBasePort = ports.inventoryBasePort ?? DEFAULT_INVENTORY_BASE_PORT;
      checkPorts(orderPort, inventoryBasePort);
      if (this.status.enabled && (orderPort !== this.status.orderPort || inventoryBasePort !== this.status.inventoryBasePort)) await this.closeAll();
      this.status = { enabled: true, host: HOST, orderPort, inventoryBasePort, error: null };
      const failure = await this.sync();
      if (failure === null) return this.current();
      await this.closeAll();
      this.status = { ...this.status, enabled: false, error: failure };
      this.publish();
      throw new KafkaError('INVALID_CONFIG', failure);
    });
  }

  /** Stops listening on every port. */
  disable(): Promise<ServicePortsStatus> {
    return this.enqueue(async () => {
      await this.closeAll();
      this.status = { ...this.status, enabled: false, error: null };
      this.publish();
      return this.current();
    });
  }

  /** Resolves once every bind and close asked for so far is done (the lifecycle follows asynchronously). */
  whenSettled(): Promise<void> {
    return this.queue;
  }

  /** The engine is going away. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.disable();
  }

  // ---------------------------------------------------------------------------------------------

  /** Makes the bound servers match the live replicas; returns the first binding problem, or null. */
  private async sync(): Promise<string | null> {
    const wanted = this.status.enabled ? this.wantedPorts() : new Map<string, number>();
    for (const [replicaId, bound] of [...this.bound]) {
      if (wanted.get(replicaId) !== bound.port) await this.unbind(replicaId);
    }
    let failure: string | null = null;
    for (const [replicaId, port] of wanted) {
      if (this.bound.has(replicaId)) continue;
      const problem = await this.bind(replicaId, port);
      failure ??= problem;
    }
    this.status = { ...this.status, error: failure };
    this.publish();
    return failure;
  }

  /** order-1 on the order port, inventory-N on base + N - 1, for the replicas whose process lives. */
  private wantedPorts(): Map<string, number> {
    const wanted = new Map<string, number>();
    for (const { replicaId, service, alive } of this.options.services.replicaIds()) {
      if (!alive) continue;
      const n = Number(replicaId.slice(replicaId.lastIndexOf('-') + 1));
      if (service === 'order' && n === 1) wanted.set(replicaId, this.status.orderPort);
      if (service === 'inventory') wanted.set(replicaId, this.status.inventoryBasePort + n - 1);
    }
    return wanted;
  }

  private bind(replicaId: string, port: number): Promise<string | null> {
    const server = createServer((req, res) => this.serve(replicaId, port, req, res));
    server.maxConnections = servicesLimits.httpConnectionsPerPortMax;
    return new Promise((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        server.close();
        resolve(bindProblem(replicaId, port, error));
      };
      server.once('error', onError);
      server.listen({ host: HOST, port, exclusive: true }, () => {
        server.off('error', onError);
        this.bound.set(replicaId, { port, server });
        resolve(null);
      });
    });
  }

  private async unbind(replicaId: string): Promise<void> {
    const bound = this.bound.get(replicaId);
    if (bound === undefined) return;
    this.bound.delete(replicaId);
    await new Promise<void>((resolve) => {
      bound.server.close(() => resolve());
      bound.server.closeAllConnections();
    });
  }

  private async closeAll(): Promise<void> {
    for (const replicaId of [...this.bound.keys()]) await this.unbind(replicaId);
  }

  /** Tells the services what listens where (the snapshot shows it; the replicas log Tomcat's line). */
  private publish(): void {
    const listening = new Map([...this.bound].map(([replicaId, bound]) => [replicaId, bound.port]));
    this.options.services.setPorts(this.current(), listening);
  }

  private serve(replicaId: string, port: number, req: IncomingMessage, res: ServerResponse): void {
    const refusal = refuse(req, port);
    if (refusal !== null) return answer(res, refusal.status, {}, { status: refusal.status, error: refusal.error, message: refusal.message, path: req.url ?? '/' });
    // A client that hangs up mid-request must not take the engine worker down with an unhandled 'error'.
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > servicesLimits.httpBodyBytesMax) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        return answer(res, 413, { Connection: 'close' }, { status: 413, error: 'Payload Too Large', message: `A request body is at most ${servicesLimits.httpBodyBytesMax} bytes.`, path: req.url ?? '/' });
      }
      const host = req.headers.host ?? `${HOST}:${port}`;
      const reply = route(this.options.services, replicaId, {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
        nowMs: this.options.clock.nowMs(),
        baseUrl: `http://${host}`,
      });
      this.options.afterRequest?.();
      answer(res, reply.status, reply.headers, reply.body);
    });
  }

  /** One sync queued at a time: a burst of lifecycle changes (a preset pausing replicas) binds once. */
  private syncSoon(): void {
    if (!this.status.enabled || this.syncQueued) return;
    this.syncQueued = true;
    void this.enqueue(() => {
      this.syncQueued = false;
      return this.sync();
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}

/** Refuses what does not come from a terminal on this machine: a foreign Host (DNS rebinding), a non-JSON POST. */
function refuse(req: IncomingMessage, port: number): { status: number; error: string; message: string } | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { status: 403, error: 'Forbidden', message: `Host ${JSON.stringify(req.headers.host ?? '')} is not this machine: use http://localhost:${port} or http://127.0.0.1:${port}.` };
  }
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (req.method === 'POST' && !contentType.startsWith('application/json')) {
    return { status: 415, error: 'Unsupported Media Type', message: "Content-Type must be 'application/json' (httpie and curl -H 'Content-Type: application/json' send it)." };
  }
  return null;
}

function answer(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function checkPorts(orderPort: number, inventoryBasePort: number): void {
  for (const port of [orderPort, inventoryBasePort]) {
    if (!Number.isInteger(port) || port < 1024 || port > 65_535) throw new KafkaError('INVALID_CONFIG', `Port ${port} is outside 1024..65535: choose an unprivileged port.`);
  }
  const lastInventoryPort = inventoryBasePort + servicesLimits.replicasPerServiceMax - 1;
  if (lastInventoryPort > 65_535) throw new KafkaError('INVALID_CONFIG', `Inventory ports from ${inventoryBasePort} would run past 65535 with ${servicesLimits.replicasPerServiceMax} replicas.`);
  if (orderPort >= inventoryBasePort && orderPort <= lastInventoryPort) {
    throw new KafkaError('INVALID_CONFIG', `Port ${orderPort} is the order port and also inventory-${orderPort - inventoryBasePort + 1}'s port (inventory replicas use ${inventoryBasePort}..${lastInventoryPort}).`);
  }
}

function bindProblem(replicaId: string, port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return `Port ${port} is already in use: ${replicaId} cannot listen on ${HOST}:${port}.`;
  if (error.code === 'EACCES') return `Port ${port} is not allowed for this user: ${replicaId} cannot listen on ${HOST}:${port}.`;
  return `${replicaId} cannot listen on ${HOST}:${port}: ${error.message}`;
}
