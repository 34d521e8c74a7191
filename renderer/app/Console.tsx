import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ConsoleApi } from '../../shared/contract';
import { createConsoleQueryClient } from '../data/query-client';
import { createConsoleStore, type ConsoleStore } from '../store';
import { bindApi } from '../store/bind';
import { ConsoleProvider } from '../store/react';
import { App } from './App';

/**
 * The whole console for one api: binds it to the store for as long as it is mounted, with its own QueryClient (the
 * engine's answers are never shared with another console). Tests mount this with a fake api.
 */
export function Console({ api, store: givenStore, queryClient: givenClient }: { api: ConsoleApi; store?: ConsoleStore; queryClient?: QueryClient }) {
  const [store] = useState(() => givenStore ?? createConsoleStore());
  const [queryClient] = useState(() => givenClient ?? createConsoleQueryClient());
  useEffect(() => bindApi(api, store), [api, store]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConsoleProvider api={api} store={store}>
        <App />
      </ConsoleProvider>
    </QueryClientProvider>
  );
}

/** What an operator sees when the page cannot reach any engine (no preload, no token). */
export function Unavailable({ message }: { message: string }) {
  return (
    <main className="unavailable">
      <h1>Marketplace Console</h1>
      <p role="alert">{message}</p>
    </main>
  );
}
