import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { MarketplaceOrder, MarketplaceOrderLine } from '../../../electron/engine/connectors/ports/marketplace';
import { problemsOf, initialStage } from '../../../electron/engine/flows/orders/intake';
import { unfitValue } from '../../../electron/engine/flows/orders/sap-limits';
import { statedGrossAndNet, vatFits } from '../../../electron/engine/flows/orders/vat';
import { chooseWarehouses, RunCommitments } from '../../../electron/engine/flows/orders/warehouses';
import type { PostingLimits } from '../../../electron/engine/flows/orders/preflight';
import { DEFAULT_ORDERS_SETTINGS } from '../../../shared/domain/orders';

const d = (v: string | number) => new Decimal(v);
function line(overrides: Partial<MarketplaceOrderLine> = {}): MarketplaceOrderLine {
  return {
    orderLineId: 'L1',
    state: 'shipping',
    stateCode: 'SHIPPING',
    sku: 'SKU1',
    productSku: null,
    title: null,
    quantity: 2,
    unitPrice: d('12.00'),
    price: d('24.00'),
    shippingPrice: d('0'),
    totalPrice: d('24.00'),
    taxes: [],
    shippingTaxes: [],
    refunds: [],
    commissionFee: null,
    raw: {},
    ...overrides,
  };
}
function order(overrides: Partial<MarketplaceOrder> = {}): MarketplaceOrder {
  return {
    orderId: '000000086-A',
    commercialId: '000000086',
    referenceForCustomer: null,
    state: 'shipping',
    stateCode: 'SHIPPING',
    createdDate: '2026-06-30T23:30:00Z',
    lastUpdatedDate: null,
    acceptanceDecisionDate: null,
    shippingDeadline: null,
    taxMode: 'TAX_INCLUDED',
    currency: 'GBP',
    price: d('24.00'),
    shippingPrice: d('0'),
    totalPrice: d('24.00'),
    totalCommission: null,
    orderTaxes: [],
    canCancel: true,
    shippingCarrierCode: null,
    shippingTracking: null,
    shippingAddress: null,
    billingAddress: null,
    customerName: null,
    raw: {},
    lines: [line()],
    ...overrides,
  };
}

describe('VAT without tax lines', () => {
  it('a line the marketplace sent without tax is gross = net: only a zero rate fits it, never 20 % by assumption', () => {
    const stated = statedGrossAndNet(order(), line(), true);
    expect(stated).toEqual({ gross: d('24.00'), net: d('24.00') });
    expect(vatFits(d(20), stated.gross, stated.net, 2)).toBe(false);
    expect(vatFits(d(0), stated.gross, stated.net, 2)).toBe(true);
  });

  it('order-level taxes give the line its net, so the item’s 20 % group fits', () => {
    const o = order({ orderTaxes: [{ code: 'GB-VAT-STD', rate: d(20), amount: d('4.00') }] });
    const stated = statedGrossAndNet(o, o.lines[0]!, true);
    expect(stated).toEqual({ gross: d('24.00'), net: d('20.00') });
    expect(vatFits(d(20), stated.gross, stated.net, 2)).toBe(true);
    expect(vatFits(d(5), stated.gross, stated.net, 2)).toBe(false);
  });
});

describe('orders the marketplace sent in a shape that cannot be posted', () => {
  it('names duplicate line ids, no lines, bad quantities and unknown states; a sound order passes', () => {
    expect(problemsOf(order())).toBeNull();
    expect(problemsOf(order({ lines: [] }))).toEqual({ type: 'order-invalid', detail: 'the order has no lines' });
    expect(problemsOf(order({ lines: [line(), line({ sku: 'SKU2' })] }))?.detail).toBe("line id 'L1' appears more than once");
    expect(problemsOf(order({ lines: [line({ quantity: 0 })] }))?.detail).toBe('line L1 has the quantity 0');
    expect(problemsOf(order({ lines: [line({ quantity: -1, state: 'cancelled' })] }))).toBeNull();
    expect(problemsOf(order({ state: 'unknown', stateCode: 'ON_HOLD_FOR_FRAUD' }))).toEqual({
      type: 'order-state-unknown',
      detail: "the marketplace reports the state 'ON_HOLD_FOR_FRAUD'",
    });
    // An unknown state never starts as accepted.
    expect(initialStage('unknown')).toBe('blocked');
  });
});

