/**
 * The cluster as the engine last reported it, and the state of the connection to the engine.
 * The status is replaced whole on every event (the engine sends at most 10 per second), so views
 * derive from one consistent snapshot; getters sort and count, components only render.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CommandRequest } from '../../../engine/api/contract';
import type { BrokerStatus, ClusterStatus, TopicStatus } from '../../../engine/api/dto';
import { engineApi } from '../api/api-provider';
import { activeControllerId, quorumSummary, type QuorumSummary } from '../domain/quorum';
import { isPartitionOffline } from '../domain/replica-offsets';
import { isPartitionUnderReplicated } from '../domain/replica-roles';

/**
 * The transport's states and kinds, restated here (they match api/engine.ts and
 * api/websocket-transport.ts structurally) so the store does not pull browser-only modules into
 * unit tests that run in Node.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed';
export type TransportKind = 'electron' | 'websocket';

/** What the header shows: a lost connection after a good one is "reconnecting", not "connecting". */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting';

/** What a learner can do to a broker from its card, as the engine's commands name it. */
export type BrokerAction = 'killBroker' | 'stopBroker' | 'startBroker';

/** A disruptive broker action waiting for the learner's confirmation. */
export interface BrokerActionRequest {
  readonly action: 'killBroker' | 'stopBroker';
  readonly brokerId: number;
}

const byId = (a: BrokerStatus, b: BrokerStatus): number => a.id - b.id;
const byName = (a: TopicStatus, b: TopicStatus): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const useClusterStore = defineStore('cluster', () => {
  const status = shallowRef<ClusterStatus | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const everConnected = ref(false);
  const transport = ref<TransportKind | null>(null);
  let unsubscribe: (() => void) | null = null;

  const phase = computed<ConnectionPhase>(() => {
    if (connection.value === 'open') return 'connected';
    return everConnected.value ? 'reconnecting' : 'connecting';
  });
  const clusterId = computed(() => status.value?.clusterId ?? null);
  /** The active controller, or null while none is elected or the named one is down. */
  const controllerId = computed(() => (status.value === null ? null : activeControllerId(status.value)));
  const brokers = computed(() => [...(status.value?.brokers ?? [])].sort(byId));
  const brokerIds = computed(() => brokers.value.map((b) => b.id));
  const runningBrokerIds = computed(() => brokers.value.filter((b) => b.state === 'running').map((b) => b.id));
  const runningBrokerCount = computed(() => runningBrokerIds.value.length);
  const topics = computed(() => [...(status.value?.topics ?? [])].sort(byName));
  const userTopics = computed(() => topics.value.filter((t) => !t.internal));
  const userPartitionCount = computed(() => userTopics.value.reduce((sum, t) => sum + t.partitions.length, 0));
  const underReplicatedPartitionCount = computed(() =>
    userTopics.value.reduce((sum, t) => sum + t.partitions.filter(isPartitionUnderReplicated).length, 0),
  );
  const offlinePartitionCount = computed(() => userTopics.value.reduce((sum, t) => sum + t.partitions.filter(isPartitionOffline).length, 0));
  const quorum = computed<QuorumSummary | null>(() => (status.value === null ? null : quorumSummary(status.value)));

  function topicByName(name: string | null): TopicStatus | null {
    if (name === null) return null;
    return topics.value.find((t) => t.name === name) ?? null;
  }

  function setConnection(state: ConnectionState): void {
    connection.value = state;
    if (state === 'open') everConnected.value = true;
  }

  function setStatus(next: ClusterStatus): void {
    status.value = next;
  }

  /** Starts following the engine's status stream; the latest status arrives at once. */
  function start(kind: TransportKind): void {
    transport.value = kind;
    unsubscribe?.();
    unsubscribe = engineApi().subscribe('clusterStatus', setStatus);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  /**
   * The engine answers with the new topic before its next status event; folding it in at once
   * means the dialog never closes onto a list that lacks the topic just created.
   */
  async function createTopic(request: CommandRequest<'createTopic'>): Promise<TopicStatus> {
    const topic = await engineApi().command('createTopic', request);
    const current = status.value;
    if (current !== null && !current.topics.some((t) => t.name === topic.name)) {
      status.value = { ...current, topics: [...current.topics, topic] };
    }
    return topic;
  }

  async function deleteTopic(name: string): Promise<void> {
    await engineApi().command('deleteTopic', { name });
    const current = status.value;
    if (current !== null) status.value = { ...current, topics: current.topics.filter((t) => t.name !== name) };
  }

  /**
   * Kills (kill -9), stops (controlled shutdown) or starts a broker. The status stream shows what
   * follows (fencing, elections, ISR changes); a refusal comes back as Kafka's error.
   */
  async function brokerAction(action: BrokerAction, brokerId: number): Promise<void> {
    await engineApi().command(action, { brokerId });
  }

  return {
    status,
    connection,
    everConnected,
    transport,
    phase,
    clusterId,
    controllerId,
    brokers,
    brokerIds,
    runningBrokerIds,
    runningBrokerCount,
    topics,
    userTopics,
    userPartitionCount,
    underReplicatedPartitionCount,
    offlinePartitionCount,
    quorum,
    topicByName,
    setConnection,
    setStatus,
    start,
    stop,
    createTopic,
    deleteTopic,
    brokerAction,
  };
});
