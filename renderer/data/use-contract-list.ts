import { keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { QueryName, QueryRequest, QueryResponse } from '../../shared/contract';
import { useApi } from '../store/react';
import { errorText } from './query-client';
import { useRefetch } from './refetch';
import type { QueryOptions, QueryStatus } from './use-contract-query';
import { useDebounced } from './use-debounced';

/** A list refreshed after an event asks again for what it shows, up to this many rows (the contract's largest page). */
export const MAX_REFRESH_ROWS = 500;

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
  /** Every row the filter matches, page after page from the engine (the CSV export), up to `max`. */
  fetchAll(max: number): Promise<{ rows: Row[]; complete: boolean }>;
}

interface Page<Row, R> {
  rows: Row[];
  /** How many match in the ledger; null where the query does not count (runs), and a short page marks the end. */
  total: number | null;
  response: R;
}
interface PageParam {
  offset: number;
  limit: number;
}

/** A list answer is `{ rows, total }`, or (runs) the rows alone, newest first, uncounted. */
function pageOf<Row, R>(response: R): Page<Row, R> {
  if (Array.isArray(response)) return { rows: response as Row[], total: null, response };
  const r = response as { rows: Row[]; total: number };
  return { rows: r.rows, total: r.total, response };
}

function nextPage(last: Page<unknown, unknown>, param: PageParam, pageSize: number): PageParam | undefined {
  const offset = param.offset + last.rows.length;
  const more = last.total === null ? last.rows.length >= param.limit : offset < last.total;
  return more && last.rows.length > 0 ? { offset, limit: pageSize } : undefined;
}

/** Rows move between pages when the ledger changes under the list: a row already shown is not shown twice. */
function rowsOf<Row>(pages: readonly Page<Row, unknown>[], rowKey: (row: Row) => string): Row[] {
  const seen = new Set<string>();
  return pages.flatMap((page) =>
    page.rows.filter((row) => {
      const key = rowKey(row);
      return seen.has(key) ? false : (seen.add(key), true);
    }),
  );
}

/**
 * Before a refresh: the loaded pages become one page, asked for from offset 0 with as many rows as are shown (up to
 * MAX_REFRESH_ROWS), so TanStack's refetch costs one request rather than one per page, and the scroll keeps its rows.
 * This is not an answer (no state but the pages changes): what is shown stays as it was until the engine answers.
 */
function asOnePage<Row, R>(client: QueryClient, queryKey: QueryKey, pageSize: number, rowKey: (row: Row) => string): void {
  const query = client.getQueryCache().find<Page<Row, R>, Error, InfiniteData<Page<Row, R>, PageParam>>({ queryKey, exact: true });
  const data = query?.state.data;
  if (!query || !data?.pages.length) return;
  const rows = rowsOf(data.pages, rowKey);
  const limit = Math.min(MAX_REFRESH_ROWS, Math.max(pageSize, rows.length));
  if (data.pages.length === 1 && data.pageParams[0]?.limit === limit) return;
  const page = { rows, total: data.pages.at(-1)!.total, response: data.pages[0]!.response };
  query.setState({ data: { pages: [page], pageParams: [{ offset: 0, limit }] } });
}

/**
 * A list the engine filters and pages in the ledger: the first page for the filter, the next as the operator
 * scrolls (loadMore), refetched on the engine events that change it. The filter leaves out limit and offset. A new
 * filter keeps the old rows on screen (stale, so dimmed) until its answer; the newest filter's answer wins.
 */
export function useContractList<N extends ListQueryName>(name: N, filter: ListFilter<N>, options: ListOptions<RowOf<N>>): ListView<RowOf<N>, QueryResponse<N>> {
  type Row = RowOf<N>;
  const api = useApi();
  const client = useQueryClient();
  const [{ pageSize, rowKey }] = useState(() => ({ pageSize: options.pageSize ?? 100, rowKey: options.rowKey }));
  const { request: asked, waiting } = useDebounced(filter as object, options.debounceMs ?? 0, options.debounceFields ?? ['search']);
  const queryKey = ['contract-list', name, asked, pageSize];
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.query(name, { ...asked, ...pageParam } as QueryRequest<N>).then((r) => pageOf<Row, QueryResponse<N>>(r)),
    initialPageParam: { offset: 0, limit: pageSize } as PageParam,
    getNextPageParam: (last, _pages, param) => nextPage(last, param, pageSize),
    placeholderData: keepPreviousData,
  });
  const refetch = useRefetch(queryKey, options.refetchOn, true, () => {
    asOnePage(client, queryKey, pageSize, rowKey);
    void client.refetchQueries({ queryKey, exact: true });
  });

  // A new filter whose first request failed: the old filter's rows would answer a question nobody is asking now.
  const pages = query.isPlaceholderData && query.errorUpdateCount > 0 ? undefined : query.data?.pages;
  const rows = useMemo(() => (pages ? rowsOf(pages, rowKey) : []), [pages, rowKey]);
  const error = query.error ? errorText(query.error) : null;
  return {
    status: pages ? 'ready' : error ? 'error' : 'loading',
    rows,
    total: pages?.at(-1)?.total ?? null,
    response: pages?.[0]?.response,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    error,
    moreFailed: query.isFetchNextPageError,
    stale: waiting || query.isPlaceholderData || (query.isFetching && !query.isFetchingNextPage) || (pages !== undefined && query.isStale),
    // Never while a request is on its way: TanStack would cancel it for the next page.
    loadMore: () => {
      if (query.hasNextPage && !query.isFetching) void query.fetchNextPage({ cancelRefetch: false });
    },
    refetch,
    async fetchAll(max) {
      const all: Row[] = [];
      for (let offset = 0; all.length < max;) {
        const limit = Math.min(MAX_REFRESH_ROWS, max - all.length);
        const page = pageOf<Row, QueryResponse<N>>(await api.query(name, { ...asked, offset, limit } as QueryRequest<N>));
        all.push(...page.rows);
        offset += page.rows.length;
        const done = page.total === null ? page.rows.length < limit : offset >= page.total;
        if (done || page.rows.length === 0) return { rows: rowsOf([{ ...page, rows: all }], rowKey), complete: true };
      }
      return { rows: rowsOf([{ rows: all, total: null, response: undefined }], rowKey), complete: false };
    },
  };
}
