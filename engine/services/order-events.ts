/**
 * The `OrderPlaced` event the order service publishes to `labshoppubsub`, as the workshop's Spring
 * Boot app writes it: Jackson's JSON of the labshop `OrderPlaced` class (an AbstractEvent with its
 * eventType and a millisecond timestamp), e.g.
 *
 *   {"eventType":"OrderPlaced","id":1,"productId":1,"qty":1,"timestamp":1700000000000}
 *
 * `id` is the order id. The timestamp is the order replica's clock, so a clock skew shows in the
 * event as in the record's CreateTime.
 *
 * Decoding validates the value the way the inventory app's listener would bind it: a value that is
 * not JSON or misses a field is `malformed` (the inventory logs it and skips the record, as a
 * Spring listener with an error handler does); a well-formed event of another type is `ignored`
 * (labshop's PolicyHandler filters on the event type).
 *
 * Invariants: encode is pure and decode(encode(e)) gives e back; decode never throws.
 */
import { z } from 'zod';

export const ORDER_PLACED = 'OrderPlaced';

export interface OrderPlaced {
  readonly orderId: number;
  readonly productId: number;
  readonly qty: number;
  /** The order replica's clock when the order was placed (epoch ms). */
  readonly timestampMs: number;
}

export type DecodedOrderEvent =
  | { readonly kind: 'order-placed'; readonly event: OrderPlaced }
  | { readonly kind: 'ignored'; readonly eventType: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** A Java long or int: the app's Jackson binds only integral numbers to these fields. */
const JavaLong = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const JavaInt = z.number().int().min(-2_147_483_648).max(2_147_483_647);

const EventTypeSchema = z.object({ eventType: z.string() });

const OrderPlacedSchema = z.object({
  eventType: z.literal(ORDER_PLACED),
  id: JavaLong,
  productId: JavaLong,
  qty: JavaInt,
  timestamp: JavaLong,
});

/** The event's JSON text, fields in the order the brief's Jackson output shows. */
export function encodeOrderPlaced(event: OrderPlaced): string {
  return JSON.stringify({ eventType: ORDER_PLACED, id: event.orderId, productId: event.productId, qty: event.qty, timestamp: event.timestampMs });
}

/** Reads a record value; never throws. */
export function decodeOrderEvent(value: string | null): DecodedOrderEvent {
  if (value === null) return { kind: 'malformed', reason: 'the record has no value (null)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return { kind: 'malformed', reason: `the value is not JSON (${(error as Error).message})` };
  }
  const typed = EventTypeSchema.safeParse(parsed);
  if (!typed.success) return { kind: 'malformed', reason: 'the value has no eventType' };
  if (typed.data.eventType !== ORDER_PLACED) return { kind: 'ignored', eventType: typed.data.eventType };
  const order = OrderPlacedSchema.safeParse(parsed);
  if (!order.success) return { kind: 'malformed', reason: describeIssue(order.error.issues[0]) };
  const { id, productId, qty, timestamp } = order.data;
  return { kind: 'order-placed', event: { orderId: id, productId, qty, timestampMs: timestamp } };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'the OrderPlaced event does not match its class';
  const field = issue.path.join('.') || 'value';
  return `OrderPlaced.${field}: ${issue.message}`;
}
