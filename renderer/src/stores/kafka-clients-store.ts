/**
 * The Kafka listeners and the real clients connected to them, read every few seconds while the
 * Cluster view shows them (there is no event for them: clients come and go between requests).
 * Answers older than a later read are dropped.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { KafkaListenersDto } from '../../../engine/api/kafka-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';

export const useKafkaClientsStore = defineStore('kafkaClients', () => {
  const state = shallowRef<KafkaListenersDto | null>(null);
  const error = shallowRef<ShownError | null>(null);
  let reading = 0;

  async function refresh(): Promise<void> {
    const mine = ++reading;
    try {
      const answer = await engineApi().query('kafkaListeners', {});
      if (mine !== reading) return;
      state.value = answer;
      error.value = null;
    } catch (caught) {
      if (mine === reading) error.value = shownError(caught);
    }
  }

  return { state, error, refresh };
});
