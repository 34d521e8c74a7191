import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { startInvoicingWorld, type InvoicingWorld } from './world';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One invoice per delivery whatever happens to the answer: a lookup before every create, and after every create SAP did not answer. */
describe('invoicing: exactly once', () => {
  const tmp = tempDir('invoicing-once-');
  let world: InvoicingWorld;
  const engines: Engine[] = [];
  beforeAll(async () => {
    world = await startInvoicingWorld();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop(0).catch(() => undefined);
    await world?.stop();
    tmp.cleanup();
  });

  // SAP's emulator records a call once it has answered it (a slow commit: 2.5 s later).
  const invoicePosts = () => world.sap.calls().filter((c) => c.method === 'POST' && c.path.includes('Invoices')).length;
  const runNow = async (engine: Engine) => {
    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();
  };

  it('an invoice SAP commits after the answer was lost is found after the settle time, never sent again', { timeout: 60_000 }, async () => {
    // SAP's timeout 1 s, so the settle time is 2 s; SAP takes 2.5 s to commit the first invoice.
    const engine = world.engine({ ledgerFile: tmp.file('lost.db'), sapTimeoutSeconds: 1 });
    engines.push(engine);
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    const [orderId, other] = await world.deliveredOrders(engine, 2);
    world.sap.addFault({ kind: 'slowCommit', method: 'POST', path: 'Invoices', ms: 2_500, times: 1 });

    await runNow(engine);
    expect(world.invoicesByOrderId().has(orderId!)).toBe(false);
    expect(world.invoicesByOrderId().get(other!)).toHaveLength(1);
    const unknown = (await engine.query('exceptions.list', { flow: 'invoicing', search: orderId!, limit: 5 })).rows[0]!;
    expect(unknown).toMatchObject({ type: 'create-outcome-unknown', category: 'technical', state: 'open' });
    const batchId = (await engine.query('invoicing.batches', {})).rows[0]!.id;
    expect((await engine.query('invoicing.batch', { id: batchId })).batch).toMatchObject({ documents: 2, posted: 1, failed: 1 });

    // Before the settle time nothing about it is sent, however often the flow runs.
    await runNow(engine);
    await sleep(3_000);
    expect(invoicePosts()).toBe(2);
    await runNow(engine);
    const [invoice, ...more] = world.invoicesByOrderId().get(orderId!) ?? [];
    expect(more).toEqual([]);
    expect(invoicePosts()).toBe(2);
    expect(engine.ledger.bindings.externals({ type: 'order', key: orderId! }, 'sap-b1', 'invoice').map((b) => Number(b.externalId))).toEqual([
      invoice!.DocEntry,
    ]);
    expect((await engine.query('exceptions.get', { id: unknown.id })).exception.state).toBe('resolved');
    // The batch that could not say now says what became of it.
    const { batch, documents } = await engine.query('invoicing.batch', { id: batchId });
    expect(batch).toMatchObject({ documents: 2, posted: 2, failed: 0 });
    expect(documents.find((d) => d.orderId === orderId)).toMatchObject({
      outcome: 'found',
      invoiceDocNum: invoice!.DocNum,
      total: Number(invoice!.DocTotal).toFixed(2),
    });

    await runNow(engine);
    expect(invoicePosts()).toBe(2);
    expect([...world.invoicesByOrderId().values()].flat()).toHaveLength(2);
    await engine.stop();
  });

  it('a console starting on an empty ledger finds the invoices SAP already holds and binds them instead of posting again', { timeout: 60_000 }, async () => {
    world.releaseLease();
    const engine = world.engine({ ledgerFile: tmp.file('fresh.db') });
    engines.push(engine);
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    engine.runNow('orders');
    await engine.idle();
    engine.runNow('despatch');
    await engine.idle();
    const before = invoicePosts();
    const invoices = world.invoicesByOrderId();

    await runNow(engine);
    expect(invoicePosts()).toBe(before);
    expect(world.invoicesByOrderId()).toEqual(invoices);
    const { documents } = await engine.query('invoicing.batch', { id: (await engine.query('invoicing.batches', {})).rows[0]!.id });
    expect(documents.map((d) => d.outcome)).toEqual(['found', 'found']);
    for (const [orderId, [invoice]] of invoices)
      expect(engine.ledger.bindings.externals({ type: 'order', key: orderId }, 'sap-b1', 'invoice').map((b) => Number(b.externalId))).toEqual([
        invoice!.DocEntry,
      ]);
    expect((await engine.query('invoicing.batches', {})).waiting).toBe(0);
  });
});
