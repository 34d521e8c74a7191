import Decimal from 'decimal.js';
import { startSapEmulator } from '../emulators/sap-b1';
import { startMarketplaceEmulator } from '../emulators/john-lewis';
import { systemClock } from '../electron/engine/clock';
import { CallGovernor, DEFAULT_MAX_WAIT_MS, PUBLISHED_MAXIMA } from '../electron/engine/connectors/john-lewis';
import { createSapConnector } from '../electron/engine/connectors/sap-b1';
import { memoryLogger } from '../electron/engine/logging';
import { createHttpClientFactory } from '../electron/engine/net/http-client';
import type { Clock } from '../electron/engine/ports';
import { tempDir } from '../test/support/ports';
import { createSettlementEngine } from '../test/integration/settlement/engine-factory';

/** Every this many orders, SAP has no invoice (a few variances, and the lookups by NumAtCard they cost). */
const MISSING_EVERY = 1_000;

/**
 * The time TL02's published limits (20 calls a minute, 60 an hour) add to reading `calls` pages, worked out by the
 * connector's own governor on a clock that only moves when it waits; and how many runs that takes, a run stopping
 * where the governor would wait longer than a run may. The bench itself runs with the limits off.
 */
async function pacingFor(calls: number): Promise<{ pacingMs: number; runs: number }> {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: () => ({ id: 0 }),
    clearTimeout: () => undefined,
    sleep: async (ms) => void (now += ms),
  };
  const governor = new CallGovernor(clock, PUBLISHED_MAXIMA, { maxWaitMs: Number.POSITIVE_INFINITY });
  let runs = calls > 0 ? 1 : 0;
  for (let i = 0; i < calls; i++) {
    if (governor.waitTime('TL02') > DEFAULT_MAX_WAIT_MS) runs++;
    (await governor.acquire('TL02'))();
  }
  return { pacingMs: now, runs };
}

/**
 * A month of 50,000 transaction lines (the marketplace emulator's month: about 5,000 orders of two lines each placed
 * over 30 days, the subscription, one billing cycle paid out), their A/R Invoices in SAP (one in a thousand missing), reconciled by a finance console with an empty ledger: TL02
 * pages of 2,000, the orders' invoices in batched lookups, the period's documents. The marketplace governor runs
 * with its limits off, so msTotal is compute and I/O against the in-process emulators; pacingMs is what TL02's
 * published limits would add, from the governor's own waits for the calls the run made. Ends with one JSON line.
 */
