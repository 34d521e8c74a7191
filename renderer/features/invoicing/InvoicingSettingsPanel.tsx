import { EngineSettingsPanel } from '../settings/EngineSettingsPanel';
import { InvoicingSettingsForm } from './InvoicingSettingsForm';

/** Invoicing settings, reached from the Invoicing screen. */
export function InvoicingSettingsPanel() {
  return (
    <EngineSettingsPanel title="Invoicing settings" className="invoicing-settings-panel">
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      {(settings, onSaved) => <InvoicingSettingsForm key={JSON.stringify(settings.invoicing)} settings={settings} onSaved={onSaved} />}
    </EngineSettingsPanel>
  );
}
