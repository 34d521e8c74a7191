import Decimal from 'decimal.js';
import type { Db } from '../../ledger/db';
import { Bindings } from '../../ledger/bindings';
import type { ReconciliationRow, ReconciliationSide, SkuStock, StockCycle, StockLine, StockReadFallback, StockReadPath } from '../../../../shared/domain/stock';
import type { WarehouseStock, WarehouseTraits } from './rule';
import { normaliseLines } from './delta';

/** A SKU's row as the flow works with it. */
export interface FigureRow {
  sku: string;
  itemCode: string;
  available: number;
  lines: StockLine[];
  computedAt: string;
  heldBy: string[];
  sentLines: StockLine[] | null;
  sentImportId: string | null;
  confirmedAvailable: number | null;
  confirmedLines: StockLine[] | null;
  confirmedAt: string | null;
  rejectedLines: StockLine[] | null;
  rejectedReason: string | null;
  touchedAt: string | null;
  onMarketplace: boolean | null;
}

interface FigureDbRow {
  sku: string;
  item_code: string;
  available: number;
  lines: string;
  sum: string;
  buffer: number;
  reserved: number;
  gross_available: number | null;
  computed_at: string;
  held_by: string | null;
  sent_lines: string | null;
  sent_import_id: string | null;
  confirmed_available: number | null;
  confirmed_lines: string | null;
  confirmed_at: string | null;
  rejected_lines: string | null;
  rejected_reason: string | null;
  touched_at: string | null;
  on_marketplace: number | null;
}

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const toFigure = (r: FigureDbRow): FigureRow => ({
  sku: r.sku,
  itemCode: r.item_code,
  available: r.available,
  lines: JSON.parse(r.lines) as StockLine[],
  computedAt: r.computed_at,
  heldBy: json<string[]>(r.held_by) ?? [],
  sentLines: json(r.sent_lines),
  sentImportId: r.sent_import_id,
  confirmedAvailable: r.confirmed_available,
  confirmedLines: json(r.confirmed_lines),
  confirmedAt: r.confirmed_at,
  rejectedLines: json(r.rejected_lines),
  rejectedReason: r.rejected_reason,
  touchedAt: r.touched_at,
  onMarketplace: r.on_marketplace === null ? null : r.on_marketplace === 1,
});
const total = (lines: readonly StockLine[]) => lines.reduce((n, l) => n + l.quantity, 0);
const linesText = (lines: readonly StockLine[]) => JSON.stringify(normaliseLines(lines));

export interface ComputedFigure {
  sku: string;
  itemCode: string;
  available: number;
  lines: StockLine[];
  sum: Decimal;
  buffer: number;
  reserved: number;
  grossAvailable: number;
  /** Its warehouse lines as SAP's decimal text, as staged (saved as they are: no Decimal turned back into text). */
  stockText: readonly WarehouseText[];
  /** This cycle found it must go to the marketplace (see delta.ts). */
  needsSend: boolean;
}

/** One warehouse line with SAP's quantities as decimal text. */
export interface WarehouseText {
  warehouseCode: string;
  inStock: string;
  committed: string;
  ordered: string;
}

/** A SKU a silent warehouse holds (or may hold): it keeps its last complete figure. */
export interface HeldFigure {
  sku: string;
  itemCode: string;
  heldBy: string[];
}

/** One row of SAP's stock as read: an item in a warehouse. */
export interface StagedRow extends WarehouseStock {
  itemCode: string;
}

/** What decides whether a SKU's new figure must be sent, as the ledger has it. */
export interface DeltaState {
  lines: StockLine[];
  sentLines: StockLine[] | null;
  confirmedLines: StockLine[] | null;
  rejectedLines: StockLine[] | null;
  onMarketplace: boolean | null;
}

/** One item of the staged read with its SKU's figure as the ledger had it and the silent warehouses that held it. */
export interface StagedItem {
  sku: string;
  itemCode: string;
  stockText: WarehouseText[];
  /** Null: the SKU has no figure yet. */
  prior: PriorFigure | null;
  heldIn: string[];
  /** The ledger's warehouse lines for the SKU are exactly these rows. */
  sameRows: boolean;
}

/** A SKU's figure as the ledger has it, with what it was computed from. */
export interface PriorFigure extends DeltaState {
  itemCode: string;
  reserved: number;
  heldBy: string | null;
  ruleKey: string | null;
}

