/**
 * A year of trade written into a ledger of its own on a jumping clock (npm run reliability:ledger-year): how big the
 * ledger is after it, with the engine's maintenance pruning it as it goes. Like bench/scale-month.ts, the writes go
 * through the flows' own storage code — the orders repository (each order stored as the marketplace shows it at each
 * step, with its timeline) and the outbox (OR21, the Sales Order from buildSalesOrder, OR23/OR24, each A/R Invoice and
 * Credit Memo, RT21/RT25), the despatch repository (each Delivery Note, bound to its order), the invoicing repository
 * (the daily batch), the returns repository (returns and refunds as the connector reads them from the marketplace
 * emulator, noteRefunds), the settlement repository (each billing cycle's lines as the connector reads TL02 from the
 * emulator, the tie-out, the lines matched, the period's SAP documents), the stock flow (a real first cycle over every
 * SKU, then each cycle's upload through sendStockImport), runs of every flow, exceptions raised and resolved, and the
 * Overview's request counts — and the ledger's maintenance runs on the same clock as the engine runs it. The
 * marketplace's side is the emulator itself, called in this process; SAP's answers are made up (successful).
 *
 * To run in reasonable time, the days before the last `fullDays` (whose runs, stock uploads, timeline events and settled
 * writes the retention removes before the year ends anyway) record a run of the orders flow every quarter of an hour
 * and none of the minute-by-minute health checks, and no stock cycles: what stays from them — orders, despatches,
 * invoices, returns, refunds, payouts and their bindings — is all written. Within the full days, each stock upload is
 * recorded in the outbox as the flow records it; the last 8 days' go through the flow's own sending code (each SKU's
 * figure marked sent and confirmed), the others' rows being cut to their sample before the year ends. Statements are prepared once per SQL text
 * (the engine prepares them per call) and the page cache is 1 GB (SQLite's default, the engine's, is 2 MB): that
 * changes the time taken, not what is written.
 */
import Decimal from 'decimal.js';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { fakeClock } from '../../electron/engine/clock';
import { queryString, type CallSpec, type MiraklClient } from '../../electron/engine/connectors/john-lewis/client';
import { toOrder } from '../../electron/engine/connectors/john-lewis/order-map';
import { acceptOrder, confirmShipment, setTracking } from '../../electron/engine/connectors/john-lewis/orders';
import { acceptReturns, listReturns, receiveReturns } from '../../electron/engine/connectors/john-lewis/returns';
import { fetchBillingCycles, listTransactions, parseBillingCycles } from '../../electron/engine/connectors/john-lewis/settlement';
import type { Marketplace, MarketplaceOrder, TransactionLine } from '../../electron/engine/connectors/ports/marketplace';
import type { Sap, StockRow } from '../../electron/engine/connectors/ports/sap';
import { flowContextFactory } from '../../electron/engine/flow-context';
import type { FlowContext } from '../../electron/engine/flows/flow';
import { DespatchRepository } from '../../electron/engine/flows/despatch/repository';
import { InvoicingRepository } from '../../electron/engine/flows/invoicing/repository';
import { buildSalesOrder, numAtCardOf } from '../../electron/engine/flows/orders/draft';
import { initialStage, nextStage } from '../../electron/engine/flows/orders/intake';
import { OrdersRepository } from '../../electron/engine/flows/orders/repository';
import { noteRefunds } from '../../electron/engine/flows/returns/intake';
import { ReturnsRepository } from '../../electron/engine/flows/returns/repository';
import type { SettlementEnv } from '../../electron/engine/flows/settlement/env';
import { tieOut } from '../../electron/engine/flows/settlement/reconcile';
import { SettlementRepository, type LineMatch, type PeriodDocument } from '../../electron/engine/flows/settlement/repository';
import { runStockCycle } from '../../electron/engine/flows/stock/cycle';
import { sendStockImport, uploadPayload } from '../../electron/engine/flows/stock/push';
import { StockRepository, type CycleResult } from '../../electron/engine/flows/stock/repository';
import { createLedger, type Ledger } from '../../electron/engine/ledger';
import { orderRef } from '../../electron/engine/ledger/bindings';
import { ledgerMaintenance } from '../../electron/engine/maintenance';
import type { Logger } from '../../electron/engine/ports';
import { createAdmin } from '../../emulators/john-lewis/admin';
import { EmulatorClock } from '../../emulators/john-lewis/clock';
import { seedOffers } from '../../emulators/john-lewis/offers';
import { createOrders, orderJson } from '../../emulators/john-lewis/orders';
import { match } from '../../emulators/john-lewis/routes';
import { EmulatorState } from '../../emulators/john-lewis/state';
import type { FlowName } from '../../shared/domain/flows';
import { SettingsSchema } from '../../shared/domain/settings';

