/**
 * What the console completes: Kafka's command-line tools by the names the workshop material types,
 * and each tool's options as `--help` of Kafka 3.x lists them. The table only serves completion
 * (the engine parses and rejects); a tool typed with a `bin/` prefix or a `.sh` / `.bat` suffix
 * completes like its plain name.
 */

export const CONSOLE_TOOLS = [
  'kafka-topics',
  'kafka-configs',
  'kafka-console-producer',
  'kafka-console-consumer',
  'kafka-consumer-groups',
  'kafka-reassign-partitions',
  'kafka-leader-election',
  'kafka-metadata-quorum',
  'kafka-get-offsets',
  'kafka-producer-perf-test',
  'kafka-consumer-perf-test',
] as const;

export type ConsoleTool = (typeof CONSOLE_TOOLS)[number];

const COMMON = ['--bootstrap-server', '--command-config', '--help', '--version'] as const;

/** Each tool's options (Kafka 3.x `--help`), in the order the help lists them. */
export const TOOL_OPTIONS: Readonly<Record<ConsoleTool, readonly string[]>> = {
  'kafka-topics': [
    '--alter', '--at-min-isr-partitions', '--config', '--create', '--delete', '--delete-config', '--describe',
    '--exclude-internal', '--if-exists', '--if-not-exists', '--list', '--partitions', '--replica-assignment',
    '--replication-factor', '--topic', '--topic-id', '--topics-with-overrides', '--unavailable-partitions',
    '--under-min-isr-partitions', '--under-replicated-partitions', ...COMMON,
  ],
  'kafka-configs': [
    '--add-config', '--add-config-file', '--all', '--alter', '--broker', '--broker-defaults', '--delete-config',
    '--describe', '--entity-default', '--entity-name', '--entity-type', '--topic', ...COMMON,
  ],
  'kafka-console-producer': [
    '--batch-size', '--broker-list', '--compression-codec', '--line-reader', '--max-block-ms', '--message-send-max-retries',
    '--producer-property', '--producer.config', '--property', '--request-required-acks', '--request-timeout-ms',
    '--sync', '--timeout', '--topic', ...COMMON,
  ],
  'kafka-console-consumer': [
    '--consumer-property', '--consumer.config', '--enable-systest-events', '--formatter', '--from-beginning',
    '--group', '--include', '--isolation-level', '--key-deserializer', '--max-messages', '--offset', '--partition',
    '--property', '--skip-message-on-error', '--timeout-ms', '--topic', '--value-deserializer', ...COMMON,
  ],
  'kafka-consumer-groups': [
    '--all-groups', '--all-topics', '--by-duration', '--delete', '--delete-offsets', '--describe', '--dry-run',
    '--execute', '--export', '--from-file', '--group', '--list', '--members', '--offsets', '--reset-offsets',
    '--shift-by', '--state', '--timeout', '--to-current', '--to-datetime', '--to-earliest', '--to-latest',
    '--to-offset', '--topic', '--verbose', ...COMMON,
  ],
  'kafka-reassign-partitions': [
    '--additional', '--broker-list', '--cancel', '--disable-rack-aware', '--execute', '--generate',
    '--list', '--preserve-throttles', '--reassignment-json-file', '--replica-alter-log-dirs-throttle', '--throttle',
    '--timeout', '--topics-to-move-json-file', '--verify', ...COMMON,
  ],
  'kafka-leader-election': ['--all-topic-partitions', '--election-type', '--partition', '--path-to-json-file', '--topic', ...COMMON],
  'kafka-metadata-quorum': ['--bootstrap-controller', 'describe', '--status', '--replication', '--human-readable', ...COMMON],
  'kafka-get-offsets': ['--exclude-internal-topics', '--partitions', '--time', '--topic', '--topic-partitions', ...COMMON],
  'kafka-producer-perf-test': [
    '--num-records', '--payload-delimiter', '--payload-file', '--print-metrics', '--producer-props', '--producer.config',
    '--record-size', '--throughput', '--topic', '--transaction-duration-ms', '--transactional-id', '--help',
  ],
  'kafka-consumer-perf-test': [
    '--consumer.config', '--date-format', '--fetch-size', '--from-latest', '--group', '--hide-header', '--messages',
    '--num-fetch-threads', '--print-metrics', '--reporting-interval', '--show-detailed-stats', '--socket-buffer-size',
    '--timeout', '--topic', ...COMMON,
  ],
};

/** Options whose next word names a topic or a group, so completion offers the cluster's names. */
export const TOPIC_OPTIONS: ReadonlySet<string> = new Set(['--topic', '--include']);
export const GROUP_OPTIONS: ReadonlySet<string> = new Set(['--group']);

/** `--property` values the console tools read (Kafka's LineMessageReader and DefaultMessageFormatter). */
export const PROPERTY_VALUES: readonly string[] = [
  'parse.key=true', 'key.separator=', 'print.key=true', 'print.partition=true', 'print.offset=true',
  'print.timestamp=true', 'print.headers=true', 'print.value=true',
];

/**
 * The tool a typed first word names: `bin/kafka-topics.sh`, `./bin/kafka-topics.sh`,
 * `bin\windows\kafka-topics.bat` and `kafka-topics` are the same tool; null for anything else.
 */
export function toolOf(word: string): ConsoleTool | null {
  const base = word.split(/[\\/]/).pop() ?? word;
  const name = base.replace(/\.(sh|bat)$/, '');
  return (CONSOLE_TOOLS as readonly string[]).includes(name) ? (name as ConsoleTool) : null;
}
