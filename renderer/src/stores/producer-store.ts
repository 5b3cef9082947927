/** The produce form's last outcome: the partition and offset Kafka assigned, or the refusal. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { CommandRequest, CommandResponse } from '../../../engine/api/contract';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';

export type AcksSetting = '0' | '1' | 'all';

export interface ProduceOutcome {
  readonly result: CommandResponse<'produceRecord'>;
  readonly acks: AcksSetting;
}

export const useProducerStore = defineStore('producer', () => {
  const sending = ref(false);
  const lastOutcome = shallowRef<ProduceOutcome | null>(null);
  const error = shallowRef<ShownError | null>(null);

  async function produce(request: CommandRequest<'produceRecord'> & { acks: AcksSetting }): Promise<ProduceOutcome | null> {
    sending.value = true;
    error.value = null;
    // The last answer belongs to the last record; while this one travels there is none to show.
    lastOutcome.value = null;
    try {
      const result = await engineApi().command('produceRecord', request);
      lastOutcome.value = { result, acks: request.acks };
      return lastOutcome.value;
    } catch (caught) {
      lastOutcome.value = null;
      error.value = shownError(caught);
      return null;
    } finally {
      sending.value = false;
    }
  }

  function reset(): void {
    lastOutcome.value = null;
    error.value = null;
  }

  return { sending, lastOutcome, error, produce, reset };
});
