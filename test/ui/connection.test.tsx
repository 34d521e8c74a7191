import { afterEach, describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { Console } from '../../renderer/app/Console';
import { createWsClient, type WsConsoleApi } from '../../renderer/api/ws-client';
import { createConsoleStore } from '../../renderer/store';
import { bindConnection } from '../../renderer/store/bind';
import { FakeApi } from './fake-api';
import { FakeSocketServer } from './fake-socket';
import { makeException, makeStatus } from './fixtures';

let client: WsConsoleApi | null = null;
afterEach(() => client?.close());

/** The console as the headless host serves it: WebSocket client, connection binding, fake engine behind the socket. */
async function renderOverSocket(hash = '#/overview') {
  history.replaceState(null, '', hash);
  const server = new FakeSocketServer();
  server.engine = new FakeApi();
  client = createWsClient({ url: 'ws://127.0.0.1:4000/api?token=abc', createSocket: server.factory, backoff: { initialMs: 10, maxMs: 20 } });
  const store = createConsoleStore();
  bindConnection({ connection: () => client!.connection, onConnection: (l) => client!.onConnection(l) }, client, store);
  const screen = await render(<Console api={client} store={store} />);
  return { server, screen };
}

describe('the console over the headless host’s WebSocket', () => {
  test('shows the engine once connected, "reconnecting" when the link drops, and reloads on return', async () => {
    const { server, screen } = await renderOverSocket();
    await expect.element(screen.getByTestId('connection')).toHaveTextContent('Connecting…');
    server.open();
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Running');
    expect(screen.getByTestId('connection').query()).toBeNull();

    server.close();
    await expect.element(screen.getByTestId('connection')).toMatchTextContent('Reconnecting… (attempt 1)');
    server.engine!.status = makeStatus({ state: 'paused', revision: 5 });
    await expect.poll(() => server.urls.length).toBe(2);
    server.open();
    // Events sent while the link was down are lost: the snapshot is fetched again.
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Paused');
    expect(server.named('status.get')).toHaveLength(2);
  });

  test('the list on screen is asked for again when the link comes back (events sent meanwhile are lost)', async () => {
    const { server, screen } = await renderOverSocket('#/exceptions');
    server.engine!.exceptions = [makeException()];
    server.open();
    await expect.element(screen.getByTestId('exception-1')).toMatchTextContent('3×');
    const asked = server.named('exceptions.list').length;

    server.close();
    await expect.element(screen.getByTestId('connection')).toMatchTextContent('Reconnecting…');
    // While the console was away, the engine saw the problem twice more.
    server.engine!.exceptions = [makeException({ occurrences: 5 })];
    await expect.poll(() => server.urls.length).toBe(2);
    server.open();
    await expect.element(screen.getByTestId('exception-1')).toMatchTextContent('5×');
    expect(server.named('exceptions.list').length).toBeGreaterThan(asked);
  });

  test('an engine never reached says the link may be stale', async () => {
    const { server, screen } = await renderOverSocket();
    for (let attempt = 1; attempt <= 3; attempt++) {
      server.close();
      await expect.poll(() => server.urls.length).toBe(attempt + 1);
    }
    await expect.element(screen.getByTestId('connection')).toMatchTextContent('access token may be out of date');
  });

  test('a refused token is said once, plainly', async () => {
    const { server, screen } = await renderOverSocket();
    server.open();
    server.close(4401);
    await expect.element(screen.getByRole('alert')).toMatchTextContent('refused this console link’s access token');
    expect(screen.getByText(/Could not load/).query()).toBeNull();
  });
});
