import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../../emulators/sap-b1/documents';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

const FOREIGN_DELIVERIES = 1_000;

/** The despatch read against an SAP company where most deliveries are other customers' (the shop, trade accounts). */
describe('despatch: reads only the marketplace customer’s Delivery Notes', () => {
  const tmp = tempDir('despatch-scope-');
  let world: DespatchWorld;
  let engine: Engine;

  beforeAll(async () => {
    world = await startDespatchWorld();
    engine = world.engine({ ledgerFile: tmp.file('ledger.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    // Another customer of the same company, whose deliveries the warehouse posts all day.
    const state = world.sap.state;
    state.businessPartners.set('C-TRADE', { ...state.businessPartners.get('C-JLM')!, CardCode: 'C-TRADE', CardName: 'Trade counter' });
    const plain = [...state.items.values()]
      .filter((it) => it.ManageBatchNumbers === 'tNO' && it.ManageSerialNumbers === 'tNO' && it.Frozen === 'tNO')
      .slice(20, 40)
      .map((it) => it.ItemCode);
    for (const itemCode of plain) world.sap.setStock(itemCode, '01', 1_000);
    for (let i = 0; i < FOREIGN_DELIVERIES; i++) {
      const itemCode = plain[i % plain.length]!;
      createDocument(state, 'v2', 'DeliveryNotes', {
        CardCode: 'C-TRADE',
        TransportationCode: 1,
        TrackingNumber: `TRADE${i}`,
        DocumentLines: [{ ItemCode: itemCode, Quantity: 1, WarehouseCode: '01', Price: 5 }],
      });
    }
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it(`asks SAP for ours only, in one request, beside ${FOREIGN_DELIVERIES} other customers’ deliveries`, async () => {
    const orderIds = await world.postedOrders(engine, 3);
    for (const [i, orderId] of orderIds.entries()) {
      const numAtCard = (await engine.query('orders.get', { orderId }))!.order.numAtCard!;
      world.sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: `AB00000000${i}GB` });
    }
    world.sap.clearCalls();
    await runDespatch(engine);

    const reads = world.sap.calls().filter((c) => c.method === 'GET' && /\/DeliveryNotes(\?|$)/.test(c.path));
    expect(reads).toHaveLength(1);
    const [run] = await engine.query('runs.list', { flow: 'despatch', limit: 1 });
    // Read: the Delivery Notes the flow looked at — ours, not the trade counter's.
    expect(run!.counts).toMatchObject({ read: 3, deliveries: 3, confirmed: 3 });
    for (const orderId of orderIds) expect(world.marketplaceOrder(orderId)).toMatchObject({ order_state: 'SHIPPED' });
  });

  it('reads the carrier from the user-defined field the company records it in', async () => {
    world.sap.state.addUserField({ TableName: 'ODLN', Name: 'JLM_Carrier', Description: 'Carrier' });
    world.releaseLease();
    const udfEngine = world.engine({ ledgerFile: tmp.file('udf.db'), despatch: { carrierSource: { from: 'udf', name: 'JLM_Carrier' } } });
    try {
      await udfEngine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail Tracked 24', carrierCode: 'ROYAL_MAIL', actor: 'test' });
      const [orderId] = await world.postedOrders(udfEngine, 1);
      const numAtCard = (await udfEngine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
      const note = world.sap.despatch({ numAtCard, carrier: 'DPD', trackingNumber: 'AB123123123GB' });
      world.sap.state.documents.DeliveryNotes.get(note.DocEntry as number)!.U_JLM_Carrier = 'Royal Mail Tracked 24';
      world.sap.clearCalls();
      await runDespatch(udfEngine);
      expect(
        world.sap
          .calls()
          .filter((c) => c.method === 'GET' && /\/DeliveryNotes\?/.test(c.path))
          .map((c) => decodeURIComponent(c.path)),
      ).toEqual([expect.stringContaining('U_JLM_Carrier')]);
      expect(await udfEngine.query('despatch.get', { orderId: orderId! })).toMatchObject({
        state: 'confirmed',
        sapCarrier: 'Royal Mail Tracked 24',
        carrierCode: 'ROYAL_MAIL',
      });
    } finally {
      await udfEngine.stop();
    }
  });
});
