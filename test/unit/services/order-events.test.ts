/**
 * The OrderPlaced event as the labshop order service's Jackson writes it, and how the inventory's
 * listener reads a record value: an event comes back whole, another event type is ignored, and a
 * value it cannot bind is malformed with a reason the console can print.
 */
import { describe, expect, it } from 'vitest';
import { decodeOrderEvent, encodeOrderPlaced } from '../../../engine/services/order-events.js';

describe('OrderPlaced', () => {
  it('is written as the Spring app writes it and read back whole', () => {
    const event = { orderId: 7, productId: 1, qty: 2, timestampMs: 1_700_000_000_123 };
    const json = encodeOrderPlaced(event);
    expect(json).toBe('{"eventType":"OrderPlaced","id":7,"productId":1,"qty":2,"timestamp":1700000000123}');
    expect(decodeOrderEvent(json)).toEqual({ kind: 'order-placed', event });
  });

  it('ignores other event types, as labshop\'s PolicyHandler filters on the type', () => {
    expect(decodeOrderEvent('{"eventType":"OrderCancelled","id":7}')).toEqual({ kind: 'ignored', eventType: 'OrderCancelled' });
  });

  it.each([
    [null, /no value/],
    ['not json', /not JSON/],
    ['{"id":1}', /no eventType/],
    ['{"eventType":"OrderPlaced","id":1,"productId":1,"timestamp":5}', /OrderPlaced\.qty/],
    ['{"eventType":"OrderPlaced","id":"1","productId":1,"qty":1,"timestamp":5}', /OrderPlaced\.id/],
    ['{"eventType":"OrderPlaced","id":1,"productId":1,"qty":1.5,"timestamp":5}', /OrderPlaced\.qty/],
    ['[1,2]', /no eventType/],
  ])('calls %j malformed, saying why', (value, reason) => {
    const decoded = decodeOrderEvent(value);
    expect(decoded.kind).toBe('malformed');
    expect(decoded.kind === 'malformed' && decoded.reason).toMatch(reason);
  });
});
