import { describe, expect, test } from 'vitest';
import { makeOrder } from './fake-orders';
import { makeException } from './fixtures';
import { renderConsole } from './render-console';

describe('Orders', () => {
  test('lists the queue with the customer’s number and SAP DocNum, and searches by any number', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.orders.orders = [
          makeOrder(),
          makeOrder({
            orderId: '000000102-A',
            commercialId: '000000102',
            numAtCard: '000000102',
            stage: 'held',
            docEntry: null,
            docNum: null,
            acceptanceDeadline: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        ];
      },
      { hash: '#/orders' },
    );
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('000000101');
    await expect.element(screen.getByTestId('order-000000101-A')).toMatchTextContent('7');
    await expect.element(screen.getByTestId('order-000000102-A')).toMatchTextContent('held');
    await screen.getByPlaceholder("Order id, customer's number or SAP DocNum").fill('000000102');
    await expect.poll(() => api.calls.filter((c) => c.name === 'orders.list').at(-1)?.request).toMatchObject({ search: '000000102' });
    await expect.element(screen.getByTestId('order-000000101-A')).not.toBeInTheDocument();
  });

  test('says above the queue what holds every order, in the engine’s words, and not what concerns one order', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.orders.orders = [makeOrder()];
        a.exceptions = [
          makeException({
            id: 1,
            flow: 'orders',
            type: 'shop-model-unsupported',
            severity: 'critical',
            record: { type: 'shop', key: 'marketplace' },
            summary: 'The marketplace shop runs as DROPSHIP, not MARKETPLACE: Sales Orders are not posted until this is resolved',
            suggestedAction: 'Confirm the shop model with John Lewis before going on.',
          }),
          makeException({ id: 2, flow: 'orders', type: 'sku-unknown', record: { type: 'order', key: '000000101-A' }, summary: 'SKU JL-1 has no item in SAP' }),
        ];
      },
      { hash: '#/orders' },
    );
    await expect.element(screen.getByTestId('orders-blockers')).toMatchTextContent(/runs as DROPSHIP, not MARKETPLACE.*Confirm the shop model/);
    await expect.element(screen.getByTestId('orders-blockers')).not.toHaveTextContent('JL-1');
    // And where the handbook says what to do about it.
    await screen.getByTestId('orders-blocker-help').click();
    await expect.poll(() => location.hash).toMatch(/^#\/handbook\/operations\/exceptions.*shop-model-unsupported/);
  });

  test('opens an order with its timeline and sends a person’s decision on a held order', async () => {
    const held = makeOrder({ orderId: '000000103-A', stage: 'held', docNum: null, docEntry: null });
    const { api, screen } = await renderConsole(
      (a) => {
        a.orders.orders = [held];
        a.orders.details = [
          {
            order: held,
            lines: [{ orderLineId: 'L1', sku: 'SKU000001', itemCode: 'SKU000001', quantity: 2, state: 'WAITING_ACCEPTANCE', unitPrice: '19.99' }],
            events: [{ id: 1, at: new Date().toISOString(), source: 'exception', summary: 'acceptance-needed: short' }],
          },
        ];
      },
      { hash: '#/orders' },
    );
    await screen.getByRole('button', { name: '000000103-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).toMatchTextContent('acceptance-needed');
    await screen.getByRole('button', { name: 'Accept order' }).click();
    await expect.poll(() => api.commandsNamed('orders.decide')).toEqual([{ orderId: '000000103-A', decision: 'accept', actor: 'Priya Shah' }]);
  });

  test('corrects a SKU mapping and retries the orders it blocked', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = [makeOrder({ orderId: '000000104-A', stage: 'blocked' })]), { hash: '#/orders' });
    await screen.getByLabelText('SKU', { exact: true }).fill('JL-1001');
    await screen.getByLabelText('SAP item').fill('SKU000010');
    await screen.getByRole('button', { name: 'Map SKU and retry' }).click();
    await expect.element(screen.getByTestId('orders-message')).toMatchTextContent('retrying 1 order(s)');
    expect(api.commandsNamed('orders.mapSku')).toEqual([{ sku: 'JL-1001', itemCode: 'SKU000010', actor: 'Priya Shah' }]);
  });
  test('lists the saved SKU and VAT mappings, finds one by either side, and shows a new one once saved', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.orders.skuMappings = [{ sku: 'JL-2002', itemCode: 'SKU000020', mappedAt: '2026-11-20T10:00:00Z' }];
        a.orders.vatMappings = [
          { taxCode: 'GB-STD', rate: '20', vatGroup: 'O1', source: 'operator', updatedBy: 'Tom Reid', updatedAt: '2026-11-02T09:00:00Z' },
        ];
      },
      { hash: '#/orders' },
    );
    await screen.getByText('Saved mappings').click();
    const skus = screen.getByRole('table', { name: 'SKU mappings' });
    await expect.element(skus).toMatchTextContent(/JL-2002.*SKU000020/);
    await expect.element(screen.getByRole('table', { name: 'VAT mappings' })).toMatchTextContent(/GB-STD.*20%.*O1.*Tom Reid/);
    await screen.getByLabelText('SKU', { exact: true }).fill('JL-1001');
    await screen.getByLabelText('SAP item').fill('SKU000010');
    await screen.getByRole('button', { name: 'Map SKU and retry' }).click();
    await expect.element(skus).toMatchTextContent(/JL-1001.*SKU000010.*JL-2002/);
    await screen.getByRole('searchbox', { name: 'Find a mapping' }).fill('SKU000020');
    await expect.poll(() => skus.element().textContent).not.toContain('JL-1001');
    await expect.element(skus).toMatchTextContent('JL-2002');
  });
  test('filters by the UK day orders were created, and by age for the ones that are stuck', async () => {
    const { api, screen } = await renderConsole((a) => (a.orders.orders = [makeOrder()]), { hash: '#/orders' });
    await screen.getByLabelText('Created from').fill('2026-07-01');
    await screen.getByLabelText('Created to').fill('2026-07-01');
    await expect
      .poll(() => api.queriesNamed('orders.list').at(-1))
      .toMatchObject({ createdFrom: '2026-06-30T23:00:00.000Z', createdBefore: '2026-07-01T23:00:00.000Z' });
    await screen.getByLabelText('Created to').fill('');
    await screen.getByLabelText('Created from').fill('');
    await screen.getByRole('combobox', { name: /^Age/ }).selectOptions('Created over a day ago');
    await expect.poll(() => api.queriesNamed('orders.list').at(-1)?.createdFrom).toBeUndefined();
    const before = Date.parse(api.queriesNamed('orders.list').at(-1)!.createdBefore as string);
    expect(Math.abs(before - (Date.now() - 86_400_000))).toBeLessThan(60_000);
  });
});
