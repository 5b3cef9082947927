/**
 * Broker, disk, network and quorum faults applied through the injector to a real cluster on virtual
 * time, and undone: what a Kafka engineer would check after each (fenced after
 * broker.session.timeout.ms, leadership moved, log cut back to what was fsynced, ENOSPC taking the
 * broker down, NOT_CONTROLLER without a majority), and that every undo puts things back.
 */
import { describe, expect, it } from 'vitest';
import type { FaultTarget } from '../../../engine/api/faults-dto.js';
import { BROKER_SESSION_TIMEOUT_MS } from '../../../engine/cluster/controller.js';
import { NO_LEADER } from '../../../engine/cluster/messages.js';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import { faultLab, START_MS, type FaultLab } from './fault-lab.js';

const SEED = 6061;

function refusal(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return { name: error.errorName, message: error.message };
    throw error;
  }
  throw new Error(`seed ${SEED}: expected a KafkaError`);
}

/** A lab with topic "orders" (1 partition, 3 replicas) and orders produced to it with acks=1. */
async function ordersLab(seed = SEED, producer: Record<string, unknown> = { acks: '1' }): Promise<FaultLab & { leader: number; followers: number[] }> {
  const lab = faultLab(seed, { producer });
  await lab.createTopic('orders', 1);
  lab.useOrderTopic('orders', 0);
  const registration = lab.cluster.partition('orders', 0);
  return Object.assign(lab, { leader: registration.leader, followers: registration.replicas.filter((id) => id !== registration.leader) });
}

const inject = (lab: FaultLab, target: FaultTarget, durationMs: number | null = null, startInMs = 0) => lab.injector.inject({ target, startInMs, durationMs });
const leo = (lab: FaultLab, brokerId: number, topic = 'orders') => lab.cluster.broker(brokerId).log(topic, 0)?.logEndOffset ?? null;

describe('broker pause (SIGSTOP)', () => {
  it('a broker paused for 15 s is fenced after broker.session.timeout.ms, loses its leaderships, and on resume is unfenced and catches up', async () => {
    const lab = await ordersLab();
    const { leader } = lab;
    const status = inject(lab, { kind: 'broker-pause', brokerId: leader }, 15_000);
    expect(status.state).toBe('active');
    expect(status.description).toBe(`Broker ${leader} is paused (SIGSTOP, like a long GC pause): nothing of it runs or answers.`);
    lab.placeOrders(10, 500);

    await lab.run(BROKER_SESSION_TIMEOUT_MS + 1_500);
    const fenced = lab.events.find((e) => e.type === 'broker-fenced' && e.brokerId === leader);
    expect(fenced, `seed ${SEED}: broker ${leader} fenced while paused`).toMatchObject({ reason: 'no heartbeat for 9000 ms (broker.session.timeout.ms)' });
    const newLeader = lab.cluster.partition('orders', 0).leader;
    expect(newLeader).not.toBe(leader);
    expect(lab.cluster.broker(leader).isPaused).toBe(true);

    await lab.run(15_000);
    expect(lab.cluster.broker(leader).isPaused).toBe(false);
    expect(lab.events.some((e) => e.type === 'broker-unfenced' && e.brokerId === leader)).toBe(true);
    expect(lab.events.find((e) => e.type === 'broker-resumed')).toMatchObject({ brokerId: leader, pausedMs: 15_000 });
    expect(leo(lab, leader)).toBe(leo(lab, newLeader));
    expect(lab.acked.length).toBe(10);
    // One span on the timeline, from the pause to the resume.
    const [span] = lab.timeline.byCode('fault.broker-pause');
    expect(span).toMatchObject({ atMs: START_MS + 600, endMs: START_MS + 600 + 15_000, kind: 'fault' });
    expect(lab.injector.snapshot().recent[0]).toMatchObject({ faultId: status.faultId, state: 'undone' });
  });

  it('requests to a paused leader wait and are answered, in order, when it resumes', async () => {
    const lab = await ordersLab();
    inject(lab, { kind: 'broker-pause', brokerId: lab.leader }, 3_000);
    lab.placeOrders(3, 100);
    await lab.run(2_500);
    expect(lab.acked).toEqual([]);
    await lab.run(1_000);
    expect(lab.acked.map((a) => a.value)).toEqual(['order-1', 'order-2', 'order-3']);
    expect(lab.acked.map((a) => a.offset)).toEqual([0, 1, 2]);
  });

  it('two paused voters out of three leave no controller: no metadata change until one resumes', async () => {
    const lab = await ordersLab();
    const [a, b] = lab.cluster.controller.voters().filter((id) => id !== 1);
    inject(lab, { kind: 'broker-pause', brokerId: a! });
    const second = inject(lab, { kind: 'broker-pause', brokerId: b! });
    await lab.run(1_000);
    expect(lab.cluster.controllerId()).toBeNull();
    expect(refusal(() => lab.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 1, configs: {} })).name).toBe('NOT_CONTROLLER');
    lab.injector.undo(second.faultId);
    await lab.run(1_000);
    expect(lab.cluster.controllerId()).not.toBeNull();
  });

  it('refuses to pause a paused broker, naming the fault in the way', async () => {
    const lab = await ordersLab();
    const first = inject(lab, { kind: 'broker-pause', brokerId: 2 });
    expect(refusal(() => inject(lab, { kind: 'broker-crash', brokerId: 2 }))).toEqual({
      name: 'INVALID_REQUEST',
      message: `Broker 2 already has fault #${first.faultId} (broker-pause) active; undo it first.`,
    });
  });
});

