import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/ports';
import { startChildEngine } from '../orders/child';
import type { FinanceEngineOptions } from './engine-factory';
import { SKUS, startReturnsWorld, type ReturnsWorld } from './world';

const ORDERS = 30;
const KILLS = Number(process.env.RETURNS_CRASH_KILLS ?? 25);

describe('returns and invoicing: crash test', () => {
  let world: ReturnsWorld;
  const tmp = tempDir('returns-crash-');
  beforeAll(async () => (world = await startReturnsWorld()));
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it(
    `SIGKILLs the engine ${KILLS} times while it invoices ${ORDERS} orders and credits their refunds; SAP ends with exactly one Invoice per order and one Credit Memo per refund`,
    { timeout: 300_000 },
    async () => {
      const ledgerFile = tmp.file('crash.db');
      const setup = world.engine({ ledgerFile });
      expect((await setup.command('orders.preflight', { createFields: true, actor: 'test' })).ok).toBe(true);
      await setup.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
      const orders = await world.shippedOrders(setup, ORDERS, { skus: [SKUS[0]!, SKUS[1]!], quantity: 1 });
      // The marketplace's customer service refunds part of one line of each order from its back office: the refunds
      // reach the engine with its next read of the orders, under the kills.
      const refundIds: string[] = [];
      for (const o of orders)
        refundIds.push(
          ...world.jl.admin
            .refundFromBackOffice({ orderId: o.orderId, lines: [{ orderLineId: o.lines[0]!.orderLineId, amount: '1.00', shippingAmount: '0.00' }] })
            .refunds.map((r) => r.refundId),
        );
      await setup.stop();
      expect(world.documents('Invoices')).toHaveLength(0);

      // SAP takes a moment per document, so creates are in flight across many of the kills.
      world.sap.addFault({ kind: 'latency', method: 'POST', path: 'Invoices', ms: 40 });
      world.sap.addFault({ kind: 'latency', method: 'POST', path: 'CreditNotes', ms: 40 });
      const options: FinanceEngineOptions = {
        sapUrl: world.sap.url,
        marketplaceUrl: world.jl.url,
        marketplaceKey: world.jl.apiKey,
        returnsWarehouse: world.returnsWarehouse,
        ledgerFile,
        sapTimeoutSeconds: 1,
        orders: { createSettleSeconds: 1 },
      };
      const start = () => startChildEngine(path.join(import.meta.dirname, 'engine-child.ts'), 'FINANCE_ENGINE', options);
      const atKill: string[] = [];
      for (let i = 0; i < KILLS; i++) {
        const engine = start();
        await Promise.race([engine.running, engine.exited]);
        await new Promise((r) => setTimeout(r, Math.random() * 700));
        await engine.kill('SIGKILL');
        atKill.push(`${world.documents('Invoices').length}/${world.documents('CreditNotes').length}`);
      }
      const engine = start();
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && world.documents('CreditNotes').length < refundIds.length) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 2000)); // a few more runs: nothing may be created twice late
      await engine.kill('SIGKILL');

      const invoicesPer = new Map<string, number>();
      for (const d of world.documents('Invoices')) invoicesPer.set(String(d.U_JLM_OrderId), (invoicesPer.get(String(d.U_JLM_OrderId)) ?? 0) + 1);
      const memosPer = new Map<string, number>();
      for (const d of world.documents('CreditNotes')) memosPer.set(String(d.U_JLM_RefundId), (memosPer.get(String(d.U_JLM_RefundId)) ?? 0) + 1);
      console.log(`returns crash test: ${KILLS} kills; invoices/credit memos after each kill ${atKill.join(',')}`);
      const during = atKill.filter((a) => a !== `0/0` && a !== `${ORDERS}/${refundIds.length}`).length;
      // Kills land at random moments: a few while documents are being created are what the test needs.
      expect(during).toBeGreaterThanOrEqual(3);
      expect([...invoicesPer.values()].filter((n) => n > 1)).toEqual([]);
      expect(orders.filter((o) => !invoicesPer.has(o.orderId))).toEqual([]);
      expect([...memosPer.values()].filter((n) => n > 1)).toEqual([]);
      expect(refundIds.filter((id) => !memosPer.has(id))).toEqual([]);
    },
  );
});
