/**
 * The console's home directory: the files command lines name (`--reassignment-json-file
 * reassign.json`, `--topics-to-move-json-file topics.json`), listed, opened one at a time into an
 * editor, saved, deleted and created. The open file keeps the text as loaded or last saved, so
 * the view can tell unsaved edits; every change re-reads the list (sizes change with the text).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { useWorkspaceStore } from './workspace-store';

export interface HomeFile {
  readonly path: string;
  readonly sizeBytes: number;
}

export interface OpenFile {
  readonly path: string;
  /** The text in the editor. */
  readonly text: string;
  /** The text as the engine has it (loaded or last saved). */
  readonly savedText: string;
}

export const useConsoleFilesStore = defineStore('console-files', () => {
  const files = shallowRef<readonly HomeFile[]>([]);
  const openFile = shallowRef<OpenFile | null>(null);
  const error = shallowRef<ShownError | null>(null);
  const loaded = ref(false);

  const dirty = computed(() => openFile.value !== null && openFile.value.text !== openFile.value.savedText);

  /** Runs a request; a refusal becomes the panel's error (Kafka's words), and the answer is null. */
  async function attempt<T>(request: () => Promise<T>): Promise<T | null> {
    try {
      const answer = await request();
      error.value = null;
      return answer;
    } catch (caught) {
      error.value = shownError(caught);
      return null;
    }
  }

  async function refresh(): Promise<void> {
    const answer = await attempt(() => engineApi().query('consoleFiles', {}));
    if (answer === null) return;
    files.value = [...answer.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    loaded.value = true;
  }

  async function open(path: string): Promise<void> {
    const answer = await attempt(() => engineApi().query('readConsoleFile', { path }));
    if (answer !== null) openFile.value = { path: answer.path, text: answer.text, savedText: answer.text };
  }

  function edit(text: string): void {
    if (openFile.value !== null) openFile.value = { ...openFile.value, text };
  }

  async function save(): Promise<boolean> {
    const file = openFile.value;
    if (file === null) return false;
    const answer = await attempt(() => engineApi().command('writeConsoleFile', { path: file.path, text: file.text }));
    if (answer === null) return false;
    if (openFile.value?.path === file.path) openFile.value = { ...openFile.value, savedText: file.text };
    await refresh();
    return true;
  }

  /** Creates an empty file (or opens it, when it exists already) and opens it in the editor. */
  async function create(path: string): Promise<boolean> {
    if (files.value.some((f) => f.path === path)) {
      await open(path);
      return error.value === null;
    }
    const answer = await attempt(() => engineApi().command('writeConsoleFile', { path, text: '' }));
    if (answer === null) return false;
    openFile.value = { path: answer.path, text: '', savedText: '' };
    await refresh();
    return true;
  }

  async function remove(path: string): Promise<void> {
    const answer = await attempt(() => engineApi().command('deleteConsoleFile', { path }));
    if (answer === null) return;
    if (openFile.value?.path === path) openFile.value = null;
    await refresh();
  }

  function closeFile(): void {
    openFile.value = null;
  }

  // The views now show another cluster, whose console home has other files.
  watch(
    () => useWorkspaceStore().epoch,
    () => {
      openFile.value = null;
      if (loaded.value) void refresh();
    },
  );

  return { files, openFile, error, loaded, dirty, refresh, open, edit, save, create, remove, closeFile };
});
