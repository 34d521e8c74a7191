import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMarketplaceError } from '../../../electron/engine/connectors/john-lewis';
import type { MarketplaceOrder, RefundRequest } from '../../../electron/engine/connectors/ports/marketplace';
import { shipOrders, startRig, type Rig } from './support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  // More than a day: no call window, and no shop profile read (once a day), carries over from the test before.
  await rig.clock.advance(DAY + HOUR);
  rig.emulator.admin.reset();
  rig.emulator.admin.seedOffers([
    { sku: 'SOFA-1', quantity: 50, price: '24.00' },
    { sku: 'LAMP-1', quantity: 50, price: '10.50', taxes: ['reduced'] },
  ]);
});

/** One shipped order: SOFA-1 × 2 (with the shipping, 3.95) and LAMP-1 × 1. */
async function shippedOrder() {
  const [order] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1', 'LAMP-1'], quantities: [2, 1] });
  await shipOrders(rig, [order!]);
  return { orderId: order!.orderId, sofa: order!.lines[0]!.orderLineId, lamp: order!.lines[1]!.orderLineId };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Someone acts a minute later (the emulator stamps changes with its clock, the connector's fake one). */
const later = () => rig.clock.advance(60_000);
const now = () => iso(rig.clock.now());
const lineOf = (order: MarketplaceOrder | undefined, id: string) => order!.lines.find((l) => l.orderLineId === id)!;
const refundOf = (orderLineId: string, amount: string, shipping = '0', extra: Partial<RefundRequest['refunds'][number]> = {}) => ({
  orderLineId,
  amount: new Decimal(amount),
  shippingAmount: new Decimal(shipping),
  reasonCode: '20',
  taxes: [{ code: 'GB-VAT-STD', amount: new Decimal(amount).div(6).toDecimalPlaces(2) }],
  shippingTaxes: [{ code: 'GB-VAT-STD', amount: new Decimal(shipping).div(6).toDecimalPlaces(2) }],
  ...extra,
});

describe('returns through their states (RT11, RT21, RT25 and what the customer and the marketplace do)', () => {
  it('a partial return (one of two units of one line) is read at every step, each moving its last update', async () => {
    const order = await shippedOrder();
    const { returnId } = rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }] });
    const seen: string[] = [];
    let since = iso(0);
    const step = async () => {
      const page = await rig.drive(rig.marketplace.returns.list({ updatedSince: since }));
      expect(page.items.map((r) => r.id)).toEqual([returnId]);
      const [ret] = page.items;
      seen.push(`${ret!.state} ${ret!.stateCode}`);
      expect(Date.parse(ret!.lastUpdated!)).toBeGreaterThanOrEqual(Date.parse(since));
      since = iso(Date.parse(ret!.lastUpdated!) + 1);
      return ret!;
    };
    const opened = await step();
    expect([opened.orderId, opened.lines]).toEqual([order.orderId, [{ orderLineId: order.sofa, quantity: 1, reasonCode: 'RETURN_CHANGED_MIND' }]]);
    await later();
    expect((await rig.drive(rig.marketplace.returns.accept([{ returnId, accepted: true }]))).succeeded).toEqual([returnId]);
    await step();
    await later();
    rig.emulator.admin.customerSendsReturn(returnId, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'RR123456785GB' });
    const sent = await step();
    expect(sent.raw.tracking).toEqual({
      carrier_code: 'ROYAL_MAIL',
      carrier_name: 'Royal Mail',
      tracking_number: 'RR123456785GB',
      tracking_url: 'https://www.royalmail.com/track-your-item#/tracking-results/RR123456785GB',
    });
    await later();
    expect((await rig.drive(rig.marketplace.returns.receive([returnId]))).succeeded).toEqual([returnId]);
    await step();
    await later();
    rig.emulator.admin.closeReturn(returnId);
    await step();
    expect(seen).toEqual([
      'awaiting-acceptance WAITING_ACCEPTANCE',
      'in-progress IN_PROGRESS',
      'in-progress IN_PROGRESS',
      'received RECEIVED',
      'closed CLOSED',
    ]);
    // Nothing changed since: the last read's watermark finds nothing.
    expect((await rig.drive(rig.marketplace.returns.list({ updatedSince: since }))).items).toEqual([]);
  });

  it('refused, withdrawn and never received read in the console words, and filter by state', async () => {
    const order = await shippedOrder();
    const refused = rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }] }).returnId;
    const withdrawn = rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }] }).returnId;
    const lost = rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.lamp }], reasonCode: 'RETURN_BROKEN_ITEM' }).returnId;
    const decided = await rig.drive(
      rig.marketplace.returns.accept([
        { returnId: refused, accepted: false, rejectionReasonCode: 'RETURN_REJECTION_WINDOW_CLOSED' },
        { returnId: lost, accepted: true },
      ]),
    );
    expect(decided).toEqual({ succeeded: [refused, lost], failed: [] });
    rig.emulator.admin.cancelReturn(withdrawn);
    rig.emulator.admin.returnNotReceived(lost);
    // A return the seller never got cannot be marked received: the envelope says so for that return alone.
    const receive = await rig.drive(rig.marketplace.returns.receive([lost]));
    expect(receive).toEqual({ succeeded: [], failed: [{ id: lost, message: `Return ${lost} is NO_RECEPTION, not IN_PROGRESS` }] });
    const all = await rig.drive(rig.marketplace.returns.list());
    expect(all.items.map((r) => [r.id, r.state])).toEqual([
      [refused, 'refused'],
      [withdrawn, 'cancelled'],
      [lost, 'not-received'],
    ]);
    expect(all.items[0]!.raw.rejection_reason_code).toBe('RETURN_REJECTION_WINDOW_CLOSED');
    const some = await rig.drive(rig.marketplace.returns.list({ states: ['not-received', 'cancelled'] }));
    expect(some.items.map((r) => r.id)).toEqual([withdrawn, lost]);
    const q = new URLSearchParams(rig.emulator.admin.calls().at(-1)!.query);
    expect(q.getAll('return_state').sort()).toEqual(['CANCELED', 'NO_RECEPTION']);
  });

  it('a customer returns only units that were shipped and are not already being returned', async () => {
    const [unshipped] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1'] });
    expect(() => rig.emulator.admin.createReturn({ orderId: unshipped!.orderId })).toThrow(/nothing shipped left to return/);
    const order = await shippedOrder();
    rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }] });
    expect(() => rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 2 }] })).toThrow(
      /2 cannot be returned \(1 shipped and not yet on a return\)/,
    );
    // By default, the rest: one sofa and the lamp.
    const rest = rig.emulator.admin.createReturn({ orderId: order.orderId });
    const [read] = (await rig.drive(rig.marketplace.returns.list())).items.filter((r) => r.id === rest.returnId);
    expect(read!.lines.map((l) => [l.orderLineId, l.quantity])).toEqual([
      [order.sofa, 1],
      [order.lamp, 1],
    ]);
  });
});

