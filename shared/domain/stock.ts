import { z } from 'zod';

const WarehouseCode = z.string().trim().min(1).max(8);
const Sku = z.string().trim().min(1).max(100);
const Quantity = z.number().int().min(0).max(1_000_000);

const WarehouseSelectionSchema = z.object({
  /** Warehouses whose stock counts; empty: every active SAP warehouse. */
  include: z.array(WarehouseCode).max(200).default([]),
  /** Never counted, even when included (returns, quarantine, display stock). */
  exclude: z.array(WarehouseCode).max(200).default([]),
});

/** Each stock setting without its default, so an operator's patch carries only what they changed. */
const stockFields = {
  warehouses: WarehouseSelectionSchema,
  /** Count stock ordered from suppliers (SAP Ordered) as available. Off by default: it has not arrived. */
  includeOrdered: z.boolean(),
  /** Units held back from the marketplace on every SKU. */
  buffer: Quantity,
  /** Units held back on one SKU, replacing the global buffer for it. */
  skuBuffers: z.record(Sku, Quantity),
  /** Never show more than this many units (null: no cap). */
  cap: Quantity.nullable(),
  /** UK time of day (HH:MM) after which the daily full reconciliation against the marketplace's offers runs. */
  fullReconciliationAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour)'),
  /** SAP warehouse → marketplace warehouse code, when the marketplace keeps stock per warehouse; empty: one figure per SKU. */
  marketplaceWarehouses: z.record(WarehouseCode, z.string().trim().min(1).max(50)),
  /** Lines in one stock import; SKUs beyond it wait for the next cycle (SKUs touched by documents go first). */
  maxLinesPerImport: z.number().int().min(1).max(200_000),
};

/**
 * How the stock flow turns SAP warehouse stock into the figure the marketplace shows (see docs/stock.md).
 * Quantities are whole units: the marketplace sells whole items.
 */
export const StockSettingsSchema = z.object({
  warehouses: stockFields.warehouses.default({ include: [], exclude: [] }),
  includeOrdered: stockFields.includeOrdered.default(false),
  buffer: stockFields.buffer.default(0),
  skuBuffers: stockFields.skuBuffers.default({}),
  cap: stockFields.cap.default(null),
  fullReconciliationAt: stockFields.fullReconciliationAt.default('02:00'),
  marketplaceWarehouses: stockFields.marketplaceWarehouses.default({}),
  maxLinesPerImport: stockFields.maxLinesPerImport.default(50_000),
});
export type StockSettings = z.infer<typeof StockSettingsSchema>;
export const DEFAULT_STOCK_SETTINGS: StockSettings = StockSettingsSchema.parse({});

/** An operator's change to the stock settings: each given key replaces the current value. */
export const StockSettingsPatchSchema = z.object(stockFields).partial();
export type StockSettingsPatch = z.infer<typeof StockSettingsPatchSchema>;

/** How a cycle read SAP's stock: the stored SQL query over OITW, or pages of Items with their warehouse rows. */
export const StockReadPathSchema = z.enum(['sql-query', 'items']);
export type StockReadPath = z.infer<typeof StockReadPathSchema>;

/**
 * Why stock was read through Items: the Service Layer has no SQLQueries (before 10.0 FP 2011), SAP does not
 * permit this user or company SQL queries, or dry run may not create the query.
 */
export const StockReadFallbackSchema = z.object({
  cause: z.enum(['absent', 'not-permitted', 'dry-run']),
  /** SAP's answer, verbatim. */
  sapMessage: z.string(),
  /** When SAP first answered so (the decision is remembered between cycles); null under dry run. */
  since: z.string().nullable(),
  /** When the SQL query is tried again; null under dry run (tried every cycle). */
  recheckAt: z.string().nullable(),
});
export type StockReadFallback = z.infer<typeof StockReadFallbackSchema>;

