/**
 * The headless shell's web host refuses whoever is not the page it printed: no token or a wrong
 * one, a foreign Host (DNS rebinding) or a foreign Origin. Over an accepted WebSocket, malformed
 * frames and payloads get typed errors while this and other connections keep working.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../cli/web-host.js';
import { Scheduler, runUntilSettled } from '../../engine/core/scheduler.js';
import { SimulationTime } from '../../engine/core/simulation-time.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';
import { Workbench } from '../../engine/host/workbench.js';
import { manualTimers } from '../helpers/manual-timers.js';

const TOKEN = 'test-token-0123456789abcdef';
let web: WebHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'kafka-lab-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  const scheduler = new Scheduler(0);
  const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(3), timers: scheduler, uiTimers: manualTimers(), time: new SimulationTime(scheduler) });
  web = await startWebHost({ port: 0, rendererDir, gateway: new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000))), token: TOKEN });
});

afterAll(async () => {
  await web.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const origin = () => `http://127.0.0.1:${web.port}`;

function connect(query: string, headers: Record<string, string>): Promise<{ ws: WebSocket | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api${query}`, { headers });
    ws.once('open', () => resolve({ ws, status: null }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws: null, status: res.statusCode ?? null }));
    ws.once('error', () => resolve({ ws: null, status: -1 }));
  });
}

function exchange(ws: WebSocket, frame: unknown): Promise<{ id: number | null; envelope: { ok: boolean; error?: { name: string; message: string }; value?: unknown } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const parsed = JSON.parse(String(data)) as { type: string; id: number | null; envelope: never };
      if (parsed.type !== 'result') return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('HTTP', () => {
  it('serves the UI with the token, sets the same-site cookie and the CSP', async () => {
    const res = await get(`/?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^kafka_lab_token=test-token-0123456789abcdef; HttpOnly; SameSite=Strict; Path=\//);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('/app.js', { cookie: `kafka_lab_token=${TOKEN}` })).status).toBe(200);
  });

  it('refuses a missing or wrong token', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/app.js', { cookie: 'kafka_lab_token=wrong' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    expect((await get(`/?token=${TOKEN}`, { host: `evil.example:${web.port}` })).status).toBe(421);
  });

  it('serves nothing outside the renderer folder', async () => {
    expect((await get(`/..%2F..%2Fetc%2Fpasswd?token=${TOKEN}`)).status).toBe(404);
    expect((await get(`/../package.json?token=${TOKEN}`)).status).toBe(404);
  });
});

describe('WebSocket API', () => {
  it('refuses a missing token, a wrong token and a foreign Origin', async () => {
    expect((await connect('', { origin: origin() })).status).toBe(401);
    expect((await connect('?token=wrong', { origin: origin() })).status).toBe(401);
    expect((await connect(`?token=${TOKEN}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await connect(`?token=${TOKEN}`, {})).status).toBe(403);
    expect((await connect(`?token=${TOKEN}`, { origin: origin(), host: 'evil.example' })).status).toBe(421);
  });

  it('accepts the token by query or cookie from its own Origin', async () => {
    const byQuery = await connect(`?token=${TOKEN}`, { origin: origin() });
    const byCookie = await connect('', { origin: origin(), cookie: `kafka_lab_token=${TOKEN}` });
    expect(byQuery.ws).not.toBeNull();
    expect(byCookie.ws).not.toBeNull();
    byQuery.ws?.close();
    byCookie.ws?.close();
  });

  it('answers malformed frames and payloads with INVALID_REQUEST and keeps serving every connection', async () => {
    const { ws } = await connect(`?token=${TOKEN}`, { origin: origin() });
    const other = (await connect(`?token=${TOKEN}`, { origin: origin() })).ws!;
    expect((await exchange(ws!, 'not json')).envelope.error?.name).toBe('INVALID_REQUEST');
    expect((await exchange(ws!, { id: 1, type: 'launch' })).envelope.error?.name).toBe('INVALID_REQUEST');
    const bad = await exchange(ws!, { id: 2, type: 'invoke', kind: 'command', name: 'createTopic', payload: { name: 'x', partitions: 'three', replicationFactor: 1 } });
    expect(bad).toMatchObject({ id: 2, envelope: { ok: false, error: { name: 'INVALID_REQUEST' } } });
    expect(bad.envelope.error?.message).toContain('partitions');
    const good = await exchange(ws!, { id: 3, type: 'invoke', kind: 'query', name: 'clusterStatus', payload: {} });
    expect(good.envelope.ok).toBe(true);
    const fromOther = await exchange(other, { id: 1, type: 'invoke', kind: 'query', name: 'listTopics', payload: {} });
    expect(fromOther.envelope).toEqual({ ok: true, value: { topics: [] } });
    ws!.close();
    other.close();
  });

  it('delivers the status stream on subscribe', async () => {
    const { ws } = await connect(`?token=${TOKEN}`, { origin: origin() });
    const event = new Promise<{ event: string; frame: { full: { brokers: unknown[] } } }>((resolve) => {
      ws!.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; event: string; frame: { full: { brokers: unknown[] } } };
        if (frame.type === 'event') resolve(frame);
      });
    });
    ws!.send(JSON.stringify({ id: 1, type: 'subscribe', event: 'clusterStatus' }));
    const received = await event;
    expect(received.event).toBe('clusterStatus');
    // The first frame of a subscription is the whole payload; later ones carry only what changed.
    expect(received.frame.full.brokers).toHaveLength(3);
    expect((await exchange(ws!, { id: 2, type: 'subscribe', event: 'nothing' })).envelope.error?.name).toBe('INVALID_REQUEST');
    ws!.close();
  });
});
