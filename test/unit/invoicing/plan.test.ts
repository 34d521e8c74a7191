import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { MarketplaceOrder, MarketplaceOrderLine } from '../../../electron/engine/connectors/ports/marketplace';
import type { SalesDocumentLine, VatGroup } from '../../../electron/engine/connectors/ports/sap';
import { planInvoice, type OpenDeliveryLine } from '../../../electron/engine/flows/invoicing';
import { DEFAULT_ORDERS_SETTINGS, type OrdersSettings } from '../../../shared/domain/orders';

const d = (v: string | number) => new Decimal(v);
const GROUPS: VatGroup[] = [
  { code: 'O1', name: 'Standard', rate: d(20) },
  { code: 'O2', name: 'Reduced', rate: d(5) },
  { code: 'O3', name: 'Zero', rate: d(0) },
  { code: 'OX', name: 'Standard (export)', rate: d(20) },
];
const standard = (amount: string | null) => [{ code: 'GB-VAT-STD', rate: d(20), amount: amount === null ? null : d(amount) }];

function mpLine(id: string, unit: string, quantity: number, shipping: string, taxMode: 'gross' | 'net' = 'gross'): MarketplaceOrderLine {
  const price = d(unit).times(quantity);
  const net = taxMode === 'gross' ? price.div(1.2).toDecimalPlaces(2) : price;
  const shippingNet = taxMode === 'gross' ? d(shipping).div(1.2).toDecimalPlaces(2) : d(shipping);
  return {
    orderLineId: id,
    state: 'shipped',
    stateCode: null,
    sku: id,
    productSku: null,
    title: null,
    quantity,
    unitPrice: d(unit),
    price,
    shippingPrice: d(shipping),
    totalPrice: price.plus(shipping),
    taxes: standard(taxMode === 'gross' ? price.minus(net).toFixed(2) : net.times(0.2).toDecimalPlaces(2).toFixed(2)),
    shippingTaxes: d(shipping).isZero()
      ? []
      : standard(taxMode === 'gross' ? d(shipping).minus(shippingNet).toFixed(2) : shippingNet.times(0.2).toDecimalPlaces(2).toFixed(2)),
    commissionFee: null,
    refunds: [],
    raw: {},
  };
}

