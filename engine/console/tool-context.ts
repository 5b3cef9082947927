/**
 * What an emulated Kafka command-line tool (kafka-topics, kafka-console-consumer, ...) runs against.
 * The same tool code serves the UI console (inside the engine worker), the CLI
 * (`kafka-lab kafka-topics ...`) and the tests: admin operations go through the contract, exactly
 * as the UI's, so the engine validates them the same way; console clients are real in-process
 * Kafka clients on the cluster's network.
 *
 * Output is written line by line, as the JVM tools print it (System.out for results, System.err for
 * errors and warnings), and a tool resolves with its exit code (0 ok, 1 error), as `bin/kafka-*.sh`
 * ends.
 */
import type { CommandName, CommandRequest, CommandResponse, QueryName, QueryRequest, QueryResponse } from '../api/contract.js';
import type { ConsumerConfigInput } from '../clients/consumer/index.js';
import type { KafkaConsumer } from '../clients/consumer/kafka-consumer.js';
import type { ProducerConfigInput } from '../clients/producer/index.js';
import type { KafkaProducer } from '../clients/producer/kafka-producer.js';
import type { Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import type { Timers } from '../core/timers.js';

export interface ConsoleOutput {
  /** One line of standard output (no trailing newline). */
  out(line: string): void;
  /** One line of standard error (no trailing newline). */
  err(line: string): void;
}

/** Files a tool reads (--reassignment-json-file, --topics-to-move-json-file, --command-config). */
export interface ConsoleFiles {
  /** The file's text; throws ConsoleFileError with the JVM's wording when it is missing or unreadable. */
  read(path: string): string;
}

export class ConsoleFileError extends Error {}

/** A failure of a contract call: Kafka's error name and message, as the admin client would report it. */
export class ConsoleCallError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleCallError';
  }
}

export interface ConsoleEngine {
  /** A contract command (createTopic, alterTopicConfigs, ...); rejects with ConsoleCallError. */
  command<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>>;
  /** A contract query (describeTopic, describeGroup, ...); rejects with ConsoleCallError. */
  query<N extends QueryName>(name: N, request: QueryRequest<N>): Promise<QueryResponse<N>>;
  /** A Java-like consumer on the cluster's network (string keys and values, null kept as null). */
  consumer(config: ConsumerConfigInput): KafkaConsumer<string | null, string | null>;
  /** A Java-like producer on the cluster's network. */
  producer(config: ProducerConfigInput): KafkaProducer<string | null, string | null>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prng: Prng;
}

export interface ToolContext {
  readonly output: ConsoleOutput;
  readonly engine: ConsoleEngine;
  readonly files: ConsoleFiles;
  /**
   * The next line the user types (the console producer reads its records this way), or null at end
   * of input (Ctrl+D, or the end of a piped file on the CLI).
   */
  readLine(): Promise<string | null>;
  /** Aborted on Ctrl+C: a streaming tool stops, prints its summary and exits as the JVM's shutdown hook does. */
  readonly interrupt: AbortSignal;
}

/** One emulated tool: `kafka-topics`, `kafka-console-consumer`, ... */
export interface ConsoleTool {
  /** The tool's name without prefix or suffix (`kafka-topics`). */
  readonly name: string;
  /** Runs the tool with its arguments (after the tool name); resolves with the exit code. */
  run(args: readonly string[], context: ToolContext): Promise<number>;
}
