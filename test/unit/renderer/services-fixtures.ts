/**
 * Payloads for the Services, Faults and lag status tests, shaped as the engine's `services`,
 * `faults`, `metrics` and `timeline` streams and queries deliver them: the seed's lab (topic
 * labshoppubsub with one partition, order-1 and two inventory replicas, one of them idle), the
 * fault catalogue, and group "inventory" with a stalled partition.
 */
import type { FaultCatalogue, FaultStatus, FaultsSnapshot, PresetRun } from '../../../engine/api/faults-dto';
import type { GroupLagStatus, MetricsDelta, MetricsSnapshot, PartitionLagStatus, TimelineEntry } from '../../../engine/api/metrics-dto';
import type { BusinessFigures, ServiceReplica, ServiceSettings, ServicesSnapshot } from '../../../engine/api/services-dto';

export const T0 = new Date(2025, 4, 6, 7, 8, 9, 10).getTime();
export const TOPIC = 'labshoppubsub';

export function settings(overrides: { order?: Partial<ServiceSettings['order']>; inventory?: Partial<ServiceSettings['inventory']> } = {}): ServiceSettings {
  return {
    order: { topic: TOPIC, key: 'none', partitioner: 'default', acks: 'all', enableIdempotence: true, lingerMs: 0, deliveryTimeoutMs: 120_000, ...overrides.order },
    inventory: {
      topic: TOPIC,
      groupId: 'inventory',
      store: 'per-replica',
      processingMsPerRecord: 0,
      commitMode: 'auto',
      dedupeByOrderId: false,
      assignor: 'range',
      autoOffsetReset: 'latest',
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      maxPollIntervalMs: 300_000,
      maxPollRecords: 500,
      ...overrides.inventory,
    },
  };
}

export function replica(replicaId: string, overrides: Partial<ServiceReplica> = {}): ServiceReplica {
  const service = replicaId.startsWith('order') ? 'order' : 'inventory';
  return {
    replicaId,
    service,
    state: 'running',
    port: null,
    clientId: replicaId,
    memberId: service === 'inventory' ? `${replicaId}-3f2a9c1e-0b4d-4c7a-9a51-7d2e8f6b1c20` : null,
    assignment: [],
    processed: 0,
    processingMsPerRecord: 0,
    stock: [],
    stateReason: null,
    startedAtMs: T0,
    logLines: 0,
    ...overrides,
  };
}

export function figures(overrides: Partial<BusinessFigures> = {}): BusinessFigures {
  return {
    ordersPlaced: 0,
    ordersAcknowledged: 0,
    ordersFailed: 0,
    ordersInFlight: 0,
    ordersProcessed: 0,
    duplicates: 0,
    duplicatesSkipped: 0,
    lost: 0,
    pending: 0,
    stockStatus: 'consistent',
    stockReason: 'Stock equals what the 0 acknowledged orders imply.',
    lostOrders: [],
    ...overrides,
  };
}

/** The seed after "inventory 2 서비스 시작": inventory-1 owns the only partition, inventory-2 is idle. */
export function seedReplicas(): ServiceReplica[] {
  return [
    replica('inventory-2'),
    replica('order-1', { processed: 4 }),
    replica('inventory-1', { assignment: [{ topic: TOPIC, partition: 0 }], processed: 4, stock: [{ productId: 1, stock: 6 }] }),
  ];
}

