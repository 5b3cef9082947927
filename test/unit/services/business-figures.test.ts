/**
 * The shop owner's questions after a failure — were orders lost, applied twice, does stock match? —
 * answered from each order's fate: placed, acknowledged at partition+offset or failed, applied (how
 * often), and, when never applied, whether it can still arrive.
 */
import { describe, expect, it } from 'vitest';
import { BusinessFiguresTracker, type FiguresView, type PlacedOrder } from '../../../engine/services/business-figures.js';
import { servicesLimits } from '../../../engine/services/services-limits.js';

const TOPIC = 'labshoppubsub';

/** What the running system looks like to the figures: no batch in hand, the log from offset 0, every record readable and intact. */
function view(overrides: Partial<FiguresView> = {}): FiguresView {
  return { groupId: 'inventory', held: () => false, logStartOffset: () => 0, orderIdAt: () => undefined, ...overrides };
}

function order(orderId: number, qty = 1, productId = 1): PlacedOrder {
  return { orderId, productId, qty };
}

/** Places orders 1..n, acknowledged at offsets 0..n-1 of partition 0. */
function acknowledged(tracker: BusinessFiguresTracker, n: number): PlacedOrder[] {
  const orders = Array.from({ length: n }, (_, i) => order(i + 1));
  for (const [i, o] of orders.entries()) {
    tracker.orderPlaced(o);
    tracker.orderAcknowledged(o, TOPIC, 0, i);
  }
  return orders;
}

