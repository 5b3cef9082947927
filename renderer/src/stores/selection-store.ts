/**
 * Which topic the user is looking at, shared by the Cluster and Topics views so switching views
 * keeps the context. Without an explicit choice (or once the chosen topic is deleted) the first
 * listed topic is shown, so a view never sits empty next to a cluster that has topics.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TopicStatus } from '../../../engine/api/dto';
import { useClusterStore } from './cluster-store';

export const useSelectionStore = defineStore('selection', () => {
  const cluster = useClusterStore();
  const topicName = ref<string | null>(null);
  const includeInternal = ref(false);

  const listedTopics = computed<TopicStatus[]>(() => (includeInternal.value ? cluster.topics : cluster.userTopics));
  const selectedTopic = computed<TopicStatus | null>(
    () => listedTopics.value.find((t) => t.name === topicName.value) ?? listedTopics.value[0] ?? null,
  );

  function selectTopic(name: string): void {
    topicName.value = name;
  }

  function setIncludeInternal(include: boolean): void {
    includeInternal.value = include;
  }

  return { topicName, includeInternal, listedTopics, selectedTopic, selectTopic, setIncludeInternal };
});
