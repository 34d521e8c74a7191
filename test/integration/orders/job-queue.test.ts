import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/engine/clock';
import { DEFAULT_RETRY_POLICY } from '../../../electron/engine/ledger/jobs';
import { tempDir } from '../../support/ports';
import { startWorld, type World } from './world';

/**
 * The job queue on the orders flow: an order whose posting fails for a technical reason every time (SAP answers 500
 * when its item is read) is tried a bounded number of times with a growing wait between, then stops with one
 * 'gave up' exception a person can replay, while the other orders post.
 */
/** The system clock, moved forward by hand past each backoff; the connector's own short waits between retries pass at once. */
function skewedClock() {
  let skew = 0;
  const real = systemClock();
  return {
    ...real,
    now: () => real.now() + skew,
    sleep: async (ms: number) => void (skew += ms),
    skip: (ms: number) => void (skew += ms),
  };
}

describe('orders: the job queue', () => {
  let world: World;
  const tmp = tempDir();
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it('a record that always fails stops after its limit with one exception; the others post; a replay tries it again', async () => {
    const clock = skewedClock();
    const engine = world.engine({ ledgerFile: tmp.file('jobs.db'), clock });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    world.releaseLease();
    const created = world.jl.admin.createOrders({ count: 3, skus: ['SKU000001', 'SKU000003', 'SKU000002'] });
    await engine.runOnce();
    world.jl.admin.debitOrders(created.map((c) => c.orderId));
    // From now on SAP answers 500 whenever SKU000003's item is read: posting that one order fails every time.
    world.sap.setFaults([{ kind: 'error5xx', status: 500, method: 'GET', path: "Items('SKU000003')" }]);
    const failing = created[1]!.orderId;

    const sapCallsFor = () => world.sap.calls().filter((c) => c.method === 'GET' && c.path.includes("Items('SKU000003')")).length;
    const runs: { attempted: boolean; outcome: string }[] = [];
    // Twice the limit of runs, each after the longest backoff: the order must not be tried after its limit.
    for (let i = 0; i < DEFAULT_RETRY_POLICY.limit * 2; i++) {
      const before = sapCallsFor();
      const [summary] = await engine.runOnce();
      runs.push({ attempted: sapCallsFor() > before, outcome: summary!.outcome });
      // Straight after a failure the order waits its backoff: a run at once does not try it.
      const [quick] = await engine.runOnce();
      expect(quick!.counts.backingOff ?? quick!.counts.gaveUp).toBe(1);
      clock.skip(DEFAULT_RETRY_POLICY.maxDelayMs + 1_000);
    }
    expect(runs.filter((r) => r.attempted)).toHaveLength(DEFAULT_RETRY_POLICY.limit);
    expect(runs.slice(DEFAULT_RETRY_POLICY.limit).every((r) => !r.attempted && r.outcome === 'succeeded')).toBe(true);

    const perOrder = world.salesOrdersByOrderId();
    expect([created[0]!.orderId, created[2]!.orderId].map((id) => perOrder.get(id))).toEqual([1, 1]);
    expect(perOrder.has(failing)).toBe(false);

    const open = (await engine.query('exceptions.list', { flow: 'orders', state: 'open' })).rows.filter((e) => e.record.key === failing);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ type: 'gave-up', category: 'technical', occurrences: 1 });
    expect(open[0]!.summary).toMatch(new RegExp(`^Gave up after ${DEFAULT_RETRY_POLICY.limit} attempts over \\d+ h to post the Sales Order for ${failing}`));
    expect(open[0]!.rawError).toBeTruthy();
    const technical = await engine.query('exceptions.list', { category: 'technical', state: 'open' });
    expect(technical.rows.map((e) => e.id)).toContain(open[0]!.id);
    expect((await engine.query('exceptions.list', { category: 'business', state: 'open' })).rows.map((e) => e.id)).not.toContain(open[0]!.id);
    const timeline = (await engine.query('orders.get', { orderId: failing }))!.events.map((e) => e.summary);
    expect(timeline.filter((s) => /^Attempt \d of \d+ to post the Sales Order/.test(s))).toHaveLength(DEFAULT_RETRY_POLICY.limit - 1);

    // The cause fixed, a person replays it: the order posts and the exception resolves.
    world.sap.setFaults([]);
    await engine.command('exceptions.retry', { id: open[0]!.id, actor: 'Priya' });
    await engine.runOnce();
    expect(world.salesOrdersByOrderId().get(failing)).toBe(1);
    expect((await engine.query('exceptions.get', { id: open[0]!.id })).exception.state).toBe('resolved');
    await engine.stop();
  });

  it('SAP unreachable is not the order’s fault: no attempt is counted however long it lasts, and the order posts once SAP is back', async () => {
    const clock = skewedClock();
    const engine = world.engine({ ledgerFile: tmp.file('outage.db'), clock });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    world.releaseLease();
    const created = world.jl.admin.createOrders({ count: 2, skus: ['SKU000004', 'SKU000005'] });
    await engine.runOnce();
    world.jl.admin.debitOrders(created.map((c) => c.orderId));
    // A gateway in front of SAP answers 503 to every item read, for longer than the job queue's limit.
    world.sap.setFaults(['SKU000004', 'SKU000005'].map((sku) => ({ kind: 'error5xx' as const, status: 503, method: 'GET', path: `Items('${sku}')` })));
    for (let i = 0; i < DEFAULT_RETRY_POLICY.limit + 2; i++) {
      const [summary] = await engine.runOnce();
      // The run fails (the tray says so), naming SAP's answer.
      expect(summary!.outcome).toBe('failed');
      expect(summary!.error).toMatch(/503/);
      clock.skip(DEFAULT_RETRY_POLICY.maxDelayMs);
    }
    expect(engine.ledger.jobs.list('orders')).toEqual([]);
    expect((await engine.query('exceptions.list', { flow: 'orders', state: 'open' })).rows.filter((e) => e.type === 'gave-up')).toEqual([]);
    world.sap.setFaults([]);
    await engine.runOnce();
    expect(created.map((c) => world.salesOrdersByOrderId().get(c.orderId))).toEqual([1, 1]);
    await engine.stop();
  });

  it('one record whose answer looks like an outage never keeps the orders after it from posting', async () => {
    const clock = skewedClock();
    // One order at a time, in the order they came: the one SAP will not answer for is first every run.
    const engine = world.engine({ ledgerFile: tmp.file('one-outage.db'), clock, orders: { postingConcurrency: 1 } });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    world.releaseLease();
    const created = world.jl.admin.createOrders({ count: 3, skus: ['SKU000006', 'SKU000007', 'SKU000008'] });
    await engine.runOnce();
    world.jl.admin.debitOrders(created.map((c) => c.orderId));
    world.sap.setFaults([{ kind: 'error5xx', status: 503, method: 'GET', path: "Items('SKU000006')" }]);
    await engine.runOnce();
    const posted = world.salesOrdersByOrderId();
    expect(created.map((c) => posted.get(c.orderId) ?? 0)).toEqual([0, 1, 1]);
    world.sap.setFaults([]);
    await engine.stop();
  });
});
