/**
 * The Services view's forms, checked before anything is sent: place orders (the seed's
 * `http :8081/orders productId=1 qty=1`), set stock (`http :8082/inventories id=1 stock=10`), scale,
 * slow a replica down, the real ports, and the services' settings, with the ranges the contract
 * accepts and the rule Java's producer applies at construction (enable.idempotence needs
 * acks=all). Problems come back as i18n messages; the engine's own refusals keep Kafka's words.
 */
import type { CommandRequest } from '../../../engine/api/contract';
import type { InventoryServiceSettings, OrderServiceSettings, ServiceSettings } from '../../../engine/api/services-dto';
import { uiMessage, type UiMessage } from './messages';
import { SCALE_MAX } from './services';
import { parseWholeNumber } from './topic-validation';

type NumberInput = string | number;

interface Range {
  readonly min: number;
  readonly max: number;
}

/** The contract's ranges (engine/api/services-dto.ts). */
export const SERVICE_LIMITS = {
  productId: { min: 0, max: 2_147_483_647 },
  qty: { min: 1, max: 1_000_000 },
  count: { min: 1, max: 10_000 },
  intervalMs: { min: 0, max: 3_600_000 },
  stock: { min: -1_000_000_000, max: 1_000_000_000 },
  replicas: { min: 0, max: SCALE_MAX },
  processingMsPerRecord: { min: 0, max: 3_600_000 },
  port: { min: 1024, max: 65_535 },
  lingerMs: { min: 0, max: 60_000 },
  deliveryTimeoutMs: { min: 1, max: 3_600_000 },
  sessionTimeoutMs: { min: 1, max: 1_800_000 },
  heartbeatIntervalMs: { min: 1, max: 1_800_000 },
  maxPollIntervalMs: { min: 1, max: 2_147_483_647 },
  maxPollRecords: { min: 1, max: 100_000 },
} as const satisfies Record<string, Range>;

/** A whole number within the range, or the message saying what is expected. */
export function checkNumber(value: NumberInput, range: Range, name: string): { value: number } | { problem: UiMessage } {
  const parsed = parseWholeNumber(value);
  if (parsed === null || parsed < range.min || parsed > range.max) return { problem: uiMessage('services.errors.numberRange', { name, min: range.min, max: range.max }) };
  return { value: parsed };
}

type Checked<Request, Field extends string> = { ok: true; request: Request } | { ok: false; problems: Partial<Record<Field, UiMessage>> };

/** Reads the listed fields as numbers; the problems of those that are not. */
function readNumbers<F extends string>(form: Record<F, NumberInput>, ranges: Record<F, Range>, names: Record<F, string>) {
  const values = {} as Record<F, number>;
  const problems: Partial<Record<F, UiMessage>> = {};
  for (const field of Object.keys(ranges) as F[]) {
    const checked = checkNumber(form[field], ranges[field], names[field]);
    if ('problem' in checked) problems[field] = checked.problem;
    else values[field] = checked.value;
  }
  return { values, problems };
}

// ---------------------------------------------------------------------------------------------
// Place orders

export interface PlaceOrdersForm {
  productId: NumberInput;
  qty: NumberInput;
  count: NumberInput;
  intervalMs: NumberInput;
}

export type PlaceOrdersField = keyof PlaceOrdersForm;

/** The seed's first order: product 1, quantity 1, once. */
export function emptyPlaceOrdersForm(): PlaceOrdersForm {
  return { productId: '1', qty: '1', count: '1', intervalMs: '0' };
}

export function validatePlaceOrders(form: PlaceOrdersForm): Checked<CommandRequest<'placeOrders'>, PlaceOrdersField> {
  const { values, problems } = readNumbers(
    form,
    { productId: SERVICE_LIMITS.productId, qty: SERVICE_LIMITS.qty, count: SERVICE_LIMITS.count, intervalMs: SERVICE_LIMITS.intervalMs },
    { productId: 'productId', qty: 'qty', count: 'count', intervalMs: 'intervalMs' },
  );
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, request: { productId: values.productId, qty: values.qty, count: values.count, intervalMs: values.intervalMs } };
}