describe('broker crash, stop and power loss', () => {
  it('a crash is undone by starting the broker; a second crash of the crashed broker is refused', async () => {
    const lab = await ordersLab();
    const crash = inject(lab, { kind: 'broker-crash', brokerId: 3 });
    expect(lab.cluster.broker(3).state).toBe('stopped');
    expect(refusal(() => inject(lab, { kind: 'broker-crash', brokerId: 3 })).message).toBe(`Broker 3 already has fault #${crash.faultId} (broker-crash) active; undo it first.`);
    lab.injector.undo(crash.faultId);
    expect(lab.cluster.broker(3).state).toBe('running');
    const [span] = lab.timeline.byCode('fault.broker-crash');
    expect(span).toMatchObject({ severity: 'error', text: 'Broker 3 crashes (kill -9): no controlled shutdown; what its OS wrote survives.' });
    expect(span!.endMs).not.toBeNull();
  });

  it('crashing a broker that is already down says so', async () => {
    const lab = await ordersLab();
    lab.cluster.killBroker(2);
    expect(refusal(() => inject(lab, { kind: 'broker-crash', brokerId: 2 }))).toEqual({ name: 'BROKER_NOT_AVAILABLE', message: 'Broker 2 is not running.' });
    expect(lab.injector.snapshot().active).toEqual([]);
  });

  it('a clean stop moves leadership away first', async () => {
    const lab = await ordersLab();
    inject(lab, { kind: 'broker-stop', brokerId: lab.leader }, 5_000);
    expect(lab.cluster.partition('orders', 0).leader).not.toBe(lab.leader);
    await lab.run(6_000);
    expect(lab.cluster.broker(lab.leader).state).toBe('running');
  });

  it('a power loss drops what the broker had not fsynced: it restarts with a shorter log and catches up from the leader', async () => {
    const lab = await ordersLab();
    const follower = lab.followers[0]!;
    lab.placeOrders(20, 10);
    await lab.run(1_000);
    expect(leo(lab, follower)).toBe(20);

    const status = inject(lab, { kind: 'broker-power-loss', brokerId: follower });
    const [span] = lab.timeline.byCode('fault.broker-power-loss');
    expect(span!.params['bytesDropped']).toBeGreaterThan(0);
    lab.injector.undo(status.faultId);
    // Kafka leaves fsync to the OS (flush.messages is Long.MAX): nothing of the log was durable.
    expect(leo(lab, follower)).toBe(0);
    await lab.run(2_000);
    expect(leo(lab, follower)).toBe(20);
  });

  it('with flush.messages=1 the synced records survive a power loss, unless the disk lied about fsync', async () => {
    for (const lying of [false, true]) {
      const lab = await ordersLab();
      lab.cluster.alterTopicConfigs('orders', { 'flush.messages': '1' }, []);
      const follower = lab.followers[0]!;
      if (lying) inject(lab, { kind: 'disk-lying', brokerId: follower });
      lab.placeOrders(10, 10);
      await lab.run(1_000);
      const status = inject(lab, { kind: 'broker-power-loss', brokerId: follower });
      lab.injector.undo(status.faultId);
      expect(leo(lab, follower), `seed ${SEED}, lying fsync: ${lying}`).toBe(lying ? 0 : 10);
    }
  });
});

