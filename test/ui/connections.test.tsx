import { describe, expect, test } from 'vitest';
import type { ConnectionsView } from '../../shared/contract/connections';
import { FAKE_FINGERPRINT } from './fake-connections';
import { renderConsole } from './render-console';
import type { FakeApi } from './fake-api';

const SAP_URL = 'https://sap-b1.office.lan:50000';
const savedSap = (pinned: boolean): ConnectionsView['sap'] => ({
  connection: { baseUrl: SAP_URL, serviceLayerVersion: 'v2', companyDb: 'SBODEMOGB', userName: 'manager', maxConcurrency: 4, timeoutSeconds: 30 },
  passwordSet: true,
  pinnedCertificate: pinned ? { sha256: FAKE_FINGERPRINT } : null,
});

async function openConnections(setup: (api: FakeApi) => void = () => undefined) {
  const rendered = await renderConsole(setup);
  await rendered.screen.getByRole('tab', { name: 'Connections' }).click();
  await expect.element(rendered.screen.getByRole('heading', { name: 'SAP Business One' })).toBeVisible();
  return rendered;
}

describe('Connections', () => {
  test('opens from #/connections', async () => {
    const { screen } = await renderConsole();
    location.hash = '#/connections';
    await expect.element(screen.getByRole('tab', { name: 'Connections' })).toHaveAttribute('aria-selected', 'true');
  });

  test('saves SAP with the operator’s name, sends the password once and clears it', async () => {
    const { api, screen } = await openConnections();
    await expect.element(screen.getByTestId('sap-password-state')).toMatchTextContent('not set');
    await screen.getByLabelText('Service Layer address').fill(SAP_URL);
    await screen.getByLabelText('Company database').fill('SBODEMOGB');
    await screen.getByLabelText('User name').fill('manager');
    const password = screen.getByLabelText('Password', { exact: true });
    await password.fill('B1-Secret!');
    await screen.getByRole('button', { name: 'Save SAP connection' }).click();

    expect(api.commandsNamed('connections.saveSap')).toEqual([
      {
        connection: { baseUrl: SAP_URL, serviceLayerVersion: 'v2', companyDb: 'SBODEMOGB', userName: 'manager', maxConcurrency: 4, timeoutSeconds: 30 },
        password: 'B1-Secret!',
        actor: 'Priya Shah',
      },
    ]);
    await expect.element(password).toHaveValue('');
    await expect.element(screen.getByTestId('sap-password-state')).toMatchTextContent(/^set$/);
    expect(document.body.innerHTML).not.toContain('B1-Secret!');

    // A second save with the password left empty keeps the stored one: no password is sent at all.
    await screen.getByLabelText('Timeout (seconds)').first().fill('60');
    await screen.getByRole('button', { name: 'Save SAP connection' }).click();
    await expect.poll(() => api.commandsNamed('connections.saveSap')).toHaveLength(2);
    expect(api.commandsNamed('connections.saveSap')[1]).not.toHaveProperty('password');
    expect(api.commandsNamed('connections.saveSap')[1]).toMatchObject({ connection: { timeoutSeconds: 60 }, actor: 'Priya Shah' });
  });

  test('checks the address before sending: it must parse, and http gets a hint', async () => {
    const { api, screen } = await openConnections();
    const address = screen.getByLabelText('Service Layer address');
    await address.fill('sap-b1 office');
    await expect.element(screen.getByText(/not a complete address/)).toBeVisible();
    await screen.getByRole('button', { name: 'Save SAP connection' }).click();
    expect(api.commandsNamed('connections.saveSap')).toEqual([]);
    await address.fill('http://sap-b1.office.lan:50000');
    await expect.element(screen.getByText(/https:\/\/ is recommended/)).toBeVisible();
  });

  test('shows the engine’s error as it comes', async () => {
    const { screen } = await openConnections((a) => {
      a.connections.failWith['connections.saveSap'] = 'Bad payload for connections.saveSap: connection.baseUrl: Invalid URL';
    });
    await screen.getByLabelText('Service Layer address').fill(SAP_URL);
    await screen.getByLabelText('Company database').fill('SBODEMOGB');
    await screen.getByLabelText('User name').fill('manager');
    await screen.getByRole('button', { name: 'Save SAP connection' }).click();
    await expect.element(screen.getByTestId('sap-error')).toMatchTextContent('Bad payload for connections.saveSap: connection.baseUrl: Invalid URL');
  });

  test('checks the certificate, shows its fingerprint and trusts exactly that one', async () => {
    const { api, screen } = await openConnections((a) => {
      a.connections.view = { sap: savedSap(false), marketplace: null };
    });
    await screen.getByRole('button', { name: 'Check certificate' }).click();
    const shown = screen.getByTestId('presented-certificate');
    await expect.element(shown).toMatchTextContent('CN=sap-b1.office.lan');
    await expect.element(shown).toMatchTextContent('openssl x509 -in server.crt -noout -fingerprint -sha256');
    const groups = screen
      .getByTestId('presented-fingerprint')
      .getByRole('listitem')
      .elements()
      .map((li) => li.querySelector('.group')!.textContent);
    expect(groups).toHaveLength(8);
    expect(groups.join(':')).toBe(FAKE_FINGERPRINT);

    await screen.getByRole('button', { name: 'Trust this certificate' }).click();
    expect(api.commandsNamed('connections.trustSapCertificate')).toEqual([{ sha256: FAKE_FINGERPRINT, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('pinned-fingerprint')).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Forget certificate' })).toBeVisible();
  });

  test('says so when SAP now presents a different certificate', async () => {
    const { screen } = await openConnections((a) => {
      a.connections.view = { sap: savedSap(false), marketplace: null };
      a.connections.failWith['connections.trustSapCertificate'] = 'SAP now presents a different certificate (AA:…) from the one you checked: inspect it again';
    });
    await screen.getByRole('button', { name: 'Check certificate' }).click();
    await screen.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect.element(screen.getByTestId('certificate-error')).toMatchTextContent('SAP now presents a different certificate');
    await expect.element(screen.getByRole('button', { name: 'Trust this certificate' })).not.toBeInTheDocument();
  });

  test('forgetting the pinned certificate asks first', async () => {
    const { api, screen } = await openConnections((a) => {
      a.connections.view = { sap: savedSap(true), marketplace: null };
    });
    await screen.getByRole('button', { name: 'Forget certificate' }).click();
    await expect.element(screen.getByRole('alertdialog')).toMatchTextContent('stops talking to SAP');
    expect(api.commandsNamed('connections.forgetSapCertificate')).toEqual([]);
    await screen.getByRole('button', { name: 'Cancel' }).click();
    await screen.getByRole('button', { name: 'Forget certificate' }).click();
    await screen.getByRole('button', { name: 'Yes, forget it' }).click();
    expect(api.commandsNamed('connections.forgetSapCertificate')).toEqual([{ actor: 'Priya Shah' }]);
    await expect.element(screen.getByRole('button', { name: 'Check certificate' })).toBeVisible();
  });

  test('shows the SAP test result verbatim with its latency', async () => {
    const { screen } = await openConnections((a) => {
      a.connections.view = { sap: savedSap(true), marketplace: null };
      a.connections.sapTest = { ok: false, latencyMs: null, message: 'Login failed: -304 Fail to get DB Credentials from SLD' };
    });
    await screen.getByRole('button', { name: 'Test connection' }).first().click();
    await expect.element(screen.getByTestId('sap-test-result')).toMatchTextContent('Login failed: -304 Fail to get DB Credentials from SLD');
  });

  test('tests SAP with the password typed (not saved), signing in afresh, and keeps it only in the field', async () => {
    const { api, screen } = await openConnections((a) => {
      a.connections.view = { sap: savedSap(true), marketplace: null };
      a.connections.sapTest = {
        ok: false,
        latencyMs: null,
        message: 'SAP refused the login for user manager on company SBODEMOGB: Fail to get DB Credentials from SLD',
      };
    });
    const password = screen.getByLabelText('Password', { exact: true });
    await password.fill('wrong-password');
    await expect.element(screen.getByTestId('sap-test-hint')).toMatchTextContent('signs in with what is typed here; nothing is saved until you press Save');
    await screen.getByRole('button', { name: 'Test connection' }).first().click();
    await expect.element(screen.getByTestId('sap-test-result')).toHaveAttribute('data-ok', 'false');
    await expect.element(screen.getByTestId('sap-test-result')).toMatchTextContent('SAP refused the login');
    expect(api.commandsNamed('connections.testSap')).toEqual([{ connection: savedSap(true)!.connection, password: 'wrong-password' }]);
    expect(api.commandsNamed('connections.saveSap')).toEqual([]);
    await expect.element(password).toHaveValue('wrong-password');
  });

  test('saves the marketplace key once, tests it and shows the shop profile', async () => {
    const { api, screen } = await openConnections((a) => {
      a.connections.marketplaceTest = {
        ok: true,
        latencyMs: 87,
        message: 'Connected (Mirakl 3.210)',
        shop: {
          shopId: '2010',
          shopName: 'Harlow Homeware',
          model: 'MARKETPLACE',
          currency: 'GBP',
          taxMode: 'TAX_INCLUDED',
          orderAcceptance: 'NOT_AUTOMATIC',
          multiShipment: false,
          alternativeCarriersDisabled: true,
          returnsEnabled: true,
          readAt: new Date(Date.now() - 3 * 60_000).toISOString(),
        },
      };
    });
    await screen.getByLabelText('Seller API address').fill('https://johnlewis.mirakl.net');
    const key = screen.getByLabelText('API key');
    await key.fill('shop-key-123');
    await screen.getByRole('button', { name: 'Save marketplace connection' }).click();
    expect(api.commandsNamed('connections.saveMarketplace')).toEqual([
      { connection: { baseUrl: 'https://johnlewis.mirakl.net', shopId: null, timeoutSeconds: 30 }, apiKey: 'shop-key-123', actor: 'Priya Shah' },
    ]);
    await expect.element(key).toHaveValue('');
    await expect.element(screen.getByTestId('marketplace-api-key-state')).toMatchTextContent(/^set$/);

    await screen.getByRole('button', { name: 'Test connection' }).last().click();
    await expect.element(screen.getByTestId('marketplace-test-result')).toMatchTextContent('Connected (Mirakl 3.210)');
    await expect.element(screen.getByTestId('marketplace-test-result')).toMatchTextContent('87 ms');
    const profile = screen.getByTestId('shop-profile');
    await expect.element(profile.getByRole('row', { name: /^Shop/ })).toMatchTextContent('Harlow Homeware (2010)');
    await expect.element(profile.getByRole('row', { name: /^Model/ })).toMatchTextContent('MARKETPLACE');
    await expect.element(profile.getByRole('row', { name: /^Currency/ })).toMatchTextContent('GBP');
    await expect
      .element(profile.getByRole('row', { name: /Alternative carriers disabled/ }))
      .toMatchTextContent(/Yes.*carrier code from the marketplace’s list/);
    // The profile may be read once a day: the console says when this one was read.
    await expect
      .element(screen.getByTestId('shop-profile-read-at'))
      .toMatchTextContent(/read from the marketplace \d{2} \w{3}, \d{2}:\d{2}:\d{2} \(3 min ago\)/);
  });

  test('asks for the operator’s name before saving', async () => {
    const { api, screen } = await renderConsole(() => undefined, { actor: null });
    await screen.getByRole('tab', { name: 'Connections' }).click();
    await screen.getByLabelText('Seller API address').fill('https://johnlewis.mirakl.net');
    await expect.element(screen.getByRole('button', { name: 'Save marketplace connection' })).toBeDisabled();
    await expect.element(screen.getByText(/Enter your name at the top right first/).first()).toBeVisible();
    expect(api.commandsNamed('connections.saveMarketplace')).toEqual([]);
  });
});
