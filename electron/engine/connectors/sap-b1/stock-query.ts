import type { StockRead, StockReadOptions, StockRow, SqlQueryUnusable } from '../ports/sap';
import Decimal from 'decimal.js';
import type { SapClient } from './client';
import { isDryRunBlocked } from '../../net/errors';
import { SapError, SapNotFoundError } from './errors';
import { keyPath, sapQuery } from './query';

/**
 * The stock query: one stored SQL query over OITW (stock per item and warehouse), read with large pages.
 * One query instead of 20,000 Items(...) calls keeps the load on SAP small. OITW's column names are the
 * database's (OnHand, IsCommited — sic), not Service Layer property names.
 */
export const STOCK_QUERY = {
  SqlCode: 'JLMConsoleStock',
  SqlName: 'Marketplace console: stock per item and warehouse',
  SqlText: 'SELECT T0."ItemCode", T0."WhsCode", T0."OnHand", T0."IsCommited", T0."OnOrder" FROM OITW T0 ORDER BY T0."ItemCode", T0."WhsCode"',
} as const;

export type { StockRead, StockReadOptions, StockReadPath, StockRow, SqlQueryUnusable } from '../ports/sap';

const dec = (v: unknown) => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);

/** SQLQueries' own refusals (guide §4): invalid SQL, table or column not allowed, parameter error, not permitted; 804 for views. */
const REFUSAL_CODES = new Set(['701', '702', '703', '704', '-6006', '804']);
/** What a Service Layer answers for a resource it does not have (HTTP 400; code -1002 or 200, as public clients record it). */
const UNKNOWN_RESOURCE_CODES = new Set(['-1002', '200']);
const UNKNOWN_RESOURCE_TEXT = /unrecognized resource path|invalid entityset|service not found|resource not found for the segment/i;

/**
 * Whether SAP's answer to a request on SQLQueries says it cannot be used here, and why; null for any other
 * failure (timeouts, 5xx, sessions), which must fail the read as it would any other.
 */
export function sqlQueryUnusable(error: unknown): Exclude<SqlQueryUnusable, 'dry-run'> | null {
  if (!(error instanceof SapError) || error.kind === 'transient' || error.kind === 'session' || error.kind === 'auth' || error.kind === 'tls') return null;
  if (error.code && REFUSAL_CODES.has(error.code)) return 'not-permitted';
  if (error.status === 403) return 'not-permitted';
  if (error.code && UNKNOWN_RESOURCE_CODES.has(error.code)) return 'absent';
  // A 404 on creating the query (reading one that does not exist yet is a 404 too, and is not this).
  if (error.kind === 'not-found' && error.method === 'POST') return 'absent';
  if (error.status === 400 && error.sapMessage && UNKNOWN_RESOURCE_TEXT.test(error.sapMessage)) return 'absent';
  return null;
}

const refusal = (e: unknown) => {
  const cause = sqlQueryUnusable(e);
  return cause ? { cause, sapMessage: (e as SapError).sapMessage ?? (e as SapError).message } : null;
};

/** Creates the stock query if SAP does not have it yet. Returns false under dry run when it is missing (nothing may be written). */
export async function ensureStockQuery(client: SapClient): Promise<boolean> {
  try {
    await client.read(`${keyPath('SQLQueries', STOCK_QUERY.SqlCode)}?$select=SqlCode`);
    return true;
  } catch (e) {
    if (!(e instanceof SapNotFoundError)) throw e;
  }
  try {
    await client.write({ method: 'POST', path: 'SQLQueries', data: { ...STOCK_QUERY } });
    return true;
  } catch (e) {
    if (isDryRunBlocked(e)) return false;
    throw e;
  }
}

async function* sqlQueryPages(client: SapClient, rowsPerPage: number): AsyncGenerator<StockRow[]> {
  for await (const page of client.pages<Record<string, unknown>>(`${keyPath('SQLQueries', STOCK_QUERY.SqlCode)}/List`, rowsPerPage)) {
    yield page.map((r) => ({
      itemCode: String(r.ItemCode),
      warehouseCode: String(r.WhsCode),
      inStock: dec(r.OnHand),
      committed: dec(r.IsCommited),
      ordered: dec(r.OnOrder),
    }));
  }
}

