import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

const YODEL = { carrierName: 'Yodel', trackingUrl: 'https://www.yodel.co.uk/tracking/{trackingId}' };

/** A carrier the marketplace list does not have (Yodel): sent by name and tracking URL where the shop accepts it. */
describe('despatch: carriers the marketplace list does not have', () => {
  const tmp = tempDir('despatch-named-');
  let world: DespatchWorld;
  let engine: Engine;
  const calls = (orderId: string, operation: string) => world.jl.admin.calls().filter((c) => c.operation === operation && c.path.includes(orderId));

  beforeAll(async () => {
    world = await startDespatchWorld();
    engine = world.engine({ ledgerFile: tmp.file('ledger.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('where the shop forbids them, says so and does not take the mapping', async () => {
    world.jl.admin.configure({ alternativeCarriersDisabled: true });
    expect((await engine.query('despatch.carriers', { refresh: true })).namedCarriers).toBe('forbidden');
    await expect(engine.command('despatch.saveMapping', { sapCarrier: 'Yodel', named: YODEL, actor: 'Priya Shah' })).rejects.toThrow(
      /accepts only carriers on its list/,
    );
    // Yodel is one of SAP's shipping types: listed, and still unmapped.
    expect((await engine.query('despatch.carriers', {})).mappings.find((m) => m.sapCarrier === 'Yodel')).toMatchObject({ carrierCode: null, named: null });
  });

  it('where the shop accepts them, a saved "named carrier" mapping sends carrier_name and the tracking URL, and the despatch is confirmed', async () => {
    world.jl.admin.configure({ alternativeCarriersDisabled: false });
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Yodel', trackingNumber: 'JD0002210000000001' });
    await runDespatch(engine);
    expect(await engine.query('despatch.get', { orderId: orderId! })).toMatchObject({ state: 'blocked', exception: { type: 'carrier-unmapped' } });

    const table = await engine.query('despatch.carriers', { refresh: true });
    expect(table.namedCarriers).toBe('allowed');
    // A carrier that is on the list goes by its code, never by name.
    await expect(
      engine.command('despatch.saveMapping', { sapCarrier: 'Yodel', named: { carrierName: 'Evri', trackingUrl: null }, actor: 'Priya Shah' }),
    ).rejects.toThrow(/as EVRI: map it to that code/);

    const saved = await engine.command('despatch.saveMapping', { sapCarrier: 'Yodel', named: YODEL, actor: 'Priya Shah' });
    expect(saved).toMatchObject({
      mapping: { sapCarrier: 'Yodel', carrierCode: null, named: YODEL, valid: true, updatedBy: 'Priya Shah' },
      retried: [orderId],
    });
    await engine.idle();

    expect(world.marketplaceOrder(orderId!)).toMatchObject({
      order_state: 'SHIPPED',
      shipping_carrier_code: null,
      shipping_company: 'Yodel',
      shipping_tracking: 'JD0002210000000001',
      shipping_tracking_url: 'https://www.yodel.co.uk/tracking/JD0002210000000001',
    });
    const [or23] = calls(orderId!, 'OR23');
    expect(JSON.parse(or23!.body)).toEqual({
      carrier_name: 'Yodel',
      carrier_url: 'https://www.yodel.co.uk/tracking/JD0002210000000001',
      tracking_number: 'JD0002210000000001',
    });
    expect(await engine.query('despatch.get', { orderId: orderId! })).toMatchObject({
      state: 'confirmed',
      carrierCode: null,
      carrierName: 'Yodel',
      exception: null,
    });
    const timeline = (await engine.query('orders.get', { orderId: orderId! }))!.events.map((e) => e.summary).join('\n');
    expect(timeline).toContain('Despatch confirmed (OR24): the marketplace shows the order as shipped with Yodel (named carrier) JD0002210000000001');

    // Read again: nothing is sent twice.
    await runDespatch(engine);
    expect(calls(orderId!, 'OR23')).toHaveLength(1);
  });

  it('holds a named-carrier despatch, sending nothing, once the shop stops accepting carriers off its list', async () => {
    world.jl.admin.configure({ alternativeCarriersDisabled: true });
    const [orderId] = await world.postedOrders(engine, 1);
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    world.sap.despatch({ numAtCard, carrier: 'Yodel', trackingNumber: 'JD0002210000000002' });
    await runDespatch(engine);
    const held = await engine.query('despatch.get', { orderId: orderId! });
    expect(held).toMatchObject({ state: 'blocked', exception: { type: 'carrier-unmapped' } });
    expect(held!.exception!.summary).toContain("mapped to send as the named carrier 'Yodel', but the marketplace accepts only carriers on its list");
    expect(calls(orderId!, 'OR23')).toHaveLength(0);
    expect((await engine.query('despatch.carriers', { refresh: true })).mappings.find((m) => m.sapCarrier === 'Yodel')).toMatchObject({
      named: YODEL,
      valid: false,
    });
  });
});
