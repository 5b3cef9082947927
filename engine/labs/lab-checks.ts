/**
 * Evaluates the lab check catalogue (lab-checks-schema.ts) against what the engine shows. Facts are
 * read through `CheckFacts` (the contract's queries, read once per evaluation round), so a check
 * sees exactly what the UI and the console see. Every result carries the observed value and the
 * expectation in words, for the lab sheet and the report ("2 members, 1 without partitions" vs
 * "members = 2").
 */
import type { ClusterStatus, TopicStatus } from '../api/dto.js';
import type { GroupDetail } from '../api/groups-dto.js';
import type { GroupLagStatus, TimelineEntry } from '../api/metrics-dto.js';
import type { ServicesSnapshot } from '../api/services-dto.js';
import type { Compare } from './lab-checks-schema.js';
import type { LabCheck } from './lab-schema.js';

export interface ConsoleLine {
  readonly stream: 'in' | 'out' | 'err';
  readonly text: string;
}

/** The outcome of a recorded action (recordAs): ok with its value, or the Kafka error's name. */
export interface RecordedOutcome {
  readonly outcome: 'ok' | string;
  readonly value: unknown;
}

/** A producer or consumer perf test's summary line, parsed. */
export interface PerfSummary {
  /** Null when the run took no measurable engine time (the tool prints Infinity): faster than any timed run. */
  readonly recordsPerSec: number | null;
  readonly avgLatencyMs: number | null;
}

/** "35714.3", or "Infinity" for a run that took no engine time (kept as null: JSON has no Infinity). */
function perfNumber(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export interface CheckFacts {
  clusterStatus(): Promise<ClusterStatus>;
  group(groupId: string): Promise<GroupDetail | null>;
  lagStatus(groupId: string): Promise<GroupLagStatus | null>;
  services(): Promise<ServicesSnapshot>;
  /** Timeline entries since the lab started. */
  timeline(): Promise<readonly TimelineEntry[]>;
  /** Keys (null for none) of a partition's records from its log start, at most `max`. */
  keys(topic: string, partition: number, max: number): Promise<readonly (string | null)[]>;
  /** Lines printed during the current step: in one session, or in every session without one. */
  consoleLines(session: string | undefined): Promise<readonly ConsoleLine[]>;
  /** Kafka errors of this lab so far (engine commands it ran, and what console tools printed), by error name. */
  errors(): Promise<readonly string[]>;
  recorded(name: string): RecordedOutcome | undefined;
  /** When the lab started (engine ms): rebalances and events before it are the setup's. */
  readonly startedAtMs: number;
}

export interface CheckResult {
  readonly passed: boolean;
  /** What the cluster shows, in words with the numbers. */
  readonly observed: string;
  /** What the lesson expects, in words. */
  readonly expected: string;
}

export function compareText(name: string, compare: Compare): string {
  const parts: string[] = [];
  if (compare.equals !== undefined) parts.push(`${name} = ${compare.equals}`);
  if (compare.atLeast !== undefined) parts.push(`${name} ≥ ${compare.atLeast}`);
  if (compare.atMost !== undefined) parts.push(`${name} ≤ ${compare.atMost}`);
  return parts.join(' and ');
}

export function compares(value: number | null, compare: Compare): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  if (compare.equals !== undefined && value !== compare.equals) return false;
  if (compare.atLeast !== undefined && value < compare.atLeast) return false;
  if (compare.atMost !== undefined && value > compare.atMost) return false;
  return true;
}

type Observation = Omit<CheckResult, 'expected'>;

/** One numeric fact against its comparison. */
function numeric(name: string, value: number | null, compare: Compare, observedText?: string): Observation {
  return { passed: compares(value, compare), observed: observedText ?? `${name} = ${value ?? 'none'}` };
}

/** Several numeric facts that must all hold (absent comparisons are skipped). */
function allOf(parts: readonly { name: string; value: number | null; compare: Compare | undefined }[]): Observation {
  const present = parts.filter((p): p is { name: string; value: number | null; compare: Compare } => p.compare !== undefined);
  return { passed: present.every((p) => compares(p.value, p.compare)), observed: present.map((p) => `${p.name} = ${p.value ?? 'none'}`).join(', ') };
}

