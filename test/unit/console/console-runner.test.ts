/** The runner: dispatch by normalized name; an unknown tool gets the shell's own message and code. */
import { describe, expect, it } from 'vitest';
import { runCommandLine, toolRegistry } from '../../../engine/console/console-runner.js';
import type { ConsoleTool, ToolContext } from '../../../engine/console/tool-context.js';

function context(out: string[], err: string[]): ToolContext {
  return {
    output: { out: (l) => out.push(l), err: (l) => err.push(l) },
    engine: undefined as never,
    files: { read: () => '' },
    readLine: () => Promise.resolve(null),
    interrupt: new AbortController().signal,
  };
}

const echo: ConsoleTool = {
  name: 'kafka-topics',
  run: (args, ctx) => {
    ctx.output.out(args.join('|'));
    return Promise.resolve(args.length === 0 ? 1 : 0);
  },
};
const registry = toolRegistry([echo]);

async function run(line: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommandLine(line, context(out, err), registry);
  return { code, out, err };
}

describe('runCommandLine', () => {
  it('dispatches every spelling of the tool with its arguments and returns its exit code', async () => {
    for (const line of ['kafka-topics --list', './kafka-topics.sh --list', 'D:\\kafka>bin\\windows\\kafka-topics.bat --list']) {
      expect(await run(line)).toEqual({ code: 0, out: ['--list'], err: [] });
    }
    expect((await run('kafka-topics')).code).toBe(1);
  });

  it("unknown tool: bash's message (127), or cmd's two lines on a Windows line (9009)", async () => {
    expect(await run('kafka-foo --list')).toEqual({ code: 127, out: [], err: ['bash: kafka-foo: command not found'] });
    expect(await run('./kafka-foo --list')).toEqual({ code: 127, out: [], err: ['bash: ./kafka-foo: No such file or directory'] });
    expect(await run('D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-foo.bat --list')).toEqual({
      code: 9009,
      out: [],
      err: ["'bin\\windows\\kafka-foo.bat' is not recognized as an internal or external command,", 'operable program or batch file.'],
    });
  });

  it('an empty line does nothing; an unclosed quote is a syntax error (2)', async () => {
    expect(await run('')).toEqual({ code: 0, out: [], err: [] });
    expect(await run('kafka-topics --topic "x')).toEqual({ code: 2, out: [], err: ["bash: unexpected EOF while looking for matching `\"'"] });
  });
});
