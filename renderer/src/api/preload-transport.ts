/**
 * The transport over the Electron preload bridge (`window.kafkaLab`). The bridge exposes one
 * function per contract entry; this adapts it to the transport-neutral interface.
 */
import type { Envelope } from '../../../engine/api/errors';
import type { Transport } from '../../../engine/api/client';

export interface PreloadBridge {
  commands: Record<string, (request: unknown) => Promise<Envelope<unknown>>>;
  queries: Record<string, (request: unknown) => Promise<Envelope<unknown>>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function preloadTransport(bridge: PreloadBridge): Transport {
  return {
    invoke(kind, name, payload) {
      const table = kind === 'command' ? bridge.commands : bridge.queries;
      const fn = table[name];
      if (fn === undefined) {
        return Promise.resolve({ ok: false, error: { name: 'INVALID_REQUEST', code: 42, message: `Unknown ${kind} '${name}'.` } });
      }
      return fn(payload);
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener),
  };
}
