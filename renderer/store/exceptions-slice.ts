import type { StateCreator } from 'zustand';
import type { ExceptionCategory, ExceptionState, Severity } from '../../shared/domain/exceptions';
import type { FlowName } from '../../shared/domain/flows';
import type { ConsoleState } from './index';

export interface ExceptionFilter {
  state: ExceptionState | null;
  flow: FlowName | null;
  /** Business (a person must fix something) or technical (the engine could not finish); null: both. */
  category: ExceptionCategory | null;
  severity: Severity | null;
  /** One exception type, chosen from the "by type" line; null: every type. */
  type: string | null;
  search: string;
}

/**
 * What the operator chose on the Exceptions screen, kept while they visit other screens. The rows themselves are
 * the engine's (exceptions.list through useContractList), never copied here.
 */
export interface ExceptionsSlice {
  exceptions: {
    filter: ExceptionFilter;
    selectedId: number | null;
    /** Ticked for a bulk retry or dismissal (the open one is `selectedId`). */
    checked: number[];
  };
  setExceptionFilter(patch: Partial<ExceptionFilter>): void;
  selectException(id: number | null): void;
  /** Ticks or unticks exceptions; `on` null flips each. */
  checkExceptions(ids: readonly number[], on: boolean | null): void;
  clearChecked(): void;
}

export const createExceptionsSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], ExceptionsSlice> = (set) => ({
  exceptions: {
    // Operators start from what needs them: open exceptions.
    filter: { state: 'open', flow: null, category: null, severity: null, type: null, search: '' },
    selectedId: null,
    checked: [],
  },
  // Another filter shows other rows: what was ticked under the old one is not carried into an action on the new one.
  setExceptionFilter: (patch) => set((s) => ({ exceptions: { ...s.exceptions, filter: { ...s.exceptions.filter, ...patch }, checked: [] } })),
  selectException: (id) => set((s) => ({ exceptions: { ...s.exceptions, selectedId: id } })),
  checkExceptions: (ids, on) =>
    set((s) => {
      const checked = new Set(s.exceptions.checked);
      for (const id of ids) {
        if (on ?? !checked.has(id)) checked.add(id);
        else checked.delete(id);
      }
      return { exceptions: { ...s.exceptions, checked: [...checked] } };
    }),
  clearChecked: () => set((s) => ({ exceptions: { ...s.exceptions, checked: [] } })),
});
