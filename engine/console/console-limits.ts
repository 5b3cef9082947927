/**
 * Bounds of the console tools, each with why it has its value, so every loop and buffer of a tool
 * is finite. Engineers append their tools' bounds here.
 */

/** Bounds of the console clients and perf tools (kafka-console-producer/-consumer, *-perf-test). */
export const consoleClientLimits = {
  /** Lines read from a properties file (--producer.config, --consumer.config): far beyond any real one. */
  propertiesFileLinesMax: 10_000,
  /** Characters of output kept without a newline (line.separator set to '') before it is cut as a terminal wraps it. */
  pendingLineCharsMax: 64 * 1024,
  /**
   * Lines one console producer reads. Each line is a record typed or piped in; a million is far
   * beyond what a learner types or a lab file holds, and keeps a runaway input finite.
   */
  producerLinesMax: 1_000_000,
  /**
   * Records kafka-producer-perf-test sends in one run. Each is a live send in the worker; a million
   * 100-byte records is ~100 MB through the engine, the most a lab machine runs in reasonable time.
   */
  perfRecordsMax: 1_000_000,
  /** Largest --record-size: Kafka's default max.request.size (1 MiB) — a larger record is refused anyway. */
  perfRecordSizeBytesMax: 1024 * 1024,
  /**
   * Polls kafka-consumer-perf-test makes: it polls every 100 ms at most, so this is ~28 hours of
   * engine time, while --timeout (10 s by default) ends any idle run far sooner.
   */
  perfPollsMax: 1_000_000,
  /**
   * Empty polls a streaming console consumer makes between two records before it re-checks its
   * loop; each empty poll waits POLL_CHUNK_MS of engine time, so the loop never spins.
   */
  consumerPollChunkMs: 1_000,
} as const;

/** Bounds of the console's sessions (engine/console/console-sessions.ts). */
export const sessionLimits = {
  /** Console tabs at once: a workshop uses two or three side by side. */
  sessionsMax: 32,
  /** Lines kept per session: a long console consumer run scrolls; the oldest go. */
  outputLinesPerSessionMax: 5000,
  /** Lines typed ahead of a tool reading them (pasting a file into the producer). */
  pendingInputLinesMax: 10_000,
  /** Characters of one command line. */
  commandLineMax: 8192,
} as const;

/** Bounds of the command line and the admin tools (command-line.ts, console-runner.ts, kafka-topics, kafka-configs, ...). */
export const consoleLineLimits = {
  /** Characters of one typed line: the longest line in the material is ~200; 64 KiB holds any pasted JSON and keeps the one-pass parse trivial. */
  commandLineCharsMax: 64 * 1024,
  /** Partitions one --replica-assignment may list: the engine's own per-topic limit (limits.partitionsPerTopicMax). */
  replicaAssignmentPartitionsMax: 1000,
  /** Topic-partitions one kafka-leader-election run names (a --path-to-json-file list, or --all-topic-partitions): topics × partitions of a full cluster stays far below. */
  electionPartitionsMax: 100_000,
} as const;

/** Bounds of kafka-consumer-groups, kafka-get-offsets and kafka-reassign-partitions (group-offsets.ts and the tools). */
export const offsetToolLimits = {
  /**
   * Records scanned to find an offset by timestamp (--to-datetime, --by-duration, --time <ts> / -3):
   * the contract has no ListOffsets-by-time, so the tools read the partition (readRecords pages of
   * limits.readRecordsMax). A lab partition holds far fewer; past this the scan stops and the
   * partition is treated as having no record at or after the time (Kafka's "empty" fallback).
   */
  timestampScanRecordsMax: 1_000_000,
  /** Groups one --delete / --describe / --reset-offsets run names (--group repeated, or --all-groups). */
  groupsPerRunMax: 10_000,
  /** Partitions one reassignment or topics-to-move JSON file may list: the contract's own bound (limits.partitionsPerTopicMax). */
  reassignmentPartitionsMax: 1000,
  /** Characters of a JSON file the reassignment tool reads: far beyond a 1000-partition plan. */
  jsonFileCharsMax: 4 * 1024 * 1024,
} as const;
