import type { Connections } from '../../connectors/connections';
import type { Ledger } from '../../ledger';
import type { Clock } from '../../ports';
import type { Settings } from '../../../../shared/domain/settings';
import type { Flow } from '../flow';
import { runStockCycle } from './cycle';
import { stockQueryHandlers } from './queries';
import { StockRepository } from './repository';

export interface StockFlowDeps {
  connections: Connections;
  ledger: Ledger;
  settings: () => Settings;
  clock: Clock;
  /** Units per SKU on marketplace orders not yet Sales Orders in SAP when stock was read (the orders flow's ledger), in one query. */
  reserved?: (readAt: string) => ReadonlyMap<string, number>;
  /** SKUs per step of a cycle (default CHUNK_SKUS); tests make it small to cross step boundaries. */
  chunkSkus?: number;
}

/** What other flows may ask of the stock flow. */
export interface StockFlow extends Flow<'stock'> {
  readonly repository: StockRepository;
  /**
   * The last figure computed for a SKU (from the ledger), e.g. for the orders flow to check an order line
   * against it; null when the SKU has never been read.
   */
  availabilityFor(sku: string): { available: number; grossAvailable: number; computedAt: string } | null;
  /** Puts SKUs in the fast lane: the orders flow calls this for SKUs on new marketplace orders. */
  markTouched(skus: Iterable<string>): void;
}

/**
 * The stock flow (issue 5): SAP B1 availability to the marketplace, every included warehouse, atomic per
 * SKU, delta against what the marketplace confirmed, one stock import per cycle. See docs/stock.md.
 */
export function stockFlow(deps: StockFlowDeps): StockFlow {
  const repo = new StockRepository(deps.ledger.db);
  return {
    name: 'stock',
    repository: repo,
    queries: stockQueryHandlers(repo, deps.settings),
    async run(ctx) {
      const sap = deps.connections.sap();
      const marketplace = deps.connections.marketplace();
      if (!sap) throw new Error('No SAP connection in Settings: stock cannot be read');
      if (!marketplace) throw new Error('No marketplace connection in Settings: stock cannot be sent');
      return runStockCycle(ctx, {
        sap,
        marketplace,
        repo,
        ...(deps.reserved ? { reserved: deps.reserved } : {}),
        ...(deps.chunkSkus ? { chunkSkus: deps.chunkSkus } : {}),
      });
    },
    availabilityFor(sku) {
      const f = repo.figure(sku);
      return f && f.lines.length ? { available: f.available, grossAvailable: f.grossAvailable, computedAt: f.computedAt } : null;
    },
    markTouched(skus) {
      repo.touch(skus, new Date(deps.clock.now()));
    },
  };
}

export { computeAvailability, isIncluded, whyNotCounted, bufferFor } from './rule';
export { needsSending, sameLines } from './delta';
export { classifyRejection } from './rejections';
export { StockRepository } from './repository';
