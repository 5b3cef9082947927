/**
 * Group membership against the fake coordinator, on virtual time: joining (KIP-394), the leader's
 * assignment, EAGER and COOPERATIVE rebalances as the listener sees them, heartbeats independent
 * of poll, max.poll.interval.ms and the member that leaves and rejoins, close vs crash, pattern
 * subscriptions, commit errors, metrics and the log lines the workshop reads.
 */
import { describe, expect, it } from 'vitest';
import type { JoinGroupRequest } from '../../../../engine/groups/group-messages.js';
import { COMMIT_FAILED_MESSAGE } from '../../../../engine/clients/consumer/consumer-errors.js';
import { logMessages, recordingListener, runApp, setup, type Harness, type StringConsumer } from './consumer-harness.js';

const PREFIX = '[Consumer clientId=inventory-1, groupId=inventory] ';

async function untilStable(t: Harness, consumers: readonly StringConsumer[], maxMs = 60_000): Promise<void> {
  const endMs = t.scheduler.nowMs() + maxMs;
  while (consumers.some((c) => c.memberState() !== 'STABLE') && t.scheduler.nowMs() < endMs) await t.advance(100);
  expect(consumers.map((c) => c.memberState())).toEqual(consumers.map(() => 'STABLE'));
}

const assigned = (c: StringConsumer): string[] => c.assignment().map((tp) => `${tp.topic}-${tp.partition}`);

