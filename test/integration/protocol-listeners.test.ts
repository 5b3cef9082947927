/**
 * The Kafka wire-protocol listeners, first part of issue 11: a real client (kcat, librdkafka)
 * lists the embedded cluster's metadata through them — brokers at the addresses the listeners
 * advertise, topics with their leaders, replicas and ISR — and a killed broker's listener refuses
 * connections like a dead broker's port. On raw sockets: an ApiVersions above the served range gets
 * the v0 body with UNSUPPORTED_VERSION (KIP-511); pipelined requests are answered in order; an
 * oversized or malformed frame closes only its own connection while the broker keeps serving.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../engine/host/gateway.js';
import type { Workbench } from '../../engine/host/workbench.js';
import type { ProtocolListeners } from '../../engine/protocol/protocol-listeners.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';
import { WireReader, WireWriter } from '../../engine/protocol/wire.js';
import { partitionForKey } from '../../engine/clients/murmur2.js';
import { encodeRecordBatch } from '../../engine/storage/record-batch.js';

const run = promisify(execFile);

let rig: LiveWire;
let workbench: Workbench;
let host: Gateway;
let listeners: ProtocolListeners;
let logged: string[];

beforeEach(async () => {
  // Live time, as in the app: the brokers' fetch long polls and replication run on real timers.
  rig = await startLiveWire({ brokerCount: 3, seed: 11, topics: [{ name: 'orders', partitions: 3, replicationFactor: 3 }] });
  ({ workbench, gateway: host, listeners, logged } = rig);
});

afterEach(() => rig.close());

function bootstrap(): string {
  return rig.bootstrap();
}

/** A request frame: header v1 (or v2 for a flexible version), then the body. */
function request(apiKey: number, apiVersion: number, correlationId: number, body: Uint8Array = new Uint8Array(0), flexibleHeader = false): Uint8Array {
  const frame = new WireWriter();
  frame.int16(apiKey).int16(apiVersion).int32(correlationId).nullableString('raw-test');
  if (flexibleHeader) frame.noTaggedFields();
  frame.bytes(body);
  const bytes = frame.finish();
  return new WireWriter().int32(bytes.length).bytes(bytes).finish();
}

/** The one partition's answer in a Produce v7 response frame (after the response header). */
function produceAnswer(bytes: Uint8Array): { correlationId: number; error: number; baseOffset: number } {
  const r = new WireReader(bytes);
  const correlationId = r.int32('correlation_id');
  expect(r.int32('topics')).toBe(1);
  r.nullableString('name');
  expect(r.int32('partitions')).toBe(1);
  r.int32('index');
  return { correlationId, error: r.int16('error_code'), baseOffset: r.int64('base_offset') };
}

