import { describe, expect, test } from 'vitest';
import { makeStatus } from './fixtures';
import { renderConsole } from './render-console';

describe('Settings', () => {
  test('dry run asks for confirmation before it is switched on', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('tab', { name: 'Settings' }).click();
    await screen.getByRole('checkbox', { name: /Dry run/ }).click();
    await expect.element(screen.getByRole('alertdialog')).toMatchTextContent('no Sales Orders, order acceptances, stock levels or despatch confirmations');
    expect(api.commandsNamed('settings.update')).toEqual([]);
    await screen.getByRole('button', { name: 'Turn dry run on' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { dryRun: true }, actor: 'Priya Shah' }]);
    await expect.element(screen.getByRole('checkbox', { name: /Dry run/ })).toBeChecked();
  });

  test('the desktop app starts at Windows sign-in unless unticked, saved at once', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('tab', { name: 'Settings' }).click();
    const box = screen.getByRole('checkbox', { name: 'Start in the tray when I sign in to Windows' });
    await expect.element(box).toBeChecked();
    await box.click();
    await expect.poll(() => api.commandsNamed('settings.update')).toEqual([{ patch: { desktop: { startAtSignIn: false } }, actor: 'Priya Shah' }]);
    await expect.element(box).not.toBeChecked();
  });

  test('IT sets the update feed; a feed that is not a web address is refused before anything is sent', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('tab', { name: 'Settings' }).click();
    const feed = screen.getByLabelText('Update feed (for IT)');
    await feed.fill('\\\\fileserver\\updates');
    await screen.getByRole('button', { name: 'Save feed' }).click();
    await expect.element(screen.getByRole('alert')).toMatchTextContent('starting http:// or https://');
    expect(api.commandsNamed('settings.update')).toEqual([]);
    await feed.fill('https://intranet.example.co.uk/marketplace-console/');
    await screen.getByRole('button', { name: 'Save feed' }).click();
    await expect
      .poll(() => api.commandsNamed('settings.update'))
      .toEqual([{ patch: { desktop: { updateFeedUrl: 'https://intranet.example.co.uk/marketplace-console/' } }, actor: 'Priya Shah' }]);
  });

  test('sends only the changed flow schedules, and checks cadence first', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('tab', { name: 'Settings' }).click();
    await screen.getByRole('checkbox', { name: 'Orders enabled' }).click();
    const cadence = screen.getByRole('textbox', { name: 'Orders cadence in seconds' });
    await cadence.fill('0');
    await expect.element(screen.getByText(/whole number of seconds from 1 to 86400/)).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Save schedules' })).toBeDisabled();
    await cadence.fill('90');
    await screen.getByRole('button', { name: 'Save schedules' }).click();
    expect(api.commandsNamed('settings.update')).toEqual([{ patch: { flows: { orders: { enabled: true, cadenceSeconds: 90 } } }, actor: 'Priya Shah' }]);
  });

  test('offers a switch only for the flows the engine has', async () => {
    // An engine without the settlement flow.
    const { screen } = await renderConsole((api) => {
      const status = makeStatus();
      api.status = { ...status, flows: status.flows.filter((f) => f.flow !== 'settlement') };
    });
    await screen.getByRole('tab', { name: 'Settings' }).click();
    const rows = screen.getByRole('table', { name: 'Flow schedules' }).getByRole('row');
    await expect.element(rows.nth(4)).toMatchTextContent('Despatch');
    expect(rows.elements().map((r) => r.querySelector('th')?.textContent)).toEqual([
      'Flow',
      'Health check',
      'Orders',
      'Stock',
      'Despatch',
      'Invoicing',
      'Returns',
    ]);
    for (const missing of ['Settlement']) expect(screen.getByRole('checkbox', { name: `${missing} enabled` }).elements()).toHaveLength(0);
    // Nor as a filter on the runs and exceptions screens.
    await screen.getByRole('tab', { name: 'Runs' }).click();
    const options = screen.getByRole('combobox', { name: 'Flow' }).getByRole('option');
    await expect.element(options.first()).toBeInTheDocument();
    expect(options.elements().map((o) => o.textContent)).toEqual(['All flows', 'Health check', 'Orders', 'Stock', 'Despatch', 'Invoicing', 'Returns']);
  });

  test('shows the engine’s validation error', async () => {
    const { api, screen } = await renderConsole((a) => {
      a.rejectSettingsWith = 'flows.stock.cadenceSeconds: must be at least 60 while SAP is on a shared server';
      a.status = makeStatus();
    });
    await screen.getByRole('tab', { name: 'Settings' }).click();
    await screen.getByRole('textbox', { name: 'Stock cadence in seconds' }).fill('5');
    await screen.getByRole('button', { name: 'Save schedules' }).click();
    await expect.element(screen.getByTestId('settings-error')).toMatchTextContent('must be at least 60 while SAP is on a shared server');
    expect(api.commandsNamed('settings.update')).toHaveLength(1);
  });
});

describe('Runs', () => {
  test('lists recent runs and adds a finished one as it arrives', async () => {
    const { makeRun } = await import('./fixtures');
    const { api, screen } = await renderConsole((a) => {
      a.runs = [makeRun({ id: 7, flow: 'stock', counts: { read: 40, sent: 38 } })];
    });
    await screen.getByRole('tab', { name: 'Runs' }).click();
    await expect.element(screen.getByTestId('run-7')).toMatchTextContent('38 sent');
    api.finishRun(makeRun({ id: 8, flow: 'despatch', trigger: 'manual', outcome: 'failed', error: 'OR23: 400 carrier_code unknown' }));
    await expect.element(screen.getByTestId('run-8')).toMatchTextContent('OR23: 400 carrier_code unknown');
    await expect.element(screen.getByTestId('run-8')).toMatchTextContent('Despatch');
  });
});
