import { afterEach, describe, expect, it } from 'vitest';
import { sapAvailable, startStockRig, type StockRig } from './harness';
import { createDocument } from '../../../emulators/sap-b1/documents';

const ALL = ['01', '02', '03', '04'];
const stockImports = (rig: StockRig) => rig.jl.admin.calls().filter((c) => c.operation === 'STO01');
const openExceptions = async (rig: StockRig) => (await rig.engine.query('exceptions.list', { flow: 'stock', state: 'open' })).rows;

let rig: StockRig | null = null;
afterEach(async () => {
  await rig?.stop();
  rig = null;
});

describe('stock flow against both emulators', () => {
  it('puts SAP’s availability over every warehouse on the marketplace, batch items included, then sends only what changed', async () => {
    rig = await startStockRig({ items: 12, batchEvery: 5 });
    rig.sap.state.items.get('SKU000005')!.ItemWarehouseInfoCollection[1]!.Committed = 7;
    const first = await rig.cycle();
    expect(first).toMatchObject({ outcome: 'succeeded', counts: { read: 12, changed: 12, sent: 12, rejected: 0, held: 0 } });
    for (const sku of ['SKU000001', 'SKU000005', 'SKU000010', 'SKU000012']) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));
    expect(rig.sap.state.items.get('SKU000010')!.ManageBatchNumbers).toBe('tYES');
    expect(stockImports(rig)).toHaveLength(1);

    const quiet = await rig.cycle();
    expect(quiet.counts).toMatchObject({ read: 12, changed: 0, sent: 0 });
    expect(stockImports(rig)).toHaveLength(1);

    rig.sap.setStock('SKU000003', '02', 200);
    const delta = await rig.cycle();
    expect(delta.counts).toMatchObject({ changed: 1, sent: 1 });
    expect(stockImports(rig)).toHaveLength(2);
    expect(stockImports(rig)[1]!.body).toContain('SKU000003');
    expect(stockImports(rig)[1]!.body).not.toContain('SKU000004');
    expect(rig.onMarketplace('SKU000003')).toBe(sapAvailable(rig.sap, 'SKU000003', ALL));

    const last = await rig.engine.query('stock.lastCycle', {});
    expect(last).toMatchObject({
      skusRead: 12,
      changed: 1,
      sent: 1,
      rejected: 0,
      importStatus: 'COMPLETE',
      warehousesExpected: ALL,
      warehousesMissing: [],
      readPath: 'sql-query',
      readFallback: null,
    });
    const breakdown = (await rig.engine.query('stock.breakdown', { sku: 'SKU000005' }))!;
    expect(breakdown.warehouses.map((w) => w.warehouseCode)).toEqual(ALL);
    expect(breakdown.warehouses[1]!.committed).toBe('7');
    expect(breakdown.confirmed).toBe(rig.onMarketplace('SKU000005'));
  });

  it('a stock import the marketplace fails is an exception until the next import goes through, which sends its SKUs again', async () => {
    rig = await startStockRig({ items: 4 });
    rig.jl.admin.setFaults({ failImportsNext: 1 });
    await rig.cycle();
    const failed = await openExceptions(rig);
    expect(failed).toEqual([expect.objectContaining({ type: 'stock-import-failed', severity: 'error' })]);
    expect(rig.onMarketplace('SKU000001')).not.toBe(sapAvailable(rig.sap, 'SKU000001', ALL));

    await rig.cycle();
    expect(stockImports(rig)).toHaveLength(2);
    for (const sku of ['SKU000001', 'SKU000004']) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));
    expect(await openExceptions(rig)).toEqual([]);
  });

  it('never counts excluded warehouses, and applies buffers and the cap', async () => {
    rig = await startStockRig({ items: 6, stock: { warehouses: { include: [], exclude: ['04'] }, buffer: 2, skuBuffers: { SKU000003: 10 }, cap: 150 } });
    for (const w of ALL) rig.sap.setStock('SKU000001', w, 100);
    rig.sap.setStock('SKU000002', '01', 1);
    for (const w of ['02', '03']) rig.sap.setStock('SKU000002', w, 0);
    rig.sap.setStock('SKU000002', '04', 500);
    for (const w of ALL) rig.sap.setStock('SKU000003', w, 20);
    await rig.cycle();
    expect(rig.onMarketplace('SKU000001')).toBe(150); // 300 − 2, capped at 150; warehouse 04 not counted
    expect(rig.onMarketplace('SKU000002')).toBe(0); // 1 − 2 floored at 0, 500 in the returns warehouse ignored
    expect(rig.onMarketplace('SKU000003')).toBe(50); // 60 − its own buffer of 10
    const breakdown = (await rig.engine.query('stock.breakdown', { sku: 'SKU000002' }))!;
    expect(breakdown.warehouses.find((w) => w.warehouseCode === '04')).toMatchObject({ included: false, inStock: '500', counted: '0' });
    expect((await rig.engine.query('stock.lastCycle', {}))!.warehousesExpected).toEqual(['01', '02', '03']);
  });

  it('sends nothing for the SKUs a silent warehouse holds, names it in an exception, and catches up when it answers', async () => {
    rig = await startStockRig({ items: 8, stock: { warehouses: { include: ALL, exclude: [] } } });
    await rig.cycle();
    const shownBefore = rig.onMarketplace('SKU000002');
    // Warehouse 04 drops out of SAP's stock read (renamed or removed): its rows no longer come back.
    const removed = rig.sap.state.warehouses.get('04')!;
    rig.sap.state.warehouses.delete('04');
    rig.sap.setStock('SKU000002', '01', 300);
    const silent = await rig.cycle();
    expect(silent.counts).toMatchObject({ read: 8, held: 8, sent: 0 });
    expect(rig.onMarketplace('SKU000002')).toBe(shownBefore);
    expect(await openExceptions(rig)).toEqual([expect.objectContaining({ type: 'warehouse-unanswered', record: { type: 'warehouse', key: '04' } })]);
    expect(rig.ports.notifications.map((n) => n.title)).toContain('Stock blocked: warehouse 04');
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ warehousesMissing: ['04'], held: 8, sent: 0 });
    expect((await rig.engine.query('stock.skus', { search: 'SKU000002' })).rows[0]!.heldBy).toEqual(['04']);

    rig.sap.state.warehouses.set('04', removed);
    const back = await rig.cycle();
    expect(back.counts).toMatchObject({ held: 0, sent: 1 });
    expect(rig.onMarketplace('SKU000002')).toBe(sapAvailable(rig.sap, 'SKU000002', ALL));
    expect(await openExceptions(rig)).toEqual([]);
  });

  it('sends nothing when an included warehouse is not in SAP at all, or when SAP’s stock read fails', async () => {
    rig = await startStockRig({ items: 4, stock: { warehouses: { include: ['01', 'W9'], exclude: [] } } });
    const run = await rig.cycle();
    expect(run.counts).toMatchObject({ held: 4, sent: 0 });
    expect(stockImports(rig)).toHaveLength(0);
    expect((await openExceptions(rig)).map((e) => e.record.key)).toEqual(['W9']);

    await rig.engine.command('settings.update', { actor: 'Priya', patch: { stock: { warehouses: { include: ['01', '02'], exclude: [] } } } });
    rig.sap.setFaults([{ kind: 'error5xx', path: 'SQLQueries' }]);
    const failed = await rig.cycle();
    expect(failed.outcome).toBe('failed');
    expect(stockImports(rig)).toHaveLength(0);
    expect((await openExceptions(rig)).map((e) => e.record.key).sort()).toEqual(['01', '02', 'W9']);
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ warehousesMissing: ['01', '02'], error: expect.stringContaining('503') });
  });

  it('turns each rejected line into an exception on its SKU, lets the rest through, and resolves it when it goes through', async () => {
    rig = await startStockRig({ items: 6 });
    await rig.cycle();
    // The offer is withdrawn on the marketplace after the reconciliation, then its stock changes in SAP.
    rig.jl.state.offers.delete('SKU000004');
    rig.sap.setStock('SKU000004', '01', 77);
    rig.sap.setStock('SKU000005', '01', 66);
    const run = await rig.cycle();
    expect(run.counts).toMatchObject({ sent: 2, rejected: 1 });
    expect(rig.onMarketplace('SKU000005')).toBe(sapAvailable(rig.sap, 'SKU000005', ALL));
    const [exception] = await openExceptions(rig);
    expect(exception).toMatchObject({
      type: 'sku-unknown',
      record: { type: 'sku', key: 'SKU000004' },
      summary: expect.stringContaining('unknown on the marketplace'),
    });
    expect(exception!.rawError).toContain("sku 'SKU000004' does not exist");
    expect((await rig.engine.query('stock.skus', { search: 'SKU000004' })).rows[0]!.rejected).toContain('does not exist');

    // Not resent every cycle while nothing changed…
    expect((await rig.cycle()).counts).toMatchObject({ sent: 0 });
    // …until the offer is back and the operator retries.
    rig.jl.admin.seedOffers([{ sku: 'SKU000004', quantity: 0 }]);
    await rig.engine.command('exceptions.retry', { id: exception!.id, actor: 'Priya' });
    await rig.cycle();
    expect(rig.onMarketplace('SKU000004')).toBe(sapAvailable(rig.sap, 'SKU000004', ALL));
    expect(await openExceptions(rig)).toEqual([]);
    expect((await rig.engine.query('exceptions.get', { id: exception!.id })).exception.state).toBe('resolved');
  });

  it('lists SKUs mapped on one side only, and the nightly reconciliation corrects drift on the marketplace', async () => {
    rig = await startStockRig({ items: 6, offered: 4 });
    rig.jl.admin.seedOffers([{ sku: 'JL-ORPHAN', quantity: 3 }]);
    const first = await rig.cycle();
    expect(first.counts).toMatchObject({ read: 6, sent: 4, rejected: 0 });
    const list = await rig.engine.query('stock.reconciliation', {});
    expect(list.rows.map((r) => `${r.side}:${r.sku}`)).toEqual(['marketplace-only:JL-ORPHAN', 'sap-only:SKU000005', 'sap-only:SKU000006']);
    expect(list.reconciledAt).not.toBeNull();

    // Someone edits a quantity on the marketplace's side: the delta alone cannot see it.
    const truth = rig.onMarketplace('SKU000002');
    rig.jl.state.offers.get('SKU000002')!.quantity = 999;
    expect((await rig.cycle()).counts).toMatchObject({ sent: 0 });
    expect(rig.onMarketplace('SKU000002')).toBe(999);
    // The next night at 02:00 (UK) the full reconciliation finds it and the same cycle puts it right.
    const untilNight = Date.UTC(2026, 10, 27, 2, 0, 0) - rig.ports.clock.now();
    await rig.ports.clock.advance(untilNight);
    await rig.cycle();
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ reconciled: true, drift: 1, sent: 1 });
    expect(rig.onMarketplace('SKU000002')).toBe(truth);
  });

  it('puts SKUs touched by new marketplace orders first when an import cannot take every change', async () => {
    rig = await startStockRig({ items: 6, stock: { maxLinesPerImport: 1 } });
    // One SKU per import: the six first figures take six cycles.
    for (let i = 0; i < 6; i++) expect((await rig.cycle()).counts).toMatchObject({ changed: 6 - i, sent: 1 });
    rig.sap.setStock('SKU000001', '01', 91);
    rig.sap.setStock('SKU000006', '01', 96);
    rig.flow.markTouched(['SKU000006']);
    const run = await rig.cycle();
    expect(run.counts).toMatchObject({ changed: 2, sent: 1 });
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ fastLane: 1 });
    expect(rig.onMarketplace('SKU000006')).toBe(sapAvailable(rig.sap, 'SKU000006', ALL));
    expect(rig.onMarketplace('SKU000001')).not.toBe(sapAvailable(rig.sap, 'SKU000001', ALL));
    await rig.cycle();
    expect(rig.onMarketplace('SKU000001')).toBe(sapAvailable(rig.sap, 'SKU000001', ALL));
    const figure = sapAvailable(rig.sap, 'SKU000001', ALL);
    expect(rig.flow.availabilityFor('SKU000001')).toEqual({ available: figure, grossAvailable: figure, computedAt: expect.any(String) });
    expect(rig.flow.availabilityFor('NOPE')).toBeNull();
  });

  it('puts SKUs on SAP documents created since the last cycle first: a sale keyed straight into SAP reaches the marketplace before the rest', async () => {
    rig = await startStockRig({ items: 6, stock: { maxLinesPerImport: 1 } });
    for (let i = 0; i < 6; i++) await rig.cycle();
    rig.sap.setStock('SKU000001', '01', 91);
    rig.sap.setStock('SKU000002', '01', 92);
    // A phone order keyed into SAP for SKU000005: its Sales Order commits stock, and the item is on a new document.
    createDocument(rig.sap.state, 'v2', 'Orders', {
      CardCode: 'C-JLM',
      DocDueDate: '2026-11-30',
      DocumentLines: [{ ItemCode: 'SKU000005', Quantity: 3, WarehouseCode: '01', UnitPrice: 10 }],
    });
    const run = await rig.cycle();
    expect(run.counts).toMatchObject({ changed: 3, sent: 1 });
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ fastLane: 1 });
    expect(rig.onMarketplace('SKU000005')).toBe(sapAvailable(rig.sap, 'SKU000005', ALL));
  });
});

