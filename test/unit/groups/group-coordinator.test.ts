/**
 * The classic group coordinator on virtual time, against an in-memory __consumer_offsets log:
 * joins, the initial rebalance delay, KIP-394 member ids, sync, heartbeats and session timeouts,
 * leaving, rebalance timeouts, static membership, offset commits and fetches, loading and
 * unloading a partition, retention, and the admin APIs. Times and defaults are Kafka's.
 */
import { describe, expect, it } from 'vitest';
import type { KafkaErrorName } from '../../../engine/core/kafka-errors.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import {
  resolveGroupCoordinatorConfig,
  type CoordinatorEvent,
  type GroupCoordinatorConfigName,
  type OffsetsLogPort,
  type OffsetsLogRecord,
  type RequestContext,
} from '../../../engine/groups/coordinator-ports.js';
import { findCoordinator, GroupCoordinator } from '../../../engine/groups/group-coordinator.js';
import type {
  JoinGroupProtocol,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupResponse,
  OffsetCommitResponse,
  OffsetFetchResponse,
  SyncGroupResponse,
} from '../../../engine/groups/group-messages.js';
import { decodeOffsetsRecord, offsetsPartitionFor, type OffsetsRecord } from '../../../engine/groups/offsets-records.js';

const T0 = 1_700_000_000_000;
const GROUP = 'inventory';
const PARTITION = offsetsPartitionFor(GROUP); // 10
const SESSION_TIMEOUT_MS = 45_000; // the Java consumer's session.timeout.ms
const MAX_POLL_INTERVAL_MS = 300_000; // sent as the rebalance timeout
const REPLICATION_MS = 2; // how long the fake log takes to reach the high watermark
const DAY_MS = 24 * 60 * 60 * 1000;

/** ConsumerProtocolSubscription v0: int16 version | topics [STRING] | user_data NULLABLE_BYTES (null). */
function subscription(topics: readonly string[]): Uint8Array {
  const parts: number[] = [0, 0, 0, 0, 0, topics.length];
  for (const t of topics) {
    const bytes = [...Buffer.from(t, 'utf8')];
    parts.push(bytes.length >> 8, bytes.length & 0xff, ...bytes);
  }
  parts.push(0xff, 0xff, 0xff, 0xff);
  return Uint8Array.from(parts);
}
const ORDERS = subscription(['orders']);
const protocols = (...names: string[]): JoinGroupProtocol[] => names.map((name) => ({ name, metadata: ORDERS }));

/** The __consumer_offsets log of a cluster: appends reach the high watermark REPLICATION_MS later. */
class FakeOffsetsLog implements OffsetsLogPort {
  readonly records = new Map<number, OffsetsLogRecord[]>();
  /** When set, appends fail with this error instead. */
  failWith: KafkaErrorName | null = null;
  /** When true, acknowledgements wait in `held` until released. */
  hold = false;
  readonly held: (() => void)[] = [];

  constructor(private readonly scheduler: Scheduler) {}

  append(partition: number, records: readonly OffsetsLogRecord[], onDone: (error: KafkaErrorName) => void): void {
    const error = this.failWith;
    if (error === null) this.records.set(partition, [...(this.records.get(partition) ?? []), ...records]);
    const ack = (): void => void this.scheduler.after(REPLICATION_MS, () => onDone(error ?? 'NONE'));
    if (this.hold) this.held.push(ack);
    else ack();
  }

  read(partition: number): Iterable<OffsetsLogRecord> {
    return this.records.get(partition) ?? [];
  }

  decoded(partition: number = PARTITION): OffsetsRecord[] {
    return [...this.read(partition)].map((r) => decodeOffsetsRecord(r));
  }

  release(): void {
    this.hold = false;
    for (const ack of this.held.splice(0)) ack();
  }
}

interface Box<T> {
  value: T | null;
}

class Harness {
  readonly events: CoordinatorEvent[] = [];
  readonly coordinator: GroupCoordinator;

  constructor(
    readonly s: Scheduler,
    readonly log: FakeOffsetsLog,
    options: { config?: Partial<Record<GroupCoordinatorConfigName, number>>; seed?: number; loadDelayMs?: number; brokerId?: number } = {},
  ) {
    this.coordinator = new GroupCoordinator({
      brokerId: options.brokerId ?? 1,
      clock: s,
      timers: s,
      prng: new SeededPrng(options.seed ?? 7),
      config: resolveGroupCoordinatorConfig(options.config),
      log,
      onEvent: (e) => this.events.push(e),
      loadDelayMs: options.loadDelayMs ?? 0,
    });
    this.coordinator.startup();
  }

  /** Becomes coordinator of `partition` and lets the load run. */
  lead(partition: number = PARTITION, epoch = 0): void {
    this.coordinator.onElection(partition, epoch);
    this.s.runUntil(this.s.nowMs());
  }

  runFor(ms: number): void {
    this.s.runUntil(this.s.nowMs() + ms);
  }

  join(fields: Partial<JoinGroupRequest> = {}, context: Partial<RequestContext> = {}): Box<JoinGroupResponse> {
    const box: Box<JoinGroupResponse> = { value: null };
    this.coordinator.handleJoinGroup(
      {
        api: 'JoinGroup',
        groupId: GROUP,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        rebalanceTimeoutMs: MAX_POLL_INTERVAL_MS,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: protocols('range', 'cooperative-sticky'),
        reason: null,
        ...fields,
      },
      { clientId: 'consumer-inventory-1', clientHost: '/127.0.0.1', ...context },
      (r) => (box.value = r),
    );
    return box;
  }

  /** KIP-394: the first JoinGroup gets MEMBER_ID_REQUIRED and an id; the second uses it. */
  joinNew(clientId: string, fields: Partial<JoinGroupRequest> = {}): { memberId: string; box: Box<JoinGroupResponse> } {
    const first = this.join({ ...fields, memberId: '' }, { clientId });
    expect(first.value?.error).toBe('MEMBER_ID_REQUIRED');
    const memberId = first.value!.memberId;
    return { memberId, box: this.join({ ...fields, memberId }, { clientId }) };
  }

