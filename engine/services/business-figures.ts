/**
 * The business figures of the order and inventory services, computed continuously: what a shop
 * owner would ask after a broker failover or a crashed replica — were orders lost, applied twice,
 * and does stock still match the orders?
 *
 * Each order's fate is tracked from the order service's send to the inventory's stock:
 * - placed: the order service accepted it (POST /orders answered);
 * - acknowledged: the send callback succeeded (its partition and offset are remembered);
 *   failed: the callback got an error (the caller was told: refused, not lost); in flight: neither yet;
 * - applied: an inventory replica's listener handled its OrderPlaced (each extra application is a
 *   duplicate; a delivery skipped by dedupe-by-orderId is counted apart);
 * - lost: acknowledged, never applied, and no longer deliverable, because its offset was truncated
 *   (the cluster's data-loss event), deleted by retention (below the log start offset), or the
 *   group's committed offset passed it while no live replica holds it (committed before
 *   processing and then crashed; or the group started after it with auto.offset.reset=latest).
 *   When the committed offset passed it, the record at its offset is read once: a different order
 *   there means the log was truncated and the offset reused (acks=1 and a leader failover);
 * - pending: acknowledged, not applied, not lost.
 *
 * Stock consistency compares, per product, the decrements applied over all stores with the qty of
 * the acknowledged orders (plus in-flight orders already applied: the ack is on its way): equal and
 * no anomaly → consistent; the gap is exactly the pending orders → catching-up; anything else →
 * inconsistent, with the reasons (duplicates, lost orders, orders for a product no store has a row
 * for, orders applied although their send failed, OrderPlaced events the order service never sent).
 *
 * Invariants: at most servicesLimits.ordersTrackedMax orders are tracked one by one (past it the
 * oldest, settled ones first, are folded into totals and the reason says the figures are partly
 * aggregated); at most servicesLimits.productsTrackedMax products are summed apart (the rest in one
 * bucket); every count is >= 0; computing the figures reads the cluster at most once per newly
 * lost order.
 */
import type { BusinessFigures } from '../api/services-dto.js';
import { servicesLimits } from './services-limits.js';

export interface PlacedOrder {
  readonly orderId: number;
  readonly productId: number;
  readonly qty: number;
}

/** What the figures read from the running system when they are computed. */
export interface FiguresView {
  /** The consumer group's id, for the reasons. */
  readonly groupId: string;
  /** Whether a live (running or paused) inventory replica holds the record in a batch it has not finished. */
  held(topic: string, partition: number, offset: number): boolean;
  /** The partition's log start offset now; null when unknown (no live leader, no topic). */
  logStartOffset(topic: string, partition: number): number | null;
  /** The orderId of the OrderPlaced at that offset now; null when the record is gone or is no order; undefined when it cannot be read now. */
  orderIdAt(topic: string, partition: number, offset: number): number | null | undefined;
}

type SendState = 'in-flight' | 'acknowledged' | 'failed';

interface OrderFate extends PlacedOrder {
  send: SendState;
  topic: string | null;
  partition: number;
  offset: number;
  applications: number;
  skipped: number;
  /** Why its offset is gone, from a data-loss event; null while it is not known to be. */
  truncatedWhy: string | null;
  /** What reading its offset found once the committed offset passed it (undefined: not read yet). */
  replacedWhy: string | null | undefined;
}

interface ProductSums {
  acknowledgedQty: number;
  decrementedQty: number;
  missingRowQty: number;
}

interface Totals {
  placed: number;
  acknowledged: number;
  failed: number;
  inFlight: number;
  processed: number;
  duplicates: number;
  skipped: number;
  lost: number;
  /** Folded orders whose fate was still open (pending or in flight): the figures are approximate. */
  unsettled: number;
}

type LostOrder = BusinessFigures['lostOrders'][number];

/** The bucket of products beyond productsTrackedMax. */
const OTHER_PRODUCTS = -1;
/** How many orders a fold makes room for at once: a tenth of the window, so folding is rare. */
const FOLD_HEADROOM = Math.floor(servicesLimits.ordersTrackedMax / 10);

