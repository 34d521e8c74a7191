import type { Sap, VatGroup } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import type { InvoicingSettings } from '../../../../shared/domain/finance';
import type { PostedOrders } from '../orders/posted-orders';
import { orderRef } from '../../ledger/bindings';
import type { InvoicingExceptionType } from './exceptions';
import type { InvoicingRepository } from './repository';

/** Everything one run of the invoicing flow works with. */
export interface InvoicingEnv {
  ctx: FlowContext<'invoicing'>;
  settings: InvoicingSettings;
  /** The orders flow's settings: the customer, the tax mode, shipping as freight, the rounding allowed, the settle time. */
  orders: OrdersSettings;
  repo: InvoicingRepository;
  sap: Sap;
  /** The orders flow's posted orders: the customer's number, and the marketplace order as last read. */
  postedOrders: PostedOrders;
  /** SAP's output VAT groups, read once a run (only when an invoice needs them). */
  vatGroups(): Promise<VatGroup[]>;
  counts: Record<string, number>;
  now(): Date;
}

export const count = (env: InvoicingEnv, key: string, n = 1) => void (env.counts[key] = (env.counts[key] ?? 0) + n);

/** Raises an invoicing exception on an order and, the first time, notes it on the order's timeline; returns its id. */
export function raiseOnOrder(env: InvoicingEnv, orderId: string, type: InvoicingExceptionType, summary: string, rawError: string | null): number {
  const e = env.ctx.raise({
    type,
    record: orderRef(orderId),
    summary,
    rawError,
    // A dismissed problem stays quiet until the order's deliveries change.
    recordVersion: env.repo.deliveriesOf(orderId).join(','),
  });
  if (e.occurrences === 1) env.repo.event(orderId, 'exception', `${type}: ${summary}`, env.now(), { exceptionId: e.id, rawError });
  // A person's retry of another problem on this order has been answered: by this one.
  for (const other of env.ctx.ledger.exceptions.live('invoicing')) {
    if (other.id !== e.id && other.state === 'retrying' && other.record.type === 'order' && other.record.key === orderId)
      env.ctx.resolve(other.type, other.record);
  }
  return e.id;
}

/** Resolves the order's live invoicing exceptions (all but `keep`): its invoice went through. */
export function resolveOnOrder(env: InvoicingEnv, orderId: string, keep: readonly string[] = []): void {
  for (const e of env.ctx.ledger.exceptions.live('invoicing')) {
    if (e.record.type !== 'order' || e.record.key !== orderId || keep.includes(e.type)) continue;
    env.ctx.resolve(e.type, e.record);
    env.repo.event(orderId, 'exception', `${e.type} resolved`, env.now(), { exceptionId: e.id });
  }
}

/** Once a run. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let hit: Promise<T> | undefined;
  return () =>
    (hit ??= read().catch((e: unknown) => {
      hit = undefined;
      throw e;
    }));
}
