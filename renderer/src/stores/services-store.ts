/**
 * The order and inventory services as the engine last reported them (the `services` stream, at
 * most 10 a second), and the Services view's commands: scale, configure, act on a replica, slow it
 * down, place orders, set stock, real ports. Every command that answers with a snapshot folds it in
 * at once, so a button's effect shows before the next push. The snapshot is replaced whole, so the
 * view derives from one consistent picture; getters order and count, components only render.
 *
 * Several views follow the stream (Services, and Faults for its client pickers): start() and
 * stop() count them, and the subscription lives while one of them is shown.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { CommandRequest } from '../../../engine/api/contract';
import type { ServiceReplica, ServicesSnapshot } from '../../../engine/api/services-dto';
import { engineApi } from '../api/api-provider';
import { isIdle, replicasOf, sortReplicas, type ReplicaAction, type ServiceName } from '../domain/services';

export const useServicesStore = defineStore('services', () => {
  const snapshot = shallowRef<ServicesSnapshot | null>(null);
  let users = 0;
  let unsubscribe: (() => void) | null = null;

  const replicas = computed<ServiceReplica[]>(() => sortReplicas(snapshot.value?.replicas ?? []));
  const orderReplicas = computed(() => replicasOf(replicas.value, 'order'));
  const inventoryReplicas = computed(() => replicasOf(replicas.value, 'inventory'));
  const figures = computed(() => snapshot.value?.figures ?? null);
  const settings = computed(() => snapshot.value?.settings ?? null);
  const ports = computed(() => snapshot.value?.ports ?? null);
  const nowMs = computed(() => snapshot.value?.nowMs ?? null);
  const topic = computed(() => snapshot.value?.settings.order.topic ?? null);
  const perReplicaStore = computed(() => snapshot.value?.settings.inventory.store !== 'shared');
  const idleReplicaIds = computed(() => inventoryReplicas.value.filter(isIdle).map((r) => r.replicaId));
  /** The client ids a client fault can target: every replica (its client.id is its replica id). */
  const clientIds = computed(() => replicas.value.map((r) => r.clientId));

  function replicaCount(service: ServiceName): number {
    return service === 'order' ? orderReplicas.value.length : inventoryReplicas.value.length;
  }

  function replica(replicaId: string): ServiceReplica | null {
    return replicas.value.find((r) => r.replicaId === replicaId) ?? null;
  }

  /** A pushed snapshot: always the engine's latest (also after the engine started over). */
  function setSnapshot(next: ServicesSnapshot): void {
    snapshot.value = next;
  }

  /** A command's answer, unless a push taken after it is already here. */
  function fold(answer: ServicesSnapshot): void {
    const current = snapshot.value;
    if (current !== null && answer.nowMs < current.nowMs) return;
    snapshot.value = answer;
  }

  /** Starts following the engine's services stream (counted: the last stop() ends it). */
  function start(): void {
    users++;
    if (unsubscribe === null) unsubscribe = engineApi().subscribe('services', setSnapshot);
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users > 0) return;
    unsubscribe?.();
    unsubscribe = null;
  }

  async function scale(service: ServiceName, count: number): Promise<void> {
    fold(await engineApi().command('scaleService', { service, replicas: count }));
  }

  async function configure(request: CommandRequest<'configureServices'>): Promise<void> {
    fold(await engineApi().command('configureServices', request));
  }

  async function replicaAction(replicaId: string, action: ReplicaAction): Promise<void> {
    fold(await engineApi().command('replicaAction', { replicaId, action }));
  }

  async function setProcessing(replicaId: string, processingMsPerRecord: number): Promise<void> {
    fold(await engineApi().command('setReplicaProcessing', { replicaId, processingMsPerRecord }));
  }

  /** POST /orders, count times; the answer is the ids of the orders accepted. */
  async function placeOrders(request: CommandRequest<'placeOrders'>): Promise<number[]> {
    const answer = await engineApi().command('placeOrders', request);
    return answer.orderIds;
  }

  async function setStock(request: CommandRequest<'setStock'>): Promise<void> {
    fold(await engineApi().command('setStock', request));
  }

  async function setPorts(request: CommandRequest<'setServicePorts'>): Promise<void> {
    fold(await engineApi().command('setServicePorts', request));
  }

  return {
    snapshot,
    replicas,
    orderReplicas,
    inventoryReplicas,
    figures,
    settings,
    ports,
    nowMs,
    topic,
    perReplicaStore,
    idleReplicaIds,
    clientIds,
    replicaCount,
    replica,
    setSnapshot,
    start,
    stop,
    scale,
    configure,
    replicaAction,
    setProcessing,
    placeOrders,
    setStock,
    setPorts,
  };
});