describe('business figures', () => {
  it('follow an order from placed to acknowledged to applied; stock is consistent when each acknowledged order was applied once', () => {
    const t = new BusinessFiguresTracker();
    t.orderPlaced(order(1, 2));
    expect(t.figures(view())).toMatchObject({ ordersPlaced: 1, ordersInFlight: 1, ordersAcknowledged: 0, pending: 0, stockStatus: 'consistent' });
    t.orderAcknowledged(order(1, 2), TOPIC, 0, 0);
    expect(t.figures(view())).toMatchObject({ ordersInFlight: 0, ordersAcknowledged: 1, pending: 1, stockStatus: 'catching-up' });
    expect(t.figures(view()).stockReason).toBe('1 acknowledged order(s) (qty 2) are not applied yet: stock will match once inventory catches up.');
    t.orderApplied(order(1, 2), true);
    expect(t.figures(view())).toMatchObject({ ordersProcessed: 1, pending: 0, duplicates: 0, lost: 0, stockStatus: 'consistent', stockReason: 'Stock matches the 1 acknowledged order(s): each was applied once.' });
  });

  it('an order applied before its acknowledgement arrives is not an anomaly (the ack is on its way)', () => {
    const t = new BusinessFiguresTracker();
    t.orderPlaced(order(1));
    t.orderApplied(order(1), true);
    expect(t.figures(view())).toMatchObject({ ordersInFlight: 1, ordersProcessed: 1, stockStatus: 'consistent' });
  });

  it('counts each extra application as a duplicate and calls stock inconsistent; a redelivery skipped by dedupe is no duplicate', () => {
    const t = new BusinessFiguresTracker();
    const [first, second] = acknowledged(t, 2);
    t.orderApplied(first!, true);
    t.orderApplied(second!, true);
    t.duplicateSkipped(second!.orderId);
    expect(t.figures(view())).toMatchObject({ duplicates: 0, duplicatesSkipped: 1, stockStatus: 'consistent' });
    t.orderApplied(first!, true);
    const figures = t.figures(view());
    expect(figures).toMatchObject({ ordersProcessed: 2, duplicates: 1, stockStatus: 'inconsistent' });
    expect(figures.stockReason).toBe('Stock is off (product 1: 3 decremented for 2 acknowledged): 1 duplicate application(s) (an order applied more than once).');
  });

  it('a failed send is refused, not lost; if it was written anyway and applied, stock no longer matches the acknowledged orders', () => {
    const t = new BusinessFiguresTracker();
    t.orderPlaced(order(1));
    t.orderFailed(order(1));
    expect(t.figures(view())).toMatchObject({ ordersFailed: 1, lost: 0, pending: 0, stockStatus: 'consistent' });
    t.orderApplied(order(1), true);
    const figures = t.figures(view());
    expect(figures.stockStatus).toBe('inconsistent');
    expect(figures.stockReason).toMatch(/1 order\(s\) applied although their send failed/);
  });

  it('an acknowledged order whose offset was truncated is lost, with the cluster\'s words', () => {
    const t = new BusinessFiguresTracker();
    acknowledged(t, 3);
    t.offsetsTruncated(TOPIC, 0, 1, 2, 'offsets 1–2 of labshoppubsub-0 acknowledged with acks=1 were truncated when broker 1 rejoined');
    const figures = t.figures(view());
    expect(figures).toMatchObject({ lost: 2, pending: 1, stockStatus: 'inconsistent' });
    expect(figures.lostOrders).toEqual([
      { orderId: 3, partition: 0, offset: 2, why: 'offsets 1–2 of labshoppubsub-0 acknowledged with acks=1 were truncated when broker 1 rejoined' },
      { orderId: 2, partition: 0, offset: 1, why: 'offsets 1–2 of labshoppubsub-0 acknowledged with acks=1 were truncated when broker 1 rejoined' },
    ]);
    expect(figures.stockReason).toMatch(/2 acknowledged order\(s\) lost, 1 order\(s\) still pending/);
  });

  it('an acknowledged order below the log start offset was deleted by retention before inventory applied it', () => {
    const t = new BusinessFiguresTracker();
    acknowledged(t, 3);
    const figures = t.figures(view({ logStartOffset: () => 2 }));
    expect(figures).toMatchObject({ lost: 2, pending: 1 });
    expect(figures.lostOrders[0]!.why).toBe('offset 1 of labshoppubsub-0 was deleted by retention (log start offset 2) before inventory applied it');
  });

  it('the group committing past an unapplied order loses it, unless a live replica still holds it in its batch', () => {
    const t = new BusinessFiguresTracker();
    const orders = acknowledged(t, 4);
    t.orderApplied(orders[0]!, true);
    t.offsetsCommitted(TOPIC, 0, 4);
    // Committed before processing: orders 2..4 are in the replica's batch, still to be applied.
    expect(t.figures(view({ held: (_topic, _p, offset) => offset >= 1 }))).toMatchObject({ lost: 0, pending: 3, stockStatus: 'catching-up' });
    // The replica died with them: nobody will read offsets 1..3 again.
    const figures = t.figures(view());
    expect(figures).toMatchObject({ lost: 3, pending: 0, stockStatus: 'inconsistent' });
    expect(figures.lostOrders[0]!.why).toBe('group inventory committed offset 4 of labshoppubsub-0, past offset 3, but no inventory replica applied it');
  });

  it('reading the offset once tells an overwritten order (a truncation after a leader change) from one skipped by a commit', () => {
    const t = new BusinessFiguresTracker();
    acknowledged(t, 2);
    t.offsetsCommitted(TOPIC, 0, 2);
    const reads: number[] = [];
    const figures = t.figures(view({ orderIdAt: (_topic, _p, offset) => (reads.push(offset), offset === 0 ? 1 : 9) }));
    expect(figures.lostOrders.map((o) => o.why)).toEqual([
      'offset 1 of labshoppubsub-0 now holds order 9: the log was truncated after a leader change and the offset reused',
      'group inventory committed offset 2 of labshoppubsub-0, past offset 0, but no inventory replica applied it',
    ]);
    t.figures(view({ orderIdAt: (_topic, _p, offset) => (reads.push(offset), 0) }));
    expect(reads, 'each lost order is read once').toEqual([0, 1]);
  });

  it('an order for a product the store has no row for changes no stock: inconsistent, and says to POST /inventories first', () => {
    const t = new BusinessFiguresTracker();
    const [o] = acknowledged(t, 1);
    t.orderApplied(o!, false);
    const figures = t.figures(view());
    expect(figures).toMatchObject({ ordersProcessed: 1, stockStatus: 'inconsistent' });
    expect(figures.stockReason).toMatch(/qty 1 ordered for products with no stock row in the store that handled them \(POST \/inventories first\)/);
  });

  it('an OrderPlaced the order service never sent (produced by hand) is applied and named', () => {
    const t = new BusinessFiguresTracker();
    t.orderApplied(order(500), true);
    expect(t.figures(view()).stockReason).toMatch(/1 OrderPlaced event\(s\) the order service never sent were applied/);
  });

  it('an order sent with acks=0 has no offset: it stays pending and the reason says why it cannot be told', () => {
    const t = new BusinessFiguresTracker();
    t.orderPlaced(order(1));
    t.orderAcknowledged(order(1), TOPIC, 0, -1);
    t.offsetsCommitted(TOPIC, 0, 10);
    const figures = t.figures(view());
    expect(figures).toMatchObject({ pending: 1, lost: 0 });
    expect(figures.stockReason).toMatch(/sent with acks=0 and have no offset/);
  });

  it('lists at most a page of lost orders, the newest first', () => {
    const t = new BusinessFiguresTracker();
    acknowledged(t, 30);
    t.offsetsTruncated(TOPIC, 0, 0, 29, 'truncated');
    const figures = t.figures(view());
    expect(figures.lost).toBe(30);
    expect(figures.lostOrders).toHaveLength(servicesLimits.lostOrdersListedMax);
    expect(figures.lostOrders[0]!.orderId).toBe(30);
  });

  it(`tracks at most ${servicesLimits.ordersTrackedMax} orders one by one and folds the oldest settled ones into the totals`, () => {
    const t = new BusinessFiguresTracker();
    const total = servicesLimits.ordersTrackedMax + 2000;
    for (let id = 1; id <= total; id++) {
      t.orderPlaced(order(id));
      t.orderAcknowledged(order(id), TOPIC, 0, id - 1);
      t.orderApplied(order(id), true);
    }
    expect(t.figures(view())).toMatchObject({ ordersPlaced: total, ordersAcknowledged: total, ordersProcessed: total, duplicates: 0, pending: 0, stockStatus: 'consistent' });
    // A late redelivery of a folded order can no longer be checked one by one, but the sums still see it.
    t.orderApplied(order(1), true);
    const figures = t.figures(view());
    expect(figures.stockStatus).toBe('inconsistent');
    expect(figures.stockReason).toMatch(/1 late deliveries of old orders applied without a duplicate check/);
  });
});
