import type { ScenarioWorld } from '../scenarios/console-scenarios';
import type { FakeApi } from './fake-api';
import { makeDespatch } from './fake-despatch';
import { makeBatch, makeInvoiceDocument, makeRefundForm, makeReturn } from './fake-finance';
import { makeOrder } from './fake-orders';
import { iso, makeAction, makeException, makeRun } from './fixtures';

/**
 * The scenarios' world as the fake engine holds it. Its numbers differ from what the real setup produces (other
 * order ids, DocNum, figures), so a scenario that passes on both reads its facts from the world, not from habit.
 */
export const FAKE_WORLD: ScenarioWorld = {
  operator: 'Priya Shah',
  posted: { orderId: '000000201-A', numAtCard: '000000201', docNum: 7, sapCarrier: 'Yodel', trackingNumber: 'JD0002210000000042' },
  alsoDespatched: { orderId: '000000203-A' },
  blocked: { orderId: '000000202-A', numAtCard: '000000202', exceptionId: 4, rawError: 'No matching records found (ODBC -2028)' },
  stock: { skus: 12, sku: 'SKU000005', available: 96 },
  returned: { returnId: '6f1c2b7e-0204', rma: 'RMA000204', orderId: '000000204-A', numAtCard: '000000204', orderLineId: '000000204-A-1' },
  refundReason: 'Item damaged',
  invoicing: { waiting: 2, orderId: '000000201-A', numAtCard: '000000201' },
};

