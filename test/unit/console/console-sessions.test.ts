/**
 * The console's sessions behave like terminals: one foreground command per tab, its output kept by
 * line number (read incrementally), typed lines going to the running tool, Ctrl+C stopping it, and a
 * closed tab interrupting what ran in it. The home directory holds the files command lines name.
 */
import { describe, expect, it } from 'vitest';
import { sessionLimits } from '../../../engine/console/console-limits.js';
import { ConsoleSessions, type RunLine } from '../../../engine/console/console-sessions.js';
import { HomeFiles } from '../../../engine/console/home-files.js';
import { ConsoleFileError, type ConsoleEngine } from '../../../engine/console/tool-context.js';
import { isKafkaError } from '../../../engine/core/kafka-errors.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

/** A tool that echoes what it reads until end of input or Ctrl+C, then says how many lines it read. */
const echoTool: RunLine = async (line, context) => {
  if (line.startsWith('fail')) throw new Error('boom');
  if (!line.startsWith('echo')) {
    context.output.err(`${line}: command not found`);
    return 127;
  }
  let count = 0;
  for (;;) {
    const typed = await context.readLine();
    if (typed === null || context.interrupt.aborted) break;
    context.output.out(`> ${typed}`);
    count += 1;
  }
  context.output.err(`Processed a total of ${count} messages`);
  return 0;
};

function sessions() {
  const changed: string[] = [];
  const disk = new MemoryDisk();
  const home = new HomeFiles(disk, '/data');
  const console = new ConsoleSessions({} as ConsoleEngine, home, echoTool, (id) => changed.push(id));
  return { console, changed, home };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('console sessions', () => {
  it('runs a command, feeds it typed lines, and keeps the output by line number', async () => {
    const { console, changed } = sessions();
    console.run('tab-1', 'echo');
    expect(console.state('tab-1')).toMatchObject({ running: 'echo' });
    console.input('tab-1', 'hello');
    console.input('tab-1', 'world');
    await settle();
    console.input('tab-1', null);
    await settle();
    const all = console.output('tab-1', 0);
    expect(all.lines).toEqual([
      { stream: 'in', text: 'echo' },
      { stream: 'in', text: 'hello' },
      { stream: 'in', text: 'world' },
      { stream: 'out', text: '> hello' },
      { stream: 'out', text: '> world' },
      { stream: 'err', text: 'Processed a total of 2 messages' },
    ]);
    expect(all).toMatchObject({ running: null, lastExitCode: 0, totalLines: 6 });
    // A viewer with four lines gets the rest only.
    expect(console.output('tab-1', 4).lines.map((l) => l.text)).toEqual(['> world', 'Processed a total of 2 messages']);
    expect(changed.every((id) => id === 'tab-1') && changed.length > 0).toBe(true);
  });

  it('Ctrl+C stops the running tool; a second command waits for the first to end', async () => {
    const { console } = sessions();
    console.run('tab-1', 'echo');
    expect(() => console.run('tab-1', 'echo')).toThrow(/still running/);
    console.interrupt('tab-1');
    await settle();
    expect(console.state('tab-1')).toMatchObject({ running: null, lastExitCode: 0 });
    expect(console.output('tab-1', 0).lines.at(-1)!.text).toBe('Processed a total of 0 messages');
  });

  it('reports a crashing tool the way the JVM does, and an unknown command with its exit code', async () => {
    const { console } = sessions();
    console.run('tab-1', 'fail now');
    await settle();
    expect(console.output('tab-1', 0).lines.at(-1)).toEqual({ stream: 'err', text: 'Exception in thread "main" Error: boom' });
    expect(console.state('tab-1')!.lastExitCode).toBe(1);
    console.run('tab-2', 'kafka-nope');
    await settle();
    expect(console.state('tab-2')!.lastExitCode).toBe(127);
  });

  it('refuses input with nothing running, too many tabs, and too long a line, changing nothing', () => {
    const { console } = sessions();
    expect(() => console.input('tab-1', 'x')).toThrow(/Nothing is running/);
    expect(() => console.run('tab-1', 'x'.repeat(sessionLimits.commandLineMax + 1))).toThrow(/at most/);
    for (let i = 0; i < sessionLimits.sessionsMax - 1; i++) console.output(`tab-${i + 2}`, 0);
    const refused = (() => {
      try {
        console.output('one-too-many', 0);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(isKafkaError(refused) && refused.errorName === 'POLICY_VIOLATION').toBe(true);
  });

  it('closing a tab interrupts its tool and forgets its lines', async () => {
    const { console } = sessions();
    console.run('tab-1', 'echo');
    console.close('tab-1');
    await settle();
    expect(console.state('tab-1')).toBeNull();
  });

  it('home files: written, listed, read by the names a command line uses, refused outside the home', () => {
    const { home } = sessions();
    home.write('reassign.json', '{"version":1,"partitions":[]}');
    expect(home.list()).toEqual([{ path: 'reassign.json', sizeBytes: 29 }]);
    expect(home.read('reassign.json')).toContain('"version":1');
    expect(home.read('./reassign.json')).toContain('"version":1');
    expect(home.read('~/reassign.json')).toContain('"version":1');
    expect(() => home.read('/etc/passwd')).toThrow(ConsoleFileError);
    expect(() => home.read('missing.json')).toThrow('missing.json (No such file or directory)');
    expect(() => home.write('../escape.json', '{}')).toThrow(/not a console file name/);
    expect(() => home.write('.hidden', '{}')).toThrow(/not a console file name/);
    home.remove('reassign.json');
    expect(home.list()).toEqual([]);
  });
});
