import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { tempDir, testPorts, type TestPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** An orders stand-in that finds five orders with unmapped SKUs and two that wait for a person to accept them. */
const problemFlow: Flow = {
  name: 'orders',
  async run(ctx) {
    for (let i = 1; i <= 5; i++)
      ctx.raise({
        type: 'sku-unknown',
        record: { type: 'order', key: `00000010${i}-A` },
        summary: `SKU JL-${i} has no SAP item`,
      });
    for (let i = 6; i <= 7; i++)
      ctx.raise({
        type: 'acceptance-needed',
        record: { type: 'order', key: `00000010${i}-A` },
        summary: 'Not enough stock of JL-6 to accept the order',
      });
    return {};
  },
};

async function started(ports: TestPorts): Promise<Engine> {
  const tmp = tempDir('bulk-');
  const engine = createEngine(ports, { ledgerFile: tmp.file('ledger.db'), buildFlows: () => [problemFlow] });
  cleanups.push(async () => {
    const stopping = engine.stop(1_000);
    await ports.clock.advance(1_000);
    await stopping;
    tmp.cleanup();
  });
  await engine.runOnce();
  return engine;
}

describe('the Exceptions screen in bulk', () => {
  it('counts open exceptions by type, and filters by type and severity', async () => {
    const engine = await started(testPorts({ jitterFraction: 0, flows: { orders: { enabled: true, cadenceSeconds: 3600 } } as never }));
    expect(await engine.query('exceptions.groups', { state: 'open' })).toEqual([
      { type: 'sku-unknown', flow: 'orders', count: 5 },
      { type: 'acceptance-needed', flow: 'orders', count: 2 },
    ]);
    expect((await engine.query('exceptions.list', { type: 'acceptance-needed', limit: 10 })).total).toBe(2);
    expect((await engine.query('exceptions.list', { severity: 'error', limit: 10 })).total).toBe(5);
  });

  it('retries and dismisses many at once, each on its own: one already dismissed is refused with why, the others move', async () => {
    const engine = await started(testPorts({ jitterFraction: 0, flows: { orders: { enabled: true, cadenceSeconds: 3600 } } as never }));
    const skus = (await engine.query('exceptions.list', { type: 'sku-unknown', limit: 10 })).rows.map((e) => e.id);
    await engine.command('exceptions.dismiss', { id: skus[0]!, actor: 'Priya', reason: 'Discontinued line' });

    const retried = await engine.command('exceptions.retryMany', { ids: skus, actor: 'Priya' });
    expect(retried.results.filter((r) => r.outcome === 'done')).toHaveLength(4);
    expect(retried.results.find((r) => r.id === skus[0])).toEqual({ id: skus[0], outcome: 'refused', reason: expect.stringContaining('already dismissed') });
    // Each carries the retry with the name in its audit trail (the orders run it asked for has since tried them again).
    for (const id of skus.slice(1)) {
      const detail = await engine.query('exceptions.get', { id });
      expect(detail.actions.map((a) => [a.action, a.actor])).toContainEqual(['retry', 'Priya']);
    }

    const held = (await engine.query('exceptions.list', { type: 'acceptance-needed', limit: 10 })).rows.map((e) => e.id);
    const dismissed = await engine.command('exceptions.dismissMany', {
      ids: [...held, 999_999],
      actor: 'Priya',
      reason: 'Accepted in the John Lewis back office',
    });
    expect(dismissed.results.map((r) => r.outcome)).toEqual(['done', 'done', 'refused']);
    // Every one carries the reason and the name in its audit trail.
    for (const id of held) {
      const detail = await engine.query('exceptions.get', { id });
      expect(detail.actions.at(-1)).toMatchObject({ action: 'dismiss', actor: 'Priya', reason: 'Accepted in the John Lewis back office' });
    }
  });
});
