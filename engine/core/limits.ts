/**
 * Every bound in the engine, in one place, each with why it has the value it has. A queue, a loop
 * or an input that is not bounded by something here is a bug.
 */
export const limits = {
  /** Kafka's own limit on topic name length (Topic.MAX_NAME_LENGTH). */
  topicNameMaxLength: 249,
  /** Brokers in one embedded cluster: enough for every reassignment lab (the seeds use 5) with room. */
  brokersMax: 16,
  /**
   * Partitions per topic. Kafka allows far more, but every partition here is a live object in the
   * worker and a row in the UI grid; 1,000 keeps the grid and the status event under a few hundred KiB.
   */
  partitionsPerTopicMax: 1000,
  /** Topics in one cluster, for the same reason as partitions. */
  topicsMax: 1000,
  /** Kafka's default message.max.bytes (1048588), the largest record batch a broker accepts. */
  maxMessageBytes: 1_048_588,
  /** Records one read query may return: a UI page, not a bulk export. */
  readRecordsMax: 1000,
  /** Headers on one produced record: the UI offers a handful; Kafka has no limit of its own. */
  headersPerRecordMax: 64,
  /** Requests waiting for the engine worker; past this the host answers REQUEST_TIMED_OUT-style backpressure. */
  pendingRequestsMax: 4096,
  /** How long a host waits for the engine worker to answer before failing the request. */
  requestTimeoutMs: 30_000,
  /** A WebSocket message larger than this is refused before parsing (records are at most maxMessageBytes). */
  wsMaxPayloadBytes: 2 * 1_048_588,
  /** The cluster status event is pushed at most this often: 10 per second is smooth for the eye and bounds the stream. */
  statusEventMinIntervalMs: 100,
  /** Event subscribers per host connection; the UI needs one per stream. */
  subscriptionsPerConnectionMax: 64,
  /**
   * Timers waiting in the scheduler at once. A 16-broker cluster with 1,000 partitions and a few
   * hundred clients needs a few thousand; 1,000,000 means something schedules without bound.
   */
  scheduledTimersMax: 1_000_000,
  /** Timer events one scheduler run may fire: a skip of hours at full load stays far below this. */
  eventsPerRunMax: 50_000_000,
  /** Live speeds the clock bar offers, as Kafka time runs for the learner: 0.25x to 10x. */
  liveSpeedMin: 0.25,
  liveSpeedMax: 10,
  /**
   * How often the live driver wakes up when no timer is due sooner, in real ms: often enough that
   * the UI's virtual clock moves smoothly, rarely enough to cost nothing when idle.
   */
  liveTickMaxMs: 50,
  /** The longest single skip ahead: a day of virtual time, enough for retention.ms labs. */
  skipAheadMaxMs: 24 * 60 * 60 * 1000,
  /**
   * Messages in flight on the simulated network at once. Fetch long-polls, heartbeats and client
   * requests of a 16-broker cluster stay in the thousands; a million means a send loop without bound.
   */
  networkInFlightMax: 1_000_000,
  /** The largest latency a link can be given: a minute is far beyond any lab's need and every timeout. */
  linkLatencyMaxMs: 60_000,
  /** In-app produce requests waiting for their answer: the UI sends a handful; a script a few thousand. */
  pendingProducesMax: 10_000,
  /**
   * Consumer fetches one broker holds in long poll at once: one per consumer and broker, so the
   * clientsMax consumers of a cluster fit; past it a fetch is answered at once, empty.
   */
  consumerFetchesHeldMax: 1000,
  /** In-process clients (producers, consumers, service replicas) on the simulated network at once. */
  clientsMax: 1000,
  /**
   * Users with SCRAM credentials in one cluster (kafka-configs --entity-type users). Kafka has no
   * limit of its own; a workshop creates a handful per learner, and every credential is a row of the
   * durable metadata snapshot rewritten on each change (two mechanisms a user, ~300 bytes each), so
   * 1,000 users keep that file well under a megabyte.
   */
  scramUsersMax: 1000,
  /**
   * Bytes of one exported report crossing the contract (base64 adds a third): a report with an
   * hour of every series is a few MB as JSON; a PDF of charts and a timeline, well under 10 MB.
   */
  reportExportBytesMax: 32 * 1024 * 1024,
} as const;
