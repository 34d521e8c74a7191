import { useEffect, useEffectEvent, useRef, useState, useSyncExternalStore } from 'react';
import type { EventName, EventPayload, QueryName, QueryRequest, QueryResponse } from '../../shared/contract';
import { useApi, useConsole } from '../store/react';
import { ListRunner, QueryRunner, type Page } from './runners';

/** An engine event after which a query's answer may be out of date; `when` narrows it (only the stock flow's runs, say). */
export type RefetchTrigger = EventName | { readonly event: EventName; readonly when: (payload: never) => boolean };

export function onEvent<E extends EventName>(event: E, when: (payload: EventPayload<E>) => boolean): RefetchTrigger {
  return { event, when: when as (payload: never) => boolean };
}

export interface QueryOptions {
  /** Engine events that make the answer out of date; a burst of them costs one refetch. */
  refetchOn?: readonly RefetchTrigger[];
  /** Wait this long after the last change of a debounced field (typing in a search box) before asking. */
  debounceMs?: number;
  /** The request fields whose changes wait debounceMs; any other change is asked at once. */
  debounceFields?: readonly string[];
  /** False: ask nothing (no record chosen yet). */
  enabled?: boolean;
}

/** loading: nothing to show yet; error: the engine did not answer (or refused); ready: an answer is shown. */
export type QueryStatus = 'loading' | 'error' | 'ready';

export interface QueryView<T> {
  status: QueryStatus;
  data: T | undefined;
  /** The last request failed (with data shown, it is the older answer). */
  error: string | null;
  /** What is shown answers an earlier request or predates an engine event; a newer answer is on its way. */
  stale: boolean;
  refetch(): void;
  /** The engine answered a command with the new value: show it without asking again. */
  setData(data: T): void;
}

export interface ListView<Row, R = unknown> {
  status: QueryStatus;
  rows: Row[];
  /** How many match in the ledger; null where the query does not count. */
  total: number | null;
  /** The first page's whole answer: counts per state, the reconciliation date… */
  response: R | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  error: string | null;
  /** The error was the next page's: the rows shown are fine. */
  moreFailed: boolean;
  stale: boolean;
  loadMore(): void;
  refetch(): void;
}

/** A stable key for a request: JSON drops undefined fields, so `{ search: undefined }` and `{}` are the same request. */
const keyOf = (value: unknown): string => JSON.stringify(value) ?? '';

function without(request: object, fields: readonly string[]): string {
  return keyOf(Object.fromEntries(Object.entries(request).filter(([k]) => !fields.includes(k))));
}

/** The request to ask for now: a change to a debounced field waits until typing pauses; anything else goes at once. */
function useDebounced<T extends object>(request: T, debounceMs: number, fields: readonly string[]): { request: T; key: string; waiting: boolean } {
  const [applied, setApplied] = useState(request);
  const requestKey = keyOf(request);
  const appliedKey = keyOf(applied);
  const immediate = debounceMs <= 0 || without(request, fields) !== without(applied, fields);
  // Any change but a debounced field's is taken at once, during this render (React's way of adjusting state to props).
  if (requestKey !== appliedKey && immediate) setApplied(request);
  const applyLatest = useEffectEvent(() => setApplied(request));

  useEffect(() => {
    if (requestKey === appliedKey || immediate) return;
    const timer = setTimeout(applyLatest, debounceMs);
    return () => clearTimeout(timer);
  }, [requestKey, appliedKey, immediate, debounceMs]);

  if (requestKey === appliedKey || immediate) return { request, key: requestKey, waiting: false };
  return { request: applied, key: appliedKey, waiting: true };
}

/** Refetch on the named engine events, and after the link to the engine comes back (events were missed meanwhile). */
function useRefetchSignals(runner: { invalidate(): void }, triggers: readonly RefetchTrigger[] | undefined, enabled: boolean): void {
  const api = useApi();
  const connection = useConsole((s) => s.ui.connection.kind);
  // Subscribed by event names, so a caller writing its triggers inline does not resubscribe on every render.
  const names = [...new Set((triggers ?? []).map((t) => (typeof t === 'string' ? t : t.event)))].join(',');
  const matches = useEffectEvent((event: EventName, payload: unknown) =>
    (triggers ?? []).some((t) => (typeof t === 'string' ? t === event : t.event === event && (t.when as (p: unknown) => boolean)(payload))),
  );
  useEffect(() => {
    if (!enabled || !names) return;
    const offs = (names.split(',') as EventName[]).map((event) =>
      api.on(event, (payload: unknown) => {
        if (matches(event, payload)) runner.invalidate();
      }),
    );
    return () => offs.forEach((off) => off());
  }, [api, runner, names, enabled]);

  const previous = useRef(connection);
  useEffect(() => {
    const was = previous.current;
    previous.current = connection;
    if (enabled && connection === 'open' && was === 'reconnecting') runner.invalidate();
  }, [connection, runner, enabled]);
}

