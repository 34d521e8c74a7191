import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { QueryName } from '../../shared/contract';
import type { FakeApi } from './fake-api';
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

  test('a failed request is not repeated by the console: the engine retries what is worth retrying, the operator asks again', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toBeVisible();
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('orders.list').length;
    api.failQueries['orders.list'] = 'SQLITE_BUSY: database is locked';
    api.finishRun(makeRun({ id: 2, flow: 'orders' }));
    await expect.element(screen.getByTestId('orders-table-error')).toMatchTextContent('Could not refresh the orders: SQLITE_BUSY');
    await pause(3 * AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list')).toHaveLength(before + 1);
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

  test('an event while the list is being asked for costs one more request after that answer, however many come', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('posted');
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('orders.list').length;
    const release = api.hold('orders.list');
    api.finishRun(makeRun({ id: 2, flow: 'orders' }));
    await expect.poll(() => api.queriesNamed('orders.list').length).toBe(before + 1);
    // The engine changed the order after the request on its way had been answered.
    api.orders.orders = [{ ...api.orders.orders[0]!, stage: 'closed' }];
    for (let id = 3; id <= 5; id++) api.finishRun(makeRun({ id, flow: 'orders' }));
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list')).toHaveLength(before + 1);
    release();
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('closed');
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list')).toHaveLength(before + 2);
  });

  test('a screen opened again asks the engine again: what it showed may have changed while it was closed', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('posted');
    await screen.getByRole('tab', { name: 'Runs' }).click();
    await expect.element(screen.getByTestId('order-000000101-A')).not.toBeInTheDocument();
    api.orders.orders = [{ ...api.orders.orders[0]!, stage: 'closed' }];
    api.finishRun(makeRun({ id: 2, flow: 'orders' }));
    await pause(AFTER_EVENTS_MS);
    await screen.getByRole('tab', { name: 'Orders' }).click();
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('closed');
  });

  test('the console neither asks again when the operator comes back to the window nor stops asking without internet', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('posted');
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('orders.list').length;
    // What the browser sends when the operator comes back to the console's window or tab.
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    window.dispatchEvent(new Event('online'));
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list')).toHaveLength(before);

    // The engine is on this PC: a lost internet connection does not stop the console asking it.
    window.dispatchEvent(new Event('offline'));
    try {
      api.orders.orders = [{ ...api.orders.orders[0]!, stage: 'closed' }];
      api.finishRun(makeRun({ id: 2, flow: 'orders' }));
      await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('closed');
    } finally {
      window.dispatchEvent(new Event('online'));
    }
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

  test('keeps the rows shown, dimmed, until the engine answers the search', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(3)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000103-A')).toBeVisible();
    const release = api.hold('orders.list');
    await screen.getByPlaceholder("Order id, customer's number or SAP DocNum").fill('000000102');
    await expect.poll(() => api.queriesNamed('orders.list').at(-1)?.search).toBe('000000102');
    await expect.element(screen.getByTestId('order-000000101-A')).toBeInTheDocument();
    await expect.element(screen.getByTestId('orders-table')).toHaveAttribute('aria-busy', 'true');
    release();
    await expect.element(screen.getByTestId('order-000000101-A')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('order-000000102-A')).toBeVisible();
    await expect.element(screen.getByTestId('orders-table')).toHaveAttribute('aria-busy', 'false');
  });

  test('the newest filter’s answer wins over an older one that arrives after it', async () => {
    let releasePosted = () => undefined as void;
    const posted = new Promise<void>((resolve) => (releasePosted = resolve));
    const { screen } = await renderConsole(
      (a) => {
        a.orders.orders = [makeOrder({ orderId: '000000101-A', stage: 'posted' }), makeOrder({ orderId: '000000102-A', stage: 'closed' })];
        // The engine answers the posted orders slowly (a stock cycle holds the ledger), after the closed ones.
        const query = a.query.bind(a);
        a.query = (async (name, request) => {
          const answer = query(name, request);
          if (name === 'orders.list' && (request as { stage?: string }).stage === 'posted') await posted;
          return answer;
        }) as FakeApi['query'];
      },
      { hash: '#/orders' },
    );
    await expect.element(screen.getByTestId('order-000000102-A')).toBeVisible();
    await screen.getByRole('combobox', { name: 'Stage' }).selectOptions('posted');
    await screen.getByRole('combobox', { name: 'Stage' }).selectOptions('closed');
    await expect.element(screen.getByTestId('order-000000101-A')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('orders-table')).toHaveAttribute('aria-busy', 'false');
    releasePosted();
    await pause(AFTER_EVENTS_MS);
    expect(screen.getByTestId('order-000000101-A').query()).toBeNull();
    await expect.element(screen.getByTestId('order-000000102-A')).toBeVisible();
  });

  test('a new filter that fails shows its error, and not the previous filter’s rows, also while it is asked again', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(1)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('order-000000101-A')).toBeVisible();
    api.failQueries['orders.list'] = 'SQLITE_BUSY: database is locked';
    await screen.getByRole('combobox', { name: 'Stage' }).selectOptions('closed');
    const error = screen.getByTestId('orders-table-error');
    await expect.element(error).toMatchTextContent('Could not load the orders: SQLITE_BUSY');
    expect(screen.getByTestId('order-000000101-A').query()).toBeNull();

    delete api.failQueries['orders.list'];
    const release = api.hold('orders.list');
    await error.getByRole('button', { name: 'Try again' }).click();
    await expect.element(screen.getByTestId('orders-table-loading')).toBeVisible();
    expect(screen.getByTestId('order-000000101-A').query()).toBeNull();
    release();
    await expect.element(screen.getByTestId('orders-table-empty')).toMatchTextContent('No');
  });
});

