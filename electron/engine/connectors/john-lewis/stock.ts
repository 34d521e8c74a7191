import { importState } from './states';
import type { Clock } from '../../ports';
import type { StockImportOutcome, StockImportStatus, StockRejection, StockRow } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { MarketplaceError, MarketplaceRequestError } from './errors';
import { bool, int, obj, str } from './read';
import { buildStockCsvInChunks, parseStockErrorReport } from './stock-file';
import type { StockImportPace } from './stock-pace';
import { PUBLISHED_MAXIMA } from './limits';

/** STO02's published maximum: once every 15 seconds. */
const STO02_GAP_MS = Math.max(...PUBLISHED_MAXIMA.STO02!.map((w) => w.windowMs / w.limit));

/**
 * Stock goes out by STO01 only: OF24 would reset every offer field it is not given (quantity to 0 included).
 * `pace` learns from the import's size and when it went how soon to ask about it (awaitStockImport).
 */
export async function pushStock(client: MiraklClient, rows: readonly StockRow[], pace?: { pace: StockImportPace; clock: Clock }): Promise<string> {
  if (rows.length === 0) throw new MarketplaceRequestError('STO01', 'A stock import needs at least one line');
  for (const r of rows) {
    if (!Number.isInteger(r.quantity) || r.quantity < 0)
      throw new MarketplaceRequestError('STO01', `SKU ${r.sku}: quantity ${r.quantity} is not a whole number ≥ 0`);
  }
  const form = new FormData();
  form.append('file', new Blob(await buildStockCsvInChunks(rows), { type: 'text/csv' }), 'stock.csv');
  // When the file goes (after any wait for STO01's window): the marketplace starts the import's clock about then.
  const sentAt = pace ? pace.clock.now() + client.governor.waitTime('STO01') : 0;
  // The file is absolute quantities: sending it again after a lost answer does no harm.
  const { body } = await client.ok({ operation: 'STO01', method: 'POST', path: '/api/offers/stock/imports', idempotent: true, data: form });
  const importId = str(obj(body).import_id);
  if (!importId) throw new MarketplaceError('STO01', 201, 'STO01 returned no import_id', JSON.stringify(body), false);
  pace?.pace.sent(importId, rows.length, sentAt);
  return importId;
}

export async function stockImportStatus(client: MiraklClient, importId: string): Promise<StockImportStatus> {
  const { body } = await client.ok({
    operation: 'STO02',
    method: 'GET',
    path: `/api/offers/stock/imports/${encodeURIComponent(importId)}/status`,
    idempotent: true,
  });
  const b = obj(body);
  return {
    importId: str(b.import_id) ?? importId,
    state: importState(str(b.status)),
    statusCode: str(b.status),
    hasErrorReport: bool(b.has_error_report) ?? false,
    linesInSuccess: int(b.lines_in_success),
    linesInError: int(b.lines_in_error),
    raw: b,
  };
}

export async function stockImportErrors(client: MiraklClient, importId: string): Promise<StockRejection[]> {
  const { text } = await client.ok({
    operation: 'STO03',
    method: 'GET',
    path: `/api/offers/stock/imports/${encodeURIComponent(importId)}/error_report`,
    idempotent: true,
  });
  return parseStockErrorReport(text);
}

/**
 * STO02 until COMPLETE or FAILED, then STO03 when there is a report or lines in error (a COMPLETE can hide them).
 * No fixed sleep: the first poll goes when the import is expected to be finished (learned from this connector's
 * earlier imports, by `pace`), each later one when the import's own progress says it will be; the governor keeps
 * STO02 within its published once-every-15-seconds. Without `pace`: at once, then as often as STO02 allows.
 */
export async function awaitStockImport(
  client: MiraklClient,
  clock: Clock,
  importId: string,
  timeoutMs = 30 * 60_000,
  pace?: StockImportPace,
): Promise<StockImportOutcome> {
  const deadline = clock.now() + timeoutMs;
  let next = pace ? Math.min(deadline, pace.firstPoll(importId, clock.now())) : clock.now();
  for (;;) {
    if (next > clock.now()) await clock.sleep(next - clock.now());
    const askedAt = clock.now();
    const status = await stockImportStatus(client, importId);
    const answeredAt = clock.now();
    if (status.state === 'complete' || status.state === 'failed') {
      pace?.finished(importId, { askedAt, answeredAt, status });
      const rejections = status.hasErrorReport || (status.linesInError ?? 0) > 0 ? await stockImportErrors(client, importId) : [];
      return { status, rejections };
    }
    // The governor holds STO02 to its published maximum; the same gap here keeps a governor without limits from hammering it.
    const earliest = answeredAt + Math.max(client.governor.waitTime('STO02'), STO02_GAP_MS);
    next = pace ? pace.nextPoll(importId, { askedAt, answeredAt, status }, earliest) : earliest;
    if (next > deadline)
      throw new MarketplaceError('STO02', null, `Stock import ${importId} still ${status.statusCode ?? 'unknown'} after ${timeoutMs} ms`, null, true);
  }
}
