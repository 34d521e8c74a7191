import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallGovernor, PUBLISHED_MAXIMA } from '../../../electron/engine/connectors/john-lewis';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { jumpingClock } from './engine-factory';
import { SKUS, reconcile, startSettlementWorld, type SettlementWorld } from './world';

/**
 * A cycle bigger than the marketplace's hourly allowance of transaction-line calls (TL02: 20 a minute, 60 an hour),
 * read by the finance console's own governor with the published limits, on a clock whose waits pass at once.
 */
describe('reading a billing cycle within the marketplace’s allowance', () => {
  const tmp = tempDir('settlement-paging-');
  let world: SettlementWorld;
  let finance: Engine;
  let cycleId: string;
  let lines: number;
  const clock = jumpingClock();
  const tl02 = () => world.jl.admin.calls().filter((c) => c.operation === 'TL02');

  beforeAll(async () => {
    world = await startSettlementWorld();
    const ops = world.engine({ ledgerFile: tmp.file('warehouse.db') });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    await world.shippedOrders(ops, 10, { skus: [SKUS[0]!, SKUS[1]!], quantity: 1 });
    await world.run(ops, 'invoicing');
    await ops.stop();
    const closed = world.jl.admin.closeBillingCycle()!;
    cycleId = closed.billingCycleId;
    // 10 orders of two lines: sale, VAT, shipping, its VAT, commission, its VAT on each line; and the payout line.
    lines = 10 * 2 * 6 + 1;
    finance = world.financeEngine({
      ledgerFile: tmp.file('finance.db'),
      clock,
      // Two lines a page: 61 pages, one more than the hour allows.
      pageSize: 2,
      governor: (c) => new CallGovernor(c, PUBLISHED_MAXIMA),
    });
  }, 120_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('stops when the hour’s allowance is used, shows how far it got, and goes on from that page at the next run', async () => {
    world.jl.admin.clearCalls();
    await reconcile(finance);
    const firstRun = tl02();
    // 20 calls, a minute's wait, 20 more, another, 20 more: the hour's 60; the 61st would wait most of an hour.
    expect(firstRun).toHaveLength(60);
    const run1 = (await finance.query('runs.list', { flow: 'settlement', limit: 1 }))[0]!;
    expect(run1.outcome).toBe('succeeded');
    expect(run1.counts).toMatchObject({ pagesRead: 60, readLater: 1 });
    const { rows } = await finance.query('payouts.list', {});
    expect(rows[0]).toMatchObject({ cycleId, tieOut: 'reading', read: { pages: 60, lines: 120, done: false }, reconciledAt: null });
    // What is read is on show already, not yet checked against SAP.
    const shown = await finance.query('payouts.lines', { cycleId, limit: 500 });
    expect(shown.total).toBe(120);
    expect(shown.rows.filter((l) => l.kind === 'sale').every((l) => l.class === null)).toBe(true);

    // An hour on, the next run reads the one page left, from where the first stopped.
    clock.jump(60 * 60_000);
    world.jl.admin.clearCalls();
    await reconcile(finance);
    const secondRun = tl02();
    expect(secondRun).toHaveLength(1);
    expect(secondRun[0]!.query).toContain('page_token=');
    const tokens = [...firstRun, ...secondRun].map((c) => new URLSearchParams(c.query).get('page_token')).filter((t) => t !== null);
    // Every page asked for once: 60 pages after the first, each by its own token.
    expect(new Set(tokens).size).toBe(60);
    expect(tokens).toHaveLength(60);

    const after = (await finance.query('payouts.list', {})).rows[0]!;
    expect(after).toMatchObject({ tieOut: 'ties', read: { pages: 61, lines, done: true }, variances: 0 });
    expect(after.reconciledAt).not.toBeNull();
    const sales = (await finance.query('payouts.lines', { cycleId, limit: 500 })).rows.filter((l) => l.kind === 'sale');
    expect(new Set(sales.map((l) => l.class))).toEqual(new Set(['matched']));
  });
});
