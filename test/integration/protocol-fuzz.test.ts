/**
 * Issue 11, item 7: the Kafka listener under garbage. 10,000 frames — random bytes, and real
 * requests (ApiVersions, Metadata, Produce, Fetch, ListOffsets, the group coordinator's and the
 * admin APIs, SASL) with bytes flipped, cut short, lengths forged — go to one broker's listener
 * over many connections. The listener must never crash (the process keeps running, every
 * connection it closes says why), and a well-formed client on another connection keeps getting its
 * answers in order throughout. Then the same on a SASL_PLAINTEXT listener, where garbage meets the
 * authenticator first (handshakes, raw tokens after SaslHandshake v0, SaslAuthenticate). Seeded: a
 * failure prints the seed (KAFKA_LAB_FUZZ_SEED replays it).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededPrng } from '../../engine/core/prng.js';
import { WireReader, WireWriter } from '../../engine/protocol/wire.js';
import type { ListenerSecurityProtocol } from '../../engine/protocol/protocol-listeners.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';

const SEED = Number(process.env.KAFKA_LAB_FUZZ_SEED ?? 0x6b61);
const FRAMES = 10_000;
/** Frames sent on one connection before it is replaced (most die at their first bad frame anyway). */
const FRAMES_PER_CONNECTION = 25;

let rig: LiveWire;
let port = 0;

function frame(apiKey: number, version: number, correlationId: number, body: Uint8Array): Uint8Array {
  const inner = new WireWriter().int16(apiKey).int16(version).int32(correlationId).nullableString('fuzz').bytes(body).finish();
  return new WireWriter().int32(inner.length).bytes(inner).finish();
}

/** Well-formed requests of every API the listener serves, to mutate. */
function seeds(): Uint8Array[] {
  const metadata = new WireWriter().int32(1).nullableString('fuzz').boolean(true).finish();
  const listOffsets = new WireWriter().int32(-1).int8(0).int32(1).nullableString('fuzz').int32(1).int32(0).int64(-2).finish();
  const fetch = new WireWriter().int32(-1).int32(10).int32(1).int32(1 << 20).int8(0).int32(1).nullableString('fuzz').int32(1).int32(0).int64(0).int32(1 << 20).finish();
  const produce = new WireWriter().nullableString(null).int16(1).int32(1000).int32(1).nullableString('fuzz').int32(1).int32(0).nullableBytes(new Uint8Array(70)).finish();
  const findCoordinator = new WireWriter().nullableString('fuzz-group').finish();
  const subscription = new WireWriter().int16(0).int32(1).nullableString('fuzz').nullableBytes(null).finish();
  const joinGroup = new WireWriter().nullableString('fuzz-group').int32(10_000).nullableString('').nullableString('consumer').int32(1).nullableString('range').nullableBytes(subscription).finish();
  const offsetCommit = new WireWriter().nullableString('fuzz-group').int32(-1).nullableString('').int64(-1).int32(1).nullableString('fuzz').int32(1).int32(0).int64(1).nullableString(null).finish();
  const offsetFetch = new WireWriter().nullableString('fuzz-group').int32(1).nullableString('fuzz').int32(1).int32(0).finish();
  const createTopics = new WireWriter().int32(1).nullableString('fuzz-made').int32(1).int16(1).int32(0).int32(0).int32(1000).finish();
  const describeConfigs = new WireWriter().int32(1).int8(2).nullableString('fuzz').int32(-1).finish();
  const saslHandshake = new WireWriter().nullableString('PLAIN').finish();
  const saslAuthenticate = new WireWriter().nullableBytes(new TextEncoder().encode('\u0000alice\u0000secret')).finish();
  return [
    frame(18, 0, 1, new Uint8Array(0)),
    frame(3, 1, 2, metadata),
    frame(2, 1, 3, listOffsets),
    frame(1, 4, 4, fetch),
    frame(0, 3, 5, produce),
    frame(10, 0, 6, findCoordinator),
    frame(11, 0, 7, joinGroup),
    frame(8, 2, 8, offsetCommit),
    frame(9, 1, 9, offsetFetch),
    frame(19, 0, 10, createTopics),
    frame(32, 0, 11, describeConfigs),
    frame(17, 0, 12, saslHandshake),
    frame(17, 1, 13, saslHandshake),
    frame(36, 0, 14, saslAuthenticate),
  ];
}