describe('one record’s details', () => {
  test('opening another order never shows the previous order’s details while it loads', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.orders.orders = orders(2);
        a.orders.details = a.orders.orders.map((order) => ({ order, lines: [], events: [] }));
      },
      { hash: '#/orders' },
    );
    await screen.getByRole('button', { name: '000000101-A' }).click();
    await expect.element(screen.getByRole('region', { name: 'Order 000000101-A' })).toBeVisible();
    const release = api.hold('orders.get');
    await screen.getByRole('button', { name: '000000102-A' }).click();
    await expect.poll(() => api.queriesNamed('orders.get').at(-1)).toEqual({ orderId: '000000102-A' });
    await expect.element(screen.getByRole('region', { name: 'Order 000000101-A' })).not.toBeInTheDocument();
    release();
    await expect.element(screen.getByRole('region', { name: 'Order 000000102-A' })).toBeVisible();
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

  test('a refreshed list asks in one request for the rows it shows, and keeps them on screen', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(250)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('orders-total')).toHaveTextContent('250 orders');
    const box = screen.getByTestId('orders-table').element() as HTMLElement;
    box.scrollTop = box.scrollHeight;
    await expect.poll(() => api.queriesNamed('orders.list').map((r) => r.offset)).toContain(100);
    box.scrollTop = box.scrollHeight;
    await expect.poll(() => api.queriesNamed('orders.list').map((r) => r.offset)).toContain(200);
    box.scrollTop = box.scrollHeight;
    await expect.element(screen.getByTestId('order-000000350-A')).toBeInTheDocument();
    await pause(AFTER_EVENTS_MS);
    const before = api.queriesNamed('orders.list').length;

    api.orders.orders = api.orders.orders.map((o, i) => (i === 249 ? { ...o, stage: 'closed' } : o));
    api.finishRun(makeRun({ id: 2, flow: 'orders' }));
    await expect.element(screen.getByTestId('order-000000350-A')).toMatchTextContent('closed');
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list').slice(before)).toEqual([{ offset: 0, limit: 250 }]);
  });

  test('a next page that fails says so at the bottom, keeps the rows, and is asked again only when the operator says', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = orders(250)), { hash: '#/orders' });
    await expect.element(screen.getByTestId('orders-total')).toHaveTextContent('250 orders');
    api.failQueries['orders.list'] = 'The engine is taking too long to answer';
    const box = screen.getByTestId('orders-table').element() as HTMLElement;
    box.scrollTop = box.scrollHeight;
    const error = screen.getByTestId('orders-table-error');
    await expect.element(error).toMatchTextContent('Could not load more orders: The engine is taking too long to answer');
    // Scrolling up and down again does not hammer the engine.
    box.scrollTop = 0;
    await pause(50);
    box.scrollTop = box.scrollHeight;
    await pause(AFTER_EVENTS_MS);
    expect(api.queriesNamed('orders.list').filter((r) => r.offset === 100)).toHaveLength(1);
    // The last row of the first page is still there, at the bottom.
    expect(screen.getByTestId('order-000000200-A').query()).not.toBeNull();

    delete api.failQueries['orders.list'];
    await error.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => api.queriesNamed('orders.list').filter((r) => r.offset === 100)).toHaveLength(2);
    await expect.element(error).not.toBeInTheDocument();
    box.scrollTop = box.scrollHeight;
    await expect.element(screen.getByTestId('order-000000300-A')).toBeInTheDocument();
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
