/**
 * The metrics recorder on virtual time over a fake lab (seeded): memory that stays the same after
 * an hour as after ten minutes, a delta stream within its bandwidth bound for the issue's lab
 * (12 partitions, 2 groups, 6 service replicas), a skip of an hour delivered as one small push,
 * series that go away with their topic, and lag status computed every sample as a workshop
 * participant sees it: an idle partition OK, a crashed consumer STOP, a slow one WARN.
 */
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { EventTimeline } from '../../../engine/metrics/event-timeline.js';
import { MetricsRecorder } from '../../../engine/metrics/metrics-recorder.js';
import { metricsLimits } from '../../../engine/metrics/metrics-limits.js';
import type { MetricsDelta, SeriesKey } from '../../../engine/api/metrics-dto.js';
import { MetricsDeltaSchema, MetricsSnapshotSchema } from '../../../engine/api/metrics-dto.js';
import { FakeLab } from './metrics-lab.js';

const T0 = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const SEEDS = [7, 1234, 99_991];

/** The issue's lab: orders with 12 partitions, inventory keeping up, audit slower than production, 2 order services, 6 inventory replicas. */
function issueLab(seed: number): { scheduler: Scheduler; lab: FakeLab; recorder: MetricsRecorder; timeline: EventTimeline } {
  const scheduler = new Scheduler(T0);
  const lab = new FakeLab(scheduler, seed);
  lab.addTopic('orders', 12, 3);
  lab.addGroup('inventory', ['orders'], Infinity);
  lab.addGroup('audit', ['orders'], 1);
  lab.producerTotals.set('order-service-1', 0);
  lab.producerTotals.set('order-service-2', 0);
  for (let i = 1; i <= 6; i++) lab.serviceTotals.set(`inventory-${i}`, 0);
  const timeline = new EventTimeline();
  const recorder = new MetricsRecorder({ sources: lab, clock: scheduler, timers: scheduler, timeline });
  return { scheduler, lab, recorder, timeline };
}

function keyTopic(key: SeriesKey): string | null {
  return key.scope === 'partition' || key.scope === 'group' ? key.topic : null;
}

describe('memory stays bounded', () => {
  // One seed: the run is deterministic, and an hour of samples is the most expensive test here.
  it.each([SEEDS[0]!])('once every ring filled (an hour), ten more minutes add nothing (seed %i)', (seed) => {
    const { scheduler, recorder, timeline } = issueLab(seed);
    scheduler.runUntil(T0 + 61 * MINUTE);
    const anHour = recorder.ringSizes();
    scheduler.runUntil(T0 + 71 * MINUTE);
    expect(recorder.ringSizes(), `seed ${seed}`).toEqual(anHour);
    // 12 × 4 partition series, 2 × 12 × 5 group series, 2 × 2 producer series, 6 service series.
    expect(anHour.series, `seed ${seed}`).toBe(48 + 120 + 4 + 6);
    expect(anHour.points, `seed ${seed}`).toBe(anHour.series * metricsLimits.ringCapacity);
    expect(anHour.instants).toBe(metricsLimits.ringCapacity);
    expect(timeline.size()).toBeLessThanOrEqual(metricsLimits.timelineEntriesMax);
  });

  it('refuses series past the limit and counts them', () => {
    const scheduler = new Scheduler(T0);
    const lab = new FakeLab(scheduler, 3);
    lab.addTopic('wide', 501, 1); // 501 × 4 = 2004 series wanted
    const recorder = new MetricsRecorder({ sources: lab, clock: scheduler, timers: scheduler });
    scheduler.runUntil(T0 + 3 * SECOND);
    expect(recorder.ringSizes().series).toBe(metricsLimits.seriesMax);
    expect(recorder.refusedSeries).toBe(4);
  });
});