  sync(memberId: string, generationId: number, assignments: { memberId: string; assignment: Uint8Array }[] = [], groupInstanceId: string | null = null): Box<SyncGroupResponse> {
    const box: Box<SyncGroupResponse> = { value: null };
    this.coordinator.handleSyncGroup(
      { api: 'SyncGroup', groupId: GROUP, generationId, memberId, groupInstanceId, protocolType: 'consumer', protocolName: null, assignments },
      (r) => (box.value = r),
    );
    return box;
  }

  heartbeat(memberId: string, generationId: number, groupInstanceId: string | null = null, groupId = GROUP): KafkaErrorName {
    let error: KafkaErrorName | null = null;
    this.coordinator.handleHeartbeat({ api: 'Heartbeat', groupId, generationId, memberId, groupInstanceId }, (r) => (error = r.error));
    if (error === null) throw new Error('a heartbeat must be answered at once');
    return error;
  }

  leave(memberId: string, reason: string | null = 'the consumer is being closed'): LeaveGroupResponse {
    const box: Box<LeaveGroupResponse> = { value: null };
    this.coordinator.handleLeaveGroup({ api: 'LeaveGroup', groupId: GROUP, members: [{ memberId, groupInstanceId: null, reason }] }, (r) => (box.value = r));
    return box.value!;
  }

  commit(memberId: string, generationId: number, offsets: [topic: string, partition: number, offset: number, metadata?: string][], groupId = GROUP): Box<OffsetCommitResponse> {
    const box: Box<OffsetCommitResponse> = { value: null };
    const topics = [...new Set(offsets.map((o) => o[0]))].map((name) => ({
      name,
      partitions: offsets.filter((o) => o[0] === name).map(([, partition, offset, metadata]) => ({ partition, committedOffset: offset, committedLeaderEpoch: 3, committedMetadata: metadata ?? null })),
    }));
    this.coordinator.handleOffsetCommit({ api: 'OffsetCommit', groupId, generationId, memberId, groupInstanceId: null, topics }, (r) => (box.value = r));
    return box;
  }

  fetch(groupId = GROUP, topics: { name: string; partitions: number[] }[] | null = null): OffsetFetchResponse {
    return this.coordinator.handleOffsetFetch({ api: 'OffsetFetch', groupId, topics });
  }

  committed(groupId = GROUP): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.fetch(groupId).topics) for (const p of t.partitions) out[`${t.name}-${p.partition}`] = p.committedOffset;
    return out;
  }

  describe(groupId = GROUP) {
    return this.coordinator.handleDescribeGroups({ api: 'DescribeGroups', groupIds: [groupId] }).groups[0]!;
  }

  eventsOf<T extends CoordinatorEvent['type']>(type: T): Extract<CoordinatorEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<CoordinatorEvent, { type: T }> => e.type === type);
  }

  /** Forms a Stable group of dynamic members joining at once; the leader assigns one byte per member. */
  stableGroup(clientIds: string[], fields: Partial<JoinGroupRequest> = {}): { memberIds: string[]; generationId: number; stableAtMs: number } {
    const joined = clientIds.map((c) => this.joinNew(c, fields));
    this.runFor(6000); // the initial delay, extended once because more than one member joined
    const responses = joined.map((j) => j.box.value!);
    expect(responses.every((r) => r.error === 'NONE')).toBe(true);
    const generationId = responses[0]!.generationId;
    const leader = responses.find((r) => r.members.length > 0)!;
    const syncs = joined.map((j) =>
      this.sync(j.memberId, generationId, j.memberId === leader.leader ? leader.members.map((m, k) => ({ memberId: m.memberId, assignment: Uint8Array.of(k) })) : []),
    );
    this.runFor(REPLICATION_MS);
    expect(syncs.every((b) => b.value?.error === 'NONE')).toBe(true);
    return { memberIds: joined.map((j) => j.memberId), generationId, stableAtMs: this.eventsOf('sync-completed').at(-1)!.atMs };
  }
}

function setup(options: ConstructorParameters<typeof Harness>[2] = {}): Harness {
  const s = new Scheduler(T0);
  const h = new Harness(s, new FakeOffsetsLog(s), options);
  h.lead();
  return h;
}

/** Heartbeats every heartbeat.interval.ms (3000) until an answer other than NONE, which it records. */
function keepHeartbeating(h: Harness, memberId: () => string, generationId: () => number, intervalMs = 3000): { last: KafkaErrorName | null; stop: () => void } {
  const state = { last: null as KafkaErrorName | null, stopped: false, stop: () => (state.stopped = true) };
  const beat = (): void => {
    if (state.stopped) return;
    state.last = h.heartbeat(memberId(), generationId());
    if (state.last === 'NONE') h.s.after(intervalMs, beat);
  };
  h.s.after(intervalMs, beat);
  return state;
}