const MINUTE = 60_000;
/** The last days whose stock uploads keep every row at the year's end (settings.retention.stockUploadRowsDays, and one). */
const UPLOAD_ROWS_DAYS = 8;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface YearOptions {
  days: number;
  ordersPerDay: number;
  skus: number;
  warehouses: number;
  /** The last days simulated minute by minute with every flow's runs and stock cycles. */
  fullDays: number;
  /** SKUs that change (and go to the marketplace) each stock cycle. */
  changedPerCycle: number;
  /** One order in this many is returned (in full) and refunded. */
  returnEvery: number;
  /** One order in this many raises an exception, resolved when it is paid. */
  exceptionEvery: number;
}

export const DEFAULT_YEAR: YearOptions = {
  days: 365,
  ordersPerDay: 1_000,
  skus: 100_000,
  warehouses: 4,
  fullDays: 92,
  changedPerCycle: 1_000,
  returnEvery: 30,
  exceptionEvery: 200,
};

export interface YearResult {
  file: string;
  dir: string;
  options: YearOptions;
  counts: Record<string, number>;
  wallSeconds: number;
  /** When the simulated year ended (the engine's clock). */
  endMs: number;
  /** Ledger and WAL sizes at the end of each month. */
  months: { day: number; dbBytes: number }[];
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };
export const size = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** One prepared statement per SQL text: the simulation's time goes on writing, not on SQLite compiling the same SQL. */
function prepareOnce(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  (db as { prepare: (sql: string) => Database.Statement }).prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size > 2_000) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    } else if (statement.reader) {
      statement.pluck(false);
      statement.expand(false);
      statement.raw(false);
    }
    return statement;
  };
}

/** The marketplace emulator in this process, behind the connector's own client calls (no HTTP, the same JSON). */
function localMarketplace(state: EmulatorState): MiraklClient {
  return {
    async ok(spec: CallSpec) {
      const found = match(spec.method, spec.path);
      if (!('route' in found)) throw new Error(`The emulator has no ${spec.method} ${spec.path}`);
      const reply = found.route.handle({
        state,
        params: found.params,
        query: new URLSearchParams(queryString(spec.params ?? {})),
        body: spec.data ?? null,
        parts: {},
        baseUrl: 'http://emulator.local',
      });
      if (reply.status >= 300) throw new Error(`${spec.operation} answered ${reply.status}: ${JSON.stringify(reply.json)}`);
      // As the wire carries it: the emulator's money goes into JSON text with its exact decimals.
      const text = reply.json === undefined ? '' : JSON.stringify(reply.json);
      return { status: reply.status, text, body: text ? (JSON.parse(text) as unknown) : undefined, headers: {} };
    },
  } as unknown as MiraklClient;
}