describe('disk faults', () => {
  it('a full disk fails the next write with ENOSPC: the log dir goes offline and the broker halts; undo frees space and starts it', async () => {
    const lab = await ordersLab();
    const { leader } = lab;
    const full = inject(lab, { kind: 'disk-full', brokerId: leader });
    lab.sendOrder();
    await lab.run(200);

    const failure = lab.events.find((e) => e.type === 'log-dir-failed');
    expect(failure).toMatchObject({ brokerId: leader, logDir: `/data/broker-${leader}` });
    expect(failure && 'message' in failure ? failure.message : '').toContain(`Shutdown broker because all log dirs in /data/broker-${leader} have failed`);
    expect(lab.events.some((e) => e.type === 'broker-stopped' && e.brokerId === leader && e.how === 'crash')).toBe(true);
    expect(lab.cluster.broker(leader).state).toBe('stopped');

    // The producer retries (KAFKA_STORAGE_ERROR is retriable) and the order lands on the new leader.
    await lab.run(BROKER_SESSION_TIMEOUT_MS + 2_000);
    expect(lab.acked.map((a) => a.value)).toEqual(['order-1']);
    expect(lab.cluster.partition('orders', 0).leader).not.toBe(leader);

    lab.injector.undo(full.faultId);
    expect(lab.cluster.broker(leader).state).toBe('running');
    await lab.run(2_000);
    expect(leo(lab, leader)).toBe(1);
  });

  it('a follower with a full disk halts when it replicates; a broker cannot start on a full disk', async () => {
    const lab = await ordersLab();
    const follower = lab.followers[0]!;
    inject(lab, { kind: 'disk-full', brokerId: follower });
    lab.sendOrder();
    await lab.run(500);
    expect(lab.cluster.broker(follower).state).toBe('stopped');
    expect(refusal(() => lab.cluster.restartBroker(follower)).name).toBe('KAFKA_STORAGE_ERROR');
  });

  it('a slow disk on the leader delays produce answers by its latency', async () => {
    const lab = await ordersLab();
    inject(lab, { kind: 'disk-slow', brokerId: lab.leader, latencyMs: 2_000 });
    lab.sendOrder();
    await lab.run(1_900);
    expect(lab.acked).toEqual([]);
    await lab.run(200);
    expect(lab.acked.length).toBe(1);
  });

  it('a slow disk on a follower makes it lag behind the leader, and catch up once undone', async () => {
    const lab = await ordersLab();
    const follower = lab.followers[0]!;
    const slow = inject(lab, { kind: 'disk-slow', brokerId: follower, latencyMs: 5_000 });
    lab.placeOrders(20, 100);
    await lab.run(2_500);
    expect(leo(lab, lab.leader)).toBe(20);
    expect(leo(lab, follower)!).toBeLessThan(20);
    lab.injector.undo(slow.faultId);
    await lab.run(6_000);
    expect(leo(lab, follower)).toBe(20);
  });

  it('disk faults need a disk of each broker; a cluster on one shared disk refuses them', async () => {
    const lab = faultLab(SEED, { brokerDisks: false });
    expect(refusal(() => inject(lab, { kind: 'disk-full', brokerId: 1 }))).toEqual({
      name: 'INVALID_REQUEST',
      message: "Broker 1's disk cannot be faulted: the cluster does not give each broker a disk of its own.",
    });
  });
});

