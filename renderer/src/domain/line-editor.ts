/**
 * The console's line editing, as a shell's readline does it, as pure functions: the line being
 * typed and its cursor, the history of command lines (Up/Down, newest last, bounded, the line
 * being typed kept as a draft while browsing), and Tab completion of tool names, the typed tool's
 * options, and topic and group names after `--topic` / `--group`.
 *
 * Invariants: 0 <= cursor <= text.length; history.index is in [0, entries.length], where
 * entries.length means "the draft" (not browsing); the history holds at most the bound it is given,
 * without blank lines and without a line repeating the one before it (as bash's ignoredups).
 */
import { CONSOLE_TOOLS, GROUP_OPTIONS, PROPERTY_VALUES, TOOL_OPTIONS, TOPIC_OPTIONS, toolOf } from './console-tools';

export interface EditLine {
  readonly text: string;
  readonly cursor: number;
}

export interface LineHistory {
  readonly entries: readonly string[];
  readonly index: number;
  /** The line typed before browsing started; Down past the newest entry brings it back. */
  readonly draft: string;
}

export interface EditorState {
  readonly line: EditLine;
  readonly history: LineHistory;
}

export const EMPTY_LINE: EditLine = { text: '', cursor: 0 };
export const EMPTY_HISTORY: LineHistory = { entries: [], index: 0, draft: '' };
export const EMPTY_EDITOR: EditorState = { line: EMPTY_LINE, history: EMPTY_HISTORY };

export function insertText(line: EditLine, text: string): EditLine {
  return { text: line.text.slice(0, line.cursor) + text + line.text.slice(line.cursor), cursor: line.cursor + text.length };
}

export function backspace(line: EditLine): EditLine {
  if (line.cursor === 0) return line;
  return { text: line.text.slice(0, line.cursor - 1) + line.text.slice(line.cursor), cursor: line.cursor - 1 };
}

export function deleteForward(line: EditLine): EditLine {
  if (line.cursor >= line.text.length) return line;
  return { text: line.text.slice(0, line.cursor) + line.text.slice(line.cursor + 1), cursor: line.cursor };
}

export function moveCursor(line: EditLine, to: 'left' | 'right' | 'home' | 'end'): EditLine {
  const cursor = to === 'home' ? 0 : to === 'end' ? line.text.length : line.cursor + (to === 'left' ? -1 : 1);
  return { text: line.text, cursor: Math.max(0, Math.min(line.text.length, cursor)) };
}

/** Up: the previous history entry (the line typed so far becomes the draft); the same state at the oldest. */
export function historyUp(state: EditorState): EditorState {
  const { history } = state;
  if (history.index === 0) return state;
  const draft = history.index === history.entries.length ? state.line.text : history.draft;
  const index = history.index - 1;
  return { line: lineAtEnd(history.entries[index] ?? ''), history: { entries: history.entries, index, draft } };
}

/** Down: the next history entry, or the draft after the newest; the same state when not browsing. */
export function historyDown(state: EditorState): EditorState {
  const { history } = state;
  if (history.index >= history.entries.length) return state;
  const index = history.index + 1;
  const text = index === history.entries.length ? history.draft : (history.entries[index] ?? '');
  return { line: lineAtEnd(text), history: { entries: history.entries, index, draft: history.draft } };
}

/** The history after a command line ran: appended (unless blank or a repeat), oldest dropped past maxEntries, browsing ended. */
export function remember(history: LineHistory, commandLine: string, maxEntries: number): LineHistory {
  const keep = commandLine.trim() !== '' && history.entries[history.entries.length - 1] !== commandLine;
  const appended = keep ? [...history.entries, commandLine] : [...history.entries];
  const entries = appended.slice(Math.max(0, appended.length - maxEntries));
  return { entries, index: entries.length, draft: '' };
}

export interface CompletionContext {
  readonly topics: readonly string[];
  readonly groups: readonly string[];
}

export interface Completion {
  readonly line: EditLine;
  /** The choices to list when Tab could not extend the word (several match); empty otherwise. */
  readonly choices: readonly string[];
}

/**
 * Tab: completes the word before the cursor. One match completes it (with a space after, except a
 * `key=` property that wants its value); several extend it to their common prefix, or, when that adds
 * nothing, are listed; none leaves the line as it is.
 */
export function complete(line: EditLine, context: CompletionContext): Completion {
  const before = line.text.slice(0, line.cursor);
  const wordStart = before.search(/\S*$/);
  const word = before.slice(wordStart);
  const previousWords = before.slice(0, wordStart).trim().split(/\s+/).filter((w) => w !== '');
  const matches = candidatesFor(previousWords, word, context).filter((c) => c.startsWith(word));
  if (matches.length === 0) return { line, choices: [] };
  const only = matches.length === 1 ? matches[0] : undefined;
  const replacement = only !== undefined ? (only.endsWith('=') ? only : `${only} `) : commonPrefix(matches);
  if (replacement.length <= word.length) return { line, choices: [...new Set(matches)].sort() };
  const text = line.text.slice(0, wordStart) + replacement + line.text.slice(line.cursor);
  return { line: { text, cursor: wordStart + replacement.length }, choices: [] };
}

/** What may stand at the word being completed, given the words before it. */
function candidatesFor(previousWords: readonly string[], word: string, context: CompletionContext): readonly string[] {
  const first = previousWords[0];
  if (first === undefined) return CONSOLE_TOOLS;
  const tool = toolOf(first);
  if (tool === null) return [];
  const previous = previousWords[previousWords.length - 1] ?? '';
  if (TOPIC_OPTIONS.has(previous)) return context.topics;
  if (GROUP_OPTIONS.has(previous)) return context.groups;
  if (previous === '--property') return PROPERTY_VALUES;
  return word.startsWith('-') || word === '' ? TOOL_OPTIONS[tool] : [];
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

function lineAtEnd(text: string): EditLine {
  return { text, cursor: text.length };
}
