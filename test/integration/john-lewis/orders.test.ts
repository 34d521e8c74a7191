import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMarketplaceError } from '../../../electron/engine/connectors/john-lewis';
import { isDryRunBlocked } from '../../../electron/engine/net/errors';
import { startRig, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  // A fresh hour: every test's orders are new updates to the connector, and no governor window carries over.
  await rig.clock.advance(3_600_000);
  rig.emulator.admin.reset();
  rig.emulator.admin.seedOffers([
    { sku: 'SOFA-1', quantity: 5, price: '24.00' },
    { sku: 'BOOK-1', quantity: 9, price: '10.50', taxes: ['zero'] },
    { sku: 'SEAT-1', quantity: 2, price: '21.00', taxes: ['reduced'] },
  ]);
});

describe('orders against the emulator', () => {
  it('lists new orders with the raw key, a comma list of states, an explicit tax mode and max 100', async () => {
    rig.emulator.admin.createOrders({ count: 3 });
    const { orders, watermark } = await rig.drive(
      rig.marketplace.orders.list({ since: null, states: ['awaiting-acceptance', 'shipping'], taxMode: 'TAX_INCLUDED' }),
    );
    expect(orders.map((o) => o.orderId)).toEqual(['000000101-A', '000000102-A', '000000103-A']);
    expect(orders[0]!.commercialId).toBe('000000101');
    expect(orders[0]!.shippingAddress).toBeNull();
    expect(watermark).toBe(orders[2]!.lastUpdatedDate);
    const call = rig.emulator.admin.calls().at(-1)!;
    expect(call.authorization).toBe(rig.emulator.apiKey);
    const q = new URLSearchParams(call.query);
    expect(q.get('order_state_codes')).toBe('WAITING_ACCEPTANCE,SHIPPING');
    expect(q.get('order_tax_mode')).toBe('TAX_INCLUDED');
    expect(q.get('max')).toBe('100');
  });

  it('pages past 100 orders and hands each order update out once despite the watermark overlap', async () => {
    rig.emulator.admin.createOrders({ count: 130 });
    const first = await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    expect(first.orders).toHaveLength(130);
    expect(new Set(first.orders.map((o) => o.orderId)).size).toBe(130);
    const again = await rig.drive(rig.marketplace.orders.list({ since: first.watermark, taxMode: 'TAX_INCLUDED' }));
    expect(again.orders).toHaveLength(0);
    const offsets = rig.emulator.admin
      .calls()
      .filter((c) => c.operation === 'OR11')
      .map((c) => new URLSearchParams(c.query).get('offset'));
    expect(offsets.slice(0, 2)).toEqual(['0', '100']);
    // The second poll asked from before the watermark (overlap), so a late write is not missed.
    const start = new URLSearchParams(rig.emulator.admin.calls().at(-1)!.query).get('start_update_date')!;
    expect(Date.parse(start)).toBeLessThan(Date.parse(first.watermark!));
    // An updated order comes back once more.
    const [one] = first.orders;
    await rig.drive(
      rig.marketplace.orders.accept(
        one!.orderId,
        one!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    const third = await rig.drive(rig.marketplace.orders.list({ since: first.watermark, taxMode: 'TAX_INCLUDED' }));
    expect(third.orders.map((o) => `${o.orderId} ${o.state} ${o.stateCode}`)).toEqual([`${one!.orderId} awaiting-debit WAITING_DEBIT_PAYMENT`]);
  });

  it('hands a page out again when the flow could not take it (its ledger’s disk full), so no order is skipped as seen', async () => {
    const created = rig.emulator.admin.createOrders({ count: 3 });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    await expect(
      rig.drive(
        rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }, async () => {
          throw full;
        }),
      ),
    ).rejects.toBe(full);
    const handed: string[] = [];
    await rig.drive(
      rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }, async (page) => {
        handed.push(...page.orders.map((o) => o.orderId));
      }),
    );
    expect(handed).toEqual(created.map((o) => o.orderId));
  });

  it('hands pages over as they arrive; orders it accepts meanwhile leave the listed states without hiding the orders after them', async () => {
    const created = rig.emulator.admin.createOrders({ count: 250 });
    const states = ['staging', 'awaiting-acceptance', 'shipping', 'cancelled', 'refused'] as const;
    const handed: string[] = [];
    const result = await rig.drive(
      rig.marketplace.orders.list({ since: null, states: [...states], taxMode: 'TAX_INCLUDED' }, async (page) => {
        handed.push(...page.orders.map((o) => o.orderId));
        // Accept every order of the page but its last while another page follows.
        const take = page.more ? page.orders.slice(0, -1) : page.orders;
        for (const o of take)
          await rig.marketplace.orders.accept(
            o.orderId,
            o.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
          );
      }),
    );
    expect(result.orders).toEqual([]);
    expect(new Set(handed)).toEqual(new Set(created.map((o) => o.orderId)));
    expect(result.unsettled).toBeNull();
    expect(result.watermark).not.toBeNull();
    const reads = rig.emulator.admin.calls().filter((c) => c.operation === 'OR11');
    expect(reads.map((c) => new URLSearchParams(c.query).get('offset'))).toEqual(['0', '1', '2']);
  });

  it('keeps the old watermark when someone else takes orders out of the list between two pages', async () => {
    const created = rig.emulator.admin.createOrders({ count: 150 });
    const since = new Date(rig.clock.now() - 60_000).toISOString();
    const result = await rig.drive(
      rig.marketplace.orders.list({ since, states: ['awaiting-acceptance'], taxMode: 'TAX_INCLUDED' }, async (page) => {
        // A person accepts five of page 1's orders in the back office while the page is handled.
        if (page.more)
          for (const o of created.slice(0, 5))
            rig.emulator.state.setState(rig.emulator.state.orders.get(o.orderId)!, 'WAITING_DEBIT_PAYMENT', rig.emulator.state.clock.now());
      }),
    );
    expect(result.unsettled).toMatch(/145 orders on page 2 where at least 150/);
    expect(result.watermark).toBe(since);
  });

  it('reads per-line VAT in both tax modes, money exact to the penny', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1', 'BOOK-1', 'SEAT-1'], quantities: [2, 1, 1] });
    const [gross] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_INCLUDED'));
    const [net] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_EXCLUDED'));
    const sofaGross = gross!.lines[0]!;
    const sofaNet = net!.lines[0]!;
    expect(sofaGross.price!.toFixed(2)).toBe('48.00');
    expect(sofaNet.price!.toFixed(2)).toBe('40.00');
    expect(sofaNet.taxes.map((t) => [t.code, t.rate!.toString(), t.amount!.toFixed(2)])).toEqual([['GB-VAT-STD', '20', '8.00']]);
    expect(net!.lines[1]!.taxes[0]!.amount!.toFixed(2)).toBe('0.00');
    expect(net!.lines[2]!.taxes[0]!.rate!.toString()).toBe('5');
    expect(net!.lines[2]!.price!.plus(net!.lines[2]!.taxes[0]!.amount!).toFixed(2)).toBe('21.00');
    expect(gross!.shippingPrice!.toFixed(2)).toBe('3.95');
    expect(net!.lines[0]!.shippingTaxes[0]!.amount!.plus(net!.lines[0]!.shippingPrice!).toFixed(2)).toBe('3.95');
    expect(gross!.totalPrice!.toFixed(2)).toBe('83.45');
  });

  it('accepts with a decision for every line, is debited, then tracks and ships', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1', 'BOOK-1'] });
    const lines = created!.lines;
    await expect(rig.drive(rig.marketplace.orders.accept(created!.orderId, [{ orderLineId: lines[0]!.orderLineId, accepted: true }]))).rejects.toThrow(
      /No acceptance decision for order lines/,
    );
    await rig.drive(
      rig.marketplace.orders.accept(created!.orderId, [
        { orderLineId: lines[0]!.orderLineId, accepted: true },
        { orderLineId: lines[1]!.orderLineId, accepted: false },
      ]),
    );
    let [order] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_INCLUDED'));
    // Mirakl's state codes read in the console's words, the code kept for display.
    expect([order!.state, order!.stateCode]).toEqual(['awaiting-debit', 'WAITING_DEBIT_PAYMENT']);
    expect(order!.lines.map((l) => l.state)).toEqual(['awaiting-debit', 'refused']);
    expect(order!.shippingAddress?.countryIsoCode).toBe('GBR');
    // Shipping before the debit is refused by the platform.
    const early = await rig.drive(rig.marketplace.shipping.confirm(created!.orderId)).catch((e: unknown) => e);
    expect(isMarketplaceError(early) && early.status).toBe(400);
    rig.emulator.admin.debitOrders([created!.orderId]);
    await rig.drive(rig.marketplace.shipping.setTracking(created!.orderId, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'JD000000000GB' }));
    await rig.drive(rig.marketplace.shipping.confirm(created!.orderId));
    [order] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_INCLUDED'));
    expect(order!.state).toBe('shipped');
    expect(order!.shippingCarrierCode).toBe('ROYAL_MAIL');
    expect(order!.raw.shipping_tracking_url).toContain('JD000000000GB');
  });

  it('refuses a carrier code that is not in the carrier list, naming it', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1 });
    await rig.drive(
      rig.marketplace.orders.accept(
        created!.orderId,
        created!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    rig.emulator.admin.debitOrders();
    await expect(rig.drive(rig.marketplace.shipping.setTracking(created!.orderId, { carrierCode: 'PIGEON', trackingNumber: '1' }))).rejects.toThrow(/PIGEON/);
  });

  it('debits after the configured delay and refuses unanswered orders after the acceptance deadline', async () => {
    const [a, b] = rig.emulator.admin.createOrders({ count: 2 });
    await rig.drive(
      rig.marketplace.orders.accept(
        a!.orderId,
        a!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    rig.emulator.admin.advanceClock(3 * 24 * 3_600_000);
    const orders = await rig.drive(rig.marketplace.orders.get([a!.orderId, b!.orderId], 'TAX_INCLUDED'));
    expect(orders.map((o) => o.state)).toEqual(['shipping', 'refused']);
  });

  it('refunds and cancels with explicit taxes, creating REFUND_* transaction lines', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1', 'BOOK-1'], quantities: [1, 2] });
    const [l1, l2] = created!.lines;
    await rig.drive(
      rig.marketplace.orders.accept(
        created!.orderId,
        [l1!, l2!].map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    rig.emulator.admin.debitOrders();
    const { default: Decimal } = await import('decimal.js');
    const [cancel] = await rig.drive(
      rig.marketplace.orders.cancelLines({
        taxMode: 'TAX_INCLUDED',
        cancelations: [
          {
            orderLineId: l2!.orderLineId,
            amount: new Decimal('21.00'),
            shippingAmount: new Decimal(0),
            quantity: 2,
            reasonCode: 'OUT_OF_STOCK',
            taxes: [{ code: 'GB-VAT-ZERO', amount: new Decimal(0) }],
          },
        ],
      }),
    );
    expect(cancel!.orderLineId).toBe(l2!.orderLineId);
    await rig.drive(rig.marketplace.shipping.setTracking(created!.orderId, { carrierCode: 'DPD', trackingNumber: '15501234' }));
    await rig.drive(rig.marketplace.shipping.confirm(created!.orderId));
    const [refund] = await rig.drive(
      rig.marketplace.orders.refund({
        taxMode: 'TAX_INCLUDED',
        refunds: [
          {
            orderLineId: l1!.orderLineId,
            amount: new Decimal('24.00'),
            shippingAmount: new Decimal('3.95'),
            reasonCode: '20',
            taxes: [{ code: 'GB-VAT-STD', amount: new Decimal('4.00') }],
            shippingTaxes: [{ code: 'GB-VAT-STD', amount: new Decimal('0.66') }],
          },
        ],
      }),
    );
    expect(refund!.amount!.toFixed(2)).toBe('24.00');
    const body = JSON.parse(rig.emulator.admin.calls().find((c) => c.operation === 'OR28')!.body);
    expect(body.order_tax_mode).toBe('TAX_INCLUDED');
    const [order] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_INCLUDED'));
    expect(order!.lines.map((l) => [l.state, l.stateCode])).toEqual([
      ['refunded', 'REFUNDED'],
      ['cancelled', 'CANCELED'],
    ]);
    const tx = await rig.drive(rig.marketplace.finance.transactions({ orderIds: [created!.orderId] }));
    const refundLines = tx.items.filter((t) => t.typeCode?.startsWith('REFUND_') && t.orderLineId === l1!.orderLineId);
    expect(refundLines.find((t) => t.typeCode === 'REFUND_ORDER_AMOUNT')!.amount!.toFixed(2)).toBe('-20.00');
    expect(refundLines.find((t) => t.typeCode === 'REFUND_ORDER_AMOUNT_TAX')!.amount!.toFixed(2)).toBe('-4.00');
  });

  it('cancels a whole order that can still be cancelled', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1 });
    await rig.drive(
      rig.marketplace.orders.accept(
        created!.orderId,
        created!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    await rig.drive(rig.marketplace.orders.cancel(created!.orderId));
    const [order] = await rig.drive(rig.marketplace.orders.get([created!.orderId], 'TAX_INCLUDED'));
    expect(order!.state).toBe('cancelled');
  });

  it('under dry run sends no write at all', async () => {
    const [created] = rig.emulator.admin.createOrders({ count: 1 });
    rig.dryRun.on = true;
    try {
      const error = await rig
        .drive(
          rig.marketplace.orders.accept(
            created!.orderId,
            created!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
          ),
        )
        .catch((e: unknown) => e);
      expect(isDryRunBlocked(error)).toBe(true);
      expect(rig.emulator.admin.calls().filter((c) => c.method !== 'GET')).toHaveLength(0);
    } finally {
      rig.dryRun.on = false;
    }
  });
});
