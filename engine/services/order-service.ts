/**
 * One replica of the workshop's order service (a Spring Boot app on 8081): POST /orders saves an
 * order and publishes its `OrderPlaced` event to the topic with a KafkaProducer configured from
 * the order settings — acks, enable.idempotence, linger.ms, delivery.timeout.ms, the partitioner
 * (Kafka's default, or RoundRobinPartitioner) and the record key (none, as the seed's app; the
 * productId; or the orderId).
 *
 * The app answers the HTTP caller once it has handed the event to send() (Spring's KafkaTemplate
 * returns a future; the labshop app does not wait for it), so an order is "placed" before it is
 * acknowledged; the send callback later says acknowledged (partition and offset) or failed (Spring's
 * LoggingProducerListener logs the error), and the business figures follow each order.
 *
 * enable.idempotence=true is Kafka's default, so the setting's `true` is passed as the default: with
 * acks 0 or 1 Kafka 3.x then turns idempotence off and says why (logged at start), instead of
 * refusing to start as an explicit enable.idempotence=true would. `false` is passed explicitly.
 *
 * The CreateTime of each record and the event's timestamp come from the replica's machine clock
 * (a clock skew fault shows there). A settings change replaces the producer at once (the old one
 * closes cleanly and still reports its sends), as a redeploy with the new configuration would.
 *
 * Invariants: every order sent is reported exactly once as acknowledged or failed, unless the
 * replica crashes first (then it is reported failed at the crash: the process died before the
 * broker answered, though the record may have been written); at most
 * servicesLimits.ordersInFlightPerReplicaMax sends are unanswered at once.
 */
import type { OrderServiceSettings } from '../api/services-dto.js';
import { KafkaProducer, resolveProducerConfig, stringSerializer, type ProducerConfigInput, type ProducerNetwork } from '../clients/producer/index.js';
import type { ProducerError } from '../clients/producer/producer-errors.js';
import type { RecordMetadata } from '../clients/producer/producer-record.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { Prng } from '../core/prng.js';
import type { PlacedOrder } from './business-figures.js';
import { guardedProducerNetwork } from './guarded-network.js';
import { encodeOrderPlaced } from './order-events.js';
import { ReplicaProcess, type ReplicaBaseOptions } from './replica-process.js';
import { servicesLimits } from './services-limits.js';

/** What the order replica reports about each order (the business figures). */
export interface OrderOutcomes {
  orderPlaced(order: PlacedOrder): void;
  orderAcknowledged(order: PlacedOrder, topic: string, partition: number, offset: number): void;
  orderFailed(order: PlacedOrder): void;
}

export interface OrderReplicaOptions extends ReplicaBaseOptions {
  /** The cluster's producer port for this replica's client id. */
  readonly network: ProducerNetwork;
  /** Seeds the producer of each incarnation (the sticky partition, retry jitter). */
  readonly prng: Prng;
  readonly settings: () => OrderServiceSettings;
  readonly outcomes: OrderOutcomes;
}

/** An order as POST /orders answers it. */
export interface AcceptedOrder extends PlacedOrder {
  readonly replicaId: string;
}

const ORDER_LOGGER = 'labshop.order.domain.Order';
const PRODUCER_LISTENER_LOGGER = 'org.springframework.kafka.support.LoggingProducerListener';

export class OrderReplica extends ReplicaProcess {
  protected readonly applicationName = 'OrderApplication';
  private producer: KafkaProducer<string, string> | null = null;
  /** Orders accepted by this replica, every incarnation. */
  ordersAccepted = 0;
  /** Records handed to send(), every incarnation (the metrics' sendTotal). */
  sendTotal = 0;
  private readonly inFlight = new Map<number, PlacedOrder>();

  constructor(private readonly options: OrderReplicaOptions) {
    super(options);
  }

  /** The order service's part of POST /orders once the order is saved: publish OrderPlaced. */
  placeOrder(order: PlacedOrder): AcceptedOrder {
    const producer = this.producer;
    if (producer === null || this.state() !== 'running') throw new KafkaError('INVALID_REQUEST', `${this.clientId} is not running (${this.state()}): it accepts no orders.`);
    if (this.inFlight.size >= servicesLimits.ordersInFlightPerReplicaMax) {
      throw new KafkaError('POLICY_VIOLATION', `${this.clientId} already has ${this.inFlight.size} orders waiting for the broker's answer; try again when they are acknowledged.`);
    }
    const settings = this.options.settings();
    const timestampMs = Math.max(0, this.machineClock.nowMs());
    const value = encodeOrderPlaced({ ...order, timestampMs });
    this.ordersAccepted += 1;
    this.sendTotal += 1;
    this.inFlight.set(order.orderId, order);
    this.options.outcomes.orderPlaced(order);
    const incarnation = this.incarnation;
    producer.send({ topic: settings.topic, key: keyOf(settings, order), value, timestampMs }, (metadata, error) => {
      if (incarnation !== this.incarnation || !this.inFlight.delete(order.orderId)) return;
      if (error === null) this.acknowledged(order, metadata);
      else this.failed(order, settings, value, error);
    });
    this.base.onChange();
    return { ...order, replicaId: this.clientId };
  }

  /** The producer's request-latency-avg, null before the first answer. */
  latencyAvgMs(): number | null {
    const latency = this.producer?.metrics()['request-latency-avg'] ?? Number.NaN;
    return Number.isFinite(latency) ? latency : null;
  }

