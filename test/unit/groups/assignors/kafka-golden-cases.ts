/**
 * Assignments computed by Apache Kafka's own Java assignors (clients @ apache/kafka 1eb76443, run
 * through AbstractPartitionAssignor.assign(Cluster, GroupSubscription) exactly as a Java group
 * leader calls them, subscriptions in a HashMap filled in member order). Generated once from the
 * Java classes; each case is an input group and Kafka's answer, with the partition lists in
 * Kafka's order. "transferring" is AbstractStickyAssignor.partitionsTransferringOwnership (null
 * in the general algorithm). Partitions are written "topic:partition", comma-separated.
 */

export interface GoldenMember {
  readonly id: string;
  readonly instance?: string;
  /** ConsumerProtocolSubscription v2+ generation_id, -1 for none. */
  readonly generation: number;
  readonly topics: readonly string[];
  readonly owned: string;
  /** Subscription user data as hex (sticky: StickyAssignorUserData v1; cooperative-sticky: INT32 generation). */
  readonly userData: string | null;
}

export interface GoldenCase {
  readonly name: string;
  readonly assignor: 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';
  readonly topics: Readonly<Record<string, number>>;
  readonly members: readonly GoldenMember[];
  readonly expected: Readonly<Record<string, string>>;
  readonly transferring?: string | null;
}

