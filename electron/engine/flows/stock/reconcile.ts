import type { Marketplace } from '../../connectors/ports/marketplace';
import type { ReconciliationRow, StockLine } from '../../../../shared/domain/stock';
import type { StockRepository } from './repository';
import { inSteps, STEP_ROWS, yieldToEventLoop } from './steps';

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
 * import lost). Lists SKUs mapped on one side only (against this cycle's staged read of SAP). The first one uses a
 * differential export from long ago (allowed once a minute); the nightly one uses the full export (allowed once a
 * day). The export's files are read a batch at a time into the cycle's staged offers, then compared with the figures
 * in chunks of SKUs, each its own short transaction.
 */
export async function reconcile(
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  perWarehouse: boolean,
  at: Date,
  timeoutMs: number,
  chunk = STEP_ROWS,
): Promise<ReconciliationResult> {
  const first = repo.state('reconciledAt') === null;
  for await (const offers of marketplace.stock.exportOffers(first ? { changedSince: BOOTSTRAP_SINCE, timeoutMs } : { timeoutMs })) {
    repo.stageOffers(offers.flatMap((o) => (o.sku ? [{ sku: o.sku, quantity: o.quantity ?? 0 }] : [])));
    await yieldToEventLoop();
  }

  let drift = 0;
  for (let after = ''; ;) {
    const figures = repo.figuresAgainstOffers(after, chunk);
    if (figures.length === 0) break;
    repo.saveReconciledFigures(
      figures.map((f) => {
        if (f.quantity === null) return { sku: f.sku, onMarketplace: false };
        if (f.confirmedAvailable === f.quantity) return { sku: f.sku, onMarketplace: true };
        if (f.confirmedAvailable !== null) drift++;
        // Per-warehouse figures cannot be rebuilt from a total: forget the baseline so every line is sent again.
        const baseline: StockLine[] | null = perWarehouse ? null : [{ warehouseCode: null, quantity: f.quantity }];
        return { sku: f.sku, onMarketplace: true, baseline };
      }),
      at,
    );
    after = figures[figures.length - 1]!.sku;
    await yieldToEventLoop();
  }

  let sapOnly = 0;
  for (let after: string | null = ''; after !== null;) {
    const { last, rows } = repo.sapOnlyChunk(after, chunk);
    repo.saveOneSide(
      rows.map((r): Omit<ReconciliationRow, 'seenAt'> => ({ sku: r.sku, itemCode: r.itemCode, side: 'sap-only', marketplaceQuantity: null })),
      at,
    );
    sapOnly += rows.length;
    after = last;
    await yieldToEventLoop();
  }
  let marketplaceOnly = 0;
  for (let after: string | null = ''; after !== null;) {
    const { last, rows } = repo.marketplaceOnlyChunk(after, chunk);
    repo.saveOneSide(
      rows.map((r): Omit<ReconciliationRow, 'seenAt'> => ({ sku: r.sku, itemCode: null, side: 'marketplace-only', marketplaceQuantity: r.quantity })),
      at,
    );
    marketplaceOnly += rows.length;
    after = last;
    await yieldToEventLoop();
  }
  // What an earlier reconciliation listed and this one did not find goes; then the time says the lists are this one's.
  await inSteps(() => repo.dropOneSideStep(at, STEP_ROWS));
  repo.setState('reconciledAt', at.toISOString());
  return { offers: repo.stagedOfferCount(), drift, sapOnly, marketplaceOnly };
}
