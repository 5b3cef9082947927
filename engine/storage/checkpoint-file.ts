/**
 * Kafka's checkpoint files, in Kafka's text format (CheckpointFile, OffsetCheckpointFile,
 * LeaderEpochCheckpointFile), always written to a temporary sibling and renamed over the old file.
 *
 * Offset checkpoints, one per log dir (replication-offset-checkpoint, recovery-point-offset-checkpoint,
 * log-start-offset-checkpoint, cleaner-offset-checkpoint):
 *
 *   0                      version
 *   <n>                    number of entries
 *   <topic> <partition> <offset>     n lines
 *
 * The leader epoch checkpoint, one per partition directory (leader-epoch-checkpoint):
 *
 *   0
 *   <n>
 *   <epoch> <startOffset>  n lines
 *
 * Parsing treats the file as untrusted: anything malformed throws KafkaError('KAFKA_STORAGE_ERROR')
 * with the line that is wrong, as Kafka's "Malformed line in checkpoint file" does.
 */
import { KafkaError } from '../core/kafka-errors.js';
import type { Disk } from './disk/disk.js';
import { storageLimits } from './storage-limits.js';

export const CHECKPOINT_VERSION = 0;

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

function malformed(path: string, detail: string): KafkaError {
  return new KafkaError('KAFKA_STORAGE_ERROR', `Malformed line in checkpoint file (${path}): ${detail}`);
}

/** Splits a checkpoint into its entry lines after checking the version and the count. */
function entryLines(path: string, bytes: Uint8Array): string[] {
  if (bytes.length > storageLimits.checkpointBytesMax) throw malformed(path, `file is ${bytes.length} bytes`);
  const lines = utf8.decode(bytes).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const version = lines[0];
  if (version !== String(CHECKPOINT_VERSION)) throw malformed(path, `unrecognized version '${version ?? ''}'`);
  const countLine = lines[1] ?? '';
  if (!/^\d+$/.test(countLine)) throw malformed(path, `expected an entry count, found '${countLine}'`);
  const count = Number(countLine);
  if (count > storageLimits.checkpointEntriesMax) throw malformed(path, `${count} entries exceed ${storageLimits.checkpointEntriesMax}`);
  const entries = lines.slice(2);
  if (entries.length !== count) throw malformed(path, `expected ${count} entries but found ${entries.length}`);
  return entries;
}

function parseOffset(path: string, text: string, line: string): number {
  if (!/^-?\d+$/.test(text)) throw malformed(path, `'${line}'`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw malformed(path, `'${line}' (offset out of range)`);
  return value;
}

export function formatOffsetCheckpoint(entries: readonly TopicPartitionOffset[]): Uint8Array {
  const lines = [String(CHECKPOINT_VERSION), String(entries.length)];
  for (const e of entries) lines.push(`${e.topic} ${e.partition} ${e.offset}`);
  return utf8Encoder.encode(`${lines.join('\n')}\n`);
}

export function parseOffsetCheckpoint(path: string, bytes: Uint8Array): TopicPartitionOffset[] {
  return entryLines(path, bytes).map((line) => {
    const parts = line.split(' ');
    if (parts.length !== 3 || parts[0] === '') throw malformed(path, `'${line}'`);
    const partition = parseOffset(path, parts[1]!, line);
    if (partition < 0 || partition > 0x7fff_ffff) throw malformed(path, `'${line}' (bad partition)`);
    return { topic: parts[0]!, partition, offset: parseOffset(path, parts[2]!, line) };
  });
}

export function formatEpochCheckpoint(entries: readonly EpochEntry[]): Uint8Array {
  const lines = [String(CHECKPOINT_VERSION), String(entries.length)];
  for (const e of entries) lines.push(`${e.epoch} ${e.startOffset}`);
  return utf8Encoder.encode(`${lines.join('\n')}\n`);
}

export function parseEpochCheckpoint(path: string, bytes: Uint8Array): EpochEntry[] {
  return entryLines(path, bytes).map((line) => {
    const parts = line.split(' ');
    if (parts.length !== 2) throw malformed(path, `'${line}'`);
    const epoch = parseOffset(path, parts[0]!, line);
    if (epoch < 0 || epoch > 0x7fff_ffff) throw malformed(path, `'${line}' (bad epoch)`);
    return { epoch, startOffset: parseOffset(path, parts[1]!, line) };
  });
}

/** Reads an offset checkpoint; a missing file is an empty checkpoint. */
export function readOffsetCheckpoint(disk: Disk, path: string): TopicPartitionOffset[] {
  if (!disk.exists(path)) return [];
  return parseOffsetCheckpoint(path, disk.readFile(path));
}

export function writeOffsetCheckpoint(disk: Disk, path: string, entries: readonly TopicPartitionOffset[]): void {
  disk.writeFileAtomic(path, formatOffsetCheckpoint(entries));
}
