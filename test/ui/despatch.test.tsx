import { describe, expect, test } from 'vitest';
import { makeDespatch } from './fake-despatch';
import { renderConsole } from './render-console';

describe('Despatch', () => {
  test('shows the queue with order, delivery, SAP carrier, tracking and state', async () => {
    const { screen } = await renderConsole(
      (a) =>
        (a.despatch.despatches = [
          makeDespatch(),
          makeDespatch({
            orderId: '000000202-A',
            state: 'confirmed',
            sapCarrier: 'Royal Mail',
            carrierCode: 'ROYAL_MAIL',
            exception: null,
            trackingNumber: 'AB123456789GB',
          }),
        ]),
      { hash: '#/despatch' },
    );
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

    await expect
      .poll(() => api.commandsNamed('despatch.correct'))
      .toEqual([
        { orderId: '000000201-A', carrierCode: 'ROYAL_MAIL', trackingNumber: 'AB123456789GB', rememberMapping: true, writeBack: true, actor: 'Priya Shah' },
      ]);
    await expect
      .element(screen.getByTestId('despatch-outcome'))
      .toMatchTextContent('Despatch confirmed: the marketplace shows 000000201-A shipped with ROYAL_MAIL AB123456789GB');
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

  test('a suggestion is never shown as the saved mapping: it fills the editor only when chosen, and only a save applies it', async () => {
    const { api, screen } = await renderConsole(
      (a) =>
        (a.despatch.mappings = [
          {
            sapCarrier: 'Evri',
            carrierCode: null,
            named: null,
            valid: false,
            updatedBy: null,
            updatedAt: null,
            suggestions: [{ code: 'EVRI', label: 'Evri', score: 1 }],
          },
          {
            sapCarrier: 'DPD Local',
            carrierCode: 'DPD',
            named: null,
            valid: true,
            updatedBy: 'Priya Shah',
            updatedAt: new Date().toISOString(),
            suggestions: [{ code: 'DPD', label: 'DPD UK', score: 0.83 }],
          },
          {
            sapCarrier: 'Royal_Mail',
            carrierCode: 'DPD',
            named: null,
            valid: true,
            updatedBy: 'Priya Shah',
            updatedAt: new Date().toISOString(),
            suggestions: [{ code: 'ROYAL_MAIL', label: 'Royal Mail', score: 1 }],
          },
        ]),
      { hash: '#/despatch' },
    );
    const evri = screen.getByTestId('mapping-Evri');
    await expect.element(screen.getByTestId('saved-Evri')).toMatchTextContent('Not mapped');
    await expect.element(screen.getByTestId('suggestion-Evri')).toMatchTextContent('Suggested, not saved: Evri (100 % alike)');
    await expect.element(evri.getByRole('combobox', { name: 'Marketplace carrier for Evri' })).toHaveValue('');
    await expect.element(evri.getByRole('button', { name: 'Save mapping' })).toBeDisabled();
    // Saved and suggested differ: each says which it is.
    await expect.element(screen.getByTestId('saved-Royal_Mail')).toMatchTextContent('DPD UK (DPD)');
    await expect.element(screen.getByTestId('suggestion-Royal_Mail')).toMatchTextContent('Suggested, not saved: Royal Mail');
    await expect.element(screen.getByTestId('mapping-Royal_Mail').getByRole('combobox')).toHaveValue('DPD');
    await expect.element(screen.getByTestId('suggestion-DPD Local')).toMatchTextContent('matches the saved mapping');

    await evri.getByRole('button', { name: 'Use suggestion EVRI for Evri' }).click();
    await expect.element(evri.getByRole('combobox', { name: 'Marketplace carrier for Evri' })).toHaveValue('EVRI');
    await expect.element(screen.getByTestId('saved-Evri')).toMatchTextContent('Not mapped');
    expect(api.commandsNamed('despatch.saveMapping')).toEqual([]);
    await evri.getByRole('button', { name: 'Save mapping' }).click();
    await expect.poll(() => api.commandsNamed('despatch.saveMapping')).toEqual([{ sapCarrier: 'Evri', carrierCode: 'EVRI', actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('“Evri” now maps to EVRI');
  });

  test('where the shop accepts carriers off its list, maps one as a named carrier with its tracking URL', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.despatch.namedCarriers = 'allowed';
        a.despatch.mappings = [{ sapCarrier: 'Yodel', carrierCode: null, named: null, valid: false, updatedBy: null, updatedAt: null, suggestions: [] }];
      },
      { hash: '#/despatch' },
    );
    const yodel = screen.getByTestId('mapping-Yodel');
    await yodel.getByRole('combobox', { name: 'Marketplace carrier for Yodel' }).selectOptions('A carrier not on the list…');
    await expect.element(yodel.getByRole('textbox', { name: 'Carrier name for Yodel' })).toHaveValue('Yodel');
    await yodel.getByRole('textbox', { name: 'Tracking URL for Yodel' }).fill('yodel.co.uk/tracking');
    await expect.element(yodel.getByRole('button', { name: 'Save mapping' })).toBeDisabled();
    await yodel.getByRole('textbox', { name: 'Tracking URL for Yodel' }).fill('https://www.yodel.co.uk/tracking/{trackingId}');
    await yodel.getByRole('button', { name: 'Save mapping' }).click();
    await expect
      .poll(() => api.commandsNamed('despatch.saveMapping'))
      .toEqual([{ sapCarrier: 'Yodel', named: { carrierName: 'Yodel', trackingUrl: 'https://www.yodel.co.uk/tracking/{trackingId}' }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('“Yodel” now maps to Yodel (named carrier)');
  });

  test('where the shop forbids carriers off its list, says so and does not offer them', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.despatch.namedCarriers = 'forbidden';
        a.despatch.mappings = [{ sapCarrier: 'Yodel', carrierCode: null, named: null, valid: false, updatedBy: null, updatedAt: null, suggestions: [] }];
      },
      { hash: '#/despatch' },
    );
    await expect.element(screen.getByTestId('named-carriers-note')).toMatchTextContent('John Lewis accepts only carriers on its list for this shop');
    const options = screen.getByTestId('mapping-Yodel').getByRole('option');
    await expect.poll(() => options.elements().map((o) => o.textContent)).toEqual(['— choose —', 'DPD UK (DPD)', 'Evri (EVRI)', 'Royal Mail (ROYAL_MAIL)']);
  });

  test('a correction that has to wait its turn shows sending, then the outcome the engine sends later', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.despatch.despatches = [makeDespatch()];
        a.despatch.outcome = 'queued';
      },
      { hash: '#/despatch' },
    );
    await screen.getByRole('button', { name: 'Correct despatch 000000201-A' }).click();
    const form = screen.getByRole('region', { name: 'Despatch correction' });
    await form.getByRole('combobox', { name: /^Marketplace carrier/ }).selectOptions('EVRI');
    await form.getByRole('textbox', { name: /^Tracking number/ }).fill('H01ABC1234567890');
    await form.getByRole('button', { name: 'Send despatch correction' }).click();

    await expect.element(screen.getByTestId('despatch-outcome')).toMatchTextContent('Queued — sends at 17:25');
    await expect.element(screen.getByTestId('despatch-outcome')).toHaveAttribute('data-outcome', 'queued');
    await expect.element(screen.getByTestId('despatch-000000201-A')).toMatchTextContent(/^sending/);
    await expect.element(screen.getByRole('button', { name: 'Correct despatch 000000201-A' })).not.toBeInTheDocument();

    api.despatchChanged({
      orderId: '000000201-A',
      outcome: 'confirmed',
      message: 'Despatch confirmed: the marketplace shows 000000201-A shipped with EVRI H01ABC1234567890',
      sendsAt: null,
      despatch: makeDespatch({
        state: 'confirmed',
        carrierCode: 'EVRI',
        correctedCarrierCode: 'EVRI',
        correctedTrackingNumber: 'H01ABC1234567890',
        exception: null,
      }),
    });
    await expect.element(screen.getByTestId('despatch-000000201-A')).toMatchTextContent(/^confirmed.*EVRI/);
    await expect
      .element(screen.getByTestId('despatch-outcome'))
      .toMatchTextContent('Despatch confirmed: the marketplace shows 000000201-A shipped with EVRI H01ABC1234567890');
    await expect.element(screen.getByTestId('despatch-outcome')).toHaveAttribute('data-outcome', 'confirmed');
  });
});
