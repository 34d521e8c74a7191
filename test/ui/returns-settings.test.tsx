import { describe, expect, test } from 'vitest';
import { makeReturn } from './fake-finance';
import { makeSettings } from './fixtures';
import { renderConsole } from './render-console';

const RETURNS = '#/returns';

async function openReturnsSettings(setup: Parameters<typeof renderConsole>[0] = () => undefined, options: Parameters<typeof renderConsole>[1] = {}) {
  const rendered = await renderConsole(setup, { hash: RETURNS, ...options });
  await rendered.screen.getByRole('button', { name: 'Returns settings', exact: true }).click();
  return rendered;
}

/** A UK calendar day some days from now, as a date input takes it. */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

describe('Returns settings', () => {
  test('each setting is said in words and saved with the operator’s name; the form then shows what the engine saved', async () => {
    const { api, screen } = await openReturnsSettings();
    // What the engine holds now: accepted automatically, received here, no warehouse, the last 30 days.
    await expect.element(screen.getByRole('radio', { name: 'Accept every return automatically' })).toBeChecked();
    await expect.element(screen.getByRole('radio', { name: 'A person presses Received' })).toBeChecked();
    await expect.element(screen.getByRole('combobox', { name: 'Returns warehouse' })).toHaveValue('');
    await expect.element(screen.getByLabelText('Read returns from')).toHaveValue('');
    await expect.element(screen.getByRole('button', { name: 'Save returns settings' })).toBeDisabled();

    await screen.getByRole('radio', { name: 'A person accepts or refuses each' }).click();
    await screen.getByRole('radio', { name: 'The warehouse keys a Return in SAP' }).click();
    await screen.getByRole('combobox', { name: 'Returns warehouse' }).selectOptions('RET');
    await screen.getByLabelText('Read returns from').fill('2026-11-01');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          // The start of 1 November in the UK (GMT).
          patch: { returns: { autoAccept: false, receivedBy: 'sap-return', warehouse: 'RET', readFrom: '2026-11-01T00:00:00.000Z' } },
          actor: 'Priya Shah',
        },
      ]);
    expect(api.settings.returns).toEqual({ autoAccept: false, receivedBy: 'sap-return', warehouse: 'RET', readFrom: '2026-11-01T00:00:00.000Z' });
    await expect.element(screen.getByText('Returns settings saved.')).toBeVisible();
    await expect.element(screen.getByRole('radio', { name: 'A person accepts or refuses each' })).toBeChecked();
    await expect.element(screen.getByRole('radio', { name: 'The warehouse keys a Return in SAP' })).toBeChecked();
    await expect.element(screen.getByRole('combobox', { name: 'Returns warehouse' })).toHaveValue('RET');
    await expect.element(screen.getByLabelText('Read returns from')).toHaveValue('2026-11-01');
    await expect.element(screen.getByRole('button', { name: 'Save returns settings' })).toBeDisabled();
  });

  test('sends only what changed; a summer day starts at midnight BST; emptying the day goes back to the last 30 days', async () => {
    const { api, screen } = await openReturnsSettings((a) => {
      a.settings = makeSettings({ returns: { autoAccept: true, receivedBy: 'console', warehouse: 'QC', readFrom: '2026-10-01T09:30:00.000Z' } });
    });
    // An instant during the day shows as its UK day and is not sent again unless the day changes.
    await expect.element(screen.getByLabelText('Read returns from')).toHaveValue('2026-10-01');
    await screen.getByRole('combobox', { name: 'Returns warehouse' }).selectOptions('RET');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { returns: { warehouse: 'RET' } }, actor: 'Priya Shah' }]);

    await expect.element(screen.getByRole('combobox', { name: 'Returns warehouse' })).toHaveValue('RET');
    await screen.getByLabelText('Read returns from').fill('2026-07-01');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update').at(-1))
      .toEqual({ patch: { returns: { readFrom: '2026-06-30T23:00:00.000Z' } }, actor: 'Priya Shah' });

    await expect.element(screen.getByLabelText('Read returns from')).toHaveValue('2026-07-01');
    await screen.getByLabelText('Read returns from').fill('');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update').at(-1)).toEqual({ patch: { returns: { readFrom: null } }, actor: 'Priya Shah' });
    expect(api.commandsNamed('settings.update')).toHaveLength(3);
  });

  test('offers SAP’s active warehouses, those SAP does not count as available first, and warns plainly on one it counts as available', async () => {
    const { api, screen } = await openReturnsSettings();
    const select = screen.getByRole('combobox', { name: 'Returns warehouse' });
    await expect.element(select).toBeInTheDocument();
    const options = [...select.element().querySelectorAll('option')].map((o) => o.textContent);
    // The inactive warehouse is not offered.
    expect(options).toEqual(['None chosen', 'RET — Returns bay', 'QC — Quality control', '01 — Main warehouse', 'SHOP — Shop floor']);
    expect([...select.element().querySelectorAll('optgroup')].map((g) => g.label)).toEqual([
      'Not counted as available by SAP (for returns)',
      'Counted as available by SAP: returned goods would be sold again',
    ]);
    await expect.element(screen.getByTestId('returns-warehouse-nettable')).not.toBeInTheDocument();

    await select.selectOptions('01');
    await expect
      .element(screen.getByTestId('returns-warehouse-nettable'))
      .toHaveTextContent(
        'SAP counts 01 — Main warehouse as available stock: returned goods booked into it can be sold again before anyone has inspected them. Choose a warehouse SAP does not count as available.',
      );
    await select.selectOptions('RET');
    await expect.element(screen.getByTestId('returns-warehouse-nettable')).not.toBeInTheDocument();
    expect(api.queriesNamed('returns.warehouses').length).toBeGreaterThan(0);
  });

  test('a warehouse SAP counts as available that is already set shows the warning when the form opens', async () => {
    const { screen } = await openReturnsSettings((a) => {
      a.settings = makeSettings({ returns: { ...a.settings.returns, warehouse: 'SHOP' } });
    });
    await expect.element(screen.getByTestId('returns-warehouse-nettable')).toMatchTextContent('SAP counts SHOP — Shop floor as available stock');
  });

  test('a warehouse set before that SAP no longer has active is named as such', async () => {
    const { screen } = await openReturnsSettings((a) => {
      a.settings = makeSettings({ returns: { ...a.settings.returns, warehouse: 'OLD' } });
    });
    await expect.element(screen.getByRole('combobox', { name: 'Returns warehouse' })).toHaveValue('OLD');
    await expect
      .element(screen.getByTestId('returns-warehouse-unknown'))
      .toHaveTextContent('OLD is not an active warehouse in SAP: SAP would refuse a Credit Memo into it. Choose one of SAP’s warehouses.');
  });

  test('says when SAP has no warehouse it does not count as available, and what to do', async () => {
    const { screen } = await openReturnsSettings((a) => {
      a.finance.warehouses = a.finance.warehouses.filter((w) => w.nettable);
    });
    await expect
      .element(screen.getByTestId('returns-warehouse-none-suitable'))
      .toHaveTextContent(
        'SAP has no active warehouse it does not count as available. Create one in SAP (a warehouse with Nettable unticked), then choose it here.',
      );
  });

  test('checks the day and, when SAP cannot be read, the typed warehouse code with the setting’s own rules before anything is sent', async () => {
    const { api, screen } = await openReturnsSettings((a) => {
      a.failQueries['returns.warehouses'] = 'SAP is not configured (Connections)';
    });
    await expect
      .element(screen.getByTestId('returns-warehouses-error'))
      .toMatchTextContent('Could not read SAP’s warehouses (SAP is not configured (Connections))');
    await screen.getByRole('textbox', { name: 'Returns warehouse (SAP code)' }).fill('RETURNS-BAY');
    await expect.element(screen.getByText('An SAP warehouse code: up to 8 letters, digits, - or _ (e.g. RET or 99).')).toBeVisible();
    await screen.getByLabelText('Read returns from').fill(dayFromNow(3));
    await expect.element(screen.getByText('Choose today or a day before it.')).toBeVisible();
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await screen.getByRole('textbox', { name: 'Returns warehouse (SAP code)' }).fill('RET');
    await screen.getByLabelText('Read returns from').fill(dayFromNow(0));
    await expect.element(screen.getByText('Choose today or a day before it.')).not.toBeInTheDocument();
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toHaveLength(1);
    expect(api.commandsNamed('settings.update')[0]).toMatchObject({ patch: { returns: { warehouse: 'RET' } } });
  });

  test('shows the engine’s refusal as it is', async () => {
    const { screen } = await openReturnsSettings((a) => (a.rejectSettingsWith = 'returns.warehouse: Invalid string: must match pattern'));
    await screen.getByRole('combobox', { name: 'Returns warehouse' }).selectOptions('QC');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect
      .element(screen.getByTestId('returns-settings-error'))
      .toHaveTextContent('The engine refused the change: returns.warehouse: Invalid string: must match pattern');
  });

  test('cannot be saved without the operator’s name', async () => {
    const { screen } = await openReturnsSettings(() => undefined, { actor: null });
    await screen.getByRole('combobox', { name: 'Returns warehouse' }).selectOptions('QC');
    await expect.element(screen.getByRole('button', { name: 'Save returns settings' })).toBeDisabled();
  });
});