describe('JoinGroup: the first rebalance of a new group', () => {
  it('waits group.initial.rebalance.delay.ms=3000 before answering the first member with generation 1', () => {
    const h = setup();
    const { memberId, box } = h.joinNew('consumer-inventory-1');
    h.runFor(2999);
    expect(box.value).toBeNull();
    expect(h.coordinator.groupState(GROUP)).toBe('PreparingRebalance');
    h.runFor(1);
    expect(box.value).toMatchObject({ error: 'NONE', generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: memberId, memberId });
    expect(box.value!.members).toEqual([{ memberId, groupInstanceId: null, metadata: ORDERS }]);
    expect(h.coordinator.groupState(GROUP)).toBe('CompletingRebalance');
  });

  it('two members joining within the delay: one leader, both in generation 1; each new joiner extends the delay by 3000 ms', () => {
    const h = setup();
    const a = h.joinNew('consumer-inventory-1');
    h.runFor(1000);
    const b = h.joinNew('consumer-inventory-2');
    h.runFor(4999); // T0+5999: the delay was extended at T0+3000 because b joined during it
    expect(a.box.value).toBeNull();
    h.runFor(1);
    const [ra, rb] = [a.box.value!, b.box.value!];
    expect(ra).toMatchObject({ error: 'NONE', generationId: 1, leader: a.memberId, protocolName: 'range' });
    expect(rb).toMatchObject({ error: 'NONE', generationId: 1, leader: a.memberId, members: [] });
    // Only the leader receives the members and their subscriptions.
    expect(ra.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(h.eventsOf('join-completed')).toMatchObject([{ generationId: 1, leaderId: a.memberId, protocolName: 'range', atMs: T0 + 6000 }]);
  });

  it('MEMBER_ID_REQUIRED: a dynamic member without a member id gets `${client.id}-<uuid>` and must rejoin with it (KIP-394)', () => {
    const h = setup();
    const first = h.join({}, { clientId: 'consumer-inventory-1' }).value!;
    expect(first).toMatchObject({ error: 'MEMBER_ID_REQUIRED', generationId: -1, leader: '', members: [] });
    expect(first.memberId).toMatch(/^consumer-inventory-1-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The id is not a member yet: heartbeats with it are refused; the rejoin makes it one.
    expect(h.heartbeat(first.memberId, 0)).toBe('UNKNOWN_MEMBER_ID');
    const rejoin = h.join({ memberId: first.memberId });
    h.runFor(3000);
    expect(rejoin.value).toMatchObject({ error: 'NONE', memberId: first.memberId, generationId: 1 });
  });

  it('member ids come from the seeded Prng: the same seed gives the same ids', () => {
    const ids = [1, 2].map(() => setup({ seed: 99 }).join().value!.memberId);
    expect(ids[0]).toBe(ids[1]);
    expect(setup({ seed: 100 }).join().value!.memberId).not.toBe(ids[0]);
  });

  it('a JoinGroup v3 client (before KIP-394) joins in one step', () => {
    const h = setup();
    const box = h.join({}, { joinGroupVersion: 3 });
    h.runFor(3000);
    expect(box.value).toMatchObject({ error: 'NONE', generationId: 1 });
  });

  it('a member id that was handed out but never used expires after session.timeout.ms', () => {
    const h = setup();
    const id = h.join().value!.memberId;
    h.runFor(SESSION_TIMEOUT_MS);
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: id, reason: 'pending-member-expired' }]);
    expect(h.join({ memberId: id }).value?.error).toBe('UNKNOWN_MEMBER_ID');
  });

  it('refuses a session timeout outside [group.min.session.timeout.ms=6000, group.max.session.timeout.ms=1800000] with INVALID_SESSION_TIMEOUT', () => {
    const h = setup();
    expect(h.join({ sessionTimeoutMs: 5999 }).value?.error).toBe('INVALID_SESSION_TIMEOUT');
    expect(h.join({ sessionTimeoutMs: 1_800_001 }).value?.error).toBe('INVALID_SESSION_TIMEOUT');
    expect(h.join({ sessionTimeoutMs: 6000 }).value?.error).toBe('MEMBER_ID_REQUIRED');
  });

  it('group.max.size=2: a third member gets GROUP_MAX_SIZE_REACHED', () => {
    const h = setup({ config: { 'group.max.size': 2 } });
    h.stableGroup(['c1', 'c2']);
    expect(h.join({}, { clientId: 'c3' }).value).toMatchObject({ error: 'GROUP_MAX_SIZE_REACHED', memberId: '' });
  });

  it('group.max.size while rebalancing: members are counted as they rejoin, so the last one to rejoin a full group is removed', () => {
    const h = setup({ config: { 'group.max.size': 2 } });
    const { memberIds: [a, b] } = h.stableGroup(['c1', 'c2']);
    h.join({ memberId: a! }); // the leader rejoins: PreparingRebalance, 1 member awaiting
    const c = h.joinNew('c3'); // 1 < 2 awaiting: accepted, the group is over size for now
    expect(c.box.value).toBeNull();
    expect(h.join({ memberId: b! }).value).toMatchObject({ error: 'GROUP_MAX_SIZE_REACHED', memberId: '' });
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b, reason: 'group-max-size' }]);
    expect(c.box.value).toMatchObject({ error: 'NONE', generationId: 2 });
  });

  it('the protocol vote: each member votes for its first protocol that all support; the most votes win; none in common is INCONSISTENT_GROUP_PROTOCOL', () => {
    const h = setup();
    const a = h.joinNew('c1', { protocols: protocols('range', 'roundrobin') });
    const b = h.joinNew('c2', { protocols: protocols('roundrobin', 'range') });
    const c = h.joinNew('c3', { protocols: protocols('sticky', 'roundrobin', 'range') });
    // "sticky" is not supported by everyone; c votes roundrobin: 2 votes against 1.
    expect(h.join({ protocols: protocols('cooperative-sticky') }, { clientId: 'c4' }).value?.error).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(h.join({ protocolType: 'connect', protocols: protocols('range') }, { clientId: 'c5' }).value?.error).toBe('INCONSISTENT_GROUP_PROTOCOL');
    h.runFor(9000);
    expect([a, b, c].map((m) => m.box.value?.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });
});

describe('SyncGroup', () => {
  it("stores the leader's assignment in __consumer_offsets before the group becomes Stable, then answers every member", () => {
    const h = setup();
    const a = h.joinNew('c1');
    const b = h.joinNew('c2');
    h.runFor(6000);
    const follower = h.sync(b.memberId, 1);
    expect(follower.value).toBeNull(); // waits for the leader
    const leader = h.sync(a.memberId, 1, [
      { memberId: a.memberId, assignment: Uint8Array.of(1) },
      { memberId: b.memberId, assignment: Uint8Array.of(2) },
    ]);
    expect(leader.value).toBeNull(); // waits for the GroupMetadata record to be committed
    expect(h.coordinator.groupState(GROUP)).toBe('CompletingRebalance');
    const stored = h.log.decoded().at(-1)!;
    expect(stored).toMatchObject({ type: 'group-metadata', key: { group: GROUP }, value: { generation: 1, protocol: 'range', leader: a.memberId, protocolType: 'consumer' } });
    expect(stored.type === 'group-metadata' && stored.value!.members.map((m) => [m.memberId, [...m.assignment]])).toEqual([
      [a.memberId, [1]],
      [b.memberId, [2]],
    ]);
    h.runFor(REPLICATION_MS);
    expect(leader.value).toEqual({ error: 'NONE', protocolType: 'consumer', protocolName: 'range', assignment: Uint8Array.of(1) });
    expect(follower.value).toEqual({ error: 'NONE', protocolType: 'consumer', protocolName: 'range', assignment: Uint8Array.of(2) });
    expect(h.coordinator.groupState(GROUP)).toBe('Stable');
  });

  it('answers ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, and REBALANCE_IN_PROGRESS during PreparingRebalance', () => {
    const h = setup();
    const a = h.joinNew('c1');
    // Generation 0 is still the current one while the first join waits.
    expect(h.sync(a.memberId, 0).value?.error).toBe('REBALANCE_IN_PROGRESS');
    h.runFor(3000);
    expect(h.sync(a.memberId, 0).value?.error).toBe('ILLEGAL_GENERATION');
    expect(h.sync('nobody', 1).value?.error).toBe('UNKNOWN_MEMBER_ID');
  });

  it('a failed GroupMetadata append answers the sync with NOT_COORDINATOR and rebalances', () => {
    const h = setup();
    const a = h.joinNew('c1');
    h.runFor(3000);
    h.log.failWith = 'NOT_LEADER_OR_FOLLOWER';
    const box = h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Uint8Array.of(1) }]);
    h.runFor(REPLICATION_MS);
    expect(box.value?.error).toBe('NOT_COORDINATOR');
    expect(h.coordinator.groupState(GROUP)).toBe('PreparingRebalance');
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'storage-error' });
  });

  it('a member that does not send SyncGroup within the rebalance timeout is removed and the group rebalances', () => {
    const h = setup();
    const a = h.joinNew('c1', { rebalanceTimeoutMs: 20_000 });
    const b = h.joinNew('c2', { rebalanceTimeoutMs: 20_000 });
    h.runFor(6000);
    h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Uint8Array.of(1) }]);
    h.runFor(20_000);
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b.memberId, reason: 'sync-timeout' }]);
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'rebalance-timeout', fromState: 'Stable' });
  });
});

