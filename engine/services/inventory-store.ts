/**
 * One inventory database: stock per product, and the orderIds it applied (for dedupe-by-orderId,
 * an idempotent consumer's processed-ids table). Each inventory replica has its own store in the
 * seed's experiment (each Spring app with its own H2 database); production shares one.
 *
 * A decrement follows labshop's Inventory.decreaseStock: `repository.findById(productId)
 * .ifPresent(inventory -> inventory.setStock(inventory.getStock() - qty))` — an order for a
 * product the store has no row for changes nothing (the caller logs it; the figures count it).
 *
 * Invariants: at most servicesLimits.productsPerStoreMax products (a new one beyond is refused with
 * POLICY_VIOLATION); at most servicesLimits.dedupeOrderIdsPerStoreMax remembered orderIds, the
 * oldest forgotten first; stock values are integers (they may go negative: the app does not check).
 */
import type { z } from 'zod';
import type { StockEntrySchema } from '../api/services-dto.js';
import { KafkaError } from '../core/kafka-errors.js';
import { servicesLimits } from './services-limits.js';

export type StockEntry = z.infer<typeof StockEntrySchema>;

export class InventoryStore {
  private readonly stock = new Map<number, number>();
  /** Insertion-ordered, so the oldest orderId is forgotten first. */
  private readonly appliedOrderIds = new Set<number>();

  constructor(
    /** "inventory-1's database" or "the shared inventory database", for messages. */
    readonly name: string,
  ) {}

  /** POST /inventories {id, stock}: creates or replaces the row (Spring Data's save). */
  set(productId: number, stock: number): void {
    if (!this.stock.has(productId) && this.stock.size >= servicesLimits.productsPerStoreMax) {
      throw new KafkaError('POLICY_VIOLATION', `${this.name} holds at most ${servicesLimits.productsPerStoreMax} products; product ${productId} was not added.`);
    }
    this.stock.set(productId, stock);
  }

  get(productId: number): number | undefined {
    return this.stock.get(productId);
  }

  /** The rows, by product id. */
  entries(): StockEntry[] {
    return [...this.stock].sort(([a], [b]) => a - b).map(([productId, stock]) => ({ productId, stock }));
  }

  /** Decrements the product's stock if the store has a row for it; says whether it had. */
  decrement(productId: number, qty: number): boolean {
    const current = this.stock.get(productId);
    if (current === undefined) return false;
    this.stock.set(productId, current - qty);
    return true;
  }

  hasApplied(orderId: number): boolean {
    return this.appliedOrderIds.has(orderId);
  }

  rememberApplied(orderId: number): void {
    if (this.appliedOrderIds.has(orderId)) return;
    if (this.appliedOrderIds.size >= servicesLimits.dedupeOrderIdsPerStoreMax) {
      const oldest = this.appliedOrderIds.values().next().value;
      if (oldest !== undefined) this.appliedOrderIds.delete(oldest);
    }
    this.appliedOrderIds.add(orderId);
  }
}
