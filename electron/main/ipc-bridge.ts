/**
 * The Electron IPC transport: one `ipcMain.handle` per contract command and query, and event
 * subscriptions per window. Every message is checked for its sender (the app's own main frame)
 * and validated against the contract by the gateway before the engine sees it.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventChannel, operationChannel, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../../engine/api/channels.js';
import { commandNames, queryNames, type OperationKind } from '../../engine/api/contract.js';
import type { Envelope } from '../../engine/api/errors.js';
import { KafkaError } from '../../engine/core/kafka-errors.js';
import { limits } from '../../engine/core/limits.js';
import { errorEnvelope } from '../../engine/host/envelopes.js';
import { EventEncoder } from '../../engine/host/event-encoder.js';
import type { Gateway } from '../../engine/host/gateway.js';

type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean;

export function registerIpcBridge(gateway: Gateway, isTrustedSender: SenderCheck): () => void {
  const channels: string[] = [];
  const register = (kind: OperationKind, name: string): void => {
    const channel = operationChannel(kind, name);
    ipcMain.handle(channel, (event, payload: unknown): Promise<Envelope<unknown>> | Envelope<unknown> => {
      if (!isTrustedSender(event)) return untrusted();
      return gateway.invoke(kind, name, payload).catch((error: unknown) => errorEnvelope(error));
    });
    channels.push(channel);
  };
  for (const name of commandNames) register('command', name);
  for (const name of queryNames) register('query', name);

  const subscriptions = new Map<WebContents, Map<string, () => void>>();
  // Per window: each stream's frames are changes to what that window last received.
  const encoders = new WeakMap<WebContents, EventEncoder>();
  const encoderOf = (contents: WebContents): EventEncoder => {
    let encoder = encoders.get(contents);
    if (encoder === undefined) {
      encoder = new EventEncoder();
      encoders.set(contents, encoder);
    }
    return encoder;
  };
  const onSubscribe = (event: IpcMainEvent, name: unknown): void => {
    if (!isTrustedSender(event) || typeof name !== 'string') return;
    const contents = event.sender;
    let mine = subscriptions.get(contents);
    if (mine === undefined) {
      mine = new Map();
      subscriptions.set(contents, mine);
      contents.once('destroyed', () => {
        for (const stop of mine!.values()) stop();
        subscriptions.delete(contents);
      });
    }
    if (mine.has(name) || mine.size >= limits.subscriptionsPerConnectionMax) return;
    try {
      mine.set(name, gateway.subscribe(name, (payload) => {
        if (!contents.isDestroyed()) contents.send(eventChannel(name), encoderOf(contents).encode(name, payload));
      }));
    } catch {
      // An unknown stream name: the gateway refused it, and there is nothing to deliver.
    }
  };
  const onUnsubscribe = (event: IpcMainEvent, name: unknown): void => {
    if (!isTrustedSender(event) || typeof name !== 'string') return;
    const mine = subscriptions.get(event.sender);
    mine?.get(name)?.();
    mine?.delete(name);
    encoders.get(event.sender)?.forget(name);
  };
  ipcMain.on(SUBSCRIBE_CHANNEL, onSubscribe);
  ipcMain.on(UNSUBSCRIBE_CHANNEL, onUnsubscribe);

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    ipcMain.off(SUBSCRIBE_CHANNEL, onSubscribe);
    ipcMain.off(UNSUBSCRIBE_CHANNEL, onUnsubscribe);
    for (const mine of subscriptions.values()) for (const stop of mine.values()) stop();
    subscriptions.clear();
  };
}

function untrusted(): Envelope<never> {
  return errorEnvelope(new KafkaError('INVALID_REQUEST', 'The request did not come from the workbench window.'));
}
