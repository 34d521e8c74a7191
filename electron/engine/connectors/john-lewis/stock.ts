import { importState } from './states';
import type { Clock } from '../../ports';
import type { StockImportOutcome, StockImportStatus, StockRejection, StockRow } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { MarketplaceError, MarketplaceRequestError } from './errors';
import { bool, int, obj, str } from './read';
import { buildStockCsv, parseStockErrorReport } from './stock-file';

const POLL_MS = 15_000;

/** Stock goes out by STO01 only: OF24 would reset every offer field it is not given (quantity to 0 included). */
export async function pushStock(client: MiraklClient, rows: readonly StockRow[]): Promise<string> {
  if (rows.length === 0) throw new MarketplaceRequestError('STO01', 'A stock import needs at least one line');
  for (const r of rows) {
    if (!Number.isInteger(r.quantity) || r.quantity < 0)
      throw new MarketplaceRequestError('STO01', `SKU ${r.sku}: quantity ${r.quantity} is not a whole number ≥ 0`);
  }
  const form = new FormData();
  form.append('file', new Blob([buildStockCsv(rows)], { type: 'text/csv' }), 'stock.csv');
  // The file is absolute quantities: sending it again after a lost answer does no harm.
  const { body } = await client.ok({ operation: 'STO01', method: 'POST', path: '/api/offers/stock/imports', idempotent: true, data: form });
  const importId = str(obj(body).import_id);
  if (!importId) throw new MarketplaceError('STO01', 201, 'STO01 returned no import_id', JSON.stringify(body), false);
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

/** STO02 until COMPLETE or FAILED, then STO03 when there is a report or lines in error (a COMPLETE can hide them). */
export async function awaitStockImport(client: MiraklClient, clock: Clock, importId: string, timeoutMs = 30 * 60_000): Promise<StockImportOutcome> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const status = await stockImportStatus(client, importId);
    if (status.state === 'complete' || status.state === 'failed') {
      const rejections = status.hasErrorReport || (status.linesInError ?? 0) > 0 ? await stockImportErrors(client, importId) : [];
      return { status, rejections };
    }
    if (clock.now() + POLL_MS > deadline)
      throw new MarketplaceError('STO02', null, `Stock import ${importId} still ${status.statusCode ?? 'unknown'} after ${timeoutMs} ms`, null, true);
    await clock.sleep(POLL_MS);
  }
}