describe('stock flow over more SKUs than one step of the cycle takes', () => {
  const skusIn = (body: string) => [...new Set(body.match(/SKU\d{6}/g) ?? [])].sort();

  it('computes every SKU’s figure and sends exactly the changed ones, SKUs at the edges of a step included', async () => {
    rig = await startStockRig({ items: 23, chunkSkus: 5 });
    const first = await rig.cycle();
    expect(first.counts).toMatchObject({ read: 23, changed: 23, sent: 23, held: 0 });
    const all = [...rig.sap.state.items.keys()];
    for (const sku of all) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));
    expect(skusIn(stockImports(rig)[0]!.body)).toEqual(all.sort());

    // The last SKU of a step, the first of the next, one in the middle and the very last.
    const changed = ['SKU000005', 'SKU000006', 'SKU000012', 'SKU000023'];
    changed.forEach((sku, i) => rig!.sap.setStock(sku, ALL[i]!, 300 + i));
    const delta = await rig.cycle();
    expect(delta.counts).toMatchObject({ read: 23, changed: 4, sent: 4, held: 0 });
    expect(skusIn(stockImports(rig)[1]!.body)).toEqual(changed);
    for (const sku of all) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));
    expect((await rig.cycle()).counts).toMatchObject({ read: 23, changed: 0, sent: 0 });
  });

  it('computes every figure again when only the stock settings changed, though SAP’s stock did not', async () => {
    rig = await startStockRig({ items: 9, chunkSkus: 4 });
    for (const sku of rig.sap.state.itemOrder) rig.sap.setStock(sku, '01', 50);
    await rig.cycle();
    expect((await rig.cycle()).counts).toMatchObject({ read: 9, changed: 0, sent: 0 });
    await rig.engine.command('settings.update', { actor: 'Priya', patch: { stock: { buffer: 5, skuBuffers: { SKU000007: 9 } } } });
    expect((await rig.cycle()).counts).toMatchObject({ read: 9, changed: 9, sent: 9 });
    for (const sku of rig.sap.state.itemOrder) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL) - (sku === 'SKU000007' ? 9 : 5));
    expect((await rig.cycle()).counts).toMatchObject({ changed: 0, sent: 0 });
  });

  it('holds back every SKU a silent warehouse holds and puts the fast lane first, across steps', async () => {
    rig = await startStockRig({ items: 12, chunkSkus: 5, stock: { warehouses: { include: ALL, exclude: [] }, maxLinesPerImport: 2 } });
    for (let i = 0; i < 6; i++) await rig.cycle();
    expect((await rig.engine.query('stock.skus', { limit: 100, offset: 0 })).rows.every((r) => r.confirmed === r.available)).toBe(true);

    rig.sap.setStock('SKU000002', '01', 111);
    rig.sap.setStock('SKU000009', '01', 119);
    rig.sap.setStock('SKU000011', '01', 121);
    rig.flow.markTouched(['SKU000011']);
    const run = await rig.cycle();
    expect(run.counts).toMatchObject({ changed: 3, sent: 2 });
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ fastLane: 1 });
    expect(skusIn(stockImports(rig).at(-1)!.body)).toEqual(['SKU000002', 'SKU000011']);
    expect((await rig.cycle()).counts).toMatchObject({ changed: 1, sent: 1 });
    for (const sku of ['SKU000002', 'SKU000009', 'SKU000011']) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));

    const removed = rig.sap.state.warehouses.get('04')!;
    rig.sap.state.warehouses.delete('04');
    rig.sap.setStock('SKU000007', '01', 400);
    expect((await rig.cycle()).counts).toMatchObject({ read: 12, held: 12, sent: 0 });
    rig.sap.state.warehouses.set('04', removed);
    expect((await rig.cycle()).counts).toMatchObject({ held: 0, changed: 1, sent: 1 });
    expect(rig.onMarketplace('SKU000007')).toBe(sapAvailable(rig.sap, 'SKU000007', ALL));
  });

  it('reconciles against an offer export in several CSV files, with the same drift and one-side lists', async () => {
    rig = await startStockRig({ items: 6, offered: 4 });
    // 20,000 offers SAP does not have, and four it has: three files of at most 10,000 offers.
    rig.jl.admin.seedOffers(Array.from({ length: 20_000 }, (_, i) => ({ sku: `JL-ONLY-${String(i).padStart(5, '0')}`, quantity: i % 3 })));
    const first = await rig.cycle();
    expect(first.counts).toMatchObject({ read: 6, sent: 4, rejected: 0 });
    const [exportCall] = rig.jl.admin.calls().filter((c) => c.operation === 'OF52');
    expect(JSON.parse(exportCall!.body)).toMatchObject({ export_type: 'text/csv', include_fields: ['shop-sku', 'quantity'], items_per_chunk: 10_000 });
    expect(rig.jl.admin.calls().filter((c) => c.operation === 'OF54' && c.status === 200)).toHaveLength(3);
    const sapOnly = await rig.engine.query('stock.reconciliation', { side: 'sap-only' });
    expect(sapOnly.rows.map((r) => r.sku)).toEqual(['SKU000005', 'SKU000006']);
    const marketplaceOnly = await rig.engine.query('stock.reconciliation', { side: 'marketplace-only', limit: 2, offset: 19_998 });
    expect(marketplaceOnly.total).toBe(20_000);
    expect(marketplaceOnly.rows.map((r) => [r.sku, r.marketplaceQuantity])).toEqual([
      ['JL-ONLY-19998', 19_998 % 3],
      ['JL-ONLY-19999', 19_999 % 3],
    ]);

    const truth = rig.onMarketplace('SKU000003');
    rig.jl.state.offers.get('SKU000003')!.quantity = 999;
    rig.jl.state.offers.delete('JL-ONLY-00007');
    const untilNight = Date.UTC(2026, 10, 27, 2, 0, 0) - rig.ports.clock.now();
    await rig.ports.clock.advance(untilNight);
    await rig.cycle();
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ reconciled: true, drift: 1, sent: 1 });
    expect(rig.onMarketplace('SKU000003')).toBe(truth);
    expect((await rig.engine.query('stock.reconciliation', { side: 'marketplace-only', limit: 1 })).total).toBe(19_999);
    expect((await rig.engine.query('stock.reconciliation', { side: 'sap-only' })).rows.map((r) => r.sku)).toEqual(['SKU000005', 'SKU000006']);
  });
});

