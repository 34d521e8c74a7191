import { describe, expect, test } from 'vitest';
import { renderConsole } from './render-console';

async function openDespatchSettings(setup: Parameters<typeof renderConsole>[0] = () => undefined, options: Parameters<typeof renderConsole>[1] = {}) {
  const rendered = await renderConsole(setup, { hash: '#/despatch', ...options });
  await rendered.screen.getByRole('button', { name: 'Despatch settings', exact: true }).click();
  return rendered;
}

describe('Despatch settings', () => {
  test('sends only the fields that changed, with the operator’s name, and starts again from what the engine saved', async () => {
    const { api, screen } = await openDespatchSettings();
    await screen.getByText('Advanced').click();
    await screen.getByRole('textbox', { name: 'Read overlap (minutes)' }).fill('5');
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { despatch: { overlapMinutes: 5 } }, actor: 'Priya Shah' }]);
    expect(api.settings.despatch.overlapMinutes).toBe(5);
    // The form is rebuilt from the saved values, so Advanced is folded again.
    await screen.getByText('Advanced').click();
    await expect.element(screen.getByRole('textbox', { name: 'Read overlap (minutes)' })).toHaveValue('5');
    await expect.element(screen.getByRole('button', { name: 'Save despatch settings' })).toBeDisabled();
  });

  test('a user-defined field needs a valid name before anything is sent', async () => {
    const { api, screen } = await openDespatchSettings();
    await screen.getByRole('radio', { name: 'A user-defined field on the Delivery Note' }).click();
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    await expect.element(screen.getByText('Enter the name of the field on the Delivery Note where the warehouse types the carrier.')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Field name' }).fill('U_Carrier');
    await expect.element(screen.getByText('Leave out the U_: enter Carrier.')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Field name' }).fill('Carrier name');
    await expect.element(screen.getByText('Letters, digits and _ (up to 18), starting with a letter.')).toBeVisible();
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await screen.getByRole('textbox', { name: 'Field name' }).fill('JLM_Carrier');
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([{ patch: { despatch: { carrierSource: { from: 'udf', name: 'JLM_Carrier' } } }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByRole('radio', { name: 'A user-defined field on the Delivery Note' })).toBeChecked();
    await expect.element(screen.getByRole('textbox', { name: 'Field name' })).toHaveValue('JLM_Carrier');
  });

  test('a change to one watchdog threshold sends both, as the engine replaces the group whole', async () => {
    const { api, screen } = await openDespatchSettings();
    await screen.getByRole('textbox', { name: 'Warn before the deadline (hours)' }).fill('6.5');
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([{ patch: { despatch: { watchdogs: { confirmWithinHours: 2, deadlineWarningHours: 6.5 } } }, actor: 'Priya Shah' }]);
  });

  test('hours out of range are caught before sending', async () => {
    const { api, screen } = await openDespatchSettings();
    await screen.getByRole('textbox', { name: 'Confirm within (hours)' }).fill('0.1');
    await expect.element(screen.getByText('Hours from 0.25 to 72, e.g. 2 or 1.5.')).toBeVisible();
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);
  });

  test('shows the engine’s error as it is', async () => {
    const { api, screen } = await openDespatchSettings((a) => (a.rejectSettingsWith = 'despatch.carrierSource.name: SAP has no field U_Carrier on ODLN'));
    await screen.getByRole('radio', { name: 'A user-defined field on the Delivery Note' }).click();
    await screen.getByRole('textbox', { name: 'Field name' }).fill('Carrier');
    await screen.getByRole('button', { name: 'Save despatch settings' }).click();
    await expect.element(screen.getByTestId('despatch-settings-error')).toMatchTextContent('despatch.carrierSource.name: SAP has no field U_Carrier on ODLN');
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { despatch: { carrierSource: { from: 'udf', name: 'Carrier' } } }, actor: 'Priya Shah' }]);
  });

  test('cannot be saved without the operator’s name', async () => {
    const { screen } = await openDespatchSettings(() => undefined, { actor: null });
    await screen.getByRole('textbox', { name: 'Confirm within (hours)' }).fill('3');
    await expect.element(screen.getByRole('button', { name: 'Save despatch settings' })).toBeDisabled();
  });
});