describe('values SAP cannot hold', () => {
  const limits: PostingLimits = {
    orderIdLength: 50,
    lineIdLength: 50,
    orderIdField: 'ORDR.U_JLM_OrderId',
    lineIdField: 'RDR1.U_JLM_LineId',
    partnerCurrency: 'GBP',
    company: { localCurrency: 'GBP', systemCurrency: 'GBP', priceDecimals: 2, totalsDecimals: 2, currencies: ['GBP', 'EUR'] },
  };
  it('refuses before the create, naming the value and SAP’s limit', () => {
    expect(unfitValue(order(), limits, DEFAULT_ORDERS_SETTINGS)).toBeNull();
    expect(unfitValue(order({ orderId: `${'9'.repeat(60)}-A` }), limits, DEFAULT_ORDERS_SETTINGS)).toBe(
      "the order id has 62 characters; SAP's field ORDR.U_JLM_OrderId holds 50",
    );
    expect(unfitValue(order({ currency: 'USD' }), limits, DEFAULT_ORDERS_SETTINGS)).toBe(
      'the order is in USD, a currency the SAP company does not have (it has GBP, EUR)',
    );
    expect(unfitValue(order({ currency: 'EUR' }), limits, DEFAULT_ORDERS_SETTINGS)).toBe('the order is in EUR; business partner C-JLM is kept in GBP');
    expect(unfitValue(order({ lines: [line({ unitPrice: d('12.34567'), price: d('24.69') })] }), limits, DEFAULT_ORDERS_SETTINGS)).toBe(
      "line L1's unit price 12.34567 has 5 decimal places; SAP keeps prices to 2",
    );
    expect(unfitValue(order({ commercialId: 'X'.repeat(101) }), limits, DEFAULT_ORDERS_SETTINGS)).toBe(
      "the customer's order number has 101 characters; SAP's NumAtCard holds 100",
    );
  });
});

describe('warehouse per line', () => {
  const stock = (rows: Record<string, [number, number][]>) => (item: string) =>
    (rows[item] ?? []).map(([inStock, committed], i) => ({ warehouseCode: `0${i + 1}`, inStock, committed }));
  it('takes each line from the first warehouse in the list with its quantity available, else the default', () => {
    const of = stock({
      A: [
        [0, 0],
        [5, 1],
        [10, 0],
      ],
      B: [
        [3, 3],
        [0, 0],
        [0, 0],
      ],
    });
    expect(
      chooseWarehouses(
        [
          { itemCode: 'A', quantity: 2 },
          { itemCode: 'B', quantity: 1 },
        ],
        of,
        ['01', '02', '03'],
        '01',
      ),
    ).toEqual(['02', '01']);
    // Two lines of one item share what a warehouse has; no list: the default.
    expect(
      chooseWarehouses(
        [
          { itemCode: 'A', quantity: 3 },
          { itemCode: 'A', quantity: 3 },
        ],
        of,
        ['02', '03'],
        '01',
      ),
    ).toEqual(['02', '03']);
    expect(chooseWarehouses([{ itemCode: 'A', quantity: 2 }], of, [], '04')).toEqual(['04']);
  });

  it('counts what earlier orders of the same run took, which SAP’s figures do not show yet', () => {
    const of = stock({
      A: [
        [1, 0],
        [5, 0],
      ],
    });
    const run = new RunCommitments();
    run.add([{ itemCode: 'A', warehouse: '01', quantity: 1 }]);
    expect(chooseWarehouses([{ itemCode: 'A', quantity: 1 }], of, ['01', '02'], '01', (i, w) => run.get(i, w))).toEqual(['02']);
  });
});
