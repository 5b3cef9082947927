/** SubscriptionState: subscription modes, whole-name patterns, positions kept across assignments, resets. */
import { describe, expect, it } from 'vitest';
import { SubscriptionState } from '../../../../engine/clients/consumer/subscription-state.js';

const t0 = { topic: 'orders', partition: 0 };
const t1 = { topic: 'orders', partition: 1 };
const position = (offset: number) => ({ offset, offsetEpoch: null, leader: 0, leaderEpoch: 0 });

describe('SubscriptionState', () => {
  it('keeps topics, pattern and manual assignment mutually exclusive until unsubscribe', () => {
    const s = new SubscriptionState('latest');
    expect(s.subscribe(['orders', 'payments'], null)).toBe(true);
    expect(s.subscribe(['payments', 'orders'], null)).toBe(false);
    expect(() => s.assignFromUser([t0])).toThrow('Subscription to topics, partitions and pattern are mutually exclusive');
    expect(() => s.subscribePattern(/o.*/, null)).toThrow('Subscription to topics, partitions and pattern are mutually exclusive');
    s.unsubscribe();
    expect(s.assignFromUser([t0])).toBe(true);
    expect(s.subscriptionType).toBe('USER_ASSIGNED');
  });

  it('matches a pattern against whole topic names, as Java\'s Pattern.matches does', () => {
    const s = new SubscriptionState('latest');
    s.subscribePattern(/orders/g, null);
    expect(s.matchesPattern('orders')).toBe(true);
    expect(s.matchesPattern('orders')).toBe(true); // no lastIndex state from the g flag
    expect(s.matchesPattern('orders-kr')).toBe(false);
    expect(s.subscribeFromPattern(['orders'])).toBe(true);
    expect(s.checkAssignmentMatchedSubscription([t0])).toBe(true);
    expect(s.checkAssignmentMatchedSubscription([{ topic: 'orders-kr', partition: 0 }])).toBe(false);
  });

  it('keeps the position of partitions that stay assigned (a cooperative rebalance) and starts new ones INITIALIZING', () => {
    const s = new SubscriptionState('earliest');
    s.subscribe(['orders'], null);
    s.assignFromSubscribed([t0]);
    s.seekUnvalidated(t0, position(42));
    s.assignFromSubscribed([t1, t0]);
    expect(s.position(t0)?.offset).toBe(42);
    expect(s.view(t1)?.fetchState).toBe('INITIALIZING');
    expect(s.allConsumed()).toEqual([{ ...t0, offset: 42, leaderEpoch: null, metadata: '' }]);
    s.resetInitializingPositions();
    expect(s.partitionsNeedingReset(0)).toEqual([{ tp: t1, strategy: 'earliest' }]);
    s.setNextAllowedRetry([t1], 100);
    expect(s.partitionsNeedingReset(50)).toEqual([]);
    expect(s.maybeSeekUnvalidated(t1, position(7), 'latest')).toBe(false); // a different reset was asked
    expect(s.maybeSeekUnvalidated(t1, position(7), 'earliest')).toBe(true);
    expect(s.hasAllFetchPositions()).toBe(true);
  });

  it('paused and pending-revocation partitions are not fetchable; lag needs a high watermark', () => {
    const s = new SubscriptionState('latest');
    s.assignFromUser([t0, t1]);
    s.seekUnvalidated(t0, position(5));
    s.seekUnvalidated(t1, position(5));
    s.pause(t0);
    expect(s.fetchablePartitions()).toEqual([t1]);
    s.markPendingRevocation([t1]);
    expect(s.fetchablePartitions()).toEqual([]);
    expect(s.partitionLag(t1)).toBeNull();
    s.updateHighWatermark(t1, 12, 0);
    expect(s.partitionLag(t1)).toBe(7);
    expect(() => s.pause({ topic: 'orders', partition: 9 })).toThrow('No current assignment for partition orders-9');
  });
});