/** One stock cycle as the Stock screen shows it. */
export const StockCycleSchema = z.object({
  id: z.number().int(),
  runId: z.number().int().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** SKUs read from SAP this cycle. */
  skusRead: z.number().int().nonnegative(),
  /** SKUs whose figure differs from what the marketplace last confirmed. */
  changed: z.number().int().nonnegative(),
  /** SKUs in the stock import sent this cycle (0 under dry run). */
  sent: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** SKUs not sent because a warehouse holding them did not answer. */
  held: z.number().int().nonnegative(),
  /** Changed SKUs that went first because an SAP document or a marketplace order touched them. */
  fastLane: z.number().int().nonnegative(),
  warehousesExpected: z.array(z.string()),
  warehousesMissing: z.array(z.string()),
  /** How SAP's stock was read (null: the cycle stopped before reading it). */
  readPath: StockReadPathSchema.nullable(),
  /** Why the read went through Items instead of the SQL query. */
  readFallback: StockReadFallbackSchema.nullable(),
  importId: z.string().nullable(),
  /** COMPLETE, FAILED, WAITING…, 'dry-run', or null when nothing needed sending. */
  importStatus: z.string().nullable(),
  dryRun: z.boolean(),
  /** Whether this cycle compared every SKU with the marketplace's offer quantities. */
  reconciled: z.boolean(),
  /** SKUs whose marketplace quantity had drifted from the last confirmed figure (full reconciliation only). */
  drift: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type StockCycle = z.infer<typeof StockCycleSchema>;

/** One SKU in the Stock screen's list. */
export const SkuStockSchema = z.object({
  sku: z.string(),
  itemCode: z.string(),
  /** What the rule computed in the last cycle that read this SKU. */
  available: z.number().int().nonnegative(),
  computedAt: z.string(),
  /** What the marketplace last confirmed (null: never confirmed). */
  confirmed: z.number().int().nonnegative().nullable(),
  confirmedAt: z.string().nullable(),
  /** Warehouses that did not answer in the last cycle, so this SKU's figure was not sent. */
  heldBy: z.array(z.string()),
  /** The marketplace rejected the last figure sent (reason in the exception). */
  rejected: z.string().nullable(),
});
export type SkuStock = z.infer<typeof SkuStockSchema>;

/**
 * Why a warehouse's stock did not count: excluded or not in the included list (Stock settings); with no
 * included list, inactive, not nettable or drop-ship in SAP; or (per-warehouse lines) no marketplace warehouse.
 */
export const WarehouseNotCountedSchema = z.enum(['excluded', 'not-included', 'inactive', 'not-nettable', 'drop-ship', 'no-marketplace-warehouse']);
export type WarehouseNotCounted = z.infer<typeof WarehouseNotCountedSchema>;

/** How one warehouse counted towards a SKU's figure. Quantities are SAP's decimals as strings. */
export const WarehouseContributionSchema = z.object({
  warehouseCode: z.string(),
  included: z.boolean(),
  /** Why it did not count (null when it counted). */
  notCounted: WarehouseNotCountedSchema.nullable(),
  inStock: z.string(),
  committed: z.string(),
  ordered: z.string(),
  /** What it added to the sum (0 when excluded). */
  counted: z.string(),
});
export type WarehouseContribution = z.infer<typeof WarehouseContributionSchema>;

export const StockLineSchema = z.object({ warehouseCode: z.string().nullable(), quantity: z.number().int().nonnegative() });
export type StockLine = z.infer<typeof StockLineSchema>;

/** A SKU's figure, warehouse by warehouse, the way the rule computed it. */
export const SkuBreakdownSchema = SkuStockSchema.extend({
  warehouses: z.array(WarehouseContributionSchema),
  /** Σ counted, before buffer and cap. */
  sum: z.string(),
  buffer: z.number().int().nonnegative(),
  /** Units on marketplace orders SAP did not hold as Sales Orders when it was read, taken off the figure. */
  reserved: z.number().int().nonnegative(),
  cap: z.number().int().nonnegative().nullable(),
  includeOrdered: z.boolean(),
  /** The lines as sent to the marketplace (one global line, or one per marketplace warehouse). */
  lines: z.array(StockLineSchema),
});
export type SkuBreakdown = z.infer<typeof SkuBreakdownSchema>;

export const ReconciliationSideSchema = z.enum(['sap-only', 'marketplace-only']);
export type ReconciliationSide = z.infer<typeof ReconciliationSideSchema>;

/** A SKU mapped on one side only, found by the full reconciliation. */
export const ReconciliationRowSchema = z.object({
  sku: z.string(),
  itemCode: z.string().nullable(),
  side: ReconciliationSideSchema,
  /** The marketplace's quantity, for marketplace-only offers. */
  marketplaceQuantity: z.number().int().nullable(),
  seenAt: z.string(),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRowSchema>;
