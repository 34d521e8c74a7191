import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SapTlsError, STOCK_QUERY } from '../../../electron/engine/connectors/sap-b1';
import { countingFactory, startRig, type Rig } from './harness';

describe('SAP over HTTPS with a pinned self-signed certificate', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ https: true, seed: { items: 20, warehouses: 2 } });
  });
  afterAll(() => rig.emulator.stop());

  it('accepts the pinned certificate', async () => {
    const sap = rig.connect({ pinnedCertificate: rig.emulator.certificate! });
    expect((await sap.warehouses()).length).toBe(2);
  });

  it('refuses a server whose certificate is not the pinned one, before any password is sent', async () => {
    const other = await generate([{ name: 'commonName', value: 'someone-else' }], { keySize: 2048, algorithm: 'sha256' });
    const pinnedCertificate = { sha256: new X509Certificate(other.cert).fingerprint256, pem: other.cert };
    const sap = rig.connect({ pinnedCertificate });
    rig.emulator.clearCalls();
    await expect(sap.warehouses()).rejects.toBeInstanceOf(SapTlsError);
    expect(rig.calls('POST', 'Login')).toBe(0);
  });

  it('refuses the self-signed certificate when nothing is pinned (system CAs only)', async () => {
    const sap = rig.connect();
    rig.emulator.clearCalls();
    await expect(sap.login()).rejects.toBeInstanceOf(SapTlsError);
    expect(rig.calls('POST', 'Login')).toBe(0);
  });
});

describe('SAP stock query, $batch and the concurrency limit', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ seed: { items: 2_000, warehouses: 4 } });
  });
  afterAll(() => rig.emulator.stop());

  it('creates the stock query once and pages through every item × warehouse', async () => {
    const sap = rig.connect();
    for (let run = 0; run < 2; run++) {
      let rows = 0;
      let inStock = 0;
      for await (const page of sap.readStock(1_000)) {
        rows += page.length;
        for (const r of page) inStock += r.inStock.toNumber();
      }
      expect(rows).toBe(8_000);
      const expected = [...rig.emulator.state.items.values()].reduce((s, i) => s + i.ItemWarehouseInfoCollection.reduce((t, w) => t + w.InStock, 0), 0);
      expect(inStock).toBe(expected);
    }
    expect(rig.calls('POST', 'SQLQueries')).toBe(1);
    expect(rig.emulator.state.sqlQueries.get(STOCK_QUERY.SqlCode)).toBeDefined();
    expect(rig.calls('GET', `SQLQueries('${STOCK_QUERY.SqlCode}')/List`)).toBe(16);
  });

  it('reads stock from Items under dry run when the stock query does not exist yet', async () => {
    rig.emulator.reset();
    const sap = rig.connect({ dryRun: true });
    let rows = 0;
    for await (const page of sap.readStock(2_000)) rows += page.length;
    expect(rows).toBe(8_000);
    expect(rig.emulator.state.sqlQueries.size).toBe(0);
  });

  it('reports a failed change set with its part and rolls the whole change set back', async () => {
    rig.emulator.reset();
    const sap = rig.connect();
    const committedBefore = rig.emulator.state.items.get('SKU000001')!.ItemWarehouseInfoCollection[0]!.Committed;
    const line = (item: string) => ({ ItemCode: item, Quantity: 1, Price: 10, WarehouseCode: '01' });
    const result = await sap.batch([
      { method: 'GET', path: "Items('SKU000002')?$select=ItemCode" },
      {
        changeSet: [
          { method: 'POST', path: 'Orders', body: { CardCode: 'C-JLM', NumAtCard: 'B-1', DocumentLines: [line('SKU000001')] } },
          { method: 'POST', path: 'Orders', body: { CardCode: 'C-JLM', NumAtCard: 'B-2', DocumentLines: [line('NO-SUCH-ITEM')] } },
        ],
      },
      { method: 'GET', path: 'Warehouses' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.parts[0]).toMatchObject({ item: 0, status: 200 });
    expect(result.failure?.item).toBe(1);
    expect(result.failure?.contentId).toBe('2');
    expect(result.failure?.error.code).toBe('-10');
    expect(result.failure?.error.sapMessage).toContain("Invalid item code 'NO-SUCH-ITEM'");
    expect(result.notRun).toEqual([2]);
    expect(rig.emulator.state.documents.Orders.size).toBe(0);
    expect(rig.emulator.state.items.get('SKU000001')!.ItemWarehouseInfoCollection[0]!.Committed).toBe(committedBefore);
  });

  it('commits a good change set and reports each part', async () => {
    rig.emulator.reset();
    const sap = rig.connect();
    const result = await sap.batch([
      {
        changeSet: [
          { method: 'POST', path: 'Orders', body: { CardCode: 'C-JLM', NumAtCard: 'B-3', DocumentLines: [{ ItemCode: 'SKU000003', Quantity: 1, Price: 5 }] } },
          { method: 'PATCH', path: '$1', body: { Comments: 'from batch' } },
        ],
      },
    ]);
    expect(result.ok).toBe(true);
    expect(result.parts.map((p) => [p.contentId, p.status])).toEqual([
      ['1', 201],
      ['2', 204],
    ]);
    expect([...rig.emulator.state.documents.Orders.values()][0]!.Comments).toBe('from batch');
  });

  it('never has more requests in flight than the connection allows', async () => {
    rig.emulator.reset();
    rig.emulator.setFaults([{ kind: 'latency', method: 'GET', path: 'Items', ms: 20 }]);
    const http = countingFactory();
    const sap = rig.connect({ maxConcurrency: 2, http });
    await sap.login();
    await Promise.all(Array.from({ length: 8 }, (_, i) => sap.items.get(`SKU00000${i + 1}`)));
    expect(http.maxInFlight()).toBe(2);
    rig.emulator.setFaults([]);
  });

  it('reports health: ping, login latency and request latency percentiles per entity', async () => {
    rig.emulator.reset();
    const sap = rig.connect();
    await sap.warehouses();
    await sap.items.get('SKU000001');
    const health = await sap.health();
    expect(health.ping?.ok).toBe(true);
    expect(health.login).not.toBeNull();
    expect(health.sessionActive).toBe(true);
    expect(Object.keys(health.requests).sort()).toEqual(['Items', 'Login', 'Warehouses']);
    expect(health.requests.Items!.count).toBe(1);
    expect(health.maxConcurrency).toBe(4);
  });
});
