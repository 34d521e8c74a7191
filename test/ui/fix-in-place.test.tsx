import { describe, expect, test } from 'vitest';
import { makeDespatch } from './fake-despatch';
import { makeOrder } from './fake-orders';
import { makeException } from './fixtures';
import { renderConsole } from './render-console';

describe('an exception’s fix, right beside it', () => {
  test('a despatch that could not be confirmed: the correction form opens in the exception and sends the correction', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.despatch.despatches = [makeDespatch()];
        a.exceptions = [
          makeException({ id: 9, flow: 'despatch', type: 'carrier-unmapped', record: { type: 'order', key: '000000201-A' }, summary: 'Yodel unmapped' }),
        ];
      },
      { hash: '#/exceptions/9' },
    );
    const fix = screen.getByTestId('fix-in-place');
    await expect.element(fix.getByTestId('correction-sap-carrier')).toMatchTextContent('Yodel');
    await fix.getByRole('combobox', { name: /^Marketplace carrier/ }).selectOptions('ROYAL_MAIL');
    await fix.getByRole('textbox', { name: /^Tracking number/ }).fill('AB123456789GB');
    await fix.getByRole('button', { name: 'Send despatch correction' }).click();
    await expect
      .poll(() => api.commandsNamed('despatch.correct'))
      .toEqual([
        { orderId: '000000201-A', carrierCode: 'ROYAL_MAIL', trackingNumber: 'AB123456789GB', rememberMapping: false, writeBack: false, actor: 'Priya Shah' },
      ]);
  });

  test('an order blocked by an unknown SKU: the SKU mapping is there, and saving it retries the orders it blocked', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        const order = makeOrder({ orderId: '000000086-A', stage: 'blocked' });
        a.orders.orders = [order];
        a.orders.details = [
          { order, lines: [], events: [{ id: 1, at: new Date().toISOString(), source: 'marketplace', summary: 'Order received (SHIPPING), 1 line(s)' }] },
        ];
        a.exceptions = [makeException({ id: 3, flow: 'orders', type: 'sku-unknown', record: { type: 'order', key: '000000086-A' } })];
      },
      { hash: '#/exceptions/3' },
    );
    // The order's story is there too, from its timeline.
    await expect.poll(() => screen.getByTestId('record-story').element().textContent).toContain('Order received');
    const fix = screen.getByTestId('fix-in-place');
    await fix.getByLabelText('SKU', { exact: true }).fill('JL-1001');
    await fix.getByLabelText('SAP item').fill('SKU000010');
    await fix.getByRole('button', { name: 'Map SKU and retry' }).click();
    await expect.poll(() => api.commandsNamed('orders.mapSku')).toEqual([{ sku: 'JL-1001', itemCode: 'SKU000010', actor: 'Priya Shah' }]);
    await expect.poll(() => screen.getByTestId('notice').element().textContent).toContain('SKU JL-1001 → SKU000010; retrying 1 order.');
  });

  test('nothing to fix in place for a technical exception', async () => {
    const { screen } = await renderConsole(
      (a) => (a.exceptions = [makeException({ id: 4, flow: 'orders', type: 'gave-up', category: 'technical', record: { type: 'order', key: '000000087-A' } })]),
      { hash: '#/exceptions/4' },
    );
    await expect.element(screen.getByTestId('exception-detail')).toBeVisible();
    expect(screen.getByTestId('fix-in-place').query()).toBeNull();
  });
});
