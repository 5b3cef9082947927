/**
 * Lab files as an instructor writes them: the labs of the repository load, and every kind of
 * mistake is reported at its file, line and column while the other labs still load.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import { formatProblem, loadLabText } from '../../../engine/labs/lab-loader.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';

const LABS_DIR = resolve(import.meta.dirname, '..', '..', '..', 'labs');
const GOOD = readFileSync(join(LABS_DIR, '01-first-topic.yaml'), 'utf8');

function problemsOf(text: string, file = '01-first-topic.yaml'): string[] {
  const loaded = loadLabText(file, text);
  return loaded.ok ? [] : loaded.problems.map(formatProblem);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  expect(index, `fixture contains ${needle}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, index).split('\n').length;
}

describe('the labs directory', () => {
  it('loads every lab without a problem, each id matching its file name', () => {
    const catalogue = loadLabCatalogue(new NodeDisk(), LABS_DIR);
    expect(catalogue.problems.map(formatProblem)).toEqual([]);
    expect(catalogue.labs.map((l) => l.lab.id)).toContain('first-topic');
    for (const { lab, file } of catalogue.labs) expect(file.endsWith(`-${lab.id}.yaml`)).toBe(true);
  });
});

describe('a lab file with a mistake', () => {
  it('bad YAML: names the line and column of the syntax error', () => {
    const text = GOOD.replace('estimatedMinutes: 15', 'estimatedMinutes: [15');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^01-first-topic\.yaml:\d+:\d+: YAML: /);
  });

  it('an unknown check kind: points at the check', () => {
    const text = GOOD.replace('- check: topic-exists', '- check: topic-is-nice');
    const [problem] = problemsOf(text);
    expect(problem).toBe(`01-first-topic.yaml:${lineOf(text, 'topic-is-nice')}:16: steps.0.checks.0.check: unknown check kind`);
  });

  it('a missing Korean translation: points at the text that lacks it', () => {
    const text = GOOD.replace("  ko: 첫 번째 토픽\n", '');
    const [problem] = problemsOf(text);
    expect(problem).toMatch(new RegExp(`^01-first-topic\\.yaml:${lineOf(text, 'title:')}:\\d+: title\\.ko: `));
  });

  it('an action for a service the engine does not have: points at it with the contract\'s reason', () => {
    const text = GOOD.replace(
      '    actions:\n      - console: kafka-topics --bootstrap-server localhost:9092 --list',
      '    actions:\n      - do: scaleService\n        with: { service: payment, replicas: 2 }',
    );
    const [problem] = problemsOf(text);
    expect(problem).toMatch(new RegExp(`^01-first-topic\\.yaml:${lineOf(text, 'service: payment')}:\\d+: steps\\.1\\.actions\\.0\\.with\\.service: scaleService: `));
  });

  it('an unknown key: names it', () => {
    const text = GOOD.replace('estimatedMinutes: 15', 'estimatedMinutes: 15\nduration: 3');
    expect(problemsOf(text)).toEqual([`01-first-topic.yaml:${lineOf(text, 'duration:')}:1: unknown key 'duration'`]);
  });

  it('an id that does not match the file name: points at the id', () => {
    expect(problemsOf(GOOD, '07-batching.yaml')).toEqual([`07-batching.yaml:1:5: the id 'first-topic' does not match the file name '07-batching.yaml'`]);
  });

  it('a question whose expected answer is not a choice', () => {
    const text = GOOD.replace('expected: one-partition', 'expected: two-partitions');
    const [problem] = problemsOf(text);
    expect(problem).toMatch(/steps\.3\.questions\.0\.expected: expected 'two-partitions' is not one of the choices/);
  });

  it('in a directory, one broken file is listed and the others still load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labs-'));
    writeFileSync(join(dir, '01-first-topic.yaml'), GOOD);
    writeFileSync(join(dir, '02-broken.yaml'), 'id: broken\nversion: [\n');
    writeFileSync(join(dir, '03-first-topic.yaml'), GOOD);
    const catalogue = loadLabCatalogue(new NodeDisk(), dir);
    expect(catalogue.labs.map((l) => l.lab.id)).toEqual(['first-topic']);
    const problems = catalogue.problems.map(formatProblem);
    expect(problems.some((p) => p.startsWith(`${join(dir, '02-broken.yaml')}:`))).toBe(true);
    expect(problems.some((p) => p.includes('03-first-topic.yaml') && p.includes(`lab id 'first-topic' is already used by ${join(dir, '01-first-topic.yaml')}`))).toBe(true);
  });
});