describe('Heartbeat, session timeout, LeaveGroup, rebalance timeout', () => {
  it('a third member joining a Stable group: the others hear REBALANCE_IN_PROGRESS on heartbeat, rejoin, and everyone gets generation 2', () => {
    const h = setup();
    const { memberIds: [a, b] } = h.stableGroup(['c1', 'c2']);
    expect(h.heartbeat(a!, 1)).toBe('NONE');
    const c = h.joinNew('c3', { reason: 'scaled out' });
    expect(h.coordinator.groupState(GROUP)).toBe('PreparingRebalance');
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'member-joined', memberId: c.memberId, clientReason: 'scaled out', fromState: 'Stable', generationId: 1 });
    expect(h.heartbeat(a!, 1)).toBe('REBALANCE_IN_PROGRESS');
    expect(h.heartbeat(b!, 1)).toBe('REBALANCE_IN_PROGRESS');
    const ra = h.join({ memberId: a! });
    expect(ra.value).toBeNull();
    const rb = h.join({ memberId: b! });
    // Everyone known has rejoined: the join completes at once (no initial delay for a non-empty group).
    expect([ra.value?.generationId, rb.value?.generationId, c.box.value?.generationId]).toEqual([2, 2, 2]);
    expect(ra.value!.leader).toBe(a);
    expect(ra.value!.members).toHaveLength(3);
    expect(h.heartbeat(a!, 1)).toBe('ILLEGAL_GENERATION');
    expect(h.heartbeat(a!, 2)).toBe('NONE'); // CompletingRebalance: heartbeats are fine
  });

  it('a member that stops heartbeating is removed after session.timeout.ms=45000 and the group rebalances to generation 2', () => {
    const h = setup();
    const { memberIds: [a, b], stableAtMs } = h.stableGroup(['c1', 'c2']);
    const beats = keepHeartbeating(h, () => a!, () => 1);
    h.s.runUntil(stableAtMs + SESSION_TIMEOUT_MS - 1);
    expect(h.describe().members).toHaveLength(2);
    h.s.runUntil(stableAtMs + SESSION_TIMEOUT_MS);
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b, reason: 'session-timeout', atMs: stableAtMs + SESSION_TIMEOUT_MS }]);
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'session-timeout', memberId: b });
    expect(beats.last).toBe('REBALANCE_IN_PROGRESS');
    const rejoin = h.join({ memberId: a! });
    expect(rejoin.value).toMatchObject({ error: 'NONE', generationId: 2, leader: a });
    expect(rejoin.value!.members.map((m) => m.memberId)).toEqual([a]);
    expect(h.heartbeat(b!, 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('LeaveGroup starts a rebalance at once; the remaining member rejoins into generation 2', () => {
    const h = setup();
    const { memberIds: [a, b] } = h.stableGroup(['c1', 'c2']);
    const response = h.leave(b!);
    expect(response).toEqual({ error: 'NONE', members: [{ memberId: b, groupInstanceId: null, error: 'NONE' }] });
    expect(h.coordinator.groupState(GROUP)).toBe('PreparingRebalance');
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'member-left', clientReason: 'the consumer is being closed' });
    expect(h.heartbeat(a!, 1)).toBe('REBALANCE_IN_PROGRESS');
    expect(h.join({ memberId: a! }).value).toMatchObject({ generationId: 2, leader: a });
    expect(h.leave('stranger').members[0]!.error).toBe('UNKNOWN_MEMBER_ID');
  });

  it('when the leader leaves, the next member becomes leader of the next generation', () => {
    const h = setup();
    const { memberIds: [a, b] } = h.stableGroup(['c1', 'c2']);
    h.leave(a!);
    const rb = h.join({ memberId: b! });
    expect(rb.value).toMatchObject({ generationId: 2, leader: b });
    expect(rb.value!.members.map((m) => m.memberId)).toEqual([b]);
  });

  it('the last member leaving makes the group Empty, bumps the generation and stores the empty group', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.leave(a!);
    expect(h.describe()).toMatchObject({ groupState: 'Empty', protocolType: 'consumer', members: [] });
    expect(h.eventsOf('state-changed').slice(-2)).toMatchObject([
      { from: 'Stable', to: 'PreparingRebalance', generationId: 1 },
      { from: 'PreparingRebalance', to: 'Empty', generationId: 2 },
    ]);
    expect(h.log.decoded().at(-1)).toMatchObject({ type: 'group-metadata', value: { generation: 2, protocol: null, leader: null, members: [] } });
    expect(h.heartbeat(a!, 2)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('a member that does not rejoin within the rebalance timeout is removed when the join completes', () => {
    const h = setup();
    const fields = { rebalanceTimeoutMs: 20_000 };
    const a = h.joinNew('c1', fields);
    const b = h.joinNew('c2', fields);
    h.runFor(6000);
    h.sync(b.memberId, 1);
    h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Uint8Array.of(1) }, { memberId: b.memberId, assignment: Uint8Array.of(2) }]);
    h.runFor(REPLICATION_MS);
    const startMs = h.s.nowMs();
    const c = h.joinNew('c3', fields);
    const ra = h.join({ memberId: a.memberId, ...fields });
    h.s.runUntil(startMs + 20_000 - 1);
    expect(ra.value).toBeNull(); // still waiting for b
    h.s.runUntil(startMs + 20_000);
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b.memberId, reason: 'rebalance-timeout' }]);
    expect(ra.value).toMatchObject({ generationId: 2, leader: a.memberId });
    expect(ra.value!.members.map((m) => m.memberId)).toEqual([a.memberId, c.memberId]);
    expect(c.box.value?.generationId).toBe(2);
  });

  it('heartbeats: UNKNOWN_MEMBER_ID for unknown members and groups, NOT_COORDINATOR for another partition', () => {
    const h = setup();
    expect(h.heartbeat('nobody', 1)).toBe('UNKNOWN_MEMBER_ID');
    const other = 'order-group'; // __consumer_offsets-26: not led here
    expect(h.heartbeat('x', 1, null, other)).toBe('NOT_COORDINATOR');
  });
});

