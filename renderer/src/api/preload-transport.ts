/**
 * The transport over the Electron preload bridge (`window.kafkaLab`). The bridge exposes one
 * function per contract entry; this adapts it to the transport-neutral interface.
 */
import type { Envelope } from '../../../engine/api/errors';
import type { Transport } from '../../../engine/api/client';
import type { EventFrame } from '../../../engine/api/ws-messages';
import { EventStreams } from './event-streams';

export interface PreloadBridge {
  commands: Record<string, (request: unknown) => Promise<Envelope<unknown>>>;
  queries: Record<string, (request: unknown) => Promise<Envelope<unknown>>>;
  /** Delivers the stream's frames (whole payloads or changes, engine/host/event-encoder.ts). */
  subscribe(event: string, listener: (frame: EventFrame) => void): () => void;
}

export function preloadTransport(bridge: PreloadBridge): Transport {
  const open = new Map<string, () => void>();
  const streams: EventStreams = new EventStreams({
    open: (event) => open.set(event, bridge.subscribe(event, (frame) => streams.deliver(event, frame))),
    close: (event) => {
      open.get(event)?.();
      open.delete(event);
    },
  });
  return {
    invoke(kind, name, payload) {
      const table = kind === 'command' ? bridge.commands : bridge.queries;
      const fn = table[name];
      if (fn === undefined) {
        return Promise.resolve({ ok: false, error: { name: 'INVALID_REQUEST', code: 42, message: `Unknown ${kind} '${name}'.` } });
      }
      return fn(payload);
    },
    subscribe: (event, listener) => streams.subscribe(event, listener),
  };
}
