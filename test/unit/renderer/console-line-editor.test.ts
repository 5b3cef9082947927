/**
 * The console's line editing behaves as a shell's readline does for a workshop participant: the
 * cursor moves and edits in place, Up/Down walk the tab's command history and come back to what
 * was being typed, the history is bounded and skips blanks and repeats, and Tab completes Kafka's
 * tool names, the typed tool's options, and topic and group names after --topic and --group.
 * Keys are read from the terminal's input as xterm delivers it, pastes included.
 */
import { describe, expect, it } from 'vitest';
import { isConsoleFileName } from '../../../renderer/src/domain/console-files';
import { parseTerminalInput } from '../../../renderer/src/domain/console-terminal';
import { toolOf } from '../../../renderer/src/domain/console-tools';
import {
  backspace,
  complete,
  deleteForward,
  EMPTY_EDITOR,
  EMPTY_LINE,
  historyDown,
  historyUp,
  insertText,
  moveCursor,
  remember,
  type EditLine,
  type EditorState,
} from '../../../renderer/src/domain/line-editor';

const context = { topics: ['keyed', 'orders', 'order-events'], groups: ['inventory', 'g1'] };

function typed(text: string): EditLine {
  return insertText(EMPTY_LINE, text);
}

/** The line after Tab, with the cursor at the end of what was typed. */
function tab(text: string): { text: string; choices: readonly string[] } {
  const completion = complete(typed(text), context);
  return { text: completion.line.text, choices: completion.choices };
}

describe('line editing', () => {
  it('inserts at the cursor, deletes before and under it, and moves within the line', () => {
    let line = typed('kafka-topics --list');
    line = moveCursor(line, 'home');
    expect(line.cursor).toBe(0);
    line = moveCursor(line, 'left');
    expect(line.cursor).toBe(0);
    line = insertText(line, './');
    expect(line).toEqual({ text: './kafka-topics --list', cursor: 2 });
    line = moveCursor(moveCursor(line, 'end'), 'right');
    expect(line.cursor).toBe(line.text.length);
    line = backspace(backspace(line));
    expect(line.text).toBe('./kafka-topics --li');
    line = deleteForward(moveCursor(line, 'home'));
    expect(line).toEqual({ text: '/kafka-topics --li', cursor: 0 });
    expect(backspace(line)).toBe(line);
    expect(deleteForward(moveCursor(line, 'end')).text).toBe('/kafka-topics --li');
  });

  it('walks the history with Up/Down and gives back the line that was being typed', () => {
    let history = remember(EMPTY_EDITOR.history, 'kafka-topics --list', 10);
    history = remember(history, 'kafka-consumer-groups --describe --group inventory', 10);
    let state: EditorState = { line: typed('kafka-con'), history };
    state = historyUp(state);
    expect(state.line).toEqual({ text: 'kafka-consumer-groups --describe --group inventory', cursor: 50 });
    state = historyUp(state);
    expect(state.line.text).toBe('kafka-topics --list');
    expect(historyUp(state)).toBe(state);
    state = historyDown(state);
    expect(state.line.text).toBe('kafka-consumer-groups --describe --group inventory');
    state = historyDown(state);
    expect(state.line).toEqual({ text: 'kafka-con', cursor: 9 });
    expect(historyDown(state)).toBe(state);
  });

  it('keeps at most the bound of history entries, newest last, without blanks or repeats', () => {
    let history = EMPTY_EDITOR.history;
    for (let i = 0; i < 30; i++) history = remember(history, `kafka-get-offsets --topic t${i}`, 20);
    history = remember(history, 'kafka-get-offsets --topic t29', 20);
    history = remember(history, '   ', 20);
    expect(history.entries).toHaveLength(20);
    expect(history.entries[0]).toBe('kafka-get-offsets --topic t10');
    expect(history.entries[19]).toBe('kafka-get-offsets --topic t29');
    expect(history.index).toBe(20);
  });
});

