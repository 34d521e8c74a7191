import { afterEach, describe, expect, test, vi } from 'vitest';
import { CONTRACT_VERSION } from '../../shared/contract';
import type { ConnectionState } from '../../renderer/api/connection';
import { chooseTransport, socketUrl } from '../../renderer/api/transport';
import { createWsClient, type WsConsoleApi } from '../../renderer/api/ws-client';
import { makeException, makeStatus } from './fixtures';
import { FakeSocketServer } from './fake-socket';

const v = CONTRACT_VERSION;
let client: WsConsoleApi | null = null;
afterEach(() => client?.close());

function connect(options: { requestTimeoutMs?: number } = {}) {
  const server = new FakeSocketServer();
  client = createWsClient({ url: 'ws://127.0.0.1:4000/api?token=abc', createSocket: server.factory, backoff: { initialMs: 10, maxMs: 40 }, ...options });
  const states: ConnectionState['kind'][] = [];
  client.onConnection((s) => states.push(s.kind));
  return { server, client, states };
}

describe('WebSocket client', () => {
  test('sends versioned envelopes and resolves a reply parsed with the contract', async () => {
    const { server, client } = connect();
    server.open();
    const answer = client.query('status.get', {});
    expect(server.sent[0]).toEqual({ v, id: 1, kind: 'query', name: 'status.get', payload: {} });
    server.receive({ v, kind: 'reply', id: 1, ok: true, result: makeStatus({ state: 'paused' }) });
    await expect(answer).resolves.toMatchObject({ state: 'paused', health: 'ok' });
  });

  test('rejects a reply that does not match the contract, naming the field', async () => {
    const { server, client } = connect();
    server.open();
    const answer = client.query('status.get', {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.receive({ v, kind: 'reply', id: server.lastId(), ok: true, result: { ...makeStatus(), state: 'asleep' } });
    await expect(answer).rejects.toThrow(/could not be read by this console .*: state/);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/answer to status.get did not match the contract: state/)]);
    warn.mockRestore();
  });

  test('rejects a malformed envelope and passes on the engine’s own errors', async () => {
    const { server, client } = connect();
    server.open();
    const bad = client.query('status.get', {});
    server.receive({ v: 99, kind: 'reply', id: server.lastId(), ok: true, result: makeStatus() });
    await expect(bad).rejects.toThrow(/cannot read/);

    const refused = client.command('exceptions.dismiss', { id: 1, actor: 'Priya', reason: 'no' });
    server.receive({ v, kind: 'reply', id: server.lastId(), ok: false, error: { code: 'bad-payload', message: 'reason: Too small' } });
    await expect(refused).rejects.toMatchObject({ code: 'bad-payload', message: 'reason: Too small' });
  });

  test('delivers events parsed with the contract and drops malformed ones', () => {
    const { server, client } = connect();
    server.open();
    const seen: number[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    client.on('exception.changed', (e) => seen.push(e.occurrences));
    server.receive({ v, kind: 'event', name: 'exception.changed', payload: makeException({ occurrences: 4 }) });
    server.receive({ v, kind: 'event', name: 'exception.changed', payload: { id: 'x' } });
    server.receive('not json');
    server.receive({ v, kind: 'event', name: 'exception.changed', payload: makeException({ occurrences: 5 }) });
    expect(seen).toEqual([4, 5]);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/dropped event exception.changed: .*id:/),
      'console: ignored a frame that is not JSON',
    ]);
    warn.mockRestore();
  });

  test('queues requests until open, reconnects with bounded backoff, and fails requests lost on the wire', async () => {
    const { server, client, states } = connect();
    const early = client.query('settings.get', {});
    expect(server.sent).toEqual([]);
    server.open();
    expect(server.sent).toHaveLength(1);

    server.close();
    await expect(early).rejects.toThrow(/Lost the connection/);
    expect(client.connection).toMatchObject({ kind: 'reconnecting', attempt: 1, retryInMs: 10, everOpened: true });
    await expect.poll(() => server.urls.length).toBe(2);
    server.close();
    expect(client.connection).toMatchObject({ kind: 'reconnecting', attempt: 2, retryInMs: 20 });
    await expect.poll(() => server.urls.length).toBe(3);
    server.close();
    server.close();
    await expect.poll(() => server.urls.length).toBe(4);
    server.close();
    // Doubling stops at the bound.
    expect(client.connection).toMatchObject({ kind: 'reconnecting', retryInMs: 40 });
    await expect.poll(() => server.urls.length).toBe(5);
    server.open();
    expect(states.at(-1)).toBe('open');
  });

  test('a refused token stops reconnecting and says what to do', async () => {
    const { server, client } = connect();
    server.close(4401);
    expect(client.connection).toMatchObject({ kind: 'refused' });
    await expect(client.query('status.get', {})).rejects.toThrow(/access token/);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.urls).toHaveLength(1);
  });

  test('a request the engine never answers times out, said in plain words without the message’s internal name', async () => {
    const { server, client } = connect({ requestTimeoutMs: 20 });
    server.open();
    const errors = await Promise.all([
      client
        .command('despatch.correct', { orderId: '000000201-A', carrierCode: 'EVRI', trackingNumber: 'H01', actor: 'Priya Shah' })
        .catch((e: Error) => e.message),
      client.command('engine.runNow', {}).catch((e: Error) => e.message),
      client.query('despatch.list', {}).catch((e: Error) => e.message),
    ]);
    expect(errors).toEqual([
      'The engine has not confirmed the despatch correction: it may be busy or unreachable. Check whether it was done before trying again.',
      'The engine has not confirmed starting the run: it may be busy or unreachable. Check whether it was done before trying again.',
      'The engine is taking too long to answer; the screen may be out of date. It tries again when you come back to it.',
    ]);
    for (const message of errors) expect(message).not.toMatch(/[a-z]+\.[a-z][A-Za-z]+/);
  });

  test('a command lost on the wire names what was asked in plain words', async () => {
    const { server, client } = connect();
    server.open();
    const lost = client.command('despatch.saveMapping', { sapCarrier: 'Yodel', carrierCode: 'DPD', actor: 'Priya Shah' }).catch((e: Error) => e.message);
    server.close();
    expect(await lost).toBe('Lost the connection to the engine before it confirmed the carrier mapping; check whether it was done before trying again.');
  });
});

describe('choosing the transport', () => {
  test('Electron’s preload wins', () => {
    const api = { contractVersion: v } as never;
    expect(chooseTransport({ api, location: window.location }).kind).toBe('electron');
  });

  test('without a preload, the page’s token makes the WebSocket URL', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:5123', search: '?token=a%2Bb' })).toBe('ws://127.0.0.1:5123/api?token=a%2Bb');
    expect(socketUrl({ protocol: 'https:', host: 'console.lan', search: '?token=x' })).toBe('wss://console.lan/api?token=x');
  });

  test('without a token, the console explains which link to open', () => {
    const t = chooseTransport({ api: undefined, location: { ...window.location, search: '' } });
    expect(t).toEqual({ kind: 'unavailable', message: expect.stringMatching(/missing its access token — open the URL the engine printed/) });
  });
});
