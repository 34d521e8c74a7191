import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { recordingServer } from '../support/servers';
import { tempDir, testPorts } from '../support/ports';

/** A despatch flow stand-in that reads an order and confirms its despatch, the way real flows write. */
function despatchLikeFlow(baseURL: string, ports: ReturnType<typeof testPorts>): Flow {
  return {
    name: 'despatch',
    async run(ctx) {
      const client = ports.http.create({ system: 'marketplace', baseURL, timeoutMs: 5000, isDryRun: () => ctx.dryRun });
      await client.get('/api/orders?order_ids=000000086-A');
      const outcome = await ctx.write(
        { system: 'marketplace', operation: 'OR23', recordKey: '000000086-A', payload: { carrier_code: 'RM', tracking_number: 'AB123456789GB' } },
        async () => ({ result: (await client.put('/api/orders/000000086-A/tracking', { carrier_code: 'RM', tracking_number: 'AB123456789GB' })).status }),
      );
      return { sent: outcome.sent ? 1 : 0 };
    },
  };
}

describe('dry run', () => {
  let server: Awaited<ReturnType<typeof recordingServer>>;
  const tmp = tempDir();
  beforeAll(async () => (server = await recordingServer()));
  afterAll(async () => {
    await server.stop();
    tmp.cleanup();
  });

  it('blocks every write, records what would have been sent, and sends it once dry run is off', async () => {
    const ports = testPorts({ dryRun: true, flows: { despatch: { enabled: true, cadenceSeconds: 300 } } as never });
    const engine = createEngine(ports, { ledgerFile: tmp.file('dry.db'), buildFlows: () => [despatchLikeFlow(server.url, ports)] });
    const [dry] = await engine.runOnce();
    expect(dry).toMatchObject({ flow: 'despatch', outcome: 'succeeded', counts: { sent: 0 } });
    expect(server.received.map((r) => r.method)).toEqual(['GET']);
    const recorded = engine.ledger.intents.dryRuns(10);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ system: 'marketplace', operation: 'OR23', recordKey: '000000086-A', outcome: 'dry-run' });
    expect(recorded[0]!.payload).toEqual({ carrier_code: 'RM', tracking_number: 'AB123456789GB' });
    expect((await engine.query('runs.list', {}))[0]!.dryRun).toBe(true);

    await engine.command('settings.update', { actor: 'Priya', patch: { dryRun: false } });
    const [live] = await engine.runOnce();
    expect(live!.counts).toEqual({ sent: 1 });
    expect(server.received.map((r) => r.method)).toEqual(['GET', 'GET', 'PUT']);
    expect(engine.ledger.intents.forRecord('marketplace', 'OR23', '000000086-A').map((i) => i.outcome)).toEqual(['dry-run', 'succeeded']);
    await engine.stop();
  });
});

describe('operator actions on exceptions', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('retries and dismisses with an audit trail, and refuses to act on a closed exception', async () => {
    const ports = testPorts({ flows: { stock: { enabled: true, cadenceSeconds: 120 } } as never });
    let runs = 0;
    const stock: Flow = {
      name: 'stock',
      async run(ctx) {
        runs++;
        ctx.raise({
          type: 'sku-unknown',
          record: { type: 'sku', key: 'JL-1001' },
          summary: 'The marketplace has no offer for SKU JL-1001',
          rawError: 'The offer with sku JL-1001 does not exist',
        });
        return {};
      },
    };
    const engine = createEngine(ports, { ledgerFile: tmp.file('ops.db'), buildFlows: () => [stock] });
    await engine.runOnce();
    expect(ports.notifications).toEqual([expect.objectContaining({ title: 'Stock blocked: SKU JL-1001', severity: 'error' })]);
    const { rows } = await engine.query('exceptions.list', { state: 'open' });
    expect(rows).toHaveLength(1);
    const id = rows[0]!.id;

    const retried = await engine.command('exceptions.retry', { id, actor: 'Priya' });
    expect(retried.state).toBe('retrying');
    await engine.idle();
    expect(runs).toBe(2);
    expect((await engine.query('exceptions.get', { id })).exception.occurrences).toBe(2);

    await expect(engine.command('exceptions.dismiss', { id, actor: 'Priya', reason: '' })).rejects.toThrow(/reason/);
    const dismissed = await engine.command('exceptions.dismiss', { id, actor: 'Priya', reason: 'SKU withdrawn from sale' });
    expect(dismissed.state).toBe('dismissed');
    await expect(engine.command('exceptions.retry', { id, actor: 'Priya' })).rejects.toThrow(/already dismissed/);
    const detail = await engine.query('exceptions.get', { id });
    expect(detail.actions.map((a) => `${a.action}:${a.actor}`)).toEqual(['raised:engine', 'retry:Priya', 'dismiss:Priya']);
    expect(detail.actions[2]!.reason).toBe('SKU withdrawn from sale');
    expect(engine.status().openExceptions).toBe(0);
    await engine.stop();
  });
});
