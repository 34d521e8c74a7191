import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import { createDocument } from '../../../emulators/sap-b1/documents';
import { tempDir } from '../../support/ports';
import { startWorld, SKUS, type World } from './world';

const live = async (engine: Engine, type: string) =>
  (await engine.query('exceptions.list', { flow: 'orders', state: 'open', limit: 500 })).rows.filter((e) => e.type === type);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('exactly once when SAP answers late, and the standing duplicate check', () => {
  let world: World;
  const tmp = tempDir();
  beforeAll(async () => {
    world = await startWorld({ items: 100 });
    const setup = world.engine({ ledgerFile: tmp.file('setup.db') });
    await setup.command('orders.preflight', { createFields: true, actor: 'Priya' });
    await setup.stop();
  });
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  const postsOfOrders = () => world.sap.calls().filter((c) => c.method === 'POST' && /\/Orders$/.test(c.path.split('?')[0]!)).length;

  it('a create SAP commits after the engine’s timeout is never sent again: looked up after the settle time, found, posted once', async () => {
    world.releaseLease();
    // SAP takes 2.5 s to commit and answer; the engine gives up after 1 s and waits 4 s (at least twice its timeout) before looking again.
    const engine = world.engine({ ledgerFile: tmp.file('late.db'), sapTimeoutSeconds: 1, orders: { createSettleSeconds: 4 } });
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[0]!] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    world.sap.addFault({ kind: 'slowCommit', method: 'POST', path: 'Orders', ms: 2_500, times: 1 });
    world.sap.clearCalls();
    const [first] = await engine.runOnce();
    expect(first!.counts.outcomeUnknown).toBe(1);
    expect((await engine.query('orders.get', { orderId: order!.orderId }))!.order.stage).toBe('posting');
    expect((await live(engine, 'create-outcome-unknown')).map((e) => e.record.key)).toEqual([order!.orderId]);
    // SAP commits meanwhile (the emulator logs a call when it answers); runs inside the settle time send nothing.
    await sleep(1_500);
    await engine.runOnce();
    expect(postsOfOrders()).toBe(1);
    expect(world.salesOrdersByOrderId().get(order!.orderId)).toBe(1);
    expect((await engine.query('orders.get', { orderId: order!.orderId }))!.order.stage).toBe('posting');
    // After the settle time the lookup finds it: posted, nothing resent, the warning resolved.
    await sleep(1_600);
    const [settled] = await engine.runOnce();
    expect(settled!.counts.recovered).toBe(1);
    expect(postsOfOrders()).toBe(1);
    expect(world.salesOrdersByOrderId().get(order!.orderId)).toBe(1);
    expect((await engine.query('orders.get', { orderId: order!.orderId }))!.order.stage).toBe('posted');
    expect(await live(engine, 'create-outcome-unknown')).toEqual([]);
    await engine.stop();
  });

  it('the computer’s clock set forward an hour while SAP is still committing: nothing is sent again before the settle time has really passed', async () => {
    world.releaseLease();
    let setForwardMs = 0;
    const clock = { ...systemClock(), now: () => Date.now() + setForwardMs };
    const engine = world.engine({ ledgerFile: tmp.file('clock.db'), sapTimeoutSeconds: 1, orders: { createSettleSeconds: 2 }, clock });
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[3]!] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    // SAP takes 2.5 s to commit; the engine gives up after 1 s. Then NTP moves the office PC's clock on an hour.
    world.sap.addFault({ kind: 'slowCommit', method: 'POST', path: 'Orders', ms: 2_500, times: 1 });
    world.sap.clearCalls();
    const [first] = await engine.runOnce();
    expect(first!.counts.outcomeUnknown).toBe(1);
    setForwardMs = 60 * 60_000;
    // The next run, an hour later by the clock but a moment later in fact: SAP has not committed yet.
    await engine.runOnce();
    // SAP commits; after the settle time (real time) the lookup finds the one Sales Order.
    await sleep(2_500);
    await engine.runOnce();
    await sleep(300);
    await engine.runOnce();
    expect(postsOfOrders()).toBe(1);
    expect(world.salesOrdersByOrderId().get(order!.orderId)).toBe(1);
    expect((await engine.query('orders.get', { orderId: order!.orderId }))!.order.stage).toBe('posted');
    await engine.stop();
  });

  it('a create that never landed is sent again only after the settle-time lookup proves it absent', async () => {
    world.releaseLease();
    const engine = world.engine({ ledgerFile: tmp.file('never.db'), sapTimeoutSeconds: 1, orders: { createSettleSeconds: 2 } });
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[1]!] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    // The load balancer answers 502 without the request reaching SAP: the outcome is unknown to the engine.
    world.sap.addFault({ kind: 'error5xx', status: 502, method: 'POST', path: 'Orders', times: 1 });
    world.sap.clearCalls();
    await engine.runOnce();
    expect(world.salesOrdersByOrderId().has(order!.orderId)).toBe(false);
    await sleep(2_200);
    const [again] = await engine.runOnce();
    expect(again!.counts.neverLanded).toBe(1);
    expect(world.salesOrdersByOrderId().get(order!.orderId)).toBe(1);
    await engine.stop();
  });

  it('two Sales Orders for one marketplace order: a critical exception names both; with the setting on, the younger one is closed', async () => {
    world.releaseLease();
    const engine = world.engine({ ledgerFile: tmp.file('dupes.db') });
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[2]!] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    await engine.runOnce();
    const first = [...world.sap.state.documents.Orders.values()].find((d) => d.U_JLM_OrderId === order!.orderId)!;
    // A second copy lands (a create SAP finished hours late, or another system keyed it).
    const copy = createDocument(world.sap.state, 'v2', 'Orders', {
      CardCode: 'C-JLM',
      NumAtCard: order!.commercialId,
      U_JLM_OrderId: order!.orderId,
      DocumentLines: [{ ItemCode: SKUS[2]!, Quantity: 1, PriceAfterVAT: 24.5, WarehouseCode: '01' }],
    });
    // The check runs every ten minutes: a new console runs it on its first run.
    await engine.stop();
    world.releaseLease();
    const watcher = world.engine({ ledgerFile: tmp.file('dupes.db'), orders: { closeDuplicates: false } });
    // Forget when the last check ran, as ten minutes passing would.
    watcher.ledger.db.prepare("DELETE FROM orders_state WHERE key = 'duplicates_checked_at'").run();
    await watcher.runOnce();
    const [e] = await live(watcher, 'duplicate-sales-order');
    expect(e).toMatchObject({ severity: 'critical', record: { type: 'order', key: order!.orderId } });
    expect(e!.summary).toContain(`Sales Order ${String(first.DocNum)} (DocEntry ${String(first.DocEntry)}, open)`);
    expect(e!.summary).toContain(`Sales Order ${String(copy.DocNum)} (DocEntry ${String(copy.DocEntry)}, open)`);
    expect(copy.DocumentStatus).toBe('bost_Open');
    await watcher.stop();

    world.releaseLease();
    const closer = world.engine({ ledgerFile: tmp.file('dupes.db'), orders: { closeDuplicates: true } });
    closer.ledger.db.prepare("DELETE FROM orders_state WHERE key = 'duplicates_checked_at'").run();
    await closer.runOnce();
    expect(world.sap.state.documents.Orders.get(copy.DocEntry as number)!.DocumentStatus).toBe('bost_Close');
    expect(world.sap.state.documents.Orders.get(first.DocEntry as number)!.DocumentStatus).toBe('bost_Open');
    expect(await live(closer, 'duplicate-sales-order')).toEqual([]);
    const detail = await closer.query('orders.get', { orderId: order!.orderId });
    expect(detail!.order.docEntry).toBe(first.DocEntry);
    expect(detail!.events.map((ev) => ev.summary)).toContainEqual(expect.stringMatching(`Closed Sales Order ${String(copy.DocNum)}`));
    await closer.stop();
  });

  it('in steady state the orders flow writes nothing to business partners (the lease lives in its own table)', async () => {
    world.releaseLease();
    const engine = world.engine({ ledgerFile: tmp.file('steady.db') });
    world.sap.clearCalls();
    for (let run = 0; run < 10; run++) await engine.runOnce();
    const writes = world.sap.calls().filter((c) => c.method !== 'GET');
    expect(writes.filter((c) => c.path.includes('BusinessPartners'))).toEqual([]);
    expect(writes.filter((c) => c.path.includes('U_JLM_LEASE')).length).toBeGreaterThan(0);
    await engine.stop();
  });
});