export class BusinessFiguresTracker {
  private readonly orders = new Map<number, OrderFate>();
  private readonly products = new Map<number, ProductSums>();
  /** The group's committed offset per "topic\0partition" (the next offset it will read). */
  private readonly committed = new Map<string, number>();
  private readonly folded: Totals = { placed: 0, acknowledged: 0, failed: 0, inFlight: 0, processed: 0, duplicates: 0, skipped: 0, lost: 0, unsettled: 0 };
  private highestFoldedOrderId = 0;
  /** Applications of folded orders (no duplicate check possible any more). */
  private lateApplications = 0;
  /** Applications of OrderPlaced events the order service never placed (produced by hand). */
  private foreignApplications = 0;
  private appliedAfterFailure = 0;

  orderPlaced(order: PlacedOrder): void {
    this.orders.set(order.orderId, { ...order, send: 'in-flight', topic: null, partition: -1, offset: -1, applications: 0, skipped: 0, truncatedWhy: null, replacedWhy: undefined });
    if (this.orders.size > servicesLimits.ordersTrackedMax) this.fold();
  }

  /** The send callback succeeded: the record is at topic-partition@offset (offset -1 with acks=0). */
  orderAcknowledged(order: PlacedOrder, topic: string, partition: number, offset: number): void {
    this.product(order.productId).acknowledgedQty += order.qty;
    const fate = this.orders.get(order.orderId);
    if (fate === undefined) return this.lateOutcome('acknowledged');
    fate.send = 'acknowledged';
    fate.topic = topic;
    fate.partition = partition;
    fate.offset = offset;
  }

  orderFailed(order: PlacedOrder): void {
    const fate = this.orders.get(order.orderId);
    if (fate === undefined) return this.lateOutcome('failed');
    fate.send = 'failed';
    if (fate.applications > 0) this.appliedAfterFailure += 1;
  }

  /** An inventory listener handled an OrderPlaced; `decremented` is false when its store had no row for the product. */
  orderApplied(order: PlacedOrder, decremented: boolean): void {
    const sums = this.product(order.productId);
    if (decremented) sums.decrementedQty += order.qty;
    else sums.missingRowQty += order.qty;
    const fate = this.orders.get(order.orderId);
    if (fate === undefined) {
      if (order.orderId <= this.highestFoldedOrderId) this.lateApplications += 1;
      else this.foreignApplications += 1;
      return;
    }
    fate.applications += 1;
    if (fate.send === 'failed' && fate.applications === 1) this.appliedAfterFailure += 1;
  }

  /** A redelivery dedupe-by-orderId skipped. */
  duplicateSkipped(orderId: number): void {
    const fate = this.orders.get(orderId);
    if (fate === undefined) this.folded.skipped += 1;
    else fate.skipped += 1;
  }

  /** The group committed `offset` (the next to read) for a partition of the services' topic. */
  offsetsCommitted(topic: string, partition: number, offset: number): void {
    this.committed.set(`${topic}\u0000${partition}`, offset);
  }

  /** The group changed (or was deleted): its old commits say nothing any more. */
  forgetCommittedOffsets(): void {
    this.committed.clear();
  }

  /** The cluster reported acknowledged offsets truncated away (its data-loss event). */
  offsetsTruncated(topic: string, partition: number, firstOffset: number, lastOffset: number, why: string): void {
    for (const fate of this.orders.values()) {
      if (fate.send !== 'acknowledged' || fate.topic !== topic || fate.partition !== partition) continue;
      if (fate.offset >= firstOffset && fate.offset <= lastOffset && fate.truncatedWhy === null) fate.truncatedWhy = why;
    }
  }

