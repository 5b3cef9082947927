/**
 * Runs one typed line: parses it (command-line.ts), finds the tool in the registry and runs it with
 * the line's arguments. An unknown tool gets the shell's own answer — bash's
 * "bash: kafka-foo: command not found" (exit 127; "No such file or directory" for a path such as
 * ./kafka-foo) or, on a Windows-looking line, cmd.exe's two lines "'x' is not recognized as an
 * internal or external command," / "operable program or batch file." (errorlevel 9009).
 *
 * Invariants: a line longer than consoleLineLimits.commandLineCharsMax is refused before parsing;
 * an empty line does nothing and succeeds; output goes only through the context.
 */
import { CommandLineError, parseCommandLine } from './command-line.js';
import { consoleLineLimits } from './console-limits.js';
import type { ConsoleTool, ToolContext } from './tool-context.js';

/** The tools a console offers, by normalized name (`kafka-topics`). */
export type ToolRegistry = ReadonlyMap<string, ConsoleTool>;

/** bash's exit code for a command it cannot find. */
export const EXIT_COMMAND_NOT_FOUND = 127;
/** cmd.exe's errorlevel for a command it cannot find. */
export const EXIT_CMD_NOT_RECOGNIZED = 9009;
/** bash's exit code for a syntax error (an unclosed quote). */
export const EXIT_SYNTAX_ERROR = 2;

/** A registry from a list of tools. */
export function toolRegistry(tools: readonly ConsoleTool[]): ToolRegistry {
  return new Map(tools.map((tool) => [tool.name, tool]));
}

/** Parses and runs one line; resolves with the exit code. */
export async function runCommandLine(line: string, context: ToolContext, tools: ToolRegistry): Promise<number> {
  if (line.length > consoleLineLimits.commandLineCharsMax) {
    context.output.err(`bash: command line too long (${line.length} characters; the console accepts ${consoleLineLimits.commandLineCharsMax})`);
    return EXIT_SYNTAX_ERROR;
  }
  let parsed;
  try {
    parsed = parseCommandLine(line);
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    context.output.err(`bash: ${error.message}`);
    return EXIT_SYNTAX_ERROR;
  }
  if (parsed.tool === null) return 0;
  const tool = tools.get(parsed.tool);
  if (tool === undefined) return notFound(context, parsed.written, parsed.windows);
  return tool.run(parsed.args, context);
}

function notFound(context: ToolContext, written: string, windows: boolean): number {
  if (windows) {
    context.output.err(`'${written}' is not recognized as an internal or external command,`);
    context.output.err('operable program or batch file.');
    return EXIT_CMD_NOT_RECOGNIZED;
  }
  context.output.err(written.includes('/') ? `bash: ${written}: No such file or directory` : `bash: ${written}: command not found`);
  return EXIT_COMMAND_NOT_FOUND;
}
