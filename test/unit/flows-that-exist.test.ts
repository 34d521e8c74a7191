import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { standardFlows } from '../../electron/engine/flows';
import { HostConfigSchema } from '../../electron/host/config';
import { tempDir, testPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('a flow that does not exist cannot be switched on', () => {
  it('the engine refuses a settings change enabling settlement, and keeps the settings as they were', async () => {
    const tmp = tempDir('flows-');
    const ports = testPorts();
    const engine = createEngine(ports, { ledgerFile: tmp.file('ledger.db'), buildFlows: standardFlows });
    cleanups.push(tmp.cleanup, () => engine.stop(0));
    expect(engine.status().flows.map((f) => f.flow)).toEqual(['health', 'orders', 'stock', 'despatch', 'invoicing', 'returns']);
    for (const flow of ['settlement'] as const) {
      await expect(engine.command('settings.update', { actor: 'Priya', patch: { flows: { [flow]: { enabled: true } } } })).rejects.toThrow(
        new RegExp(`^This version has no ${flow} flow: it cannot be switched on or scheduled$`),
      );
    }
    await expect(
      engine.command('settings.update', { actor: 'Priya', patch: { flows: { stock: { enabled: true }, settlement: { enabled: true } } } }),
    ).rejects.toThrow(/no settlement flow/);
    const settings = await engine.query('settings.get', {});
    expect([settings.flows.settlement.enabled, settings.flows.stock.enabled]).toEqual([false, false]);
    // Flows it has are switched on as before.
    expect((await engine.command('settings.update', { actor: 'Priya', patch: { flows: { stock: { enabled: true } } } })).flows.stock.enabled).toBe(true);
    expect((await engine.command('settings.update', { actor: 'Priya', patch: { flows: { invoicing: { enabled: true } } } })).flows.invoicing.enabled).toBe(
      true,
    );
    expect((await engine.command('settings.update', { actor: 'Priya', patch: { flows: { returns: { enabled: true } } } })).flows.returns.enabled).toBe(true);
  });

  it('the headless host refuses a configuration file that switches one on, naming the field', () => {
    const parsed = HostConfigSchema.safeParse({ settings: { flows: { settlement: { enabled: true, cadenceSeconds: 21_600 } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'settings.flows.settlement.enabled: this version has no settlement flow: it cannot be switched on (flows: health, orders, stock, despatch, invoicing, returns)',
    ]);
    expect(HostConfigSchema.safeParse({ settings: { flows: { despatch: { enabled: true, cadenceSeconds: 300 } } } }).success).toBe(true);
    expect(HostConfigSchema.safeParse({ settings: { flows: { invoicing: { enabled: true, cadenceSeconds: 900 } } } }).success).toBe(true);
  });
});
