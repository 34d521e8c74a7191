import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { totalFieldOf, ukMonth } from '../../../electron/engine/flows/settlement';
import type { PayoutLine } from '../../../shared/contract/settlement';
import { tempDir } from '../../support/ports';
import { SKUS, reconcile, startSettlementWorld, type SettlementWorld } from './world';

const allLines = async (engine: Engine, cycleId: string): Promise<PayoutLine[]> => (await engine.query('payouts.lines', { cycleId, limit: 500 })).rows;

async function warehouse(world: SettlementWorld, file: string): Promise<Engine> {
  const ops = world.engine({ ledgerFile: file });
  await ops.command('orders.preflight', { createFields: true, actor: 'test' });
  await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
  return ops;
}

describe('a cycle across a month end', () => {
  const tmp = tempDir('settlement-months-');
  let world: SettlementWorld;
  let finance: Engine;
  let cycleId: string;
  let nextMonthOrder: string;
  let thisMonth: string;
  let nextMonth: string;

  beforeAll(async () => {
    world = await startSettlementWorld();
    const ops = await warehouse(world, tmp.file('warehouse.db'));
    await world.shippedOrders(ops, 2, { skus: [SKUS[0]!], quantity: 1 });
    await world.run(ops, 'invoicing');
    // An order accepted this month and debited just after midnight on the 1st, UK time.
    nextMonthOrder = world.jl.admin.createOrders({ count: 1, skus: [SKUS[0]!], quantities: [1] })[0]!.orderId;
    await world.run(ops, 'orders');
    await ops.stop();
    thisMonth = ukMonth(world.jl.admin.now())!;
    let hours = 0;
    while (ukMonth(new Date(Date.parse(world.jl.admin.now()) + hours * 3_600_000).toISOString()) === thisMonth) hours++;
    world.jl.admin.advanceClock(hours * 3_600_000);
    nextMonth = ukMonth(world.jl.admin.now())!;
    world.jl.admin.debitOrders([nextMonthOrder]);
    cycleId = world.jl.admin.closeBillingCycle()!.billingCycleId;
    finance = world.financeEngine({ ledgerFile: tmp.file('finance.db') });
    await reconcile(finance);
  }, 120_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('carries the lines of the next month to that month’s totals, and the months add up to the cycle', async () => {
    expect(nextMonth).not.toBe(thisMonth);
    const lines = await allLines(finance, cycleId);
    const carried = lines.filter((l) => l.orderId === nextMonthOrder);
    expect(carried.length).toBe(6);
    expect(carried.every((l) => l.month === nextMonth)).toBe(true);
    expect(lines.filter((l) => l.orderId && l.orderId !== nextMonthOrder).every((l) => l.month === thisMonth)).toBe(true);

    const detail = (await finance.query('payouts.get', { cycleId }))!;
    expect(detail.months.map((m) => m.month)).toEqual([thisMonth, nextMonth]);
    const [, next] = detail.months;
    // The next month's totals are exactly its lines, each in its own total.
    const expected = new Map<string, Decimal>();
    for (const l of carried) expected.set(totalFieldOf(l.kind), (expected.get(totalFieldOf(l.kind)) ?? new Decimal(0)).plus(l.amount));
    for (const [field, amount] of expected) expect(`${field} ${next![field as 'sales']}`).toBe(`${field} ${amount.toFixed(2)}`);
    expect(next!.netPayout).toBe(carried.reduce((a, l) => a.plus(l.amount), new Decimal(0)).toFixed(2));
    // The months add up to the cycle, field by field.
    for (const field of ['sales', 'shipping', 'vat', 'refunds', 'commission', 'commissionVat', 'subscription', 'otherFees', 'reserve', 'netPayout'] as const)
      expect(`${field} ${detail.months.reduce((a, m) => a.plus(m[field]), new Decimal(0)).toFixed(2)}`).toBe(`${field} ${detail.totals[field]}`);
    expect(detail.cycle.tieOut).toBe('ties');
  });

  it('reads no cycle that ended before the day finance reads from', async () => {
    const after = world.financeEngine({
      ledgerFile: tmp.file('finance-later.db'),
      settlement: { readFrom: new Date(Date.now() + 40 * 86_400_000).toISOString() },
    });
    try {
      await reconcile(after);
      expect((await after.query('payouts.list', {})).total).toBe(0);
      expect(world.jl.admin.calls().filter((c) => c.operation === 'TL02' && c.query.includes(cycleId))).toHaveLength(1);
    } finally {
      await after.stop();
    }
  });
});

describe('a dropship shop (the marketplace buys from the seller)', () => {
  const tmp = tempDir('settlement-dropship-');
  let world: SettlementWorld;
  let finance: Engine;
  let cycleId: string;

  beforeAll(async () => {
    world = await startSettlementWorld({ jl: { shopModel: 'DROPSHIP' } });
    // The warehouse console accepts the orders; it posts no Sales Orders for a dropship shop, so finance keys the invoices.
    const ops = await warehouse(world, tmp.file('warehouse.db'));
    const ids = world.jl.admin.createOrders({ count: 2, skus: [SKUS[0]!], quantities: [2], shippingPrice: '0.00' }).map((o) => o.orderId);
    await world.run(ops, 'orders');
    await ops.stop();
    expect(world.jl.admin.debitOrders(ids)).toHaveLength(2);
    for (const id of ids) await world.keyInvoice(id);
    cycleId = world.jl.admin.closeBillingCycle()!.billingCycleId;
    finance = world.financeEngine({ ledgerFile: tmp.file('finance.db') });
    await reconcile(finance);
  }, 120_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('matches each sale’s net with its invoice, and takes the purchase side (commission, VAT) as fees', async () => {
    const lines = await allLines(finance, cycleId);
    const kinds = (cls: string) => [...new Set(lines.filter((l) => l.class === cls).map((l) => l.kind))].sort();
    expect(kinds('fee')).toEqual(['purchase-commission', 'purchase-vat']);
    // Shipping free: its line is there at 0.00.
    expect(kinds('matched')).toEqual(['sale', 'shipping']);
    expect(lines.filter((l) => l.class === 'amount-differs' || l.class === 'missing-in-sap')).toEqual([]);
    const detail = (await finance.query('payouts.get', { cycleId }))!;
    expect(detail.cycle.tieOut).toBe('ties');
    // The marketplace's purchase VAT is the VAT total; its purchase commission the commission.
    const sumOf = (kind: string) =>
      lines
        .filter((l) => l.kind === kind)
        .reduce((a, l) => a.plus(l.amount), new Decimal(0))
        .toFixed(2);
    expect(detail.totals.vat).toBe(sumOf('purchase-vat'));
    expect(detail.totals.commission).toBe(sumOf('purchase-commission'));
  });
});
