import type { ConsoleApi } from '../../shared/contract';
import type { ConnectionState } from '../api/connection';
import type { ConsoleStore } from './index';

export const EXCEPTION_PAGE = 100;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** A refused token is already shown full width; repeating it per request would bury it. */
const refused = (error: unknown) => (error as { code?: unknown } | null)?.code === 'forbidden';

/**
 * The one place engine data enters the store: subscribe to events first (so nothing is missed
 * while snapshots load), then load the snapshots. Returns one function that unsubscribes everything.
 */
export function bindApi(api: ConsoleApi, store: ConsoleStore): () => void {
  const s = store.getState;
  const offs = [
    api.on('status.changed', (status) => s().applyStatus(status)),
    api.on('run.finished', (run) => s().applyRun(run)),
    api.on('exception.changed', (record) => {
      s().applyException(record);
      // The open detail shows the audit trail, which the event does not carry: fetch it again.
      if (s().exceptions.selectedId === record.id) void loadExceptionDetail(api, store, record.id);
    }),
  ];
  void loadSnapshots(api, store);
  return () => offs.forEach((off) => off());
}

/** Everything the screens show at start, and again after a reconnect (events were missed meanwhile). */
export async function loadSnapshots(api: ConsoleApi, store: ConsoleStore): Promise<void> {
  await Promise.all([
    api.query('status.get', {}).then(
      (status) => store.getState().applyStatus(status),
      (e) => refused(e) || store.getState().notify('error', `Could not load the engine status: ${message(e)}`),
    ),
    loadRuns(api, store),
    loadExceptions(api, store, false),
  ]);
}

export async function loadRuns(api: ConsoleApi, store: ConsoleStore): Promise<void> {
  try {
    store.getState().setRuns(await api.query('runs.list', { limit: 200 }));
  } catch (e) {
    if (!refused(e)) store.getState().notify('error', `Could not load runs: ${message(e)}`);
  }
}

let exceptionRequest = 0;

/** Loads the first page for the current filter, or (append) the next page after what is loaded. */
export async function loadExceptions(api: ConsoleApi, store: ConsoleStore, append: boolean): Promise<void> {
  const { exceptions, setExceptionsLoading, setExceptionPage } = store.getState();
  if (append && (exceptions.loading || exceptions.ids.length >= exceptions.total)) return;
  const { state, flow, search } = exceptions.filter;
  const request = ++exceptionRequest;
  setExceptionsLoading(true);
  try {
    const page = await api.query('exceptions.list', {
      ...(state ? { state } : {}),
      ...(flow ? { flow } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      limit: EXCEPTION_PAGE,
      offset: append ? exceptions.ids.length : 0,
    });
    // A newer filter was typed while this page was on its way: its answer wins.
    if (request !== exceptionRequest) return;
    setExceptionPage(page.rows, page.total, append);
  } catch (e) {
    if (request === exceptionRequest) setExceptionsLoading(false, refused(e) ? null : `Could not load exceptions: ${message(e)}`);
  }
}

export async function loadExceptionDetail(api: ConsoleApi, store: ConsoleStore, id: number): Promise<void> {
  try {
    const detail = await api.query('exceptions.get', { id });
    if (store.getState().exceptions.selectedId === id) store.getState().setExceptionDetail(detail);
  } catch (e) {
    store.getState().notify('error', `Could not load exception ${id}: ${message(e)}`);
  }
}

/** A transport whose link can drop (the WebSocket); Electron's IPC has none. */
export interface ConnectionSource {
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** Mirrors the link's state into the store, and reloads the snapshots after a reconnect (events sent meanwhile are lost). */
export function bindConnection(source: ConnectionSource, api: ConsoleApi, store: ConsoleStore): () => void {
  // The first open serves the snapshot requests bindApi queued; only a later one is a reconnect.
  let openedBefore = source.connection().kind === 'open';
  store.getState().setConnection(source.connection());
  return source.onConnection((state) => {
    store.getState().setConnection(state);
    if (state.kind !== 'open') return;
    if (openedBefore) void loadSnapshots(api, store);
    openedBefore = true;
  });
}
