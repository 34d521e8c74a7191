import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { standardFlows } from '../../electron/engine/flows';
import { systemClock } from '../../electron/engine/clock';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { tempDir, testPorts } from '../support/ports';

/**
 * "Test connection" to SAP signs in with what the operator typed, in a session of its own. Tried on site: a wrong
 * password, saved or only typed, was reported "Connected" until the session the flows held expired.
 */
describe('SAP Test connection signs in with what was typed', () => {
  const tmp = tempDir('sap-test-');
  const ports = { ...testPorts(), clock: systemClock() };
  let sap: SapEmulator;
  let engine: Engine;

  beforeAll(async () => {
    sap = await startSapEmulator({ password: 'B1-Secret!', seed: { items: 10, warehouses: 2 } });
    engine = createEngine(ports as never, { ledgerFile: tmp.file('ledger.db'), buildFlows: standardFlows });
  });
  afterAll(async () => {
    await engine.stop();
    await sap.stop();
    tmp.cleanup();
  });

  const connection = () => ({
    baseUrl: sap.url,
    serviceLayerVersion: 'v2' as const,
    companyDb: 'SBODEMOGB',
    userName: 'manager',
    maxConcurrency: 4,
    timeoutSeconds: 10,
  });

  it('reports a typed wrong password as refused, stores nothing, and a saved wrong one fails at once despite an open session', async () => {
    await engine.command('connections.saveSap', { connection: connection(), password: 'B1-Secret!', actor: 'Priya' });
    expect(await engine.command('connections.testSap', {})).toMatchObject({ ok: true, message: 'Connected (2 warehouses)' });
    // The flows hold a live session (the health flow read SAP with the right password).
    engine.runNow('health');
    await engine.idle();
    expect((await engine.query('runs.list', { flow: 'health' }))[0]).toMatchObject({ outcome: 'succeeded' });

    // Typed, not saved: the test signs in with it and says SAP refused it.
    const typed = await engine.command('connections.testSap', { connection: connection(), password: 'wrong-password' });
    expect(typed.ok).toBe(false);
    expect(typed.message).toMatch(/SAP refused the login for user manager on company SBODEMOGB/);
    expect(await ports.secrets.get('sap.password')).toBe('B1-Secret!');
    expect(JSON.stringify(ports.logger.lines)).not.toContain('wrong-password');

    // Typed right: connected, still nothing stored beyond what was saved.
    expect(await engine.command('connections.testSap', { connection: connection(), password: 'B1-Secret!' })).toMatchObject({ ok: true });

    // Saved wrong: the test and the flows both stop riding the old session.
    await engine.command('connections.saveSap', { connection: connection(), password: 'wrong-password', actor: 'Priya' });
    const saved = await engine.command('connections.testSap', {});
    expect(saved.ok).toBe(false);
    expect(saved.message).toMatch(/SAP refused the login/);
    engine.runNow('health');
    await engine.idle();
    const [last] = await engine.query('runs.list', { flow: 'health' });
    expect(last).toMatchObject({ outcome: 'failed' });
    expect(last!.error).toMatch(/SAP refused the login/);
  });
});
