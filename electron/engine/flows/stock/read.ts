import type { SapConnector } from '../../connectors/sap-b1';
import type { StockSettings } from '../../../../shared/domain/stock';
import type { WarehouseStock } from './rule';

export interface StockRead {
  /** ItemCode → its warehouse lines, every warehouse the read returned (excluded ones too, for the breakdown). */
  items: Map<string, WarehouseStock[]>;
  /** Warehouses with at least one line in this read: the ones that answered. */
  answered: Set<string>;
  /** Warehouses whose stock must be in the read for a figure to be complete. */
  expected: string[];
}

/** Rows per Service Layer page: 80,000 item-warehouse lines in 16 requests. */
export const STOCK_PAGE_SIZE = 5_000;

/**
 * The warehouses that must answer: the included ones from settings, or every active SAP warehouse when
 * none is listed (one extra small request), minus the excluded ones.
 */
export async function expectedWarehouses(sap: SapConnector, settings: Pick<StockSettings, 'warehouses'>): Promise<string[]> {
  const { include, exclude } = settings.warehouses;
  const base = include.length ? include : (await sap.warehouses()).filter((w) => w.Inactive !== 'tYES').map((w) => w.WarehouseCode);
  return [...new Set(base)].filter((w) => !exclude.includes(w)).sort();
}

/**
 * Reads every item's stock in every warehouse with as few requests as possible: the stored SQL query over
 * OITW in pages of 5,000 (or, where the query cannot be created, Items with only ItemWarehouseInfoCollection
 * selected). Read-only towards SAP's Item Master: nothing here writes to Items, so nothing can lock it.
 */
export async function readSapStock(sap: SapConnector, expected: readonly string[], pageSize = STOCK_PAGE_SIZE): Promise<StockRead> {
  const items = new Map<string, WarehouseStock[]>();
  const answered = new Set<string>();
  for await (const page of sap.readStock(pageSize)) {
    for (const row of page) {
      answered.add(row.warehouseCode);
      const lines = items.get(row.itemCode);
      const line = { warehouseCode: row.warehouseCode, inStock: row.inStock, committed: row.committed, ordered: row.ordered };
      if (lines) lines.push(line);
      else items.set(row.itemCode, [line]);
    }
  }
  return { items, answered, expected: [...expected] };
}
