import { describe, expect, test } from 'vitest';
import { makeDespatch } from './fake-despatch';
import { renderConsole } from './render-console';

describe('Despatch', () => {
  test('shows the queue with order, delivery, SAP carrier, tracking and state', async () => {
    const { screen } = await renderConsole((a) => (a.despatch.despatches = [makeDespatch(), makeDespatch({ orderId: '000000202-A', state: 'confirmed', sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', exception: null, trackingNumber: 'AB123456789GB' })]), { hash: '#/despatch' });
    await expect.element(screen.getByTestId('despatch-000000201-A')).toMatchTextContent(/blocked.*000000201-A.*31.*Yodel.*JD000221/);
    await expect.element(screen.getByTestId('despatch-000000202-A')).toMatchTextContent(/confirmed.*Royal Mail.*AB123456789GB.*ROYAL_MAIL/);
    await expect.element(screen.getByRole('button', { name: 'Correct despatch 000000202-A' })).not.toBeInTheDocument();
  });

  test('the correction form shows what SAP says, hints the tracking format for the chosen carrier, and sends the correction', async () => {
    const { api, screen } = await renderConsole((a) => (a.despatch.despatches = [makeDespatch()]), { hash: '#/despatch' });
    await screen.getByRole('button', { name: 'Correct despatch 000000201-A' }).click();
    const form = screen.getByRole('region', { name: 'Despatch correction' });
    await expect.element(form.getByTestId('correction-sap-carrier')).toMatchTextContent('Yodel');
    await expect.element(form.getByTestId('correction-delivery')).toMatchTextContent('31');
    await expect.element(form.getByTestId('tracking-hint')).toMatchTextContent('Choose the carrier');

    await form.getByRole('combobox', { name: /^Marketplace carrier/ }).selectOptions('ROYAL_MAIL');
    await expect.element(form.getByTestId('tracking-hint')).toMatchTextContent('Royal Mail tracked: 2 letters, 9 digits, then GB, e.g. AB123456789GB.');
    // SAP's number does not look like Royal Mail's: a warning, not a block.
    await expect.element(form.getByTestId('tracking-hint')).toMatchTextContent(/does not look like that/);
    await form.getByRole('textbox', { name: /^Tracking number/ }).fill('AB123456789GB');
    await expect.element(form.getByTestId('tracking-hint')).not.toMatchTextContent(/does not look like that/);
    await form.getByRole('checkbox', { name: /Remember this mapping/ }).click();
    await form.getByRole('checkbox', { name: /Write the tracking number back/ }).click();
    await form.getByRole('button', { name: 'Send despatch correction' }).click();

    await expect.poll(() => api.commandsNamed('despatch.correct')).toEqual([
      { orderId: '000000201-A', carrierCode: 'ROYAL_MAIL', trackingNumber: 'AB123456789GB', rememberMapping: true, writeBack: true, actor: 'Priya Shah' },
    ]);
    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('Despatch confirmed: the marketplace shows 000000201-A shipped with ROYAL_MAIL AB123456789GB');
    await expect.element(screen.getByRole('region', { name: 'Despatch correction' })).not.toBeInTheDocument();
  });

  test('a correction the marketplace still refuses stays open with its message verbatim', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.despatch.despatches = [makeDespatch()];
        a.despatch.outcome = 'blocked';
      },
      { hash: '#/despatch' },
    );
    await screen.getByRole('button', { name: 'Correct despatch 000000201-A' }).click();
    const form = screen.getByRole('region', { name: 'Despatch correction' });
    await form.getByRole('combobox', { name: /^Marketplace carrier/ }).selectOptions('EVRI');
    await form.getByRole('textbox', { name: /^Tracking number/ }).fill('H01ABC1234567890');
    await form.getByRole('button', { name: 'Send despatch correction' }).click();
    await expect.element(screen.getByTestId('despatch-outcome')).toHaveAttribute('data-outcome', 'blocked');
    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('Carrier EVRI needs a tracking number');
    await expect.element(screen.getByRole('region', { name: 'Despatch correction' })).toMatchTextContent('Carrier EVRI needs a tracking number');
  });

  test('saves a carrier mapping from the table, starting from the suggestion', async () => {
    const { api, screen } = await renderConsole(
      (a) => (a.despatch.mappings = [{ sapCarrier: 'Evri', carrierCode: null, named: null, valid: false, updatedBy: null, updatedAt: null, suggestions: [{ code: 'EVRI', label: 'Evri', score: 1 }] }]),
      { hash: '#/despatch' },
    );
    await expect.element(screen.getByTestId('mapping-Evri')).toMatchTextContent(/unmapped.*Evri \(100 %\)/);
    await screen.getByTestId('mapping-Evri').getByRole('button', { name: 'Save mapping' }).click();
    await expect.poll(() => api.commandsNamed('despatch.saveMapping')).toEqual([{ sapCarrier: 'Evri', carrierCode: 'EVRI', actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('“Evri” now maps to EVRI');
  });
});
