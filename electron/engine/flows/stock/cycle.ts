import type { Marketplace, StockRow } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { FlowContext } from '../flow';
import type { RunCounts } from '../../../../shared/domain/flows';
import type { StockLine } from '../../../../shared/domain/stock';
import { needsSending } from './delta';
import { itemsTouchedBySapDocuments } from './fast-lane';
import { sendStockImport, settleImport, stockRows } from './push';
import { expectedWarehouses, readSapStock, traitsOf, type StockRead } from './read';
import { reconcile } from './reconcile';
import { REJECTION_KINDS } from './rejections';
import { toWarehouseStock, type ComputedFigure, type CycleResult, type DeltaState, type HeldFigure, type StockRepository } from './repository';
import { createHash } from 'node:crypto';
import { computeAvailability, type StockRuleSettings, type WarehouseTraits } from './rule';
import { reconciliationDue } from './schedule';
import { inSteps, STEP_ROWS, yieldToEventLoop } from './steps';

export interface CycleDeps {
  sap: Sap;
  /** The marketplace capabilities the stock flow uses. */
  marketplace: Pick<Marketplace, 'stock'>;
  repo: StockRepository;
  /**
   * Units on marketplace orders SAP did not hold as Sales Orders when its stock was read at `readAt`, for every SKU
   * that has any (one grouped query).
   */
  reserved?: (readAt: string) => ReadonlyMap<string, number>;
  /** SKUs computed, saved and selected per step (each step one short transaction, then a yield to the event loop). */
  chunkSkus?: number;
}

/** SKUs per step of the cycle: about 2,000 warehouse rows, some 20 ms of work and SQLite. */
export const CHUNK_SKUS = 500;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** How long a cycle waits for an import or an export: the cadence, at least 2 and at most 10 minutes. */
const waitBudget = (ctx: FlowContext<'stock'>) => Math.min(10 * 60_000, Math.max(2 * 60_000, ctx.settings.flows.stock.cadenceSeconds * 1000));

/** What the rule's result depends on besides a SKU's own rows and reservations: its settings and SAP's warehouses. */
function ruleKeyOf(settings: StockRuleSettings, sapWarehouses: ReadonlyMap<string, WarehouseTraits>): string {
  const { warehouses, includeOrdered, buffer, skuBuffers, cap, marketplaceWarehouses } = settings;
  const inputs = { warehouses, includeOrdered, buffer, skuBuffers, cap, marketplaceWarehouses, sap: [...sapWarehouses].sort(([a], [b]) => (a < b ? -1 : 1)) };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('base64url').slice(0, 22);
}

/** Whether a SKU's new figure must go: on the marketplace (or not known not to be) and different from what it has or is getting. */
function mustSend(lines: readonly StockLine[], prior: Omit<DeltaState, 'lines'> | null, retryRequested: boolean): boolean {
  return (
    prior?.onMarketplace !== false &&
    needsSending({
      computed: lines,
      confirmed: prior?.confirmedLines ?? null,
      inFlight: prior?.sentLines ?? null,
      rejected: prior?.rejectedLines ?? null,
      retryRequested,
    })
  );
}

/**
 * One stock cycle: settle imports still in flight, read SAP's warehouses and every item's stock (the stored SQL
 * query, or pages of Items where SAP has no SQL queries or refuses them) into the cycle's staged read, compute each
 * SKU's figure a chunk of SKUs at a time, hold back SKUs a silent warehouse holds, reconcile with the marketplace when
 * due, and send the SKUs whose figure changed in one stock import (fast lane first). Nothing holds every SKU in
 * memory, and every step is a short transaction followed by a yield to the event loop (docs/decisions/0304).
 */
