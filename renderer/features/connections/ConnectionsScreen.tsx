import { useEffect, useState } from 'react';
import type { ConnectionsView } from '../../../shared/contract/connections';
import { useApi, useConsole } from '../../store/react';
import '../../styles/connections.css';
import { MarketplaceConnectionForm } from './MarketplaceConnectionForm';
import { SapConnectionForm } from './SapConnectionForm';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Day-one setup of the two connections. The view comes from the engine and goes back to it on every change;
 * secrets are typed, sent once and forgotten, and the engine only ever says whether one is set.
 */
export function ConnectionsScreen() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor);
  const [view, setView] = useState<ConnectionsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.query('connections.get', {}).then(
      (v) => live && setView(v),
      (e) => live && setLoadError(`Could not load the connections: ${message(e)}`),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (!view) {
    return loadError ? (
      <p className="notice notice-error" role="alert">
        {loadError}
      </p>
    ) : (
      <p className="loading">Loading connections…</p>
    );
  }

  return (
    <div className="connections">
      <p className="hint">
        Set up SAP Business One and John Lewis Marketplace here, then test each one. Passwords and API keys are sent to the engine once and never shown again.
      </p>
      <SapConnectionForm view={view} actor={actor} onView={setView} />
      <MarketplaceConnectionForm view={view} actor={actor} onView={setView} />
    </div>
  );
}
