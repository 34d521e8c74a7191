import Decimal from 'decimal.js';
import type { SapClient } from './client';
import { isDryRunBlocked } from '../../net/errors';
import { SapNotFoundError } from './errors';
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

export interface StockRow {
  itemCode: string;
  warehouseCode: string;
  inStock: Decimal;
  committed: Decimal;
  ordered: Decimal;
}

const dec = (v: unknown) => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);

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

/** Pages of stock rows, in item and warehouse order. Falls back to Items' warehouse info when the query cannot be created (dry run). */
export async function* readStock(client: SapClient, pageSize = 5_000): AsyncGenerator<StockRow[]> {
  if (await ensureStockQuery(client)) {
    for await (const page of client.pages<Record<string, unknown>>(`${keyPath('SQLQueries', STOCK_QUERY.SqlCode)}/List`, pageSize)) {
      yield page.map((r) => ({ itemCode: String(r.ItemCode), warehouseCode: String(r.WhsCode), inStock: dec(r.OnHand), committed: dec(r.IsCommited), ordered: dec(r.OnOrder) }));
    }
    return;
  }
  const q = sapQuery('Items').select('ItemCode', 'ItemWarehouseInfoCollection').orderBy('ItemCode');
  for await (const page of client.pages<{ ItemCode: string; ItemWarehouseInfoCollection: { WarehouseCode: string; InStock: number; Committed: number; Ordered: number }[] }>(q.toString(), Math.max(1, Math.floor(pageSize / 4)))) {
    yield page.flatMap((item) =>
      item.ItemWarehouseInfoCollection.map((w) => ({ itemCode: item.ItemCode, warehouseCode: w.WarehouseCode, inStock: dec(w.InStock), committed: dec(w.Committed), ordered: dec(w.Ordered) })),
    );
  }
}
