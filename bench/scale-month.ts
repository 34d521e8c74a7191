/**
 * A month of trade against a ledger of its own, on a jumping clock, for `npm run bench -- scale`: how big the ledger
 * is after it. The writes go through the flows' own storage code — the stock repository and sendStockImport (its
 * STO01 upload recorded in the outbox with every row, the figures marked sent and confirmed), the orders repository
 * (each order stored as the marketplace shows it at each step, with its timeline events), the outbox for OR21, the
 * SAP Sales Order (its draft from buildSalesOrder), OR23 and OR24, and a run for every flow run — and the ledger's
 * maintenance runs on the same clock as the engine runs it (ledgerMaintenance, settings.retention defaults). What is
 * not done for real: SAP and the marketplace (the connectors' answers are made up here, successful), and the full
 * read of every SKU each cycle after the first (the first is a real stock cycle over every SKU; later ones record their
 * uploads, the part of a cycle that stays in the ledger).
 */
import Decimal from 'decimal.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fakeClock } from '../electron/engine/clock';
import { toOrder } from '../electron/engine/connectors/john-lewis/order-map';
import type { Marketplace, MarketplaceOrder } from '../electron/engine/connectors/ports/marketplace';
import { flowContextFactory } from '../electron/engine/flow-context';
import { buildSalesOrder, numAtCardOf } from '../electron/engine/flows/orders/draft';
import { initialStage, nextStage } from '../electron/engine/flows/orders/intake';
import { OrdersRepository } from '../electron/engine/flows/orders/repository';
import { sendStockImport } from '../electron/engine/flows/stock/push';
import { StockRepository, type CycleResult } from '../electron/engine/flows/stock/repository';
import { runStockCycle } from '../electron/engine/flows/stock/cycle';
import type { Sap, StockRow } from '../electron/engine/connectors/ports/sap';
import { createLedger } from '../electron/engine/ledger';
import { ledgerMaintenance } from '../electron/engine/maintenance';
import type { Logger } from '../electron/engine/ports';
import type { FlowContext } from '../electron/engine/flows/flow';
import { EmulatorClock } from '../emulators/john-lewis/clock';
import { createOrders, orderJson } from '../emulators/john-lewis/orders';
import { seedOffers } from '../emulators/john-lewis/offers';
import { EmulatorState } from '../emulators/john-lewis/state';
import type { FlowName } from '../shared/domain/flows';
import { SettingsSchema } from '../shared/domain/settings';

