/**
 * Lag status in Burrow's vocabulary, as pure functions of one partition's samples: OK, WARN,
 * STOP, STALL, REWIND per partition; groups roll up worst-wins with STOP, STALL and REWIND as ERR,
 * and an unknown group is NOTFOUND. Every status names the rule that decided it, says why in a
 * sentence with the numbers, and carries the samples the rule looked at.
 *
 * Where this differs from Burrow (../shared/reference/burrow-lag-rules.md), on purpose:
 * - Burrow's window is the last 10 *commits* and moves only when the group commits, so a consumer
 *   that stops committing is judged on stale data, and the window spans 10 s for a consumer
 *   committing every second but 10 min for one committing every minute. Here the window is the
 *   last N *samples* (N = 10, one a second by default) where the committed offset was known: it
 *   moves with time, so the status changes within seconds of what happened, whatever the
 *   group's commit cadence. Lag is the high watermark minus the committed offset (what consumers
 *   can read), sampled every second, not the log end offset seen when a commit arrived.
 * - The trend behind WARN needs commits, though: between two commits lag climbs with every record
 *   produced and drops at the commit, a saw-tooth in which "lag never decreases" is never true
 *   across a window of samples. WARN looks at the lag right after each of the last 10 commits
 *   (Burrow's data), and asks for at least 3 of them, rising at most steps and falling at none:
 *   Burrow calls a lag that merely stays level (3, 3, 3 on a busy topic) WARN; we do not.
 * - An idle partition (nothing new: the committed offset is at the high watermark) is OK whether or
 *   not the group still commits: STOP needs lag to consume at every sample of the window.
 * - STOP needs a silence longer than the window *and* longer than `stopCommitGapFactor` times the
 *   longest recent gap between the group's commits, so a consumer that commits once per long batch
 *   is not STOP between batches; Burrow compares with the span of its commit window only.
 * - STALL (still committing, the same offset) is told from STOP (not committing) by the time of the
 *   last commit, which the coordinator knows; without it a group that stopped moving is STOP.
 * - Also a retention warning: the oldest unconsumed record is about to be deleted by retention.ms
 *   or retention.bytes, or already was (the committed offset is below the log start offset).
 *
 * Rules, in order (the first that applies decides):
 *   no-committed-offset (OK) · lag-unknown (OK) · lag-within-allowed (OK) · commits-stopped (STOP) ·
 *   offset-rewound (REWIND) · caught-up-in-window (OK) · offset-not-advancing (STALL) ·
 *   lag-increasing (WARN) · lag-not-increasing (OK)
 */
import type { GroupLagStatus, LagWindowPoint, PartitionLagStatus } from '../api/metrics-dto.js';
import { compareTopicPartitions } from '../groups/assignors/assignor-support.js';
import { metricsDefaults } from './metrics-limits.js';

export type PartitionStatusCode = PartitionLagStatus['status'];
export type GroupStatusCode = GroupLagStatus['status'];

/** One sample of a group partition, taken while its committed offset was known. */
export interface LagSample {
  readonly tMs: number;
  readonly committedOffset: number;
  readonly logEndOffset: number | null;
  /** Null while no leader answers. */
  readonly highWatermark: number | null;
  /** When the group last committed this partition, as of this sample (the coordinator's time, or when the offset last moved). */
  readonly lastCommitMs: number;
}

export interface LagRules {
  /** Samples in the evaluation window (Burrow's `intervals`). */
  readonly windowSamples: number;
  /** Lag that still counts as caught up (Burrow's `allowed-lag`). */
  readonly allowedLag: number;
  readonly stopCommitGapFactor: number;
  readonly warnCommitPointsMin: number;
}

export const defaultLagRules: LagRules = {
  windowSamples: metricsDefaults.lagWindowSamples,
  allowedLag: metricsDefaults.allowedLag,
  stopCommitGapFactor: metricsDefaults.stopCommitGapFactor,
  warnCommitPointsMin: metricsDefaults.warnCommitPointsMin,
};

export interface RetentionInput {
  readonly nowMs: number;
  readonly committedOffset: number;
  readonly logStartOffset: number | null;
  readonly logEndOffset: number | null;
  readonly highWatermark: number | null;
  /** -1: unlimited. */
  readonly retentionMs: number;
  /** -1: unlimited. */
  readonly retentionBytes: number;
  readonly sizeBytes: number | null;
  /** Timestamp of the oldest unconsumed record still in the log (at the committed offset, or the log start if that is later). */
  readonly oldestUnconsumedTimestampMs: number | null;
}

