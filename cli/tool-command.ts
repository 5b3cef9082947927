/**
 * `kafka-lab kafka-topics --describe ...` and the other Kafka tools from a terminal. When a
 * workbench (`kafka-lab serve`) runs on the data directory, the command runs in it, through the
 * console contract over its WebSocket, so the learner sees the same cluster the UI shows; otherwise
 * the CLI opens the data directory itself (taking its lock), runs the command on live time, and
 * closes it cleanly. Files named on the command line come from the real file system here.
 *
 * Standard input feeds the tool (the console producer reads its records from it, line by line);
 * Ctrl+C stops a streaming tool the way it stops the JVM's (its summary line, then exit).
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { ConsoleFileError, type ToolContext } from '../engine/console/tool-context.js';
import { runCommandLine } from '../engine/console/console-runner.js';
import { CONSOLE_TOOLS } from '../engine/console/tools/index.js';
import { workbenchConsoleEngine } from '../engine/console/workbench-console-engine.js';
import { MonotonicClock, SystemClock } from '../engine/core/clock.js';
import { LiveDriver } from '../engine/core/live-driver.js';
import { SeededPrng } from '../engine/core/prng.js';
import { Scheduler } from '../engine/core/scheduler.js';
import { systemTimers } from '../engine/core/timers.js';
import { isProcessAlive, lockDataDir } from '../engine/host/data-dir-lock.js';
import { Workbench } from '../engine/host/workbench.js';
import { NodeDisk } from '../engine/storage/disk/node-disk.js';
import { readServeInfo } from './serve-info.js';

/**
 * Quotes words so the console's own tokenizer splits the line back into the same words. The tool's
 * name stays as typed: the tokenizer knows Windows paths (bin\\windows\\kafka-topics.bat) there.
 */
export function commandLineOf(words: readonly string[]): string {
  return words.map((w, index) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(w) || (index === 0 && /^[A-Za-z0-9_.\\/:-]+$/.test(w)) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export async function runToolCommand(words: readonly string[], dataDir: string, brokers: number): Promise<number> {
  const line = commandLineOf(words);
  const serve = readServeInfo(dataDir);
  if (serve !== null && isProcessAlive(serve.pid)) return runInServe(line, serve.url);
  return runDirect(line, dataDir, brokers);
}

/** Lines of standard input, one at a time; null at its end. */
function stdinLines(): () => Promise<string | null> {
  const reader = createInterface({ input: process.stdin, terminal: false });
  const queue: (string | null)[] = [];
  let waiting: ((line: string | null) => void) | null = null;
  const push = (line: string | null): void => {
    if (waiting !== null) {
      const deliver = waiting;
      waiting = null;
      deliver(line);
    } else queue.push(line);
  };
  reader.on('line', (text) => push(text));
  reader.on('close', () => push(null));
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => (waiting = resolve)));
}

async function runDirect(line: string, dataDir: string, brokers: number): Promise<number> {
  const disk = new NodeDisk();
  const lock = lockDataDir(disk, dataDir, process.pid, isProcessAlive);
  const scheduler = new Scheduler(new SystemClock().nowMs());
  const driver = new LiveDriver(scheduler, new MonotonicClock(), systemTimers);
  const prng = new SeededPrng(randomInt(0x7fff_ffff));
  let workbench: Workbench | null = null;
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.on('SIGINT', onSigint);
  try {
    workbench = new Workbench({ brokerCount: brokers, disk, dataDir, clock: scheduler, timers: scheduler, uiTimers: systemTimers, time: driver, prng });
    driver.resume();
    const readLine = process.stdin.isTTY === true && !toolReadsInput(line) ? () => Promise.resolve(null) : stdinLines();
    const context: ToolContext = {
      output: { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) },
      engine: workbenchConsoleEngine({ workbench, clock: scheduler, timers: scheduler, prng }),
      files: {
        read: (path) => {
          if (!existsSync(path)) throw new ConsoleFileError(`${path} (No such file or directory)`);
          return readFileSync(path, 'utf8');
        },
      },
      readLine,
      interrupt: interrupt.signal,
    };
    return await runCommandLine(line, context, CONSOLE_TOOLS);
  } finally {
    process.off('SIGINT', onSigint);
    driver.stop();
    workbench?.close();
    lock.release();
    process.stdin.pause();
  }
}

/** Only the console producer reads standard input; other tools must not wait for it. */
function toolReadsInput(line: string): boolean {
  return /kafka-console-producer/.test(line);
}

interface Envelope {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { name: string; message: string };
}

async function runInServe(line: string, url: string): Promise<number> {
  const page = new URL(url);
  const ws = new WebSocket(`ws://${page.host}/api?token=${encodeURIComponent(page.searchParams.get('token') ?? '')}`, { headers: { origin: page.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting = new Map<number, (envelope: Envelope) => void>();
  // Set once the session runs; events before that have nothing to say yet.
  const listener: { onEvent: (() => void) | null } = { onEvent: null };
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; id?: number | null; envelope?: Envelope };
    if (frame.type === 'result' && typeof frame.id === 'number') waiting.get(frame.id)?.(frame.envelope!);
    else if (frame.type === 'event') listener.onEvent?.();
  });
  let nextId = 1;
  const invoke = (kind: 'command' | 'query', name: string, payload: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (envelope) => {
        waiting.delete(id);
        if (envelope.ok) resolve(envelope.value);
        else reject(new Error(envelope.error?.message ?? 'failed'));
      });
      ws.send(JSON.stringify({ id, type: 'invoke', kind, name, payload }));
    });
  const sessionId = `cli-${process.pid}`;
  const onSigint = (): void => void invoke('command', 'consoleInterrupt', { sessionId }).catch(() => undefined);
  process.on('SIGINT', onSigint);
  try {
    let printed = 1; // the command line itself, echoed as the session's first line
    const drain = async (): Promise<{ running: string | null; lastExitCode: number | null }> => {
      const output = (await invoke('query', 'consoleOutput', { sessionId, afterLine: printed })) as { lines: { stream: string; text: string }[]; totalLines: number; running: string | null; lastExitCode: number | null };
      for (const l of output.lines) if (l.stream !== 'in') (l.stream === 'err' ? process.stderr : process.stdout).write(`${l.text}\n`);
      printed = output.totalLines;
      return output;
    };
    const finished = new Promise<number>((resolve) => {
      let busy = false;
      listener.onEvent = () => {
        if (busy) return;
        busy = true;
        void drain().then((state) => {
          busy = false;
          if (state.running === null) resolve(state.lastExitCode ?? 0);
        });
      };
    });
    ws.send(JSON.stringify({ id: nextId++, type: 'subscribe', event: 'console' }));
    await invoke('command', 'consoleRun', { sessionId, line });
    if (toolReadsInput(line)) {
      const readLine = stdinLines();
      void (async () => {
        for (;;) {
          const typed = await readLine();
          await invoke('command', 'consoleInput', { sessionId, line: typed }).catch(() => undefined);
          if (typed === null) break;
        }
      })();
    }
    listener.onEvent?.();
    return await finished;
  } finally {
    process.off('SIGINT', onSigint);
    await invoke('command', 'consoleClose', { sessionId }).catch(() => undefined);
    ws.close();
    process.stdin.pause();
  }
}
