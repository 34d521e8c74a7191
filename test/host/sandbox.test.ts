import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../electron/host/sandbox';
import { tempDir } from '../support/ports';

/**
 * What a newcomer finds in the sandbox's Returns and Invoicing screens, made by the engine's own flows from what the
 * demo warehouse, customers and the marketplace's customer service do in the emulators. The engine runs in its own
 * process, as `npm run sandbox` runs it, over connectors without the marketplace's published call maxima (RT11 once in
 * five minutes would make this test wait); the demo acts every quarter second instead of every 15 s.
 */
describe('sandbox: the Returns and Invoicing screens have content', () => {
  const tmp = tempDir('sandbox-finance-');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    sandbox = await startSandbox({
      port: 0,
      dataDir: tmp.dir,
      items: 100,
      onlyFlows: ['orders', 'despatch', 'invoicing', 'returns'],
      demoIntervalMs: 250,
      flows: { module: path.join(import.meta.dirname, '../e2e/standard-flows.ts') },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    tmp.cleanup();
  });

  /** Time passes: the customers' payments clear and every flow runs, until the console shows what is asked (bounded). */
  async function until<T>(what: string, shows: () => Promise<T | null | undefined | false>): Promise<T> {
    for (let i = 0; i < 60; i++) {
      sandbox.marketplace.admin.debitOrders();
      await sandbox.host.engine.runNow();
      await sandbox.host.engine.idle();
      const seen = await shows();
      if (seen) return seen;
      await sleep(250);
    }
    throw new Error(`The sandbox never showed ${what}`);
  }

  it(
    'shows invoices, refunds credited as SAP Credit Memos and returns waiting for their goods; a return marked received is paid back and its goods credited into the returns warehouse',
    { timeout: 90_000 },
    async () => {
      const engine = sandbox.host.engine;
      const creditNote = (docNum: number) => [...sandbox.sap.state.documents.CreditNotes.values()].find((d) => d.DocNum === docNum);

      // The day's invoicing batch is set for a few minutes after the start, so the demo orders are invoiced by the schedule.
      const first = await engine.query('invoicing.batches', {});
      expect(first.nextRunAt).not.toBeNull();
      expect(Date.parse(first.nextRunAt!) - startedAt).toBeGreaterThan(2 * 60_000);
      expect(Date.parse(first.nextRunAt!) - startedAt).toBeLessThanOrEqual(5 * 60_000);

      // Customer service's back-office refunds (a goodwill gesture, a line that never arrived): each a Credit Memo in SAP.
      const credited = await until('two refunds credited', async () => {
        const rows = (await engine.query('refunds.list', { stage: 'credited' })).rows;
        return rows.length >= 2 ? rows : null;
      });
      for (const refund of credited) {
        expect(refund.returnId).toBeNull();
        expect(creditNote(refund.creditMemoDocNum!)).toMatchObject({
          U_JLM_RefundId: refund.refundId,
          U_JLM_OrderId: refund.orderId,
          NumAtCard: refund.numAtCard,
        });
      }

      // The refunded order was invoiced first: a batch with its A/R Invoice.
      const { rows: batches } = await engine.query('invoicing.batches', {});
      expect(batches.length).toBeGreaterThan(0);
      const documents = (await Promise.all(batches.map(async (b) => (await engine.query('invoicing.batch', { id: b.id })).documents))).flat();
      const invoiced = documents.find((d) => d.orderId === credited[0]!.orderId);
      expect(invoiced).toMatchObject({ outcome: 'posted' });
      expect([...sandbox.sap.state.documents.Invoices.values()].map((i) => i.DocNum)).toContain(invoiced!.invoiceDocNum);

      // Two customers' returns, accepted and on their way back: a person ticks them when the goods arrive.
      const waiting = await until('two returns waiting for their goods', async () => {
        const rows = (await engine.query('returns.list', { stage: 'awaiting-goods' })).rows;
        return rows.length >= 2 ? rows : null;
      });
      for (const r of waiting) expect(r).toMatchObject({ marketplaceState: 'IN_PROGRESS', salesOrderDocNum: expect.any(Number), creditMemoDocNums: [] });

      // Marked received: John Lewis is told, its customer service pays the customer back, and the Credit Memo takes the goods back.
      const returned = waiting[0]!;
      expect(await engine.command('returns.markReceived', { returnIds: [returned.returnId], actor: 'Priya Shah' })).toMatchObject({
        accepted: [returned.returnId],
      });
      const done = await until('the received return credited', async () => {
        const [row] = (await engine.query('returns.list', { search: returned.returnId })).rows;
        return row?.stage === 'credited' ? row : null;
      });
      // One refund per returned line, each a Credit Memo taking its units back into the not-nettable returns warehouse.
      expect(done.creditMemoDocNums).toHaveLength(returned.lines.length);
      for (const docNum of done.creditMemoDocNums) {
        const memo = creditNote(docNum)!;
        expect(memo).toMatchObject({ U_JLM_ReturnId: returned.returnId, U_JLM_OrderId: returned.orderId });
        for (const line of memo.DocumentLines as Record<string, unknown>[])
          expect(line).toMatchObject({ WarehouseCode: '05', WithoutInventoryMovement: 'tNO' });
      }
    },
  );
});
