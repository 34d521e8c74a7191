import type { ConsoleApi } from '../../shared/contract';
import { MISSING_TOKEN_MESSAGE, type ConnectionState } from './connection';
import { createWsClient } from './ws-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the headless host serves the console over HTTP. */
    api?: ConsoleApi;
  }
}

export type Transport =
  | { kind: 'electron'; api: ConsoleApi }
  | { kind: 'websocket'; api: ConsoleApi; connection: () => ConnectionState; onConnection(listener: (s: ConnectionState) => void): () => void }
  | { kind: 'unavailable'; message: string };

/** The WebSocket endpoint for a console page served by the headless host: same host, path /api, the page's token. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}

/** Electron's preload wins; otherwise the console talks to the headless host over a WebSocket. */
export function chooseTransport(win: Pick<Window, 'api' | 'location'>): Transport {
  if (win.api) return { kind: 'electron', api: win.api };
  const url = socketUrl(win.location);
  if (!url) return { kind: 'unavailable', message: MISSING_TOKEN_MESSAGE };
  const client = createWsClient({ url });
  return { kind: 'websocket', api: client, connection: () => client.connection, onConnection: (l) => client.onConnection(l) };
}
