import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { SKUS, startInvoicingWorld, type InvoicingWorld } from './world';

type Entity = Record<string, unknown>;

/** What stops an invoice, and what does not stop the others. */
describe('invoicing: differences, refusals and dry run', () => {
  const tmp = tempDir('invoicing-exceptions-');
  let world: InvoicingWorld;
  let engine: Engine;
  beforeAll(async () => {
    world = await startInvoicingWorld();
    engine = world.engine({ ledgerFile: tmp.file('ledger.db') });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  const runNow = async () => {
    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();
  };
  const live = async (orderId: string) =>
    (await engine.query('exceptions.list', { flow: 'invoicing', search: orderId, limit: 20 })).rows.filter((e) => e.state === 'open' || e.state === 'retrying');
  const latestBatch = async () => {
    const batch = (await engine.query('invoicing.batches', { limit: 1 })).rows[0]!;
    return engine.query('invoicing.batch', { id: batch.id });
  };

  it('dry run shows the batch it would post (customers, totals) and posts nothing', async () => {
    const ids = await world.deliveredOrders(engine, 2, { linesPerOrder: 2, quantities: [1, 2] });
    await engine.command('settings.update', { actor: 'Finance', patch: { dryRun: true } });
    await runNow();

    expect(world.sap.state.documents.Invoices.size).toBe(0);
    const { batch, documents } = await latestBatch();
    expect(batch).toMatchObject({ dryRun: true, documents: 2, posted: 0, failed: 0, currency: 'GBP' });
    expect(documents.map((d) => [d.orderId, d.customer, d.outcome, d.invoiceDocNum, d.total])).toEqual(
      ids.map((id) => [id, 'C-JLM', 'would-post', null, world.marketplaceTotal(id).toFixed(2)]),
    );
    expect(batch.total).toBe(ids.reduce((a, id) => a.plus(world.marketplaceTotal(id)), new Decimal(0)).toFixed(2));
    expect((await engine.query('invoicing.batches', {})).waiting).toBe(2);

    // Live again: the same orders are posted.
    await engine.command('settings.update', { actor: 'Finance', patch: { dryRun: false } });
    await runNow();
    expect(ids.every((id) => world.invoicesByOrderId().get(id)?.length === 1)).toBe(true);
  });

  it('SAP refusing one invoice is an exception on that order with SAP’s words, and the others are posted', async () => {
    const [refused] = await world.deliveredOrders(engine, 1, { skus: [SKUS[5]!] });
    const others = await world.deliveredOrders(engine, 2);
    world.sap.state.items.get(SKUS[5]!)!.Frozen = 'tYES';
    await runNow();

    expect(others.every((id) => world.invoicesByOrderId().get(id)?.length === 1)).toBe(true);
    expect(world.invoicesByOrderId().has(refused!)).toBe(false);
    const [problem, ...more] = await live(refused!);
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ type: 'sap-rejected', category: 'business', rawError: `Item '${SKUS[5]}' is inactive [DocumentLines][line: 1]` });
    const { batch, documents } = await latestBatch();
    expect(batch).toMatchObject({ documents: 3, posted: 2, failed: 1 });
    expect(documents.find((d) => d.orderId === refused)).toMatchObject({ outcome: 'failed', problem: { id: problem!.id, type: 'sap-rejected' } });

    // It waits for a person: the next run does not send it again; after the fix, Retry posts it.
    const posts = () => world.sap.calls().filter((c) => c.method === 'POST' && c.path.includes('Invoices')).length;
    const before = posts();
    await runNow();
    expect(posts()).toBe(before);
    world.sap.state.items.get(SKUS[5]!)!.Frozen = 'tNO';
    await engine.command('exceptions.retry', { id: problem!.id, actor: 'Finance' });
    await engine.idle();
    expect(world.invoicesByOrderId().get(refused!)).toHaveLength(1);
    expect(await live(refused!)).toEqual([]);
  });

  it('SAP totalling the invoice differently from the marketplace is an exception with both figures', async () => {
    // No shipping, so only the goods' VAT is in play.
    const [orderId] = await world.deliveredOrders(engine, 1, { skus: [SKUS[0]!], shippingPrice: '0.00' });
    // SAP's VAT rate changed after the delivery (the invoice takes today's rate; the Delivery Note had the old one).
    const note = [...world.sap.state.documents.DeliveryNotes.values()].at(-1)!;
    const group = world.sap.state.vatGroups.get(String((note.DocumentLines as Entity[])[0]!.VatGroup))!;
    const lines = group.VatGroups_Lines as Entity[];
    const rate = lines.at(-1)!.Rate;
    lines.at(-1)!.Rate = 17.5;
    try {
      await runNow();
    } finally {
      lines.at(-1)!.Rate = rate;
    }

    const [invoice] = world.invoicesByOrderId().get(orderId!)!;
    const sapTotal = Number(invoice!.DocTotal).toFixed(2);
    const marketplace = world.marketplaceTotal(orderId!).toFixed(2);
    expect(sapTotal).not.toBe(marketplace);
    const [problem] = await live(orderId!);
    expect(problem).toMatchObject({ type: 'invoice-total-differs', category: 'business' });
    expect(problem!.summary).toContain(`totals ${sapTotal} GBP in SAP`);
    expect(problem!.summary).toContain(`the marketplace pays ${marketplace} GBP`);
    const document = (await latestBatch()).documents.find((d) => d.orderId === orderId)!;
    expect(document).toMatchObject({ outcome: 'posted', total: sapTotal, marketplaceTotal: marketplace, problem: { id: problem!.id } });
  });

  it('a technical failure on one order is retried after its backoff through the job queue, and the others are posted', { timeout: 60_000 }, async () => {
    const [failing, ...others] = await world.deliveredOrders(engine, 3);
    const note = engine.ledger.bindings.external({ type: 'order', key: failing! }, 'sap-b1', 'delivery-note')!.externalId;
    // SAP answers 500 to every read of its Delivery Note, the connector's own retries included.
    world.sap.addFault({ kind: 'error5xx', status: 500, method: 'GET', path: `DeliveryNotes(${note})`, times: 4 });
    await runNow();

    expect(others.every((id) => world.invoicesByOrderId().get(id)?.length === 1)).toBe(true);
    expect(world.invoicesByOrderId().has(failing!)).toBe(false);
    const { batch, documents } = await latestBatch();
    expect(batch).toMatchObject({ documents: 3, posted: 2, failed: 1 });
    expect(documents.find((d) => d.orderId === failing)).toMatchObject({ outcome: 'failed', deliveryDocNums: [] });
    const job = engine.ledger.jobs.get({ flow: 'invoicing', kind: 'post-invoice', record: { type: 'order', key: failing! } });
    expect(job).toMatchObject({ state: 'retrying', attempts: 1 });
    const runs = await engine.query('runs.list', { flow: 'invoicing', limit: 1 });
    expect(runs[0]).toMatchObject({ outcome: 'failed' });
    expect(runs[0]!.error).toContain(failing!);

    // Waiting out its backoff: not tried, no batch for it.
    const batches = (await engine.query('invoicing.batches', {})).total;
    await runNow();
    expect((await engine.query('invoicing.batches', {})).total).toBe(batches);
    // Its backoff over: invoiced, and the job forgotten.
    engine.ledger.db.prepare('UPDATE jobs SET next_attempt_at = ?').run(new Date(Date.now() - 1000).toISOString());
    await runNow();
    expect(world.invoicesByOrderId().get(failing!)).toHaveLength(1);
    expect(engine.ledger.jobs.get({ flow: 'invoicing', kind: 'post-invoice', record: { type: 'order', key: failing! } })).toBeNull();
  });
});