describe('joining a group', () => {
  it('finds the coordinator, rejoins with the member id it was given (KIP-394), and logs what Java logs', async () => {
    const t = setup({ topics: { labshoppubsub: 1 } });
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' });
    c.subscribe(['labshoppubsub']);
    const app = runApp(t, c);
    await untilStable(t, [c]);
    await app.stop();

    const joins = t.cluster.requestsOf('JoinGroup').map((r) => r.request as JoinGroupRequest);
    expect(joins.map((j) => j.memberId)).toEqual(['', 'consumer-inventory-1-0000']);
    expect(joins[0]).toMatchObject({ groupId: 'inventory', sessionTimeoutMs: 45_000, rebalanceTimeoutMs: 300_000, protocolType: 'consumer', groupInstanceId: null });
    expect(joins[0]!.protocols.map((p) => p.name)).toEqual(['range', 'cooperative-sticky']);

    const messages = logMessages(c);
    const expected = [
      `${PREFIX}Subscribed to topic(s): labshoppubsub`,
      `${PREFIX}Discovered group coordinator broker-0:9092 (id: 2147483647 rack: null)`,
      `${PREFIX}(Re-)joining group`,
      `${PREFIX}Request joining group due to: need to re-join with the given member-id: consumer-inventory-1-0000`,
      `${PREFIX}Successfully joined group with generation Generation{generationId=1, memberId='consumer-inventory-1-0000', protocol='range'}`,
      `${PREFIX}Successfully synced group in generation Generation{generationId=1, memberId='consumer-inventory-1-0000', protocol='range'}`,
      `${PREFIX}Adding newly assigned partitions: labshoppubsub-0`,
      'inventory: partitions assigned: [labshoppubsub-0]',
    ];
    for (const line of expected) expect(messages).toContain(line);
    expect(messages.indexOf(expected[4]!)).toBeLessThan(messages.indexOf(expected[6]!));
    expect(c.metrics()).toMatchObject({ state: 'STABLE', generationId: 1, memberId: 'consumer-inventory-1-0000', protocol: 'range', coordinator: 0, assignedPartitions: [{ topic: 'labshoppubsub', partition: 0 }] });
    expect(c.logText().some((line) => /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO \[Consumer clientId=inventory-1, groupId=inventory\] \(Re-\)joining group \(org\.apache\.kafka\.clients\.consumer\.internals\.AbstractCoordinator\)$/.test(line))).toBe(true);
  });

  it('EAGER (range): a second member makes the first revoke everything before the new assignment; a third gets nothing', async () => {
    const t = setup({ topics: { orders: 2 } });
    const calls: string[] = [];
    const c1 = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' });
    c1.subscribe(['orders'], recordingListener(calls, 'c1'));
    const app1 = runApp(t, c1);
    await untilStable(t, [c1]);
    expect(assigned(c1)).toEqual(['orders-0', 'orders-1']);

    const c2 = t.consumer({ groupId: 'inventory', clientId: 'inventory-2' });
    c2.subscribe(['orders'], recordingListener(calls, 'c2'));
    const app2 = runApp(t, c2);
    await t.advance(5000);
    await untilStable(t, [c1, c2]);
    expect([assigned(c1), assigned(c2)]).toEqual([['orders-0'], ['orders-1']]);
    expect(calls.filter((c) => c.startsWith('c1'))).toEqual(['c1 assigned:[orders-0, orders-1]', 'c1 revoked:[orders-0, orders-1]', 'c1 assigned:[orders-0]']);
    expect(calls.indexOf('c1 revoked:[orders-0, orders-1]')).toBeLessThan(calls.indexOf('c2 assigned:[orders-1]'));
    expect(logMessages(c1)).toContain(`${PREFIX}Revoke previously assigned partitions orders-0, orders-1`);
    expect(logMessages(c1)).toContain('inventory: partitions revoked: [orders-0, orders-1]');

    // The auto commit before the revocation reaches the coordinator before c1's JoinGroup.
    const c1Joins = t.cluster.requestsOf('JoinGroup').filter((r) => (r.request as JoinGroupRequest).memberId === c1.metrics().memberId);
    const commitBeforeRejoin = t.cluster.requestsOf('OffsetCommit').find((r) => r.atMs <= c1Joins[1]!.atMs && r.atMs > c1Joins[0]!.atMs);
    expect(commitBeforeRejoin).toBeDefined();

    const c3 = t.consumer({ groupId: 'inventory', clientId: 'inventory-3' });
    c3.subscribe(['orders']);
    const app3 = runApp(t, c3);
    await t.advance(5000);
    await untilStable(t, [c1, c2, c3]);
    expect(assigned(c3)).toEqual([]);
    expect(logMessages(c3)).toContain('inventory: partitions assigned: []');
    expect(c3.metrics().generationId).toBe(3);
    await Promise.all([app1.stop(), app2.stop(), app3.stop()]);
  });

  it('COOPERATIVE (cooperative-sticky): only the moved partition is revoked, then a second rebalance hands it over', async () => {
    const t = setup({ topics: { orders: 2 } });
    const calls: string[] = [];
    const config = { groupId: 'inventory', partitionAssignmentStrategy: ['cooperative-sticky'] };
    const c1 = t.consumer({ ...config, clientId: 'inventory-1' });
    c1.subscribe(['orders'], recordingListener(calls, 'c1'));
    const app1 = runApp(t, c1);
    await untilStable(t, [c1]);
    const c2 = t.consumer({ ...config, clientId: 'inventory-2' });
    c2.subscribe(['orders'], recordingListener(calls, 'c2'));
    const app2 = runApp(t, c2);
    await t.advance(5000);
    await untilStable(t, [c1, c2]);
    await t.advance(5000);

    expect(assigned(c1).length + assigned(c2).length).toBe(2);
    expect(assigned(c1).length).toBe(1);
    const moved = assigned(c2)[0]!;
    const kept = assigned(c1)[0]!;
    expect(calls).not.toContain(`c1 revoked:[${kept}]`);
    expect(calls).not.toContain('c1 revoked:[orders-0, orders-1]');
    expect(calls.indexOf(`c1 revoked:[${moved}]`)).toBeGreaterThan(0);
    expect(calls.indexOf(`c1 revoked:[${moved}]`)).toBeLessThan(calls.indexOf(`c2 assigned:[${moved}]`));
    expect(logMessages(c1)).toContain(`${PREFIX}Request joining group due to: need to revoke partitions [${moved}] as indicated by the current assignment and re-join`);
    expect(c1.metrics().protocol).toBe('cooperative-sticky');
    expect(c1.metrics().generationId).toBe(3);
    await Promise.all([app1.stop(), app2.stop()]);
  });
});

