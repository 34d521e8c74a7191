import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { createLedger } from '../../electron/engine/ledger';
import { tempDir, testPorts, type TestPorts } from '../support/ports';

const CADENCE_MS = 60 * 60_000;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * A despatch stand-in with the watchdog's habit: every run it raises the same critical problem on one order, with
 * the version of the record as it is now (the test changes it as SAP would change the Delivery Note).
 */
function watchdogFlow(record: { version: string }): { flow: Flow; runs: () => number } {
  let runs = 0;
  return {
    runs: () => runs,
    flow: {
      name: 'despatch',
      async run(ctx) {
        runs++;
        ctx.raise({
          type: 'despatch-overdue',
          record: { type: 'order', key: '000000086-A' },
          summary: `Delivered in SAP ${runs} h ago and still not confirmed on the marketplace`,
          recordVersion: record.version,
        });
        return {};
      },
    },
  };
}

function startEngine(ports: TestPorts, ledgerFile: string, flow: Flow): Engine {
  const engine = createEngine(ports, { ledgerFile, buildFlows: () => [flow] });
  engine.start();
  return engine;
}

async function stopEngine(ports: TestPorts, engine: Engine): Promise<void> {
  const stopping = engine.stop(1_000);
  await ports.clock.advance(1_000);
  await stopping;
}

describe('alerts that stop', () => {
  it('over ten cadences a dismissed alert stays quiet until its record changes, across a restart, and each opening alerts once', async () => {
    const tmp = tempDir('alerts-');
    cleanups.push(tmp.cleanup);
    const ledgerFile = tmp.file('ledger.db');
    const ports = testPorts({ jitterFraction: 0, flows: { despatch: { enabled: true, cadenceSeconds: CADENCE_MS / 1000 } } as never });
    const record = { version: 'DN 41@2026-11-26T09:14:00' };
    const { flow, runs } = watchdogFlow(record);
    let engine = startEngine(ports, ledgerFile, flow);
    const alertsAt: number[] = [];
    const openSeen: number[] = [];

    // Cadence 1 runs at start; each later one an hour apart. After each run the warehouse office looks at the
    // open exceptions and dismisses this one ("confirmed by hand in the back office").
    for (let cadence = 1; cadence <= 10; cadence++) {
      if (cadence === 6) {
        // The PC restarts: a new engine on the same ledger.
        await stopEngine(ports, engine);
        engine = startEngine(ports, ledgerFile, flow);
      }
      // SAP changes the Delivery Note (a new tracking number) before cadence 8.
      if (cadence === 8) record.version = 'DN 41@2026-11-26T16:02:11';
      const before = ports.notifications.length;
      await ports.clock.advance(cadence === 1 || cadence === 6 ? 1 : CADENCE_MS);
      expect(runs()).toBe(cadence);
      if (ports.notifications.length > before) alertsAt.push(cadence);
      const open = await engine.query('exceptions.list', { flow: 'despatch', state: 'open', limit: 10 });
      if (open.total) {
        openSeen.push(cadence);
        await engine.command('exceptions.dismiss', { id: open.rows[0]!.id, actor: 'Priya', reason: 'Confirmed by hand in the back office' });
      }
    }

    expect(runs()).toBe(10);
    expect(ports.notifications).toHaveLength(2);
    expect(alertsAt).toEqual([1, 8]);
    expect(openSeen).toEqual([1, 8]);
    const all = await engine.query('exceptions.list', { flow: 'despatch', limit: 10 });
    expect(all.total).toBe(1);
    expect(all.rows[0]).toMatchObject({ state: 'dismissed', occurrences: 10 });
    const detail = await engine.query('exceptions.get', { id: all.rows[0]!.id });
    expect(detail.actions.map((a) => `${a.action}:${a.actor}`)).toEqual(['raised:engine', 'dismiss:Priya', 'reopen:engine', 'dismiss:Priya']);
    await stopEngine(ports, engine);
  });

  it('a serious exception alerts once even when the engine restarts before the next occurrence', async () => {
    const tmp = tempDir('alerts-');
    cleanups.push(tmp.cleanup);
    const ledgerFile = tmp.file('ledger.db');
    const ports = testPorts({ jitterFraction: 0, flows: { despatch: { enabled: true, cadenceSeconds: 60 } } as never });
    const { flow } = watchdogFlow({ version: 'v1' });
    let engine = startEngine(ports, ledgerFile, flow);
    await ports.clock.advance(1);
    for (let i = 0; i < 3; i++) {
      await stopEngine(ports, engine);
      engine = startEngine(ports, ledgerFile, flow);
      await ports.clock.advance(60_000);
    }
    // In the office's words, with the way to the exception: clicking it opens it in the console.
    expect(ports.notifications.map((n) => [n.title, n.address])).toEqual([
      ['Despatch blocked: order 000000086-A', expect.stringMatching(/^#\/exceptions\/\d+$/)],
    ]);
    await stopEngine(ports, engine);
  });

  it('a problem that went away after it was dismissed alerts again when it comes back', () => {
    const tmp = tempDir('alerts-');
    cleanups.push(tmp.cleanup);
    const ledger = createLedger(tmp.file('ledger.db'));
    cleanups.push(() => ledger.close());
    const at = (m: number) => new Date(Date.UTC(2026, 10, 26, 9, m));
    const input = {
      flow: 'health' as const,
      type: 'system-unreachable',
      severity: 'critical' as const,
      record: { type: 'system', key: 'sap-b1' },
      summary: 'SAP does not answer',
      suggestedAction: 'Check SAP.',
    };
    const first = ledger.exceptions.raise(input, at(0));
    ledger.exceptions.transition(first.exception.id, 'dismissed', 'dismiss', 'Priya', at(1), { reason: 'Planned maintenance' });
    expect(ledger.exceptions.raise(input, at(2))).toMatchObject({ quiet: true, created: false });
    ledger.exceptions.resolveFor('health', 'system-unreachable', input.record, at(3));
    const again = ledger.exceptions.raise(input, at(4));
    expect(again).toMatchObject({ created: true, quiet: false });
    expect(ledger.exceptions.claimNotification(again.exception.id, at(4))).toBe(true);
    expect(ledger.exceptions.claimNotification(again.exception.id, at(5))).toBe(false);
  });
});
