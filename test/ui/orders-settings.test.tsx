import { describe, expect, test } from 'vitest';
import type { CommandResponse } from '../../shared/contract';
import { renderConsole } from './render-console';

type Report = CommandResponse<'orders.preflight'>;

async function openOrdersSettings(setup: Parameters<typeof renderConsole>[0] = () => undefined, options: Parameters<typeof renderConsole>[1] = {}) {
  const rendered = await renderConsole(setup, { hash: '#/orders', ...options });
  await rendered.screen.getByRole('button', { name: 'Orders settings', exact: true }).click();
  return rendered;
}

const checked = (over: Partial<Report> = {}): Report => ({
  ok: false,
  checks: [
    { name: 'business-partner', ok: true, detail: 'C-JLM John Lewis Marketplace' },
    { name: 'warehouse', ok: true, detail: '01 General Warehouse' },
    { name: 'vat-groups', ok: true, detail: 'O1 20 %, O0 0 %' },
    { name: 'udf ORDR.U_JLM_OrderId', ok: false, detail: 'missing: the preflight can create it' },
    { name: 'udf RDR1.U_JLM_LineId', ok: false, detail: 'missing: the preflight can create it' },
    { name: 'table @JLM_LEASE', ok: true, detail: 'exists' },
  ],
  missingFields: ['ORDR.U_JLM_OrderId', 'RDR1.U_JLM_LineId'],
  createdFields: [],
  ...over,
});

describe('Orders settings', () => {
  test('sends only the fields that changed, with the operator’s name', async () => {
    const { api, screen } = await openOrdersSettings();
    await screen.getByRole('textbox', { name: 'Business partner (CardCode)' }).fill('C-JLM2');
    await screen.getByRole('radio', { name: 'Order reference for the customer' }).click();
    await screen.getByRole('radio', { name: 'Refuse short lines' }).click();
    await screen.getByRole('textbox', { name: 'Batch- or serial-tracked SKUs' }).fill('SKU000003\nSKU000007, SKU000003');
    await screen.getByRole('textbox', { name: 'Maximum rounding correction (£)' }).fill('0.02');
    await screen.getByText('Advanced').click();
    await screen.getByRole('textbox', { name: 'Posting lease (seconds)' }).fill('300');
    await screen.getByRole('button', { name: 'Save orders settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          patch: {
            orders: {
              cardCode: 'C-JLM2',
              numAtCardSource: 'order_reference_for_customer',
              acceptancePolicy: 'refuse-short-lines',
              trackedSkus: ['SKU000003', 'SKU000007'],
              maxRounding: '0.02',
              // A nested group goes whole: the engine replaces it whole.
              lease: { seconds: 300 },
            },
          },
          actor: 'Priya Shah',
        },
      ]);
    // The form starts again from what the engine saved: nothing left to save.
    await expect.element(screen.getByRole('textbox', { name: 'Business partner (CardCode)' })).toHaveValue('C-JLM2');
    await expect.element(screen.getByRole('button', { name: 'Save orders settings' })).toBeDisabled();
  });

  test('the go-live cut-off and the warehouse priority list are sent as the engine keeps them', async () => {
    const { api, screen } = await openOrdersSettings();
    await screen.getByLabelText('Orders from (go-live cut-off)').fill('2026-12-01T09:30');
    await screen.getByRole('textbox', { name: 'Warehouses to take stock from, in order' }).fill('02\n01, 03');
    await screen.getByText('Advanced').click();
    await screen.getByRole('checkbox', { name: 'Close a duplicate Sales Order by itself' }).click();
    await screen.getByRole('button', { name: 'Save orders settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          // The operator's local time, kept as the instant it names.
          patch: { orders: { ordersFrom: new Date('2026-12-01T09:30').toISOString(), warehousePriority: ['02', '01', '03'], closeDuplicates: true } },
          actor: 'Priya Shah',
        },
      ]);
  });

  test('a shipping charge as a service-item line needs an item code', async () => {
    const { api, screen } = await openOrdersSettings();
    await screen.getByRole('radio', { name: 'As a service-item line' }).click();
    await screen.getByRole('button', { name: 'Save orders settings' }).click();
    await expect.element(screen.getByText('A service-item line needs the SAP item code of a non-stock service item.')).toBeVisible();
    expect(api.commandsNamed('settings.update')).toEqual([]);
    await screen.getByRole('textbox', { name: 'Service item code' }).fill('SHIP-STD');
    await screen.getByRole('button', { name: 'Save orders settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([{ patch: { orders: { shipping: { as: 'service-item', itemCode: 'SHIP-STD' } } }, actor: 'Priya Shah' }]);
  });

  test('shows the engine’s error as it is', async () => {
    const { api, screen } = await openOrdersSettings((a) => (a.rejectSettingsWith = 'orders.warehouseCode: SAP has no warehouse 09'));
    await screen.getByRole('textbox', { name: 'Default SAP warehouse for order lines' }).fill('09');
    await screen.getByRole('button', { name: 'Save orders settings' }).click();
    await expect.element(screen.getByTestId('orders-settings-error')).toMatchTextContent('orders.warehouseCode: SAP has no warehouse 09');
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { orders: { warehouseCode: '09' } }, actor: 'Priya Shah' }]);
  });

  test('cannot be saved without the operator’s name', async () => {
    const { screen } = await openOrdersSettings(() => undefined, { actor: null });
    await screen.getByRole('textbox', { name: 'Business partner (CardCode)' }).fill('C-JLM2');
    await expect.element(screen.getByRole('button', { name: 'Save orders settings' })).toBeDisabled();
    await expect.element(screen.getByRole('button', { name: 'Check SAP company' })).toBeDisabled();
  });
});