export interface PartitionLagInput {
  readonly topic: string;
  readonly partition: number;
  readonly nowMs: number;
  /** The newest samples where the committed offset was known, oldest first; the last `windowSamples` are the window. */
  readonly window: readonly LagSample[];
  /** The samples right after each of the last commits (the offset moved, or a new commit time), oldest first. */
  readonly commits: readonly LagSample[];
  readonly timeLagMs: number | null;
  readonly consumeRatePerSec: number | null;
  readonly produceRatePerSec: number | null;
  readonly etaMs: number | null;
  readonly retention: RetentionInput | null;
}

export interface PartitionLagResult {
  readonly status: PartitionLagStatus;
  /** Share of the window filled (Burrow's "complete"), 0 to 1. */
  readonly complete: number;
}

interface Verdict {
  readonly status: PartitionStatusCode;
  readonly rule: string;
  readonly reason: string;
  readonly points: readonly LagSample[];
}

/** Evaluates one partition of a group. */
export function evaluatePartition(input: PartitionLagInput, rules: LagRules = defaultLagRules): PartitionLagResult {
  const window = input.window.slice(-rules.windowSamples);
  const current = window.at(-1);
  const verdict = current === undefined ? noCommittedOffset() : decide(input, window, current, rules);
  return {
    status: {
      topic: input.topic,
      partition: input.partition,
      status: verdict.status,
      rule: verdict.rule,
      reason: verdict.reason,
      window: verdict.points.map(toWindowPoint),
      currentLag: current === undefined ? null : lagOf(current),
      timeLagMs: input.timeLagMs === null ? null : Math.max(0, Math.round(input.timeLagMs)),
      consumeRatePerSec: input.consumeRatePerSec,
      etaMs: input.etaMs === null ? null : Math.max(0, Math.round(input.etaMs)),
      retentionWarning: input.retention === null ? null : retentionWarning(input.retention),
    },
    complete: window.length / rules.windowSamples,
  };
}

function decide(input: PartitionLagInput, window: readonly LagSample[], current: LagSample, rules: LagRules): Verdict {
  const lag = lagOf(current);
  if (lag === null) return lagUnknown(input, current);
  if (lag <= rules.allowedLag) return withinAllowed(input, window, current, lag, rules);
  return (
    commitsStopped(input, window, current, rules) ??
    offsetRewound(input.nowMs, window) ??
    caughtUpInWindow(input.nowMs, window, lag, rules) ??
    offsetNotAdvancing(input.nowMs, window, current, rules) ??
    lagIncreasing(input, current, rules) ??
    lagNotIncreasing(input, window, rules)
  );
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

function noCommittedOffset(): Verdict {
  return {
    status: 'OK',
    rule: 'no-committed-offset',
    reason: 'The group has no committed offset for this partition yet (kafka-consumer-groups shows CURRENT-OFFSET -), so there is no lag to judge.',
    points: [],
  };
}

function lagUnknown(input: PartitionLagInput, current: LagSample): Verdict {
  return {
    status: 'OK',
    rule: 'lag-unknown',
    reason: `The high watermark of ${input.topic}-${input.partition} is unknown (no leader answers), so its lag cannot be measured; committed offset ${current.committedOffset}.`,
    points: [current],
  };
}

function withinAllowed(input: PartitionLagInput, window: readonly LagSample[], current: LagSample, lag: number, rules: LagRules): Verdict {
  // The reasons of the OK rules hold no moving numbers (they are in the window point), so a healthy
  // group's status does not change with every record.
  const hw = current.highWatermark ?? 0;
  let reason: string;
  if (current.committedOffset > hw) {
    reason = `Committed offset ${current.committedOffset} is beyond the high watermark ${hw} (the log was truncated after the commit): nothing is left to consume.`;
  } else if (lag === 0) {
    reason = 'Caught up: the committed offset is at the high watermark.';
  } else {
    reason = `Lag is within the allowed lag of ${rules.allowedLag}.`;
  }
  // The false alarm Burrow is known for: an idle partition whose consumer no longer commits.
  if (window.length >= rules.windowSamples && input.nowMs - current.lastCommitMs > spanMs(window)) {
    reason += ' The group has not committed for longer than the window, but nothing waits to be consumed: an idle partition, not STOP.';
  }
  return { status: 'OK', rule: 'lag-within-allowed', reason, points: [current] };
}

/** STOP: the group stopped committing while there was lag to consume, for longer than the window and its usual commit gaps. */
function commitsStopped(input: PartitionLagInput, window: readonly LagSample[], current: LagSample, rules: LagRules): Verdict | null {
  if (window.length < rules.windowSamples) return null;
  const lags = window.map(lagOf);
  if (!lags.every((l) => l !== null && l > rules.allowedLag)) return null;
  const silenceMs = input.nowMs - current.lastCommitMs;
  const windowSpanMs = spanMs(window);
  const gapMs = longestCommitGapMs(input.commits);
  const stopAfterMs = Math.max(windowSpanMs, rules.stopCommitGapFactor * gapMs);
  if (silenceMs <= stopAfterMs) return null;
  const gapText = gapMs > 0 ? ` and ${rules.stopCommitGapFactor} × the longest recent gap between commits (${formatDuration(gapMs)})` : '';
  return {
    status: 'STOP',
    rule: 'commits-stopped',
    reason:
      `No commit for ${formatDuration(silenceMs)} while records waited at every sample (lag ${lags[0]} → ${lags.at(-1)}, committed offset ${current.committedOffset}): ` +
      `longer than the ${formatDuration(windowSpanMs)} window${gapText}. The consumer stopped committing.`,
    points: window,
  };
}

/** REWIND: the committed offset went back and has not returned to where it was. */
function offsetRewound(nowMs: number, window: readonly LagSample[]): Verdict | null {
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1]!.committedOffset;
    const after = window[i]!;
    if (after.committedOffset >= before) continue;
    if (window.slice(i + 1).some((s) => s.committedOffset >= before)) continue;
    const now = window.at(-1)!.committedOffset;
    return {
      status: 'REWIND',
      rule: 'offset-rewound',
      reason: `Committed offset went back from ${before} to ${after.committedOffset} ${formatDuration(nowMs - after.tMs)} ago and has not returned to ${before} since (now ${now}): the group will consume those records again.`,
      points: window,
    };
  }
  return null;
}

