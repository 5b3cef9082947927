/**
 * Crash test: a child process appends to a log on the real file system and is killed with SIGKILL
 * at seeded points, half of them at a chosen disk operation (an append there is torn at a seeded
 * byte), half after a seeded delay. After every kill the parent reopens the log dir as a restarted
 * broker would and checks: the log is a valid prefix of the workload (offsets contiguous from 0,
 * every value as written), everything flushed before the kill is there, and every segment's
 * indexes equal the ones rebuilt independently from the log bytes.
 *
 * A second test flips random bytes in segment files and checks that recovery truncates at the
 * first invalid batch, reports it, and that the log takes appends again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededPrng } from '../../engine/core/prng.js';
import { FaultyDisk } from '../../engine/storage/disk/faulty-disk.js';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';
import { LogManager } from '../../engine/storage/log-manager.js';
import { expectIndexesMatchLog, readAll } from '../unit/storage/storage-test-helpers.js';
import { CRASH_LOG_CONFIG, CRASH_TOPIC, batchFor, valueFor } from './crash-workload.js';

const SEED = Number(process.env.CRASH_SEED ?? 0xc4a5);
const KILL_POINTS = 60;
const CHILD = new URL('./append-child.ts', import.meta.url).pathname;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  readonly flushed: number;
  readonly readyAt: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs the child until it dies; `delayMs` > 0 kills it that long after it is ready. */
function runChild(dataDir: string, killAtOp: number, delayMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(SEED), String(killAtOp)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let flushed = -1;
    let readyAt: number | null = null;
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'flushed') flushed = Math.max(flushed, Number(value));
        if (word === 'ready') {
          readyAt = Number(value);
          if (delayMs > 0) setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`seed ${SEED}: child exited with code ${code} signal ${signal}: ${stderr}`));
      else resolve({ flushed, readyAt, signal });
    });
  });
}

/** Reopens the log dir as a restarted broker, checks the invariants, and returns the log end offset. */
function verify(dataDir: string, mustHave: number, label: string): { logEndOffset: number; truncatedBytes: number } {
  const disk = new NodeDisk();
  const { manager, report } = LogManager.open({ disk, dataDir, brokerId: 0, nowMs: 1, configFor: () => CRASH_LOG_CONFIG });
  const log = manager.getLog(CRASH_TOPIC, 0);
  if (log === undefined) return { logEndOffset: 0, truncatedBytes: 0 };
  const records = readAll(log);
  expect(records.length, `${label}: contiguous offsets`).toBe(log.logEndOffset);
  records.forEach((r, i) => {
    if (r.offset !== i || r.value !== valueFor(SEED, i)) expect.fail(`${label}: offset ${i} holds ${r.offset}:${r.value?.slice(0, 20)}`);
  });
  expect(log.logEndOffset, `${label}: flushed records survive`).toBeGreaterThanOrEqual(mustHave);
  expectIndexesMatchLog(disk, log, CRASH_LOG_CONFIG.indexIntervalBytes, label);
  const truncatedBytes = report.partitions.reduce((sum, p) => sum + p.bytesTruncated, 0);
  return { logEndOffset: log.logEndOffset, truncatedBytes };
}

/** The start of the batch holding byte `position`, and whether the byte is in its partitionLeaderEpoch field. */
function locate(bytes: Uint8Array, position: number): { batchStart: number; inEpochField: boolean } {
  let batchStart = 0;
  for (let i = 0; i < bytes.length && batchStart < bytes.length; i++) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const size = 12 + view.getInt32(batchStart + 8);
    if (batchStart + size > position) break;
    batchStart += size;
  }
  const inBatch = position - batchStart;
  return { batchStart, inEpochField: inBatch >= 12 && inBatch < 16 };
}

