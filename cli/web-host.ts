/**
 * The headless shell's web host: serves the built renderer and the WebSocket API on 127.0.0.1
 * only. Every HTTP request and WebSocket upgrade must carry the per-run token (in the URL the
 * shell printed, then as a same-site cookie) and name this server in its Host header; upgrades
 * must also come from this server's own Origin. That keeps other local users' pages and DNS
 * rebinding attacks away from the cluster.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TOKEN_COOKIE, TOKEN_PARAM, WS_PATH } from '../engine/api/ws-messages.js';
import { limits } from '../engine/core/limits.js';
import type { Gateway } from '../engine/host/gateway.js';
import { contentSecurityPolicy } from '../engine/host/security-policy.js';
import { serveConnection } from '../engine/host/transports/websocket.js';

export const LOOPBACK = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export interface WebHostOptions {
  readonly port: number;
  readonly rendererDir: string;
  readonly gateway: Gateway;
  /** Fixed token for tests; a random one otherwise. */
  readonly token?: string;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.wsMaxPayloadBytes });
  const server = createServer();
  await listen(server, options.port);
  const port = (server.address() as AddressInfo).port;
  const allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([`http://${LOOPBACK}:${port}`, `http://localhost:${port}`]);
  const csp = contentSecurityPolicy([`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`]);

  server.on('request', (req, res) => {
    const verdict = checkRequest(req, allowedHosts, token);
    if (verdict.status !== 200) return refuse(res, verdict.status, verdict.reason);
    serveStatic(req, res, options.rendererDir, csp, verdict.setCookie ? token : null);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(req, allowedHosts, allowedOrigins, token);
    if (verdict.status !== 200) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options.gateway));
  });

  return {
    url: `http://${LOOPBACK}:${port}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`Port ${port} on ${LOOPBACK} is already in use. Choose another with --port, or --port 0 for any free port.`));
      else reject(error);
    });
    server.listen(port, LOOPBACK, () => resolve());
  });
}

interface Verdict {
  readonly status: number;
  readonly reason: string;
  readonly setCookie?: boolean;
}

function checkRequest(req: IncomingMessage, allowedHosts: ReadonlySet<string>, token: string): Verdict {
  if (!allowedHosts.has(req.headers.host ?? '')) return { status: 421, reason: 'Misdirected Request: this server answers only to its own 127.0.0.1 address' };
  const url = new URL(req.url ?? '/', 'http://local');
  const queryToken = url.searchParams.get(TOKEN_PARAM);
  if (queryToken !== null) {
    return sameSecret(queryToken, token) ? { status: 200, reason: 'OK', setCookie: true } : { status: 401, reason: 'Unauthorized: wrong token' };
  }
  return sameSecret(cookieToken(req) ?? '', token) ? { status: 200, reason: 'OK' } : { status: 401, reason: 'Unauthorized: missing token' };
}

function checkUpgrade(req: IncomingMessage, allowedHosts: ReadonlySet<string>, allowedOrigins: ReadonlySet<string>, token: string): Verdict {
  if (!allowedHosts.has(req.headers.host ?? '')) return { status: 421, reason: 'Misdirected Request' };
  if (!allowedOrigins.has(req.headers.origin ?? '')) return { status: 403, reason: 'Forbidden: foreign Origin' };
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname !== WS_PATH) return { status: 404, reason: 'Not Found' };
  const presented = url.searchParams.get(TOKEN_PARAM) ?? cookieToken(req) ?? '';
  return sameSecret(presented, token) ? { status: 200, reason: 'OK' } : { status: 401, reason: 'Unauthorized: missing or wrong token' };
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

function sameSecret(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${reason}. Open the URL that "kafka-lab serve" printed.\n`);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, csp: string, cookieTokenToSet: string | null): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method Not Allowed');
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
  const relative = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '');
  const file = join(rendererDir, relative);
  if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) return refuse(res, 404, 'Not Found');
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (cookieTokenToSet !== null) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${cookieTokenToSet}; HttpOnly; SameSite=Strict; Path=/`;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
