import { StrictMode } from 'react';
import { expect, onTestFinished } from 'vitest';
import { render } from 'vitest-browser-react';
import { Console } from '../../renderer/app/Console';
import { createConsoleQueryClient } from '../../renderer/data/query-client';
import { createConsoleStore } from '../../renderer/store';
import { ACTOR_KEY } from '../../renderer/store/ui-slice';
import { FakeApi } from './fake-api';

/** Mounts the whole console against a fake engine, with the operator's name already given unless told otherwise. */
export async function renderConsole(setup: (api: FakeApi) => void = () => undefined, options: { actor?: string | null; hash?: string } = {}) {
  const actor = options.actor === undefined ? 'Priya Shah' : options.actor;
  if (actor) localStorage.setItem(ACTOR_KEY, actor);
  else localStorage.removeItem(ACTOR_KEY);
  history.replaceState(null, '', options.hash ?? '#/overview');
  const api = new FakeApi();
  setup(api);
  // A fake that answered what the contract does not allow fails the test, even where the console coped with it.
  onTestFinished(() => expect(api.drift, 'the fake engine drifted from the contract').toEqual([]));
  const store = createConsoleStore();
  // One QueryClient per console, as renderer/main.tsx makes: no answer is carried from one test into the next.
  const queryClient = createConsoleQueryClient();
  // StrictMode as in renderer/main.tsx: effects run twice on mount, as they do for the operator in development.
  const screen = await render(
    <StrictMode>
      <Console api={api} store={store} queryClient={queryClient} />
    </StrictMode>,
  );
  return { api, store, queryClient, screen };
}