function missing(what: string): Observation {
  return { passed: false, observed: what };
}

function allOfText(parts: readonly { name: string; compare: Compare | undefined }[]): string {
  return parts
    .filter((p): p is { name: string; compare: Compare } => p.compare !== undefined)
    .map((p) => compareText(p.name, p.compare))
    .join(', ');
}

function findTopic(status: ClusterStatus, topic: string): TopicStatus | undefined {
  return status.topics.find((t) => t.name === topic);
}

/** Perf tools' summary line: "100000 records sent, 35714.3 records/sec (3.41 MB/sec), 45.12 ms avg latency, ...". */
export function parsePerfSummary(lines: readonly string[]): PerfSummary | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const producer = /records sent, (\S+) records\/sec .*?, ([\d.]+) ms avg latency/.exec(line);
    if (producer !== null) return { recordsPerSec: perfNumber(producer[1]!), avgLatencyMs: Number(producer[2]) };
    // kafka-consumer-perf-test's CSV row: start, end, MB, MB/sec, records, records/sec, ...
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length >= 6 && /^\d{4}-\d\d-\d\d /.test(cells[0]!) && Number.isFinite(Number(cells[5]))) return { recordsPerSec: Number(cells[5]), avgLatencyMs: null };
  }
  return null;
}

function perfOf(facts: CheckFacts, name: string): PerfSummary | null {
  const recorded = facts.recorded(name);
  if (recorded === undefined || recorded.outcome !== 'ok') return null;
  const value = recorded.value as Partial<PerfSummary> | null;
  return value !== null && typeof value === 'object' && 'recordsPerSec' in value ? (value as PerfSummary) : null;
}

type Evaluators = { [K in LabCheck['check']]: (check: Extract<LabCheck, { check: K }>, facts: CheckFacts) => Promise<Observation> };

