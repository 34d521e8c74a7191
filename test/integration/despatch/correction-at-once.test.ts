import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import { PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import type { Engine } from '../../../electron/engine/engine';
import type { EventPayload } from '../../../shared/contract';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

const MINUTE = 60_000;

/**
 * A despatch correction while the marketplace's once-a-minute order-list window is in use: the correction reads its
 * one order under the allowance for an operator's action and goes at once; when it must wait its turn anyway, it is
 * answered at once as queued and the outcome follows as an event.
 */
describe('despatch: the correction answers at once', () => {
  const tmp = tempDir('despatch-now-');
  let world: DespatchWorld;
  const engines: Engine[] = [];
  const start = (o: Parameters<DespatchWorld['engine']>[0]) => {
    const e = world.engine(o);
    engines.push(e);
    return e;
  };
  const orCalls = (operation: string) => world.jl.admin.calls().filter((c) => c.operation === operation);

  beforeAll(async () => {
    world = await startDespatchWorld();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop(0).catch(() => undefined);
    await world?.stop();
    tmp.cleanup();
  });

  /** Posted orders delivered in SAP with Yodel (unmapped), then an engine running the despatch flow alone, with the published call allowances. */
  async function heldDespatches(name: string, count: number, clock?: ReturnType<typeof fakeClock>) {
    const ledgerFile = tmp.file(`${name}.db`);
    const poster = start({ ledgerFile });
    await poster.command('orders.preflight', { createFields: true, actor: 'test' });
    await poster.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', actor: 'test' });
    world.releaseLease();
    const orderIds = await world.postedOrders(poster, count);
    const numbers = new Map<string, string>();
    for (const id of orderIds) numbers.set(id, (await poster.query('orders.get', { orderId: id }))!.order.numAtCard!);
    await poster.stop();
    const engine = start({ ledgerFile, flows: ['despatch'], limits: PUBLISHED_MAXIMA, ...(clock ? { clock } : {}) });
    return { engine, orderIds, numbers };
  }

  it('goes at once while the order-list window is in use (a list read just happened), one correction after another', async () => {
    const { engine, orderIds, numbers } = await heldDespatches('busy', 2);
    for (const orderId of orderIds)
      world.sap.despatch({ numAtCard: numbers.get(orderId)!, carrier: 'Yodel', trackingNumber: `H01ABC${orderId.slice(6, 9)}4567890` });
    // This run read the orders through the list window (OR11 by ids): the next list read may not go for a minute.
    await runDespatch(engine);
    for (const orderId of orderIds)
      expect(await engine.query('despatch.get', { orderId })).toMatchObject({ state: 'blocked', exception: { type: 'carrier-unmapped' } });
    const listReads = orCalls('OR11').length;

    // The second comes while the first one's run may still be finishing: it is not swept into that run's list read.
    for (const orderId of orderIds) {
      const result = await engine.command('despatch.correct', {
        orderId,
        carrierCode: 'EVRI',
        trackingNumber: `H01ABC${orderId.slice(6, 9)}4567890`,
        actor: 'Priya Shah',
      });
      expect(result).toMatchObject({ outcome: 'confirmed', despatch: { state: 'confirmed', sending: null } });
      expect(world.marketplaceOrder(orderId)).toMatchObject({
        order_state: 'SHIPPED',
        shipping_carrier_code: 'EVRI',
        shipping_tracking: `H01ABC${orderId.slice(6, 9)}4567890`,
      });
    }
    // One more OR11 per correction: its own read of its order.
    expect(
      orCalls('OR11')
        .slice(listReads)
        .map((c) => new URLSearchParams(c.query).get('order_ids')),
    ).toEqual(orderIds);
  });

  it('when it has to wait its turn, is answered at once as queued, shows sending, and its outcome arrives as an event', async () => {
    const clock = fakeClock(Date.now());
    const { engine, orderIds, numbers } = await heldDespatches('queued', 2, clock);
    const [held, other] = orderIds;
    const events: EventPayload<'despatch.changed'>[] = [];
    engine.subscribe((name, payload) => {
      if (name === 'despatch.changed') events.push(payload as EventPayload<'despatch.changed'>);
    });
    world.sap.despatch({ numAtCard: numbers.get(held!)!, carrier: 'Yodel', trackingNumber: 'H01ABC0000000001' });
    await runDespatch(engine);
    expect(await engine.query('despatch.get', { orderId: held! })).toMatchObject({ state: 'blocked' });

    // Another despatch becomes due; its run waits for the list window (used a moment ago) to read it.
    world.sap.despatch({ numAtCard: numbers.get(other!)!, carrier: 'DPD', trackingNumber: '15501234567001' });
    engine.runNow('despatch');
    await expect.poll(() => clock.pending(), { timeout: 5_000 }).toBeGreaterThan(0);

    const answer = await engine.command('despatch.correct', { orderId: held!, carrierCode: 'EVRI', trackingNumber: 'H01ABC0000000001', actor: 'Priya Shah' });
    expect(answer.outcome).toBe('queued');
    expect(answer.message).toMatch(/^Queued — sends at \d\d:\d\d$/);
    expect(Date.parse(answer.sendsAt!)).toBeGreaterThan(clock.now());
    expect(answer.despatch.sending).toMatchObject({ sendsAt: answer.sendsAt });
    expect(await engine.query('despatch.get', { orderId: held! })).toMatchObject({ sending: { sendsAt: answer.sendsAt } });
    expect((await engine.query('despatch.list', { search: held! })).rows).toMatchObject([{ orderId: held, sending: { sendsAt: answer.sendsAt } }]);
    expect(events).toEqual([]);

    await clock.advance(MINUTE + 1_000);
    await engine.idle();
    expect(world.marketplaceOrder(held!)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'EVRI' });
    expect(world.marketplaceOrder(other!)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'DPD' });
    expect(events).toMatchObject([{ orderId: held, outcome: 'confirmed', despatch: { state: 'confirmed', sending: null } }]);
    expect(events[0]!.message).toContain(`Despatch confirmed: the marketplace shows ${held} shipped with EVRI H01ABC0000000001`);
    expect(await engine.query('despatch.get', { orderId: held! })).toMatchObject({ sending: null });
  });
});
