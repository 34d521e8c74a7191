import { EngineSettingsPanel } from '../settings/EngineSettingsPanel';
import { SettlementSettingsForm } from './SettlementSettingsForm';

/** Settlement settings, reached from the Payouts screen. */
export function SettlementSettingsPanel() {
  return (
    <EngineSettingsPanel title="Settlement settings" className="settlement-settings-panel">
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      {(settings, onSaved) => <SettlementSettingsForm key={JSON.stringify(settings.settlement)} settings={settings} onSaved={onSaved} />}
    </EngineSettingsPanel>
  );
}