const EVALUATORS: Evaluators = {
  'topic-exists': async (c, facts) => {
    const exists = findTopic(await facts.clusterStatus(), c.topic) !== undefined;
    return { passed: exists === c.exists, observed: exists ? `topic ${c.topic} exists` : `no topic ${c.topic}` };
  },
  'topic-partitions': async (c, facts) => {
    const topic = findTopic(await facts.clusterStatus(), c.topic);
    if (topic === undefined) return missing(`no topic ${c.topic}`);
    return numeric('partitions', topic.partitions.length, c.count);
  },
  'partition-leaders': async (c, facts) => {
    const topic = findTopic(await facts.clusterStatus(), c.topic);
    if (topic === undefined) return missing(`no topic ${c.topic}`);
    const perBroker = new Map<number, number>();
    let withoutLeader = 0;
    for (const p of topic.partitions) {
      if (p.leader === null) withoutLeader++;
      else perBroker.set(p.leader, (perBroker.get(p.leader) ?? 0) + 1);
    }
    const max = perBroker.size === 0 ? 0 : Math.max(...perBroker.values());
    return allOf([
      { name: 'brokers leading', value: perBroker.size, compare: c.distinctBrokers },
      { name: 'most partitions led by one broker', value: max, compare: c.maxPerBroker },
      { name: 'partitions without a leader', value: withoutLeader, compare: c.withoutLeader },
    ]);
  },
  'isr-size': async (c, facts) => {
    const partition = findTopic(await facts.clusterStatus(), c.topic)?.partitions.find((p) => p.partition === c.partition);
    if (partition === undefined) return missing(`no partition ${c.topic}-${c.partition}`);
    return numeric('ISR size', partition.isr.length, c.size, `ISR of ${c.topic}-${c.partition} = [${partition.isr.join(', ')}] (${partition.isr.length})`);
  },
  'partition-replicas': async (c, facts) => {
    const partition = findTopic(await facts.clusterStatus(), c.topic)?.partitions.find((p) => p.partition === c.partition);
    if (partition === undefined) return missing(`no partition ${c.topic}-${c.partition}`);
    const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
    const replicasOk = partition.replicas.length === c.replicas.length && partition.replicas.every((id, i) => id === c.replicas[i]);
    const isrOk = c.isr === undefined || sameSet(partition.isr, c.isr);
    return { passed: replicasOk && isrOk, observed: `${c.topic}-${c.partition}: Replicas: ${partition.replicas.join(',')} Isr: ${partition.isr.join(',')}` };
  },
  'partition-offsets': async (c, facts) => {
    const partition = findTopic(await facts.clusterStatus(), c.topic)?.partitions.find((p) => p.partition === c.partition);
    if (partition === undefined) return missing(`no partition ${c.topic}-${c.partition}`);
    return allOf([
      { name: 'high watermark', value: partition.highWatermark, compare: c.highWatermark },
      { name: 'log end offset', value: partition.logEndOffset, compare: c.logEndOffset },
      { name: 'unreplicated (LEO − HW)', value: partition.logEndOffset - partition.highWatermark, compare: c.unreplicated },
    ]);
  },
  records: async (c, facts) => {
    const topic = findTopic(await facts.clusterStatus(), c.topic);
    if (topic === undefined) return missing(`no topic ${c.topic}`);
    const partitions = topic.partitions.filter((p) => c.partition === undefined || p.partition === c.partition);
    const count = partitions.reduce((sum, p) => sum + (p.highWatermark - p.logStartOffset), 0);
    return numeric('records', count, c.count);
  },
  'partitions-with-records': async (c, facts) => {
    const topic = findTopic(await facts.clusterStatus(), c.topic);
    if (topic === undefined) return missing(`no topic ${c.topic}`);
    const counts = topic.partitions.map((p) => `${p.partition}: ${p.highWatermark - p.logStartOffset}`);
    const holding = topic.partitions.filter((p) => p.highWatermark > p.logStartOffset).length;
    return numeric('partitions with records', holding, c.count, `records per partition of ${c.topic}: ${counts.join(', ')}`);
  },
  'key-partitions': async (c, facts) => {
    const topic = findTopic(await facts.clusterStatus(), c.topic);
    if (topic === undefined) return missing(`no topic ${c.topic}`);
    const holding: number[] = [];
    for (const p of topic.partitions) {
      const keys = await facts.keys(c.topic, p.partition, Number.MAX_SAFE_INTEGER);
      if (keys.includes(c.key)) holding.push(p.partition);
    }
    return numeric('partitions holding the key', holding.length, c.partitions, `key "${c.key}" is in partition(s) [${holding.join(', ')}]`);
  },
  'group-members': async (c, facts) => {
    const group = await facts.group(c.group);
    if (group === null) return missing(`no group ${c.group}`);
    const idle = group.members.filter((m) => m.assignment.length === 0).length;
    return allOf([
      { name: 'members', value: group.members.length, compare: c.count },
      { name: 'members without partitions', value: idle, compare: c.withoutPartitions },
    ]);
  },
  'member-partitions': async (c, facts) => {
    const member = (await facts.group(c.group))?.members.find((m) => m.clientId === c.clientId);
    if (member === undefined) return missing(`${c.clientId} is not a member of ${c.group}`);
    const names = member.assignment.map((a) => `${a.topic}-${a.partition}`).join(', ');
    return numeric('partitions', member.assignment.length, c.count, `${c.clientId}: [${names}]`);
  },
  'group-state': async (c, facts) => {
    const group = await facts.group(c.group);
    const state = group?.state ?? 'Dead';
    return { passed: state === c.state, observed: `group ${c.group} is ${state}` };
  },
  'group-assignor': async (c, facts) => {
    const assignor = (await facts.group(c.group))?.assignor ?? null;
    return { passed: assignor === c.assignor, observed: `assignor ${assignor ?? 'none'}` };
  },
  'group-lag': async (c, facts) => {
    const group = await facts.group(c.group);
    if (group === null) return missing(`no group ${c.group}`);
    const rows = group.partitions.filter((p) => c.topic === undefined || p.topic === c.topic);
    // A partition without a committed offset counts its whole log end as lag, as Burrow does.
    const total = rows.reduce((sum, p) => sum + (p.lag ?? p.logEndOffset), 0);
    return numeric('total lag', total, c.total);
  },
  'committed-offset': async (c, facts) => {
    const row = (await facts.group(c.group))?.partitions.find((p) => p.topic === c.topic && p.partition === c.partition);
    const offset = row?.currentOffset ?? null;
    const name = `committed offset of ${c.topic}-${c.partition}`;
    if (!c.committed) return { passed: offset === null, observed: `${name} = ${offset ?? 'none'}` };
    if (c.offset === undefined) return { passed: offset !== null, observed: `${name} = ${offset ?? 'none'}` };
    return numeric(name, offset, c.offset);
  },
  'lag-status': async (c, facts) => {
    const status = await facts.lagStatus(c.group);
    const observed = status?.status ?? 'NOTFOUND';
    return { passed: observed === c.status, observed: `lag status ${observed}` };
  },
  rebalances: async (c, facts) => {
    const group = await facts.group(c.group);
    const done = (group?.rebalances ?? []).filter((r) => r.startedAtMs >= facts.startedAtMs && r.completedAtMs !== null && (c.cause === undefined || r.cause === c.cause));
    const longest = done.flatMap((r) => r.stopTheWorld.map((s) => s.pausedMs ?? 0)).reduce((a, b) => Math.max(a, b), 0);
    const latest = done.reduce<(typeof done)[number] | null>((a, r) => (a === null || r.startedAtMs >= a.startedAtMs ? r : a), null);
    const revoked = latest === null ? null : latest.assignmentDiff.filter((d) => latest.membersAfter.includes(d.memberId)).reduce((sum, d) => sum + d.removed.length, 0);
    return allOf([
      { name: 'rebalances', value: done.length, compare: c.count },
      { name: 'longest stop-the-world ms', value: done.length === 0 ? null : longest, compare: c.longestPauseMs },
      { name: 'partitions taken from staying members', value: revoked, compare: c.revokedFromStaying },
    ]);
  },
  'replica-partitions': async (c, facts) => {
    const replica = (await facts.services()).replicas.find((r) => r.replicaId === c.replica);
    if (replica === undefined) return missing(`no replica ${c.replica}`);
    const names = replica.assignment.map((a) => `${a.topic}-${a.partition}`).join(', ');
    return numeric('partitions', replica.assignment.length, c.count, `${c.replica}: partitions assigned: [${names}]`);
  },
  'replica-processed': async (c, facts) => {
    const replica = (await facts.services()).replicas.find((r) => r.replicaId === c.replica);
    if (replica === undefined) return missing(`no replica ${c.replica}`);
    return numeric('processed', replica.processed, c.count, `${c.replica} processed ${replica.processed}`);
  },
  'replica-stocks': async (c, facts) => {
    const stocks = (await facts.services()).replicas
      .filter((r) => r.service === 'inventory')
      .map((r) => ({ id: r.replicaId, stock: r.stock.find((e) => e.productId === c.productId)?.stock ?? null }));
    const observed = stocks.map((s) => s.stock);
    const sorted = (values: readonly (number | null)[]): string => JSON.stringify([...values].sort((a, b) => (a ?? -Infinity) - (b ?? -Infinity)));
    return { passed: sorted(observed) === sorted(c.values), observed: stocks.map((s) => `${s.id}: ${s.stock ?? 'none'}`).join(', ') };
  },
  'business-figure': async (c, facts) => {
    const figures = (await facts.services()).figures as unknown as Record<string, number>;
    return numeric(c.figure, figures[c.figure] ?? null, c.value);
  },
  'stock-status': async (c, facts) => {
    const figures = (await facts.services()).figures;
    return { passed: figures.stockStatus === c.status, observed: `${figures.stockStatus}: ${figures.stockReason}` };
  },
  stock: async (c, facts) => {
    const services = await facts.services();
    // Without a replica: the shared store, which every inventory replica shows.
    const replica = services.replicas.find((r) => r.service === 'inventory' && (c.replica === undefined || r.replicaId === c.replica));
    const entries = replica?.stock ?? null;
    const stock = entries?.find((e) => e.productId === c.productId)?.stock ?? null;
    return numeric(`stock of product ${c.productId}${c.replica === undefined ? '' : ` on ${c.replica}`}`, stock, c.value);
  },
  'produce-errors': async (c, facts) => numeric(`${c.error} errors`, (await facts.errors()).filter((e) => e === c.error).length, c.count),
  'action-result': async (c, facts) => {
    const recorded = facts.recorded(c.action);
    const observed = recorded === undefined ? 'not run yet' : recorded.outcome;
    return { passed: observed === c.outcome, observed: `${c.action}: ${observed}` };
  },
  'console-output': async (c, facts) => {
    const lines = (await facts.consoleLines(c.session)).filter((l) => l.stream !== 'in' && l.text.includes(c.contains));
    return numeric(`lines containing "${c.contains}"`, lines.length, c.count);
  },
  'throughput-comparison': async (c, facts) => {
    const faster = perfOf(facts, c.faster);
    const slower = perfOf(facts, c.slower);
    if (faster === null || slower === null) return missing(`runs recorded: ${c.faster} ${faster === null ? 'no' : 'yes'}, ${c.slower} ${slower === null ? 'no' : 'yes'}`);
    if (c.measure === 'latency') {
      const fast = faster.avgLatencyMs;
      const slow = slower.avgLatencyMs;
      if (fast === null || slow === null) return missing('a run without a latency figure');
      // A lower latency by the factor: slow >= fast × byAtLeast (0 ms against 0 ms is not faster).
      return { passed: slow > fast && slow >= fast * c.byAtLeast, observed: `${c.faster} ${fast} ms avg latency, ${c.slower} ${slow} ms` };
    }
    const rate = (run: PerfSummary): number => run.recordsPerSec ?? Infinity;
    const ratio = rate(slower) === 0 ? Infinity : rate(faster) / rate(slower);
    const said = (run: PerfSummary): string => (run.recordsPerSec === null ? 'too fast to time' : `${run.recordsPerSec} records/s`);
    return {
      passed: ratio >= c.byAtLeast && ratio > 1,
      observed: `${c.faster} ${said(faster)}, ${c.slower} ${said(slower)}${Number.isFinite(ratio) ? ` (×${ratio.toFixed(2)})` : ''}`,
    };
  },
  'perf-latency': async (c, facts) => numeric(`${c.run} average latency ms`, perfOf(facts, c.run)?.avgLatencyMs ?? null, c.avgMs),
  'data-loss': async (c, facts) => {
    const losses = (await facts.timeline()).filter((e) => e.kind === 'data-loss');
    const present = losses.length > 0;
    return { passed: present === c.present, observed: present ? losses.map((e) => e.text).join(' ') : 'no data loss' };
  },
  'broker-state': async (c, facts) => {
    const broker = (await facts.clusterStatus()).brokers.find((b) => b.id === c.broker);
    return { passed: broker?.state === c.state, observed: broker === undefined ? `no broker ${c.broker}` : `broker ${c.broker} is ${broker.state}` };
  },
  controller: async (c, facts) => {
    const controller = (await facts.clusterStatus()).controllerId;
    const present = controller !== null;
    return { passed: present === c.present, observed: present ? `broker ${controller} is the active controller` : 'no active controller' };
  },
  'timeline-event': async (c, facts) => {
    const entries = (await facts.timeline()).filter((e) => e.kind === c.kind && (c.code === undefined || e.code === c.code));
    return numeric(`${c.kind}${c.code === undefined ? '' : ` ${c.code}`} events`, entries.length, c.count);
  },
};

