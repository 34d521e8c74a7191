import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from './world';

const MINUTE = 60_000;

/** Partial deliveries where the marketplace takes several shipments per order: each Delivery Note is one shipment. */
describe('despatch: multi-shipment', () => {
  const tmp = tempDir('despatch-ms-');
  let world: DespatchWorld;
  const engines: Engine[] = [];
  const start = (o: Parameters<DespatchWorld['engine']>[0]) => {
    const e = world.engine(o);
    engines.push(e);
    return e;
  };
  const calls = (operation: string, orderId?: string) =>
    world.jl.admin
      .calls()
      .filter((c) => c.operation === operation && (!orderId || c.path.includes(orderId) || c.body.includes(orderId) || c.query.includes(orderId)));
  const numAtCard = async (e: Engine, orderId: string) => (await e.query('orders.get', { orderId }))!.order.numAtCard!;
  // The order's timeline, from the ledger (an engine running the despatch flow alone does not answer orders.get).
  const timeline = async (e: Engine, orderId: string) =>
    e.ledger.timeline
      .of({ type: 'order', key: orderId })
      .map((event) => event.summary)
      .join('\n');

  beforeAll(async () => {
    world = await startDespatchWorld();
    world.jl.admin.configure({ multiShipment: true });
  });
  afterAll(async () => {
    for (const e of engines) await e.stop(0).catch(() => undefined);
    await world?.stop();
    tmp.cleanup();
  });

  it('sends each Delivery Note of a partly delivered order as its own shipment, and the order ships when every line has', async () => {
    const engine = start({ ledgerFile: tmp.file('partial.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    const [orderId] = await world.postedOrders(engine, 1, { linesPerOrder: 2 });
    const [first, second] = (world.marketplaceOrder(orderId!) as unknown as { order_lines: { order_line_id: string }[] }).order_lines;

    world.sap.despatch({
      numAtCard: await numAtCard(engine, orderId!),
      carrier: 'DPD',
      trackingNumber: '15501234567000',
      lines: [{ lineNum: 0, quantity: 1 }],
    });
    await runDespatch(engine);
    expect(world.jl.admin.shipments(orderId!)).toMatchObject([
      {
        status: 'SHIPPED',
        shipment_lines: [{ order_line_id: first!.order_line_id, quantity: 1 }],
        tracking: { carrier_code: 'DPD', tracking_number: '15501234567000' },
      },
    ]);
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPING' });
    expect(await engine.query('despatch.get', { orderId: orderId! })).toMatchObject({ state: 'waiting-lines', exception: null });
    expect(calls('OR23', orderId)).toHaveLength(0);
    expect(await timeline(engine, orderId!)).toMatch(/Shipment sent \(ST24\) for Delivery Note \d+: 1 × .* with DPD 15501234567000/);

    // Read again: nothing is sent twice.
    await runDespatch(engine);
    expect(calls('ST01', orderId)).toHaveLength(1);

    world.sap.despatch({ numAtCard: await numAtCard(engine, orderId!), carrier: 'Royal Mail', trackingNumber: 'AB123456789GB' });
    await runDespatch(engine);
    expect(
      world.jl.admin
        .shipments(orderId!)
        .map((s) => `${s.status} ${s.shipment_lines.map((l) => `${l.quantity}×${l.order_line_id}`).join(',')} ${s.tracking?.carrier_code}`),
    ).toEqual([`SHIPPED 1×${first!.order_line_id} DPD`, `SHIPPED 1×${second!.order_line_id} ROYAL_MAIL`]);
    expect(world.marketplaceOrder(orderId!)).toMatchObject({ order_state: 'SHIPPED' });
    expect(await engine.query('despatch.get', { orderId: orderId! })).toMatchObject({ state: 'confirmed', deliveries: 2 });
    await runDespatch(engine);
    expect(calls('ST01', orderId)).toHaveLength(2);
    expect(calls('ST24', orderId)).toHaveLength(0); // ST24 names shipments, not orders: counted below
    expect(world.jl.admin.calls().filter((c) => c.operation === 'ST24')).toHaveLength(2);
    expect(calls('OR24', orderId)).toHaveLength(0);
    await engine.stop();
  });

  it('after a lost answer, reads the order’s shipments before sending again: one shipment whether it landed or not', async () => {
    const ledgerFile = tmp.file('lost.db');
    const poster = start({ ledgerFile });
    await poster.command('orders.preflight', { createFields: true, actor: 'test' });
    await poster.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', actor: 'test' });
    world.releaseLease();
    const [landed, lost] = await world.postedOrders(poster, 2, { linesPerOrder: 2 });
    const numbers = new Map([
      [landed!, await numAtCard(poster, landed!)],
      [lost!, await numAtCard(poster, lost!)],
    ]);
    await poster.stop();

    // The despatch flow alone, on a clock the test moves.
    const clock = fakeClock(Date.now());
    const engine = start({ ledgerFile, flows: ['despatch'], clock });
    world.jl.admin.clearCalls();
    const deliver = (orderId: string, trackingNumber: string) =>
      world.sap.despatch({ numAtCard: numbers.get(orderId)!, carrier: 'DPD', trackingNumber, lines: [{ lineNum: 0, quantity: 1 }] });
    // The first shipment is carried out but its answer never arrives; the second fails on the marketplace's side.
    deliver(landed!, '15500000000001');
    world.jl.admin.setFaults({ operation: 'ST01', loseAnswerNext: 1 });
    await runDespatch(engine);
    deliver(lost!, '15500000000002');
    world.jl.admin.setFaults({ operation: 'ST01', failNext: 1, failStatus: 503 });
    await runDespatch(engine);
    world.jl.admin.setFaults({});
    expect(world.jl.admin.shipments(landed!)).toHaveLength(1);
    expect(world.jl.admin.shipments(lost!)).toHaveLength(0);

    // Within the settle time nothing is sent or looked up.
    await runDespatch(engine);
    expect(calls('ST01')).toHaveLength(2);
    expect(calls('ST11')).toHaveLength(0);

    await clock.advance(3 * MINUTE);
    await runDespatch(engine);
    // Landed: found on the marketplace, shipped, never created twice. Lost: looked up, not there, sent again.
    expect(world.jl.admin.shipments(landed!)).toMatchObject([{ status: 'SHIPPED', tracking: { tracking_number: '15500000000001' } }]);
    expect(world.jl.admin.shipments(lost!)).toMatchObject([{ status: 'SHIPPED', tracking: { tracking_number: '15500000000002' } }]);
    expect(calls('ST01', landed)).toHaveLength(1);
    expect(calls('ST01', lost)).toHaveLength(2);
    expect(await timeline(engine, landed!)).toContain('Found on the marketplace after a lost answer: the shipment for Delivery Note');
    expect(await timeline(engine, lost!)).toMatch(/is not on the marketplace: its answer was lost before it landed; sending it again/);
    for (const orderId of [landed!, lost!]) expect(await engine.query('despatch.get', { orderId })).toMatchObject({ state: 'waiting-lines', exception: null });

    await runDespatch(engine);
    expect(calls('ST01')).toHaveLength(3);
    await engine.stop();
  });
});