/** Seeds a fake engine with what the real one holds after the setup in test/e2e/scenarios.test.ts, in its words. */
export function seedFakeWorld(api: FakeApi, w: ScenarioWorld): void {
  const posted = makeOrder({
    orderId: w.posted.orderId,
    commercialId: w.posted.numAtCard,
    numAtCard: w.posted.numAtCard,
    docEntry: w.posted.docNum,
    docNum: w.posted.docNum,
  });
  const blocked = makeOrder({
    orderId: w.blocked.orderId,
    commercialId: w.blocked.numAtCard,
    numAtCard: w.blocked.numAtCard,
    stage: 'blocked',
    docEntry: null,
    docNum: null,
    sapTotal: null,
    rounding: null,
  });
  const other = makeOrder({
    orderId: w.alsoDespatched.orderId,
    commercialId: w.alsoDespatched.orderId.slice(0, 9),
    numAtCard: w.alsoDespatched.orderId.slice(0, 9),
    docEntry: 8,
    docNum: 8,
  });
  api.orders.orders = [other, blocked, posted];
  api.orders.details = [
    {
      order: posted,
      lines: [{ orderLineId: `${w.posted.orderId}-1`, sku: 'SKU000001', itemCode: 'SKU000001', quantity: 1, state: 'SHIPPING', unitPrice: '19.99' }],
      events: [
        { id: 1, at: iso(-60_000), source: 'marketplace', summary: 'Order received (WAITING_ACCEPTANCE), 1 line(s), total 23.94 GBP' },
        { id: 4, at: iso(-50_000), source: 'sap', summary: `Created: Sales Order ${w.posted.docNum} (DocEntry ${w.posted.docNum}), total 23.94` },
        { id: 5, at: iso(-40_000), source: 'sap', summary: `Delivery Note 3 posted in SAP: ${w.posted.sapCarrier}, tracking ${w.posted.trackingNumber}` },
      ],
    },
  ];

  const carrierUnmapped = `SAP carrier '${w.posted.sapCarrier}' on Delivery Note 3 has no marketplace carrier mapped and none on the marketplace list resembles it`;
  api.exceptions = [
    makeException({
      id: w.blocked.exceptionId + 1,
      flow: 'despatch',
      type: 'carrier-unmapped',
      record: { type: 'order', key: w.posted.orderId },
      summary: carrierUnmapped,
      rawError: null,
      suggestedAction:
        'Map the SAP carrier to a marketplace carrier in Despatch → Carrier mapping (the order is retried), or correct this one despatch with the correction form.',
      deadlineAt: null,
      occurrences: 1,
    }),
    makeException({
      id: w.blocked.exceptionId,
      flow: 'orders',
      type: 'sku-unknown',
      record: { type: 'order', key: w.blocked.orderId },
      summary: `${w.blocked.orderId}: SKU JL-UNMAPPED has no item in SAP (looked for ItemCode JL-UNMAPPED)`,
      rawError: w.blocked.rawError,
      suggestedAction:
        'Map the SKU to the SAP item it is sold as (Orders → Mappings → SKU), then retry. Or create the item in SAP with the SKU as its ItemCode.',
      deadlineAt: null,
      occurrences: 1,
    }),
  ];
  api.actions = [makeAction({ id: 1, exceptionId: w.blocked.exceptionId }), makeAction({ id: 2, exceptionId: w.blocked.exceptionId + 1 })];

  api.despatch.despatches = [
    makeDespatch({
      orderId: w.posted.orderId,
      numAtCard: w.posted.numAtCard,
      salesOrderDocNum: w.posted.docNum,
      deliveryDocEntry: 3,
      deliveryDocNum: 3,
      sapCarrier: w.posted.sapCarrier,
      trackingNumber: w.posted.trackingNumber,
      exception: { id: w.blocked.exceptionId + 1, type: 'carrier-unmapped', summary: carrierUnmapped, rawError: null },
    }),
    makeDespatch({
      orderId: other.orderId,
      numAtCard: other.numAtCard,
      salesOrderDocNum: 8,
      deliveryDocEntry: 4,
      deliveryDocNum: 4,
      sapCarrier: w.posted.sapCarrier,
      trackingNumber: 'JD0002210000000043',
      exception: { id: w.blocked.exceptionId + 2, type: 'carrier-unmapped', summary: carrierUnmapped.replace('Note 3', 'Note 4'), rawError: null },
    }),
  ];
  api.despatch.mappings = ['DPD', 'Evri', w.posted.sapCarrier].map((sapCarrier) => ({
    sapCarrier,
    carrierCode: null,
    named: null,
    valid: false,
    updatedBy: null,
    updatedAt: null,
    suggestions: [],
  }));

  api.stock.breakdowns = Array.from({ length: w.stock.skus }, (_, i) => {
    const sku = `SKU${String(i + 1).padStart(6, '0')}`;
    const available = sku === w.stock.sku ? w.stock.available : 10 + i;
    return {
      sku,
      itemCode: sku,
      available,
      computedAt: iso(-30_000),
      confirmed: available,
      confirmedAt: iso(-29_000),
      heldBy: [],
      rejected: null,
      warehouses: [
        { warehouseCode: '01', included: true, notCounted: null, inStock: String(available), committed: '0', ordered: '0', counted: String(available) },
      ],
      sum: String(available),
      buffer: 0,
      reserved: 0,
      cap: null,
      includeOrdered: false,
      lines: [{ warehouseCode: null, quantity: available }],
    };
  });

  // The returned order: shipped, invoiced in a batch of its own, its one unit on its way back.
  const r = w.returned;
  api.finance.returns = [
    makeReturn({
      returnId: r.returnId,
      rma: r.rma,
      orderId: r.orderId,
      numAtCard: r.numAtCard,
      marketplaceState: 'IN_PROGRESS',
      stage: 'awaiting-goods',
      reasonCode: 'RETURN_CHANGED_MIND',
      lines: [{ orderLineId: r.orderLineId, sku: 'SKU000002', quantity: 1 }],
      salesOrderDocNum: 9,
    }),
  ];
  api.finance.forms = [
    makeRefundForm({
      orderId: r.orderId,
      numAtCard: r.numAtCard,
      lines: [
        {
          orderLineId: r.orderLineId,
          sku: 'SKU000002',
          title: 'Mug',
          quantity: 1,
          unitPrice: '14.99',
          price: '14.99',
          shippingPrice: '3.95',
          refundedQuantity: 0,
          refundedAmount: '0.00',
          refundedShipping: '0.00',
          refundable: true,
        },
      ],
    }),
  ];
  // The returns run a person's action starts is over by the console's next look; the order is invoiced, so a refund is credited in that run.
  api.finance.receiptSentAtOnce = true;
  api.finance.creditMemoOnRefund = 1;
  api.finance.batches = [makeBatch({ id: 1, trigger: 'manual', documents: 1, posted: 1, failed: 0, total: '18.94' })];
  api.finance.documents = {
    1: [makeInvoiceDocument({ orderId: r.orderId, numAtCard: r.numAtCard, deliveryDocNums: [2], invoiceDocNum: 1, total: '18.94', marketplaceTotal: '18.94' })],
  };
  // The two orders despatched with Yodel are delivered in SAP and wait for their invoice.
  api.finance.waiting = w.invoicing.waiting;
  api.finance.due = [
    makeInvoiceDocument({
      orderId: w.posted.orderId,
      numAtCard: w.posted.numAtCard,
      deliveryDocNums: [3],
      invoiceDocNum: 2,
      total: '23.94',
      marketplaceTotal: '23.94',
    }),
    makeInvoiceDocument({
      orderId: other.orderId,
      numAtCard: other.numAtCard,
      deliveryDocNums: [4],
      invoiceDocNum: 3,
      total: '28.45',
      marketplaceTotal: '28.45',
    }),
  ];
  api.finance.nextRunAt = new Date(Date.now() + 6 * 3_600_000).toISOString();

  api.runs = [
    makeRun({ id: 4, flow: 'stock', trigger: 'manual', counts: { read: w.stock.skus, changed: 2, sent: 2 } }),
    makeRun({ id: 3, flow: 'despatch', trigger: 'manual', counts: { read: 1, deliveries: 1, blocked: 1 } }),
    makeRun({ id: 2, flow: 'orders', trigger: 'manual', counts: { read: 2, blocked: 1, posted: 1 } }),
    makeRun({ id: 1, flow: 'orders', trigger: 'manual', counts: { new: 2, read: 2, accepted: 2 } }),
  ];
}