describe('partition log under SIGKILL', () => {
  it(`recovers a valid prefix after ${KILL_POINTS} kills (seed ${SEED})`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kafka-lab-crash-'));
    dirs.push(dataDir);
    const prng = new SeededPrng(SEED);
    let mustHave = 0;
    let tornRecoveries = 0;
    let logEndOffset = 0;
    for (let run = 0; run < KILL_POINTS; run++) {
      const selfKill = run % 2 === 0;
      const killAtOp = selfKill ? 1 + prng.nextInt(120) : 0;
      const delayMs = selfKill ? 0 : 20 + prng.nextInt(250);
      const label = `seed ${SEED} run ${run} (${selfKill ? `kill at op ${killAtOp}` : `kill after ${delayMs} ms`})`;
      const result = await runChild(dataDir, killAtOp, delayMs);
      mustHave = Math.max(mustHave, result.flushed);
      const verified = verify(dataDir, mustHave, label);
      expect(verified.logEndOffset, `${label}: never shorter than the restart point`).toBeGreaterThanOrEqual(result.readyAt ?? 0);
      if (verified.truncatedBytes > 0) tornRecoveries++;
      logEndOffset = verified.logEndOffset;
    }
    const segmentCount = readdirSync(join(dataDir, 'broker-0', `${CRASH_TOPIC}-0`)).filter((n) => n.endsWith('.log')).length;
    console.log(`crash test seed ${SEED}: ${KILL_POINTS} kills, ${tornRecoveries} recoveries truncated a torn tail, final log end offset ${logEndOffset}, ${segmentCount} segments, flushed >= ${mustHave}`);
    expect(tornRecoveries).toBeGreaterThan(0);
    expect(segmentCount).toBeGreaterThan(3);
  }, 150_000);

  it(`truncates at the first flipped byte, reports it, and appends again (seed ${SEED})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kafka-lab-corrupt-'));
    dirs.push(dataDir);
    const prng = new SeededPrng(SEED + 1);
    const partitionDir = join(dataDir, 'broker-0', `${CRASH_TOPIC}-0`);
    let nowMs = 1_700_000_000_000;
    {
      const { manager } = LogManager.open({ disk: new NodeDisk(), dataDir, brokerId: 0, nowMs, configFor: () => CRASH_LOG_CONFIG });
      const log = manager.getOrCreateLog(CRASH_TOPIC, 0, nowMs);
      for (let i = 0; i < 1500; i++) log.appendAsLeader(batchFor(SEED, log.logEndOffset, ++nowMs), 0, nowMs);
      manager.shutdown(nowMs);
    }
    {
      const { report } = LogManager.open({ disk: new NodeDisk(), dataDir, brokerId: 0, nowMs, configFor: () => CRASH_LOG_CONFIG });
      expect(report.hadCleanShutdown).toBe(true);
      expect(report.partitions[0]!.segmentsScanned, 'a clean open scans nothing').toBe(0);
    }
    let detected = 0;
    for (let round = 0; round < 16; round++) {
      const label = `seed ${SEED} corruption round ${round}`;
      const segments = readdirSync(partitionDir).filter((n) => n.endsWith('.log')).sort();
      const name = segments[prng.nextInt(segments.length)]!;
      const path = join(partitionDir, name);
      const size = statSync(path).size;
      if (size === 0) continue;
      const position = prng.nextInt(size);
      const { batchStart, inEpochField } = locate(new NodeDisk().readFile(path), position);
      new FaultyDisk(new NodeDisk()).flipBit(path, position, prng.nextInt(8));
      // Kafka re-scans only after the recovery point; removing the checkpoint makes recovery scan
      // every segment, so the flip is found wherever it is.
      rmSync(join(dataDir, 'broker-0', 'recovery-point-offset-checkpoint'), { force: true });
      const baseOffset = Number(name.slice(0, 20));
      const { manager, report } = LogManager.open({ disk: new NodeDisk(), dataDir, brokerId: 0, nowMs, configFor: () => CRASH_LOG_CONFIG });
      const partitionReport = report.partitions[0]!;
      const log = manager.getLog(CRASH_TOPIC, 0)!;
      if (inEpochField) {
        // partitionLeaderEpoch lies outside the CRC by design (the broker rewrites it): undetectable.
        expect(partitionReport.reason, `${label}: epoch flip`).toBeNull();
      } else {
        detected++;
        expect(partitionReport.reason, `${label}: reported`).not.toBeNull();
        expect(partitionReport.bytesTruncated, label).toBeGreaterThan(0);
        expect(partitionReport.truncatedAtOffset, label).toBe(log.logEndOffset);
        expect(statSync(path).size, `${label}: cut at the start of the damaged batch`).toBe(batchStart);
        expect(log.segmentInfos().at(-1)!.baseOffset, `${label}: later segments deleted`).toBe(baseOffset);
      }
      const records = readAll(log);
      expect(records.length, label).toBe(log.logEndOffset);
      records.forEach((r, i) => {
        if (r.offset !== i || r.value !== valueFor(SEED, i)) expect.fail(`${label}: offset ${i} holds ${r.offset}:${r.value?.slice(0, 20)}`);
      });
      expectIndexesMatchLog(new NodeDisk(), log, CRASH_LOG_CONFIG.indexIntervalBytes, label);
      const before = log.logEndOffset;
      for (let i = 0; i < 150; i++) log.appendAsLeader(batchFor(SEED, log.logEndOffset, ++nowMs), 0, nowMs);
      expect(log.logEndOffset, `${label}: appends again`).toBeGreaterThan(before);
      manager.checkpoint();
    }
    expect(detected).toBeGreaterThan(8);
  }, 60_000);
});
