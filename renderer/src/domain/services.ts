/**
 * The order and inventory services as the Services view shows them: replicas in the order a
 * learner counts them (order-1, inventory-1, inventory-2, …, inventory-10), what each replica's
 * state allows, its partitions as Spring Kafka logs them ("partitions assigned: [labshoppubsub-0]"),
 * its stock, and the seed's `http` commands with the replica's port. Pure functions only: the
 * store calls them from its getters, the tests call them directly.
 */
import type { ServicePorts, ServiceReplica } from '../../../engine/api/services-dto';
import { formatPartitionList, naturalCompare } from './groups';

export type ReplicaState = ServiceReplica['state'];
export type ServiceName = ServiceReplica['service'];
export type StockEntry = ServiceReplica['stock'][number];
export type ReplicaAction = 'crash' | 'stop' | 'restart' | 'pause' | 'resume';

export const SERVICES: readonly ServiceName[] = ['order', 'inventory'];
export const REPLICA_STATES: readonly ReplicaState[] = ['starting', 'running', 'paused', 'crashed', 'stopped'];

/** What scaleService accepts (ScaleServiceRequest). */
export const SCALE_MAX = 64;

/** The seed's ports: order on 8081, inventories from 8082 (SetServicePortsRequest's defaults). */
export const DEFAULT_ORDER_PORT = 8081;
export const DEFAULT_INVENTORY_BASE_PORT = 8082;

/** The number in a replica id: inventory-2 → 2; 0 for anything else. */
export function replicaNumber(replicaId: string): number {
  const match = /-(\d+)$/.exec(replicaId);
  return match === null ? 0 : Number(match[1]);
}

/** The order service first, then the inventory replicas, each by number. */
export function sortReplicas(replicas: readonly ServiceReplica[]): ServiceReplica[] {
  const rank = (r: ServiceReplica): number => SERVICES.indexOf(r.service);
  return [...replicas].sort((a, b) => rank(a) - rank(b) || replicaNumber(a.replicaId) - replicaNumber(b.replicaId) || naturalCompare(a.replicaId, b.replicaId));
}

export type ReplicaTone = 'success' | 'warning' | 'danger' | 'neutral' | 'accent';

/** running green, paused amber, crashed red, starting blue, stopped grey; the badge also says it in words. */
export function replicaTone(state: ReplicaState): ReplicaTone {
  switch (state) {
    case 'running':
      return 'success';
    case 'paused':
      return 'warning';
    case 'crashed':
      return 'danger';
    case 'starting':
      return 'accent';
    case 'stopped':
      return 'neutral';
  }
}

/**
 * What a learner can do to a replica in its state: a live one can be paused (GC-like), stopped
 * cleanly or crashed; a paused one resumed (or stopped, crashed); a dead one only restarted.
 */
export function replicaActions(state: ReplicaState): ReplicaAction[] {
  switch (state) {
    case 'running':
    case 'starting':
      return ['pause', 'stop', 'crash'];
    case 'paused':
      return ['resume', 'stop', 'crash'];
    case 'crashed':
    case 'stopped':
      return ['restart'];
  }
}

/** A live process: its consumer polls, or will once resumed. */
export function isReplicaAlive(state: ReplicaState): boolean {
  return state === 'running' || state === 'starting' || state === 'paused';
}

/**
 * An inventory replica that is in the group but owns no partition: the seed's "partitions
 * assigned: []" replica, which polls and gets nothing because the topic has fewer partitions
 * than the group has members.
 */
export function isIdle(replica: ServiceReplica): boolean {
  return replica.service === 'inventory' && replica.state === 'running' && replica.assignment.length === 0;
}

/** As Spring Kafka's listener container logs it: "partitions assigned: [labshoppubsub-0]". */
export function assignedPartitionsText(replica: ServiceReplica): string {
  return `partitions assigned: ${formatPartitionList(replica.assignment)}`;
}

export function replicasOf(replicas: readonly ServiceReplica[], service: ServiceName): ServiceReplica[] {
  return sortReplicas(replicas.filter((r) => r.service === service));
}

/** The replica's stock by product id. */
export function stockRows(replica: ServiceReplica): StockEntry[] {
  return [...replica.stock].sort((a, b) => a.productId - b.productId);
}

/** Stock of one product across the replicas that have it, for "it decreased on one replica only". */
export function stockOf(replica: ServiceReplica, productId: number): number | null {
  return replica.stock.find((s) => s.productId === productId)?.stock ?? null;
}

/**
 * The port a replica listens on with real ports on (the engine's answer), or the port it would get:
 * the order service on orderPort, inventory-N on inventoryBasePort + N − 1 (8082, 8083, …).
 */
export function replicaPort(replica: ServiceReplica, ports: ServicePorts): number {
  if (replica.port !== null) return replica.port;
  const n = Math.max(1, replicaNumber(replica.replicaId));
  return replica.service === 'order' ? ports.orderPort + n - 1 : ports.inventoryBasePort + n - 1;
}

/** The seed's command: `http :8081/orders productId=1 qty=1`. */
export function placeOrderCommand(port: number, productId: number | string, qty: number | string): string {
  return `http :${port}/orders productId=${productId} qty=${qty}`;
}

/** The seed's command: `http :8082/inventories id=1 stock=10`. */
export function setStockCommand(port: number, productId: number | string, stock: number | string): string {
  return `http :${port}/inventories id=${productId} stock=${stock}`;
}

/** The seed's command: `http :8082/inventories/1`. */
export function readStockCommand(port: number, productId: number | string): string {
  return `http :${port}/inventories/${productId}`;
}

export type StockStatus = 'consistent' | 'catching-up' | 'inconsistent';

export function stockStatusTone(status: StockStatus): ReplicaTone {
  switch (status) {
    case 'consistent':
      return 'success';
    case 'catching-up':
      return 'warning';
    case 'inconsistent':
      return 'danger';
  }
}

/** A count with the locale's grouping. */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}