describe('liveness', () => {
  it('heartbeats every heartbeat.interval.ms on its own timer while the application does not poll', async () => {
    const t = setup();
    const c = t.consumer({ groupId: 'inventory' });
    c.subscribe(['orders']);
    const app = runApp(t, c);
    await untilStable(t, [c]);
    await app.stop();
    const before = t.cluster.requestsOf('Heartbeat').length;
    await t.advance(60_000);
    const heartbeats = t.cluster.requestsOf('Heartbeat').length - before;
    expect(heartbeats).toBeGreaterThanOrEqual(19);
    expect(heartbeats).toBeLessThanOrEqual(21);
    expect(t.cluster.coordinator.leaves).toEqual([]);
    expect(c.memberState()).toBe('STABLE');
  });

  it('processing slower than max.poll.interval.ms: the member leaves ("consumer poll timeout has expired.") and rejoins at the next poll, again and again', async () => {
    const t = setup({ topics: { orders: 1 } });
    t.cluster.produceValues('orders', 0, 'order', 50);
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1', maxPollIntervalMs: 10_000, maxPollRecords: 5, autoOffsetReset: 'earliest' });
    const calls: string[] = [];
    c.subscribe(['orders'], recordingListener(calls));
    const app = runApp(t, c, { processMsPerRecord: 3000 });
    await t.advance(120_000);
    await app.stop();

    const leaves = t.cluster.coordinator.leaves;
    expect(leaves.length).toBeGreaterThanOrEqual(3);
    expect(leaves[0]!.reason).toBe('consumer poll timeout has expired.');
    const messages = logMessages(c);
    expect(messages).toContain(`${PREFIX}Member consumer-inventory-1-0000 sending LeaveGroup request to coordinator broker-0:9092 (id: 2147483647 rack: null) due to consumer poll timeout has expired.`);
    expect(messages.some((m) => m.startsWith(`${PREFIX}consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms`))).toBe(true);
    expect(messages).toContain(`${PREFIX}Lost previously assigned partitions orders-0`);
    expect(calls).toContain('lost:[orders-0]');
    // Each rejoin is a new member (the generation and member id were reset).
    const joinIds = t.cluster.requestsOf('JoinGroup').map((r) => (r.request as JoinGroupRequest).memberId);
    expect(joinIds.filter((id) => id === '').length).toBeGreaterThanOrEqual(3);
    // The commit of what was processed fails, so the same records come back: continuous rebalancing.
    expect(messages.some((m) => m.includes('Offset commit cannot be completed since the consumer is not part of an active group'))).toBe(true);
    expect(app.values().filter((v) => v === 'order-0').length).toBeGreaterThanOrEqual(2);
  });

  it('commitSync after the member was kicked out fails with CommitFailedException', async () => {
    const t = setup({ topics: { orders: 1 } });
    t.cluster.produceValues('orders', 0, 'order', 10);
    const c = t.consumer({ groupId: 'inventory', maxPollIntervalMs: 10_000, enableAutoCommit: false, autoOffsetReset: 'earliest' });
    c.subscribe(['orders']);
    const records = await t.pollUntil(c, 1);
    expect(records.length).toBeGreaterThan(0);
    await t.advance(15_000);
    expect(t.cluster.coordinator.leaves.map((l) => l.reason)).toEqual(['consumer poll timeout has expired.']);
    await expect(t.settle(c.commitSync())).rejects.toMatchObject({
      exceptionName: 'CommitFailedException',
      message: 'Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; it is likely that the consumer was kicked out of the group.',
    });
  });

  it('close() commits, revokes and sends LeaveGroup; the other member takes over at once', async () => {
    const t = setup({ topics: { orders: 2 } });
    t.cluster.produceValues('orders', 0, 'a', 3);
    const calls: string[] = [];
    const c1 = t.consumer({ groupId: 'inventory', clientId: 'inventory-1', autoOffsetReset: 'earliest' });
    const c2 = t.consumer({ groupId: 'inventory', clientId: 'inventory-2', autoOffsetReset: 'earliest' });
    c1.subscribe(['orders'], recordingListener(calls, 'c1'));
    c2.subscribe(['orders']);
    const app1 = runApp(t, c1);
    const app2 = runApp(t, c2);
    await t.advance(3000);
    await untilStable(t, [c1, c2]);
    const memberId = c1.metrics().memberId;
    const closedAtMs = t.scheduler.nowMs();
    await t.settle(c1.close());
    await app1.stop();
    expect(t.cluster.coordinator.leaves).toEqual([{ atMs: expect.any(Number), memberId, reason: 'the consumer is being closed' }]);
    expect(calls.at(-1)).toMatch(/^c1 revoked:/);
    expect(logMessages(c1)).toContain(`${PREFIX}Member ${memberId} sending LeaveGroup request to coordinator broker-0:9092 (id: 2147483647 rack: null) due to the consumer is being closed`);
    expect(t.cluster.coordinator.committed('inventory', 'orders', 0)).toBe(3);
    await untilStable(t, [c2]);
    expect(assigned(c2)).toEqual(['orders-0', 'orders-1']);
    expect(t.scheduler.nowMs() - closedAtMs).toBeLessThan(10_000);
    expect(t.scheduler.pendingCount()).toBeGreaterThan(0); // c2 still runs
    await app2.stop();
  });

  it('crash() sends nothing: the group waits session.timeout.ms before the other member gets the partitions', async () => {
    const t = setup({ topics: { orders: 2 } });
    const c1 = t.consumer({ groupId: 'inventory', clientId: 'inventory-1' });
    const c2 = t.consumer({ groupId: 'inventory', clientId: 'inventory-2' });
    c1.subscribe(['orders']);
    c2.subscribe(['orders']);
    const app1 = runApp(t, c1);
    const app2 = runApp(t, c2);
    await t.advance(3000);
    await untilStable(t, [c1, c2]);
    const requestsBefore = t.cluster.requests.length;
    const crashedAtMs = t.scheduler.nowMs();
    c1.crash();
    await app1.stop();
    await t.advance(30_000);
    expect(assigned(c2).length).toBe(1);
    await t.advance(20_000);
    expect(assigned(c2)).toEqual(['orders-0', 'orders-1']);
    expect(t.cluster.coordinator.leaves).toEqual([]);
    const removal = t.cluster.coordinator.removals.find((r) => r.why === 'session-timeout');
    expect(removal!.atMs - crashedAtMs).toBeGreaterThan(42_000);
    expect(removal!.atMs - crashedAtMs).toBeLessThanOrEqual(45_000);
    expect(t.cluster.requests.slice(requestsBefore).every((r) => (r.request as { memberId?: string }).memberId !== c1.metrics().memberId)).toBe(true);
    await app2.stop();
  });
});

