import { describe, expect, test } from 'vitest';
import { makeBatch, makeReturn } from './fake-finance';
import { makeCycle } from './fake-settlement';
import { makeSettings } from './fixtures';
import { renderConsole } from './render-console';

/** An address that names no screen: how the desktop app and the headless link open the console. */
const NO_SCREEN = '#/';

describe('the console’s role', () => {
  test('at the first start the console asks which PC this is, saves the answer with the operator’s name, and the header shows it', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.settings = makeSettings({ role: null });
        a.settlement.cycles = [makeCycle()];
      },
      { hash: NO_SCREEN },
    );
    const chooser = screen.getByRole('region', { name: 'Which PC is this?' });
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Role not chosen');
    await expect.element(chooser.getByRole('radio', { name: 'Warehouse office (orders, stock, despatch, invoicing, returns)' })).toBeInTheDocument();
    await expect.element(chooser.getByRole('button', { name: 'Save' })).toBeDisabled();
    // Not chosen yet: the console opens where it always has.
    await expect.element(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');

    await chooser.getByRole('radio', { name: 'Finance (payout reconciliation; the sync flows never run here)' }).click();
    await chooser.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { role: 'finance' }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Finance PC');
    await expect.element(screen.getByTestId('role-chooser')).not.toBeInTheDocument();
    // A finance PC's work comes first.
    await expect.element(screen.getByRole('tab', { name: 'Payouts' })).toHaveAttribute('aria-selected', 'true');
    await expect.element(screen.getByTestId('cycle-C-2026-11')).toBeInTheDocument();
  });

  test('the choice waits for the operator’s name, and an engine that refuses it says why', async () => {
    const { screen, store, api } = await renderConsole(
      (a) => {
        a.settings = makeSettings({ role: null });
        a.rejectSettingsWith = 'Bad payload for settings.update: patch.role: Invalid option';
      },
      { actor: null },
    );
    const chooser = screen.getByRole('region', { name: 'Which PC is this?' });
    await chooser.getByRole('radio', { name: /^Warehouse office/ }).click();
    await expect.element(chooser.getByRole('button', { name: 'Save' })).toBeDisabled();
    await expect.element(chooser.getByText('Give your name at the top first: the choice is recorded against it.')).toBeInTheDocument();

    store.getState().setActor('Sam Patel');
    await chooser.getByRole('button', { name: 'Save' }).click();
    await expect
      .element(chooser.getByRole('alert'))
      .toHaveTextContent('The engine refused the choice: Bad payload for settings.update: patch.role: Invalid option');
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { role: 'operations' }, actor: 'Sam Patel' }]);
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Role not chosen');
  });

  test('the warehouse office PC: named in the header, never asked again, Payouts beside Invoicing, every screen working', async () => {
    const { screen } = await renderConsole((a) => (a.finance.batches = [makeBatch()]), { hash: '#/invoicing' });
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Warehouse office PC');
    await expect.element(screen.getByTestId('role-chooser')).not.toBeInTheDocument();
    const tabs = await screen.getByRole('tab').all();
    expect(tabs.map((t) => t.element().textContent)).toEqual(
      expect.arrayContaining(['Overview', 'Invoicing', 'Payouts', 'Stock'].map((name) => expect.stringContaining(name))),
    );
    expect(tabs[0]!.element().textContent).toBe('Overview');
    expect(tabs.findIndex((t) => t.element().textContent === 'Payouts')).toBe(tabs.findIndex((t) => t.element().textContent === 'Invoicing') + 1);
    await expect.element(screen.getByRole('button', { name: 'Run invoicing now' })).toBeEnabled();
    await expect.element(screen.getByTestId('read-only')).not.toBeInTheDocument();
  });

  test('a finance PC opens on Payouts, lists it first, and shows the sync flows’ screens read-only', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.settings = makeSettings({ role: 'finance' });
        a.settlement.cycles = [makeCycle()];
        a.finance.batches = [makeBatch()];
        a.finance.returns = [makeReturn()];
      },
      { hash: NO_SCREEN },
    );
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Finance PC');
    await expect.element(screen.getByRole('tab', { name: 'Payouts' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => location.hash).toBe('#/payouts');
    const tabs = await screen.getByRole('tab').all();
    expect(tabs[0]!.element().textContent).toBe('Payouts');
    // Payouts itself is finance's own work: it acts.
    await expect.element(screen.getByRole('button', { name: 'Reconcile now' })).toBeEnabled();
    await expect.element(screen.getByTestId('read-only')).not.toBeInTheDocument();

    await screen.getByRole('tab', { name: 'Invoicing' }).click();
    await expect.element(screen.getByTestId('read-only')).toMatchTextContent('This is the finance PC');
    await expect.element(screen.getByTestId('batch-1')).toBeInTheDocument();
    await expect.element(screen.getByRole('button', { name: 'Run invoicing now' })).toBeDisabled();

    await screen.getByRole('tab', { name: 'Returns' }).click();
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toBeInTheDocument();
    await expect.element(screen.getByRole('checkbox', { name: 'Select return RMA-1001' })).toBeInTheDocument();
    await screen.getByRole('checkbox', { name: 'Select return RMA-1001' }).click();
    await expect.element(screen.getByRole('button', { name: /Mark .*received/ })).toBeDisabled();

    // A settings form of a sync flow sends nothing from here either, and says why.
    await screen.getByRole('tab', { name: 'Invoicing' }).click();
    await screen.getByRole('button', { name: 'Invoicing settings' }).click();
    await screen.getByLabelText('Invoices per batch').fill('20');
    await screen.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.element(screen.getByTestId('invoicing-settings-error')).toMatchTextContent('This is the finance PC');
    expect(api.commandsNamed('settings.update')).toEqual([]);
    expect(api.commandsNamed('invoicing.runNow')).toEqual([]);
  });

  test('a finance PC opened on a named screen stays there', async () => {
    const { screen } = await renderConsole((a) => (a.settings = makeSettings({ role: 'finance' })), { hash: '#/exceptions' });
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Finance PC');
    await expect.element(screen.getByRole('tab', { name: /Exceptions/ })).toHaveAttribute('aria-selected', 'true');
    expect(location.hash).toBe('#/exceptions');
  });
});

