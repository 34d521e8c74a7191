import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { jumpingClock } from './engine-factory';
import { SKUS, reconcile, startSettlementWorld, type SettlementWorld } from './world';

type Shipped = Awaited<ReturnType<SettlementWorld['shippedOrders']>>[number];

/** What one cycle, one order or a payout that does not add up does to the rest: nothing. */
describe('refusals and differences, one cycle or order at a time', () => {
  const tmp = tempDir('settlement-refusals-');
  let world: SettlementWorld;
  let ops: Engine;
  let finance: Engine;
  let first: { id: string; orders: Shipped[] };
  let second: { id: string; orders: Shipped[] };
  const clock = jumpingClock();

  const live = async (type: string) =>
    (await finance.query('exceptions.list', { flow: 'settlement', limit: 50 })).rows.filter(
      (e) => e.type === type && (e.state === 'open' || e.state === 'retrying'),
    );
  const summary = async (cycleId: string) => (await finance.query('payouts.get', { cycleId }))!.cycle;
  const saleClasses = async (cycleId: string, orderId: string) => [
    ...new Set((await finance.query('payouts.lines', { cycleId, search: orderId, limit: 100 })).rows.filter((l) => l.kind === 'sale').map((l) => l.class)),
  ];

  beforeAll(async () => {
    world = await startSettlementWorld();
    ops = world.engine({ ledgerFile: tmp.file('warehouse.db') });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    const a = await world.shippedOrders(ops, 3, { skus: [SKUS[0]!], quantity: 1 });
    first = { id: world.jl.admin.closeBillingCycle()!.billingCycleId, orders: a };
    const b = await world.shippedOrders(ops, 3, { skus: [SKUS[0]!], quantity: 1 });
    await ops.command('invoicing.runNow', { actor: 'test' });
    await ops.idle();
    second = { id: world.jl.admin.closeBillingCycle()!.billingCycleId, orders: b };
    await ops.stop();
    finance = world.financeEngine({ ledgerFile: tmp.file('finance.db'), clock });
  }, 120_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('a cycle the marketplace refuses to list is an exception in its words; the other cycle is read and reconciled', async () => {
    world.jl.admin.setFaults({ operation: 'TL02', failNext: 1, failStatus: 400 });
    await reconcile(finance);
    expect((await summary(first.id)).read.done).toBe(false);
    expect(await summary(second.id)).toMatchObject({ tieOut: 'ties', read: { done: true } });
    const [refused] = await live('transactions-refused');
    expect(refused).toMatchObject({ record: { type: 'billing-cycle', key: first.id }, severity: 'error' });
    expect(refused!.rawError).toContain('Internal server error (injected fault)');

    // The next run reads it, and the exception is resolved.
    await reconcile(finance);
    expect(await summary(first.id)).toMatchObject({ tieOut: 'ties', read: { done: true } });
    expect(await live('transactions-refused')).toEqual([]);
  });

  it('an order SAP refuses to look up stays unchecked with SAP’s words; the others are matched, and it is checked at the next run', async () => {
    // The batched lookup and the first order's own lookup are refused; the rest are asked about one by one.
    world.sap.addFault({ kind: 'error5xx', status: 400, method: 'GET', path: 'Invoices', times: 2 });
    await finance.command('payouts.reconcile', { cycleId: second.id, actor: 'Finance' });
    await finance.idle();
    const [bad, ...good] = [...second.orders].sort((x, y) => x.orderId.localeCompare(y.orderId));
    expect(await saleClasses(second.id, bad!.orderId)).toEqual([null]);
    for (const o of good) expect(await saleClasses(second.id, o.orderId)).toEqual(['matched']);
    const [failed] = await live('sap-lookup-failed');
    expect(failed).toMatchObject({ record: { type: 'order', key: bad!.orderId } });
    // SAP's answer, word for word.
    expect(failed!.rawError).toContain('<h1>Service Unavailable</h1>');
    expect((await summary(second.id)).reconciledAt).toBeNull();

    await reconcile(finance);
    expect(await saleClasses(second.id, bad!.orderId)).toEqual(['matched']);
    expect(await live('sap-lookup-failed')).toEqual([]);
    expect((await summary(second.id)).reconciledAt).not.toBeNull();
  });

  it('a cycle read before its payout is read again once paid: its payout line then ties it out', async () => {
    world.jl.admin.refundFromBackOffice({
      orderId: first.orders[1]!.orderId,
      lines: [{ orderLineId: first.orders[1]!.lines[0]!.orderLineId, amount: '1.00' }],
    });
    world.jl.admin.completeRefunds();
    const closed = world.jl.admin.closeBillingCycle({ payOut: false })!;
    clock.jump(24 * 3_600_000);
    await reconcile(finance);
    const payouts = async () => (await finance.query('payouts.lines', { cycleId: closed.billingCycleId, class: 'payment' })).rows;
    expect(await payouts()).toEqual([]);
    expect((await summary(closed.billingCycleId)).read.done).toBe(true);

    world.jl.admin.payOutBillingCycle(closed.billingCycleId);
    clock.jump(24 * 3_600_000);
    await reconcile(finance);
    expect((await payouts()).map((l) => l.amount)).toEqual([new Decimal(closed.amount).neg().toFixed(2)]);
    expect(await summary(closed.billingCycleId)).toMatchObject({ tieOut: 'ties', read: { done: true } });
    expect((await finance.query('payouts.lines', { cycleId: closed.billingCycleId, limit: 50 })).rows.every((l) => l.paymentState === 'paid')).toBe(true);
  });

  it('a cycle closed since the day’s listing is found when a person asks to reconcile, where the allowance lets it be listed again', async () => {
    world.jl.admin.refundFromBackOffice({
      orderId: first.orders[2]!.orderId,
      lines: [{ orderLineId: first.orders[2]!.lines[0]!.orderLineId, amount: '1.50' }],
    });
    world.jl.admin.completeRefunds();
    const closed = world.jl.admin.closeBillingCycle()!;
    // The run on the flow's own cadence answers from the day's listing.
    await reconcile(finance);
    expect(await finance.query('payouts.get', { cycleId: closed.billingCycleId })).toBeNull();
    // This console's marketplace keeps no allowance for the listing: asked for, it is read again at once.
    expect(await finance.command('payouts.reconcile', { actor: 'Finance' })).toEqual({ started: true });
    await finance.idle();
    expect(await summary(closed.billingCycleId)).toMatchObject({ tieOut: 'ties', read: { done: true } });
  });

  it('a payout that does not add up to its lines is flagged with the difference', async () => {
    world.jl.admin.refundFromBackOffice({
      orderId: first.orders[0]!.orderId,
      lines: [{ orderLineId: first.orders[0]!.lines[0]!.orderLineId, amount: '2.00' }],
    });
    world.jl.admin.completeRefunds();
    // The marketplace transfers 50p less than the cycle's lines add up to.
    const closed = world.jl.admin.closeBillingCycle({ transferredOffBy: '-0.50' })!;
    expect(closed.linesTotal).toBe(new Decimal(closed.amount).plus('0.50').toFixed(2));
    // It lists billing cycles once a day: the finance console sees the new one the next day.
    clock.jump(24 * 3_600_000);
    await reconcile(finance);
    const cycle = await summary(closed.billingCycleId);
    expect(cycle).toMatchObject({ tieOut: 'differs', tieOutDifference: '0.50', amountTransferred: closed.amount });
    expect((await finance.query('payouts.list', { filter: 'has-variances' })).rows.map((r) => r.cycleId)).toContain(closed.billingCycleId);
    const [differs] = await live('payout-does-not-tie');
    expect(differs).toMatchObject({ record: { type: 'billing-cycle', key: closed.billingCycleId } });
    expect(differs!.summary).toContain('difference 0.50');
  });
});