export async function runStockCycle(ctx: FlowContext<'stock'>, deps: CycleDeps): Promise<RunCounts> {
  const { sap, marketplace, repo } = deps;
  const settings = ctx.settings.stock;
  const chunk = deps.chunkSkus ?? CHUNK_SKUS;
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
    for (const importId of repo.inFlightImports()) {
      result.rejected += (await settleImport(ctx, marketplace, repo, importId, waitBudget(ctx))).rejected;
    }

    const sapWarehouses = await readSapWarehouses(ctx, sap, repo, settings.warehouses.include.length === 0);
    const expected = expectedWarehouses(settings, sapWarehouses);
    result.warehousesExpected = expected;
    const touched = await itemsTouchedBySapDocuments(sap, repo).catch((e: unknown) => {
      ctx.logger.warn('Could not read SAP documents for the fast lane; every SKU is still read', { error: errorText(e) });
      return { itemCodes: new Set<string>(), commit: () => undefined };
    });

    const overrides = repo.mappingOverrides();
    const skuOf = (itemCode: string) => overrides.get(itemCode) ?? itemCode;
    const readAt = now().toISOString();
    let read: StockRead;
    try {
      const identity = [ctx.settings.sap?.baseUrl, ctx.settings.sap?.companyDb, ctx.settings.sap?.userName].join('|');
      read = await readSapStock(sap, expected, { repo, skuOf, identity, now: new Date(readAt), sapWarehouseCount: sapWarehouses.size });
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

    const retry = new Set(
      REJECTION_KINDS.flatMap((k) =>
        ctx.ledger.exceptions
          .live('stock', k)
          .filter((e) => e.state === 'retrying' && e.record.type === 'sku')
          .map((e) => e.record.key),
      ),
    );
    const reserved = deps.reserved?.(readAt) ?? new Map<string, number>();
    const answered = [...read.answered];
    // Stamped with the time SAP was read: reservations are counted against that moment.
    const computedAt = new Date(readAt);
    const ruleKey = ruleKeyOf(settings, sapWarehouses);
    for (let after = ''; ;) {
      const items = repo.stagedChunk(after, chunk, missing);
      if (items.length === 0) break;
      const computed: ComputedFigure[] = [];
      const unchanged: { sku: string; needsSend: boolean }[] = [];
      const held: HeldFigure[] = [];
      for (const item of items) {
        const { prior } = item;
        // Atomic: a SKU a silent warehouse holds (or may hold: never read complete) keeps its last figure.
        const heldBy = missing.filter((w) => item.heldIn.includes(w) || !prior || prior.lines.length === 0);
        if (heldBy.length) {
          held.push({ sku: item.sku, itemCode: item.itemCode, heldBy });
          continue;
        }
        const reservedUnits = reserved.get(item.sku) ?? 0;
        // The same rows, reservations, settings and SAP warehouses as when its figure was computed: the same figure.
        if (
          prior &&
          item.sameRows &&
          prior.heldBy === null &&
          prior.ruleKey === ruleKey &&
          prior.itemCode === item.itemCode &&
          prior.reserved === reservedUnits
        ) {
          unchanged.push({ sku: item.sku, needsSend: mustSend(prior.lines, prior, retry.has(item.sku)) });
          continue;
        }
        const figure = computeAvailability(item.sku, item.stockText.map(toWarehouseStock), settings, reservedUnits, sapWarehouses);
        computed.push({
          sku: item.sku,
          itemCode: item.itemCode,
          stockText: item.stockText,
          available: figure.available,
          lines: figure.lines,
          sum: figure.sum,
          buffer: figure.buffer,
          reserved: figure.reserved,
          grossAvailable: figure.grossAvailable,
          needsSend: mustSend(figure.lines, prior, retry.has(item.sku)),
        });
      }
      repo.saveChunk(cycleId, ruleKey, { computed, unchanged, held }, answered, computedAt);
      result.skusRead += items.length;
      result.held += new Set(held.map((h) => h.sku)).size;
      after = items[items.length - 1]!.sku;
      await yieldToEventLoop();
    }

    if (reconciliationDue(repo.state('reconciledAt'), ctx.clock.now(), settings.fullReconciliationAt)) {
      try {
        const r = await reconcile(marketplace, repo, Object.keys(settings.marketplaceWarehouses).length > 0, now(), waitBudget(ctx), chunk);
        result.reconciled = true;
        result.drift = r.drift;
        ctx.resolve('reconciliation-failed', { type: 'flow', key: 'stock' });
        ctx.logger.info('Full stock reconciliation', { ...r });
        // The marketplace's quantities are the baseline now: decide again which figures must go.
        for (let after = ''; ;) {
          const figures = repo.cycleFigures(cycleId, after, chunk);
          if (figures.length === 0) break;
          repo.setNeedsSend(figures.map((f) => ({ sku: f.sku, needsSend: mustSend(f.lines, f, retry.has(f.sku)) })));
          after = figures[figures.length - 1]!.sku;
          await yieldToEventLoop();
        }
      } catch (error) {
        ctx.raise({
          type: 'reconciliation-failed',
          record: { type: 'flow', key: 'stock' },
          summary: 'The nightly stock reconciliation could not read the marketplace’s offers; stock still goes out as changes, but drift is not corrected',
          rawError: errorText(error),
        });
      }
    }

    result.changed = repo.changedCount(cycleId);
    // The import: the fast lane first (SKUs on new marketplace orders or on SAP documents since the last cycle), then
    // the rest in SKU order, up to the line limit; what is left goes next cycle.
    const limit = settings.maxLinesPerImport;
    const rows: StockRow[] = [];
    let skus = 0;
    const fastLane = [...new Set([...repo.touchedSkus(), ...[...touched.itemCodes].map(skuOf)])];
    for (let i = 0; i < fastLane.length && skus < limit; i += chunk) {
      const chosen = repo.chooseForImport(cycleId, limit - skus, { skus: fastLane.slice(i, i + chunk) });
      rows.push(...stockRows(chosen));
      skus += chosen.length;
      result.fastLane += chosen.length;
      await yieldToEventLoop();
    }
    for (let after = ''; skus < limit;) {
      const chosen = repo.chooseForImport(cycleId, Math.min(chunk, limit - skus), { afterSku: after });
      if (chosen.length === 0) break;
      rows.push(...stockRows(chosen));
      skus += chosen.length;
      after = chosen[chosen.length - 1]!.sku;
      await yieldToEventLoop();
    }

    if (skus) {
      const outcome = await sendStockImport(ctx, marketplace, repo, cycleId, { skus, rows }, waitBudget(ctx));
      result.sent += outcome.sent;
      result.rejected += outcome.rejected;
      result.importId = outcome.importId;
      result.importStatus = outcome.status;
    }
    // SKUs left for the next cycle by the line limit keep their fast-lane mark; the rest are current now.
    await inSteps(() => repo.clearTouchedStep(cycleId, STEP_ROWS));
    touched.commit();
    return { read: result.skusRead, changed: result.changed, sent: result.sent, rejected: result.rejected, held: result.held };
  } catch (error) {
    result.error = errorText(error);
    throw error;
  } finally {
    repo.finishCycle(cycleId, now(), result);
    // The staged read is only this cycle's: its space goes back now, not at the next cycle.
    repo.clearStaged();
  }
}

/**
 * SAP's warehouses and what decides whether each counts by default, kept in the ledger for the breakdown.
 * Needed when no warehouse is listed in settings; with a list, a failed read falls back to the last one kept.
 */
async function readSapWarehouses(ctx: FlowContext<'stock'>, sap: Sap, repo: StockRepository, required: boolean): Promise<Map<string, WarehouseTraits>> {
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

function raiseWarehouse(ctx: FlowContext<'stock'>, warehouse: string, rawError: string): void {
  ctx.raise({
    type: 'warehouse-unanswered',
    record: { type: 'warehouse', key: warehouse },
    summary: `SAP warehouse ${warehouse} did not answer: stock for the SKUs it holds is not sent until it does`,
    rawError,
  });
}
