/**
 * Bounds of the disk wrappers, each with why (engine/storage/disk).
 */
export const diskLimits = {
  /**
   * Bytes of previous versions a FaultableDisk keeps for files replaced atomically while fsync lies
   * (so a power loss can bring the durable version back). Those files are checkpoints: a few KiB per
   * broker plus one small file per partition; 16 MiB is thousands of partitions' worth. Past it,
   * such a file is treated as never made durable (a power loss removes it, and Kafka rebuilds it).
   */
  shadowBytesMax: 16 * 1024 * 1024,
} as const;
