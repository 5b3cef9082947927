/**
 * A test's own connection to a running `kafka-lab serve`: the contract over the same WebSocket the
 * UI uses (token from the printed URL, the page's origin), for setting up what a test is not about.
 */
import WebSocket from 'ws';

export interface ContractClient {
  command<T>(name: string, payload: unknown): Promise<T>;
  query<T>(name: string, payload: unknown): Promise<T>;
  close(): void;
}

export async function contractClient(pageUrl: string): Promise<ContractClient> {
  const url = new URL(pageUrl);
  const token = url.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(token)}`, { headers: { origin: url.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting = new Map<number, (envelope: { ok: boolean; value?: unknown; error?: { name: string; message: string } }) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; id: number | null; envelope: never };
    if (frame.type === 'result' && frame.id !== null) waiting.get(frame.id)?.(frame.envelope);
  });
  let nextId = 1;
  const invoke = <T>(kind: 'command' | 'query', name: string, payload: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (envelope) => {
        waiting.delete(id);
        if (envelope.ok) resolve(envelope.value as T);
        else reject(new Error(`${name}: ${envelope.error?.name} ${envelope.error?.message}`));
      });
      ws.send(JSON.stringify({ id, type: 'invoke', kind, name, payload }));
    });
  return {
    command: (name, payload) => invoke('command', name, payload),
    query: (name, payload) => invoke('query', name, payload),
    close: () => ws.close(),
  };
}
