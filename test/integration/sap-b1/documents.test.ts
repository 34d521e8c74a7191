import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SapBatchSelectionError, SapBusinessError, SapNotFoundError, sapQuery, type DocumentDraft } from '../../../electron/engine/connectors/sap-b1';
import { isDryRunBlocked } from '../../../electron/engine/net/errors';
import { startRig, type Rig } from './harness';

const BATCH_ITEM = 'SKU000025'; // every 25th seeded item is batch-managed
const PLAIN_ITEM = 'SKU000001';

describe('SAP documents against the emulator', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.emulator.stop());
  beforeEach(() => {
    rig.emulator.reset();
    rig.clock.sleeps.length = 0;
  });

  const stock = (item: string, whs = '01') => {
    const info = rig.emulator.state.items.get(item)!.ItemWarehouseInfoCollection.find((w) => w.WarehouseCode === whs)!;
    return { inStock: info.InStock, committed: info.Committed };
  };
  const order = (numAtCard: string, item = PLAIN_ITEM, qty = 2): DocumentDraft => ({
    CardCode: 'C-JLM',
    NumAtCard: numAtCard,
    DocumentLines: [{ ItemCode: item, Quantity: qty, PriceAfterVAT: new Decimal('12.00'), WarehouseCode: '01' }],
  });

  it('a Sales Order raises Committed; its Delivery Note lowers Committed and InStock and closes the order', async () => {
    const sap = rig.connect();
    const before = stock(PLAIN_ITEM);
    const { document: so } = await sap.orders.create(order('000101'));
    expect(so.DocTotal.toString()).toBe('24');
    expect(so.VatSum.toString()).toBe('4');
    expect(stock(PLAIN_ITEM)).toEqual({ inStock: before.inStock, committed: before.committed + 2 });

    await sap.deliveryNotes.create({
      CardCode: 'C-JLM',
      NumAtCard: '000101',
      TransportationCode: 2,
      TrackingNumber: 'DPD123',
      DocumentLines: [{ BaseType: 17, BaseEntry: so.DocEntry, BaseLine: 0, Quantity: 2 }],
    });
    expect(stock(PLAIN_ITEM)).toEqual({ inStock: before.inStock - 2, committed: before.committed });
    expect((await sap.orders.get(so.DocEntry)).DocumentStatus).toBe('bost_Close');
  });

  it('surfaces -4014 verbatim for a batch-managed line without batches, and changes nothing', async () => {
    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      rig.emulator.reset();
      const sap = rig.connect({ serviceLayerVersion });
      const { document: so } = await sap.orders.create(order('000102', BATCH_ITEM, 3));
      const before = stock(BATCH_ITEM);
      const err = await sap.deliveryNotes
        .create({ CardCode: 'C-JLM', DocumentLines: [{ BaseType: 17, BaseEntry: so.DocEntry, BaseLine: 0, Quantity: 3 }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SapBatchSelectionError);
      expect((err as SapBatchSelectionError).code).toBe('-4014');
      expect((err as SapBatchSelectionError).sapMessage).toBe('Cannot add row without complete selection of batch/serial numbers');
      expect(rig.emulator.state.documents.DeliveryNotes.size).toBe(0);
      expect(stock(BATCH_ITEM)).toEqual(before);
      expect(rig.calls('POST', 'DeliveryNotes')).toBe(1);
    }
  });

  it('delivers a batch-managed line with complete batches, writing BatchNumberProperty (v2) or BatchNumber (v1)', async () => {
    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      rig.emulator.reset();
      const sap = rig.connect({ serviceLayerVersion });
      const { document: so } = await sap.orders.create(order('000103', BATCH_ITEM, 2));
      const [batch] = [...rig.emulator.state.batchMap(BATCH_ITEM, '01')].find(([, q]) => q >= 2)!;
      const { document: dn } = await sap.deliveryNotes.create({
        CardCode: 'C-JLM',
        DocumentLines: [{ BaseType: 17, BaseEntry: so.DocEntry, BaseLine: 0, Quantity: 2, batches: [{ batchNumber: batch, quantity: 2 }] }],
      });
      expect(dn.DocumentLines[0]!.batches).toEqual([{ batchNumber: batch, quantity: 2 }]);
    }
  });

  it('retries a -2039 conflict and creates the order once', async () => {
    const sap = rig.connect();
    rig.emulator.setFaults([{ kind: 'conflict', method: 'POST', path: 'Orders', times: 1 }]);
    const { document, recovered } = await sap.orders.create(order('000104'));
    expect(recovered).toBe(false);
    expect(document.NumAtCard).toBe('000104');
    expect(rig.calls('POST', 'Orders')).toBe(2);
    expect(rig.emulator.state.documents.Orders.size).toBe(1);
    expect(rig.clock.sleeps).toHaveLength(1);
  });

  it('resolves a create whose response was lost by looking it up, without sending it again', async () => {
    const sap = rig.connect();
    rig.emulator.setFaults([{ kind: 'loseResponse', method: 'POST', path: 'Orders', times: 1 }]);
    const { document, recovered } = await sap.orders.create(order('000105'));
    expect(recovered).toBe(true);
    expect(document.NumAtCard).toBe('000105');
    expect(rig.emulator.state.documents.Orders.size).toBe(1);
    expect(rig.calls('POST', 'Orders')).toBe(1);
  });

  it('resolves a create that committed but answered after the client’s timeout', async () => {
    const sap = rig.connect({ timeoutSeconds: 1 });
    rig.emulator.setFaults([{ kind: 'slowResponse', method: 'POST', path: 'Orders', times: 1, ms: 1_300 }]);
    const { document, recovered } = await sap.orders.create(order('000108'));
    expect(recovered).toBe(true);
    expect(document.NumAtCard).toBe('000108');
    expect(rig.emulator.state.documents.Orders.size).toBe(1);
  });

  it('never sends a create again after a 5xx whose outcome is unknown, even when a lookup right after finds nothing (SAP may still commit it)', async () => {
    const sap = rig.connect();
    rig.emulator.setFaults([{ kind: 'error5xx', method: 'POST', path: 'Orders', times: 1, status: 502 }]);
    const err = await sap.orders.create(order('000106')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true, status: 502 });
    expect(rig.emulator.state.documents.Orders.size).toBe(0);
    expect(rig.calls('POST', 'Orders')).toBe(1);
    // One lookup was made before giving up: a create that had landed would have been returned instead.
    expect(rig.calls('GET', 'Orders')).toBe(1);
  });

  it('sends again after a lost answer only where SAP refuses a second copy (a user-table row with a unique Code)', async () => {
    const sap = rig.connect();
    const table = sap.userTable('JLM_TEST');
    await table.create('test');
    rig.emulator.setFaults([{ kind: 'error5xx', method: 'POST', path: 'U_JLM_TEST', times: 1, status: 502 }]);
    expect((await table.insert({ Code: 'A' })).inserted).toBe(true);
    expect(rig.calls('POST', 'U_JLM_TEST')).toBe(2);
  });

  it('retries reads on 5xx with growing backoff', async () => {
    const sap = rig.connect();
    rig.emulator.setFaults([{ kind: 'error5xx', method: 'GET', path: 'Warehouses', times: 2 }]);
    const whs = await sap.warehouses();
    expect(whs.map((w) => w.WarehouseCode)).toEqual(['01', '02', '03', '04']);
    expect(rig.clock.sleeps.length).toBe(2);
    expect(rig.clock.sleeps[1]!).toBeGreaterThan(rig.clock.sleeps[0]!);
  });

  it('keeps SAP’s -1000 message for a property the company does not have, and -2028 for a missing document', async () => {
    const sap = rig.connect();
    const err = await sap.listAll(sapQuery('Orders').select('DocEntry', 'U_MarketplaceOrderId')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SapBusinessError);
    expect((err as SapBusinessError).code).toBe('-1000');
    expect((err as SapBusinessError).sapMessage).toBe("Property 'U_MarketplaceOrderId' of 'Document' is invalid");
    await expect(sap.orders.get(9999)).rejects.toBeInstanceOf(SapNotFoundError);
    expect(await sap.orders.find(9999)).toBeUndefined();
  });

  it('finds orders by the customer’s order number with quotes doubled, and closing releases Committed', async () => {
    const sap = rig.connect();
    const before = stock(PLAIN_ITEM);
    await sap.orders.create(order("O'Brien-1"));
    await sap.orders.create(order('other'));
    const found = await sap.orders.findByNumAtCard("O'Brien-1", 'C-JLM');
    expect(found.map((d) => d.NumAtCard)).toEqual(["O'Brien-1"]);
    await sap.orders.action(found[0]!.DocEntry, 'Close');
    expect(stock(PLAIN_ITEM).committed).toBe(before.committed + 2);
  });

  it('refuses writes under dry run but still reads', async () => {
    const sap = rig.connect({ dryRun: true });
    const err = await sap.orders.create(order('000107')).catch((e: unknown) => e);
    expect(isDryRunBlocked(err)).toBe(true);
    expect(rig.emulator.state.documents.Orders.size).toBe(0);
    expect((await sap.warehouses()).length).toBe(4);
  });
});