/**
 * One contract query: its answer, whether it is loading, failed or out of date, refetched on the engine events that
 * change it. The request may be written inline: it is compared by value.
 */
export function useContractQuery<N extends QueryName>(name: N, request: QueryRequest<N>, options: QueryOptions = {}): QueryView<QueryResponse<N>> {
  const api = useApi();
  const enabled = options.enabled ?? true;
  const { request: asked, key, waiting } = useDebounced(request as object, options.debounceMs ?? 0, options.debounceFields ?? ['search']);
  const [runner] = useState(() => new QueryRunner<QueryResponse<N>>());
  const snapshot = useSyncExternalStore(runner.subscribe, runner.getSnapshot);
  const keepPrevious = (options.debounceMs ?? 0) > 0;

  const start = useEffectEvent(() => {
    const req = asked as QueryRequest<N>;
    runner.setRequest(() => api.query(name, req), keepPrevious);
  });
  useEffect(() => {
    if (!enabled) return;
    start();
    return () => runner.stop();
  }, [api, runner, name, key, enabled]);
  useRefetchSignals(runner, options.refetchOn, enabled);

  // Switched off (no record chosen): nothing to show, whatever an earlier request answered.
  const data = enabled ? snapshot.data : undefined;
  const error = enabled ? snapshot.error : null;
  return {
    status: data !== undefined ? 'ready' : error ? 'error' : 'loading',
    data,
    error,
    stale: enabled && (waiting || snapshot.outdated || (snapshot.fetching && data !== undefined)),
    refetch: () => runner.refetch(),
    setData: (value) => runner.setData(value),
  };
}

/** The list queries: those the engine pages with limit and offset. */
export type ListQueryName = {
  [N in QueryName]: 'offset' extends keyof QueryRequest<N> ? ('limit' extends keyof QueryRequest<N> ? N : never) : never;
}[QueryName];
export type ListFilter<N extends ListQueryName> = Omit<QueryRequest<N>, 'limit' | 'offset'>;
export type RowOf<N extends ListQueryName> =
  QueryResponse<N> extends readonly (infer R)[] ? R : QueryResponse<N> extends { rows: readonly (infer R)[] } ? R : never;

export interface ListOptions<Row> extends Omit<QueryOptions, 'enabled'> {
  /** Rows per request; the renderer asks for the next page as the operator scrolls near the end. */
  pageSize?: number;
  /** Identifies a row across pages (a row that moved down a page while the list changed is shown once). */
  rowKey: (row: Row) => string;
}

/** A list answer is `{ rows, total }`, or (runs) the rows alone, newest first, uncounted. */
function pageOf<Row>(response: unknown): Page<Row> {
  if (Array.isArray(response)) return { rows: response as Row[], total: null };
  const r = response as { rows: Row[]; total: number };
  return { rows: r.rows, total: r.total };
}

/**
 * A list the engine filters and pages in the ledger: the first page for the filter, the next as the operator
 * scrolls (loadMore), refetched on the engine events that change it. The filter leaves out limit and offset.
 */
export function useContractList<N extends ListQueryName>(name: N, filter: ListFilter<N>, options: ListOptions<RowOf<N>>): ListView<RowOf<N>, QueryResponse<N>> {
  const api = useApi();
  const pageSize = options.pageSize ?? 100;
  const { request: asked, key, waiting } = useDebounced(filter as object, options.debounceMs ?? 0, options.debounceFields ?? ['search']);
  const [runner] = useState(() => new ListRunner<RowOf<N>, QueryResponse<N>>(pageSize, pageOf, options.rowKey));
  const s = useSyncExternalStore(runner.subscribe, runner.getSnapshot);

  const start = useEffectEvent(() => {
    const req = asked;
    runner.setRequest((offset, limit) => api.query(name, { ...req, offset, limit } as QueryRequest<N>));
  });
  useEffect(() => {
    start();
    return () => runner.stop();
  }, [api, runner, name, key]);
  useRefetchSignals(runner, options.refetchOn, true);

  return {
    status: s.loaded ? 'ready' : s.error ? 'error' : 'loading',
    rows: s.rows,
    total: s.total,
    response: s.response,
    hasMore: s.hasMore,
    loadingMore: s.fetching === 'more',
    error: s.error,
    moreFailed: s.moreFailed,
    stale: waiting || s.outdated || s.fetching === 'first' || s.fetching === 'refresh',
    loadMore: () => runner.loadMore(),
    refetch: () => runner.refetch(),
  };
}
