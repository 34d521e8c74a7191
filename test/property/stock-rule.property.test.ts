import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability, type WarehouseStock, type WarehouseTraits } from '../../electron/engine/flows/stock/rule';
import { StockSettingsSchema } from '../../shared/domain/stock';
import { RUNS } from './arbitraries';

const CODES = ['01', '02', '03', 'RET', 'DS'];
/** SAP quantities: whole or fractional (SAP keeps 6 places), committed above in-stock allowed (SAP oversells). */
const qty = fc.oneof(
  fc.integer({ min: 0, max: 5_000 }).map((n) => new Decimal(n)),
  fc.integer({ min: 0, max: 5_000_000 }).map((n) => new Decimal(n).div(1000)),
);
const warehouses = fc
  .uniqueArray(fc.constantFrom(...CODES), { maxLength: CODES.length })
  .chain((codes) => fc.tuple(...codes.map((code) => fc.record({ warehouseCode: fc.constant(code), inStock: qty, committed: qty, ordered: qty }))));
const settings = fc
  .record({
    include: fc.subarray(CODES),
    exclude: fc.subarray(CODES),
    includeOrdered: fc.boolean(),
    buffer: fc.integer({ min: 0, max: 50 }),
    skuBuffer: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
    cap: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }),
    perWarehouse: fc.boolean(),
  })
  .map((s) =>
    StockSettingsSchema.parse({
      warehouses: { include: s.include, exclude: s.exclude },
      includeOrdered: s.includeOrdered,
      buffer: s.buffer,
      skuBuffers: s.skuBuffer === null ? {} : { SKU: s.skuBuffer },
      cap: s.cap,
      marketplaceWarehouses: s.perWarehouse ? { '01': 'LON', '02': 'LON', '03': 'MAN' } : {},
    }),
  );
const traits = fc
  .dictionary(fc.constantFrom(...CODES), fc.record({ active: fc.boolean(), nettable: fc.boolean(), dropShip: fc.boolean() }))
  .map((d) => new Map<string, WarehouseTraits>(Object.entries(d)));

/** Σ (in stock − committed [+ ordered]) over the warehouses that count. */
const sapSum = (stock: readonly WarehouseStock[], counted: (code: string) => boolean, includeOrdered: boolean) =>
  stock
    .filter((w) => counted(w.warehouseCode))
    .reduce(
      (a, w) =>
        a
          .plus(w.inStock)
          .minus(w.committed)
          .plus(includeOrdered ? w.ordered : 0),
      new Decimal(0),
    );

describe('the stock rule (SAP warehouses → the figure the marketplace shows)', () => {
  it('whole units, never below 0, never above the cap, never above what SAP holds in the warehouses that count', () => {
    fc.assert(
      fc.property(warehouses, settings, traits, fc.integer({ min: 0, max: 100 }), (stock, s, t, reserved) => {
        const a = computeAvailability('SKU', stock, s, reserved, t);
        const counted = new Set(a.warehouses.filter((w) => w.included).map((w) => w.warehouseCode));
        expect(Number.isInteger(a.available)).toBe(true);
        expect(a.available).toBeGreaterThanOrEqual(0);
        for (const l of a.lines) expect(l.quantity).toBeGreaterThanOrEqual(0);
        if (s.cap !== null) for (const l of a.lines) expect(l.quantity).toBeLessThanOrEqual(s.cap);
        expect(a.sum.eq(sapSum(stock, (c) => counted.has(c), s.includeOrdered))).toBe(true);
        // Each marketplace warehouse offers at most what its own SAP warehouses hold: one over-committed (below 0)
        // offers nothing and takes nothing from another's figure. Without them, one figure from the whole sum.
        const byTarget = new Map<string, Decimal>();
        for (const w of stock.filter((w) => counted.has(w.warehouseCode))) {
          const target = Object.keys(s.marketplaceWarehouses).length ? s.marketplaceWarehouses[w.warehouseCode]! : '';
          byTarget.set(target, (byTarget.get(target) ?? new Decimal(0)).plus(sapSum([w], () => true, s.includeOrdered)));
        }
        const most = [...byTarget.values()].reduce((n, d) => n + Math.max(0, d.floor().toNumber()), 0);
        expect(a.available).toBeLessThanOrEqual(most);
        expect(a.available).toBe(a.lines.reduce((n, l) => n + l.quantity, 0));
        // An excluded warehouse never counts, whatever else is said of it.
        for (const code of s.warehouses.exclude) expect(counted.has(code)).toBe(false);
      }),
      RUNS,
    );
  });

  it('one figure: floor(Σ − buffer), at least 0, capped, less what the marketplace already sold (reserved)', () => {
    fc.assert(
      fc.property(warehouses, settings, fc.integer({ min: 0, max: 100 }), (stock, s0, reserved) => {
        const s = { ...s0, marketplaceWarehouses: {} };
        const a = computeAvailability('SKU', stock, s, reserved);
        const buffer = s.skuBuffers.SKU ?? s.buffer;
        let figure = Decimal.max(0, a.sum.minus(buffer).floor()).toNumber();
        if (s.cap !== null) figure = Math.min(figure, s.cap);
        expect(a.grossAvailable).toBe(figure);
        expect(a.available).toBe(Math.max(0, figure - reserved));
        expect(a.buffer).toBe(buffer);
      }),
      RUNS,
    );
  });

  it('the order SAP lists its warehouses in does not matter', () => {
    fc.assert(
      fc.property(
        warehouses.chain((w) => fc.tuple(fc.constant(w), fc.shuffledSubarray(w, { minLength: w.length, maxLength: w.length }))),
        settings,
        traits,
        ([stock, shuffled], s, t) => {
          const a = computeAvailability('SKU', stock, s, 0, t);
          const b = computeAvailability('SKU', shuffled, s, 0, t);
          expect(b.lines).toEqual(a.lines);
          expect(b.sum.eq(a.sum)).toBe(true);
          expect(b.warehouses).toEqual(a.warehouses);
        },
      ),
      RUNS,
    );
  });

  it('more stock in a warehouse that counts never lowers the figure; more committed never raises it', () => {
    fc.assert(
      fc.property(warehouses, settings, traits, fc.integer({ min: 1, max: 500 }), (stock, s, t, more) => {
        const before = computeAvailability('SKU', stock, s, 0, t);
        const richer = stock.map((w) => ({ ...w, inStock: w.inStock.plus(more) }));
        const busier = stock.map((w) => ({ ...w, committed: w.committed.plus(more) }));
        expect(computeAvailability('SKU', richer, s, 0, t).available).toBeGreaterThanOrEqual(before.available);
        expect(computeAvailability('SKU', busier, s, 0, t).available).toBeLessThanOrEqual(before.available);
      }),
      RUNS,
    );
  });

  it('per marketplace warehouse: each line from its own SAP warehouses, the buffer held on each, reserved taken from the largest first', () => {
    fc.assert(
      fc.property(warehouses, settings, fc.integer({ min: 0, max: 100 }), (stock, s0, reserved) => {
        const s = { ...s0, marketplaceWarehouses: { '01': 'LON', '02': 'LON', '03': 'MAN' } };
        const a = computeAvailability('SKU', stock, s, reserved);
        expect(a.lines.map((l) => l.warehouseCode)).toEqual(['LON', 'MAN']);
        const gross = computeAvailability('SKU', stock, s, 0).lines;
        for (const [i, l] of a.lines.entries()) expect(l.quantity).toBeLessThanOrEqual(gross[i]!.quantity);
        expect(a.available).toBe(Math.max(0, a.grossAvailable - reserved));
      }),
      RUNS,
    );
  });
});
