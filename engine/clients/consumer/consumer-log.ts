/**
 * The consumer's log, as a learner reads a Java consumer's log4j output: a bounded ring of lines
 * stamped with the Clock's time, each with its level, its Java logger and Java's message text
 * behind the LogContext prefix "[Consumer clientId=inventory-1, groupId=inventory] ".
 *
 * Besides the Kafka client's own lines, the consumer writes the one summary line Spring Kafka's
 * listener container prints for every assignment, "inventory: partitions assigned:
 * [labshoppubsub-0]" (and "partitions revoked: [...]"), because the workshop material reads those.
 * They are logged under Spring's logger name and without the client prefix, as Spring prints them.
 *
 * Invariants: at most consumerLimits.logLinesMax lines are kept (the oldest are dropped and
 * counted); a line is at most consumerLimits.logLineCharsMax characters; a throwing sink never
 * reaches the consumer.
 */
import type { Clock } from '../../core/clock.js';
import { consumerLimits } from './consumer-limits.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The Java loggers whose lines the consumer reproduces. */
export type ConsumerLoggerName = 'KafkaConsumer' | 'ConsumerCoordinator' | 'AbstractCoordinator' | 'SubscriptionState' | 'Fetcher' | 'OffsetFetcher' | 'KafkaMessageListenerContainer';

const LOGGER_CLASSES: Record<ConsumerLoggerName, string> = {
  KafkaConsumer: 'org.apache.kafka.clients.consumer.KafkaConsumer',
  ConsumerCoordinator: 'org.apache.kafka.clients.consumer.internals.ConsumerCoordinator',
  AbstractCoordinator: 'org.apache.kafka.clients.consumer.internals.AbstractCoordinator',
  SubscriptionState: 'org.apache.kafka.clients.consumer.internals.SubscriptionState',
  Fetcher: 'org.apache.kafka.clients.consumer.internals.Fetcher',
  OffsetFetcher: 'org.apache.kafka.clients.consumer.internals.OffsetFetcher',
  KafkaMessageListenerContainer: 'org.springframework.kafka.listener.KafkaMessageListenerContainer',
};

export interface ConsumerLogLine {
  readonly atMs: number;
  readonly level: LogLevel;
  readonly logger: string;
  /** The message as Java logs it, with the "[Consumer ...] " prefix for Kafka's own lines. */
  readonly message: string;
}

export class ConsumerLog {
  private readonly ring: ConsumerLogLine[] = [];
  private head = 0;
  /** Lines dropped from the front of the ring since the consumer started. */
  dropped = 0;

  constructor(
    private readonly clock: Clock,
    /** Java's LogContext prefix: "[Consumer clientId=..., groupId=...] ". */
    private readonly prefix: string,
    private readonly sink: ((line: ConsumerLogLine) => void) | null,
  ) {}

  static prefixFor(clientId: string, groupId: string | null, groupInstanceId: string | null): string {
    const instance = groupInstanceId === null ? '' : `instanceId=${groupInstanceId}, `;
    return `[Consumer ${instance}clientId=${clientId}, groupId=${groupId ?? 'null'}] `;
  }

  info(logger: ConsumerLoggerName, message: string): void {
    this.write('INFO', logger, message);
  }

  warn(logger: ConsumerLoggerName, message: string): void {
    this.write('WARN', logger, message);
  }

  error(logger: ConsumerLoggerName, message: string): void {
    this.write('ERROR', logger, message);
  }

  debug(logger: ConsumerLoggerName, message: string): void {
    this.write('DEBUG', logger, message);
  }

  /** The lines kept, oldest first. */
  lines(): readonly ConsumerLogLine[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** The lines kept, formatted as log4j prints them: "[2024-05-01 10:00:00,000] INFO message (logger)". */
  text(): string[] {
    return this.lines().map(formatLine);
  }

  private write(level: LogLevel, logger: ConsumerLoggerName, message: string): void {
    const spring = logger === 'KafkaMessageListenerContainer';
    let full = spring ? message : this.prefix + message;
    if (full.length > consumerLimits.logLineCharsMax) full = `${full.slice(0, consumerLimits.logLineCharsMax - 3)}...`;
    const line: ConsumerLogLine = { atMs: this.clock.nowMs(), level, logger: LOGGER_CLASSES[logger], message: full };
    if (this.ring.length < consumerLimits.logLinesMax) {
      this.ring.push(line);
    } else {
      this.ring[this.head] = line;
      this.head = (this.head + 1) % consumerLimits.logLinesMax;
      this.dropped += 1;
    }
    if (this.sink === null) return;
    try {
      this.sink(line);
    } catch {
      // A log sink (the UI's timeline) must never break the consumer.
    }
  }
}

export function formatLine(line: ConsumerLogLine): string {
  const iso = new Date(line.atMs).toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
  return `[${stamp}] ${line.level} ${line.message} (${line.logger})`;
}
