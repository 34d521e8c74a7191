import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { standardFlows } from '../../electron/engine/flows';
import { HostConfigSchema } from '../../electron/host/config';
import { tempDir, testPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('only a flow the engine has can be switched on', () => {
  it('the standard engine has every flow, settlement included, and switches it on', async () => {
    const tmp = tempDir('flows-');
    const engine = createEngine(testPorts(), { ledgerFile: tmp.file('ledger.db'), buildFlows: standardFlows });
    cleanups.push(tmp.cleanup, () => engine.stop(0));
    expect(engine.status().flows.map((f) => f.flow)).toEqual(['health', 'orders', 'stock', 'despatch', 'invoicing', 'returns', 'settlement']);
    expect((await engine.command('settings.update', { actor: 'Priya', patch: { flows: { settlement: { enabled: true } } } })).flows.settlement.enabled).toBe(
      true,
    );
    expect((await engine.command('settings.update', { actor: 'Priya', patch: { flows: { invoicing: { enabled: true } } } })).flows.invoicing.enabled).toBe(
      true,
    );
  });

  it('an engine built without a flow refuses a settings change enabling it, and keeps the settings as they were', async () => {
    const tmp = tempDir('flows-');
    const engine = createEngine(testPorts(), {
      ledgerFile: tmp.file('ledger.db'),
      buildFlows: (deps) => standardFlows(deps).filter((f) => f.name !== 'settlement'),
    });
    cleanups.push(tmp.cleanup, () => engine.stop(0));
    await expect(engine.command('settings.update', { actor: 'Priya', patch: { flows: { settlement: { enabled: true } } } })).rejects.toThrow(
      /^This version has no settlement flow: it cannot be switched on or scheduled$/,
    );
    await expect(
      engine.command('settings.update', { actor: 'Priya', patch: { flows: { stock: { enabled: true }, settlement: { enabled: true } } } }),
    ).rejects.toThrow(/no settlement flow/);
    const settings = await engine.query('settings.get', {});
    expect([settings.flows.settlement.enabled, settings.flows.stock.enabled]).toEqual([false, false]);
  });

  it('the headless host takes a configuration file that switches settlement on', () => {
    expect(HostConfigSchema.safeParse({ settings: { flows: { settlement: { enabled: true, cadenceSeconds: 21_600 } } } }).success).toBe(true);
    expect(HostConfigSchema.safeParse({ settings: { flows: { invoicing: { enabled: true, cadenceSeconds: 900 } } } }).success).toBe(true);
  });
});
