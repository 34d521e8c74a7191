import type { QueryView } from './use-contract-query';
import type { ListView } from './use-contract-list';

/**
 * The rows one query answered in full (a batch's documents: a few hundred at most), as a list the DataTable lays out:
 * nothing more to page, and the query's loading, error and refetch as the list's.
 */
export function listOf<T, Row>(query: QueryView<T>, rowsOf: (data: T) => Row[]): ListView<Row> {
  const rows = query.data === undefined ? [] : rowsOf(query.data);
  return {
    status: query.status,
    rows,
    total: query.data === undefined ? null : rows.length,
    response: query.data,
    hasMore: false,
    loadingMore: false,
    error: query.error,
    moreFailed: false,
    stale: query.stale,
    loadMore: () => undefined,
    refetch: query.refetch,
    fetchAll: async (max) => ({ rows: rows.slice(0, max), complete: rows.length <= max }),
  };
}