describe('network and quorum faults', () => {
  it('an isolated broker reaches no one, clients connecting later included; undo reconnects it', async () => {
    const lab = await ordersLab();
    const isolate = inject(lab, { kind: 'broker-isolate', brokerId: 2 });
    lab.cluster.producerNetwork('late-client');
    expect(lab.cluster.network.canReach('client:late-client', 2)).toBe(false);
    expect(lab.cluster.network.canReach(1, 2)).toBe(false);
    lab.injector.undo(isolate.faultId);
    expect(lab.cluster.network.canReach('client:late-client', 2)).toBe(true);
    expect(lab.cluster.network.link(1, 2)).toEqual({ latencyMs: 1, lossRate: 0, up: true });
  });

  it('overlapping link faults restore exactly the settings from before the first one', async () => {
    const lab = await ordersLab();
    const slow = inject(lab, { kind: 'link-slow', from: 1, to: 2, latencyMs: 300, lossRate: 0.5 });
    expect(lab.cluster.network.link(2, 1)).toEqual({ latencyMs: 301, lossRate: 0.5, up: true });
    const cut = inject(lab, { kind: 'link-cut', from: 2, to: 1 });
    const quorum = inject(lab, { kind: 'quorum-majority-lost' });
    expect(lab.cluster.network.link(1, 2).up).toBe(false);
    lab.injector.undo(cut.faultId);
    lab.injector.undo(slow.faultId);
    expect(lab.cluster.network.link(1, 2)).toEqual({ latencyMs: 1, lossRate: 0, up: false });
    lab.injector.undo(quorum.faultId);
    for (const [a, b] of [
      [1, 2],
      [2, 1],
      [1, 3],
      [3, 2],
    ] as const) {
      expect(lab.cluster.network.link(a, b)).toEqual({ latencyMs: 1, lossRate: 0, up: true });
    }
  });

  it('quorum-majority-lost leaves no controller: topic creation is refused with the controller message; undo restores it', async () => {
    const lab = await ordersLab();
    const quorum = inject(lab, { kind: 'quorum-majority-lost' });
    expect(quorum.description).toBe('The metadata quorum voters 1, 2, 3 cannot reach one another: no controller, so no election and no metadata change.');
    await lab.run(1_000);
    expect(lab.cluster.controllerId()).toBeNull();
    expect(refusal(() => lab.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 1, configs: {} }))).toEqual({
      name: 'NOT_CONTROLLER',
      message: 'No active controller: fewer than 2 of the 3 metadata quorum voters (1, 2, 3) are up and reachable, so no metadata change or leader election can happen.',
    });
    // Brokers keep serving the leaders they have.
    lab.sendOrder();
    await lab.run(500);
    expect(lab.acked.length).toBe(1);
    expect(lab.cluster.partition('orders', 0).leader).not.toBe(NO_LEADER);
    expect(refusal(() => inject(lab, { kind: 'quorum-majority-lost' })).message).toBe(`The metadata quorum already has fault #${quorum.faultId} (quorum-majority-lost) active; undo it first.`);

    lab.injector.undo(quorum.faultId);
    await lab.run(1_000);
    expect(lab.cluster.controllerId()).toBe(1);
    lab.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 1, configs: {} });
  });
});

