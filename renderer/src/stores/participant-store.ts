/**
 * The learner's name as the engine remembers it (the history's settings): read once, changed
 * through `setParticipant`. Labs ask for it before the first start; reports print it.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';

export const useParticipantStore = defineStore('participant', () => {
  /** undefined: not read yet; null: never given. */
  const participant = ref<string | null | undefined>(undefined);
  const error = shallowRef<ShownError | null>(null);

  async function load(): Promise<string | null> {
    try {
      const answer = await engineApi().query('participant', {});
      participant.value = answer.participant;
      error.value = null;
      return answer.participant;
    } catch (caught) {
      error.value = shownError(caught);
      return null;
    }
  }

  /** Saves the name; the engine refuses an empty or too long one with its reason (thrown). */
  async function save(name: string): Promise<void> {
    const answer = await engineApi().command('setParticipant', { participant: name });
    participant.value = answer.participant;
  }

  return { participant, error, load, save };
});
