/**
 * What passes between the terminal widget and the line editor, as pure functions: the keys in a
 * chunk of terminal input (xterm's onData: typed characters, escape sequences of the arrow and
 * Home/End keys, control characters, or a whole paste with its line breaks), and the characters that
 * draw the edit line and a console line of each stream.
 *
 * The edit line is drawn as prompt + text with the cursor placed by save/restore (ESC 7 / ESC 8), so
 * a line longer than the terminal is wide wraps and the cursor still lands right; it is erased by
 * going back to its first row and clearing to the end of the screen.
 */
import type { ConsoleEntry } from './console-buffer';

export type TerminalKey =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'enter' | 'backspace' | 'delete' | 'left' | 'right' | 'home' | 'end' | 'up' | 'down' | 'tab' | 'interrupt' | 'eof' | 'clearLine' };

type KeyKind = Exclude<TerminalKey['kind'], 'text'>;

const CONTROL_KEYS: Readonly<Record<string, KeyKind>> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x03': 'interrupt',
  '\x04': 'eof',
  '\x01': 'home',
  '\x05': 'end',
  '\x15': 'clearLine',
};

/** The final character (and parameter) of CSI / SS3 sequences the editor understands. */
const ESCAPE_KEYS: Readonly<Record<string, KeyKind>> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '3~': 'delete',
};

// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /^\x1b(?:\[|O)([0-9;]*)([A-Za-z~])/;

/** The keys of one chunk of terminal input, in order; printable runs become one text key, CR LF one Enter. */
export function parseTerminalInput(data: string): TerminalKey[] {
  const keys: TerminalKey[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') keys.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < data.length) {
    const char = data[i]!;
    if (char === '\x1b') {
      flush();
      const match = ESCAPE_SEQUENCE.exec(data.slice(i));
      const kind = match === null ? undefined : (ESCAPE_KEYS[match[2] === '~' ? `${match[1]}~` : match[2]!] as KeyKind | undefined);
      if (kind !== undefined) keys.push({ kind });
      i += match === null ? 1 : match[0].length;
      continue;
    }
    const control = CONTROL_KEYS[char];
    if (control !== undefined) {
      flush();
      keys.push({ kind: control });
      i += char === '\r' && data[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (char >= ' ') text += char;
    i++;
  }
  flush();
  return keys;
}

/** The prompt at which a command line is typed; a running tool reads lines without one. */
export const SHELL_PROMPT = '$ ';

/** Draws the edit line from where its first row starts, leaving the cursor at the editing position. */
export function drawEditLine(prompt: string, text: string, cursor: number): string {
  return `${promptStyle(prompt)}${text.slice(0, cursor)}\x1b7${text.slice(cursor)}\x1b8`;
}

/** The rows between the edit line's first row and the cursor, in a terminal `columns` wide. */
export function cursorRow(prompt: string, cursor: number, columns: number): number {
  return Math.floor((prompt.length + cursor) / Math.max(1, columns));
}

/** Erases the edit line whose cursor is `rowsUp` rows below its first row. */
export function eraseEditLine(rowsUp: number): string {
  return `\r${rowsUp > 0 ? `\x1b[${rowsUp}A` : ''}\x1b[J`;
}

/** A console line as the terminal shows it: a command after the prompt, stderr in the theme's red, local notes dimmed. */
export function drawEntry(entry: ConsoleEntry): string {
  const text = entry.text.replace(/\r?\n/g, '\r\n');
  switch (entry.kind) {
    case 'command':
      return `${promptStyle(SHELL_PROMPT)}${text}\r\n`;
    case 'err':
      return `\x1b[31m${text}\x1b[39m\r\n`;
    case 'note':
      return `\x1b[2m${text}\x1b[22m\r\n`;
    default:
      return `${text}\r\n`;
  }
}

function promptStyle(prompt: string): string {
  return prompt === '' ? '' : `\x1b[1;34m${prompt}\x1b[22;39m`;
}
