import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { QueryName } from '../../shared/contract';
import { makeDespatch } from './fake-despatch';
import { makeOrder } from './fake-orders';
import { makeException, makeRun } from './fixtures';
import { renderConsole } from './render-console';

/** Every list in the console, the query it pages and the screen it is on. */
const LISTS: { name: string; query: QueryName; hash: string; testId: string; says: string }[] = [
  { name: 'Orders', query: 'orders.list', hash: '#/orders', testId: 'orders-table', says: 'Could not load the orders' },
  { name: 'Despatch', query: 'despatch.list', hash: '#/despatch', testId: 'despatch-table', says: 'Could not load the despatches' },
  { name: 'Stock SKUs', query: 'stock.skus', hash: '#/stock', testId: 'stock-skus', says: 'Could not load the SKUs' },
  { name: 'SKU reconciliation', query: 'stock.reconciliation', hash: '#/stock', testId: 'reconciliation-table', says: 'Could not load the reconciliation' },
  { name: 'Exceptions', query: 'exceptions.list', hash: '#/exceptions', testId: 'exceptions-table', says: 'Could not load the exceptions' },
  { name: 'Runs', query: 'runs.list', hash: '#/runs', testId: 'runs-table', says: 'Could not load the runs' },
];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longer than the console gathers a burst of events for, so any refetch they cause has been asked. */
const AFTER_EVENTS_MS = 500;

const orders = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const number = String(101 + i).padStart(9, '0');
    return makeOrder({ orderId: `${number}-A`, commercialId: number, numAtCard: number, docNum: 1 + i, docEntry: 1 + i });
  });

describe('every list', () => {
  for (const list of LISTS) {
    test(`${list.name}: a failed query shows the engine's error, never an empty list, and Try again asks again`, async () => {
      const { api, screen } = await renderConsole((a) => (a.failQueries[list.query] = 'SQLITE_BUSY: database is locked'), { hash: list.hash });
      const error = screen.getByTestId(`${list.testId}-error`);
      await expect.element(error).toMatchTextContent(`${list.says}: SQLITE_BUSY: database is locked`);
      await expect.element(error).toHaveAttribute('role', 'alert');
      expect(screen.getByTestId(`${list.testId}-empty`).query()).toBeNull();

      delete api.failQueries[list.query];
      await error.getByRole('button', { name: 'Try again' }).click();
      // Nothing in the ledger: now that is what it says.
      await expect.element(screen.getByTestId(`${list.testId}-empty`)).toBeVisible();
      expect(screen.getByTestId(`${list.testId}-error`).query()).toBeNull();
    });
  }

  test('says it is loading while the engine has not answered, and only then whether there is nothing', async () => {
    let release = () => undefined as void;
    const { screen } = await renderConsole((a) => (release = a.hold('orders.list')), { hash: '#/orders' });
    await expect.element(screen.getByTestId('orders-table-loading')).toMatchTextContent('Loading the orders…');
    expect(screen.getByTestId('orders-table-empty').query()).toBeNull();
    release();
    await expect.element(screen.getByTestId('orders-table-empty')).toMatchTextContent('No marketplace orders yet');
    expect(screen.getByTestId('orders-table-loading').query()).toBeNull();
  });

  test('a refresh that fails keeps the rows shown and says they may be out of date', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(2)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toBeVisible();
    api.failQueries['orders.list'] = 'The engine is taking too long to answer';
    api.finishRun(makeRun({ id: 2, flow: 'orders' }));
    await expect.element(screen.getByTestId('orders-table-error')).toMatchTextContent('Could not refresh the orders: The engine is taking too long to answer');
    await expect.element(screen.getByTestId('order-000000101-A')).toBeVisible();
  });
});