// ---------------------------------------------------------------------------------------------
// Set stock

export interface SetStockForm {
  /** An inventory replica (its own store), or '' for the shared store. */
  replicaId: string;
  productId: NumberInput;
  stock: NumberInput;
}

export type SetStockField = keyof SetStockForm;

/** The seed's experiment: 10 of product 1. */
export function emptySetStockForm(replicaId = ''): SetStockForm {
  return { replicaId, productId: '1', stock: '10' };
}

export function validateSetStock(form: SetStockForm, perReplica: boolean, replicaIds: readonly string[]): Checked<CommandRequest<'setStock'>, SetStockField> {
  const { values, problems } = readNumbers(
    { productId: form.productId, stock: form.stock },
    { productId: SERVICE_LIMITS.productId, stock: SERVICE_LIMITS.stock },
    { productId: 'id', stock: 'stock' },
  );
  const issues: Partial<Record<SetStockField, UiMessage>> = { ...problems };
  if (perReplica && form.replicaId === '') issues.replicaId = uiMessage('services.errors.chooseReplica');
  else if (perReplica && !replicaIds.includes(form.replicaId)) issues.replicaId = uiMessage('services.errors.replicaGone', { replicaId: form.replicaId });
  if (Object.keys(issues).length > 0) return { ok: false, problems: issues };
  const request: CommandRequest<'setStock'> = { productId: values.productId, stock: values.stock };
  return { ok: true, request: perReplica ? { ...request, replicaId: form.replicaId } : request };
}

// ---------------------------------------------------------------------------------------------
// Real ports

export interface PortsForm {
  orderPort: NumberInput;
  inventoryBasePort: NumberInput;
}

export function validatePorts(form: PortsForm, enabled: boolean): Checked<CommandRequest<'setServicePorts'>, keyof PortsForm> {
  const { values, problems } = readNumbers(
    form,
    { orderPort: SERVICE_LIMITS.port, inventoryBasePort: SERVICE_LIMITS.port },
    { orderPort: 'order port', inventoryBasePort: 'inventory port' },
  );
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, request: { enabled, host: '127.0.0.1', orderPort: values.orderPort, inventoryBasePort: values.inventoryBasePort } };
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface ServiceSettingsForm {
  key: OrderServiceSettings['key'];
  partitioner: OrderServiceSettings['partitioner'];
  acks: OrderServiceSettings['acks'];
  enableIdempotence: boolean;
  lingerMs: NumberInput;
  deliveryTimeoutMs: NumberInput;
  store: InventoryServiceSettings['store'];
  processingMsPerRecord: NumberInput;
  commitMode: InventoryServiceSettings['commitMode'];
  dedupeByOrderId: boolean;
  assignor: InventoryServiceSettings['assignor'];
  autoOffsetReset: InventoryServiceSettings['autoOffsetReset'];
  sessionTimeoutMs: NumberInput;
  heartbeatIntervalMs: NumberInput;
  maxPollIntervalMs: NumberInput;
  maxPollRecords: NumberInput;
}

export type SettingsField = keyof ServiceSettingsForm;

export const ORDER_KEYS: readonly OrderServiceSettings['key'][] = ['none', 'productId', 'orderId'];
export const PARTITIONERS: readonly OrderServiceSettings['partitioner'][] = ['default', 'round-robin'];
export const ORDER_ACKS: readonly OrderServiceSettings['acks'][] = ['0', '1', 'all'];
export const STORES: readonly InventoryServiceSettings['store'][] = ['per-replica', 'shared'];
export const SERVICE_COMMIT_MODES: readonly InventoryServiceSettings['commitMode'][] = ['auto', 'sync-after-processing', 'before-processing'];
export const SERVICE_ASSIGNORS: readonly InventoryServiceSettings['assignor'][] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];
export const OFFSET_RESETS: readonly InventoryServiceSettings['autoOffsetReset'][] = ['latest', 'earliest', 'none'];

