import { useEffect, useState } from 'react';
import type { ConsoleApi } from '../../shared/contract';
import { createConsoleStore, type ConsoleStore } from '../store';
import { bindApi } from '../store/bind';
import { ConsoleProvider } from '../store/react';
import { App } from './App';

/** The whole console for one api: binds it to the store for as long as it is mounted. Tests mount this with a fake api. */
export function Console({ api, store: given }: { api: ConsoleApi; store?: ConsoleStore }) {
  const [store] = useState(() => given ?? createConsoleStore());
  useEffect(() => bindApi(api, store), [api, store]);
  return (
    <ConsoleProvider api={api} store={store}>
      <App />
    </ConsoleProvider>
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
