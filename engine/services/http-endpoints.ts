/**
 * The seed's HTTP endpoints of one replica, as pure routing: (method, path, body text) in, (status,
 * headers, JSON body) out. engine/host/service-ports.ts binds them to real 127.0.0.1 ports; tests
 * call them directly.
 *
 * - order replica: `POST /orders {productId, qty}` → 201 with the order (`http :8081/orders
 *   productId=1 qty=1`); the answer comes once the order service has handed OrderPlaced to its
 *   producer, not after the broker's acknowledgement, as the labshop app answers;
 * - inventory replica: `POST /inventories {id, stock}` → 201 (creates or replaces the row),
 *   `GET /inventories` → 200 with every row, `GET /inventories/{id}` → 200 or 404.
 *
 * The JSON is Spring Data REST's HAL shape, kept small: each resource carries its fields (the id
 * too, which Spring Data REST leaves out by default, because the seed's learner reads it) and a
 * `_links.self`; a collection is `{"_embedded": {"inventories": [...]}}`. Errors are Spring Boot's
 * error body `{timestamp, status, error, message, path}`.
 *
 * Numbers may come as JSON numbers or as digit strings: httpie's `productId=1` sends the string
 * "1", and Spring's Jackson converts it; anything else is a 400 naming the field. A replica that is
 * paused, crashed or stopped answers 503 (the binding closes the ports of dead replicas, so this
 * is what a paused one says).
 *
 * Invariants: route never throws (every failure is an HTTP answer); it reads no clock (the caller
 * passes `nowMs`) and does no I/O.
 */
import { z } from 'zod';
import { isKafkaError } from '../core/kafka-errors.js';
import type { Services } from './services.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface HttpRequest {
  readonly method: string;
  /** The request target: path and optional query ("/inventories/1"). */
  readonly path: string;
  /** The body text, '' when there is none. */
  readonly body: string;
  /** Engine time, for the error body's timestamp. */
  readonly nowMs: number;
  /** "http://localhost:8082": the base of the `_links` hrefs (from the request's Host). */
  readonly baseUrl: string;
}

/** A whole number sent as a JSON number or as a string of digits (httpie's `qty=1`). */
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value),
    z.number({ error: 'a whole number' }).int('a whole number').min(min, `at least ${min}`).max(max, `at most ${max}`),
  );

const OrderBody = z.object({ productId: wholeNumber(0, 2_147_483_647), qty: wholeNumber(1, 1_000_000) });
const InventoryBody = z.object({ id: wholeNumber(0, 2_147_483_647), stock: wholeNumber(-1_000_000_000, 1_000_000_000) });
const INVENTORY_PATH = /^\/inventories\/([^/]+)$/;

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers one HTTP request to one replica. */
export function route(services: Services, replicaId: string, request: HttpRequest): HttpAnswer {
  const path = request.path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const service = services.serviceOf(replicaId);
  if (service === null) return error(request, path, 404, `There is no replica ${replicaId} behind this port.`);
  const state = services.stateOf(replicaId);
  if (state !== 'running' && state !== 'starting') return error(request, path, 503, `${replicaId} is ${state}: it answers no requests.`);
  try {
    return service === 'order' ? orderRoutes(services, replicaId, request, path) : inventoryRoutes(services, replicaId, request, path);
  } catch (caught) {
    return failure(request, path, caught);
  }
}

function orderRoutes(services: Services, replicaId: string, request: HttpRequest, path: string): HttpAnswer {
  if (path !== '/orders') return error(request, path, 404, `No endpoint ${request.method} ${path}: the order service has POST /orders.`);
  if (request.method !== 'POST') return error(request, path, 405, `Request method '${request.method}' is not supported: the order service has POST /orders.`);
  const body = parseBody(request, path, OrderBody);
  if ('status' in body) return body;
  const order = services.placeOrderOn(replicaId, body.productId, body.qty);
  const href = `${request.baseUrl}/orders/${order.orderId}`;
  return {
    status: 201,
    headers: { Location: href },
    body: { id: order.orderId, productId: order.productId, qty: order.qty, _links: { self: { href }, order: { href } } },
  };
}

function inventoryRoutes(services: Services, replicaId: string, request: HttpRequest, path: string): HttpAnswer {
  if (path === '/inventories') {
    if (request.method === 'GET') {
      const inventories = services.stockOn(replicaId).map((row) => inventoryResource(request.baseUrl, row.productId, row.stock));
      return { status: 200, headers: {}, body: { _embedded: { inventories }, _links: { self: { href: `${request.baseUrl}/inventories` } } } };
    }
    if (request.method !== 'POST') return error(request, path, 405, `Request method '${request.method}' is not supported: the inventory service has GET and POST /inventories.`);
    const body = parseBody(request, path, InventoryBody);
    if ('status' in body) return body;
    services.setStock(replicaId, body.id, body.stock);
    const resource = inventoryResource(request.baseUrl, body.id, body.stock);
    return { status: 201, headers: { Location: resource._links.self.href }, body: resource };
  }
  const match = INVENTORY_PATH.exec(path);
  if (match === null) return error(request, path, 404, `No endpoint ${request.method} ${path}: the inventory service has /inventories and /inventories/{id}.`);
  if (request.method !== 'GET') return error(request, path, 405, `Request method '${request.method}' is not supported: the inventory service has GET /inventories/{id}.`);
  if (!/^\d{1,10}$/.test(match[1]!)) return error(request, path, 400, `Failed to convert '${match[1]}' to a product id: a whole number.`);
  const id = Number(match[1]);
  const row = services.stockOn(replicaId).find((entry) => entry.productId === id);
  if (row === undefined) return error(request, path, 404, `No inventory with id ${id} on ${replicaId} (POST /inventories id=${id} stock=10 creates it).`);
  return { status: 200, headers: {}, body: inventoryResource(request.baseUrl, row.productId, row.stock) };
}

function inventoryResource(baseUrl: string, id: number, stock: number) {
  const href = `${baseUrl}/inventories/${id}`;
  return { id, stock, _links: { self: { href }, inventory: { href } } };
}

/** The body as the schema reads it, or a 400 naming the field that is wrong. */
function parseBody<T>(request: HttpRequest, path: string, schema: z.ZodType<T>): T | HttpAnswer {
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    return error(request, path, 400, request.body.trim() === '' ? 'Required request body is missing.' : 'JSON parse error: the request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  if (field === '') return error(request, path, 400, 'JSON parse error: the request body must be a JSON object.');
  const value = (json as Record<string, unknown>)[String(issue.path[0])];
  const message = value === undefined ? `${field} is required` : `${field} must be ${issue.message} (got ${JSON.stringify(value)})`;
  return error(request, path, 400, `Invalid request body: ${message}.`);
}

/** An engine refusal as HTTP: the replica cannot serve now (503) or the request is not acceptable (400). */
function failure(request: HttpRequest, path: string, caught: unknown): HttpAnswer {
  if (!isKafkaError(caught)) return error(request, path, 500, caught instanceof Error ? caught.message : String(caught));
  if (caught.errorName === 'POLICY_VIOLATION') return error(request, path, 400, caught.message);
  if (caught.errorName === 'INVALID_REQUEST') return error(request, path, 503, caught.message);
  return error(request, path, 500, `${caught.errorName}: ${caught.message}`);
}

function error(request: HttpRequest, path: string, status: number, message: string): HttpAnswer {
  return { status, headers: {}, body: { timestamp: new Date(request.nowMs).toISOString(), status, error: REASONS[status] ?? 'Error', message, path } };
}
