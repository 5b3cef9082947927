/**
 * The console through the contract, as the UI console drives it: a command line runs in a session,
 * its output is read by line number, the console event names the session that printed, a console
 * producer reads the lines typed into its session, and the console's home files are what
 * `--reassignment-json-file` names.
 */
import { describe, expect, it } from 'vitest';
import type { ConsoleEvent, ConsoleOutput } from '../../../engine/api/console-dto.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { Gateway } from '../../../engine/host/gateway.js';
import { InProcessHost } from '../../../engine/host/in-process-host.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { manualTimers } from '../../helpers/manual-timers.js';

function setup(seed: number) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const uiTimers = manualTimers();
  const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(seed), timers: scheduler, uiTimers, time: new SimulationTime(scheduler) });
  const gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000)), { checkResponses: true });
  const call = async <T>(kind: 'command' | 'query', name: string, payload: unknown): Promise<T> => {
    const answer = await gateway.invoke(kind, name, payload);
    if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message} (seed ${seed})`);
    return answer.value as T;
  };
  /**
   * Moves engine time on the way the live driver does: timer by timer, with the tools' promise
   * continuations running in between (a single runUntil would let a tool take one step per jump).
   */
  const advance = (ms: number): Promise<void> => runUntilSettled(scheduler, new Promise<void>((resolve) => scheduler.after(ms, resolve)), ms + 1);
  /** Runs engine time until the session's command ended. */
  const settle = async (sessionId: string): Promise<ConsoleOutput> => {
    for (let i = 0; i < 600; i++) {
      const output = await call<ConsoleOutput>('query', 'consoleOutput', { sessionId, afterLine: 0 });
      if (output.running === null) return output;
      await advance(100);
    }
    throw new Error(`the command in ${sessionId} did not end (seed ${seed})`);
  };
  return { workbench, gateway, call, settle, advance, uiTimers };
}

describe('the console through the contract', () => {
  it('runs kafka-topics in a session and says which session printed (seed 71)', async () => {
    const { call, settle, gateway, uiTimers } = setup(71);
    const events: ConsoleEvent[] = [];
    gateway.subscribe('console', (payload) => events.push(payload as ConsoleEvent));
    const started = await call<{ running: string | null }>('command', 'consoleRun', { sessionId: 'tab-1', line: 'bin/kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 2' });
    expect(started.running).toContain('kafka-topics');
    const output = await settle('tab-1');
    expect(output.lines).toEqual([
      { stream: 'in', text: 'bin/kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 2' },
      { stream: 'out', text: 'Created topic orders.' },
    ]);
    expect(output.lastExitCode).toBe(0);
    uiTimers.fireAll();
    expect(events.at(-1)!.sessions).toEqual([{ sessionId: 'tab-1', totalLines: 2, running: null, lastExitCode: 0 }]);
    // Reading after the lines one has returns only the new ones.
    expect((await call<ConsoleOutput>('query', 'consoleOutput', { sessionId: 'tab-1', afterLine: 2 })).lines).toEqual([]);
  });

  it('a console producer reads the lines typed into its session; a console consumer in another prints them (seed 72)', async () => {
    const { call, settle, advance } = setup(72);
    await call('command', 'createTopic', { name: 'keyed', partitions: 1, replicationFactor: 3 });
    await call('command', 'consoleRun', { sessionId: 'consumer', line: 'kafka-console-consumer --bootstrap-server localhost:9092 --topic keyed --group g1 --property print.key=true' });
    await advance(8_000);
    await call('command', 'consoleRun', { sessionId: 'producer', line: 'kafka-console-producer --bootstrap-server localhost:9092 --topic keyed --property parse.key=true --property key.separator=:' });
    await call('command', 'consoleInput', { sessionId: 'producer', line: 'k1:hello' });
    await call('command', 'consoleInput', { sessionId: 'producer', line: 'k2:world' });
    await call('command', 'consoleInput', { sessionId: 'producer', line: null });
    const produced = await settle('producer');
    expect(produced.lastExitCode).toBe(0);
    await advance(3_000);
    await call('command', 'consoleInterrupt', { sessionId: 'consumer' });
    const consumed = await settle('consumer');
    const printed = consumed.lines.filter((l) => l.stream === 'out').map((l) => l.text);
    expect(printed).toEqual(['k1\thello', 'k2\tworld']);
    expect(consumed.lines.some((l) => l.stream === 'err' && l.text === 'Processed a total of 2 messages')).toBe(true);
  });

  it('home files: written, listed, read back, and refused outside the home (seed 73)', async () => {
    const { gateway, call } = setup(73);
    await call('command', 'writeConsoleFile', { path: 'reassign.json', text: '{"version":1,"partitions":[]}' });
    expect(await call('query', 'consoleFiles', {})).toEqual({ files: [{ path: 'reassign.json', sizeBytes: 29 }] });
    expect(await call('query', 'readConsoleFile', { path: 'reassign.json' })).toEqual({ path: 'reassign.json', text: '{"version":1,"partitions":[]}' });
    const escape = await gateway.invoke('command', 'writeConsoleFile', { path: '../x.json', text: '{}' });
    expect(escape.ok).toBe(false);
    expect(await call('query', 'consoleFiles', {})).toEqual({ files: [{ path: 'reassign.json', sizeBytes: 29 }] });
  });
});
