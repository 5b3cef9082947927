/**
 * A scripted EngineApi for renderer store tests: answers by name from handlers the test gives,
 * refuses like the engine (EngineApiError with a Kafka error name), and lets the test push
 * events (clusterStatus, groups) to the listeners of that event.
 */
import type { EngineApi } from '../../../engine/api/client';
import type { EventName, EventPayload } from '../../../engine/api/contract';
import type { BrokerStatus, ClusterStatus, PartitionStatus, TopicStatus } from '../../../engine/api/dto';
import type { ApiError } from '../../../engine/api/errors';
import { EngineApiError } from '../../../renderer/src/api/engine-api';

type Handler = (request: unknown) => unknown;

export interface FakeEngine {
  readonly api: EngineApi;
  readonly calls: { kind: 'command' | 'query'; name: string; request: unknown }[];
  on(name: string, handler: Handler): void;
  emitStatus(status: ClusterStatus): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Listeners of one event, or of all events without a name. */
  readonly subscriberCount: (event?: EventName) => number;
}

export function refusal(name: ApiError['name'], message: string, code = 0): EngineApiError {
  return new EngineApiError({ name, code, message });
}

export function fakeEngine(): FakeEngine {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: FakeEngine['calls'] = [];
  const run = async (kind: 'command' | 'query', name: string, request: unknown): Promise<never> => {
    calls.push({ kind, name, request });
    const handler = handlers.get(name);
    if (handler === undefined) throw new Error(`no fake handler for ${kind} ${name}`);
    return (await handler(request)) as never;
  };
  const api: EngineApi = {
    command: (name, request) => run('command', name, request),
    query: (name, request) => run('query', name, request),
    subscribe: (event, listener) => {
      const typed = listener as (payload: unknown) => void;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(typed);
      return () => set.delete(typed);
    },
  };
  const emit = (event: EventName, payload: unknown): void => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  };
  return {
    api,
    calls,
    on: (name, handler) => handlers.set(name, handler),
    emitStatus: (status) => emit('clusterStatus', status),
    emit: (event, payload) => emit(event, payload),
    subscriberCount: (event) =>
      event === undefined ? [...listeners.values()].reduce((sum, set) => sum + set.size, 0) : (listeners.get(event)?.size ?? 0),
  };
}

export function broker(id: number, overrides: Partial<BrokerStatus> = {}): BrokerStatus {
  return { id, host: 'localhost', port: 9091 + id, rack: null, state: 'running', fenced: false, isController: false, leaderCount: 0, replicaCount: 0, diskUsedBytes: 0, ...overrides };
}

export function partition(id: number, replicas: number[], isr: number[] = replicas, offsets: Partial<PartitionStatus> = {}): PartitionStatus {
  return {
    partition: id,
    leader: isr[0] ?? null,
    leaderEpoch: 0,
    replicas,
    isr,
    logStartOffset: 0,
    logEndOffset: 0,
    highWatermark: 0,
    replicaOffsets: replicas.map((brokerId) => ({ brokerId, logEndOffset: offsets.logEndOffset ?? 0, highWatermark: offsets.highWatermark ?? 0 })),
    ...offsets,
  };
}

export function topic(name: string, partitions: PartitionStatus[], overrides: Partial<TopicStatus> = {}): TopicStatus {
  return { name, topicId: `id-${name}`, internal: false, replicationFactor: partitions[0]?.replicas.length ?? 0, configs: {}, partitions, ...overrides };
}

export function status(brokers: BrokerStatus[], topics: TopicStatus[], controllerId: number | null = brokers[0]?.id ?? null): ClusterStatus {
  return { clusterId: 'test-cluster-id', controllerId, quorum: { voters: brokers.slice(0, 3).map((b) => b.id), majority: 2, leaderEpoch: 1, metadataOffset: 10, replicas: brokers.map((b) => ({ brokerId: b.id, metadataOffset: 10 })) }, brokers, topics, nowMs: 1_700_000_000_000, clock: { running: true, speed: 1, nowMs: 1_700_000_000_000 } };
}
