import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useApi } from '../../store/react';
import { DespatchSettingsForm } from './DespatchSettingsForm';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Despatch settings, reached from the Despatch screen. */
export function DespatchSettingsPanel() {
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
    <div className="despatch-settings-panel">
      <h2>Despatch settings</h2>
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      <DespatchSettingsForm key={JSON.stringify(settings.despatch)} settings={settings} onSaved={setSettings} />
    </div>
  );
}
