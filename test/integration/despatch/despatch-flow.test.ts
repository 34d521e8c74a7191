import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

/** The despatch flow against both emulators over HTTP: SAP Delivery Notes to OR23 + OR24, and what stops them. */
describe('despatch: SAP Delivery Notes to the marketplace', () => {
  const tmp = tempDir('despatch-it-');
  let world: DespatchWorld;
  let engine: Engine;

  const calls = (orderId: string, operation: 'OR23' | 'OR24') => world.jl.admin.calls().filter((c) => c.operation === operation && c.path.includes(orderId));
  const despatchOf = (orderId: string) => engine.query('despatch.get', { orderId });
  const liveExceptions = async (orderId: string) =>
    (await engine.query('exceptions.list', { flow: 'despatch', search: orderId, limit: 50 })).rows.filter((e) => e.state === 'open' || e.state === 'retrying');

  beforeAll(async () => {
    world = await startDespatchWorld();
    engine = world.engine({ ledgerFile: tmp.file('ledger.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    for (const [sapCarrier, carrierCode] of [
      ['Royal Mail', 'ROYAL_MAIL'],
      ['DPD', 'DPD'],
    ])
      await engine.command('despatch.saveMapping', { sapCarrier, carrierCode, actor: 'test' });
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('confirms a mapped carrier: OR23 with the carrier code and tracking number, then OR24, once', async () => {
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: 'AB123456789GB' });
    await runDespatch(engine);

    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'ROYAL_MAIL', shipping_tracking: 'AB123456789GB' });
    expect(await despatchOf(orderId!)).toMatchObject({
      state: 'confirmed',
      sapCarrier: 'Royal Mail',
      carrierCode: 'ROYAL_MAIL',
      trackingNumber: 'AB123456789GB',
    });
    const timeline = (await engine.query('orders.get', { orderId: orderId! }))!.events.map((e) => e.summary).join('\n');
    expect(timeline).toMatch(/Delivery Note \d+ posted in SAP: Royal Mail, tracking AB123456789GB/);
    expect(timeline).toContain('Despatch confirmed (OR24)');

    // Read again (overlap) and run again: nothing is sent twice.
    await runDespatch(engine);
    await runDespatch(engine);
    expect(calls(orderId!, 'OR23')).toHaveLength(1);
    expect(calls(orderId!, 'OR24')).toHaveLength(1);
  });

  it('reads the state of every order a run confirms in one call, whatever the number of despatches', async () => {
    const orderIds = await world.postedOrders(engine, 3);
    for (const [i, orderId] of orderIds.entries()) {
      const numAtCard = (await engine.query('orders.get', { orderId }))!.order.numAtCard!;
      world.sap.despatch({ numAtCard, carrier: 'DPD', trackingNumber: `1550123456000${i}` });
    }
    world.jl.admin.clearCalls();
    await runDespatch(engine);
    for (const orderId of orderIds) expect(world.marketplaceOrder(orderId)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'DPD' });
    // One OR11 for the three (the marketplace allows one a minute, shared with the orders flow's intake).
    expect(world.jl.admin.calls().filter((c) => c.operation === 'OR11')).toHaveLength(1);
  });

  it('holds an unmapped carrier with suggestions, and the correction form sends it at once, remembers the mapping, writes back to SAP and is audited', async () => {
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    const note = world.sap.despatch({ numAtCard, carrier: 'Evri', trackingNumber: 'h01abc 1234567890' });
    await runDespatch(engine);

    const held = await despatchOf(orderId!);
    expect(held).toMatchObject({ state: 'blocked', sapCarrier: 'Evri', exception: { type: 'carrier-unmapped' } });
    expect(held!.exception!.summary).toContain("SAP carrier 'Evri'");
    expect(held!.exception!.summary).toContain('closest: Evri');
    expect(calls(orderId!, 'OR23')).toHaveLength(0);
    const table = await engine.query('despatch.carriers', {});
    expect(table.mappings.find((m) => m.sapCarrier === 'Evri')).toMatchObject({ carrierCode: null, suggestions: [{ code: 'EVRI', score: 1 }] });
    expect(table.mappings.find((m) => m.sapCarrier === 'Royal Mail')).toMatchObject({ carrierCode: 'ROYAL_MAIL', valid: true });

    const result = await engine.command('despatch.correct', {
      orderId: orderId!,
      carrierCode: 'EVRI',
      trackingNumber: 'H01ABC1234567890',
      rememberMapping: true,
      writeBack: true,
      actor: 'Priya Shah',
    });
    expect(result.outcome).toBe('confirmed');
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'EVRI', shipping_tracking: 'H01ABC1234567890' });
    expect(world.sap.state.documents.DeliveryNotes.get(note.DocEntry as number)!.TrackingNumber).toBe('H01ABC1234567890');
    expect((await engine.query('despatch.carriers', {})).mappings.find((m) => m.sapCarrier === 'Evri')).toMatchObject({
      carrierCode: 'EVRI',
      updatedBy: 'Priya Shah',
    });

    const exception = (await engine.query('exceptions.list', { flow: 'despatch', search: orderId!, limit: 10 })).rows.find(
      (e) => e.type === 'carrier-unmapped',
    )!;
    expect(exception.state).toBe('resolved');
    const { actions } = await engine.query('exceptions.get', { id: exception.id });
    expect(actions.map((a) => `${a.action}:${a.actor}`)).toEqual(['raised:engine', 'correct:Priya Shah', 'resolve:engine']);
    expect(actions[1]).toMatchObject({
      before: { carrierCode: null, trackingNumber: 'h01abc 1234567890', sapCarrier: 'Evri' },
      after: { carrierCode: 'EVRI', trackingNumber: 'H01ABC1234567890' },
    });
    const timeline = (await engine.query('orders.get', { orderId: orderId! }))!.events.map((e) => `${e.source}: ${e.summary}`).join('\n');
    expect(timeline).toContain('operator: Priya Shah corrected the despatch');
    expect(timeline).toContain('written back to the Delivery Note');

    // The write-back changed the Delivery Note in SAP: read again, but never sent again.
    await runDespatch(engine);
    expect(calls(orderId!, 'OR23')).toHaveLength(1);
    expect(calls(orderId!, 'OR24')).toHaveLength(1);
    await expect(engine.command('despatch.correct', { orderId: orderId!, carrierCode: 'EVRI', trackingNumber: 'X', actor: 'Priya Shah' })).rejects.toThrow(
      /already confirmed/,
    );
  });

  it('waits for every line of a partly delivered order, then confirms with the last delivery', async () => {
    const [orderId] = await world.postedOrders(engine, 1, { linesPerOrder: 2 });
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'DPD', trackingNumber: '15501234567890', lines: [{ lineNum: 0, quantity: 1 }] });
    await runDespatch(engine);
    expect(await despatchOf(orderId!)).toMatchObject({ state: 'waiting-lines', deliveries: 1 });
    expect(calls(orderId!, 'OR23')).toHaveLength(0);

    world.sap.despatch({ numAtCard, carrier: 'DPD', trackingNumber: '15501234567891' });
    await runDespatch(engine);
    expect(await despatchOf(orderId!)).toMatchObject({ state: 'confirmed', deliveries: 2, trackingNumber: '15501234567891' });
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPED', shipping_tracking: '15501234567891' });
  });

  it('raises order-not-shipping when the marketplace order was cancelled after SAP delivered, and sends nothing', async () => {
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: 'AB000000001GB' });
    const cancelled = await fetch(`${world.jl.url}/api/orders/${orderId}/cancel`, { method: 'PUT', headers: { Authorization: world.jl.apiKey } });
    expect(cancelled.status).toBe(204);
    await runDespatch(engine);

    expect(await despatchOf(orderId!)).toMatchObject({ state: 'blocked', exception: { type: 'order-not-shipping' } });
    expect((await despatchOf(orderId!))!.exception!.summary).toContain('CANCELED');
    expect(calls(orderId!, 'OR23')).toHaveLength(0);
    expect(calls(orderId!, 'OR24')).toHaveLength(0);
  });

  it('keeps the marketplace’s rejection verbatim (a carrier dropped from its list since the cached SH21)', async () => {
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    const carriers = world.jl.state.config.carriers;
    world.jl.admin.configure({ carriers: carriers.filter((c) => c.code !== 'DPD') });
    try {
      world.sap.despatch({ numAtCard, carrier: 'DPD', trackingNumber: '15501234567892' });
      await runDespatch(engine);
      const held = await despatchOf(orderId!);
      expect(held).toMatchObject({ state: 'blocked', exception: { type: 'marketplace-rejected' } });
      expect(held!.exception!.rawError).toContain("Carrier code 'DPD' is not in the carrier list");
      expect(calls(orderId!, 'OR24')).toHaveLength(0);

      // A person retries once the carrier is back on the list: it goes through and the exception resolves.
      world.jl.admin.configure({ carriers });
      await engine.command('exceptions.retry', { id: held!.exception!.id, actor: 'Priya Shah' });
      await engine.idle();
      expect(await despatchOf(orderId!)).toMatchObject({ state: 'confirmed', exception: null });
      expect(await liveExceptions(orderId!)).toEqual([]);
    } finally {
      world.jl.admin.configure({ carriers });
    }
  });

  it('raises tracking-missing for a Delivery Note without a tracking number', async () => {
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: '' });
    await runDespatch(engine);
    expect(await despatchOf(orderId!)).toMatchObject({ state: 'blocked', exception: { type: 'tracking-missing' } });
  });
});
