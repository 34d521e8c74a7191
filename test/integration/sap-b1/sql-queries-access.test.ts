import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';

/** Raw HTTP against the emulator: what a Service Layer client sees. */
async function session(url: string, version: 'v1' | 'v2') {
  const login = await fetch(`${url}/b1s/${version}/Login`, {
    method: 'POST',
    body: JSON.stringify({ CompanyDB: 'SBODEMOGB', UserName: 'manager', Password: 'manager' }),
  });
  const id = ((await login.json()) as { SessionId: string }).SessionId;
  return async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${url}/b1s/${version}/${path}`, {
      method,
      headers: { Cookie: `B1SESSION=${id}`, 'Content-Type': 'application/json', ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & {
        value?: Record<string, unknown>[];
        error?: { code: unknown; message: unknown };
      },
    };
  };
}

const QUERY = { SqlCode: 'stock', SqlName: 'stock', SqlText: 'SELECT T0."ItemCode", T0."WhsCode", T0."OnHand" FROM OITW T0' };
const admin = (sap: SapEmulator, access: string) =>
  fetch(`${sap.url}/__admin/sql-queries`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access }) });

describe('SAP emulator: SQLQueries on older Service Layers and for users without the permission', () => {
  let sap: SapEmulator;
  beforeAll(async () => {
    sap = await startSapEmulator({ seed: { items: 6, warehouses: 2 } });
  });
  afterAll(() => sap.stop());
  beforeEach(() => sap.reset());

  it('answers every SQLQueries request as an unknown resource where the Service Layer predates them, in both protocol versions', async () => {
    expect((await admin(sap, 'absent')).status).toBe(204);
    const v1 = await session(sap.url, 'v1');
    for (const [method, path] of [
      ['GET', "SQLQueries('stock')?$select=SqlCode"],
      ['POST', 'SQLQueries'],
      ['GET', "SQLQueries('stock')/List"],
      ['GET', 'SQLQueries'],
    ] as const) {
      const r = await v1(method, path, method === 'POST' ? { body: QUERY } : {});
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: -1002, message: { lang: 'en-us', value: 'Unrecognized resource path' } });
    }
    const v2 = await session(sap.url, 'v2');
    expect((await v2('GET', "SQLQueries('stock')")).body.error).toEqual({ code: '-1002', message: 'Unrecognized resource path' });
    // Everything else still answers, Items with their warehouse rows included.
    const items = await v2('GET', 'Items?$select=ItemCode,ItemWarehouseInfoCollection');
    expect(items.status).toBe(200);
    expect(items.body.value).toHaveLength(6);
    expect(sap.state.sqlQueries.size).toBe(0);
  });

  it('refuses every SQLQueries request with -6006 where SQL queries are not permitted', async () => {
    const v2 = await session(sap.url, 'v2');
    expect((await v2('POST', 'SQLQueries', { body: QUERY })).status).toBe(201);
    await admin(sap, 'not-permitted');
    for (const [method, path] of [
      ['GET', "SQLQueries('stock')"],
      ['GET', "SQLQueries('stock')/List"],
      ['POST', "SQLQueries('stock')/List"],
    ] as const) {
      const r = await v2(method, path);
      expect(r.status).toBe(403);
      expect(r.body.error).toEqual({ code: '-6006', message: expect.stringContaining('not permitted') });
    }
    const v1 = await session(sap.url, 'v1');
    expect((await v1('POST', 'SQLQueries', { body: { ...QUERY, SqlCode: 'other' } })).body.error).toMatchObject({ code: -6006 });
  });

  it('keeps a switch made at run time across a new seed, goes back to the start-up option on reset, and refuses an unknown one', async () => {
    await admin(sap, 'absent');
    sap.seed({ items: 3, warehouses: 1 });
    const v2 = await session(sap.url, 'v2');
    expect((await v2('GET', 'SQLQueries')).status).toBe(400);
    sap.reset();
    const again = await session(sap.url, 'v2');
    expect((await again('GET', 'SQLQueries')).status).toBe(200);
    expect((await admin(sap, 'sometimes')).status).toBe(400);
  });

  it('starts as an older Service Layer when asked to', async () => {
    const old = await startSapEmulator({ seed: { items: 2, warehouses: 1 }, sqlQueries: 'absent' });
    try {
      const v2 = await session(old.url, 'v2');
      expect((await v2('POST', 'SQLQueries', { body: QUERY })).body.error).toMatchObject({ code: '-1002' });
    } finally {
      await old.stop();
    }
  });
});

describe('SAP emulator: warehouses SAP does not count as available', () => {
  let sap: SapEmulator;
  beforeAll(async () => {
    sap = await startSapEmulator({ seed: { items: 4, warehouses: 2, notNettable: 1, dropShip: 1 } });
  });
  afterAll(() => sap.stop());

  it('seeds a quarantine warehouse SAP marks not nettable and a drop-ship warehouse after the ordinary ones', async () => {
    const v2 = await session(sap.url, 'v2');
    const whs = await v2('GET', 'Warehouses?$select=WarehouseCode,Inactive,Nettable,DropShip');
    expect(whs.body.value).toEqual([
      { WarehouseCode: '01', Inactive: 'tNO', Nettable: 'tYES', DropShip: 'tNO' },
      { WarehouseCode: '02', Inactive: 'tNO', Nettable: 'tYES', DropShip: 'tNO' },
      { WarehouseCode: '03', Inactive: 'tNO', Nettable: 'tNO', DropShip: 'tNO' },
      { WarehouseCode: '04', Inactive: 'tNO', Nettable: 'tYES', DropShip: 'tYES' },
    ]);
    // Every item has a row in every warehouse (OITW); the supplier holds the drop-ship stock.
    for (const item of sap.state.items.values()) {
      expect(item.ItemWarehouseInfoCollection.map((w) => w.WarehouseCode)).toEqual(['01', '02', '03', '04']);
      expect(item.ItemWarehouseInfoCollection[3]!.InStock).toBe(0);
    }
  });

  it('shows a warehouse removed from the company in neither OITW nor the items’ warehouse rows', async () => {
    const v2 = await session(sap.url, 'v2');
    expect((await v2('POST', 'SQLQueries', { body: QUERY })).status).toBe(201);
    sap.state.warehouses.delete('02');
    const rows = (await v2('GET', "SQLQueries('stock')/List", { headers: { Prefer: 'odata.maxpagesize=0' } })).body.value!;
    expect(rows).toHaveLength(4 * 3);
    expect(rows.some((r) => r.WhsCode === '02')).toBe(false);
    const items = (await v2('GET', 'Items?$select=ItemCode,ItemWarehouseInfoCollection')).body.value as {
      ItemWarehouseInfoCollection: { WarehouseCode: string }[];
    }[];
    for (const item of items) expect(item.ItemWarehouseInfoCollection.map((w) => w.WarehouseCode)).toEqual(['01', '03', '04']);
    expect(((await v2('GET', "Items('SKU000001')")).body.ItemWarehouseInfoCollection as unknown[]).length).toBe(3);
  });
});
