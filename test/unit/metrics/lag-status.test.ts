/**
 * Lag status in Burrow's vocabulary, one rule at a time, each driven by the samples a consumer
 * would produce (a crashed consumer, a slow one, a stuck one, a reset one, an idle partition), with
 * the reason a workshop participant reads checked word for word. Also the cases where Burrow is
 * known to cry wolf (idle partitions, a level lag on a busy topic, a consumer committing once per
 * long batch), the group roll-up and the retention warning.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultLagRules,
  evaluatePartition,
  formatDuration,
  lagOf,
  notFoundGroup,
  retentionWarning,
  rollUpGroup,
  type LagSample,
  type PartitionLagInput,
  type PartitionLagResult,
  type RetentionInput,
} from '../../../engine/metrics/lag-status.js';

const T0 = 1_700_000_000_000;
const SECOND = 1000;

interface ConsumerRun {
  readonly seconds: number;
  readonly producePerSec: number;
  readonly consumePerSec: number;
  readonly commitEverySec: number;
  /** The consumer dies at this second: no more fetching or committing. */
  readonly crashAtSec?: number;
  /** The consumer stops advancing at this second but keeps committing (a stuck record). */
  readonly stuckAtSec?: number;
  /** The consumer stays this many records behind the high watermark at best. */
  readonly behind?: number;
  /** Where the commit times come from: the coordinator (every commit), or only when the offset moves. */
  readonly commitTimes?: 'coordinator' | 'offset-moves';
}

/** One sample a second of a consumer on one partition, as the recorder would take them. */
function run(c: ConsumerRun): { input: PartitionLagInput; samples: LagSample[] } {
  let hw = 1000;
  let position = 1000;
  let committed = 1000;
  let lastCommitMs = T0;
  const samples: LagSample[] = [];
  const commits: LagSample[] = [];
  for (let s = 1; s <= c.seconds; s++) {
    const nowMs = T0 + s * SECOND;
    hw += c.producePerSec;
    const alive = c.crashAtSec === undefined || s < c.crashAtSec;
    const advancing = alive && (c.stuckAtSec === undefined || s < c.stuckAtSec);
    if (advancing) position = Math.min(hw - (c.behind ?? 0), position + c.consumePerSec);
    let commitSeen = false;
    if (alive && s % c.commitEverySec === 0) {
      const moved = position !== committed;
      commitSeen = moved || c.commitTimes !== 'offset-moves';
      if (commitSeen) lastCommitMs = nowMs;
      committed = position;
    }
    const sample = { tMs: nowMs, committedOffset: committed, logEndOffset: hw, highWatermark: hw, lastCommitMs };
    samples.push(sample);
    if (commitSeen) commits.push(sample);
  }
  return {
    samples,
    input: {
      topic: 'orders',
      partition: 0,
      nowMs: T0 + c.seconds * SECOND,
      window: samples.slice(-defaultLagRules.windowSamples),
      commits: commits.slice(-10),
      timeLagMs: null,
      consumeRatePerSec: c.consumePerSec,
      produceRatePerSec: c.producePerSec,
      etaMs: null,
      retention: null,
    },
  };
}

/**
 * A window from explicit (committed, high watermark) pairs, one a second ending at `nowMs`; the
 * commit time is the sample where the committed offset last moved (the recorder's stand-in when the
 * coordinator's commit times are not known).
 */
function rows(pairs: readonly (readonly [number, number | null])[]): PartitionLagInput {
  const nowMs = T0 + pairs.length * SECOND;
  let lastCommitMs = T0 + SECOND;
  const window = pairs.map(([c, hw], i) => {
    const tMs = T0 + (i + 1) * SECOND;
    if (i > 0 && c !== pairs[i - 1]![0]) lastCommitMs = tMs;
    return { tMs, committedOffset: c, logEndOffset: hw, highWatermark: hw, lastCommitMs };
  });
  return { topic: 'orders', partition: 1, nowMs, window, commits: [], timeLagMs: null, consumeRatePerSec: null, produceRatePerSec: null, etaMs: null, retention: null };
}