describe('subscriptions', () => {
  it('a pattern subscription picks up a new matching topic at the next metadata refresh (metadata.max.age.ms)', async () => {
    const t = setup({ topics: { 'orders-kr': 1, payments: 1 } });
    const c = t.consumer({ groupId: 'inventory' });
    c.subscribe(/orders-.*/);
    const app = runApp(t, c);
    await untilStable(t, [c]);
    expect(c.subscription()).toEqual(['orders-kr']);
    t.cluster.createTopic('orders-us', 1);
    await t.advance(200_000);
    expect(assigned(c)).toEqual(['orders-kr-0']);
    await t.advance(110_000);
    expect(c.subscription()).toEqual(['orders-kr', 'orders-us']);
    expect(assigned(c)).toEqual(['orders-kr-0', 'orders-us-0']);
    expect(logMessages(c).some((m) => m.includes('Request joining group due to: subscription has changed'))).toBe(true);
    await app.stop();
  });

  it('unsubscribe() revokes the partitions and leaves the group', async () => {
    const t = setup();
    const calls: string[] = [];
    const c = t.consumer({ groupId: 'inventory' });
    c.subscribe(['orders'], recordingListener(calls));
    const app = runApp(t, c);
    await untilStable(t, [c]);
    await app.stop();
    c.unsubscribe();
    await t.advance(100);
    expect(calls).toEqual(['assigned:[orders-0, orders-1]', 'revoked:[orders-0, orders-1]']);
    expect(t.cluster.coordinator.leaves.map((l) => l.reason)).toEqual(['the consumer unsubscribed from all topics']);
    expect(c.assignment()).toEqual([]);
    expect(c.subscription()).toEqual([]);
  });

  it('an asynchronous listener is waited for: commitSync inside onPartitionsRevoked commits before the rejoin', async () => {
    const t = setup({ topics: { orders: 1 } });
    t.cluster.produceValues('orders', 0, 'v', 4);
    const c1 = t.consumer({ groupId: 'inventory', enableAutoCommit: false, autoOffsetReset: 'earliest' });
    const order: string[] = [];
    c1.subscribe(['orders'], {
      onPartitionsAssigned: () => void order.push('assigned'),
      onPartitionsRevoked: async () => {
        order.push('revoking');
        await c1.commitSync();
        order.push(`committed ${t.cluster.coordinator.committed('inventory', 'orders', 0)}`);
      },
    });
    const app1 = runApp(t, c1);
    await t.advance(3000);
    const c2 = t.consumer({ groupId: 'inventory', enableAutoCommit: false });
    c2.subscribe(['orders']);
    const app2 = runApp(t, c2);
    await t.advance(5000);
    await untilStable(t, [c1, c2]);
    expect(order.slice(0, 4)).toEqual(['assigned', 'revoking', 'committed 4', 'assigned']);
    await Promise.all([app1.stop(), app2.stop()]);
  });
});

