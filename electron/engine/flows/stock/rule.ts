import Decimal from 'decimal.js';
import type { StockLine, StockSettings, WarehouseContribution, WarehouseNotCounted } from '../../../../shared/domain/stock';

/** One SAP warehouse's stock of one item (OITW), as read this cycle. */
export interface WarehouseStock {
  warehouseCode: string;
  inStock: Decimal;
  committed: Decimal;
  ordered: Decimal;
}

/** What SAP says of a warehouse that decides whether it counts by default. */
export interface WarehouseTraits {
  active: boolean;
  nettable: boolean;
  dropShip: boolean;
}

/** Warehouse code → its traits, as last read from SAP. A warehouse not in it is taken as SAP's default: it counts. */
export type WarehouseTraitsByCode = ReadonlyMap<string, WarehouseTraits>;

export type StockRuleSettings = Pick<StockSettings, 'warehouses' | 'includeOrdered' | 'buffer' | 'skuBuffers' | 'cap' | 'marketplaceWarehouses'>;

export interface Availability {
  /** Whole units the marketplace may sell: the sum of the lines. */
  available: number;
  /** What goes to the marketplace: one global line, or one per marketplace warehouse. */
  lines: StockLine[];
  /** Σ counted over included warehouses, before buffer and cap. */
  sum: Decimal;
  buffer: number;
  /** Units on marketplace orders SAP does not hold as Sales Orders yet, taken off the figure. */
  reserved: number;
  /** The figure before reservations: what SAP alone says may be sold. */
  grossAvailable: number;
  warehouses: WarehouseContribution[];
}

/**
 * Why a warehouse's stock does not count, or null when it counts. Excluded never counts. With an included list,
 * exactly the listed ones count: listing a warehouse is choosing it explicitly, whatever SAP says of it. With
 * none, every warehouse SAP has as active, nettable and not drop-ship counts.
 */
export function whyNotCounted(warehouseCode: string, settings: Pick<StockSettings, 'warehouses'>, traits?: WarehouseTraitsByCode): WarehouseNotCounted | null {
  const { include, exclude } = settings.warehouses;
  if (exclude.includes(warehouseCode)) return 'excluded';
  if (include.length) return include.includes(warehouseCode) ? null : 'not-included';
  const t = traits?.get(warehouseCode);
  if (!t) return null;
  if (!t.active) return 'inactive';
  if (t.dropShip) return 'drop-ship';
  if (!t.nettable) return 'not-nettable';
  return null;
}

/** Whether a warehouse's stock counts (see whyNotCounted). */
export function isIncluded(warehouseCode: string, settings: Pick<StockSettings, 'warehouses'>, traits?: WarehouseTraitsByCode): boolean {
  return whyNotCounted(warehouseCode, settings, traits) === null;
}

/** The buffer held back on a SKU: its own when it has one, else the global one. */
export function bufferFor(sku: string, settings: Pick<StockSettings, 'buffer' | 'skuBuffers'>): number {
  return settings.skuBuffers[sku] ?? settings.buffer;
}

/** floor(sum − buffer), never below 0, never above the cap: the marketplace sells whole units only. */
function figure(sum: Decimal, buffer: number, cap: number | null): number {
  const n = Decimal.max(0, sum.minus(buffer).floor()).toNumber();
  return cap === null ? n : Math.min(n, cap);
}

/**
 * The stock rule (glossary: availability). available = Σ(InStock − Committed [+ Ordered]) over the included
 * warehouses, minus the SKU's buffer, floored at 0, capped. Warehouses that do not count are shown with why.
 * When the marketplace keeps stock per warehouse, each marketplace warehouse gets its own line computed the
 * same way from the SAP warehouses mapped to it (the buffer is held back on each line: every location keeps
 * its safety margin); included SAP warehouses with no marketplace code do not count then.
 */