describe('partition lag status: OK', () => {
  it('is OK when the group has no committed offset yet', () => {
    const { status, complete } = evaluatePartition(rows([]));
    expect(status.status).toBe('OK');
    expect(status.rule).toBe('no-committed-offset');
    expect(status.reason).toBe('The group has no committed offset for this partition yet (kafka-consumer-groups shows CURRENT-OFFSET -), so there is no lag to judge.');
    expect(status.currentLag).toBeNull();
    expect(complete).toBe(0);
  });

  it('an idle partition with zero lag stays OK, with a reason that holds no moving numbers', () => {
    // Nothing produced, the consumer commits every 5 s: lag 0 at every sample for 10 minutes.
    const { input } = run({ seconds: 600, producePerSec: 0, consumePerSec: 50, commitEverySec: 5 });
    const { status, complete } = evaluatePartition(input);
    expect(status).toMatchObject({ status: 'OK', rule: 'lag-within-allowed', currentLag: 0 });
    expect(status.reason).toBe('Caught up: the committed offset is at the high watermark.');
    expect(status.window).toEqual([{ tMs: input.nowMs, committedOffset: 1000, logEndOffset: 1000, lag: 0 }]);
    expect(complete).toBe(1);
  });

  it('an idle partition whose consumer stopped committing stays OK, never STOP (Burrow\'s false alarm)', () => {
    // The consumer died 5 minutes ago, but nothing was produced since: nothing waits.
    const { input } = run({ seconds: 600, producePerSec: 0, consumePerSec: 50, commitEverySec: 5, crashAtSec: 300 });
    expect(input.nowMs - input.window.at(-1)!.lastCommitMs).toBeGreaterThan(290 * SECOND);
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('OK');
    expect(status.rule).toBe('lag-within-allowed');
    expect(status.reason).toBe(
      'Caught up: the committed offset is at the high watermark. The group has not committed for longer than the window, but nothing waits to be consumed: an idle partition, not STOP.',
    );
  });

  it('is OK while the lag is within the allowed lag', () => {
    const input = rows(Array.from({ length: 10 }, (_, i) => [100 + i, 103 + i] as const));
    const { status } = evaluatePartition(input, { ...defaultLagRules, allowedLag: 5 });
    expect(status).toMatchObject({ status: 'OK', rule: 'lag-within-allowed', currentLag: 3, reason: 'Lag is within the allowed lag of 5.' });
  });

  it('is OK when the group caught up at some sample of the window (Burrow\'s rule 1)', () => {
    const pairs: [number, number][] = [
      [100, 110], [105, 115], [115, 115], [115, 125], [115, 135], [135, 145], [135, 150], [135, 160], [150, 175], [150, 190],
    ];
    const { status } = evaluatePartition(rows(pairs));
    expect(status.status).toBe('OK');
    expect(status.rule).toBe('caught-up-in-window');
    expect(status.reason).toBe('Lag is 40 now, but it was 0 (within the allowed 0) 7 s ago, inside the 10-sample window: the group keeps catching up.');
    // The evidence: the sample that caught up, and now.
    expect(status.window).toEqual([
      { tMs: T0 + 3 * SECOND, committedOffset: 115, logEndOffset: 115, lag: 0 },
      { tMs: T0 + 10 * SECOND, committedOffset: 150, logEndOffset: 190, lag: 40 },
    ]);
  });

  it('a busy topic whose lag stays level at every commit is OK, where Burrow would say WARN', () => {
    // The consumer keeps exactly 3 records behind: lag 3, 3, 3 ... at every commit never decreases.
    const { input } = run({ seconds: 60, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, behind: 3 });
    expect(input.commits.map(lagOf)).toEqual(Array(10).fill(3));
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('OK');
    expect(status.rule).toBe('lag-not-increasing');
    expect(status.reason).toBe('Lag is above the allowed 0 but not growing: lag right after the last 10 commits rose only 0 time(s) and otherwise stayed level.');
    // The evidence: the first and the last of those commits (the last is now).
    expect(status.window.map((p) => [p.tMs - T0, p.lag])).toEqual([
      [15 * SECOND, 3],
      [60 * SECOND, 3],
    ]);
  });

  it('does not call a trend from too few commits', () => {
    const { input } = run({ seconds: 12, producePerSec: 100, consumePerSec: 80, commitEverySec: 5 });
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('OK');
    expect(status.reason).toBe('Lag is above the allowed 0 but not growing: 2 commit(s) seen, too few to call a trend (WARN needs 3).');
  });

  it('is OK when the high watermark is unknown (no leader), naming the partition', () => {
    const { status } = evaluatePartition(rows([[100, 120], [100, null]]));
    expect(status).toMatchObject({ status: 'OK', rule: 'lag-unknown', currentLag: null });
    expect(status.reason).toBe('The high watermark of orders-1 is unknown (no leader answers), so its lag cannot be measured; committed offset 100.');
  });

  it('says so when the committed offset is beyond the high watermark (the log was truncated)', () => {
    const { status } = evaluatePartition(rows([[130, 120]]));
    expect(status).toMatchObject({ status: 'OK', currentLag: 0 });
    expect(status.reason).toBe('Committed offset 130 is beyond the high watermark 120 (the log was truncated after the commit): nothing is left to consume.');
  });
});

