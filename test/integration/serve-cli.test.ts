/**
 * `kafka-lab serve` end to end, as a user runs it: the engine in its worker thread behind the
 * WebSocket API, one instance per data directory, clear errors for bad arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { builtCli, repoRoot, requireBuild } from '../helpers/built.js';
import { startServe } from '../helpers/serve.js';

let dataDir: string;

beforeAll(() => {
  requireBuild();
  dataDir = mkdtempSync(join(tmpdir(), 'kafka-lab-serve-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [builtCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function call(url: string, port: number, frame: object): Promise<{ ok: boolean; value?: unknown; error?: { name: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace('http://', 'ws://').replace('/?token=', '/api?token='), { headers: { origin: `http://127.0.0.1:${port}` } });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify(frame)));
    ws.on('message', (data) => {
      const parsed = JSON.parse(String(data)) as { type: string; envelope: never };
      if (parsed.type !== 'result') return;
      ws.close();
      resolve(parsed.envelope);
    });
  });
}

describe('kafka-lab serve', () => {
  it('serves the engine from its worker, refuses a second instance on the same data directory, and releases it on SIGTERM', async () => {
    const serve = await startServe(['--data', dataDir, '--port', '0', '--brokers', '5', '--seed', '11']);
    expect(serve.output()).toContain('5 broker(s)');
    expect(serve.output()).toContain('seed 11');
    const created = await call(serve.url, serve.port, { id: 1, type: 'invoke', kind: 'command', name: 'createTopic', payload: { name: 'test1', partitions: 1, replicationFactor: 3 } });
    expect(created).toMatchObject({ ok: true, value: { name: 'test1', replicationFactor: 3 } });
    const refused = await call(serve.url, serve.port, { id: 2, type: 'invoke', kind: 'command', name: 'createTopic', payload: { name: 'test2', partitions: 1, replicationFactor: 6 } });
    expect(refused.error?.name).toBe('INVALID_REPLICATION_FACTOR');

    const second = cli(['serve', '--data', dataDir, '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/The data directory .* is in use by another Kafka Lab Workbench \(pid \d+\)/);

    expect(await serve.stop()).toBe(0);
    expect(serve.output()).toContain('Stopped.');
    expect(existsSync(join(dataDir, '.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, '.lock'), '999999999\n');
    // The directory holds the 5-broker cluster of the test above, topics and all.
    const serve = await startServe(['--data', dataDir, '--port', '0', '--brokers', '5']);
    const topics = await call(serve.url, serve.port, { id: 1, type: 'invoke', kind: 'query', name: 'listTopics', payload: {} });
    expect(topics).toEqual({ ok: true, value: { topics: ['test1'] } });
    expect(await serve.stop()).toBe(0);
  });

  it('loses no acknowledged record when the process is killed (SIGKILL) and restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-lab-kill-'));
    try {
      const first = await startServe(['--data', dir, '--port', '0', '--seed', '5']);
      await call(first.url, first.port, { id: 1, type: 'invoke', kind: 'command', name: 'createTopic', payload: { name: 'orders', partitions: 2, replicationFactor: 3 } });
      const acked: number[] = [];
      for (let i = 0; i < 60; i++) {
        const answer = await call(first.url, first.port, { id: 1, type: 'invoke', kind: 'command', name: 'produceRecord', payload: { topic: 'orders', partition: i % 2, key: `order-${i}`, value: `${i}`, acks: 'all' } });
        if (answer.ok) acked.push(i);
      }
      expect(acked).toHaveLength(60);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const second = await startServe(['--data', dir, '--port', '0']);
      const values: string[] = [];
      for (const partition of [0, 1]) {
        const read = await call(second.url, second.port, { id: 1, type: 'invoke', kind: 'query', name: 'readRecords', payload: { topic: 'orders', partition, offset: 0, maxRecords: 1000 } });
        values.push(...(read.value as { records: { value: string }[] }).records.map((r) => r.value));
      }
      expect(values.map(Number).sort((a, b) => a - b)).toEqual(acked);
      const recovery = await call(second.url, second.port, { id: 1, type: 'invoke', kind: 'query', name: 'storageRecovery', payload: {} });
      const brokers = (recovery.value as { brokers: { hadCleanShutdown: boolean; partitions: { bytesTruncated: number }[] }[] }).brokers;
      expect(brokers.map((b) => b.hadCleanShutdown)).toEqual([false, false, false]);
      expect(brokers.flatMap((b) => b.partitions).every((p) => p.bytesTruncated === 0)).toBe(true);
      expect(await second.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['serve', '--port', 'eighty'], "--port must be a whole number, got 'eighty'."],
    [['serve', '--brokers', '0'], '--brokers must be between 1 and 16, got 0.'],
    [['serve', '--verbose'], "Unknown option '--verbose'"],
    [['launch'], "Unknown command 'launch'."],
  ])('refuses %j with a specific message and exit code 2', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('prints help and version', () => {
    expect(cli(['help']).stdout).toContain('Usage: kafka-lab <command>');
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
