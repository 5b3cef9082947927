/**
 * The renderer's single way to reach the engine. The transport is chosen once at start: the
 * Electron preload bridge when the page runs in the desktop window, otherwise the WebSocket of the
 * headless shell that served the page.
 */
import type { EngineApi } from '../../../engine/api/client';
import { createEngineApi } from './engine-api';
import { preloadTransport, type PreloadBridge } from './preload-transport';
import { websocketTransport, type ConnectionState } from './websocket-transport';

declare global {
  interface Window {
    kafkaLab?: PreloadBridge;
  }
}

export type TransportKind = 'electron' | 'websocket';

export interface EngineConnection {
  readonly api: EngineApi;
  readonly transport: TransportKind;
}

export function connectEngine(onState: (state: ConnectionState) => void): EngineConnection {
  if (window.kafkaLab !== undefined) {
    onState('open');
    return { api: createEngineApi(preloadTransport(window.kafkaLab)), transport: 'electron' };
  }
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  if (token !== null) {
    // The token now lives in a same-site cookie; keep it out of the address bar and history.
    params.delete('token');
    const query = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${query === '' ? '' : `?${query}`}${window.location.hash}`);
  }
  return { api: createEngineApi(websocketTransport(window.location, token, onState)), transport: 'websocket' };
}