type Describers = { [K in LabCheck['check']]: (check: Extract<LabCheck, { check: K }>) => string };

/** What each check expects, in words with the numbers; the same text on the sheet and in the report. */
const EXPECTED: Describers = {
  'topic-exists': (c) => (c.exists ? `topic ${c.topic} exists` : `no topic ${c.topic}`),
  'topic-partitions': (c) => `${c.topic}: ${compareText('partitions', c.count)}`,
  'partition-leaders': (c) =>
    `${c.topic}: ${allOfText([
      { name: 'brokers leading', compare: c.distinctBrokers },
      { name: 'most partitions led by one broker', compare: c.maxPerBroker },
      { name: 'partitions without a leader', compare: c.withoutLeader },
    ])}`,
  'isr-size': (c) => `${c.topic}-${c.partition}: ${compareText('ISR size', c.size)}`,
  'partition-replicas': (c) => `${c.topic}-${c.partition}: Replicas: ${c.replicas.join(',')}${c.isr === undefined ? '' : ` Isr: ${c.isr.join(',')} (any order)`}`,
  'partition-offsets': (c) =>
    `${c.topic}-${c.partition}: ${allOfText([
      { name: 'high watermark', compare: c.highWatermark },
      { name: 'log end offset', compare: c.logEndOffset },
      { name: 'unreplicated (LEO − HW)', compare: c.unreplicated },
    ])}`,
  records: (c) => `${c.partition === undefined ? c.topic : `${c.topic}-${c.partition}`}: ${compareText('records', c.count)}`,
  'partitions-with-records': (c) => `${c.topic}: ${compareText('partitions with records', c.count)}`,
  'key-partitions': (c) => `key "${c.key}" in ${c.topic}: ${compareText('partitions holding the key', c.partitions)}`,
  'group-members': (c) => `group ${c.group}: ${allOfText([{ name: 'members', compare: c.count }, { name: 'members without partitions', compare: c.withoutPartitions }])}`,
  'member-partitions': (c) => `${c.clientId} in ${c.group}: ${compareText('partitions', c.count)}`,
  'group-state': (c) => `group ${c.group} is ${c.state}`,
  'group-assignor': (c) => `group ${c.group} uses the ${c.assignor} assignor`,
  'group-lag': (c) => `group ${c.group}${c.topic === undefined ? '' : ` on ${c.topic}`}: ${compareText('total lag', c.total)}`,
  'committed-offset': (c) =>
    !c.committed
      ? `group ${c.group}: no committed offset of ${c.topic}-${c.partition}`
      : c.offset === undefined
        ? `group ${c.group}: a committed offset of ${c.topic}-${c.partition}`
        : `group ${c.group}: ${compareText(`committed offset of ${c.topic}-${c.partition}`, c.offset)}`,
  'lag-status': (c) => `group ${c.group}: lag status ${c.status}`,
  rebalances: (c) =>
    `group ${c.group}${c.cause === undefined ? '' : ` (${c.cause})`}: ${allOfText([
      { name: 'rebalances', compare: c.count },
      { name: 'longest stop-the-world ms', compare: c.longestPauseMs },
      { name: 'partitions taken from staying members', compare: c.revokedFromStaying },
    ])}`,
  'replica-partitions': (c) => `${c.replica}: ${compareText('partitions', c.count)}`,
  'replica-processed': (c) => compareText(`${c.replica} processed`, c.count),
  'replica-stocks': (c) => `stock of product ${c.productId} per inventory replica, in any order: [${c.values.join(', ')}]`,
  'business-figure': (c) => compareText(c.figure, c.value),
  'stock-status': (c) => `stock ${c.status}`,
  stock: (c) => compareText(`stock of product ${c.productId}${c.replica === undefined ? '' : ` on ${c.replica}`}`, c.value),
  'produce-errors': (c) => compareText(`${c.error} errors`, c.count),
  'action-result': (c) => `${c.action}: ${c.outcome}`,
  'console-output': (c) => `${c.session === undefined ? 'the console' : `console ${c.session}`}: ${compareText(`lines containing "${c.contains}"`, c.count)}`,
  'throughput-comparison': (c) =>
    `${c.faster} ${c.measure === 'latency' ? 'answers sooner (lower average latency)' : 'sends more records/s'} than ${c.slower}${c.byAtLeast > 1 ? ` by ×${c.byAtLeast}` : ''}`,
  'perf-latency': (c) => compareText(`${c.run} average latency ms`, c.avgMs),
  'data-loss': (c) => (c.present ? 'data loss happened' : 'no data loss'),
  'broker-state': (c) => `broker ${c.broker} is ${c.state}`,
  controller: (c) => (c.present ? 'an active controller' : 'no active controller'),
  'timeline-event': (c) => compareText(`${c.kind}${c.code === undefined ? '' : ` ${c.code}`} events`, c.count),
};

export function expectedOf(check: LabCheck): string {
  return (EXPECTED[check.check] as (c: LabCheck) => string)(check);
}

export async function evaluateCheck(check: LabCheck, facts: CheckFacts): Promise<CheckResult> {
  const evaluate = EVALUATORS[check.check] as (c: LabCheck, f: CheckFacts) => Promise<Observation>;
  return { ...(await evaluate(check, facts)), expected: expectedOf(check) };
}
