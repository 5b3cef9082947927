/**
 * Consumer groups as the Groups view shows them, derived from the engine's snapshot with Kafka's
 * own rules: the rows of `kafka-consumer-groups --describe` in the order the tool prints them
 * ("-" where it prints MISSING_COLUMN_VALUE), the group state's colour, total lag, the members
 * with their in-app consumers, and the rebalance history with its stop-the-world pauses.
 * Pure functions only: the store calls them from its getters, the tests call them directly.
 */
import type { ConsumerStatus, GroupDetail, GroupMember, GroupPartition, Rebalance } from '../../../engine/api/groups-dto';
import { uiMessage, type UiMessage } from './messages';

export type GroupState = GroupDetail['state'];
export type RebalanceCause = Rebalance['cause'];
export type ConsumerState = ConsumerStatus['state'];

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What kafka-consumer-groups prints where a value is missing (ConsumerGroupCommand.MISSING_COLUMN_VALUE). */
export const MISSING_COLUMN_VALUE = '-';

/** The columns of `kafka-consumer-groups --describe`, spelled as the tool prints them. */
export const DESCRIBE_COLUMNS = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'] as const;
export type DescribeColumn = (typeof DESCRIBE_COLUMNS)[number];

/** A value as the tool prints it: the number or text, or "-" when there is none. */
export function columnValue(value: string | number | null | undefined): string {
  return value === null || value === undefined ? MISSING_COLUMN_VALUE : String(value);
}

