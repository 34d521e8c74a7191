import type { Carrier, Marketplace, PlatformConfig } from '../../connectors/ports/marketplace';
import type { OrderStates } from './order-states';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { DespatchSettings } from '../../../../shared/domain/despatch';
import type { TaxMode } from '../../connectors/ports/marketplace';
import type { DespatchRepository } from './repository';
import type { PostedOrders } from '../orders/posted-orders';
import { orderRef } from '../../ledger/bindings';
import type { DespatchExceptionType } from './exceptions';

/** Everything one run of the despatch flow works with. */
export interface DespatchEnv {
  ctx: FlowContext<'despatch'>;
  settings: DespatchSettings;
  /** The SAP customer the orders flow posts marketplace orders to: only its Delivery Notes are read. */
  cardCode: string;
  taxMode: TaxMode;
  repo: DespatchRepository;
  /** The orders flow's posted orders, found from a Sales Order through its binding. */
  postedOrders: PostedOrders;
  sap: Sap;
  /** The marketplace capabilities the despatch flow uses. */
  marketplace: Pick<Marketplace, 'orders' | 'shipping' | 'shop'>;
  /** Orders an operator asked to retry (a despatch exception in 'retrying'). */
  retrying: Set<string>;
  counts: Record<string, number>;
  /** SH21, read at most once a run (the connector caches it a day). */
  carriers(): Promise<Carrier[]>;
  /** PC01, read only when a partial delivery needs it. */
  platform(): Promise<PlatformConfig>;
  /** The marketplace's view of the orders this run confirms, read in batches. */
  orders: OrderStates;
  now(): Date;
}

export const count = (env: DespatchEnv, key: string, n = 1) => void (env.counts[key] = (env.counts[key] ?? 0) + n);

export { orderRef };

/** Raises a despatch exception on an order and, the first time, notes it on the order's timeline. */
export function raiseOnOrder(
  env: DespatchEnv,
  orderId: string,
  type: DespatchExceptionType,
  summary: string,
  rawError: string | null = null,
  deadlineAt: Date | null = null,
): void {
  const e = env.ctx.raise({
    type,
    record: orderRef(orderId),
    summary,
    rawError,
    deadlineAt,
    recordVersion: despatchVersion(env, orderId),
  });
  if (e.occurrences === 1) env.repo.event(orderId, 'exception', `${type}: ${summary}`, env.now(), { exceptionId: e.id, rawError });
}

/** What the despatch of an order is now: its latest Delivery Note and that note's SAP update stamp, the order's marketplace state and deadline. */
function despatchVersion(env: DespatchEnv, orderId: string): string | null {
  const despatch = env.repo.get(orderId);
  const delivery = despatch ? env.repo.delivery(despatch.deliveryEntry, orderId) : null;
  const order = env.postedOrders.get(orderId);
  if (!despatch && !order) return null;
  return [
    despatch ? `DN ${despatch.deliveryEntry}@${delivery?.updateStamp ?? ''}` : 'no DN',
    order?.marketplaceState ?? '',
    order?.shippingDeadline ?? '',
  ].join('|');
}

/** Resolves the order's live despatch exceptions of the given types (all when absent), except `keep`. */
export function resolveOnOrder(env: DespatchEnv, orderId: string, types?: readonly string[], keep?: string): void {
  for (const e of env.ctx.ledger.exceptions.live('despatch')) {
    if (e.record.type !== 'order' || e.record.key !== orderId || e.type === keep) continue;
    if (types && !types.includes(e.type)) continue;
    env.ctx.resolve(e.type, e.record);
    env.repo.event(orderId, 'exception', `${e.type} resolved`, env.now(), { exceptionId: e.id });
  }
}

/** Memoises one read per run. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let hit: Promise<T> | undefined;
  return () => {
    if (!hit)
      hit = read().catch((e: unknown) => {
        hit = undefined;
        throw e;
      });
    return hit;
  };
}
