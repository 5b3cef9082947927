/**
 * One replica of the workshop's inventory service (a Spring Boot app on 8082, 8083, ...): a Kafka
 * listener in consumer group `inventory` that decrements stock for each `OrderPlaced`, run as a
 * ConsumerApp (poll, process each record for processingMsPerRecord of engine time, commit as the
 * commit mode says) around a KafkaConsumer with the inventory settings (assignor, commit mode,
 * auto.offset.reset, session / heartbeat / max.poll configs) as they were when it started —
 * consumer settings apply to replicas started after the change, as a running JVM keeps its
 * configuration. The processing time and the store mode apply at once.
 *
 * Each record goes through labshop's PolicyHandler: the listener prints "##### listener
 * DecreaseStock : ..." and calls Inventory.decreaseStock on the store (its own in the seed's
 * experiment, or the shared one); a product without a row changes nothing. With dedupe on, an
 * orderId the store already applied is skipped and counted. A value that is not an OrderPlaced
 * is logged as Spring Kafka's DefaultErrorHandler logs a record it gives up on, and skipped.
 *
 * The console shows Spring's and the Kafka client's lines together, as in the seed ("inventory:
 * partitions assigned: []" for a replica without partitions).
 *
 * Invariants: the replica is `starting` until its consumer's first assignment (an empty one
 * included), then `running`; every OrderPlaced it handles is reported once to the figures (applied
 * or skipped); the consumer's timers and network answers all pass through the replica's gate.
 */
import type { InventoryServiceSettings } from '../api/services-dto.js';
import { KafkaConsumer, resolveConsumerConfig, stringDeserializer, type ConsumerConfigInput, type ConsumerLogLine, type ConsumerNetwork, type ConsumerRecord } from '../clients/consumer/index.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { PlacedOrder } from './business-figures.js';
import { ConsumerApp, type StopTheWorldSink } from './consumer-app.js';
import { guardedConsumerNetwork } from './guarded-network.js';
import type { InventoryStore } from './inventory-store.js';
import { decodeOrderEvent, type OrderPlaced } from './order-events.js';
import { ReplicaProcess, type ReplicaBaseOptions } from './replica-process.js';

/** What the inventory replica reports about each OrderPlaced it handles (the business figures). */
export interface InventoryOutcomes {
  orderApplied(order: PlacedOrder, decremented: boolean): void;
  duplicateSkipped(orderId: number): void;
}

export interface InventoryReplicaOptions extends ReplicaBaseOptions {
  /** The cluster's consumer port for this replica's client id. */
  readonly network: ConsumerNetwork;
  readonly settings: () => InventoryServiceSettings;
  /** The store this replica writes to now (its own, or the shared one). */
  readonly store: () => InventoryStore;
  readonly outcomes: InventoryOutcomes;
  readonly stopTheWorld?: StopTheWorldSink;
  /** "host:port" of a broker, for the consumer's log lines. */
  readonly brokerAddress: (brokerId: number) => string;
}

/** Spring Kafka's first listener container thread, as %15.15t prints it: "ntainer#0-0-C-1". */
const LISTENER_THREAD = 'org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1';
const POLICY_LOGGER = 'labshop.inventory.infra.PolicyHandler';
/** Spring Kafka's ContainerProperties.pollTimeout default. */
const SPRING_POLL_TIMEOUT_MS = 5000;

export class InventoryReplica extends ReplicaProcess {
  protected readonly applicationName = 'InventoryApplication';
  private app: ConsumerApp<string, string> | null = null;
  private processingMs: number;
  private everAssigned = false;
  /** OrderPlaced events handled (applied or skipped as duplicates), every incarnation. */
  processedTotal = 0;

  constructor(private readonly options: InventoryReplicaOptions) {
    super(options);
    this.processingMs = options.settings().processingMsPerRecord;
  }

  processingMsPerRecord(): number {
    return this.processingMs;
  }

  setProcessingMsPerRecord(ms: number): void {
    if (!(Number.isInteger(ms) && ms >= 0)) throw new KafkaError('INVALID_REQUEST', `A processing time is a whole number of ms >= 0, got ${ms}.`);
    this.processingMs = ms;
    this.app?.setProcessingMsPerRecord(ms);
    this.base.onChange();
  }

  /** The consumer's member id while it is in the group, else null. */
  memberId(): string | null {
    if (!this.isAlive || this.app === null) return null;
    const memberId = this.app.consumer.metrics().memberId;
    return memberId === '' ? null : memberId;
  }

  /** The partitions assigned now (none while not running). */
  assignment(): { topic: string; partition: number }[] {
    if (!this.isAlive || this.app === null) return [];
    return this.app.consumer.assignment().map((tp) => ({ topic: tp.topic, partition: tp.partition }));
  }

  /**
   * The records of the batch this replica polled and has not finished processing (a scaled-down
   * replica finishing its batch included); none once it crashed.
   */
  unprocessedRecords(): readonly { readonly topic: string; readonly partition: number; readonly offset: number }[] {
    return this.app?.unprocessedRecords() ?? [];
  }

  // ---------------------------------------------------------------------------------------------

