import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock, type FakeClock } from '../../../electron/engine/clock';
import { memoryCallStore, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import type { Engine } from '../../../electron/engine/engine';
import type { RecordedCall } from '../../../emulators/john-lewis';
import { tempDir } from '../../support/ports';
import { drive } from '../john-lewis/support';
import { startWorld, type World } from './world';

/**
 * A first day of 500 orders waiting for acceptance, with the marketplace enforcing its published call limits on one
 * fake clock (engine and marketplace), in both readings of OR11's "once per minute" (decision 0404): each page is
 * stored and its orders accepted as it arrives, and the engine's own acceptances are never read back.
 */
const ORDERS = 500;

const listings = (calls: RecordedCall[]) => calls.filter((c) => c.operation === 'OR11');
const acceptances = (calls: RecordedCall[]) => calls.filter((c) => c.operation === 'OR21' && c.status === 204);
const acceptedId = (c: RecordedCall) => decodeURIComponent(c.path.split('/')[3]!);
const listed = (c: RecordedCall) => (JSON.parse(c.response) as { orders: { order_id: string }[] }).orders.map((o) => o.order_id);
const offsetOf = (c: RecordedCall) => Number(new URLSearchParams(c.query).get('offset'));
const waitingInMarketplace = (world: World) => [...world.jl.state.orders.values()].filter((o) => o.state === 'WAITING_ACCEPTANCE').length;
const openOf = async (engine: Engine, type: string) =>
  (await engine.query('exceptions.list', { flow: 'orders', state: 'open', limit: 500 })).rows.filter((e) => e.type === type);

async function newWorld(clock: FakeClock, pages: 'each-page' | 'one-listing'): Promise<World> {
  return startWorld({ jl: { rateLimits: true, orderListPagesCount: pages }, jlNow: () => clock.now() });
}

describe('orders: 500 waiting orders, the marketplace counting one listing a minute (follow-on pages free)', () => {
  const clock = fakeClock(Date.now());
  const tmp = tempDir();
  let world: World;
  let engine: Engine;
  beforeAll(async () => {
    world = await newWorld(clock, 'one-listing');
    engine = world.engine({ ledgerFile: tmp.file('one-listing.db'), clock, marketplaceLimits: PUBLISHED_MAXIMA, callStore: memoryCallStore() });
    await engine.command('orders.preflight', { createFields: true, actor: 'Priya' });
  });
  afterAll(async () => {
    await engine.stop();
    await world.stop();
    tmp.cleanup();
  });

  it('accepts every order in one read, page by page: page 1 is accepted before page 2 is asked for; the next run reads none of them back', async () => {
    world.jl.admin.createOrders({ count: ORDERS, skus: ['SKU000001', 'SKU000002'] });
    world.jl.admin.clearCalls();
    const [first] = await drive(clock, engine.runOnce());
    expect(first!.outcome).toBe('succeeded');
    const calls = world.jl.admin.calls();
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
    const reads = listings(calls);
    // One listing of five pages; each follow-on page starts past the orders still listed before it (never at 0).
    expect(reads).toHaveLength(5);
    expect(reads.slice(1).every((c) => offsetOf(c) > 0)).toBe(true);
    // Every order accepted once.
    const accepted = acceptances(calls).map(acceptedId);
    expect(accepted).toHaveLength(ORDERS);
    expect(new Set(accepted).size).toBe(ORDERS);
    expect(waitingInMarketplace(world)).toBe(0);
    // Page 1's orders were stored and accepted (all but the one kept listed for the page after) before page 2 was asked for.
    const pageTwoAt = calls.indexOf(reads[1]!);
    const beforePageTwo = calls
      .slice(0, pageTwoAt)
      .filter((c) => c.operation === 'OR21')
      .map(acceptedId);
    expect(beforePageTwo).toHaveLength(99);
    expect(listed(reads[0]!)).toEqual(expect.arrayContaining(beforePageTwo));
    const waited = (acceptances(calls).at(-1)!.atMs - reads[0]!.atMs) / 1000;
    console.log(`one-listing reading: ${reads.length} OR11 calls, ${accepted.length} OR21; first OR11 to last OR21 ${waited} s on the fake clock`);

    // The next run a minute later: the engine's own acceptances do not come back through the list.
    await clock.advance(60_000);
    world.jl.admin.clearCalls();
    const [second] = await drive(clock, engine.runOnce());
    expect(second!.outcome).toBe('succeeded');
    const again = listings(world.jl.admin.calls());
    expect(again).toHaveLength(1);
    expect(listed(again[0]!)).toEqual([]);
    expect(new URLSearchParams(again[0]!.query).get('order_state_codes')).not.toContain('WAITING_DEBIT');
  });

  it('still sees what others do: an order accepted in the back office, a debit, a cancellation and a refusal', async () => {
    const [elsewhere, cancelled, refused] = world.jl.admin.createOrders({ count: 3, skus: ['SKU000003'] });
    // A person accepts one in the back office before the engine reads it; the customer cancels another; the third is refused.
    world.jl.state.setState(world.jl.state.orders.get(elsewhere!.orderId)!, 'WAITING_DEBIT_PAYMENT', world.jl.state.clock.now());
    world.jl.state.setState(world.jl.state.orders.get(cancelled!.orderId)!, 'CANCELED', world.jl.state.clock.now(), 'SHOP_CANCELED');
    world.jl.state.setState(world.jl.state.orders.get(refused!.orderId)!, 'REFUSED', world.jl.state.clock.now());
    const debited = [...world.jl.state.orders.values()].slice(0, 10).map((o) => o.orderId);
    world.jl.admin.debitOrders(debited);
    await clock.advance(60_000);
    await drive(clock, engine.runOnce());
    const stage = async (id: string) => (await engine.query('orders.get', { orderId: id }))?.order.stage;
    expect(await stage(cancelled!.orderId)).toBe('closed');
    expect(await stage(refused!.orderId)).toBe('closed');
    // Debited: posted as Sales Orders.
    for (const id of debited) expect(await stage(id)).toBe('posted');
    // Accepted elsewhere before the engine saw it: the list does not ask for orders waiting for their debit, so it
    // appears once debited.
    expect(await stage(elsewhere!.orderId)).toBeUndefined();
    world.jl.admin.debitOrders([elsewhere!.orderId]);
    await clock.advance(60_000);
    await drive(clock, engine.runOnce());
    expect(await stage(elsewhere!.orderId)).toBe('posted');
  });

  it('an order held for a person and then accepted in the back office is read by id (before those waiting for their debit) once the list has not shown it for ten minutes', async () => {
    await engine.command('settings.update', { patch: { orders: { autoAccept: false } }, actor: 'Priya' });
    const [held] = world.jl.admin.createOrders({ count: 1, skus: ['SKU000004'] });
    await clock.advance(60_000);
    await drive(clock, engine.runOnce());
    expect((await engine.query('orders.get', { orderId: held!.orderId }))?.order.stage).toBe('held');
    world.jl.state.setState(world.jl.state.orders.get(held!.orderId)!, 'WAITING_DEBIT_PAYMENT', world.jl.state.clock.now());
    await clock.advance(11 * 60_000);
    world.jl.admin.clearCalls();
    await drive(clock, engine.runOnce());
    const byId = listings(world.jl.admin.calls()).filter((c) => new URLSearchParams(c.query).has('order_ids'));
    expect(byId).toHaveLength(1);
    expect(new URLSearchParams(byId[0]!.query).get('order_ids')!.split(',')[0]).toBe(held!.orderId);
    expect((await engine.query('orders.get', { orderId: held!.orderId }))?.order.stage).toBe('accepted');
  });
});

describe('orders: 500 waiting orders, the marketplace counting every page of the list', () => {
  const clock = fakeClock(Date.now());
  const tmp = tempDir();
  const store = memoryCallStore();
  let world: World;
  beforeAll(async () => {
    world = await newWorld(clock, 'each-page');
  });
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it('takes one 429, counts every page from then on (across a restart, with a warning), and still accepts every order', async () => {
    const engine = world.engine({ ledgerFile: tmp.file('each-page.db'), clock, marketplaceLimits: PUBLISHED_MAXIMA, callStore: store });
    await engine.command('orders.preflight', { createFields: true, actor: 'Priya' });
    world.jl.admin.createOrders({ count: ORDERS, skus: ['SKU000001', 'SKU000002'] });
    world.jl.admin.clearCalls();
    const [first] = await drive(clock, engine.runOnce());
    expect(first!.outcome).toBe('succeeded');
    const calls = world.jl.admin.calls();
    // The first follow-on page is refused; the engine waits as told and reads one page a minute from then on.
    expect(calls.filter((c) => c.status === 429).map((c) => [c.operation, offsetOf(c)])).toEqual([['OR11', 1]]);
    const reads = listings(calls).filter((c) => c.status === 200);
    expect(reads).toHaveLength(5);
    for (let i = 1; i < reads.length; i++) expect(reads[i]!.atMs - reads[i - 1]!.atMs).toBeGreaterThanOrEqual(60_000);
    expect(new Set(acceptances(calls).map(acceptedId)).size).toBe(ORDERS);
    expect(waitingInMarketplace(world)).toBe(0);
    const waited = (acceptances(calls).at(-1)!.atMs - listings(calls)[0]!.atMs) / 1000;
    console.log(
      `each-page reading: ${listings(calls).length} OR11 calls (one 429), ${acceptances(calls).length} OR21; first OR11 to last OR21 ${waited} s on the fake clock`,
    );
    const [warning] = await openOf(engine, 'order-list-pages-counted');
    expect(warning).toMatchObject({ severity: 'warning', category: 'technical', record: { type: 'order-listing', key: 'OR11' } });
    await engine.stop();

    // Started again (the call store is the ledger's in the app): the next backlog is read a page a minute, no 429.
    world.releaseLease();
    const restarted = world.engine({ ledgerFile: tmp.file('each-page.db'), clock, marketplaceLimits: PUBLISHED_MAXIMA, callStore: store });
    await clock.advance(60_000);
    world.jl.admin.createOrders({ count: 250, skus: ['SKU000003'] });
    world.jl.admin.clearCalls();
    await drive(clock, restarted.runOnce());
    const later = world.jl.admin.calls();
    expect(later.filter((c) => c.status === 429)).toEqual([]);
    expect(listings(later)).toHaveLength(3);
    expect(waitingInMarketplace(world)).toBe(0);
    expect(await openOf(restarted, 'order-list-pages-counted')).toHaveLength(1);
    await restarted.stop();
  });
});
