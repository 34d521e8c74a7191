import type { CommandResponse, QueryResponse } from '../../shared/contract';
import type { OrderDetail, OrderSummary } from '../../shared/contract/orders';

export function makeOrder(overrides: Partial<OrderSummary> = {}): OrderSummary {
  return {
    orderId: '000000101-A',
    commercialId: '000000101',
    numAtCard: '000000101',
    marketplaceState: 'SHIPPING',
    stage: 'posted',
    totalPrice: '43.93',
    currency: 'GBP',
    createdDate: new Date(Date.now() - 3_600_000).toISOString(),
    acceptanceDeadline: null,
    shippingDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    docEntry: 7,
    docNum: 7,
    sapTotal: '43.94',
    rounding: '-0.01',
    ...overrides,
  };
}

/** The orders flow's screen messages, in memory: a test sets what the engine would answer. */
export class FakeOrders {
  orders: OrderSummary[] = [];
  details: OrderDetail[] = [];
  /** What the SAP company check reports, given whether the operator asked for the missing fields to be created. */
  /** The SKUs mapped to another SAP item; orders.mapSku adds to it (or removes, mapped to its own code). */
  skuMappings: { sku: string; itemCode: string; mappedAt: string }[] = [];
  vatMappings: QueryResponse<'orders.vatMappings'> = [];
  preflight: (createFields: boolean) => CommandResponse<'orders.preflight'> = () => ({ ok: true, checks: [], missingFields: [], createdFields: [] });

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'orders.list': {
        const term = String(r.search ?? '');
        const rows = this.orders.filter(
          (o) => (!r.stage || o.stage === r.stage) && (!term || [o.orderId, o.numAtCard, o.commercialId, String(o.docNum)].some((v) => v?.includes(term))),
        );
        const offset = r.offset as number;
        const stages: Record<string, number> = {};
        for (const o of this.orders) stages[o.stage] = (stages[o.stage] ?? 0) + 1;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length, stages };
      }
      case 'orders.get':
        return this.details.find((d) => d.order.orderId === r.orderId) ?? null;
      case 'orders.vatMappings':
        return this.vatMappings;
      case 'orders.skuMappings': {
        const term = String(r.search ?? '');
        const rows = this.skuMappings.filter((m) => !term || m.sku.includes(term) || m.itemCode.includes(term)).sort((a, b) => a.sku.localeCompare(b.sku));
        const offset = r.offset as number;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
      }
      case 'orders.decide':
        return { ...this.orders.find((o) => o.orderId === r.orderId)! };
      case 'orders.mapSku':
        this.skuMappings = this.skuMappings.filter((m) => m.sku !== r.sku);
        if (r.sku !== r.itemCode) this.skuMappings.push({ sku: String(r.sku), itemCode: String(r.itemCode), mappedAt: new Date().toISOString() });
        return { retried: this.orders.filter((o) => o.stage === 'blocked').map((o) => o.orderId) };
      case 'orders.mapVat':
        return { retried: this.orders.filter((o) => o.stage === 'blocked').map((o) => o.orderId) };
      case 'orders.preflight':
        return this.preflight(r.createFields as boolean);
      default:
        throw new Error(`FakeOrders does not answer ${name}`);
    }
  }
}