function mutate(prng: SeededPrng, base: Uint8Array): Uint8Array {
  const bytes = base.slice();
  const kind = prng.nextInt(5);
  if (kind === 0) {
    // Random bytes of a random length (a size field included).
    const random = new Uint8Array(4 + prng.nextInt(200));
    for (let i = 0; i < random.length; i++) random[i] = prng.nextInt(256);
    return random;
  }
  if (kind === 1) {
    // Flip a few bytes anywhere (the header, a length, the body).
    for (let n = 0; n <= prng.nextInt(4); n++) bytes[prng.nextInt(bytes.length)] = prng.nextInt(256);
    return bytes;
  }
  if (kind === 2) {
    // Cut the frame short but keep its size field: the listener waits for the rest, which never comes.
    return bytes.subarray(0, 4 + prng.nextInt(Math.max(1, bytes.length - 4)));
  }
  if (kind === 3) {
    // A body shorter than its size says, then the next frame's bytes run into it.
    const view = new DataView(bytes.buffer);
    view.setInt32(0, Math.max(8, view.getInt32(0) - 1 - prng.nextInt(6)));
    return bytes;
  }
  // A forged array or string length inside the body.
  const view = new DataView(bytes.buffer);
  if (bytes.length > 22) view.setInt32(14 + prng.nextInt(bytes.length - 18), prng.nextInt(2) === 0 ? 0x7fffffff : -5);
  return bytes;
}

/**
 * A well-formed client: ApiVersions then Metadata, pipelined, answered in order. On a SASL listener
 * the second request is a SaslHandshake (Metadata is not served before authentication).
 */
let secondRequest: (correlationId: number) => Uint8Array = (id) => frame(3, 1, id, new WireWriter().int32(-1).finish());
async function healthyExchange(correlationBase: number): Promise<number[]> {
  const socket: Socket = connect(port, '127.0.0.1');
  const ids: number[] = [];
  let buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`healthy client got ${ids.length} of 2 answers (seed ${SEED})`)), 5_000);
    socket.on('connect', () => {
      socket.write(frame(18, 0, correlationBase, new Uint8Array(0)));
      socket.write(secondRequest(correlationBase + 1));
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readInt32BE(0)) {
        ids.push(new WireReader(new Uint8Array(buffer.subarray(4, 8))).int32('correlation_id'));
        buffer = buffer.subarray(4 + buffer.readInt32BE(0));
      }
      if (ids.length === 2) {
        clearTimeout(timer);
        socket.destroy();
        resolve(ids);
      }
    });
    socket.on('error', reject);
  });
}

async function sendGarbage(frames: Uint8Array[]): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => {
    socket.on('connect', () => {
      for (const bytes of frames) socket.write(bytes);
      // Give the listener a moment, then hang up whatever it decided.
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

const RUNS: readonly { protocol: ListenerSecurityProtocol; frames: number }[] = [
  { protocol: 'PLAINTEXT', frames: FRAMES },
  { protocol: 'SASL_PLAINTEXT', frames: 3_000 },
];

for (const { protocol, frames } of RUNS) {
  describe(`Kafka listener fuzz on ${protocol} (seed ${SEED})`, () => {
    beforeAll(async () => {
      rig = await startLiveWire({ brokerCount: 1, seed: SEED, topics: [{ name: 'fuzz', partitions: 1, replicationFactor: 1 }], securityProtocol: protocol });
      rig.workbench.cluster.upsertScramCredential('alice', 'SCRAM-SHA-256', 'secret');
      port = rig.listeners.advertised()[0]!.port;
      secondRequest =
        protocol === 'PLAINTEXT' ? (id) => frame(3, 1, id, new WireWriter().int32(-1).finish()) : (id) => frame(17, 1, id, new WireWriter().nullableString('SCRAM-SHA-256').finish());
    });

    afterAll(() => rig.close());

    it(`survives ${frames} random and mutated frames while a well-formed client keeps its answers in order`, async () => {
      const prng = new SeededPrng(SEED);
      const bases = seeds();
      let sent = 0;
      let round = 0;
      // Bounded: each pass sends FRAMES_PER_CONNECTION frames.
      while (sent < frames) {
        const batch: Uint8Array[] = [];
        for (let i = 0; i < FRAMES_PER_CONNECTION && sent < frames; i++, sent++) batch.push(mutate(prng, bases[prng.nextInt(bases.length)]!));
        await sendGarbage(batch);
        if (round++ % 40 === 0) expect(await healthyExchange(round * 2), `seed ${SEED}, after ${sent} frames`).toEqual([round * 2, round * 2 + 1]);
      }
      expect(await healthyExchange(1_000_000), `seed ${SEED}`).toEqual([1_000_000, 1_000_001]);
      // Every connection the listener closed said why; none left open.
      expect(rig.logged.length).toBeGreaterThan(0);
      expect(rig.logged.every((line) => /closed the connection from .*: .+/.test(line)), `seed ${SEED}`).toBe(true);
      await expect.poll(() => rig.listeners.clients()).toEqual([]);
      // The cluster behind the listener is still whole.
      expect(rig.workbench.status().topics.map((t) => t.name)).toContain('fuzz');
    }, 180_000);
  });
}