export const KAFKA_GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'javadoc: three members with nested subscriptions of t0 (1), t1 (2), t2 (3)',
    assignor: 'range',
    topics: { t0: 1, t1: 2, t2: 3 },
    members: [
      { id: 'C0', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'C1', generation: -1, topics: ['t0', 't1'], owned: '', userData: null },
      { id: 'C2', generation: -1, topics: ['t0', 't1', 't2'], owned: '', userData: null },
    ],
    expected: { C0: 't0:0', C1: 't1:0', C2: 't1:1,t2:0,t2:1,t2:2' },
  },
  {
    name: 'static members sort by group.instance.id, before dynamic ones',
    assignor: 'range',
    topics: { topic1: 5, topic2: 4 },
    members: [
      { id: 'consumer1', instance: 'instance3', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer2', instance: 'instance1', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer3', instance: 'instance2', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer0', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
    ],
    expected: { consumer0: 'topic1:4,topic2:3', consumer1: 'topic1:3,topic2:2', consumer2: 'topic1:0,topic1:1,topic2:0', consumer3: 'topic1:2,topic2:1' },
  },
  {
    name: 'topic order inside an assignment follows HashMap order of the topics',
    assignor: 'range',
    topics: { orders: 2, payments: 2, inventory: 2, audit: 1 },
    members: [
      { id: 'order-service-1', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
      { id: 'order-service-2', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
    ],
    expected: { 'order-service-1': 'audit:0,payments:0,orders:0,inventory:0', 'order-service-2': 'payments:1,orders:1,inventory:1' },
  },
  {
    name: 'javadoc: three members with nested subscriptions of t0 (1), t1 (2), t2 (3)',
    assignor: 'roundrobin',
    topics: { t0: 1, t1: 2, t2: 3 },
    members: [
      { id: 'C0', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'C1', generation: -1, topics: ['t0', 't1'], owned: '', userData: null },
      { id: 'C2', generation: -1, topics: ['t0', 't1', 't2'], owned: '', userData: null },
    ],
    expected: { C0: 't0:0', C1: 't1:0', C2: 't1:1,t2:0,t2:1,t2:2' },
  },
  {
    name: 'static members sort by group.instance.id, before dynamic ones',
    assignor: 'roundrobin',
    topics: { topic1: 5, topic2: 4 },
    members: [
      { id: 'consumer1', instance: 'instance3', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer2', instance: 'instance1', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer3', instance: 'instance2', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer0', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
    ],
    expected: { consumer0: 'topic1:3,topic2:2', consumer1: 'topic1:2,topic2:1', consumer2: 'topic1:0,topic1:4,topic2:3', consumer3: 'topic1:1,topic2:0' },
  },
  {
    name: 'topic order inside an assignment follows HashMap order of the topics',
    assignor: 'roundrobin',
    topics: { orders: 2, payments: 2, inventory: 2, audit: 1 },
    members: [
      { id: 'order-service-1', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
      { id: 'order-service-2', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
    ],
    expected: { 'order-service-1': 'audit:0,inventory:1,orders:1,payments:1', 'order-service-2': 'inventory:0,orders:0,payments:0' },
  },
  {
    name: 'javadoc: three members with nested subscriptions of t0 (1), t1 (2), t2 (3)',
    assignor: 'sticky',
    topics: { t0: 1, t1: 2, t2: 3 },
    members: [
      { id: 'C0', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'C1', generation: -1, topics: ['t0', 't1'], owned: '', userData: null },
      { id: 'C2', generation: -1, topics: ['t0', 't1', 't2'], owned: '', userData: null },
    ],
    expected: { C0: 't0:0', C1: 't1:0,t1:1', C2: 't2:0,t2:1,t2:2' },
    transferring: null,
  },
  {
    name: 'static members sort by group.instance.id, before dynamic ones',
    assignor: 'sticky',
    topics: { topic1: 5, topic2: 4 },
    members: [
      { id: 'consumer1', instance: 'instance3', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer2', instance: 'instance1', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer3', instance: 'instance2', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
      { id: 'consumer0', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: null },
    ],
    expected: { consumer0: 'topic1:0,topic1:4,topic2:3', consumer1: 'topic1:1,topic2:0', consumer2: 'topic1:2,topic2:1', consumer3: 'topic1:3,topic2:2' },
    transferring: '',
  },
  {
    name: 'topic order inside an assignment follows HashMap order of the topics',
    assignor: 'sticky',
    topics: { orders: 2, payments: 2, inventory: 2, audit: 1 },
    members: [
      { id: 'order-service-1', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
      { id: 'order-service-2', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: null },
    ],
    expected: { 'order-service-1': 'audit:0,inventory:1,orders:1,payments:1', 'order-service-2': 'inventory:0,orders:0,payments:0' },
    transferring: '',
  },
  {
    name: 'javadoc: three members with nested subscriptions of t0 (1), t1 (2), t2 (3)',
    assignor: 'cooperative-sticky',
    topics: { t0: 1, t1: 2, t2: 3 },
    members: [
      { id: 'C0', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
      { id: 'C1', generation: -1, topics: ['t0', 't1'], owned: '', userData: 'ffffffff' },
      { id: 'C2', generation: -1, topics: ['t0', 't1', 't2'], owned: '', userData: 'ffffffff' },
    ],
    expected: { C0: 't0:0', C1: 't1:0,t1:1', C2: 't2:0,t2:1,t2:2' },
    transferring: null,
  },
  {
    name: 'static members sort by group.instance.id, before dynamic ones',
    assignor: 'cooperative-sticky',
    topics: { topic1: 5, topic2: 4 },
    members: [
      { id: 'consumer1', instance: 'instance3', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: 'ffffffff' },
      { id: 'consumer2', instance: 'instance1', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: 'ffffffff' },
      { id: 'consumer3', instance: 'instance2', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: 'ffffffff' },
      { id: 'consumer0', generation: -1, topics: ['topic1', 'topic2'], owned: '', userData: 'ffffffff' },
    ],
    expected: { consumer0: 'topic1:0,topic1:4,topic2:3', consumer1: 'topic1:1,topic2:0', consumer2: 'topic1:2,topic2:1', consumer3: 'topic1:3,topic2:2' },
    transferring: '',
  },
  {
    name: 'topic order inside an assignment follows HashMap order of the topics',
    assignor: 'cooperative-sticky',
    topics: { orders: 2, payments: 2, inventory: 2, audit: 1 },
    members: [
      { id: 'order-service-1', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: 'ffffffff' },
      { id: 'order-service-2', generation: -1, topics: ['orders', 'payments', 'inventory', 'audit'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'order-service-1': 'audit:0,inventory:1,orders:1,payments:1', 'order-service-2': 'inventory:0,orders:0,payments:0' },
    transferring: '',
  },
  {
    name: 'who keeps the extra partition goes by HashMap order of member ids, not sorted order',
    assignor: 'sticky',
    topics: { orders: 5 },
    members: [
      { id: 'order-service-1', generation: 4, topics: ['orders'], owned: '', userData: '0000000100066f726465727300000002000000000000000100000004' },
      { id: 'order-service-2', generation: 4, topics: ['orders'], owned: '', userData: '0000000100066f726465727300000002000000020000000300000004' },
      { id: 'order-service-3', generation: 4, topics: ['orders'], owned: '', userData: '0000000100066f7264657273000000010000000400000004' },
      { id: 'order-service-4', generation: -1, topics: ['orders'], owned: '', userData: null },
    ],
    expected: { 'order-service-1': 'orders:0', 'order-service-2': 'orders:2,orders:3', 'order-service-3': 'orders:4', 'order-service-4': 'orders:1' },
    transferring: 'orders:1=order-service-4',
  },
  {
    name: 'a member joins: moved partitions are transferring',
    assignor: 'sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 1, topics: ['t0', 't1'], owned: '', userData: '000000020002743000000002000000000000000200027431000000010000000100000001' },
      { id: 'c2', generation: 1, topics: ['t0', 't1'], owned: '', userData: '000000020002743000000001000000010002743100000002000000000000000200000001' },
      { id: 'c3', generation: -1, topics: ['t0', 't1'], owned: '', userData: null },
    ],
    expected: { c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: 't0:2,t1:2' },
    transferring: 't0:2=c3,t1:2=c3',
  },
  {
    name: 'cooperative follow-up round: the revoked partitions are free',
    assignor: 'sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 2, topics: ['t0', 't1'], owned: '', userData: '0000000200027430000000010000000000027431000000010000000100000002' },
      { id: 'c2', generation: 2, topics: ['t0', 't1'], owned: '', userData: '0000000200027430000000010000000100027431000000010000000000000002' },
      { id: 'c3', generation: 2, topics: ['t0', 't1'], owned: '', userData: '0000000000000002' },
    ],
    expected: { c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: 't0:2,t1:2' },
    transferring: '',
  },
  {
    name: 'a member leaves: only its partitions move',
    assignor: 'sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 1, topics: ['t0', 't1'], owned: '', userData: '0000000200027430000000010000000000027431000000010000000000000001' },
      { id: 'c3', generation: 1, topics: ['t0', 't1'], owned: '', userData: '0000000200027430000000010000000200027431000000010000000200000001' },
    ],
    expected: { c1: 't0:0,t1:0,t0:1', c3: 't0:2,t1:2,t1:1' },
    transferring: '',
  },
  {
    name: 'stale generation: the newer claim wins',
    assignor: 'sticky',
    topics: { topic: 3, topic2: 3 },
    members: [
      { id: 'consumer1', generation: 10, topics: ['topic', 'topic2'], owned: '', userData: '000000020006746f7069633200000001000000010005746f7069630000000200000000000000020000000a' },
      { id: 'consumer2', generation: 9, topics: ['topic', 'topic2'], owned: '', userData: '000000020006746f7069633200000001000000010005746f70696300000002000000000000000200000009' },
    ],
    expected: { consumer1: 'topic:0,topic2:1,topic:2', consumer2: 'topic:1,topic2:0,topic2:2' },
    transferring: '',
  },
  {
    name: 'same generation: a partition claimed twice is owned by neither',
    assignor: 'sticky',
    topics: { topic: 3 },
    members: [
      { id: 'consumer1', generation: 1, topics: ['topic'], owned: '', userData: '000000010005746f70696300000002000000000000000100000001' },
      { id: 'consumer2', generation: 1, topics: ['topic'], owned: '', userData: '000000010005746f70696300000002000000000000000200000001' },
      { id: 'consumer3', generation: 1, topics: ['topic'], owned: '', userData: '0000000000000001' },
    ],
    expected: { consumer1: 'topic:1', consumer2: 'topic:2', consumer3: 'topic:0' },
    transferring: 'topic:0=consumer3',
  },
  {
    name: 'general algorithm: poor round robin scenario',
    assignor: 'sticky',
    topics: { topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 },
    members: [
      { id: 'consumer1', generation: -1, topics: ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'], owned: '', userData: null },
      { id: 'consumer2', generation: -1, topics: ['topic1', 'topic3', 'topic5'], owned: '', userData: null },
      { id: 'consumer3', generation: -1, topics: ['topic1', 'topic3', 'topic5'], owned: '', userData: null },
      { id: 'consumer4', generation: -1, topics: ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'], owned: '', userData: null },
    ],
    expected: { consumer1: 'topic2:0,topic3:0', consumer2: 'topic1:0,topic3:1', consumer3: 'topic1:1,topic5:0', consumer4: 'topic4:0,topic5:1' },
    transferring: null,
  },
  {
    name: 'general algorithm: a member with a narrower subscription joins owners',
    assignor: 'sticky',
    topics: { a: 4, b: 4, c: 2 },
    members: [
      { id: 'm1', generation: 3, topics: ['a', 'b', 'c'], owned: '', userData: '00000002000161000000040000000000000001000000020000000300016200000002000000000000000100000003' },
      { id: 'm2', generation: 3, topics: ['a', 'b', 'c'], owned: '', userData: '0000000200016200000002000000020000000300016300000002000000000000000100000003' },
      { id: 'm3', generation: -1, topics: ['a'], owned: '', userData: null },
      { id: 'm4', generation: -1, topics: ['b', 'c'], owned: '', userData: null },
    ],
    expected: { m1: 'a:3,b:1', m2: 'b:3,c:0,c:1', m3: 'a:0,a:1,a:2', m4: 'b:0,b:2' },
    transferring: null,
  },
  {
    name: 'who keeps the extra partition goes by HashMap order of member ids, not sorted order',
    assignor: 'cooperative-sticky',
    topics: { orders: 5 },
    members: [
      { id: 'order-service-1', generation: 4, topics: ['orders'], owned: 'orders:0,orders:1', userData: '00000004' },
      { id: 'order-service-2', generation: 4, topics: ['orders'], owned: 'orders:2,orders:3', userData: '00000004' },
      { id: 'order-service-3', generation: 4, topics: ['orders'], owned: 'orders:4', userData: '00000004' },
      { id: 'order-service-4', generation: -1, topics: ['orders'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'order-service-1': 'orders:0', 'order-service-2': 'orders:2,orders:3', 'order-service-3': 'orders:4', 'order-service-4': '' },
    transferring: 'orders:1=order-service-4',
  },
  {
    name: 'a member joins: moved partitions are transferring',
    assignor: 'cooperative-sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 1, topics: ['t0', 't1'], owned: 't0:0,t0:2,t1:1', userData: '00000001' },
      { id: 'c2', generation: 1, topics: ['t0', 't1'], owned: 't0:1,t1:0,t1:2', userData: '00000001' },
      { id: 'c3', generation: -1, topics: ['t0', 't1'], owned: '', userData: 'ffffffff' },
    ],
    expected: { c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: '' },
    transferring: 't0:2=c3,t1:2=c3',
  },
  {
    name: 'cooperative follow-up round: the revoked partitions are free',
    assignor: 'cooperative-sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 2, topics: ['t0', 't1'], owned: 't0:0,t1:1', userData: '00000002' },
      { id: 'c2', generation: 2, topics: ['t0', 't1'], owned: 't1:0,t0:1', userData: '00000002' },
      { id: 'c3', generation: 2, topics: ['t0', 't1'], owned: '', userData: '00000002' },
    ],
    expected: { c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: 't0:2,t1:2' },
    transferring: '',
  },
  {
    name: 'a member leaves: only its partitions move',
    assignor: 'cooperative-sticky',
    topics: { t0: 3, t1: 3 },
    members: [
      { id: 'c1', generation: 1, topics: ['t0', 't1'], owned: 't0:0,t1:0', userData: '00000001' },
      { id: 'c3', generation: 1, topics: ['t0', 't1'], owned: 't0:2,t1:2', userData: '00000001' },
    ],
    expected: { c1: 't0:0,t1:0,t0:1', c3: 't0:2,t1:2,t1:1' },
    transferring: '',
  },
  {
    name: 'stale generation: the newer claim wins',
    assignor: 'cooperative-sticky',
    topics: { topic: 3, topic2: 3 },
    members: [
      { id: 'consumer1', generation: 10, topics: ['topic', 'topic2'], owned: 'topic:0,topic:2,topic2:1', userData: '0000000a' },
      { id: 'consumer2', generation: 9, topics: ['topic', 'topic2'], owned: 'topic:0,topic:2,topic2:1', userData: '00000009' },
    ],
    expected: { consumer1: 'topic:0,topic2:1,topic:2', consumer2: 'topic:1,topic2:0,topic2:2' },
    transferring: '',
  },
  {
    name: 'same generation: a partition claimed twice is owned by neither',
    assignor: 'cooperative-sticky',
    topics: { topic: 3 },
    members: [
      { id: 'consumer1', generation: 1, topics: ['topic'], owned: 'topic:0,topic:1', userData: '00000001' },
      { id: 'consumer2', generation: 1, topics: ['topic'], owned: 'topic:0,topic:2', userData: '00000001' },
      { id: 'consumer3', generation: 1, topics: ['topic'], owned: '', userData: '00000001' },
    ],
    expected: { consumer1: 'topic:1', consumer2: 'topic:2', consumer3: '' },
    transferring: 'topic:0=consumer3',
  },
  {
    name: 'general algorithm: poor round robin scenario',
    assignor: 'cooperative-sticky',
    topics: { topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 },
    members: [
      { id: 'consumer1', generation: -1, topics: ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'], owned: '', userData: 'ffffffff' },
      { id: 'consumer2', generation: -1, topics: ['topic1', 'topic3', 'topic5'], owned: '', userData: 'ffffffff' },
      { id: 'consumer3', generation: -1, topics: ['topic1', 'topic3', 'topic5'], owned: '', userData: 'ffffffff' },
      { id: 'consumer4', generation: -1, topics: ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'], owned: '', userData: 'ffffffff' },
    ],
    expected: { consumer1: 'topic2:0,topic3:0', consumer2: 'topic1:0,topic3:1', consumer3: 'topic1:1,topic5:0', consumer4: 'topic4:0,topic5:1' },
    transferring: null,
  },
  {
    name: 'general algorithm: a member with a narrower subscription joins owners',
    assignor: 'cooperative-sticky',
    topics: { a: 4, b: 4, c: 2 },
    members: [
      { id: 'm1', generation: 3, topics: ['a', 'b', 'c'], owned: 'a:0,a:1,a:2,a:3,b:0,b:1', userData: '00000003' },
      { id: 'm2', generation: 3, topics: ['a', 'b', 'c'], owned: 'b:2,b:3,c:0,c:1', userData: '00000003' },
      { id: 'm3', generation: -1, topics: ['a'], owned: '', userData: 'ffffffff' },
      { id: 'm4', generation: -1, topics: ['b', 'c'], owned: '', userData: 'ffffffff' },
    ],
    expected: { m1: 'a:3,b:1', m2: 'b:3,c:0,c:1', m3: '', m4: '' },
    transferring: null,
  },
  {
    name: 'random group 1 (seed 2024)',
    assignor: 'range',
    topics: { t1: 7, payments: 1, inventory: 2 },
    members: [
      { id: 'consumer-0-2288c32d', instance: 'instance-8', generation: -1, topics: ['t1', 'payments', 'inventory'], owned: '', userData: null },
      { id: 'consumer-1-bf7488e5', generation: -1, topics: ['t1', 'payments', 'inventory'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-2288c32d': 'payments:0,inventory:0,t1:0,t1:1,t1:2,t1:3', 'consumer-1-bf7488e5': 'inventory:1,t1:4,t1:5,t1:6' },
  },
  {
    name: 'random group 2 (seed 2024)',
    assignor: 'roundrobin',
    topics: { inventory: 4, clicks: 1 },
    members: [
      { id: 'consumer-1-78bfcb90', generation: -1, topics: ['inventory', 'clicks'], owned: '', userData: null },
      { id: 'consumer-2-410d3d67', generation: -1, topics: ['inventory', 'clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-1-78bfcb90': 'clicks:0,inventory:1,inventory:3', 'consumer-2-410d3d67': 'inventory:0,inventory:2' },
  },
  {
    name: 'random group 3 (seed 2024)',
    assignor: 'sticky',
    topics: { payments: 3, clicks: 7, t1: 8 },
    members: [
      { id: 'consumer-0-96d75d4e', generation: 5, topics: ['payments', 'clicks', 't1'], owned: '', userData: '000000020006636c69636b7300000002000000010000000400027431000000010000000500000005' },
      { id: 'consumer-1-04e49741', generation: 6, topics: ['payments', 'clicks', 't1'], owned: '', userData: '0000000200087061796d656e747300000001000000000002743100000002000000000000000200000006' },
      { id: 'consumer-0-9f037fe0', generation: 6, topics: ['payments', 'clicks', 't1'], owned: '', userData: '0000000100027431000000010000000400000006' },
      { id: 'consumer-0-e17816a1', generation: 5, topics: ['payments', 'clicks', 't1'], owned: '', userData: '0000000200087061796d656e747300000001000000020006636c69636b73000000010000000300000005' },
      { id: 'consumer-2-7c28a2c3', instance: 'instance-8', generation: -1, topics: ['payments', 'clicks', 't1'], owned: '', userData: null },
      { id: 'consumer-0-611c8277', generation: -1, topics: ['payments', 'clicks', 't1'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-611c8277': 'clicks:0,payments:1,t1:6', 'consumer-0-96d75d4e': 'clicks:1,clicks:4,t1:5', 'consumer-0-9f037fe0': 't1:4,clicks:2,t1:1', 'consumer-0-e17816a1': 'payments:2,clicks:3,clicks:5', 'consumer-1-04e49741': 'payments:0,t1:0,t1:2', 'consumer-2-7c28a2c3': 'clicks:6,t1:3,t1:7' },
    transferring: '',
  },
  {
    name: 'random group 4 (seed 2024)',
    assignor: 'cooperative-sticky',
    topics: { t1: 4, orders: 5 },
    members: [
      { id: 'consumer-2-c166dbbc', generation: 6, topics: ['t1'], owned: 't1:3', userData: '00000006' },
      { id: 'consumer-1-14541f3e', generation: 6, topics: ['t1', 'orders'], owned: 'orders:1,orders:4', userData: '00000006' },
      { id: 'consumer-1-ce702862', instance: 'instance-1', generation: -1, topics: ['t1'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-2-cec50813', generation: -1, topics: ['orders'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-0-1cd07f70', generation: -1, topics: ['t1'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-1-6eedce53', generation: -1, topics: ['t1'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'consumer-0-1cd07f70': 't1:0', 'consumer-1-14541f3e': 'orders:1,orders:4,orders:3', 'consumer-1-6eedce53': 't1:1', 'consumer-1-ce702862': 't1:2', 'consumer-2-c166dbbc': 't1:3', 'consumer-2-cec50813': 'orders:0,orders:2' },
    transferring: null,
  },
  {
    name: 'random group 5 (seed 2024)',
    assignor: 'range',
    topics: { t1: 5, clicks: 8, payments: 3 },
    members: [
      { id: 'consumer-1-3504d5ea', generation: -1, topics: ['t1', 'clicks'], owned: '', userData: null },
      { id: 'consumer-2-090ea99f', instance: 'instance-2', generation: -1, topics: ['t1', 'clicks', 'payments'], owned: '', userData: null },
      { id: 'consumer-2-9edb607b', generation: -1, topics: ['t1', 'clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-1-3504d5ea': 'clicks:3,clicks:4,clicks:5,t1:2,t1:3', 'consumer-2-090ea99f': 'payments:0,payments:1,payments:2,clicks:0,clicks:1,clicks:2,t1:0,t1:1', 'consumer-2-9edb607b': 'clicks:6,clicks:7,t1:4' },
  },
  {
    name: 'random group 6 (seed 2024)',
    assignor: 'roundrobin',
    topics: { inventory: 2, payments: 3 },
    members: [
      { id: 'consumer-2-dd2b0245', generation: -1, topics: ['inventory', 'payments'], owned: '', userData: null },
      { id: 'consumer-2-1a249cce', instance: 'instance-2', generation: -1, topics: ['inventory', 'payments'], owned: '', userData: null },
      { id: 'consumer-2-65825536', generation: -1, topics: ['inventory', 'payments'], owned: '', userData: null },
    ],
    expected: { 'consumer-2-1a249cce': 'inventory:0,payments:1', 'consumer-2-65825536': 'inventory:1,payments:2', 'consumer-2-dd2b0245': 'payments:0' },
  },
  {
    name: 'random group 7 (seed 2024)',
    assignor: 'sticky',
    topics: { payments: 5, orders: 4, clicks: 3 },
    members: [
      { id: 'consumer-1-7fbf69da', generation: -1, topics: ['payments', 'orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-0-cc2f435e', generation: -1, topics: ['payments', 'orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-0-4019202e', generation: -1, topics: ['payments', 'orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-1-6e3b0211', generation: -1, topics: ['payments', 'orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-1-87baada9', generation: 6, topics: ['payments', 'orders', 'clicks'], owned: '', userData: '0000000200087061796d656e7473000000010000000300066f7264657273000000010000000300000006' },
      { id: 'consumer-2-37029dfd', generation: -1, topics: ['payments', 'orders', 'clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-4019202e': 'clicks:0,orders:2', 'consumer-0-cc2f435e': 'clicks:1,payments:0', 'consumer-1-6e3b0211': 'clicks:2,payments:1', 'consumer-1-7fbf69da': 'orders:0,payments:2', 'consumer-1-87baada9': 'orders:3,payments:3', 'consumer-2-37029dfd': 'orders:1,payments:4' },
    transferring: '',
  },
  {
    name: 'random group 8 (seed 2024)',
    assignor: 'cooperative-sticky',
    topics: { t0: 1 },
    members: [
      { id: 'consumer-0-86571f59', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-2-a0a54af6', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-1-fa6c94c7', instance: 'instance-3', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-1-73dc5714', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-1-e23a6255', generation: -1, topics: ['t0'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'consumer-0-86571f59': 't0:0', 'consumer-1-73dc5714': '', 'consumer-1-e23a6255': '', 'consumer-1-fa6c94c7': '', 'consumer-2-a0a54af6': '' },
    transferring: '',
  },
  {
    name: 'random group 9 (seed 2024)',
    assignor: 'range',
    topics: { orders: 8, inventory: 8, t0: 8 },
    members: [
      { id: 'consumer-0-8fc8588a', generation: -1, topics: ['orders', 'inventory', 't0'], owned: '', userData: null },
      { id: 'consumer-0-f25c2860', instance: 'instance-3', generation: -1, topics: ['inventory', 't0'], owned: '', userData: null },
      { id: 'consumer-1-185f522f', generation: -1, topics: ['orders'], owned: '', userData: null },
      { id: 'consumer-1-0e98cf48', generation: -1, topics: ['inventory', 't0'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-8fc8588a': 'orders:0,orders:1,orders:2,orders:3,inventory:3,inventory:4,inventory:5,t0:3,t0:4,t0:5', 'consumer-0-f25c2860': 'inventory:0,inventory:1,inventory:2,t0:0,t0:1,t0:2', 'consumer-1-0e98cf48': 'inventory:6,inventory:7,t0:6,t0:7', 'consumer-1-185f522f': 'orders:4,orders:5,orders:6,orders:7' },
  },
  {
    name: 'random group 10 (seed 2024)',
    assignor: 'roundrobin',
    topics: { orders: 8, clicks: 3 },
    members: [
      { id: 'consumer-0-8bfe7502', generation: -1, topics: ['orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-2-203395ad', instance: 'instance-8', generation: -1, topics: ['orders', 'clicks'], owned: '', userData: null },
      { id: 'consumer-1-7acc5836', generation: -1, topics: ['orders', 'clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-8bfe7502': 'clicks:1,orders:1,orders:4,orders:7', 'consumer-1-7acc5836': 'clicks:2,orders:2,orders:5', 'consumer-2-203395ad': 'clicks:0,orders:0,orders:3,orders:6' },
  },
  {
    name: 'random group 11 (seed 2024)',
    assignor: 'sticky',
    topics: { t1: 5 },
    members: [
      { id: 'consumer-2-aac19115', instance: 'instance-6', generation: -1, topics: ['t1'], owned: '', userData: null },
      { id: 'consumer-1-e3486cc8', generation: 6, topics: ['t1'], owned: '', userData: '0000000100027431000000040000000000000001000000020000000300000006' },
    ],
    expected: { 'consumer-1-e3486cc8': 't1:0,t1:1,t1:2', 'consumer-2-aac19115': 't1:3,t1:4' },
    transferring: 't1:3=consumer-2-aac19115',
  },
  {
    name: 'random group 12 (seed 2024)',
    assignor: 'cooperative-sticky',
    topics: { t0: 7, t1: 7 },
    members: [
      { id: 'consumer-2-85ef288f', generation: 5, topics: ['t0', 't1'], owned: 't0:2,t0:4,t0:6,t1:1,t1:3,t1:4,t1:5', userData: '00000005' },
      { id: 'consumer-0-2f61993f', generation: -1, topics: ['t0', 't1'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'consumer-0-2f61993f': 't0:0,t0:1,t0:3,t0:5,t1:0,t1:2,t1:6', 'consumer-2-85ef288f': 't1:1,t0:2,t1:3,t0:4,t1:4,t1:5,t0:6' },
    transferring: '',
  },
  {
    name: 'random group 13 (seed 2024)',
    assignor: 'range',
    topics: { clicks: 4, t0: 3 },
    members: [
      { id: 'consumer-0-e40bbb42', generation: -1, topics: ['clicks', 't0'], owned: '', userData: null },
      { id: 'consumer-0-a650c9a4', instance: 'instance-4', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'consumer-2-dc33f56a', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'consumer-2-ee8b87af', instance: 'instance-6', generation: -1, topics: ['clicks', 't0'], owned: '', userData: null },
      { id: 'consumer-1-c0093db0', generation: -1, topics: ['clicks'], owned: '', userData: null },
      { id: 'consumer-1-45bc209b', instance: 'instance-6', generation: -1, topics: ['clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-a650c9a4': 't0:0', 'consumer-0-e40bbb42': 'clicks:2,t0:2', 'consumer-1-45bc209b': 'clicks:1', 'consumer-1-c0093db0': 'clicks:3', 'consumer-2-dc33f56a': '', 'consumer-2-ee8b87af': 'clicks:0,t0:1' },
  },
  {
    name: 'random group 14 (seed 2024)',
    assignor: 'roundrobin',
    topics: { t0: 6, payments: 4, clicks: 1 },
    members: [
      { id: 'consumer-0-7c6e4d4c', generation: -1, topics: ['t0'], owned: '', userData: null },
      { id: 'consumer-1-0ee90e66', generation: -1, topics: ['t0', 'payments', 'clicks'], owned: '', userData: null },
    ],
    expected: { 'consumer-0-7c6e4d4c': 't0:0,t0:2,t0:4', 'consumer-1-0ee90e66': 'clicks:0,payments:0,payments:1,payments:2,payments:3,t0:1,t0:3,t0:5' },
  },
  {
    name: 'random group 15 (seed 2024)',
    assignor: 'sticky',
    topics: { orders: 5 },
    members: [
      { id: 'consumer-1-a86bceb2', generation: 5, topics: ['orders'], owned: '', userData: '0000000100066f726465727300000002000000000000000300000005' },
      { id: 'consumer-2-ea43f39b', generation: -1, topics: ['orders'], owned: '', userData: null },
      { id: 'consumer-0-b6558d4b', generation: -1, topics: ['orders'], owned: '', userData: null },
      { id: 'consumer-2-c0ada354', generation: 6, topics: ['orders'], owned: '', userData: '0000000100066f7264657273000000010000000100000006' },
      { id: 'consumer-1-3a8b2f9b', generation: -1, topics: ['orders'], owned: '', userData: null },
      { id: 'consumer-2-8f4cc2a9', generation: 6, topics: ['orders'], owned: '', userData: '0000000100066f7264657273000000010000000400000006' },
    ],
    expected: { 'consumer-0-b6558d4b': 'orders:2', 'consumer-1-3a8b2f9b': 'orders:3', 'consumer-1-a86bceb2': 'orders:0', 'consumer-2-8f4cc2a9': 'orders:4', 'consumer-2-c0ada354': 'orders:1', 'consumer-2-ea43f39b': '' },
    transferring: 'orders:3=consumer-1-3a8b2f9b',
  },
  {
    name: 'random group 16 (seed 2024)',
    assignor: 'cooperative-sticky',
    topics: { clicks: 3, t1: 2, orders: 1 },
    members: [
      { id: 'consumer-0-cd87e79f', instance: 'instance-3', generation: -1, topics: ['clicks', 't1', 'orders'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-1-3c3c287e', instance: 'instance-4', generation: -1, topics: ['clicks', 't1', 'orders'], owned: '', userData: 'ffffffff' },
      { id: 'consumer-2-84ec729c', instance: 'instance-6', generation: -1, topics: ['clicks', 't1', 'orders'], owned: '', userData: 'ffffffff' },
    ],
    expected: { 'consumer-0-cd87e79f': 'clicks:0,orders:0', 'consumer-1-3c3c287e': 'clicks:1,t1:0', 'consumer-2-84ec729c': 'clicks:2,t1:1' },
    transferring: '',
  },
];
