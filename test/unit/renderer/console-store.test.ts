/**
 * The console store, against a fake engine whose sessions behave as the engine's console does
 * (each line echoed as 'in', a command runs until its tool ends, output numbered by line):
 * a tab reads its session's output after the lines it has whenever the `console` event names it,
 * draws its own command lines after a prompt and the lines typed into a tool without one, sends a
 * paste line by line in order (into the running console producer), Ctrl+D and Ctrl+C as the
 * contract names them, keeps its scrollback bounded and its history to itself, prints a refusal
 * in Kafka's words, and forgets a closed tab's answers.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleOutput } from '../../../engine/api/console-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { entriesAfter } from '../../../renderer/src/domain/console-buffer';
import { parseTerminalInput } from '../../../renderer/src/domain/console-terminal';
import { rendererLimits } from '../../../renderer/src/domain/renderer-limits';
import { useConsoleStore } from '../../../renderer/src/stores/console-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';

interface FakeSession {
  lines: { stream: 'in' | 'out' | 'err'; text: string }[];
  running: string | null;
  lastExitCode: number | null;
}

let engine: FakeEngine;
let sessions: Map<string, FakeSession>;
/** What a command prints when it starts, and whether it keeps running (a console producer or consumer). */
let onRun: (line: string) => { out: string[]; keepsRunning: boolean };

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function session(id: string): FakeSession {
  let s = sessions.get(id);
  if (s === undefined) {
    s = { lines: [], running: null, lastExitCode: null };
    sessions.set(id, s);
  }
  return s;
}

function stateOf(id: string) {
  const s = session(id);
  return { sessionId: id, totalLines: s.lines.length, running: s.running, lastExitCode: s.lastExitCode };
}

function announce(id: string): void {
  engine.emit('console', { sessions: [stateOf(id)] });
}

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  sessions = new Map();
  onRun = () => ({ out: [], keepsRunning: false });
  engine.on('consoleRun', (request) => {
    const { sessionId, line } = request as { sessionId: string; line: string };
    const s = session(sessionId);
    if (s.running !== null) throw refusal('INVALID_REQUEST', `'${s.running}' is still running in this console; press Ctrl+C to stop it first.`);
    s.lines.push({ stream: 'in', text: line });
    const result = onRun(line);
    for (const text of result.out) s.lines.push({ stream: 'out', text });
    if (result.keepsRunning) s.running = line;
    else s.lastExitCode = 0;
    return stateOf(sessionId);
  });
  engine.on('consoleInput', (request) => {
    const { sessionId, line } = request as { sessionId: string; line: string | null };
    const s = session(sessionId);
    if (line !== null) s.lines.push({ stream: 'in', text: line });
    else {
      s.running = null;
      s.lastExitCode = 0;
    }
    return stateOf(sessionId);
  });
  engine.on('consoleInterrupt', (request) => {
    const { sessionId } = request as { sessionId: string };
    const s = session(sessionId);
    if (s.running !== null) s.lines.push({ stream: 'out', text: 'Processed a total of 2 messages' });
    s.running = null;
    s.lastExitCode = 130;
    return stateOf(sessionId);
  });
  engine.on('consoleOutput', (request): ConsoleOutput => {
    const { sessionId, afterLine } = request as { sessionId: string; afterLine: number };
    const s = session(sessionId);
    return { ...stateOf(sessionId), firstLine: afterLine, lines: s.lines.slice(afterLine) };
  });
  engine.on('consoleClose', (request) => {
    sessions.delete((request as { sessionId: string }).sessionId);
    return request;
  });
});

const noNames = { topics: [], groups: [] };

function type(store: ReturnType<typeof useConsoleStore>, sessionId: string, data: string): void {
  store.press(sessionId, parseTerminalInput(data), noNames);
}

function shown(store: ReturnType<typeof useConsoleStore>, sessionId: string): string[] {
  return store.buffer(sessionId).entries.map((e) => `${e.kind}|${e.text}`);
}

function outputReads(): number[] {
  return engine.calls.filter((c) => c.name === 'consoleOutput').map((c) => (c.request as { afterLine: number }).afterLine);
}