describe('the delta stream', () => {
  /** Bytes per real second (10 takeDelta calls) over 10 minutes, with a crash of the slow group half-way. */
  function measure(seed: number, engineMsPerCall: number): { firstPush: number; maxPerSecond: number; meanPerSecond: number; deltas: MetricsDelta[] } {
    const { scheduler, lab, recorder } = issueLab(seed);
    const deltas: MetricsDelta[] = [];
    const perSecond: number[] = [];
    let second = 0;
    let calls = 0;
    for (let t = engineMsPerCall; t <= 10 * MINUTE; t += engineMsPerCall) {
      scheduler.runUntil(T0 + t);
      if (t === 5 * MINUTE) lab.groupsById.get('audit')!.crashed = true;
      const delta = recorder.takeDelta();
      if (delta !== null) deltas.push(delta);
      second += delta === null ? 0 : JSON.stringify(delta).length;
      if (++calls % 10 === 0) {
        perSecond.push(second);
        second = 0;
      }
    }
    const steady = perSecond.slice(1);
    return {
      firstPush: JSON.stringify(deltas[0]).length,
      maxPerSecond: Math.max(...steady),
      meanPerSecond: steady.reduce((a, b) => a + b, 0) / steady.length,
      deltas,
    };
  }

  it.each(SEEDS)('stays within 20 KB in any real second at 1× speed, pushing 10 times a second (seed %i)', (seed) => {
    const { firstPush, maxPerSecond, meanPerSecond, deltas } = measure(seed, 100);
    const numbers = `seed ${seed}: first push ${firstPush} B, max ${maxPerSecond} B/s, mean ${Math.round(meanPerSecond)} B/s`;
    expect(firstPush, numbers).toBeLessThanOrEqual(35_000);
    expect(maxPerSecond, numbers).toBeLessThanOrEqual(20_000);
    expect(meanPerSecond, numbers).toBeLessThanOrEqual(10_000);
    // The contract's shape, and the crash reached the stream as an ERR.
    for (const delta of deltas.slice(0, 20)) expect(MetricsDeltaSchema.safeParse(delta).success, numbers).toBe(true);
    expect(deltas.some((d) => d.lagStatus.some((g) => g.groupId === 'audit' && g.status === 'ERR')), numbers).toBe(true);
  });

  it.each(SEEDS)('stays within 35 KB in any real second at 10× speed (seed %i)', (seed) => {
    const { maxPerSecond } = measure(seed, 1000);
    expect(maxPerSecond, `seed ${seed}: max ${maxPerSecond} B/s`).toBeLessThanOrEqual(35_000);
  });

  it('a skip of an hour is one small push of 10 evenly spaced samples ending at the newest', () => {
    const seed = 42;
    const { scheduler, recorder } = issueLab(seed);
    scheduler.runUntil(T0 + 5 * SECOND);
    recorder.takeDelta();
    scheduler.runUntil(T0 + 5 * SECOND + 60 * MINUTE);
    const delta = recorder.takeDelta()!;
    const bytes = JSON.stringify(delta).length;
    expect(delta.samples, `seed ${seed}`).toHaveLength(metricsLimits.samplesPerPushMax);
    expect(bytes, `seed ${seed}: ${bytes} B`).toBeLessThanOrEqual(30_000);
    const times = delta.samples.map((s) => s.tMs);
    expect(times.at(-1)).toBe(T0 + 5 * SECOND + 60 * MINUTE);
    // Only what the rings still hold (the last 10 minutes), evenly spaced.
    expect(times[0]).toBeGreaterThan(times.at(-1)! - metricsLimits.ringCapacity * SECOND);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(SECOND);
    // Every value lines up with the series' own point at that instant.
    const snapshot = recorder.snapshot();
    expect(MetricsSnapshotSchema.safeParse(snapshot).success).toBe(true);
    const byId = new Map(snapshot.series.map((s) => [s.id, s]));
    for (const sample of delta.samples) {
      delta.columns.forEach((id, column) => {
        const series = byId.get(id)!;
        expect(sample.values[column], `series ${JSON.stringify(series.key)} at ${sample.tMs}`).toBe(series.v[series.t.indexOf(sample.tMs)]);
      });
    }
  });

  it('a series goes away with its topic, and a topic created again gets new ids', () => {
    const scheduler = new Scheduler(T0);
    const lab = new FakeLab(scheduler, 5);
    lab.addTopic('orders', 2, 2);
    lab.addTopic('audit-log', 2, 2);
    lab.addGroup('inventory', ['orders'], Infinity);
    lab.addGroup('auditor', ['audit-log'], Infinity);
    const recorder = new MetricsRecorder({ sources: lab, clock: scheduler, timers: scheduler });
    scheduler.runUntil(T0 + 30 * SECOND);
    const first = recorder.takeDelta()!;
    const auditIds = first.added.filter((a) => keyTopic(a.key) === 'audit-log').map((a) => a.id);
    expect(auditIds).toHaveLength(2 * 4 + 2 * 5);

    lab.topics.delete('audit-log');
    scheduler.runUntil(T0 + 31 * SECOND);
    const delta = recorder.takeDelta()!;
    expect([...delta.removed].sort((a, b) => a - b)).toEqual([...auditIds].sort((a, b) => a - b));
    expect(delta.columns.some((id) => auditIds.includes(id))).toBe(false);
    expect(recorder.snapshot().series.some((s) => keyTopic(s.key) === 'audit-log')).toBe(false);
    expect(recorder.lagStatus('auditor')).toMatchObject({ status: 'OK', partitions: [] });

    lab.addTopic('audit-log', 2, 2);
    scheduler.runUntil(T0 + 32 * SECOND);
    const again = recorder.takeDelta()!.added.filter((a) => keyTopic(a.key) === 'audit-log');
    expect(again.length).toBeGreaterThan(0);
    expect(Math.min(...again.map((a) => a.id))).toBeGreaterThan(Math.max(...first.added.map((a) => a.id)));
  });

  it('a group that goes away is reported NOTFOUND once', () => {
    const { scheduler, lab, recorder } = issueLab(11);
    scheduler.runUntil(T0 + 20 * SECOND);
    recorder.takeDelta();
    lab.groupsById.delete('audit');
    scheduler.runUntil(T0 + 21 * SECOND);
    expect(recorder.takeDelta()!.lagStatus.filter((g) => g.groupId === 'audit')).toEqual([
      { groupId: 'audit', status: 'NOTFOUND', totalLag: 0, maxLag: null, complete: 0, partitions: [] },
    ]);
    expect(recorder.lagStatus('audit').status).toBe('NOTFOUND');
    scheduler.runUntil(T0 + 22 * SECOND);
    expect(recorder.takeDelta()?.lagStatus.some((g) => g.groupId === 'audit') ?? false).toBe(false);
  });
});

