/**
 * The APIs this listener answers, with the version range it advertises in ApiVersions, from the
 * recommended set of shared/reference/kafka-protocol-facts.md §3: produce and fetch, metadata, the
 * group coordinator's APIs (group-apis.ts), the admin APIs (admin-apis.ts) and SASL
 * (sasl/sasl-codecs.ts). Every range starts low enough for the fixed versions kafka-python and
 * librdkafka send (Metadata v0, ApiVersions v0). A PLAINTEXT listener lists the SASL APIs too, as
 * Kafka's brokers do; it answers them ILLEGAL_SASL_STATE.
 *
 * ApiVersions request above its max: answered with a v0 body, error 35 UNSUPPORTED_VERSION and
 * the list, so the client retries with a version it has (KIP-511); that response always uses
 * response header v0.
 */
import { ADMIN_API_VERSIONS } from './admin-apis.js';
import { GROUP_API_VERSIONS } from './group-apis.js';
import { SASL_API_VERSIONS } from './sasl/sasl-codecs.js';
import type { WireReader } from './wire.js';
import { WireWriter } from './wire.js';

export const API_KEYS = { produce: 0, fetch: 1, listOffsets: 2, metadata: 3, apiVersions: 18 } as const;

export interface ApiRange {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version (KIP-482), or null when no advertised version is flexible. */
  readonly flexibleFrom: number | null;
}

const CORE_APIS: readonly ApiRange[] = [
  { apiKey: API_KEYS.produce, name: 'Produce', minVersion: 3, maxVersion: 7, flexibleFrom: null },
  { apiKey: API_KEYS.fetch, name: 'Fetch', minVersion: 4, maxVersion: 11, flexibleFrom: null },
  { apiKey: API_KEYS.listOffsets, name: 'ListOffsets', minVersion: 1, maxVersion: 5, flexibleFrom: null },
  { apiKey: API_KEYS.metadata, name: 'Metadata', minVersion: 0, maxVersion: 8, flexibleFrom: null },
  { apiKey: API_KEYS.apiVersions, name: 'ApiVersions', minVersion: 0, maxVersion: 3, flexibleFrom: 3 },
];

/** By API key, as Kafka lists them. */
export const ADVERTISED_APIS: readonly ApiRange[] = [...CORE_APIS, ...GROUP_API_VERSIONS, ...ADMIN_API_VERSIONS, ...SASL_API_VERSIONS].sort((a, b) => a.apiKey - b.apiKey);

export function apiRange(apiKey: number): ApiRange | undefined {
  return ADVERTISED_APIS.find((api) => api.apiKey === apiKey);
}

export const ERROR_NONE = 0;
export const UNSUPPORTED_VERSION = 35;

/** Reads the ApiVersions request body (v3+ has the client's software name and version; nothing else). */
export function readApiVersionsRequest(reader: WireReader, version: number): { clientSoftwareName: string | null; clientSoftwareVersion: string | null } {
  if (version < 3) return { clientSoftwareName: null, clientSoftwareVersion: null };
  const clientSoftwareName = reader.compactString('client_software_name');
  const clientSoftwareVersion = reader.compactString('client_software_version');
  reader.taggedFields('ApiVersionsRequest');
  return { clientSoftwareName, clientSoftwareVersion };
}

/** The ApiVersions response body of `version` (0-3); error 35 uses the v0 body whatever was asked. */
export function writeApiVersionsResponse(version: number, errorCode: number): Uint8Array {
  const out = new WireWriter(128);
  const flexible = version >= 3;
  out.int16(errorCode);
  if (flexible) out.uvarint(ADVERTISED_APIS.length + 1);
  else out.int32(ADVERTISED_APIS.length);
  for (const api of ADVERTISED_APIS) {
    out.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion);
    if (flexible) out.noTaggedFields();
  }
  // v1+: throttle_time_ms.
  if (version >= 1) out.int32(0);
  if (flexible) out.noTaggedFields();
  return out.finish();
}