const ORDER_FIELDS = ['key', 'partitioner', 'acks', 'enableIdempotence', 'lingerMs', 'deliveryTimeoutMs'] as const;
const INVENTORY_FIELDS = [
  'store',
  'processingMsPerRecord',
  'commitMode',
  'dedupeByOrderId',
  'assignor',
  'autoOffsetReset',
  'sessionTimeoutMs',
  'heartbeatIntervalMs',
  'maxPollIntervalMs',
  'maxPollRecords',
] as const;

const NUMBER_FIELDS = {
  lingerMs: 'linger.ms',
  deliveryTimeoutMs: 'delivery.timeout.ms',
  processingMsPerRecord: 'processing ms',
  sessionTimeoutMs: 'session.timeout.ms',
  heartbeatIntervalMs: 'heartbeat.interval.ms',
  maxPollIntervalMs: 'max.poll.interval.ms',
  maxPollRecords: 'max.poll.records',
} as const;

/** The form showing the settings as they are. */
export function settingsForm(settings: ServiceSettings): ServiceSettingsForm {
  const o = settings.order;
  const i = settings.inventory;
  return {
    key: o.key,
    partitioner: o.partitioner,
    acks: o.acks,
    enableIdempotence: o.enableIdempotence,
    lingerMs: String(o.lingerMs),
    deliveryTimeoutMs: String(o.deliveryTimeoutMs),
    store: i.store,
    processingMsPerRecord: String(i.processingMsPerRecord),
    commitMode: i.commitMode,
    dedupeByOrderId: i.dedupeByOrderId,
    assignor: i.assignor,
    autoOffsetReset: i.autoOffsetReset,
    sessionTimeoutMs: String(i.sessionTimeoutMs),
    heartbeatIntervalMs: String(i.heartbeatIntervalMs),
    maxPollIntervalMs: String(i.maxPollIntervalMs),
    maxPollRecords: String(i.maxPollRecords),
  };
}

/**
 * The configureServices request with only what the form changed (null when nothing did), or the
 * form's problems.
 */
export function validateSettings(form: ServiceSettingsForm, current: ServiceSettings): Checked<CommandRequest<'configureServices'> | null, SettingsField> {
  const ranges = Object.fromEntries(Object.keys(NUMBER_FIELDS).map((f) => [f, SERVICE_LIMITS[f as keyof typeof NUMBER_FIELDS]])) as Record<keyof typeof NUMBER_FIELDS, Range>;
  const numbers = readNumbers(form as unknown as Record<keyof typeof NUMBER_FIELDS, NumberInput>, ranges, NUMBER_FIELDS);
  const problems: Partial<Record<SettingsField, UiMessage>> = { ...numbers.problems };
  const session = numbers.values.sessionTimeoutMs;
  const heartbeat = numbers.values.heartbeatIntervalMs;
  if (problems.sessionTimeoutMs === undefined && problems.heartbeatIntervalMs === undefined && heartbeat >= session) {
    problems.heartbeatIntervalMs = uiMessage('services.errors.heartbeatTooHigh', { heartbeat, session });
  }
  // Java's KafkaProducer refuses an explicitly idempotent producer without acks=all (ConfigException).
  if (form.enableIdempotence && form.acks !== 'all') problems.enableIdempotence = uiMessage('services.errors.idempotenceNeedsAcksAll');
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const next: Record<string, unknown> = { ...form, ...numbers.values };
  const order = changedFields(ORDER_FIELDS, next, current.order);
  const inventory = changedFields(INVENTORY_FIELDS, next, current.inventory);
  if (order === null && inventory === null) return { ok: true, request: null };
  // The values come from the form's own options and checked numbers, so they fit the settings' types.
  const request = { ...(order === null ? {} : { order }), ...(inventory === null ? {} : { inventory }) } as CommandRequest<'configureServices'>;
  return { ok: true, request };
}

/** The fields whose value differs from the current settings, or null when none does. */
function changedFields(fields: readonly string[], next: Record<string, unknown>, current: object): Record<string, unknown> | null {
  const diff: Record<string, unknown> = {};
  for (const field of fields) if (next[field] !== (current as Record<string, unknown>)[field]) diff[field] = next[field];
  return Object.keys(diff).length === 0 ? null : diff;
}
