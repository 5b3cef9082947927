/**
 * The UI console's tabs: each tab is a session of the engine's console (its id, e.g. `tab-1`, is
 * the session id), with its scrollback read incrementally (consoleOutput after the lines already
 * here, when the `console` event names the session), what runs in it, the line being typed and the
 * tab's command history. Keys from the terminal arrive here as parsed keys; the store edits the
 * line, completes, and sends: Enter runs the line at the prompt (consoleRun) or types it into the
 * running tool (consoleInput), Ctrl+D ends the tool's input, Ctrl+C interrupts it. Lines are sent
 * one at a time, in the order typed, so a paste of several lines arrives as typed.
 *
 * Everything lives in the store, so a tab keeps its scrollback, line and history across view
 * switches. Bounds: rendererLimits.consoleTabsMax tabs, consoleLinesMax lines of scrollback and
 * consoleHistoryMax history entries per tab, consoleQueuedLinesMax lines waiting to be sent.
 * One read per tab travels at a time; asks while it travels fold into one more read; an answer
 * for a tab closed meanwhile is dropped.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ConsoleEvent } from '../../../engine/api/console-dto';
import { engineApi } from '../api/api-provider';
import { appendEntries, consoleHasNews, dropEcho, EMPTY_CONSOLE, expectEcho, mergeConsoleChunk, type ConsoleBuffer, type ConsoleEntry } from '../domain/console-buffer';
import { SHELL_PROMPT, type TerminalKey } from '../domain/console-terminal';
import { shownError } from '../domain/engine-error';
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
  type CompletionContext,
  type EditorState,
} from '../domain/line-editor';
import { rendererLimits } from '../domain/renderer-limits';
import { useWorkspaceStore } from './workspace-store';

export interface ConsoleTab {
  readonly sessionId: string;
  /** The tab's number in its default title ("Tab 2"). */
  readonly number: number;
  /** A name the learner gave it, or null for the default title. */
  readonly title: string | null;
}

export interface SessionState {
  /** The command line running in the session, or null at the prompt. */
  readonly running: string | null;
  readonly lastExitCode: number | null;
}

const IDLE: SessionState = { running: null, lastExitCode: null };