describe('SAP company check', () => {
  test('shows the missing fields, asks before creating them, then shows the new report', async () => {
    const { api, screen } = await openOrdersSettings((a) => {
      a.orders.preflight = (createFields) =>
        createFields
          ? checked({
              ok: true,
              checks: checked().checks.map((c) => ({ ...c, ok: true, detail: c.ok ? c.detail : 'created' })),
              missingFields: [],
              createdFields: ['ORDR.U_JLM_OrderId', 'RDR1.U_JLM_LineId'],
            })
          : checked();
    });
    await screen.getByRole('button', { name: 'Check SAP company' }).click();
    await expect.element(screen.getByTestId('preflight-udf ORDR.U_JLM_OrderId')).toMatchTextContent(/Missing\s*missing: the preflight can create it/);
    await expect.element(screen.getByTestId('preflight-warehouse')).toMatchTextContent(/OK\s*01 General Warehouse/);
    expect(api.commandsNamed('orders.preflight')).toEqual([{ createFields: false, actor: 'Priya Shah' }]);

    await screen.getByRole('button', { name: 'Create the missing fields' }).click();
    await expect
      .element(screen.getByRole('alertdialog'))
      .toMatchTextContent(
        /Sales Order \(ORDR\) and Sales Order line \(RDR1\) tables, and a small user-defined table for the posting lease \(@JLM_LEASE\): ORDR.U_JLM_OrderId, RDR1.U_JLM_LineId/,
      );
    expect(api.commandsNamed('orders.preflight')).toHaveLength(1);
    await screen.getByRole('button', { name: 'Create the fields in SAP' }).click();
    await expect.poll(() => api.commandsNamed('orders.preflight').at(-1)).toEqual({ createFields: true, actor: 'Priya Shah' });
    await expect.element(screen.getByTestId('preflight-udf ORDR.U_JLM_OrderId')).toMatchTextContent(/OK\s*created/);
    await expect
      .element(screen.getByTestId('preflight-summary'))
      .toMatchTextContent('The SAP company is ready for orders. Created: ORDR.U_JLM_OrderId, RDR1.U_JLM_LineId.');
    await expect.element(screen.getByRole('button', { name: 'Create the missing fields' })).not.toBeInTheDocument();
  });
});
