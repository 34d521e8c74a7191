import Decimal from 'decimal.js';
import type OpenAPIBackend from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../../emulators/john-lewis';
import { loadSpec, operationOf, strictSchemas, validateCall } from './conformance';
import { collect, startRig, type Rig } from './support';

let rig: Rig;
let api: OpenAPIBackend;
let calls: RecordedCall[];

/** Drives every operation the connector can send, so the recorded calls cover every request it builds. */
async function exerciseEverything(r: Rig): Promise<void> {
  const m = r.marketplace;
  const admin = r.emulator.admin;
  admin.seedOffers([
    { sku: 'SOFA-1', quantity: 5 },
    { sku: 'BOOK-1', quantity: 2, taxes: ['zero'] },
  ]);
  const [a, b, c, d] = admin.createOrders({ count: 4, skus: ['SOFA-1', 'BOOK-1'], linesPerOrder: 2, quantities: [2, 1] });
  await r.drive(m.orders.list({ since: null, states: ['awaiting-acceptance', 'shipping'], taxMode: 'TAX_EXCLUDED' }));
  await r.drive(m.orders.list({ since: new Date(r.clock.now()).toISOString(), taxMode: 'TAX_INCLUDED' }));
  for (const o of [a!, b!, c!, d!])
    await r.drive(
      m.orders.accept(
        o.orderId,
        o.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true })),
      ),
    );
  admin.debitOrders();
  await r.drive(m.orders.get([a!.orderId, b!.orderId], 'TAX_INCLUDED'));
  await r.drive(m.shipping.carriers());
  await r.drive(m.shipping.setTracking(a!.orderId, { carrierCode: 'DPD', trackingNumber: '15501234' }));
  await r.drive(m.shipping.confirm(a!.orderId));
  await r.drive(
    m.orders.refund({
      taxMode: 'TAX_INCLUDED',
      refunds: [
        {
          orderLineId: a!.lines[0]!.orderLineId,
          amount: new Decimal('12.00'),
          shippingAmount: new Decimal('0'),
          quantity: 1,
          reasonCode: '20',
          taxes: [{ code: 'GB-VAT-STD', amount: new Decimal('2.00') }],
          shippingTaxes: [],
        },
      ],
    }),
  );
  await r.drive(
    m.orders.cancelLines({
      taxMode: 'TAX_INCLUDED',
      cancelations: [
        {
          orderLineId: b!.lines[1]!.orderLineId,
          amount: new Decimal('24.00'),
          shippingAmount: new Decimal(0),
          quantity: 1,
          reasonCode: 'OUT_OF_STOCK',
          taxes: [{ code: 'GB-VAT-ZERO', amount: new Decimal(0) }],
        },
      ],
    }),
  );
  await r.drive(m.orders.cancel(c!.orderId));
  // A carrier the list does not have, where the shop allows it; then multi-shipment: two shipments, one refused.
  admin.configure({ alternativeCarriersDisabled: false, multiShipment: true });
  await r.drive(
    m.shipping.setTracking(b!.orderId, {
      carrierName: 'Yodel',
      carrierUrl: 'https://www.yodel.co.uk/tracking/JD0002210000000001',
      trackingNumber: 'JD0002210000000001',
    }),
  );
  const [first, second] = d!.lines;
  const made = await r.drive(
    m.shipping.createShipments([
      { orderId: d!.orderId, lines: [{ orderLineId: first!.orderLineId, quantity: 1 }], tracking: { carrierCode: 'DPD', trackingNumber: '15501234567890' } },
      { orderId: d!.orderId, lines: [{ orderLineId: second!.orderLineId, quantity: 5 }] },
    ]),
  );
  await r.drive(m.shipping.shipments(d!.orderId));
  await r.drive(
    m.shipping.setShipmentTracking([
      {
        shipmentId: made.created[0]!.id,
        tracking: { carrierName: 'Yodel', carrierUrl: 'https://www.yodel.co.uk/tracking/JD0002210000000002', trackingNumber: 'JD0002210000000002' },
      },
    ]),
  );
  await r.drive(m.shipping.shipShipments([made.created[0]!.id, 'no-such-shipment']));
  const importId = await r.drive(
    m.stock.push([
      { sku: 'SOFA-1', quantity: 4, warehouseCode: 'LON' },
      { sku: 'NOPE', quantity: 1 },
    ]),
  );
  await r.drive(m.stock.awaitImport(importId));
  await r.drive(m.stock.offers({ sku: 'SOFA-1', max: 10 }));
  await r.drive(collect(m.stock.exportOffers()));
  await r.drive(collect(m.stock.exportOffers({ changedSince: new Date(r.clock.now() - 3_600_000).toISOString() })));
  // Returns through their states: a partial return (one unit of one line) and the rest of the order on another.
  const ret = admin.createReturn({ orderId: a!.orderId, lines: [{ orderLineId: a!.lines[0]!.orderLineId, quantity: 1 }] });
  const rest = admin.createReturn({ orderId: a!.orderId, reasonCode: 'RETURN_DEFECTIVE_ITEM' });
  const page = await r.drive(m.returns.list({ limit: 1, states: ['awaiting-acceptance'], updatedSince: new Date(0).toISOString() }));
  await r.drive(m.returns.list({ limit: 1, pageToken: page.nextPageToken! }));
  await r.drive(
    m.returns.accept([
      { returnId: ret.returnId, accepted: true },
      { returnId: rest.returnId, accepted: false, rejectionReasonCode: 'RETURN_REJECTION_WINDOW_CLOSED' },
      { returnId: 'x', accepted: false, rejectionReasonCode: 'RETURN_REJECTION_NOT_ELIGIBLE' },
    ]),
  );
  admin.customerSendsReturn(ret.returnId, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'RR123456785GB' });
  await r.drive(m.returns.list({ states: ['in-progress', 'refused'] }));
  await r.drive(m.returns.receive([ret.returnId]));
  // The marketplace's customer service pays the return back, and refunds a line of another order without a return.
  admin.refundFromBackOffice({ returnId: ret.returnId, reasonCode: '17' });
  admin.refundFromBackOffice({ orderId: d!.orderId, lines: [{ orderLineId: d!.lines[0]!.orderLineId, quantity: 1 }], reasonCode: '19' });
  admin.completeRefunds();
  admin.closeReturn(ret.returnId);
  await r.drive(m.returns.list({ updatedSince: new Date(0).toISOString() }));
  await r.drive(m.orders.get([a!.orderId, d!.orderId], 'TAX_EXCLUDED'));
  await r.drive(m.shop.reasons('refund'));
  // The shop without the returns module: PC01 says so and RT11 is refused.
  admin.configure({ returnsModule: { marketplace: false, dropShip: false } });
  await r.drive(m.shop.platformConfig());
  await r.drive(m.returns.list()).catch(() => undefined);
  admin.configure({ returnsModule: { marketplace: true, dropShip: true } });
  // The month's other money: subscription, a manual invoice and a credit (one about an order), reserve held.
  admin.chargeSubscription({ net: '35.00' });
  admin.manualDocument({ kind: 'invoice', net: '120.00', description: 'Marketing contribution' });
  admin.manualDocument({ kind: 'credit', net: '4.17', orderId: a!.orderId, description: 'Carrier damage' });
  admin.holdReserve('50.00');
  admin.plantTransactions([{ type: 'SELLER_PENALTY_FEE', amount: '-10.00', orderId: d!.orderId, tax: { code: 'GB-VAT-STD', rate: '0.2' } }]);
  const cycle = admin.closeBillingCycle()!;
  const tx = await r.drive(m.finance.transactions({ billingCycleId: cycle.billingCycleId, limit: 5 }));
  await r.drive(m.finance.transactions({ pageToken: tx.nextPageToken!, limit: 5 }));
  await r.drive(m.finance.transactions({ orderIds: [a!.orderId], lastUpdatedFrom: new Date(0).toISOString() }));
  await r.drive(m.finance.billingCycles({ startDate: new Date(0).toISOString() }));
  await r.drive(m.finance.accountingDocuments({ billingCycleId: cycle.billingCycleId }));
  await r.drive(m.shop.info());
  await r.drive(m.shop.platformConfig());
  await r.drive(m.shop.health());
}

