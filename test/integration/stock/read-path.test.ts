import { afterEach, describe, expect, it } from 'vitest';
import { sapAvailable, startStockRig, type StockRig } from './harness';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import { READ_PATH_RECHECK_MS, readSapStock } from '../../../electron/engine/flows/stock/read';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS, type SapEmulator } from '../../../emulators/sap-b1';
import { StockRepository } from '../../../electron/engine/flows/stock/repository';
import { openLedger } from '../../../electron/engine/ledger/db';
import { tempDir } from '../../support/ports';
import { virtualClock } from '../sap-b1/harness';
import { asSap } from '../../support/sap';

const ALL = ['01', '02', '03', '04'];
/** Service Layer requests of one kind since the emulator last forgot its calls. */
const sapRequests = (sap: SapEmulator, method: string, prefix: string) =>
  sap.calls().filter((c) => c.method === method && c.path.replace(/^\/b1s\/v[12]\//, '').startsWith(prefix)).length;
const stockImports = (rig: StockRig) => rig.jl.admin.calls().filter((c) => c.operation === 'STO01');
const openExceptions = async (rig: StockRig) => (await rig.engine.query('exceptions.list', { flow: 'stock', state: 'open' })).rows;

let rig: StockRig | null = null;
afterEach(async () => {
  await rig?.stop();
  rig = null;
});

describe('stock flow on a Service Layer without SQL queries', () => {
  for (const [access, cause, sapMessage] of [
    ['absent', 'absent', 'Unrecognized resource path'],
    ['not-permitted', 'not-permitted', 'Creating or running SQL queries is not permitted for the current user'],
  ] as const) {
    it(`reads stock through Items in a live run when SQLQueries is ${access}, and the marketplace shows the rule applied to SAP`, async () => {
      rig = await startStockRig({ items: 12, sqlQueries: access });
      rig.sap.state.items.get('SKU000005')!.ItemWarehouseInfoCollection[1]!.Committed = 7;
      rig.sap.setStock('SKU000007', '03', 0);
      const first = await rig.cycle();
      expect(first).toMatchObject({ outcome: 'succeeded', counts: { read: 12, changed: 12, sent: 12, rejected: 0, held: 0 } });
      for (const sku of rig.sap.state.itemOrder) expect(rig.onMarketplace(sku)).toBe(sapAvailable(rig.sap, sku, ALL));
      expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({
        dryRun: false,
        readPath: 'items',
        readFallback: { cause, sapMessage, since: expect.any(String), recheckAt: expect.any(String) },
        warehousesMissing: [],
      });
      // SAP answered once that the query cannot be used; nothing was created there.
      expect(sapRequests(rig.sap, 'GET', 'SQLQueries') + sapRequests(rig.sap, 'POST', 'SQLQueries')).toBe(1);
      expect(rig.sap.state.sqlQueries.size).toBe(0);
      expect(await openExceptions(rig)).toEqual([]);

      // The next cycle remembers the answer: straight to Items, one page for 12 items.
      rig.sap.clearCalls();
      rig.sap.setStock('SKU000003', '02', 200);
      const delta = await rig.cycle();
      expect(delta.counts).toMatchObject({ read: 12, changed: 1, sent: 1 });
      expect(rig.onMarketplace('SKU000003')).toBe(sapAvailable(rig.sap, 'SKU000003', ALL));
      expect(sapRequests(rig.sap, 'GET', 'SQLQueries') + sapRequests(rig.sap, 'POST', 'SQLQueries')).toBe(0);
      expect(sapRequests(rig.sap, 'GET', 'Items?')).toBe(1);
      expect((await rig.engine.query('stock.lastCycle', {}))!.readPath).toBe('items');
    });
  }

  it('holds back the SKUs of a warehouse that does not answer, and sends nothing when the read fails, as the SQL query does', async () => {
    rig = await startStockRig({ items: 8, sqlQueries: 'absent', stock: { warehouses: { include: ALL, exclude: [] } } });
    await rig.cycle();
    const shownBefore = rig.onMarketplace('SKU000002');
    const removed = rig.sap.state.warehouses.get('04')!;
    rig.sap.state.warehouses.delete('04');
    rig.sap.setStock('SKU000002', '01', 300);
    const silent = await rig.cycle();
    expect(silent.counts).toMatchObject({ read: 8, held: 8, sent: 0 });
    expect(rig.onMarketplace('SKU000002')).toBe(shownBefore);
    expect(await openExceptions(rig)).toEqual([expect.objectContaining({ type: 'warehouse-unanswered', record: { type: 'warehouse', key: '04' } })]);
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ readPath: 'items', warehousesMissing: ['04'], held: 8 });

    rig.sap.state.warehouses.set('04', removed);
    const imports = stockImports(rig).length;
    // SAP's Items read fails: nothing may go out on a read that did not finish.
    rig.sap.setFaults([{ kind: 'error5xx', path: 'Items', status: 503 }]);
    const failed = await rig.cycle();
    expect(failed.outcome).toBe('failed');
    expect(stockImports(rig)).toHaveLength(imports);
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ warehousesMissing: ALL, error: expect.stringContaining('503') });

    rig.sap.setFaults([]);
    const back = await rig.cycle();
    expect(back.counts).toMatchObject({ held: 0, sent: 1 });
    expect(rig.onMarketplace('SKU000002')).toBe(sapAvailable(rig.sap, 'SKU000002', ALL));
    expect(await openExceptions(rig)).toEqual([]);
  });

  it('tries the SQL query again once the remembered answer is old, and goes back to it when SAP has it', async () => {
    rig = await startStockRig({ items: 6, sqlQueries: 'absent' });
    await rig.cycle();
    // The Service Layer is upgraded; until the answer is old, stock is still read through Items.
    rig.sap.setSqlQueries('available');
    await rig.ports.clock.advance(READ_PATH_RECHECK_MS / 2);
    await rig.cycle();
    expect((await rig.engine.query('stock.lastCycle', {}))!.readPath).toBe('items');
    expect(rig.sap.state.sqlQueries.size).toBe(0);

    await rig.ports.clock.advance(READ_PATH_RECHECK_MS / 2);
    rig.sap.setStock('SKU000004', '01', 111);
    await rig.cycle();
    expect(await rig.engine.query('stock.lastCycle', {})).toMatchObject({ readPath: 'sql-query', readFallback: null });
    expect(rig.sap.state.sqlQueries.size).toBe(1);
    expect(rig.onMarketplace('SKU000004')).toBe(sapAvailable(rig.sap, 'SKU000004', ALL));
  });
});

