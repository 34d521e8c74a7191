import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';

/** Raw HTTP against the emulator: what a Service Layer client sees of ETags and If-Match. */
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
      etag: res.headers.get('etag'),
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { error?: { code: unknown; message: unknown } },
    };
  };
}

describe('SAP emulator: ETags and If-Match (Service Layer 10.0 FP 2102+)', () => {
  let sap: SapEmulator;
  beforeAll(async () => {
    sap = await startSapEmulator({ seed: { items: 20, warehouses: 2 } });
  });
  afterAll(() => sap.stop());
  beforeEach(() => sap.reset());

  it('a business partner read carries a weak ETag in the header and @odata.etag (v2) / odata.etag (v1); every write gives a new one', async () => {
    const v2 = await session(sap.url, 'v2');
    const read = await v2('GET', "BusinessPartners('C-JLM')");
    expect(read.status).toBe(200);
    expect(read.etag).toMatch(/^W\/"[0-9a-f]+"$/);
    expect(read.body['@odata.etag']).toBe(read.etag);
    // With $select too: the ETag is the entity's, not the projection's.
    expect((await v2('GET', "BusinessPartners('C-JLM')?$select=CardCode")).etag).toBe(read.etag);

    const v1 = await session(sap.url, 'v1');
    const readV1 = await v1('GET', "BusinessPartners('C-JLM')");
    expect(readV1.etag).toBe(read.etag);
    expect(readV1.body['odata.etag']).toBe(read.etag);
    expect(readV1.body['@odata.etag']).toBeUndefined();

    // A write that changes no value still changes the ETag, as SAP's update stamp does.
    const same = await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: read.body.CardName }, headers: { 'If-Match': read.etag! } });
    expect(same.status).toBe(204);
    expect(same.etag).not.toBe(read.etag);
    expect((await v2('GET', "BusinessPartners('C-JLM')")).etag).toBe(same.etag);
  });

  it('a stale If-Match is refused with 412 and -2039 (v1 and v2 bodies) and writes nothing; no If-Match overwrites; * matches', async () => {
    const v2 = await session(sap.url, 'v2');
    const v1 = await session(sap.url, 'v1');
    const stale = (await v2('GET', "BusinessPartners('C-JLM')")).etag!;
    expect((await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'First' }, headers: { 'If-Match': stale } })).status).toBe(204);

    const refused = await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Second' }, headers: { 'If-Match': stale } });
    expect(refused.status).toBe(412);
    expect(refused.body.error).toEqual({
      code: '-2039',
      message: 'Another user or another operation modified data; to continue, open the window again (ODBC -2039)',
    });
    const refusedV1 = await v1('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Second' }, headers: { 'If-Match': stale } });
    expect(refusedV1.status).toBe(412);
    expect(refusedV1.body.error).toEqual({
      code: -2039,
      message: { lang: 'en-us', value: 'Another user or another operation modified data; to continue, open the window again (ODBC -2039)' },
    });
    expect(sap.state.businessPartners.get('C-JLM')!.CardName).toBe('First');

    expect((await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Blind' } })).status).toBe(204);
    expect(sap.state.businessPartners.get('C-JLM')!.CardName).toBe('Blind');
    expect((await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Any' }, headers: { 'If-Match': '*' } })).status).toBe(204);
    // A change made beside the API (a test, or SAP's own side effects) also makes the old ETag stale.
    const before = (await v2('GET', "BusinessPartners('C-JLM')")).etag!;
    sap.state.businessPartners.get('C-JLM')!.Phone1 = '0100';
    expect((await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Late' }, headers: { 'If-Match': before } })).status).toBe(412);
  });

  it('documents and items are versioned too: create answers with an ETag, a bound action honours If-Match; warehouses are not', async () => {
    const v2 = await session(sap.url, 'v2');
    const created = await v2('POST', 'Orders', {
      body: { CardCode: 'C-JLM', DocumentLines: [{ ItemCode: 'SKU000001', Quantity: 1, UnitPrice: 10, WarehouseCode: '01' }] },
    });
    expect(created.status).toBe(201);
    expect(created.etag).toMatch(/^W\//);
    expect(created.body['@odata.etag']).toBe(created.etag);
    const entry = created.body.DocEntry as number;
    await v2('PATCH', `Orders(${entry})`, { body: { Comments: 'changed' } });
    expect((await v2('POST', `Orders(${entry})/Close`, { headers: { 'If-Match': created.etag! } })).status).toBe(412);
    expect(sap.state.documents.Orders.get(entry)!.DocumentStatus).toBe('bost_Open');
    const fresh = (await v2('GET', `Orders(${entry})`)).etag!;
    expect((await v2('POST', `Orders(${entry})/Close`, { headers: { 'If-Match': fresh } })).status).toBe(204);

    expect((await v2('GET', "Items('SKU000001')")).etag).toMatch(/^W\//);
    const whs = await v2('GET', "Warehouses('01')");
    expect(whs.etag).toBeNull();
    expect(whs.body['@odata.etag']).toBeUndefined();
  });
});

describe('SAP emulator with ETags off (a Service Layer older than 10.0 FP 2102)', () => {
  let sap: SapEmulator;
  beforeAll(async () => {
    sap = await startSapEmulator({ seed: { items: 20, warehouses: 2 }, etags: false });
  });
  afterAll(() => sap.stop());

  it('sends no ETag and ignores If-Match', async () => {
    const v2 = await session(sap.url, 'v2');
    const read = await v2('GET', "BusinessPartners('C-JLM')");
    expect(read.etag).toBeNull();
    expect(read.body['@odata.etag']).toBeUndefined();
    const patched = await v2('PATCH', "BusinessPartners('C-JLM')", { body: { CardName: 'Anyway' }, headers: { 'If-Match': 'W/"stale"' } });
    expect(patched.status).toBe(204);
    expect(sap.state.businessPartners.get('C-JLM')!.CardName).toBe('Anyway');
  });
});
