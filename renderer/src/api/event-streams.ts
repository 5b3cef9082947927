/**
 * The listeners of each event stream on one transport, fed from frames (whole payloads or changes,
 * see event-patch.ts). One subscription per stream goes to the engine however many components
 * listen; a listener that arrives late gets the stream's latest payload at once, as the engine's
 * own fan-out does. A frame that cannot be applied makes the stream start over from a whole payload
 * (`restart`), so a view never shows a half-applied change.
 */
import type { EventFrame } from '../../../engine/api/ws-messages';
import { EventFrameDecoder } from './event-patch';

export interface StreamHooks {
  /** Ask the engine for the stream (its first frame is whole). */
  open(event: string): void;
  close(event: string): void;
}

export class EventStreams {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly latest = new Map<string, unknown>();
  private readonly decoder = new EventFrameDecoder();

  constructor(private readonly hooks: StreamHooks) {}

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    const existing = this.listeners.get(event);
    const set = existing ?? new Set<(payload: unknown) => void>();
    if (existing === undefined) {
      this.listeners.set(event, set);
      this.hooks.open(event);
    } else if (this.latest.has(event)) {
      const payload = this.latest.get(event);
      queueMicrotask(() => {
        if (set.has(listener)) listener(payload);
      });
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0 || this.listeners.get(event) !== set) return;
      this.listeners.delete(event);
      this.latest.delete(event);
      this.decoder.forget(event);
      this.hooks.close(event);
    };
  }

  /** Streams with listeners (re-opened after a reconnect). */
  events(): string[] {
    return [...this.listeners.keys()];
  }

  /** A connection was replaced: the next frame of every stream is whole again. */
  reset(): void {
    for (const event of this.listeners.keys()) this.decoder.forget(event);
  }

  deliver(event: string, frame: EventFrame): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    let payload: unknown;
    try {
      payload = this.decoder.decode(event, frame);
    } catch {
      this.decoder.forget(event);
      this.hooks.close(event);
      this.hooks.open(event);
      return;
    }
    this.latest.set(event, payload);
    for (const listener of set) listener(payload);
  }
}
