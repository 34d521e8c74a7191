import type { Sap, SapWarehouse } from '../../connectors/ports/sap';
import type { StockReadFallback, StockReadPath, StockSettings } from '../../../../shared/domain/stock';
import type { StockRepository } from './repository';
import { isIncluded, type WarehouseTraits } from './rule';
import { yieldToEventLoop } from './steps';

/** Rows staged in one transaction: a page of the SQL query (5,000 rows) is one. */
const STAGE_ROWS = 5_000;

export interface StockRead {
  /** Rows staged: every item in every warehouse the read returned (excluded ones too, for the breakdown). */
  rows: number;
  /** Warehouses with at least one line in this read: the ones that answered. */
  answered: Set<string>;
  /** Warehouses whose stock must be in the read for a figure to be complete. */
  expected: string[];
  /** How SAP was read. */
  path: StockReadPath;
  /** Set when the read went through Items because the SQL query could not be used (this cycle, or remembered). */
  fallback: StockReadFallback | null;
}

/** How long a "the SQL query cannot be used here" answer is trusted before the SQL query is tried again. */
export const READ_PATH_RECHECK_MS = 6 * 3_600_000;

export const traitsOf = (warehouses: readonly SapWarehouse[]): Map<string, WarehouseTraits> =>
  new Map(warehouses.map((w) => [w.code, { active: w.active, nettable: w.nettable, dropShip: w.dropShip }]));

/**
 * The warehouses that must answer: the included ones from settings, or every SAP warehouse that counts by
 * default (active, nettable, not drop-ship) when none is listed, minus the excluded ones.
 */
export function expectedWarehouses(settings: Pick<StockSettings, 'warehouses'>, sapWarehouses: ReadonlyMap<string, WarehouseTraits>): string[] {
  const { include } = settings.warehouses;
  const base = include.length ? include : [...sapWarehouses.keys()];
  return [...new Set(base)].filter((w) => isIncluded(w, settings, sapWarehouses)).sort();
}

/** The SAP connection a remembered read path belongs to: another user or company may be allowed SQL queries. */
export type SapIdentity = string;

interface RememberedFallback extends StockReadFallback {
  identity: SapIdentity;
}

const MEMORY_KEY = 'readPathFallback';

/** A "read through Items" decision still trusted for this SAP connection, or null (try the SQL query). */
export function rememberedFallback(repo: StockRepository, identity: SapIdentity, now: Date): StockReadFallback | null {
  const raw = repo.state(MEMORY_KEY);
  if (!raw) return null;
  let stored: RememberedFallback;
  try {
    stored = JSON.parse(raw) as RememberedFallback;
  } catch {
    return null; // Unreadable: ask SAP again rather than stop every cycle.
  }
  const { identity: of, ...fallback } = stored;
  if (of !== identity || !fallback.recheckAt || Date.parse(fallback.recheckAt) <= now.getTime()) return null;
  return fallback;
}

/**
 * Reads every item's stock in every warehouse with as few requests as possible (the connector sizes the pages):
 * the stored SQL query over the warehouse table, or, where SAP says it cannot be used (no SQLQueries on this Service Layer, or not
 * permitted to this user) or dry run may not create it, Items with only their warehouse rows. An answer that
 * the query cannot be used is remembered for READ_PATH_RECHECK_MS, so later cycles go straight to Items.
 * Each page goes into the cycle's staged read (repo.stageRows) in batches that yield to the event loop: the read is
 * never held in memory whole. Read-only towards SAP's Item Master: nothing here writes to Items, so nothing can lock it.
 */
export async function readSapStock(
  sap: Sap,
  expected: readonly string[],
  options: {
    repo: StockRepository;
    /** The SKU an item goes out as (its own code unless an operator mapped it). */
    skuOf?: (itemCode: string) => string;
    identity?: SapIdentity;
    now?: Date;
    sapWarehouseCount?: number;
  },
): Promise<StockRead> {
  const { repo } = options;
  const now = options.now ?? new Date();
  const skuOf = options.skuOf ?? ((itemCode: string) => itemCode);
  const remembered = options.identity ? rememberedFallback(repo, options.identity, now) : null;
  const started = await sap.stock.open({
    prefer: remembered ? 'items' : 'sql-query',
    sapWarehouseCount: options.sapWarehouseCount ?? expected.length,
  });

  let fallback: StockReadFallback | null = remembered;
  if (started.fallback?.cause === 'dry-run') fallback = { ...started.fallback, since: null, recheckAt: null };
  else if (started.fallback) {
    fallback = { ...started.fallback, since: now.toISOString(), recheckAt: new Date(now.getTime() + READ_PATH_RECHECK_MS).toISOString() };
    if (options.identity) repo.setState(MEMORY_KEY, JSON.stringify({ ...fallback, identity: options.identity } satisfies RememberedFallback));
  } else if (started.path === 'sql-query') repo.setState(MEMORY_KEY, '');

  repo.clearStaged();
  const answered = new Set<string>();
  let rows = 0;
  for await (const page of started.pages) {
    // A page (the connector's, a few thousand rows) is staged and let go before the next yield: held across yields,
    // it would outlive the young generation's collections and fill the old one with garbage.
    for (let from = 0; from < page.length; from += STAGE_ROWS) {
      const batch = from === 0 && page.length <= STAGE_ROWS ? page : page.slice(from, from + STAGE_ROWS);
      for (const row of batch) answered.add(row.warehouseCode);
      // Offset paging can repeat a row when SAP's data moves between pages: the later one replaces it, never adds to it.
      repo.stageRows(batch, skuOf);
      rows += batch.length;
    }
    await yieldToEventLoop();
  }
  return { rows, answered, expected: [...expected], path: started.path, fallback };
}
