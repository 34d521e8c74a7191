import { useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useSettingsSave } from '../settings/use-settings-save';
import { Choices, TextField, type Choice } from '../orders/SettingsFields';
import { despatchDraftFrom, despatchPatchFrom, type CarrierFrom, type DespatchDraft } from './despatch-settings-draft';

const CARRIER_SOURCES: Choice<CarrierFrom>[] = [
  {
    value: 'shipping-type',
    label: 'Shipping type on the Delivery Note',
    explanation: 'The warehouse picks the carrier from SAP’s shipping types (Royal Mail, DPD, Evri…) on the Delivery Note header.',
  },
  {
    value: 'udf',
    label: 'A user-defined field on the Delivery Note',
    explanation: 'The warehouse types the carrier into a field your company added to the Delivery Note.',
  },
];

/** Despatch settings: a local draft, checked, and only the fields that changed sent with the operator's name. */
export function DespatchSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { actor, save: send, saving, engineError } = useSettingsSave(onSaved, 'Despatch settings saved.');
  const [draft, setDraft] = useState(() => despatchDraftFrom(settings.despatch));
  const set = (patch: Partial<DespatchDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const result = despatchPatchFrom(settings.despatch, draft);
  const errors = result.ok ? {} : result.errors;
  const dirty = !result.ok || result.patch !== null;

  const save = async () => {
    if (result.ok && result.patch) await send({ despatch: result.patch });
  };

  return (
    <form
      className="despatch-settings"
      aria-label="Despatch settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="despatch-settings-error">
          {engineError}
        </p>
      ) : null}
      <Choices
        legend="Where SAP records the carrier"
        name="carrier-source"
        choices={CARRIER_SOURCES}
        value={draft.carrierFrom}
        onChange={(v) => set({ carrierFrom: v })}
      >
        {draft.carrierFrom === 'udf' ? (
          <TextField
            label="Field name"
            hint="As in SAP’s user-defined fields for the Delivery Note (ODLN), without U_."
            value={draft.udfName}
            error={errors.udfName}
            onChange={(v) => set({ udfName: v })}
          />
        ) : null}
      </Choices>
      <fieldset className="setting-choices">
        <legend>Tray alerts</legend>
        <TextField
          label="Confirm within (hours)"
          hint="Despatch overdue: delivered in SAP this long ago and still not shipped on John Lewis."
          value={draft.confirmWithinHours}
          error={errors.confirmWithinHours}
          onChange={(v) => set({ confirmWithinHours: v })}
        />
        <TextField
          label="Warn before the deadline (hours)"
          hint="Deadline near: the shipping deadline is this close and SAP has no Delivery Note yet."
          value={draft.deadlineWarningHours}
          error={errors.deadlineWarningHours}
          onChange={(v) => set({ deadlineWarningHours: v })}
        />
      </fieldset>
      <details className="advanced">
        <summary>Advanced</summary>
        <div className="advanced-fields">
          <TextField
            label="Read overlap (minutes)"
            hint="SAP keeps change times to the minute: each read reaches this far back so no Delivery Note slips between two reads."
            value={draft.overlapMinutes}
            error={errors.overlapMinutes}
            onChange={(v) => set({ overlapMinutes: v })}
          />
        </div>
      </details>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !actor || !dirty}>
          Save despatch settings
        </button>
        <button type="button" disabled={saving || !dirty} onClick={() => setDraft(despatchDraftFrom(settings.despatch))}>
          Discard changes
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </div>
    </form>
  );
}