/** SAP's quantities as Decimals, for the rule. */
export const toWarehouseStock = (t: WarehouseText): WarehouseStock => ({
  warehouseCode: t.warehouseCode,
  inStock: new Decimal(t.inStock),
  committed: new Decimal(t.committed),
  ordered: new Decimal(t.ordered),
});

const sameText = (a: readonly WarehouseText[], b: readonly WarehouseText[] | undefined) =>
  b !== undefined &&
  a.length === b.length &&
  a.every((x, i) => x.warehouseCode === b[i]!.warehouseCode && x.inStock === b[i]!.inStock && x.committed === b[i]!.committed && x.ordered === b[i]!.ordered);

const toDeltaState = (r: Pick<FigureDbRow, 'lines' | 'sent_lines' | 'confirmed_lines' | 'rejected_lines' | 'on_marketplace'>): DeltaState => ({
  lines: JSON.parse(r.lines) as StockLine[],
  sentLines: json(r.sent_lines),
  confirmedLines: json(r.confirmed_lines),
  rejectedLines: json(r.rejected_lines),
  onMarketplace: r.on_marketplace === null ? null : r.on_marketplace === 1,
});

/** The page cache of the staged read (KiB): the ledger's own cache is not spent on it. */
const STAGING_CACHE_KIB = 2_048;

/**
 * What one cycle has read, kept apart from the ledger file (temporary tables of this connection: never in the
 * write-ahead log, gone with the connection): SAP's stock rows and the marketplace's offer quantities.
 */