describe('static membership (group.instance.id, KIP-345)', () => {
  it('a static member that restarts within session.timeout.ms rejoins without a rebalance: same generation, and its old member id is fenced', () => {
    const h = setup();
    const a = h.join({ groupInstanceId: 'inventory-1' }, { clientId: 'c1' });
    const b = h.join({ groupInstanceId: 'inventory-2' }, { clientId: 'c2' });
    h.runFor(6000);
    const [oldA, bId] = [a.value!.memberId, b.value!.memberId];
    expect(oldA).toMatch(/^inventory-1-/); // static member ids start with the instance id
    h.sync(bId, 1, [], 'inventory-2');
    h.sync(oldA, 1, [{ memberId: oldA, assignment: Uint8Array.of(1) }, { memberId: bId, assignment: Uint8Array.of(2) }], 'inventory-1');
    h.runFor(REPLICATION_MS);
    const rebalancesBefore = h.eventsOf('rebalance-started').length;

    h.runFor(10_000); // the process restarts; it lost its member id
    const restarted = h.join({ groupInstanceId: 'inventory-1' }, { clientId: 'c1' });
    h.runFor(REPLICATION_MS); // the new member id is persisted first
    const newA = restarted.value!.memberId;
    expect(restarted.value).toMatchObject({ error: 'NONE', generationId: 1, leader: oldA, members: [] });
    expect(newA).not.toBe(oldA);
    expect(h.eventsOf('static-member-replaced')).toMatchObject([{ groupInstanceId: 'inventory-1', oldMemberId: oldA, newMemberId: newA }]);
    expect(h.eventsOf('rebalance-started')).toHaveLength(rebalancesBefore);
    expect(h.coordinator.groupState(GROUP)).toBe('Stable');
    expect(h.heartbeat(oldA, 1, 'inventory-1')).toBe('FENCED_INSTANCE_ID');
    expect(h.heartbeat(newA, 1, 'inventory-1')).toBe('NONE');
    expect(h.heartbeat(bId, 1, 'inventory-2')).toBe('NONE');
    expect(h.sync(newA, 1, [], 'inventory-1').value).toMatchObject({ error: 'NONE', assignment: Uint8Array.of(1) });
    const stored = h.log.decoded().at(-1)!;
    expect(stored.type === 'group-metadata' && stored.value!.members.map((m) => m.memberId)).toEqual([newA, bId]);
  });

  it('a static member that rejoins with another protocol triggers a rebalance', () => {
    const h = setup();
    const a = h.join({ groupInstanceId: 'inventory-1', protocols: protocols('range', 'roundrobin') });
    h.runFor(3000);
    h.sync(a.value!.memberId, 1, [], 'inventory-1');
    h.runFor(REPLICATION_MS);
    // Now preferring roundrobin: the vote would change, so the replacement needs a rebalance.
    const rejoin = h.join({ groupInstanceId: 'inventory-1', protocols: protocols('roundrobin', 'range') });
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({ cause: 'metadata-change', fromState: 'Stable' });
    h.runFor(MAX_POLL_INTERVAL_MS);
    expect(rejoin.value).toMatchObject({ error: 'NONE', generationId: 2, protocolName: 'roundrobin' });
  });
});

