import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useApi } from '../../store/react';
import { OrdersSettingsForm } from './OrdersSettingsForm';
import { SapCompanyCheck } from './SapCompanyCheck';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Orders settings and the SAP company check, reached from the Orders screen. */
export function OrdersSettingsPanel() {
  const api = useApi();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.query('settings.get', {}).then(
      (s) => live && setSettings(s),
      (e) => live && setLoadError(`Could not load settings: ${message(e)}`),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (!settings) {
    return loadError ? (
      <p className="notice notice-error" role="alert">
        {loadError}
      </p>
    ) : (
      <p className="loading">Loading settings…</p>
    );
  }
  return (
    <div className="orders-settings-panel">
      <h2>Orders settings</h2>
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      <OrdersSettingsForm key={JSON.stringify(settings.orders)} settings={settings} onSaved={setSettings} />
      <SapCompanyCheck />
    </div>
  );
}
