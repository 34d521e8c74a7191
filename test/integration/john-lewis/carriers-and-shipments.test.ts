import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMarketplaceError } from '../../../electron/engine/connectors/john-lewis';
import { startRig, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.emulator.stop();
});
beforeEach(async () => {
  await rig.clock.advance(3_600_000);
  rig.emulator.admin.reset();
  rig.emulator.admin.seedOffers([
    { sku: 'SOFA-1', quantity: 9, price: '24.00' },
    { sku: 'BOOK-1', quantity: 9, price: '10.50', taxes: ['zero'] },
  ]);
});

/** An order waiting for despatch (SHIPPING): two lines, 2 sofas and 1 book. */
async function shippingOrder() {
  const [created] = rig.emulator.admin.createOrders({ count: 1, skus: ['SOFA-1', 'BOOK-1'], quantities: [2, 1] });
  await rig.drive(
    rig.marketplace.orders.accept(
      created!.orderId,
      created!.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
    ),
  );
  rig.emulator.admin.debitOrders([created!.orderId]);
  return created!;
}

const refusal = async (work: Promise<unknown>) => {
  const e = await rig.drive(work).then(
    () => null,
    (error: unknown) => error,
  );
  return isMarketplaceError(e) ? { status: e.status, body: e.rawBody } : e;
};

describe('OR23 carrier rules (emulator)', () => {
  it('a registered carrier is named by its code; its name alone, or a code not on the list, is refused', async () => {
    rig.emulator.admin.configure({ alternativeCarriersDisabled: false });
    const order = await shippingOrder();
    expect(await refusal(rig.marketplace.shipping.setTracking(order.orderId, { carrierName: 'DPD UK', trackingNumber: '15501234' }))).toMatchObject({
      status: 400,
      body: expect.stringContaining('send its carrier_code (DPD)'),
    });
    expect(await refusal(rig.marketplace.shipping.setTracking(order.orderId, { carrierCode: 'YODEL', trackingNumber: 'JD1' }))).toMatchObject({
      status: 400,
      body: expect.stringContaining("Carrier code 'YODEL' is not in the carrier list"),
    });
    await rig.drive(rig.marketplace.shipping.setTracking(order.orderId, { carrierCode: 'DPD', trackingNumber: '15501234' }));
    expect(rig.emulator.admin.order(order.orderId)).toMatchObject({
      shipping_carrier_code: 'DPD',
      shipping_tracking_url: 'https://track.dpd.co.uk/parcels/15501234',
    });
  });

  it('an unregistered carrier goes by name and tracking URL where the shop allows it, and is refused where it does not', async () => {
    const order = await shippingOrder();
    const yodel = { carrierName: 'Yodel', carrierUrl: 'https://www.yodel.co.uk/tracking/JD0002210000000001', trackingNumber: 'JD0002210000000001' };
    expect(await refusal(rig.marketplace.shipping.setTracking(order.orderId, yodel))).toMatchObject({
      status: 400,
      body: expect.stringContaining('alternative carriers are disabled'),
    });
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).alternativeCarriersDisabled).toBe(true);

    rig.emulator.admin.configure({ alternativeCarriersDisabled: false });
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).alternativeCarriersDisabled).toBe(false);
    await rig.drive(rig.marketplace.shipping.setTracking(order.orderId, yodel));
    expect(rig.emulator.admin.order(order.orderId)).toMatchObject({
      shipping_carrier_code: null,
      shipping_company: 'Yodel',
      shipping_tracking: 'JD0002210000000001',
      shipping_tracking_url: yodel.carrierUrl,
    });
  });
});