describe('OffsetCommit and OffsetFetch', () => {
  it('acknowledges a commit only after the append is committed; then OffsetFetch returns it', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.log.hold = true;
    const box = h.commit(a!, 1, [['orders', 0, 42, 'checkpoint'], ['orders', 1, 7]]);
    h.runFor(1000);
    expect(box.value).toBeNull();
    expect(h.fetch().topics).toEqual([]); // not visible before it is committed
    h.log.release();
    h.runFor(REPLICATION_MS);
    expect(box.value).toEqual({ topics: [{ name: 'orders', partitions: [{ partition: 0, error: 'NONE' }, { partition: 1, error: 'NONE' }] }] });
    expect(h.fetch()).toEqual({
      error: 'NONE',
      topics: [
        {
          name: 'orders',
          partitions: [
            { partition: 0, committedOffset: 42, committedLeaderEpoch: 3, metadata: 'checkpoint', error: 'NONE' },
            { partition: 1, committedOffset: 7, committedLeaderEpoch: 3, metadata: '', error: 'NONE' },
          ],
        },
      ],
    });
    expect(h.fetch(GROUP, [{ name: 'orders', partitions: [5] }]).topics[0]!.partitions[0]).toMatchObject({ committedOffset: -1, error: 'NONE' });
    expect(h.eventsOf('offsets-committed')).toMatchObject([{ memberId: a, generationId: 1, offsets: [{ topic: 'orders', partition: 0, offset: 42 }, { topic: 'orders', partition: 1, offset: 7 }] }]);
    const records = h.log.decoded().filter((r) => r.type === 'offset-commit');
    expect(records.map((r) => r.type === 'offset-commit' && [r.key.topic, r.key.partition, r.value?.offset])).toEqual([
      ['orders', 0, 42],
      ['orders', 1, 7],
    ]);
  });

  it('refuses commits from a stale generation (ILLEGAL_GENERATION), an unknown member (UNKNOWN_MEMBER_ID) and during CompletingRebalance (REBALANCE_IN_PROGRESS)', () => {
    const h = setup();
    const { memberIds: [a, b] } = h.stableGroup(['c1', 'c2']);
    const errorOf = (box: Box<OffsetCommitResponse>): KafkaErrorName => box.value!.topics[0]!.partitions[0]!.error;
    expect(errorOf(h.commit(a!, 0, [['orders', 0, 1]]))).toBe('ILLEGAL_GENERATION');
    expect(errorOf(h.commit('zombie', 1, [['orders', 0, 1]]))).toBe('UNKNOWN_MEMBER_ID');
    // From outside the group while it has members: refused.
    expect(errorOf(h.commit('', -1, [['orders', 0, 1]]))).toBe('UNKNOWN_MEMBER_ID');
    h.leave(b!);
    h.join({ memberId: a! }); // generation 2, CompletingRebalance
    expect(errorOf(h.commit(a!, 2, [['orders', 0, 1]]))).toBe('REBALANCE_IN_PROGRESS');
    expect(errorOf(h.commit(a!, 1, [['orders', 0, 1]]))).toBe('ILLEGAL_GENERATION');
  });

  it('a commit during PreparingRebalance from the current generation is still accepted', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.joinNew('c2');
    const box = h.commit(a!, 1, [['orders', 0, 5]]);
    h.runFor(REPLICATION_MS);
    expect(box.value!.topics[0]!.partitions[0]!.error).toBe('NONE');
  });

  it('metadata longer than offset.metadata.max.bytes=4096 gets OFFSET_METADATA_TOO_LARGE; the rest of the request is stored', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    const box = h.commit(a!, 1, [['orders', 0, 10, 'x'.repeat(4097)], ['orders', 1, 11, 'x'.repeat(4096)]]);
    h.runFor(REPLICATION_MS);
    expect(box.value!.topics[0]!.partitions.map((p) => p.error)).toEqual(['OFFSET_METADATA_TOO_LARGE', 'NONE']);
    expect(h.committed()).toEqual({ 'orders-1': 11 });
  });

  it('a consumer outside group management (generation -1, no member id) commits into an Empty or unknown group', () => {
    const h = setup();
    const box = h.commit('', -1, [['orders', 0, 99]], 'inventory');
    h.runFor(REPLICATION_MS);
    expect(box.value!.topics[0]!.partitions[0]!.error).toBe('NONE');
    expect(h.committed()).toEqual({ 'orders-0': 99 });
    expect(h.describe()).toMatchObject({ groupState: 'Empty', protocolType: '' });
    // With a generation but no group: the member's group is gone.
    expect(h.commit('m', 3, [['orders', 0, 1]], 'order-group').value!.topics[0]!.partitions[0]!.error).toBe('NOT_COORDINATOR');
  });

  it('a failed append answers the commit with the coordinator error (NOT_LEADER_OR_FOLLOWER → NOT_COORDINATOR) and stores nothing', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.log.failWith = 'NOT_LEADER_OR_FOLLOWER';
    const box = h.commit(a!, 1, [['orders', 0, 5]]);
    h.runFor(REPLICATION_MS);
    expect(box.value!.topics[0]!.partitions[0]!.error).toBe('NOT_COORDINATOR');
    expect(h.committed()).toEqual({});
  });
});

