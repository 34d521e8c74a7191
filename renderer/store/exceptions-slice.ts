import type { StateCreator } from 'zustand';
import type { ExceptionCategory, ExceptionState } from '../../shared/domain/exceptions';
import type { FlowName } from '../../shared/domain/flows';
import type { ConsoleState } from './index';

export interface ExceptionFilter {
  state: ExceptionState | null;
  flow: FlowName | null;
  /** Business (a person must fix something) or technical (the engine could not finish); null: both. */
  category: ExceptionCategory | null;
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
  };
  setExceptionFilter(patch: Partial<ExceptionFilter>): void;
  selectException(id: number | null): void;
}

export const createExceptionsSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], ExceptionsSlice> = (set) => ({
  exceptions: {
    // Operators start from what needs them: open exceptions.
    filter: { state: 'open', flow: null, category: null, search: '' },
    selectedId: null,
  },
  setExceptionFilter: (patch) => set((s) => ({ exceptions: { ...s.exceptions, filter: { ...s.exceptions.filter, ...patch } } })),
  selectException: (id) => set((s) => ({ exceptions: { ...s.exceptions, selectedId: id } })),
});
