import type { Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { RunCounts } from '../../../../shared/domain/flows';
import type { StockLine } from '../../../../shared/domain/stock';
import { needsSending } from './delta';
import { itemsTouchedBySapDocuments } from './fast-lane';
import { sendStockImport, settleImport } from './push';
import { expectedWarehouses, readSapStock, traitsOf, type StockRead } from './read';
import { reconcile } from './reconcile';
import { REJECTION_KINDS } from './rejections';
import type { ComputedFigure, CycleResult, FigureRow, StockRepository } from './repository';
import { computeAvailability, type WarehouseTraits } from './rule';
import { reconciliationDue } from './schedule';

export interface CycleDeps {
  sap: Sap;
  /** The marketplace capabilities the stock flow uses. */
  marketplace: Pick<Marketplace, 'stock'>;
  repo: StockRepository;
  /** Units of a SKU on marketplace orders SAP did not hold as Sales Orders when its stock was read at `readAt`. */
  reserved?: (sku: string, readAt: string) => number;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** How long a cycle waits for an import or an export: the cadence, at least 2 and at most 10 minutes. */
const waitBudget = (ctx: FlowContext) => Math.min(10 * 60_000, Math.max(2 * 60_000, ctx.settings.flows.stock.cadenceSeconds * 1000));

/**
 * One stock cycle: settle imports still in flight, read SAP's warehouses and every item's stock (the stored SQL
 * query, or pages of Items where SAP has no SQL queries or refuses them), compute each SKU's
 * figure, hold back SKUs a silent warehouse holds, reconcile with the marketplace when due, and send the
 * SKUs whose figure changed in one stock import (fast lane first).
 */
export async function runStockCycle(ctx: FlowContext, deps: CycleDeps): Promise<RunCounts> {
  const { sap, marketplace, repo } = deps;
  const settings = ctx.settings.stock;
  const now = () => new Date(ctx.clock.now());
  const cycleId = repo.startCycle(ctx.runId, now(), ctx.dryRun);
  const result: CycleResult = {
    skusRead: 0,
    changed: 0,
    sent: 0,
    rejected: 0,
    held: 0,
    fastLane: 0,
    warehousesExpected: [],
    warehousesMissing: [],
    readPath: null,
    readFallback: null,
    importId: null,
    importStatus: null,
    reconciled: false,
    drift: 0,
    error: null,
  };
  try {
    for (const [importId, lines] of repo.inFlight()) {
      result.rejected += (await settleImport(ctx, marketplace, repo, importId, lines, waitBudget(ctx))).rejected;
    }

    const sapWarehouses = await readSapWarehouses(ctx, sap, repo, settings.warehouses.include.length === 0);
    const expected = expectedWarehouses(settings, sapWarehouses);
    result.warehousesExpected = expected;
    const touched = await itemsTouchedBySapDocuments(sap, repo).catch((e: unknown) => {
      ctx.logger.warn('Could not read SAP documents for the fast lane; every SKU is still read', { error: errorText(e) });
      return { itemCodes: new Set<string>(), commit: () => undefined };
    });

    const readAt = now().toISOString();
    let read: StockRead;
    try {
      const identity = [ctx.settings.sap?.baseUrl, ctx.settings.sap?.companyDb, ctx.settings.sap?.userName].join('|');
      read = await readSapStock(sap, expected, { repo, identity, now: new Date(readAt), sapWarehouseCount: sapWarehouses.size });
    } catch (error) {
      result.warehousesMissing = expected;
      for (const w of expected) raiseWarehouse(ctx, w, errorText(error));
      throw error;
    }

    result.readPath = read.path;
    result.readFallback = read.fallback;
    if (read.fallback?.since === readAt) {
      ctx.logger.warn('SAP stock read through Items: the stored SQL query cannot be used on this Service Layer', {
        cause: read.fallback.cause,
        sapMessage: read.fallback.sapMessage,
        recheckAt: read.fallback.recheckAt,
      });
    }
    const missing = expected.filter((w) => !read.answered.has(w));
    result.warehousesMissing = missing;
    for (const w of expected) if (!missing.includes(w)) ctx.resolve('warehouse-unanswered', { type: 'warehouse', key: w });
    for (const w of missing)
      raiseWarehouse(ctx, w, `No stock line for warehouse ${w} in this cycle's read of SAP (the warehouse may be missing, inactive or renamed in SAP)`);

    const before = repo.figures();
    const overrides = repo.mappingOverrides();
    const heldIn = new Map(missing.map((w) => [w, repo.skusHeldIn(w)]));
    const computed: ComputedFigure[] = [];
    const held = new Map<string, { itemCode: string; heldBy: string[] }>();
    const sapSkus = new Map<string, string>();
    for (const [itemCode, stock] of read.items) {
      const sku = overrides.get(itemCode) ?? itemCode;
      sapSkus.set(sku, itemCode);
      const prior = before.get(sku);
      // Atomic: a SKU a silent warehouse holds (or may hold: never read complete) keeps its last figure.
      const heldBy = missing.filter((w) => heldIn.get(w)!.has(sku) || !prior || prior.lines.length === 0);
      if (heldBy.length) {
        held.set(sku, { itemCode, heldBy });
        continue;
      }
      computed.push({ sku, itemCode, stock, ...computeAvailability(sku, stock, settings, deps.reserved?.(sku, readAt) ?? 0, sapWarehouses) });
    }
    result.skusRead = read.items.size;
    result.held = held.size;
    // Stamped with the time SAP was read: reservations are counted against that moment.
    repo.saveCycleFigures(computed, held, [...read.answered], new Date(readAt));

    if (reconciliationDue(repo.state('reconciledAt'), ctx.clock.now(), settings.fullReconciliationAt)) {
      try {
        const r = await reconcile(marketplace, repo, sapSkus, Object.keys(settings.marketplaceWarehouses).length > 0, now(), waitBudget(ctx));
        result.reconciled = true;
        result.drift = r.drift;
        ctx.resolve('reconciliation-failed', { type: 'flow', key: 'stock' });
        ctx.logger.info('Full stock reconciliation', { ...r });
      } catch (error) {
        ctx.raise({
          type: 'reconciliation-failed',
          severity: 'warning',
          category: 'technical',
          record: { type: 'flow', key: 'stock' },
          summary: 'The nightly stock reconciliation could not read the marketplace’s offers; stock still goes out as changes, but drift is not corrected',
          rawError: errorText(error),
          suggestedAction: 'Nothing if the next cycle reconciles. If it keeps failing, check the marketplace connection on the Overview screen.',
        });
      }
    }

    const figures = repo.figures();
    const retry = new Set(
      REJECTION_KINDS.flatMap((k) =>
        ctx.ledger.exceptions
          .live('stock', k)
          .filter((e) => e.state === 'retrying' && e.record.type === 'sku')
          .map((e) => e.record.key),
      ),
    );
    const changed = computed
      .map((c) => figures.get(c.sku)!)
      .filter(
        (f) =>
          f.onMarketplace !== false &&
          needsSending({ computed: f.lines, confirmed: f.confirmedLines, inFlight: f.sentLines, rejected: f.rejectedLines, retryRequested: retry.has(f.sku) }),
      );
    result.changed = changed.length;
    const isTouched = (f: FigureRow) => f.touchedAt !== null || touched.itemCodes.has(f.itemCode);
    const ordered = [...changed.filter(isTouched), ...changed.filter((f) => !isTouched(f))];
    const batch = ordered.slice(0, settings.maxLinesPerImport);
    result.fastLane = batch.filter(isTouched).length;

    if (batch.length) {
      const lines = new Map<string, StockLine[]>(batch.map((f) => [f.sku, f.lines]));
      const outcome = await sendStockImport(ctx, marketplace, repo, cycleId, lines, waitBudget(ctx));
      result.sent += outcome.sent;
      result.rejected += outcome.rejected;
      result.importId = outcome.importId;
      result.importStatus = outcome.status;
    }
    // SKUs left for the next cycle by the line limit keep their fast-lane mark; the rest are current now.
    const carried = new Set(ordered.slice(settings.maxLinesPerImport).map((f) => f.sku));
    repo.clearTouched(computed.map((c) => c.sku).filter((sku) => !carried.has(sku) && figures.get(sku)?.touchedAt));
    touched.commit();
    return { read: result.skusRead, changed: result.changed, sent: result.sent, rejected: result.rejected, held: result.held };
  } catch (error) {
    result.error = errorText(error);
    throw error;
  } finally {
    repo.finishCycle(cycleId, now(), result);
  }
}

/**
 * SAP's warehouses and what decides whether each counts by default, kept in the ledger for the breakdown.
 * Needed when no warehouse is listed in settings; with a list, a failed read falls back to the last one kept.
 */
async function readSapWarehouses(ctx: FlowContext, sap: Sap, repo: StockRepository, required: boolean): Promise<Map<string, WarehouseTraits>> {
  try {
    const traits = traitsOf(await sap.stock.warehouses());
    repo.saveSapWarehouses(traits);
    return traits;
  } catch (error) {
    if (required) throw error;
    ctx.logger.warn('Could not read SAP’s warehouses; the included warehouses are counted as listed', { error: errorText(error) });
    return repo.sapWarehouses();
  }
}

function raiseWarehouse(ctx: FlowContext, warehouse: string, rawError: string): void {
  ctx.raise({
    type: 'warehouse-unanswered',
    severity: 'error',
    record: { type: 'warehouse', key: warehouse },
    summary: `SAP warehouse ${warehouse} did not answer: stock for the SKUs it holds is not sent until it does`,
    rawError,
    suggestedAction: `Check warehouse ${warehouse} in SAP (does it exist, is it active, is its code right in Stock settings?). If it should no longer count, exclude it in Stock settings. Stock for the other SKUs keeps flowing.`,
  });
}
