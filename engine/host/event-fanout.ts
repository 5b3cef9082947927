/**
 * Fans events out to subscribers and remembers each stream's latest payload, so a subscriber that
 * arrives late (a window opened after start) sees the current state at once.
 */
export class EventFanout {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly latest = new Map<string, unknown>();

  publish(event: string, payload: unknown): void {
    this.latest.set(event, payload);
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    if (this.latest.has(event)) listener(this.latest.get(event));
    return () => {
      set.delete(listener);
    };
  }

  clear(): void {
    this.listeners.clear();
  }
}