describe('changing which PC this is, later', () => {
  test('the warehouse office PC becomes the finance PC after a confirmation that says the sync flows stop; the header and screens follow', async () => {
    const { api, screen } = await renderConsole((a) => (a.finance.batches = [makeBatch()]), { hash: '#/settings' });
    const setting = screen.getByRole('group', { name: 'This PC' });
    await expect.element(setting.getByTestId('role-current')).toMatchTextContent('This is the warehouse office PC');
    await expect.element(setting.getByRole('button', { name: 'Make this the warehouse office PC…' })).not.toBeInTheDocument();

    // Asked first; Cancel sends nothing.
    await setting.getByRole('button', { name: 'Make this the finance PC…' }).click();
    const confirm = screen.getByRole('alertdialog', { name: /Make this the finance PC\?/ });
    await expect
      .element(confirm)
      .toMatchTextContent(
        'The engine here stops running the sync flows (orders, stock, despatch, invoicing and returns) at once — a run already going finishes — and never runs them while this is the finance PC',
      );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(screen.getByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.commandsNamed('settings.update')).toEqual([]);

    await setting.getByRole('button', { name: 'Make this the finance PC…' }).click();
    await screen.getByRole('alertdialog').getByRole('button', { name: 'Make this the finance PC' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { role: 'finance' }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Finance PC');
    await expect.element(setting.getByTestId('role-current')).toMatchTextContent('This is the finance PC');
    await expect.element(screen.getByText('This is now the finance PC.')).toBeVisible();
    await expect.element(screen.getByRole('alertdialog')).not.toBeInTheDocument();
    // The operator stays where they are; the sync flows' screens are read-only from now on.
    await expect.element(screen.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
    await screen.getByRole('tab', { name: 'Invoicing' }).click();
    await expect.element(screen.getByTestId('read-only')).toMatchTextContent('This is the finance PC');
    await expect.element(screen.getByRole('button', { name: 'Run invoicing now' })).toBeDisabled();
  });

  test('the finance PC back to the warehouse office PC: the confirmation names the sync flows whose switches are on, and their screens act again', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        const settings = makeSettings({ role: 'finance' });
        a.settings = {
          ...settings,
          flows: { ...settings.flows, orders: { enabled: true, cadenceSeconds: 60 }, stock: { enabled: true, cadenceSeconds: 120 } },
        };
        a.finance.batches = [makeBatch()];
      },
      { hash: '#/settings' },
    );
    const setting = screen.getByRole('group', { name: 'This PC' });
    await expect.element(setting.getByTestId('role-current')).toMatchTextContent('This is the finance PC');
    await setting.getByRole('button', { name: 'Make this the warehouse office PC…' }).click();
    const confirm = screen.getByRole('alertdialog', { name: /Make this the warehouse office PC\?/ });
    await expect.element(confirm).toMatchTextContent('run here as their switches say: Orders and Stock are switched on and start at once.');
    await expect.element(confirm).toMatchTextContent('if another PC is the warehouse office PC as well, both would send the same orders');
    await confirm.getByRole('button', { name: 'Make this the warehouse office PC' }).click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { role: 'operations' }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Warehouse office PC');
    await screen.getByRole('tab', { name: 'Invoicing' }).click();
    await expect.element(screen.getByRole('button', { name: 'Run invoicing now' })).toBeEnabled();
    await expect.element(screen.getByTestId('read-only')).not.toBeInTheDocument();
  });

  test('with no sync flow switched on, the confirmation says so', async () => {
    const { screen } = await renderConsole((a) => (a.settings = makeSettings({ role: 'finance' })), { hash: '#/settings' });
    await screen.getByRole('button', { name: 'Make this the warehouse office PC…' }).click();
    await expect
      .element(screen.getByRole('alertdialog'))
      .toMatchTextContent('run here as their switches say: None of them is switched on: switch them on below.');
  });

  test('an engine that refuses the change says why, in its words, and this PC stays what it was', async () => {
    const { api, screen } = await renderConsole(
      (a) => (a.rejectSettingsWith = 'role: the warehouse office PC cannot become the finance PC while an orders run is posting'),
      { hash: '#/settings' },
    );
    await screen.getByRole('button', { name: 'Make this the finance PC…' }).click();
    await screen.getByRole('alertdialog').getByRole('button', { name: 'Make this the finance PC' }).click();
    await expect
      .element(screen.getByTestId('role-setting-error'))
      .toHaveTextContent('The engine refused the change: role: the warehouse office PC cannot become the finance PC while an orders run is posting');
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { role: 'finance' }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('console-role')).toHaveTextContent('Warehouse office PC');
    await expect.element(screen.getByTestId('role-current')).toMatchTextContent('This is the warehouse office PC');
  });

  test('the change waits for the operator’s name', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/settings', actor: null });
    await expect.element(screen.getByRole('button', { name: 'Make this the finance PC…' })).toBeDisabled();
    await expect.element(screen.getByText('Give your name at the top first: the change is recorded against it.')).toBeVisible();
  });
});
