/**
 * The log of one in-app consumer, as its Java client prints it (the consumerLog query). The panel
 * that shows it asks for a refresh while it is open; answers that arrive after another consumer
 * was chosen (or the panel closed) are dropped, so the panel never shows someone else's lines.
 * DEBUG lines are kept but shown only on request, as log4j's usual INFO level for Kafka's
 * clients would print them.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { logLevel } from '../domain/groups';

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a[0] === b[0] && a[a.length - 1] === b[b.length - 1];
}

export const useConsumerLogStore = defineStore('consumer-log', () => {
  const clientId = ref<string | null>(null);
  const lines = shallowRef<readonly string[]>([]);
  const loading = ref(false);
  const error = shallowRef<ShownError | null>(null);
  const showDebug = ref(false);
  let sequence = 0;

  const shownLines = computed(() => (showDebug.value ? lines.value : lines.value.filter((line) => logLevel(line) !== 'DEBUG')));
  let reading = false;

  async function read(mine: number, id: string): Promise<void> {
    try {
      const answer = await engineApi().query('consumerLog', { clientId: id });
      if (mine !== sequence) return;
      // An unchanged log keeps its array, so the panel does not redraw up to 2,000 lines for nothing.
      if (!sameLines(lines.value, answer.lines)) lines.value = answer.lines;
      error.value = null;
    } catch (caught) {
      if (mine !== sequence) return;
      error.value = shownError(caught);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /** Shows the log of `id`, read at once. */
  async function open(id: string): Promise<void> {
    const mine = ++sequence;
    clientId.value = id;
    lines.value = [];
    error.value = null;
    loading.value = true;
    reading = true;
    try {
      await read(mine, id);
    } finally {
      if (mine === sequence) reading = false;
    }
  }

  /** Reads the open log again; skipped while a read is still on its way. */
  async function refresh(): Promise<void> {
    const id = clientId.value;
    if (id === null || reading) return;
    const mine = sequence;
    reading = true;
    try {
      await read(mine, id);
    } finally {
      if (mine === sequence) reading = false;
    }
  }

  function close(): void {
    sequence++;
    reading = false;
    clientId.value = null;
    lines.value = [];
    loading.value = false;
    error.value = null;
  }

  function setShowDebug(show: boolean): void {
    showDebug.value = show;
  }

  return { clientId, lines, loading, error, showDebug, shownLines, open, refresh, close, setShowDebug };
});
