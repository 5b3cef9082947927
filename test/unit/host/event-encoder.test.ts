/**
 * The event streams travel as changes: a subscriber must rebuild exactly the payload the engine
 * published, push after push, while receiving far fewer bytes than whole snapshots.
 */
import { describe, expect, it } from 'vitest';
import { EventEncoder, diffPayloads } from '../../../engine/host/event-encoder.js';
import { EventFrameDecoder, applyPatch, EventFrameError } from '../../../renderer/src/api/event-patch.js';
import { SeededPrng } from '../../../engine/core/prng.js';

/** Log end offsets per partition: a few partitions receive records in each 100 ms push. */
const offsets: number[] = new Array<number>(12).fill(0);

function statusLike(prng: SeededPrng, partitions: number, tick: number) {
  for (let i = 0; i < 3; i++) offsets[prng.nextInt(12)]! += 1 + prng.nextInt(20);
  return {
    nowMs: 1_700_000_000_000 + tick * 100,
    brokers: [1, 2, 3].map((id) => ({ id, host: 'localhost', port: 9091 + id, state: prng.nextInt(100) === 0 ? 'stopped' : 'running', leaderCount: 4, replicaCount: 12 })),
    topics: [
      {
        name: 'labshoppubsub',
        partitions: Array.from({ length: partitions }, (_, p) => ({
          partition: p,
          leader: 1 + ((p + Math.floor(tick / 100)) % 3),
          isr: prng.nextInt(40) === 0 ? [1, 2] : [1, 2, 3],
          replicas: [1, 2, 3],
          leaderEpoch: Math.floor(tick / 100),
          logStartOffset: 0,
          logEndOffset: offsets[p]!,
          highWatermark: offsets[p]!,
        })),
      },
    ],
    note: tick % 5 === 0 ? undefined : 'x',
  };
}

describe('event streams as changes', () => {
  it('a subscriber rebuilds every payload exactly, over 500 random pushes (seed 6006)', () => {
    const seed = 6006;
    const prng = new SeededPrng(seed);
    const encoder = new EventEncoder();
    const decoder = new EventFrameDecoder();
    let wholeBytes = 0;
    let partitions = 12;
    for (let tick = 0; tick < 500; tick++) {
      // Now and then a partition is added or the topic shrinks (deleted and recreated).
      if (prng.nextInt(50) === 0) partitions = 1 + prng.nextInt(12);
      const payload = JSON.parse(JSON.stringify(statusLike(prng, partitions, tick))) as unknown;
      wholeBytes += JSON.stringify(payload).length;
      const frame = JSON.parse(JSON.stringify(encoder.encode('clusterStatus', payload))) as Parameters<EventFrameDecoder['decode']>[1];
      expect(decoder.decode('clusterStatus', frame), `seed ${seed}, push ${tick}`).toEqual(payload);
    }
    // Offsets change every push, partitions come and go: the changes still cost well under the snapshots.
    expect(encoder.bytesEncoded).toBeLessThan(wholeBytes * 0.6);
  });

  it('the first frame is whole, and a stream forgotten starts whole again', () => {
    const encoder = new EventEncoder();
    expect(encoder.encode('groups', { a: 1, b: [1, 2, 3] })).toEqual({ full: { a: 1, b: [1, 2, 3] } });
    const second = encoder.encode('groups', { a: 2, b: [1, 2, 3], c: 'x'.repeat(100) });
    expect('full' in second).toBe(true);
    const big = { rows: Array.from({ length: 50 }, (_, i) => ({ i, lag: 0 })) };
    encoder.encode('groups', big);
    const changed = { rows: big.rows.map((r) => (r.i === 7 ? { ...r, lag: 12 } : r)) };
    expect(encoder.encode('groups', changed)).toEqual({ ops: [[0, ['rows', 7, 'lag'], 12]] });
    // Consecutive changes share their path: the second writes only what differs from the first.
    const two = { rows: changed.rows.map((r) => (r.i === 8 ? { ...r, lag: 3 } : r.i === 7 ? { ...r, lag: 13 } : r)) };
    expect(encoder.encode('groups', two)).toEqual({ ops: [[0, ['rows', 7, 'lag'], 13], [1, [8, 'lag'], 3]] });
    encoder.forget('groups');
    expect('full' in encoder.encode('groups', changed)).toBe(true);
  });

  it('unchanged parts keep their identity (Vue re-renders only what changed)', () => {
    const base = { brokers: [{ id: 1 }, { id: 2 }], topics: [{ name: 't', partitions: [{ hw: 1 }, { hw: 2 }] }] };
    const next = applyPatch(base, diffPayloads(base, { brokers: [{ id: 1 }, { id: 2 }], topics: [{ name: 't', partitions: [{ hw: 1 }, { hw: 3 }] }] })!) as typeof base;
    expect(next.brokers).toBe(base.brokers);
    expect(next.topics[0]!.partitions[0]).toBe(base.topics[0]!.partitions[0]);
    expect(next.topics[0]!.partitions[1]).toEqual({ hw: 3 });
    expect(base.topics[0]!.partitions[1]).toEqual({ hw: 2 });
  });

  it('a change that does not fit is refused, not half-applied', () => {
    const decoder = new EventFrameDecoder();
    expect(() => decoder.decode('services', { ops: [[0, ['a'], 1]] })).toThrow(EventFrameError);
    decoder.decode('services', { full: { a: { b: 1 } } });
    expect(() => decoder.decode('services', { ops: [[0, ['__proto__', 'polluted'], true]] })).toThrow(/not allowed/);
    expect(() => decoder.decode('services', { ops: [[0, ['a', 'b', 'c'], 1]] })).toThrow(EventFrameError);
    expect(() => decoder.decode('services', { ops: [[3, ['b'], 1]] })).toThrow(EventFrameError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(decoder.decode('services', { ops: [[0, ['a', 'b'], 2]] })).toEqual({ a: { b: 2 } });
  });
});