describe('partition lag status: STOP', () => {
  it('a crashed consumer is STOP once the silence outlasts the window and twice its commit gap', () => {
    // Keeps up, commits every 5 s, crashes at 60 s (last commit at 55 s); production goes on.
    const { input } = run({ seconds: 69, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, crashAtSec: 60 });
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('STOP');
    expect(status.rule).toBe('commits-stopped');
    expect(status.reason).toBe(
      'No commit for 14 s while records waited at every sample (lag 500 → 1400, committed offset 6500): longer than the 9 s window and 2 × the longest recent gap between commits (5 s). The consumer stopped committing.',
    );
    expect(status.window.map((p) => p.lag)).toEqual([500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400]);
    expect(status.currentLag).toBe(1400);
  });

  it('is not STOP at exactly 2 × the commit gap of silence, and is one second later', () => {
    const at = (seconds: number): string => evaluatePartition(run({ seconds, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, crashAtSec: 60 }).input).status.status;
    expect(at(65)).toBe('OK'); // 10 s of silence = 2 × 5 s
    expect(at(66)).toBe('STOP');
  });

  it('a consumer that commits once per 25 s batch is not STOP 20 s into a batch', () => {
    const { input } = run({ seconds: 95, producePerSec: 10, consumePerSec: 10, commitEverySec: 25 });
    expect(input.nowMs - input.window.at(-1)!.lastCommitMs).toBe(20 * SECOND);
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('OK');
    expect(status.rule).toBe('lag-not-increasing');
  });

  it('a stuck consumer is STOP, not STALL, when the commit times are not known', () => {
    const { input } = run({ seconds: 77, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, stuckAtSec: 60, commitTimes: 'offset-moves' });
    expect(evaluatePartition(input).status.status).toBe('STOP');
  });
});