  /** The figures now, in the contract's shape. */
  figures(view: FiguresView): BusinessFigures {
    const t: Totals = { ...this.folded };
    const pendingQty = new Map<number, number>();
    const inFlightAppliedQty = new Map<number, number>();
    const lostOrders: LostOrder[] = [];
    let pending = 0;
    let pendingWithoutOffset = 0;
    t.inFlight = Math.max(0, t.inFlight);
    for (const fate of this.orders.values()) {
      t.placed += 1;
      t.skipped += fate.skipped;
      if (fate.send === 'in-flight') t.inFlight += 1;
      else if (fate.send === 'acknowledged') t.acknowledged += 1;
      else t.failed += 1;
      if (fate.applications > 0) {
        t.processed += 1;
        t.duplicates += fate.applications - 1;
        if (fate.send === 'in-flight') add(inFlightAppliedQty, this.productKey(fate.productId), fate.qty);
        continue;
      }
      if (fate.send !== 'acknowledged') continue;
      const why = this.lostWhy(fate, view);
      if (why !== null) {
        t.lost += 1;
        lostOrders.push({ orderId: fate.orderId, partition: Math.max(0, fate.partition), offset: fate.offset, why });
      } else {
        pending += 1;
        add(pendingQty, this.productKey(fate.productId), fate.qty);
        if (fate.offset < 0) pendingWithoutOffset += 1;
      }
    }
    const stock = this.stockStatus(t, pending, pendingQty, inFlightAppliedQty, pendingWithoutOffset);
    return {
      ordersPlaced: t.placed,
      ordersAcknowledged: t.acknowledged,
      ordersFailed: t.failed,
      ordersInFlight: t.inFlight,
      ordersProcessed: t.processed,
      duplicates: t.duplicates,
      duplicatesSkipped: t.skipped,
      lost: t.lost,
      pending,
      stockStatus: stock.status,
      stockReason: stock.reason,
      lostOrders: lostOrders.slice(-servicesLimits.lostOrdersListedMax).reverse(),
    };
  }

  // ---------------------------------------------------------------------------------------------

  private lostWhy(fate: OrderFate, view: FiguresView): string | null {
    if (fate.truncatedWhy !== null) return fate.truncatedWhy;
    if (fate.topic === null || fate.offset < 0) return null;
    const tp = `${fate.topic}-${fate.partition}`;
    const logStart = view.logStartOffset(fate.topic, fate.partition);
    if (logStart !== null && fate.offset < logStart) return `offset ${fate.offset} of ${tp} was deleted by retention (log start offset ${logStart}) before inventory applied it`;
    const committed = this.committed.get(`${fate.topic}\u0000${fate.partition}`);
    if (committed === undefined || committed <= fate.offset || view.held(fate.topic, fate.partition, fate.offset)) return null;
    if (fate.replacedWhy === undefined) {
      const found = view.orderIdAt(fate.topic, fate.partition, fate.offset);
      if (found !== undefined) fate.replacedWhy = replacedWhy(fate, tp, found);
    }
    return fate.replacedWhy ?? `group ${view.groupId} committed offset ${committed} of ${tp}, past offset ${fate.offset}, but no inventory replica applied it`;
  }

  private stockStatus(
    t: Totals,
    pending: number,
    pendingQty: ReadonlyMap<number, number>,
    inFlightAppliedQty: ReadonlyMap<number, number>,
    pendingWithoutOffset: number,
  ): { status: BusinessFigures['stockStatus']; reason: string } {
    const gaps: { productId: number; expectedQty: number; appliedQty: number }[] = [];
    let missingRowQty = 0;
    let unexplained = false;
    for (const [productId, sums] of [...this.products].sort(([a], [b]) => a - b)) {
      const expectedQty = sums.acknowledgedQty + (inFlightAppliedQty.get(productId) ?? 0);
      missingRowQty += sums.missingRowQty;
      if (expectedQty === sums.decrementedQty) continue;
      gaps.push({ productId, expectedQty, appliedQty: sums.decrementedQty });
      if (expectedQty - sums.decrementedQty !== (pendingQty.get(productId) ?? 0)) unexplained = true;
    }
    const anomalies = anomalyTexts(t, missingRowQty, this.appliedAfterFailure, this.foreignApplications, this.lateApplications);
    const note = aggregationNote(t, pendingWithoutOffset);
    if (gaps.length === 0 && anomalies.length === 0) {
      const reason = t.acknowledged === 0 ? 'No order was acknowledged yet: stock is as it was set.' : `Stock matches the ${t.acknowledged} acknowledged order(s): each was applied once.`;
      return { status: 'consistent', reason: reason + note };
    }
    if (anomalies.length === 0 && !unexplained) {
      const qty = [...pendingQty.values()].reduce((sum, q) => sum + q, 0);
      return { status: 'catching-up', reason: `${pending} acknowledged order(s) (qty ${qty}) are not applied yet: stock will match once inventory catches up.${note}` };
    }
    const off = gaps.slice(0, 3).map((g) => `product ${g.productId === OTHER_PRODUCTS ? '(others)' : g.productId}: ${g.appliedQty} decremented for ${g.expectedQty} acknowledged`);
    const head = off.length > 0 ? `Stock is off (${off.join('; ')})` : 'Stock totals match, but only by chance';
    const parts = pending > 0 ? [...anomalies, `${pending} order(s) still pending`] : anomalies;
    return { status: 'inconsistent', reason: `${head}: ${parts.join(', ')}.${note}` };
  }

