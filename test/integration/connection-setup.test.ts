import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { standardFlows } from '../../electron/engine/flows';
import { systemClock } from '../../electron/engine/clock';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { tempDir, testPorts } from '../support/ports';

describe('setting up the connections from the console', () => {
  const tmp = tempDir();
  const ports = { ...testPorts(), clock: systemClock() };
  let sap: SapEmulator;
  let marketplace: MarketplaceEmulator;
  let engine: Engine;
  beforeAll(async () => {
    [sap, marketplace] = await Promise.all([
      startSapEmulator({ https: true, password: 'B1-Secret!', seed: { items: 10, warehouses: 2 } }),
      startMarketplaceEmulator(),
    ]);
    engine = createEngine(ports as never, { ledgerFile: tmp.file('setup.db'), buildFlows: standardFlows });
  });
  afterAll(async () => {
    await engine.stop();
    await Promise.all([sap.stop(), marketplace.stop()]);
    tmp.cleanup();
  });

  const sapConnection = () => ({
    baseUrl: sap.url,
    serviceLayerVersion: 'v2' as const,
    companyDb: 'SBODEMOGB',
    userName: 'manager',
    maxConcurrency: 4,
    timeoutSeconds: 10,
  });

  it('takes the SAP password once and never gives it back', async () => {
    expect((await engine.query('connections.get', {})).sap).toBeNull();
    const view = await engine.command('connections.saveSap', { connection: sapConnection(), password: 'B1-Secret!', actor: 'Priya' });
    expect(view.sap).toMatchObject({ passwordSet: true, pinnedCertificate: null, connection: { baseUrl: sap.url } });
    expect(JSON.stringify(view)).not.toContain('B1-Secret!');
    expect(JSON.stringify(ports.logger.lines)).not.toContain('B1-Secret!');
  });

  it("refuses SAP's self-signed certificate until the operator has seen its fingerprint and trusted it", async () => {
    const before = await engine.command('connections.testSap', {});
    expect(before.ok).toBe(false);
    expect(before.message).toMatch(/self[- ]signed|certificate/i);

    const shown = await engine.command('connections.inspectSapCertificate', {});
    expect(shown.sha256).toBe(sap.certificate!.sha256);
    expect(shown.selfSigned).toBe(true);
    const wrong = shown.sha256.replace(/^../, shown.sha256.startsWith('00') ? '11' : '00');
    await expect(engine.command('connections.trustSapCertificate', { sha256: wrong, actor: 'Priya' })).rejects.toThrow(/different certificate/);

    const trusted = await engine.command('connections.trustSapCertificate', { sha256: shown.sha256, actor: 'Priya' });
    expect(trusted.sap?.pinnedCertificate?.sha256).toBe(sap.certificate!.sha256);
    const after = await engine.command('connections.testSap', {});
    expect(after).toMatchObject({ ok: true, message: 'Connected (2 warehouses)' });
  });

  it('drops the pin when the SAP address changes', async () => {
    const moved = await engine.command('connections.saveSap', {
      connection: { ...sapConnection(), baseUrl: sap.url.replace('127.0.0.1', 'localhost') },
      actor: 'Priya',
    });
    expect(moved.sap).toMatchObject({ pinnedCertificate: null, passwordSet: true });
  });

  it('tests the marketplace with its API key and shows what the shop is set up for', async () => {
    const noKey = await engine.command('connections.saveMarketplace', {
      connection: { baseUrl: marketplace.url, shopId: null, timeoutSeconds: 10 },
      actor: 'Priya',
    });
    expect(noKey.marketplace).toMatchObject({ apiKeySet: false });
    const refused = await engine.command('connections.testMarketplace', {});
    expect(refused.ok).toBe(false);
    await engine.command('connections.saveMarketplace', {
      connection: { baseUrl: marketplace.url, shopId: null, timeoutSeconds: 10 },
      apiKey: marketplace.apiKey,
      actor: 'Priya',
    });
    const tested = await engine.command('connections.testMarketplace', {});
    expect(tested.ok).toBe(true);
    expect(tested.shop).toMatchObject({ model: 'MARKETPLACE', currency: 'GBP', alternativeCarriersDisabled: true });
    expect(JSON.stringify(tested)).not.toContain(marketplace.apiKey);
  });
});
