import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import type { Notification } from '../../../electron/engine/ports';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

const HOUR = 3_600_000;

describe('despatch: watchdogs on a fake clock, exactly once across a restart', () => {
  const tmp = tempDir('despatch-wd-');
  let world: DespatchWorld;
  const engines: Engine[] = [];
  const start = (o: Parameters<DespatchWorld['engine']>[0]) => {
    const e = world.engine(o);
    engines.push(e);
    return e;
  };
  const calls = (orderId: string, operation: string) => world.jl.admin.calls().filter((c) => c.operation === operation && c.path.includes(orderId));
  const numAtCard = async (e: Engine, orderId: string) => (await e.query('orders.get', { orderId }))!.order.numAtCard!;

  beforeAll(async () => {
    world = await startDespatchWorld();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop(0).catch(() => undefined);
    await world?.stop();
    tmp.cleanup();
  });

  it('alerts (tray) when a delivery is not confirmed within 2 h, and when a deadline is 4 h away with no delivery', async () => {
    const ledgerFile = tmp.file('watchdog.db');
    const real = start({ ledgerFile });
    await real.command('orders.preflight', { createFields: true, actor: 'test' });
    const [delivered, undelivered] = await world.postedOrders(real, 2);
    // Delivered with a carrier nobody mapped: it waits for a person.
    world.sap.despatch({ numAtCard: await numAtCard(real, delivered!), carrier: 'Yodel', trackingNumber: 'JD0002212345678901' });
    const later = (await real.query('orders.get', { orderId: undelivered! }))!.order;
    await real.stop();

    // The same ledger, the despatch flow alone, on a clock the test moves.
    const clock = fakeClock(Date.now());
    const notifications: Notification[] = [];
    const engine = start({ ledgerFile, flows: ['despatch'], clock, notifications });
    await runDespatch(engine);
    const live = async () =>
      (await engine.query('exceptions.list', { flow: 'despatch', state: 'open', limit: 50 })).rows.map((e) => `${e.type}:${e.record.key}`).sort();
    expect(await live()).toEqual([`carrier-unmapped:${delivered}`]);

    await clock.advance(2 * HOUR + 60_000);
    await runDespatch(engine);
    expect(await live()).toEqual([`carrier-unmapped:${delivered}`, `despatch-overdue:${delivered}`]);
    const overdue = notifications.find((n) => n.title.includes(delivered!) && n.body.includes('not confirmed'));
    expect(overdue).toMatchObject({ severity: 'critical' });

    // The emulator gives three days to ship: move to 3 h before the deadline.
    const deadline = Date.parse(later.shippingDeadline!);
    await clock.advance(deadline - 3 * HOUR - clock.now());
    await runDespatch(engine);
    expect(await live()).toContain(`deadline-near:${undelivered}`);
    const near = (await engine.query('exceptions.list', { flow: 'despatch', search: undelivered!, limit: 10 })).rows.find((e) => e.type === 'deadline-near')!;
    expect(near).toMatchObject({ severity: 'critical', deadlineAt: new Date(deadline).toISOString() });
    expect(near.summary).toMatch(/shipping deadline is in 3 h/);
    expect(notifications.some((n) => n.title.includes(undelivered!) && n.severity === 'critical')).toBe(true);

    // A Delivery Note arrives and the carrier is mapped: both alerts go by themselves.
    world.sap.despatch({ numAtCard: later.numAtCard!, carrier: 'DPD', trackingNumber: '15501234567899' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Yodel', carrierCode: 'DPD', actor: 'test' });
    await engine.idle();
    await runDespatch(engine);
    expect(await live()).toEqual([]);
    await engine.stop();
  });

  it('never sends an accepted confirmation again: a crash after OR23 landed is settled by reading the order', async () => {
    const ledgerFile = tmp.file('restart.db');
    const first = start({ ledgerFile });
    await first.command('orders.preflight', { createFields: true, actor: 'test' });
    await first.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    world.releaseLease();
    const [orderId] = await world.postedOrders(first, 1);
    world.sap.despatch({ numAtCard: await numAtCard(first, orderId!), carrier: 'Royal Mail', trackingNumber: 'AB987654321GB' });

    // OR23 is slow to answer; the console is killed while it is in flight (its outcome never reaches the ledger).
    world.jl.admin.setFaults({ operation: 'OR23', latencyMs: 800 });
    first.runNow('despatch');
    await expect.poll(() => calls(orderId!, 'OR23').length + world.jl.admin.calls().length, { timeout: 5_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    await first.stop(0);
    await new Promise((r) => setTimeout(r, 1_000));
    world.jl.admin.setFaults({});
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPING', shipping_tracking: 'AB987654321GB' });

    const second = start({ ledgerFile });
    await runDespatch(second);
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'ROYAL_MAIL', shipping_tracking: 'AB987654321GB' });
    expect(calls(orderId!, 'OR23')).toHaveLength(1);
    expect(calls(orderId!, 'OR24')).toHaveLength(1);
    const timeline = (await second.query('orders.get', { orderId: orderId! }))!.events.map((e) => e.summary).join('\n');
    expect(timeline).toContain('Found on the marketplace after a restart: OR23 had landed; not sent again');

    // And once more after another restart: nothing at all.
    await second.stop();
    const third = start({ ledgerFile });
    await runDespatch(third);
    expect(calls(orderId!, 'OR23')).toHaveLength(1);
    expect(calls(orderId!, 'OR24')).toHaveLength(1);
    await third.stop();
  });
});
