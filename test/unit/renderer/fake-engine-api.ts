/**
 * A scripted EngineApi for renderer store tests: answers by name from handlers the test gives,
 * refuses like the engine (EngineApiError with a Kafka error name), and lets the test push
 * clusterStatus events.
 */
import type { EngineApi } from '../../../engine/api/client';
import type { BrokerStatus, ClusterStatus, PartitionStatus, TopicStatus } from '../../../engine/api/dto';
import type { ApiError } from '../../../engine/api/errors';
import { EngineApiError } from '../../../renderer/src/api/engine-api';

type Handler = (request: unknown) => unknown;

export interface FakeEngine {
  readonly api: EngineApi;
  readonly calls: { kind: 'command' | 'query'; name: string; request: unknown }[];
  on(name: string, handler: Handler): void;
  emitStatus(status: ClusterStatus): void;
  readonly subscriberCount: () => number;
}

export function refusal(name: ApiError['name'], message: string, code = 0): EngineApiError {
  return new EngineApiError({ name, code, message });
}

export function fakeEngine(): FakeEngine {
  const handlers = new Map<string, Handler>();
  const listeners = new Set<(status: ClusterStatus) => void>();
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
    subscribe: (_event, listener) => {
      const typed = listener as (status: ClusterStatus) => void;
      listeners.add(typed);
      return () => listeners.delete(typed);
    },
  };
  return {
    api,
    calls,
    on: (name, handler) => handlers.set(name, handler),
    emitStatus: (status) => {
      for (const listener of listeners) listener(status);
    },
    subscriberCount: () => listeners.size,
  };
}

export function broker(id: number, overrides: Partial<BrokerStatus> = {}): BrokerStatus {
  return { id, host: 'localhost', port: 9091 + id, rack: null, state: 'running', fenced: false, isController: false, leaderCount: 0, replicaCount: 0, ...overrides };
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
  return { clusterId: 'test-cluster-id', controllerId, quorum: { voters: brokers.slice(0, 3).map((b) => b.id), majority: 2 }, brokers, topics, nowMs: 1_700_000_000_000, clock: { running: true, speed: 1, nowMs: 1_700_000_000_000 } };
}
