/**
 * What the lab runner needs from the engine: the contract (through the gateway, so a lab's actions
 * are validated exactly like the UI's), engine time, and a way to let time pass. The autopilot's
 * implementation runs a simulation as fast as the CPU allows; the app's moves the live clock.
 * Also the check facts (lab-checks.ts) read through the same contract.
 */
import type { ClusterStatus } from '../api/dto.js';
import type { Envelope } from '../api/errors.js';
import type { GroupDetail } from '../api/groups-dto.js';
import type { MetricsSnapshot, TimelineEntry } from '../api/metrics-dto.js';
import type { ServicesSnapshot } from '../api/services-dto.js';
import type { ConsoleOutput } from '../api/console-dto.js';
import type { CheckFacts, ConsoleLine, RecordedOutcome } from './lab-checks.js';
import { labLimits } from './lab-limits.js';
import { errorsInToolOutput } from './tool-errors.js';

export interface LabEngine {
  call(kind: 'command' | 'query', name: string, payload: unknown): Promise<Envelope<unknown>>;
  nowMs(): number;
  /** Lets `durationMs` of engine time pass (every timer in it fires). */
  advance(durationMs: number): Promise<void>;
  /**
   * A lab's wait action ("wait two minutes"): engine time jumps ahead by `durationMs` at once, as
   * the clock bar's skip does (in a simulation the same as advance).
   */
  skip(durationMs: number): Promise<void>;
  /** The console sessions of the lab's cluster (the lab's own and the ones the learner opened). */
  consoleSessionIds(): readonly string[];
}

/** A call that must succeed (a query the runner relies on); a failure is a bug, named with its error. */
export async function must<T>(engine: LabEngine, kind: 'command' | 'query', name: string, payload: unknown): Promise<T> {
  const answer = await engine.call(kind, name, payload);
  if (!answer.ok) throw new Error(`${kind} ${name} failed: ${answer.error.name}: ${answer.error.message}`);
  return answer.value as T;
}

export interface RunMemory {
  readonly startedAtMs: number;
  actionErrors(): readonly string[];
  recorded(name: string): RecordedOutcome | undefined;
}

/**
 * Check facts read through the contract, each read at most once per evaluation round (a step's
 * checks share one clusterStatus, one services snapshot...).
 */
export function contractFacts(engine: LabEngine, memory: RunMemory, consoleFromLine: (session: string) => number = () => 0): CheckFacts {
  const once = new Map<string, Promise<unknown>>();
  const read = <T>(name: string, payload: unknown, cacheKey = name): Promise<T> => {
    let pending = once.get(cacheKey);
    if (pending === undefined) {
      pending = must<T>(engine, 'query', name, payload);
      once.set(cacheKey, pending);
    }
    return pending as Promise<T>;
  };
  return {
    startedAtMs: memory.startedAtMs,
    clusterStatus: () => read<ClusterStatus>('clusterStatus', {}),
    group: async (groupId) => {
      const groups = await read<{ groups: { groupId: string }[] }>('listGroups', {});
      if (!groups.groups.some((g) => g.groupId === groupId)) return null;
      return read<GroupDetail>('describeGroup', { groupId }, `describeGroup:${groupId}`);
    },
    lagStatus: async (groupId) => (await read<MetricsSnapshot>('metricsSnapshot', {})).lagStatus.find((g) => g.groupId === groupId) ?? null,
    services: () => read<ServicesSnapshot>('services', {}),
    timeline: async () => {
      const list = await read<{ entries: TimelineEntry[] }>('timeline', { afterId: 0, limit: 5000 });
      return list.entries.filter((e) => e.atMs >= memory.startedAtMs);
    },
    keys: async (topic, partition) => {
      const keys: (string | null)[] = [];
      const status = await read<ClusterStatus>('clusterStatus', {});
      let offset = status.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partition === partition)?.logStartOffset ?? 0;
      // Bounded: pages of readRecords up to the high watermark or the per-partition read bound.
      while (keys.length < labLimits.checkRecordsPerPartitionMax) {
        const page = await must<{ records: { key: string | null }[]; nextOffset: number; highWatermark: number }>(engine, 'query', 'readRecords', { topic, partition, offset, maxRecords: 1000 });
        for (const record of page.records) keys.push(record.key);
        if (page.records.length === 0 || page.nextOffset >= page.highWatermark) break;
        offset = page.nextOffset;
      }
      return keys;
    },
    consoleLines: async (session) => {
      const lines: ConsoleLine[] = [];
      for (const id of session === undefined ? engine.consoleSessionIds() : [session]) {
        const output = await engine.call('query', 'consoleOutput', { sessionId: id, afterLine: consoleFromLine(id) });
        if (output.ok) for (const l of (output.value as ConsoleOutput).lines) lines.push({ stream: l.stream, text: l.text });
      }
      return lines;
    },
    errors: async () => {
      // Engine commands' errors as the runner recorded them, and every Kafka error a console tool
      // printed in this lab's cluster (console sessions belong to the lab's own workbench).
      const printed: string[] = [];
      for (const session of engine.consoleSessionIds()) {
        const output = await engine.call('query', 'consoleOutput', { sessionId: session, afterLine: 0 });
        if (output.ok) printed.push(...errorsInToolOutput((output.value as ConsoleOutput).lines.filter((l) => l.stream !== 'in').map((l) => l.text)));
      }
      return [...memory.actionErrors(), ...printed];
    },
    recorded: (name) => memory.recorded(name),
  };
}
