import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { computeAvailability, whyNotCounted, type WarehouseStock, type WarehouseTraits } from '../../../electron/engine/flows/stock/rule';
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
    expect(
      computeAvailability('SKU1', [w('01', 10), w('02', 7), w('03', 100)], settings({ warehouses: { include: ['01', '02'], exclude: [] } })).available,
    ).toBe(17);
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
    const a = computeAvailability(
      'SKU1',
      [w('01', 10), w('02', 4), w('03', 6), w('04', 99)],
      settings({ buffer: 1, marketplaceWarehouses: { '01': 'NORTH', '02': 'NORTH', '03': 'SOUTH' } }),
    );
    expect(a.lines).toEqual([
      { warehouseCode: 'NORTH', quantity: 13 },
      { warehouseCode: 'SOUTH', quantity: 5 },
    ]);
    expect(a.available).toBe(18);
    expect(a.warehouses.find((x) => x.warehouseCode === '04')!.included).toBe(false);
  });
});

describe('the stock rule and what SAP says of each warehouse', () => {
  const t = (traits: Partial<WarehouseTraits> = {}): WarehouseTraits => ({ active: true, nettable: true, dropShip: false, ...traits });
  const sap = new Map<string, WarehouseTraits>([
    ['01', t()],
    ['02', t()],
    ['QC', t({ nettable: false })],
    ['DS', t({ dropShip: true })],
    ['OLD', t({ active: false })],
  ]);
  const stock = [w('01', 10, 2), w('02', 5), w('QC', 40), w('DS', 0, 3, 9), w('OLD', 7)];

  it('counts only active, nettable, not drop-ship warehouses when none is listed, and says why the others do not count', () => {
    const a = computeAvailability('SKU1', stock, settings({ includeOrdered: true }), 0, sap);
    expect(a.available).toBe(13);
    expect(Object.fromEntries(a.warehouses.map((x) => [x.warehouseCode, x.notCounted]))).toEqual({
      '01': null,
      '02': null,
      QC: 'not-nettable',
      DS: 'drop-ship',
      OLD: 'inactive',
    });
    expect(a.warehouses.find((x) => x.warehouseCode === 'DS')).toMatchObject({ included: false, counted: '0', committed: '3' });
  });

  it('counts a warehouse the operator lists, whatever SAP says of it, and only the listed ones', () => {
    const a = computeAvailability('SKU1', stock, settings({ warehouses: { include: ['01', 'QC', 'DS'], exclude: [] } }), 0, sap);
    expect(a.available).toBe(8 + 40 - 3);
    expect(Object.fromEntries(a.warehouses.map((x) => [x.warehouseCode, x.notCounted]))).toEqual({
      '01': null,
      '02': 'not-included',
      QC: null,
      DS: null,
      OLD: 'not-included',
    });
  });

  it('never counts an excluded warehouse, even one the operator also lists', () => {
    expect(whyNotCounted('QC', settings({ warehouses: { include: ['QC'], exclude: ['QC'] } }), sap)).toBe('excluded');
    expect(whyNotCounted('01', settings({ warehouses: { include: [], exclude: ['01'] } }), sap)).toBe('excluded');
  });

  it('takes a warehouse SAP did not describe as SAP’s default (it counts), as before SAP’s warehouses were read', () => {
    expect(whyNotCounted('NEW', settings(), sap)).toBeNull();
    expect(computeAvailability('SKU1', [w('01', 10), w('QC', 40)], settings()).available).toBe(50);
  });

  it('says a warehouse with no marketplace warehouse does not count when the marketplace keeps stock per warehouse', () => {
    const a = computeAvailability('SKU1', [w('01', 10), w('02', 4), w('QC', 9)], settings({ marketplaceWarehouses: { '01': 'NORTH', QC: 'SOUTH' } }), 0, sap);
    expect(a.lines).toEqual([
      { warehouseCode: 'NORTH', quantity: 10 },
      { warehouseCode: 'SOUTH', quantity: 0 },
    ]);
    expect(Object.fromEntries(a.warehouses.map((x) => [x.warehouseCode, x.notCounted]))).toEqual({
      '01': null,
      '02': 'no-marketplace-warehouse',
      QC: 'not-nettable',
    });
  });
});
