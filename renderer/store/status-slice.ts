import type { StateCreator } from 'zustand';
import type { EngineStatus } from '../../shared/domain/flows';
import type { ConsoleState } from './index';

export interface StatusSlice {
  status: EngineStatus | null;
  applyStatus(status: EngineStatus): void;
}

export const createStatusSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], StatusSlice> = (set, get) => ({
  status: null,
  applyStatus(status) {
    // A snapshot can arrive after a newer event; the revision says which is fresher.
    const current = get().status;
    if (current && status.revision < current.revision) return;
    set({ status });
  },
});
