/**
 * The gateway is where outside payloads enter the engine: every transport (Electron IPC, WebSocket,
 * in-process) hands it raw, untrusted values. It checks the operation exists, validates the payload
 * against the contract's schema (answering INVALID_REQUEST with the schema's issues, and changing
 * nothing), and only then passes the parsed value on. With `checkResponses` it also validates what
 * the engine answers, so tests catch a handler that drifts from the contract.
 */
import { type z } from 'zod';
import { events, operationsOf, type OperationKind } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { EngineHost } from './engine-host.js';
import { errorEnvelope } from './envelopes.js';

export interface GatewayOptions {
  readonly checkResponses?: boolean;
}

export class Gateway {
  constructor(
    private readonly host: EngineHost,
    private readonly options: GatewayOptions = {},
  ) {}

  async invoke(kind: unknown, name: unknown, payload: unknown): Promise<Envelope<unknown>> {
    const resolved = resolveOperation(kind, name);
    if (!resolved.ok) return errorEnvelope(resolved.error);
    const parsed = resolved.operation.request.safeParse(payload);
    if (!parsed.success) {
      return errorEnvelope(new KafkaError('INVALID_REQUEST', `Invalid ${resolved.kind} '${resolved.name}': ${describeIssues(parsed.error)}`, { issues: issuesOf(parsed.error) }));
    }
    const envelope = await this.host.invoke(resolved.kind, resolved.name, parsed.data);
    if (this.options.checkResponses === true && envelope.ok) {
      const checked = resolved.operation.response.safeParse(envelope.value);
      if (!checked.success) throw new Error(`engine answered ${resolved.kind} '${resolved.name}' outside the contract: ${describeIssues(checked.error)}`);
    }
    return envelope;
  }

  /** Subscribes to a contract event; an unknown event name is refused with a typed error. */
  subscribe(event: unknown, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !Object.hasOwn(events, event)) {
      throw new KafkaError('INVALID_REQUEST', `Unknown event stream '${String(event)}'.`);
    }
    return this.host.subscribe(event, listener);
  }
}

type Resolved =
  | { ok: true; kind: OperationKind; name: string; operation: { request: z.ZodType; response: z.ZodType } }
  | { ok: false; error: KafkaError };

function resolveOperation(kind: unknown, name: unknown): Resolved {
  if (kind !== 'command' && kind !== 'query') {
    return { ok: false, error: new KafkaError('INVALID_REQUEST', `Unknown operation kind '${String(kind)}': expected 'command' or 'query'.`) };
  }
  const operations = operationsOf(kind);
  if (typeof name !== 'string' || !Object.hasOwn(operations, name)) {
    return { ok: false, error: new KafkaError('INVALID_REQUEST', `Unknown ${kind} '${String(name)}'.`) };
  }
  return { ok: true, kind, name, operation: operations[name]! };
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(payload)', message: issue.message }));
}

function describeIssues(error: z.ZodError): string {
  return issuesOf(error)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}
