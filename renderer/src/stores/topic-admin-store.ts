/**
 * Changing a topic after it was created: its configs as describeConfigs lists them (every config
 * with its value and source), overrides set and removed with alterTopicConfigs, and partitions
 * added with createPartitions. A changed topic is folded into the cluster status at once, so the
 * list shows it before the next status event.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { CommandRequest, QueryResponse } from '../../../engine/api/contract';
import type { TopicStatus } from '../../../engine/api/dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { useClusterStore } from './cluster-store';

export type ConfigEntry = QueryResponse<'describeConfigs'>['entries'][number];

export const useTopicAdminStore = defineStore('topicAdmin', () => {
  const cluster = useClusterStore();
  /** Whose configs `entries` are. */
  const topic = ref<string | null>(null);
  const entries = shallowRef<readonly ConfigEntry[]>([]);
  const loading = ref(false);
  const error = shallowRef<ShownError | null>(null);
  let sequence = 0;

  function foldIn(changed: TopicStatus): void {
    const current = cluster.status;
    if (current === null) return;
    cluster.setStatus({ ...current, topics: current.topics.map((t) => (t.name === changed.name ? changed : t)) });
  }

  /** Reads every config of `name`; an answer for a topic asked before another is dropped. */
  async function loadConfigs(name: string): Promise<void> {
    const mine = ++sequence;
    if (topic.value !== name) entries.value = [];
    topic.value = name;
    loading.value = true;
    error.value = null;
    try {
      const answer = await engineApi().query('describeConfigs', { resource: { type: 'topic', name } });
      if (mine === sequence) entries.value = answer.entries;
    } catch (caught) {
      if (mine === sequence) error.value = shownError(caught);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /** Sets and removes overrides (kafka-configs --alter), then reads the configs again. Throws the engine's refusal. */
  async function alterConfigs(request: CommandRequest<'alterTopicConfigs'>): Promise<TopicStatus> {
    const changed = await engineApi().command('alterTopicConfigs', request);
    foldIn(changed);
    await loadConfigs(request.name);
    return changed;
  }

  /** Adds partitions (kafka-topics --alter --partitions). Throws the engine's refusal. */
  async function createPartitions(request: CommandRequest<'createPartitions'>): Promise<TopicStatus> {
    const changed = await engineApi().command('createPartitions', request);
    foldIn(changed);
    return changed;
  }

  function forget(): void {
    sequence++;
    topic.value = null;
    entries.value = [];
    loading.value = false;
    error.value = null;
  }

  return { topic, entries, loading, error, loadConfigs, alterConfigs, createPartitions, forget };
});
