import { useState } from 'react';
import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { useReadOnly } from '../../app/role';
import { useApi, useConsole } from '../../store/react';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Sends a settings change with the operator's name and keeps what the form shows about it: saving, or the
 * engine's refusal in its own words (it names the field it refused).
 */
export function useSettingsSave(onSaved: (s: Settings) => void, savedMessage: string) {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor);
  const notify = useConsole((s) => s.notify);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const readOnly = useReadOnly();

  const save = async (patch: SettingsPatch) => {
    if (!actor) return;
    // A finance PC's view of a sync flow's settings: its engine never runs the flow, so nothing is changed here.
    if (readOnly) {
      setEngineError(readOnly);
      return;
    }
    setSaving(true);
    setEngineError(null);
    try {
      onSaved(await api.command('settings.update', { patch, actor }));
      notify('info', savedMessage);
    } catch (e) {
      setEngineError(`The engine refused the change: ${message(e)}`);
    } finally {
      setSaving(false);
    }
  };
  return { actor, save, saving, engineError };
}
