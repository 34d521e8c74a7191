import { orderRef } from '../../ledger/bindings';
import type { Marketplace } from '../../connectors/ports/marketplace';
import { isSapFailure, type Sap, type SapItem } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import type { OrdersRepository } from './repository';
import type { PostingLease } from './lease';
import type { PostingLimits } from './preflight';
import type { RunCommitments } from './warehouses';
import type { OrderExceptionType } from './exceptions';

/** What the stock flow tells the orders flow: the availability of a SKU, or null when it does not know. */
export interface AvailabilityLookup {
  /** Units of the SKU this order may take: SAP's figure less what other orders not yet in SAP hold; null when unknown. */
  availableFor(sku: string, orderId: string): number | null;
}

/** Everything one run of the orders flow works with. */
export interface OrdersEnv {
  ctx: FlowContext<'orders'>;
  settings: OrdersSettings;
  repo: OrdersRepository;
  sap: Sap;
  /** The marketplace capabilities the orders flow uses. */
  marketplace: Pick<Marketplace, 'orders' | 'shop'>;
  availability: AvailabilityLookup | null;
  lease: PostingLease | null;
  /** What SAP can hold, from this run's company check (null: not read, e.g. the check failed). */
  limits: PostingLimits | null;
  /** Stock promised to Sales Orders created in this run, which SAP's Committed figures read earlier do not show. */
  committed: RunCommitments;
  /** Orders an operator asked to retry (exceptions in 'retrying'). */
  retrying: Set<string>;
  counts: Record<string, number>;
  items: ItemCache;
  now(): Date;
}

export const count = (env: OrdersEnv, key: string, n = 1) => void (env.counts[key] = (env.counts[key] ?? 0) + n);

/** Raises an order's exception (its severity and fix from the catalogue) and notes it on the order's timeline. */
export function raiseOnOrder(
  env: OrdersEnv,
  orderId: string,
  type: OrderExceptionType,
  summary: string,
  rawError: string | null,
  deadlineAt: Date | null = null,
): void {
  // The marketplace order's last update: a dismissed exception stays quiet until the order changes.
  const recordVersion = env.repo.get(orderId)?.lastUpdatedDate ?? null;
  const e = env.ctx.raise({
    type,
    record: orderRef(orderId),
    summary,
    rawError,
    deadlineAt,
    recordVersion,
  });
  if (e.occurrences === 1) env.repo.event(orderId, 'exception', `${type}: ${summary}`, env.now(), { exceptionId: e.id, rawError });
}

/** Resolves every live exception of the orders flow on one order (it went through). */
export function resolveOrder(env: OrdersEnv, orderId: string): void {
  for (const e of env.ctx.ledger.exceptions.live('orders')) {
    if (e.record.type === 'order' && e.record.key === orderId) {
      env.ctx.resolve(e.type, e.record);
      env.repo.event(orderId, 'exception', `${e.type} resolved`, env.now(), { exceptionId: e.id });
    }
  }
}

/** SAP items read once per run (several orders share SKUs). Null: SAP has no such item. */
export class ItemCache {
  private readonly cache = new Map<string, Promise<{ item: SapItem } | { missing: string }>>();
  constructor(private readonly sap: Sap) {}

  get(itemCode: string): Promise<{ item: SapItem } | { missing: string }> {
    let hit = this.cache.get(itemCode);
    if (!hit) {
      hit = this.sap.items.get(itemCode).then(
        (item) => ({ item }),
        (e: unknown) => {
          if (isSapFailure(e) && e.kind === 'not-found') return { missing: e.sapMessage ?? e.message };
          this.cache.delete(itemCode);
          throw e;
        },
      );
      this.cache.set(itemCode, hit);
    }
    return hit;
  }
}

/** Sellable: active (not inactive, not frozen) and a sales item. */
export const sellable = (item: SapItem) => item.active && item.salesItem;
