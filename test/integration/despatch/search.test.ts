import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

/** The header's search, on a ledger the orders and despatch flows filled against the emulators. */
describe('search: whatever number is in hand, to its record', () => {
  const tmp = tempDir('search-it-');
  let world: DespatchWorld;
  let engine: Engine;
  let orderId: string;
  let numAtCard: string;

  beforeAll(async () => {
    world = await startDespatchWorld();
    engine = world.engine({ ledgerFile: tmp.file('ledger.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    [orderId] = (await world.postedOrders(engine, 2)) as [string];
    numAtCard = (await engine.query('orders.get', { orderId }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: 'AB123456789GB' });
    await runDespatch(engine);
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  const search = (text: string) => engine.query('search.records', { text });

  it('finds an order by its marketplace id, its customer’s number or its Sales Order number, and opens it', async () => {
    expect(await search(orderId)).toContainEqual({ kind: 'order', key: orderId, matched: `Order ${orderId}`, address: `#/orders/${orderId}` });
    expect((await search(numAtCard)).map((h) => h.key)).toContain(orderId);
    const docNum = (await engine.query('orders.get', { orderId }))!.order.docNum!;
    expect(await search(String(docNum))).toContainEqual(
      expect.objectContaining({ kind: 'order', key: orderId, matched: `SAP Sales Order ${docNum}`, address: `#/orders/${orderId}` }),
    );
  });

  it('finds a despatch by its tracking number, and a SKU by its code', async () => {
    expect(await search('AB123456789GB')).toEqual([{ kind: 'despatch', key: orderId, matched: 'Tracking AB123456789GB', address: `#/despatch/${orderId}` }]);
    expect(await search('nothing-like-this')).toEqual([]);
  });
});
