/**
 * The labs the app offers, each with its last run, and the problems of lab files that did not load
 * (for the instructor who wrote them). Read with the `labs` query when the Labs view opens and
 * again whenever a run changes step (the list shows each lab's progress).
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { LabCatalogueDto } from '../../../engine/api/labs-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';

export const useLabCatalogueStore = defineStore('labCatalogue', () => {
  const catalogue = shallowRef<LabCatalogueDto | null>(null);
  const error = shallowRef<ShownError | null>(null);
  let reading = 0;

  /** Reads the list; an answer older than a later read is dropped. */
  async function refresh(): Promise<void> {
    const mine = ++reading;
    try {
      const answer = await engineApi().query('labs', {});
      if (mine === reading) {
        catalogue.value = answer;
        error.value = null;
      }
    } catch (caught) {
      if (mine === reading) error.value = shownError(caught);
    }
  }

  return { catalogue, error, refresh };
});