export function computeAvailability(
  sku: string,
  stock: readonly WarehouseStock[],
  settings: StockRuleSettings,
  reserved = 0,
  traits?: WarehouseTraitsByCode,
): Availability {
  const buffer = bufferFor(sku, settings);
  const perMarketplaceWarehouse = Object.keys(settings.marketplaceWarehouses).length > 0;
  const groups = new Map<string, Decimal>();
  let sum = new Decimal(0);
  // Sums are exact: the order warehouses are added in does not matter (the breakdown is sorted when built).
  const parts = stock.map((w): Part => {
    const target = perMarketplaceWarehouse ? settings.marketplaceWarehouses[w.warehouseCode] : '';
    const notCounted = whyNotCounted(w.warehouseCode, settings, traits) ?? (target === undefined ? 'no-marketplace-warehouse' : null);
    const included = notCounted === null;
    const counted = included ? w.inStock.minus(w.committed).plus(settings.includeOrdered ? w.ordered : 0) : ZERO;
    if (included) {
      sum = sum.plus(counted);
      if (perMarketplaceWarehouse) groups.set(target!, (groups.get(target!) ?? ZERO).plus(counted));
    }
    return { w, included, notCounted, counted };
  });
  let lines: StockLine[];
  if (perMarketplaceWarehouse) {
    const codes = [...new Set(Object.values(settings.marketplaceWarehouses))].sort();
    lines = codes.map((code) => ({ warehouseCode: code, quantity: figure(groups.get(code) ?? ZERO, buffer, settings.cap) }));
  } else {
    lines = [{ warehouseCode: null, quantity: figure(sum, buffer, settings.cap) }];
  }
  const grossAvailable = lines.reduce((n, l) => n + l.quantity, 0);
  lines = withoutReserved(lines, reserved);
  return new ComputedAvailability(
    lines.reduce((n, l) => n + l.quantity, 0),
    lines,
    sum,
    buffer,
    reserved,
    grossAvailable,
    parts,
  );
}

const ZERO = new Decimal(0);

interface Part {
  w: WarehouseStock;
  included: boolean;
  notCounted: WarehouseNotCounted | null;
  counted: Decimal;
}

/**
 * A computed figure. Its breakdown (`warehouses`, text per warehouse for the Stock screen) is built when first read:
 * a cycle computing 100,000 figures never reads it.
 */
class ComputedAvailability implements Availability {
  readonly #parts: readonly Part[];
  #warehouses: WarehouseContribution[] | undefined;
  constructor(
    readonly available: number,
    readonly lines: StockLine[],
    readonly sum: Decimal,
    readonly buffer: number,
    readonly reserved: number,
    readonly grossAvailable: number,
    parts: readonly Part[],
  ) {
    this.#parts = parts;
  }

  get warehouses(): WarehouseContribution[] {
    this.#warehouses ??= [...this.#parts]
      .sort((a, b) => a.w.warehouseCode.localeCompare(b.w.warehouseCode))
      .map(({ w, included, notCounted, counted }) => ({
        warehouseCode: w.warehouseCode,
        included,
        notCounted,
        inStock: w.inStock.toString(),
        committed: w.committed.toString(),
        ordered: w.ordered.toString(),
        counted: counted.toString(),
      }));
    return this.#warehouses;
  }
}

/**
 * Takes units already sold on the marketplace but not yet committed in SAP off the lines: the marketplace
 * has counted them down, and sending SAP's figure as it stands would put them on sale a second time. The
 * order's warehouse is not known before SAP allocates it, so the largest lines give first.
 */
function withoutReserved(lines: StockLine[], reserved: number): StockLine[] {
  let left = Math.max(0, Math.floor(reserved));
  if (left === 0) return lines;
  const order = lines.map((l, i) => ({ l, i })).sort((a, b) => b.l.quantity - a.l.quantity);
  const out = [...lines];
  for (const { l, i } of order) {
    const take = Math.min(l.quantity, left);
    out[i] = { ...l, quantity: l.quantity - take };
    left -= take;
  }
  return out;
}
