/**
 * The preload bridge: the only code that touches `ipcRenderer`. It exposes one function per
 * contract command and query, and `subscribe(event, listener)` returning an unsubscribe function.
 * `ipcRenderer` itself never reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannel, operationChannel, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../../engine/api/channels.js';
import { commandNames, eventNames, queryNames } from '../../engine/api/contract.js';

function operations(kind: 'command' | 'query', names: readonly string[]): Record<string, (request: unknown) => Promise<unknown>> {
  return Object.fromEntries(names.map((name) => [name, (request: unknown) => ipcRenderer.invoke(operationChannel(kind, name), request)]));
}

const knownEvents = new Set<string>(eventNames);

const bridge = {
  commands: operations('command', commandNames),
  queries: operations('query', queryNames),
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (!knownEvents.has(event)) throw new Error(`Unknown event stream '${event}'.`);
    const channel = eventChannel(event);
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    ipcRenderer.send(SUBSCRIBE_CHANNEL, event);
    return () => {
      ipcRenderer.off(channel, handler);
      if (ipcRenderer.listenerCount(channel) === 0) ipcRenderer.send(UNSUBSCRIBE_CHANNEL, event);
    };
  },
};

export type PreloadBridge = typeof bridge;

contextBridge.exposeInMainWorld('kafkaLab', bridge);
