import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SapAuthError, sapQuery } from '../../../electron/engine/connectors/sap-b1';
import { startRig, type Rig } from './harness';

describe('SAP connector sessions against the emulator', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.emulator.stop());
  beforeEach(() => rig.emulator.reset());

  it('logs in once and sends both B1SESSION and ROUTEID on every later request', async () => {
    const sap = rig.connect();
    await sap.warehouses();
    await sap.items.get('SKU000001');
    expect(rig.calls('POST', 'Login')).toBe(1);
    const later = rig.emulator.calls().filter((c) => !c.path.endsWith('/Login'));
    expect(later.length).toBe(2);
    expect(later.every((c) => c.cookies.B1SESSION && c.cookies.ROUTEID)).toBe(true);
  });

  it('fails a wrong password at once with a clear message, and never sends it to SAP again', async () => {
    const sap = rig.connect({ password: 'not-the-password' });
    const first = await sap.warehouses().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SapAuthError);
    expect((first as SapAuthError).message).toMatch(/refused the login for user manager on company SBODEMOGB: Login failed/);
    expect((first as SapAuthError).message).not.toContain('not-the-password');
    await expect(sap.items.get('SKU000001')).rejects.toBeInstanceOf(SapAuthError);
    expect(rig.calls('POST', 'Login')).toBe(1);
    expect(rig.logger.lines.some((l) => JSON.stringify(l).includes('not-the-password'))).toBe(false);
  });

  it('survives the session expiring in the middle of paging: logs in again, replays the page, loses and repeats nothing', async () => {
    const sap = rig.connect();
    const codes: string[] = [];
    let pages = 0;
    for await (const page of sap.list<{ ItemCode: string }>(sapQuery('Items').select('ItemCode').orderBy('ItemCode'), 30)) {
      codes.push(...page.map((i) => i.ItemCode));
      if (++pages === 2) rig.emulator.expireSessions();
    }
    expect(codes).toHaveLength(200);
    expect(new Set(codes).size).toBe(200);
    expect(pages).toBe(7);
    expect(rig.calls('POST', 'Login')).toBe(2);
    expect(rig.emulator.calls().filter((c) => c.status === 401)).toHaveLength(1);
  });

  it('renews the session before SAP’s idle timeout instead of waiting for a 401', async () => {
    const sap = rig.connect();
    await sap.warehouses();
    rig.clock.advance(29.5 * 60_000);
    await sap.warehouses();
    expect(rig.calls('POST', 'Login')).toBe(2);
    expect(rig.emulator.calls().some((c) => c.status === 401)).toBe(false);
  });

  it('asks for large pages with Prefer: odata.maxpagesize and follows v1 and v2 next links', async () => {
    for (const serviceLayerVersion of ['v1', 'v2'] as const) {
      rig.emulator.reset();
      const sap = rig.connect({ serviceLayerVersion });
      const all = await sap.listAll<{ ItemCode: string }>(sapQuery('Items').select('ItemCode'), 64);
      expect(all).toHaveLength(200);
      expect(rig.calls('GET', 'Items')).toBe(4);
    }
  });
});
