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
  stock: readonly WarehouseStock[];
}

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

/** The stock flow's tables (migration 002): every write is one short transaction. */
export class StockRepository {
  private readonly bindings: Bindings;
  constructor(private readonly db: Db) {
    this.bindings = new Bindings(db);
  }

  // ---- SKU mapping ---------------------------------------------------------------------------------------

  /** ItemCode → SKU where an operator bound a SKU to another item than its own code (identity otherwise). */
  mappingOverrides(): Map<string, string> {
    return this.bindings.skuOverrides();
  }

  // ---- figures -----------------------------------------------------------------------------------------

  figures(): Map<string, FigureRow> {
    const rows = this.db.prepare('SELECT * FROM stock_figures').all() as FigureDbRow[];
    return new Map(rows.map((r) => [r.sku, toFigure(r)]));
  }

  figure(sku: string): (FigureRow & { sum: string; buffer: number; reserved: number; grossAvailable: number }) | null {
    const r = this.db.prepare('SELECT * FROM stock_figures WHERE sku = ?').get(sku) as FigureDbRow | undefined;
    return r ? { ...toFigure(r), sum: r.sum, buffer: r.buffer, reserved: r.reserved, grossAvailable: r.gross_available ?? r.available } : null;
  }

  /** SKUs whose last read had a line in this warehouse: the SKUs it holds. */
  skusHeldIn(warehouseCode: string): Set<string> {
    return new Set(this.db.prepare('SELECT sku FROM stock_warehouse_lines WHERE warehouse_code = ?').pluck().all(warehouseCode) as string[]);
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

  /**
   * Records what this cycle computed: the figure and the warehouse lines behind it for complete SKUs, and
   * which warehouses held back the others (their last complete figure stays as it was).
   */
  saveCycleFigures(
    computed: readonly ComputedFigure[],
    held: ReadonlyMap<string, { itemCode: string; heldBy: string[] }>,
    answered: readonly string[],
    at: Date,
  ): void {
    const now = at.toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO stock_figures (sku, item_code, available, lines, sum, buffer, reserved, gross_available, computed_at, held_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (sku) DO UPDATE SET item_code = excluded.item_code, available = excluded.available, lines = excluded.lines, sum = excluded.sum,
       buffer = excluded.buffer, reserved = excluded.reserved, gross_available = excluded.gross_available, computed_at = excluded.computed_at, held_by = NULL`,
    );
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
        upsert.run(c.sku, c.itemCode, c.available, linesText(c.lines), c.sum.toString(), c.buffer, c.reserved, c.grossAvailable, now);
        const present = new Set(c.stock.map((s) => s.warehouseCode));
        // A warehouse that answered without a line for this SKU no longer holds it.
        for (const w of answered) if (!present.has(w)) clearLines.run(c.sku, w);
        for (const s of c.stock) line.run(c.sku, s.warehouseCode, s.inStock.toString(), s.committed.toString(), s.ordered.toString(), now);
      }
      for (const [sku, h] of held) hold.run(sku, h.itemCode, now, JSON.stringify(h.heldBy));
    })();
  }

  markSent(lines: ReadonlyMap<string, StockLine[]>, importId: string): void {
    const stmt = this.db.prepare('UPDATE stock_figures SET sent_lines = ?, sent_import_id = ? WHERE sku = ?');
    this.db.transaction(() => {
      for (const [sku, l] of lines) stmt.run(linesText(l), importId, sku);
    })();
  }

  /** SKUs in an import still waiting for its outcome, with the lines sent. */
  inFlight(): Map<string, Map<string, StockLine[]>> {
    const rows = this.db.prepare('SELECT sku, sent_lines, sent_import_id FROM stock_figures WHERE sent_import_id IS NOT NULL').all() as {
      sku: string;
      sent_lines: string;
      sent_import_id: string;
    }[];
    const out = new Map<string, Map<string, StockLine[]>>();
    for (const r of rows) {
      const m = out.get(r.sent_import_id) ?? new Map<string, StockLine[]>();
      m.set(r.sku, JSON.parse(r.sent_lines) as StockLine[]);
      out.set(r.sent_import_id, m);
    }
    return out;
  }

  /** The marketplace took these figures: they become the baseline the next delta compares with. */
  confirm(lines: ReadonlyMap<string, StockLine[]>, at: Date): void {
    const stmt = this.db.prepare(
      `UPDATE stock_figures SET confirmed_lines = ?, confirmed_available = ?, confirmed_at = ?, sent_lines = NULL, sent_import_id = NULL,
       rejected_lines = NULL, rejected_reason = NULL, on_marketplace = 1 WHERE sku = ?`,
    );
    this.db.transaction(() => {
      for (const [sku, l] of lines) stmt.run(linesText(l), total(l), at.toISOString(), sku);
    })();
  }

  reject(sku: string, lines: readonly StockLine[], reason: string): void {
    this.db
      .prepare('UPDATE stock_figures SET rejected_lines = ?, rejected_reason = ?, sent_lines = NULL, sent_import_id = NULL WHERE sku = ?')
      .run(linesText(lines), reason, sku);
  }

  /** An import that failed as a whole: its SKUs are sent again next cycle. */
  abandonImport(importId: string): void {
    this.db.prepare('UPDATE stock_figures SET sent_lines = NULL, sent_import_id = NULL WHERE sent_import_id = ?').run(importId);
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

  clearTouched(skus: Iterable<string>): void {
    const stmt = this.db.prepare('UPDATE stock_figures SET touched_at = NULL WHERE sku = ?');
    this.db.transaction(() => {
      for (const sku of skus) stmt.run(sku);
    })();
  }

  // ---- reconciliation ----------------------------------------------------------------------------------

  /**
   * Records what the marketplace's offers showed: which SKUs it has, the one-side-only lists, and the
   * quantity it actually shows as the confirmed baseline (so drift is corrected by the next delta).
   */
  saveReconciliation(
    onMarketplace: ReadonlyMap<string, number>,
    confirmed: ReadonlyMap<string, StockLine[] | null>,
    oneSide: readonly Omit<ReconciliationRow, 'seenAt'>[],
    at: Date,
  ): void {
    const now = at.toISOString();
    const flag = this.db.prepare('UPDATE stock_figures SET on_marketplace = ? WHERE sku = ?');
    const baseline = this.db.prepare('UPDATE stock_figures SET confirmed_lines = ?, confirmed_available = ?, confirmed_at = ? WHERE sku = ?');
    const insert = this.db.prepare('INSERT INTO stock_reconciliation (sku, item_code, side, marketplace_quantity, seen_at) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      const skus = this.db.prepare('SELECT sku FROM stock_figures').pluck().all() as string[];
      for (const sku of skus) flag.run(onMarketplace.has(sku) ? 1 : 0, sku);
      for (const [sku, l] of confirmed) baseline.run(l === null ? null : linesText(l), l === null ? null : total(l), now, sku);
      this.db.prepare('DELETE FROM stock_reconciliation').run();
      for (const r of oneSide) insert.run(r.sku, r.itemCode, r.side, r.marketplaceQuantity, now);
      this.setState('reconciledAt', now);
    })();
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