/** OK: lag is above the allowed lag now, but was within it at some sample of the window. */
function caughtUpInWindow(nowMs: number, window: readonly LagSample[], lag: number, rules: LagRules): Verdict | null {
  const caughtUp = [...window].reverse().find((s) => {
    const l = lagOf(s);
    return l !== null && l <= rules.allowedLag;
  });
  if (caughtUp === undefined) return null;
  return {
    status: 'OK',
    rule: 'caught-up-in-window',
    reason: `Lag is ${lag} now, but it was ${lagOf(caughtUp)} (within the allowed ${rules.allowedLag}) ${formatDuration(nowMs - caughtUp.tMs)} ago, inside the ${window.length}-sample window: the group keeps catching up.`,
    // The evidence: the sample that caught up, and now.
    points: [caughtUp, window.at(-1)!],
  };
}

/** STALL: the group keeps committing, always the same offset, while records wait. */
function offsetNotAdvancing(nowMs: number, window: readonly LagSample[], current: LagSample, rules: LagRules): Verdict | null {
  if (window.length < rules.windowSamples) return null;
  if (!window.every((s) => s.committedOffset === current.committedOffset)) return null;
  // A commit inside the window (not just the one that set the offset before it began).
  if (!(current.lastCommitMs > window[0]!.tMs)) return null;
  return {
    status: 'STALL',
    rule: 'offset-not-advancing',
    reason:
      `Committed offset stayed at ${current.committedOffset} for the whole ${formatDuration(spanMs(window))} window while the group keeps committing ` +
      `(last commit ${formatDuration(nowMs - current.lastCommitMs)} ago) and lag went ${lagOf(window[0]!)} → ${lagOf(current)}: the consumer is alive but not advancing.`,
    points: window,
  };
}