describe('refetch on the engine’s events', () => {
  test('the orders queue is asked again when an orders run finishes, not when a stock run does', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('posted');
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('orders.list').length;

    api.finishRun(makeRun({ id: 2, flow: 'stock' }));
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list')).toHaveLength(before);

    api.orders.orders = [{ ...api.orders.orders[0]!, stage: 'closed' }];
    api.finishRun(makeRun({ id: 3, flow: 'orders' }));
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('closed');
    expect(api.queriesNamed('orders.list')).toHaveLength(before + 1);
  });

  test('a burst of exception events costs one refetch, not one per event', async () => {
    const { api, screen } = await renderConsole((a) => (a.exceptions = [makeException()]), { hash: '#/exceptions' });
    await expect.element(screen.getByTestId('exception-1')).toBeVisible();
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('exceptions.list').length;
    // A run raising fifty exceptions.
    for (let id = 2; id <= 51; id++) api.changeException(makeException({ id, record: { type: 'order', key: `ORD-${id}` } }));
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('51 exceptions');
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('exceptions.list').length - before).toBe(1);
  });

  test('the despatch queue shows a queued correction’s outcome when the engine announces it', async () => {
    const { api, screen } = await renderConsole(
      (a) => (a.despatch.despatches = [makeDespatch({ state: 'ready', exception: null, sending: { since: new Date().toISOString(), sendsAt: null } })]),
      { hash: '#/despatch' },
    );
    await expect.element(screen.getByTestId('despatch-000000201-A')).toMatchTextContent(/^sending/);
    api.despatchChanged({
      orderId: '000000201-A',
      outcome: 'confirmed',
      message: 'Despatch confirmed',
      sendsAt: null,
      despatch: makeDespatch({ state: 'confirmed', exception: null, carrierCode: 'DPD' }),
    });
    await expect.element(screen.getByTestId('despatch-000000201-A')).toMatchTextContent(/^confirmed/);
  });
});

describe('search', () => {
  test('asks the engine once typing pauses, not once per key', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(3)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000103-A')).toBeVisible();
    await userEvent.type(screen.getByPlaceholder("Order id, customer's number or SAP DocNum"), '000000102');
    await expect.element(screen.getByTestId('order-000000101-A')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('order-000000102-A')).toBeVisible();
    const searches = api.queriesNamed('orders.list').flatMap((r) => (r.search === undefined ? [] : [r.search]));
    // Nine keys typed; the last request is the whole number. (At most two: a slow machine may pause once mid-word.)
    expect(searches.at(-1)).toBe('000000102');
    expect(searches.length).toBeLessThanOrEqual(2);
  });
});

describe('paging', () => {
  test('scrolling the orders queue asks the engine for the next page, and only a window of rows is in the page', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(250)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('orders-total')).toHaveTextContent('250 orders');
    expect(api.queriesNamed('orders.list').at(-1)).toMatchObject({ offset: 0, limit: 100 });
    const box = screen.getByTestId('orders-table').element() as HTMLElement;
    expect(box.querySelectorAll('tr[data-index]').length).toBeLessThan(60);

    box.scrollTop = box.scrollHeight;
    await expect.poll(() => api.queriesNamed('orders.list').map((r) => r.offset)).toContain(100);
    box.scrollTop = box.scrollHeight;
    await expect.poll(() => api.queriesNamed('orders.list').map((r) => r.offset)).toContain(200);
    box.scrollTop = box.scrollHeight;
    await expect.element(screen.getByTestId('order-000000350-A')).toBeInTheDocument();
    expect(box.querySelectorAll('tr[data-index]').length).toBeLessThan(60);
  });

  test('the runs list, which the engine does not count, stops asking after a short page', async () => {
    const { api, screen } = await renderConsole(
      (a) => (a.runs = Array.from({ length: 150 }, (_, i) => makeRun({ id: 150 - i, flow: 'orders', counts: { read: i } }))),
      { hash: '#/runs' },
    );
    await expect.element(screen.getByTestId('run-150')).toBeVisible();
    const box = screen.getByTestId('runs-table').element() as HTMLElement;
    box.scrollTop = box.scrollHeight;
    await expect.poll(() => api.queriesNamed('runs.list').map((r) => r.offset)).toContain(100);
    box.scrollTop = box.scrollHeight;
    await expect.element(screen.getByTestId('run-1')).toBeInTheDocument();
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('runs.list').map((r) => r.offset)).not.toContain(200);
  });
});
