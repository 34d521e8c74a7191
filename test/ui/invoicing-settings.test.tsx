import { describe, expect, test } from 'vitest';
import { makeSettings } from './fixtures';
import { renderConsole } from './render-console';

const INVOICING = '#/invoicing';

async function openInvoicingSettings(setup: Parameters<typeof renderConsole>[0] = () => undefined, options: Parameters<typeof renderConsole>[1] = {}) {
  const rendered = await renderConsole(setup, { hash: INVOICING, ...options });
  await rendered.screen.getByRole('button', { name: 'Invoicing settings', exact: true }).click();
  return rendered;
}

describe('Invoicing settings', () => {
  test('the Batches view says when the daily batch runs and how big a batch is', async () => {
    const { screen } = await renderConsole((a) => (a.settings = makeSettings({ invoicing: { runAt: '03:15', batchSize: 120 } })), { hash: INVOICING });
    await expect.element(screen.getByTestId('invoicing-schedule')).toHaveTextContent('03:15 UK time, up to 120 invoices a batch');
  });

  test('sends only the time when only the time changed, with the operator’s name; the form and the Batches view then show what the engine saved', async () => {
    const { api, screen } = await openInvoicingSettings();
    await expect.element(screen.getByRole('textbox', { name: 'Daily batch at (UK time, HH:MM)' })).toHaveValue('02:00');
    await expect.element(screen.getByRole('textbox', { name: 'Invoices per batch' })).toHaveValue('50');
    await expect.element(screen.getByRole('button', { name: 'Save invoicing settings' })).toBeDisabled();

    // An hour of one digit is read as the setting writes it.
    await screen.getByRole('textbox', { name: 'Daily batch at (UK time, HH:MM)' }).fill('4:30');
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { invoicing: { runAt: '04:30' } }, actor: 'Priya Shah' }]);
    expect(api.settings.invoicing).toEqual({ runAt: '04:30', batchSize: 50 });
    await expect.element(screen.getByText('Invoicing settings saved.')).toBeVisible();
    await expect.element(screen.getByRole('textbox', { name: 'Daily batch at (UK time, HH:MM)' })).toHaveValue('04:30');
    await expect.element(screen.getByRole('button', { name: 'Save invoicing settings' })).toBeDisabled();

    await screen.getByRole('textbox', { name: 'Invoices per batch' }).fill('200');
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update').at(-1)).toEqual({ patch: { invoicing: { batchSize: 200 } }, actor: 'Priya Shah' });

    await screen.getByRole('button', { name: 'Batches', exact: true }).click();
    await expect.element(screen.getByTestId('invoicing-schedule')).toHaveTextContent('04:30 UK time, up to 200 invoices a batch');
  });

  test('a time that is not HH:MM on the 24-hour clock and a batch size outside 1 to 500 are refused with what is allowed, and nothing is sent', async () => {
    const { api, screen } = await openInvoicingSettings();
    const time = screen.getByRole('textbox', { name: 'Daily batch at (UK time, HH:MM)' });
    const size = screen.getByRole('textbox', { name: 'Invoices per batch' });
    const timeError = 'A time on the 24-hour clock as HH:MM, e.g. 02:00 or 18:30.';
    const sizeError = 'A whole number of invoices from 1 to 500.';

    for (const bad of ['24:00', '2pm', '02:60', '']) {
      await time.fill(bad);
      await expect.element(screen.getByText(timeError)).toBeVisible();
    }
    for (const bad of ['0', '501', '12.5', 'fifty']) {
      await size.fill(bad);
      await expect.element(screen.getByText(sizeError)).toBeVisible();
    }
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await time.fill('23:59');
    await size.fill('500');
    await expect.element(screen.getByText(timeError)).not.toBeInTheDocument();
    await expect.element(screen.getByText(sizeError)).not.toBeInTheDocument();
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { invoicing: { runAt: '23:59', batchSize: 500 } }, actor: 'Priya Shah' }]);
  });

  test('Discard changes puts back what the engine holds', async () => {
    const { screen } = await openInvoicingSettings();
    await screen.getByRole('textbox', { name: 'Invoices per batch' }).fill('7');
    await screen.getByRole('button', { name: 'Discard changes' }).click();
    await expect.element(screen.getByRole('textbox', { name: 'Invoices per batch' })).toHaveValue('50');
  });

  test('shows the engine’s refusal as it is', async () => {
    const { screen } = await openInvoicingSettings((a) => (a.rejectSettingsWith = 'invoicing.batchSize: Too big: expected number to be <=500'));
    await screen.getByRole('textbox', { name: 'Invoices per batch' }).fill('80');
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect
      .element(screen.getByTestId('invoicing-settings-error'))
      .toHaveTextContent('The engine refused the change: invoicing.batchSize: Too big: expected number to be <=500');
  });

  test('cannot be saved without the operator’s name', async () => {
    const { screen } = await openInvoicingSettings(() => undefined, { actor: null });
    await screen.getByRole('textbox', { name: 'Invoices per batch' }).fill('80');
    await expect.element(screen.getByRole('button', { name: 'Save invoicing settings' })).toBeDisabled();
  });
});
