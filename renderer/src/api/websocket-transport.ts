/**
 * The transport over WebSocket, for the UI served by `kafka-lab serve`. Requests are matched to
 * answers by id; subscriptions are re-sent after a reconnect so a restarted engine keeps feeding
 * the views. The per-run token comes from the page URL the CLI printed (and a cookie afterwards).
 */
import type { Envelope } from '../../../engine/api/errors';
import type { Transport } from '../../../engine/api/client';
import type { ClientFrame, ServerFrame } from '../../../engine/api/ws-messages';
import { EventStreams } from './event-streams';

const WS_PATH = '/api';
const RECONNECT_DELAY_MS = 1000;
/** Requests waiting for an answer; past this the UI is misbehaving and new calls fail at once. */
const MAX_PENDING = 1024;

export type ConnectionState = 'connecting' | 'open' | 'closed';

export function websocketTransport(location: Location, token: string | null, onState: (state: ConnectionState) => void): Transport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket;

  const failAll = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { name: 'BROKER_NOT_AVAILABLE', code: 8, message } });
    pending.clear();
  };

  const connect = (): void => {
    onState('connecting');
    socket = new WebSocket(url);
    socket.onopen = () => {
      onState('open');
      streams.reset();
      for (const event of streams.events()) socket.send(JSON.stringify({ id: nextId++, type: 'subscribe', event } satisfies ClientFrame));
      for (const frame of outbox.splice(0)) socket.send(frame);
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as ServerFrame;
      if (frame.type === 'event') {
        streams.deliver(frame.event, frame.frame);
      } else if (frame.id !== null) {
        pending.get(frame.id)?.(frame.envelope);
        pending.delete(frame.id);
      }
    };
    socket.onclose = () => {
      onState('closed');
      // Requests queued while connecting were just answered as failed; sending them after the
      // reconnect would run a command (a produce, say) the UI already reported as not done.
      // Subscriptions need no queue: onopen re-sends one per live listener.
      outbox.length = 0;
      failAll('The connection to the workbench was lost; reconnecting.');
      setTimeout(connect, RECONNECT_DELAY_MS);
    };
  };

  const send = (frame: ClientFrame): void => {
    const text = JSON.stringify(frame);
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else outbox.push(text);
  };

  const streams = new EventStreams({
    open: (event) => send({ id: nextId++, type: 'subscribe', event }),
    close: (event) => send({ id: nextId++, type: 'unsubscribe', event }),
  });

  connect();
  return {
    invoke(kind, name, payload) {
      if (pending.size >= MAX_PENDING) {
        return Promise.resolve({ ok: false, error: { name: 'REQUEST_TIMED_OUT', code: 7, message: 'Too many requests are waiting for the workbench.' } });
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        send({ id, type: 'invoke', kind, name, payload });
      });
    },
    subscribe: (event, listener) => streams.subscribe(event, listener),
  };
}
