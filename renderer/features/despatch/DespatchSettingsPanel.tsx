import { EngineSettingsPanel } from '../settings/EngineSettingsPanel';
import { DespatchSettingsForm } from './DespatchSettingsForm';

/** Despatch settings, reached from the Despatch screen. */
export function DespatchSettingsPanel() {
  return (
    <EngineSettingsPanel title="Despatch settings" className="despatch-settings-panel">
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      {(settings, onSaved) => <DespatchSettingsForm key={JSON.stringify(settings.despatch)} settings={settings} onSaved={onSaved} />}
    </EngineSettingsPanel>
  );
}