describe('stock flow on its cadence', () => {
  it('has a stock change in SAP on the marketplace within two cadences', async () => {
    rig = await startStockRig({ items: 5 });
    const start = rig.ports.clock.now();
    rig.engine.start();
    const shown = () => rig!.onMarketplace('SKU000002');
    const inSap = () => sapAvailable(rig!.sap, 'SKU000002', ALL);
    // Time moves a second at a time, with a real pause so HTTP to the emulators completes between ticks.
    const tick = async () => {
      await rig!.ports.clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 2));
    };
    while (rig.ports.clock.now() - start < 60_000) await tick();
    expect(shown()).toBe(inSap());
    rig.sap.setStock('SKU000002', '03', 250);
    const changedAt = rig.ports.clock.now();
    while (shown() !== inSap() && rig.ports.clock.now() - changedAt < 2 * 120_000) await tick();
    expect(shown()).toBe(inSap());
    expect(rig.ports.clock.now() - changedAt).toBeLessThanOrEqual(2 * 120_000);
  });
});

describe('stock flow under dry run', () => {
  it('sends nothing to the marketplace, writes nothing to SAP, and records the file it would have sent', async () => {
    rig = await startStockRig({ items: 5, dryRun: true, startQuantity: 1 });
    const run = await rig.cycle();
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { read: 5, changed: 5, sent: 0 } });
    expect(stockImports(rig)).toHaveLength(0);
    expect(rig.onMarketplace('SKU000001')).toBe(1);
    // The stock query cannot be created under dry run: stock came from Items' warehouse info instead.
    const sapCalls = rig.sap.calls();
    expect(sapCalls.filter((c) => c.method !== 'GET' && !c.path.includes('Login'))).toEqual([]);
    expect(sapCalls.some((c) => c.path.includes('ItemWarehouseInfoCollection'))).toBe(true);
    const [recorded] = rig.engine.ledger.intents.dryRuns(5);
    expect(recorded).toMatchObject({ system: 'marketplace', operation: 'STO01', outcome: 'dry-run' });
    // The file as lines of text, one per row (SKU;quantity), not JSON objects: a third of the ledger space.
    const file = recorded!.payload as { skus: number; rowCount: number; lines: string };
    expect(file).toMatchObject({ skus: 5, rowCount: 5 });
    expect(file.lines.split('\n')).toContain(`SKU000001;${sapAvailable(rig.sap, 'SKU000001', ALL)}`);
    expect(JSON.stringify(recorded!.payload).length).toBeLessThan(60 + 5 * 16);
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({
      dryRun: true,
      importStatus: 'dry-run',
      sent: 0,
      readPath: 'items',
      readFallback: { cause: 'dry-run', since: null, recheckAt: null },
    });
    // Dry run's reason is not remembered: a live cycle uses the SQL query at once.
    await rig.engine.command('settings.update', { actor: 'Priya', patch: { dryRun: false } });
    await rig.cycle();
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ dryRun: false, readPath: 'sql-query', readFallback: null });
  });
});
