import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/ports';
import { startChildEngine, startEngineProcess } from './child';
import { startWorld, SKUS, type World } from './world';
import { GO_LIVE } from '../../support/ports';
import { startInvoicingWorld, type InvoicingWorld } from '../invoicing/world';

const ORDERS = 200;
const KILLS = Number(process.env.ORDERS_CRASH_KILLS ?? 50);

describe('orders: crash test', () => {
  let world: World;
  const tmp = tempDir();
  beforeAll(async () => (world = await startWorld()));
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it(
    `SIGKILLs the engine ${KILLS} times at random moments during a ${ORDERS}-order intake; SAP ends with exactly one Sales Order per order`,
    { timeout: 300_000 },
    async () => {
      const setup = world.engine({ ledgerFile: tmp.file('setup.db') });
      expect((await setup.command('orders.preflight', { createFields: true, actor: 'test' })).ok).toBe(true);
      await setup.stop();

      const created = world.jl.admin.createOrders({ count: ORDERS, skus: SKUS, linesPerOrder: 2, quantities: [1, 2, 3] });
      // Customers are debited a few at a time after acceptance, and SAP takes a moment per document, so orders
      // keep reaching SHIPPING and being posted across many of the kills.
      world.sap.addFault({ kind: 'latency', method: 'POST', path: 'Orders', ms: 30 });
      const debiting = setInterval(() => {
        const waiting = [...world.jl.state.orders.values()].filter((o) => o.state === 'WAITING_DEBIT_PAYMENT').slice(0, 3);
        if (waiting.length) world.jl.admin.debitOrders(waiting.map((o) => o.orderId));
      }, 150);
      const options = {
        sapUrl: world.sap.url,
        marketplaceUrl: world.jl.url,
        marketplaceKey: world.jl.apiKey,
        ledgerFile: tmp.file('crash.db'),
        sapTimeoutSeconds: 1,
        orders: { lease: { seconds: 60 }, ordersFrom: GO_LIVE, createSettleSeconds: 1, acceptancePolicy: 'accept-all' as const },
      };
      const postedAtKill: number[] = [];
      try {
        // A kill at a random moment within a window that widens while nothing lands between kills (a machine busy
        // with other work starts the engine slower), so the kills keep landing across the posting, not all before it.
        let window = 600;
        for (let i = 0; i < KILLS; i++) {
          const engine = startEngineProcess(options);
          await Promise.race([engine.running, engine.exited]);
          await new Promise((r) => setTimeout(r, Math.random() * window));
          await engine.kill('SIGKILL');
          const posted = world.sap.state.documents.Orders.size;
          window = posted > (postedAtKill.at(-1) ?? 0) || posted >= ORDERS ? 600 : Math.min(window * 1.5, 5_000);
          postedAtKill.push(posted);
        }
        // Then let it finish.
        const engine = startEngineProcess(options);
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline && world.salesOrdersByOrderId().size < ORDERS) await new Promise((r) => setTimeout(r, 200));
        await new Promise((r) => setTimeout(r, 1500)); // a few more runs: nothing may be posted twice late
        await engine.kill('SIGKILL');
      } finally {
        clearInterval(debiting);
      }

      const perOrder = world.salesOrdersByOrderId();
      const duplicates = [...perOrder.values()].filter((n) => n > 1).length;
      const missing = created.filter((o) => !perOrder.has(o.orderId)).length;
      console.log(
        `crash test: ${KILLS} kills; Sales Orders after each kill ${postedAtKill.join(',')}; final ${world.sap.state.documents.Orders.size}; duplicates ${duplicates}; missing ${missing}`,
      );
      const midPosting = postedAtKill.filter((n) => n > 0 && n < ORDERS).length;
      console.log(`crash test: ${midPosting} of ${KILLS} kills landed while orders were being posted`);
      expect(midPosting).toBeGreaterThanOrEqual(5);
      if (missing) {
        const db = new Database(options.ledgerFile, { readonly: true });
        for (const o of created.filter((c) => !perOrder.has(c.orderId))) {
          console.log(
            'missing',
            JSON.stringify(db.prepare('SELECT order_id, stage, marketplace_state FROM marketplace_orders WHERE order_id = ?').get(o.orderId)),
            JSON.stringify(db.prepare("SELECT entity, external_id FROM bindings WHERE record_type = 'order' AND record_key = ?").all(o.orderId)),
            JSON.stringify(db.prepare("SELECT summary FROM record_events WHERE record_type = 'order' AND record_key = ?").all(o.orderId)),
            JSON.stringify(db.prepare('SELECT operation, outcome, error FROM intents WHERE record_key = ?').all(o.orderId)),
            JSON.stringify(db.prepare('SELECT type, summary, raw_error FROM exceptions WHERE record_key = ?').all(o.orderId)),
            (world.jl.admin.order(o.orderId) as { order_state: string }).order_state,
          );
        }
        db.close();
      }
      expect(duplicates).toBe(0);
      expect(missing).toBe(0);
      expect(world.sap.state.documents.Orders.size).toBe(ORDERS);
    },
  );
});

