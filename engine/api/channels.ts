/**
 * Names under which the contract travels on message-based transports (Electron IPC, worker
 * messages). Pure strings: the sandboxed preload imports this file and nothing heavier.
 */
export const CHANNEL_PREFIX = 'kafka-lab';

export function operationChannel(kind: 'command' | 'query', name: string): string {
  return `${CHANNEL_PREFIX}:${kind}:${name}`;
}

export function eventChannel(name: string): string {
  return `${CHANNEL_PREFIX}:event:${name}`;
}

export const SUBSCRIBE_CHANNEL = `${CHANNEL_PREFIX}:subscribe`;
export const UNSUBSCRIBE_CHANNEL = `${CHANNEL_PREFIX}:unsubscribe`;