export interface MonthFigures {
  days: number;
  orders: number;
  stockCycles: number;
  changedPerCycle: number;
  runs: number;
  dbMb: number;
  walMb: number;
  wallSeconds: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const size = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

export async function simulateMonth(options: {
  skus: number;
  warehouses: number;
  days?: number;
  ordersPerDay?: number;
  changedPerCycle?: number;
}): Promise<MonthFigures> {
  const days = options.days ?? Number(process.env.BENCH_MONTH_DAYS ?? 30);
  const ordersPerDay = options.ordersPerDay ?? Number(process.env.BENCH_ORDERS_PER_DAY ?? 1_000);
  const changedPerCycle = options.changedPerCycle ?? Number(process.env.BENCH_DELTA_SKUS ?? 1_000);
  const wall = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'scale-month-'));
  const file = path.join(dir, 'ledger.db');
  const ledger = createLedger(file);
  const clock = fakeClock(Date.UTC(2026, 0, 5, 0, 0, 0));
  // The defaults a new console has, cadences included (stock every 2 minutes, orders and health every minute).
  const settings = SettingsSchema.parse({});
  const contextFor = flowContextFactory({ ledger, clock, logger: quiet, exceptionChanged: () => undefined });
  const maintenance = ledgerMaintenance({ ledger, clock, logger: quiet, retention: () => settings.retention });
  maintenance.start();
  const stock = new StockRepository(ledger.db);
  const orders = new OrdersRepository(ledger.db);
  const warehouses = Array.from({ length: options.warehouses }, (_, i) => String(i + 1).padStart(2, '0'));
  const skus = Array.from({ length: options.skus }, (_, i) => `SKU-${String(i).padStart(6, '0')}`);
  const at = () => new Date(clock.now());
  let runs = 0;

  /** One run of a flow, as the engine records it. */
  async function inRun<F extends FlowName, T>(flow: F, work: (ctx: FlowContext<F>, runId: number) => Promise<T> | T): Promise<T> {
    const run = ledger.runs.start(flow, 'schedule', at(), false);
    runs++;
    const result = await work(contextFor(flow, run.id, 'schedule', settings), run.id);
    ledger.runs.finish(run.id, 'succeeded', at(), {}, null);
    return result;
  }

  // ---- stock ---------------------------------------------------------------------------------------------
  let importSeq = 0;
  const marketplace = {
    stock: {
      push: async (rows: readonly unknown[]) => `import-${++importSeq}-${rows.length}`,
      awaitImport: async (importId: string) => ({
        status: { importId, state: 'complete' as const, statusCode: 'COMPLETE', hasErrorReport: false, linesInSuccess: null, linesInError: 0, raw: {} },
        rejections: [],
      }),
      // The shop's offers as the first reconciliation reads them: every SKU, 10,000 a file.
      async *exportOffers() {
        for (let i = 0; i < skus.length; i += 10_000) yield skus.slice(i, i + 10_000).map((sku) => ({ sku, quantity: 0 }));
      },
    },
  } as unknown as Pick<Marketplace, 'stock'>;
  let generation = 0;
  const quantity = (i: number, w: number) => (i + w + generation) % 40;
  // SAP as the stock flow reads it: every item in every warehouse, a page of 5,000 rows at a time.
  const sap = {
    stock: {
      warehouses: async () => warehouses.map((code) => ({ code, name: code, active: true, nettable: true, dropShip: false })),
      itemsOnDocumentsSince: async () => ({ itemCodes: new Set<string>(), marks: {} }),
      open: async () => ({
        path: 'sql-query' as const,
        fallback: null,
        pages: (async function* () {
          let page: StockRow[] = [];
          for (const [i, sku] of skus.entries())
            for (const [w, warehouseCode] of warehouses.entries()) {
              page.push({ itemCode: sku, warehouseCode, inStock: new Decimal(quantity(i, w)), committed: new Decimal(0), ordered: new Decimal(0) });
              if (page.length === 5_000) {
                yield page;
                page = [];
              }
            }
          if (page.length) yield page;
        })(),
      }),
    },
  } as unknown as Sap;
  const cycleResult = (sent: number): CycleResult => ({
    skusRead: options.skus,
    changed: sent,
    sent,
    rejected: 0,
    held: 0,
    fastLane: 0,
    warehousesExpected: warehouses,
    warehousesMissing: [],
    readPath: null,
    readFallback: null,
    importId: null,
    importStatus: 'COMPLETE',
    reconciled: false,
    drift: 0,
    error: null,
  });
  // The first cycle, for real: every SKU read from SAP, staged, computed and stored, reconciled with the offers, sent.
  await inRun('stock', (ctx) => runStockCycle(ctx, { sap, marketplace, repo: stock }));
  let changedFrom = 0;
  let stockCycles = 1;
  // Each later cycle: the SKUs that changed go out in one STO01, recorded in the outbox as the flow records it (the full
  // read that finds them, which writes nothing that stays, is left out: a month of 100,000-SKU reads would take hours).
  async function stockCycle(): Promise<void> {
    generation++;
    await inRun('stock', async (ctx, runId) => {
      const cycleId = stock.startCycle(runId, at(), false);
      const changed = Array.from({ length: Math.min(changedPerCycle, skus.length) }, (_, k) => (changedFrom + k) % skus.length);
      changedFrom = (changedFrom + changedPerCycle) % skus.length;
      // One line a SKU, as the flow sends it without per-warehouse stock on the marketplace (the settings' default).
      const upload = changed.map((i) => ({ sku: skus[i]!, quantity: warehouses.reduce((n, _, w) => n + quantity(i, w), 0) }));
      await sendStockImport(ctx, marketplace, stock, cycleId, { skus: changed.length, rows: upload }, 60_000);
      stock.finishCycle(cycleId, at(), cycleResult(changed.length));
    });
    stockCycles++;
  }

  // ---- orders --------------------------------------------------------------------------------------------
  const emulator = new EmulatorState(new EmulatorClock(() => clock.now()));
  seedOffers(
    emulator,
    skus.slice(0, 2_000).map((sku, i) => ({ sku, price: `${(9.99 + (i % 50)).toFixed(2)}` })),
  );
  const offerSkus = skus.slice(0, 2_000);
  /** Orders on their way: when each next step falls due. */
  const due: { atMs: number; orderId: string; step: 'debit' | 'ship' }[] = [];
  let ordersCreated = 0;
  let docEntry = 1_000;
  const read = (orderId: string): MarketplaceOrder => toOrder(orderJson(emulator, emulator.orders.get(orderId)!, 'TAX_INCLUDED') as never);
  const store = (order: MarketplaceOrder, summary: string) => {
    const row = orders.get(order.orderId);
    const stage = row ? nextStage(row.stage, order.state) : initialStage(order.state);
    orders.upsert(order, numAtCardOf(order, settings.orders.numAtCardSource), stage, at());
    if (row && row.stage !== stage) orders.setStage(order.orderId, stage, at());
    orders.event(order.orderId, 'marketplace', summary, at(), { state: order.stateCode });
  };

  async function ordersRun(): Promise<void> {
    await inRun('orders', async (ctx) => {
      // New orders: stored as they arrive and accepted.
      const arriving = Math.floor(((clock.now() % DAY) + MINUTE) / (DAY / ordersPerDay)) - Math.floor((clock.now() % DAY) / (DAY / ordersPerDay));
      for (const o of createOrders(emulator, { count: arriving, skus: offerSkus, linesPerOrder: 2, quantities: [1, 2, 1] })) {
        ordersCreated++;
        const order = read(o.orderId);
        store(order, 'Order arrived from the marketplace');
        const decisions = order.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true }));
        await ctx.write({ system: 'marketplace', operation: 'OR21', recordKey: order.orderId, payload: decisions }, async () => ({ result: true }));
        orders.setDecision(order.orderId, 'accept', at());
        emulator.setState(o, 'WAITING_DEBIT_PAYMENT', clock.now());
        o.acceptedMs = clock.now();
        store(read(o.orderId), 'Accepted on the marketplace');
        due.push({ atMs: clock.now() + 5 * MINUTE, orderId: o.orderId, step: 'debit' });
      }
      // Debited orders: stored and posted to SAP; despatched orders: tracking and shipment confirmed.
      while (due.length && due[0]!.atMs <= clock.now()) {
        const { orderId, step } = due.shift()!;
        const o = emulator.orders.get(orderId)!;
        if (step === 'debit') {
          emulator.debit(o, clock.now());
          const order = read(orderId);
          store(order, 'Paid: ready to post');
          const plan = buildSalesOrder(
            order,
            order.lines.map((line) => ({ line, itemCode: line.sku ?? 'ITEM', vatGroup: 'S1', rate: new Decimal(20), warehouseCode: warehouses[0]! })),
            { vatGroup: 'S1', rate: new Decimal(20) },
            settings.orders,
          );
          const written = await ctx.write({ system: 'sap-b1', operation: 'create-sales-order', recordKey: orderId, payload: plan.draft }, async () => ({
            result: ++docEntry,
            externalRef: String(docEntry),
          }));
          if (written.sent)
            orders.markPosted(orderId, { docEntry: written.result, docNum: written.result, sapTotal: plan.sapTotal, rounding: plan.rounding }, at());
          orders.event(orderId, 'sap', `Sales Order ${docEntry} created`, at());
          due.push({ atMs: clock.now() + DAY, orderId, step: 'ship' });
        } else {
          const tracking = { carrierCode: 'DPD', trackingNumber: `155${orderId.replace(/\D/g, '')}` };
          await ctx.write({ system: 'marketplace', operation: 'OR23', recordKey: orderId, payload: tracking }, async () => ({ result: true }));
          await ctx.write({ system: 'marketplace', operation: 'OR24', recordKey: orderId, payload: null }, async () => ({ result: true }));
          emulator.setState(o, 'SHIPPED', clock.now());
          o.shippedMs = clock.now();
          store(read(orderId), 'Despatched: tracking sent and shipment confirmed');
          // Done with here: the emulator forgets it, so this process stays small through the month.
          emulator.orders.delete(orderId);
          emulator.transactionsByOrder.delete(orderId);
        }
      }
    });
  }

  // ---- the month: a minute at a time ---------------------------------------------------------------------
  const stockEvery = settings.flows.stock.cadenceSeconds * 1_000;
  const end = clock.now() + days * DAY;
  let lastStock = clock.now();
  while (clock.now() < end) {
    await clock.advance(MINUTE);
    await inRun('health', () => undefined);
    await ordersRun();
    if (clock.now() - lastStock >= stockEvery) {
      lastStock = clock.now();
      await stockCycle();
    }
    if (clock.now() % DAY === 0) {
      const day = Math.round((clock.now() - (end - days * DAY)) / DAY);
      if (day % 7 === 0) console.log(`  simulated day ${day}: ledger ${mb(size(file))} MB + WAL ${mb(size(`${file}-wal`))} MB`);
    }
    // The simulation keeps no more of the marketplace than the orders still on their way.
    emulator.transactions = [];
    emulator.openTransactions = [];
  }
  // Maintenance that fell due at the end finishes its steps.
  await clock.advance(MINUTE);
  maintenance.stop();
  const dbMb = mb(size(file));
  const walMb = mb(size(`${file}-wal`));
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    days,
    orders: ordersCreated,
    stockCycles,
    changedPerCycle,
    runs,
    dbMb,
    walMb,
    wallSeconds: Math.round((performance.now() - wall) / 1000),
  };
}