  /** The settings changed: a new producer with them (the old one delivers what it has, then closes). */
  reconfigure(): void {
    if (!this.isAlive || this.producer === null) return;
    const old = this.producer;
    this.producer = this.newProducer();
    void old.close();
  }

  processingMsPerRecord(): number {
    return 0;
  }

  setProcessingMsPerRecord(_ms: number): void {
    throw new KafkaError('INVALID_REQUEST', `${this.clientId} processes no records: slow processing applies to inventory replicas.`);
  }

  // ---------------------------------------------------------------------------------------------

  protected startClients(): void {
    this.producer = this.newProducer();
    this.ready();
  }

  protected killClients(): void {
    const abandoned = [...this.inFlight.values()];
    this.inFlight.clear();
    // Its sends may still reach the broker (they are on the wire); the process will never know.
    for (const order of abandoned) this.options.outcomes.orderFailed(order);
    if (abandoned.length > 0) this.base.log.append(`[workbench] ${abandoned.length} order(s) of ${this.clientId} were never acknowledged: the process died before the broker answered (they may still have been written).`);
    void this.producer?.close(0);
    this.producer = null;
  }

  protected closeClients(onClosed: () => void): void {
    // The producer delivers what it has queued and then closes, reporting each send as usual; the
    // app is done at once (a restart need not wait for a promise the engine resolves later).
    void this.producer?.close();
    this.producer = null;
    onClosed();
  }

  protected wasEverReady(): boolean {
    return true;
  }

  private newProducer(): KafkaProducer<string, string> {
    const settings = this.options.settings();
    const producer = new KafkaProducer<string, string>({
      config: producerConfigFor(settings, this.clientId),
      keySerializer: stringSerializer,
      valueSerializer: stringSerializer,
      network: guardedProducerNetwork(this.options.network, this.gate),
      clock: this.base.clock,
      timers: this.gate.timers,
      prng: this.options.prng,
      onCallbackError: (error) => this.console.error('org.apache.kafka.clients.producer.internals.ProducerBatch', `Error executing user-provided callback on message for topic-partition '${settings.topic}': ${String(error)}`, `kafka-producer-network-thread | ${this.clientId}`),
    });
    const config = producer.config;
    this.console.info(
      'org.apache.kafka.clients.producer.ProducerConfig',
      `ProducerConfig values: acks = ${config.acks}, client.id = ${config.clientId}, delivery.timeout.ms = ${config.deliveryTimeoutMs}, enable.idempotence = ${config.enableIdempotence}, linger.ms = ${config.lingerMs}, partitioner.class = ${settings.partitioner === 'round-robin' ? 'class org.apache.kafka.clients.producer.RoundRobinPartitioner' : 'null'}`,
    );
    if (config.idempotenceDisabledReason !== null) this.console.info('org.apache.kafka.clients.producer.ProducerConfig', config.idempotenceDisabledReason);
    if (config.enableIdempotence) this.console.info('org.apache.kafka.clients.producer.KafkaProducer', `[Producer clientId=${this.clientId}] Instantiated an idempotent producer.`);
    return producer;
  }

  private acknowledged(order: PlacedOrder, metadata: RecordMetadata): void {
    this.options.outcomes.orderAcknowledged(order, metadata.topic, metadata.partition, metadata.offset);
    const where = metadata.offset >= 0 ? `${metadata.topic}-${metadata.partition}@${metadata.offset}` : `${metadata.topic}-${metadata.partition} (acks=0: no offset)`;
    this.console.info(ORDER_LOGGER, `OrderPlaced ${order.orderId} (productId ${order.productId}, qty ${order.qty}) published to ${where}`, 'http-nio-exec-1');
    this.base.onChange();
  }

  private failed(order: PlacedOrder, settings: OrderServiceSettings, value: string, error: ProducerError): void {
    this.options.outcomes.orderFailed(order);
    const key = keyOf(settings, order);
    this.console.error(
      PRODUCER_LISTENER_LOGGER,
      `Exception thrown when sending a message with key='${key ?? 'null'}' and payload='${value}' to topic ${settings.topic}: org.apache.kafka.common.errors.${error.exceptionName}: ${error.message}`,
      `kafka-producer-network-thread | ${this.clientId}`,
    );
    this.base.onChange();
  }
}

/** The producer configuration the order settings stand for (see the header on enable.idempotence). */
export function producerConfigFor(settings: OrderServiceSettings, clientId: string): ProducerConfigInput {
  return {
    clientId,
    acks: settings.acks,
    lingerMs: settings.lingerMs,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    partitioner: settings.partitioner === 'round-robin' ? { kind: 'roundRobin' } : { kind: 'default' },
    ...(settings.enableIdempotence ? {} : { enableIdempotence: false }),
  };
}

/** Refuses settings Kafka's producer would refuse (ConfigException), with Kafka's message. */
export function checkOrderSettings(settings: OrderServiceSettings): void {
  try {
    resolveProducerConfig(producerConfigFor(settings, 'order-1'));
  } catch (error) {
    throw new KafkaError('INVALID_CONFIG', (error as Error).message);
  }
}

/** The record key the settings ask for: the seed's app sends none. */
function keyOf(settings: OrderServiceSettings, order: PlacedOrder): string | null {
  if (settings.key === 'productId') return String(order.productId);
  if (settings.key === 'orderId') return String(order.orderId);
  return null;
}
