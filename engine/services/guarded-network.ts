/**
 * A client process's view of the network through its ProcessGate (engine/core/process-gate.ts):
 * every answer the network hands back waits while the process is paused, as a frozen JVM reads
 * nothing from its sockets. Requests are sent only by the process itself, which sends nothing
 * while paused (its timers are parked too), so only the callbacks need guarding. Metadata is a
 * synchronous lookup the client makes while running; it passes through.
 *
 * Invariant: every callback the client passes to the network runs through `gate.guard`.
 */
import type { ConsumerNetwork } from '../clients/consumer/consumer-network.js';
import type { ProducerNetwork } from '../clients/producer/producer-network.js';
import type { ProcessGate } from '../core/process-gate.js';

export function guardedConsumerNetwork(network: ConsumerNetwork, gate: ProcessGate): ConsumerNetwork {
  return {
    metadata: (topic) => network.metadata(topic),
    topicNames: () => network.topicNames(),
    leaderEpoch: (topic, partition) => network.leaderEpoch(topic, partition),
    fetch: (brokerId, request, onResponse) => network.fetch(brokerId, request, gate.guard(onResponse)),
    listOffsets: (brokerId, partitions, onResponse) => network.listOffsets(brokerId, partitions, gate.guard(onResponse)),
    group: (brokerId, request, onResponse) => network.group(brokerId, request, gate.guard(onResponse)),
  };
}

export function guardedProducerNetwork(network: ProducerNetwork, gate: ProcessGate): ProducerNetwork {
  return {
    metadata: (topic) => network.metadata(topic),
    initProducerId: (callback) => network.initProducerId(gate.guard(callback)),
    send: (brokerId, request, onResponse) => network.send(brokerId, request, gate.guard(onResponse)),
  };
}