/**
 * Items with only the item code and its warehouse rows selected, in item order, in pages of `Prefer:
 * odata.maxpagesize`. A Service Layer before 10.0 FP 2105 cannot select inside the collection, so each row comes
 * whole; only WarehouseCode, InStock, Committed and Ordered are used.
 */
async function* itemPages(client: SapClient, itemsPerPage: number): AsyncGenerator<StockRow[]> {
  const q = sapQuery('Items').select('ItemCode', 'ItemWarehouseInfoCollection').orderBy('ItemCode');
  type Row = { ItemCode: string; ItemWarehouseInfoCollection?: { WarehouseCode: string; InStock?: number; Committed?: number; Ordered?: number }[] | null };
  for await (const page of client.pages<Row>(q.toString(), itemsPerPage)) {
    yield page.flatMap((item) =>
      (item.ItemWarehouseInfoCollection ?? []).map((w) => ({
        itemCode: item.ItemCode,
        warehouseCode: w.WarehouseCode,
        inStock: dec(w.InStock),
        committed: dec(w.Committed),
        ordered: dec(w.Ordered),
      })),
    );
  }
}

/** Yields the page already read, then the rest. */
async function* startingWith<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/**
 * Starts a stock read. Preferring the SQL query, it makes sure the query exists and reads its first page
 * before answering, so a Service Layer without SQLQueries, or a user SAP does not let create or run SQL
 * queries, is known at once (from SAP's answer) and the read goes through Items instead. Any other failure
 * is thrown as it is.
 */
export async function openStockRead(client: SapClient, options: StockReadOptions & { rowsPerPage?: number }): Promise<StockRead> {
  const rowsPerPage = options.rowsPerPage ?? STOCK_ROWS_PER_PAGE;
  const itemsPerPage = itemsPerPageOf(options.sapWarehouseCount ?? 4, rowsPerPage);
  const viaItems = (fallback: StockRead['fallback']): StockRead => ({ path: 'items', fallback, pages: itemPages(client, itemsPerPage) });
  if (options.prefer === 'items') return viaItems(null);
  let created: boolean;
  try {
    created = await ensureStockQuery(client);
  } catch (e) {
    const r = refusal(e);
    if (r) return viaItems(r);
    throw e;
  }
  if (!created) return viaItems({ cause: 'dry-run', sapMessage: 'The stock query does not exist in SAP yet and dry run creates nothing' });
  const pages = sqlQueryPages(client, rowsPerPage);
  let first: IteratorResult<StockRow[]>;
  try {
    first = await pages.next();
  } catch (e) {
    // The query exists (someone created it) but this user may not run it.
    const r = refusal(e);
    if (r) return viaItems(r);
    throw e;
  }
  return { path: 'sql-query', fallback: null, pages: startingWith(first, pages) };
}

/** Rows per Service Layer page of the SQL query: 80,000 item-warehouse lines in 16 requests. */
export const STOCK_ROWS_PER_PAGE = 5_000;

/**
 * Items per page of the Items read: about as many warehouse rows as a page of the SQL query, since each item comes
 * with a row for every SAP warehouse (1,250 items at 4 warehouses).
 */
export function itemsPerPageOf(sapWarehouseCount: number, rowsPerPage = STOCK_ROWS_PER_PAGE): number {
  return Math.min(1_250, Math.max(50, Math.floor(rowsPerPage / Math.max(1, sapWarehouseCount))));
}

/** Pages of stock rows, in item and warehouse order: the SQL query, or Items where it cannot be used. */
export async function* readStock(client: SapClient, pageSize = STOCK_ROWS_PER_PAGE): AsyncGenerator<StockRow[]> {
  const read = await openStockRead(client, { prefer: 'sql-query', rowsPerPage: pageSize });
  yield* read.pages;
}