describe('useConsoleStore', () => {
  it('opens tab-1 on start and reads a session after the lines it has each time the console event names it', async () => {
    const store = useConsoleStore();
    store.start();
    expect(store.tabs.map((t) => t.sessionId)).toEqual(['tab-1']);
    expect(engine.subscriberCount('console')).toBe(1);
    await flush();
    onRun = () => ({ out: ['__consumer_offsets', 'keyed'], keepsRunning: false });
    type(store, 'tab-1', 'kafka-topics --bootstrap-server localhost:9092 --list\r');
    await flush();
    expect(shown(store, 'tab-1')).toEqual(['command|kafka-topics --bootstrap-server localhost:9092 --list', 'out|__consumer_offsets', 'out|keyed']);
    expect(store.prompt('tab-1')).toBe('$ ');
    // The engine prints more later (a tool still running elsewhere would): only the new lines are read.
    session('tab-1').lines.push({ stream: 'err', text: 'Error while executing topic command : Topic "nope" does not exist.' });
    announce('tab-1');
    await flush();
    expect(outputReads()).toEqual([0, 0, 3]);
    expect(shown(store, 'tab-1').at(-1)).toBe('err|Error while executing topic command : Topic "nope" does not exist.');
    // An event that brings nothing new reads nothing.
    announce('tab-1');
    await flush();
    expect(outputReads()).toEqual([0, 0, 3]);
    store.stop();
    expect(engine.subscriberCount('console')).toBe(0);
  });

  it('types a paste into the running console producer line by line, in order, then Ctrl+D ends it', async () => {
    const store = useConsoleStore();
    store.start();
    onRun = () => ({ out: [], keepsRunning: true });
    type(store, 'tab-1', 'kafka-console-producer --bootstrap-server localhost:9092 --topic keyed --property parse.key=true --property key.separator=:\r');
    await flush();
    expect(store.state('tab-1').running).toContain('kafka-console-producer');
    expect(store.prompt('tab-1')).toBe('');
    type(store, 'tab-1', 'k1:hello\rk2:world\r');
    type(store, 'tab-1', '\x04');
    await flush();
    const sent = engine.calls.filter((c) => c.name === 'consoleInput').map((c) => (c.request as { line: string | null }).line);
    expect(sent).toEqual(['k1:hello', 'k2:world', null]);
    announce('tab-1');
    await flush();
    expect(shown(store, 'tab-1')).toEqual([
      'command|kafka-console-producer --bootstrap-server localhost:9092 --topic keyed --property parse.key=true --property key.separator=:',
      'in|k1:hello',
      'in|k2:world',
    ]);
    expect(store.state('tab-1')).toEqual({ running: null, lastExitCode: 0 });
    expect(store.prompt('tab-1')).toBe('$ ');
    // The records typed are not commands: Up brings back the producer's command line only.
    type(store, 'tab-1', '\x1b[A');
    expect(store.editor('tab-1').line.text).toContain('kafka-console-producer');
    type(store, 'tab-1', '\x1b[A');
    expect(store.editor('tab-1').line.text).toContain('kafka-console-producer');
  });

  it('Ctrl+C prints ^C after what was typed and interrupts the running console consumer', async () => {
    const store = useConsoleStore();
    store.start();
    onRun = () => ({ out: ['k1\thello', 'k2\tworld'], keepsRunning: true });
    type(store, 'tab-1', 'kafka-console-consumer --bootstrap-server localhost:9092 --topic keyed --group g1 --property print.key=true\r');
    await flush();
    type(store, 'tab-1', 'half typed\x03');
    await flush();
    announce('tab-1');
    await flush();
    expect(engine.calls.filter((c) => c.name === 'consoleInterrupt')).toHaveLength(1);
    expect(shown(store, 'tab-1').slice(1)).toEqual(['out|k1\thello', 'out|k2\tworld', 'note|half typed^C', 'out|Processed a total of 2 messages']);
    expect(store.state('tab-1')).toEqual({ running: null, lastExitCode: 130 });
    // At the prompt, Ctrl+C only abandons the line, as a shell does.
    type(store, 'tab-1', 'kafka-top\x03');
    await flush();
    expect(engine.calls.filter((c) => c.name === 'consoleInterrupt')).toHaveLength(1);
    expect(shown(store, 'tab-1').at(-1)).toBe('note|$ kafka-top^C');
    expect(store.editor('tab-1').line.text).toBe('');
  });

  it("prints the engine's refusal in the tab, and the refused command is not taken for an echo", async () => {
    const store = useConsoleStore();
    store.start();
    engine.on('consoleRun', () => {
      throw refusal('POLICY_VIOLATION', 'At most 32 consoles at once; close one first.');
    });
    type(store, 'tab-1', 'kafka-topics --list\r');
    await flush();
    expect(shown(store, 'tab-1')).toEqual(['err|POLICY_VIOLATION: At most 32 consoles at once; close one first.']);
    expect(store.buffer('tab-1').awaitingEcho).toEqual([]);
    expect(store.prompt('tab-1')).toBe('$ ');
  });

  it('keeps each tab to its own session, scrollback and history, and forgets a closed tab', async () => {
    const store = useConsoleStore();
    store.start();
    const second = store.addTab();
    expect(second?.sessionId).toBe('tab-2');
    expect(store.activeSessionId).toBe('tab-2');
    type(store, 'tab-1', 'kafka-topics --list\r');
    type(store, 'tab-2', 'kafka-consumer-groups --list\r');
    await flush();
    expect(shown(store, 'tab-1')).toEqual(['command|kafka-topics --list']);
    expect(shown(store, 'tab-2')).toEqual(['command|kafka-consumer-groups --list']);
    type(store, 'tab-2', '\x1b[A\x1b[A');
    expect(store.editor('tab-2').line.text).toBe('kafka-consumer-groups --list');
    store.renameTab('tab-2', '  producer ');
    expect(store.tabs[1]?.title).toBe('producer');

    // A read in flight when its tab closes lands nowhere.
    let release!: () => void;
    engine.on('consoleOutput', (request) => new Promise((resolve) => {
      release = () => resolve({ ...stateOf('tab-2'), firstLine: (request as { afterLine: number }).afterLine, lines: [{ stream: 'out', text: 'late' }] });
    }));
    void store.refresh('tab-2');
    await store.closeTab('tab-2');
    release();
    await flush();
    expect(store.tabs.map((t) => t.sessionId)).toEqual(['tab-1']);
    expect(store.activeSessionId).toBe('tab-1');
    expect(store.buffer('tab-2').entries).toEqual([]);
    expect(engine.calls.some((c) => c.name === 'consoleClose' && (c.request as { sessionId: string }).sessionId === 'tab-2')).toBe(true);
    // Tab numbers are not reused, so a new tab never reads a closed one's lines.
    expect(store.addTab()?.sessionId).toBe('tab-3');
  });

  it(`keeps at most ${rendererLimits.consoleLinesMax} lines of scrollback per tab, dropping the oldest`, async () => {
    const store = useConsoleStore();
    store.start();
    await flush();
    const total = rendererLimits.consoleLinesMax + 250;
    for (let i = 0; i < total; i++) session('tab-1').lines.push({ stream: 'out', text: `line ${i}` });
    announce('tab-1');
    await flush();
    const buffer = store.buffer('tab-1');
    expect(buffer.entries).toHaveLength(rendererLimits.consoleLinesMax);
    expect(buffer.entries[0]?.text).toBe('line 250');
    expect(buffer.appended).toBe(total);
    expect(buffer.nextLine).toBe(total);
    // A terminal that had written 100 entries writes the kept ones; one that is up to date writes nothing.
    expect(entriesAfter(buffer, 100)).toHaveLength(rendererLimits.consoleLinesMax);
    expect(entriesAfter(buffer, total - 3).map((e) => e.text)).toEqual([`line ${total - 3}`, `line ${total - 2}`, `line ${total - 1}`]);
    expect(entriesAfter(buffer, total)).toEqual([]);
  });

  it(`opens at most ${rendererLimits.consoleTabsMax} tabs`, () => {
    const store = useConsoleStore();
    for (let i = 0; i < rendererLimits.consoleTabsMax; i++) expect(store.addTab()).not.toBeNull();
    expect(store.addTab()).toBeNull();
    expect(store.tabs).toHaveLength(rendererLimits.consoleTabsMax);
  });
});
