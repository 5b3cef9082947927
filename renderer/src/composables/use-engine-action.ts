/**
 * A dialog's "do it" button: runs one engine request at a time, says whether it is running, and
 * keeps the engine's refusal (Kafka's error name and message) to show in the dialog.
 */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { shownError, type ShownError } from '../domain/engine-error';

export interface EngineAction {
  readonly busy: Ref<boolean>;
  readonly engineError: ShallowRef<ShownError | null>;
  /** Runs `request` unless one is running; its answer when it succeeded, null otherwise. */
  run<T>(request: () => Promise<T>): Promise<{ readonly value: T } | null>;
  /** Forgets the running state and the last error (the dialog now shows something else). */
  reset(): void;
}

export function useEngineAction(): EngineAction {
  const busy = ref(false);
  const engineError = shallowRef<ShownError | null>(null);
  return {
    busy,
    engineError,
    async run(request) {
      if (busy.value) return null;
      busy.value = true;
      engineError.value = null;
      try {
        return { value: await request() };
      } catch (error) {
        engineError.value = shownError(error);
        return null;
      } finally {
        busy.value = false;
      }
    },
    reset() {
      busy.value = false;
      engineError.value = null;
    },
  };
}