export async function run(args: string[]): Promise<void> {
  const targetLines = Number(args[0] ?? 50_000);
  const tmp = tempDir('settlement-bench-');
  const sap = await startSapEmulator({ seed: { items: 10, warehouses: 1 }, faults: [] });
  const jl = await startMarketplaceEmulator({ config: { debitDelayMs: null } });
  try {
    const skus = ['SKU000001', 'SKU000002'];
    // Prices whose VAT divides to the penny, so SAP's VAT on net prices is the marketplace's.
    jl.admin.seedOffers([
      { sku: skus[0]!, quantity: 1_000_000, price: '24.00', taxes: ['standard'] },
      { sku: skus[1]!, quantity: 1_000_000, price: '12.00', taxes: ['standard'] },
    ]);
    for (const sku of skus) sap.setStock(sku, '01', 1_000_000);

    // The month's trade: orders of two lines placed over 30 days, the subscription, the cycle closed and paid.
    const prepared = performance.now();
    const month = jl.admin.simulateMonth({ lines: targetLines, linesPerOrder: 2, skus, refundEvery: 0, partialRefundEvery: 0 });
    const created = month.orders;
    const orders = created.length;

    // Their invoices, as SAP holds them (net prices, VAT group O1, the marketplace order id and the customer's number).
    const logger = memoryLogger();
    const connector = createSapConnector({
      connection: {
        baseUrl: sap.url,
        serviceLayerVersion: 'v2',
        companyDb: 'SBODEMOGB',
        userName: 'manager',
        pinnedCertificate: null,
        maxConcurrency: 8,
        timeoutSeconds: 30,
      },
      password: async () => 'manager',
      http: createHttpClientFactory(),
      clock: systemClock(),
      logger,
      isDryRun: () => false,
    });
    await connector.createUserField({ TableName: 'OINV', Name: 'JLM_OrderId', Description: 'Marketplace order id', Size: 50 });
    await connector.createUserField({ TableName: 'ORIN', Name: 'JLM_RefundId', Description: 'Marketplace refund id', Size: 50 });
    const toInvoice = created.filter((_, i) => i % MISSING_EVERY !== MISSING_EVERY - 1);
    let next = 0;
    const post = async () => {
      for (let i = next++; i < toInvoice.length; i = next++) {
        const c = toInvoice[i]!;
        const order = jl.state.orders.get(c.orderId)!;
        const shipping = order.lines.reduce((a, l) => a.plus(l.shippingNet), new Decimal(0));
        await connector.invoices.create({
          CardCode: 'C-JLM',
          NumAtCard: c.commercialId,
          DocumentLines: order.lines.map((l) => ({ ItemCode: l.sku, Quantity: l.quantity, Price: l.unitNet.toFixed(2), VatGroup: 'O1', WarehouseCode: '01' })),
          ...(shipping.isZero() ? {} : { DocumentAdditionalExpenses: [{ ExpenseCode: 1, LineTotal: shipping.toFixed(2), VatGroup: 'O1' }] }),
          U_JLM_OrderId: c.orderId,
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, post));
    const cycle = month.cycle!;
    console.log(
      `${orders} orders from ${month.from} to ${month.to}, ${toInvoice.length} invoices in SAP, one billing cycle of ${cycle.amount}; prepared in ${((performance.now() - prepared) / 1000).toFixed(1)} s`,
    );

    // The finance console: its own empty ledger, the marketplace governor's limits off.
    const engine = createSettlementEngine({
      sapUrl: sap.url,
      marketplaceUrl: jl.url,
      marketplaceKey: jl.apiKey,
      ledgerFile: tmp.file('finance.db'),
      governor: (clock) => new CallGovernor(clock, {}),
    });
    sap.clearCalls();
    jl.admin.clearCalls();
    let heapPeak = process.memoryUsage().heapUsed;
    const heapBefore = heapPeak;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 25);
    const started = performance.now();
    engine.runNow('settlement');
    await engine.idle();
    const msTotal = performance.now() - started;
    clearInterval(sampler);

    const [runRow] = await engine.query('runs.list', { flow: 'settlement', limit: 1 });
    const summary = (await engine.query('payouts.list', {})).rows[0]!;
    const detail = (await engine.query('payouts.get', { cycleId: summary.cycleId }))!;
    const tl02 = jl.admin.calls().filter((c) => c.operation === 'TL02').length;
    const sapGets = sap.calls().filter((c) => c.method === 'GET').length;
    const { pacingMs, runs } = await pacingFor(tl02);
    await engine.stop();

    console.log(`run ${runRow?.outcome}: ${JSON.stringify(runRow?.counts)}${runRow?.error ? ` — ${runRow.error}` : ''}`);
    console.log(
      `cycle ${summary.cycleId}: ${summary.read.lines} lines in ${summary.read.pages} pages, tie-out ${summary.tieOut}, ${summary.variances} variance lines, net payout ${detail.totals.netPayout} over ${detail.months.length} month(s)`,
    );
    console.log(`marketplace: ${tl02} TL02 calls; SAP: ${sapGets} reads; heap +${((heapPeak - heapBefore) / 1e6).toFixed(1)} MB at its peak`);
    console.log(
      `pacing by TL02's published limits (20 a minute, 60 an hour; not slept here): ${(pacingMs / 1000).toFixed(0)} s over ${runs} run(s) — limits off in this bench`,
    );
    console.log(
      JSON.stringify({
        lines: summary.read.lines,
        msTotal: Math.round(msTotal),
        linesPerSecond: Math.round(summary.read.lines / (msTotal / 1000)),
        pacingMs,
        tl02Calls: tl02,
        sapReads: sapGets,
        variances: summary.variances,
        heapPeakMb: new Decimal((heapPeak - heapBefore) / 1e6).toDecimalPlaces(1).toNumber(),
      }),
    );
  } finally {
    await Promise.all([sap.stop(), jl.stop()]);
    tmp.cleanup();
  }
}