describe('loading and unloading a __consumer_offsets partition', () => {
  it('answers COORDINATOR_LOAD_IN_PROGRESS while loading (heartbeats NONE and SyncGroup REBALANCE_IN_PROGRESS, as Kafka); NOT_COORDINATOR for partitions led elsewhere', () => {
    const s = new Scheduler(T0);
    const h = new Harness(s, new FakeOffsetsLog(s), { loadDelayMs: 1000 });
    h.coordinator.onElection(PARTITION, 0);
    expect(h.join().value?.error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(h.fetch().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(h.commit('', -1, [['orders', 0, 1]]).value!.topics[0]!.partitions[0]!.error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(h.describe().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(h.coordinator.handleListGroups({ api: 'ListGroups', statesFilter: [] }).error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(h.heartbeat('m', 1)).toBe('NONE');
    expect(h.sync('m', 1).value?.error).toBe('REBALANCE_IN_PROGRESS');
    expect(h.fetch('order-group').error).toBe('NOT_COORDINATOR');
    h.runFor(1000);
    expect(h.fetch().error).toBe('NONE');
    expect(h.join().value?.error).toBe('MEMBER_ID_REQUIRED');
    expect(h.events.filter((e) => e.type.startsWith('partition-')).map((e) => e.type)).toEqual(['partition-loading', 'partition-loaded']);
  });

  it('offsets and members survive unload and reload: the new coordinator replays the log, last value wins, tombstones are respected', () => {
    const s = new Scheduler(T0);
    const log = new FakeOffsetsLog(s);
    const broker1 = new Harness(s, log, { brokerId: 1 });
    broker1.lead(PARTITION, 0);
    const { memberIds: [a, b] } = broker1.stableGroup(['c1', 'c2']);
    broker1.commit(a!, 1, [['orders', 0, 10], ['orders', 1, 7]]);
    broker1.runFor(REPLICATION_MS);
    broker1.commit(a!, 1, [['orders', 0, 15]]);
    broker1.runFor(REPLICATION_MS);
    // A simple group on the same partition, deleted again: only tombstones remain for it.
    const audit = Array.from({ length: 500 }, (_, i) => `audit-${i}`).find((g) => offsetsPartitionFor(g) === PARTITION)!;
    broker1.commit('', -1, [['payments', 0, 5]], audit);
    broker1.runFor(REPLICATION_MS);
    expect(broker1.coordinator.handleDeleteGroups({ api: 'DeleteGroups', groupIds: [audit] }).results).toEqual([{ groupId: audit, error: 'NONE' }]);
    expect(log.decoded().at(-1)).toMatchObject({ type: 'offset-commit', key: { group: audit, topic: 'payments', partition: 0 }, value: null });

    // Leadership of __consumer_offsets-10 moves to broker 2.
    const pendingJoinOnOldCoordinator = broker1.join({ memberId: a! }); // leader rejoin → PreparingRebalance on broker 1
    broker1.coordinator.onResignation(PARTITION, 1);
    expect(pendingJoinOnOldCoordinator.value?.error).toBe('NOT_COORDINATOR');
    expect(broker1.heartbeat(a!, 1)).toBe('NOT_COORDINATOR');
    const broker2 = new Harness(s, log, { brokerId: 2 });
    broker2.lead(PARTITION, 1);

    expect(broker2.committed()).toEqual({ 'orders-0': 15, 'orders-1': 7 });
    expect(broker2.committed(audit)).toEqual({});
    expect(broker2.describe(audit).groupState).toBe('Dead');
    expect(broker2.describe()).toMatchObject({ groupState: 'Stable', protocolData: 'range', members: [{ memberId: a }, { memberId: b }] });
    expect(broker2.eventsOf('group-loaded')).toMatchObject([{ groupId: GROUP, state: 'Stable', generationId: 1, memberCount: 2, offsetCount: 2 }]);
    // Members keep their ids and generation if they heartbeat the new coordinator within the session timeout.
    const loadedAtMs = s.nowMs();
    keepHeartbeating(broker2, () => a!, () => 1);
    s.runUntil(loadedAtMs + SESSION_TIMEOUT_MS);
    expect(broker2.eventsOf('member-removed')).toMatchObject([{ memberId: b, reason: 'session-timeout' }]);
    expect(broker2.heartbeat(a!, 1)).toBe('REBALANCE_IN_PROGRESS');
  });

  it('a load that meets a corrupt record fails loudly and serves the partition empty, as Kafka does', () => {
    const s = new Scheduler(T0);
    const log = new FakeOffsetsLog(s);
    log.records.set(PARTITION, [{ key: Uint8Array.of(0, 1, 0), value: null }]);
    const h = new Harness(s, log);
    h.lead();
    expect(h.eventsOf('partition-load-failed')).toMatchObject([{ partition: PARTITION }]);
    expect(h.fetch().error).toBe('NONE');
  });
});

describe('offsets retention', () => {
  it("an Empty group's offsets expire offsets.retention.minutes=10080 (7 days) after it became Empty; then the group is Dead and tombstoned", () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.commit(a!, 1, [['orders', 0, 42]]);
    h.runFor(REPLICATION_MS);
    const beats = keepHeartbeating(h, () => a!, () => 1);
    h.runFor(DAY_MS); // a Stable group subscribed to "orders" keeps its offsets whatever their age
    beats.stop();
    expect(h.committed()).toEqual({ 'orders-0': 42 });
    h.leave(a!);
    const emptySinceMs = h.s.nowMs();
    h.s.runUntil(emptySinceMs + 7 * DAY_MS - 1);
    expect(h.committed()).toEqual({ 'orders-0': 42 });
    // The check runs every offsets.retention.check.interval.ms = 600000.
    h.s.runUntil(emptySinceMs + 7 * DAY_MS + 600_000);
    expect(h.committed()).toEqual({});
    expect(h.coordinator.groupState(GROUP)).toBeNull();
    expect(h.describe().groupState).toBe('Dead');
    const expired = h.eventsOf('offsets-expired');
    expect(expired).toMatchObject([{ groupId: GROUP, offsets: [{ topic: 'orders', partition: 0, offset: 42 }] }]);
    expect(expired[0]!.atMs - emptySinceMs).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(h.log.decoded().slice(-2)).toMatchObject([
      { type: 'offset-commit', key: { group: GROUP, topic: 'orders', partition: 0 }, value: null },
      { type: 'group-metadata', key: { group: GROUP }, value: null },
    ]);
  });

  it('offsets of a topic the Stable group no longer subscribes to expire 7 days after their commit', () => {
    const h = setup();
    // session.timeout.ms at its maximum, so a heartbeat every 10 minutes keeps the member for a week.
    const { memberIds: [a] } = h.stableGroup(['c1'], { sessionTimeoutMs: 1_800_000 });
    h.commit(a!, 1, [['orders', 0, 1], ['legacy', 0, 2]]);
    h.runFor(REPLICATION_MS);
    keepHeartbeating(h, () => a!, () => 1, 600_000);
    h.runFor(7 * DAY_MS - 600_000);
    expect(h.committed()).toEqual({ 'legacy-0': 2, 'orders-0': 1 });
    h.runFor(1_200_000);
    expect(h.describe().groupState).toBe('Stable');
    expect(h.committed()).toEqual({ 'orders-0': 1 });
  });
});

describe('DescribeGroups, ListGroups, DeleteGroups, FindCoordinator', () => {
  it('DescribeGroups shows state, protocol type, the chosen assignor and each member with client id, host, subscription and assignment', () => {
    const h = setup();
    expect(h.describe()).toEqual({ error: 'NONE', groupId: GROUP, groupState: 'Dead', protocolType: '', protocolData: '', members: [] });
    const a = h.joinNew('consumer-inventory-1');
    expect(h.describe()).toMatchObject({ groupState: 'PreparingRebalance', protocolType: 'consumer', protocolData: '' });
    expect(h.describe().members[0]).toEqual({ memberId: a.memberId, groupInstanceId: null, clientId: 'consumer-inventory-1', clientHost: '/127.0.0.1', memberMetadata: new Uint8Array(0), memberAssignment: new Uint8Array(0) });
    h.runFor(3000);
    h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Uint8Array.of(9) }]);
    h.runFor(REPLICATION_MS);
    expect(h.describe()).toEqual({
      error: 'NONE',
      groupId: GROUP,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [{ memberId: a.memberId, groupInstanceId: null, clientId: 'consumer-inventory-1', clientHost: '/127.0.0.1', memberMetadata: ORDERS, memberAssignment: Uint8Array.of(9) }],
    });
  });

  it('ListGroups lists groups with their state, filtered by state', () => {
    const h = setup();
    h.stableGroup(['c1']);
    const audit = Array.from({ length: 500 }, (_, i) => `audit-${i}`).find((g) => offsetsPartitionFor(g) === PARTITION)!;
    h.commit('', -1, [['orders', 0, 1]], audit);
    h.runFor(REPLICATION_MS);
    const list = (statesFilter: ('Stable' | 'Empty')[]) => h.coordinator.handleListGroups({ api: 'ListGroups', statesFilter });
    expect(list([]).groups).toEqual([
      { groupId: audit, protocolType: '', groupState: 'Empty' },
      { groupId: GROUP, protocolType: 'consumer', groupState: 'Stable' },
    ]);
    expect(list(['Stable']).groups.map((g) => g.groupId)).toEqual([GROUP]);
  });

  it('DeleteGroups: NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an unknown group, NONE (with tombstones) for an Empty one', () => {
    const h = setup();
    const { memberIds: [a] } = h.stableGroup(['c1']);
    h.commit(a!, 1, [['orders', 0, 3]]);
    h.runFor(REPLICATION_MS);
    const del = () => h.coordinator.handleDeleteGroups({ api: 'DeleteGroups', groupIds: [GROUP, 'unknown-group-x'] }).results;
    const unknownError = offsetsPartitionFor('unknown-group-x') === PARTITION ? 'GROUP_ID_NOT_FOUND' : 'NOT_COORDINATOR';
    expect(del()).toEqual([
      { groupId: GROUP, error: 'NON_EMPTY_GROUP' },
      { groupId: 'unknown-group-x', error: unknownError },
    ]);
    h.leave(a!);
    expect(del()[0]).toEqual({ groupId: GROUP, error: 'NONE' });
    expect(h.committed()).toEqual({});
    expect(h.eventsOf('group-deleted')).toMatchObject([{ groupId: GROUP, offsetsRemoved: 1 }]);
    expect(del()[0]).toEqual({ groupId: GROUP, error: 'GROUP_ID_NOT_FOUND' });
  });

  it('FindCoordinator names the leader of the group\'s __consumer_offsets partition', () => {
    expect(findCoordinator({ api: 'FindCoordinator', key: GROUP }, 50, (p) => (p === 10 ? 2 : 1))).toEqual({ error: 'NONE', nodeId: 2 });
    expect(findCoordinator({ api: 'FindCoordinator', key: GROUP }, 50, () => null)).toEqual({ error: 'COORDINATOR_NOT_AVAILABLE', nodeId: -1 });
  });
});

describe('the rebalance timeline', () => {
  it('emits rebalance started → join completed → sync completed with the clock time of each step', () => {
    const h = setup();
    const a = h.joinNew('c1', { reason: 'need to re-join' });
    h.runFor(3000);
    h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Uint8Array.of(4) }]);
    h.runFor(REPLICATION_MS);
    const timeline = h.events
      .filter((e) => 'groupId' in e)
      .map((e) => [e.type, e.atMs - T0, 'to' in e ? e.to : 'cause' in e ? e.cause : '']);
    expect(timeline).toEqual([
      ['rebalance-started', 0, 'member-joined'],
      ['state-changed', 0, 'PreparingRebalance'],
      ['state-changed', 3000, 'CompletingRebalance'],
      ['join-completed', 3000, ''],
      ['sync-completed', 3002, ''],
      ['state-changed', 3002, 'Stable'],
    ]);
    expect(h.eventsOf('rebalance-started')[0]).toMatchObject({ clientReason: 'need to re-join', reason: expect.stringContaining('client reason: need to re-join') });
    expect(h.eventsOf('sync-completed')[0]!.assignments).toEqual([{ memberId: a.memberId, assignment: Uint8Array.of(4) }]);
  });
});

