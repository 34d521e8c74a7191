import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { HostConfigSchema } from '../../electron/host/config';
import { FLOW_NAMES, type FlowName } from '../../shared/domain/flows';
import { DEFAULT_SCHEDULES, type Settings } from '../../shared/domain/settings';
import { tempDir, testPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const SYNC = ['orders', 'stock', 'despatch', 'invoicing', 'returns'] as const;

/** Every flow switched on, each on a 60 s cadence. */
const allOn = (): Settings['flows'] =>
  Object.fromEntries(FLOW_NAMES.map((f) => [f, { ...DEFAULT_SCHEDULES[f], enabled: true, cadenceSeconds: 60 }])) as Settings['flows'];

/** An engine whose flows only count their runs, so a test sees exactly which flows a console runs. */
function engineWith(settings: Partial<Settings>) {
  const tmp = tempDir('role-');
  const ports = testPorts(settings);
  const ran: FlowName[] = [];
  const flows = (): Flow[] =>
    FLOW_NAMES.map((name) => ({
      name,
      run: async () => {
        ran.push(name);
        return {};
      },
    }));
  const engine = createEngine(ports, { ledgerFile: tmp.file('ledger.db'), buildFlows: flows });
  cleanups.push(tmp.cleanup, () => engine.stop(0));
  const listed = () => engine.status().flows.map((f) => f.flow);
  return { engine, ports, ran, listed };
}

const refusal = (flows: string) =>
  new RegExp(`^A finance console runs only the health and settlement flows: the ${flows} flows? cannot be switched on or run here \\(`);

describe('the console’s role', () => {
  it('a finance console runs health and settlement only, though its settings switch the sync flows on', async () => {
    const { engine, ports, ran, listed } = engineWith({ role: 'finance', flows: allOn() });
    expect(listed()).toEqual(['health', 'settlement']);
    expect(ports.logger.lines.some((l) => /finance console does not run/.test(l.message) && String(l.fields?.flows) === SYNC.join(','))).toBe(true);

    expect((await engine.runOnce()).map((r) => r.flow)).toEqual(['health', 'settlement']);
    engine.start();
    await ports.clock.advance(5 * 60_000);
    await engine.idle();
    expect(new Set(ran)).toEqual(new Set(['health', 'settlement']));

    expect(engine.runNow()).toEqual(['health', 'settlement']);
    for (const flow of SYNC) expect(() => engine.runNow(flow)).toThrow(refusal(flow));
    await expect(engine.command('engine.runNow', { flow: 'orders' })).rejects.toThrow(refusal('orders'));
    await engine.idle();
    expect(ran.filter((f) => (SYNC as readonly string[]).includes(f))).toEqual([]);
  });

  it('a finance console refuses to switch a sync flow on, naming it, and keeps the settings as they were', async () => {
    const { engine } = engineWith({ role: 'finance' });
    await expect(engine.command('settings.update', { actor: 'Priya', patch: { flows: { orders: { enabled: true } } } })).rejects.toThrow(refusal('orders'));
    await expect(
      engine.command('settings.update', {
        actor: 'Priya',
        patch: { flows: { settlement: { enabled: true }, stock: { enabled: true }, despatch: { enabled: true } } },
      }),
    ).rejects.toThrow(refusal('stock, despatch'));
    const settings = await engine.query('settings.get', {});
    expect([settings.flows.orders.enabled, settings.flows.stock.enabled, settings.flows.settlement.enabled]).toEqual([false, false, false]);
    // Settlement is switched on as any flow is; a sync flow may still be switched off, or its cadence changed.
    const updated = await engine.command('settings.update', {
      actor: 'Priya',
      patch: { flows: { settlement: { enabled: true }, orders: { enabled: false, cadenceSeconds: 120 } } },
    });
    expect([updated.flows.settlement.enabled, updated.flows.orders.enabled, updated.flows.orders.cadenceSeconds]).toEqual([true, false, 120]);
  });

  it('choosing finance in the same change that switches a sync flow on is refused; choosing operations lets it on', async () => {
    const { engine } = engineWith({ role: null });
    await expect(engine.command('settings.update', { actor: 'Priya', patch: { role: 'finance', flows: { returns: { enabled: true } } } })).rejects.toThrow(
      refusal('returns'),
    );
    expect((await engine.query('settings.get', {})).role).toBeNull();
    const finance = await engine.command('settings.update', { actor: 'Priya', patch: { role: 'finance' } });
    expect(finance.role).toBe('finance');
    const operations = await engine.command('settings.update', { actor: 'Priya', patch: { role: 'operations', flows: { returns: { enabled: true } } } });
    expect([operations.role, operations.flows.returns.enabled]).toEqual(['operations', true]);
  });

  it('the headless host refuses a configuration file that makes a finance console with a sync flow on, naming the field', () => {
    const parsed = HostConfigSchema.safeParse({ settings: { role: 'finance', flows: { orders: { enabled: true, cadenceSeconds: 60 } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'settings.flows.orders.enabled: a finance console (settings.role) does not run the orders flow: switch it off here, or set the role to operations',
    ]);
    expect(HostConfigSchema.safeParse({ settings: { role: 'operations', flows: { orders: { enabled: true, cadenceSeconds: 60 } } } }).success).toBe(true);
    expect(HostConfigSchema.safeParse({ settings: { role: 'finance', flows: { health: { enabled: true, cadenceSeconds: 60 } } } }).success).toBe(true);
  });

  it('an operations console, and one whose role is not chosen yet, runs the sync flows as before', async () => {
    for (const role of ['operations', null] as const) {
      const { engine, listed } = engineWith({ role, flows: allOn() });
      expect(listed()).toEqual([...FLOW_NAMES]);
      expect((await engine.runOnce()).map((r) => r.flow)).toEqual([...FLOW_NAMES]);
      expect(engine.runNow('orders')).toEqual(['orders']);
      expect((await engine.command('settings.update', { actor: 'Sam', patch: { flows: { stock: { enabled: true } } } })).flows.stock.enabled).toBe(true);
      await engine.idle();
    }
  });

  it('an operations console set to finance stops its sync flows at once, and they start again when it is set back', async () => {
    const { engine, ports, ran, listed } = engineWith({ role: 'operations', flows: allOn() });
    engine.start();
    await ports.clock.advance(1_000);
    await engine.idle();
    expect(new Set(ran)).toEqual(new Set(FLOW_NAMES));

    await engine.command('settings.update', { actor: 'Priya', patch: { role: 'finance' } });
    expect(listed()).toEqual(['health', 'settlement']);
    ran.length = 0;
    await ports.clock.advance(10 * 60_000);
    await engine.idle();
    expect(new Set(ran)).toEqual(new Set(['health', 'settlement']));
    // A retry a person asks for on a sync flow's record does not run that flow here either.
    expect(() => engine.runNow('despatch')).toThrow(refusal('despatch'));

    await engine.command('settings.update', { actor: 'Sam', patch: { role: 'operations' } });
    expect(listed()).toEqual([...FLOW_NAMES]);
    ran.length = 0;
    await ports.clock.advance(2 * 60_000);
    await engine.idle();
    expect(new Set(ran)).toEqual(new Set(FLOW_NAMES));
  });
});
