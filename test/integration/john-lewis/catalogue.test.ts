import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, shipOrders, startRig, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  await rig.clock.advance(24 * 3_600_000);
  rig.emulator.admin.reset();
  rig.emulator.admin.seedOffers([
    { sku: 'SOFA-1', quantity: 5 },
    { sku: 'BOOK-1', quantity: 9 },
  ]);
});

describe('stock, offers, carriers, returns, settlement and discovery against the emulator', () => {
  it('pushes stock by STO01, polls STO02 to COMPLETE and reads STO03 into per-SKU rejections', async () => {
    const importId = await rig.drive(
      rig.marketplace.stock.push([
        { sku: 'SOFA-1', quantity: 3 },
        { sku: 'GHOST-9', quantity: 4 },
        { sku: 'BOOK-1', quantity: 0 },
      ]),
    );
    const outcome = await rig.drive(rig.marketplace.stock.awaitImport(importId));
    expect(outcome.status).toMatchObject({ state: 'complete', statusCode: 'COMPLETE' });
    expect(outcome.status.linesInSuccess).toBe(2);
    expect(outcome.rejections).toEqual([
      { lineNumber: 3, sku: 'GHOST-9', quantity: '4', warehouseCode: null, reason: "The offer with sku 'GHOST-9' does not exist" },
    ]);
    expect(rig.emulator.admin.offerQuantities()).toEqual({ 'SOFA-1': 3, 'BOOK-1': 0 });
    const sent = JSON.parse(rig.emulator.admin.calls().find((c) => c.operation === 'STO01')!.body).file as string;
    expect(sent.split('\n')[0]).toBe('offer-sku;quantity;warehouse-code;update-delete');
    // Never the offer API for stock.
    expect(rig.emulator.admin.calls().some((c) => c.method === 'POST' && c.path === '/api/offers')).toBe(false);
    const polls = rig.emulator.admin
      .calls()
      .filter((c) => c.operation === 'STO02')
      .map((c) => c.atMs);
    for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(15_000);
  });

  it('refuses a bad quantity before sending anything', async () => {
    await expect(rig.drive(rig.marketplace.stock.push([{ sku: 'SOFA-1', quantity: -1 }]))).rejects.toThrow(/SOFA-1/);
    expect(rig.emulator.admin.calls()).toHaveLength(0);
  });

  it('reports emulator-side bad quantities as rejections', async () => {
    const form = new FormData();
    form.append('file', new Blob(['offer-sku;quantity;warehouse-code;update-delete\nSOFA-1;lots;;update\n']), 'stock.csv');
    const res = await fetch(`${rig.emulator.url}/api/offers/stock/imports`, { method: 'POST', body: form, headers: { Authorization: rig.emulator.apiKey } });
    const { import_id } = (await res.json()) as { import_id: string };
    const outcome = await rig.drive(rig.marketplace.stock.awaitImport(import_id));
    expect(outcome.rejections.map((r) => [r.sku, r.reason])).toEqual([['SOFA-1', "The quantity 'lots' is not a whole number of 0 or more"]]);
  });

  it('reads offers one page at a time and exports the whole catalogue', async () => {
    const page = await rig.drive(rig.marketplace.stock.offers({ max: 1 }));
    expect(page.totalCount).toBe(2);
    expect(page.items.map((o) => o.sku)).toEqual(['SOFA-1']);
    const all = await rig.drive(collect(rig.marketplace.stock.exportOffers()));
    expect(all.map((o) => [o.sku, o.quantity])).toEqual([
      ['SOFA-1', 5],
      ['BOOK-1', 9],
    ]);
  });

  it('exports offers as CSV with only the fields asked for, and refuses inactive offers on a differential export as the marketplace does', async () => {
    const differential = await rig.drive(
      rig.marketplace.client.call({
        operation: 'OF52',
        method: 'POST',
        path: '/api/offers/export/async',
        idempotent: false,
        data: { last_request_date: '2026-01-01T00:00:00Z', include_inactive_offers: true },
      }),
    );
    expect(differential.status).toBe(400);
    const changed = await rig.drive(collect(rig.marketplace.stock.exportOffers({ changedSince: '2000-01-01T00:00:00Z' })));
    expect(changed.map((o) => [o.sku, o.quantity])).toEqual([
      ['SOFA-1', 5],
      ['BOOK-1', 9],
    ]);
    const files = rig.emulator.admin.calls().filter((c) => c.operation === 'OF54' && c.status === 200);
    expect(files.at(-1)!.query).toContain('.csv');
  });

  it('caches carriers for a day', async () => {
    const carriers = await rig.drive(rig.marketplace.shipping.carriers());
    expect(carriers.map((c) => c.code)).toContain('ROYAL_MAIL');
    await rig.drive(rig.marketplace.shipping.carriers());
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'SH21')).toHaveLength(1);
    await rig.clock.advance(24 * 3_600_000 + 1);
    await rig.drive(rig.marketplace.shipping.carriers());
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'SH21')).toHaveLength(2);
  });

  it('pages returns by token and reads the RT21/RT25 envelopes return by return', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1'], quantities: [3] });
    await shipOrders(rig, [order!]);
    const returns = [0, 1, 2].map(() =>
      rig.emulator.admin.createReturn({ orderId: order!.orderId, lines: [{ orderLineId: order!.lines[0]!.orderLineId, quantity: 1 }] }),
    );
    const first = await rig.drive(rig.marketplace.returns.list({ limit: 2 }));
    expect(first.items).toHaveLength(2);
    const second = await rig.drive(rig.marketplace.returns.list({ limit: 2, pageToken: first.nextPageToken! }));
    expect(second.items.map((r) => r.id)).toEqual([returns[2]!.returnId]);
    expect(second.nextPageToken).toBeNull();
    const accepted = await rig.drive(
      rig.marketplace.returns.accept([
        { returnId: returns[0]!.returnId, accepted: true },
        { returnId: 'no-such-return', accepted: true },
      ]),
    );
    expect(accepted.succeeded).toEqual([returns[0]!.returnId]);
    expect(accepted.failed).toEqual([{ id: 'no-such-return', message: 'Return no-such-return not found' }]);
    const received = await rig.drive(rig.marketplace.returns.receive([returns[0]!.returnId, returns[1]!.returnId]));
    expect(received.succeeded).toEqual([returns[0]!.returnId]);
    expect(received.failed[0]!.message).toMatch(/WAITING_ACCEPTANCE/);
  });

  it('reads transaction lines, the billing cycle and its commission invoice', async () => {
    const [order] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1'] });
    await rig.drive(
      rig.marketplace.orders.accept(
        order!.orderId,
        order!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
    rig.emulator.admin.debitOrders();
    const cycle = rig.emulator.admin.closeBillingCycle()!;
    const tx = await rig.drive(rig.marketplace.finance.transactions({ billingCycleId: cycle.billingCycleId, limit: 2000 }));
    const types = tx.items.map((t) => t.typeCode);
    expect(types).toEqual(
      expect.arrayContaining([
        'ORDER_AMOUNT',
        'ORDER_AMOUNT_TAX',
        'ORDER_SHIPPING_AMOUNT',
        'ORDER_SHIPPING_AMOUNT_TAX',
        'COMMISSION_FEE',
        'COMMISSION_VAT',
        'PAYMENT',
      ]),
    );
    const payment = tx.items.find((t) => t.typeCode === 'PAYMENT')!;
    const rest = tx.items.filter((t) => t.typeCode !== 'PAYMENT').reduce((a, t) => a.plus(t.amount!), payment.amount!.minus(payment.amount!));
    expect(rest.toFixed(2)).toBe(cycle.amount);
    expect(payment.amount!.neg().toFixed(2)).toBe(cycle.amount);
    const cycles = await rig.drive(rig.marketplace.finance.billingCycles());
    expect(cycles.map((c) => c.amountTransferredToSeller!.toFixed(2))).toEqual([cycle.amount]);
    const docs = await rig.drive(rig.marketplace.finance.accountingDocuments({ billingCycleId: cycle.billingCycleId }));
    expect(docs.items[0]!.type).toBe('AUTO_INVOICE');
    expect(docs.items[0]!.totalExclTaxes!.toFixed(2)).toBe(
      tx.items
        .find((t) => t.typeCode === 'COMMISSION_FEE')!
        .amount!.neg()
        .toFixed(2),
    );
  });

  it('reads the shop model, platform settings and health', async () => {
    rig.emulator.admin.configure({ shopModel: 'DROPSHIP' });
    const shop = await rig.drive(rig.marketplace.shop.info({ refresh: true }));
    expect([shop.model, shop.modelCode, shop.currency]).toEqual(['dropship', 'DROPSHIP', 'GBP']);
    const config = await rig.drive(rig.marketplace.shop.platformConfig());
    expect(config.alternativeCarriersDisabled).toBe(true);
    expect(config.taxMode).toBe('TAX_INCLUDED');
    const health = await rig.drive(rig.marketplace.shop.health());
    expect(health).toMatchObject({ ok: true, status: 200 });
  });
});
