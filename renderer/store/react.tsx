import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ConsoleApi } from '../../shared/contract';
import type { ConsoleState, ConsoleStore } from './index';

const StoreContext = createContext<ConsoleStore | null>(null);
const ApiContext = createContext<ConsoleApi | null>(null);

export function ConsoleProvider({ api, store, children }: { api: ConsoleApi; store: ConsoleStore; children: ReactNode }) {
  return (
    <ApiContext value={api}>
      <StoreContext value={store}>{children}</StoreContext>
    </ApiContext>
  );
}

function useConsoleStore(): ConsoleStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole outside ConsoleProvider');
  return store;
}

/** Select one thing from the store; pick atomic values or wrap with useShallow so rows re-render only when theirs changes. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  return useStore(useConsoleStore(), selector);
}

export { useConsoleStore };

export function useApi(): ConsoleApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ConsoleProvider');
  return api;
}
