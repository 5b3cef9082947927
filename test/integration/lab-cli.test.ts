/**
 * `kafka-lab lab ...` from a terminal: the autopilot's step lines and exit code, the JSON last line
 * the issue specifies, a seed that replays, a failing lab that exits 1 and names the failed check,
 * and lab files with problems reported as file:line:column.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, parseCli } from '../../cli/args.js';
import { builtCli, repoRoot, requireBuild } from '../helpers/built.js';

let labsDir: string;
const firstTopic = readFileSync(join(repoRoot, 'labs', '01-first-topic.yaml'), 'utf8');

beforeAll(() => {
  requireBuild();
  labsDir = mkdtempSync(join(tmpdir(), 'kafka-lab-labs-'));
  writeFileSync(join(labsDir, '01-first-topic.yaml'), firstTopic);
  // The same lab, expecting four records where the learner typed three: the produce step must fail.
  writeFileSync(join(labsDir, '02-wrong-count.yaml'), firstTopic.replace('id: first-topic', 'id: wrong-count').replace('count: { equals: 3 }', 'count: { equals: 4 }'));
});

afterAll(() => rmSync(labsDir, { recursive: true, force: true }));

function kafkaLab(args: readonly string[]) {
  const run = spawnSync(process.execPath, [builtCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('kafka-lab lab', () => {
  it('run: prints each step, exits 0, and --json ends with the result object', () => {
    const run = kafkaLab(['lab', 'run', 'first-topic', '--json', '--labs', labsDir]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines).toContain('ok   produce (0.1 s engine time)');
    const result = JSON.parse(lines.at(-1)!) as { lab: string; passed: boolean; steps: { id: string; passed: boolean; checks: { check: string; passed: boolean }[] }[] };
    expect(result).toMatchObject({ lab: 'first-topic', passed: true });
    expect(result.steps.map((s) => s.id)).toEqual(['create-topic', 'list-topics', 'produce', 'consume', 'keyed']);
    expect(result.steps.every((s) => s.passed && s.checks.every((c) => c.passed))).toBe(true);
  });

  it('run: the same seed replays the same run', () => {
    const once = kafkaLab(['lab', 'run', 'first-topic', '--seed', '7', '--json', '--labs', labsDir]).out.trimEnd().split('\n').at(-1);
    const again = kafkaLab(['lab', 'run', 'first-topic', '--seed', '7', '--json', '--labs', labsDir]).out.trimEnd().split('\n').at(-1);
    expect(again).toBe(once);
  });

  it('run: a lab whose check does not hold exits 1 and says what was observed', () => {
    const run = kafkaLab(['lab', 'run', 'wrong-count', '--labs', labsDir]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL produce');
    expect(run.out).toContain('✗ records: records = 3 (expected test: records = 4)');
    expect(run.out).toContain('FAILED: 4 of 5 steps (replay: kafka-lab lab run wrong-count --seed 1)');
  });

  it('run: an unknown lab names the labs there are', () => {
    const run = kafkaLab(['lab', 'run', 'no-such-lab', '--labs', labsDir]);
    expect(run.code).toBe(2);
    expect(run.err).toBe("kafka-lab: no lab 'no-such-lab'. Labs: first-topic, wrong-count\n");
  });

  it('check: a file with problems is reported as file:line:column and exits 1', () => {
    const bad = join(labsDir, 'bad.yaml');
    writeFileSync(bad, firstTopic.replace('- check: topic-exists', '- check: topic-is-nice'));
    const run = kafkaLab(['lab', 'check', bad]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: steps\\.0\\.checks\\.0\\.check: unknown check kind\\n`));
    rmSync(bad);
  });

  it('list: the labs of the repository', () => {
    const run = kafkaLab(['lab', 'list']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^first-topic\s+First topic \(5 steps, ~15 min\)$/m);
  });

  it.each([
    [['lab'], "lab needs 'list', 'run <id>' or 'check [FILE...]'."],
    [['lab', 'run'], 'lab run needs one lab id, like: kafka-lab lab run first-topic'],
    [['lab', 'run', 'a', '--seed', 'x'], "--seed must be a whole number, got 'x'."],
    [['lab', 'run', 'a', '--fast'], "Unknown option '--fast' for lab run."],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(new UsageError(message));
  });
});