describe('commit errors', () => {
  it('maps ILLEGAL_GENERATION to CommitFailedException (and rejoins) and REBALANCE_IN_PROGRESS to RebalanceInProgressException', async () => {
    const t = setup({ topics: { orders: 1 } });
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1', enableAutoCommit: false });
    c.subscribe(['orders']);
    await untilStable(t, [c]).catch(() => undefined);
    const app = runApp(t, c);
    await untilStable(t, [c]);
    await app.stop();
    const offsets = [{ topic: 'orders', partition: 0, offset: 1 }];
    t.cluster.coordinator.commitErrors.push('REBALANCE_IN_PROGRESS');
    await expect(t.settle(c.commitSync(offsets))).rejects.toMatchObject({
      exceptionName: 'RebalanceInProgressException',
      message: 'Offset commit cannot be completed since the consumer group is executing a rebalance at the moment. You can try completing the rebalance by calling poll() and then retry commit again',
    });
    t.cluster.coordinator.commitErrors.push('ILLEGAL_GENERATION');
    await expect(t.settle(c.commitSync(offsets))).rejects.toMatchObject({ exceptionName: 'CommitFailedException', message: COMMIT_FAILED_MESSAGE });
    expect(logMessages(c)).toContain(`${PREFIX}Resetting generation due to: encountered ILLEGAL_GENERATION from OFFSET_COMMIT response`);
    expect(c.memberState()).toBe('UNJOINED');
  });

  it('retries a retriable commit error (COORDINATOR_LOAD_IN_PROGRESS) until it succeeds', async () => {
    const t = setup({ topics: { orders: 1 } });
    const c = t.consumer({ groupId: 'billing' });
    c.assign([{ topic: 'orders', partition: 0 }]);
    t.cluster.coordinator.commitErrors.push('COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS');
    await t.settle(c.commitSync([{ topic: 'orders', partition: 0, offset: 42 }]));
    expect(t.cluster.coordinator.committed('billing', 'orders', 0)).toBe(42);
    expect(t.cluster.requestsOf('OffsetCommit').length).toBe(3);
  });
});

describe('metrics', () => {
  it('reports state, generation, member id, assignment, consumed rate and per-partition lag', async () => {
    const t = setup({ topics: { orders: 2 } });
    t.cluster.produceValues('orders', 0, 'a', 20);
    t.cluster.produceValues('orders', 1, 'b', 5);
    const c = t.consumer({ groupId: 'inventory', maxPollRecords: 10, autoOffsetReset: 'earliest' });
    c.subscribe(['orders']);
    expect(c.metrics().state).toBe('UNJOINED');
    await t.pollUntil(c, 10);
    const snapshot = c.metrics();
    expect(snapshot).toMatchObject({ state: 'STABLE', generationId: 1, memberId: expect.stringMatching(/^consumer-inventory-/) });
    expect(snapshot.metrics['records-consumed-total']).toBe(10);
    expect(snapshot.metrics['records-consumed-rate']).toBeGreaterThan(0);
    expect(snapshot.lastPollMs).not.toBeNull();
    const known = snapshot.partitions.filter((p) => p.recordsLag !== null);
    expect(known.length).toBeGreaterThan(0);
    for (const p of known) expect(p.recordsLag).toBe(t.cluster.highWatermark('orders', p.partition) - p.position!);
    expect(snapshot.metrics['records-lag-max']).toBe(Math.max(...known.map((p) => p.recordsLag!)));
    expect(snapshot.metrics['records-lag-max']).toBeGreaterThan(0);
    expect(snapshot.metrics['rebalance-total']).toBe(1);
  });
});

describe('coordinator failures', () => {
  it('a dead coordinator is marked unknown, rediscovered, and the member keeps its assignment', async () => {
    const t = setup({ topics: { orders: 2 } });
    t.cluster.produceValues('orders', 1, 'b', 3);
    const c = t.consumer({ groupId: 'inventory', clientId: 'inventory-1', autoOffsetReset: 'earliest' });
    c.subscribe(['orders']);
    const app = runApp(t, c);
    await untilStable(t, [c]);
    const generation = c.metrics().generationId;
    t.cluster.brokerDown(0);
    t.cluster.coordinator.nodeId = 1;
    const requestsBefore = t.cluster.requests.length;
    await t.advance(20_000);
    const messages = logMessages(c);
    expect(messages.some((m) => m.startsWith(`${PREFIX}Group coordinator broker-0:9092 (id: 2147483647 rack: null) is unavailable or invalid due to cause: `) && m.endsWith('isDisconnected: true. Rediscovery will be attempted.'))).toBe(true);
    expect(messages).toContain(`${PREFIX}Discovered group coordinator broker-1:9092 (id: 2147483646 rack: null)`);
    expect(c.metrics()).toMatchObject({ state: 'STABLE', generationId: generation, coordinator: 1 });
    // orders-0's leader (broker 0) is down: fetches to it back off instead of spinning.
    const fetchesToDeadBroker = t.cluster.requests.slice(requestsBefore).filter((r) => r.api === 'Fetch' && r.brokerId === 0).length;
    expect(fetchesToDeadBroker).toBeLessThanOrEqual(20_000 / 100 + 1);
    expect(app.values()).toEqual(['b-0', 'b-1', 'b-2']);
    await app.stop();
  });
});
