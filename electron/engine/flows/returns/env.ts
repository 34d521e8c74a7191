import type { Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { ReturnsSettings } from '../../../../shared/domain/finance';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import type { RecordRef } from '../../../../shared/domain/exceptions';
import type { PostedOrders } from '../orders/posted-orders';
import type { InvoicedOrders } from '../invoicing/invoiced-orders';
import { orderRef } from '../../ledger/bindings';
import type { ReturnsExceptionType } from './exceptions';
import type { ReturnsRepository } from './repository';

/** Everything one run of the returns flow works with. */
export interface ReturnsEnv {
  ctx: FlowContext<'returns'>;
  settings: ReturnsSettings;
  /** The orders flow's settings: the SAP customer, tax mode, shipping as freight, rounding. */
  orders: OrdersSettings;
  repo: ReturnsRepository;
  postedOrders: PostedOrders;
  invoiced: InvoicedOrders;
  sap: Sap;
  marketplace: Pick<Marketplace, 'orders' | 'returns' | 'shop'>;
  /** Records a person asked to retry (an exception of this flow in 'retrying'), by record type and key. */
  retrying: Set<string>;
  counts: Record<string, number>;
  /** Decimal places SAP keeps on prices (its company setup), for predicting its totals. */
  priceDecimals: number;
  /** Set when a refund asked the invoicing flow for an invoice: it is started after this run. */
  wantsInvoicing: boolean;
  now(): Date;
}

export const count = (env: ReturnsEnv, key: string, n = 1) => void (env.counts[key] = (env.counts[key] ?? 0) + n);
export const retryKey = (record: RecordRef) => `${record.type}:${record.key}`;

/** Raises a returns exception on a return or refund and notes it on the order's timeline the first time. */
export function raise(
  env: ReturnsEnv,
  record: RecordRef,
  orderId: string | null,
  type: ReturnsExceptionType,
  summary: string,
  rawError: string | null = null,
): void {
  const e = env.ctx.raise({ type, record, summary, rawError });
  if (orderId && e.occurrences === 1) env.ctx.ledger.timeline.add(orderRef(orderId), 'exception', summary, env.now(), { exceptionId: e.id, type });
}

/** Notes something on the order's timeline (intake to payout, one story). */
export function event(
  env: ReturnsEnv,
  orderId: string | null,
  source: 'marketplace' | 'sap' | 'operator' | 'engine',
  summary: string,
  detail: unknown = null,
): void {
  if (orderId) env.ctx.ledger.timeline.add(orderRef(orderId), source, summary, env.now(), detail);
}