/** Sorts the way people read numbered names: inventory-2 before inventory-10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  // Kafka's tool compares topics with String.compareTo (code units), then partitions as numbers.
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** "orders-0", as Kafka's TopicPartition prints itself. */
export function formatTopicPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Java's List<TopicPartition>.toString(): "[orders-0, orders-2]". */
export function formatPartitionList(partitions: readonly TopicPartition[]): string {
  return `[${[...partitions].sort(compareTopicPartitions).map(formatTopicPartition).join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Group state

export type StateTone = 'success' | 'warning' | 'neutral' | 'danger';

/** Stable is green, a rebalance in progress amber, Empty grey, Dead red. */
export function stateTone(state: GroupState): StateTone {
  switch (state) {
    case 'Stable':
      return 'success';
    case 'PreparingRebalance':
    case 'CompletingRebalance':
      return 'warning';
    case 'Dead':
      return 'danger';
    case 'Empty':
      return 'neutral';
  }
}

export function isRebalancing(state: GroupState): boolean {
  return state === 'PreparingRebalance' || state === 'CompletingRebalance';
}

/** The group's lag: the sum over partitions with a committed offset; null when none has one. */
export function totalLag(group: GroupDetail): number | null {
  let sum: number | null = null;
  for (const p of group.partitions) if (p.lag !== null) sum = (sum ?? 0) + p.lag;
  return sum;
}

export interface GroupSummary {
  readonly groupId: string;
  readonly state: GroupState;
  readonly tone: StateTone;
  readonly generation: number;
  readonly assignor: string | null;
  readonly memberCount: number;
  readonly totalLag: number | null;
  readonly rebalancing: boolean;
}

export function groupSummary(group: GroupDetail): GroupSummary {
  return {
    groupId: group.groupId,
    state: group.state,
    tone: stateTone(group.state),
    generation: group.generation,
    assignor: group.assignor,
    memberCount: group.members.length,
    totalLag: totalLag(group),
    rebalancing: isRebalancing(group.state) || group.rebalances.some((r) => r.completedAtMs === null),
  };
}

// ---------------------------------------------------------------------------------------------
// Member ids

const UUID_SUFFIX = /^(.*)-([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHORT_ID_MAX = 24;

/**
 * A member id short enough for a table cell: Kafka's "<client.id>-<UUID>" keeps the client id and
 * the UUID's first 8 digits ("inventory-1-3f2a9c1e…"); anything else is cut at 24 characters.
 */
export function shortMemberId(memberId: string): string {
  const match = UUID_SUFFIX.exec(memberId);
  if (match !== null) return `${match[1]}-${match[2]}…`;
  return memberId.length > SHORT_ID_MAX ? `${memberId.slice(0, SHORT_ID_MAX - 1)}…` : memberId;
}

/** The client id inside a Kafka member id ("inventory-1-<UUID>" → "inventory-1"); the id itself otherwise. */
export function clientIdOfMemberId(memberId: string): string {
  return UUID_SUFFIX.exec(memberId)?.[1] ?? memberId;
}

// ---------------------------------------------------------------------------------------------
// kafka-consumer-groups --describe

export interface DescribeRow {
  readonly key: string;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly currentOffset: number | null;
  readonly logEndOffset: number;
  readonly lag: number | null;
  readonly positionLag: number | null;
  readonly consumerId: string | null;
  readonly host: string | null;
  readonly clientId: string | null;
}

/**
 * The rows in the order kafka-consumer-groups prints them (ConsumerGroupCommand
 * collectGroupsOffsets): first the members that own partitions, the one with most partitions
 * first (ties keep the group's member order), each member's partitions by topic then partition;
 * then the partitions no member owns, by topic then partition, with "-" as consumer.
 */
export function describeRows(group: GroupDetail): DescribeRow[] {
  const byMember = new Map<string, GroupPartition[]>();
  const unowned: GroupPartition[] = [];
  for (const p of group.partitions) {
    if (p.memberId === null) {
      unowned.push(p);
      continue;
    }
    const list = byMember.get(p.memberId) ?? [];
    list.push(p);
    byMember.set(p.memberId, list);
  }
  const memberOrder = new Map(group.members.map((m, index) => [m.memberId, index]));
  const owners = [...byMember.keys()].sort((a, b) => {
    const bySize = (byMember.get(b)?.length ?? 0) - (byMember.get(a)?.length ?? 0);
    if (bySize !== 0) return bySize;
    return (memberOrder.get(a) ?? Number.MAX_SAFE_INTEGER) - (memberOrder.get(b) ?? Number.MAX_SAFE_INTEGER) || naturalCompare(a, b);
  });
  const toRow = (p: GroupPartition): DescribeRow => ({
    key: `${p.topic}\u0000${p.partition}`,
    group: group.groupId,
    topic: p.topic,
    partition: p.partition,
    currentOffset: p.currentOffset,
    logEndOffset: p.logEndOffset,
    lag: p.lag,
    positionLag: p.positionLag,
    consumerId: p.memberId,
    host: p.host,
    clientId: p.clientId,
  });
  const rows: DescribeRow[] = [];
  for (const owner of owners) rows.push(...(byMember.get(owner) ?? []).sort(compareTopicPartitions).map(toRow));
  rows.push(...unowned.sort(compareTopicPartitions).map(toRow));
  return rows;
}

/** The describe table as the tool prints it: columns padded as ConsumerGroupCommand pads them. */
export function describeText(rows: readonly DescribeRow[]): string {
  let groupLen = 15;
  let topicLen = 15;
  let consumerLen = 15;
  let hostLen = 15;
  for (const r of rows) {
    groupLen = Math.max(groupLen, r.group.length);
    topicLen = Math.max(topicLen, r.topic.length);
    consumerLen = Math.max(consumerLen, columnValue(r.consumerId).length);
    hostLen = Math.max(hostLen, columnValue(r.host).length);
  }
  const line = (cells: readonly string[]): string =>
    [
      cells[0]?.padEnd(groupLen),
      cells[1]?.padEnd(topicLen),
      cells[2]?.padEnd(10),
      cells[3]?.padEnd(15),
      cells[4]?.padEnd(15),
      cells[5]?.padEnd(15),
      cells[6]?.padEnd(consumerLen),
      cells[7]?.padEnd(hostLen),
      cells[8],
    ].join(' ');
  const body = rows.map((r) =>
    line([
      r.group,
      r.topic,
      String(r.partition),
      columnValue(r.currentOffset),
      columnValue(r.logEndOffset),
      columnValue(r.lag),
      columnValue(r.consumerId),
      columnValue(r.host),
      columnValue(r.clientId),
    ]),
  );
  return [line(DESCRIBE_COLUMNS), ...body].map((l) => l.trimEnd()).join('\n');
}

export interface LagBar {
  /** LAG on the group's scale (the largest lag among its partitions), 0 to 100. */
  readonly lagPercent: number;
  /** The part of the lag the owner has not even fetched yet (position lag), 0 to 100. */
  readonly unfetchedPercent: number;
}

const percentOf = (value: number, scale: number): number => Math.min(100, Math.max(0, (value / scale) * 100));

/**
 * Per row, a lag bar on one scale for the whole group, so the partition that falls behind stands
 * out: the full bar is LAG (log end offset − committed offset), its solid part what the owner has
 * not fetched yet; the striped rest is fetched but not committed. Null where LAG is "-".
 */
export function lagBars(rows: readonly DescribeRow[]): Map<string, LagBar | null> {
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.lag ?? 0, r.positionLag ?? 0)));
  const bars = new Map<string, LagBar | null>();
  for (const r of rows) {
    if (r.lag === null) {
      bars.set(r.key, null);
      continue;
    }
    const unfetched = r.positionLag === null ? r.lag : Math.min(r.lag, r.positionLag);
    bars.set(r.key, { lagPercent: percentOf(r.lag, scale), unfetchedPercent: percentOf(unfetched, scale) });
  }
  return bars;
}

// ---------------------------------------------------------------------------------------------
// Members and in-app consumers

export interface MemberRow {
  readonly key: string;
  readonly clientId: string;
  /** Null for an in-app consumer that is not (or no longer) a member of the group. */
  readonly memberId: string | null;
  readonly groupInstanceId: string | null;
  readonly host: string | null;
  readonly assignment: readonly TopicPartition[];
  /** The in-app consumer with this client id, or null for a client the workbench did not start. */
  readonly consumer: ConsumerStatus | null;
  /** Close and Crash apply: an in-app consumer that is neither closed nor crashed. */
  readonly stoppable: boolean;
}

const STOPPED: readonly ConsumerState[] = ['CLOSED', 'CRASHED'];

export function isConsumerStopped(consumer: ConsumerStatus): boolean {
  return STOPPED.includes(consumer.state);
}

/**
 * The group's members (by client id, then member id) with the in-app consumer behind each, then
 * the in-app consumers of this group that are not members: still joining, closed, or crashed and
 * already removed by the coordinator. A crashed consumer keeps its member row until
 * session.timeout.ms expires, which is the point of the Crash lesson.
 */
export function memberRows(group: GroupDetail, consumers: readonly ConsumerStatus[]): MemberRow[] {
  const mine = consumers.filter((c) => c.groupId === group.groupId);
  const byMemberId = new Map(mine.filter((c) => c.memberId !== '').map((c) => [c.memberId, c]));
  const members = [...group.members].sort((a, b) => naturalCompare(a.clientId, b.clientId) || naturalCompare(a.memberId, b.memberId));
  const used = new Set<ConsumerStatus>();
  const matched = members.map((m) => byMemberId.get(m.memberId) ?? null);
  for (const c of matched) if (c !== null) used.add(c);
  const rows: MemberRow[] = members.map((m: GroupMember, index) => {
    // The coordinator may know a member id before the consumer has read it from its JoinGroup
    // answer; a running consumer with the same client id is then that member.
    const consumer = matched[index] ?? mine.find((c) => !used.has(c) && c.clientId === m.clientId && !isConsumerStopped(c)) ?? null;
    if (consumer !== null) used.add(consumer);
    return {
      key: `member:${m.memberId}`,
      clientId: m.clientId,
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      host: m.host,
      assignment: [...m.assignment].sort(compareTopicPartitions),
      consumer,
      stoppable: consumer !== null && !isConsumerStopped(consumer),
    };
  });
  const others = mine.filter((c) => !used.has(c)).sort((a, b) => naturalCompare(a.clientId, b.clientId));
  for (const c of others) {
    rows.push({
      key: `consumer:${c.clientId}`,
      clientId: c.clientId,
      memberId: null,
      groupInstanceId: null,
      host: null,
      assignment: isConsumerStopped(c) ? [] : [...c.assignment].sort(compareTopicPartitions),
      consumer: c,
      stoppable: !isConsumerStopped(c),
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Rebalance history

export interface AssignmentChange {
  readonly memberId: string;
  readonly clientId: string;
  readonly added: readonly TopicPartition[];
  readonly removed: readonly TopicPartition[];
}

export interface StopTheWorldBar {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  /** Null while the partition is still paused. */
  readonly pausedMs: number | null;
  /** On the group's scale (the longest pause in its history), 0 to 100; null while paused. */
  readonly percent: number | null;
}

export interface RebalanceView {
  readonly key: string;
  readonly running: boolean;
  readonly generation: number | null;
  readonly cause: RebalanceCause;
  readonly reason: string;
  readonly startedAtMs: number;
  readonly completedAtMs: number | null;
  /** Completed: how long it took; running: how long so far (to the snapshot's time). */
  readonly durationMs: number;
  readonly protocol: string | null;
  /** Member labels (client ids where known), before and after. */
  readonly membersBefore: readonly string[];
  readonly membersAfter: readonly string[];
  readonly joined: readonly string[];
  readonly left: readonly string[];
  readonly changes: readonly AssignmentChange[];
  readonly stopTheWorld: readonly StopTheWorldBar[];
  /** The longest pause of this rebalance, null while any partition is still paused or none paused. */
  readonly longestPauseMs: number | null;
  readonly summary: UiMessage;
}

function labelFor(memberId: string, known: ReadonlyMap<string, string>): string {
  return known.get(memberId) ?? clientIdOfMemberId(memberId);
}

/** One line about a rebalance, for the timeline's heading and for screen readers. */
export function rebalanceSummary(r: Pick<Rebalance, 'generation' | 'completedAtMs' | 'membersBefore' | 'membersAfter' | 'assignmentDiff'>): UiMessage {
  const moved = r.assignmentDiff.reduce((sum, d) => sum + d.added.length, 0);
  const before = r.membersBefore.length;
  const after = r.membersAfter.length;
  if (r.completedAtMs === null || r.generation === null) return uiMessage('groups.rebalances.summaryRunning', { before });
  if (after === 0) return uiMessage('groups.rebalances.summaryEmpty', { generation: r.generation, before });
  return uiMessage('groups.rebalances.summary', { generation: r.generation, before, after, moved });
}

/** The group's rebalances, newest first, with labels, diffs and stop-the-world bars on one scale. */
export function rebalanceViews(group: GroupDetail, nowMs: number): RebalanceView[] {
  const known = new Map<string, string>();
  for (const m of group.members) known.set(m.memberId, m.clientId);
  // A departed member's diff may carry its member id where the client id belongs; the client id
  // is inside it ("<client.id>-<UUID>").
  for (const r of group.rebalances) for (const d of r.assignmentDiff) if (!known.has(d.memberId)) known.set(d.memberId, clientIdOfMemberId(d.clientId));

  const scale = Math.max(1, ...group.rebalances.flatMap((r) => r.stopTheWorld.map((s) => s.pausedMs ?? 0)));
  const ordered = group.rebalances
    .map((r, index) => ({ r, index }))
    .sort((a, b) => b.r.startedAtMs - a.r.startedAtMs || b.index - a.index);

  return ordered.map(({ r, index }) => {
    const before = r.membersBefore.map((id) => labelFor(id, known));
    const after = r.membersAfter.map((id) => labelFor(id, known));
    const beforeIds = new Set(r.membersBefore);
    const afterIds = new Set(r.membersAfter);
    const stopTheWorld = [...r.stopTheWorld].sort(compareTopicPartitions).map((s) => ({
      key: `${s.topic}\u0000${s.partition}`,
      topic: s.topic,
      partition: s.partition,
      pausedMs: s.pausedMs,
      percent: s.pausedMs === null ? null : percentOf(s.pausedMs, scale),
    }));
    const pauses = r.stopTheWorld.map((s) => s.pausedMs);
    const running = r.completedAtMs === null;
    return {
      key: `${r.startedAtMs}:${index}`,
      running,
      generation: r.generation,
      cause: r.cause,
      reason: r.reason,
      startedAtMs: r.startedAtMs,
      completedAtMs: r.completedAtMs,
      durationMs: Math.max(0, (r.completedAtMs ?? nowMs) - r.startedAtMs),
      protocol: r.protocol,
      membersBefore: before,
      membersAfter: after,
      // Who joined and who left is known only once the rebalance has its new members.
      joined: running ? [] : r.membersAfter.filter((id) => !beforeIds.has(id)).map((id) => labelFor(id, known)),
      left: running ? [] : r.membersBefore.filter((id) => !afterIds.has(id)).map((id) => labelFor(id, known)),
      changes: [...r.assignmentDiff]
        .filter((d) => d.added.length > 0 || d.removed.length > 0)
        .map((d) => ({ ...d, clientId: labelFor(d.memberId, known) }))
        .sort((a, b) => naturalCompare(a.clientId, b.clientId))
        .map((d) => ({
          memberId: d.memberId,
          clientId: d.clientId,
          added: [...d.added].sort(compareTopicPartitions),
          removed: [...d.removed].sort(compareTopicPartitions),
        })),
      stopTheWorld,
      longestPauseMs: pauses.length === 0 || pauses.some((p) => p === null) ? null : Math.max(...(pauses as number[])),
      summary: rebalanceSummary(r),
    };
  });
}

/** "850 ms", "12,034 ms": stop-the-world pauses are read in milliseconds, grouped by the locale. */
export function formatMs(ms: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
}

/** A rebalance's length: milliseconds under ten seconds, seconds with one decimal above. */
export function formatDuration(ms: number, locale: string): string {
  if (ms < 10_000) return formatMs(ms, locale);
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/** A lag figure with the locale's grouping; "-" (the tool's missing value) for null. */
export function formatLag(lag: number | null, locale: string): string {
  return lag === null ? MISSING_COLUMN_VALUE : new Intl.NumberFormat(locale).format(lag);
}

/** The i18n key of each rebalance cause's label. */
export const CAUSE_KEYS: Readonly<Record<RebalanceCause, string>> = {
  join: 'groups.rebalances.cause.join',
  leave: 'groups.rebalances.cause.leave',
  'session-timeout': 'groups.rebalances.cause.sessionTimeout',
  'poll-timeout': 'groups.rebalances.cause.pollTimeout',
  'rebalance-timeout': 'groups.rebalances.cause.rebalanceTimeout',
  'partitions-added': 'groups.rebalances.cause.partitionsAdded',
  metadata: 'groups.rebalances.cause.metadata',
  assignor: 'groups.rebalances.cause.assignor',
};

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The level of a log4j line "[2025-05-06 07:08:09,010] INFO …"; null for a line without one. */
export function logLevel(line: string): LogLevel | null {
  const match = /^\[[^\]]*\] (DEBUG|INFO|WARN|ERROR) /.exec(line);
  return (match?.[1] as LogLevel | undefined) ?? null;
}
