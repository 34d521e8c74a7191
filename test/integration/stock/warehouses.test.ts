import { afterEach, describe, expect, it } from 'vitest';
import { sapAvailable, startStockRig, type StockRig } from './harness';

let rig: StockRig | null = null;
afterEach(async () => {
  await rig?.stop();
  rig = null;
});

const ORDINARY = ['01', '02', '03', '04'];
const breakdown = async (rig: StockRig, sku: string) =>
  Object.fromEntries((await rig.engine.query('stock.breakdown', { sku }))!.warehouses.map((w) => [w.warehouseCode, w]));

describe('warehouses SAP does not count as available', () => {
  it('leaves out warehouses SAP marks not nettable or drop-ship, and inactive ones, unless the operator includes them', async () => {
    // 05: quarantine, not nettable in SAP; 06: drop-ship, where a drop-ship Sales Order commits units nobody holds.
    rig = await startStockRig({ items: 6, notNettable: 1, dropShip: 1 });
    rig.sap.setStock('SKU000001', '05', 40);
    rig.sap.state.items.get('SKU000001')!.ItemWarehouseInfoCollection.find((w) => w.WarehouseCode === '06')!.Committed = 3;
    const first = await rig.cycle();
    expect(first).toMatchObject({ outcome: 'succeeded', counts: { read: 6, sent: 6, held: 0 } });
    for (const sku of rig.sap.state.itemOrder) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ORDINARY));
    expect((await rig.engine.query('stock.lastCycle', {}))!.warehousesExpected).toEqual(ORDINARY);
    const why = await breakdown(rig, 'SKU000001');
    expect(why['05']).toMatchObject({ included: false, notCounted: 'not-nettable', inStock: '40', counted: '0' });
    expect(why['06']).toMatchObject({ included: false, notCounted: 'drop-ship', committed: '3', counted: '0' });
    expect(why['01']).toMatchObject({ included: true, notCounted: null });

    // A warehouse made inactive in SAP stops counting too.
    rig.sap.state.warehouses.get('03')!.Inactive = 'tYES';
    await rig.cycle();
    expect(rig.onMarketplace('SKU000002')).toBe(sapAvailable(rig.sap, 'SKU000002', ['01', '02', '04']));
    expect((await breakdown(rig, 'SKU000002'))['03']).toMatchObject({ included: false, notCounted: 'inactive' });
    expect((await rig.engine.query('stock.lastCycle', {}))!.warehousesExpected).toEqual(['01', '02', '04']);

    // Chosen explicitly, the quarantine warehouse counts; the ones not listed do not, whatever SAP says of them.
    await rig.engine.command('settings.update', { actor: 'Priya', patch: { stock: { warehouses: { include: ['01', '05'], exclude: [] } } } });
    await rig.cycle();
    expect(rig.onMarketplace('SKU000001')).toBe(sapAvailable(rig.sap, 'SKU000001', ['01', '05']));
    const chosen = await breakdown(rig, 'SKU000001');
    expect(chosen['05']).toMatchObject({ included: true, notCounted: null, counted: '40' });
    expect(chosen['06']).toMatchObject({ included: false, notCounted: 'not-included' });
    expect(chosen['02']).toMatchObject({ included: false, notCounted: 'not-included' });
  });
});
