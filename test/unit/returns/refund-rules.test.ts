import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { MarketplaceOrder, MarketplaceOrderLine, MarketplaceReturn } from '../../../electron/engine/connectors/ports/marketplace';
import { createLedger } from '../../../electron/engine/ledger';
import { planRefund, RefundRefused, refundable } from '../../../electron/engine/flows/returns/refund-requests';
import { ReturnsRepository } from '../../../electron/engine/flows/returns/repository';
import { tempDir } from '../../support/ports';

const d = (v: string | number) => new Decimal(v);

function line(overrides: Partial<MarketplaceOrderLine> = {}): MarketplaceOrderLine {
  return {
    orderLineId: 'L1',
    state: 'shipped',
    stateCode: 'SHIPPED',
    sku: 'SKU1',
    productSku: null,
    title: 'Lamp',
    quantity: 2,
    unitPrice: d('30.00'),
    price: d('60.00'),
    shippingPrice: d('4.99'),
    totalPrice: d('64.99'),
    taxes: [{ code: 'GB-VAT', rate: d(20), amount: d('10.00') }],
    shippingTaxes: [{ code: 'GB-VAT', rate: d(20), amount: d('0.83') }],
    commissionFee: d('6.00'),
    refunds: [],
    raw: {},
    ...overrides,
  };
}

const order = (lines: MarketplaceOrderLine[]): MarketplaceOrder =>
  ({ orderId: 'O-1', commercialId: 'C-1', lines, taxMode: 'TAX_INCLUDED', currency: 'GBP' }) as unknown as MarketplaceOrder;

describe('refunds from the console: what may be sent', () => {
  it('sends the taxes inside each refunded amount, in proportion to the part refunded', () => {
    const [planned] = planRefund(order([line()]), {
      orderId: 'O-1',
      reasonCode: '17',
      actor: 'fin',
      lines: [{ orderLineId: 'L1', quantity: 1, amount: '30.00', shippingAmount: '4.99' }],
    });
    expect(planned).toEqual({
      orderLineId: 'L1',
      quantity: 1,
      amount: '30.00',
      shippingAmount: '4.99',
      taxes: [{ code: 'GB-VAT', amount: '5.00' }],
      shippingTaxes: [{ code: 'GB-VAT', amount: '0.83' }],
    });
  });

  it('refuses more than is left to refund on the line, counting refunds already made', () => {
    const refunded = line({
      refunds: [
        {
          refundId: 'R1',
          amount: d('50.00'),
          shippingAmount: d(0),
          taxes: [],
          shippingTaxes: [],
          quantity: 1,
          reasonCode: '17',
          state: 'refunded',
          stateCode: 'REFUNDED',
          createdDate: null,
        },
      ],
    });
    expect(refundable(order([refunded])).get('L1')).toEqual({ amount: d('10.00'), shipping: d('4.99'), units: 1 });
    const ask =
      (amount: string, shippingAmount = '0', quantity = 0) =>
      () =>
        planRefund(order([refunded]), { orderId: 'O-1', reasonCode: '17', actor: 'fin', lines: [{ orderLineId: 'L1', quantity, amount, shippingAmount }] });
    expect(ask('10.01')).toThrow(/10\.01 is more than the 10\.00 left to refund/);
    expect(ask('0', '5.00')).toThrow(/shipping 5\.00 is more than the 4\.99 left/);
    expect(ask('1', '0', 2)).toThrow(/2 unit\(s\) is more than the 1 not yet refunded/);
    expect(ask('0')).toThrow(RefundRefused);
    expect(ask('10.00')).not.toThrow();
  });

  it('refuses a line the order does not have', () => {
    expect(() =>
      planRefund(order([line()]), {
        orderId: 'O-1',
        reasonCode: '17',
        actor: 'fin',
        lines: [{ orderLineId: 'L9', quantity: 1, amount: '1', shippingAmount: '0' }],
      }),
    ).toThrow('Order O-1 has no line L9');
  });
});

describe('a return in the ledger: what the marketplace says and what the console already did', () => {
  const tmp = tempDir('returns-repo-');
  afterAll(() => tmp.cleanup());
  const ret = (state: MarketplaceReturn['state']): MarketplaceReturn => ({
    id: 'RET-1',
    rma: 'RMA1',
    state,
    stateCode: state.toUpperCase(),
    orderId: 'O-1',
    commercialId: 'C-1',
    reasonCode: 'RETURN_CHANGED_MIND',
    lines: [{ orderLineId: 'L1', quantity: 1, reasonCode: null }],
    createdDate: '2026-11-01T10:00:00Z',
    lastUpdated: '2026-11-01T10:00:00Z',
    raw: {},
  });

  it('goods booked in stay booked in until the marketplace shows them received; closed on the marketplace wins', () => {
    const ledger = createLedger(tmp.file('r.db'));
    const repo = new ReturnsRepository(ledger.db);
    const at = new Date('2026-11-02T00:00:00Z');
    expect(repo.upsertReturn(ret('awaiting-acceptance'), at).after.stage).toBe('awaiting-acceptance');
    expect(repo.upsertReturn(ret('in-progress'), at).after.stage).toBe('awaiting-goods');
    repo.markReceived('RET-1', 'warehouse', at);
    expect(repo.upsertReturn(ret('in-progress'), at).after.stage).toBe('receiving');
    expect(repo.upsertReturn(ret('received'), at).after.stage).toBe('received');
    repo.setReturnStage('RET-1', 'credited', at);
    expect(repo.upsertReturn(ret('closed'), at).after.stage).toBe('credited');
    expect(repo.upsertReturn({ ...ret('cancelled'), id: 'RET-2' }, at).after.stage).toBe('closed');
    ledger.close();
  });
});