export const useConsoleStore = defineStore('console', () => {
  const tabs = shallowRef<readonly ConsoleTab[]>([]);
  const activeSessionId = ref<string | null>(null);
  const buffers = shallowRef<ReadonlyMap<string, ConsoleBuffer>>(new Map());
  const states = shallowRef<ReadonlyMap<string, SessionState>>(new Map());
  const editors = shallowRef<ReadonlyMap<string, EditorState>>(new Map());
  /** Tabs with a command being started (its answer and first output on the way): no prompt yet. */
  const starting = shallowRef<ReadonlySet<string>>(new Set());
  let nextNumber = 1;
  let unsubscribe: (() => void) | null = null;
  const reading = new Set<string>();
  const again = new Set<string>();
  const queues = new Map<string, (string | null)[]>();
  const sending = new Set<string>();
  /** Bumped when a tab closes, so its answers in flight are dropped. */
  const generations = new Map<string, number>();

  function buffer(sessionId: string): ConsoleBuffer {
    return buffers.value.get(sessionId) ?? EMPTY_CONSOLE;
  }

  function state(sessionId: string): SessionState {
    return states.value.get(sessionId) ?? IDLE;
  }

  function editor(sessionId: string): EditorState {
    return editors.value.get(sessionId) ?? EMPTY_EDITOR;
  }

  function hasTab(sessionId: string): boolean {
    return tabs.value.some((tab) => tab.sessionId === sessionId);
  }

  /** The prompt the edit line shows: `$ ` at the shell, nothing while a tool reads lines or a command starts. */
  function prompt(sessionId: string): string {
    return state(sessionId).running === null && !starting.value.has(sessionId) ? SHELL_PROMPT : '';
  }

  /** Opens a tab (and makes it the active one); null when rendererLimits.consoleTabsMax are open. */
  function addTab(): ConsoleTab | null {
    if (tabs.value.length >= rendererLimits.consoleTabsMax) return null;
    const tab: ConsoleTab = { sessionId: `tab-${nextNumber}`, number: nextNumber, title: null };
    nextNumber++;
    tabs.value = [...tabs.value, tab];
    activeSessionId.value = tab.sessionId;
    return tab;
  }

  /**
   * Shows an engine session in a tab (opened if needed, and made the active one): a lab's console
   * actions run in sessions named by the lab ("producer", "consumer"), which the learner then sees
   * and can type into like any tab. Null when rendererLimits.consoleTabsMax are open.
   */
  function openSessionTab(sessionId: string): ConsoleTab | null {
    const existing = tabs.value.find((tab) => tab.sessionId === sessionId);
    if (existing !== undefined) {
      activeSessionId.value = sessionId;
      return existing;
    }
    if (tabs.value.length >= rendererLimits.consoleTabsMax) return null;
    const tab: ConsoleTab = { sessionId, number: nextNumber, title: sessionId };
    nextNumber++;
    tabs.value = [...tabs.value, tab];
    activeSessionId.value = sessionId;
    if (unsubscribe !== null) void refresh(sessionId);
    return tab;
  }

  /**
   * The views switched to another cluster (a lab's, or back to the learner's own): its console
   * sessions are other ones. Tabs stay; their lines are read again from that cluster's sessions.
   */
  function resetForWorkspace(): void {
    for (const tab of tabs.value) generations.set(tab.sessionId, (generations.get(tab.sessionId) ?? 0) + 1);
    queues.clear();
    again.clear();
    buffers.value = new Map();
    states.value = new Map();
    starting.value = new Set();
    if (unsubscribe !== null) for (const tab of tabs.value) void refresh(tab.sessionId);
  }

  watch(() => useWorkspaceStore().epoch, resetForWorkspace);

  function renameTab(sessionId: string, title: string): void {
    const trimmed = title.trim();
    tabs.value = tabs.value.map((tab) => (tab.sessionId === sessionId ? { ...tab, title: trimmed === '' ? null : trimmed } : tab));
  }

  function activate(sessionId: string): void {
    if (hasTab(sessionId)) activeSessionId.value = sessionId;
  }

  /** Closes a tab: the engine interrupts what runs in it and forgets its lines. */
  async function closeTab(sessionId: string): Promise<void> {
    const index = tabs.value.findIndex((tab) => tab.sessionId === sessionId);
    if (index < 0) return;
    tabs.value = tabs.value.filter((tab) => tab.sessionId !== sessionId);
    if (activeSessionId.value === sessionId) activeSessionId.value = (tabs.value[index] ?? tabs.value[index - 1])?.sessionId ?? null;
    generations.set(sessionId, (generations.get(sessionId) ?? 0) + 1);
    queues.delete(sessionId);
    again.delete(sessionId);
    buffers.value = without(buffers.value, sessionId);
    states.value = without(states.value, sessionId);
    editors.value = without(editors.value, sessionId);
    setStarting(sessionId, false);
    try {
      await engineApi().command('consoleClose', { sessionId });
    } catch {
      // The session may never have run anything, or the engine started over: the tab is gone either way.
    }
  }

  /** Keys typed or pasted into a tab's terminal, in order. */
  function press(sessionId: string, keys: readonly TerminalKey[], context: CompletionContext): void {
    for (const key of keys) pressOne(sessionId, key, context);
  }

  function pressOne(sessionId: string, key: TerminalKey, context: CompletionContext): void {
    const current = editor(sessionId);
    const line = current.line;
    const atPrompt = prompt(sessionId) !== '';
    switch (key.kind) {
      case 'text':
        return setLine(sessionId, insertText(line, key.text));
      case 'backspace':
        return setLine(sessionId, backspace(line));
      case 'delete':
        return setLine(sessionId, deleteForward(line));
      case 'left':
      case 'right':
      case 'home':
      case 'end':
        return setLine(sessionId, moveCursor(line, key.kind));
      case 'clearLine':
        return setLine(sessionId, EMPTY_LINE);
      case 'up':
      case 'down':
        if (atPrompt) setEditor(sessionId, key.kind === 'up' ? historyUp(current) : historyDown(current));
        return;
      case 'tab':
        return atPrompt ? completeLine(sessionId, context) : undefined;
      case 'enter':
        return submit(sessionId, line.text, atPrompt);
      case 'eof':
        return endInput(sessionId);
      case 'interrupt':
        return void interrupt(sessionId);
    }
  }

  function completeLine(sessionId: string, context: CompletionContext): void {
    const completion = complete(editor(sessionId).line, context);
    setLine(sessionId, completion.line);
    if (completion.choices.length > 0) note(sessionId, [{ kind: 'note', text: completion.choices.join('  ') }]);
  }

  /** Enter: the line goes to the session (after the lines already waiting); a command line joins the history. */
  function submit(sessionId: string, text: string, atPrompt: boolean): void {
    const current = editor(sessionId);
    const history = atPrompt ? remember(current.history, text, rendererLimits.consoleHistoryMax) : current.history;
    setEditor(sessionId, { line: EMPTY_LINE, history });
    enqueue(sessionId, text);
  }

  /** Ctrl+D: the running tool's end of input; at an empty prompt there is no shell to leave, so nothing. */
  function endInput(sessionId: string): void {
    if (state(sessionId).running !== null || (queues.get(sessionId)?.length ?? 0) > 0 || sending.has(sessionId)) enqueue(sessionId, null);
  }

  /** Ctrl+C: prints ^C after what was typed, drops the lines not sent yet, and interrupts the running tool. */
  async function interrupt(sessionId: string): Promise<void> {
    note(sessionId, [{ kind: 'note', text: `${prompt(sessionId)}${editor(sessionId).line.text}^C` }]);
    setLine(sessionId, EMPTY_LINE);
    queues.get(sessionId)?.splice(0);
    if (state(sessionId).running === null && !sending.has(sessionId)) return;
    await send(sessionId, async () => applyState(sessionId, await engineApi().command('consoleInterrupt', { sessionId })));
  }

  function enqueue(sessionId: string, line: string | null): void {
    const queue = queues.get(sessionId) ?? [];
    queues.set(sessionId, queue);
    if (queue.length >= rendererLimits.consoleQueuedLinesMax) {
      note(sessionId, [{ kind: 'err', text: `At most ${rendererLimits.consoleQueuedLinesMax} lines can wait to be sent; this one was dropped.` }]);
      return;
    }
    queue.push(line);
    void drain(sessionId);
  }

  /** Sends the waiting lines one at a time, each as a command or as input depending on what runs when its turn comes. */
  async function drain(sessionId: string): Promise<void> {
    if (sending.has(sessionId)) return;
    sending.add(sessionId);
    try {
      for (let queue = queues.get(sessionId); queue !== undefined && queue.length > 0; queue = queues.get(sessionId)) {
        const line = queue.shift()!;
        await sendLine(sessionId, line);
      }
    } finally {
      sending.delete(sessionId);
    }
  }

  async function sendLine(sessionId: string, line: string | null): Promise<void> {
    if (state(sessionId).running !== null) {
      await send(sessionId, async () => applyState(sessionId, await engineApi().command('consoleInput', { sessionId, line })));
      return;
    }
    if (line === null) return;
    if (line.trim() === '') {
      // An empty command line: a new prompt, as a shell gives, without troubling the engine.
      note(sessionId, [{ kind: 'command', text: line }]);
      return;
    }
    await runCommand(sessionId, line);
  }

  async function runCommand(sessionId: string, line: string): Promise<void> {
    setBuffer(sessionId, expectEcho(buffer(sessionId), line, rendererLimits.consoleAwaitingEchoMax));
    setStarting(sessionId, true);
    try {
      const ok = await send(sessionId, async () => applyState(sessionId, await engineApi().command('consoleRun', { sessionId, line })));
      if (!ok && hasTab(sessionId)) setBuffer(sessionId, dropEcho(buffer(sessionId), line));
      // The command's first lines (or all of them, for a quick one) come before the next prompt.
      await refresh(sessionId);
    } finally {
      setStarting(sessionId, false);
    }
  }

  /** Runs one request of a tab; a refusal is printed in the tab in Kafka's words. Whether it succeeded. */
  async function send(sessionId: string, request: () => Promise<void>): Promise<boolean> {
    const generation = generations.get(sessionId) ?? 0;
    try {
      await request();
      return true;
    } catch (caught) {
      if ((generations.get(sessionId) ?? 0) !== generation) return false;
      const shown = shownError(caught);
      note(sessionId, [{ kind: 'err', text: shown.errorName === null ? shown.message : `${shown.errorName}: ${shown.message}` }]);
      return false;
    }
  }

  function applyState(sessionId: string, answer: { running: string | null; lastExitCode: number | null }): void {
    if (!hasTab(sessionId)) return;
    const current = state(sessionId);
    if (current.running === answer.running && current.lastExitCode === answer.lastExitCode) return;
    states.value = new Map(states.value).set(sessionId, { running: answer.running, lastExitCode: answer.lastExitCode });
  }

  async function readOnce(sessionId: string): Promise<void> {
    const generation = generations.get(sessionId) ?? 0;
    const chunk = await engineApi().query('consoleOutput', { sessionId, afterLine: buffer(sessionId).nextLine });
    if ((generations.get(sessionId) ?? 0) !== generation || !hasTab(sessionId)) return;
    // Another read may have landed meanwhile: merge into what is here now.
    const before = buffer(sessionId);
    const merged = mergeConsoleChunk(before, chunk, rendererLimits.consoleLinesMax);
    setBuffer(sessionId, merged);
    applyState(sessionId, chunk);
    // The engine answers a page at a time; a read that moved nothing does not repeat.
    if (merged.nextLine < chunk.totalLines && merged.nextLine !== before.nextLine) again.add(sessionId);
  }

  /** Reads the lines the session printed since the last read. */
  async function refresh(sessionId: string): Promise<void> {
    if (reading.has(sessionId)) {
      again.add(sessionId);
      return;
    }
    reading.add(sessionId);
    try {
      do {
        again.delete(sessionId);
        await send(sessionId, () => readOnce(sessionId));
      } while (again.has(sessionId));
    } finally {
      reading.delete(sessionId);
    }
  }

  /** The `console` event: reads the tabs it names that have lines not read yet or changed what runs. */
  function onConsoleEvent(event: ConsoleEvent): void {
    for (const session of event.sessions) {
      if (!hasTab(session.sessionId)) continue;
      const known = state(session.sessionId);
      const changed = known.running !== session.running || known.lastExitCode !== session.lastExitCode;
      if (changed || consoleHasNews(buffer(session.sessionId), session.totalLines)) void refresh(session.sessionId);
    }
  }

  /** Follows the `console` event while the Console view is shown; catches up on every tab at once. */
  function start(): void {
    if (unsubscribe === null) unsubscribe = engineApi().subscribe('console', onConsoleEvent);
    if (tabs.value.length === 0) addTab();
    for (const tab of tabs.value) void refresh(tab.sessionId);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function setLine(sessionId: string, line: EditorState['line']): void {
    const current = editor(sessionId);
    if (current.line === line) return;
    setEditor(sessionId, { line, history: current.history });
  }

  function setEditor(sessionId: string, next: EditorState): void {
    if (!hasTab(sessionId)) return;
    editors.value = new Map(editors.value).set(sessionId, next);
  }

  function setBuffer(sessionId: string, next: ConsoleBuffer): void {
    if (!hasTab(sessionId) || next === buffer(sessionId)) return;
    buffers.value = new Map(buffers.value).set(sessionId, next);
  }

  /** The tab's own lines: a ^C, completion choices, a refusal. */
  function note(sessionId: string, entries: readonly ConsoleEntry[]): void {
    setBuffer(sessionId, appendEntries(buffer(sessionId), entries, rendererLimits.consoleLinesMax));
  }

  function setStarting(sessionId: string, on: boolean): void {
    if (starting.value.has(sessionId) === on) return;
    const next = new Set(starting.value);
    if (on) next.add(sessionId);
    else next.delete(sessionId);
    starting.value = next;
  }

  return {
    tabs,
    activeSessionId,
    buffers,
    states,
    editors,
    starting,
    buffer,
    state,
    editor,
    prompt,
    addTab,
    openSessionTab,
    resetForWorkspace,
    renameTab,
    activate,
    closeTab,
    press,
    refresh,
    start,
    stop,
  };
});

function without<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}
