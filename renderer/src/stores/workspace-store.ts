/**
 * Which cluster the views show: the learner's own, or the open lab's fresh one (the engine's
 * `workspace` stream). The epoch moves with every switch; stores that keep a stream's history
 * (metrics, timeline, console) start over when it does, because the other cluster has other
 * topics, offsets and events. Followed for the whole life of the app (started once by App).
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Workspace } from '../../../engine/api/labs-dto';
import { engineApi } from '../api/api-provider';

export const useWorkspaceStore = defineStore('workspace', () => {
  const workspace = shallowRef<Workspace | null>(null);
  let unsubscribe: (() => void) | null = null;

  const kind = computed(() => workspace.value?.kind ?? 'personal');
  const epoch = computed(() => workspace.value?.epoch ?? 0);
  const inLab = computed(() => kind.value === 'lab');
  /** A lab is open (shown or not). */
  const labOpen = computed(() => workspace.value?.labId !== null && workspace.value?.labId !== undefined);

  function setWorkspace(next: Workspace): void {
    workspace.value = next;
  }

  function start(): void {
    if (unsubscribe === null) unsubscribe = engineApi().subscribe('workspace', setWorkspace);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return { workspace, kind, epoch, inLab, labOpen, setWorkspace, start, stop };
});