  private lateOutcome(outcome: 'acknowledged' | 'failed'): void {
    if (this.folded.inFlight > 0) this.folded.inFlight -= 1;
    if (this.folded.unsettled > 0) this.folded.unsettled -= 1;
    if (outcome === 'acknowledged') this.folded.acknowledged += 1;
    else this.folded.failed += 1;
  }

  private product(productId: number): ProductSums {
    const key = this.productKey(productId);
    let sums = this.products.get(key);
    if (sums === undefined) {
      sums = { acknowledgedQty: 0, decrementedQty: 0, missingRowQty: 0 };
      this.products.set(key, sums);
    }
    return sums;
  }

  private productKey(productId: number): number {
    return this.products.has(productId) || this.products.size < servicesLimits.productsTrackedMax ? productId : OTHER_PRODUCTS;
  }

  /** Folds the oldest orders into totals, settled ones first, until FOLD_HEADROOM orders of room are free. */
  private fold(): void {
    const target = servicesLimits.ordersTrackedMax - FOLD_HEADROOM;
    for (const fate of this.orders.values()) {
      if (this.orders.size <= target) return;
      if (fate.applications > 0 || fate.send === 'failed' || fate.truncatedWhy !== null) this.foldOne(fate);
    }
    for (const fate of this.orders.values()) {
      if (this.orders.size <= target) return;
      this.foldOne(fate);
    }
  }

  private foldOne(fate: OrderFate): void {
    const f = this.folded;
    f.placed += 1;
    f.skipped += fate.skipped;
    if (fate.send === 'in-flight') {
      f.inFlight += 1;
      f.unsettled += 1;
    } else if (fate.send === 'acknowledged') {
      f.acknowledged += 1;
    } else {
      f.failed += 1;
    }
    if (fate.applications > 0) {
      f.processed += 1;
      f.duplicates += fate.applications - 1;
    } else if (fate.send === 'acknowledged') {
      if (fate.truncatedWhy !== null) f.lost += 1;
      else f.unsettled += 1;
    }
    this.highestFoldedOrderId = Math.max(this.highestFoldedOrderId, fate.orderId);
    this.orders.delete(fate.orderId);
  }
}

function add(map: Map<number, number>, key: number, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function replacedWhy(fate: OrderFate, tp: string, found: number | null): string | null {
  if (found === fate.orderId) return null;
  if (found === null) return `the record at offset ${fate.offset} of ${tp} is gone: the log was truncated after it was acknowledged`;
  return `offset ${fate.offset} of ${tp} now holds order ${found}: the log was truncated after a leader change and the offset reused`;
}

function anomalyTexts(t: Totals, missingRowQty: number, appliedAfterFailure: number, foreign: number, late: number): string[] {
  const texts: string[] = [];
  if (t.duplicates > 0) texts.push(`${t.duplicates} duplicate application(s) (an order applied more than once)`);
  if (t.lost > 0) texts.push(`${t.lost} acknowledged order(s) lost`);
  if (missingRowQty > 0) texts.push(`qty ${missingRowQty} ordered for products with no stock row in the store that handled them (POST /inventories first)`);
  if (appliedAfterFailure > 0) texts.push(`${appliedAfterFailure} order(s) applied although their send failed`);
  if (foreign > 0) texts.push(`${foreign} OrderPlaced event(s) the order service never sent were applied`);
  if (late > 0) texts.push(`${late} late deliveries of old orders applied without a duplicate check`);
  return texts;
}

function aggregationNote(t: Totals, pendingWithoutOffset: number): string {
  const notes: string[] = [];
  if (t.unsettled > 0) notes.push(` Figures are approximate: ${t.unsettled} older order(s) beyond the newest ${servicesLimits.ordersTrackedMax} were folded into totals before they settled.`);
  if (pendingWithoutOffset > 0) notes.push(` ${pendingWithoutOffset} pending order(s) were sent with acks=0 and have no offset: whether they were written cannot be told.`);
  return notes.join('');
}
