/**
 * What every admin tool shares, as Kafka 3.7's tools do it (CommandDefaultOptions, CommandLineUtils,
 * the tools' main/printException, log4j's tools pattern `[%d] %p %m (%c)%n` on stderr).
 *
 * The API (small and stable; other tools build on it):
 * - `runTool(context, body)`: runs a tool body; a `ToolExit` thrown inside ends it with its code.
 * - `withDefaultOptions(specs)`: the tool's specs plus `--help` and `--version` (CommandDefaultOptions).
 * - `parseToolOptions(context, args, specs, style)`: parseOptions, or jopt-simple's failure printed
 *   as the tool's main prints it (`style`: 'java' = message + exception line on stderr, as the tools
 *   module's mainNoExit; 'scala' = message only, as ConfigCommand/ConsumerGroupCommand's main) → exit 1.
 * - `printUsageAndExit(context, specs, message)`: message, then the help table, on stderr; exit 1.
 * - `maybePrintHelpOrVersion(context, args, options, specs, message)`: no args or --help → usage;
 *   --version → "3.7.0" on stdout, exit 0.
 * - `checkRequiredArgs` / `checkInvalidArgs`: CommandLineUtils' checks with their exact messages.
 * - `requireBootstrapServer(context, options, tool)`: --bootstrap-server, or the legacy --zookeeper
 *   with a one-line note (Kafka 3 tools refuse --zookeeper; the workbench runs the command anyway).
 * - `ToolFailure(exceptionClass, message)`: a Java exception a tool throws (IllegalArgumentException...).
 * - `failureOf(error)`: { exceptionClass, message } of a ToolFailure, a ConsoleCallError (its Kafka
 *   error name → org.apache.kafka.common.errors.XxxException) or anything else.
 * - `printCommandError(context, command, error, logger)`: "Error while executing <command> command : msg"
 *   on stdout and the "[date] ERROR <class>: msg (<logger>)" line on stderr → returns 1.
 * - `logLine(context, level, message, logger)`: one log4j line on stderr.
 * - `parseKeyValueArgs(list)`: CommandLineUtils.parseKeyValueArgs ("k=v" → map; "k" → "").
 *
 * Invariants: all output goes through context.output; timestamps come from the engine's clock
 * (printed in UTC, log4j's ISO8601 layout); a stack trace is one line (the exception) — the frames
 * of a JVM that does not exist would be invented.
 */
import { javaExceptionOf } from '../../core/kafka-error-info.js';
import type { KafkaErrorName } from '../../core/kafka-errors.js';
import { formatHelp, OptionError, parseOptions, type OptionSpec, type ParsedOptions } from '../options.js';
import { ConsoleCallError, ConsoleFileError, type ToolContext } from '../tool-context.js';

/** The Kafka release whose tools these follow (output layouts, messages, --version). */
export const KAFKA_VERSION = '3.7.0';

export const HELP_SPEC: OptionSpec = { name: 'help', description: 'Print usage information.' };
export const VERSION_SPEC: OptionSpec = { name: 'version', description: 'Display Kafka version.' };

/**
 * The legacy --zookeeper option the workshop material (Kafka 2.x) uses. Kafka 3 removed it from
 * kafka-topics and kafka-consumer-groups; the workbench accepts it with a note and runs the command.
 */
export const ZOOKEEPER_SPEC: OptionSpec = {
  name: 'zookeeper',
  description: 'DEPRECATED (removed in Kafka 3.0): the ZooKeeper connection string. Accepted by the workbench, which runs the command against its brokers; use --bootstrap-server.',
  argument: 'String: hosts',
};

/** Thrown to end a tool with an exit code once its output is printed (the JVM's Exit.exit). */
export class ToolExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ToolExit';
  }
}

/** A Java exception a tool raises itself: `new ToolFailure('java.lang.IllegalArgumentException', "Topic 'x' does not exist as expected")`. */
export class ToolFailure extends Error {
  constructor(
    readonly exceptionClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

export const ILLEGAL_ARGUMENT = 'java.lang.IllegalArgumentException';

/** Runs a tool body to its exit code: a ToolExit ends it with its code; anything else propagates. */
export async function runTool(_context: ToolContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ToolExit) return error.code;
    throw error;
  }
}

/** The tool's options plus --help and --version, as CommandDefaultOptions adds them. */
export function withDefaultOptions(specs: readonly OptionSpec[]): OptionSpec[] {
  return [...specs, HELP_SPEC, VERSION_SPEC];
}

/**
 * How a tool's main reports a failure to parse: 'java' tools (TopicCommand, LeaderElectionCommand,
 * MetadataQuorumCommand...) print the message then the stack trace; 'scala' ones (ConfigCommand,
 * ConsumerGroupCommand) print the message only.
 */
export type MainStyle = 'java' | 'scala';

/** parseOptions, or the failure printed as the tool's main prints it and exit 1. */
export function parseToolOptions(context: ToolContext, args: readonly string[], specs: readonly OptionSpec[], style: MainStyle = 'java'): ParsedOptions {
  try {
    return parseOptions(args, specs);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    context.output.err(error.message);
    if (style === 'java') context.output.err(`${error.exceptionClass}: ${error.message}`);
    throw new ToolExit(1);
  }
}

/** CommandLineUtils.printUsageAndExit: the message, the help table, both on stderr; exit 1. */
export function printUsageAndExit(context: ToolContext, specs: readonly OptionSpec[], message: string): never {
  context.output.err(message);
  for (const line of formatHelp(specs)) context.output.err(line);
  throw new ToolExit(1);
}

