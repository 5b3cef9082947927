/**
 * Client faults on real consumer processes (KafkaConsumer + ConsumerApp behind a ProcessGate, as
 * the services run them): a crash sends no LeaveGroup, so the group waits session.timeout.ms; a GC
 * pause stops polls and heartbeats and then resumes; slow processing and clock skew are set and
 * put back exactly as they were.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../../engine/cluster/cluster.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { faultLab } from './fault-lab.js';

const SEED = 4242;
const GROUP = 'inventory';
/** session.timeout.ms, the Java consumer's default. */
const SESSION_TIMEOUT_MS = 45_000;
/** heartbeat.interval.ms, the Java consumer's default. */
const HEARTBEAT_INTERVAL_MS = 3_000;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return `${error.errorName}: ${error.message}`;
    throw error;
  }
  throw new Error(`seed ${SEED}: expected a KafkaError`);
}

async function inventoryLab(seed = SEED) {
  const lab = faultLab(seed, { producer: { acks: 'all' } });
  await lab.createTopic('labshoppubsub', 2);
  lab.useOrderTopic('labshoppubsub', undefined);
  const first = lab.startConsumer({ clientId: 'inventory-1', groupId: GROUP, topic: 'labshoppubsub' });
  const second = lab.startConsumer({ clientId: 'inventory-2', groupId: GROUP, topic: 'labshoppubsub' });
  await lab.run(10_000);
  const removals = () =>
    lab.events.flatMap((e: ClusterEvent) => (e.type === 'group' && e.event.type === 'member-removed' && e.event.groupId === GROUP ? [{ atMs: e.event.atMs, reason: e.event.reason, memberId: e.event.memberId }] : []));
  return { ...lab, first, second, removals };
}

describe('client crash', () => {
  it('a crashed replica sends no LeaveGroup: its partition stalls until session.timeout.ms, then moves; undo restarts it and it rejoins', async () => {
    const lab = await inventoryLab();
    expect(lab.first.assignment().length, `seed ${SEED}: one partition each`).toBe(1);
    const stalled = lab.first.assignment()[0]!;
    const crashedAt = lab.scheduler.nowMs();
    const crash = lab.injector.inject({ target: { kind: 'client-crash', clientId: 'inventory-1' }, startInMs: 0, durationMs: null });
    expect(lab.first.state()).toBe('crashed');
    expect(crash.description).toBe('Client inventory-1 crashes: no commit, no LeaveGroup.');

    // The session runs from the last heartbeat, at most heartbeat.interval.ms (3 s) before the crash.
    await lab.run(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 500);
    expect(lab.removals()).toEqual([]);
    expect(lab.second.assignment()).not.toContain(stalled);

    await lab.run(HEARTBEAT_INTERVAL_MS + 2_000);
    const [removal] = lab.removals();
    expect(removal?.reason, `seed ${SEED}`).toBe('session-timeout');
    expect(removal!.atMs - crashedAt).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS);
    expect(removal!.atMs - crashedAt).toBeLessThanOrEqual(SESSION_TIMEOUT_MS);
    await lab.run(5_000);
    expect(lab.second.assignment()).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);

    lab.injector.undo(crash.faultId);
    expect(lab.first.state()).toBe('running');
    await lab.run(10_000);
    expect([...lab.first.assignment(), ...lab.second.assignment()].sort()).toEqual(['labshoppubsub-0', 'labshoppubsub-1']);
    expect(lab.first.assignment().length).toBe(1);
  });

  it('refuses to crash a client that is not running, or one a fault already crashed', async () => {
    const lab = await inventoryLab();
    const crash = lab.injector.inject({ target: { kind: 'client-crash', clientId: 'inventory-1' }, startInMs: 0, durationMs: null });
    expect(refusal(() => lab.injector.inject({ target: { kind: 'client-pause', clientId: 'inventory-1' }, startInMs: 0, durationMs: null }))).toBe(
      `INVALID_REQUEST: Client inventory-1 already has fault #${crash.faultId} (client-crash) active; undo it first.`,
    );
    lab.second.crash();
    expect(refusal(() => lab.injector.inject({ target: { kind: 'client-crash', clientId: 'inventory-2' }, startInMs: 0, durationMs: null }))).toBe(
      'INVALID_REQUEST: Client inventory-2 is not running (it is crashed).',
    );
    expect(refusal(() => lab.injector.inject({ target: { kind: 'client-slow', clientId: 'inventory-7', processingMsPerRecord: 10 }, startInMs: 0, durationMs: null }))).toBe(
      'INVALID_REQUEST: Client inventory-7 does not exist; the clients are inventory-1, inventory-2.',
    );
  });
});

describe('client pause, slow processing, clock skew', () => {
  it('a 10 s GC pause stops processing, keeps the membership (shorter than session.timeout.ms), and the backlog is processed on resume', async () => {
    const lab = await inventoryLab();
    const owned = Number(lab.first.assignment()[0]!.split('-').at(-1));
    lab.useOrderTopic('labshoppubsub', owned);
    const before = lab.first.processed.length;
    lab.injector.inject({ target: { kind: 'client-pause', clientId: 'inventory-1' }, startInMs: 0, durationMs: 10_000 });
    lab.placeOrders(5, 500);
    await lab.run(9_000);
    expect(lab.first.state()).toBe('paused');
    expect(lab.first.processed.length).toBe(before);
    await lab.run(3_000);
    expect(lab.first.state()).toBe('running');
    expect(lab.first.processed.length).toBe(before + 5);
    expect(lab.removals()).toEqual([]);
    const [span] = lab.timeline.byCode('fault.client-pause');
    expect(span!.endMs! - span!.atMs).toBe(10_000);
  });

  it('slow processing and clock skew are set, then put back to what they were', async () => {
    const lab = await inventoryLab();
    lab.first.setProcessingMsPerRecord(20);
    lab.first.setClockSkewMs(-5_000);
    const slow = lab.injector.inject({ target: { kind: 'client-slow', clientId: 'inventory-1', processingMsPerRecord: 2_000 }, startInMs: 0, durationMs: null });
    const skew = lab.injector.inject({ target: { kind: 'client-clock-skew', clientId: 'inventory-1', skewMs: 90_000 }, startInMs: 0, durationMs: 1_000 });
    expect(lab.first.processingMsPerRecord()).toBe(2_000);
    expect(lab.first.clockSkewMs()).toBe(90_000);
    expect(skew.description).toBe("Client inventory-1's clock runs 90000 ms ahead: its records' CreateTime carries the skew.");

    const owned = Number(lab.first.assignment()[0]!.split('-').at(-1));
    lab.useOrderTopic('labshoppubsub', owned);
    const before = lab.first.processed.length;
    lab.placeOrders(3, 10);
    await lab.run(4_500);
    expect(lab.first.processed.length - before, `seed ${SEED}: 2 s per record`).toBe(2);
    expect(lab.first.clockSkewMs()).toBe(-5_000);

    lab.injector.undo(slow.faultId);
    expect(lab.first.processingMsPerRecord()).toBe(20);
  });
});
