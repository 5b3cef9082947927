/**
 * Kafka's tools from a terminal, as the workshop types them: `kafka-lab kafka-topics ...` on a data
 * directory (opened by the CLI itself when no workbench runs there), with Kafka's output and exit
 * codes, standard input feeding the console producer, and the names learners paste
 * (bin/kafka-topics.sh, bin\windows\kafka-topics.bat). With `kafka-lab serve` running on the same
 * directory, the same commands run inside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, repoRoot, requireBuild } from '../helpers/built.js';

let dataDir: string;

beforeAll(() => {
  requireBuild();
  dataDir = mkdtempSync(join(tmpdir(), 'kafka-lab-tools-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function kafkaLab(args: readonly string[], input?: string) {
  const run = spawnSync(process.execPath, [builtCli, '--data', dataDir, ...args], { cwd: repoRoot, encoding: 'utf8', input, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('kafka-lab <kafka tool>', () => {
  it('creates and describes a topic with Kafka output, under the names learners paste', () => {
    const created = kafkaLab(['kafka-topics', '--bootstrap-server', 'localhost:9092', '--create', '--topic', 'orders', '--partitions', '2', '--replication-factor', '3']);
    expect(created).toMatchObject({ code: 0, out: 'Created topic orders.\n' });
    const described = kafkaLab(['bin/kafka-topics.sh', '--bootstrap-server', '127.0.0.1:9092', '--topic', 'orders', '--describe']);
    expect(described.code).toBe(0);
    const lines = described.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Topic: orders\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: /);
    expect(lines.slice(1).map((l) => l.replace(/Leader: \d\tReplicas: [\d,]+\tIsr: [\d,]+/, 'Leader: L\tReplicas: R\tIsr: I'))).toEqual([
      '\tTopic: orders\tPartition: 0\tLeader: L\tReplicas: R\tIsr: I',
      '\tTopic: orders\tPartition: 1\tLeader: L\tReplicas: R\tIsr: I',
    ]);
    const windows = kafkaLab(['bin\\windows\\kafka-topics.bat', '--bootstrap-server', 'localhost:9092', '--list']);
    expect(windows.out.split('\n')).toContain('orders');
  });

  it('the console producer reads standard input; the console consumer prints the keyed records', () => {
    const produced = kafkaLab(['kafka-console-producer', '--broker-list', 'localhost:9092', '--topic', 'orders', '--property', 'parse.key=true', '--property', 'key.separator=:'], 'k1:hello\nk2:world\n');
    expect(produced.code).toBe(0);
    const consumed = kafkaLab(['kafka-console-consumer', '--bootstrap-server', 'localhost:9092', '--topic', 'orders', '--from-beginning', '--property', 'print.key=true', '--max-messages', '2']);
    expect(consumed.code).toBe(0);
    expect(consumed.out.trimEnd().split('\n').sort()).toEqual(['k1\thello', 'k2\tworld']);
    expect(consumed.err).toContain('Processed a total of 2 messages');
  });

  it('bad input: a topic that does not exist and an unknown option fail with the tool’s message and exit 1, changing nothing', () => {
    const missing = kafkaLab(['kafka-topics', '--bootstrap-server', 'localhost:9092', '--describe', '--topic', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.out + missing.err).toContain("Topic 'nope' does not exist as expected");
    const unknown = kafkaLab(['kafka-topics', '--bootstrap-server', 'localhost:9092', '--list', '--colour']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('colour is not a recognized option');
    expect(kafkaLab(['kafka-topics', '--bootstrap-server', 'localhost:9092', '--list']).out.split('\n').filter((l) => l !== '' && !l.startsWith('__'))).toEqual(['orders']);
  });

  it('with kafka-lab serve running on the directory, the command runs inside it', async () => {
    const serve = spawn(process.execPath, [builtCli, 'serve', '--no-kafka', '--data', dataDir, '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let text = '';
        serve.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Open http')) resolve();
        });
        serve.once('exit', () => reject(new Error(`serve exited: ${text}`)));
      });
      // The directory is locked by serve: only the route through it can work.
      const listed = kafkaLab(['kafka-topics', '--bootstrap-server', 'localhost:9092', '--list']);
      expect(listed.code, listed.err).toBe(0);
      expect(listed.out.split('\n')).toContain('orders');
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
  });
});
