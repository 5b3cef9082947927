/**
 * Bounds of the simulated order and inventory services, each with why. Everything the services
 * hold (replicas, logs, stores, per-order tracking, HTTP bodies) is bounded here, so a learner
 * who leaves the workbench placing orders for hours keeps the same memory as one who places four.
 */
export const servicesLimits = {
  /**
   * Replicas per service: the seeds run 2-3 inventory replicas; 16 leaves room for "more replicas
   * than partitions" experiments on a 12-partition topic while the replica cards and the services
   * event (a few hundred bytes per replica) stay small.
   */
  replicasPerServiceMax: 16,
  /**
   * Log lines kept per replica (a ring; line numbers keep counting): a console's last screenfuls.
   * With at most logLineCharsMax characters each, one replica's log stays under 200 KB.
   */
  logLinesPerReplicaMax: 500,
  /** The longest log line kept: an OrderPlaced JSON and Kafka's longest client lines fit. */
  logLineCharsMax: 400,
  /**
   * Scaled-down inventory replicas still finishing their batch and leaving the group: each is
   * done within its close timeout (30 s); past this many, the oldest is killed (a hung shutdown
   * gets SIGKILL), so scaling up and down in a loop cannot pile up consumers.
   */
  retiringReplicasMax: 32,
  /** Log lines one serviceLog answer carries: the whole ring, never more. */
  logLinesPerAnswerMax: 500,
  /**
   * Orders whose fate (acknowledged at partition+offset, applied how often, lost) is tracked one
   * by one: a long lab places a few thousand; past this the oldest settled orders are folded into
   * totals, and the stock reason says so.
   */
  ordersTrackedMax: 10_000,
  /** Lost orders listed in the figures (the newest): a page for the UI, not a report. */
  lostOrdersListedMax: 20,
  /**
   * Products one inventory store holds (POST /inventories beyond it is refused): the seeds use
   * product 1; 1,000 covers any lab while the replica card's stock list stays readable.
   */
  productsPerStoreMax: 1000,
  /**
   * Distinct products the figures sum per product (expected vs applied decrements): the same
   * bound as a store, since orders for a product no store holds change nothing.
   */
  productsTrackedMax: 1000,
  /**
   * orderIds a store remembers for dedupe-by-orderId (an idempotent consumer's processed-ids table,
   * oldest forgotten first): redeliveries come within a batch or a rebalance, far inside this window.
   */
  dedupeOrderIdsPerStoreMax: 50_000,
  /** Orders placeOrders schedules and that have not been placed yet (intervalMs > 0): one request's worth, 10,000, twice. */
  scheduledOrdersMax: 20_000,
  /**
   * Sends one order replica leaves unanswered at once: buffer.memory (32 MiB) holds ~300,000
   * OrderPlaced records, but past 100,000 unanswered orders a lab has become a load test.
   */
  ordersInFlightPerReplicaMax: 100_000,
  /** The largest HTTP request body a replica reads: `{"productId":1,"qty":1}` is 25 bytes; 16 KiB is generous. */
  httpBodyBytesMax: 16 * 1024,
  /** HTTP requests one replica port handles at once: a terminal sends one; a load test a few hundred. */
  httpConnectionsPerPortMax: 256,
} as const;
