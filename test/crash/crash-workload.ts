/**
 * The deterministic workload shared by the crash test and its child: the record at offset `o`
 * always has the same value, so after any crash the parent can check the log byte for byte.
 */
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../engine/storage/log-config.js';
import { encodeRecordBatch } from '../../engine/storage/record-batch.js';

export const CRASH_TOPIC = 'crash';

/** Small segments and a dense index so a short run rolls, indexes and flushes many times. */
export const CRASH_LOG_CONFIG: LogConfig = {
  ...DEFAULT_LOG_CONFIG,
  segmentBytes: 96 * 1024,
  indexIntervalBytes: 512,
  flushMessages: 150,
};

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function valueFor(seed: number, offset: number): string {
  return `${seed}:${offset}:`.padEnd(12 + (mix(seed, offset) % 180), 'x');
}

export function recordsPerBatch(seed: number, baseOffset: number): number {
  return 1 + (mix(seed + 1, baseOffset) % 24);
}

export function batchFor(seed: number, baseOffset: number, nowMs: number): Uint8Array {
  const count = recordsPerBatch(seed, baseOffset);
  const encoder = new TextEncoder();
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({ key: null, value: encoder.encode(valueFor(seed, baseOffset + i)), timestampMs: nowMs - (mix(seed, baseOffset + i) % 50) })),
  });
}
