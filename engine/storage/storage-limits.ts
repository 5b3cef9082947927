/**
 * Bounds of the storage layer, each with why it has its value. Engine-wide bounds live in
 * engine/core/limits.ts; these only matter to the code under engine/storage.
 */
import { limits } from '../core/limits.js';

export const storageLimits = {
  /**
   * The largest record batch the codec will look at, in bytes. A batch larger than the broker's
   * message.max.bytes is refused on append anyway (MESSAGE_TOO_LARGE); a follower or a recovery scan
   * may meet a batch up to this size when a topic raised max.message.bytes. 64 MiB is Kafka's own
   * socket.request.max.bytes order of magnitude (100 MiB) rounded down to what a worker can hold.
   */
  batchBytesMax: 64 * 1024 * 1024,
  /**
   * The most bytes a compressed batch may inflate to. Without a bound a 1 MiB gzip bomb becomes a
   * gigabyte in the engine worker. 16 x message.max.bytes covers any real producer (gzip on JSON
   * rarely exceeds 10:1) while keeping one decode under ~17 MiB.
   */
  decompressedBatchBytesMax: 16 * limits.maxMessageBytes,
  /**
   * The smallest encoded record: length, attributes, timestampDelta, offsetDelta, keyLength,
   * valueLength and headerCount are at least one byte each. Used to bound the record loop by the
   * bytes actually present, so a forged record count cannot make the decoder allocate or spin.
   */
  recordBytesMin: 7,
  /** The longest zigzag varint (int32) in bytes: ceil(32 / 7). */
  varintBytesMax: 5,
  /** The longest zigzag varlong (int64) in bytes: ceil(64 / 7). */
  varlongBytesMax: 10,
  /**
   * Batches a single read may walk while locating a fetch offset inside a segment. The offset index
   * points at most index.interval.bytes before the target, but index.interval.bytes may be as large
   * as a segment; a segment of segment.bytes (max int32) holds at most 2^31 / 61 batches.
   */
  segmentBatchesMax: Math.ceil(2_147_483_647 / 61),
  /** Segments in one partition log: a 1 TiB partition of 1 MiB segments. Past this, retention is misconfigured. */
  segmentsPerPartitionMax: 1_048_576,
  /** Entries in a checkpoint file: one per partition the broker could host. */
  checkpointEntriesMax: 1_000_000,
  /** Bytes of a checkpoint file: entriesMax lines of at most ~300 bytes (topic name + two numbers). */
  checkpointBytesMax: 300 * 1_000_000,
  /** Leader epochs kept per partition: every election in a long lab, with ample room. */
  leaderEpochEntriesMax: 100_000,
  /**
   * Chunk size the recovery scan and the segment reader read at once. Large enough that a scan of
   * 16 KiB batches is a few syscalls per MiB, small enough to stay in the CPU cache.
   */
  scanChunkBytes: 1024 * 1024,
  /** Distinct keys one compaction pass may hold in its offset map (Kafka sizes it by log.cleaner.dedupe.buffer.size, 128 MiB / 24 B). */
  compactionKeysMax: 5_592_405,
  /** Partition directories one broker may hold: topicsMax x partitionsPerTopicMax. */
  partitionsPerBrokerMax: limits.topicsMax * limits.partitionsPerTopicMax,
} as const;