/** Connects, sends `frames`, and collects `count` response frames (or the close). */
async function exchange(port: number, frames: Uint8Array[], count: number): Promise<{ responses: Uint8Array[]; closed: boolean }> {
  const socket: Socket = connect(port, '127.0.0.1');
  const responses: Uint8Array[] = [];
  let buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer: ${responses.length} of ${count}`)), 5_000);
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses, closed });
    };
    socket.on('connect', () => {
      for (const frame of frames) socket.write(frame);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readInt32BE(0)) {
        const size = buffer.readInt32BE(0);
        responses.push(new Uint8Array(buffer.subarray(4, 4 + size)));
        buffer = buffer.subarray(4 + size);
      }
      if (responses.length >= count) done(false);
    });
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
  });
}

describe('Kafka protocol listeners', () => {
  it('kcat -L lists the brokers at their listeners and the topic with its leaders, replicas and ISR', async () => {
    const { stdout } = await run('kcat', ['-L', '-J', '-b', bootstrap()], { timeout: 20_000 });
    const metadata = JSON.parse(stdout) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[] };
    expect(metadata.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    for (const broker of metadata.brokers) expect(listeners.advertised().map((a) => `${a.host}:${a.port}`)).toContain(broker.name);
    const orders = metadata.topics.find((t) => t.topic === 'orders')!;
    const status = workbench.status().topics.find((t) => t.name === 'orders')!;
    expect(orders.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const partition of orders.partitions) {
      const expected = status.partitions[partition.partition]!;
      expect(partition.leader).toBe(expected.leader);
      expect(partition.replicas.map((r) => r.id)).toEqual(expected.replicas);
      expect(partition.isrs.map((r) => r.id)).toEqual(expected.isr);
    }
  });

  it('kcat consumes keyed records from the beginning of a partition, as the in-app producer wrote them', async () => {
    for (let i = 0; i < 5; i++) {
      const sent = await host.invoke('command', 'produceRecord', { topic: 'orders', partition: 1, key: `order-${i}`, value: `{"id":${i}}`, acks: 'all' });
      expect(sent, JSON.stringify(sent)).toMatchObject({ ok: true });
    }
    const { stdout } = await run('kcat', ['-C', '-b', bootstrap(), '-t', 'orders', '-p', '1', '-o', 'beginning', '-e', '-q', '-f', '%p %o %k=%s\\n'], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual([0, 1, 2, 3, 4].map((i) => `1 ${i} order-${i}={"id":${i}}`));
    // From an offset in the middle, and the end of the partition says "no more" (-e exits).
    const tail = await run('kcat', ['-C', '-b', bootstrap(), '-t', 'orders', '-p', '1', '-o', '3', '-e', '-q', '-f', '%o\\n'], { timeout: 30_000 });
    expect(tail.stdout.trim().split('\n')).toEqual(['3', '4']);
    expect(listeners.clients().every((c) => c.apis.length > 0)).toBe(true);
  });

  it('kcat produces keyed records (murmur2 partitioner): each lands where the in-app producer puts its key', async () => {
    const keys = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6'];
    const child = execFile('kcat', ['-P', '-b', bootstrap(), '-t', 'orders', '-K', ':', '-X', 'partitioner=murmur2_random', '-X', 'acks=all']);
    child.stdin!.end(keys.map((key) => `${key}:value of ${key}`).join('\n') + '\n');
    await new Promise<void>((done, fail) => child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`kcat -P exited ${code}`)))));
    for (const key of keys) {
      const partition = partitionForKey(new TextEncoder().encode(key), 3);
      const read = await host.invoke('query', 'readRecords', { topic: 'orders', partition, offset: 0, maxRecords: 100 });
      expect(read.ok).toBe(true);
      const records = (read as { value: { records: { key: string | null; value: string | null }[] } }).value.records;
      expect(records.find((r) => r.key === key)?.value, `${key} in partition ${partition}`).toBe(`value of ${key}`);
    }
  });

  it("a killed broker's listener refuses connections; metadata no longer lists it; started again it listens", async () => {
    const before = listeners.advertised().find((b) => b.id === 2)!;
    expect((await host.invoke('command', 'killBroker', { brokerId: 2 })).ok).toBe(true);
    await listeners.sync();
    expect(listeners.advertised().map((b) => b.id)).toEqual([1, 3]);
    await expect(exchange(before.port, [request(18, 0, 1)], 1)).resolves.toMatchObject({ responses: [], closed: true });
    const { stdout } = await run('kcat', ['-L', '-J', '-b', bootstrap()], { timeout: 20_000 });
    expect((JSON.parse(stdout) as { brokers: { id: number }[] }).brokers.map((b) => b.id).sort()).toEqual([1, 3]);
    expect((await host.invoke('command', 'startBroker', { brokerId: 2 })).ok).toBe(true);
    await listeners.sync();
    expect(listeners.advertised().map((b) => b.id)).toEqual([1, 2, 3]);
  });

  it('answers an ApiVersions above its range with the v0 body and UNSUPPORTED_VERSION, and pipelined requests in order', async () => {
    const port = listeners.advertised()[0]!.port;
    const { responses } = await exchange(port, [request(18, 9, 7), request(18, 0, 8), request(3, 1, 9, new WireWriter().int32(-1).finish())], 3);
    const first = new WireReader(responses[0]!);
    expect(first.int32('correlation_id')).toBe(7);
    expect(first.int16('error_code')).toBe(35);
    const apis = first.int32('api_keys');
    const keys: [number, number, number][] = [];
    for (let i = 0; i < apis; i++) keys.push([first.int16('key'), first.int16('min'), first.int16('max')]);
    // The reference's recommended set (kafka-protocol-facts.md §3), plus SASL (17, 36), by API key.
    expect(keys).toEqual([
      [0, 3, 7],
      [1, 4, 11],
      [2, 1, 5],
      [3, 0, 8],
      [8, 2, 7],
      [9, 1, 5],
      [10, 0, 2],
      [11, 0, 5],
      [12, 0, 3],
      [13, 0, 3],
      [14, 0, 3],
      [15, 0, 4],
      [16, 0, 2],
      [17, 0, 1],
      [18, 0, 3],
      [19, 0, 4],
      [20, 0, 3],
      [22, 0, 1],
      [32, 0, 2],
      [36, 0, 1],
      [37, 0, 1],
      [42, 0, 1],
    ]);
    expect(responses.map((r) => new WireReader(r).int32('correlation_id'))).toEqual([7, 8, 9]);
  });

  it('lists a connected client with its id, address and the APIs it used', async () => {
    const port = listeners.advertised()[0]!.port;
    const socket = connect(port, '127.0.0.1');
    await new Promise((done) => socket.once('connect', done));
    socket.write(request(18, 0, 1));
    socket.write(request(3, 1, 2, new WireWriter().int32(0).finish()));
    await new Promise((done) => socket.once('data', done));
    await expect.poll(() => listeners.clients().find((c) => c.clientId === 'raw-test')?.apis).toEqual(['ApiVersions', 'Metadata']);
    expect(listeners.clients()[0]).toMatchObject({ brokerId: listeners.advertised()[0]!.id, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    socket.destroy();
    await expect.poll(() => listeners.clients()).toEqual([]);
  });

  it('an ApiVersions v3 (flexible) request gets the compact body under response header v0', async () => {
    const port = listeners.advertised()[0]!.port;
    const body = new WireWriter().compactNullableString('raw-test').compactNullableString('1.0').noTaggedFields().finish();
    const { responses } = await exchange(port, [request(18, 3, 21, body, true)], 1);
    const reader = new WireReader(responses[0]!);
    expect(reader.int32('correlation_id')).toBe(21);
    expect(reader.int16('error_code')).toBe(0);
    expect(reader.uvarint('api_keys') - 1).toBe(22);
  });

  it('an idempotent producer over the wire: a retried batch is answered with its first offset and not written again, a gap in sequences is OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch INVALID_PRODUCER_EPOCH', async () => {
    const leaderPort = listeners.advertised().find((b) => b.id === workbench.status().topics.find((t) => t.name === 'orders')!.partitions[0]!.leader)!.port;
    // InitProducerId v1 without a transactional id: the id and epoch an idempotent producer stamps on its batches.
    const init = new WireReader((await exchange(leaderPort, [request(22, 1, 1, new WireWriter().nullableString(null).int32(60_000).finish())], 1)).responses[0]!);
    expect(init.int32('correlation_id')).toBe(1);
    init.int32('throttle_time_ms');
    expect(init.int16('error_code')).toBe(0);
    const producerId = init.int64('producer_id');
    const producerEpoch = init.int16('producer_epoch');
    expect(producerId).toBeGreaterThanOrEqual(0);

    const batch = (baseSequence: number, epoch: number, count: number): Uint8Array =>
      encodeRecordBatch({ producerId, producerEpoch: epoch, baseSequence, records: Array.from({ length: count }, (_, i) => ({ timestampMs: 1_700_000_000_000 + i, key: new TextEncoder().encode(`k${baseSequence + i}`), value: new TextEncoder().encode(`v${baseSequence + i}`), headers: [] })) });
    const produce = (records: Uint8Array): Uint8Array =>
      new WireWriter().nullableString(null).int16(-1).int32(10_000).int32(1).nullableString('orders').int32(1).int32(0).nullableBytes(records).finish();
    const first = batch(0, producerEpoch, 5);
    const { responses } = await exchange(leaderPort, [request(0, 7, 2, produce(first)), request(0, 7, 3, produce(first)), request(0, 7, 4, produce(batch(7, producerEpoch, 2))), request(0, 7, 5, produce(batch(5, producerEpoch, 3)))], 4);
    expect(responses.map(produceAnswer)).toEqual([
      { correlationId: 2, error: 0, baseOffset: 0 },
      // The retry of sequences 0-4: Kafka answers it with the offset the batch got the first time.
      { correlationId: 3, error: 0, baseOffset: 0 },
      // Sequences 7-8 after 4: OUT_OF_ORDER_SEQUENCE_NUMBER (45).
      { correlationId: 4, error: 45, baseOffset: -1 },
      // 5-7 continues the sequence.
      { correlationId: 5, error: 0, baseOffset: 5 },
    ]);
    // A newer epoch starts over at sequence 0; the old epoch is then a fenced (zombie) producer: INVALID_PRODUCER_EPOCH (47).
    const fenced = await exchange(leaderPort, [request(0, 7, 6, produce(batch(0, producerEpoch + 1, 1))), request(0, 7, 7, produce(batch(8, producerEpoch, 1)))], 2);
    expect(fenced.responses.map(produceAnswer)).toEqual([
      { correlationId: 6, error: 0, baseOffset: 8 },
      { correlationId: 7, error: 47, baseOffset: -1 },
    ]);
    const read = await host.invoke('query', 'readRecords', { topic: 'orders', partition: 0, offset: 0, maxRecords: 100 });
    const records = (read as { value: { records: { key: string | null }[] } }).value.records;
    // Written once each: k0-k4, k5-k7, then the new epoch's first record; nothing from the retry or the refused batches.
    expect(records.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k0']);
  });

  it('closes only the connection that sends an oversized or malformed frame; the broker keeps serving', async () => {
    const port = listeners.advertised()[0]!.port;
    const oversized = new WireWriter().int32(200 * 1024 * 1024).int32(0).finish();
    await expect(exchange(port, [oversized], 1)).resolves.toMatchObject({ closed: true });
    const unknownApi = request(999, 0, 5);
    await expect(exchange(port, [unknownApi], 1)).resolves.toMatchObject({ closed: true });
    const truncatedMetadata = request(3, 1, 6, new WireWriter().int32(5).finish());
    await expect(exchange(port, [truncatedMetadata], 1)).resolves.toMatchObject({ closed: true });
    expect(logged.some((line) => line.includes('larger than socket.request.max.bytes'))).toBe(true);
    expect(logged.some((line) => line.includes('API key 999 is not served'))).toBe(true);
    expect(logged.some((line) => line.includes('Metadata v1 failed'))).toBe(true);
    const { responses } = await exchange(port, [request(18, 0, 1)], 1);
    expect(new WireReader(responses[0]!).int32('correlation_id')).toBe(1);
  });
});
