import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryName, QueryRequest, QueryResponse } from '../../shared/contract';
import { useApi } from '../store/react';
import { errorText } from './query-client';
import { useRefetch, type RefetchTrigger } from './refetch';
import { useDebounced } from './use-debounced';

export { onEvent, type RefetchTrigger } from './refetch';
export { useContractList, type ListFilter, type ListOptions, type ListQueryName, type ListView, type RowOf } from './use-contract-list';

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

/**
 * One contract query: its answer, whether it is loading, failed or out of date, refetched on the engine events that
 * change it. The request may be written inline: it is compared by value. Only a debounced query (a search) keeps the
 * previous answer on screen while the next loads; another record's details never show the previous record's.
 */
export function useContractQuery<N extends QueryName>(name: N, request: QueryRequest<N>, options: QueryOptions = {}): QueryView<QueryResponse<N>> {
  const api = useApi();
  const client = useQueryClient();
  const enabled = options.enabled ?? true;
  const debounceMs = options.debounceMs ?? 0;
  const { request: asked, waiting } = useDebounced(request as object, debounceMs, options.debounceFields ?? ['search']);
  const queryKey = ['contract', name, asked];
  const query = useQuery({
    queryKey,
    queryFn: () => api.query(name, asked as QueryRequest<N>),
    enabled,
    placeholderData: debounceMs > 0 ? keepPreviousData : undefined,
  });
  const refetch = useRefetch(queryKey, options.refetchOn, enabled, () => void client.refetchQueries({ queryKey, exact: true }));

  // Switched off (no record chosen): nothing to show, whatever an earlier request answered. A request that failed
  // is not covered again by the previous request's answer while it is retried.
  const data = enabled && !(query.isPlaceholderData && query.errorUpdateCount > 0) ? query.data : undefined;
  const error = enabled && query.error ? errorText(query.error) : null;
  return {
    status: data !== undefined ? 'ready' : error ? 'error' : 'loading',
    data,
    error,
    stale: enabled && (waiting || query.isPlaceholderData || (data !== undefined && (query.isStale || query.isFetching))),
    refetch,
    setData: (value) => client.setQueryData(queryKey, value),
  };
}
