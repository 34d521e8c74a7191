import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseTransport } from './api/transport';
import { Console, Unavailable } from './app/Console';
import { createConsoleQueryClient } from './data/query-client';
import { createConsoleStore } from './store';
import { bindConnection } from './store/bind';
import { applyTheme, readTheme } from './app/theme';
import { raiseBrowserAlerts } from './app/browser-alerts';
import './styles/app.css';

// The chosen theme before the first paint, so a dark console never flashes light.
applyTheme(readTheme());
const root = createRoot(document.getElementById('root') as HTMLElement);
const transport = chooseTransport(window);

if (transport.kind === 'unavailable') {
  root.render(<Unavailable message={transport.message} />);
} else {
  const store = createConsoleStore();
  const queryClient = createConsoleQueryClient();
  if (transport.kind === 'websocket') {
    bindConnection(transport, transport.api, store);
    raiseBrowserAlerts(transport.api);
  }
  root.render(
    <StrictMode>
      <Console api={transport.api} store={store} queryClient={queryClient} />
    </StrictMode>,
  );
}
