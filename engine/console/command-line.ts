/**
 * Splits a typed command line into the tool's name and its arguments, as the shell the learner's
 * material was written for would: a POSIX shell (single quotes literal, double quotes with `\"`,
 * `\$`, `\\` escapes, a backslash outside quotes escaping the next character, `\` + newline joining
 * lines) or, for a Windows-looking line, cmd.exe (double quotes group words, backslashes are path
 * separators and never escapes, single quotes are ordinary characters).
 *
 * What learners paste from the material is accepted as written: a leading prompt (`$ `, `# `,
 * `D:\kafka\kafka_2.13-2.6.0>`, `D:\kafka\kafka_2.13-2.6.0\bin>`) is dropped; the tool may be written
 * `kafka-topics`, `kafka-topics.sh`, `./kafka-topics`, `bin/kafka-topics.sh`,
 * `bin\windows\kafka-topics.bat`, `windows\kafka-topics.bat` or `.\bin\windows\kafka-topics.bat`:
 * the tool name is the last path segment without `.sh`/`.bat`/`.cmd`.
 *
 * Invariants: pure (no engine access); lines longer than consoleLineLimits.commandLineCharsMax are
 * refused by the caller before they get here (the parse itself is one pass, linear in the line).
 */

export interface CommandLine {
  /** The tool's normalized name (`kafka-topics`), or null for an empty line. */
  readonly tool: string | null;
  /** The first word as typed (`bin\windows\kafka-topics.bat`), for the shell's "not found" message. */
  readonly written: string;
  /** The arguments after the tool name. */
  readonly args: readonly string[];
  /** True when the line looks like cmd.exe's (a drive prompt, `\` paths, `.bat`): its rules and messages apply. */
  readonly windows: boolean;
}

export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

/** `D:\kafka\kafka_2.13-2.6.0>` or `C:\>`: cmd.exe's prompt (a drive, a path, then `>`). */
const WINDOWS_PROMPT = /^\s*[A-Za-z]:\\[^<>|"\r\n]*?>\s*/;
/** `$ `, `# `, `% ` or `> ` as a Unix prompt (a space must follow, so `>file` is not eaten). */
const UNIX_PROMPT = /^\s*[$#%>]\s+/;
const TOOL_SUFFIX = /\.(sh|bat|cmd)$/i;

/** Parses one typed line (possibly several physical lines joined with `\`). */
export function parseCommandLine(line: string): CommandLine {
  let text = line;
  let windows = false;
  const windowsPrompt = WINDOWS_PROMPT.exec(text);
  if (windowsPrompt !== null) {
    windows = true;
    text = text.slice(windowsPrompt[0].length);
  } else {
    text = text.replace(UNIX_PROMPT, '');
  }
  const firstWord = /^\s*(\S+)/.exec(text)?.[1] ?? '';
  if (!windows && (/\.(bat|cmd)$/i.test(stripQuotes(firstWord)) || firstWord.includes('\\'))) windows = true;
  const words = windows ? splitCmd(text) : splitPosix(text);
  if (words.length === 0) return { tool: null, written: '', args: [], windows };
  const written = words[0]!;
  return { tool: toolName(written), written, args: words.slice(1), windows };
}

/** `bin\windows\kafka-topics.bat` → `kafka-topics`. */
export function toolName(written: string): string {
  const segments = written.split(/[\\/]/);
  return (segments.at(-1) ?? written).replace(TOOL_SUFFIX, '');
}

function stripQuotes(word: string): string {
  return word.replace(/^["']|["']$/g, '');
}

/** POSIX word splitting with quotes, escapes and `\`-newline continuation. */
export function splitPosix(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (c === '\\') {
      const next = text[i + 1];
      i += 1;
      if (next === undefined) break; // a trailing backslash: nothing follows to escape
      if (next === '\n' || (next === '\r' && text[i + 1] === '\n')) {
        if (next === '\r') i += 1;
        continue; // line continuation
      }
      // Inside double quotes only these are escapes; elsewhere the backslash stays.
      word += quote === '"' && !'"\\$`'.includes(next) ? `\\${next}` : next;
      inWord = true;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (quote !== null) throw new CommandLineError(`unexpected EOF while looking for matching \`${quote}'`);
  if (inWord) words.push(word);
  return words;
}

/** cmd.exe-like splitting: double quotes group (and are removed), backslashes and single quotes are literal. */
export function splitCmd(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  // cmd continues a line with a trailing ^; the material never uses it, but a pasted one is harmless.
  const joined = text.replace(/\^\r?\n/g, '');
  for (const c of joined) {
    if (c === '"') {
      quoted = !quoted;
      inWord = true;
      continue;
    }
    if (!quoted && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}
