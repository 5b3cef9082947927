/**
 * One client connection to a simulated broker's listener: Kafka's framing (an int32 size, then a
 * request of that many bytes), the request header (v1, or v2 with tagged fields for flexible
 * versions), one handler per API, and the responses written **in request order**, as every
 * client requires (a response that comes back early waits for the ones before it).
 *
 * A frame larger than socket.request.max.bytes, a header that does not parse, or an API or
 * version the listener does not serve closes this connection with the reason logged; the broker
 * keeps serving its other connections. At most protocolLimits.inFlightPerConnectionMax requests
 * wait on one connection; past that the connection stops reading until they are answered (TCP
 * pushes back on the client, as a broker's muted channel does).
 *
 * On a SASL_PLAINTEXT listener the connection carries a SaslAuthenticator: until it says
 * "authenticated", only ApiVersions, SaslHandshake and SaslAuthenticate are served, frames are
 * bounded by sasl.server.max.receive.size, and after a SaslHandshake v0 the frames are bare SASL
 * tokens (no request header) answered with bare tokens. A failed authentication sends Kafka's
 * answer, if the exchange has room for one, and then closes the connection. On a PLAINTEXT
 * listener SaslHandshake and SaslAuthenticate are answered ILLEGAL_SASL_STATE, as Kafka's KafkaApis
 * answers them on a connection that needs no authentication.
 */
import { apiRange, API_KEYS, UNSUPPORTED_VERSION, writeApiVersionsResponse } from './api-versions.js';
import { protocolLimits } from './protocol-limits.js';
import type { SaslAnswer, SaslAuthenticator, SaslOutcome } from './sasl/sasl-authenticator.js';
import { SASL_API_KEYS, writeSaslAuthenticateResponse, writeSaslHandshakeResponse } from './sasl/sasl-codecs.js';
import { WireError, WireReader, WireWriter } from './wire.js';

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** What a handler answers: the response body, or null for none (a Produce with acks=0). */
export type Handler = (header: RequestHeader, body: WireReader) => Promise<Uint8Array | null> | Uint8Array | null;

/** The socket as the connection uses it (net.Socket in the listener, a fake in tests). */
export interface ConnectionSocket {
  write(bytes: Uint8Array): void;
  /** Closes once what was written has been sent (a last answer before a SASL failure closes). */
  end(): void;
  pause(): void;
  resume(): void;
  destroy(): void;
}

export interface ConnectionEvents {
  /** A request was read (for the list of connected clients and the APIs they use). */
  onRequest(header: RequestHeader): void;
  /** The connection is being closed, and why. */
  onClose(reason: string): void;
  /** SASL authentication succeeded: the connection now acts for `principal` with `mechanism`. */
  onAuthenticated?(principal: string, mechanism: string): void;
}

interface Pending {
  done: boolean;
  response: Uint8Array | null;
}

export class ProtocolConnection {
  private buffered: Uint8Array = new Uint8Array(0);
  private readonly pending: Pending[] = [];
  private closed = false;

  constructor(
    private readonly socket: ConnectionSocket,
    private readonly handlers: ReadonlyMap<number, Handler>,
    private readonly events: ConnectionEvents,
    private readonly requestMaxBytes: number = protocolLimits.socketRequestMaxBytes,
    /** The connection's SASL authentication on a SASL_PLAINTEXT listener; null on PLAINTEXT. */
    private readonly sasl: SaslAuthenticator | null = null,
  ) {}

  /** Bytes from the socket: every whole frame in them is handled, the rest kept for the next chunk. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.buffered = this.buffered.length === 0 ? chunk : concat(this.buffered, chunk);
    // Bounded: each pass consumes one whole frame from the buffer.
    while (!this.closed && this.buffered.length >= 4) {
      const size = new DataView(this.buffered.buffer, this.buffered.byteOffset, 4).getInt32(0);
      const saslRefusal = this.sasl?.checkFrameSize(size) ?? null;
      if (saslRefusal !== null) {
        this.close(saslRefusal);
        return;
      }
      if (this.sasl?.expectsRawToken === true) {
        if (this.buffered.length < 4 + size) return;
        const token = this.buffered.slice(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.handleRawToken(token);
        continue;
      }
      if (size < 8 || size > this.requestMaxBytes) {
        this.close(size < 8 ? `a frame of ${size} bytes is shorter than a request header` : `a request of ${size} bytes is larger than socket.request.max.bytes (${this.requestMaxBytes})`);
        return;
      }
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.handleFrame(frame);
    }
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onClose(reason);
    this.socket.destroy();
  }

  /** Closes after the answers written so far have been sent (Kafka's error before a SASL failure closes). */
  private closeAfterWrites(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onClose(reason);
    this.socket.end();
  }

