import type { Marketplace } from '../../connectors/ports/marketplace';
import type { ReconciliationRow, StockLine } from '../../../../shared/domain/stock';
import type { FigureRow, StockRepository } from './repository';

/** A differential export from long ago returns every offer without using the once-a-day full export. */
const BOOTSTRAP_SINCE = '2000-01-01T00:00:00Z';

export interface ReconciliationResult {
  offers: number;
  /** SKUs whose marketplace quantity differed from the last figure it confirmed. */
  drift: number;
  sapOnly: number;
  marketplaceOnly: number;
}

/**
 * The full reconciliation: reads every offer's quantity from the marketplace and takes it as the confirmed
 * baseline, so the delta that follows corrects any drift (a figure changed on the marketplace's side, an
 * import lost). Lists SKUs mapped on one side only. The first one uses a differential export from long ago
 * (allowed once a minute); the nightly one uses the full export (allowed once a day).
 */
export async function reconcile(
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  sapSkus: ReadonlyMap<string, string>,
  perWarehouse: boolean,
  at: Date,
  timeoutMs: number,
): Promise<ReconciliationResult> {
  const first = repo.state('reconciledAt') === null;
  const offers = await marketplace.stock.exportOffers(first ? { changedSince: BOOTSTRAP_SINCE, timeoutMs } : { timeoutMs });
  const onMarketplace = new Map<string, number>();
  for (const o of offers) if (o.sku) onMarketplace.set(o.sku, o.quantity ?? 0);

  const figures = repo.figures();
  const confirmed = new Map<string, StockLine[] | null>();
  let drift = 0;
  for (const [sku, quantity] of onMarketplace) {
    const f: FigureRow | undefined = figures.get(sku);
    if (!f) continue;
    if (f.confirmedAvailable === quantity) continue;
    if (f.confirmedAvailable !== null) drift++;
    // Per-warehouse figures cannot be rebuilt from a total: forget the baseline so every line is sent again.
    confirmed.set(sku, perWarehouse ? null : [{ warehouseCode: null, quantity }]);
  }
  const oneSide: Omit<ReconciliationRow, 'seenAt'>[] = [];
  for (const [sku, itemCode] of sapSkus) if (!onMarketplace.has(sku)) oneSide.push({ sku, itemCode, side: 'sap-only', marketplaceQuantity: null });
  for (const [sku, quantity] of onMarketplace)
    if (!sapSkus.has(sku)) oneSide.push({ sku, itemCode: null, side: 'marketplace-only', marketplaceQuantity: quantity });
  repo.saveReconciliation(onMarketplace, confirmed, oneSide, at);
  return {
    offers: onMarketplace.size,
    drift,
    sapOnly: oneSide.filter((r) => r.side === 'sap-only').length,
    marketplaceOnly: oneSide.filter((r) => r.side === 'marketplace-only').length,
  };
}
