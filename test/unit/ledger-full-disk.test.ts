import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { flowContextFactory } from '../../electron/engine/flow-context';
import { createLedger } from '../../electron/engine/ledger';
import { memoryLogger } from '../../electron/engine/logging';
import { tempDir, testPorts } from '../support/ports';

const CADENCE_MS = 60_000;
const PROBE_MS = 15_000;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * The disk under the ledger fills up, as SQLite meets it: the ledger may not grow by a page, and the pages the next
 * run's row goes into are full (the test fills them with rows like it, until SQLite says there is no room).
 */
function fillDisk(engine: Engine, nextRunAt: Date): void {
  const db = engine.ledger.db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  for (;;) {
    try {
      engine.ledger.runs.start('orders', 'schedule', nextRunAt, false);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_FULL') return;
      throw error;
    }
  }
}
const freeSpace = (db: Database.Database) => void db.pragma('max_page_count = 1073741823');

describe('a full disk under the ledger', () => {
  it('stops sync and says so once (status, health, a notification), starts no run while full, and resumes when there is room', async () => {
    const tmp = tempDir('ledger-full-');
    cleanups.push(tmp.cleanup);
    const ports = testPorts({ jitterFraction: 0, flows: { orders: { enabled: true, cadenceSeconds: CADENCE_MS / 1000 } } as never });
    let runs = 0;
    const flow: Flow = {
      name: 'orders',
      async run() {
        runs++;
        return {};
      },
    };
    const engine: Engine = createEngine(ports, { ledgerFile: tmp.file('ledger.db'), buildFlows: () => [flow], ledgerSpaceProbeMs: PROBE_MS });
    cleanups.push(async () => {
      const stopping = engine.stop(1_000);
      await ports.clock.advance(1_000);
      await stopping;
    });
    engine.start();
    await ports.clock.advance(1);
    expect(runs).toBe(1);
    expect(engine.status().ledgerFull ?? null).toBeNull();

    fillDisk(engine, new Date(ports.clock.now() + CADENCE_MS));
    await ports.clock.advance(CADENCE_MS);
    const status = engine.status();
    expect(status.ledgerFull?.message).toMatch(/disk the ledger is on is full .*ledger\.db.*Free some space/);
    expect(status.health).toBe('failing');
    const told = ports.notifications.filter((n) => n.title === 'Sync stopped: the disk is full');
    expect(told).toEqual([expect.objectContaining({ severity: 'critical', body: status.ledgerFull!.message })]);

    // While the disk stays full no run starts, nobody is told twice, and Run now says why it cannot.
    const runsWhileFull = runs;
    await ports.clock.advance(5 * CADENCE_MS);
    expect(runs).toBe(runsWhileFull);
    expect(ports.notifications.filter((n) => n.title === 'Sync stopped: the disk is full')).toHaveLength(1);
    expect(() => engine.runNow('orders')).toThrow(/disk the ledger is on is full/);

    // Space is freed: within one check the engine resumes by itself, runs, and says sync has recovered.
    freeSpace(engine.ledger.db);
    await ports.clock.advance(PROBE_MS);
    expect(engine.status().ledgerFull ?? null).toBeNull();
    expect(runs).toBeGreaterThan(runsWhileFull);
    expect(ports.notifications.at(-1)).toMatchObject({ title: 'Sync recovered', severity: 'info' });
    expect(ports.notifications.filter((n) => n.title === 'Sync failing')).toEqual([]);
    expect(engine.ledger.runs.last('orders')).toMatchObject({ outcome: 'succeeded' });
    expect(engine.ledger.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a write that landed but whose outcome the full disk kept from the ledger stays open to be looked up, never recorded as failed', async () => {
    const tmp = tempDir('ledger-full-outbox-');
    cleanups.push(tmp.cleanup);
    const ledger = createLedger(tmp.file('ledger.db'));
    cleanups.push(() => ledger.close());
    const ports = testPorts();
    const contextFor = flowContextFactory({ ledger, clock: ports.clock, logger: memoryLogger(), exceptionChanged: () => undefined });
    const run = ledger.runs.start('orders', 'once', new Date(ports.clock.now()), false);
    const ctx = contextFor('orders', run.id, 'once', ports.settings.get());
    const close = ledger.intents.close.bind(ledger.intents);
    ledger.intents.close = (id, outcome, at, detail) => {
      if (outcome === 'succeeded') throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return close(id, outcome, at, detail);
    };
    let sent = 0;
    const intent = { system: 'sap-b1', operation: 'create-sales-order', recordKey: '000000101-A', payload: {} };
    await expect(ctx.write(intent, async () => ({ result: ++sent, externalRef: '41' }))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(sent).toBe(1);
    expect(ledger.intents.forRecord('sap-b1', 'create-sales-order', '000000101-A')).toEqual([expect.objectContaining({ outcome: null })]);
  });
});