describe('handle(): one entry point for the broker', () => {
  it('dispatches every coordinator API and answers each exactly once', () => {
    const h = setup();
    const answers: unknown[] = [];
    const ctx = { clientId: 'admin', clientHost: '/127.0.0.1' };
    h.coordinator.handle({ api: 'ListGroups', statesFilter: [] }, ctx, (r) => answers.push(r));
    h.coordinator.handle({ api: 'DescribeGroups', groupIds: [GROUP] }, ctx, (r) => answers.push(r.groups[0]!.groupState));
    h.coordinator.handle({ api: 'OffsetFetch', groupId: GROUP, topics: null }, ctx, (r) => answers.push(r.error));
    h.coordinator.handle({ api: 'Heartbeat', groupId: GROUP, generationId: 0, memberId: 'x', groupInstanceId: null }, ctx, (r) => answers.push(r.error));
    h.coordinator.handle({ api: 'DeleteGroups', groupIds: [GROUP] }, ctx, (r) => answers.push(r.results[0]!.error));
    h.coordinator.handle(
      { api: 'JoinGroup', groupId: GROUP, sessionTimeoutMs: 45_000, rebalanceTimeoutMs: 300_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: protocols('range'), reason: null },
      ctx,
      (r) => answers.push(r.error),
    );
    expect(answers).toEqual([{ error: 'NONE', groups: [] }, 'Dead', 'NONE', 'UNKNOWN_MEMBER_ID', 'GROUP_ID_NOT_FOUND', 'MEMBER_ID_REQUIRED']);
  });

  it('refuses every request after shutdown with COORDINATOR_NOT_AVAILABLE and cancels its timers', () => {
    const h = setup();
    h.joinNew('c1');
    h.coordinator.shutdown();
    expect(h.s.pendingCount()).toBe(0);
    expect(h.join().value?.error).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(h.fetch().error).toBe('COORDINATOR_NOT_AVAILABLE');
  });
});

describe('resolveGroupCoordinatorConfig', () => {
  it("takes Kafka's defaults and refuses unknown names and out-of-range values", () => {
    expect(resolveGroupCoordinatorConfig()).toEqual({
      groupInitialRebalanceDelayMs: 3000,
      groupMinSessionTimeoutMs: 6000,
      groupMaxSessionTimeoutMs: 1_800_000,
      groupMaxSize: 2_147_483_647,
      offsetsRetentionMs: 7 * DAY_MS,
      offsetsRetentionCheckIntervalMs: 600_000,
      offsetMetadataMaxBytes: 4096,
      offsetsTopicNumPartitions: 50,
      offsetsCommitTimeoutMs: 5000,
    });
    expect(resolveGroupCoordinatorConfig({ 'offsets.retention.minutes': '1' }).offsetsRetentionMs).toBe(60_000);
    expect(() => resolveGroupCoordinatorConfig({ 'group.max.size': 0 })).toThrow(/group.max.size/);
    expect(() => resolveGroupCoordinatorConfig({ 'no.such.config': 1 } as never)).toThrow(/Unknown/);
  });
});
