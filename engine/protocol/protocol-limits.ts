/** Bounds of the Kafka wire-protocol listeners, each with why. */
export const protocolLimits = {
  /** Kafka's socket.request.max.bytes default (100 MiB): a larger frame closes the connection. */
  socketRequestMaxBytes: 104_857_600,
  /**
   * Requests waiting for their answer on one connection before it stops reading: Java clients and
   * librdkafka keep at most 5 in flight per connection by default (max.in.flight.requests.per.connection);
   * 100 leaves room and bounds what one socket holds.
   */
  inFlightPerConnectionMax: 100,
  /** Connections one listener accepts at once (Kafka's max.connections defaults to unlimited; a workshop has dozens). */
  connectionsPerListenerMax: 1_000,
  /** Connected clients remembered per broker for the UI (client id, address, APIs used). */
  clientsListedMax: 200,
} as const;