/** WARN: lag right after each commit never fell and mostly rose, and is no lower now. */
function lagIncreasing(input: PartitionLagInput, current: LagSample, rules: LagRules): Verdict | null {
  const commits = input.commits.filter((s) => lagOf(s) !== null);
  if (commits.length < rules.warnCommitPointsMin) return null;
  const lags = commits.map((s) => lagOf(s)!);
  const trend = trendOf(lags);
  if (trend.fell > 0 || trend.rose * 2 <= lags.length - 1) return null;
  const now = lagOf(current)!;
  if (now < lags.at(-1)!) return null;
  const rates = ratesText(input.consumeRatePerSec, input.produceRatePerSec);
  const points = withCurrent(commits, current);
  return {
    status: 'WARN',
    rule: 'lag-increasing',
    reason: `Lag right after each of the last ${lags.length} commits never fell and rose ${trend.rose} times (${lags[0]} → ${lags.at(-1)}), and is ${now} now: the group is falling behind${rates}.`,
    points,
  };
}

function lagNotIncreasing(input: PartitionLagInput, window: readonly LagSample[], rules: LagRules): Verdict {
  const current = window.at(-1)!;
  const commits = input.commits.filter((s) => lagOf(s) !== null);
  const lags = commits.map((s) => lagOf(s)!);
  const tooFew = lags.length < rules.warnCommitPointsMin;
  const detail = tooFew ? `${lags.length} commit(s) seen, too few to call a trend (WARN needs ${rules.warnCommitPointsMin})` : describeTrend(trendOf(lags), lags.length);
  return {
    status: 'OK',
    rule: 'lag-not-increasing',
    reason: `Lag is above the allowed ${rules.allowedLag} but not growing: ${detail}.`,
    points: withCurrent(tooFew ? commits : trendEvidence(commits), current),
  };
}

/** The commits that show lag is not growing: the last pair where it fell, or the first and last when it stayed level. */
function trendEvidence(commits: readonly LagSample[]): LagSample[] {
  for (let i = commits.length - 1; i >= 1; i--) if (lagOf(commits[i]!)! < lagOf(commits[i - 1]!)!) return [commits[i - 1]!, commits[i]!];
  return [commits[0]!, commits.at(-1)!];
}

