import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Flow } from '../../electron/engine';
import { flowContextFactory } from '../../electron/engine/flow-context';
import { createLedger } from '../../electron/engine/ledger';
import { EXCEPTION_CATALOGUE, catalogueEntry } from '../../shared/domain/exception-catalogue';
import { FLOW_NAMES } from '../../shared/domain/flows';
import { SettingsSchema } from '../../shared/domain/settings';
import { tempDir, testPorts } from '../support/ports';

const tmp = tempDir('catalogue-');
afterAll(() => tmp.cleanup());

/** A stock flow that raises whatever type it is given, as a flow with a typing slip (or a type built at run time) would. */
function stockFlowRaising(type: string): Flow<'stock'> {
  return {
    name: 'stock',
    async run(ctx) {
      ctx.raise({ type: type as 'sku-unknown', record: { type: 'sku', key: 'JL-1001' }, summary: `SKU JL-1001: ${type}` });
      return {};
    },
  };
}

async function runOnce(flow: Flow<'stock'>, file: string) {
  const ports = testPorts({ flows: { stock: { enabled: true, cadenceSeconds: 3600 } } as never });
  const engine = createEngine(ports, { ledgerFile: tmp.file(file), buildFlows: () => [flow] });
  await engine.runOnce();
  const runs = await engine.query('runs.list', { flow: 'stock' });
  const { rows } = await engine.query('exceptions.list', { state: 'open' });
  const stopping = engine.stop(1_000);
  await ports.clock.advance(1_000);
  await stopping;
  return { run: runs[0]!, exceptions: rows };
}

describe('the exception catalogue', () => {
  it('refuses a type it does not have: the run fails naming it, and nothing unexplained reaches the Exceptions screen', async () => {
    const { run, exceptions } = await runOnce(stockFlowRaising('sku-unmapped'), 'uncatalogued.db');
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/'sku-unmapped'.*not one of its types in the exception catalogue/);
    expect(exceptions).toEqual([]);
  });

  it("refuses another flow's type: a despatch problem raised by the stock flow has no section of its own to point to", async () => {
    const { run, exceptions } = await runOnce(stockFlowRaising('carrier-unmapped'), 'cross-flow.db');
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/stock flow raised 'carrier-unmapped'/);
    expect(exceptions).toEqual([]);
  });

  it('gives a raised exception the severity, kind and suggested action the catalogue states, a record’s own step first', async () => {
    const { exceptions } = await runOnce(stockFlowRaising('bad-quantity'), 'catalogued.db');
    const entry = catalogueEntry('stock', 'bad-quantity')!;
    expect(exceptions).toEqual([
      expect.objectContaining({ type: 'bad-quantity', severity: entry.severity, category: entry.category, suggestedAction: entry.action }),
    ]);

    const ledger = createLedger(tmp.file('record-step.db'));
    const contextFor = flowContextFactory({ ledger, clock: testPorts().clock, logger: testPorts().logger, exceptionChanged: () => undefined });
    const health = contextFor('health', ledger.runs.start('health', 'manual', new Date(), false).id, 'manual', SettingsSchema.parse({}));
    const raised = health.raise({
      type: 'system-unreachable',
      record: { type: 'system', key: 'sap-b1' },
      summary: 'SAP refused the password',
      action: 'Type the SAP password again in Connections.',
    });
    expect(raised).toMatchObject({ severity: 'critical', category: 'technical' });
    expect(raised.suggestedAction).toBe(`Type the SAP password again in Connections. ${catalogueEntry('health', 'system-unreachable')!.action}`);
    ledger.close();
  });

  it('the type checker holds a flow to its own part of the catalogue', () => {
    const ledger = createLedger(tmp.file('types.db'));
    const contextFor = flowContextFactory({ ledger, clock: testPorts().clock, logger: testPorts().logger, exceptionChanged: () => undefined });
    const stock = contextFor('stock', ledger.runs.start('stock', 'manual', new Date(), false).id, 'manual', SettingsSchema.parse({}));
    const record = { type: 'sku', key: 'JL-1001' };
    // npm test type-checks before it runs the tests: each line below must be refused by tsc, or the build fails.
    // @ts-expect-error a type in no part of the catalogue
    expect(() => stock.raise({ type: 'sku-unmapped', record, summary: 'x' })).toThrow(/not one of its types/);
    // @ts-expect-error a type of another flow's part
    expect(() => stock.raise({ type: 'carrier-unmapped', record, summary: 'x' })).toThrow(/not one of its types/);
    // @ts-expect-error the severity is the catalogue's, not the flow's
    stock.raise({ type: 'bad-quantity', record, summary: 'x', severity: 'info' });
    expect(ledger.exceptions.live('stock').map((e) => [e.type, e.severity])).toEqual([['bad-quantity', 'error']]);
    ledger.close();
  });

  it('names each type once per flow, each with a meaning, an action and its own handbook section', () => {
    const ids = EXCEPTION_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const anchors = EXCEPTION_CATALOGUE.map((e) => e.handbook);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const e of EXCEPTION_CATALOGUE) {
      expect(e.meaning, e.id).toMatch(/^\S.*\.$/);
      expect(e.meaning, e.id).not.toContain('\n');
      expect(e.action.length, e.id).toBeGreaterThan(20);
      expect(e.handbook, e.id).toMatch(/^operations\/exceptions\.md#[a-z0-9-]+$/);
      expect([...FLOW_NAMES, 'any']).toContain(e.flow);
    }
    // The job queue's own type is found from every flow whose records it can hold.
    expect(catalogueEntry('orders', 'gave-up')?.id).toBe('any/gave-up');
    // Two flows may share a type's name and mean different things by it.
    expect(catalogueEntry('orders', 'sku-unknown')!.meaning).not.toBe(catalogueEntry('stock', 'sku-unknown')!.meaning);
  });
});