describe('lag status, evaluated every sample', () => {
  it('an idle partition with zero lag stays OK for ten minutes, also after its consumer stopped committing', () => {
    const scheduler = new Scheduler(T0);
    const lab = new FakeLab(scheduler, 8);
    lab.addTopic('idle', 1, 0);
    const group = lab.addGroup('inventory', ['idle'], Infinity);
    const recorder = new MetricsRecorder({ sources: lab, clock: scheduler, timers: scheduler });
    for (let t = 10 * SECOND; t <= 10 * MINUTE; t += 10 * SECOND) {
      if (t === 2 * MINUTE) group.crashed = true;
      scheduler.runUntil(T0 + t);
      const [p] = recorder.lagStatus('inventory').partitions;
      expect(p, `at ${t / SECOND} s`).toMatchObject({ status: 'OK', rule: 'lag-within-allowed', currentLag: 0 });
    }
    expect(recorder.lagStatus('inventory').partitions[0]!.reason).toMatch(/an idle partition, not STOP\.$/);
  });

  it.each(SEEDS)('a consumer that crashes without committing is STOP within seconds, and back to OK once it resumes (seed %i)', (seed) => {
    const { scheduler, lab, recorder, timeline } = issueLab(seed);
    const inventory = lab.groupsById.get('inventory')!;
    scheduler.runUntil(T0 + 2 * MINUTE);
    expect(recorder.lagStatus('inventory').status, `seed ${seed}`).toBe('OK');
    inventory.crashed = true;
    scheduler.runUntil(T0 + 2 * MINUTE + 16 * SECOND);
    const stopped = recorder.lagStatus('inventory');
    expect(stopped.status, `seed ${seed}`).toBe('ERR');
    const stops = stopped.partitions.filter((p) => p.status === 'STOP');
    expect(stops.length, `seed ${seed}: ${stopped.partitions.map((p) => `${p.status}/${p.rule}`).join(' ')}`).toBeGreaterThanOrEqual(10);
    for (const p of stops) {
      expect(p.reason).toMatch(/^No commit for 1\d s while records waited at every sample \(lag \d+ → \d+, committed offset \d+\): longer than the 9 s window and 2 × the longest recent gap between commits \(5 s\)\. The consumer stopped committing\.$/);
      expect(p.window).toHaveLength(10);
    }
    const span = timeline.entriesAfter(0, 100).entries.find((e) => e.code === 'lag-status.err' && e.params['groupId'] === 'inventory');
    expect(span?.text, `seed ${seed}`).toMatch(/^Consumer group inventory is ERR: orders-\d+ is STOP \(commits-stopped\)\. No commit for/);
    expect(span?.endMs).toBeNull();

    inventory.crashed = false;
    scheduler.runUntil(T0 + 2 * MINUTE + 40 * SECOND);
    expect(recorder.lagStatus('inventory').status, `seed ${seed}`).toBe('OK');
    expect(timeline.get(span!.id)?.endMs, `seed ${seed}`).not.toBeNull();
  });

  it.each(SEEDS)('a consumer slower than production is WARN with its rates in the reason (seed %i)', (seed) => {
    const { scheduler, recorder } = issueLab(seed);
    scheduler.runUntil(T0 + 3 * MINUTE);
    const audit = recorder.lagStatus('audit');
    expect(audit.status, `seed ${seed}`).toBe('WARN');
    const warned = audit.partitions.filter((p) => p.status === 'WARN');
    expect(warned.length, `seed ${seed}: ${audit.partitions.map((p) => p.status).join(' ')}`).toBeGreaterThanOrEqual(6);
    for (const p of warned) {
      expect(p.reason).toMatch(/^Lag right after each of the last 10 commits never fell and rose \d+ times \(\d+ → \d+\), and is \d+ now: the group is falling behind \(it consumes 4\.0 records\/s while [\d.]+ records\/s arrive\)\.$/);
      expect(p.etaMs).toBeNull();
    }
  });

  it('a consumer stuck on a record that keeps committing the same offset is STALL', () => {
    const seed = 17;
    const { scheduler, lab, recorder } = issueLab(seed);
    scheduler.runUntil(T0 + MINUTE);
    lab.groupsById.get('inventory')!.consumePerTick = 0;
    scheduler.runUntil(T0 + MINUTE + 20 * SECOND);
    const stalled = recorder.lagStatus('inventory').partitions.filter((p) => p.status === 'STALL');
    expect(stalled.length, `seed ${seed}`).toBeGreaterThanOrEqual(10);
    expect(stalled[0]!.reason).toMatch(/^Committed offset stayed at \d+ for the whole 9 s window while the group keeps committing \(last commit \d+ s ago\) and lag went \d+ → \d+: the consumer is alive but not advancing\.$/);
  });

  it('a group seeking back is REWIND until it passes where it was', () => {
    const seed = 23;
    const { scheduler, lab, recorder } = issueLab(seed);
    scheduler.runUntil(T0 + MINUTE);
    const o = lab.groupsById.get('audit')!.offsets.get('orders')!.get(0)!;
    const before = o.committed!;
    o.position = 0; // kafka-consumer-groups --reset-offsets --to-earliest, as the group sees it
    scheduler.runUntil(T0 + MINUTE + 8 * SECOND); // the next auto-commit (at 65 s) committed the earlier position
    const p = recorder.lagStatus('audit').partitions[0]!;
    expect(p.status, `seed ${seed}`).toBe('REWIND');
    expect(p.reason, `seed ${seed}`).toMatch(new RegExp(`^Committed offset went back from ${before} to \\d+ \\d+ s ago and has not returned to ${before} since \\(now \\d+\\): the group will consume those records again\\.$`));
    expect(recorder.lagStatus('audit').status).toBe('ERR');
  });

  it('time lag is the age of the record at the committed offset, and ETA follows the rates while catching up', () => {
    const seed = 21;
    const scheduler = new Scheduler(T0);
    const lab = new FakeLab(scheduler, seed);
    lab.addTopic('backlog', 3, 1);
    const recorder = new MetricsRecorder({ sources: lab, clock: scheduler, timers: scheduler });
    scheduler.runUntil(T0 + 2 * MINUTE);
    lab.addGroup('replay', ['backlog'], 2); // 8 records/s against about 2 arriving
    scheduler.runUntil(T0 + 2 * MINUTE + 30 * SECOND);
    const nowMs = scheduler.nowMs();
    for (const p of recorder.lagStatus('replay').partitions) {
      const committed = p.window.at(-1)!.committedOffset!;
      expect(p.timeLagMs, `seed ${seed} partition ${p.partition}`).toBe(nowMs - lab.recordTimestampMs('backlog', p.partition, committed)!);
      const produceRate = recorder.snapshot().series.find((s) => s.key.scope === 'partition' && s.key.partition === p.partition && s.key.metric === 'produceRate')!.v.at(-1)!;
      expect(p.consumeRatePerSec!, `seed ${seed}`).toBeGreaterThan(produceRate);
      const expectedEtaMs = (p.currentLag! / (p.consumeRatePerSec! - produceRate)) * 1000;
      expect(Math.abs(p.etaMs! - expectedEtaMs) / expectedEtaMs, `seed ${seed}: eta ${p.etaMs} vs ${expectedEtaMs}`).toBeLessThan(0.1);
    }
  });

  it('warns when retention is about to delete unread records, and says when it did', () => {
    const seed = 31;
    const { scheduler, lab, recorder, timeline } = issueLab(seed);
    lab.retentionMsByTopic.set('orders', MINUTE);
    scheduler.runUntil(T0 + 160 * SECOND);
    // audit reads 4 of about 6 records/s: its oldest unread record is about a third of the run old, past 48 s (80% of 1 min).
    const risky = recorder.lagStatus('audit').partitions.filter((p) => p.retentionWarning !== null);
    expect(risky.length, `seed ${seed}`).toBeGreaterThan(0);
    expect(risky[0]!.retentionWarning).toMatch(/^The oldest unconsumed record \(offset \d+\) is \d+ s old and retention\.ms=60000 \(1 min\) deletes it in about \d+ s, before this group reads it at the current pace\.$/);
    const risk = timeline.entriesAfter(0, 1000).entries.find((e) => e.code === 'lag-status.retention-risk');
    expect(risk, `seed ${seed}`).toMatchObject({ kind: 'lag-status', severity: 'warn', params: { groupId: 'audit', topic: 'orders' } });

    // The broker's retention deletes 50 records of orders-0 past audit's committed offset.
    const committed = lab.groupsById.get('audit')!.offsets.get('orders')!.get(0)!.committed!;
    lab.topics.get('orders')![0]!.logStartOffset = committed + 50;
    scheduler.runUntil(T0 + 161 * SECOND);
    expect(recorder.lagStatus('audit').partitions[0]!.retentionWarning).toBe(
      `Records lost to retention: the committed offset ${committed} is below the log start offset ${committed + 50}, so 50 records were deleted before this group read them; the consumer's fetch position is out of range and it resets per auto.offset.reset.`,
    );
    const lost = timeline.entriesAfter(0, 1000).entries.find((e) => e.code === 'lag-status.retention-lost');
    expect(lost, `seed ${seed}`).toMatchObject({ kind: 'data-loss', severity: 'error', params: { groupId: 'audit', topic: 'orders', partition: 0 } });
  });

  it('close stops sampling', () => {
    const { scheduler, recorder } = issueLab(1);
    scheduler.runUntil(T0 + 5 * SECOND);
    recorder.close();
    const before = recorder.ringSizes();
    scheduler.runUntil(T0 + 20 * SECOND);
    expect(recorder.ringSizes()).toEqual(before);
    expect(before.instants).toBe(5);
  });
});
