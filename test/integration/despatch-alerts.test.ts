import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../electron/engine/clock';
import type { Engine } from '../../electron/engine/engine';
import type { Notification } from '../../electron/engine/ports';
import { patchDocument } from '../../emulators/sap-b1/documents';
import { tempDir } from '../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './despatch/world';

const HOUR = 3_600_000;

/**
 * Item 12 of issue 10 against the real despatch flow and both emulators: a delivery with a carrier nobody mapped,
 * which the warehouse office confirmed by hand and dismissed. Ten hourly cadences later the tray has said so once,
 * the overdue watchdog has left the dismissed despatch alone, and only a change to the Delivery Note in SAP brings
 * it back (once).
 */
describe('despatch alerts over ten cadences', () => {
  const tmp = tempDir('despatch-alerts-');
  let world: DespatchWorld;
  const engines: Engine[] = [];

  beforeAll(async () => {
    world = await startDespatchWorld();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop(0).catch(() => undefined);
    await world?.stop();
    tmp.cleanup();
  });

  it('a dismissed despatch stays quiet (no watchdog alert either) until SAP changes its Delivery Note', async () => {
    const ledgerFile = tmp.file('alerts.db');
    const real = world.engine({ ledgerFile });
    engines.push(real);
    await real.command('orders.preflight', { createFields: true, actor: 'test' });
    const [orderId] = await world.postedOrders(real, 1);
    const numAtCard = (await real.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    const delivery = world.sap.despatch({ numAtCard, carrier: 'Yodel', trackingNumber: 'JD0002212345678901' });
    await real.stop();

    const clock = fakeClock(Date.now());
    const notifications: Notification[] = [];
    const start = () => {
      const e = world.engine({ ledgerFile, flows: ['despatch'], clock, notifications });
      engines.push(e);
      return e;
    };
    let engine = start();
    const alertsAt: number[] = [];
    for (let cadence = 1; cadence <= 10; cadence++) {
      if (cadence === 6) {
        await engine.stop();
        engine = start();
      }
      const before = notifications.length;
      if (cadence > 1) await clock.advance(HOUR);
      await runDespatch(engine);
      if (notifications.length > before) alertsAt.push(cadence);
      // The office sent this one by hand in the back office: whatever the console shows open on it is dismissed.
      for (const e of (await engine.query('exceptions.list', { flow: 'despatch', state: 'open', limit: 10 })).rows) {
        await engine.command('exceptions.dismiss', { id: e.id, actor: 'Priya', reason: 'Confirmed by hand in the back office' });
      }
    }
    expect(alertsAt).toEqual([1]);
    expect(notifications).toHaveLength(1);
    const rows = (await engine.query('exceptions.list', { flow: 'despatch', limit: 10 })).rows;
    expect(rows.map((e) => `${e.type}:${e.state}`)).toEqual(['carrier-unmapped:dismissed']);

    // SAP changes the Delivery Note (its update stamp has a one-second grain): the problem is back, once.
    await new Promise((r) => setTimeout(r, 1_100));
    patchDocument(world.sap.state, 'v2', 'DeliveryNotes', Number(delivery.DocEntry), { TrackingNumber: 'JD0002212345678999' });
    await clock.advance(HOUR);
    await runDespatch(engine);
    await clock.advance(HOUR);
    await runDespatch(engine);
    const reopened = (await engine.query('exceptions.list', { flow: 'despatch', state: 'open', limit: 10 })).rows;
    expect(reopened.map((e) => e.type).sort()).toEqual(['carrier-unmapped', 'despatch-overdue']);
    const carrier = reopened.find((e) => e.type === 'carrier-unmapped')!;
    const audit = (await engine.query('exceptions.get', { id: carrier.id })).actions.map((a) => `${a.action}:${a.actor}`);
    expect(audit).toEqual(['raised:engine', 'dismiss:Priya', 'reopen:engine']);
    // One alert per exception: the reopened carrier problem and the overdue watchdog, each once over two cadences.
    expect(
      notifications
        .slice(1)
        .map((n) => n.severity)
        .sort(),
    ).toEqual(['critical', 'error']);
    await engine.stop();
  });
});
