import type { Marketplace, StockRow } from '../../connectors/ports/marketplace';
import type { FlowContext } from '../flow';
import type { StockLine } from '../../../../shared/domain/stock';
import { classifyRejection, REJECTION_KINDS } from './rejections';
import { normaliseLines } from './delta';
import type { StockRepository } from './repository';
import { inSteps, STEP_ROWS, yieldToEventLoop } from './steps';

export interface ImportOutcome {
  importId: string | null;
  /** COMPLETE, FAILED, WAITING/RUNNING (still going: settled next cycle), or 'dry-run'. */
  status: string;
  sent: number;
  rejected: number;
}

/** The STO01 lines for these SKUs, an offer's warehouse lines together. */
export function stockRows(figures: Iterable<{ sku: string; lines: readonly StockLine[] }>): StockRow[] {
  const rows: StockRow[] = [];
  for (const { sku, lines } of figures) {
    for (const line of lines)
      rows.push(line.warehouseCode === null ? { sku, quantity: line.quantity } : { sku, quantity: line.quantity, warehouseCode: line.warehouseCode });
  }
  return rows;
}

/**
 * A stock upload as the outbox keeps it: how many SKUs and rows, and the rows themselves as text, one line each
 * (`sku;quantity` or `sku;quantity;warehouse`), fields separated by a semicolon (a field holding one is quoted, CSV
 * style). One copy, a third of the size of the rows as JSON objects; ledger/retention.ts cuts it to its first lines.
 */
export interface UploadPayload {
  skus: number;
  rowCount: number;
  lines: string;
}

const field = (value: string) => (/[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function uploadPayload(skus: number, rows: readonly StockRow[]): UploadPayload {
  const lines = rows.map((r) => `${field(r.sku)};${r.quantity}${r.warehouseCode === undefined ? '' : `;${field(r.warehouseCode)}`}`);
  return { skus, rowCount: rows.length, lines: lines.join('\n') };
}

/**
 * Sends one stock import (STO01) through the outbox: the lines are recorded first, so under dry run the
 * ledger keeps exactly the file that would have gone. Then waits for its outcome (STO02, STO03).
 */
export async function sendStockImport(
  ctx: FlowContext<'stock'>,
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  cycleId: number,
  upload: { skus: number; rows: readonly StockRow[] },
  timeoutMs: number,
): Promise<ImportOutcome> {
  const written = await ctx.write(
    { system: 'marketplace', operation: 'STO01', recordKey: `stock-cycle-${cycleId}`, payload: uploadPayload(upload.skus, upload.rows) },
    async () => {
      const importId = await marketplace.stock.push(upload.rows);
      return { result: importId, externalRef: importId };
    },
  );
  if (!written.sent) return { importId: null, status: 'dry-run', sent: 0, rejected: 0 };
  const importId = written.result;
  await inSteps(() => repo.markSentStep(cycleId, importId, STEP_ROWS));
  const settled = await settleImport(ctx, marketplace, repo, importId, timeoutMs);
  return { importId, ...settled, sent: upload.skus };
}

/** Rejections raised per step: each is an exception written to the ledger. */
const REJECTIONS_PER_STEP = 200;

/**
 * Reads an import's outcome and moves each SKU it carries on (from the ledger, a batch at a time): accepted lines
 * become the confirmed figure (and any rejection on that SKU is resolved), rejected lines become one exception per
 * SKU, a failed import is sent again next cycle. An import still running after the timeout stays in flight for the
 * next cycle.
 */
export async function settleImport(
  ctx: FlowContext<'stock'>,
  marketplace: Pick<Marketplace, 'stock'>,
  repo: StockRepository,
  importId: string,
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
    const size = repo.importSize(importId);
    await inSteps(() => repo.abandonStep(importId, STEP_ROWS));
    ctx.raise({
      type: 'stock-import-failed',
      record: { type: 'stock-import', key: importId },
      summary: `The marketplace failed stock import ${importId} as a whole: ${size} SKUs keep their old figure until it is sent again`,
      rawError: JSON.stringify(outcome.status.raw),
    });
    return { status: outcome.status.statusCode ?? 'failed', rejected: 0 };
  }
  ctx.resolve('stock-import-failed', { type: 'stock-import', key: importId });
  // An import the marketplace failed before this one was sent is over too: its SKUs went again, in this one or before.
  const sentAs = (id: string) => ctx.ledger.intents.byExternalRef('marketplace', 'STO01', id)?.id ?? null;
  const thisOne = sentAs(importId);
  for (const failed of ctx.ledger.exceptions.live('stock', 'stock-import-failed')) {
    const earlier = sentAs(failed.record.key);
    if (thisOne !== null && earlier !== null && earlier < thisOne) ctx.resolve('stock-import-failed', failed.record);
  }
  const reasons = new Map<string, string>();
  for (const r of outcome.rejections) if (r.sku) reasons.set(r.sku, reasons.has(r.sku) ? `${reasons.get(r.sku)}; ${r.reason}` : r.reason);
  const refused = [...reasons.keys()];
  let rejected = 0;
  for (let i = 0; i < refused.length; i += REJECTIONS_PER_STEP) {
    // Only the SKUs this import carries: a line the marketplace names for another SKU is not ours to refuse.
    const sent = repo.sentLines(importId, refused.slice(i, i + REJECTIONS_PER_STEP));
    const batch = [...sent].map(([sku, lines]) => ({ sku, lines, reason: reasons.get(sku)! }));
    repo.rejectMany(batch);
    for (const { sku, lines, reason } of batch) {
      const copy = classifyRejection({ reason });
      // The figure refused: a dismissed rejection stays quiet until a different figure is refused.
      ctx.raise({
        type: copy.kind,
        record: { type: 'sku', key: sku },
        summary: copy.summary(sku),
        rawError: reason,
        recordVersion: JSON.stringify(normaliseLines(lines)),
      });
    }
    rejected += batch.length;
    await yieldToEventLoop();
  }
  // The live rejections on SKUs that went through (one query per kind, not one per SKU): what is still in the import now was accepted.
  const live = REJECTION_KINDS.flatMap((kind) =>
    ctx.ledger.exceptions
      .live('stock', kind)
      .filter((e) => e.record.type === 'sku')
      .map((e) => ({ kind, record: e.record })),
  );
  const accepted = new Set<string>();
  const liveSkus = [...new Set(live.map((l) => l.record.key))];
  for (let i = 0; i < liveSkus.length; i += STEP_ROWS) for (const sku of repo.sentLines(importId, liveSkus.slice(i, i + STEP_ROWS)).keys()) accepted.add(sku);
  await inSteps(() => repo.confirmStep(importId, at, STEP_ROWS));
  for (const l of live) if (accepted.has(l.record.key)) ctx.resolve(l.kind, l.record);
  return { status: outcome.status.statusCode ?? outcome.status.state, rejected };
}
