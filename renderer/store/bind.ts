import type { ConsoleApi } from '../../shared/contract';
import type { ConnectionState } from '../api/connection';
import type { ConsoleStore } from './index';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** A refused token is already shown full width; repeating it per request would bury it. */
const refused = (error: unknown) => (error as { code?: unknown } | null)?.code === 'forbidden';

/**
 * The engine's status enters the store here: subscribe to its event first (so nothing is missed while the snapshot
 * loads), then load the snapshot. The screens' lists and records are asked for by the screens themselves
 * (renderer/data), each refetched on the events that change it. Returns one function that unsubscribes.
 */
export function bindApi(api: ConsoleApi, store: ConsoleStore): () => void {
  const off = api.on('status.changed', (status) => store.getState().applyStatus(status));
  void loadStatus(api, store);
  return off;
}

/** The engine's status at start, and again after a reconnect (events were missed meanwhile). */
export async function loadStatus(api: ConsoleApi, store: ConsoleStore): Promise<void> {
  try {
    store.getState().applyStatus(await api.query('status.get', {}));
  } catch (e) {
    if (!refused(e)) store.getState().notify('error', `Could not load the engine status: ${message(e)}`);
  }
}

/** A transport whose link can drop (the WebSocket); Electron's IPC has none. */
export interface ConnectionSource {
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/**
 * Mirrors the link's state into the store, and reloads the status after a reconnect (events sent meanwhile are
 * lost); the screens' queries see the same state change and ask again themselves.
 */
export function bindConnection(source: ConnectionSource, api: ConsoleApi, store: ConsoleStore): () => void {
  // The first open serves the requests already queued; only a later one is a reconnect.
  let openedBefore = source.connection().kind === 'open';
  store.getState().setConnection(source.connection());
  return source.onConnection((state) => {
    store.getState().setConnection(state);
    if (state.kind !== 'open') return;
    if (openedBefore) void loadStatus(api, store);
    openedBefore = true;
  });
}
