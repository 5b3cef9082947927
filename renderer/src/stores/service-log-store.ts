/**
 * The consoles of the service replicas, read incrementally: each read asks the serviceLog query
 * for the lines after the ones already here (afterLine) and appends them, so a replica that logs
 * ten lines costs ten lines, not its whole log again. Each log keeps at most
 * rendererLimits.serviceLogLinesMax lines (the oldest drop off the top), and at most
 * rendererLimits.serviceLogsKeptMax replicas' logs are kept (the least recently read goes).
 *
 * One read per replica travels at a time; asks while it travels fold into one more read. An answer
 * for a log that was forgotten meanwhile is dropped.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { rendererLimits } from '../domain/renderer-limits';
import { EMPTY_LOG, logHasNews, mergeLogChunk, type LogBuffer } from '../domain/service-log';

export const useServiceLogStore = defineStore('service-log', () => {
  /** Insertion order is recency: the first entry is the least recently read. */
  const logs = shallowRef<ReadonlyMap<string, LogBuffer>>(new Map());
  const errors = shallowRef<ReadonlyMap<string, ShownError>>(new Map());
  const reading = new Set<string>();
  const again = new Set<string>();
  /** Bumped when a log is forgotten, so its answers in flight are dropped. */
  const generations = new Map<string, number>();

  function log(replicaId: string): LogBuffer | null {
    return logs.value.get(replicaId) ?? null;
  }

  function error(replicaId: string): ShownError | null {
    return errors.value.get(replicaId) ?? null;
  }

  function keep(replicaId: string, buffer: LogBuffer): void {
    const next = new Map(logs.value);
    next.delete(replicaId);
    next.set(replicaId, buffer);
    for (const oldest of next.keys()) {
      if (next.size <= rendererLimits.serviceLogsKeptMax) break;
      next.delete(oldest);
      generations.set(oldest, (generations.get(oldest) ?? 0) + 1);
    }
    logs.value = next;
  }

  function setError(replicaId: string, shown: ShownError | null): void {
    if (shown === null && !errors.value.has(replicaId)) return;
    const next = new Map(errors.value);
    if (shown === null) next.delete(replicaId);
    else next.set(replicaId, shown);
    errors.value = next;
  }

  async function readOnce(replicaId: string): Promise<void> {
    const generation = generations.get(replicaId) ?? 0;
    const buffer = log(replicaId) ?? EMPTY_LOG;
    try {
      const chunk = await engineApi().query('serviceLog', { replicaId, afterLine: buffer.nextLine });
      if ((generations.get(replicaId) ?? 0) !== generation) return;
      // Another read may have landed meanwhile: merge into what is here now.
      const before = log(replicaId) ?? EMPTY_LOG;
      const merged = mergeLogChunk(before, chunk, rendererLimits.serviceLogLinesMax);
      if (merged !== log(replicaId)) keep(replicaId, merged);
      setError(replicaId, null);
      // The engine answers a page at a time, and a log that started over is read again from 0;
      // a read that moved nothing does not repeat.
      if (merged.nextLine < chunk.totalLines && merged.nextLine !== before.nextLine) again.add(replicaId);
    } catch (caught) {
      if ((generations.get(replicaId) ?? 0) !== generation) return;
      setError(replicaId, shownError(caught));
    }
  }

  /** Reads the lines the replica logged since the last read. */
  async function refresh(replicaId: string): Promise<void> {
    if (reading.has(replicaId)) {
      again.add(replicaId);
      return;
    }
    reading.add(replicaId);
    try {
      do {
        again.delete(replicaId);
        await readOnce(replicaId);
      } while (again.has(replicaId));
    } finally {
      reading.delete(replicaId);
    }
  }

  /** Reads when the replica's line count (from the services snapshot) says there is something new. */
  function follow(replicaId: string, logLines: number): void {
    if (logHasNews(log(replicaId), logLines)) void refresh(replicaId);
  }

  function forget(replicaId: string): void {
    generations.set(replicaId, (generations.get(replicaId) ?? 0) + 1);
    again.delete(replicaId);
    if (logs.value.has(replicaId)) {
      const next = new Map(logs.value);
      next.delete(replicaId);
      logs.value = next;
    }
    setError(replicaId, null);
  }

  return { logs, errors, log, error, refresh, follow, forget };
});