describe('refunds on order lines (OR28, the marketplace back office, OR11)', () => {
  it('OR28 refunds sent together share one group id; each shows on its line with its taxes as sent, waiting, then refunded on the clock', async () => {
    const order = await shippedOrder();
    const first = await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    await later();
    const results = await rig.drive(
      rig.marketplace.orders.refund({
        taxMode: 'TAX_INCLUDED',
        refunds: [
          refundOf(order.sofa, '24.00', '3.95', { quantity: 1 }),
          {
            orderLineId: order.lamp,
            amount: new Decimal('5.00'),
            shippingAmount: new Decimal(0),
            reasonCode: '19',
            taxes: [{ code: 'GB-VAT-RED', amount: new Decimal('0.24') }],
          },
        ],
      }),
    );
    expect(results).toHaveLength(2);
    expect(results[0]!.groupId).toBe(results[1]!.groupId);
    expect(results[0]!.groupId).toMatch(/^[0-9a-f-]{36}$/);
    expect(results[0]!.refundId).not.toBe(results[1]!.refundId);
    expect(results.map((r) => [r.orderLineId, r.amount!.toFixed(2)])).toEqual([
      [order.sofa, '24.00'],
      [order.lamp, '5.00'],
    ]);
    // The order counts as updated: the next read from the watermark brings it back, refunds on its lines.
    const changed = await rig.drive(rig.marketplace.orders.list({ since: first.watermark, taxMode: 'TAX_INCLUDED' }));
    expect(changed.orders.map((o) => o.orderId)).toEqual([order.orderId]);
    const sofa = lineOf(changed.orders[0], order.sofa);
    expect(sofa.refunds).toEqual([
      {
        refundId: results[0]!.refundId,
        amount: new Decimal('24.00'),
        shippingAmount: new Decimal('3.95'),
        taxes: [{ code: 'GB-VAT-STD', rate: new Decimal(20), amount: new Decimal('4.00') }],
        shippingTaxes: [{ code: 'GB-VAT-STD', rate: new Decimal(20), amount: new Decimal('0.66') }],
        quantity: 1,
        reasonCode: '20',
        state: 'pending',
        stateCode: 'WAITING_REFUND',
        createdDate: now(),
      },
    ]);
    expect(sofa.raw.refunds).toMatchObject([{ order_refund_id: results[0]!.groupId }]);
    const lamp = lineOf(changed.orders[0], order.lamp);
    expect(lamp.refunds.map((r) => [r.refundId, r.amount.toFixed(2), r.taxes[0]!.amount!.toFixed(2), r.reasonCode])).toEqual([
      [results[1]!.refundId, '5.00', '0.24', '19'],
    ]);
    // One sofa of two is left: the line is still shipped, not refunded.
    expect(sofa.state).toBe('shipped');
    // Read without tax, the same refund is its net amount; the taxes stay as sent.
    const [net] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_EXCLUDED'));
    expect(lineOf(net, order.sofa).refunds.map((r) => [r.amount.toFixed(2), r.shippingAmount.toFixed(2), r.taxes[0]!.amount!.toFixed(2)])).toEqual([
      ['20.00', '3.29', '4.00'],
    ]);
    // A day later the customer has the money back, and the order counts as updated again.
    await rig.clock.advance(DAY);
    const paid = await rig.drive(rig.marketplace.orders.list({ since: changed.watermark, taxMode: 'TAX_INCLUDED' }));
    expect(paid.orders.map((o) => o.orderId)).toEqual([order.orderId]);
    expect(paid.orders[0]!.lines.flatMap((l) => l.refunds.map((r) => `${r.state} ${r.stateCode}`))).toEqual(['refunded REFUNDED', 'refunded REFUNDED']);
    expect(Date.parse(paid.orders[0]!.lastUpdatedDate!)).toBe(Date.parse(changed.orders[0]!.lastUpdatedDate!) + DAY);
  });

  it('refuses a refund larger than what is left on the line, product or shipping, with the 400 and makes nothing', async () => {
    const order = await shippedOrder();
    await rig.drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds: [refundOf(order.sofa, '40.00', '3.00')] }));
    const refuse = async (refunds: RefundRequest['refunds']) => {
      const error = await rig.drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds })).catch((e: unknown) => e);
      expect(isMarketplaceError(error) && [error.status, error.refused]).toEqual([400, true]);
      return (error as Error).message;
    };
    expect(await refuse([refundOf(order.sofa, '8.01')])).toBe(
      `OR28 400: Order line ${order.sofa}: the refund amount 8.01 is more than the 8.00 left to refund on the line`,
    );
    expect(await refuse([refundOf(order.sofa, '0', '1.00')])).toMatch(/the shipping refund 1.00 is more than the 0.95 of shipping left/);
    // Two refunds of one call that fit alone but not together: the whole call is refused.
    expect(await refuse([refundOf(order.sofa, '6.00'), refundOf(order.sofa, '6.00')])).toMatch(/refund amount 6.00 is more than the 2.00 left/);
    // In the mode the request states: net 6.67 is left (8.00 with its 1.33 VAT).
    const net = await rig
      .drive(
        rig.marketplace.orders.refund({
          taxMode: 'TAX_EXCLUDED',
          refunds: [{ ...refundOf(order.sofa, '6.68'), taxes: [{ code: 'GB-VAT-STD', amount: new Decimal('1.34') }] }],
        }),
      )
      .catch((e: unknown) => e);
    expect((net as Error).message).toMatch(/refund amount 6.68 is more than the 6.67 left/);
    const [read] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect(lineOf(read, order.sofa).refunds.map((r) => r.amount.toFixed(2))).toEqual(['40.00']);
    // What is left can be refunded, and then the line is refunded in full.
    await rig.drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds: [refundOf(order.sofa, '8.00', '0.95')] }));
    const [after] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect([lineOf(after, order.sofa).state, lineOf(after, order.sofa).raw.can_refund]).toEqual(['refunded', false]);
  });

  it('refuses a reason not on the RE02 refund list, and a taxed line refunded without its taxes', async () => {
    const order = await shippedOrder();
    const attempt = (refund: RefundRequest['refunds'][number]) =>
      rig.drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds: [refund] })).catch((e: unknown) => (e as Error).message);
    expect(await attempt(refundOf(order.sofa, '1.00', '0', { reasonCode: 'DAMAGED' }))).toBe("OR28 400: Reason code 'DAMAGED' is not a refund reason");
    expect(await attempt({ orderLineId: order.sofa, amount: new Decimal('1.00'), shippingAmount: new Decimal(0), reasonCode: '20' })).toBe(
      `OR28 400: Order line ${order.sofa}: taxes is required, the order has taxes`,
    );
    expect(await attempt(refundOf(order.lamp, '1.00'))).toBe(`OR28 400: taxes: tax code 'GB-VAT-STD' is not on order line ${order.lamp}`);
    const [read] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect(read!.lines.flatMap((l) => l.refunds)).toEqual([]);
  });

  it('the back office refunds a whole line without a return, and pays a return back: both on the lines like the shop’s own', async () => {
    const order = await shippedOrder();
    const first = await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    await later();
    const whole = rig.emulator.admin.refundFromBackOffice({ orderId: order.orderId, lines: [{ orderLineId: order.lamp }], reasonCode: '18' });
    expect(whole.refunds).toEqual([{ refundId: expect.any(String), orderLineId: order.lamp, amount: '10.50', shippingAmount: '0.00' }]);
    const { returnId } = rig.emulator.admin.createReturn({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }] });
    await rig.drive(rig.marketplace.returns.accept([{ returnId, accepted: true }]));
    await rig.drive(rig.marketplace.returns.receive([returnId]));
    const forReturn = rig.emulator.admin.refundFromBackOffice({ returnId });
    expect(forReturn.groupId).not.toBe(whole.groupId);
    const changed = await rig.drive(rig.marketplace.orders.list({ since: first.watermark, taxMode: 'TAX_INCLUDED' }));
    const [read] = changed.orders;
    expect(read!.orderId).toBe(order.orderId);
    const lamp = lineOf(read, order.lamp);
    expect([
      lamp.state,
      lamp.refunds.map((r) => [r.amount.toFixed(2), r.taxes.map((t) => `${t.code} ${t.amount!.toFixed(2)}`), r.reasonCode, r.state]),
    ]).toEqual(['refunded', [['10.50', ['GB-VAT-RED 0.50'], '18', 'pending']]]);
    const sofa = lineOf(read, order.sofa);
    expect(
      sofa.refunds.map((r) => [r.refundId, r.amount.toFixed(2), r.shippingAmount.toFixed(2), r.quantity, r.taxes[0]!.amount!.toFixed(2), r.reasonCode]),
    ).toEqual([[forReturn.refunds[0]!.refundId, '24.00', '0.00', 1, '4.00', '17']]);
    // The back office pays back; the admin API moves them at once instead of on the clock.
    expect(rig.emulator.admin.completeRefunds([whole.refunds[0]!.refundId])).toEqual([whole.refunds[0]!.refundId]);
    const [paid] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect([lineOf(paid, order.lamp).refunds[0]!.state, lineOf(paid, order.sofa).refunds[0]!.state]).toEqual(['refunded', 'pending']);
    // A line refunded in full has nothing left for anyone.
    expect(() => rig.emulator.admin.refundFromBackOffice({ orderId: order.orderId, lines: [{ orderLineId: order.lamp, quantity: 1 }] })).toThrow(
      /Order line .* is REFUNDED and cannot be refunded/,
    );
  });
});

