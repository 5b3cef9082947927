/**
 * The typed client over any transport: `command`, `query` and `subscribe` with the contract's
 * request and response types; a refused request throws `EngineApiError` with Kafka's error name.
 */
import type { EngineApi, Transport } from '../../../engine/api/client';
import type { OperationKind } from '../../../engine/api/contract';
import type { ApiError } from '../../../engine/api/errors';

export class EngineApiError extends Error {
  readonly errorName: ApiError['name'];
  readonly code: number;
  readonly details: unknown;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'EngineApiError';
    this.errorName = error.name;
    this.code = error.code;
    this.details = error.details;
  }
}

export function createEngineApi(transport: Transport): EngineApi {
  const call = async (kind: OperationKind, name: string, request: unknown): Promise<unknown> => {
    const envelope = await transport.invoke(kind, name, request);
    if (!envelope.ok) throw new EngineApiError(envelope.error);
    return envelope.value;
  };
  return {
    command: (name, request) => call('command', name, request) as never,
    query: (name, request) => call('query', name, request) as never,
    subscribe: (event, listener) => transport.subscribe(event, listener as (payload: unknown) => void),
  };
}
