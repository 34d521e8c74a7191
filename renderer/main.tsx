import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseTransport } from './api/transport';
import { Console, Unavailable } from './app/Console';
import { createConsoleStore } from './store';
import { loadSnapshots } from './store/bind';
import './styles/app.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const transport = chooseTransport(window);

if (transport.kind === 'unavailable') {
  root.render(<Unavailable message={transport.message} />);
} else {
  const store = createConsoleStore();
  if (transport.kind === 'websocket') {
    const { api } = transport;
    // The first open serves the snapshot requests bindApi queued; only a later one is a reconnect.
    let openedBefore = transport.connection().kind === 'open';
    store.getState().setConnection(transport.connection());
    transport.onConnection((state) => {
      store.getState().setConnection(state);
      if (state.kind !== 'open') return;
      // Events sent while the link was down are lost: reload the snapshots once it is back.
      if (openedBefore) void loadSnapshots(api, store);
      openedBefore = true;
    });
  }
  root.render(
    <StrictMode>
      <Console api={transport.api} store={store} />
    </StrictMode>,
  );
}
