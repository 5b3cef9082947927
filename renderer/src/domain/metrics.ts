/**
 * The engine's metrics as the renderer keeps them: series rebuilt from a snapshot and then from
 * the `metrics` deltas, in order of their seq (a delta that does not follow the last one applied
 * means pushes were missed, and the snapshot is read again); each series a ring of at most the
 * engine's capacity; the lag status of every group in Burrow's vocabulary, with the rule that
 * decided it and the window of samples behind it. The state is plain data mutated in place by the
 * store (and only by it), so applying ten deltas a second copies nothing.
 */
import type { GroupLagStatus, MetricsDelta, MetricsSnapshot, PartitionLagStatus, SeriesKey } from '../../../engine/api/metrics-dto';

export interface SeriesRing {
  readonly id: number;
  readonly key: SeriesKey;
  /** Sample instants (engine ms), oldest first. */
  readonly t: number[];
  readonly v: (number | null)[];
}

export interface MetricsState {
  seq: number;
  nowMs: number;
  sampleIntervalMs: number;
  /** Points per series: the engine's ring capacity, within the renderer's own bound. */
  capacity: number;
  readonly series: Map<number, SeriesRing>;
  /** Series id by key (seriesKeyText), for a chart that asks for "lag of inventory on orders-0". */
  readonly byKey: Map<string, number>;
  readonly lagStatus: Map<string, GroupLagStatus>;
}

export interface MetricsBounds {
  readonly seriesMax: number;
  readonly pointsPerSeriesMax: number;
}

/** One text per series key, the same for equal keys whatever the order of their fields. */
export function seriesKeyText(key: SeriesKey): string {
  switch (key.scope) {
    case 'partition':
      return `partition\u0000${key.topic}\u0000${key.partition}\u0000${key.metric}`;
    case 'group':
      return `group\u0000${key.groupId}\u0000${key.topic}\u0000${key.partition}\u0000${key.metric}`;
    case 'producer':
      return `producer\u0000${key.clientId}\u0000${key.metric}`;
    case 'service':
      return `service\u0000${key.replicaId}\u0000${key.metric}`;
  }
}

export function stateFromSnapshot(snapshot: MetricsSnapshot, bounds: MetricsBounds): MetricsState {
  const capacity = Math.max(1, Math.min(snapshot.ringCapacity, bounds.pointsPerSeriesMax));
  const state: MetricsState = {
    seq: snapshot.seq,
    nowMs: snapshot.nowMs,
    sampleIntervalMs: snapshot.sampleIntervalMs,
    capacity,
    series: new Map(),
    byKey: new Map(),
    lagStatus: new Map(snapshot.lagStatus.map((g) => [g.groupId, g])),
  };
  for (const s of snapshot.series) {
    if (!addSeries(state, s.id, s.key, bounds)) continue;
    const ring = state.series.get(s.id)!;
    const count = Math.min(s.t.length, s.v.length);
    const from = Math.max(0, count - capacity);
    ring.t.push(...s.t.slice(from, count));
    ring.v.push(...s.v.slice(from, count));
  }
  return state;
}

export type DeltaVerdict = 'apply' | 'stale' | 'gap';

/**
 * apply: the next push; stale: one already applied or older than the snapshot (a late listener
 * gets the latest push again; pushes held while the snapshot was read), at most `staleWindow`
 * behind; gap: pushes were missed, or the seq fell further back than any push held could be (the
 * engine started over), and only a new snapshot can say what the series hold.
 */
export function classifyDelta(state: Pick<MetricsState, 'seq'>, delta: Pick<MetricsDelta, 'seq'>, staleWindow: number): DeltaVerdict {
  if (delta.seq === state.seq + 1) return 'apply';
  if (delta.seq <= state.seq && delta.seq >= state.seq - staleWindow) return 'stale';
  return 'gap';
}

/** Applies the next push (classifyDelta said 'apply'); rings drop their oldest points past the capacity. */
export function applyDelta(state: MetricsState, delta: MetricsDelta, bounds: MetricsBounds): void {
  for (const id of delta.removed) removeSeries(state, id);
  for (const added of delta.added) addSeries(state, added.id, added.key, bounds);
  const rings = delta.columns.map((id) => state.series.get(id) ?? null);
  for (const sample of delta.samples) {
    rings.forEach((ring, column) => {
      if (ring === null) return;
      // The snapshot already held samples up to its instant: the first delta after it may repeat some.
      if (ring.t.length > 0 && sample.tMs <= ring.t[ring.t.length - 1]!) return;
      ring.t.push(sample.tMs);
      ring.v.push(sample.values[column] ?? null);
    });
  }
  for (const ring of rings) if (ring !== null) trimRing(ring, state.capacity);
  // NOTFOUND: the group went away (deleted, or its offsets expired).
  for (const group of delta.lagStatus) {
    if (group.status === 'NOTFOUND') state.lagStatus.delete(group.groupId);
    else state.lagStatus.set(group.groupId, group);
  }
  state.seq = delta.seq;
  state.nowMs = delta.nowMs;
}

function addSeries(state: MetricsState, id: number, key: SeriesKey, bounds: MetricsBounds): boolean {
  if (state.series.has(id)) return true;
  if (state.series.size >= bounds.seriesMax) return false;
  state.series.set(id, { id, key, t: [], v: [] });
  state.byKey.set(seriesKeyText(key), id);
  return true;
}

function removeSeries(state: MetricsState, id: number): void {
  const ring = state.series.get(id);
  if (ring === undefined) return;
  state.series.delete(id);
  state.byKey.delete(seriesKeyText(ring.key));
}

function trimRing(ring: SeriesRing, capacity: number): void {
  const excess = ring.t.length - capacity;
  if (excess <= 0) return;
  ring.t.splice(0, excess);
  ring.v.splice(0, excess);
}

// ---------------------------------------------------------------------------------------------
// Lag status

export type PartitionLagCode = PartitionLagStatus['status'];
export type GroupLagCode = GroupLagStatus['status'];
export type LagCode = PartitionLagCode | GroupLagCode;
export type LagTone = 'success' | 'warning' | 'danger' | 'neutral';

/** Burrow's codes: OK green, WARN amber, ERR and what rolls up to it (STOP, STALL, REWIND) red, NOTFOUND grey. */
export function lagTone(code: LagCode): LagTone {
  switch (code) {
    case 'OK':
      return 'success';
    case 'WARN':
      return 'warning';
    case 'ERR':
    case 'STOP':
    case 'STALL':
    case 'REWIND':
      return 'danger';
    case 'NOTFOUND':
      return 'neutral';
  }
}

/** The key the Groups view's describe rows use for a partition ("topic\0partition"). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** A group's partition statuses by partitionKey. */
export function partitionStatuses(group: GroupLagStatus | null): Map<string, PartitionLagStatus> {
  return new Map((group?.partitions ?? []).map((p) => [partitionKey(p.topic, p.partition), p]));
}

/** "2.4/s", "0/s": a consume rate with one decimal. */
export function formatRate(perSec: number | null, locale: string): string {
  if (perSec === null) return '-';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(perSec)}/s`;
}