describe('partition lag status: STALL, REWIND, WARN', () => {
  it('a consumer that keeps committing the same offset while records wait is STALL', () => {
    // Stuck on a record at 60 s; the coordinator still receives a commit every 5 s.
    const { input } = run({ seconds: 77, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, stuckAtSec: 60 });
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('STALL');
    expect(status.rule).toBe('offset-not-advancing');
    expect(status.reason).toBe(
      'Committed offset stayed at 6900 for the whole 9 s window while the group keeps committing (last commit 2 s ago) and lag went 900 → 1800: the consumer is alive but not advancing.',
    );
  });

  it('a committed offset that went back and stayed back is REWIND', () => {
    const pairs: [number, number][] = [
      [1500, 1600], [1500, 1600], [1500, 1600], [1500, 1600], [200, 1600], [210, 1600], [220, 1600], [240, 1600], [250, 1600], [260, 1600],
    ];
    const { status } = evaluatePartition(rows(pairs));
    expect(status.status).toBe('REWIND');
    expect(status.rule).toBe('offset-rewound');
    expect(status.reason).toBe('Committed offset went back from 1500 to 200 5 s ago and has not returned to 1500 since (now 260): the group will consume those records again.');
  });

  it('a rewind the group recovered from is forgiven', () => {
    const pairs: [number, number][] = [
      [1500, 1600], [200, 1600], [1500, 1600], [1510, 1600], [1520, 1600], [1530, 1600], [1540, 1600], [1550, 1600], [1560, 1600], [1570, 1600],
    ];
    expect(evaluatePartition(rows(pairs)).status.status).not.toBe('REWIND');
  });

  it('a slow consumer is WARN, although its sampled lag saw-tooths with every commit', () => {
    // 100 records/s arrive, the consumer handles 80/s and commits every 5 s.
    const { input } = run({ seconds: 60, producePerSec: 100, consumePerSec: 80, commitEverySec: 5 });
    const lags = input.window.map((s) => lagOf(s)!);
    // Burrow's "lag never decreases" would never fire on these samples: they fall at each commit.
    expect(lags.some((l, i) => i > 0 && l < lags[i - 1]!)).toBe(true);
    const { status } = evaluatePartition(input);
    expect(status.status).toBe('WARN');
    expect(status.rule).toBe('lag-increasing');
    expect(status.reason).toBe(
      'Lag right after each of the last 10 commits never fell and rose 9 times (300 → 1200), and is 1200 now: the group is falling behind (it consumes 80.0 records/s while 100.0 records/s arrive).',
    );
    expect(status.window.map((p) => p.lag)).toEqual([300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
  });
});

describe('group lag status', () => {
  const ok = evaluatePartition({ ...run({ seconds: 30, producePerSec: 0, consumePerSec: 10, commitEverySec: 5 }).input, partition: 0 });
  const warn = evaluatePartition({ ...run({ seconds: 60, producePerSec: 100, consumePerSec: 80, commitEverySec: 5 }).input, partition: 1 });
  const stop = evaluatePartition({ ...run({ seconds: 69, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, crashAtSec: 60 }).input, partition: 2 });
  const stall = evaluatePartition({ ...run({ seconds: 77, producePerSec: 100, consumePerSec: 100, commitEverySec: 5, stuckAtSec: 60 }).input, partition: 3 });

  it('worst partition wins: WARN stays WARN', () => {
    const group = rollUpGroup('inventory', [warn, ok]);
    expect(group.status).toBe('WARN');
    expect(group.partitions.map((p) => [p.partition, p.status])).toEqual([
      [0, 'OK'],
      [1, 'WARN'],
    ]);
  });

  it('STOP and STALL roll up to ERR, with the total and the largest lag', () => {
    const group = rollUpGroup('inventory', [ok, warn, stop]);
    expect(group.status).toBe('ERR');
    expect(group.totalLag).toBe(0 + 1200 + 1400);
    expect(group.maxLag).toEqual({ topic: 'orders', partition: 2, lag: 1400 });
    expect(rollUpGroup('inventory', [ok, stall]).status).toBe('ERR');
  });

  it('REWIND rolls up to ERR', () => {
    const rewind: PartitionLagResult = evaluatePartition(rows([[1500, 1600], [200, 1600]]));
    expect(rewind.status.status).toBe('REWIND');
    expect(rollUpGroup('inventory', [ok, rewind]).status).toBe('ERR');
  });

  it('complete is the share of the window filled, averaged over the partitions', () => {
    const half = evaluatePartition(rows(Array.from({ length: 5 }, () => [10, 10] as const)));
    expect(rollUpGroup('inventory', [ok, half]).complete).toBe(0.75);
  });

  it('an unknown group is NOTFOUND', () => {
    expect(notFoundGroup('nobody')).toEqual({ groupId: 'nobody', status: 'NOTFOUND', totalLag: 0, maxLag: null, complete: 0, partitions: [] });
  });
});

describe('retention warning', () => {
  const MIN = 60 * SECOND;
  const base: RetentionInput = {
    nowMs: T0,
    committedOffset: 1200,
    logStartOffset: 0,
    logEndOffset: 5000,
    highWatermark: 5000,
    retentionMs: 60 * MIN,
    retentionBytes: -1,
    sizeBytes: 500_000,
    oldestUnconsumedTimestampMs: T0 - 10 * MIN,
  };

  it('says records were lost when the committed offset is below the log start offset', () => {
    expect(retentionWarning({ ...base, committedOffset: 120, logStartOffset: 500 })).toBe(
      "Records lost to retention: the committed offset 120 is below the log start offset 500, so 380 records were deleted before this group read them; the consumer's fetch position is out of range and it resets per auto.offset.reset.",
    );
  });

  it('warns when the oldest unconsumed record is within the last 20% of retention.ms', () => {
    expect(retentionWarning({ ...base, oldestUnconsumedTimestampMs: T0 - 40 * MIN })).toBeNull();
    expect(retentionWarning({ ...base, oldestUnconsumedTimestampMs: T0 - 50 * MIN })).toBe(
      'The oldest unconsumed record (offset 1200) is 50 min old and retention.ms=3600000 (1 h) deletes it in about 10 min, before this group reads it at the current pace.',
    );
    expect(retentionWarning({ ...base, oldestUnconsumedTimestampMs: T0 - 70 * MIN })).toBe(
      'The oldest unconsumed record (offset 1200) is 1 h 10 min old and retention.ms=3600000 (1 h) already allows its segment to be deleted at the next retention check, before this group reads it.',
    );
  });

  it('warns when the unread records approach retention.bytes', () => {
    const bytes = { ...base, retentionMs: -1, logEndOffset: 12_000, highWatermark: 12_000, committedOffset: 3000, sizeBytes: 12 * 1024 * 1024, retentionBytes: 10 * 1024 * 1024 };
    expect(retentionWarning(bytes)).toBe(
      'About 9.0 MiB of records are unread (offsets 3000–11999) against retention.bytes=10485760 (10.0 MiB): the oldest segments beyond that size are deleted, unread records first.',
    );
    expect(retentionWarning({ ...bytes, committedOffset: 6000 })).toBeNull(); // 6 MiB unread: below 80%
  });

  it('is silent when nothing is unconsumed or retention is unlimited', () => {
    expect(retentionWarning({ ...base, committedOffset: 5000, oldestUnconsumedTimestampMs: T0 - 70 * MIN })).toBeNull();
    expect(retentionWarning({ ...base, retentionMs: -1, oldestUnconsumedTimestampMs: T0 - 70 * MIN })).toBeNull();
  });

  it('reaches the partition status', () => {
    const input = { ...rows([[1200, 5000]]), retention: { ...base, oldestUnconsumedTimestampMs: T0 - 55 * MIN } };
    expect(evaluatePartition(input).status.retentionWarning).toMatch(/^The oldest unconsumed record \(offset 1200\) is 55 min old/);
  });
});

describe('durations in reasons', () => {
  it('reads like a person would say it', () => {
    expect([850, 12_400, 185_000, 3_600_000, 7_380_000].map(formatDuration)).toEqual(['850 ms', '12 s', '3 min 5 s', '1 h', '2 h 3 min']);
  });
});
