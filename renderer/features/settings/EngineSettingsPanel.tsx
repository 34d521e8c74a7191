import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useApi } from '../../store/react';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A flow's settings panel: loads what the engine holds, shows loading or the load error, then hands the settings
 * (and how to replace them after a save) to the flow's own form.
 */
export function EngineSettingsPanel({
  title,
  className,
  children,
}: {
  title: string;
  className: string;
  children: (settings: Settings, onSaved: (s: Settings) => void) => ReactNode;
}) {
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
    <div className={className}>
      <h2>{title}</h2>
      {children(settings, setSettings)}
    </div>
  );
}