describe('The missing returns warehouse', () => {
  test('the Returns screen says so above the queue, leads to the setting, and stops saying so once it is saved', async () => {
    const { api, screen } = await renderConsole((a) => (a.finance.returns = [makeReturn()]), { hash: RETURNS });
    await expect
      .element(screen.getByTestId('returns-warehouse-missing'))
      .toMatchTextContent('No returns warehouse is set. Returned goods cannot be credited back into SAP without one');
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toBeInTheDocument();

    await screen.getByRole('button', { name: 'Choose the returns warehouse' }).click();
    await screen.getByRole('combobox', { name: 'Returns warehouse' }).selectOptions('RET');
    await screen.getByRole('button', { name: 'Save returns settings' }).click();
    await expect.poll(() => api.settings.returns.warehouse).toBe('RET');

    await screen.getByRole('button', { name: 'Returns and refunds', exact: true }).click();
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toBeInTheDocument();
    await expect.element(screen.getByTestId('returns-warehouse-missing')).not.toBeInTheDocument();
  });

  test('is not shown where a Return keyed in SAP books the goods in, as the Credit Memo then moves no goods', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.finance.returns = [makeReturn()];
        a.settings = makeSettings({ returns: { ...a.settings.returns, receivedBy: 'sap-return' } });
      },
      { hash: RETURNS },
    );
    await expect.element(screen.getByTestId('received-by-sap')).toBeInTheDocument();
    await expect.element(screen.getByTestId('returns-warehouse-missing')).not.toBeInTheDocument();
  });
});
