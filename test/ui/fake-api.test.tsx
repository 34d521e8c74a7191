import { describe, expect, test } from 'vitest';
import { FakeApi, FakeDriftError } from './fake-api';
import { makeOrder } from './fake-orders';
import { makeException, makeRun } from './fixtures';

/** The fake engine answers only what the real one could: the contract's schemas check its replies and events. */
describe('the fake engine cannot drift from the contract', () => {
  test('a reply the contract does not allow fails the query that asked, naming the field, and is recorded for the test', async () => {
    const api = new FakeApi();
    api.orders.orders = [makeOrder(), { ...makeOrder({ orderId: '000000102-A' }), stage: 'lost-in-the-post' } as never];
    await expect(api.query('orders.list', {})).rejects.toThrow(FakeDriftError);
    expect(api.drift).toEqual([expect.stringMatching(/query orders.list answered rows\.1\.stage: Invalid option/)]);
  });

  test('a command reply is checked too', async () => {
    const api = new FakeApi();
    api.connections.sapTest = { ok: 'yes', latencyMs: 42, message: 'Connected' } as never;
    await expect(api.command('connections.testSap', {})).rejects.toThrow(/command connections.testSap answered ok:/);
  });

  test('an event the engine could not send is refused before any screen sees it', () => {
    const api = new FakeApi();
    const seen: unknown[] = [];
    api.on('run.finished', (run) => seen.push(run));
    expect(() => api.emit('run.finished', { ...makeRun(), outcome: 'exploded' } as never)).toThrow(/event run.finished: outcome/);
    expect(() => api.changeException({ ...makeException(), severity: 'apocalyptic' } as never)).toThrow(FakeDriftError);
    expect(seen).toEqual([]);
    expect(api.drift).toHaveLength(2);
  });

  test('what the console receives is the contract’s parse: defaults filled, unknown fields gone', async () => {
    const api = new FakeApi();
    api.stock.breakdowns = [];
    const answer = await api.query('stock.skus', {});
    expect(answer).toEqual({ rows: [], total: 0 });
    api.exceptions = [{ ...makeException(), internalNote: 'not in the contract' } as never];
    const page = await api.query('exceptions.list', {});
    expect(page.rows[0]).not.toHaveProperty('internalNote');
    expect(api.drift).toEqual([]);
  });
});
