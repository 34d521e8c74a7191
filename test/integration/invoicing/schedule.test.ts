import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import { invoicedOrders } from '../../../electron/engine/flows/invoicing';
import { instantOf, nextDay, officeClock } from '../../../electron/engine/flows/invoicing/schedule';
import { tempDir } from '../../support/ports';
import { runInvoicing, startInvoicingWorld, type InvoicingWorld } from './world';

const MINUTE = 60_000;

/**
 * The daily batch on a clock the test moves: nothing is invoiced before the day's time, one batch after it, nothing
 * more that day (orders delivered later wait for the next day's batch), and "run now" and an order a refund waits on
 * go at once.
 */
describe('invoicing: once a day, after its time', () => {
  const tmp = tempDir('invoicing-schedule-');
  let world: InvoicingWorld;
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop(0).catch(() => undefined);
    await world?.stop();
  });
  afterAll(() => tmp.cleanup());

  /** Both emulators afresh, and an engine on a clock set to 01:00 (UK time) of the coming day, the daily batch at 02:00. */
  async function engineAtOneAm(name: string) {
    world = await startInvoicingWorld();
    const day = nextDay(officeClock(Date.now()).day);
    const clock = fakeClock(instantOf(day, '01:00'));
    const engine = world.engine({ ledgerFile: tmp.file(`${name}.db`), clock, invoicing: { runAt: '02:00' } });
    engines.push(engine);
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    return { engine, clock, day };
  }
  const invoiced = (ids: string[]) => ids.filter((id) => world.invoicesByOrderId().has(id));

  it('invoices nothing before the daily time, every delivered order in one batch after it, and nothing more that day', async () => {
    const { engine, clock, day } = await engineAtOneAm('daily');
    const first = await world.deliveredOrders(engine, 3);

    await runInvoicing(engine);
    expect(invoiced(first)).toEqual([]);
    const before = await engine.query('invoicing.batches', {});
    expect(before).toMatchObject({ rows: [], total: 0, waiting: 3, nextRunAt: new Date(instantOf(day, '02:00')).toISOString() });

    await clock.advance(61 * MINUTE); // 02:01
    await runInvoicing(engine);
    expect(invoiced(first)).toEqual(first);
    const after = await engine.query('invoicing.batches', {});
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ trigger: 'schedule', documents: 3, posted: 3, failed: 0, dryRun: false });
    expect(after).toMatchObject({ waiting: 0, nextRunAt: new Date(instantOf(nextDay(day), '02:00')).toISOString() });

    // Delivered later that day: waiting, not invoiced at the checks that follow.
    await clock.advance(30 * MINUTE);
    const later = await world.deliveredOrders(engine, 2);
    for (const minutes of [15, 15, 8 * 60]) {
      await clock.advance(minutes * MINUTE);
      await runInvoicing(engine);
    }
    expect(invoiced(later)).toEqual([]);
    expect(await engine.query('invoicing.batches', {})).toMatchObject({ total: 1, waiting: 2 });

    // The next day's batch takes them.
    await clock.advance(instantOf(nextDay(day), '02:00') - clock.now());
    await runInvoicing(engine);
    expect(invoiced(later)).toEqual(later);
    const next = await engine.query('invoicing.batches', {});
    expect(next.rows.map((b) => [b.trigger, b.documents])).toEqual([
      ['schedule', 2],
      ['schedule', 3],
    ]);
    expect(world.invoicesByOrderId().size).toBe(5);
  });

  it('"run now" invoices every delivered order at once, before the daily time', async () => {
    const { engine } = await engineAtOneAm('run-now');
    const ids = await world.deliveredOrders(engine, 2);
    await runInvoicing(engine);
    expect(invoiced(ids)).toEqual([]);

    expect(await engine.command('invoicing.runNow', { actor: 'Finance' })).toEqual({ started: true });
    await engine.idle();
    expect(invoiced(ids)).toEqual(ids);
    const batches = await engine.query('invoicing.batches', {});
    expect(batches.rows.map((b) => [b.trigger, b.documents, b.posted])).toEqual([['manual', 2, 2]]);
    // Answered: the next check invoices nothing more.
    await world.deliveredOrders(engine, 1);
    await runInvoicing(engine);
    expect((await engine.query('invoicing.batches', {})).total).toBe(1);
  });

  it('an order a refund waits on is invoiced at the next run, alone, before the daily time', async () => {
    const { engine } = await engineAtOneAm('requested');
    const [asked, other] = await world.deliveredOrders(engine, 2);
    const invoices = invoicedOrders(engine.ledger.db);
    expect(invoices.invoicesOf(asked!)).toEqual([]);
    invoices.requestNow(asked!, 'refund R-1 waits for the invoice');
    await runInvoicing(engine);

    expect(invoiced([asked!, other!])).toEqual([asked]);
    const bound = invoices.invoicesOf(asked!);
    const inSap = world.invoicesByOrderId().get(asked!)![0]!;
    expect(bound).toEqual([{ docEntry: inSap.DocEntry, docNum: inSap.DocNum }]);
    const batches = await engine.query('invoicing.batches', {});
    expect(batches.rows.map((b) => [b.trigger, b.documents])).toEqual([['return', 1]]);
    // Asked once: the next check does not invoice it again, nor the other order.
    await runInvoicing(engine);
    expect(world.invoicesByOrderId().get(asked!)).toHaveLength(1);
    expect(invoiced([other!])).toEqual([]);
  });
});
