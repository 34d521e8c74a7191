import type { SkuBreakdown } from '../../../../shared/domain/stock';
import type { Settings } from '../../../../shared/domain/settings';
import type { QueryHandlers } from '../flow';
import { toSkuStock, type StockRepository } from './repository';
import { computeAvailability } from './rule';

/**
 * A SKU's figure warehouse by warehouse. The warehouse lines are the last ones SAP returned; which of them
 * count is shown with the stock settings as they are now (a settings change shows here before the next cycle sends it)
 * and SAP's warehouses as last read (inactive, not nettable, drop-ship).
 */
export function skuBreakdown(repo: StockRepository, settings: Settings, sku: string): SkuBreakdown | null {
  const f = repo.figure(sku);
  if (!f || f.lines.length === 0) return null;
  const recomputed = computeAvailability(sku, repo.warehouseLines(sku), settings.stock, 0, repo.sapWarehouses());
  return {
    ...toSkuStock(f),
    warehouses: recomputed.warehouses,
    sum: f.sum,
    buffer: f.buffer,
    reserved: f.reserved,
    cap: settings.stock.cap,
    includeOrdered: settings.stock.includeOrdered,
    lines: f.lines,
  };
}

/** The Stock screen's queries (shared/contract/stock.ts), answered from the ledger. */
export function stockQueryHandlers(repo: StockRepository, settings: () => Settings): QueryHandlers {
  return {
    'stock.lastCycle': () => repo.lastCycle(),
    'stock.skus': (req) => repo.listSkus(req),
    'stock.breakdown': (req) => skuBreakdown(repo, settings(), req.sku.trim()),
    'stock.reconciliation': (req) => repo.listReconciliation(req),
  };
}
