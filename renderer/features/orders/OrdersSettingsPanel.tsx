import { EngineSettingsPanel } from '../settings/EngineSettingsPanel';
import { OrdersSettingsForm } from './OrdersSettingsForm';
import { SapCompanyCheck } from './SapCompanyCheck';

/** Orders settings and the SAP company check, reached from the Orders screen. */
export function OrdersSettingsPanel() {
  return (
    <EngineSettingsPanel title="Orders settings" className="orders-settings-panel">
      {/* Re-keyed on what the engine holds, so a save starts the form again from the saved values. */}
      {(settings, onSaved) => (
        <>
          <OrdersSettingsForm key={JSON.stringify(settings.orders)} settings={settings} onSaved={onSaved} />
          <SapCompanyCheck />
        </>
      )}
    </EngineSettingsPanel>
  );
}
