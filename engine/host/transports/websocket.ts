/**
 * The WebSocket transport, server side: one connection speaks the contract as JSON frames. Each
 * frame is checked for shape before anything runs; a bad frame gets an INVALID_REQUEST answer and
 * the connection (and every other one) keeps working. Subscriptions per connection are bounded.
 */
import { z } from 'zod';
import type { ServerFrame } from '../../api/ws-messages.js';
import { KafkaError } from '../../core/kafka-errors.js';
import { limits } from '../../core/limits.js';
import { errorEnvelope } from '../envelopes.js';
import { EventEncoder } from '../event-encoder.js';
import type { Gateway } from '../gateway.js';

/** The part of a `ws` WebSocket this transport needs, so tests can drive it without a socket. */
export interface FrameSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): void;
  on(event: 'close', listener: () => void): void;
}

const FrameSchema = z.discriminatedUnion('type', [
  z.object({ id: z.number().int().min(0), type: z.literal('invoke'), kind: z.string(), name: z.string(), payload: z.unknown() }).strict(),
  z.object({ id: z.number().int().min(0), type: z.literal('subscribe'), event: z.string() }).strict(),
  z.object({ id: z.number().int().min(0), type: z.literal('unsubscribe'), event: z.string() }).strict(),
]);

export function serveConnection(socket: FrameSocket, gateway: Gateway): void {
  const subscriptions = new Map<string, () => void>();
  // Per connection: each stream's frames are changes to what this connection last received.
  const encoder = new EventEncoder();
  const send = (frame: ServerFrame): void => socket.send(JSON.stringify(frame));
  const fail = (id: number | null, error: KafkaError): void => send({ type: 'result', id, envelope: errorEnvelope(error) });

  socket.on('message', (data, isBinary) => {
    if (isBinary) return fail(null, new KafkaError('INVALID_REQUEST', 'Binary frames are not part of the contract; send JSON text.'));
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return fail(null, new KafkaError('INVALID_REQUEST', 'The frame is not valid JSON.'));
    }
    const parsed = FrameSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
      return fail(id, new KafkaError('INVALID_REQUEST', 'The frame is not a contract frame: expected {id, type: invoke|subscribe|unsubscribe, ...}.'));
    }
    const frame = parsed.data;
    if (frame.type === 'invoke') {
      void gateway.invoke(frame.kind, frame.name, frame.payload).then(
        (envelope) => send({ type: 'result', id: frame.id, envelope }),
        (error: unknown) => send({ type: 'result', id: frame.id, envelope: errorEnvelope(error) }),
      );
      return;
    }
    if (frame.type === 'unsubscribe') {
      subscriptions.get(frame.event)?.();
      subscriptions.delete(frame.event);
      encoder.forget(frame.event);
      return send({ type: 'result', id: frame.id, envelope: { ok: true, value: null } });
    }
    if (subscriptions.has(frame.event)) return send({ type: 'result', id: frame.id, envelope: { ok: true, value: null } });
    if (subscriptions.size >= limits.subscriptionsPerConnectionMax) {
      return fail(frame.id, new KafkaError('POLICY_VIOLATION', `At most ${limits.subscriptionsPerConnectionMax} subscriptions per connection.`));
    }
    try {
      // The latest payload may arrive before the acknowledgement; clients listen before they ask.
      subscriptions.set(frame.event, gateway.subscribe(frame.event, (payload) => send({ type: 'event', event: frame.event, frame: encoder.encode(frame.event, payload) })));
      send({ type: 'result', id: frame.id, envelope: { ok: true, value: null } });
    } catch (error) {
      fail(frame.id, error instanceof KafkaError ? error : new KafkaError('INVALID_REQUEST', String(error)));
    }
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
