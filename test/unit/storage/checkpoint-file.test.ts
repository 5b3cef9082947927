import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../engine/core/kafka-errors.js';
import {
  formatEpochCheckpoint,
  formatOffsetCheckpoint,
  parseEpochCheckpoint,
  parseOffsetCheckpoint,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from '../../../engine/storage/checkpoint-file.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('checkpoint files', () => {
  it('use Kafka\'s text format for offsets and leader epochs', () => {
    const entries = [
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: '__consumer_offsets', partition: 17, offset: 0 },
    ];
    expect(new TextDecoder().decode(formatOffsetCheckpoint(entries))).toBe('0\n2\norders 0 42\n__consumer_offsets 17 0\n');
    expect(parseOffsetCheckpoint('f', formatOffsetCheckpoint(entries))).toEqual(entries);
    expect(new TextDecoder().decode(formatEpochCheckpoint([{ epoch: 3, startOffset: 100 }]))).toBe('0\n1\n3 100\n');
    expect(parseEpochCheckpoint('f', text('0\n2\n0 0\n4 57\n'))).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 4, startOffset: 57 }]);
    expect(parseOffsetCheckpoint('f', text('0\n0\n'))).toEqual([]);
  });

  it('refuse malformed files with KAFKA_STORAGE_ERROR naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['1\n0\n', /unrecognized version '1'/],
      ['0\nx\n', /expected an entry count/],
      ['0\n2\norders 0 1\n', /expected 2 entries but found 1/],
      ['0\n1\norders zero 1\n', /'orders zero 1'/],
      ['0\n1\norders 0 1 extra\n', /Malformed line/],
      ['0\n1\norders 0 99999999999999999999\n', /out of range/],
      ['', /unrecognized version/],
    ];
    for (const [content, pattern] of cases) {
      let caught: unknown;
      try {
        parseOffsetCheckpoint('/x/recovery-point-offset-checkpoint', text(content));
      } catch (error) {
        caught = error;
      }
      expect(caught, content).toBeInstanceOf(KafkaError);
      expect((caught as KafkaError).errorName).toBe('KAFKA_STORAGE_ERROR');
      expect((caught as KafkaError).message).toMatch(pattern);
    }
    expect(() => parseEpochCheckpoint('f', text('0\n1\n-2 5\n'))).toThrow(/bad epoch/);
  });

  it('are written atomically and a missing file reads as empty', () => {
    const disk = new MemoryDisk();
    disk.mkdirp('/logs');
    expect(readOffsetCheckpoint(disk, '/logs/replication-offset-checkpoint')).toEqual([]);
    writeOffsetCheckpoint(disk, '/logs/replication-offset-checkpoint', [{ topic: 't', partition: 1, offset: 9 }]);
    expect(readOffsetCheckpoint(disk, '/logs/replication-offset-checkpoint')).toEqual([{ topic: 't', partition: 1, offset: 9 }]);
  });
});
