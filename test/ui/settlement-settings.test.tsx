import { describe, expect, test } from 'vitest';
import type { Settings } from '../../shared/domain/settings';
import { makeSettings } from './fixtures';
import { renderConsole } from './render-console';

const PAYOUTS = '#/payouts';

async function openSettlementSettings(setup: Parameters<typeof renderConsole>[0] = () => undefined, options: Parameters<typeof renderConsole>[1] = {}) {
  const rendered = await renderConsole(setup, { hash: PAYOUTS, ...options });
  await rendered.screen.getByRole('button', { name: 'Settlement settings', exact: true }).click();
  return rendered;
}

const POSTING_ON: Settings['settlement'] = {
  readFrom: '2026-09-01',
  posting: { enabled: true, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: '1020' },
};

/** A UK calendar day some days from now, as a date input takes it. */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

describe('Settlement settings', () => {
  test('switching posting on: the codes first, then the switch; saved whole with the operator’s name, and the Payouts list no longer says posting is off', async () => {
    const { api, screen } = await openSettlementSettings();
    // What the engine holds at first: the last 90 days, posting off, VAT group I1, no codes.
    await expect.element(screen.getByLabelText('Read payouts from')).toHaveValue('');
    const posting = screen.getByRole('checkbox', { name: /Post payouts to SAP/ });
    await expect.element(posting).not.toBeChecked();
    await expect.element(screen.getByRole('textbox', { name: 'Input VAT group' })).toHaveValue('I1');
    await expect
      .element(screen.getByTestId('posting-explained'))
      .toMatchTextContent(/commission and fees for the cycle become one A\/P Invoice from the marketplace as a supplier.*payout itself one Incoming Payment/);
    await expect.element(posting).toBeDisabled();
    await expect
      .element(screen.getByTestId('posting-missing'))
      .toHaveTextContent('To switch posting on, fill in the supplier code, the fee G/L account and the bank or clearing G/L account first.');
    await expect.element(screen.getByRole('button', { name: 'Save settlement settings' })).toBeDisabled();

    await screen.getByRole('textbox', { name: 'Supplier code (the marketplace in SAP)' }).fill('V-JLM');
    await screen.getByRole('textbox', { name: 'Fee G/L account' }).fill('6100');
    await expect.element(screen.getByTestId('posting-missing')).toHaveTextContent('To switch posting on, fill in the bank or clearing G/L account first.');
    await screen.getByRole('textbox', { name: 'Bank or clearing G/L account' }).fill(' 1020 ');
    await expect.element(screen.getByTestId('posting-missing')).not.toBeInTheDocument();
    await posting.click();
    await expect.element(posting).toBeChecked();
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();

    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          patch: { settlement: { posting: { enabled: true, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: '1020' } } },
          actor: 'Priya Shah',
        },
      ]);
    expect(api.settings.settlement.posting).toEqual({ enabled: true, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: '1020' });
    await expect.element(screen.getByText('Settlement settings saved.')).toBeVisible();
    await expect.element(screen.getByRole('checkbox', { name: /Post payouts to SAP/ })).toBeChecked();
    await expect.element(screen.getByRole('textbox', { name: 'Bank or clearing G/L account' })).toHaveValue('1020');
    await expect.element(screen.getByRole('button', { name: 'Save settlement settings' })).toBeDisabled();

    await screen.getByRole('button', { name: 'Payouts', exact: true }).click();
    await expect.element(screen.getByRole('button', { name: 'Reconcile now' })).toBeInTheDocument();
    await expect.element(screen.getByTestId('posting-off')).not.toBeInTheDocument();
  });

  test('sends only what changed: the day alone as an ISO date, then emptied for the last 90 days; one posting code sends posting whole', async () => {
    const { api, screen } = await openSettlementSettings((a) => (a.settings = makeSettings({ settlement: POSTING_ON })));
    await expect.element(screen.getByLabelText('Read payouts from')).toHaveValue('2026-09-01');
    await screen.getByLabelText('Read payouts from').fill('2026-10-01');
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { settlement: { readFrom: '2026-10-01' } }, actor: 'Priya Shah' }]);

    await expect.element(screen.getByLabelText('Read payouts from')).toHaveValue('2026-10-01');
    await screen.getByLabelText('Read payouts from').fill('');
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    await expect.poll(() => api.commandsNamed('settings.update').at(-1)).toEqual({ patch: { settlement: { readFrom: null } }, actor: 'Priya Shah' });

    await expect.element(screen.getByLabelText('Read payouts from')).toHaveValue('');
    await screen.getByRole('textbox', { name: 'Input VAT group' }).fill('I2');
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update').at(-1))
      .toEqual({
        patch: { settlement: { posting: { enabled: true, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I2', bankAccount: '1020' } } },
        actor: 'Priya Shah',
      });
    expect(api.commandsNamed('settings.update')).toHaveLength(3);
    expect(api.settings.settlement).toEqual({ readFrom: null, posting: { ...POSTING_ON.posting, inputVatGroup: 'I2' } });
  });

  test('a day to come, codes longer than SAP’s and an empty VAT group are refused with what is allowed, and nothing is sent', async () => {
    const { api, screen } = await openSettlementSettings();
    await screen.getByLabelText('Read payouts from').fill(dayFromNow(3));
    await expect.element(screen.getByText('Choose today or a day before it.')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Supplier code (the marketplace in SAP)' }).fill('JOHN-LEWIS-MARKETPLACE');
    await expect.element(screen.getByText('The marketplace’s Business Partner code in SAP: up to 15 characters (e.g. V-JLM).')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Fee G/L account' }).fill('6100-COMMISSION-FEES');
    await expect.element(screen.getByText('A G/L account code as SAP shows it: up to 15 characters (e.g. 6100).')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Input VAT group' }).fill('');
    await expect.element(screen.getByText('The VAT group of the commission’s VAT: I1 unless your SAP uses another.')).toBeVisible();
    await screen.getByRole('textbox', { name: 'Input VAT group' }).fill('INPUT-VAT-20');
    await expect.element(screen.getByText('An SAP VAT group code: up to 8 characters (e.g. I1).')).toBeVisible();
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await screen.getByLabelText('Read payouts from').fill(dayFromNow(0));
    await screen.getByRole('textbox', { name: 'Supplier code (the marketplace in SAP)' }).fill('V-JLM');
    await screen.getByRole('textbox', { name: 'Fee G/L account' }).fill('6100');
    await screen.getByRole('textbox', { name: 'Input VAT group' }).fill('I1');
    await expect.element(screen.getByText('Choose today or a day before it.')).not.toBeInTheDocument();
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    // Codes may be saved while posting stays off.
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          patch: {
            settlement: {
              readFrom: dayFromNow(0),
              posting: { enabled: false, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: null },
            },
          },
          actor: 'Priya Shah',
        },
      ]);
  });

  test('posting on cannot lose a code it posts with; switched off, it can', async () => {
    const { api, screen } = await openSettlementSettings((a) => (a.settings = makeSettings({ settlement: POSTING_ON })));
    const bank = screen.getByRole('textbox', { name: 'Bank or clearing G/L account' });
    await expect.element(bank).toHaveValue('1020');
    await bank.fill('');
    await expect.element(screen.getByText('Needed while posting to SAP is switched on.')).toBeVisible();
    await expect.element(screen.getByText('Posting cannot be on while a code it posts with is empty.')).toBeVisible();
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    // Switched off, the empty code is allowed, and switching on again is not until it is filled in.
    const posting = screen.getByRole('checkbox', { name: /Post payouts to SAP/ });
    await posting.click();
    await expect.element(posting).not.toBeChecked();
    await expect.element(posting).toBeDisabled();
    await expect.element(screen.getByTestId('posting-missing')).toHaveTextContent('To switch posting on, fill in the bank or clearing G/L account first.');
    await expect.element(screen.getByText('Needed while posting to SAP is switched on.')).not.toBeInTheDocument();
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([
        {
          patch: { settlement: { posting: { enabled: false, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: null } } },
          actor: 'Priya Shah',
        },
      ]);
    await expect.element(screen.getByRole('checkbox', { name: /Post payouts to SAP/ })).toBeDisabled();
  });

  test('Discard changes puts back what the engine holds', async () => {
    const { screen } = await openSettlementSettings((a) => (a.settings = makeSettings({ settlement: POSTING_ON })));
    await screen.getByRole('textbox', { name: 'Fee G/L account' }).fill('7000');
    await screen.getByRole('checkbox', { name: /Post payouts to SAP/ }).click();
    await screen.getByRole('button', { name: 'Discard changes' }).click();
    await expect.element(screen.getByRole('textbox', { name: 'Fee G/L account' })).toHaveValue('6100');
    await expect.element(screen.getByRole('checkbox', { name: /Post payouts to SAP/ })).toBeChecked();
  });

  test('shows the engine’s refusal as it is', async () => {
    const { screen } = await openSettlementSettings((a) => {
      a.settings = makeSettings({ settlement: POSTING_ON });
      a.rejectSettingsWith = 'settlement.posting.supplierCode: V-JLX is not a supplier in SAP';
    });
    await screen.getByRole('textbox', { name: 'Supplier code (the marketplace in SAP)' }).fill('V-JLX');
    await screen.getByRole('button', { name: 'Save settlement settings' }).click();
    await expect
      .element(screen.getByTestId('settlement-settings-error'))
      .toHaveTextContent('The engine refused the change: settlement.posting.supplierCode: V-JLX is not a supplier in SAP');
  });

  test('the Payouts list’s note that posting is off opens the settlement settings; nothing is saved without the operator’s name', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: PAYOUTS, actor: null });
    await screen.getByTestId('posting-off').getByRole('button', { name: 'Open the settlement settings' }).click();
    await expect.element(screen.getByRole('form', { name: 'Settlement settings' })).toBeInTheDocument();
    await screen.getByLabelText('Read payouts from').fill('2026-10-01');
    await expect.element(screen.getByRole('button', { name: 'Save settlement settings' })).toBeDisabled();
    await expect.element(screen.getByText('Give your name at the top first: changes are recorded against it.')).toBeVisible();
  });
});
