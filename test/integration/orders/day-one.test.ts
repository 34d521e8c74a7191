import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { startWorld, SKUS, type World } from './world';

const live = async (engine: Engine, type: string) =>
  (await engine.query('exceptions.list', { flow: 'orders', state: 'open', limit: 500 })).rows.filter((e) => e.type === type);
const salesOrder = (world: World, orderId: string) => [...world.sap.state.documents.Orders.values()].find((d) => d.U_JLM_OrderId === orderId);
/** A money value written into JSON with its exact digits, as the marketplace writes it. */
const exact = (text: string) => (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(text);

describe('orders on day one against the real systems', () => {
  let world: World;
  const tmp = tempDir();
  beforeAll(async () => {
    world = await startWorld({ items: 200 });
    world.jl.admin.seedOffers([
      { sku: 'SKU000020', quantity: 20, price: '8.00', taxes: ['zero'] }, // zero-rated in SAP (O0)
      { sku: 'SKU000040', quantity: 20, price: '30.00' }, // serial-managed in SAP
    ]);
    const setup = world.engine({ ledgerFile: tmp.file('setup.db') });
    await setup.command('orders.preflight', { createFields: true, actor: 'Priya' });
    await setup.stop();
  });
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  /** A new console on the company: the lease is free, the ledger empty, going live at `from` (the marketplace clock). */
  const newConsole = (name: string, orders: Record<string, unknown> = {}) => {
    world.releaseLease();
    return world.engine({
      ledgerFile: tmp.file(`${name}.db`),
      orders: { ordersFrom: new Date(Date.parse(world.jl.admin.now()) - 60_000).toISOString(), ...orders },
    });
  };

  it('refuses to run live without a go-live cut-off, reading nothing; with one, older finished orders are history and never posted', async () => {
    world.releaseLease();
    const bare = world.engine({ ledgerFile: tmp.file('no-cutoff.db'), orders: { ordersFrom: null } });
    world.jl.admin.clearCalls();
    const [refused] = await bare.runOnce();
    expect(refused!.outcome).toBe('failed');
    expect(refused!.error).toMatch(/orders from/);
    expect((await live(bare, 'orders-from-missing')).map((e) => e.record)).toEqual([{ type: 'sap-company', key: 'C-JLM' }]);
    expect(world.jl.admin.calls().filter((c) => c.operation === 'OR11')).toEqual([]);
    await bare.stop();
    // Trying the console out under dry run without a cut-off reads the last week, not the shop's whole history.
    const trial = world.engine({ ledgerFile: tmp.file('trial.db'), orders: { ordersFrom: null }, dryRun: true });
    await trial.runOnce();
    const start = Date.parse(new URLSearchParams(world.jl.admin.calls().find((c) => c.operation === 'OR11')!.query).get('start_update_date')!);
    expect(Math.abs(start - (Date.now() - 7 * 24 * 3_600_000 - 5 * 60_000))).toBeLessThan(60_000);
    await trial.stop();

    // Before go-live: one order despatched from the old system, one still waiting to be shipped.
    const [old, open] = world.jl.admin.createOrders({ count: 2, skus: [SKUS[0]!] });
    for (const o of [old!, open!]) world.jl.state.setState(world.jl.state.orders.get(o.orderId)!, 'SHIPPING', world.jl.state.clock.now());
    world.jl.state.setState(world.jl.state.orders.get(old!.orderId)!, 'SHIPPED', world.jl.state.clock.now());
    world.jl.admin.advanceClock(2 * 60 * 60_000);
    const engine = newConsole('cutoff');
    const cutoff = (await engine.query('settings.get', {})).orders.ordersFrom!;
    // After go-live the customer confirms receipt of the old order, and the open one changes: both are read.
    world.jl.admin.receiveOrder(old!.orderId);
    world.jl.admin.shapeOrder(open!.orderId, {});
    const [fresh] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[1]!] });
    world.jl.admin.clearCalls();
    await engine.runOnce();
    const firstRead = world.jl.admin.calls().find((c) => c.operation === 'OR11')!;
    // The first read asks only for orders updated since the cut-off (less the connector's five-minute overlap).
    expect(new URLSearchParams(firstRead.query).get('start_update_date')).toBe(new Date(Date.parse(cutoff) - 5 * 60_000).toISOString());
    const stage = async (id: string) => (await engine.query('orders.get', { orderId: id }))?.order.stage;
    expect(await stage(old!.orderId)).toBe('history');
    expect((await engine.query('orders.list', { search: old!.commercialId })).rows.map((r) => [r.orderId, r.stage])).toEqual([[old!.orderId, 'history']]);
    expect(await stage(fresh!.orderId)).toBe('accepted');
    // Still open when read, so it is the business's to post, whenever it was created.
    expect(await stage(open!.orderId)).toBe('posted');
    await engine.runOnce();
    expect(salesOrder(world, old!.orderId)).toBeUndefined();
    expect(salesOrder(world, open!.orderId)).toBeDefined();
    await engine.stop();
  });

  it('no silent 0 % VAT: a line without tax lines ([] or null) takes the SAP item’s group only when its rate fits the line', async () => {
    const engine = newConsole('vat');
    const [empty, none, zeroRated] = [
      ...world.jl.admin.createOrders({ count: 2, skus: [SKUS[2]!] }),
      ...world.jl.admin.createOrders({ count: 1, skus: ['SKU000020'] }),
    ];
    world.jl.admin.shapeOrder(empty!.orderId, { lines: [{ taxes: [] }] });
    world.jl.admin.shapeOrder(none!.orderId, { lines: [{ taxes: null }] });
    world.jl.admin.shapeOrder(zeroRated!.orderId, { lines: [{ taxes: [] }] });
    await engine.runOnce();
    world.jl.admin.debitOrders([empty!.orderId, none!.orderId, zeroRated!.orderId]);
    await engine.runOnce();
    // SKU000003 is a 20 % item in SAP: its price carries no tax the marketplace stated, so 20 % does not fit.
    const unknown = await live(engine, 'vat-unknown');
    expect(unknown.map((e) => e.record.key).sort()).toEqual([empty!.orderId, none!.orderId].sort());
    expect(unknown[0]!.summary).toMatch(/group O1 \(20 %\) does not fit its price \(gross [\d.]+, net [\d.]+\)/);
    expect(salesOrder(world, empty!.orderId)).toBeUndefined();
    expect(salesOrder(world, none!.orderId)).toBeUndefined();
    // SKU000020 is zero-rated in SAP (O0): the item's own group fits a line without tax, and is used.
    const doc = salesOrder(world, zeroRated!.orderId)!;
    expect((doc.DocumentLines as { VatGroup: string }[])[0]!.VatGroup).toBe('O0');
    await engine.stop();
  });

  it('after a Sales Order is created SAP’s total is compared with the marketplace’s; a difference is an exception with both figures', async () => {
    const engine = newConsole('totals');
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[4]!], shippingPrice: '0.00' });
    // Someone keyed the order into SAP by hand before go-live, at another price: it is found by the customer's number.
    const sap = world.sap.state;
    const keyed = {
      CardCode: 'C-JLM',
      NumAtCard: order!.commercialId,
      DocumentLines: [{ ItemCode: SKUS[4]!, Quantity: 1, PriceAfterVAT: 9.0, VatGroup: 'O1', WarehouseCode: '01' }],
    };
    const { createDocument } = await import('../../../emulators/sap-b1/documents');
    createDocument(sap, 'v2', 'Orders', keyed);
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    await engine.runOnce();
    const [e] = await live(engine, 'sap-total-differs');
    expect(e!.record.key).toBe(order!.orderId);
    expect(e!.summary).toMatch(/totals 9\.00 GBP in SAP; the marketplace order totals 7\.77 GBP \(goods 7\.77, shipping 0\.00\): a difference of 1\.23/);
    // The usual case agrees to the penny, freight and rounding included: no exception.
    const [normal] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[3]!], quantities: [3] });
    await engine.runOnce();
    world.jl.admin.debitOrders([normal!.orderId]);
    await engine.runOnce();
    const detail = await engine.query('orders.get', { orderId: normal!.orderId });
    expect(detail!.order.sapTotal).toBe(detail!.order.totalPrice);
    expect((await live(engine, 'sap-total-differs')).map((x) => x.record.key)).toEqual([order!.orderId]);
    await engine.stop();
  });

  it('each line takes its stock from the first warehouse in the priority list that has it, so its Delivery Note finds it there', async () => {
    // A serial-managed item with nothing in the main warehouse and three units (three serial numbers) in 02.
    const item = world.sap.state.items.get('SKU000040')!;
    for (const [whs, serials] of [
      ['01', []],
      ['02', ['SN-A', 'SN-B', 'SN-C']],
    ] as const) {
      world.sap.state.warehouseInfo(item, whs)!.InStock = serials.length;
      const set = world.sap.state.serialSet('SKU000040', whs);
      set.clear();
      for (const sn of serials) set.add(sn);
    }
    const engine = newConsole('warehouses', { warehousePriority: ['01', '02', '03'] });
    const [order] = world.jl.admin.createOrders({ count: 1, skus: ['SKU000040'] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    await engine.runOnce();
    const doc = salesOrder(world, order!.orderId)!;
    expect((doc.DocumentLines as { WarehouseCode: string }[])[0]!.WarehouseCode).toBe('02');
    // The warehouse despatches it: SAP takes the serial number from 02 and accepts the Delivery Note.
    const delivery = world.sap.despatch({ docEntry: doc.DocEntry as number, carrier: 'Royal Mail', trackingNumber: 'AB123456789GB' });
    expect((delivery.DocumentLines as { WarehouseCode: string }[])[0]!.WarehouseCode).toBe('02');
    await engine.stop();
  });

  it('holds posting with an explanation when the shop is not a MARKETPLACE shop', async () => {
    world.jl.admin.configure({ shopModel: 'DROPSHIP' });
    const engine = newConsole('dropship');
    const [order] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[5]!] });
    await engine.runOnce();
    world.jl.admin.debitOrders([order!.orderId]);
    const [run] = await engine.runOnce();
    expect(run!.outcome).toBe('succeeded');
    const [e] = await live(engine, 'shop-model-unsupported');
    expect(e).toMatchObject({ severity: 'critical', record: { type: 'shop', key: 'marketplace' } });
    expect(e!.summary).toMatch(/runs as DROPSHIP, not as a marketplace shop/);
    expect(salesOrder(world, order!.orderId)).toBeUndefined();
    world.jl.admin.configure({ shopModel: 'MARKETPLACE' });
    await engine.stop();
  });

  it('one bad order never stops the others: duplicate line ids, no lines, no order id and an unknown state each become an exception', async () => {
    const engine = newConsole('poison');
    const [twice, empty, nameless, odd, good] = world.jl.admin.createOrders({ count: 5, skus: [SKUS[6]!] });
    const line = world.jl.admin.order(twice!.orderId) as { order_lines: Record<string, unknown>[] };
    world.jl.admin.shapeOrder(twice!.orderId, { extraLines: [{ ...line.order_lines[0]!, offer_sku: SKUS[7] }] });
    world.jl.admin.shapeOrder(empty!.orderId, { order: { order_lines: [] } });
    world.jl.admin.shapeOrder(nameless!.orderId, { order: { order_id: null } });
    world.jl.admin.shapeOrder(odd!.orderId, { order: { order_state: 'ON_HOLD_FOR_REVIEW' } });
    const [run] = await engine.runOnce();
    expect(run!.outcome).toBe('succeeded');
    expect((await live(engine, 'order-invalid')).map((e) => [e.record.key, e.summary.split(': ').at(-1)]).sort()).toEqual(
      [
        [twice!.orderId, `line id '${twice!.lines[0]!.orderLineId}' appears more than once`],
        [empty!.orderId, 'the order has no lines'],
      ].sort(),
    );
    expect((await live(engine, 'order-state-unknown')).map((e) => e.record.key)).toEqual([odd!.orderId]);
    const [unreadable] = await live(engine, 'listing-unreadable');
    expect(unreadable!.record).toEqual({ type: 'order-listing', key: `commercial id ${nameless!.commercialId}` });
    // The sound order went on: accepted now, and posted once debited.
    world.jl.admin.debitOrders([good!.orderId]);
    await engine.runOnce();
    expect(salesOrder(world, good!.orderId)).toBeDefined();
    for (const bad of [twice, empty, odd]) expect(salesOrder(world, bad!.orderId)).toBeUndefined();
    await engine.stop();
  });

  it('values SAP cannot hold are refused before the create with a clear exception, never cut or rounded', async () => {
    const engine = newConsole('limits');
    world.sap.state.adminInfo.PriceAccuracy = 2;
    const [long, dollars, precise] = world.jl.admin.createOrders({ count: 3, skus: [SKUS[0]!] });
    const longId = `${'7'.repeat(58)}-A`;
    world.jl.admin.shapeOrder(long!.orderId, { order: { order_id: longId, order_state: 'SHIPPING' } });
    world.jl.admin.shapeOrder(dollars!.orderId, { order: { currency_iso_code: 'USD', order_state: 'SHIPPING' } });
    world.jl.admin.shapeOrder(precise!.orderId, { order: { order_state: 'SHIPPING' }, lines: [{ price_unit: exact('19.98765') }] });
    const [run] = await engine.runOnce();
    world.sap.state.adminInfo.PriceAccuracy = 6;
    expect(run!.outcome).toBe('succeeded');
    const unfit = Object.fromEntries((await live(engine, 'value-unfit')).map((e) => [e.record.key, e.summary]));
    expect(unfit[longId]).toMatch(/the order id has 60 characters; SAP's field ORDR.U_JLM_OrderId holds 50/);
    expect(unfit[dollars!.orderId]).toMatch(/the order is in USD, a currency the SAP company does not have \(it has GBP, EUR\)/);
    expect(unfit[precise!.orderId]).toMatch(/unit price 19\.98765 has 5 decimal places; SAP keeps prices to 2/);
    expect([longId, dollars!.orderId, precise!.orderId].map((id) => salesOrder(world, id))).toEqual([undefined, undefined, undefined]);
    await engine.stop();
  });
});
