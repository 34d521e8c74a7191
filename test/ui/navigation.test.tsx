import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { recordLink } from '../../renderer/features/exceptions/ExceptionDetailPanel';
import { makeException } from './fixtures';
import { makeOrder } from './fake-orders';
import { renderConsole } from './render-console';

describe('navigation', () => {
  test('a link to a screen opens on that screen and keeps its address', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/exceptions' });
    await expect.element(screen.getByRole('tab', { name: /Exceptions/ })).toHaveAttribute('aria-selected', 'true');
    expect(location.hash).toBe('#/exceptions');
  });

  test('an unknown address falls back to the overview', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/payroll' });
    await expect.element(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => location.hash).toBe('#/overview');
  });
  test('an order has an address of its own: the link opens it, Escape closes it and the address follows', async () => {
    const order = makeOrder({ orderId: '000000105-A' });
    const { screen } = await renderConsole(
      (a) => {
        a.orders.orders = [order, makeOrder({ orderId: '000000106-A' })];
        a.orders.details = [{ order, lines: [], events: [{ id: 1, at: new Date().toISOString(), source: 'marketplace', summary: 'Order received' }] }];
      },
      { hash: '#/orders/000000105-A' },
    );
    await expect.element(screen.getByRole('tab', { name: 'Orders' })).toHaveAttribute('aria-selected', 'true');
    await expect.element(screen.getByTestId('order-detail')).toBeVisible();
    expect(location.hash).toBe('#/orders/000000105-A');
    // Escape in the search box is the search's; anywhere else it closes the order.
    await screen.getByPlaceholder("Order id, customer's number or SAP DocNum").click();
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByTestId('order-detail')).toBeVisible();
    (document.activeElement as HTMLElement | null)?.blur();
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByTestId('order-detail')).not.toBeInTheDocument();
    expect(location.hash).toBe('#/orders');
  });

  test('an exception opened writes its address, and a pasted address opens another', async () => {
    const { screen } = await renderConsole(
      (a) => (a.exceptions = [makeException({ id: 7, summary: 'First problem' }), makeException({ id: 8, summary: 'Second problem' })]),
      { hash: '#/exceptions' },
    );
    await screen.getByTestId('exception-7').click();
    await expect.element(screen.getByTestId('exception-detail')).toBeVisible();
    await expect.poll(() => location.hash).toBe('#/exceptions/7');
    location.hash = '#/exceptions/8';
    await expect.poll(() => screen.getByTestId('exception-detail').element().textContent).toContain('Second problem');
  });
  test('an exception links to its record: an order exception opens the order, a despatch one its despatch', async () => {
    const order = makeOrder({ orderId: '000000086-A' });
    const { screen } = await renderConsole(
      (a) => {
        a.exceptions = [makeException({ id: 3, flow: 'orders', record: { type: 'order', key: '000000086-A' } })];
        a.orders.orders = [order];
        a.orders.details = [{ order, lines: [], events: [] }];
      },
      { hash: '#/exceptions/3' },
    );
    await screen.getByTestId('exception-record-link').click();
    await expect.element(screen.getByRole('tab', { name: 'Orders' })).toHaveAttribute('aria-selected', 'true');
    await expect.element(screen.getByTestId('order-detail')).toBeVisible();
    expect(location.hash).toBe('#/orders/000000086-A');
  });
  test('where each kind of record an exception names is opened', () => {
    expect(recordLink({ flow: 'despatch', record: { type: 'order', key: '000000104-A' } })?.href).toBe('#/despatch/000000104-A');
    expect(recordLink({ flow: 'returns', record: { type: 'order', key: '000000104-A' } })?.href).toBe('#/orders/000000104-A');
    expect(recordLink({ flow: 'stock', record: { type: 'sku', key: 'JL 1001/B' } })?.href).toBe('#/stock/JL%201001%2FB');
    expect(recordLink({ flow: 'settlement', record: { type: 'billing-cycle', key: 'BC-2026-11' } })?.href).toBe('#/payouts/BC-2026-11');
    expect(recordLink({ flow: 'stock', record: { type: 'warehouse', key: '02' } })).toBeNull();
  });
  test('the header finds a record by whatever number is in hand, and Enter opens it', async () => {
    const order = makeOrder({ orderId: '000000105-A', numAtCard: '000000105' });
    const { api, screen } = await renderConsole(
      (a) => {
        a.orders.orders = [order];
        a.orders.details = [{ order, lines: [], events: [] }];
        a.searchHits = [
          { kind: 'order', key: '000000105-A', matched: 'SAP Invoice 4012', address: '#/orders/000000105-A' },
          { kind: 'despatch', key: '000000107-A', matched: 'Tracking AB123456789GB', address: '#/despatch/000000107-A' },
        ];
      },
      { hash: '#/overview' },
    );
    const box = screen.getByRole('combobox', { name: 'Find a record' });
    await box.fill('4012');
    await expect.poll(() => screen.getByTestId('search-hits').element().textContent).toContain('Order 000000105-A — SAP Invoice 4012');
    expect(api.queriesNamed('search.records').at(-1)).toEqual({ text: '4012' });
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('tab', { name: 'Orders' })).toHaveAttribute('aria-selected', 'true');
    await expect.element(screen.getByTestId('order-detail')).toBeVisible();
    expect(location.hash).toBe('#/orders/000000105-A');

    await box.fill('nothing');
    await expect.poll(() => screen.getByTestId('search-hits').element().textContent).toContain('Nothing in the ledger matches “nothing”.');
  });
});