describe('Tab completion', () => {
  it('completes a tool name, and lists the tools when the prefix is shared', () => {
    expect(tab('kafka-top').text).toBe('kafka-topics ');
    expect(tab('kafka-console-p').text).toBe('kafka-console-producer ');
    expect(tab('kafka-con')).toEqual({ text: 'kafka-con', choices: ['kafka-configs', 'kafka-console-consumer', 'kafka-console-producer', 'kafka-consumer-groups', 'kafka-consumer-perf-test'] });
    expect(tab('kafka-consumer-').choices).toEqual(['kafka-consumer-groups', 'kafka-consumer-perf-test']);
    expect(tab('kafka-re').text).toBe('kafka-reassign-partitions ');
    expect(tab('zookeeper').choices).toEqual([]);
  });

  it("completes the typed tool's options, also after a bin/ prefix and a .sh suffix", () => {
    expect(tab('kafka-topics --desc').text).toBe('kafka-topics --describe ');
    expect(tab('bin/kafka-consumer-groups.sh --res').text).toBe('bin/kafka-consumer-groups.sh --reset-offsets ');
    expect(tab('kafka-consumer-groups --reset-offsets --to-').choices).toEqual(['--to-current', '--to-datetime', '--to-earliest', '--to-latest', '--to-offset']);
    expect(tab('kafka-reassign-partitions --reassignment').text).toBe('kafka-reassign-partitions --reassignment-json-file ');
    // An option of another tool is not offered.
    expect(tab('kafka-console-producer --from-beg').choices).toEqual([]);
    expect(tab('kafka-console-consumer --from-beg').text).toBe('kafka-console-consumer --from-beginning ');
  });

  it('completes topic names after --topic, group names after --group, and console properties', () => {
    expect(tab('kafka-topics --describe --topic ke').text).toBe('kafka-topics --describe --topic keyed ');
    expect(tab('kafka-topics --describe --topic ord')).toEqual({ text: 'kafka-topics --describe --topic order', choices: [] });
    expect(tab('kafka-topics --describe --topic order').choices).toEqual(['order-events', 'orders']);
    expect(tab('kafka-consumer-groups --describe --group inv').text).toBe('kafka-consumer-groups --describe --group inventory ');
    // A property that wants its value gets no space after the "=".
    expect(tab('kafka-console-producer --topic keyed --property key.sep').text).toBe('kafka-console-producer --topic keyed --property key.separator=');
    expect(tab('kafka-console-consumer --topic keyed --property print.k').text).toBe('kafka-console-consumer --topic keyed --property print.key=true ');
  });

  it('completes the word under the cursor and keeps the rest of the line', () => {
    const line = moveCursor(moveCursor(moveCursor(typed('kafka-top --list'), 'left'), 'home'), 'right');
    const atWordEnd = { text: line.text, cursor: 'kafka-top'.length };
    expect(complete(atWordEnd, context).line).toEqual({ text: 'kafka-topics  --list', cursor: 'kafka-topics '.length });
  });

  it('names the tool behind every prefix the workshop material uses', () => {
    for (const word of ['kafka-topics', 'kafka-topics.sh', 'bin/kafka-topics.sh', './bin/kafka-topics.sh', 'bin\\windows\\kafka-topics.bat']) {
      expect(toolOf(word), word).toBe('kafka-topics');
    }
    expect(toolOf('kafka-server-start.sh')).toBeNull();
  });
});

describe('terminal input', () => {
  it('reads typed text, arrows, Home/End, Backspace, Tab and the control keys', () => {
    expect(parseTerminalInput('k1:hello')).toEqual([{ kind: 'text', text: 'k1:hello' }]);
    expect(parseTerminalInput('\x1b[A\x1b[B\x1b[C\x1b[D\x1bOH\x1b[F\x1b[1~\x1b[4~\x1b[3~').map((k) => k.kind)).toEqual([
      'up', 'down', 'right', 'left', 'home', 'end', 'home', 'end', 'delete',
    ]);
    expect(parseTerminalInput('\x7f\t\x03\x04\x15\x01\x05').map((k) => k.kind)).toEqual(['backspace', 'tab', 'interrupt', 'eof', 'clearLine', 'home', 'end']);
    // Keys the editor does not know (F1, Page Up) and stray control characters are dropped.
    expect(parseTerminalInput('\x1bOP\x1b[5~a\x07b')).toEqual([{ kind: 'text', text: 'ab' }]);
  });

  it('reads a paste of several lines as the lines and an Enter after each, in order', () => {
    expect(parseTerminalInput('k1:hello\rk2:world\r\nk3:!\n')).toEqual([
      { kind: 'text', text: 'k1:hello' },
      { kind: 'enter' },
      { kind: 'text', text: 'k2:world' },
      { kind: 'enter' },
      { kind: 'text', text: 'k3:!' },
      { kind: 'enter' },
    ]);
    // Bracketed-paste markers carry no keys.
    expect(parseTerminalInput('\x1b[200~a b\x1b[201~')).toEqual([{ kind: 'text', text: 'a b' }]);
  });
});

describe('home file names', () => {
  it('accepts the names command lines use and refuses hidden files and paths', () => {
    for (const name of ['reassign.json', 'topics-to-move.json', 'client_ssl.properties']) expect(isConsoleFileName(name), name).toBe(true);
    for (const name of ['', '.bashrc', '../etc/passwd', 'dir/reassign.json', 'a..json', 'x'.repeat(201)]) expect(isConsoleFileName(name), name).toBe(false);
  });
});
