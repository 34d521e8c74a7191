import { EngineSettingsPanel } from '../settings/EngineSettingsPanel';
import { ReturnsSettingsForm } from './ReturnsSettingsForm';

/** Returns settings, reached from the Returns screen. */
export function ReturnsSettingsPanel() {
  return (
    <EngineSettingsPanel title="Returns settings" className="returns-settings-panel">
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      {(settings, onSaved) => <ReturnsSettingsForm key={JSON.stringify(settings.returns)} settings={settings} onSaved={onSaved} />}
    </EngineSettingsPanel>
  );
}
