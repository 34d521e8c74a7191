import type { StateCreator } from 'zustand';
import type { Run } from '../../shared/domain/flows';
import type { ConsoleState } from './index';

/** The Runs screen shows the recent past only; older runs stay in the ledger. */
export const RUNS_KEPT = 200;

export interface RunsSlice {
  runs: Run[];
  setRuns(runs: Run[]): void;
  applyRun(run: Run): void;
}

const newestFirst = (a: Run, b: Run) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id;

export const createRunsSlice: StateCreator<ConsoleState, [['zustand/subscribeWithSelector', never]], [], RunsSlice> = (set) => ({
  runs: [],
  setRuns: (runs) => set({ runs: [...runs].sort(newestFirst).slice(0, RUNS_KEPT) }),
  applyRun: (run) => set((s) => ({ runs: [run, ...s.runs.filter((r) => r.id !== run.id)].sort(newestFirst).slice(0, RUNS_KEPT) })),
});