const STAGING = `
CREATE TEMP TABLE IF NOT EXISTS stock_read_rows (
  sku TEXT NOT NULL,
  item_code TEXT NOT NULL,
  warehouse_code TEXT NOT NULL,
  -- SAP's decimals as text, exactly as read.
  in_stock TEXT NOT NULL,
  committed TEXT NOT NULL,
  ordered TEXT NOT NULL,
  PRIMARY KEY (sku, item_code, warehouse_code)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS stock_offer_quantities (
  sku TEXT PRIMARY KEY,
  quantity INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface CycleDbRow {
  id: number;
  run_id: number | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  skus_read: number;
  changed: number;
  sent: number;
  rejected: number;
  held: number;
  fast_lane: number;
  warehouses_expected: string;
  warehouses_missing: string;
  read_path: StockReadPath | null;
  read_fallback: string | null;
  import_id: string | null;
  import_status: string | null;
  dry_run: number;
  reconciled: number;
  drift: number;
  error: string | null;
}

export type CycleResult = Omit<StockCycle, 'id' | 'runId' | 'startedAt' | 'endedAt' | 'durationMs' | 'dryRun'>;

/** The stock flow's tables (migrations 002, 014): every write is one short transaction. */
export class StockRepository {
  private readonly bindings: Bindings;
  constructor(private readonly db: Db) {
    this.bindings = new Bindings(db);
    db.exec(STAGING);
    // The staged read is written once and read once a cycle: a small cache for it, the rest stays in its temporary file.
    db.pragma(`temp.cache_size = -${STAGING_CACHE_KIB}`);
  }

  // ---- SKU mapping ---------------------------------------------------------------------------------------

  /** ItemCode → SKU where an operator bound a SKU to another item than its own code (identity otherwise). */
  mappingOverrides(): Map<string, string> {
    return this.bindings.skuOverrides();
  }

  // ---- figures -----------------------------------------------------------------------------------------

  figure(sku: string): (FigureRow & { sum: string; buffer: number; reserved: number; grossAvailable: number }) | null {
    const r = this.db.prepare('SELECT * FROM stock_figures WHERE sku = ?').get(sku) as FigureDbRow | undefined;
    return r ? { ...toFigure(r), sum: r.sum, buffer: r.buffer, reserved: r.reserved, grossAvailable: r.gross_available ?? r.available } : null;
  }

  warehouseLines(sku: string): WarehouseStock[] {
    const rows = this.db
      .prepare('SELECT warehouse_code, in_stock, committed, ordered FROM stock_warehouse_lines WHERE sku = ? ORDER BY warehouse_code')
      .all(sku) as {
      warehouse_code: string;
      in_stock: string;
      committed: string;
      ordered: string;
    }[];
    return rows.map((r) => ({
      warehouseCode: r.warehouse_code,
      inStock: new Decimal(r.in_stock),
      committed: new Decimal(r.committed),
      ordered: new Decimal(r.ordered),
    }));
  }

  // ---- the cycle's read, staged ------------------------------------------------------------------------

  /** Forgets what the last cycle staged: SAP's rows and the marketplace's offers. */
  clearStaged(): void {
    this.db.exec('DELETE FROM temp.stock_read_rows; DELETE FROM temp.stock_offer_quantities;');
  }

  /**
   * A batch of SAP's stock rows in one transaction, each under the SKU its item goes out as. A row read again (offset
   * paging) replaces the earlier one, never adds to it.
   */
  stageRows(rows: readonly StagedRow[], skuOf: (itemCode: string) => string): void {
    const stmt = this.db.prepare(
      `INSERT INTO temp.stock_read_rows (sku, item_code, warehouse_code, in_stock, committed, ordered) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET in_stock = excluded.in_stock, committed = excluded.committed, ordered = excluded.ordered`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(skuOf(r.itemCode), r.itemCode, r.warehouseCode, r.inStock.toString(), r.committed.toString(), r.ordered.toString());
    })();
  }

  /** How many items the staged read holds (a count over every staged row: for checks and benchmarks, not the cycle). */
  stagedItems(): number {
    return this.db.prepare('SELECT count(*) FROM (SELECT DISTINCT item_code FROM temp.stock_read_rows)').pluck().get() as number;
  }

  /** The next `limit` SKUs of the staged read after `afterSku` (SKU order): the keyset a pass walks on. */
  private nextStagedSkus(afterSku: string, limit: number): string[] {
    return this.db.prepare('SELECT DISTINCT sku FROM temp.stock_read_rows WHERE sku > ? ORDER BY sku LIMIT ?').pluck().all(afterSku, limit) as string[];
  }

  /**
   * The next `limit` SKUs of the staged read after `afterSku`, each item with its warehouse rows, the SKU's figure
   * as the ledger has it (null: never computed) and which of the `silent` warehouses held it at its last read.
   */
  stagedChunk(afterSku: string, limit: number, silent: readonly string[]): StagedItem[] {
    const skus = this.nextStagedSkus(afterSku, limit);
    if (skus.length === 0) return [];
    const last = skus[skus.length - 1]!;
    const rows = this.db
      .prepare(
        `SELECT sku, item_code, warehouse_code, in_stock, committed, ordered FROM temp.stock_read_rows WHERE sku > ? AND sku <= ?
         ORDER BY sku, item_code, warehouse_code`,
      )
      .all(afterSku, last) as { sku: string; item_code: string; warehouse_code: string; in_stock: string; committed: string; ordered: string }[];
    const priors = new Map(
      (
        this.db
          .prepare(
            `SELECT sku, item_code, reserved, held_by, rule_key, lines, sent_lines, confirmed_lines, rejected_lines, on_marketplace FROM stock_figures
             WHERE sku > ? AND sku <= ?`,
          )
          .all(afterSku, last) as (Pick<
          FigureDbRow,
          'sku' | 'item_code' | 'reserved' | 'held_by' | 'lines' | 'sent_lines' | 'confirmed_lines' | 'rejected_lines' | 'on_marketplace'
        > & {
          rule_key: string | null;
        })[]
      ).map((r): [string, PriorFigure] => [r.sku, { ...toDeltaState(r), itemCode: r.item_code, reserved: r.reserved, heldBy: r.held_by, ruleKey: r.rule_key }]),
    );
    const stored = new Map<string, WarehouseText[]>();
    for (const l of this.db
      .prepare('SELECT sku, warehouse_code, in_stock, committed, ordered FROM stock_warehouse_lines WHERE sku > ? AND sku <= ? ORDER BY sku, warehouse_code')
      .all(afterSku, last) as { sku: string; warehouse_code: string; in_stock: string; committed: string; ordered: string }[]) {
      const lines = stored.get(l.sku) ?? [];
      lines.push({ warehouseCode: l.warehouse_code, inStock: l.in_stock, committed: l.committed, ordered: l.ordered });
      stored.set(l.sku, lines);
    }
    const heldIn = new Map<string, string[]>();
    if (silent.length) {
      const held = this.db
        .prepare(
          'SELECT sku, warehouse_code FROM stock_warehouse_lines WHERE sku > ? AND sku <= ? AND warehouse_code IN (SELECT value FROM json_each(?)) ORDER BY sku, warehouse_code',
        )
        .all(afterSku, last, JSON.stringify(silent)) as { sku: string; warehouse_code: string }[];
      for (const h of held) heldIn.set(h.sku, [...(heldIn.get(h.sku) ?? []), h.warehouse_code]);
    }
    const items: StagedItem[] = [];
    for (const r of rows) {
      let item = items[items.length - 1];
      if (!item || item.sku !== r.sku || item.itemCode !== r.item_code) {
        item = { sku: r.sku, itemCode: r.item_code, stockText: [], prior: priors.get(r.sku) ?? null, heldIn: heldIn.get(r.sku) ?? [], sameRows: false };
        items.push(item);
      }
      item.stockText.push({ warehouseCode: r.warehouse_code, inStock: r.in_stock, committed: r.committed, ordered: r.ordered });
    }
    for (const item of items) item.sameRows = sameText(item.stockText, stored.get(item.sku));
    return items;
  }

  /**
   * Records one chunk of what this cycle computed, in one short transaction: the figure (with the cycle that computed it
   * and whether it must be sent) and the warehouse lines behind it for complete SKUs, and which warehouses held back the
   * others (their last complete figure stays as it was).
   */
  saveChunk(
    cycleId: number,
    ruleKey: string,
    figures: { computed: readonly ComputedFigure[]; unchanged: readonly { sku: string; needsSend: boolean }[]; held: readonly HeldFigure[] },
    answered: readonly string[],
    at: Date,
  ): void {
    const { computed, unchanged, held } = figures;
    const now = at.toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO stock_figures (sku, item_code, available, lines, sum, buffer, reserved, gross_available, computed_at, held_by, read_cycle, needs_send, rule_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
       ON CONFLICT (sku) DO UPDATE SET item_code = excluded.item_code, available = excluded.available, lines = excluded.lines, sum = excluded.sum,
       buffer = excluded.buffer, reserved = excluded.reserved, gross_available = excluded.gross_available, computed_at = excluded.computed_at, held_by = NULL,
       read_cycle = excluded.read_cycle, needs_send = excluded.needs_send, rule_key = excluded.rule_key`,
    );
    // The same rows, reservations and rule as when it was computed: the same figure, read again now.
    const again = this.db.prepare('UPDATE stock_figures SET computed_at = ?, read_cycle = ?, needs_send = ? WHERE sku = ?');
    const clearLines = this.db.prepare('DELETE FROM stock_warehouse_lines WHERE sku = ? AND warehouse_code = ?');
    const line = this.db.prepare(
      `INSERT INTO stock_warehouse_lines (sku, warehouse_code, in_stock, committed, ordered, read_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sku, warehouse_code) DO UPDATE SET in_stock = excluded.in_stock, committed = excluded.committed, ordered = excluded.ordered, read_at = excluded.read_at`,
    );
    const hold = this.db.prepare(
      `INSERT INTO stock_figures (sku, item_code, available, lines, sum, buffer, computed_at, held_by) VALUES (?, ?, 0, '[]', '0', 0, ?, ?)
       ON CONFLICT (sku) DO UPDATE SET held_by = excluded.held_by`,
    );
    this.db.transaction(() => {
      for (const c of computed) {
        upsert.run(
          c.sku,
          c.itemCode,
          c.available,
          linesText(c.lines),
          c.sum.toString(),
          c.buffer,
          c.reserved,
          c.grossAvailable,
          now,
          cycleId,
          c.needsSend ? 1 : 0,
          ruleKey,
        );
        // A warehouse that answered without a line for this SKU no longer holds it.
        for (const w of answered) if (!c.stockText.some((s) => s.warehouseCode === w)) clearLines.run(c.sku, w);
        for (const s of c.stockText) line.run(c.sku, s.warehouseCode, s.inStock, s.committed, s.ordered, now);
      }
      for (const u of unchanged) again.run(now, cycleId, u.needsSend ? 1 : 0, u.sku);
      for (const h of held) hold.run(h.sku, h.itemCode, now, JSON.stringify(h.heldBy));
    })();
  }

  /** The figures this cycle computed after `afterSku` (SKU order), with what decides whether each must be sent. */
  cycleFigures(cycleId: number, afterSku: string, limit: number): (DeltaState & { sku: string; lines: StockLine[] })[] {
    const rows = this.db
      .prepare(
        `SELECT sku, lines, sent_lines, confirmed_lines, rejected_lines, on_marketplace FROM stock_figures WHERE sku > ? AND read_cycle = ?
         ORDER BY sku LIMIT ?`,
      )
      .all(afterSku, cycleId, limit) as Pick<FigureDbRow, 'sku' | 'lines' | 'sent_lines' | 'confirmed_lines' | 'rejected_lines' | 'on_marketplace'>[];
    return rows.map((r) => ({ sku: r.sku, ...toDeltaState(r) }));
  }

  setNeedsSend(decisions: readonly { sku: string; needsSend: boolean }[]): void {
    const stmt = this.db.prepare('UPDATE stock_figures SET needs_send = ? WHERE sku = ?');
    this.db.transaction(() => {
      for (const d of decisions) stmt.run(d.needsSend ? 1 : 0, d.sku);
    })();
  }

  /** How many figures this cycle computed must go to the marketplace. */
  changedCount(cycleId: number): number {
    return this.db.prepare('SELECT count(*) FROM stock_figures WHERE read_cycle = ? AND needs_send > 0').pluck().get(cycleId) as number;
  }

  /** SKUs marked for the fast lane (new marketplace orders on them). */
  touchedSkus(): string[] {
    return this.db.prepare('SELECT sku FROM stock_figures WHERE touched_at IS NOT NULL').pluck().all() as string[];
  }

  /**
   * Takes up to `limit` changed figures of this cycle into its import (marked 2) and returns their lines: among `skus`
   * when given (the fast lane), else the next ones after `afterSku` in SKU order.
   */
  chooseForImport(cycleId: number, limit: number, from: { skus: readonly string[] } | { afterSku: string }): { sku: string; lines: StockLine[] }[] {
    const rows = (
      'skus' in from
        ? this.db
            .prepare(
              `SELECT sku, lines FROM stock_figures WHERE read_cycle = ? AND needs_send = 1 AND sku IN (SELECT value FROM json_each(?)) ORDER BY sku LIMIT ?`,
            )
            .all(cycleId, JSON.stringify(from.skus), limit)
        : this.db
            .prepare('SELECT sku, lines FROM stock_figures WHERE read_cycle = ? AND needs_send = 1 AND sku > ? ORDER BY sku LIMIT ?')
            .all(cycleId, from.afterSku, limit)
    ) as { sku: string; lines: string }[];
    const mark = this.db.prepare('UPDATE stock_figures SET needs_send = 2 WHERE sku = ?');
    this.db.transaction(() => {
      for (const r of rows) mark.run(r.sku);
    })();
    return rows.map((r) => ({ sku: r.sku, lines: JSON.parse(r.lines) as StockLine[] }));
  }

  /** One step of recording this cycle's import as sent: its figures are in flight under `importId`. Returns how many it moved. */
  markSentStep(cycleId: number, importId: string, limit: number): number {
    return this.db
      .prepare(
        `UPDATE stock_figures SET sent_lines = lines, sent_import_id = ?, needs_send = 0
         WHERE sku IN (SELECT sku FROM stock_figures WHERE read_cycle = ? AND needs_send = 2 ORDER BY sku LIMIT ?)`,
      )
      .run(importId, cycleId, limit).changes;
  }

  /** Imports sent and still waiting for their outcome. */
  inFlightImports(): string[] {
    return this.db.prepare('SELECT DISTINCT sent_import_id FROM stock_figures WHERE sent_import_id IS NOT NULL').pluck().all() as string[];
  }

  /** How many SKUs an import still in flight carries. */
  importSize(importId: string): number {
    return this.db.prepare('SELECT count(*) FROM stock_figures WHERE sent_import_id = ?').pluck().get(importId) as number;
  }

  /** The lines sent in `importId` for those of `skus` it carries. */
  sentLines(importId: string, skus: readonly string[]): Map<string, StockLine[]> {
    const rows = this.db
      .prepare('SELECT sku, sent_lines FROM stock_figures WHERE sent_import_id = ? AND sku IN (SELECT value FROM json_each(?))')
      .all(importId, JSON.stringify(skus)) as { sku: string; sent_lines: string }[];
    return new Map(rows.map((r) => [r.sku, JSON.parse(r.sent_lines) as StockLine[]]));
  }

  /** One step of taking an import's figures as the marketplace's (its accepted lines). Returns how many it confirmed. */
  confirmStep(importId: string, at: Date, limit: number): number {
    return this.db
      .prepare(
        `UPDATE stock_figures SET confirmed_lines = sent_lines,
           confirmed_available = (SELECT coalesce(sum(json_extract(value, '$.quantity')), 0) FROM json_each(sent_lines)),
           confirmed_at = ?, sent_lines = NULL, sent_import_id = NULL, rejected_lines = NULL, rejected_reason = NULL, on_marketplace = 1
         WHERE sku IN (SELECT sku FROM stock_figures WHERE sent_import_id = ? LIMIT ?)`,
      )
      .run(at.toISOString(), importId, limit).changes;
  }

  /** Refused lines, one transaction: not resent until they change or an operator retries. */
  rejectMany(rejections: readonly { sku: string; lines: readonly StockLine[]; reason: string }[]): void {
    const stmt = this.db.prepare('UPDATE stock_figures SET rejected_lines = ?, rejected_reason = ?, sent_lines = NULL, sent_import_id = NULL WHERE sku = ?');
    this.db.transaction(() => {
      for (const r of rejections) stmt.run(linesText(r.lines), r.reason, r.sku);
    })();
  }

  reject(sku: string, lines: readonly StockLine[], reason: string): void {
    this.rejectMany([{ sku, lines, reason }]);
  }

  /** One step of forgetting an import that failed as a whole: its SKUs are sent again next cycle. Returns how many it released. */
  abandonStep(importId: string, limit: number): number {
    return this.db
      .prepare(
        'UPDATE stock_figures SET sent_lines = NULL, sent_import_id = NULL WHERE sku IN (SELECT sku FROM stock_figures WHERE sent_import_id = ? LIMIT ?)',
      )
      .run(importId, limit).changes;
  }

  // ---- fast lane ---------------------------------------------------------------------------------------

  /** Marks SKUs for the fast lane; a SKU not read yet needs no mark (it has no confirmed figure, so it goes anyway). */
  touch(skus: Iterable<string>, at: Date): void {
    const stmt = this.db.prepare('UPDATE stock_figures SET touched_at = coalesce(touched_at, ?) WHERE sku = ?');
    const now = at.toISOString();
    this.db.transaction(() => {
      for (const sku of skus) stmt.run(now, sku);
    })();
  }

  /** One step of clearing the fast-lane mark of this cycle's figures that went (or did not need to go); carried ones keep it. */
  clearTouchedStep(cycleId: number, limit: number): number {
    return this.db
      .prepare(
        `UPDATE stock_figures SET touched_at = NULL WHERE sku IN (SELECT sku FROM stock_figures WHERE touched_at IS NOT NULL AND read_cycle = ?
           AND needs_send <> 1 LIMIT ?)`,
      )
      .run(cycleId, limit).changes;
  }

  // ---- reconciliation ----------------------------------------------------------------------------------

  /** One batch of the marketplace's offers as its export lists them; an offer listed again replaces the earlier one. */
  stageOffers(offers: readonly { sku: string; quantity: number }[]): void {
    const stmt = this.db.prepare(
      'INSERT INTO temp.stock_offer_quantities (sku, quantity) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity',
    );
    this.db.transaction(() => {
      for (const o of offers) stmt.run(o.sku, o.quantity);
    })();
  }

  stagedOfferCount(): number {
    return this.db.prepare('SELECT count(*) FROM temp.stock_offer_quantities').pluck().get() as number;
  }

  /** The next `limit` figures after `afterSku` (SKU order) with the quantity the marketplace's export showed (null: no offer). */
  figuresAgainstOffers(afterSku: string, limit: number): { sku: string; confirmedAvailable: number | null; quantity: number | null }[] {
    return this.db
      .prepare(
        `SELECT f.sku, f.confirmed_available AS confirmedAvailable, o.quantity FROM stock_figures f LEFT JOIN temp.stock_offer_quantities o ON o.sku = f.sku
         WHERE f.sku > ? ORDER BY f.sku LIMIT ?`,
      )
      .all(afterSku, limit) as { sku: string; confirmedAvailable: number | null; quantity: number | null }[];
  }

  /**
   * Records one chunk of what the marketplace's offers showed: whether it has each SKU, and the quantity it actually
   * shows as the confirmed baseline where that differs (so drift is corrected by the next delta).
   */
  saveReconciledFigures(figures: readonly { sku: string; onMarketplace: boolean; baseline?: StockLine[] | null }[], at: Date): void {
    const now = at.toISOString();
    const flag = this.db.prepare('UPDATE stock_figures SET on_marketplace = ? WHERE sku = ?');
    const baseline = this.db.prepare('UPDATE stock_figures SET confirmed_lines = ?, confirmed_available = ?, confirmed_at = ? WHERE sku = ?');
    this.db.transaction(() => {
      for (const f of figures) {
        flag.run(f.onMarketplace ? 1 : 0, f.sku);
        if (f.baseline !== undefined)
          baseline.run(f.baseline === null ? null : linesText(f.baseline), f.baseline === null ? null : total(f.baseline), now, f.sku);
      }
    })();
  }

  /** SKUs of this cycle's read with no offer on the marketplace, among the next `limit` read SKUs after `afterSku`. */
  sapOnlyChunk(afterSku: string, limit: number): { last: string | null; rows: { sku: string; itemCode: string }[] } {
    const skus = this.nextStagedSkus(afterSku, limit);
    if (skus.length === 0) return { last: null, rows: [] };
    const last = skus[skus.length - 1]!;
    const rows = this.db
      .prepare(
        `SELECT r.sku, max(r.item_code) AS itemCode FROM temp.stock_read_rows r WHERE r.sku > ? AND r.sku <= ?
           AND NOT EXISTS (SELECT 1 FROM temp.stock_offer_quantities o WHERE o.sku = r.sku) GROUP BY r.sku ORDER BY r.sku`,
      )
      .all(afterSku, last) as { sku: string; itemCode: string }[];
    return { last, rows };
  }

  /** Offers whose SKU was not in this cycle's read of SAP, among the next `limit` offers after `afterSku`. */
  marketplaceOnlyChunk(afterSku: string, limit: number): { last: string | null; rows: { sku: string; quantity: number }[] } {
    const skus = this.db.prepare('SELECT sku FROM temp.stock_offer_quantities WHERE sku > ? ORDER BY sku LIMIT ?').pluck().all(afterSku, limit) as string[];
    if (skus.length === 0) return { last: null, rows: [] };
    const last = skus[skus.length - 1]!;
    const rows = this.db
      .prepare(
        `SELECT o.sku, o.quantity FROM temp.stock_offer_quantities o WHERE o.sku > ? AND o.sku <= ?
           AND NOT EXISTS (SELECT 1 FROM temp.stock_read_rows r WHERE r.sku = o.sku) ORDER BY o.sku`,
      )
      .all(afterSku, last) as { sku: string; quantity: number }[];
    return { last, rows };
  }

  /** Adds (or renews) SKUs mapped on one side only, as seen `at`. */
  saveOneSide(rows: readonly Omit<ReconciliationRow, 'seenAt'>[], at: Date): void {
    const stmt = this.db.prepare(
      `INSERT INTO stock_reconciliation (sku, item_code, side, marketplace_quantity, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sku) DO UPDATE SET item_code = excluded.item_code, side = excluded.side, marketplace_quantity = excluded.marketplace_quantity,
       seen_at = excluded.seen_at`,
    );
    const now = at.toISOString();
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.sku, r.itemCode, r.side, r.marketplaceQuantity, now);
    })();
  }

  /** One step of removing one-side rows an earlier reconciliation found and this one (seen `at`) did not. */
  dropOneSideStep(at: Date, limit: number): number {
    return this.db
      .prepare('DELETE FROM stock_reconciliation WHERE sku IN (SELECT sku FROM stock_reconciliation WHERE seen_at <> ? LIMIT ?)')
      .run(at.toISOString(), limit).changes;
  }

  listReconciliation(filter: { side?: ReconciliationSide; limit: number; offset: number }): {
    rows: ReconciliationRow[];
    total: number;
    reconciledAt: string | null;
  } {
    const where = filter.side ? 'WHERE side = ?' : '';
    const args = filter.side ? [filter.side] : [];
    const count = this.db
      .prepare(`SELECT count(*) FROM stock_reconciliation ${where}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      .prepare(`SELECT * FROM stock_reconciliation ${where} ORDER BY side, sku LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as {
      sku: string;
      item_code: string | null;
      side: ReconciliationSide;
      marketplace_quantity: number | null;
      seen_at: string;
    }[];
    return {
      rows: rows.map((r) => ({ sku: r.sku, itemCode: r.item_code, side: r.side, marketplaceQuantity: r.marketplace_quantity, seenAt: r.seen_at })),
      total: count,
      reconciledAt: this.state('reconciledAt'),
    };
  }

  // ---- Stock screen ------------------------------------------------------------------------------------

  listSkus(filter: { search?: string; limit: number; offset: number }): { rows: SkuStock[]; total: number } {
    const where = filter.search ? "WHERE sku LIKE ? ESCAPE '\\' OR item_code LIKE ? ESCAPE '\\'" : '';
    const like = `%${(filter.search ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const args = filter.search ? [like, like] : [];
    const count = this.db
      .prepare(`SELECT count(*) FROM stock_figures ${where}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      .prepare(`SELECT * FROM stock_figures ${where} ORDER BY sku LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as FigureDbRow[];
    return { rows: rows.map((r) => toSkuStock(toFigure(r))), total: count };
  }

  // ---- cycles and state --------------------------------------------------------------------------------

  /** Cycles past the runs' retention go with the ledger's maintenance (ledger/retention.ts), the latest always kept. */
  startCycle(runId: number | null, at: Date, dryRun: boolean): number {
    return this.db
      .prepare('INSERT INTO stock_cycles (run_id, started_at, dry_run) VALUES (?, ?, ?) RETURNING id')
      .pluck()
      .get(runId, at.toISOString(), dryRun ? 1 : 0) as number;
  }

  finishCycle(id: number, at: Date, r: CycleResult): StockCycle {
    const started = this.db.prepare('SELECT started_at FROM stock_cycles WHERE id = ?').pluck().get(id) as string;
    this.db
      .prepare(
        `UPDATE stock_cycles SET ended_at = ?, duration_ms = ?, skus_read = ?, changed = ?, sent = ?, rejected = ?, held = ?, fast_lane = ?,
         warehouses_expected = ?, warehouses_missing = ?, read_path = ?, read_fallback = ?, import_id = ?, import_status = ?, reconciled = ?, drift = ?, error = ? WHERE id = ?`,
      )
      .run(
        at.toISOString(),
        Math.max(0, at.getTime() - Date.parse(started)),
        r.skusRead,
        r.changed,
        r.sent,
        r.rejected,
        r.held,
        r.fastLane,
        JSON.stringify(r.warehousesExpected),
        JSON.stringify(r.warehousesMissing),
        r.readPath,
        r.readFallback ? JSON.stringify(r.readFallback) : null,
        r.importId,
        r.importStatus,
        r.reconciled ? 1 : 0,
        r.drift,
        r.error,
        id,
      );
    return this.cycle(id)!;
  }

  cycle(id: number): StockCycle | null {
    const r = this.db.prepare('SELECT * FROM stock_cycles WHERE id = ?').get(id) as CycleDbRow | undefined;
    return r ? toCycle(r) : null;
  }

  lastCycle(): StockCycle | null {
    const r = this.db.prepare('SELECT * FROM stock_cycles WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1').get() as CycleDbRow | undefined;
    return r ? toCycle(r) : null;
  }

  /** SAP's warehouses as last read (code → what decides whether it counts by default). */
  sapWarehouses(): Map<string, WarehouseTraits> {
    const stored = json<[string, WarehouseTraits][]>(this.state('sapWarehouses'));
    return new Map(stored ?? []);
  }

  saveSapWarehouses(warehouses: ReadonlyMap<string, WarehouseTraits>): void {
    this.setState('sapWarehouses', JSON.stringify([...warehouses]));
  }

  state(key: string): string | null {
    return (this.db.prepare('SELECT value FROM stock_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO stock_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

export function toSkuStock(f: FigureRow): SkuStock {
  return {
    sku: f.sku,
    itemCode: f.itemCode,
    available: f.available,
    computedAt: f.computedAt,
    confirmed: f.confirmedAvailable,
    confirmedAt: f.confirmedAt,
    heldBy: f.heldBy,
    rejected: f.rejectedReason,
  };
}

const toCycle = (r: CycleDbRow): StockCycle => ({
  id: r.id,
  runId: r.run_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  skusRead: r.skus_read,
  changed: r.changed,
  sent: r.sent,
  rejected: r.rejected,
  held: r.held,
  fastLane: r.fast_lane,
  warehousesExpected: JSON.parse(r.warehouses_expected) as string[],
  warehousesMissing: JSON.parse(r.warehouses_missing) as string[],
  readPath: r.read_path,
  readFallback: json<StockReadFallback>(r.read_fallback),
  importId: r.import_id,
  importStatus: r.import_status,
  dryRun: r.dry_run === 1,
  reconciled: r.reconciled === 1,
  drift: r.drift,
  error: r.error,
});