beforeAll(async () => {
  api = await loadSpec();
  rig = await startRig();
  await exerciseEverything(rig);
  calls = rig.emulator.admin.calls();
});
afterAll(async () => {
  await rig.emulator.stop();
});

// OF54 (download an export file) is not in the reference subset; every other call must match an operation.
const inSubset = (c: RecordedCall) => c.operation !== 'OF54';

describe('conformance with the Mirakl seller OpenAPI (lenient subset)', () => {
  it('exercises every operation the connector uses', () => {
    const ops = new Set(calls.map((c) => c.operation));
    for (const op of [
      'OR11',
      'OR21',
      'OR23',
      'OR24',
      'OR28',
      'OR29',
      'OR30',
      'SH21',
      'ST01',
      'ST11',
      'ST23',
      'ST24',
      'STO01',
      'STO02',
      'STO03',
      'OF21',
      'OF52',
      'OF53',
      'OF54',
      'RT11',
      'RT21',
      'RT25',
      'TL02',
      'SBC11',
      'IV01',
      'A01',
      'PC01',
      'RE02',
      'V01',
    ]) {
      expect(ops, op).toContain(op);
    }
  });

  it('every request the connector built validates against the spec', () => {
    const problems: string[] = [];
    for (const call of calls.filter(inSubset)) {
      const op = operationOf(api, call);
      if (op !== call.operation) problems.push(`${call.method} ${call.path}: spec says ${op}, emulator says ${call.operation}`);
      for (const e of validateCall(api, call)) problems.push(`${call.operation} ${call.query}: ${e}`);
      if (call.operation !== 'V01' && (!call.authorization || /^bearer /i.test(call.authorization)))
        problems.push(`${call.operation}: Authorization is not the raw key`);
    }
    expect(problems).toEqual([]);
  });

  it('every emulator answer validates against the spec', () => {
    const problems: string[] = [];
    for (const call of calls.filter(inSubset)) {
      if (call.status < 200 || call.status >= 300 || call.status === 204 || call.operation === 'STO03') continue;
      const result = api.validateResponse(JSON.parse(call.response), call.operation!, call.status);
      for (const e of result.errors ?? []) problems.push(`${call.operation}: ${e.instancePath} ${e.message ?? ''}`);
    }
    expect(problems).toEqual([]);
    expect(calls.filter((c) => c.status >= 200 && c.status < 300).length).toBeGreaterThan(30);
  });

  it('returns, refunds, reasons and the finance reads answer in full as the official spec has them (every field it requires)', () => {
    const strict = strictSchemas();
    const ok = (op: string) => calls.filter((c) => c.operation === op && c.status === 200).map((c) => JSON.parse(c.response) as Record<string, unknown>);
    const problems = [
      ...ok('RT11').flatMap((b) => strict('RT11_Response_200', b)),
      ...ok('RT21').flatMap((b) => strict('RT21_Response_200', b)),
      ...ok('RT25').flatMap((b) => strict('RT25_Response_200', b)),
      ...ok('OR28').flatMap((b) => strict('OR28_Response_200', b)),
      ...ok('RE02').flatMap((b) => strict('RE02_Response_200', b)),
      ...ok('TL02').flatMap((b) => strict('TL02_Response_200', b)),
      ...ok('SBC11').flatMap((b) => strict('SBC11_Response_200', b)),
      ...ok('IV01').flatMap((b) => strict('IV01_Response_200', b)),
      ...ok('OR11')
        .flatMap((b) => b.orders as { order_lines: { refunds: unknown[] }[] }[])
        .flatMap((o) => o.order_lines.flatMap((l) => l.refunds))
        .flatMap((refund) => strict('OR11_Response_200_Orders_OrderLines_Refunds', refund)),
    ];
    expect(problems).toEqual([]);
    // Each shape was seen: returns in four states, refunds from the shop and from the back office.
    const states = new Set(ok('RT11').flatMap((b) => (b.data as { state: string }[]).map((x) => x.state)));
    expect([...states].sort()).toEqual(['CLOSED', 'IN_PROGRESS', 'REFUSED', 'WAITING_ACCEPTANCE']);
    const refunds = ok('OR11').flatMap((b) =>
      (b.orders as { order_lines: { refunds: unknown[] }[] }[]).flatMap((o) => o.order_lines.flatMap((l) => l.refunds)),
    );
    expect(refunds.length).toBeGreaterThanOrEqual(3);
    expect(strict('OR11_Response_200_Orders_OrderLines_Refunds', { id: '1' }).length).toBeGreaterThan(0);
  });

  it('the validators do catch a malformed request and answer', () => {
    const bad: RecordedCall = { ...calls.find((c) => c.operation === 'OR11')!, query: 'max=500&order_state_codes=NOT_A_STATE' };
    expect(validateCall(api, bad).length).toBeGreaterThan(0);
    const badBody: RecordedCall = { ...calls.find((c) => c.operation === 'OR21')!, body: JSON.stringify({ order_lines: [{ id: 1 }] }) };
    expect(validateCall(api, badBody).length).toBeGreaterThan(0);
    expect(api.validateResponse({ orders: [{ order_id: 86, price: 'ten' }] }, 'OR11', 200).errors?.length).toBeGreaterThan(0);
  });
});
