/**
 * Turns a failed request into what the UI shows. Engine refusals keep Kafka's error name and
 * Kafka's English message untouched (a learner can search for them); anything else (a bug, say)
 * is shown with its message under a translated heading.
 */
import { EngineApiError } from '../api/engine-api';

export interface ShownError {
  /** Kafka's error name (e.g. TOPIC_ALREADY_EXISTS), or null when the engine never answered. */
  readonly errorName: string | null;
  readonly message: string;
}

export function shownError(error: unknown): ShownError {
  if (error instanceof EngineApiError) return { errorName: error.errorName, message: error.message };
  if (error instanceof Error) return { errorName: null, message: error.message };
  return { errorName: null, message: String(error) };
}
