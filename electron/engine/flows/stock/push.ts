import type { Marketplace, StockRow } from '../../connectors/ports/marketplace';
import type { FlowContext } from '../flow';
import type { StockLine } from '../../../../shared/domain/stock';
import { classifyRejection, REJECTION_KINDS } from './rejections';
import { normaliseLines } from './delta';
import type { StockRepository } from './repository';

export interface ImportOutcome {
  importId: string | null;
  /** COMPLETE, FAILED, WAITING/RUNNING (still going: settled next cycle), or 'dry-run'. */
  status: string;
  sent: number;
  rejected: number;
}

/** The STO01 lines for these SKUs, an offer's warehouse lines together. */
export function stockRows(lines: ReadonlyMap<string, StockLine[]>): StockRow[] {
  const rows: StockRow[] = [];
  for (const [sku, l] of lines) {
    for (const line of l)
      rows.push(line.warehouseCode === null ? { sku, quantity: line.quantity } : { sku, quantity: line.quantity, warehouseCode: line.warehouseCode });
  }
  return rows;
}

/**
 * Sends one stock import (STO01) through the outbox: the lines are recorded first, so under dry run the
 * ledger keeps exactly the file that would have gone. Then waits for its outcome (STO02, STO03).
 */
export async function sendStockImport(
  ctx: FlowContext,
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  cycleId: number,
  lines: ReadonlyMap<string, StockLine[]>,
  timeoutMs: number,
): Promise<ImportOutcome> {
  const rows = stockRows(lines);
  const written = await ctx.write(
    { system: 'marketplace', operation: 'STO01', recordKey: `stock-cycle-${cycleId}`, payload: { skus: lines.size, rows } },
    async () => {
      const importId = await marketplace.stock.push(rows);
      return { result: importId, externalRef: importId };
    },
  );
  if (!written.sent) return { importId: null, status: 'dry-run', sent: 0, rejected: 0 };
  const importId = written.result;
  repo.markSent(lines, importId);
  const settled = await settleImport(ctx, marketplace, repo, importId, lines, timeoutMs);
  return { importId, ...settled, sent: lines.size };
}

/**
 * Reads an import's outcome and moves each SKU on: accepted lines become the confirmed figure (and any
 * rejection on that SKU is resolved), rejected lines become one exception per SKU, a failed import is sent
 * again next cycle. An import still running after the timeout stays in flight for the next cycle.
 */
export async function settleImport(
  ctx: FlowContext,
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  importId: string,
  lines: ReadonlyMap<string, StockLine[]>,
  timeoutMs: number,
): Promise<{ status: string; rejected: number }> {
  let outcome;
  try {
    outcome = await marketplace.stock.awaitImport(importId, { timeoutMs });
  } catch (error) {
    ctx.logger.warn('Stock import not finished yet; its outcome is read next cycle', {
      importId,
      error: error instanceof Error ? error.message : String(error),
    });
    return { status: 'waiting', rejected: 0 };
  }
  const at = new Date(ctx.clock.now());
  if (outcome.status.state === 'failed') {
    repo.abandonImport(importId);
    ctx.raise({
      type: 'stock-import-failed',
      severity: 'error',
      category: 'technical',
      record: { type: 'stock-import', key: importId },
      summary: `The marketplace failed stock import ${importId} as a whole: ${lines.size} SKUs keep their old figure until it is sent again`,
      rawError: JSON.stringify(outcome.status.raw),
      suggestedAction:
        'Nothing to do if the next cycle’s import completes (it sends these SKUs again). If imports keep failing, contact John Lewis seller support with the import id.',
    });
    return { status: outcome.status.statusCode ?? 'failed', rejected: 0 };
  }
  ctx.resolve('stock-import-failed', { type: 'stock-import', key: importId });
  const rejectedSkus = new Map<string, string>();
  for (const r of outcome.rejections)
    if (r.sku && lines.has(r.sku)) rejectedSkus.set(r.sku, rejectedSkus.has(r.sku) ? `${rejectedSkus.get(r.sku)}; ${r.reason}` : r.reason);
  for (const [sku, reason] of rejectedSkus) {
    const copy = classifyRejection({ reason });
    repo.reject(sku, lines.get(sku)!, reason);
    // The figure refused: a dismissed rejection stays quiet until a different figure is refused.
    const recordVersion = JSON.stringify(normaliseLines(lines.get(sku)!));
    ctx.raise({
      type: copy.kind,
      severity: 'error',
      record: { type: 'sku', key: sku },
      summary: copy.summary(sku),
      rawError: reason,
      suggestedAction: copy.suggestedAction,
      recordVersion,
    });
  }
  const accepted = new Map([...lines].filter(([sku]) => !rejectedSkus.has(sku)));
  repo.confirm(accepted, at);
  // Resolve only the live rejections on SKUs that went through (one query per kind, not one per SKU).
  for (const kind of REJECTION_KINDS) {
    for (const e of ctx.ledger.exceptions.live('stock', kind)) if (e.record.type === 'sku' && accepted.has(e.record.key)) ctx.resolve(kind, e.record);
  }
  return { status: outcome.status.statusCode ?? outcome.status.state, rejected: rejectedSkus.size };
}
