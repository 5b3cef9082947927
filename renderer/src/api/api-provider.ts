/**
 * Where stores find the engine API. main.ts connects once and hands the API over; unit tests hand
 * over a fake. Kept apart from engine.ts so importing a store never opens a connection.
 */
import type { EngineApi } from '../../../engine/api/client';

let current: EngineApi | null = null;

export function provideEngineApi(api: EngineApi | null): void {
  current = api;
}

export function engineApi(): EngineApi {
  if (current === null) throw new Error('The engine API is used before main.ts connected to the engine.');
  return current;
}