describe('the fallback read, request by request', () => {
  it('reads 3,000 items × 4 warehouses in 3 pages of Items, after one answer from SQLQueries that is then remembered', async () => {
    const clock = virtualClock();
    const sap = await startSapEmulator({ seed: { items: 3_000, warehouses: 4 }, sqlQueries: 'not-permitted', now: clock.now });
    const tmp = tempDir('stock-read-');
    const db = openLedger(tmp.file('ledger.db'));
    try {
      const repo = new StockRepository(db);
      const connector = createSapConnector({
        connection: {
          baseUrl: sap.url,
          companyDb: SAP_DEFAULTS.company,
          userName: SAP_DEFAULTS.user,
          serviceLayerVersion: 'v2',
          pinnedCertificate: null,
          maxConcurrency: 4,
          timeoutSeconds: 30,
        },
        password: async () => SAP_DEFAULTS.password,
        http: createHttpClientFactory(),
        clock,
        logger: memoryLogger(),
        isDryRun: () => false,
      });
      const options = { repo, identity: 'sap', now: new Date(clock.now()), sapWarehouseCount: 4 };
      const first = await readSapStock(asSap(connector), ALL, options);
      expect(first).toMatchObject({ path: 'items', fallback: { cause: 'not-permitted' } });
      expect(repo.stagedItems()).toBe(3_000);
      expect(first.rows).toBe(12_000);
      const sum = db.prepare('SELECT sum(in_stock) FROM temp.stock_read_rows').pluck().get() as number;
      expect(sum).toBe([...sap.state.items.values()].reduce((n, i) => n + i.ItemWarehouseInfoCollection.reduce((t, w) => t + w.InStock, 0), 0));
      expect(sapRequests(sap, 'GET', 'SQLQueries')).toBe(1);
      expect(sapRequests(sap, 'GET', 'Items?')).toBe(3);

      sap.clearCalls();
      const again = await readSapStock(asSap(connector), ALL, options);
      expect(repo.stagedItems()).toBe(3_000);
      expect(again.rows).toBe(12_000);
      expect(
        sap
          .calls()
          .filter((c) => c.path.startsWith('/b1s/'))
          .map((c) => c.path.split('?')[0]),
      ).toEqual(['/b1s/v2/Items', '/b1s/v2/Items', '/b1s/v2/Items']);
      // Only the item code and its warehouse rows are selected.
      expect(sap.calls()[0]!.path).toContain('$select=ItemCode,ItemWarehouseInfoCollection');
    } finally {
      db.close();
      tmp.cleanup();
      await sap.stop();
    }
  });
});