describe('multi-shipment (emulator)', () => {
  it('is refused while the platform has it off, and PC01 says which', async () => {
    const order = await shippingOrder();
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).multiShipment).toBe(false);
    expect(
      await refusal(rig.marketplace.shipping.createShipments([{ orderId: order.orderId, lines: [{ orderLineId: order.lines[0]!.orderLineId, quantity: 1 }] }])),
    ).toMatchObject({ status: 400 });
    rig.emulator.admin.configure({ multiShipment: true });
    expect((await rig.drive(rig.marketplace.shop.platformConfig())).multiShipment).toBe(true);
  });

  it('ships lines in parts: the order stays SHIPPING until every unit has shipped, then SHIPPED', async () => {
    rig.emulator.admin.configure({ multiShipment: true });
    const order = await shippingOrder();
    const [sofa, book] = order.lines;
    const first = await rig.drive(
      rig.marketplace.shipping.createShipments([
        {
          orderId: order.orderId,
          lines: [{ orderLineId: sofa!.orderLineId, quantity: 1 }],
          tracking: { carrierCode: 'DPD', trackingNumber: '15500000000001' },
        },
      ]),
    );
    expect(first.failed).toEqual([]);
    expect(first.created[0]).toMatchObject({
      orderId: order.orderId,
      state: 'shipping',
      stateCode: 'SHIPPING',
      lines: [{ orderLineId: sofa!.orderLineId, quantity: 1 }],
      carrierCode: 'DPD',
      trackingNumber: '15500000000001',
    });
    expect(await rig.drive(rig.marketplace.shipping.shipShipments([first.created[0]!.id]))).toEqual({ succeeded: [first.created[0]!.id], failed: [] });
    let seen = rig.emulator.admin.order(order.orderId) as { order_state: string; order_lines: { order_line_state: string }[] };
    expect(seen.order_state).toBe('SHIPPING');
    expect(seen.order_lines.map((l) => l.order_line_state)).toEqual(['SHIPPING', 'SHIPPING']);

    // More than is left to ship is refused per shipment, inside a 201.
    const over = await rig.drive(
      rig.marketplace.shipping.createShipments([{ orderId: order.orderId, lines: [{ orderLineId: sofa!.orderLineId, quantity: 2 }] }]),
    );
    expect(over).toEqual({ created: [], failed: [{ orderId: order.orderId, message: 'Shipment quantity is invalid.' }] });

    const rest = await rig.drive(
      rig.marketplace.shipping.createShipments([
        {
          orderId: order.orderId,
          lines: [
            { orderLineId: sofa!.orderLineId, quantity: 1 },
            { orderLineId: book!.orderLineId, quantity: 1 },
          ],
          tracking: { carrierCode: 'ROYAL_MAIL', trackingNumber: 'AB123456789GB' },
        },
      ]),
    );
    await rig.drive(rig.marketplace.shipping.shipShipments([rest.created[0]!.id]));
    seen = rig.emulator.admin.order(order.orderId) as typeof seen;
    expect(seen).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'ROYAL_MAIL', shipping_tracking: 'AB123456789GB' });
    expect(seen.order_lines.map((l) => l.order_line_state)).toEqual(['SHIPPED', 'SHIPPED']);
    const shipments = await rig.drive(rig.marketplace.shipping.shipments(order.orderId));
    expect(shipments.map((s) => [s.state, s.stateCode])).toEqual([
      ['shipped', 'SHIPPED'],
      ['shipped', 'SHIPPED'],
    ]);
    // A shipment ships once.
    expect((await rig.drive(rig.marketplace.shipping.shipShipments([rest.created[0]!.id]))).failed[0]!.message).toContain("must be 'SHIPPING'");
  });

  it('carries out a shipment whose answer is lost: the order’s shipments show it', async () => {
    rig.emulator.admin.configure({ multiShipment: true });
    const order = await shippingOrder();
    rig.emulator.admin.setFaults({ operation: 'ST01', loseAnswerNext: 1 });
    const lost = await refusal(
      rig.marketplace.shipping.createShipments([{ orderId: order.orderId, lines: [{ orderLineId: order.lines[0]!.orderLineId, quantity: 1 }] }]),
    );
    expect(lost).toMatchObject({ status: null });
    expect(rig.emulator.admin.calls().filter((c) => c.operation === 'ST01')).toHaveLength(1);
    expect(await rig.drive(rig.marketplace.shipping.shipments(order.orderId))).toMatchObject([{ state: 'shipping', lines: [{ quantity: 1 }] }]);
  });
});