const INVOICED_ORDERS = 120;
const INVOICING_KILLS = Number(process.env.INVOICING_CRASH_KILLS ?? 25);

describe('invoicing: crash test', () => {
  let world: InvoicingWorld;
  const tmp = tempDir();
  beforeAll(async () => (world = await startInvoicingWorld()));
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it(
    `SIGKILLs the engine ${INVOICING_KILLS} times at random moments while it invoices ${INVOICED_ORDERS} delivered orders; SAP ends with exactly one A/R Invoice per order`,
    { timeout: 300_000 },
    async () => {
      const ledgerFile = tmp.file('invoicing-crash.db');
      const setup = world.engine({ ledgerFile, flows: ['orders', 'despatch'] });
      await setup.command('orders.preflight', { createFields: true, actor: 'test' });
      const ids = await world.deliveredOrders(setup, INVOICED_ORDERS, { linesPerOrder: 2, quantities: [1, 2] });
      await setup.stop();

      // The day's batch is due at once (00:00), 50 a batch; SAP takes a moment per invoice, so kills land mid-batch.
      world.sap.addFault({ kind: 'latency', method: 'POST', path: 'Invoices', ms: 30 });
      const options = {
        sapUrl: world.sap.url,
        marketplaceUrl: world.jl.url,
        marketplaceKey: world.jl.apiKey,
        ledgerFile,
        flows: ['invoicing'],
        invoicing: { runAt: '00:00', batchSize: 50 },
        sapTimeoutSeconds: 1,
      };
      const start = () => startChildEngine(path.join(import.meta.dirname, '../invoicing/engine-child.ts'), 'INVOICING_ENGINE', options);
      const invoiced = () => world.invoicesByOrderId().size;
      const invoicedAtKill: number[] = [];
      for (let i = 0; i < INVOICING_KILLS; i++) {
        const engine = start();
        await Promise.race([engine.running, engine.exited]);
        await new Promise((r) => setTimeout(r, Math.random() * 600));
        await engine.kill('SIGKILL');
        invoicedAtKill.push(world.sap.state.documents.Invoices.size);
      }
      // Then let it finish: every invoice in SAP, and bound in the ledger (a create the last engine left unanswered is
      // looked up once this engine has run a settle time, whatever the wall clock says).
      const engine = start();
      const boundInLedger = () => {
        const db = new Database(ledgerFile, { readonly: true });
        try {
          return db.prepare("SELECT count(DISTINCT record_key) FROM bindings WHERE entity = 'invoice'").pluck().get() as number;
        } finally {
          db.close();
        }
      };
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && (invoiced() < INVOICED_ORDERS || boundInLedger() < INVOICED_ORDERS)) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 3_000)); // past the settle time: nothing may be invoiced twice late
      await engine.kill('SIGKILL');

      const perOrder = world.invoicesByOrderId();
      const duplicates = [...perOrder.values()].filter((docs) => docs.length > 1).length;
      const missing = ids.filter((id) => !perOrder.has(id)).length;
      console.log(
        `invoicing crash test: ${INVOICING_KILLS} kills; A/R Invoices after each kill ${invoicedAtKill.join(',')}; final ${world.sap.state.documents.Invoices.size}; duplicates ${duplicates}; missing ${missing}`,
      );
      const midBatch = invoicedAtKill.filter((n) => n > 0 && n < INVOICED_ORDERS).length;
      console.log(`invoicing crash test: ${midBatch} of ${INVOICING_KILLS} kills landed while invoices were being created`);
      // Invoices go three at a time, so a batch is over quickly: a few kills inside it are what the test needs.
      expect(midBatch).toBeGreaterThanOrEqual(3);
      expect(duplicates).toBe(0);
      expect(missing).toBe(0);
      expect(world.sap.state.documents.Invoices.size).toBe(INVOICED_ORDERS);
      // Every invoice is bound to its order.
      const db = new Database(ledgerFile, { readonly: true });
      const bound = db.prepare("SELECT count(DISTINCT record_key) FROM bindings WHERE entity = 'invoice'").pluck().get();
      const settled = db.prepare("SELECT outcome, count(*) AS n FROM intents WHERE operation = 'create-invoice' GROUP BY outcome").all();
      console.log(`invoicing crash test: invoice creates by outcome ${JSON.stringify(settled)}`);
      db.close();
      expect(bound).toBe(INVOICED_ORDERS);
    },
  );
});
