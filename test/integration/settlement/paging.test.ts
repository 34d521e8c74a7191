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
  let pages: number;
  const clock = jumpingClock();
  const tl02 = () => world.jl.admin.calls().filter((c) => c.operation === 'TL02');

  beforeAll(async () => {
    world = await startSettlementWorld();
    const ops = world.engine({ ledgerFile: tmp.file('warehouse.db') });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    await world.shippedOrders(ops, 12, { skus: [SKUS[0]!, SKUS[1]!], quantity: 1 });
    await world.run(ops, 'invoicing');
    await ops.stop();
    const closed = world.jl.admin.closeBillingCycle()!;
    cycleId = closed.billingCycleId;
    lines = closed.lines;
    // Two lines a page: more pages than the hour allows.
    pages = Math.ceil(lines / 2);
    expect(pages).toBeGreaterThan(60);
    expect(pages).toBeLessThanOrEqual(80);
    finance = world.financeEngine({
      ledgerFile: tmp.file('finance.db'),
      clock,
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
    // 20 calls, a minute's wait, 20 more, another, 20 more: the hour's 60; the next would wait most of an hour.
    expect(firstRun).toHaveLength(60);
    const run1 = (await finance.query('runs.list', { flow: 'settlement', limit: 1 }))[0]!;
    expect(run1.outcome).toBe('succeeded');
    expect(run1.counts).toMatchObject({ pagesRead: 60, readLater: 1 });
    const { rows } = await finance.query('payouts.list', {});
    expect(rows[0]).toMatchObject({ cycleId, tieOut: 'reading', read: { pages: 60, lines: 120, done: false }, reconciledAt: null });
    // What is read is on show already, not yet checked against SAP.
    const shown = await finance.query('payouts.lines', { cycleId, limit: 500 });
    expect(shown.total).toBe(120);
    expect(shown.rows.some((l) => l.kind === 'sale')).toBe(true);
    expect(shown.rows.filter((l) => l.kind === 'sale').every((l) => l.class === null)).toBe(true);

    // An hour on, the next run reads the pages left, from where the first stopped.
    clock.jump(60 * 60_000);
    world.jl.admin.clearCalls();
    await reconcile(finance);
    const secondRun = tl02();
    expect(secondRun).toHaveLength(pages - 60);
    expect(secondRun.every((c) => new URLSearchParams(c.query).has('page_token'))).toBe(true);
    const tokens = [...firstRun, ...secondRun].map((c) => new URLSearchParams(c.query).get('page_token')).filter((t) => t !== null);
    // Every page asked for once: the pages after the first, each by its own token.
    expect(new Set(tokens).size).toBe(pages - 1);
    expect(tokens).toHaveLength(pages - 1);

    const after = (await finance.query('payouts.list', {})).rows[0]!;
    expect(after).toMatchObject({ tieOut: 'ties', read: { pages, lines, done: true }, variances: 0 });
    expect(after.reconciledAt).not.toBeNull();
    const sales = (await finance.query('payouts.lines', { cycleId, limit: 500 })).rows.filter((l) => l.kind === 'sale');
    expect(new Set(sales.map((l) => l.class))).toEqual(new Set(['matched']));
  });
});
