import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { computeAvailability, type WarehouseStock } from '../../../electron/engine/flows/stock/rule';
import { StockSettingsSchema, type StockSettingsPatch } from '../../../shared/domain/stock';

const w = (warehouseCode: string, inStock: number | string, committed: number | string = 0, ordered: number | string = 0): WarehouseStock => ({
  warehouseCode,
  inStock: new Decimal(inStock),
  committed: new Decimal(committed),
  ordered: new Decimal(ordered),
});
const settings = (patch: StockSettingsPatch = {}) => StockSettingsSchema.parse(patch);

describe('the stock rule', () => {
  it('sums InStock − Committed over every warehouse when none is listed', () => {
    const a = computeAvailability('SKU1', [w('01', 10, 3), w('02', 5, 1)], settings());
    expect(a.available).toBe(11);
    expect(a.lines).toEqual([{ warehouseCode: null, quantity: 11 }]);
  });

  it('never counts an excluded warehouse, even when it is also included, and shows it as not counted', () => {
    const a = computeAvailability('SKU1', [w('01', 10), w('RET', 40)], settings({ warehouses: { include: ['01', 'RET'], exclude: ['RET'] } }));
    expect(a.available).toBe(10);
    expect(a.warehouses.find((x) => x.warehouseCode === 'RET')).toMatchObject({ included: false, counted: '0', inStock: '40' });
  });

  it('counts only the included warehouses when some are listed', () => {
    expect(computeAvailability('SKU1', [w('01', 10), w('02', 7), w('03', 100)], settings({ warehouses: { include: ['01', '02'], exclude: [] } })).available).toBe(17);
  });

  it('leaves Ordered out unless asked', () => {
    expect(computeAvailability('SKU1', [w('01', 4, 0, 20)], settings()).available).toBe(4);
    expect(computeAvailability('SKU1', [w('01', 4, 0, 20)], settings({ includeOrdered: true })).available).toBe(24);
  });

  it('takes the buffer off, a SKU’s own buffer replacing the global one', () => {
    expect(computeAvailability('SKU1', [w('01', 10)], settings({ buffer: 2 })).available).toBe(8);
    expect(computeAvailability('SKU1', [w('01', 10)], settings({ buffer: 2, skuBuffers: { SKU1: 5 } })).available).toBe(5);
    expect(computeAvailability('SKU2', [w('01', 10)], settings({ buffer: 2, skuBuffers: { SKU1: 5 } })).available).toBe(8);
  });

  it('floors at 0 when committed stock or the buffer exceeds what is on hand', () => {
    expect(computeAvailability('SKU1', [w('01', 3, 5)], settings()).available).toBe(0);
    expect(computeAvailability('SKU1', [w('01', 3)], settings({ buffer: 10 })).available).toBe(0);
  });

  it('sells whole units only: fractional SAP quantities are rounded down, in decimal arithmetic', () => {
    const a = computeAvailability('SKU1', [w('01', '0.1'), w('02', '0.2'), w('03', '2.7')], settings());
    expect(a.sum.toString()).toBe('3');
    expect(a.available).toBe(3);
    expect(computeAvailability('SKU1', [w('01', '4.99')], settings()).available).toBe(4);
  });

  it('caps the figure', () => {
    expect(computeAvailability('SKU1', [w('01', 500)], settings({ cap: 50 })).available).toBe(50);
    expect(computeAvailability('SKU1', [w('01', 5)], settings({ cap: 50 })).available).toBe(5);
  });

  it('gives one line per marketplace warehouse when the marketplace keeps stock per warehouse', () => {
    const a = computeAvailability('SKU1', [w('01', 10), w('02', 4), w('03', 6), w('04', 99)], settings({ buffer: 1, marketplaceWarehouses: { '01': 'NORTH', '02': 'NORTH', '03': 'SOUTH' } }));
    expect(a.lines).toEqual([
      { warehouseCode: 'NORTH', quantity: 13 },
      { warehouseCode: 'SOUTH', quantity: 5 },
    ]);
    expect(a.available).toBe(18);
    expect(a.warehouses.find((x) => x.warehouseCode === '04')!.included).toBe(false);
  });
});