/** CommandLineUtils.maybePrintHelpOrVersion: no arguments or --help → usage (exit 1); --version → the version (exit 0). */
export function maybePrintHelpOrVersion(context: ToolContext, args: readonly string[], options: ParsedOptions, specs: readonly OptionSpec[], message: string): void {
  if (args.length === 0 || options.has(HELP_SPEC.name)) printUsageAndExit(context, specs, message);
  if (options.has(VERSION_SPEC.name)) {
    context.output.out(KAFKA_VERSION);
    throw new ToolExit(0);
  }
}

/** jopt-simple prints an option spec as its names in brackets: `[partitions]`. */
export function specName(name: string): string {
  return `[${name}]`;
}

/** CommandLineUtils.checkRequiredArgs: `Missing required argument "[partitions]"`. */
export function checkRequiredArgs(context: ToolContext, specs: readonly OptionSpec[], options: ParsedOptions, ...required: string[]): void {
  for (const name of required) {
    if (!options.has(name)) printUsageAndExit(context, specs, `Missing required argument "${specName(name)}"`);
  }
}

/** CommandLineUtils.checkInvalidArgs: `Option "[used]" can't be used with option "[other]"`. */
export function checkInvalidArgs(context: ToolContext, specs: readonly OptionSpec[], options: ParsedOptions, used: string, invalid: readonly string[]): void {
  if (!options.has(used)) return;
  for (const name of invalid) {
    if (options.has(name)) printUsageAndExit(context, specs, `Option "${specName(used)}" can't be used with option "${specName(name)}"`);
  }
}

/**
 * The bootstrap servers a tool connects to. With the legacy --zookeeper (and no --bootstrap-server)
 * it prints one note on stderr and goes on: the workbench has no ZooKeeper, its brokers answer.
 * Returns undefined when neither is given (the caller prints its tool's own message).
 */
export function bootstrapServerOf(context: ToolContext, options: ParsedOptions, tool: string): string | undefined {
  const bootstrap = options.value('bootstrap-server');
  if (bootstrap !== undefined) return bootstrap;
  const zookeeper = options.value(ZOOKEEPER_SPEC.name);
  if (zookeeper === undefined) return undefined;
  context.output.err(zookeeperNote(tool));
  return zookeeper;
}

/** The one-line note for --zookeeper (Kafka 3's own tool would stop with "zookeeper is not a recognized option"). */
export function zookeeperNote(tool: string): string {
  return `Note: ${tool} in Kafka 3.x takes --bootstrap-server (--zookeeper was removed in 3.0); running against the workbench's brokers.`;
}

/** The Java exception class of a failure and its message, as the JVM would print them. */
export function failureOf(error: unknown): { exceptionClass: string; message: string } {
  if (error instanceof ToolFailure) return { exceptionClass: error.exceptionClass, message: error.message };
  if (error instanceof ConsoleCallError) return { exceptionClass: kafkaExceptionClass(error.errorName), message: error.message };
  if (error instanceof ConsoleFileError) return { exceptionClass: 'java.nio.file.NoSuchFileException', message: error.message };
  if (error instanceof OptionError) return { exceptionClass: error.exceptionClass, message: error.message };
  return { exceptionClass: 'java.lang.RuntimeException', message: error instanceof Error ? error.message : String(error) };
}

/** Admin errors Errors.java maps that the clients' table (kafka-error-info) does not carry. */
const ADMIN_EXCEPTIONS: Readonly<Record<string, string>> = {
  ELECTION_NOT_NEEDED: 'ElectionNotNeededException',
  PREFERRED_LEADER_NOT_AVAILABLE: 'PreferredLeaderNotAvailableException',
  ELIGIBLE_LEADERS_NOT_AVAILABLE: 'EligibleLeadersNotAvailableException',
  NO_REASSIGNMENT_IN_PROGRESS: 'NoReassignmentInProgressException',
};

/** org.apache.kafka.common.errors.TopicExistsException for TOPIC_ALREADY_EXISTS, and so on (Errors.java). */
export function kafkaExceptionClass(errorName: string): string {
  const admin = ADMIN_EXCEPTIONS[errorName];
  if (admin !== undefined) return `org.apache.kafka.common.errors.${admin}`;
  if (errorName === 'NONE') return 'org.apache.kafka.common.errors.ApiException';
  return `org.apache.kafka.common.errors.${javaExceptionOf(errorName as Exclude<KafkaErrorName, 'NONE'>)}`;
}

/**
 * A tool's printException: "Error while executing topic command : <message>" on stdout, and the
 * exception logged at ERROR on stderr (one line: class and message, then the logger). Returns 1.
 */
export function printCommandError(context: ToolContext, command: string, error: unknown, logger: string): number {
  const { exceptionClass, message } = failureOf(error);
  context.output.out(`Error while executing ${command} command : ${message}`);
  logLine(context, 'ERROR', `${exceptionClass}: ${message}`, logger);
  return 1;
}

/** One line of the tools' log4j layout on stderr: `[2023-11-14 22:13:20,000] ERROR message (logger)`. */
export function logLine(context: ToolContext, level: 'ERROR' | 'WARN' | 'INFO', message: string, logger: string): void {
  context.output.err(`[${log4jTimestamp(context.engine.clock.nowMs())}] ${level} ${message} (${logger})`);
}

/** log4j's %d (ISO8601 with a comma before the millis), in UTC: the engine has no time zone. */
export function log4jTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2023-11-14T22:13:20.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** CommandLineUtils.parseKeyValueArgs: each "k=v" split at the first '='; a bare "k" maps to "". */
export function parseKeyValueArgs(list: readonly string[]): Map<string, string> {
  const properties = new Map<string, string>();
  for (const item of list) {
    const equals = item.indexOf('=');
    if (equals < 0) properties.set(item, '');
    else properties.set(item.slice(0, equals), item.slice(equals + 1));
  }
  return properties;
}