  protected startClients(): void {
    const settings = this.options.settings();
    this.everAssigned = false;
    const incarnation = this.incarnation;
    const consumer = new KafkaConsumer<string, string>({
      config: consumerConfigFor(settings, this.clientId),
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: guardedConsumerNetwork(this.options.network, this.gate),
      clock: this.base.clock,
      timers: this.gate.timers,
      brokerAddress: this.options.brokerAddress,
      onLog: (line) => {
        if (incarnation === this.incarnation) this.consumerLine(line);
      },
    });
    this.console.info(
      'org.apache.kafka.clients.consumer.ConsumerConfig',
      `ConsumerConfig values: auto.offset.reset = ${settings.autoOffsetReset}, client.id = ${this.clientId}, enable.auto.commit = ${settings.commitMode === 'auto'}, group.id = ${settings.groupId}, heartbeat.interval.ms = ${settings.heartbeatIntervalMs}, max.poll.interval.ms = ${settings.maxPollIntervalMs}, max.poll.records = ${settings.maxPollRecords}, partition.assignment.strategy = [${settings.assignor}], session.timeout.ms = ${settings.sessionTimeoutMs}`,
    );
    this.app = new ConsumerApp<string, string>({
      groupId: settings.groupId,
      topics: [settings.topic],
      consumer,
      clock: this.base.clock,
      timers: this.gate.timers,
      commitMode: settings.commitMode,
      processingMsPerRecord: this.processingMs,
      pollTimeoutMs: SPRING_POLL_TIMEOUT_MS,
      onRecord: (record) => this.handle(record),
      onAssigned: () => {
        this.everAssigned = true;
        this.ready();
      },
      onError: (error) => this.console.error('org.springframework.kafka.listener.KafkaMessageListenerContainer', `Consumer exception: ${(error as Error).message ?? String(error)}`, LISTENER_THREAD),
      ...(this.options.stopTheWorld === undefined ? {} : { stopTheWorld: this.options.stopTheWorld }),
    });
  }

  protected killClients(): void {
    this.app?.crash();
    this.app = null;
  }

  protected closeClients(onClosed: () => void): void {
    const app = this.app;
    if (app === null) return onClosed();
    // Spring's container stop: the listener finishes its batch, then the consumer commits and leaves.
    app.close(() => {
      if (this.app === app) this.app = null;
      onClosed();
    }, { finishBatch: true });
  }

  protected wasEverReady(): boolean {
    return this.everAssigned;
  }

  /** labshop's PolicyHandler.wheneverOrderPlaced_DecreaseStock, for one record. */
  private handle(record: ConsumerRecord<string, string>): void {
    const decoded = decodeOrderEvent(record.value);
    if (decoded.kind === 'ignored') return;
    if (decoded.kind === 'malformed') {
      this.console.error(
        'org.springframework.kafka.listener.DefaultErrorHandler',
        `Backoff none exhausted for ${record.topic}-${record.partition}@${record.offset}: skipping the record (${decoded.reason})`,
        LISTENER_THREAD,
      );
      return;
    }
    this.decreaseStock(decoded.event);
    this.base.onChange();
  }

  private decreaseStock(event: OrderPlaced): void {
    const store = this.options.store();
    this.processedTotal += 1;
    this.console.stdout(`##### listener DecreaseStock : OrderPlaced(id=${event.orderId}, productId=${event.productId}, qty=${event.qty}, timestamp=${event.timestampMs})`);
    const order: PlacedOrder = { orderId: event.orderId, productId: event.productId, qty: event.qty };
    if (this.options.settings().dedupeByOrderId && store.hasApplied(event.orderId)) {
      this.options.outcomes.duplicateSkipped(event.orderId);
      this.console.info(POLICY_LOGGER, `OrderPlaced ${event.orderId} was already applied to ${store.name}: skipped (dedupe by orderId)`, LISTENER_THREAD);
      return;
    }
    const decremented = store.decrement(event.productId, event.qty);
    store.rememberApplied(event.orderId);
    this.options.outcomes.orderApplied(order, decremented);
    if (!decremented) {
      this.console.warn(POLICY_LOGGER, `No inventory with id ${event.productId} in ${store.name}: stock not decreased for OrderPlaced ${event.orderId} (findById found nothing)`, LISTENER_THREAD);
    }
  }

  /** A Kafka client line, printed through the app's logback like every other line. */
  private consumerLine(line: ConsumerLogLine): void {
    if (line.level !== 'DEBUG') this.console.line(line.level, line.logger, line.message, LISTENER_THREAD);
    this.base.onChange();
  }
}

/** The consumer configuration the inventory settings stand for. */
export function consumerConfigFor(settings: InventoryServiceSettings, clientId: string): ConsumerConfigInput {
  return {
    groupId: settings.groupId,
    clientId,
    partitionAssignmentStrategy: [settings.assignor],
    autoOffsetReset: settings.autoOffsetReset,
    enableAutoCommit: settings.commitMode === 'auto',
    sessionTimeoutMs: settings.sessionTimeoutMs,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    maxPollIntervalMs: settings.maxPollIntervalMs,
    maxPollRecords: settings.maxPollRecords,
  };
}

/** Refuses settings Kafka's consumer would refuse (ConfigException), with Kafka's message. */
export function checkInventorySettings(settings: InventoryServiceSettings): void {
  try {
    resolveConsumerConfig(consumerConfigFor(settings, 'inventory-1'));
  } catch (error) {
    throw new KafkaError('INVALID_CONFIG', (error as Error).message);
  }
}