/** A Delivery Note line as SAP computes it from a gross unit price (net price to 6 places, totals to pence). */
function dnLine(lineNum: number, gross: string, quantity: number, open = quantity, vatGroup = 'O1', rate = 20): SalesDocumentLine {
  const price = d(gross)
    .div(1 + rate / 100)
    .toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  const lineTotal = price.times(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return {
    lineNum,
    itemCode: `ITEM${lineNum}`,
    quantity: d(quantity),
    openQuantity: d(open),
    open: open > 0,
    warehouse: '01',
    marketplaceLineId: null,
    unitPrice: price,
    lineTotal,
    vatTotal: lineTotal.times(rate).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
    vatGroup,
    batches: [],
    serials: [],
    withoutStock: false,
    base: { kind: 'sales-order', docEntry: 7, lineNum },
  };
}

function order(lines: MarketplaceOrderLine[], taxMode: 'TAX_INCLUDED' | 'TAX_EXCLUDED' = 'TAX_INCLUDED'): MarketplaceOrder {
  return { orderId: '1001-A', commercialId: '1001', taxMode, currency: 'GBP', lines } as unknown as MarketplaceOrder;
}

const open = (line: SalesDocumentLine, marketplaceLine: MarketplaceOrderLine | null, quantity = line.openQuantity.toNumber()): OpenDeliveryLine => ({
  delivery: { docEntry: 40, docNum: 540 },
  line,
  quantity,
  marketplaceLine,
});
const settings = (patch: Partial<OrdersSettings> = {}): OrdersSettings => ({ ...DEFAULT_ORDERS_SETTINGS, ...patch });
const plan = (lines: OpenDeliveryLine[], o: MarketplaceOrder, s = settings()) =>
  planInvoice({ order: o, numAtCard: '1001', customer: 'C-JLM', lines, vatGroups: GROUPS, settings: s });

describe('the invoice for an order’s open Delivery Note lines', () => {
  it('copies each line, charges the lines’ shipping as freight at the goods’ VAT group, and rounds SAP’s total to the marketplace’s', () => {
    const a = mpLine('L1', '3.33', 3, '3.95');
    const b = mpLine('L2', '7.77', 2, '0.00');
    const p = plan([open(dnLine(0, '3.33', 3), a), open(dnLine(1, '7.77', 2), b)], order([a, b]));
    // 9.99 + 15.54 + 3.95: what the marketplace pays.
    expect(p.marketplaceTotal.toFixed(2)).toBe('29.48');
    // SAP: 8.33 + 1.67 (3 × 2.775) and 12.95 + 2.59 (2 × 6.475), freight 3.95 gross.
    expect(p.sapTotal.toFixed(2)).toBe('29.49');
    expect(p.rounding.toFixed(2)).toBe('-0.01');
    expect(p.draft).toMatchObject({
      customer: 'C-JLM',
      customerReference: '1001',
      marketplaceOrderId: '1001-A',
      pricesIncludeVat: true,
      lines: [
        { base: { kind: 'delivery-note', docEntry: 40, lineNum: 0 }, quantity: 3 },
        { base: { kind: 'delivery-note', docEntry: 40, lineNum: 1 }, quantity: 2 },
      ],
      freight: { expenseCode: 1, vatGroup: 'O1' },
    });
    expect(p.draft.freight!.amount.toFixed(2)).toBe('3.95');
    expect(p.draft.rounding!.toFixed(2)).toBe('-0.01');
  });

  it('with net prices sends the freight net and counts the marketplace’s taxes in what it pays', () => {
    const a = mpLine('L1', '10.00', 2, '5.00', 'net');
    const line = dnLine(0, '12.00', 2);
    const p = plan([open(line, a)], order([a], 'TAX_EXCLUDED'), settings({ taxMode: 'TAX_EXCLUDED' }));
    expect(p.draft.pricesIncludeVat).toBe(false);
    expect(p.draft.freight!.amount.toFixed(2)).toBe('5.00');
    // 20.00 + 4.00 VAT, shipping 5.00 + 1.00 VAT.
    expect(p.marketplaceTotal.toFixed(2)).toBe('30.00');
    expect(p.sapTotal.toFixed(2)).toBe('30.00');
    expect(p.draft.rounding).toBeUndefined();
  });

  it('invoices what is still open of a line, and the marketplace’s share of it', () => {
    const a = mpLine('L1', '12.00', 3, '6.00');
    const p = plan([open(dnLine(0, '12.00', 3, 1), a, 1)], order([a]));
    expect(p.draft.lines).toEqual([{ base: { kind: 'delivery-note', docEntry: 40, lineNum: 0 }, quantity: 1 }]);
    expect(p.goods.toFixed(2)).toBe('12.00');
    expect(p.shipping.toFixed(2)).toBe('2.00');
    expect(p.draft.freight!.amount.toFixed(2)).toBe('2.00');
  });

  it('takes the freight’s VAT group from the goods it ships when SAP has several groups at the shipping’s rate', () => {
    const a = mpLine('L1', '12.00', 1, '6.00');
    const p = plan([open(dnLine(0, '12.00', 1, 1, 'OX'), a)], order([a]));
    expect(p.draft.freight!.vatGroup).toBe('OX');
  });

  it('stops for a person when the totals differ by more than the rounding allowed, or a line is not on the marketplace order', () => {
    const a = mpLine('L1', '12.00', 1, '0.00');
    // The Delivery Note holds the item at 14.40 gross: SAP 14.40, the marketplace 12.00.
    expect(() => plan([open(dnLine(0, '14.40', 1), a)], order([a]))).toThrow(
      expect.objectContaining({ type: 'totals-differ', summary: expect.stringContaining('SAP would total the invoice 14.40, the marketplace pays 12.00') }),
    );
    expect(() => plan([open(dnLine(0, '12.00', 1), a), open(dnLine(1, '5.00', 1), null)], order([a]))).toThrow(
      expect.objectContaining({ type: 'delivery-line-unknown', summary: expect.stringContaining('Delivery Note 540 line 1 (ITEM1)') }),
    );
    // A shipping service item copied from the Sales Order is the shipping, not an unknown line.
    const withShipping = mpLine('L1', '12.00', 1, '3.60');
    const p = plan(
      [open(dnLine(0, '12.00', 1), withShipping), { ...open(dnLine(1, '3.60', 1), null), line: { ...dnLine(1, '3.60', 1), itemCode: 'SHIP' } }],
      order([withShipping]),
      settings({ shipping: { as: 'service-item', itemCode: 'SHIP' } }),
    );
    expect(p.draft.freight).toBeUndefined();
    expect(p.marketplaceTotal.toFixed(2)).toBe('15.60');
    expect(p.sapTotal.toFixed(2)).toBe('15.60');
  });
});