  private handleFrame(frame: Uint8Array): void {
    let header: RequestHeader;
    const reader = new WireReader(frame);
    try {
      header = readHeader(reader);
    } catch (error) {
      this.close(`a malformed request header: ${(error as Error).message}`);
      return;
    }
    const range = apiRange(header.apiKey);
    if (range === undefined) {
      this.close(`API key ${header.apiKey} is not served by this listener`);
      return;
    }
    const isApiVersions = header.apiKey === API_KEYS.apiVersions;
    const tooNew = header.apiVersion > range.maxVersion || header.apiVersion < range.minVersion;
    if (tooNew && !isApiVersions) {
      this.close(`${range.name} v${header.apiVersion} is not served (versions ${range.minVersion} to ${range.maxVersion})`);
      return;
    }
    if (this.sasl !== null) {
      const admission = this.sasl.admit(header.apiKey, header.apiVersion);
      if (!admission.admitted) {
        this.close(admission.reason);
        return;
      }
    }
    this.events.onRequest(header);
    const slot: Pending = { done: false, response: null };
    this.pending.push(slot);
    if (this.pending.length >= protocolLimits.inFlightPerConnectionMax) this.socket.pause();
    if (tooNew) {
      // KIP-511: a v0 body with UNSUPPORTED_VERSION and the list, under response header v0.
      this.answer(slot, header, 0, writeApiVersionsResponse(0, UNSUPPORTED_VERSION));
      return;
    }
    const flexibleHeader = range.flexibleFrom !== null && header.apiVersion >= range.flexibleFrom;
    if (flexibleHeader) {
      try {
        reader.taggedFields('request header');
      } catch (error) {
        this.close(`a malformed request header: ${(error as Error).message}`);
        return;
      }
    }
    // ApiVersions answers with response header v0 at every version; other flexible APIs with v1.
    const responseHeaderVersion = flexibleHeader && !isApiVersions ? 1 : 0;
    if (header.apiKey === SASL_API_KEYS.saslHandshake || header.apiKey === SASL_API_KEYS.saslAuthenticate) {
      this.handleSasl(slot, header, reader);
      return;
    }
    void Promise.resolve()
      .then(() => this.handlers.get(header.apiKey)!(header, reader))
      .then(
        (body) => this.answer(slot, header, responseHeaderVersion, body),
        (error: unknown) => this.close(`${range.name} v${header.apiVersion} failed: ${(error as Error).message}${error instanceof WireError ? ' (malformed request)' : ''}`),
      );
  }

  /** SaslHandshake / SaslAuthenticate: the authenticator answers (ILLEGAL_SASL_STATE on a PLAINTEXT listener). */
  private handleSasl(slot: Pending, header: RequestHeader, reader: WireReader): void {
    let answer: SaslAnswer;
    try {
      answer = this.sasl === null ? plaintextSaslAnswer(header) : header.apiKey === SASL_API_KEYS.saslHandshake ? this.sasl.onSaslHandshake(header.apiVersion, reader) : this.sasl.onSaslAuthenticate(header.apiVersion, reader);
    } catch (error) {
      this.close(`${apiRange(header.apiKey)!.name} v${header.apiVersion} failed: ${(error as Error).message}${error instanceof WireError ? ' (malformed request)' : ''}`);
      return;
    }
    this.answer(slot, header, 0, answer.body);
    this.afterSasl(answer.outcome);
  }

  /** A bare token after SaslHandshake v0: the answer is a bare token too, in order with the responses before it. */
  private handleRawToken(token: Uint8Array): void {
    const answer = this.sasl!.onRawToken(token);
    const slot: Pending = { done: false, response: null };
    this.pending.push(slot);
    this.write(slot, answer.write);
    this.afterSasl(answer.outcome);
  }

  private afterSasl(outcome: SaslOutcome): void {
    if (outcome === 'continue') return;
    if (outcome === 'authenticated') {
      if (this.sasl?.principal != null) this.events.onAuthenticated?.(this.sasl.principal, this.sasl.mechanism ?? '');
      return;
    }
    this.closeAfterWrites(outcome.detail === '' ? outcome.failed : `${outcome.failed} (${outcome.detail})`);
  }

  private answer(slot: Pending, header: RequestHeader, headerVersion: 0 | 1, body: Uint8Array | null): void {
    this.write(slot, body === null ? null : frameOf(header.correlationId, headerVersion, body));
  }

  /** Fills `slot` with the bytes to send (null: nothing) and writes every answered slot at the head of the queue. */
  private write(slot: Pending, bytes: Uint8Array | null): void {
    if (this.closed) return;
    slot.done = true;
    slot.response = bytes;
    // In request order: write every answered response at the head of the queue.
    while (this.pending.length > 0 && this.pending[0]!.done) {
      const next = this.pending.shift()!;
      if (next.response !== null) this.socket.write(next.response);
    }
    if (this.pending.length < protocolLimits.inFlightPerConnectionMax) this.socket.resume();
  }
}

/** KafkaApis' answer to SASL requests on a connection that needs no authentication. */
function plaintextSaslAnswer(header: RequestHeader): SaslAnswer {
  const body =
    header.apiKey === SASL_API_KEYS.saslHandshake
      ? writeSaslHandshakeResponse('ILLEGAL_SASL_STATE', [])
      : writeSaslAuthenticateResponse(header.apiVersion, { error: 'ILLEGAL_SASL_STATE', errorMessage: 'Unexpected SASL request on a listener without SASL authentication', authBytes: new Uint8Array(0), sessionLifetimeMs: 0 });
  return { body, outcome: 'continue' };
}

function readHeader(reader: WireReader): RequestHeader {
  const apiKey = reader.int16('api_key');
  const apiVersion = reader.int16('api_version');
  const correlationId = reader.int32('correlation_id');
  const clientId = reader.nullableString('client_id');
  return { apiKey, apiVersion, correlationId, clientId };
}

function frameOf(correlationId: number, headerVersion: 0 | 1, body: Uint8Array): Uint8Array {
  const out = new WireWriter(body.length + 16);
  const headerBytes = headerVersion === 1 ? 5 : 4;
  out.int32(headerBytes + body.length).int32(correlationId);
  if (headerVersion === 1) out.noTaggedFields();
  out.bytes(body);
  return out.finish();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
