import type { StateCreator } from 'zustand';
import type { ExceptionDetail, ExceptionRecord, ExceptionState } from '../../shared/domain/exceptions';
import type { FlowName } from '../../shared/domain/flows';
import type { ConsoleState } from './index';

export interface ExceptionFilter {
  state: ExceptionState | null;
  flow: FlowName | null;
  search: string;
}

export interface ExceptionsSlice {
  exceptions: {
    /** Normalised so an event replaces one row and every other row keeps its identity (cheap virtual rows). */
    byId: Record<number, ExceptionRecord>;
    ids: number[];
    /** How many match the filter in the ledger; ids holds the pages loaded so far. */
    total: number;
    filter: ExceptionFilter;
    loading: boolean;
    error: string | null;
    selectedId: number | null;
    detail: ExceptionDetail | null;
  };
  setExceptionFilter(patch: Partial<ExceptionFilter>): void;
  setExceptionsLoading(loading: boolean, error?: string | null): void;
  setExceptionPage(rows: ExceptionRecord[], total: number, append: boolean): void;
  applyException(record: ExceptionRecord): void;
  selectException(id: number | null): void;
  setExceptionDetail(detail: ExceptionDetail | null): void;
}

export function matchesFilter(record: ExceptionRecord, filter: ExceptionFilter): boolean {
  if (filter.state && record.state !== filter.state) return false;
  if (filter.flow && record.flow !== filter.flow) return false;
  const needle = filter.search.trim().toLowerCase();
  return !needle || record.record.key.toLowerCase().includes(needle) || record.summary.toLowerCase().includes(needle);
}

export const createExceptionsSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], ExceptionsSlice> = (set) => ({
  exceptions: {
    byId: {},
    ids: [],
    total: 0,
    // Operators start from what needs them: open exceptions.
    filter: { state: 'open', flow: null, search: '' },
    loading: false,
    error: null,
    selectedId: null,
    detail: null,
  },
  setExceptionFilter: (patch) => set((s) => ({ exceptions: { ...s.exceptions, filter: { ...s.exceptions.filter, ...patch } } })),
  setExceptionsLoading: (loading, error = null) => set((s) => ({ exceptions: { ...s.exceptions, loading, error } })),
  setExceptionPage: (rows, total, append) =>
    set((s) => {
      const byId = append ? { ...s.exceptions.byId } : {};
      const ids = append ? [...s.exceptions.ids] : [];
      for (const row of rows) {
        if (!(row.id in byId)) ids.push(row.id);
        byId[row.id] = row;
      }
      return { exceptions: { ...s.exceptions, byId, ids, total, loading: false, error: null } };
    }),
  applyException: (record) =>
    set((s) => {
      const ex = s.exceptions;
      const known = record.id in ex.byId;
      const matches = matchesFilter(record, ex.filter);
      const detail = ex.detail?.exception.id === record.id ? { ...ex.detail, exception: record } : ex.detail;
      if (known && !matches) {
        // e.g. dismissed while the list shows open ones: it leaves the list, its detail stays open.
        const { [record.id]: _gone, ...byId } = ex.byId;
        return { exceptions: { ...ex, byId, ids: ex.ids.filter((id) => id !== record.id), total: Math.max(0, ex.total - 1), detail } };
      }
      if (known) return { exceptions: { ...ex, byId: { ...ex.byId, [record.id]: record }, detail } };
      if (matches) return { exceptions: { ...ex, byId: { ...ex.byId, [record.id]: record }, ids: [record.id, ...ex.ids], total: ex.total + 1, detail } };
      return { exceptions: { ...ex, detail } };
    }),
  selectException: (id) =>
    set((s) => ({ exceptions: { ...s.exceptions, selectedId: id, detail: s.exceptions.detail?.exception.id === id ? s.exceptions.detail : null } })),
  setExceptionDetail: (detail) => set((s) => ({ exceptions: { ...s.exceptions, detail } })),
});