function withCurrent(points: readonly LagSample[], current: LagSample): LagSample[] {
  return points.at(-1)?.tMs === current.tMs ? [...points] : [...points, current];
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

const GROUP_RANK: Record<GroupStatusCode, number> = { NOTFOUND: 0, OK: 1, WARN: 2, ERR: 3 };

/** The group's status from its partitions': worst wins, STOP, STALL and REWIND count as ERR. */
export function rollUpGroup(groupId: string, partitions: readonly PartitionLagResult[]): GroupLagStatus {
  const sorted = [...partitions].sort((a, b) => compareTopicPartitions(a.status, b.status));
  let status: GroupStatusCode = 'OK';
  let totalLag = 0;
  let maxLag: GroupLagStatus['maxLag'] = null;
  for (const { status: p } of sorted) {
    const rolled = groupCodeOf(p.status);
    if (GROUP_RANK[rolled] > GROUP_RANK[status]) status = rolled;
    if (p.currentLag === null) continue;
    totalLag += p.currentLag;
    if (maxLag === null || p.currentLag > maxLag.lag) maxLag = { topic: p.topic, partition: p.partition, lag: p.currentLag };
  }
  const complete = sorted.length === 0 ? 0 : sorted.reduce((sum, p) => sum + p.complete, 0) / sorted.length;
  return { groupId, status, totalLag, maxLag, complete: Math.min(1, complete), partitions: sorted.map((p) => p.status) };
}

export function notFoundGroup(groupId: string): GroupLagStatus {
  return { groupId, status: 'NOTFOUND', totalLag: 0, maxLag: null, complete: 0, partitions: [] };
}

export function groupCodeOf(status: PartitionStatusCode): GroupStatusCode {
  return status === 'OK' || status === 'WARN' ? status : 'ERR';
}

/** The partition that decided the group's status (the first of the worst), or null when all are OK. */
export function worstPartition(group: GroupLagStatus): PartitionLagStatus | null {
  const rank = (s: PartitionStatusCode): number => GROUP_RANK[groupCodeOf(s)];
  let worst: PartitionLagStatus | null = null;
  for (const p of group.partitions) if (p.status !== 'OK' && (worst === null || rank(p.status) > rank(worst.status))) worst = p;
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

/** How a retention warning about records already deleted begins (the timeline tells it from a risk by this). */
export const RETENTION_LOST_PREFIX = 'Records lost to retention';

/**
 * A sentence when the oldest unconsumed records were, or are about to be, deleted by retention
 * before this group reads them; null otherwise.
 */
export function retentionWarning(input: RetentionInput, share: number = metricsDefaults.retentionWarningShare): string | null {
  const { committedOffset, logStartOffset } = input;
  if (logStartOffset !== null && committedOffset < logStartOffset) {
    return (
      `${RETENTION_LOST_PREFIX}: the committed offset ${committedOffset} is below the log start offset ${logStartOffset}, so ${logStartOffset - committedOffset} records were deleted before this group read them; ` +
      `the consumer's fetch position is out of range and it resets per auto.offset.reset.`
    );
  }
  if (input.highWatermark === null || committedOffset >= input.highWatermark) return null;
  return retentionTimeWarning(input, share) ?? retentionBytesWarning(input, share);
}

function retentionTimeWarning(input: RetentionInput, share: number): string | null {
  const timestampMs = input.oldestUnconsumedTimestampMs;
  if (input.retentionMs < 0 || timestampMs === null) return null;
  const ageMs = Math.max(0, input.nowMs - timestampMs);
  if (ageMs < share * input.retentionMs) return null;
  const head = `The oldest unconsumed record (offset ${input.committedOffset}) is ${formatDuration(ageMs)} old and retention.ms=${input.retentionMs} (${formatDuration(input.retentionMs)})`;
  if (ageMs >= input.retentionMs) return `${head} already allows its segment to be deleted at the next retention check, before this group reads it.`;
  return `${head} deletes it in about ${formatDuration(input.retentionMs - ageMs)}, before this group reads it at the current pace.`;
}

function retentionBytesWarning(input: RetentionInput, share: number): string | null {
  const { logStartOffset, logEndOffset, sizeBytes, retentionBytes, committedOffset } = input;
  if (retentionBytes < 0 || sizeBytes === null || logStartOffset === null || logEndOffset === null || logEndOffset <= logStartOffset) return null;
  // Bytes from the committed offset to the log end, at the log's average record size.
  const unreadBytes = (sizeBytes * (logEndOffset - committedOffset)) / (logEndOffset - logStartOffset);
  if (unreadBytes < share * retentionBytes) return null;
  return (
    `About ${formatBytes(unreadBytes)} of records are unread (offsets ${committedOffset}–${logEndOffset - 1}) against retention.bytes=${retentionBytes} (${formatBytes(retentionBytes)}): ` +
    `the oldest segments beyond that size are deleted, unread records first.`
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Lag of a sample: high watermark minus committed offset, floored at 0 (Burrow floors it too); null when the high watermark is unknown. */
export function lagOf(sample: LagSample): number | null {
  return sample.highWatermark === null ? null : Math.max(0, sample.highWatermark - sample.committedOffset);
}

function toWindowPoint(sample: LagSample): LagWindowPoint {
  return { tMs: sample.tMs, committedOffset: sample.committedOffset, logEndOffset: sample.logEndOffset, lag: lagOf(sample) };
}

function spanMs(window: readonly LagSample[]): number {
  return window.length < 2 ? 0 : window.at(-1)!.tMs - window[0]!.tMs;
}

/** The longest gap between consecutive commits among the remembered ones (0 with fewer than two). */
function longestCommitGapMs(commits: readonly LagSample[]): number {
  let longest = 0;
  for (let i = 1; i < commits.length; i++) longest = Math.max(longest, commits[i]!.lastCommitMs - commits[i - 1]!.lastCommitMs);
  return longest;
}

function trendOf(lags: readonly number[]): { rose: number; fell: number } {
  let rose = 0;
  let fell = 0;
  for (let i = 1; i < lags.length; i++) {
    if (lags[i]! > lags[i - 1]!) rose += 1;
    else if (lags[i]! < lags[i - 1]!) fell += 1;
  }
  return { rose, fell };
}

function describeTrend(trend: { rose: number; fell: number }, commits: number): string {
  if (trend.fell > 0) return `lag right after the last ${commits} commits fell ${trend.fell} time(s)`;
  return `lag right after the last ${commits} commits rose only ${trend.rose} time(s) and otherwise stayed level`;
}

function ratesText(consumePerSec: number | null, producePerSec: number | null): string {
  if (consumePerSec === null || producePerSec === null) return '';
  return ` (it consumes ${consumePerSec.toFixed(1)} records/s while ${producePerSec.toFixed(1)} records/s arrive)`;
}

/** "850 ms", "12 s", "3 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1000) return `${rounded} ms`;
  const totalSeconds = Math.round(rounded / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