describe('validation, scheduling and bounds', () => {
  it('refuses targets that do not exist, with what exists', async () => {
    const lab = await ordersLab();
    expect(refusal(() => inject(lab, { kind: 'broker-crash', brokerId: 7 }))).toEqual({ name: 'INVALID_REQUEST', message: 'Broker 7 does not exist; the brokers are 1, 2, 3.' });
    expect(refusal(() => inject(lab, { kind: 'link-cut', from: 2, to: 2 })).message).toBe('A link joins two different brokers; got broker 2 at both ends.');
    expect(refusal(() => inject(lab, { kind: 'link-slow', from: 1, to: 9, latencyMs: 10, lossRate: 0 })).message).toBe('Broker 9 does not exist; the brokers are 1, 2, 3.');
    expect(refusal(() => inject(lab, { kind: 'client-crash', clientId: 'inventory-9' })).message).toBe('Client inventory-9 does not exist; no service replica or consumer is running.');
    expect(refusal(() => inject(lab, { kind: 'link-slow', from: 1, to: 2, latencyMs: 10, lossRate: 2 })).message).toBe('lossRate of link-slow must be between 0 and 1; got 2.');
    expect(refusal(() => faultLab(SEED, { brokerCount: 1 }).injector.inject({ target: { kind: 'quorum-majority-lost' }, startInMs: 0, durationMs: null })).message).toBe(
      'The metadata quorum has a single voter (broker 1): no cut can split it. Pause or crash broker 1 instead.',
    );
    expect(lab.injector.snapshot().active).toEqual([]);
  });

  it('a scheduled fault starts at its time and ends after its duration; one cancelled before its start never runs', async () => {
    const lab = await ordersLab();
    const later = inject(lab, { kind: 'broker-crash', brokerId: 3 }, 4_000, 2_000);
    const cancelled = inject(lab, { kind: 'broker-crash', brokerId: 2 }, null, 1_000);
    expect(later).toMatchObject({ state: 'scheduled', startsAtMs: START_MS + 600 + 2_000, endsAtMs: START_MS + 600 + 6_000, startedAtMs: null });
    lab.injector.undo(cancelled.faultId);
    await lab.run(2_500);
    expect(lab.cluster.broker(3).state).toBe('stopped');
    expect(lab.cluster.broker(2).state).toBe('running');
    await lab.run(4_000);
    expect(lab.cluster.broker(3).state).toBe('running');
    expect(lab.injector.snapshot().recent.map((f) => [f.faultId, f.state, f.startedAtMs === null])).toEqual([
      [later.faultId, 'undone', false],
      [cancelled.faultId, 'undone', true],
    ]);
  });

  it('a scheduled fault that conflicts when its time comes fails, saying why, and shows on the timeline', async () => {
    const lab = await ordersLab();
    const scheduled = inject(lab, { kind: 'broker-pause', brokerId: 2 }, null, 1_000);
    lab.cluster.killBroker(2);
    await lab.run(1_500);
    expect(lab.injector.snapshot().recent[0]).toMatchObject({ faultId: scheduled.faultId, state: 'failed', error: 'Broker 2 is not running.' });
    expect(lab.timeline.byCode('fault.broker-pause.failed')[0]!.text).toBe(`Fault #${scheduled.faultId} could not start: Broker 2 is not running.`);
  });

  it('keeps at most 64 scheduled or active faults and the 50 most recent ended ones', async () => {
    const lab = await ordersLab();
    const ids = Array.from({ length: 64 }, (_, i) => inject(lab, { kind: 'broker-crash', brokerId: 1 }, null, 10_000 + i).faultId);
    expect(refusal(() => inject(lab, { kind: 'broker-crash', brokerId: 1 }, null, 99_000)).name).toBe('POLICY_VIOLATION');
    for (const id of ids) lab.injector.undo(id);
    const snapshot = lab.injector.snapshot();
    expect(snapshot.active).toEqual([]);
    expect(snapshot.recent.length).toBe(50);
    expect(snapshot.recent[0]!.faultId).toBe(ids.at(-1));
  });
});