export async function simulateYear(options: YearOptions, progress: (line: string) => void = () => undefined): Promise<YearResult> {
  const wall = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'ledger-year-'));
  const file = path.join(dir, 'ledger.db');
  const ledger: Ledger = createLedger(file);
  prepareOnce(ledger.db);
  // A far larger page cache than the engine's (SQLite's 2 MB): a ledger of gigabytes read through the operating system
  // a page at a time takes hours to simulate. The simulation's time, not what it writes.
  ledger.db.pragma('cache_size = -1048576');
  const start = Date.UTC(2026, 0, 5, 0, 0, 0);
  const clock = fakeClock(start);
  const at = () => new Date(clock.now());
  const settings = SettingsSchema.parse({});
  const contextFor = flowContextFactory({ ledger, clock, logger: quiet, exceptionChanged: () => undefined });
  const maintenance = ledgerMaintenance({ ledger, clock, logger: quiet, retention: () => settings.retention });
  maintenance.start();
  const orders = new OrdersRepository(ledger.db);
  const stock = new StockRepository(ledger.db);
  const despatch = new DespatchRepository(ledger.db);
  const invoicing = new InvoicingRepository(ledger.db);
  const returnsRepo = new ReturnsRepository(ledger.db);
  const settlement = new SettlementRepository(ledger.db);
  const counts: Record<string, number> = {};
  const count = (key: string, n = 1) => void (counts[key] = (counts[key] ?? 0) + n);
  const end = start + options.days * DAY;
  const fullFrom = end - options.fullDays * DAY;
  const full = () => clock.now() >= fullFrom;

  /** One run of a flow as the engine records it; before the full days only where `recorded` (a context without a run otherwise). */
  async function inRun<F extends FlowName, T>(flow: F, work: (ctx: FlowContext<F>, runId: number) => Promise<T> | T, recorded = true): Promise<T> {
    if (!recorded) return work(contextFor(flow, 0, 'schedule', settings), 0);
    const run = ledger.runs.start(flow, 'schedule', at(), false);
    count('runs');
    const result = await work(contextFor(flow, run.id, 'schedule', settings), run.id);
    ledger.runs.finish(run.id, 'succeeded', at(), {}, null);
    return result;
  }
  /** A request to SAP or the marketplace, counted for the Overview as the engine counts each (kept a week). */
  const requested = (system: 'sap-b1' | 'marketplace', ms: number) => {
    if (clock.now() >= end - 8 * DAY) ledger.requestStats.record(system, ms, false, clock.now());
  };

  // ---- the marketplace: the emulator, its offers, and its API through the connector ----------------------------------
  const emulator = new EmulatorState(new EmulatorClock(() => clock.now()), { debitDelayMs: null, refundDelayMs: null });
  const admin = createAdmin(emulator);
  const client = localMarketplace(emulator);
  const warehouses = Array.from({ length: options.warehouses }, (_, i) => String(i + 1).padStart(2, '0'));
  const skus = Array.from({ length: options.skus }, (_, i) => `SKU-${String(i).padStart(6, '0')}`);
  const offerSkus = skus.slice(0, 2_000);
  seedOffers(
    emulator,
    offerSkus.map((sku, i) => ({ sku, price: `${(9.99 + (i % 50)).toFixed(2)}`, taxes: ['standard'] })),
  );
  /** The order as OR11 gives it (through JSON, as on the wire), read by the connector. */
  const read = (orderId: string): MarketplaceOrder =>
    toOrder(JSON.parse(JSON.stringify(orderJson(emulator, emulator.orders.get(orderId)!, 'TAX_INCLUDED'))) as never);
  const store = (order: MarketplaceOrder, summary: string) => {
    const row = orders.get(order.orderId);
    const stage = row ? nextStage(row.stage, order.state) : initialStage(order.state);
    orders.upsert(order, numAtCardOf(order, settings.orders.numAtCardSource), stage, at());
    if (row && row.stage !== stage) orders.setStage(order.orderId, stage, at());
    orders.event(order.orderId, 'marketplace', summary, at(), { state: order.stateCode });
  };

  // ---- SAP's numbering: what SAP would answer for each document -----------------------------------------------------
  let docEntry = 1_000;
  const nextDoc = () => ++docEntry;
  /** Invoices and Credit Memos posted since the last billing cycle was reconciled: the period's SAP documents. */
  let periodDocuments: PeriodDocument[] = [];
  /** Each order's A/R Invoice until its payout is matched. */
  const invoiceOf = new Map<string, { docEntry: number; docNum: number }>();
  const creditMemoOf = new Map<string, { docEntry: number; docNum: number }>();

  // ---- orders ---------------------------------------------------------------------------------------------------------
  /** Each step's orders, in the order they fall due (each step waits a fixed time, so each list stays in time order). */
  const steps = { debit: [] as Due[], ship: [] as Due[], return: [] as Due[], returned: [] as Due[], forget: [] as Due[] };
  type Due = { atMs: number; orderId: string };
  const schedule = (step: keyof typeof steps, atMs: number, orderId: string) => void steps[step].push({ atMs, orderId });
  const isDue = (step: keyof typeof steps) => steps[step].length > 0 && steps[step][0]!.atMs <= clock.now();
  const toInvoice: { orderId: string; numAtCard: string | null; delivery: { docEntry: number; docNum: number }; total: string; lean: boolean }[] = [];
  let ordersCreated = 0;
  const perMinute = (now: number) => Math.floor(((now % DAY) + MINUTE) / (DAY / options.ordersPerDay)) - Math.floor((now % DAY) / (DAY / options.ordersPerDay));

  /** Orders created before the full days, and when each arrived. */
  const lean = new Map<string, Date>();
  /** One order in `exceptionEvery` arrives with a tax rate no mapping knows: an exception until it is paid (mapped). */
  const raiseOn = (ctx: FlowContext<'orders'>, orderId: string) =>
    ctx.raise({
      type: 'vat-mapping-missing',
      record: orderRef(orderId),
      summary: `${orderId}: the marketplace's tax rate has no SAP VAT group`,
      rawError: null,
    });

  async function ordersMinute(recorded: boolean): Promise<void> {
    await inRun(
      'orders',
      async (ctx) => {
        requested('marketplace', 180);
        for (const o of createOrders(emulator, { count: perMinute(clock.now()), skus: offerSkus, linesPerOrder: 2, quantities: [1, 2, 1] })) {
          ordersCreated++;
          if (!full()) {
            // Before the full days: the order as the marketplace holds it; the ledger stores it as it ends (see despatchDue).
            lean.set(o.orderId, at());
            if (ordersCreated % options.exceptionEvery === 0) raiseOn(ctx, o.orderId);
            await acceptOrder(
              client,
              o.orderId,
              o.lines.map((l) => ({ orderLineId: l.id, accepted: true })),
            );
            schedule('debit', clock.now() + 5 * MINUTE, o.orderId);
            continue;
          }
          const order = read(o.orderId);
          store(order, 'Order arrived from the marketplace');
          if (ordersCreated % options.exceptionEvery === 0) raiseOn(ctx, o.orderId);
          const decisions = order.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: true }));
          await ctx.write({ system: 'marketplace', operation: 'OR21', recordKey: order.orderId, payload: decisions }, async () => ({
            result: await acceptOrder(client, order.orderId, decisions),
          }));
          requested('marketplace', 220);
          orders.setDecision(order.orderId, 'accept', at());
          orders.event(o.orderId, 'marketplace', 'Accepted on the marketplace', at(), { state: 'WAITING_DEBIT_PAYMENT' });
          schedule('debit', clock.now() + 5 * MINUTE, o.orderId);
        }
        while (isDue('debit')) {
          const { orderId } = steps.debit.shift()!;
          const o = emulator.orders.get(orderId)!;
          emulator.debit(o, clock.now());
          if (lean.has(orderId)) {
            ctx.resolve('vat-unmapped', orderRef(orderId));
            schedule('ship', clock.now() + DAY, orderId);
            continue;
          }
          const order = read(orderId);
          store(order, 'Paid: ready to post');
          ctx.resolve('vat-unmapped', orderRef(orderId));
          const plan = buildSalesOrder(
            order,
            order.lines.map((line) => ({ line, itemCode: line.sku ?? 'ITEM', vatGroup: 'S1', rate: new Decimal(20), warehouseCode: warehouses[0]! })),
            { vatGroup: 'S1', rate: new Decimal(20) },
            settings.orders,
          );
          const entry = nextDoc();
          const written = await ctx.write({ system: 'sap-b1', operation: 'create-sales-order', recordKey: orderId, payload: plan.draft }, async () => ({
            result: entry,
            externalRef: String(entry),
          }));
          requested('sap-b1', 350);
          if (written.sent) orders.markPosted(orderId, { docEntry: entry, docNum: entry, sapTotal: plan.sapTotal, rounding: plan.rounding }, at());
          orders.event(orderId, 'sap', `Sales Order ${entry} created`, at());
          schedule('ship', clock.now() + DAY, orderId);
        }
      },
      recorded,
    );
  }

  /** The warehouse despatches: the Delivery Note read from SAP, tracking and shipment confirmed on the marketplace. */
  async function despatchDue(recorded: boolean): Promise<void> {
    await inRun(
      'despatch',
      async (ctx) => {
        while (isDue('ship')) {
          const { orderId } = steps.ship.shift()!;
          const arrived = lean.get(orderId);
          if (arrived) {
            // What outlasts the retention: the order as it ends (accepted, posted, shipped), how it arrived, its Sales Order.
            lean.delete(orderId);
            await setTracking(client, orderId, { carrierCode: 'DPD', trackingNumber: `155${orderId.replace(/\D/g, '')}` });
            await confirmShipment(client, orderId);
            const order = read(orderId);
            orders.upsert(order, numAtCardOf(order, settings.orders.numAtCardSource), initialStage(order.state), at());
            orders.setDecision(orderId, 'accept', at());
            const entry = nextDoc();
            orders.markPosted(orderId, { docEntry: entry, docNum: entry, sapTotal: order.totalPrice ?? new Decimal(0), rounding: new Decimal(0) }, at());
            ledger.timeline.add(orderRef(orderId), 'marketplace', 'Order arrived from the marketplace', arrived, { state: 'WAITING_ACCEPTANCE' });
          }
          const row = orders.get(orderId)!;
          const delivery = { docEntry: nextDoc(), docNum: docEntry };
          const trackingNumber = `155${orderId.replace(/\D/g, '')}`;
          despatch.recordDelivery(
            {
              docEntry: delivery.docEntry,
              orderId,
              salesOrderEntry: row.docEntry!,
              docNum: delivery.docNum,
              sapCarrier: 'DPD',
              trackingNumber,
              updateStamp: `${at().toISOString().slice(0, 10)} ${clock.now() % DAY}`,
            },
            row.numAtCard,
            at(),
          );
          requested('sap-b1', 260);
          if (!arrived) {
            await ctx.write({ system: 'marketplace', operation: 'OR23', recordKey: orderId, payload: { carrierCode: 'DPD', trackingNumber } }, async () => ({
              result: await setTracking(client, orderId, { carrierCode: 'DPD', trackingNumber }),
            }));
            await ctx.write({ system: 'marketplace', operation: 'OR24', recordKey: orderId, payload: null }, async () => ({
              result: await confirmShipment(client, orderId),
            }));
            requested('marketplace', 240);
            requested('marketplace', 240);
          }
          despatch.setState(orderId, 'confirmed', at(), { deliveredAt: at().toISOString(), carrierCode: 'DPD', sentTracking: trackingNumber });
          if (!arrived) {
            despatch.event(orderId, 'marketplace', `Despatched with DPD, tracking ${trackingNumber}: shipment confirmed`, at());
            store(read(orderId), 'Shipped on the marketplace');
          }
          toInvoice.push({ orderId, numAtCard: row.numAtCard, delivery, total: row.totalPrice ?? '0.00', lean: !!arrived });
          count('despatched');
          if (counts.despatched! % options.returnEvery === 0) schedule('return', clock.now() + 3 * DAY, orderId);
          // The emulator answers each call after looking through every order it holds: it keeps those a return may still come for.
          schedule('forget', clock.now() + 6 * DAY, orderId);
        }
      },
      recorded,
    );
  }

  /** The daily batch of A/R Invoices: every order despatched since the last. */
  async function invoicingBatch(): Promise<void> {
    await inRun('invoicing', async (ctx, runId) => {
      const batchId = full() ? invoicing.startBatch({ runId, trigger: 'schedule', dryRun: false }, at()) : 0;
      for (const d of toInvoice.splice(0)) {
        const invoice = { docEntry: nextDoc(), docNum: docEntry };
        if (d.lean) {
          // Before the full days: what outlasts the batches' 90 days — the delivery invoiced, the invoice bound, the event.
          invoicing.settleDelivery(d.orderId, d.delivery.docEntry, invoice.docEntry, at());
          invoicing.bindInvoice(d.orderId, invoice, at());
          invoicing.event(d.orderId, 'sap', `A/R Invoice ${invoice.docNum} created (${d.total})`, at());
          invoiceOf.set(d.orderId, invoice);
          periodDocuments.push({
            kind: 'invoice',
            ...invoice,
            orderId: d.orderId,
            refundId: null,
            numAtCard: d.numAtCard,
            postingDate: at().toISOString().slice(0, 10),
            total: d.total,
          });
          count('invoices');
          continue;
        }
        const draft = {
          CardCode: settings.orders.cardCode,
          NumAtCard: d.numAtCard,
          U_JLM_OrderId: d.orderId,
          DocumentLines: [0, 1].map((line) => ({ BaseType: 15, BaseEntry: d.delivery.docEntry, BaseLine: line })),
        };
        await ctx.write({ system: 'sap-b1', operation: 'create-invoice', recordKey: d.orderId, payload: draft }, async () => ({
          result: invoice.docEntry,
          externalRef: String(invoice.docEntry),
        }));
        requested('sap-b1', 420);
        invoicing.addDocument(
          batchId,
          {
            orderId: d.orderId,
            numAtCard: d.numAtCard,
            customer: settings.orders.cardCode,
            deliveryDocNums: [d.delivery.docNum],
            invoiceDocEntry: invoice.docEntry,
            invoiceDocNum: invoice.docNum,
            total: d.total,
            marketplaceTotal: d.total,
            currency: 'GBP',
            outcome: 'posted',
            exceptionId: null,
            error: null,
          },
          at(),
        );
        invoicing.settleDelivery(d.orderId, d.delivery.docEntry, invoice.docEntry, at());
        invoicing.bindInvoice(d.orderId, invoice, at());
        invoicing.event(d.orderId, 'sap', `A/R Invoice ${invoice.docNum} created (${d.total})`, at());
        invoiceOf.set(d.orderId, invoice);
        periodDocuments.push({
          kind: 'invoice',
          ...invoice,
          orderId: d.orderId,
          refundId: null,
          numAtCard: d.numAtCard,
          postingDate: at().toISOString().slice(0, 10),
          total: d.total,
        });
        count('invoices');
      }
      if (batchId) invoicing.endBatch(batchId, at());
    });
  }

  /** Customers' returns: opened on the marketplace, accepted, the goods back two days later, refunded and credited. */
  async function returnsDue(recorded: boolean): Promise<void> {
    await inRun(
      'returns',
      async (ctx) => {
        const opened: string[] = [];
        const back: string[] = [];
        while (isDue('return')) {
          const { orderId } = steps.return.shift()!;
          opened.push(admin.createReturn({ orderId }).returnId);
          schedule('returned', clock.now() + 2 * DAY, orderId);
        }
        while (isDue('returned')) back.push(steps.returned.shift()!.orderId);
        if (opened.length) {
          const { items } = await listReturns(client, { updatedSince: new Date(clock.now() - HOUR).toISOString(), states: ['awaiting-acceptance'] });
          requested('marketplace', 200);
          for (const r of items) returnsRepo.upsertReturn(r, at());
          const decisions = opened.map((returnId) => ({ returnId, accepted: true as const }));
          await ctx.write({ system: 'marketplace', operation: 'RT21', recordKey: opened.join(','), payload: decisions }, () =>
            acceptReturns(client, decisions).then((result) => ({ result })),
          );
          for (const id of opened) {
            returnsRepo.setReturnStage(id, 'awaiting-goods', at());
            admin.customerSendsReturn(id);
          }
          count('returns', opened.length);
        }
        for (const orderId of back) {
          const [ret] = returnsRepo.returnsOfOrder(orderId);
          if (!ret) continue;
          returnsRepo.markReceived(ret.returnId, 'Warehouse', at());
          await ctx.write({ system: 'marketplace', operation: 'RT25', recordKey: ret.returnId, payload: [ret.returnId] }, () =>
            receiveReturns(client, [ret.returnId]).then((result) => ({ result })),
          );
          returnsRepo.receiptSent(ret.returnId, at());
          admin.refundFromBackOffice({ returnId: ret.returnId });
          const order = read(orderId);
          store(order, 'Refunded on the marketplace');
          for (const { refund } of noteRefunds(returnsRepo, [order], at())) {
            const memo = { docEntry: nextDoc(), docNum: docEntry };
            const amount = refund.amount.plus(refund.shippingAmount).toFixed(2);
            await ctx.write(
              { system: 'sap-b1', operation: 'create-credit-memo', recordKey: refund.refundId, payload: { U_JLM_RefundId: refund.refundId, DocTotal: amount } },
              async () => ({ result: memo.docEntry, externalRef: String(memo.docEntry) }),
            );
            requested('sap-b1', 480);
            returnsRepo.linkReturn(refund.refundId, ret.returnId, refund.quantity);
            returnsRepo.credited(refund.refundId, memo, at());
            ledger.bindings.bind(orderRef(orderId), { system: 'sap-b1', entity: 'credit-memo', id: String(memo.docEntry), label: String(memo.docNum) }, at());
            ledger.timeline.add(orderRef(orderId), 'sap', `Credit Memo ${memo.docNum} for refund ${refund.refundId} (${amount})`, at());
            creditMemoOf.set(refund.refundId, memo);
            periodDocuments.push({
              kind: 'credit-memo',
              ...memo,
              orderId,
              refundId: refund.refundId,
              numAtCard: null,
              postingDate: at().toISOString().slice(0, 10),
              total: amount,
            });
            count('refunds');
          }
          returnsRepo.settleReturnIfCredited(ret.returnId, at());
        }
      },
      recorded,
    );
  }

  /** The marketplace closes a billing cycle; the settlement flow reads its lines (TL02) and reconciles them. */
  async function billingCycle(): Promise<void> {
    const closed = admin.closeBillingCycle();
    if (!closed) return;
    await inRun('settlement', async (ctx) => {
      const env = { ctx, repo: settlement, counts: {}, now: at } as unknown as SettlementEnv;
      for (const c of parseBillingCycles(await fetchBillingCycles(client, clock))) settlement.upsertCycle(c, at());
      let cycle = settlement.cycle(closed.billingCycleId)!;
      let pageToken: string | null = null;
      do {
        const page: { items: TransactionLine[]; nextPageToken: string | null } = await listTransactions(
          client,
          pageToken ? { pageToken } : { billingCycleId: cycle.cycleId },
        );
        requested('marketplace', 900);
        settlement.savePage(cycle, page.items, page.nextPageToken, at());
        count('settlementLines', page.items.length);
        pageToken = page.nextPageToken;
        cycle = settlement.cycle(cycle.cycleId)!;
      } while (pageToken);
      settlement.finishRead(cycle.cycleId, at());
      cycle = settlement.cycle(cycle.cycleId)!;
      tieOut(env, cycle);
      // Matching: every sale line with its order's A/R Invoice, every refund line with its Credit Memo (SAP agreeing).
      const unmatched = ledger.db
        .prepare('SELECT line_id AS lineId, order_id AS orderId, refund_id AS refundId FROM settlement_lines WHERE cycle_id = ? AND class IS NULL')
        .all(cycle.cycleId) as { lineId: string; orderId: string | null; refundId: string | null }[];
      const matches: LineMatch[] = unmatched.map((l) => {
        const memo = l.refundId ? creditMemoOf.get(l.refundId) : undefined;
        const invoice = l.orderId ? invoiceOf.get(l.orderId) : undefined;
        const sap = memo ? { kind: 'credit-memo' as const, ...memo } : invoice ? { kind: 'invoice' as const, ...invoice } : null;
        return { lineId: l.lineId, class: sap ? 'matched' : 'missing-in-sap', sap, difference: null };
      });
      settlement.saveMatches(matches);
      requested('sap-b1', 1_200);
      settlement.addPeriodDocuments(cycle.cycleId, periodDocuments);
      settlement.finishMatching(cycle.cycleId, at(), true);
      count('billingCycles');
      periodDocuments = [];
    });
    emulator.transactionsByCycle.delete(closed.billingCycleId);
    emulator.transactionListings.clear();
  }

  // ---- stock (the full days only) ------------------------------------------------------------------------------------
  let importSeq = 0;
  const marketplaceStock = {
    stock: {
      push: async (rows: readonly unknown[]) => `import-${++importSeq}-${rows.length}`,
      awaitImport: async (importId: string) => ({
        status: { importId, state: 'complete' as const, statusCode: 'COMPLETE', hasErrorReport: false, linesInSuccess: null, linesInError: 0, raw: {} },
        rejections: [],
      }),
      async *exportOffers() {
        for (let i = 0; i < skus.length; i += 10_000) yield skus.slice(i, i + 10_000).map((sku) => ({ sku, quantity: 0 }));
      },
    },
  } as unknown as Pick<Marketplace, 'stock'>;
  let generation = 0;
  const quantity = (i: number, w: number) => (i + w + generation) % 40;
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
  let changedFrom = 0;
  let firstStockCycle = true;
  async function stockCycle(): Promise<void> {
    if (firstStockCycle) {
      firstStockCycle = false;
      await inRun('stock', (ctx) => runStockCycle(ctx, { sap, marketplace: marketplaceStock, repo: stock }));
      count('stockCycles');
      return;
    }
    generation++;
    await inRun('stock', async (ctx, runId) => {
      const cycleId = stock.startCycle(runId, at(), false);
      const changed = Array.from({ length: Math.min(options.changedPerCycle, skus.length) }, (_, k) => (changedFrom + k) % skus.length);
      changedFrom = (changedFrom + options.changedPerCycle) % skus.length;
      const upload = changed.map((i) => ({ sku: skus[i]!, quantity: warehouses.reduce((n, _, w) => n + quantity(i, w), 0) }));
      if (clock.now() >= end - UPLOAD_ROWS_DAYS * DAY)
        await sendStockImport(ctx, marketplaceStock, stock, cycleId, { skus: changed.length, rows: upload }, 60_000);
      else {
        // Uploads whose rows the retention cuts to a sample before the year ends: recorded as the flow records them.
        const importId = `import-${++importSeq}-${upload.length}`;
        await ctx.write(
          { system: 'marketplace', operation: 'STO01', recordKey: `stock-cycle-${cycleId}`, payload: uploadPayload(changed.length, upload) },
          async () => ({ result: importId, externalRef: importId }),
        );
      }
      requested('sap-b1', 2_500);
      requested('marketplace', 400);
      stock.finishCycle(cycleId, at(), cycleResult(changed.length));
    });
    count('stockCycles');
  }

  // ---- the year: a minute at a time ----------------------------------------------------------------------------------
  const months: YearResult['months'] = [];
  let minute = 0;
  while (clock.now() < end) {
    await clock.advance(MINUTE);
    minute++;
    const now = clock.now();
    const isFull = full();
    if (isFull) {
      await inRun('health', () => {
        requested('sap-b1', 120);
        requested('marketplace', 150);
      });
      if (minute % 2 === 0) await stockCycle();
    }
    const quarter = minute % 15 === 0;
    await ordersMinute(isFull || quarter);
    if (isDue('ship')) await despatchDue(isFull ? minute % 5 === 0 : quarter);
    if (isDue('return') || isDue('returned')) await returnsDue(isFull || quarter);
    while (isDue('forget')) {
      const { orderId } = steps.forget.shift()!;
      emulator.orders.delete(orderId);
      emulator.transactionsByOrder.delete(orderId);
      invoiceOf.delete(orderId);
    }
    if (now % DAY === 2 * HOUR) await invoicingBatch();
    // Payouts: the marketplace closes a billing cycle on the 1st and the 16th.
    const date = new Date(now);
    if ((date.getUTCDate() === 1 || date.getUTCDate() === 16) && now % DAY === 3 * HOUR) await billingCycle();
    if (isFull && now % (6 * HOUR) === 0) await inRun('settlement', () => undefined);
    // The emulator keeps no more than the orders still on their way and the lines of the open cycle.
    emulator.transactions = [];
    emulator.calls = [];
    if ((now - start) % ((isFull ? 10 : 30) * DAY) === 0 || now >= end) {
      const day = Math.round((now - start) / DAY);
      months.push({ day, dbBytes: size(file) });
      progress(`  day ${day}: ledger ${(size(file) / 1_048_576).toFixed(1)} MB, ${ordersCreated} orders, ${Math.round((performance.now() - wall) / 1000)} s`);
    }
  }
  // Maintenance that fell due at the end finishes its steps (and folds the write-ahead log into the ledger).
  await clock.advance(6 * HOUR);
  maintenance.stop();
  ledger.close();
  counts.orders = ordersCreated;
  return { file, dir, options, counts, wallSeconds: Math.round((performance.now() - wall) / 1000), endMs: clock.now(), months };
}