export function servicesSnapshot(overrides: Partial<ServicesSnapshot> = {}): ServicesSnapshot {
  return {
    nowMs: T0,
    settings: settings(),
    ports: { enabled: false, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082, error: null },
    replicas: seedReplicas(),
    figures: figures(),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Faults

export function catalogue(): FaultCatalogue {
  const kind = (k: FaultCatalogue['kinds'][number]['kind'], targetType: FaultCatalogue['kinds'][number]['targetType'], params: FaultCatalogue['kinds'][number]['params'] = []) => ({
    kind: k,
    targetType,
    description: `engine description of ${k}`,
    undo: `engine undo of ${k}`,
    params,
  });
  return {
    kinds: [
      kind('client-crash', 'client'),
      kind('broker-crash', 'broker'),
      kind('link-slow', 'link', [
        { name: 'latencyMs', defaultValue: 100, min: 0, max: 60_000 },
        { name: 'lossRate', defaultValue: 0, min: 0, max: 1 },
      ]),
      kind('quorum-majority-lost', 'quorum'),
      kind('broker-pause', 'broker'),
      kind('client-slow', 'client', [{ name: 'processingMsPerRecord', defaultValue: 1000, min: 1, max: 3_600_000 }]),
    ],
    presets: [
      { presetId: 'acks1-failover-loss', title: 'Engine: acks=1 failover', lesson: 'Engine lesson about acks=1.', source: 'KIP-101', targetType: 'partition', durationMs: 30_000 },
      { presetId: 'consumer-crash-no-leave', title: 'Engine: crash without LeaveGroup', lesson: 'Engine lesson about LeaveGroup.', source: 'Kafka group protocol', targetType: 'client', durationMs: 60_000 },
      { presetId: 'quorum-majority-lost', title: 'Engine: quorum', lesson: 'Engine lesson about the quorum.', source: 'KIP-595', targetType: 'cluster', durationMs: 20_000 },
    ],
  };
}

export function fault(faultId: number, overrides: Partial<FaultStatus> = {}): FaultStatus {
  return {
    faultId,
    target: { kind: 'broker-crash', brokerId: 2 },
    state: 'active',
    description: 'Broker 2 crashes (kill -9): no controlled shutdown.',
    presetRunId: null,
    startsAtMs: T0,
    endsAtMs: T0 + 30_000,
    startedAtMs: T0,
    endedAtMs: null,
    error: null,
    ...overrides,
  };
}

export function presetRun(presetRunId: number, overrides: Partial<PresetRun> = {}): PresetRun {
  return {
    presetRunId,
    presetId: 'consumer-crash-no-leave',
    startedAtMs: T0,
    endedAtMs: null,
    target: 'inventory-1',
    steps: [
      { atMs: 0, description: 'Crash inventory-1 without LeaveGroup', state: 'done', error: null },
      { atMs: 45_000, description: 'The coordinator expires inventory-1 (session.timeout.ms)', state: 'pending', error: null },
    ],
    ...overrides,
  };
}

export function faultsSnapshot(overrides: Partial<FaultsSnapshot> = {}): FaultsSnapshot {
  return { nowMs: T0, active: [], recent: [], presetRuns: [], ...overrides };
}

// ---------------------------------------------------------------------------------------------
// Metrics and timeline

export function partitionStatus(partition: number, overrides: Partial<PartitionLagStatus> = {}): PartitionLagStatus {
  return {
    topic: 'orders',
    partition,
    status: 'OK',
    rule: 'lag-zero',
    reason: 'The lag is 0.',
    window: [],
    currentLag: 0,
    timeLagMs: null,
    consumeRatePerSec: 0,
    etaMs: 0,
    retentionWarning: null,
    ...overrides,
  };
}

export function groupStatus(groupId: string, partitions: PartitionLagStatus[], overrides: Partial<GroupLagStatus> = {}): GroupLagStatus {
  return { groupId, status: 'OK', totalLag: 0, maxLag: null, complete: 1, partitions, ...overrides };
}

export function metricsSnapshot(overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    seq: 10,
    nowMs: T0,
    sampleIntervalMs: 1000,
    ringCapacity: 4,
    series: [
      { id: 1, key: { scope: 'partition', topic: 'orders', partition: 0, metric: 'logEndOffset' }, t: [T0 - 1000, T0], v: [5, 6] },
      { id: 2, key: { scope: 'group', groupId: 'inventory', topic: 'orders', partition: 0, metric: 'lag' }, t: [T0 - 1000, T0], v: [1, null] },
    ],
    lagStatus: [groupStatus('inventory', [partitionStatus(0)])],
    ...overrides,
  };
}

/** The push after `seq - 1`: one sample per series of `columns`. */
export function metricsDelta(seq: number, overrides: Partial<MetricsDelta> = {}): MetricsDelta {
  const tMs = T0 + (seq - 10) * 1000;
  return { seq, nowMs: tMs, added: [], removed: [], columns: [1, 2], samples: [{ tMs, values: [seq, seq * 10] }], lagStatus: [], ...overrides };
}

export function timelineEntry(id: number, overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id,
    atMs: T0 + id * 1000,
    endMs: null,
    kind: 'fault',
    severity: 'warn',
    code: 'fault.broker-crash.started',
    params: { brokerId: 2 },
    text: `Broker 2 crashed (entry ${id})`,
    ...overrides,
  };
}