describe('OR28 has no idempotency key: the connector sends it once', () => {
  it('after a lost answer the refund is made once and the connector does not send it again', async () => {
    const order = await shippedOrder();
    rig.emulator.admin.clearCalls();
    rig.emulator.admin.setFaults({ operation: 'OR28', loseAnswerNext: 1 });
    const error = await rig
      .drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds: [refundOf(order.sofa, '12.00')] }))
      .catch((e: unknown) => e);
    // The outcome is unknown to the connector: a transient failure of the connection, not a refusal.
    expect(isMarketplaceError(error) && [error.status, error.transient, error.refused, error.unreachable]).toEqual([null, true, false, true]);
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'OR28')).toHaveLength(1);
    // The marketplace made it: the order's refunds say so, once.
    const [read] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect(lineOf(read, order.sofa).refunds.map((r) => r.amount.toFixed(2))).toEqual(['12.00']);
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'OR28')).toHaveLength(1);
  });

  it('a 5xx before anything is made: nothing on the line, nothing sent again', async () => {
    const order = await shippedOrder();
    rig.emulator.admin.clearCalls();
    rig.emulator.admin.setFaults({ operation: 'OR28', failNext: 1, failStatus: 503 });
    const error = await rig
      .drive(rig.marketplace.orders.refund({ taxMode: 'TAX_INCLUDED', refunds: [refundOf(order.sofa, '12.00')] }))
      .catch((e: unknown) => e);
    expect(isMarketplaceError(error) && error.status).toBe(503);
    expect(
      rig.emulator.admin
        .calls()
        .filter((c) => c.operation === 'OR28')
        .map((c) => c.status),
    ).toEqual([503]);
    const [read] = await rig.drive(rig.marketplace.orders.get([order.orderId], 'TAX_INCLUDED'));
    expect(read!.lines.flatMap((l) => l.refunds)).toEqual([]);
  });
});

describe('reasons (RE02)', () => {
  it('reads the operator’s refund reasons once a day, as the platform lists them', async () => {
    const reasons = await rig.drive(rig.marketplace.shop.reasons('refund'));
    expect(reasons).toEqual([
      { code: '17', label: 'Item returned' },
      { code: '18', label: 'Item not received' },
      { code: '19', label: 'Agreement found with the vendor' },
      { code: '20', label: 'Item damaged or faulty' },
    ]);
    await rig.drive(rig.marketplace.shop.reasons('refund'));
    const calls = rig.emulator.admin.calls().filter((c) => c.operation === 'RE02');
    expect(calls.map((c) => [c.path, c.status])).toEqual([['/api/reasons/REFUND', 200]]);
    // Other types are the operator's too; a type the platform does not have is a 400.
    const get = (type: string) => fetch(`${rig.emulator.url}/api/reasons/${type}`, { headers: { Authorization: rig.emulator.apiKey } });
    expect(((await (await get('CANCELATION')).json()) as { reasons: { code: string }[] }).reasons.map((r) => r.code)).toEqual(['14', '15', '16']);
    expect((await get('RETURN')).status).toBe(400);
  });
});

describe('a shop without the returns module', () => {
  it('PC01 says returns are off for the shop’s model; RT11, RT21 and RT25 are refused; refunds arrive only on lines', async () => {
    rig.emulator.admin.configure({ returnsModule: { marketplace: false, dropShip: true } });
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).returnsEnabled).toBe(false);
    const order = await shippedOrder();
    expect(() => rig.emulator.admin.createReturn({ orderId: order.orderId })).toThrow(/returns module is not enabled/);
    for (const call of [
      (): Promise<unknown> => rig.marketplace.returns.list(),
      () => rig.marketplace.returns.accept([{ returnId: 'r', accepted: true }]),
      () => rig.marketplace.returns.receive(['r']),
    ]) {
      const error = await rig.drive(call()).catch((e: unknown) => e);
      expect(isMarketplaceError(error) && [error.status, error.refused, error.message.replace(/^RT\d\d /, '')]).toEqual([
        400,
        true,
        '400: The returns module is not enabled for this shop',
      ]);
    }
    const first = await rig.drive(rig.marketplace.orders.list({ since: null, taxMode: 'TAX_INCLUDED' }));
    await later();
    rig.emulator.admin.refundFromBackOffice({ orderId: order.orderId, lines: [{ orderLineId: order.sofa, quantity: 1 }], reasonCode: '19' });
    const changed = await rig.drive(rig.marketplace.orders.list({ since: first.watermark, taxMode: 'TAX_INCLUDED' }));
    expect(changed.orders.flatMap((o) => o.lines.flatMap((l) => l.refunds.map((r) => [l.orderLineId, r.amount.toFixed(2), r.reasonCode])))).toEqual([
      [order.sofa, '24.00', '19'],
    ]);
  });

  it('reads the returns flag of the shop’s own model (A01): a dropship shop has returns only where drop_ship is on', async () => {
    rig.emulator.admin.configure({ shopModel: 'DROPSHIP', returnsModule: { marketplace: true, dropShip: false } });
    // Asked together, as the connection test does, the profile answering last: one profile read serves both.
    rig.emulator.admin.setFaults({ operation: 'A01', latencyMs: 100 });
    const [shop, off] = await rig.drive(Promise.all([rig.marketplace.shop.info(), rig.marketplace.shop.platformConfig()]));
    expect(shop.model).toBe('dropship');
    expect([off.returnsEnabled, (off.raw.features as { returns: unknown }).returns]).toEqual([
      false,
      { marketplace: true, drop_ship: false, one_creditor: false },
    ]);
    rig.emulator.admin.configure({ returnsModule: { marketplace: false, dropShip: true } });
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).returnsEnabled).toBe(true);
    // The profile was read once for both (it may be read once a day).
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'A01')).toHaveLength(1);
  });
});
